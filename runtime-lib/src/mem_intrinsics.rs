//! `memcpy`, `memmove`, `memset`, `memcmp` and `bcmp`: there is no libc to provide them.
//!
//! Rust code (`core::ptr::copy` and friends) and Cranelift's libcalls call these symbols. The
//! crate is `#![no_builtins]`, so LLVM does not turn the loops below back into calls to
//! themselves.
//!
//! Where unaligned accesses are cheap (x86_64, aarch64) copies and fills move 16 bytes at a
//! time (one SSE / NEON register), with the first or last 16 bytes loaded before the loop and
//! stored after it so no byte loop is needed; up to 32 bytes every load precedes every store,
//! which makes small moves overlap-safe in either direction. x86_64 hands large disjoint
//! copies and large fills to `rep movsb` / `rep stosb`, which every x86_64 CPU since Ivy
//! Bridge runs at cache-line speed. These are the copies `memory.copy` and `memory.fill`
//! make, which Rust programs use for every `Vec` growth and string move, so they matter as
//! much as generated code (json spent 9% of its instructions in the word loop this
//! replaced). riscv64 may trap and emulate unaligned accesses, so it keeps eight bytes at a
//! time once both pointers are aligned, and bytes otherwise.
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

/// From this size on x86_64 copies disjoint ranges and fills with `rep movsb` / `rep stosb`.
#[cfg(target_arch = "x86_64")]
const REP_THRESHOLD: usize = 2048;

/// An unaligned load of a `T`.
///
/// # Safety
///
/// `p` valid for reading `size_of::<T>()` bytes.
#[inline(always)]
unsafe fn ld<T>(p: *const u8) -> T {
    // SAFETY: per the caller.
    unsafe { p.cast::<T>().read_unaligned() }
}

/// An unaligned store of a `T`.
///
/// # Safety
///
/// `p` valid for writing `size_of::<T>()` bytes.
#[inline(always)]
unsafe fn st<T>(p: *mut u8, v: T) {
    // SAFETY: per the caller.
    unsafe { p.cast::<T>().write_unaligned(v) }
}

/// Copies `n` bytes, `size_of::<T>() <= n <= 2 * size_of::<T>()`, as two possibly
/// overlapping `T`s from both ends, both loaded before either is stored.
///
/// # Safety
///
/// Valid ranges of `n` bytes, and `n` in that interval.
#[inline(always)]
unsafe fn copy_ends<T>(dst: *mut u8, src: *const u8, n: usize) {
    let last = n - size_of::<T>();
    // SAFETY: `[0, size)` and `[last, n)` lie inside both ranges.
    unsafe {
        let (a, b) = (ld::<T>(src), ld::<T>(src.add(last)));
        st(dst, a);
        st(dst.add(last), b);
    }
}

/// Copies `n <= 32` bytes: every load happens before every store, so the ranges may overlap
/// in either direction.
///
/// # Safety
///
/// Valid ranges of `n` bytes.
#[inline(always)]
unsafe fn copy_small(dst: *mut u8, src: *const u8, n: usize) {
    // SAFETY: each branch's `n` is in the interval `copy_ends` needs.
    unsafe {
        if n >= 16 {
            copy_ends::<u128>(dst, src, n);
        } else if n >= 8 {
            copy_ends::<u64>(dst, src, n);
        } else if n >= 4 {
            copy_ends::<u32>(dst, src, n);
        } else if n >= 2 {
            copy_ends::<u16>(dst, src, n);
        } else if n == 1 {
            *dst = *src;
        }
    }
}

/// Copies `n > 32` bytes, 16 at a time, lowest address first (unaligned accesses).
///
/// # Safety
///
/// Valid ranges; if they overlap, `dst` must be below `src`.
#[inline(always)]
unsafe fn copy_forward_wide(dst: *mut u8, src: *const u8, n: usize) {
    // SAFETY: every access is inside the ranges. Stores only reach source bytes below the
    // next load (dst < src), except the last 16, which are loaded before the loop.
    unsafe {
        #[cfg(target_arch = "x86_64")]
        if n >= REP_THRESHOLD && (src as usize).wrapping_sub(dst as usize) >= n {
            core::arch::asm!(
                "rep movsb",
                inout("rcx") n => _,
                inout("rdi") dst => _,
                inout("rsi") src => _,
                options(nostack, preserves_flags)
            );
            return;
        }
        let last = ld::<u128>(src.add(n - 16));
        let mut i = 0;
        while i < n - 16 {
            st(dst.add(i), ld::<u128>(src.add(i)));
            i += 16;
        }
        st(dst.add(n - 16), last);
    }
}

/// Copies `n > 32` bytes, 16 at a time, highest address first (unaligned accesses).
///
/// # Safety
///
/// Valid ranges; if they overlap, `dst` must be above `src`.
#[inline(always)]
unsafe fn copy_backward_wide(dst: *mut u8, src: *const u8, n: usize) {
    // SAFETY: mirror image of `copy_forward_wide`: the first 16 bytes are loaded first.
    unsafe {
        let first = ld::<u128>(src);
        let mut i = n;
        while i > 16 {
            i -= 16;
            st(dst.add(i), ld::<u128>(src.add(i)));
        }
        st(dst, first);
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
    // SAFETY: per the caller (disjoint ranges may take either direction).
    unsafe { memmove(dst, src, n) }
}

/// `memmove(3)`.
///
/// # Safety
///
/// Valid ranges, which may overlap.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if FAST_UNALIGNED {
        // SAFETY: per the caller; the direction as below.
        unsafe {
            if n <= 32 {
                copy_small(dst, src, n);
            } else if (dst as usize).wrapping_sub(src as usize) >= n {
                copy_forward_wide(dst, src, n);
            } else {
                copy_backward_wide(dst, src, n);
            }
        }
        return dst;
    }
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
    if FAST_UNALIGNED && n >= 16 {
        let wide = u128::from_ne_bytes([byte; 16]);
        // SAFETY: every store is inside `[s, s + n)`, the last one ending at `s + n`.
        unsafe {
            #[cfg(target_arch = "x86_64")]
            if n >= REP_THRESHOLD {
                core::arch::asm!(
                    "rep stosb",
                    inout("rcx") n => _,
                    inout("rdi") s => _,
                    in("al") byte,
                    options(nostack, preserves_flags)
                );
                return s;
            }
            let mut i = 0;
            while i < n - 16 {
                st(s.add(i), wide);
                i += 16;
            }
            st(s.add(n - 16), wide);
        }
        return s;
    }
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
