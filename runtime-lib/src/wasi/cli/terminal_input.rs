//! `wasi:cli/terminal-input`: the `terminal-input` resource. It has no methods; a terminal
//! is just a fact about a standard stream, so the representation is the descriptor number.

use crate::wasi::abi::{Cx, Own};
use crate::wasi::bindings::cli_terminal_input::TerminalInput;

/// Drops a `terminal-input`.
pub fn drop_terminal_input(_: &mut Cx, _: Own<TerminalInput>) {}
