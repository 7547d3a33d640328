//! Storage for host resources: a [`Slab`] per resource type, inside a [`Global`].
//!
//! Invariants: the runtime is single-threaded; a [`Global::with`] closure never calls wasm
//! code (for example `Cx::alloc`, which runs the guest's `realloc`) and never re-enters the
//! same global, so its `&mut` is unique. A slab's storage is one reservation of
//! [`MAX_ENTRIES`] slots made on first use (the kernel commits pages as they are touched);
//! free slots are reused most recent first.
#![allow(unsafe_code)]

use core::cell::UnsafeCell;

/// Most live resources of one type.
pub const MAX_ENTRIES: u32 = 1 << 16;

/// A mutable global for the single-threaded runtime.
pub struct Global<T>(UnsafeCell<T>);

// SAFETY: the runtime runs one thread (module invariant).
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    /// A global holding `value`.
    pub const fn new(value: T) -> Global<T> {
        Global(UnsafeCell::new(value))
    }

    /// Runs `f` with the value (see the module invariants).
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: single thread, no re-entry (module invariants).
        f(unsafe { &mut *self.0.get() })
    }
}

enum Slot<T> {
    Free(u32),
    Used(T),
}

/// Values indexed by a `u32` representation.
pub struct Slab<T> {
    slots: *mut Slot<T>,
    len: u32,
    /// Free list head plus one (0: empty).
    free: u32,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab::new()
    }
}

impl<T> Slab<T> {
    /// An empty slab.
    pub const fn new() -> Slab<T> {
        Slab {
            slots: core::ptr::null_mut(),
            len: 0,
            free: 0,
        }
    }

    fn slots(&mut self) -> &mut [Slot<T>] {
        if self.slots.is_null() {
            let bytes = MAX_ENTRIES as usize * core::mem::size_of::<Slot<T>>();
            match crate::sys::mmap_anon(bytes, crate::sys::PROT_READ_WRITE, true) {
                Ok(p) => self.slots = p.cast(),
                Err(_) => crate::io::fatal("cannot reserve host resource storage"),
            }
        }
        // SAFETY: the first `len` slots of the reservation are initialised.
        unsafe { core::slice::from_raw_parts_mut(self.slots, self.len as usize) }
    }

    /// Stores `value` and returns its representation.
    pub fn insert(&mut self, value: T) -> u32 {
        if self.free != 0 {
            let i = self.free - 1;
            let slot = &mut self.slots()[i as usize];
            let Slot::Free(next) = *slot else {
                unreachable!("the free list links free slots")
            };
            *slot = Slot::Used(value);
            self.free = next;
            return i;
        }
        if self.len >= MAX_ENTRIES {
            crate::io::fatal("too many live host resources of one type");
        }
        self.slots();
        let i = self.len;
        // SAFETY: slot `i` is inside the reservation and not yet initialised.
        unsafe { self.slots.add(i as usize).write(Slot::Used(value)) };
        self.len += 1;
        i
    }

    /// The value of `rep`. Handle tables only hold live representations, so a missing one is
    /// a runtime bug.
    #[inline]
    pub fn get(&mut self, rep: u32) -> &mut T {
        match self.slots().get_mut(rep as usize) {
            Some(Slot::Used(v)) => v,
            _ => crate::io::fatal("a host resource handle refers to a freed resource"),
        }
    }

    /// Removes and returns the value of `rep`.
    pub fn remove(&mut self, rep: u32) -> T {
        let free = self.free;
        let slot = match self.slots().get_mut(rep as usize) {
            Some(slot @ Slot::Used(_)) => slot,
            _ => crate::io::fatal("a host resource handle refers to a freed resource"),
        };
        let Slot::Used(v) = core::mem::replace(slot, Slot::Free(free)) else {
            unreachable!()
        };
        self.free = rep + 1;
        v
    }
}
