//! Wasm traps: recovery, reporting and backtraces.
//!
//! A trap reaches this module from two places: the signal handler (a trap instruction, a
//! faulting load or store, a hardware division fault) and Rust code ([`raise`]: builtins that
//! detect an out-of-bounds access, `smelt_rt_raise_trap`). Either way one of two things
//! happens:
//! - a guard is armed ([`guarded`], script mode): the [`guarded`] call returns the trap code.
//!   The signal handler gets there by rewriting the interrupted context to resume in
//!   `arch::guard_landing`, so the kernel's `rt_sigreturn` does the switch and no frame is
//!   jumped over while the kernel still holds it; [`raise`] jumps to the landing directly;
//! - no guard (command mode): [`report`] prints the trap and a wasm backtrace to stderr and
//!   exits with status 134, as Wasmtime does.
//!
//! Invariant: the guard pointer is non-null exactly while a [`guarded`] call is running, and
//! then points at that call's jump buffer, which lives in the [`guarded`] frame.
//!
//! Backtraces walk frame records. The frame pointer of each frame belongs to the function the
//! walk is in; whether that function is wasm (in the program's function table) or the
//! runtime's own code decides which record layout applies (`arch::WASM_FRAME` or
//! `arch::NATIVE_FRAME`, different on riscv64). The walk reads memory only inside the wasm
//! stack, stops at a zero frame pointer (`_start` and `call_on_stack` zero it) and requires
//! frame pointers to increase (strictly, except once at a native-to-wasm transition, where
//! riscv64's two record layouts can give equal values), so it always ends.
//!
//! # Safety
//!
//! `raise` and the guard jump over Rust frames without running their destructors: the runtime
//! code on a trapping path owns no resources. The frame walk reads only 8-byte-aligned words
//! inside the mapped wasm stack.
#![allow(unsafe_code)]

use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering::Relaxed};

use smelt_contract::Trap;

use crate::arch::{self, JmpBuf};
use crate::desc;
use crate::io::{Out, STDERR};
use crate::sys;

/// Where a frame record lies relative to the frame pointer.
pub struct FrameRecord {
    /// Offset of the caller's frame pointer.
    pub caller_fp: isize,
    /// Offset of the return address.
    pub return_address: isize,
}

/// Exit status of a program stopped by a trap (Wasmtime's: 128 + SIGABRT).
pub const TRAP_EXIT_STATUS: i32 = 134;

/// Frames printed before the rest of a backtrace is summarised.
const MAX_PRINTED_FRAMES: usize = 1000;

/// Invariant: see the module doc.
static GUARD: AtomicPtr<JmpBuf> = AtomicPtr::new(ptr::null_mut());

/// The wasm stack: usable bytes `[STACK_LO, STACK_HI)`, guard pages `[STACK_GUARD_LO, STACK_LO)`.
static STACK_GUARD_LO: AtomicUsize = AtomicUsize::new(0);
static STACK_LO: AtomicUsize = AtomicUsize::new(0);
static STACK_HI: AtomicUsize = AtomicUsize::new(0);

/// Records where the wasm stack is, for backtraces and stack-overflow detection.
pub fn set_wasm_stack(guard_lo: usize, lo: usize, hi: usize) {
    STACK_GUARD_LO.store(guard_lo, Relaxed);
    STACK_LO.store(lo, Relaxed);
    STACK_HI.store(hi, Relaxed);
}

/// Whether `addr` is in the guard pages below the wasm stack.
pub fn is_stack_guard(addr: usize) -> bool {
    (STACK_GUARD_LO.load(Relaxed)..STACK_LO.load(Relaxed)).contains(&addr)
}

/// Calls `f(arg)`; a trap during the call makes it return `Err(code)` instead of stopping the
/// program.
///
/// # Safety
///
/// `f` must be safe to call with `arg`. Guards do not nest.
pub unsafe fn guarded(f: unsafe extern "C" fn(*mut u8), arg: *mut u8) -> Result<(), u32> {
    let mut buf = JmpBuf::new();
    // Invariant: armed only for the duration of the call below.
    GUARD.store(&mut buf, Relaxed);
    // SAFETY: `buf` outlives the call; `f(arg)` is safe per the caller. A trap returns here
    // through `arch::guard_landing` with the callee-saved registers of this frame restored.
    let code = unsafe { arch::guarded_call(f, arg, &mut buf) };
    GUARD.store(ptr::null_mut(), Relaxed);
    if code == 0 { Ok(()) } else { Err(code) }
}

/// The armed guard's jump buffer, if any.
pub fn armed_guard() -> Option<*const JmpBuf> {
    let guard = GUARD.load(Relaxed);
    (!guard.is_null()).then_some(guard.cast_const())
}

/// Raises `trap` from Rust code running on behalf of wasm code.
#[inline(never)]
pub fn raise(trap: Trap) -> ! {
    if let Some(buf) = armed_guard() {
        // SAFETY: the guard's buffer belongs to a running `guarded` call (invariant above).
        unsafe { arch::guard_landing(buf, trap as u32) }
    }
    // `raise` itself is not wasm code, so the walk starts with a native frame.
    report(trap, raise as *const () as usize, arch::frame_pointer())
}

/// Prints `trap` and the wasm backtrace starting at `pc` (whose frame pointer is `fp`) to
/// stderr, then exits with [`TRAP_EXIT_STATUS`].
pub fn report(trap: Trap, pc: usize, fp: usize) -> ! {
    let mut out = Out::new(STDERR);
    out.str("wasm trap: ").str(trap.message());
    let detail = DETAIL.load(Relaxed);
    if !detail.is_null() {
        // SAFETY: set by `unimplemented_import` or `raise_invalid_call` from static data of
        // `DETAIL_LEN` bytes.
        let text = unsafe { core::slice::from_raw_parts(detail, DETAIL_LEN.load(Relaxed)) };
        out.str(": `").bytes(text).str("`");
    }
    out.str("\nwasm backtrace:\n");
    // Runs of the same function (deep recursion) print once, with a repeat count.
    let mut printed = 0;
    let mut omitted = 0u64;
    let mut index = 0u64;
    let mut last: *const smelt_contract::program::FuncDesc = core::ptr::null();
    let mut repeats = 0u64;
    let flush_repeats = |out: &mut Out, repeats: &mut u64| {
        if *repeats > 0 {
            out.str("       (repeated ")
                .dec(*repeats)
                .str(" more times)\n");
            *repeats = 0;
        }
    };
    walk(pc, fp, |func| {
        let name = desc::func_name(func);
        if name.is_empty() {
            // A host adapter: not a wasm frame of the program's own.
            return;
        }
        if core::ptr::eq(func, last) {
            repeats += 1;
        } else if printed < MAX_PRINTED_FRAMES {
            flush_repeats(&mut out, &mut repeats);
            out.str("    ").dec(index).str(": ");
            smelt_contract::names::decode(name, desc::name_dict(), |piece| {
                out.bytes(piece);
            });
            out.str("\n");
            printed += 1;
            last = func;
        } else {
            omitted += 1;
        }
        index += 1;
    });
    flush_repeats(&mut out, &mut repeats);
    if omitted > 0 {
        out.str("    ... ").dec(omitted).str(" more frames\n");
    }
    out.flush();
    sys::exit_group(TRAP_EXIT_STATUS)
}

/// Calls `each` for every wasm frame, innermost first: the function containing `pc`, then
/// the function of each return address found by walking frame records from `fp`.
fn walk(
    pc: usize,
    mut fp: usize,
    mut each: impl FnMut(&'static smelt_contract::program::FuncDesc),
) {
    let (lo, hi) = (STACK_LO.load(Relaxed), STACK_HI.load(Relaxed));
    let word = |addr: usize| -> Option<usize> {
        // Only aligned words inside the wasm stack are ever read.
        if !addr.is_multiple_of(8) || addr < lo || addr.checked_add(8)? > hi {
            return None;
        }
        // SAFETY: `addr` is an aligned word inside the mapped wasm stack.
        Some(unsafe { (addr as *const usize).read_volatile() })
    };
    let mut in_wasm = match desc::func_containing(pc) {
        Some(func) => {
            each(func);
            true
        }
        None => false,
    };
    while fp != 0 {
        let record = if in_wasm {
            arch::WASM_FRAME
        } else {
            arch::NATIVE_FRAME
        };
        let (Some(caller_fp), Some(ret)) = (
            word(fp.wrapping_add_signed(record.caller_fp)),
            word(fp.wrapping_add_signed(record.return_address)),
        ) else {
            break;
        };
        if ret == 0 {
            break;
        }
        // The return address follows the call: its predecessor is inside the caller.
        let caller = desc::func_containing(ret - 1);
        if let Some(func) = caller {
            each(func);
        }
        // Frame pointers increase towards the caller. They may be equal once where a native
        // frame (riscv64: fp = its entry sp) returns into a wasm frame (fp = its sp).
        let native_to_wasm = !in_wasm && caller.is_some();
        in_wasm = caller.is_some();
        if caller_fp != 0 && (caller_fp < fp || (caller_fp == fp && !native_to_wasm)) {
            break;
        }
        fp = caller_fp;
    }
}

/// What the trap being raised concerns (an import's name), printed after its message.
static DETAIL: AtomicPtr<u8> = AtomicPtr::new(core::ptr::null_mut());
static DETAIL_LEN: AtomicUsize = AtomicUsize::new(0);

/// The `unimplemented_import` builtin: raises [`Trap::UnimplementedImport`] naming the import.
///
/// # Safety
///
/// Called by compiled code only, with `len` bytes of static data at `name`.
pub unsafe fn unimplemented_import(name: *const u8, len: usize) {
    DETAIL.store(name.cast_mut(), Relaxed);
    DETAIL_LEN.store(len, Relaxed);
    raise(Trap::UnimplementedImport)
}

/// Raises [`Trap::InvalidHostCall`], printing `what` (the function and the fault) after the
/// message.
pub fn raise_invalid_call(what: &'static str) -> ! {
    DETAIL.store(what.as_ptr().cast_mut(), Relaxed);
    DETAIL_LEN.store(what.len(), Relaxed);
    raise(Trap::InvalidHostCall)
}

/// The `raise_trap` builtin: raises the trap with code `code`.
///
/// # Safety
///
/// Called by compiled code only.
pub unsafe fn raise_trap(code: u32) {
    match u8::try_from(code).ok().and_then(Trap::from_u8) {
        Some(trap) => raise(trap),
        None => crate::io::fatal("compiled code raised an unknown trap code"),
    }
}
