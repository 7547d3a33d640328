//! Layouts of the static structures that compiled code and the runtime share.
//!
//! smelt resolves the whole instantiation graph at compile time, so every memory, table,
//! global and segment of every instance is one statically allocated object with its own
//! symbol. Compiled code addresses them PC-relatively; the runtime receives pointers to them
//! as builtin arguments. There is no per-instance context register.
//!
//! Invariant: every `*_OFFSET` / `*_SIZE` constant equals the `repr(C)` layout (checked below
//! at compile time); the compiler only ever uses the constants.

use core::mem::{offset_of, size_of};

/// A linear memory. Defined memories are zero-initialised statics that the instance's
/// initialiser hands to the runtime (`memory_new`), which reserves address space and fills in
/// every field.
///
/// Invariant: `base` never changes after `memory_new`: the reservation covers the largest size
/// the memory may ever grow to, so compiled code may treat the base as loop-invariant.
#[repr(C)]
#[derive(Debug)]
pub struct VMMemory {
    /// Start of the memory.
    pub base: *mut u8,
    /// Current accessible size in bytes.
    pub length: u64,
    /// Largest size in pages the memory may grow to (the module's maximum, capped by the
    /// build-time `--max-memory` limit).
    pub max_pages: u64,
    /// Bytes of address space reserved at `base` (accessible part plus guard region).
    pub reserved: u64,
    /// Size in pages the memory starts with.
    pub min_pages: u64,
    /// log2 of the page size (16 for 64 KiB pages).
    pub page_size_log2: u32,
    /// Flags: [`VMMemory::FLAG_64`].
    pub flags: u32,
}

impl VMMemory {
    /// Offset of `base`.
    pub const BASE_OFFSET: u32 = 0;
    /// Offset of `length`.
    pub const LENGTH_OFFSET: u32 = 8;
    /// Offset of `max_pages`.
    pub const MAX_PAGES_OFFSET: u32 = 16;
    /// Offset of `reserved`.
    pub const RESERVED_OFFSET: u32 = 24;
    /// Offset of `min_pages`.
    pub const MIN_PAGES_OFFSET: u32 = 32;
    /// Offset of `page_size_log2`.
    pub const PAGE_SIZE_LOG2_OFFSET: u32 = 40;
    /// Offset of `flags`.
    pub const FLAGS_OFFSET: u32 = 44;
    /// Size of the structure.
    pub const SIZE: u32 = 48;
    /// The memory is a memory64 (i64 addresses). Compiled code bounds-checks its accesses.
    pub const FLAG_64: u32 = 1;
    /// Compiled code bounds-checks every access to this 32-bit memory against `length`, so
    /// the runtime reserves only its largest size plus [`CHECKED_MEMORY_GUARD`] instead of
    /// [`MEMORY32_RESERVATION`] (for custom page sizes, or to keep reservations small).
    pub const FLAG_BOUNDS_CHECKED: u32 = 2;
}

/// A table of references (funcref or externref), each one pointer-sized.
///
/// A funcref element is a pointer to a [`VMFuncRef`] or null; an externref element is the
/// host's opaque pointer-sized value or null.
#[repr(C)]
#[derive(Debug)]
pub struct VMTable {
    /// The elements.
    pub base: *mut usize,
    /// Current number of elements.
    pub length: u64,
    /// Maximum number of elements.
    pub max: u64,
    /// Number of elements allocated at `base`.
    pub capacity: u64,
}

impl VMTable {
    /// Offset of `base`.
    pub const BASE_OFFSET: u32 = 0;
    /// Offset of `length`.
    pub const LENGTH_OFFSET: u32 = 8;
    /// Offset of `max`.
    pub const MAX_OFFSET: u32 = 16;
    /// Offset of `capacity`.
    pub const CAPACITY_OFFSET: u32 = 24;
    /// Size of the structure.
    pub const SIZE: u32 = 32;
}

/// What a funcref points to: one static record per function whose reference escapes
/// (element segments, `ref.func`, exports).
#[repr(C)]
#[derive(Debug)]
pub struct VMFuncRef {
    /// The function's code (Cranelift `tail` calling convention).
    pub code: *const u8,
    /// Program-wide canonical index of the function's type: equal types, equal ids.
    pub type_id: u32,
    /// Unused, keeps the record 16 bytes.
    pub _pad: u32,
}

impl VMFuncRef {
    /// Offset of `code`.
    pub const CODE_OFFSET: u32 = 0;
    /// Offset of `type_id`.
    pub const TYPE_ID_OFFSET: u32 = 8;
    /// Size of the record.
    pub const SIZE: u32 = 16;
}

/// A data or element segment: its bytes (data) or pointer-sized elements (element) in
/// read-only or initialised data, and its remaining length. `data.drop` / `elem.drop` set
/// `length` to 0.
#[repr(C)]
#[derive(Debug)]
pub struct VMSegment {
    /// The contents.
    pub base: *const u8,
    /// Length in bytes (data) or in elements (element segments).
    pub length: u64,
}

impl VMSegment {
    /// Offset of `base`.
    pub const BASE_OFFSET: u32 = 0;
    /// Offset of `length`.
    pub const LENGTH_OFFSET: u32 = 8;
    /// Size of the structure.
    pub const SIZE: u32 = 16;
}

/// The canonical options of one `canon lower` of a host function, and the calling component
/// instance's handle table: compiled code passes a pointer to this static record as the first
/// argument of every host function
/// (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#canonical-abi-options>).
#[repr(C)]
#[derive(Debug)]
pub struct VMLowering {
    /// `(memory ...)`, or null: the memory the host reads lists and strings from and writes
    /// results to.
    pub memory: *mut VMMemory,
    /// `(realloc ...)`, or null: a C-ABI trampoline `(old_ptr, old_size, align, new_size) ->
    /// ptr` into the wasm function, through which the host allocates lists and strings it
    /// returns.
    pub realloc: Option<unsafe extern "C" fn(u32, u32, u32, u32) -> u32>,
    /// The handle table of the component instance that lowered the function.
    pub handles: *mut VMHandleTable,
    /// `string-encoding=`: [`VMLowering::UTF8`], [`VMLowering::UTF16`] or
    /// [`VMLowering::LATIN1_UTF16`].
    pub string_encoding: u32,
    /// Unused, keeps the record a multiple of 8 bytes.
    pub _pad: u32,
}

impl VMLowering {
    /// Offset of `memory`.
    pub const MEMORY_OFFSET: u32 = 0;
    /// Offset of `realloc`.
    pub const REALLOC_OFFSET: u32 = 8;
    /// Offset of `handles`.
    pub const HANDLES_OFFSET: u32 = 16;
    /// Offset of `string_encoding`.
    pub const STRING_ENCODING_OFFSET: u32 = 24;
    /// Size of the record.
    pub const SIZE: u32 = 32;
    /// `string-encoding=utf8` (the default).
    pub const UTF8: u32 = 0;
    /// `string-encoding=utf16`.
    pub const UTF16: u32 = 1;
    /// `string-encoding=latin1+utf16`.
    pub const LATIN1_UTF16: u32 = 2;
}

/// The resource handle table of one component instance
/// (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#table-state>).
/// A zero-initialised static (no storage yet); the runtime reserves `entries` on first use.
/// Handle `h` is `entries[h]`; entry 0 is never used, so handle 0 is never valid.
#[repr(C)]
#[derive(Debug)]
pub struct VMHandleTable {
    /// The entries, or null before the first handle is made.
    pub entries: *mut VMHandle,
    /// Entries in use or on the free list (the next new handle is `len` when the free list
    /// is empty); at least 1 once `entries` is set.
    pub len: u32,
    /// Head of the free list (a free entry's `rep` links to the next), 0 when empty.
    pub free: u32,
}

impl VMHandleTable {
    /// Size of the structure.
    pub const SIZE: u32 = 16;
}

/// One entry of a [`VMHandleTable`].
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct VMHandle {
    /// The resource type's tag (host resources from 1, in `wit/` order; guest resources after
    /// them), or 0 for a free entry.
    pub tag: u32,
    /// The representation: the host's or the defining component's index of the resource.
    pub rep: u32,
    /// [`VMHandle::OWN`] or [`VMHandle::BORROW`].
    pub flags: u32,
    /// Borrows lent out from this `own` handle and not yet returned (it cannot be dropped
    /// while non-zero); for a `borrow` handle, the scope (call) it belongs to.
    pub lends: u32,
}

impl VMHandle {
    /// An owning handle.
    pub const OWN: u32 = 1;
    /// A borrowed handle.
    pub const BORROW: u32 = 2;
}

/// Bytes of address space `memory_new` reserves for a 32-bit memory that compiled code does
/// not bounds-check (no [`VMMemory::FLAG_64`], no [`VMMemory::FLAG_BOUNDS_CHECKED`]): 8 GiB
/// plus 64 KiB, so that `base + index + offset + access_size` for any 32-bit `index`, any
/// 32-bit static `offset` and accesses of up to 16 bytes lies inside the reservation.
/// Everything past `length` is inaccessible (PROT_NONE) and faults, and the fault is a
/// `MemoryOutOfBounds` trap at a recorded trap site.
///
/// Exception: the runtime can only protect whole host pages, so bytes between `length` and
/// the next host-page boundary (4 KiB, or up to 64 KiB on some aarch64 kernels) stay
/// accessible. Memories whose page size is smaller than 64 KiB (custom page sizes) must be
/// bounds-checked explicitly.
///
/// Cost: address space only on Linux (about 16,000 such reservations fit in x86_64's 128 TiB),
/// but qemu-user 7.2 (Debian 12) keeps per-page bookkeeping for reserved ranges: each 8 GiB
/// reservation costs about 50 MB of host memory and 0.1 s under `qemu-aarch64` /
/// `qemu-riscv64`, so a few hundred exhaust a 24 GB machine.
pub const MEMORY32_RESERVATION: u64 = (8 << 30) + (64 << 10);

/// Bytes of inaccessible guard region after the largest size of a memory that compiled code
/// bounds-checks explicitly (a memory64, or one with [`VMMemory::FLAG_BOUNDS_CHECKED`]):
/// `memory_new` reserves `(max_pages << page_size_log2) + CHECKED_MEMORY_GUARD` bytes,
/// rounded up to whole host pages.
pub const CHECKED_MEMORY_GUARD: u64 = 64 << 10;

/// Size and alignment of one global's storage (enough for a v128).
pub const GLOBAL_SIZE: u32 = 16;

/// Size of one value slot in the array-call convention used by entry trampolines: each
/// parameter and result occupies one 16-byte slot, little-endian, at `slot * VALUE_SLOT_SIZE`.
/// Result `i` overwrites slot `i`, which may still hold a parameter's bytes, so a trampoline
/// writes each result's whole slot, zero-extended (an i32 result clears bytes 4..16): the
/// script-mode runtime prints every result slot as one 128-bit number.
pub const VALUE_SLOT_SIZE: u32 = 16;

const _: () = {
    assert!(offset_of!(VMMemory, base) as u32 == VMMemory::BASE_OFFSET);
    assert!(offset_of!(VMMemory, length) as u32 == VMMemory::LENGTH_OFFSET);
    assert!(offset_of!(VMMemory, max_pages) as u32 == VMMemory::MAX_PAGES_OFFSET);
    assert!(offset_of!(VMMemory, reserved) as u32 == VMMemory::RESERVED_OFFSET);
    assert!(offset_of!(VMMemory, min_pages) as u32 == VMMemory::MIN_PAGES_OFFSET);
    assert!(offset_of!(VMMemory, page_size_log2) as u32 == VMMemory::PAGE_SIZE_LOG2_OFFSET);
    assert!(offset_of!(VMMemory, flags) as u32 == VMMemory::FLAGS_OFFSET);
    assert!(size_of::<VMMemory>() as u32 == VMMemory::SIZE);
    assert!(offset_of!(VMTable, base) as u32 == VMTable::BASE_OFFSET);
    assert!(offset_of!(VMTable, length) as u32 == VMTable::LENGTH_OFFSET);
    assert!(offset_of!(VMTable, max) as u32 == VMTable::MAX_OFFSET);
    assert!(offset_of!(VMTable, capacity) as u32 == VMTable::CAPACITY_OFFSET);
    assert!(size_of::<VMTable>() as u32 == VMTable::SIZE);
    assert!(offset_of!(VMFuncRef, code) as u32 == VMFuncRef::CODE_OFFSET);
    assert!(offset_of!(VMFuncRef, type_id) as u32 == VMFuncRef::TYPE_ID_OFFSET);
    assert!(size_of::<VMFuncRef>() as u32 == VMFuncRef::SIZE);
    assert!(offset_of!(VMSegment, base) as u32 == VMSegment::BASE_OFFSET);
    assert!(offset_of!(VMSegment, length) as u32 == VMSegment::LENGTH_OFFSET);
    assert!(size_of::<VMSegment>() as u32 == VMSegment::SIZE);
    assert!(offset_of!(VMLowering, memory) as u32 == VMLowering::MEMORY_OFFSET);
    assert!(offset_of!(VMLowering, realloc) as u32 == VMLowering::REALLOC_OFFSET);
    assert!(offset_of!(VMLowering, handles) as u32 == VMLowering::HANDLES_OFFSET);
    assert!(offset_of!(VMLowering, string_encoding) as u32 == VMLowering::STRING_ENCODING_OFFSET);
    assert!(size_of::<VMLowering>() as u32 == VMLowering::SIZE);
    assert!(size_of::<VMHandleTable>() as u32 == VMHandleTable::SIZE);
    assert!(size_of::<VMHandle>() == 16);
};
