//! libc functions std has no (stable) wrapper for, declared by hand so the programs need no
//! crates. Natively they are glibc's; under WASI wasi-libc's, which implements each on
//! `wasi:filesystem/types` (named beside each function). Only the flag values differ
//! between the two, so they are here per target.

use std::ffi::{c_char, c_int, c_long, c_void};

unsafe extern "C" {
    /// `open-at` with the flags below.
    pub fn open(path: *const c_char, flags: c_int, ...) -> c_int;
    pub fn close(fd: c_int) -> c_int;
    /// `descriptor.read` (positional).
    pub fn pread(fd: c_int, buf: *mut c_void, len: usize, offset: i64) -> isize;
    /// `descriptor.write` (positional).
    pub fn pwrite(fd: c_int, buf: *const c_void, len: usize, offset: i64) -> isize;
    /// `F_GETFL`: `descriptor.get-flags`.
    pub fn fcntl(fd: c_int, cmd: c_int, ...) -> c_int;
    /// `descriptor.advise`; returns the error number instead of setting `errno`.
    pub fn posix_fadvise(fd: c_int, offset: i64, len: i64, advice: c_int) -> c_int;
    /// `descriptor.symlink-at` (std's `symlink_path` is unstable on WASI).
    pub fn symlink(target: *const c_char, path: *const c_char) -> c_int;
    /// `descriptor.set-times-at`.
    pub fn utimensat(
        dirfd: c_int,
        path: *const c_char,
        times: *const Timespec,
        flags: c_int,
    ) -> c_int;
}

/// `struct timespec`: `time_t` is 64-bit on every target here, `long` is not.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Timespec {
    pub sec: i64,
    pub nsec: c_long,
}

pub use flags::*;

/// wasi-libc's values (`__header_fcntl.h`): descriptor flags in the low bits, open flags
/// shifted by 12, the access mode in high bits.
#[cfg(target_os = "wasi")]
mod flags {
    use std::ffi::c_int;
    pub const O_RDONLY: c_int = 0x0400_0000;
    pub const O_WRONLY: c_int = 0x1000_0000;
    pub const O_RDWR: c_int = O_RDONLY | O_WRONLY;
    pub const O_ACCMODE: c_int = 0x0200_0000 | O_RDWR | 0x0800_0000;
    pub const O_APPEND: c_int = 1;
    pub const O_DSYNC: c_int = 2;
    pub const O_NONBLOCK: c_int = 4;
    pub const O_RSYNC: c_int = 8;
    pub const O_SYNC: c_int = 16;
    pub const O_CREAT: c_int = 1 << 12;
    pub const O_DIRECTORY: c_int = 2 << 12;
    pub const O_EXCL: c_int = 4 << 12;
    pub const O_TRUNC: c_int = 8 << 12;
    pub const O_NOFOLLOW: c_int = 0x0100_0000;
    pub const F_GETFL: c_int = 3;
    pub const AT_FDCWD: c_int = -2;
    pub const AT_SYMLINK_NOFOLLOW: c_int = 1;
    /// WASI's `advice` enum order.
    pub const FADV: [(c_int, &str); 6] = [
        (0, "normal"),
        (1, "sequential"),
        (2, "random"),
        (3, "will-need"),
        (4, "dont-need"),
        (5, "no-reuse"),
    ];
}

/// Linux's values (asm-generic, with the x86_64/aarch64 exceptions for `O_DIRECTORY` and
/// `O_NOFOLLOW`).
#[cfg(not(target_os = "wasi"))]
mod flags {
    use std::ffi::c_int;
    pub const O_RDONLY: c_int = 0;
    pub const O_WRONLY: c_int = 1;
    pub const O_RDWR: c_int = 2;
    pub const O_ACCMODE: c_int = 3;
    pub const O_APPEND: c_int = 0o2000;
    pub const O_DSYNC: c_int = 0o10000;
    pub const O_NONBLOCK: c_int = 0o4000;
    pub const O_SYNC: c_int = 0o4010000;
    /// Linux defines `O_RSYNC` as `O_SYNC`.
    pub const O_RSYNC: c_int = O_SYNC;
    pub const O_CREAT: c_int = 0o100;
    pub const O_EXCL: c_int = 0o200;
    pub const O_TRUNC: c_int = 0o1000;
    #[cfg(target_arch = "aarch64")]
    pub const O_DIRECTORY: c_int = 0o40000;
    #[cfg(not(target_arch = "aarch64"))]
    pub const O_DIRECTORY: c_int = 0o200000;
    #[cfg(target_arch = "aarch64")]
    pub const O_NOFOLLOW: c_int = 0o100000;
    #[cfg(not(target_arch = "aarch64"))]
    pub const O_NOFOLLOW: c_int = 0o400000;
    pub const F_GETFL: c_int = 3;
    pub const AT_FDCWD: c_int = -100;
    pub const AT_SYMLINK_NOFOLLOW: c_int = 0x100;
    /// Linux's `POSIX_FADV_*` values, named as WASI's `advice` cases.
    pub const FADV: [(c_int, &str); 6] = [
        (0, "normal"),
        (2, "sequential"),
        (1, "random"),
        (3, "will-need"),
        (4, "dont-need"),
        (5, "no-reuse"),
    ];
}
