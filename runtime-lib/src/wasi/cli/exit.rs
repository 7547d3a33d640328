//! `wasi:cli/exit`.

use crate::sys;
use crate::wasi::Context;

/// `exit: func(status: result)`: `ok` (0) exits with status 0, `err` with 1, as Wasmtime
/// does. Output is written unbuffered, so there is nothing to flush.
pub fn cli_exit_exit(_: Context, status: u32) {
    sys::exit_group(if status == 0 { 0 } else { 1 })
}

/// `exit-with-code: func(status-code: u8)`. The Canonical ABI lifts a `u8` from the low
/// 8 bits of its core `i32`.
pub fn cli_exit_exit_with_code(_: Context, status_code: u32) {
    sys::exit_group((status_code & 0xff) as i32)
}
