//! aarch64: everything the runtime knows about this architecture.
//!
//! Provides the same items as every arch file (see `x86_64.rs` for the list).
//!
//! Facts (Linux arm64 ABI, checked against the kernel's `struct ucontext` /
//! `struct sigcontext` and on this machine): `uc_mcontext` starts at byte 176 of `ucontext_t`
//! (after a 128-byte signal mask area, 16-byte aligned); it holds `fault_address`, then
//! `regs[31]` at 184, `sp` at 432 and `pc` at 440, so x0 is at 184, x1 at 192 and x29 (the
//! frame pointer) at 416. Without `SA_RESTORER` the kernel returns through the vDSO's
//! trampoline. A frame record (Cranelift and LLVM alike) is `stp x29, x30, [sp, #-16]!;
//! mov x29, sp`: `[x29]` is the caller's x29, `[x29 + 8]` the return address.
//!
//! # Safety
//!
//! The assembly routines follow AAPCS64 and touch only the registers and memory documented
//! on each. [`crate::signal_context::Context`] is only built from the `ucontext_t` pointer the kernel passes to a
//! `SA_SIGINFO` handler, so the fixed offsets are in bounds.
#![allow(unsafe_code)]

use crate::signal_context::UcontextLayout;
use core::arch::{asm, naked_asm};

use crate::trap::FrameRecord;

/// System call numbers (the generic table, `include/uapi/asm-generic/unistd.h`).
pub mod nr {
    pub const READ: usize = 63;
    pub const WRITE: usize = 64;
    pub const MMAP: usize = 222;
    pub const MPROTECT: usize = 226;
    pub const MADVISE: usize = 233;
    pub const MUNMAP: usize = 215;
    pub const RT_SIGACTION: usize = 134;
    pub const SIGALTSTACK: usize = 132;
    pub const EXIT_GROUP: usize = 94;
}

/// Performs system call `nr` with up to six arguments; returns the raw result (`-errno` on
/// failure).
///
/// # Safety
///
/// The arguments must be valid for the call; pointer arguments are not checked.
#[inline]
pub unsafe fn syscall(nr: usize, a: [usize; 6]) -> isize {
    let ret: isize;
    // SAFETY: the caller vouches for the arguments; `svc` clobbers only x0.
    unsafe {
        asm!(
            "svc 0",
            in("x8") nr,
            inlateout("x0") a[0] as isize => ret,
            in("x1") a[1],
            in("x2") a[2],
            in("x3") a[3],
            in("x4") a[4],
            in("x5") a[5],
            options(nostack),
        );
    }
    ret
}

/// The kernel's `struct sigaction` (not libc's).
#[repr(C)]
pub struct KernelSigaction {
    handler: usize,
    flags: u64,
    restorer: usize,
    mask: u64,
}

/// A `struct sigaction` running `handler` with `flags` and an empty mask.
pub fn sigaction(handler: usize, flags: u64) -> KernelSigaction {
    KernelSigaction {
        handler,
        flags,
        restorer: 0,
        mask: 0,
    }
}

/// The process entry point: the kernel leaves argc at `[sp]`, then argv, envp and auxv.
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _start() -> ! {
    naked_asm!(
        "mov x29, xzr",     // outermost frame: backtraces end here
        "mov x30, xzr",
        "mov x0, sp",       // start(sp)
        "bl {start}",
        "brk #1",
        start = sym crate::start::start,
    );
}

/// Switches to the stack whose (16-byte aligned) top is `top` and calls `f(arg)` there, with
/// a zero frame pointer so that frame walks stop at `f`.
///
/// # Safety
///
/// `top` must be the 16-byte aligned end of a writable stack.
#[unsafe(naked)]
pub unsafe extern "C" fn call_on_stack(
    top: usize,
    f: unsafe extern "C" fn(*mut u8) -> !,
    arg: *mut u8,
) -> ! {
    naked_asm!(
        "mov sp, x0",
        "mov x29, xzr",
        "mov x30, xzr",
        "mov x0, x2",
        "blr x1",
        "brk #1",
    );
}

/// What [`guarded_call`] saves to come back to: x19..x28, x29, x30 (the return address), sp
/// and d8..d15.
#[repr(C, align(16))]
pub struct JmpBuf([usize; 21]);

impl JmpBuf {
    /// An empty buffer, filled by [`guarded_call`].
    pub const fn new() -> JmpBuf {
        JmpBuf([0; 21])
    }
}

/// Calls `f(arg)` and returns 0, after saving into `buf` what [`guard_landing`] needs to make
/// this call return a trap code instead.
///
/// # Safety
///
/// `f` must be safe to call with `arg`; `buf` must stay valid until this returns.
#[unsafe(naked)]
pub unsafe extern "C" fn guarded_call(
    f: unsafe extern "C" fn(*mut u8),
    arg: *mut u8,
    buf: *mut JmpBuf,
) -> u32 {
    naked_asm!(
        "stp x19, x20, [x2, #0]",
        "stp x21, x22, [x2, #16]",
        "stp x23, x24, [x2, #32]",
        "stp x25, x26, [x2, #48]",
        "stp x27, x28, [x2, #64]",
        "stp x29, x30, [x2, #80]",
        "mov x9, sp",
        "str x9, [x2, #96]",
        "stp d8, d9, [x2, #104]",
        "stp d10, d11, [x2, #120]",
        "stp d12, d13, [x2, #136]",
        "stp d14, d15, [x2, #152]",
        "stp x29, x30, [sp, #-16]!",
        "mov x29, sp",
        "mov x9, x0",
        "mov x0, x1",
        "blr x9",
        "ldp x29, x30, [sp], #16",
        "mov w0, wzr",
        "ret",
    );
}

/// Makes the [`guarded_call`] that filled `buf` return `code`.
///
/// # Safety
///
/// `buf` must have been filled by a [`guarded_call`] that has not returned yet.
#[unsafe(naked)]
pub unsafe extern "C" fn guard_landing(buf: *const JmpBuf, code: u32) -> ! {
    naked_asm!(
        "ldp x19, x20, [x0, #0]",
        "ldp x21, x22, [x0, #16]",
        "ldp x23, x24, [x0, #32]",
        "ldp x25, x26, [x0, #48]",
        "ldp x27, x28, [x0, #64]",
        "ldp x29, x30, [x0, #80]",
        "ldr x9, [x0, #96]",
        "mov sp, x9",
        "ldp d8, d9, [x0, #104]",
        "ldp d10, d11, [x0, #120]",
        "ldp d12, d13, [x0, #136]",
        "ldp d14, d15, [x0, #152]",
        "mov w0, w1",
        "ret",
    );
}

/// Where `ucontext_t` keeps the registers the handler reads and writes.
pub const UCONTEXT: UcontextLayout = UcontextLayout {
    pc: 440,
    sp: 432,
    fp: 184 + 29 * 8,
    arg0: 184,
    arg1: 192,
};

/// The current frame pointer (the frame of the function this is inlined into).
#[inline(always)]
pub fn frame_pointer() -> usize {
    let fp: usize;
    // SAFETY: reads a register.
    unsafe { asm!("mov {}, x29", out(reg) fp, options(nomem, nostack, preserves_flags)) };
    fp
}

/// Frame records of Cranelift-compiled code, relative to the frame pointer.
pub const WASM_FRAME: FrameRecord = FrameRecord {
    caller_fp: 0,
    return_address: 8,
};
/// Frame records of the runtime's own (LLVM-compiled) code: the same on aarch64.
pub const NATIVE_FRAME: FrameRecord = WASM_FRAME;

/// Whether this CPU runs the code of a fast tier: the compiler has none for this
/// architecture yet (its baseline is all the code uses), so never.
pub fn has_fast_tier() -> bool {
    false
}
