//! riscv64 (RV64GC): everything the runtime knows about this architecture.
//!
//! Provides the same items as every arch file (see `x86_64.rs` for the list).
//!
//! Facts (Linux riscv ABI, checked against the kernel's `struct ucontext` /
//! `struct sigcontext` and on this machine): `uc_mcontext` starts at byte 176 of `ucontext_t`
//! and begins with `pc`, then x1..x31, so pc is at 176, ra 184, sp 192, s0/fp 240, a0 256 and
//! a1 264. The kernel's `struct sigaction` has no restorer field: the kernel always returns
//! through the vDSO. Frame records differ between the two code generators:
//! - Cranelift: `addi sp, sp, -16; sd ra, 8(sp); sd fp, 0(sp); mv fp, sp`, so `[fp]` is the
//!   caller's fp and `[fp + 8]` the return address (as on the other architectures);
//! - LLVM (the runtime itself): fp is the stack pointer at entry, so `[fp - 16]` is the
//!   caller's fp and `[fp - 8]` the return address.
//!
//! # Safety
//!
//! The assembly routines follow the RISC-V psABI (LP64D) and touch only the registers and
//! memory documented on each. [`crate::signal_context::Context`] is only built from the `ucontext_t` pointer the
//! kernel passes to a `SA_SIGINFO` handler, so the fixed offsets are in bounds.
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
    // SAFETY: the caller vouches for the arguments; `ecall` clobbers only a0.
    unsafe {
        asm!(
            "ecall",
            in("a7") nr,
            inlateout("a0") a[0] as isize => ret,
            in("a1") a[1],
            in("a2") a[2],
            in("a3") a[3],
            in("a4") a[4],
            in("a5") a[5],
            options(nostack),
        );
    }
    ret
}

/// The kernel's `struct sigaction` (not libc's): no restorer on riscv.
#[repr(C)]
pub struct KernelSigaction {
    handler: usize,
    flags: u64,
    mask: u64,
}

/// A `struct sigaction` running `handler` with `flags` and an empty mask.
pub fn sigaction(handler: usize, flags: u64) -> KernelSigaction {
    KernelSigaction {
        handler,
        flags,
        mask: 0,
    }
}

/// The process entry point: the kernel leaves argc at `[sp]`, then argv, envp and auxv.
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _start() -> ! {
    naked_asm!(
        "li fp, 0",         // outermost frame: backtraces end here
        "li ra, 0",
        "mv a0, sp",        // start(sp)
        "andi sp, sp, -16",
        "call {start}",
        "unimp",
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
        "mv sp, a0",
        "li fp, 0",
        "li ra, 0",
        "mv a0, a2",
        "jalr a1",
        "unimp",
    );
}

/// What [`guarded_call`] saves to come back to: s0..s11, ra (the return address), sp and
/// fs0..fs11.
#[repr(C, align(16))]
pub struct JmpBuf([usize; 26]);

impl JmpBuf {
    /// An empty buffer, filled by [`guarded_call`].
    pub const fn new() -> JmpBuf {
        JmpBuf([0; 26])
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
        "sd s0, 0(a2)",
        "sd s1, 8(a2)",
        "sd s2, 16(a2)",
        "sd s3, 24(a2)",
        "sd s4, 32(a2)",
        "sd s5, 40(a2)",
        "sd s6, 48(a2)",
        "sd s7, 56(a2)",
        "sd s8, 64(a2)",
        "sd s9, 72(a2)",
        "sd s10, 80(a2)",
        "sd s11, 88(a2)",
        "sd ra, 96(a2)",
        "sd sp, 104(a2)",
        "fsd fs0, 112(a2)",
        "fsd fs1, 120(a2)",
        "fsd fs2, 128(a2)",
        "fsd fs3, 136(a2)",
        "fsd fs4, 144(a2)",
        "fsd fs5, 152(a2)",
        "fsd fs6, 160(a2)",
        "fsd fs7, 168(a2)",
        "fsd fs8, 176(a2)",
        "fsd fs9, 184(a2)",
        "fsd fs10, 192(a2)",
        "fsd fs11, 200(a2)",
        // An LLVM-style frame record, so walks from `f` see a native frame.
        "addi sp, sp, -16",
        "sd ra, 8(sp)",
        "sd s0, 0(sp)",
        "addi s0, sp, 16",
        "mv t0, a0",
        "mv a0, a1",
        "jalr t0",
        "ld ra, 8(sp)",
        "ld s0, 0(sp)",
        "addi sp, sp, 16",
        "li a0, 0",
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
        "ld s0, 0(a0)",
        "ld s1, 8(a0)",
        "ld s2, 16(a0)",
        "ld s3, 24(a0)",
        "ld s4, 32(a0)",
        "ld s5, 40(a0)",
        "ld s6, 48(a0)",
        "ld s7, 56(a0)",
        "ld s8, 64(a0)",
        "ld s9, 72(a0)",
        "ld s10, 80(a0)",
        "ld s11, 88(a0)",
        "ld ra, 96(a0)",
        "ld sp, 104(a0)",
        "fld fs0, 112(a0)",
        "fld fs1, 120(a0)",
        "fld fs2, 128(a0)",
        "fld fs3, 136(a0)",
        "fld fs4, 144(a0)",
        "fld fs5, 152(a0)",
        "fld fs6, 160(a0)",
        "fld fs7, 168(a0)",
        "fld fs8, 176(a0)",
        "fld fs9, 184(a0)",
        "fld fs10, 192(a0)",
        "fld fs11, 200(a0)",
        "sext.w a0, a1",
        "ret",
    );
}

/// Where `ucontext_t` keeps the registers the handler reads and writes.
pub const UCONTEXT: UcontextLayout = UcontextLayout {
    pc: 176,
    sp: 192,
    fp: 240,
    arg0: 256,
    arg1: 264,
};

/// The current frame pointer (the frame of the function this is inlined into).
#[inline(always)]
pub fn frame_pointer() -> usize {
    let fp: usize;
    // SAFETY: reads a register.
    unsafe { asm!("mv {}, s0", out(reg) fp, options(nomem, nostack, preserves_flags)) };
    fp
}

/// Frame records of Cranelift-compiled code, relative to the frame pointer.
pub const WASM_FRAME: FrameRecord = FrameRecord {
    caller_fp: 0,
    return_address: 8,
};
/// Frame records of the runtime's own (LLVM-compiled) code.
pub const NATIVE_FRAME: FrameRecord = FrameRecord {
    caller_fp: -16,
    return_address: -8,
};

/// Whether this CPU runs the code of a fast tier: the compiler has none for this
/// architecture yet (its baseline is all the code uses), so never.
pub fn has_fast_tier() -> bool {
    false
}
