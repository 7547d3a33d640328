//! `memcpy`, `memmove`, `memset`, `memcmp` and `bcmp`: there is no libc to provide them.
//!
//! Rust code (`core::ptr::copy` and friends) and Cranelift's libcalls call these symbols. The
//! crate is `#![no_builtins]`, so LLVM does not turn the loops below back into calls to
//! themselves. Copies move eight bytes at a time once the destination is aligned, when the
//! source is equally aligned or the architecture has cheap unaligned loads (x86_64,
//! aarch64; riscv64 may trap and emulate them, so it copies bytes instead).
//!
//! # Safety
//!
//! Each function has the C library's contract: the caller guarantees the ranges are valid.
//! Word accesses stay inside the ranges.
#![allow(unsafe_code)]

const WORD: usize = size_of::<usize>();

/// Whether unaligned word loads are cheap on this architecture.
const FAST_UNALIGNED: bool = cfg!(any(target_arch = "x86_64", target_arch = "aarch64"));

/// Loads a word from `src`, which is word-aligned unless [`FAST_UNALIGNED`].
///
/// # Safety
///
/// `src` must be valid for reading a word.
#[inline(always)]
unsafe fn load(src: *const u8) -> usize {
    // SAFETY: per the caller; aligned when unaligned loads are not fast.
    unsafe {
        if FAST_UNALIGNED {
            src.cast::<usize>().read_unaligned()
        } else {
            src.cast::<usize>().read()
        }
    }
}

/// Copies `n` bytes from `src` to `dst`, lowest address first.
///
/// # Safety
///
/// Valid ranges; if they overlap, `dst` must not be above `src`.
#[inline(always)]
unsafe fn copy_forward(mut dst: *mut u8, mut src: *const u8, mut n: usize) {
    // SAFETY: every access is inside `[dst, dst + n)` / `[src, src + n)` as `n` counts down.
    unsafe {
        if n >= 2 * WORD && (FAST_UNALIGNED || (dst as usize ^ src as usize).is_multiple_of(WORD)) {
            while !(dst as usize).is_multiple_of(WORD) {
                *dst = *src;
                dst = dst.add(1);
                src = src.add(1);
                n -= 1;
            }
            while n >= WORD {
                let w = load(src);
                dst.cast::<usize>().write(w);
                dst = dst.add(WORD);
                src = src.add(WORD);
                n -= WORD;
            }
        }
        while n > 0 {
            *dst = *src;
            dst = dst.add(1);
            src = src.add(1);
            n -= 1;
        }
    }
}

/// Copies `n` bytes from `src` to `dst`, highest address first.
///
/// # Safety
///
/// Valid ranges; if they overlap, `dst` must not be below `src`.
#[inline(always)]
unsafe fn copy_backward(dst: *mut u8, src: *const u8, mut n: usize) {
    // SAFETY: as in `copy_forward`, counting down from the ends.
    unsafe {
        let mut d = dst.add(n);
        let mut s = src.add(n);
        if n >= 2 * WORD && (FAST_UNALIGNED || (dst as usize ^ src as usize).is_multiple_of(WORD)) {
            while !(d as usize).is_multiple_of(WORD) {
                d = d.sub(1);
                s = s.sub(1);
                *d = *s;
                n -= 1;
            }
            while n >= WORD {
                d = d.sub(WORD);
                s = s.sub(WORD);
                let w = load(s);
                d.cast::<usize>().write(w);
                n -= WORD;
            }
        }
        while n > 0 {
            d = d.sub(1);
            s = s.sub(1);
            *d = *s;
            n -= 1;
        }
    }
}

/// `memcpy(3)`.
///
/// # Safety
///
/// Valid, non-overlapping ranges.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: per the caller.
    unsafe { copy_forward(dst, src, n) };
    dst
}

/// `memmove(3)`.
///
/// # Safety
///
/// Valid ranges, which may overlap.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // Forward is safe unless `dst` lies inside `(src, src + n)`.
    if (dst as usize).wrapping_sub(src as usize) >= n {
        // SAFETY: per the caller; `dst` is not above an overlapping `src`.
        unsafe { copy_forward(dst, src, n) };
    } else {
        // SAFETY: per the caller; `dst` is above `src`.
        unsafe { copy_backward(dst, src, n) };
    }
    dst
}

/// `memset(3)`.
///
/// # Safety
///
/// A valid range.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memset(s: *mut u8, c: i32, n: usize) -> *mut u8 {
    let byte = c as u8;
    let mut p = s;
    let mut n = n;
    // SAFETY: every access is inside `[s, s + n)` as `n` counts down.
    unsafe {
        if n >= 2 * WORD {
            while !(p as usize).is_multiple_of(WORD) {
                *p = byte;
                p = p.add(1);
                n -= 1;
            }
            let word = usize::from_ne_bytes([byte; WORD]);
            while n >= WORD {
                p.cast::<usize>().write(word);
                p = p.add(WORD);
                n -= WORD;
            }
        }
        while n > 0 {
            *p = byte;
            p = p.add(1);
            n -= 1;
        }
    }
    s
}

/// `memcmp(3)`.
///
/// # Safety
///
/// Valid ranges.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    for i in 0..n {
        // SAFETY: `i < n`.
        let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
        if x != y {
            return i32::from(x) - i32::from(y);
        }
    }
    0
}

/// `bcmp(3)`: zero if the ranges are equal.
///
/// # Safety
///
/// Valid ranges.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: per the caller.
    unsafe { memcmp(a, b, n) }
}

/// `strlen(3)` (rustix's vDSO lookup uses it).
///
/// # Safety
///
/// `s` is NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strlen(s: *const u8) -> usize {
    let mut n = 0;
    // SAFETY: per the caller, the string ends with a NUL.
    while unsafe { *s.add(n) } != 0 {
        n += 1;
    }
    n
}
