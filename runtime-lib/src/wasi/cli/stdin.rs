//! `wasi:cli/stdin`.

use crate::wasi::abi::{Cx, Own};
use crate::wasi::bindings::cli_stdin::InputStream;
use crate::wasi::io::streams::{Input, new_input};

/// `get-stdin`: a new stream reading standard input.
pub fn get_stdin(_: &mut Cx) -> Own<InputStream> {
    new_input(Input::Stdin)
}
