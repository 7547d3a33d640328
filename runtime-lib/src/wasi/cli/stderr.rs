//! `wasi:cli/stderr`.

use crate::wasi::abi::{Cx, Own};
use crate::wasi::bindings::cli_stderr::OutputStream;
use crate::wasi::io::streams::{Output, new_output};

/// `get-stderr`: a new stream writing standard error.
pub fn get_stderr(_: &mut Cx) -> Own<OutputStream> {
    new_output(Output::Stderr)
}
