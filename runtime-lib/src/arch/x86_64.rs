//! x86_64: everything the runtime knows about this architecture.
//!
//! Every arch file provides the same items, and generic code uses only these:
//! - [`nr`]: the system call numbers the runtime uses, and [`syscall`];
//! - [`KernelSigaction`] and [`sigaction`]: the kernel's `struct sigaction`;
//! - `_start`, [`call_on_stack`], [`guarded_call`], [`guard_landing`] and [`JmpBuf`]: the few
//!   routines that must be written in assembly;
//! - [`UCONTEXT`]: where a signal handler's `ucontext_t` keeps the registers;
//! - [`frame_pointer`], [`WASM_FRAME`] and [`NATIVE_FRAME`]: how to walk frame records;
//! - [`has_fast_tier`]: whether this CPU runs the code compiled for the fast tier of
//!   multiversioned functions (`crate::cpu`).
//!
//! Facts (Linux x86_64 ABI, checked against the kernel's `struct ucontext` /
//! `struct sigcontext` and on this machine): `uc_mcontext.gregs` starts at byte 40 of
//! `ucontext_t` and holds r8..r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip in that order, so
//! rdi is at 104, rsi 112, rbp 120, rsp 160 and rip 168. The kernel requires `SA_RESTORER` and
//! a restorer that calls `rt_sigreturn`. A frame record (Cranelift and LLVM alike) is
//! `push rbp; mov rbp, rsp`: `[rbp]` is the caller's rbp, `[rbp + 8]` the return address.
//!
//! # Safety
//!
//! The assembly routines follow the System V calling convention and touch only the registers
//! and memory documented on each. [`crate::signal_context::Context`] is only built from the `ucontext_t` pointer the
//! kernel passes to a `SA_SIGINFO` handler, so the fixed offsets are in bounds.
#![allow(unsafe_code)]

use crate::signal_context::UcontextLayout;
use core::arch::{asm, naked_asm};

use crate::trap::FrameRecord;

/// System call numbers (`arch/x86/entry/syscalls/syscall_64.tbl`).
pub mod nr {
    pub const READ: usize = 0;
    pub const WRITE: usize = 1;
    pub const MMAP: usize = 9;
    pub const MPROTECT: usize = 10;
    pub const MADVISE: usize = 28;
    pub const MUNMAP: usize = 11;
    pub const RT_SIGACTION: usize = 13;
    pub const RT_SIGRETURN: usize = 15;
    pub const SIGALTSTACK: usize = 131;
    pub const EXIT_GROUP: usize = 231;
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
    // SAFETY: the caller vouches for the arguments; `syscall` clobbers rcx and r11 only.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as isize => ret,
            in("rdi") a[0],
            in("rsi") a[1],
            in("rdx") a[2],
            in("r10") a[3],
            in("r8") a[4],
            in("r9") a[5],
            lateout("rcx") _,
            lateout("r11") _,
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

/// `SA_RESTORER`: x86_64 has no default signal return trampoline.
const SA_RESTORER: u64 = 0x0400_0000;

/// A `struct sigaction` running `handler` with `flags` and an empty mask.
pub fn sigaction(handler: usize, flags: u64) -> KernelSigaction {
    KernelSigaction {
        handler,
        flags: flags | SA_RESTORER,
        restorer: restore_rt as *const () as usize,
        mask: 0,
    }
}

/// The signal return trampoline: the handler's `ret` lands here.
#[unsafe(naked)]
unsafe extern "C" fn restore_rt() {
    naked_asm!("mov eax, {nr}", "syscall", "ud2", nr = const nr::RT_SIGRETURN);
}

/// The process entry point: the kernel leaves argc at `[rsp]`, then argv, envp and auxv.
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _start() -> ! {
    naked_asm!(
        "xor ebp, ebp",     // outermost frame: backtraces end here
        "mov rdi, rsp",     // start(sp)
        "and rsp, -16",
        "call {start}",
        "ud2",
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
        "mov rsp, rdi",
        "xor ebp, ebp",
        "mov rdi, rdx",
        "call rsi",
        "ud2",
    );
}

/// What [`guarded_call`] saves to come back to: rbx, rbp, r12..r15, the stack pointer after
/// return, and the return address.
#[repr(C, align(16))]
pub struct JmpBuf([usize; 8]);

impl JmpBuf {
    /// An empty buffer, filled by [`guarded_call`].
    pub const fn new() -> JmpBuf {
        JmpBuf([0; 8])
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
        "mov [rdx], rbx",
        "mov [rdx + 8], rbp",
        "mov [rdx + 16], r12",
        "mov [rdx + 24], r13",
        "mov [rdx + 32], r14",
        "mov [rdx + 40], r15",
        "lea rax, [rsp + 8]", // the stack pointer after our `ret`
        "mov [rdx + 48], rax",
        "mov rax, [rsp]", // our return address
        "mov [rdx + 56], rax",
        "push rbp",
        "mov rbp, rsp",
        "mov rax, rdi",
        "mov rdi, rsi",
        "call rax",
        "pop rbp",
        "xor eax, eax",
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
        "mov rbx, [rdi]",
        "mov rbp, [rdi + 8]",
        "mov r12, [rdi + 16]",
        "mov r13, [rdi + 24]",
        "mov r14, [rdi + 32]",
        "mov r15, [rdi + 40]",
        "mov rsp, [rdi + 48]",
        "cld",
        "mov eax, esi",
        "jmp qword ptr [rdi + 56]",
    );
}

/// Where `ucontext_t` keeps the registers the handler reads and writes.
pub const UCONTEXT: UcontextLayout = UcontextLayout {
    pc: 168,
    sp: 160,
    fp: 120,
    arg0: 104,
    arg1: 112,
};

/// The current frame pointer (the frame of the function this is inlined into).
#[inline(always)]
pub fn frame_pointer() -> usize {
    let fp: usize;
    // SAFETY: reads a register.
    unsafe { asm!("mov {}, rbp", out(reg) fp, options(nomem, nostack, preserves_flags)) };
    fp
}

/// Frame records of Cranelift-compiled code, relative to the frame pointer.
pub const WASM_FRAME: FrameRecord = FrameRecord {
    caller_fp: 0,
    return_address: 8,
};
/// Frame records of the runtime's own (LLVM-compiled) code: the same on x86_64.
pub const NATIVE_FRAME: FrameRecord = WASM_FRAME;

/// Whether this CPU and kernel run the fast tier's code: the compiler's x86_64 fast tier
/// (`compiler/src/target/x86_64.rs`) adds AVX, AVX2, BMI1, BMI2 and LZCNT to the x86-64-v2
/// baseline. CPUID tells the CPU's features (leaf 1 ECX: bit 27 OSXSAVE, 28 AVX; leaf 7 EBX:
/// bit 3 BMI1, 5 AVX2, 8 BMI2; leaf 0x8000_0001 ECX bit 5 LZCNT); AVX also needs the kernel
/// to save the YMM state, which XCR0 bits 1 (SSE) and 2 (AVX) say.
pub fn has_fast_tier() -> bool {
    use core::arch::x86_64::{__cpuid, __cpuid_count};
    #[allow(unused_unsafe)]
    // SAFETY: CPUID exists on every x86_64 CPU; the leaves are checked against the maximum.
    let (max, max_ext) = unsafe { (__cpuid(0).eax, __cpuid(0x8000_0000).eax) };
    if max < 7 || max_ext < 0x8000_0001 {
        return false;
    }
    #[allow(unused_unsafe)]
    // SAFETY: as above, for leaves the CPU reported.
    let (l1, l7, ext) = unsafe { (__cpuid(1), __cpuid_count(7, 0), __cpuid(0x8000_0001)) };
    let bit = |word: u32, n: u32| word & (1 << n) != 0;
    let cpu = bit(l1.ecx, 27)
        && bit(l1.ecx, 28)
        && bit(l7.ebx, 3)
        && bit(l7.ebx, 5)
        && bit(l7.ebx, 8)
        && bit(ext.ecx, 5);
    if !cpu {
        return false;
    }
    let xcr0: u32;
    // SAFETY: XGETBV is available when OSXSAVE is set (checked above); reads XCR0 into eax
    // (and edx, discarded).
    unsafe {
        asm!("xgetbv", in("ecx") 0, out("eax") xcr0, out("edx") _,
            options(nomem, nostack, preserves_flags));
    }
    xcr0 & 0b110 == 0b110
}
