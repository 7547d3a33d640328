//! 128-bit integer division for compiled code (the `int128_*` builtins).
//!
//! WebAssembly has no 128-bit division, so LLVM compiles Rust's and C's `u128`/`i128` `/` and
//! `%` to calls of the compiler runtime's `__udivti3`, `__umodti3`, `__divti3` and
//! `__modti3`, whose wasm bodies divide bit by bit or in 32-bit steps. The compiler replaces
//! such calls by a 64-bit division when both operands fit in 64 bits, and by these builtins
//! otherwise: here the division is the target's own 128-bit division (the native compiler
//! runtime's, which uses the 128/64 `div` instruction on x86_64). Operands and results are
//! `u128` in the C ABI's registers, so each builtin is a check and a jump.
//!
//! Compiled code traps on a zero divisor before calling; should one arrive anyway, these trap
//! the same way (integer divide by zero) rather than panicking.

use crate::trap::raise;
use smelt_contract::Trap;

/// Traps with integer divide by zero unless `b` is non-zero.
fn divisor(b: u128) -> u128 {
    if b == 0 {
        raise(Trap::IntegerDivisionByZero);
    }
    b
}

/// `a / b`, unsigned.
pub fn int128_udiv(a: u128, b: u128) -> u128 {
    a / divisor(b)
}

/// `a % b`, unsigned.
pub fn int128_urem(a: u128, b: u128) -> u128 {
    a % divisor(b)
}

/// `a / b` of the signed values with these bit patterns; `i128::MIN / -1` wraps.
pub fn int128_sdiv(a: u128, b: u128) -> u128 {
    (a as i128).wrapping_div(divisor(b) as i128) as u128
}

/// `a % b` of the signed values with these bit patterns; `i128::MIN % -1` is 0.
pub fn int128_srem(a: u128, b: u128) -> u128 {
    (a as i128).wrapping_rem(divisor(b) as i128) as u128
}
