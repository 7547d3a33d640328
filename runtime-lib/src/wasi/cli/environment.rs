//! `wasi:cli/environment`: arguments, environment variables and the initial directory.
//!
//! Arguments are the executable's own (`argv[0]` first, as Wasmtime passes the program
//! name). The environment holds exactly the granted variables (`--env`, `--inherit-env`; see
//! `wasi::capabilities`), none by default. There is no initial directory.

use crate::process;
use crate::wasi::abi::{Cx, List, Str};
use crate::wasi::capabilities;

/// A string from the host's bytes: as is when UTF-8, else with `?` for each invalid
/// sequence (whatever its length).
fn host_string(cx: &mut Cx, bytes: &[u8]) -> Str {
    match core::str::from_utf8(bytes) {
        Ok(s) => cx.new_string(s),
        Err(_) => cx.new_text(&|f| lossy_pieces(bytes, f)),
    }
}

/// Gives `f` the pieces of `bytes` read as UTF-8: valid runs, and `?` for each invalid
/// sequence.
fn lossy_pieces(mut bytes: &[u8], f: &mut dyn FnMut(&str)) {
    while !bytes.is_empty() {
        match core::str::from_utf8(bytes) {
            Ok(s) => return f(s),
            Err(e) => {
                let valid = e.valid_up_to();
                f(core::str::from_utf8(&bytes[..valid]).unwrap_or_default());
                f("?");
                bytes = &bytes[valid + e.error_len().unwrap_or(bytes.len() - valid)..];
            }
        }
    }
}

/// `get-environment`: the granted variables.
pub fn get_environment(cx: &mut Cx) -> List<(Str, Str)> {
    let caps = capabilities::get();
    let list = cx.new_list::<(Str, Str)>(caps.environment().count() as u32);
    for (i, (name, value)) in caps.environment().enumerate() {
        let name = host_string(cx, name);
        let value = host_string(cx, value);
        cx.set(list, i as u32, (name, value));
    }
    list
}

/// `get-arguments`.
pub fn get_arguments(cx: &mut Cx) -> List<Str> {
    let list = cx.new_list::<Str>(process::args().count() as u32);
    for (i, arg) in process::args().enumerate() {
        // Arguments that are not UTF-8 are passed with replacement characters, as Wasmtime
        // cannot pass them either.
        let s = host_string(cx, arg);
        cx.set(list, i as u32, s);
    }
    list
}

/// `initial-cwd`: none.
pub fn initial_cwd(_: &mut Cx) -> Option<Str> {
    None
}
