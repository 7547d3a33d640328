//! The interrupted registers of a signal handler, over each architecture's `ucontext_t`
//! layout (`arch::UCONTEXT`). Generic code reads and writes registers only through
//! [`Context`]; the offsets live in the arch files.

#![allow(unsafe_code)]

/// Byte offsets of the registers in the kernel's `ucontext_t` for one architecture.
pub struct UcontextLayout {
    /// Program counter.
    pub pc: usize,
    /// Stack pointer.
    pub sp: usize,
    /// Frame pointer.
    pub fp: usize,
    /// First argument register.
    pub arg0: usize,
    /// Second argument register.
    pub arg1: usize,
}

/// The interrupted registers in a signal handler's `ucontext_t`.
pub struct Context(*mut u8);

impl Context {
    /// Wraps the third argument of a `SA_SIGINFO` handler.
    ///
    /// # Safety
    ///
    /// `uc` must be the kernel-provided `ucontext_t` of the running handler.
    pub unsafe fn from_raw(uc: *mut u8) -> Context {
        Context(uc)
    }

    fn get(&self, offset: usize) -> usize {
        // SAFETY: `self.0` is a kernel `ucontext_t` (see `from_raw`), `offset` a field in it.
        unsafe { self.0.add(offset).cast::<usize>().read() }
    }

    fn set(&mut self, offset: usize, value: usize) {
        // SAFETY: as in `get`.
        unsafe { self.0.add(offset).cast::<usize>().write(value) }
    }

    /// The interrupted program counter.
    pub fn pc(&self) -> usize {
        self.get(crate::arch::UCONTEXT.pc)
    }

    /// The interrupted stack pointer.
    pub fn sp(&self) -> usize {
        self.get(crate::arch::UCONTEXT.sp)
    }

    /// The interrupted frame pointer.
    pub fn fp(&self) -> usize {
        self.get(crate::arch::UCONTEXT.fp)
    }

    /// Makes the thread resume, on return from the handler, in `f(arg0, arg1)` (a function
    /// that never returns, so the stack pointer is left as it is).
    pub fn resume_in(&mut self, f: usize, arg0: usize, arg1: usize) {
        let layout = &crate::arch::UCONTEXT;
        self.set(layout.arg0, arg0);
        self.set(layout.arg1, arg1);
        self.set(layout.pc, f);
    }
}
