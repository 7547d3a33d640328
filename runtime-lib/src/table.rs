//! Tables: element storage, growth and the bulk-table operations.
//!
//! A table's elements live in an anonymous mapping of `capacity` pointer-sized slots, whole
//! host pages. Growing past the capacity moves the elements to a larger mapping (so `base`
//! may change on `table.grow`; compiled code reloads it).
//!
//! Invariant: `length <= capacity`, `length <= max`, and `[base, base + capacity)` is mapped
//! read-write.
//!
//! The bulk operations check every range before touching any element, so a trapping
//! operation writes nothing.
//!
//! # Safety
//!
//! The builtins receive pointers to the compiler's static `VMTable` and `VMSegment` records;
//! the accesses they make are inside ranges just checked against the invariant above.
#![allow(unsafe_code)]

use core::ptr;

use smelt_contract::Trap;
use smelt_contract::layout::{VMSegment, VMTable};

use crate::{io, start, sys, trap};

const ELEMENT: u64 = size_of::<usize>() as u64;

/// A fresh mapping for at least `count` elements: its base and capacity in elements.
fn allocate(count: u64) -> Option<(*mut usize, u64)> {
    let page = start::page_size() as u64;
    let bytes = count
        .max(1)
        .checked_mul(ELEMENT)?
        .checked_next_multiple_of(page)?;
    let base = sys::mmap_anon(usize::try_from(bytes).ok()?, sys::PROT_READ_WRITE, false).ok()?;
    Some((base.cast(), bytes / ELEMENT))
}

/// Allocates a table's `length` elements (set by the compiler), all `init`.
///
/// # Safety
///
/// `table` points at a table record that has not been set up yet.
pub unsafe fn table_new(table: *mut VMTable, init: usize) {
    // SAFETY: the compiler passes its static record, which nothing else uses during set-up.
    let table = unsafe { &mut *table };
    let Some((base, capacity)) = allocate(table.length) else {
        io::fatal("cannot allocate a table");
    };
    table.base = base;
    table.capacity = capacity;
    // SAFETY: `length <= capacity` elements of the fresh mapping.
    unsafe { fill_unchecked(base, init, table.length) };
}

/// `table.grow`: the old length, or `u64::MAX` if the table cannot grow by `delta`.
///
/// # Safety
///
/// `table` points at a table set up by [`table_new`].
pub unsafe fn table_grow(table: *mut VMTable, delta: u64, init: usize) -> u64 {
    // SAFETY: the compiler passes its static record; wasm code is suspended in this call.
    let table = unsafe { &mut *table };
    let old = table.length;
    let Some(new) = old.checked_add(delta).filter(|&new| new <= table.max) else {
        return u64::MAX;
    };
    if new > table.capacity {
        let wanted = new.max(table.capacity.saturating_mul(2)).min(table.max);
        let Some((base, capacity)) = allocate(wanted).or_else(|| allocate(new)) else {
            return u64::MAX;
        };
        // SAFETY: the old `length` elements move to the new, larger mapping; the old mapping
        // is then unused (compiled code reloads `base` after calls that may grow).
        unsafe {
            ptr::copy_nonoverlapping(table.base, base, old as usize);
            let _ = sys::munmap(table.base.cast(), (table.capacity * ELEMENT) as usize);
        }
        table.base = base;
        table.capacity = capacity;
    }
    // SAFETY: `[old, new)` is inside the capacity.
    unsafe { fill_unchecked(table.base.add(old as usize), init, delta) };
    table.length = new;
    old
}

/// # Safety
///
/// `[dst, dst + len)` must be writable elements.
unsafe fn fill_unchecked(dst: *mut usize, val: usize, len: u64) {
    for i in 0..len as usize {
        // SAFETY: per the caller.
        unsafe { dst.add(i).write(val) };
    }
}

/// The address of elements `[start, start + len)` of `table`, or a `TableOutOfBounds` trap.
fn range(table: &VMTable, start: u64, len: u64) -> *mut usize {
    match start.checked_add(len) {
        // SAFETY: `start <= length`, so the pointer stays inside the elements.
        Some(end) if end <= table.length => unsafe { table.base.add(start as usize) },
        _ => trap::raise(Trap::TableOutOfBounds),
    }
}

/// `table.fill`.
///
/// # Safety
///
/// `table` points at a table set up by [`table_new`].
pub unsafe fn table_fill(table: *mut VMTable, dst: u64, val: usize, len: u64) {
    // SAFETY: a set-up table record.
    let table = unsafe { &*table };
    let dst = range(table, dst, len);
    // SAFETY: just checked.
    unsafe { fill_unchecked(dst, val, len) }
}

/// `table.copy`; the two tables may be the same and the ranges may overlap.
///
/// # Safety
///
/// Both pointers point at tables set up by [`table_new`].
pub unsafe fn table_copy(
    dst_table: *mut VMTable,
    src_table: *mut VMTable,
    dst: u64,
    src: u64,
    len: u64,
) {
    // SAFETY: set-up table records, only read (they may be the same record).
    let (dst_table, src_table) = unsafe { (&*dst_table, &*src_table) };
    let src = range(src_table, src, len);
    let dst = range(dst_table, dst, len);
    // SAFETY: both ranges were just checked; `copy` allows overlap.
    unsafe { ptr::copy(src, dst, len as usize) }
}

/// `table.init` from an element segment of pointer-sized elements (whose `length` is 0 once
/// dropped).
///
/// # Safety
///
/// `table` points at a table set up by [`table_new`], `seg` at an element segment record.
pub unsafe fn table_init(table: *mut VMTable, seg: *mut VMSegment, dst: u64, src: u32, len: u32) {
    // SAFETY: the compiler's static records, only read.
    let (table, seg) = unsafe { (&*table, &*seg) };
    let (src, len) = (u64::from(src), u64::from(len));
    if src.checked_add(len).is_none_or(|end| end > seg.length) {
        trap::raise(Trap::TableOutOfBounds);
    }
    let dst = range(table, dst, len);
    if len == 0 {
        return; // a dropped segment's base may be null
    }
    // SAFETY: `[src, src + len)` is inside the segment's elements and `dst` inside the table;
    // segments are static data, never table storage. Copied as bytes: the segment need not
    // be aligned.
    unsafe {
        let src = seg.base.add((src * ELEMENT) as usize);
        ptr::copy_nonoverlapping(src, dst.cast::<u8>(), (len * ELEMENT) as usize);
    }
}
