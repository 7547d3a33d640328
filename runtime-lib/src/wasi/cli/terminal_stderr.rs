//! `wasi:cli/terminal-stderr`: whether standard err is a terminal.

use crate::wasi::abi::{Cx, Own};
use crate::wasi::bindings::cli_terminal_stderr::TerminalOutput;

/// `get-terminal-stderr`: a terminal if descriptor 2 is one.
pub fn get_terminal_stderr(_: &mut Cx) -> Option<Own<TerminalOutput>> {
    // SAFETY: the standard descriptors stay open for the whole process.
    let fd = unsafe { rustix::fd::BorrowedFd::borrow_raw(2) };
    rustix::termios::isatty(fd).then(|| Own::new(2))
}
