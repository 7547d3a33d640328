//! Hand-written imports of the WASI 0.2 functions that neither std nor wasi-libc reach
//! (WASI only): `descriptor.metadata-hash(-at)`, `is-same-object`, `get-type`, `sync-data`
//! (wasi-libc's `fdatasync` calls `sync`), the clock resolutions, `wasi:io/poll.poll` and
//! `pollable.ready` (std only ever blocks on one pollable), and `wasi:random` beyond
//! `get-random-bytes`.
//!
//! The imports name `@0.2.6`, the version wasi-libc of the pinned Rust toolchain imports, so
//! the component imports each interface once. Lowered by hand after the Canonical ABI: handles
//! are `i32`, a string is `(ptr, len)`, results that do not fit one core value are written to
//! a return area the caller passes last; lists the host returns are allocated through the
//! module's exported `cabi_realloc` (wasi-libc's) and never freed here.

/// A `wasi:filesystem/types.descriptor` handle owned by this program.
pub struct Descriptor(i32);

/// WASI `error-code` names in declaration order.
const ERROR_CODES: [&str; 37] = [
    "access",
    "would-block",
    "already",
    "bad-descriptor",
    "busy",
    "deadlock",
    "quota",
    "exist",
    "file-too-large",
    "illegal-byte-sequence",
    "in-progress",
    "interrupted",
    "invalid",
    "io",
    "is-directory",
    "loop",
    "too-many-links",
    "message-size",
    "name-too-long",
    "no-device",
    "no-entry",
    "no-lock",
    "insufficient-memory",
    "insufficient-space",
    "not-directory",
    "not-empty",
    "not-recoverable",
    "unsupported",
    "no-tty",
    "no-such-device",
    "overflow",
    "not-permitted",
    "pipe",
    "read-only",
    "invalid-seek",
    "text-file-busy",
    "cross-device",
];

/// WASI `descriptor-type` names in declaration order.
const DESCRIPTOR_TYPES: [&str; 8] = [
    "unknown",
    "block-device",
    "character-device",
    "directory",
    "fifo",
    "symbolic-link",
    "regular-file",
    "socket",
];

/// An `error-code`, by name.
pub type ErrorCode = &'static str;

fn error_code(code: u8) -> ErrorCode {
    ERROR_CODES.get(usize::from(code)).copied().unwrap_or("?")
}

/// `path-flags.symlink-follow`.
pub const SYMLINK_FOLLOW: i32 = 1;
/// `descriptor-flags.read`.
pub const READ: i32 = 1;

#[repr(C, align(8))]
struct RetArea([u8; 24]);

impl RetArea {
    fn new() -> Self {
        RetArea([0; 24])
    }
    fn ptr(&mut self) -> i32 {
        self.0.as_mut_ptr() as i32
    }
    fn u8(&self, at: usize) -> u8 {
        self.0[at]
    }
    fn i32(&self, at: usize) -> i32 {
        i32::from_le_bytes(self.0[at..at + 4].try_into().unwrap())
    }
    fn u64(&self, at: usize) -> u64 {
        u64::from_le_bytes(self.0[at..at + 8].try_into().unwrap())
    }
    /// A `list<u8>` or `string` written as `(ptr, len)` at 0.
    fn bytes(&self) -> Vec<u8> {
        self.bytes_of(1)
    }
    /// The bytes of a list of `size`-byte elements written as `(ptr, len)` at 0.
    fn bytes_of(&self, size: usize) -> Vec<u8> {
        let (ptr, len) = (self.i32(0) as usize, self.i32(4) as usize * size);
        if len == 0 {
            return Vec::new();
        }
        // SAFETY: the host wrote a list of `len` bytes at `ptr` in our memory.
        unsafe { std::slice::from_raw_parts(ptr as *const u8, len) }.to_vec()
    }
}

#[link(wasm_import_module = "wasi:filesystem/preopens@0.2.6")]
unsafe extern "C" {
    #[link_name = "get-directories"]
    fn get_directories(ret: i32);
}

#[link(wasm_import_module = "wasi:filesystem/types@0.2.6")]
unsafe extern "C" {
    #[link_name = "[method]descriptor.open-at"]
    fn open_at(d: i32, path_flags: i32, ptr: i32, len: i32, open: i32, flags: i32, ret: i32);
    #[link_name = "[method]descriptor.get-type"]
    fn get_type(d: i32, ret: i32);
    #[link_name = "[method]descriptor.metadata-hash"]
    fn metadata_hash(d: i32, ret: i32);
    #[link_name = "[method]descriptor.metadata-hash-at"]
    fn metadata_hash_at(d: i32, path_flags: i32, ptr: i32, len: i32, ret: i32);
    #[link_name = "[method]descriptor.is-same-object"]
    fn is_same_object(d: i32, other: i32) -> i32;
    #[link_name = "[method]descriptor.sync-data"]
    fn sync_data(d: i32, ret: i32);
    #[link_name = "[resource-drop]descriptor"]
    fn drop_descriptor(d: i32);
}

#[link(wasm_import_module = "wasi:io/poll@0.2.6")]
unsafe extern "C" {
    #[link_name = "poll"]
    fn poll_import(ptr: i32, len: i32, ret: i32);
    #[link_name = "[method]pollable.ready"]
    fn pollable_ready(p: i32) -> i32;
    #[link_name = "[resource-drop]pollable"]
    fn drop_pollable(p: i32);
}

#[link(wasm_import_module = "wasi:random/random@0.2.6")]
unsafe extern "C" {
    #[link_name = "get-random-bytes"]
    fn get_random_bytes(len: i64, ret: i32);
    #[link_name = "get-random-u64"]
    fn get_random_u64() -> i64;
}

#[link(wasm_import_module = "wasi:random/insecure@0.2.6")]
unsafe extern "C" {
    #[link_name = "get-insecure-random-bytes"]
    fn get_insecure_random_bytes(len: i64, ret: i32);
    #[link_name = "get-insecure-random-u64"]
    fn get_insecure_random_u64() -> i64;
}

#[link(wasm_import_module = "wasi:random/insecure-seed@0.2.6")]
unsafe extern "C" {
    #[link_name = "insecure-seed"]
    fn insecure_seed_import(ret: i32);
}

#[link(wasm_import_module = "wasi:clocks/monotonic-clock@0.2.6")]
unsafe extern "C" {
    #[link_name = "now"]
    fn monotonic_now() -> i64;
    #[link_name = "resolution"]
    fn monotonic_resolution() -> i64;
    #[link_name = "subscribe-duration"]
    fn subscribe_duration(ns: i64) -> i32;
}

#[link(wasm_import_module = "wasi:clocks/wall-clock@0.2.6")]
unsafe extern "C" {
    #[link_name = "now"]
    fn wall_now(ret: i32);
    #[link_name = "resolution"]
    fn wall_resolution(ret: i32);
}

/// `get-directories`: fresh handles to every preopen, with their guest paths.
pub fn preopens() -> Vec<(Descriptor, String)> {
    let mut ret = RetArea::new();
    // SAFETY: the import writes `(ptr, len)` of a list of `(handle, ptr, len)` triples.
    unsafe { get_directories(ret.ptr()) };
    let (ptr, len) = (ret.i32(0) as usize, ret.i32(4) as usize);
    (0..len)
        .map(|i| {
            // SAFETY: the host wrote `len` 12-byte elements at `ptr`.
            let [handle, name_ptr, name_len] = unsafe { *((ptr + 12 * i) as *const [i32; 3]) };
            // SAFETY: each name is a UTF-8 string the host wrote into our memory.
            let name =
                unsafe { std::slice::from_raw_parts(name_ptr as *const u8, name_len as usize) };
            (
                Descriptor(handle),
                String::from_utf8_lossy(name).into_owned(),
            )
        })
        .collect()
}

impl Descriptor {
    /// `open-at(path-flags, path, open-flags {}, flags)`.
    pub fn open_at(
        &self,
        path_flags: i32,
        path: &str,
        flags: i32,
    ) -> Result<Descriptor, ErrorCode> {
        let mut ret = RetArea::new();
        // SAFETY: `path` outlives the call; the import writes `result<descriptor, error-code>`.
        unsafe {
            open_at(
                self.0,
                path_flags,
                path.as_ptr() as i32,
                path.len() as i32,
                0,
                flags,
                ret.ptr(),
            )
        };
        match ret.u8(0) {
            0 => Ok(Descriptor(ret.i32(4))),
            _ => Err(error_code(ret.u8(4))),
        }
    }

    /// `get-type`, by name.
    pub fn get_type(&self) -> Result<&'static str, ErrorCode> {
        let mut ret = RetArea::new();
        // SAFETY: the import writes `result<descriptor-type, error-code>`.
        unsafe { get_type(self.0, ret.ptr()) };
        match ret.u8(0) {
            0 => Ok(DESCRIPTOR_TYPES
                .get(usize::from(ret.u8(1)))
                .copied()
                .unwrap_or("?")),
            _ => Err(error_code(ret.u8(1))),
        }
    }

    /// `metadata-hash` as `(lower, upper)`.
    pub fn metadata_hash(&self) -> Result<(u64, u64), ErrorCode> {
        let mut ret = RetArea::new();
        // SAFETY: the import writes `result<metadata-hash-value, error-code>`.
        unsafe { metadata_hash(self.0, ret.ptr()) };
        Self::hash_result(&ret)
    }

    /// `metadata-hash-at(path-flags, path)` as `(lower, upper)`.
    pub fn metadata_hash_at(&self, path_flags: i32, path: &str) -> Result<(u64, u64), ErrorCode> {
        let mut ret = RetArea::new();
        // SAFETY: `path` outlives the call; the import writes the result as above.
        unsafe {
            metadata_hash_at(
                self.0,
                path_flags,
                path.as_ptr() as i32,
                path.len() as i32,
                ret.ptr(),
            )
        };
        Self::hash_result(&ret)
    }

    fn hash_result(ret: &RetArea) -> Result<(u64, u64), ErrorCode> {
        match ret.u8(0) {
            0 => Ok((ret.u64(8), ret.u64(16))),
            _ => Err(error_code(ret.u8(8))),
        }
    }

    /// `sync-data`.
    pub fn sync_data(&self) -> Result<(), ErrorCode> {
        let mut ret = RetArea::new();
        // SAFETY: the import writes `result<_, error-code>`.
        unsafe { sync_data(self.0, ret.ptr()) };
        match ret.u8(0) {
            0 => Ok(()),
            _ => Err(error_code(ret.u8(1))),
        }
    }

    /// `is-same-object`.
    pub fn is_same_object(&self, other: &Descriptor) -> bool {
        // SAFETY: both handles are live descriptors of this program.
        unsafe { is_same_object(self.0, other.0) != 0 }
    }
}

impl Drop for Descriptor {
    fn drop(&mut self) {
        // SAFETY: the handle is owned and dropped once.
        unsafe { drop_descriptor(self.0) }
    }
}

/// `wasi:random/random.get-random-bytes`.
pub fn random_bytes(len: u64) -> Vec<u8> {
    let mut ret = RetArea::new();
    // SAFETY: the import writes a `list<u8>`.
    unsafe { get_random_bytes(len as i64, ret.ptr()) };
    ret.bytes()
}

/// `wasi:random/random.get-random-u64`.
pub fn random_u64() -> u64 {
    // SAFETY: no arguments, a plain return value.
    unsafe { get_random_u64() as u64 }
}

/// `wasi:random/insecure.get-insecure-random-bytes`.
pub fn insecure_random_bytes(len: u64) -> Vec<u8> {
    let mut ret = RetArea::new();
    // SAFETY: the import writes a `list<u8>`.
    unsafe { get_insecure_random_bytes(len as i64, ret.ptr()) };
    ret.bytes()
}

/// `wasi:random/insecure.get-insecure-random-u64`.
pub fn insecure_random_u64() -> u64 {
    // SAFETY: no arguments, a plain return value.
    unsafe { get_insecure_random_u64() as u64 }
}

/// `wasi:random/insecure-seed.insecure-seed`.
pub fn insecure_seed() -> (u64, u64) {
    let mut ret = RetArea::new();
    // SAFETY: the import writes a `tuple<u64, u64>`.
    unsafe { insecure_seed_import(ret.ptr()) };
    (ret.u64(0), ret.u64(8))
}

/// `wasi:clocks/monotonic-clock.now` and `.resolution`, in nanoseconds.
pub fn monotonic() -> (u64, u64) {
    // SAFETY: no arguments, plain return values.
    unsafe { (monotonic_now() as u64, monotonic_resolution() as u64) }
}

/// `wasi:clocks/wall-clock.now` and `.resolution`, as `(seconds, nanoseconds)`.
pub fn wall() -> ((u64, u32), (u64, u32)) {
    let (mut now, mut res) = (RetArea::new(), RetArea::new());
    // SAFETY: each import writes a `datetime` record.
    unsafe {
        wall_now(now.ptr());
        wall_resolution(res.ptr());
    }
    (
        (now.u64(0), now.i32(8) as u32),
        (res.u64(0), res.i32(8) as u32),
    )
}

/// A `wasi:io/poll.pollable` owned by this program.
pub struct Pollable(i32);

impl Pollable {
    /// `monotonic-clock.subscribe-duration`.
    pub fn after(ns: u64) -> Pollable {
        // SAFETY: a plain call returning an owned handle.
        Pollable(unsafe { subscribe_duration(ns as i64) })
    }

    /// `pollable.ready`.
    pub fn ready(&self) -> bool {
        // SAFETY: a live handle.
        unsafe { pollable_ready(self.0) != 0 }
    }
}

impl Drop for Pollable {
    fn drop(&mut self) {
        // SAFETY: the handle is owned and dropped once.
        unsafe { drop_pollable(self.0) }
    }
}

/// `wasi:io/poll.poll`: the indices of the ready pollables.
pub fn poll(pollables: &[&Pollable]) -> Vec<u32> {
    let handles: Vec<i32> = pollables.iter().map(|p| p.0).collect();
    let mut ret = RetArea::new();
    // SAFETY: `handles` is a list of borrowed handles; the import writes a `list<u32>`.
    unsafe { poll_import(handles.as_ptr() as i32, handles.len() as i32, ret.ptr()) };
    let bytes = ret.bytes_of(4);
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}
