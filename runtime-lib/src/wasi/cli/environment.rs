//! `wasi:cli/environment`: arguments, environment variables and the initial directory.
//!
//! Arguments are the executable's own (`argv[0]` first, as Wasmtime passes the program
//! name). The environment holds exactly the granted variables (`--env`, `--inherit-env`; see
//! `wasi::capabilities`), none by default. There is no initial directory.

use crate::process;
use crate::wasi::abi::{Cx, List, Str};
use crate::wasi::capabilities;

/// A string from the host's bytes: as is when UTF-8, else with `?` for invalid sequences.
fn host_string(cx: &mut Cx, bytes: &[u8]) -> Str {
    match core::str::from_utf8(bytes) {
        Ok(s) => cx.new_string(s),
        Err(_) => cx.new_string(&lossy(bytes)),
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

/// `bytes` with every invalid UTF-8 sequence replaced by `?`, into a static buffer.
fn lossy(bytes: &[u8]) -> heapless_lossy::Lossy {
    heapless_lossy::Lossy::new(bytes)
}

mod heapless_lossy {
    //! A fixed-capacity lossy UTF-8 conversion (no allocator in the runtime).

    /// Up to 4 KiB of text.
    pub struct Lossy {
        buf: [u8; 4096],
        len: usize,
    }

    impl Lossy {
        pub fn new(mut bytes: &[u8]) -> Lossy {
            let mut out = Lossy {
                buf: [0; 4096],
                len: 0,
            };
            while !bytes.is_empty() {
                let (valid, rest) = match core::str::from_utf8(bytes) {
                    Ok(s) => (s.len(), 0),
                    Err(e) => (
                        e.valid_up_to(),
                        e.error_len().unwrap_or(bytes.len() - e.valid_up_to()),
                    ),
                };
                out.push(&bytes[..valid]);
                if rest > 0 {
                    out.push(b"?");
                }
                bytes = &bytes[valid + rest..];
            }
            out
        }

        fn push(&mut self, b: &[u8]) {
            let n = b.len().min(self.buf.len() - self.len);
            self.buf[self.len..self.len + n].copy_from_slice(&b[..n]);
            self.len += n;
        }
    }

    impl core::ops::Deref for Lossy {
        type Target = str;
        fn deref(&self) -> &str {
            // Built from whole valid sequences and `?`, cut only at a sequence boundary
            // unless the 4 KiB limit split one: then the invalid tail is dropped.
            match core::str::from_utf8(&self.buf[..self.len]) {
                Ok(s) => s,
                Err(e) => core::str::from_utf8(&self.buf[..e.valid_up_to()]).unwrap_or(""),
            }
        }
    }
}

/// `initial-cwd`: none.
pub fn initial_cwd(_: &mut Cx) -> Option<Str> {
    None
}
