//! Formatted output to a file descriptor without an allocator or `core::fmt`.
//!
//! [`Out`] collects text in a fixed buffer on the stack and writes it with `write(2)` when
//! full and on [`Out::flush`] (also on drop). It is usable from the signal handler: it takes no
//! locks and touches no global state. `core::fmt` is avoided on purpose: it would add tens of
//! kilobytes to every executable.

use crate::sys;

/// Standard output.
pub const STDOUT: i32 = 1;
/// Standard error.
pub const STDERR: i32 = 2;

/// Exit status when the runtime itself cannot go on (`EX_SOFTWARE`).
pub const RUNTIME_FAILURE: i32 = 70;

/// A buffered writer to one file descriptor.
pub struct Out {
    fd: i32,
    len: usize,
    buf: [u8; 512],
}

impl Out {
    /// A writer to `fd`.
    pub const fn new(fd: i32) -> Out {
        Out {
            fd,
            len: 0,
            buf: [0; 512],
        }
    }

    /// Appends raw bytes.
    #[inline(never)] // one copy of the loop; output is never hot
    pub fn bytes(&mut self, mut s: &[u8]) -> &mut Out {
        while !s.is_empty() {
            if self.len == self.buf.len() {
                self.flush();
            }
            let n = s.len().min(self.buf.len() - self.len);
            self.buf[self.len..self.len + n].copy_from_slice(&s[..n]);
            self.len += n;
            s = &s[n..];
        }
        self
    }

    /// Appends a string.
    pub fn str(&mut self, s: &str) -> &mut Out {
        self.bytes(s.as_bytes())
    }

    /// Appends `v` in lowercase hexadecimal without prefix or leading zeros (`{:x}`).
    pub fn hex(&mut self, v: u128) -> &mut Out {
        let mut digits = [0u8; 32];
        let mut i = digits.len();
        let mut v = v;
        loop {
            i -= 1;
            digits[i] = b"0123456789abcdef"[(v & 0xf) as usize];
            v >>= 4;
            if v == 0 {
                break;
            }
        }
        self.bytes(&digits[i..])
    }

    /// Appends `v` in decimal.
    pub fn dec(&mut self, v: u64) -> &mut Out {
        let mut digits = [0u8; 20];
        self.bytes(decimal(v, &mut digits))
    }

    /// Writes out what is buffered.
    pub fn flush(&mut self) {
        sys::write_all(self.fd, &self.buf[..self.len]);
        self.len = 0;
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        self.flush();
    }
}

/// `v` in decimal, written at the end of `digits`.
pub fn decimal(mut v: u64, digits: &mut [u8; 20]) -> &[u8] {
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    &digits[i..]
}

/// Reports an error of the runtime itself (not of the wasm program) and exits with
/// [`RUNTIME_FAILURE`].
pub fn fatal(message: &str) -> ! {
    Out::new(STDERR)
        .str("smelt runtime: ")
        .str(message)
        .str("\n")
        .flush();
    sys::exit_group(RUNTIME_FAILURE)
}
