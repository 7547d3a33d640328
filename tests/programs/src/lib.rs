//! What the behaviour programs share: printing results deterministically, the few libc
//! functions std does not wrap (declared by hand: glibc natively, wasi-libc under WASI, which
//! implements them on `wasi:filesystem`), and, under WASI only, hand-written imports of the
//! WASI 0.2 functions that neither std nor wasi-libc reach (`raw`).
//!
//! Output rules every program keeps, so that the native run is the oracle for the WASI run:
//! relative names only, directory listings sorted, errors printed as their
//! [`std::io::ErrorKind`] (never the OS message or number), no times or random values — only
//! facts about them.

use std::ffi::{CString, c_int};
use std::fmt::Debug;
use std::io;
use std::path::Path;

pub mod sys;

#[cfg(target_os = "wasi")]
pub mod raw;

/// The error kind of `e`, as printed by every program (`NotFound`, `PermissionDenied`, …).
pub fn kind(e: &io::Error) -> String {
    format!("{:?}", e.kind())
}

/// `ok` or `err <kind>`.
pub fn outcome<T>(r: &io::Result<T>) -> String {
    match r {
        Ok(_) => "ok".to_string(),
        Err(e) => format!("err {}", kind(e)),
    }
}

/// Prints `label: ok` or `label: err <kind>` and passes the result on.
pub fn check<T>(label: &str, r: io::Result<T>) -> io::Result<T> {
    println!("{label}: {}", outcome(&r));
    r
}

/// Prints `label: <value>` or `label: err <kind>`.
pub fn show<T: Debug>(label: &str, r: io::Result<T>) {
    match r {
        Ok(v) => println!("{label}: {v:?}"),
        Err(e) => println!("{label}: err {}", kind(&e)),
    }
}

/// Unwraps, or prints `label: err <kind>` and exits with status 2.
pub fn must<T>(label: &str, r: io::Result<T>) -> T {
    r.unwrap_or_else(|e| {
        println!("{label}: err {} (fatal)", kind(&e));
        std::process::exit(2)
    })
}

/// The command-line arguments after the program name.
pub fn args() -> Vec<String> {
    std::env::args().skip(1).collect()
}

/// The sandbox directory: the first argument (natively a real temporary directory, under
/// WASI the guest path of a preopen).
pub fn sandbox() -> std::path::PathBuf {
    args()
        .first()
        .map(Into::into)
        .unwrap_or_else(|| usage("SANDBOX ..."))
}

/// Prints a usage line and exits with status 2.
pub fn usage(what: &str) -> ! {
    eprintln!("usage: {} {what}", std::env::args().next().unwrap_or_default());
    std::process::exit(2)
}

/// A NUL-terminated copy of `p` for libc.
pub fn c_path(p: &Path) -> CString {
    CString::new(p.to_str().expect("UTF-8 path")).expect("no NUL in path")
}

/// Turns a libc `-1`-and-errno return into an [`io::Result`].
pub fn cvt(ret: c_int) -> io::Result<c_int> {
    if ret == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// A byte string's 64-bit FNV-1a hash: prints large data as one deterministic number.
pub fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
