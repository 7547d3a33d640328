//! The system calls the runtime makes, as small typed wrappers over [`arch::syscall`].
//!
//! Errors are returned as positive errno values. Nothing here allocates or keeps state.
//!
//! # Safety
//!
//! Each wrapper passes its arguments straight to the kernel. The safe ones (`read`, `write`,
//! `exit_group`, anonymous `mmap`) cannot break memory safety: they only touch the buffers
//! they borrow or create fresh mappings. Those that change existing mappings or signal
//! dispositions are `unsafe fn` and say what the caller must uphold.
#![allow(unsafe_code)]

use crate::arch::{self, nr};

/// A failed system call's errno.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub usize);

const EINTR: usize = 4;

fn check(ret: isize) -> Result<usize, Errno> {
    if (-4095..0).contains(&ret) {
        Err(Errno(ret.unsigned_abs()))
    } else {
        Ok(ret as usize)
    }
}

/// `read(2)`, retried on `EINTR`.
pub fn read(fd: i32, buf: &mut [u8]) -> Result<usize, Errno> {
    loop {
        // SAFETY: the kernel writes at most `buf.len()` bytes into `buf`.
        let ret = unsafe {
            arch::syscall(
                nr::READ,
                [fd as usize, buf.as_mut_ptr() as usize, buf.len(), 0, 0, 0],
            )
        };
        match check(ret) {
            Err(Errno(EINTR)) => continue,
            other => return other,
        }
    }
}

/// `write(2)` of the whole buffer, retried on `EINTR` and short writes. Errors are dropped:
/// there is nowhere left to report them.
pub fn write_all(fd: i32, mut buf: &[u8]) {
    while !buf.is_empty() {
        // SAFETY: the kernel reads at most `buf.len()` bytes from `buf`.
        let ret = unsafe {
            arch::syscall(
                nr::WRITE,
                [fd as usize, buf.as_ptr() as usize, buf.len(), 0, 0, 0],
            )
        };
        match check(ret) {
            Ok(n) => buf = &buf[n.min(buf.len())..],
            Err(Errno(EINTR)) => {}
            Err(_) => return,
        }
    }
}

/// `exit_group(2)`: ends the process with `status`.
pub fn exit_group(status: i32) -> ! {
    loop {
        // SAFETY: exit_group takes no pointers and does not return.
        unsafe { arch::syscall(nr::EXIT_GROUP, [status as usize, 0, 0, 0, 0, 0]) };
    }
}

/// `PROT_NONE`.
pub const PROT_NONE: usize = 0;
/// `PROT_READ | PROT_WRITE`.
pub const PROT_READ_WRITE: usize = 3;

const MAP_PRIVATE: usize = 0x02;
const MAP_ANONYMOUS: usize = 0x20;
const MAP_NORESERVE: usize = 0x4000;

/// A fresh private anonymous mapping of `len` bytes with protection `prot`. With `reserve_only`
/// the kernel does not account the memory (`MAP_NORESERVE`), for address-space reservations.
pub fn mmap_anon(len: usize, prot: usize, reserve_only: bool) -> Result<*mut u8, Errno> {
    let mut flags = MAP_PRIVATE | MAP_ANONYMOUS;
    if reserve_only {
        flags |= MAP_NORESERVE;
    }
    // SAFETY: a new anonymous mapping at an address the kernel picks overlaps nothing.
    let ret = unsafe { arch::syscall(nr::MMAP, [0, len, prot, flags, usize::MAX, 0]) };
    check(ret).map(|addr| addr as *mut u8)
}

/// `munmap(2)`.
///
/// # Safety
///
/// Nothing may use the range afterwards.
pub unsafe fn munmap(addr: *mut u8, len: usize) -> Result<(), Errno> {
    // SAFETY: the caller guarantees the range is no longer used.
    check(unsafe { arch::syscall(nr::MUNMAP, [addr as usize, len, 0, 0, 0, 0]) }).map(drop)
}

/// `mprotect(2)`.
///
/// # Safety
///
/// The range must belong to a mapping the caller owns; removing access must not break a
/// reference that is still in use.
pub unsafe fn mprotect(addr: *mut u8, len: usize, prot: usize) -> Result<(), Errno> {
    // SAFETY: the caller owns the range.
    check(unsafe { arch::syscall(nr::MPROTECT, [addr as usize, len, prot, 0, 0, 0]) }).map(drop)
}

/// `madvise(2)` advice: back the range with transparent huge pages where possible.
pub const MADV_HUGEPAGE: usize = 14;

/// `madvise(2)`.
///
/// # Safety
///
/// The caller owns the range; the advice must not change what it holds (`MADV_HUGEPAGE`).
pub unsafe fn madvise(addr: *mut u8, len: usize, advice: usize) -> Result<(), Errno> {
    // SAFETY: per the caller.
    check(unsafe { arch::syscall(nr::MADVISE, [addr as usize, len, advice, 0, 0, 0]) }).map(drop)
}

/// `rt_sigaction(2)` setting the disposition of `signo`.
///
/// # Safety
///
/// `action` must name a handler that is safe to run for this signal.
pub unsafe fn rt_sigaction(signo: i32, action: &arch::KernelSigaction) -> Result<(), Errno> {
    let act = action as *const arch::KernelSigaction as usize;
    // SAFETY: `act` points at a kernel `struct sigaction`; the mask is 8 bytes.
    check(unsafe { arch::syscall(nr::RT_SIGACTION, [signo as usize, act, 0, 8, 0, 0]) }).map(drop)
}

/// The kernel's `stack_t`.
#[repr(C)]
pub struct SignalStack {
    /// Lowest address of the stack.
    pub sp: *mut u8,
    /// Flags (0).
    pub flags: i32,
    /// Size in bytes.
    pub size: usize,
}

/// `sigaltstack(2)` installing `stack` for this thread.
///
/// # Safety
///
/// The stack must stay mapped and unused by anything else for the life of the thread.
pub unsafe fn sigaltstack(stack: &SignalStack) -> Result<(), Errno> {
    let ss = stack as *const SignalStack as usize;
    // SAFETY: `ss` points at a kernel `stack_t`.
    check(unsafe { arch::syscall(nr::SIGALTSTACK, [ss, 0, 0, 0, 0, 0]) }).map(drop)
}
