//! What the behaviour programs share: printing results deterministically, the few libc
//! functions std does not wrap (declared by hand: glibc natively, wasi-libc under WASI, which
//! implements them on `wasi:filesystem`), and, under WASI only, hand-written imports of the
//! WASI 0.2 functions that neither std nor wasi-libc reach (`raw`).
//!
//! Output rules every program keeps, so that the native run is the oracle for the WASI run:
//! relative names only, directory listings sorted, errors printed by name (see [`kind`]; never
//! the OS message or number), no times or random values — only facts about them.

use std::ffi::{CString, c_int};
use std::fmt::Debug;
use std::io;
use std::path::Path;

pub mod sys;

#[cfg(target_os = "wasi")]
pub mod raw;

/// How every program prints an error: the errno name when the error came from the system
/// (`ENOTEMPTY`: wasi-libc maps each WASI `error-code` to one errno, so this shows the host's
/// error code exactly, where std's [`io::ErrorKind`] lumps several together and misses some
/// under WASI), else the kind std made up (`InvalidInput`).
pub fn kind(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(n) => ERRNOS
            .iter()
            .find(|(_, linux, wasi)| {
                n == if cfg!(target_os = "wasi") {
                    *wasi
                } else {
                    *linux
                }
            })
            .map_or_else(|| format!("errno {n}"), |(name, _, _)| name.to_string()),
        None => format!("{:?}", e.kind()),
    }
}

/// Error numbers by name: (name, Linux value, wasi-libc value). An errno missing here prints
/// as its number, which differs between the two and so shows up as a difference.
const ERRNOS: [(&str, i32, i32); 41] = [
    ("E2BIG", 7, 1),
    ("EACCES", 13, 2),
    ("EAGAIN", 11, 6),
    ("EALREADY", 114, 7),
    ("EBADF", 9, 8),
    ("EBUSY", 16, 10),
    ("EDEADLK", 35, 16),
    ("EDQUOT", 122, 19),
    ("EEXIST", 17, 20),
    ("EFAULT", 14, 21),
    ("EFBIG", 27, 22),
    ("EILSEQ", 84, 25),
    ("EINPROGRESS", 115, 26),
    ("EINTR", 4, 27),
    ("EINVAL", 22, 28),
    ("EIO", 5, 29),
    ("EISDIR", 21, 31),
    ("ELOOP", 40, 32),
    ("EMFILE", 24, 33),
    ("EMLINK", 31, 34),
    ("EMSGSIZE", 90, 35),
    ("ENAMETOOLONG", 36, 37),
    ("ENODEV", 19, 43),
    ("ENOENT", 2, 44),
    ("ENOLCK", 37, 46),
    ("ENOMEM", 12, 48),
    ("ENOSPC", 28, 51),
    ("ENOSYS", 38, 52),
    ("ENOTDIR", 20, 54),
    ("ENOTEMPTY", 39, 55),
    ("ENOTRECOVERABLE", 131, 56),
    ("ENOTSUP", 95, 58),
    ("ENOTTY", 25, 59),
    ("ENXIO", 6, 60),
    ("EOVERFLOW", 75, 61),
    ("EPERM", 1, 63),
    ("EPIPE", 32, 64),
    ("EROFS", 30, 69),
    ("ESPIPE", 29, 70),
    ("ETXTBSY", 26, 74),
    ("EXDEV", 18, 75),
];

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
    eprintln!(
        "usage: {} {what}",
        std::env::args().next().unwrap_or_default()
    );
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
