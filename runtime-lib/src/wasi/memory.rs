//! Reading arguments from and writing results to the calling instance's linear memory, with
//! the bounds and alignment checks of the Canonical ABI's `load` and `store`
//! (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#loading>).
//!
//! # Safety
//!
//! A non-null context points at a `VMMemory` whose invariant (see `crate::memory`) makes
//! `[base, base + length)` readable and writable; every access below is checked against
//! `length` first. Wasm code does not run while a host function holds a slice.

use super::Context;
use crate::trap;
use smelt_contract::Trap;

impl Context {
    /// `len` bytes at `ptr`, or a `MemoryOutOfBounds` trap.
    pub fn bytes(&self, ptr: u32, len: u32) -> &[u8] {
        let (base, length) = self.memory();
        if u64::from(ptr) + u64::from(len) > length {
            trap::raise(Trap::MemoryOutOfBounds);
        }
        // SAFETY: in bounds (checked above), see the module docs.
        unsafe { core::slice::from_raw_parts(base.add(ptr as usize), len as usize) }
    }

    /// Writes `bytes` at `ptr`, which must be aligned to `align`.
    pub fn store(&self, ptr: u32, align: u32, bytes: &[u8]) {
        let (base, length) = self.memory();
        if !ptr.is_multiple_of(align) {
            trap::raise(Trap::HeapMisaligned);
        }
        if u64::from(ptr) + bytes.len() as u64 > length {
            trap::raise(Trap::MemoryOutOfBounds);
        }
        // SAFETY: in bounds (checked above), see the module docs.
        unsafe {
            core::ptr::copy_nonoverlapping(bytes.as_ptr(), base.add(ptr as usize), bytes.len())
        }
    }

    fn memory(&self) -> (*mut u8, u64) {
        if self.0.is_null() {
            // The compiler requires `(memory ...)` for every function that touches memory.
            crate::io::fatal("host function without a memory");
        }
        // SAFETY: a non-null context is a valid `VMMemory` (module docs).
        let mem = unsafe { &*self.0 };
        (mem.base, mem.length)
    }
}
