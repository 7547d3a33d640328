//! Process start-up: from the kernel's initial stack to the program running on the wasm stack.
//!
//! `arch::_start` calls [`start`] with the initial stack pointer (argc, argv, envp, auxv).
//! In order, [`start`]:
//! 1. records the auxiliary vector (for [`getauxval`] and the page size);
//! 2. runs the `.init_array` constructors (aarch64's outline atomics initialise themselves
//!    there, reading `AT_HWCAP` through [`getauxval`]);
//! 3. installs the signal handlers ([`crate::signal`]), checks the program descriptor,
//!    decides the CPU tier of multiversioned functions ([`crate::cpu`]), puts `/dev/null`
//!    in place of closed standard streams, and decides the capabilities of the run (grants; preopened directories are opened);
//! 4. maps the wasm stack, with guard pages below it, and sets [`smelt_stack_limit`];
//! 5. runs the program on the wasm stack: the entry point (command mode) or the script loop.
//!
//! Invariant: [`smelt_stack_limit`] is set before any wasm code runs and never changes
//! afterwards; it lies [`STACK_SLACK`] bytes above the lowest usable byte of the wasm stack.
//!
//! # Safety
//!
//! [`start`] trusts the kernel's initial stack layout and runs exactly once, before anything
//! else. `.init_array` entries are constructors of the linked objects, run as a C runtime
//! would. [`getauxval`] and [`smelt_stack_limit`] are exported under fixed names.
#![allow(unsafe_code)]

use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering::Relaxed};

use smelt_contract::program::{MODE_COMMAND, MODE_SCRIPT};

use crate::{arch, desc, io, signal, sys, trap};

/// The lowest stack address wasm code may use (contract symbol `smelt_stack_limit`): every
/// compiled function compares its new stack pointer against it in its prologue. An
/// `AtomicUsize` has the layout of a `usize`; compiled code reads it with a plain load.
#[unsafe(no_mangle)]
pub static smelt_stack_limit: AtomicUsize = AtomicUsize::new(0);

/// Stack kept free below the limit for runtime code that wasm code calls near the limit.
pub const STACK_SLACK: usize = 64 << 10;
/// Inaccessible bytes below the wasm stack.
const STACK_GUARD: usize = 64 << 10;
/// Smallest wasm stack the runtime maps, whatever the descriptor asks for.
const MIN_STACK: usize = STACK_SLACK + (64 << 10);

const AT_NULL: usize = 0;
const AT_PAGESZ: usize = 6;

/// The auxiliary vector: (type, value) pairs ending with `AT_NULL`.
static AUXV: AtomicPtr<usize> = AtomicPtr::new(ptr::null_mut());
/// The host page size.
static PAGE_SIZE: AtomicUsize = AtomicUsize::new(4096);

/// `getauxval(3)`: the value of auxiliary vector entry `kind`, or 0.
#[unsafe(no_mangle)]
pub extern "C" fn getauxval(kind: core::ffi::c_ulong) -> core::ffi::c_ulong {
    let mut p = AUXV.load(Relaxed);
    if p.is_null() {
        return 0;
    }
    loop {
        // SAFETY: `p` walks the kernel's auxiliary vector, which ends with an AT_NULL pair.
        let (k, v) = unsafe { (p.read(), p.add(1).read()) };
        if k == AT_NULL {
            return 0;
        }
        if k as core::ffi::c_ulong == kind {
            return v as core::ffi::c_ulong;
        }
        // SAFETY: not past the AT_NULL pair yet.
        p = unsafe { p.add(2) };
    }
}

/// The host page size.
pub fn page_size() -> usize {
    PAGE_SIZE.load(Relaxed)
}

/// Rust entry point, called by `arch::_start` with the initial stack pointer.
///
/// # Safety
///
/// Called once, by `_start`, with the kernel's initial stack.
pub unsafe extern "C" fn start(sp: *mut usize) -> ! {
    // SAFETY: the kernel's initial stack: argc, argv[argc], NULL, envp..., NULL, auxv.
    unsafe {
        crate::process::record(sp);
        let argc = sp.read();
        let mut p = sp.add(1 + argc + 1);
        while p.read() != 0 {
            p = p.add(1);
        }
        AUXV.store(p.add(1), Relaxed);
    }
    let page = getauxval(AT_PAGESZ as core::ffi::c_ulong) as usize;
    if page.is_power_of_two() {
        PAGE_SIZE.store(page, Relaxed);
    }
    // SAFETY: start-up, before anything that depends on constructors.
    unsafe { run_init_array() };
    signal::install();
    desc::check();
    crate::cpu::decide();
    open_closed_standard_fds();
    crate::wasi::capabilities::decide();
    let top = map_wasm_stack();
    // SAFETY: `top` is the aligned end of the fresh wasm stack.
    unsafe { arch::call_on_stack(top, run, ptr::null_mut()) }
}

/// Puts `/dev/null` in place of a closed standard input, output or error, as Rust's std does
/// for native programs: a closed stream then reads as empty and drops what is written, and
/// no descriptor opened later (a preopened directory, a file) can take its number and
/// receive the program's output. One `poll` when all three are open.
fn open_closed_standard_fds() {
    use rustix::event::{PollFd, PollFlags, poll};
    use rustix::fd::BorrowedFd;
    // SAFETY: polling a descriptor number only reports on it; nothing is closed or owned.
    let fds = [0, 1, 2].map(|n| unsafe { BorrowedFd::borrow_raw(n) });
    let mut polled = fds.each_ref().map(|fd| PollFd::new(fd, PollFlags::empty()));
    let zero = rustix::time::Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    if poll(&mut polled, Some(&zero)).is_err() {
        return;
    }
    for p in &polled {
        if p.revents().contains(PollFlags::NVAL) {
            // The lowest free number is the closed one: lower ones are open or were
            // filled by an earlier iteration. Kept open for the whole run.
            match rustix::fs::open(
                c"/dev/null",
                rustix::fs::OFlags::RDWR,
                rustix::fs::Mode::empty(),
            ) {
                Ok(fd) => core::mem::forget(fd),
                Err(_) => return,
            }
        }
    }
}

/// Runs the `.init_array` constructors.
///
/// # Safety
///
/// Once, at start-up.
unsafe fn run_init_array() {
    type Constructor = unsafe extern "C" fn();
    unsafe extern "C" {
        static __init_array_start: [Constructor; 0];
        static __init_array_end: [Constructor; 0];
    }
    // Opaque to the optimiser: the linker may place both symbols at the same address.
    let mut p = core::hint::black_box(ptr::addr_of!(__init_array_start).cast::<Constructor>());
    let end = core::hint::black_box(ptr::addr_of!(__init_array_end).cast::<Constructor>());
    while p < end {
        // SAFETY: `[__init_array_start, __init_array_end)` holds the linked constructors.
        unsafe {
            (p.read())();
            p = p.add(1);
        }
    }
}

/// Maps the wasm stack with its guard pages, records it and sets the stack limit; returns the
/// stack's (16-byte aligned) top.
fn map_wasm_stack() -> usize {
    let page = page_size();
    let wanted = usize::try_from(desc::program().stack_size)
        .unwrap_or(usize::MAX)
        .max(MIN_STACK);
    let Some(size) = wanted.checked_next_multiple_of(page) else {
        io::fatal("the requested wasm stack size is too large");
    };
    let guard = STACK_GUARD.next_multiple_of(page);
    let Ok(base) = sys::mmap_anon(guard + size, sys::PROT_READ_WRITE, false) else {
        io::fatal("cannot map the wasm stack");
    };
    // SAFETY: the guard pages are the low end of the fresh mapping, used by nothing.
    if unsafe { sys::mprotect(base, guard, sys::PROT_NONE) }.is_err() {
        io::fatal("cannot protect the wasm stack's guard pages");
    }
    let lo = base as usize + guard;
    let hi = lo + size;
    trap::set_wasm_stack(base as usize, lo, hi);
    // Invariant: set once, before wasm code runs.
    smelt_stack_limit.store(lo + STACK_SLACK, Relaxed);
    hi
}

/// Runs the program on the wasm stack.
unsafe extern "C" fn run(_: *mut u8) -> ! {
    let program = desc::program();
    if program.mode != MODE_COMMAND && program.mode != MODE_SCRIPT {
        io::fatal("the program descriptor has an unknown mode");
    }
    // SAFETY: `main` is the compiler's entry point (command mode), which takes no arguments
    // and may trap, which the signal handler and `trap::raise` report; or the runtime's
    // script loop (script mode), which never returns.
    let status = unsafe { (program.main)() };
    sys::exit_group(status)
}
