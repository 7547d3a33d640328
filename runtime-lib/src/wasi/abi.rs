//! The Canonical ABI on the host side: what the generated bindings (`smelt-hostgen`) use to
//! lift a lowered call's arguments and lower its results
//! (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#lifting-and-lowering-values>).
//!
//! - [`Abi`]: a WIT value's size, alignment and flat length, and how it is loaded from or
//!   stored to the caller's memory and lifted from or lowered to flat values. Generic impls
//!   here (primitives, `Option`, `Result`, tuples, [`Str`], [`List`], [`Own`], [`Borrow`]);
//!   generated impls for records, variants, enums and flags.
//! - [`Cx`]: one call's lowering context: the caller's memory (every access bounds-checked
//!   against its current length), `realloc`, string encoding and handle table.
//!
//! Strings and lists stay in the caller's memory: [`Str`] and [`List`] are the guest pointer
//! and length, checked when lifted. The host reads them in place (a write to a stream is
//! one `write(2)` straight from wasm memory), and builds the ones it returns in place with
//! [`Cx::new_list`] / [`Cx::new_string`]: nothing is copied twice.
//!
//! # Safety
//!
//! [`Cx::new`] trusts the lowering record the compiler emitted: its memory (if any) is a live
//! `VMMemory` whose `[base, base + length)` is accessible, its realloc (if any) a trampoline
//! into wasm, its handle table the calling instance's. The runtime is single-threaded and wasm
//! code does not run while a slice of memory is borrowed, except inside `realloc`, which
//! takes `&mut Cx` and so cannot overlap a borrow.
#![allow(unsafe_code)]

use crate::handles::Table;
use crate::trap;
use core::marker::PhantomData;
use smelt_contract::Trap;
pub use smelt_contract::layout::VMLowering;
use smelt_contract::layout::VMMemory;

/// A host resource type: its tag in handle tables.
pub trait Resource {
    /// The type's tag.
    const TAG: u32;
}

/// A value the Canonical ABI can move between the host and wasm.
pub trait Abi: Sized {
    /// Size in memory.
    const SIZE: u32;
    /// Alignment in memory.
    const ALIGN: u32;
    /// Number of flat values.
    const FLAT: u32;
    /// Loads the value at `ptr` (aligned, in bounds: checked by the caller).
    fn load(cx: &mut Cx, ptr: u32) -> Self;
    /// Stores the value at `ptr`.
    fn store(self, cx: &mut Cx, ptr: u32);
    /// Lifts the value from flat values.
    fn lift(cx: &mut Cx, flat: &mut Flat) -> Self;
    /// Lowers the value to flat values.
    fn lower(self, cx: &mut Cx, out: &mut FlatOut);
}

/// A trap for a discriminant that names no case.
pub fn invalid_discriminant() -> ! {
    trap::raise(Trap::InvalidDiscriminant)
}

const fn align_to(x: u32, align: u32) -> u32 {
    x.div_ceil(align) * align
}

const fn max(a: u32, b: u32) -> u32 {
    if a > b { a } else { b }
}

/// Flat arguments being lifted: each a `u64` holding the value's bits zero-extended, so a
/// joined slot of a variant reads back by reinterpretation.
pub struct Flat<'a> {
    values: &'a [u64],
    pos: usize,
}

impl<'a> Flat<'a> {
    /// The arguments.
    pub fn new(values: &'a [u64]) -> Flat<'a> {
        Flat { values, pos: 0 }
    }

    /// The next value (0 past the end: only variant padding is ever read there).
    pub fn next(&mut self) -> u64 {
        let v = self.values.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        v
    }

    /// How many values were read.
    pub fn position(&self) -> u32 {
        self.pos as u32
    }

    /// Skips to `pos` (the end of a variant's joined payload).
    pub fn seek(&mut self, pos: u32) {
        self.pos = pos as usize;
    }
}

/// Flat results being lowered.
pub struct FlatOut {
    values: [u64; 16],
    len: usize,
}

impl Default for FlatOut {
    fn default() -> Self {
        FlatOut::new()
    }
}

impl FlatOut {
    /// No values yet.
    pub fn new() -> FlatOut {
        FlatOut {
            values: [0; 16],
            len: 0,
        }
    }

    /// Appends a value.
    pub fn push(&mut self, v: u64) {
        if let Some(slot) = self.values.get_mut(self.len) {
            *slot = v;
        }
        self.len += 1;
    }

    /// How many values were written.
    pub fn position(&self) -> u32 {
        self.len as u32
    }

    /// Appends zeros up to `pos`.
    pub fn pad_to(&mut self, pos: u32) {
        while (self.len as u32) < pos {
            self.push(0);
        }
    }

    /// Value `i`.
    #[inline]
    pub fn get(&self, i: usize) -> u64 {
        self.values[i]
    }
}

/// Text given in pieces: called with a sink, it passes its pieces to it in order.
pub type Text<'a> = dyn Fn(&mut dyn FnMut(&str)) + 'a;

/// One lowered call's context.
pub struct Cx {
    lowering: &'static VMLowering,
}

impl Cx {
    /// The context of a call whose lowering record is `lowering`.
    ///
    /// # Safety
    ///
    /// `lowering` is the static record the compiler emitted for the calling `canon lower`
    /// (module docs).
    pub unsafe fn new(lowering: *const VMLowering) -> Cx {
        // SAFETY: the caller's contract.
        let lowering = unsafe { &*lowering };
        Cx { lowering }
    }

    fn memory(&self) -> (*mut u8, u64) {
        let mem: *mut VMMemory = self.lowering.memory;
        if mem.is_null() {
            // Validation requires `(memory ...)` for every lowering that needs it.
            crate::io::fatal("host function called without a memory");
        }
        // SAFETY: a non-null memory is a live VMMemory (module docs).
        let mem = unsafe { &*mem };
        (mem.base, mem.length)
    }

    /// Checks that `[ptr, ptr + len)` is inside memory and `ptr` is aligned to `align`.
    #[inline]
    pub fn check(&self, ptr: u32, len: u64, align: u32) {
        if align > 1 && !ptr.is_multiple_of(align) {
            trap::raise(Trap::UnalignedPointer);
        }
        let (_, length) = self.memory();
        if u64::from(ptr) + len > length {
            trap::raise(Trap::MemoryOutOfBounds);
        }
    }

    /// The `len` bytes at `ptr`.
    #[inline]
    pub fn bytes(&self, ptr: u32, len: u32) -> &[u8] {
        self.check(ptr, len.into(), 1);
        let (base, _) = self.memory();
        // SAFETY: in bounds (checked), see the module docs.
        unsafe { core::slice::from_raw_parts(base.add(ptr as usize), len as usize) }
    }

    /// The `len` bytes at `ptr`, writable.
    #[inline]
    pub fn bytes_mut(&mut self, ptr: u32, len: u32) -> &mut [u8] {
        self.check(ptr, len.into(), 1);
        let (base, _) = self.memory();
        // SAFETY: in bounds (checked), see the module docs.
        unsafe { core::slice::from_raw_parts_mut(base.add(ptr as usize), len as usize) }
    }

    #[inline]
    fn load_array<const N: usize>(&self, ptr: u32) -> [u8; N] {
        let mut out = [0; N];
        out.copy_from_slice(self.bytes(ptr, N as u32));
        out
    }

    #[inline]
    fn store_array(&mut self, ptr: u32, bytes: &[u8]) {
        self.bytes_mut(ptr, bytes.len() as u32)
            .copy_from_slice(bytes);
    }

    /// Stores a function's result at the return pointer `ptr`.
    #[inline]
    pub fn store_result<T: Abi>(&mut self, ptr: u32, value: T) {
        self.check(ptr, T::SIZE.into(), T::ALIGN);
        value.store(self, ptr);
    }

    /// Allocates `size` bytes aligned to `align` in the caller's memory with its `realloc`.
    pub fn alloc(&mut self, align: u32, size: u32) -> u32 {
        let Some(realloc) = self.lowering.realloc else {
            crate::io::fatal("host function called without a realloc");
        };
        // SAFETY: the trampoline calls the wasm function (module docs); no slice of memory is
        // borrowed across the call (`&mut self`).
        let ptr = unsafe { realloc(0, 0, align, size) };
        self.check(ptr, size.into(), align);
        ptr
    }

    /// A new list of `len` elements in the caller's memory, every byte zero... or whatever
    /// `realloc` returned: the host must store every element.
    pub fn new_list<T: Abi>(&mut self, len: u32) -> List<T> {
        let size = u64::from(len) * u64::from(T::SIZE);
        if size > u64::from(u32::MAX) {
            trap::raise(Trap::MemoryOutOfBounds);
        }
        let ptr = self.alloc(T::ALIGN, size as u32);
        List::from_raw(ptr, len)
    }

    /// Stores `value` as element `i` of `list`.
    pub fn set<T: Abi>(&mut self, list: List<T>, i: u32, value: T) {
        debug_assert!(i < list.len);
        value.store(self, list.ptr + i * T::SIZE);
    }

    /// Element `i` of `list`.
    pub fn get<T: Abi>(&mut self, list: List<T>, i: u32) -> T {
        if i >= list.len {
            trap::raise(Trap::MemoryOutOfBounds);
        }
        T::load(self, list.ptr + i * T::SIZE)
    }

    /// The bytes of a `list<u8>`.
    pub fn list_bytes(&self, list: List<u8>) -> &[u8] {
        self.bytes(list.ptr, list.len)
    }

    /// A new string in the caller's memory and string encoding, from UTF-8 `s`.
    pub fn new_string(&mut self, s: &str) -> Str {
        match self.lowering.string_encoding {
            VMLowering::UTF16 | VMLowering::LATIN1_UTF16 => self.new_text(&|f| f(s)),
            _ => {
                let ptr = self.alloc(1, s.len() as u32);
                self.bytes_mut(ptr, s.len() as u32)
                    .copy_from_slice(s.as_bytes());
                Str {
                    ptr,
                    len: s.len() as u32,
                }
            }
        }
    }

    /// A new string in the caller's memory and string encoding, of the pieces `text` gives
    /// its callback in order (it is asked twice: to size the string, then to write it).
    pub fn new_text(&mut self, text: &Text<'_>) -> Str {
        let mut chars = 0u32;
        let mut utf8 = 0u32;
        let mut utf16 = 0u32;
        let mut latin1 = true;
        text(&mut |piece| {
            utf8 += piece.len() as u32;
            for c in piece.chars() {
                chars += 1;
                utf16 += c.len_utf16() as u32;
                latin1 &= (c as u32) < 0x100;
            }
        });
        // Code units: 1 byte of UTF-8 (copied piece by piece), 1 byte of Latin-1, 2 of UTF-16;
        // both latin1+utf16 forms are 2-aligned.
        #[derive(Clone, Copy, PartialEq)]
        enum Unit {
            Utf8,
            Latin1,
            Utf16,
        }
        let (unit, align, len, tag) = match self.lowering.string_encoding {
            VMLowering::UTF16 => (Unit::Utf16, 2, utf16, 0),
            VMLowering::LATIN1_UTF16 if latin1 => (Unit::Latin1, 2, chars, 0),
            VMLowering::LATIN1_UTF16 => (Unit::Utf16, 2, utf16, UTF16_TAG),
            _ => (Unit::Utf8, 1, utf8, 0),
        };
        let bytes = if unit == Unit::Utf16 { 2 * len } else { len };
        let ptr = self.alloc(align, bytes);
        let mut out = self.bytes_mut(ptr, bytes);
        text(&mut |piece| match unit {
            Unit::Utf8 => {
                let (head, rest) = core::mem::take(&mut out).split_at_mut(piece.len());
                head.copy_from_slice(piece.as_bytes());
                out = rest;
            }
            Unit::Latin1 => {
                for c in piece.chars() {
                    let (head, rest) = core::mem::take(&mut out).split_at_mut(1);
                    head[0] = c as u8;
                    out = rest;
                }
            }
            Unit::Utf16 => {
                for u in piece.encode_utf16() {
                    let (head, rest) = core::mem::take(&mut out).split_at_mut(2);
                    head.copy_from_slice(&u.to_le_bytes());
                    out = rest;
                }
            }
        });
        Str {
            ptr,
            len: len | tag,
        }
    }

    fn encoding_of(&self, s: Str) -> Encoding {
        match self.lowering.string_encoding {
            VMLowering::UTF16 => Encoding::Utf16,
            VMLowering::LATIN1_UTF16 if s.len & UTF16_TAG != 0 => Encoding::Utf16,
            VMLowering::LATIN1_UTF16 => Encoding::Latin1,
            _ => Encoding::Utf8,
        }
    }

    /// The length in UTF-8 of the string `s` (lifted, so valid in the caller's encoding).
    pub fn utf8_len(&self, s: Str) -> usize {
        match self.encoding_of(s) {
            Encoding::Utf8 => s.len as usize,
            _ => self.chars(s).map(char::len_utf8).sum(),
        }
    }

    /// Writes the string `s` in UTF-8 to `out`, which is [`Cx::utf8_len`] bytes long.
    pub fn utf8_into(&self, s: Str, out: &mut [u8]) {
        match self.encoding_of(s) {
            Encoding::Utf8 => out.copy_from_slice(self.bytes(s.ptr, s.len)),
            _ => {
                let mut at = 0;
                for c in self.chars(s) {
                    at += c.encode_utf8(&mut out[at..]).len();
                }
            }
        }
    }

    /// The characters of `s` in a Latin-1 or UTF-16 encoding.
    fn chars(&self, s: Str) -> impl Iterator<Item = char> + '_ {
        let (latin1, units): (&[u8], &[u8]) = match self.encoding_of(s) {
            Encoding::Latin1 => (self.bytes(s.ptr, s.len), &[]),
            Encoding::Utf16 => (&[], self.bytes(s.ptr, 2 * (s.len & !UTF16_TAG))),
            Encoding::Utf8 => (&[], &[]),
        };
        let latin1 = latin1.iter().map(|&b| char::from(b));
        let utf16 = char::decode_utf16(
            units
                .chunks_exact(2)
                .map(|u| u16::from_le_bytes([u[0], u[1]])),
        )
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER));
        latin1.chain(utf16)
    }

    /// The calling component instance's handle table.
    pub fn table(&mut self) -> Table<'_> {
        // SAFETY: the compiler's record names the instance's static table; `&mut self`
        // keeps this the only reference.
        unsafe { Table::new(self.lowering.handles) }
    }

    /// `canon resource.drop` of `handle` of host resource `R`: the owned resource if the
    /// handle owned it (the host must then destroy it), `None` for a borrow.
    pub fn drop_handle<R: Resource>(&mut self, handle: u32) -> Option<Own<R>> {
        let e = self.table().remove(handle, R::TAG);
        (e.flags & smelt_contract::layout::VMHandle::OWN != 0).then(|| Own::new(e.rep))
    }
}

/// The high bit of a `latin1+utf16` string's length: the string is UTF-16.
const UTF16_TAG: u32 = 1 << 31;

enum Encoding {
    Utf8,
    Utf16,
    Latin1,
}

/// A string in the caller's memory: pointer and length as the Canonical ABI stores them
/// (code units; `latin1+utf16` tags UTF-16 with the length's high bit).
#[derive(Clone, Copy, Debug)]
pub struct Str {
    /// Offset in the caller's memory.
    pub ptr: u32,
    /// Length, as stored.
    pub len: u32,
}

impl Abi for Str {
    const SIZE: u32 = 8;
    const ALIGN: u32 = 4;
    const FLAT: u32 = 2;
    #[inline]
    fn load(cx: &mut Cx, ptr: u32) -> Self {
        let ptr_ = u32::load(cx, ptr);
        let len = u32::load(cx, ptr + 4);
        Str::checked(cx, ptr_, len)
    }
    #[inline]
    fn store(self, cx: &mut Cx, ptr: u32) {
        self.ptr.store(cx, ptr);
        self.len.store(cx, ptr + 4);
    }
    #[inline]
    fn lift(cx: &mut Cx, flat: &mut Flat) -> Self {
        let ptr = flat.next() as u32;
        let len = flat.next() as u32;
        Str::checked(cx, ptr, len)
    }
    #[inline]
    fn lower(self, _: &mut Cx, out: &mut FlatOut) {
        out.push(self.ptr.into());
        out.push(self.len.into());
    }
}

impl Str {
    /// Lifts a string: in bounds, aligned and valid in the caller's encoding.
    fn checked(cx: &mut Cx, ptr: u32, len: u32) -> Str {
        let s = Str { ptr, len };
        match cx.encoding_of(s) {
            Encoding::Utf8 => {
                if core::str::from_utf8(cx.bytes(ptr, len)).is_err() {
                    trap::raise(Trap::InvalidString);
                }
            }
            Encoding::Latin1 => cx.check(ptr, len.into(), 2),
            Encoding::Utf16 => {
                let n = len & !UTF16_TAG;
                cx.check(ptr, 2 * u64::from(n), 2);
                let units = cx.bytes(ptr, 2 * n);
                let iter = units
                    .chunks_exact(2)
                    .map(|u| u16::from_le_bytes([u[0], u[1]]));
                if char::decode_utf16(iter).any(|c| c.is_err()) {
                    trap::raise(Trap::InvalidString);
                }
            }
        }
        s
    }
}

/// A list in the caller's memory.
#[derive(Debug)]
pub struct List<T> {
    /// Offset of the first element.
    pub ptr: u32,
    /// Number of elements.
    pub len: u32,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for List<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for List<T> {}

impl<T> List<T> {
    /// The list at `ptr` with `len` elements (not checked).
    pub fn from_raw(ptr: u32, len: u32) -> List<T> {
        List {
            ptr,
            len,
            _t: PhantomData,
        }
    }
}

impl<T: Abi> List<T> {
    fn checked(cx: &mut Cx, ptr: u32, len: u32) -> List<T> {
        cx.check(ptr, u64::from(len) * u64::from(T::SIZE), T::ALIGN);
        List::from_raw(ptr, len)
    }
}

impl<T: Abi> Abi for List<T> {
    const SIZE: u32 = 8;
    const ALIGN: u32 = 4;
    const FLAT: u32 = 2;
    #[inline]
    fn load(cx: &mut Cx, ptr: u32) -> Self {
        let p = u32::load(cx, ptr);
        let len = u32::load(cx, ptr + 4);
        List::checked(cx, p, len)
    }
    #[inline]
    fn store(self, cx: &mut Cx, ptr: u32) {
        self.ptr.store(cx, ptr);
        self.len.store(cx, ptr + 4);
    }
    #[inline]
    fn lift(cx: &mut Cx, flat: &mut Flat) -> Self {
        let p = flat.next() as u32;
        let len = flat.next() as u32;
        List::checked(cx, p, len)
    }
    #[inline]
    fn lower(self, _: &mut Cx, out: &mut FlatOut) {
        out.push(self.ptr.into());
        out.push(self.len.into());
    }
}

/// An owned host resource: its representation (the host's index). Lifting takes the handle
/// out of the caller's table; lowering puts a new handle in.
#[derive(Debug)]
pub struct Own<R> {
    /// The host's representation.
    pub rep: u32,
    _r: PhantomData<fn() -> R>,
}

impl<R> Clone for Own<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R> Copy for Own<R> {}

impl<R> Own<R> {
    /// The resource with representation `rep`.
    pub fn new(rep: u32) -> Own<R> {
        Own {
            rep,
            _r: PhantomData,
        }
    }
}

impl<R: Resource> Own<R> {
    fn from_handle(cx: &mut Cx, handle: u32) -> Self {
        let e = cx.table().get(handle, R::TAG).flags;
        if e & smelt_contract::layout::VMHandle::OWN == 0 {
            trap::raise(Trap::UnknownHandle);
        }
        Own::new(cx.table().remove(handle, R::TAG).rep)
    }

    fn to_handle(self, cx: &mut Cx) -> u32 {
        cx.table()
            .insert(R::TAG, self.rep, smelt_contract::layout::VMHandle::OWN)
    }
}

impl<R: Resource> Abi for Own<R> {
    const SIZE: u32 = 4;
    const ALIGN: u32 = 4;
    const FLAT: u32 = 1;
    #[inline]
    fn load(cx: &mut Cx, ptr: u32) -> Self {
        let h = u32::load(cx, ptr);
        Own::from_handle(cx, h)
    }
    #[inline]
    fn store(self, cx: &mut Cx, ptr: u32) {
        let h = self.to_handle(cx);
        h.store(cx, ptr);
    }
    #[inline]
    fn lift(cx: &mut Cx, flat: &mut Flat) -> Self {
        let h = flat.next() as u32;
        Own::from_handle(cx, h)
    }
    #[inline]
    fn lower(self, cx: &mut Cx, out: &mut FlatOut) {
        let h = self.to_handle(cx);
        out.push(h.into());
    }
}

/// A borrowed host resource: its representation, for the duration of the call.
#[derive(Debug)]
pub struct Borrow<R> {
    /// The host's representation.
    pub rep: u32,
    _r: PhantomData<fn() -> R>,
}

impl<R> Clone for Borrow<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R> Copy for Borrow<R> {}

impl<R> Borrow<R> {
    /// The resource with representation `rep`.
    pub fn new(rep: u32) -> Borrow<R> {
        Borrow {
            rep,
            _r: PhantomData,
        }
    }
}

impl<R: Resource> Abi for Borrow<R> {
    const SIZE: u32 = 4;
    const ALIGN: u32 = 4;
    const FLAT: u32 = 1;
    #[inline]
    fn load(cx: &mut Cx, ptr: u32) -> Self {
        let h = u32::load(cx, ptr);
        Borrow::new(cx.table().get(h, R::TAG).rep)
    }
    #[inline]
    fn store(self, _: &mut Cx, _: u32) {
        // The host never returns a borrow to wasm: WASI 0.2 has no such result.
        crate::io::fatal("a host function returned a borrowed handle")
    }
    #[inline]
    fn lift(cx: &mut Cx, flat: &mut Flat) -> Self {
        let h = flat.next() as u32;
        Borrow::new(cx.table().get(h, R::TAG).rep)
    }
    #[inline]
    fn lower(self, _: &mut Cx, _: &mut FlatOut) {
        crate::io::fatal("a host function returned a borrowed handle")
    }
}

macro_rules! int_abi {
    ($($t:ty),*) => {$(
        impl Abi for $t {
            const SIZE: u32 = core::mem::size_of::<$t>() as u32;
            const ALIGN: u32 = core::mem::size_of::<$t>() as u32;
            const FLAT: u32 = 1;
            #[inline]
            fn load(cx: &mut Cx, ptr: u32) -> Self {
                <$t>::from_le_bytes(cx.load_array(ptr))
            }
            #[inline]
            fn store(self, cx: &mut Cx, ptr: u32) {
                cx.store_array(ptr, &self.to_le_bytes())
            }
            #[inline]
            fn lift(_: &mut Cx, flat: &mut Flat) -> Self {
                // Narrow integers are lifted by wrapping, as `lift_flat` does.
                flat.next() as $t
            }
            #[inline]
            fn lower(self, _: &mut Cx, out: &mut FlatOut) {
                // Sign-extended to 32 bits (i32 slots hold 32 bits), zero-extended beyond.
                let v = self as i64;
                out.push(if Self::SIZE <= 4 { v as u32 as u64 } else { v as u64 });
            }
        }
    )*};
}
int_abi!(u8, u16, u32, u64, i8, i16, i32, i64);

impl Abi for f32 {
    const SIZE: u32 = 4;
    const ALIGN: u32 = 4;
    const FLAT: u32 = 1;
    #[inline]
    fn load(cx: &mut Cx, ptr: u32) -> Self {
        f32::from_bits(u32::load(cx, ptr))
    }
    #[inline]
    fn store(self, cx: &mut Cx, ptr: u32) {
        self.to_bits().store(cx, ptr)
    }
    #[inline]
    fn lift(_: &mut Cx, flat: &mut Flat) -> Self {
        f32::from_bits(flat.next() as u32)
    }
    #[inline]
    fn lower(self, _: &mut Cx, out: &mut FlatOut) {
        out.push(self.to_bits().into())
    }
}

impl Abi for f64 {
    const SIZE: u32 = 8;
    const ALIGN: u32 = 8;
    const FLAT: u32 = 1;
    #[inline]
    fn load(cx: &mut Cx, ptr: u32) -> Self {
        f64::from_bits(u64::load(cx, ptr))
    }
    #[inline]
    fn store(self, cx: &mut Cx, ptr: u32) {
        self.to_bits().store(cx, ptr)
    }
    #[inline]
    fn lift(_: &mut Cx, flat: &mut Flat) -> Self {
        f64::from_bits(flat.next())
    }
    #[inline]
    fn lower(self, _: &mut Cx, out: &mut FlatOut) {
        out.push(self.to_bits())
    }
}

impl Abi for bool {
    const SIZE: u32 = 1;
    const ALIGN: u32 = 1;
    const FLAT: u32 = 1;
    #[inline]
    fn load(cx: &mut Cx, ptr: u32) -> Self {
        u8::load(cx, ptr) != 0
    }
    #[inline]
    fn store(self, cx: &mut Cx, ptr: u32) {
        u8::from(self).store(cx, ptr)
    }
    #[inline]
    fn lift(_: &mut Cx, flat: &mut Flat) -> Self {
        flat.next() as u32 != 0
    }
    #[inline]
    fn lower(self, _: &mut Cx, out: &mut FlatOut) {
        out.push(self.into())
    }
}

impl Abi for char {
    const SIZE: u32 = 4;
    const ALIGN: u32 = 4;
    const FLAT: u32 = 1;
    #[inline]
    fn load(cx: &mut Cx, ptr: u32) -> Self {
        char::from_u32(u32::load(cx, ptr)).unwrap_or_else(|| invalid_discriminant())
    }
    #[inline]
    fn store(self, cx: &mut Cx, ptr: u32) {
        (self as u32).store(cx, ptr)
    }
    #[inline]
    fn lift(_: &mut Cx, flat: &mut Flat) -> Self {
        char::from_u32(flat.next() as u32).unwrap_or_else(|| invalid_discriminant())
    }
    #[inline]
    fn lower(self, _: &mut Cx, out: &mut FlatOut) {
        out.push(u64::from(self as u32))
    }
}

impl Abi for () {
    const SIZE: u32 = 0;
    const ALIGN: u32 = 1;
    const FLAT: u32 = 0;
    #[inline]
    fn load(_: &mut Cx, _: u32) -> Self {}
    #[inline]
    fn store(self, _: &mut Cx, _: u32) {}
    #[inline]
    fn lift(_: &mut Cx, _: &mut Flat) -> Self {}
    #[inline]
    fn lower(self, _: &mut Cx, _: &mut FlatOut) {}
}

impl<T: Abi> Abi for Option<T> {
    const ALIGN: u32 = max(1, T::ALIGN);
    const SIZE: u32 = align_to(align_to(1, T::ALIGN) + T::SIZE, Self::ALIGN);
    const FLAT: u32 = 1 + T::FLAT;
    #[inline]
    fn load(cx: &mut Cx, ptr: u32) -> Self {
        match u8::load(cx, ptr) {
            0 => None,
            1 => Some(T::load(cx, ptr + align_to(1, T::ALIGN))),
            _ => invalid_discriminant(),
        }
    }
    #[inline]
    fn store(self, cx: &mut Cx, ptr: u32) {
        match self {
            None => 0u8.store(cx, ptr),
            Some(v) => {
                1u8.store(cx, ptr);
                v.store(cx, ptr + align_to(1, T::ALIGN));
            }
        }
    }
    #[inline]
    fn lift(cx: &mut Cx, flat: &mut Flat) -> Self {
        let end = flat.position() + Self::FLAT;
        let v = match flat.next() as u32 {
            0 => None,
            1 => Some(T::lift(cx, flat)),
            _ => invalid_discriminant(),
        };
        flat.seek(end);
        v
    }
    #[inline]
    fn lower(self, cx: &mut Cx, out: &mut FlatOut) {
        let end = out.position() + Self::FLAT;
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.lower(cx, out);
            }
        }
        out.pad_to(end);
    }
}

impl<T: Abi, E: Abi> Abi for Result<T, E> {
    const ALIGN: u32 = max(1, max(T::ALIGN, E::ALIGN));
    const SIZE: u32 = align_to(
        align_to(1, max(T::ALIGN, E::ALIGN)) + max(T::SIZE, E::SIZE),
        Self::ALIGN,
    );
    const FLAT: u32 = 1 + max(T::FLAT, E::FLAT);
    #[inline]
    fn load(cx: &mut Cx, ptr: u32) -> Self {
        let payload = ptr + align_to(1, max(T::ALIGN, E::ALIGN));
        match u8::load(cx, ptr) {
            0 => Ok(T::load(cx, payload)),
            1 => Err(E::load(cx, payload)),
            _ => invalid_discriminant(),
        }
    }
    #[inline]
    fn store(self, cx: &mut Cx, ptr: u32) {
        let payload = ptr + align_to(1, max(T::ALIGN, E::ALIGN));
        match self {
            Ok(v) => {
                0u8.store(cx, ptr);
                v.store(cx, payload);
            }
            Err(e) => {
                1u8.store(cx, ptr);
                e.store(cx, payload);
            }
        }
    }
    #[inline]
    fn lift(cx: &mut Cx, flat: &mut Flat) -> Self {
        let end = flat.position() + Self::FLAT;
        let v = match flat.next() as u32 {
            0 => Ok(T::lift(cx, flat)),
            1 => Err(E::lift(cx, flat)),
            _ => invalid_discriminant(),
        };
        flat.seek(end);
        v
    }
    #[inline]
    fn lower(self, cx: &mut Cx, out: &mut FlatOut) {
        let end = out.position() + Self::FLAT;
        match self {
            Ok(v) => {
                out.push(0);
                v.lower(cx, out);
            }
            Err(e) => {
                out.push(1);
                e.lower(cx, out);
            }
        }
        out.pad_to(end);
    }
}

macro_rules! tuple_abi {
    ($(($($t:ident $v:ident),+))*) => {$(
        impl<$($t: Abi),+> Abi for ($($t,)+) {
            const ALIGN: u32 = { let mut a = 1; $(a = max(a, $t::ALIGN);)+ a };
            const SIZE: u32 = {
                let mut s = 0;
                $(s = align_to(s, $t::ALIGN) + $t::SIZE;)+
                align_to(s, Self::ALIGN)
            };
            const FLAT: u32 = 0 $(+ $t::FLAT)+;
            #[inline]
            fn load(cx: &mut Cx, ptr: u32) -> Self {
                let mut off = 0;
                ($({
                    off = align_to(off, $t::ALIGN);
                    let v = $t::load(cx, ptr + off);
                    #[allow(unused_assignments)]
                    { off += $t::SIZE; }
                    v
                },)+)
            }
            #[inline]
            fn store(self, cx: &mut Cx, ptr: u32) {
                let ($($v,)+) = self;
                let mut off = 0;
                $(
                    off = align_to(off, $t::ALIGN);
                    $v.store(cx, ptr + off);
                    #[allow(unused_assignments)]
                    { off += $t::SIZE; }
                )+
            }
            #[inline]
            fn lift(cx: &mut Cx, flat: &mut Flat) -> Self {
                ($($t::lift(cx, flat),)+)
            }
            #[inline]
            fn lower(self, cx: &mut Cx, out: &mut FlatOut) {
                let ($($v,)+) = self;
                $($v.lower(cx, out);)+
            }
        }
    )*};
}
tuple_abi! {
    (A a)
    (A a, B b)
    (A a, B b, C c)
    (A a, B b, C c, D d)
    // wasi:sockets' `ipv6-address`
    (A a, B b, C c, D d, E e, F f, G g, H h)
}
