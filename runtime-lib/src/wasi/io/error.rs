//! `wasi:io/error`: the `error` resource a failed stream operation returns. Each holds the
//! `errno` of the failure.

use crate::wasi::abi::{Borrow, Cx, Own, Str};
use crate::wasi::bindings::io_error::Error;
use crate::wasi::slab::{Global, Slab};

/// The errno of every live `error`.
static ERRORS: Global<Slab<i32>> = Global::new(Slab::new());

/// A new `error` for `errno`.
pub fn new(errno: i32) -> Own<Error> {
    Own::new(ERRORS.with(|s| s.insert(errno)))
}

/// The errno of `error`.
pub fn errno(error: Borrow<Error>) -> i32 {
    ERRORS.with(|s| *s.get(error.rep))
}

/// `to-debug-string`: `errno N`, for people only.
pub fn error_to_debug_string(cx: &mut Cx, this: Borrow<Error>) -> Str {
    let mut digits = [0u8; 20];
    let digits = crate::io::decimal(errno(this).unsigned_abs().into(), &mut digits);
    let mut text = [0u8; 26];
    text[..6].copy_from_slice(b"errno ");
    text[6..6 + digits.len()].copy_from_slice(digits);
    cx.new_string(core::str::from_utf8(&text[..6 + digits.len()]).unwrap_or("error"))
}

/// Drops an `error`.
pub fn drop_error(_: &mut Cx, this: Own<Error>) {
    ERRORS.with(|s| s.remove(this.rep));
}
