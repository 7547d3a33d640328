//! `wasi:cli/exit`: ends the process. Nothing is buffered in the runtime, so there is
//! nothing to flush.

use crate::sys;

/// `exit`: status 0 for `ok`, 1 for `err`.
pub fn exit(_: &mut crate::wasi::abi::Cx, status: Result<(), ()>) {
    sys::exit_group(if status.is_ok() { 0 } else { 1 })
}

/// `exit-with-code`: that status.
pub fn exit_with_code(_: &mut crate::wasi::abi::Cx, status_code: u8) {
    sys::exit_group(status_code.into())
}
