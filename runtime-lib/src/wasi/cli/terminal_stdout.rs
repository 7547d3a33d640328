//! `wasi:cli/terminal-stdout`: whether standard out is a terminal.

use crate::wasi::abi::{Cx, Own};
use crate::wasi::bindings::cli_terminal_stdout::TerminalOutput;

/// `get-terminal-stdout`: a terminal if descriptor 1 is one.
pub fn get_terminal_stdout(_: &mut Cx) -> Option<Own<TerminalOutput>> {
    // SAFETY: the standard descriptors stay open for the whole process.
    let fd = unsafe { rustix::fd::BorrowedFd::borrow_raw(1) };
    rustix::termios::isatty(fd).then(|| Own::new(1))
}
