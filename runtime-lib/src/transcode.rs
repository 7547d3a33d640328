//! Strings crossing a fused adapter: the Canonical ABI's `load_string` from the sending
//! component's memory followed by its `store_string` into the receiving component's memory,
//! as one builtin ([`string_transcode`])
//! (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#strings>).
//!
//! Every pair of encodings goes through here, equal ones included, because even a copy
//! between two UTF-8 sides must validate the string and allocate it as the explainer does.
//! Invariants:
//!
//! - The source is checked completely (alignment, bounds, valid in its encoding) before the
//!   destination's `realloc` is first called: `load_string` runs before `store_string`.
//! - `realloc` is called with the explainer's arguments in the explainer's order: one first
//!   allocation (the worst case where the explainer allocates it directly), at most one
//!   growth to the worst case, at most one shrink to the exact size. Each pointer it returns
//!   is checked for alignment (when the explainer asks for more than 1) and for bounds
//!   before anything is written through it.
//! - The destination's bytes are written in the explainer's order relative to the `realloc`
//!   calls: the part written before a growth is in the old allocation (a growing `realloc`
//!   must preserve it, as the explainer assumes).
//!
//! # Safety
//!
//! The builtin trusts the compiler's records: `src` is a live `VMMemory`, and `dst` a
//! `VMLowering` whose memory is one and whose `realloc` is a trampoline into wasm. No Rust
//! reference into wasm memory is held across a write or a `realloc` call (which runs wasm
//! code): bytes are read and written one at a time through raw pointers after a bounds
//! check against the memory's current length (a memory's base never moves), so the source
//! and the destination may even be the same memory. A source that changes after its
//! validation (only possible when it is the destination's memory) decodes to garbage, never
//! to an access outside it.
#![allow(unsafe_code)]

use crate::trap;
use smelt_contract::Trap;
use smelt_contract::layout::{VMLowering, VMMemory};

/// The high bit of a `latin1+utf16` string's length: the string is UTF-16.
const UTF16_TAG: u32 = 1 << 31;
/// The longest string in bytes the Canonical ABI stores (`MAX_STRING_BYTE_LENGTH`).
const MAX_STRING_BYTE_LENGTH: u64 = (1 << 31) - 1;

/// A string's actual encoding (`latin1+utf16` is one of the last two per string).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Enc {
    Utf8,
    Utf16,
    Latin1,
}

/// A linear memory, accessed byte by byte with bounds checks.
#[derive(Clone, Copy)]
struct Mem(*mut VMMemory);

impl Mem {
    fn new(mem: *mut VMMemory) -> Mem {
        if mem.is_null() {
            // Validation requires `(memory ...)` wherever a string crosses.
            crate::io::fatal("string copied without a memory");
        }
        Mem(mem)
    }

    /// The memory's current length.
    fn length(self) -> u64 {
        // SAFETY: a live VMMemory (module docs).
        unsafe { (*self.0).length }
    }

    /// Traps unless `[ptr, ptr + len)` is inside the memory.
    fn check(self, ptr: u32, len: u64) {
        if u64::from(ptr) + len > self.length() {
            trap::raise(Trap::MemoryOutOfBounds);
        }
    }

    fn at(self, i: u64) -> *mut u8 {
        if i >= self.length() {
            trap::raise(Trap::MemoryOutOfBounds);
        }
        // SAFETY: a live VMMemory whose first `length` bytes are accessible (module docs);
        // `i` is below the length, which fits the address space.
        unsafe { (*self.0).base.add(i as usize) }
    }

    fn get(self, i: u64) -> u8 {
        // SAFETY: in bounds (checked by `at`).
        unsafe { self.at(i).read() }
    }

    fn put(self, i: u64, b: u8) {
        // SAFETY: in bounds (checked by `at`).
        unsafe { self.at(i).write(b) }
    }
}

/// A lifted string: checked in bounds, aligned and valid.
struct Source {
    mem: Mem,
    ptr: u32,
    enc: Enc,
    /// Code units (bytes, 16-bit units or Latin-1 bytes), untagged.
    units: u32,
    /// The bytes it occupies.
    bytes: u64,
}

impl Source {
    /// `load_string_from_range`: the string `ptr`/`tagged` of a side whose encoding is
    /// `encoding`.
    fn load(mem: Mem, encoding: u32, ptr: u32, tagged: u32) -> Source {
        let (enc, units, align) = match encoding {
            VMLowering::UTF16 => (Enc::Utf16, tagged, 2),
            VMLowering::LATIN1_UTF16 if tagged & UTF16_TAG != 0 => {
                (Enc::Utf16, tagged ^ UTF16_TAG, 2)
            }
            VMLowering::LATIN1_UTF16 => (Enc::Latin1, tagged, 2),
            _ => (Enc::Utf8, tagged, 1),
        };
        let bytes = u64::from(units) * if enc == Enc::Utf16 { 2 } else { 1 };
        if !ptr.is_multiple_of(align) {
            trap::raise(Trap::UnalignedPointer);
        }
        mem.check(ptr, bytes);
        let s = Source {
            mem,
            ptr,
            enc,
            units,
            bytes,
        };
        let valid = match enc {
            Enc::Latin1 => true,
            Enc::Utf8 => utf8_valid(&s),
            Enc::Utf16 => char::decode_utf16(s.units16()).all(|c| c.is_ok()),
        };
        if !valid {
            trap::raise(Trap::InvalidString);
        }
        s
    }

    /// Byte `i` of the string; 0 past its end.
    fn byte(&self, i: u64) -> u8 {
        if i < self.bytes {
            self.mem.get(u64::from(self.ptr) + i)
        } else {
            0
        }
    }

    /// The 16-bit code units (UTF-16 sources).
    fn units16(&self) -> impl Iterator<Item = u16> + '_ {
        (0..u64::from(self.units))
            .map(|i| u16::from_le_bytes([self.byte(2 * i), self.byte(2 * i + 1)]))
    }

    /// The code points, decoded (the string was validated).
    fn chars(&self) -> Chars<'_> {
        Chars { s: self, at: 0 }
    }
}

/// Whether the UTF-8 bytes of `s` are valid.
fn utf8_valid(s: &Source) -> bool {
    if s.bytes == 0 {
        return true;
    }
    let start = s.mem.at(u64::from(s.ptr));
    // SAFETY: `[ptr, ptr + bytes)` is inside the memory (checked by `load`), and nothing
    // writes to memory while the slice lives (no wasm code runs, the runtime is
    // single-threaded).
    let bytes = unsafe { core::slice::from_raw_parts(start, s.bytes as usize) };
    core::str::from_utf8(bytes).is_ok()
}

/// The code points of a [`Source`].
struct Chars<'a> {
    s: &'a Source,
    /// Byte offset of the next character.
    at: u64,
}

impl Iterator for Chars<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.at >= self.s.bytes {
            return None;
        }
        let s = self.s;
        let b = |i: u64| u32::from(s.byte(i));
        Some(match s.enc {
            Enc::Latin1 => {
                self.at += 1;
                b(self.at - 1)
            }
            Enc::Utf16 => {
                let unit = |i: u64| b(i) | b(i + 1) << 8;
                let u = unit(self.at);
                self.at += 2;
                if (0xd800..0xdc00).contains(&u) {
                    let lo = unit(self.at);
                    self.at += 2;
                    0x1_0000 + ((u - 0xd800) << 10) + (lo.wrapping_sub(0xdc00) & 0x3ff)
                } else {
                    u
                }
            }
            Enc::Utf8 => {
                let b0 = b(self.at);
                let (more, mut c) = match b0 {
                    0..0x80 => (0, b0),
                    0x80..0xe0 => (1, b0 & 0x1f),
                    0xe0..0xf0 => (2, b0 & 0x0f),
                    _ => (3, b0 & 0x07),
                };
                for i in 1..=more {
                    c = c << 6 | (b(self.at + i) & 0x3f);
                }
                self.at += 1 + more;
                c
            }
        })
    }
}

/// The UTF-8 bytes of code point `c`, and how many there are.
fn utf8(c: u32) -> ([u8; 4], usize) {
    let cont = |shift: u32| 0x80 | (c >> shift & 0x3f) as u8;
    match c {
        0..0x80 => ([c as u8, 0, 0, 0], 1),
        0x80..0x800 => ([0xc0 | (c >> 6) as u8, cont(0), 0, 0], 2),
        0x800..0x1_0000 => ([0xe0 | (c >> 12) as u8, cont(6), cont(0), 0], 3),
        _ => (
            [0xf0 | (c >> 18 & 0x07) as u8, cont(12), cont(6), cont(0)],
            4,
        ),
    }
}

/// The UTF-16 units of code point `c`, and how many there are.
fn utf16(c: u32) -> ([u16; 2], usize) {
    if c < 0x1_0000 {
        ([c as u16, 0], 1)
    } else {
        let c = c.wrapping_sub(0x1_0000);
        (
            [
                0xd800 | (c >> 10 & 0x3ff) as u16,
                0xdc00 | (c & 0x3ff) as u16,
            ],
            2,
        )
    }
}

/// The receiving side: its memory and `realloc`.
struct Dest {
    mem: Mem,
    realloc: unsafe extern "C" fn(u32, u32, u32, u32) -> u32,
}

impl Dest {
    /// `realloc(old, old_size, align, size)`, checked as the explainer checks its result.
    fn realloc(&self, old: u32, old_size: u64, align: u32, size: u64) -> u32 {
        // Sizes here never exceed MAX_STRING_BYTE_LENGTH (checked by the callers).
        // SAFETY: the trampoline calls the wasm function (module docs); no reference into
        // memory is held.
        let ptr = unsafe { (self.realloc)(old, old_size as u32, align, size as u32) };
        if !ptr.is_multiple_of(align) {
            trap::raise(Trap::UnalignedPointer);
        }
        self.mem.check(ptr, size);
        ptr
    }

    fn put16(&self, at: u64, u: u16) {
        let [lo, hi] = u.to_le_bytes();
        self.mem.put(at, lo);
        self.mem.put(at + 1, hi);
    }
}

/// Traps unless `bytes` is a length the Canonical ABI stores.
fn check_length(bytes: u64) {
    if bytes > MAX_STRING_BYTE_LENGTH {
        trap::raise(Trap::InvalidString);
    }
}

/// The `string_transcode` builtin.
///
/// # Safety
///
/// `dst` is a lowering record and `src` a memory the compiler emitted (module docs).
pub unsafe fn string_transcode(
    dst: *const VMLowering,
    src: *mut VMMemory,
    src_encoding: u32,
    ptr: u32,
    len: u32,
) -> u64 {
    // SAFETY: per the caller.
    let lowering = unsafe { &*dst };
    let s = Source::load(Mem::new(src), src_encoding, ptr, len);
    let Some(realloc) = lowering.realloc else {
        // Validation requires `(realloc ...)` wherever a string is stored.
        crate::io::fatal("string copied without a realloc");
    };
    let d = Dest {
        mem: Mem::new(lowering.memory),
        realloc,
    };
    let (ptr, len) = match (lowering.string_encoding, s.enc) {
        (VMLowering::UTF16, Enc::Utf8) => utf8_to_utf16(&s, &d),
        (VMLowering::UTF16, _) => copy(&s, &d, 2, 2),
        // A Latin-1 source is a `latin1+utf16` one.
        (VMLowering::LATIN1_UTF16, Enc::Latin1) => copy(&s, &d, 1, 2),
        (VMLowering::LATIN1_UTF16, Enc::Utf16) if src_encoding == VMLowering::LATIN1_UTF16 => {
            probably_utf16_to_latin1_or_utf16(&s, &d)
        }
        (VMLowering::LATIN1_UTF16, _) => to_latin1_or_utf16(&s, &d),
        (_, Enc::Utf8) => copy(&s, &d, 1, 1),
        (_, Enc::Utf16) => to_utf8(&s, &d, 3 * u64::from(s.units)),
        (_, Enc::Latin1) => to_utf8(&s, &d, 2 * u64::from(s.units)),
    };
    u64::from(ptr) | u64::from(len) << 32
}

/// `store_string_copy`: the same code units, `unit` bytes each (a Latin-1 source widens to
/// UTF-16 when `unit` is 2 and the source's is 1).
fn copy(s: &Source, d: &Dest, unit: u64, align: u32) -> (u32, u32) {
    let n = u64::from(s.units);
    let bytes = unit * n;
    check_length(bytes);
    let ptr = u64::from(d.realloc(0, 0, align, bytes));
    let widen = s.enc == Enc::Latin1 && unit == 2;
    for i in 0..if widen { n } else { bytes } {
        let b = s.byte(i);
        if widen {
            d.put16(ptr + 2 * i, b.into());
        } else {
            d.mem.put(ptr + i, b);
        }
    }
    (ptr as u32, s.units)
}

/// `store_string_to_utf8` (from UTF-16 or Latin-1): optimistically one byte per code unit,
/// grown to `worst` at the first byte that does not fit, then shrunk to the exact size.
fn to_utf8(s: &Source, d: &Dest, worst: u64) -> (u32, u32) {
    let n = u64::from(s.units);
    let total: u64 = s.chars().map(|c| utf8(c).1 as u64).sum();
    let mut ptr = d.realloc(0, 0, 1, n);
    let mut i = 0u64;
    for c in s.chars() {
        let (bytes, len) = utf8(c);
        for &b in &bytes[..len] {
            if i == n {
                // The first byte past the optimistic size: grow to the worst case.
                check_length(worst);
                ptr = d.realloc(ptr, n, 1, worst);
            }
            d.mem.put(u64::from(ptr) + i, b);
            i += 1;
        }
    }
    if total > n && worst > total {
        ptr = d.realloc(ptr, worst, 1, total);
    }
    (ptr, total as u32)
}

/// `store_utf8_to_utf16`: the worst case (two bytes per UTF-8 byte), then shrunk.
fn utf8_to_utf16(s: &Source, d: &Dest) -> (u32, u32) {
    let worst = 2 * u64::from(s.units);
    check_length(worst);
    let mut ptr = d.realloc(0, 0, 2, worst);
    let mut units = 0u64;
    for c in s.chars() {
        let (us, len) = utf16(c);
        for &u in &us[..len] {
            d.put16(u64::from(ptr) + 2 * units, u);
            units += 1;
        }
    }
    if 2 * units < worst {
        ptr = d.realloc(ptr, worst, 2, 2 * units);
    }
    (ptr, units as u32)
}

/// `store_string_to_latin1_or_utf16` (from UTF-8 or UTF-16): Latin-1 while the code points
/// fit, else inflated in place to UTF-16 in a worst-case allocation; shrunk to the exact size.
fn to_latin1_or_utf16(s: &Source, d: &Dest) -> (u32, u32) {
    let n = u64::from(s.units);
    let mut ptr = d.realloc(0, 0, 2, n);
    let mut latin1 = 0u64;
    let mut chars = s.chars();
    let mut wide = None;
    for c in chars.by_ref() {
        if c >= 0x100 {
            wide = Some(c);
            break;
        }
        d.mem.put(u64::from(ptr) + latin1, c as u8);
        latin1 += 1;
    }
    if let Some(c) = wide {
        let worst = 2 * n;
        check_length(worst);
        ptr = d.realloc(ptr, n, 2, worst);
        let p = u64::from(ptr);
        for j in (0..latin1).rev() {
            let b = d.mem.get(p + j);
            d.put16(p + 2 * j, b.into());
        }
        let mut units = latin1;
        for c in core::iter::once(c).chain(chars) {
            let (us, len) = utf16(c);
            for &u in &us[..len] {
                d.put16(p + 2 * units, u);
                units += 1;
            }
        }
        if worst > 2 * units {
            ptr = d.realloc(ptr, worst, 2, 2 * units);
        }
        return (ptr, units as u32 | UTF16_TAG);
    }
    if latin1 < n {
        ptr = d.realloc(ptr, n, 2, latin1);
    }
    (ptr, latin1 as u32)
}

/// `store_probably_utf16_to_latin1_or_utf16` (a UTF-16 `latin1+utf16` string to a
/// `latin1+utf16` side): copied as UTF-16, then deflated to Latin-1 in place and shrunk if
/// every code point fits.
fn probably_utf16_to_latin1_or_utf16(s: &Source, d: &Dest) -> (u32, u32) {
    let bytes = s.bytes;
    check_length(bytes);
    let ptr = d.realloc(0, 0, 2, bytes);
    let p = u64::from(ptr);
    for i in 0..bytes {
        d.mem.put(p + i, s.byte(i));
    }
    if s.units16().any(|u| u >= 0x100) {
        return (ptr, s.units | UTF16_TAG);
    }
    let n = u64::from(s.units);
    for i in 0..n {
        let b = d.mem.get(p + 2 * i);
        d.mem.put(p + i, b);
    }
    let ptr = d.realloc(ptr, bytes, 1, n);
    (ptr, s.units)
}
