//! The process's arguments and environment, as the kernel put them on the initial stack.
//!
//! Invariant: [`record`] runs once at start-up, before anything reads them; the strings are
//! NUL-terminated and live for the whole process.
#![allow(unsafe_code)]

use core::sync::atomic::{AtomicPtr, Ordering::Relaxed};

/// The initial stack pointer: argc, argv[argc], NULL, envp..., NULL.
static INITIAL_SP: AtomicPtr<usize> = AtomicPtr::new(core::ptr::null_mut());

/// Records the initial stack.
///
/// # Safety
///
/// `sp` is the kernel's initial stack pointer.
pub unsafe fn record(sp: *mut usize) {
    INITIAL_SP.store(sp, Relaxed);
}

/// A NUL-terminated string of the initial stack, without its NUL.
fn c_str(p: *const u8) -> &'static [u8] {
    let mut n = 0;
    // SAFETY: argv and envp strings are NUL-terminated and live forever (module invariant).
    unsafe {
        while p.add(n).read() != 0 {
            n += 1;
        }
        core::slice::from_raw_parts(p, n)
    }
}

fn vector(skip: usize) -> impl Iterator<Item = &'static [u8]> {
    let sp = INITIAL_SP.load(Relaxed);
    // SAFETY: argc, then argv, NULL, envp, NULL (module invariant).
    let mut p = unsafe {
        if sp.is_null() {
            core::ptr::null()
        } else {
            let argc = sp.read();
            sp.add(1 + if skip == 0 { 0 } else { argc + 1 })
        }
    };
    core::iter::from_fn(move || {
        if p.is_null() {
            return None;
        }
        // SAFETY: inside the NULL-terminated vector.
        let s = unsafe { p.read() } as *const u8;
        if s.is_null() {
            return None;
        }
        // SAFETY: not past the NULL yet.
        p = unsafe { p.add(1) };
        Some(c_str(s))
    })
}

/// The command-line arguments, `argv[0]` first.
pub fn args() -> impl Iterator<Item = &'static [u8]> {
    vector(0)
}

/// The environment, `NAME=VALUE` strings in the kernel's order.
pub fn env() -> impl Iterator<Item = &'static [u8]> {
    vector(1)
}

/// The value of the environment variable `name`, if set.
pub fn var(name: &[u8]) -> Option<&'static [u8]> {
    env().find_map(|kv| {
        kv.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(b"="))
    })
}
