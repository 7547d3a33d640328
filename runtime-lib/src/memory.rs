//! Linear memories: reservation, growth and the bulk-memory operations.
//!
//! A memory is one reservation of address space made by [`memory_new`] and never moved:
//! - a 32-bit memory reserves [`MEMORY32_RESERVATION`] bytes, so that every address a load or
//!   store can form (32-bit index + 32-bit offset + access size) lies inside it. Compiled code
//!   does not bounds-check these accesses; everything past `length` is `PROT_NONE` and faults;
//! - a memory that compiled code bounds-checks against `length` (a memory64, or a 32-bit
//!   memory with `FLAG_BOUNDS_CHECKED`) reserves its largest size plus
//!   [`CHECKED_MEMORY_GUARD`].
//!
//! Invariant: `[base, base + length)` (rounded up to whole host pages) is readable and
//! writable, the rest of `[base, base + reserved)` is `PROT_NONE`, and `length` is a whole
//! number of wasm pages that never exceeds `max_pages`, the index type's range (4 GiB for
//! 32-bit memories) nor the reservation's usable part.
//! Pages are zero when first exposed: they come straight from an anonymous mapping.
//!
//! The bulk operations check every range before touching any byte, so a trapping operation
//! writes nothing.
//!
//! # Safety
//!
//! The builtins receive pointers to the compiler's static `VMMemory` and `VMSegment` records;
//! the accesses they make are inside ranges just checked against the invariant above.
#![allow(unsafe_code)]

use core::ptr;
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use smelt_contract::Trap;
use smelt_contract::layout::{CHECKED_MEMORY_GUARD, MEMORY32_RESERVATION, VMMemory, VMSegment};

use crate::io::{self, Out, STDERR};
use crate::{start, sys, trap};

/// Largest size of a 32-bit memory in bytes.
const MEMORY32_MAX_BYTES: u64 = 1 << 32;

/// Largest page size (64 KiB pages, or smaller custom page sizes).
const MAX_PAGE_SIZE_LOG2: u32 = 16;

fn is_64(mem: &VMMemory) -> bool {
    mem.flags & VMMemory::FLAG_64 != 0
}

/// Whether compiled code checks accesses against `length` (rather than relying on faults).
fn is_checked(mem: &VMMemory) -> bool {
    mem.flags & (VMMemory::FLAG_64 | VMMemory::FLAG_BOUNDS_CHECKED) != 0
}

/// The largest size its index type allows the memory.
fn address_limit(mem: &VMMemory) -> u64 {
    if is_64(mem) {
        u64::MAX
    } else {
        MEMORY32_MAX_BYTES
    }
}

/// The largest `length` the memory can ever have, in bytes.
fn byte_limit(mem: &VMMemory) -> u64 {
    let page_limit = mem.max_pages.saturating_mul(1 << mem.page_size_log2);
    let reservation_limit = if is_checked(mem) {
        mem.reserved.saturating_sub(CHECKED_MEMORY_GUARD)
    } else {
        u64::MAX // MEMORY32_RESERVATION covers every 32-bit address
    };
    page_limit.min(address_limit(mem)).min(reservation_limit)
}

fn round_up(n: u64, page: u64) -> u64 {
    n.div_ceil(page) * page
}

/// Reserves and commits a memory whose `min_pages`, `max_pages`, `page_size_log2` and `flags`
/// are set.
///
/// # Safety
///
/// `mem` points at a memory record that has not been set up yet.
pub unsafe fn memory_new(mem: *mut VMMemory) {
    // SAFETY: the compiler passes its static record, which nothing else uses during set-up.
    let mem = unsafe { &mut *mem };
    if mem.page_size_log2 > MAX_PAGE_SIZE_LOG2 {
        io::fatal("a linear memory has an unsupported page size");
    }
    let reserved = if is_checked(mem) {
        mem.max_pages
            .checked_mul(1 << mem.page_size_log2)
            .map(|bytes| bytes.min(address_limit(mem)))
            .and_then(|bytes| bytes.checked_add(CHECKED_MEMORY_GUARD))
            .and_then(|bytes| bytes.checked_next_multiple_of(start::page_size() as u64))
            .unwrap_or(u64::MAX)
    } else {
        MEMORY32_RESERVATION
    };
    mem.reserved = reserved;
    let min_bytes = mem.min_pages.checked_mul(1 << mem.page_size_log2);
    let Some(min_bytes) = min_bytes.filter(|&bytes| bytes <= byte_limit(mem)) else {
        io::fatal("a linear memory's initial size exceeds its limit");
    };
    let base = usize::try_from(reserved)
        .map_err(|_| sys::Errno(12))
        .and_then(|len| sys::mmap_anon(len, sys::PROT_NONE, true));
    let base = match base {
        Ok(base) => base,
        Err(sys::Errno(errno)) => {
            Out::new(STDERR)
                .str("smelt runtime: cannot reserve ")
                .dec(reserved)
                .str(" bytes of address space for a linear memory (errno ")
                .dec(errno as u64)
                .str(")\n")
                .flush();
            sys::exit_group(io::RUNTIME_FAILURE)
        }
    };
    // Transparent huge pages for the memory (when the system's policy is `madvise`, the
    // common default): a fault maps 2 MiB instead of 4 KiB and the TLB covers 512 times
    // more. Only advice: it fails harmlessly where THP is off or unsupported.
    // SAFETY: the reservation was just made and belongs to this memory.
    let _ = unsafe { sys::madvise(base, reserved as usize, sys::MADV_HUGEPAGE) };
    track_reservation(base as usize, reserved as usize);
    mem.base = base;
    mem.length = 0;
    if commit(mem, min_bytes).is_err() {
        io::fatal("cannot commit a linear memory's initial pages");
    }
}

/// How many reservations [`is_reserved`] tracks one by one; a program with more memories has
/// any fault in wasm code taken as an out-of-bounds access.
const TRACKED_RESERVATIONS: usize = 64;

/// The reservations made so far (`[start, end)` pairs), for the signal handler: memories are
/// never unmapped, so an entry stays true for the rest of the run.
static RESERVATIONS: [[AtomicUsize; 2]; TRACKED_RESERVATIONS] =
    [const { [AtomicUsize::new(0), AtomicUsize::new(0)] }; TRACKED_RESERVATIONS];
/// Number of reservations made (may exceed [`TRACKED_RESERVATIONS`]).
static RESERVATION_COUNT: AtomicUsize = AtomicUsize::new(0);

fn track_reservation(base: usize, len: usize) {
    let i = RESERVATION_COUNT.fetch_add(1, Relaxed);
    if let Some([start, end]) = RESERVATIONS.get(i) {
        start.store(base, Relaxed);
        end.store(base.saturating_add(len), Relaxed);
    }
}

/// Whether `addr` lies inside a linear memory's reservation: a fault there from a wasm load
/// or store is an out-of-bounds access. Async-signal-safe (atomics only).
pub fn is_reserved(addr: usize) -> bool {
    let count = RESERVATION_COUNT.load(Relaxed);
    count > TRACKED_RESERVATIONS
        || RESERVATIONS[..count]
            .iter()
            .any(|[start, end]| (start.load(Relaxed)..end.load(Relaxed)).contains(&addr))
}

/// Makes `[length, new_length)` accessible and sets `length`.
fn commit(mem: &mut VMMemory, new_length: u64) -> Result<(), sys::Errno> {
    let page = start::page_size() as u64;
    let from = mem.length / page * page;
    let to = round_up(new_length, page);
    if to > from {
        // SAFETY: `[from, to)` lies inside the memory's reservation (new_length is within
        // `byte_limit`), which only this memory uses.
        unsafe {
            sys::mprotect(
                mem.base.add(from as usize),
                (to - from) as usize,
                sys::PROT_READ_WRITE,
            )?;
        }
    }
    mem.length = new_length;
    Ok(())
}

/// `memory.grow`: the old size in pages, or `u64::MAX` if the memory cannot grow by `delta`.
///
/// # Safety
///
/// `mem` points at a memory set up by [`memory_new`].
pub unsafe fn memory_grow(mem: *mut VMMemory, delta: u64) -> u64 {
    // SAFETY: the compiler passes its static record; wasm code is suspended in this call.
    let mem = unsafe { &mut *mem };
    let old_pages = mem.length >> mem.page_size_log2;
    let new_length = old_pages
        .checked_add(delta)
        .filter(|&pages| pages <= mem.max_pages)
        .and_then(|pages| pages.checked_mul(1 << mem.page_size_log2))
        .filter(|&bytes| bytes <= byte_limit(mem));
    match new_length {
        Some(bytes) if commit(mem, bytes).is_ok() => old_pages,
        _ => u64::MAX,
    }
}

/// The address of `[start, start + len)` in `mem`, or a `MemoryOutOfBounds` trap.
fn range(mem: &VMMemory, start: u64, len: u64) -> *mut u8 {
    match start.checked_add(len) {
        // SAFETY: `start <= length`, so the pointer stays inside the committed memory.
        Some(end) if end <= mem.length => unsafe { mem.base.add(start as usize) },
        _ => trap::raise(Trap::MemoryOutOfBounds),
    }
}

/// `memory.init` from a data segment (whose `length` is 0 once dropped).
///
/// # Safety
///
/// `mem` points at a memory set up by [`memory_new`], `seg` at a data segment record.
pub unsafe fn memory_init(mem: *mut VMMemory, seg: *mut VMSegment, dst: u64, src: u32, len: u32) {
    // SAFETY: the compiler's static records, only read.
    let (mem, seg) = unsafe { (&*mem, &*seg) };
    let (src, len) = (u64::from(src), u64::from(len));
    if src.checked_add(len).is_none_or(|end| end > seg.length) {
        trap::raise(Trap::MemoryOutOfBounds);
    }
    let dst = range(mem, dst, len);
    if len == 0 {
        return; // a dropped segment's base may be null
    }
    // SAFETY: `[src, src + len)` is inside the segment's bytes and `dst` inside the memory;
    // segments are read-only data, never wasm memory, so they do not overlap.
    unsafe { ptr::copy_nonoverlapping(seg.base.add(src as usize), dst, len as usize) }
}
