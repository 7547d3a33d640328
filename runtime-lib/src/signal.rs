//! The handler for the synchronous signals that wasm traps raise.
//!
//! SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGTRAP run [`handle`] on an alternate signal stack (so
//! a wasm stack overflow can still be handled). The handler maps the interrupted program
//! counter to a trap code through the program's trap tables:
//! - a trap site (or a fault in the wasm stack's guard pages while wasm code runs, which is a
//!   stack overflow) is a wasm trap, handed to [`crate::trap`]: recovery through the armed
//!   guard, or a report and exit 134;
//! - anything else is a crash of the runtime or a compiler bug: one line naming the signal,
//!   the pc and the fault address, then exit with 128 + the signal number (the signal is not
//!   re-raised: the exit status says the same without a core dump).
//!
//! Invariant: the handler never returns into the instruction that faulted; it either exits or
//! rewrites the context to resume in the guard's landing. `SA_NODEFER` lets a fault inside the
//! handler itself reach the handler again, which then exits at once ([`IN_HANDLER`]).
//!
//! # Safety
//!
//! Installing handlers is done once at start-up, before any wasm code runs. The handler only
//! reads the `siginfo_t` and `ucontext_t` the kernel hands it, and only through
//! [`crate::signal_context::Context`] and the fixed `si_addr` offset shared by the three architectures.
#![allow(unsafe_code)]

use core::sync::atomic::{AtomicBool, Ordering::Relaxed};

use smelt_contract::Trap;

use crate::arch;
use crate::io::{self, Out, STDERR};
use crate::signal_context::Context;
use crate::{desc, memory, sys, trap};

const SIGILL: i32 = 4;
const SIGTRAP: i32 = 5;
const SIGBUS: i32 = 7;
const SIGFPE: i32 = 8;
const SIGSEGV: i32 = 11;

const SA_SIGINFO: u64 = 0x4;
const SA_ONSTACK: u64 = 0x0800_0000;
const SA_NODEFER: u64 = 0x4000_0000;

/// Size of the alternate signal stack (generous: arm64 signal frames with SVE state are large).
const ALT_STACK_SIZE: usize = 64 << 10;

/// Offset of `si_addr` in `siginfo_t` on all three architectures.
const SI_ADDR_OFFSET: usize = 16;

/// Set while the handler runs, to turn a fault inside it into an immediate exit.
static IN_HANDLER: AtomicBool = AtomicBool::new(false);

/// Installs the alternate signal stack and the handlers.
pub fn install() {
    let Ok(stack) = sys::mmap_anon(ALT_STACK_SIZE, sys::PROT_READ_WRITE, false) else {
        io::fatal("cannot allocate the signal stack");
    };
    let ss = sys::SignalStack {
        sp: stack,
        flags: 0,
        size: ALT_STACK_SIZE,
    };
    // SAFETY: the fresh mapping is used for nothing else and never unmapped.
    if unsafe { sys::sigaltstack(&ss) }.is_err() {
        io::fatal("cannot install the signal stack");
    }
    let action = arch::sigaction(
        handle as *const () as usize,
        SA_SIGINFO | SA_ONSTACK | SA_NODEFER,
    );
    for signo in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP] {
        // SAFETY: `handle` has the `SA_SIGINFO` signature and may run for any of these.
        if unsafe { sys::rt_sigaction(signo, &action) }.is_err() {
            io::fatal("cannot install the signal handlers");
        }
    }
    // A write to a closed pipe is an error the program sees (`EPIPE`, a stream that is
    // `closed`), not a silent death: as under Wasmtime and native Rust programs.
    let ignore = arch::sigaction(SIG_IGN, 0);
    // SAFETY: ignoring SIGPIPE changes no memory.
    if unsafe { sys::rt_sigaction(SIGPIPE, &ignore) }.is_err() {
        io::fatal("cannot ignore SIGPIPE");
    }
}

/// `SIGPIPE`.
const SIGPIPE: i32 = 13;
/// The `SIG_IGN` disposition.
const SIG_IGN: usize = 1;

/// The signal handler.
unsafe extern "C" fn handle(signo: i32, info: *mut u8, uc: *mut u8) {
    // SAFETY: `info` is the kernel's `siginfo_t`; `si_addr` is valid for these signals.
    let fault_addr = unsafe { info.add(SI_ADDR_OFFSET).cast::<usize>().read() };
    // SAFETY: `uc` is the kernel's `ucontext_t` for this handler invocation.
    let mut ctx = unsafe { Context::from_raw(uc) };
    let pc = ctx.pc();
    // Signals are synchronous and the program single-threaded: no read-modify-write needed.
    if IN_HANDLER.load(Relaxed) {
        fatal_signal(signo, pc, fault_addr, " inside the signal handler");
    }
    IN_HANDLER.store(true, Relaxed);
    let Some(wasm_trap) = wasm_trap(signo, pc, fault_addr, ctx.sp()) else {
        fatal_signal(signo, pc, fault_addr, "");
    };
    match trap::armed_guard() {
        Some(buf) => {
            IN_HANDLER.store(false, Relaxed);
            // Resume in the landing on sigreturn; it restores the guarded call's registers.
            let landing = arch::guard_landing as *const () as usize;
            ctx.resume_in(landing, buf as usize, wasm_trap as usize);
        }
        None => trap::report(wasm_trap, pc, ctx.fp()),
    }
}

/// The wasm trap that a signal at `pc` is, if it is one.
fn wasm_trap(signo: i32, pc: usize, fault_addr: usize, sp: usize) -> Option<Trap> {
    let code = match desc::trap_site(pc) {
        Some(code) => code,
        // A fault in wasm code that is not a recorded trap site: a load or store (the
        // compiler records none for them) or the prologue's stack probe.
        None if (signo == SIGSEGV || signo == SIGBUS) && desc::func_containing(pc).is_some() => {
            if trap::is_stack_guard(fault_addr) || trap::is_stack_guard(sp) {
                // Ran into the guard pages below the wasm stack: a frame too large for the
                // prologue's check, or a probe.
                Trap::StackOverflow as u32
            } else if memory::is_reserved(fault_addr) {
                // Past a linear memory's accessible length, inside its reservation.
                Trap::MemoryOutOfBounds as u32
            } else {
                return None;
            }
        }
        None => return None,
    };
    Trap::from_u8(u8::try_from(code).ok()?)
}

/// Reports a signal that is not a wasm trap and exits with 128 + `signo`.
fn fatal_signal(signo: i32, pc: usize, fault_addr: usize, context: &str) -> ! {
    Out::new(STDERR)
        .str("smelt runtime: fatal signal ")
        .str(signal_name(signo))
        .str(context)
        .str(" at pc 0x")
        .hex(pc as u128)
        .str(", fault address 0x")
        .hex(fault_addr as u128)
        .str("\n")
        .flush();
    sys::exit_group(128 + signo)
}

fn signal_name(signo: i32) -> &'static str {
    match signo {
        SIGILL => "SIGILL",
        SIGTRAP => "SIGTRAP",
        SIGBUS => "SIGBUS",
        SIGFPE => "SIGFPE",
        SIGSEGV => "SIGSEGV",
        _ => "?",
    }
}
