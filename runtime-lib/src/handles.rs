//! Resource handle tables, one per component instance (`VMHandleTable`, a static the compiler
//! emits): the Canonical ABI's `ResourceHandle` table
//! (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#table-state>).
//!
//! Invariants: entry 0 is never handed out; a free entry has tag 0 and links the free list
//! through `rep`; new handles reuse the most recently freed entry first, as the explainer's
//! table does, so handle numbers match other engines'. Storage is one reservation of
//! [`MAX_HANDLES`] entries made on first use; the kernel commits pages as they are touched.

#![allow(unsafe_code)]

use crate::sys;
use crate::trap;
use smelt_contract::Trap;
use smelt_contract::layout::{VMHandle, VMHandleTable};

/// The most handles one table holds at once (the explainer's limit is 2^28; this keeps the
/// reservation at 16 MiB).
pub const MAX_HANDLES: u32 = 1 << 20;

/// One component instance's table.
pub struct Table<'a>(&'a mut VMHandleTable);

impl<'a> Table<'a> {
    /// The table at `raw`.
    ///
    /// # Safety
    ///
    /// `raw` is a component instance's static table, not otherwise borrowed.
    pub unsafe fn new(raw: *mut VMHandleTable) -> Table<'a> {
        // SAFETY: the caller's contract.
        Table(unsafe { &mut *raw })
    }

    #[inline]
    fn entries(&mut self) -> &mut [VMHandle] {
        if self.0.entries.is_null() {
            let bytes = MAX_HANDLES as usize * core::mem::size_of::<VMHandle>();
            match sys::mmap_anon(bytes, sys::PROT_READ_WRITE, true) {
                Ok(p) => self.0.entries = p.cast(),
                Err(_) => crate::io::fatal("cannot reserve a resource handle table"),
            }
            self.0.len = 1;
        }
        // SAFETY: `entries` is a reservation of MAX_HANDLES zero-initialised entries, of
        // which the first `len` are in use or free; only this table refers to it.
        unsafe { core::slice::from_raw_parts_mut(self.0.entries, self.0.len as usize) }
    }

    /// Adds a handle for `rep` of resource type `tag` with `flags` and returns it.
    pub fn insert(&mut self, tag: u32, rep: u32, flags: u32) -> u32 {
        let entry = VMHandle {
            tag,
            rep,
            flags,
            lends: 0,
        };
        self.entries();
        let free = self.0.free;
        if free != 0 {
            let entries = self.entries();
            self.0.free = entries[free as usize].rep;
            self.entries()[free as usize] = entry;
            return free;
        }
        let h = self.0.len;
        if h >= MAX_HANDLES {
            crate::io::fatal("too many resource handles in one component instance");
        }
        self.0.len += 1;
        self.entries()[h as usize] = entry;
        h
    }

    /// The entry of handle `h`, which must hold a resource of type `tag`.
    #[inline]
    pub fn get(&mut self, h: u32, tag: u32) -> &mut VMHandle {
        match self.entries().get_mut(h as usize) {
            Some(e) if h != 0 && e.tag == tag && tag != 0 => e,
            _ => trap::raise(Trap::UnknownHandle),
        }
    }

    /// Whether handle `h` exists with type `tag` and `flags`.
    pub fn holds(&mut self, h: u32, tag: u32, flags: u32) -> bool {
        matches!(self.entries().get(h as usize), Some(e) if h != 0 && e.tag == tag && e.flags == flags)
    }

    /// Removes handle `h` (of type `tag`) and returns its entry. An `own` handle with
    /// borrows outstanding cannot be removed.
    pub fn remove(&mut self, h: u32, tag: u32) -> VMHandle {
        let e = *self.get(h, tag);
        if e.flags & VMHandle::OWN != 0 && e.lends != 0 {
            trap::raise(Trap::ResourceBorrowed);
        }
        let free = self.0.free;
        self.entries()[h as usize] = VMHandle {
            tag: 0,
            rep: free,
            flags: 0,
            lends: 0,
        };
        self.0.free = h;
        e
    }
}

/// The `resource_new` builtin.
///
/// # Safety
///
/// `table` is a component instance's static handle table.
pub unsafe fn resource_new(table: *mut VMHandleTable, tag: u32, rep: u32) -> u32 {
    // SAFETY: per the caller.
    unsafe { Table::new(table) }.insert(tag, rep, VMHandle::OWN)
}

/// The `resource_rep` builtin.
///
/// # Safety
///
/// As [`resource_new`].
pub unsafe fn resource_rep(table: *mut VMHandleTable, tag: u32, handle: u32) -> u32 {
    // SAFETY: per the caller.
    unsafe { Table::new(table) }.get(handle, tag).rep
}

/// The `resource_drop` builtin.
///
/// # Safety
///
/// As [`resource_new`].
pub unsafe fn resource_drop(table: *mut VMHandleTable, tag: u32, handle: u32) -> u64 {
    // SAFETY: per the caller.
    let e = unsafe { Table::new(table) }.remove(handle, tag);
    if e.flags & VMHandle::OWN != 0 {
        1 << 32 | u64::from(e.rep)
    } else {
        0
    }
}

/// The `resource_move` builtin.
///
/// # Safety
///
/// `from` and `to` are component instances' static handle tables.
pub unsafe fn resource_move(
    from: *mut VMHandleTable,
    to: *mut VMHandleTable,
    tag: u32,
    handle: u32,
) -> u32 {
    // SAFETY: per the caller; the two tables are used one after the other.
    let mut from = unsafe { Table::new(from) };
    if from.get(handle, tag).flags & VMHandle::OWN == 0 {
        trap::raise(Trap::UnknownHandle);
    }
    let rep = from.remove(handle, tag).rep;
    // SAFETY: per the caller.
    unsafe { Table::new(to) }.insert(tag, rep, VMHandle::OWN)
}

/// The `resource_lend` builtin.
///
/// # Safety
///
/// As [`resource_move`].
pub unsafe fn resource_lend(
    from: *mut VMHandleTable,
    to: *mut VMHandleTable,
    tag: u32,
    handle: u32,
    to_defines: u32,
) -> u32 {
    // SAFETY: per the caller.
    let mut from = unsafe { Table::new(from) };
    let e = from.get(handle, tag);
    if e.flags & VMHandle::OWN != 0 {
        e.lends += 1;
    }
    let rep = e.rep;
    if to_defines != 0 {
        return rep;
    }
    // SAFETY: per the caller.
    unsafe { Table::new(to) }.insert(tag, rep, VMHandle::BORROW)
}

/// The `resource_end_lend` builtin.
///
/// # Safety
///
/// As [`resource_move`].
pub unsafe fn resource_end_lend(
    from: *mut VMHandleTable,
    to: *mut VMHandleTable,
    tag: u32,
    from_handle: u32,
    to_handle: u32,
) {
    if from_handle == 0 {
        return;
    }
    if to_handle != 0 {
        // SAFETY: per the caller.
        let mut to = unsafe { Table::new(to) };
        if to.holds(to_handle, tag, VMHandle::BORROW) {
            // The callee returned without dropping its borrow handle.
            trap::raise(Trap::ResourceBorrowed);
        }
    }
    // SAFETY: per the caller.
    let mut from = unsafe { Table::new(from) };
    let e = from.get(from_handle, tag);
    if e.flags & VMHandle::OWN != 0 {
        e.lends = e.lends.saturating_sub(1);
    }
}
