//! `wasi:io/error`: the host never creates an `error` (its streams do not fail), so the
//! only function a component can reach is the drop, and every handle it passes is unknown.

use crate::trap;
use crate::wasi::Context;
use smelt_contract::Trap;

/// `canon resource.drop` of an `error`.
pub fn io_error_error_drop(_: Context, _this: u32) {
    trap::raise(Trap::UnknownHandle)
}
