//! The host's resource table: the handles of host resources (streams) that the program
//! holds. A handle is an index into the table; handle 0 is never valid, so a zero-initialised
//! handle in wasm memory is always caught.
//!
//! One table serves the whole program: the runtime is single-threaded, and the only
//! component that holds host handles is the root (the one that imports WASI).

use crate::trap;
use core::sync::atomic::{AtomicU8, Ordering::Relaxed};
use smelt_contract::Trap;

/// What a handle refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Resource {
    /// An `output-stream` writing to standard output.
    Stdout = 1,
    /// An `output-stream` writing to standard error.
    Stderr = 2,
}

const CAPACITY: usize = 1024;

/// Slot `i` holds the resource of handle `i` (0: free). Slot 0 stays free.
static TABLE: [AtomicU8; CAPACITY] = [const { AtomicU8::new(0) }; CAPACITY];

/// Adds `resource` to the table and returns its handle.
pub fn insert(resource: Resource) -> u32 {
    for (i, slot) in TABLE.iter().enumerate().skip(1) {
        if slot.load(Relaxed) == 0 {
            slot.store(resource as u8, Relaxed);
            return i as u32;
        }
    }
    crate::io::fatal("too many host resource handles")
}

/// Removes `handle`, which must hold a resource of `kind` (`UnknownHandle` trap otherwise).
pub fn remove(handle: u32, kind: fn(Resource) -> bool) {
    if !kind(get(handle)) {
        trap::raise(Trap::UnknownHandle);
    }
    TABLE[handle as usize].store(0, Relaxed);
}

/// The resource of `handle`, or an `UnknownHandle` trap.
pub fn get(handle: u32) -> Resource {
    match TABLE.get(handle as usize).map(|s| s.load(Relaxed)) {
        Some(1) if handle != 0 => Resource::Stdout,
        Some(2) if handle != 0 => Resource::Stderr,
        _ => trap::raise(Trap::UnknownHandle),
    }
}
