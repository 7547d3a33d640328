//! 128-bit integer division for compiled code (the `int128_div` builtin).
//!
//! WebAssembly has no 128-bit division, so LLVM compiles Rust's and C's `u128`/`i128` `/` and
//! `%` to calls of the compiler runtime's `__udivti3`, `__umodti3`, `__divti3` and
//! `__modti3`, whose wasm bodies divide bit by bit or in 32-bit steps. The compiler replaces
//! such calls by a 64-bit division when both operands fit in 64 bits, and by this builtin
//! otherwise: here the division is the target's own 128-bit division (Rust's, i.e. the
//! native compiler runtime, which uses the 128/64 `div` instruction on x86_64).
//!
//! Compiled code traps on a zero divisor before calling; should one arrive anyway, this traps
//! the same way (integer divide by zero) rather than panicking.
#![allow(unsafe_code)]

use crate::trap::raise;
use smelt_contract::Trap;
use smelt_contract::builtins::int128_div::{SDIV, SREM, UREM};

/// Divides `a_hi:a_lo` by `b_hi:b_lo` as `kind` says and writes the result's halves to
/// `out[0]` (low) and `out[1]` (high).
///
/// # Safety
///
/// `out` must be valid for writing two `u64`s.
pub unsafe fn int128_div(out: *mut u64, kind: u32, a_lo: u64, a_hi: u64, b_lo: u64, b_hi: u64) {
    let a = u128::from(a_hi) << 64 | u128::from(a_lo);
    let b = u128::from(b_hi) << 64 | u128::from(b_lo);
    if b == 0 {
        raise(Trap::IntegerDivisionByZero);
    }
    let r = match kind {
        UREM => a % b,
        SDIV => (a as i128).wrapping_div(b as i128) as u128,
        SREM => (a as i128).wrapping_rem(b as i128) as u128,
        _ => a / b, // UDIV
    };
    // SAFETY: the compiled caller passes a 16-byte stack slot.
    unsafe {
        out.write(r as u64);
        out.add(1).write((r >> 64) as u64);
    }
}
