//! `wasi:cli/terminal-stdin`: whether standard in is a terminal.

use crate::wasi::abi::{Cx, Own};
use crate::wasi::bindings::cli_terminal_stdin::TerminalInput;

/// `get-terminal-stdin`: a terminal if descriptor 0 is one.
pub fn get_terminal_stdin(_: &mut Cx) -> Option<Own<TerminalInput>> {
    // SAFETY: the standard descriptors stay open for the whole process.
    let fd = unsafe { rustix::fd::BorrowedFd::borrow_raw(0) };
    rustix::termios::isatty(fd).then(|| Own::new(0))
}
