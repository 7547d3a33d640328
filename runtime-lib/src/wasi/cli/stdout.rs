//! `wasi:cli/stdout`.

use crate::wasi::abi::{Cx, Own};
use crate::wasi::bindings::cli_stdout::OutputStream;
use crate::wasi::io::streams::{Output, new_output};

/// `get-stdout`: a new stream writing standard output.
pub fn get_stdout(_: &mut Cx) -> Own<OutputStream> {
    new_output(Output::Stdout)
}
