//! `wasi:cli/terminal-output`: the `terminal-output` resource (see `terminal_input`).

use crate::wasi::abi::{Cx, Own};
use crate::wasi::bindings::cli_terminal_output::TerminalOutput;

/// Drops a `terminal-output`.
pub fn drop_terminal_output(_: &mut Cx, _: Own<TerminalOutput>) {}
