//! `wasi:filesystem/types`: the `descriptor` resource (a file or a directory, with Wasmtime's
//! permissions), `directory-entry-stream`, and `filesystem-error-code`.
//!
//! A descriptor owns one file descriptor: regular files are opened for what the guest asked
//! (`O_RDONLY`, `O_WRONLY`, `O_RDWR`), directories `O_RDONLY | O_DIRECTORY`. Every path
//! argument is resolved by [`Walk`] beneath the descriptor (the sandbox; see `path`). Which
//! descriptor methods need which permission, and which error a misuse gives, follow Wasmtime's
//! host (`not-permitted` for a missing permission, `bad-descriptor` for a file method on a
//! directory, `not-directory` for a directory method on a file).

use super::listing;
use super::path::{Last, Walk, code};
use crate::wasi::abi::{Borrow, Cx, List, Own, Str};
use crate::wasi::bindings::filesystem_types::{
    Advice, Datetime, Descriptor as DescriptorRes, DescriptorFlags, DescriptorStat, DescriptorType,
    DirectoryEntry, DirectoryEntryStream, Error, ErrorCode, Filesize, InputStream,
    MetadataHashValue, NewTimestamp, OpenFlags, OutputStream, PathFlags,
};
use crate::wasi::io::{error, streams};
use crate::wasi::slab::{Global, Slab};
use rustix::fd::{BorrowedFd, FromRawFd, IntoRawFd, OwnedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags, Stat, Timespec, Timestamps};
use rustix::io::Errno;

/// Read permission (directories: list and open entries; files: read).
pub const READ: u8 = 1;
/// Write permission (directories: create, remove, rename, link, set times; files: write).
pub const WRITE: u8 = 2;

/// An open file or directory.
#[derive(Clone, Copy, Debug)]
pub struct Descriptor {
    /// The owned file descriptor.
    pub fd: i32,
    /// A directory (else a file, or anything that is not a directory).
    pub dir: bool,
    /// Directory permissions ([`READ`], [`WRITE`] = mutate); unused for files.
    pub dir_perms: u8,
    /// Permissions of files: this one, or those opened beneath this directory.
    pub file_perms: u8,
    /// How it was opened ([`READ`], [`WRITE`]), what `get-flags` reports.
    pub mode: u8,
}

/// An open `read-directory` listing: its own open file description of the directory, and
/// the `getdents64` cookie of the next entry.
#[derive(Clone, Copy, Debug)]
struct Listing {
    fd: i32,
    cookie: u64,
}

static DESCRIPTORS: Global<Slab<Descriptor>> = Global::new(Slab::new());
static LISTINGS: Global<Slab<Listing>> = Global::new(Slab::new());

/// A new descriptor resource owning `d.fd`.
pub fn new_descriptor(d: Descriptor) -> Own<DescriptorRes> {
    Own::new(DESCRIPTORS.with(|s| s.insert(d)))
}

fn get(this: Borrow<DescriptorRes>) -> Descriptor {
    DESCRIPTORS.with(|s| *s.get(this.rep))
}

fn borrow_fd(raw: i32) -> BorrowedFd<'static> {
    // SAFETY: a descriptor's or listing's file descriptor stays open until the resource is
    // dropped, and no call outlives the resource it borrows.
    unsafe { BorrowedFd::borrow_raw(raw) }
}

fn close(raw: i32) {
    // SAFETY: the resource owned `raw` and is gone.
    drop(unsafe { OwnedFd::from_raw_fd(raw) });
}

/// A duplicate of `fd` for a stream or a new preopen descriptor.
pub fn dup(fd: i32) -> Result<i32, ErrorCode> {
    rustix::io::fcntl_dupfd_cloexec(borrow_fd(fd), 0)
        .map(IntoRawFd::into_raw_fd)
        .map_err(code)
}

/// The descriptor as a file: `bad-descriptor` for a directory.
fn file(this: Borrow<DescriptorRes>) -> Result<Descriptor, ErrorCode> {
    let d = get(this);
    if d.dir {
        Err(ErrorCode::BadDescriptor)
    } else {
        Ok(d)
    }
}

/// The descriptor as a directory with `perms`: `not-directory` for a file, `not-permitted`
/// without them.
fn dir(this: Borrow<DescriptorRes>, perms: u8) -> Result<Descriptor, ErrorCode> {
    let d = get(this);
    if !d.dir {
        return Err(ErrorCode::NotDirectory);
    }
    if d.dir_perms & perms != perms {
        return Err(ErrorCode::NotPermitted);
    }
    Ok(d)
}

/// Links and renames between directories of different permissions are refused (Wasmtime).
fn same_perms(a: Descriptor, b: Descriptor) -> Result<(), ErrorCode> {
    if a.dir_perms == b.dir_perms && a.file_perms == b.file_perms {
        Ok(())
    } else {
        Err(ErrorCode::NotPermitted)
    }
}

/// `walk!(w, cx, d, p, last)`: `w` is the walk of path `p` beneath descriptor `d`, built in
/// place (a `Walk` is too large to return by value); returns the error from the enclosing
/// function.
macro_rules! walk {
    ($w:ident, $cx:expr, $d:expr, $p:expr, $last:expr) => {
        let mut $w = Walk::empty(borrow_fd($d.fd));
        $w.start($cx, $p, $last)?;
    };
}

fn follow(flags: PathFlags) -> Last {
    if flags.contains(PathFlags::SYMLINK_FOLLOW) {
        Last::Follow
    } else {
        Last::NoFollow
    }
}

fn descriptor_type(t: FileType) -> DescriptorType {
    match t {
        FileType::RegularFile => DescriptorType::RegularFile,
        FileType::Directory => DescriptorType::Directory,
        FileType::Symlink => DescriptorType::SymbolicLink,
        FileType::Fifo => DescriptorType::Fifo,
        FileType::Socket => DescriptorType::Socket,
        FileType::CharacterDevice => DescriptorType::CharacterDevice,
        FileType::BlockDevice => DescriptorType::BlockDevice,
        _ => DescriptorType::Unknown,
    }
}

fn datetime(sec: i64, nsec: u64) -> Option<Datetime> {
    Some(Datetime {
        seconds: u64::try_from(sec).ok()?,
        nanoseconds: nsec as u32,
    })
}

#[allow(
    clippy::unnecessary_cast,
    reason = "the field types differ between targets"
)]
fn stat_of(st: &Stat) -> DescriptorStat {
    DescriptorStat {
        r#type: descriptor_type(FileType::from_raw_mode(st.st_mode)),
        link_count: st.st_nlink as u64,
        size: st.st_size as u64,
        data_access_timestamp: datetime(st.st_atime as i64, st.st_atime_nsec as u64),
        data_modification_timestamp: datetime(st.st_mtime as i64, st.st_mtime_nsec as u64),
        status_change_timestamp: datetime(st.st_ctime as i64, st.st_ctime_nsec as u64),
    }
}

/// A value that depends only on the file's identity `(st_dev, st_ino)`: the same for every
/// descriptor and path of one file, in every run, as Wasmtime's (which hashes the pair).
#[allow(
    clippy::unnecessary_cast,
    reason = "the field types differ between targets"
)]
fn metadata_hash_of(st: &Stat) -> MetadataHashValue {
    fn mix(mut x: u64) -> u64 {
        // The splitmix64 finaliser: every input bit affects every output bit.
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    }
    let (dev, ino) = (st.st_dev as u64, st.st_ino as u64);
    let lower = mix(mix(dev) ^ ino);
    MetadataHashValue {
        lower,
        upper: mix(lower ^ 0x736d_656c_742d_6673),
    }
}

/// `stat` of the entry a walk ended at (not following it: the walk followed it if asked).
/// `stat` of the path `p` beneath `d`, following a symbolic link at its end when `last` is
/// [`Last::Follow`]. The path is walked without following it first: only when the entry
/// turns out to be a link is it walked again to follow it (which reads the link), so a path
/// that is not a link costs no `readlinkat`.
fn stat_path(cx: &Cx, d: Descriptor, p: Str, last: Last) -> Result<Stat, ErrorCode> {
    if last == Last::Follow {
        walk!(w, cx, d, p, Last::NoFollow);
        let st = stat_walked(&w)?;
        if FileType::from_raw_mode(st.st_mode) != FileType::Symlink {
            return Ok(st);
        }
    }
    walk!(w, cx, d, p, last);
    stat_walked(&w)
}

fn stat_walked(w: &Walk<'_>) -> Result<Stat, ErrorCode> {
    let st = rustix::fs::statat(w.dir(), w.name(), AtFlags::SYMLINK_NOFOLLOW).map_err(code)?;
    if w.dir_required() && FileType::from_raw_mode(st.st_mode) != FileType::Directory {
        return Err(ErrorCode::NotDirectory);
    }
    Ok(st)
}

fn timespec(t: NewTimestamp) -> Timespec {
    match t {
        NewTimestamp::NoChange => Timespec {
            tv_sec: 0,
            tv_nsec: rustix::fs::UTIME_OMIT,
        },
        NewTimestamp::Now => Timespec {
            tv_sec: 0,
            tv_nsec: rustix::fs::UTIME_NOW,
        },
        NewTimestamp::Timestamp(t) => Timespec {
            tv_sec: t.seconds as i64,
            tv_nsec: t.nanoseconds.into(),
        },
    }
}

fn timestamps(atim: NewTimestamp, mtim: NewTimestamp) -> Timestamps {
    Timestamps {
        last_access: timespec(atim),
        last_modification: timespec(mtim),
    }
}

/// `read-via-stream`: a stream reading the file from `offset`.
pub fn descriptor_read_via_stream(
    _: &mut Cx,
    this: Borrow<DescriptorRes>,
    offset: Filesize,
) -> Result<Own<InputStream>, ErrorCode> {
    let d = get(this);
    if d.dir {
        return Err(ErrorCode::IsDirectory);
    }
    if d.file_perms & READ == 0 {
        return Err(ErrorCode::BadDescriptor);
    }
    let fd = dup(d.fd)?;
    Ok(streams::new_input(streams::Input::File { fd, pos: offset }))
}

/// `write-via-stream`: a stream writing the file from `offset`.
pub fn descriptor_write_via_stream(
    _: &mut Cx,
    this: Borrow<DescriptorRes>,
    offset: Filesize,
) -> Result<Own<OutputStream>, ErrorCode> {
    let d = file(this)?;
    if d.file_perms & WRITE == 0 {
        return Err(ErrorCode::BadDescriptor);
    }
    let fd = dup(d.fd)?;
    Ok(streams::new_output(streams::Output::File {
        fd,
        pos: offset,
    }))
}

/// `append-via-stream`: a stream writing at the end of the file.
pub fn descriptor_append_via_stream(
    _: &mut Cx,
    this: Borrow<DescriptorRes>,
) -> Result<Own<OutputStream>, ErrorCode> {
    let d = file(this)?;
    if d.file_perms & WRITE == 0 {
        return Err(ErrorCode::BadDescriptor);
    }
    let fd = dup(d.fd)?;
    Ok(streams::new_output(streams::Output::Append { fd }))
}

/// `advise`: `posix_fadvise`.
pub fn descriptor_advise(
    _: &mut Cx,
    this: Borrow<DescriptorRes>,
    offset: Filesize,
    length: Filesize,
    advice: Advice,
) -> Result<(), ErrorCode> {
    use rustix::fs::Advice as A;
    let d = file(this)?;
    let advice = match advice {
        Advice::Normal => A::Normal,
        Advice::Sequential => A::Sequential,
        Advice::Random => A::Random,
        Advice::WillNeed => A::WillNeed,
        Advice::DontNeed => A::DontNeed,
        Advice::NoReuse => A::NoReuse,
    };
    rustix::fs::fadvise(
        borrow_fd(d.fd),
        offset,
        core::num::NonZeroU64::new(length),
        advice,
    )
    .map_err(code)
}

/// `sync-data`: `fdatasync`.
pub fn descriptor_sync_data(_: &mut Cx, this: Borrow<DescriptorRes>) -> Result<(), ErrorCode> {
    rustix::fs::fdatasync(borrow_fd(get(this).fd)).map_err(code)
}

/// `get-flags`: how the descriptor was opened.
pub fn descriptor_get_flags(
    _: &mut Cx,
    this: Borrow<DescriptorRes>,
) -> Result<DescriptorFlags, ErrorCode> {
    let d = get(this);
    let mut flags = DescriptorFlags(0);
    if d.mode & READ != 0 {
        flags = flags | DescriptorFlags::READ;
    }
    if d.mode & WRITE != 0 {
        flags = flags
            | if d.dir {
                DescriptorFlags::MUTATE_DIRECTORY
            } else {
                DescriptorFlags::WRITE
            };
    }
    Ok(flags)
}

/// `get-type`.
pub fn descriptor_get_type(
    _: &mut Cx,
    this: Borrow<DescriptorRes>,
) -> Result<DescriptorType, ErrorCode> {
    let d = get(this);
    if d.dir {
        return Ok(DescriptorType::Directory);
    }
    let st = rustix::fs::fstat(borrow_fd(d.fd)).map_err(code)?;
    Ok(descriptor_type(FileType::from_raw_mode(st.st_mode)))
}

/// `set-size`: `ftruncate`.
pub fn descriptor_set_size(
    _: &mut Cx,
    this: Borrow<DescriptorRes>,
    size: Filesize,
) -> Result<(), ErrorCode> {
    let d = file(this)?;
    if d.file_perms & WRITE == 0 {
        return Err(ErrorCode::NotPermitted);
    }
    rustix::fs::ftruncate(borrow_fd(d.fd), size).map_err(code)
}

/// `set-times`: `futimens`.
pub fn descriptor_set_times(
    _: &mut Cx,
    this: Borrow<DescriptorRes>,
    data_access_timestamp: NewTimestamp,
    data_modification_timestamp: NewTimestamp,
) -> Result<(), ErrorCode> {
    let d = get(this);
    let perms = if d.dir { d.dir_perms } else { d.file_perms };
    if perms & WRITE == 0 {
        return Err(ErrorCode::NotPermitted);
    }
    let times = timestamps(data_access_timestamp, data_modification_timestamp);
    rustix::fs::futimens(borrow_fd(d.fd), &times).map_err(code)
}

/// `read`: `pread` of at most `length` bytes at `offset`; the flag is end of file.
pub fn descriptor_read(
    cx: &mut Cx,
    this: Borrow<DescriptorRes>,
    length: Filesize,
    offset: Filesize,
) -> Result<(List<u8>, bool), ErrorCode> {
    let d = file(this)?;
    if d.file_perms & READ == 0 {
        return Err(ErrorCode::NotPermitted);
    }
    let fd = borrow_fd(d.fd);
    let list = streams::read_to_list(cx, length, |buf| {
        loop {
            match rustix::io::pread(fd, &mut *buf, offset) {
                Err(Errno::INTR) => {}
                other => break other.map_err(code),
            }
        }
    })?;
    // As Wasmtime: the end of the file is a read of nothing.
    Ok((list, list.len == 0))
}

/// `write`: one `pwrite` at `offset`; returns how much it wrote.
pub fn descriptor_write(
    cx: &mut Cx,
    this: Borrow<DescriptorRes>,
    buffer: List<u8>,
    offset: Filesize,
) -> Result<Filesize, ErrorCode> {
    let d = file(this)?;
    if d.file_perms & WRITE == 0 {
        return Err(ErrorCode::NotPermitted);
    }
    rustix::io::pwrite(borrow_fd(d.fd), cx.list_bytes(buffer), offset)
        .map(|n| n as u64)
        .map_err(code)
}

/// `read-directory`: a listing of the directory from its start (without `.` and `..`).
pub fn descriptor_read_directory(
    _: &mut Cx,
    this: Borrow<DescriptorRes>,
) -> Result<Own<DirectoryEntryStream>, ErrorCode> {
    let d = dir(this, READ)?;
    // A new open file description: the listing's position is its own.
    let fd = rustix::fs::openat(
        borrow_fd(d.fd),
        ".",
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(code)?;
    let listing = Listing {
        fd: fd.into_raw_fd(),
        cookie: 0,
    };
    Ok(Own::new(LISTINGS.with(|s| s.insert(listing))))
}

/// `sync`: `fsync`.
pub fn descriptor_sync(_: &mut Cx, this: Borrow<DescriptorRes>) -> Result<(), ErrorCode> {
    rustix::fs::fsync(borrow_fd(get(this).fd)).map_err(code)
}

/// `create-directory-at`: `mkdirat`.
pub fn descriptor_create_directory_at(
    cx: &mut Cx,
    this: Borrow<DescriptorRes>,
    p: Str,
) -> Result<(), ErrorCode> {
    let d = dir(this, WRITE)?;
    walk!(w, cx, d, p, Last::Entry);
    rustix::fs::mkdirat(w.dir(), w.name(), Mode::from_raw_mode(0o777)).map_err(code)
}

/// `stat`: `fstat`.
pub fn descriptor_stat(
    _: &mut Cx,
    this: Borrow<DescriptorRes>,
) -> Result<DescriptorStat, ErrorCode> {
    let st = rustix::fs::fstat(borrow_fd(get(this).fd)).map_err(code)?;
    Ok(stat_of(&st))
}

/// `stat-at`.
pub fn descriptor_stat_at(
    cx: &mut Cx,
    this: Borrow<DescriptorRes>,
    path_flags: PathFlags,
    p: Str,
) -> Result<DescriptorStat, ErrorCode> {
    let d = dir(this, READ)?;
    Ok(stat_of(&stat_path(cx, d, p, follow(path_flags))?))
}

/// `set-times-at`: `utimensat`.
pub fn descriptor_set_times_at(
    cx: &mut Cx,
    this: Borrow<DescriptorRes>,
    path_flags: PathFlags,
    p: Str,
    data_access_timestamp: NewTimestamp,
    data_modification_timestamp: NewTimestamp,
) -> Result<(), ErrorCode> {
    let d = dir(this, WRITE)?;
    walk!(w, cx, d, p, follow(path_flags));
    if w.dir_required() {
        stat_walked(&w)?;
    }
    let times = timestamps(data_access_timestamp, data_modification_timestamp);
    rustix::fs::utimensat(w.dir(), w.name(), &times, AtFlags::SYMLINK_NOFOLLOW).map_err(code)
}

/// `link-at`: `linkat` (never following: Wasmtime refuses `symlink-follow` here).
pub fn descriptor_link_at(
    cx: &mut Cx,
    this: Borrow<DescriptorRes>,
    old_path_flags: PathFlags,
    old_path: Str,
    new_descriptor: Borrow<DescriptorRes>,
    new_path: Str,
) -> Result<(), ErrorCode> {
    let old = dir(this, WRITE)?;
    let new = dir(new_descriptor, WRITE)?;
    if old_path_flags.contains(PathFlags::SYMLINK_FOLLOW) {
        return Err(ErrorCode::Invalid);
    }
    same_perms(old, new)?;
    walk!(from, cx, old, old_path, Last::Entry);
    walk!(to, cx, new, new_path, Last::Entry);
    rustix::fs::linkat(
        from.dir(),
        from.name(),
        to.dir(),
        to.name(),
        AtFlags::empty(),
    )
    .map_err(code)
}

/// `open-at`.
pub fn descriptor_open_at(
    cx: &mut Cx,
    this: Borrow<DescriptorRes>,
    path_flags: PathFlags,
    p: Str,
    open_flags: OpenFlags,
    flags: DescriptorFlags,
) -> Result<Own<DescriptorRes>, ErrorCode> {
    let d = dir(this, READ)?;
    let create = open_flags.contains(OpenFlags::CREATE);
    let exclusive = open_flags.contains(OpenFlags::EXCLUSIVE);
    let truncate = open_flags.contains(OpenFlags::TRUNCATE);
    let directory = open_flags.contains(OpenFlags::DIRECTORY);
    let write_flag = flags.contains(DescriptorFlags::WRITE);
    if d.dir_perms & WRITE == 0 && (create || truncate || write_flag) {
        return Err(ErrorCode::NotPermitted);
    }
    // As Wasmtime: creating or truncating opens for writing; not writing opens for reading.
    let write = create || truncate || write_flag;
    let read = flags.contains(DescriptorFlags::READ) || !write_flag;
    let sync = DescriptorFlags::FILE_INTEGRITY_SYNC.0
        | DescriptorFlags::DATA_INTEGRITY_SYNC.0
        | DescriptorFlags::REQUESTED_WRITE_SYNC.0;
    if flags.0 & sync != 0 {
        // As Wasmtime: the synchronous-write flags are not supported.
        return Err(ErrorCode::Unsupported);
    }
    if directory && (create || exclusive || truncate) {
        return Err(ErrorCode::Invalid);
    }
    if write && d.file_perms & WRITE == 0 {
        return Err(ErrorCode::NotPermitted);
    }
    let mut oflags = match (read, write) {
        (true, true) => OFlags::RDWR,
        (false, true) => OFlags::WRONLY,
        _ => OFlags::RDONLY,
    };
    oflags |= OFlags::NOFOLLOW | OFlags::CLOEXEC;
    if create {
        oflags |= OFlags::CREATE;
    }
    if create && exclusive {
        oflags |= OFlags::EXCL;
    }
    if truncate {
        oflags |= OFlags::TRUNC;
    }
    let last = if create && exclusive {
        // An exclusive create never follows (`O_EXCL`).
        Last::NoFollow
    } else {
        follow(path_flags)
    };
    // The last component is opened `O_NOFOLLOW` first (see `stat_path`): it fails with
    // `ELOOP` (`ENOTDIR` with `O_DIRECTORY`) only on a symbolic link, which is then followed.
    let open = |last: Last| {
        walk!(w, cx, d, p, last);
        let flags = if directory || w.dir_required() {
            oflags | OFlags::DIRECTORY
        } else {
            oflags
        };
        Ok(rustix::fs::openat(
            w.dir(),
            w.name(),
            flags,
            Mode::from_raw_mode(0o666),
        ))
    };
    let fd = match open(if last == Last::Follow {
        Last::NoFollow
    } else {
        last
    })? {
        Err(Errno::LOOP | Errno::NOTDIR) if last == Last::Follow => open(last)?,
        opened => opened,
    }
    .map_err(code)?;
    let st = rustix::fs::fstat(&fd).map_err(code)?;
    let is_dir = FileType::from_raw_mode(st.st_mode) == FileType::Directory;
    let mode = if read { READ } else { 0 } | if write { WRITE } else { 0 };
    Ok(new_descriptor(Descriptor {
        fd: fd.into_raw_fd(),
        dir: is_dir,
        dir_perms: d.dir_perms,
        file_perms: d.file_perms,
        mode,
    }))
}

/// `readlink-at`.
pub fn descriptor_readlink_at(
    cx: &mut Cx,
    this: Borrow<DescriptorRes>,
    p: Str,
) -> Result<Str, ErrorCode> {
    let d = dir(this, READ)?;
    let mut target = [0u8; super::path::PATH_MAX];
    let n = {
        walk!(w, cx, d, p, Last::NoFollow);
        if w.dir_required() {
            // A trailing slash follows the link: what it names is a directory, not a link.
            stat_walked(&w)?;
            return Err(ErrorCode::Invalid);
        }
        rustix::fs::readlinkat_raw(w.dir(), w.name(), &mut target[..]).map_err(code)?
    };
    let Ok(text) = core::str::from_utf8(&target[..n]) else {
        return Err(ErrorCode::IllegalByteSequence);
    };
    Ok(cx.new_string(text))
}

/// `remove-directory-at`: `unlinkat(AT_REMOVEDIR)`.
pub fn descriptor_remove_directory_at(
    cx: &mut Cx,
    this: Borrow<DescriptorRes>,
    p: Str,
) -> Result<(), ErrorCode> {
    let d = dir(this, WRITE)?;
    walk!(w, cx, d, p, Last::Entry);
    rustix::fs::unlinkat(w.dir(), w.name(), AtFlags::REMOVEDIR).map_err(code)
}

/// `rename-at`: `renameat`.
pub fn descriptor_rename_at(
    cx: &mut Cx,
    this: Borrow<DescriptorRes>,
    old_path: Str,
    new_descriptor: Borrow<DescriptorRes>,
    new_path: Str,
) -> Result<(), ErrorCode> {
    let old = dir(this, WRITE)?;
    let new = dir(new_descriptor, WRITE)?;
    same_perms(old, new)?;
    walk!(from, cx, old, old_path, Last::Entry);
    walk!(to, cx, new, new_path, Last::Entry);
    rustix::fs::renameat(from.dir(), from.name(), to.dir(), to.name()).map_err(code)
}

/// `symlink-at`: `symlinkat`. An absolute target is refused (`not-permitted`), as by
/// Wasmtime; a relative one is stored as given, and checked whenever it is followed.
pub fn descriptor_symlink_at(
    cx: &mut Cx,
    this: Borrow<DescriptorRes>,
    old_path: Str,
    new_path: Str,
) -> Result<(), ErrorCode> {
    let d = dir(this, WRITE)?;
    walk!(w, cx, d, new_path, Last::Entry);
    let mut target = [0u8; super::path::PATH_MAX];
    let n = cx.utf8_len(old_path);
    if n >= target.len() {
        return Err(ErrorCode::NameTooLong);
    }
    cx.utf8_into(old_path, &mut target[..n]);
    if target.first() == Some(&b'/') {
        return Err(ErrorCode::NotPermitted);
    }
    rustix::fs::symlinkat(&target[..n], w.dir(), w.name()).map_err(code)
}

/// `unlink-file-at`: `unlinkat`.
pub fn descriptor_unlink_file_at(
    cx: &mut Cx,
    this: Borrow<DescriptorRes>,
    p: Str,
) -> Result<(), ErrorCode> {
    let d = dir(this, WRITE)?;
    walk!(w, cx, d, p, Last::Entry);
    rustix::fs::unlinkat(w.dir(), w.name(), AtFlags::empty()).map_err(code)
}

/// `is-same-object`: the same `(st_dev, st_ino)`.
pub fn descriptor_is_same_object(
    _: &mut Cx,
    this: Borrow<DescriptorRes>,
    other: Borrow<DescriptorRes>,
) -> bool {
    let (a, b) = (get(this), get(other));
    match (
        rustix::fs::fstat(borrow_fd(a.fd)),
        rustix::fs::fstat(borrow_fd(b.fd)),
    ) {
        (Ok(a), Ok(b)) => a.st_dev == b.st_dev && a.st_ino == b.st_ino,
        _ => false,
    }
}

/// `metadata-hash`.
pub fn descriptor_metadata_hash(
    _: &mut Cx,
    this: Borrow<DescriptorRes>,
) -> Result<MetadataHashValue, ErrorCode> {
    let st = rustix::fs::fstat(borrow_fd(get(this).fd)).map_err(code)?;
    Ok(metadata_hash_of(&st))
}

/// `metadata-hash-at`.
pub fn descriptor_metadata_hash_at(
    cx: &mut Cx,
    this: Borrow<DescriptorRes>,
    path_flags: PathFlags,
    p: Str,
) -> Result<MetadataHashValue, ErrorCode> {
    // No permission check, as Wasmtime: whoever holds the directory may stat it.
    let d = dir(this, 0)?;
    Ok(metadata_hash_of(&stat_path(cx, d, p, follow(path_flags))?))
}

/// `read-directory-entry`: the next entry, `None` at the end; read ahead by
/// [`super::listing`].
pub fn directory_entry_stream_read_directory_entry(
    cx: &mut Cx,
    this: Borrow<DirectoryEntryStream>,
) -> Result<Option<DirectoryEntry>, ErrorCode> {
    let listing = LISTINGS.with(|s| *s.get(this.rep));
    let fd = borrow_fd(listing.fd);
    let mut name = [0u8; listing::NAME_MAX];
    let Some(next) = listing::next(this.rep, fd, listing.cookie, &mut name).map_err(code)? else {
        return Ok(None);
    };
    LISTINGS.with(|s| s.get(this.rep).cookie = next.cookie);
    let name = &name[..next.len];
    let mut ty = next.ty;
    if ty == FileType::Unknown {
        ty = rustix::fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW)
            .map(|st| FileType::from_raw_mode(st.st_mode))
            .unwrap_or(FileType::Unknown);
    }
    let Ok(text) = core::str::from_utf8(name) else {
        return Err(ErrorCode::IllegalByteSequence);
    };
    Ok(Some(DirectoryEntry {
        r#type: descriptor_type(ty),
        name: cx.new_string(text),
    }))
}

/// `filesystem-error-code`: the code of a stream error's `errno`.
pub fn filesystem_error_code(_: &mut Cx, err: Borrow<Error>) -> Option<ErrorCode> {
    Some(super::error_code(Errno::from_raw_os_error(error::errno(
        err,
    ))))
}

/// Drops a descriptor: closes its file descriptor.
pub fn drop_descriptor(_: &mut Cx, this: Own<DescriptorRes>) {
    close(DESCRIPTORS.with(|s| s.remove(this.rep)).fd);
}

/// Drops a directory listing.
pub fn drop_directory_entry_stream(_: &mut Cx, this: Own<DirectoryEntryStream>) {
    listing::forget(this.rep);
    close(LISTINGS.with(|s| s.remove(this.rep)).fd);
}
