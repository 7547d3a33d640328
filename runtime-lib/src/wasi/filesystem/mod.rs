//! `wasi:filesystem`: the preopened directories and everything reachable beneath them.
//!
//! - `preopens`: the directories granted at build time (see `wasi::capabilities`), each
//!   opened once at start-up; `get-directories` hands out new descriptors for them.
//! - `types`: the `descriptor` and `directory-entry-stream` resources.
//! - `listing`: directory listings, read ahead a few dozen entries at a time.
//! - `path`: the sandbox. Every path is resolved component by component beneath the
//!   descriptor it is relative to; escapes (`..` above it, absolute paths, symbolic links
//!   leading outside) fail with `not-permitted`, as in Wasmtime.
//!
//! Permissions follow Wasmtime's model: a directory descriptor carries directory permissions
//! (read; mutate: create, remove, rename, link, set times) and the file permissions of files
//! opened beneath it (read, write); a `--dir-ro` grant has read only, `--dir` everything.
//! Errors are the `errno` of the failing system call, mapped as Wasmtime maps them
//! ([`error_code`]).

pub mod listing;
pub mod path;
pub mod preopens;
pub mod types;

use crate::wasi::bindings::filesystem_types::ErrorCode;
use rustix::fd::IntoRawFd;
use rustix::fs::{CWD, Mode, OFlags};
use rustix::io::Errno;

/// Opens a granted host directory (relative paths against the working directory) for the
/// whole run.
pub fn open_preopen(host: &[u8]) -> Result<i32, Errno> {
    let fd = rustix::fs::openat(
        CWD,
        host,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    Ok(fd.into_raw_fd())
}

/// The `error-code` for an `errno`, as Wasmtime maps them (`std::io::Error` to
/// `wasi:filesystem/types.error-code`); anything else is `io`.
pub fn error_code(e: Errno) -> ErrorCode {
    match e {
        Errno::AGAIN => ErrorCode::WouldBlock,
        Errno::BADF => ErrorCode::BadDescriptor,
        Errno::ACCESS => ErrorCode::Access,
        Errno::ALREADY => ErrorCode::Already,
        Errno::BUSY => ErrorCode::Busy,
        Errno::DEADLK => ErrorCode::Deadlock,
        Errno::DQUOT => ErrorCode::Quota,
        Errno::EXIST => ErrorCode::Exist,
        Errno::FBIG => ErrorCode::FileTooLarge,
        Errno::ILSEQ => ErrorCode::IllegalByteSequence,
        Errno::INPROGRESS => ErrorCode::InProgress,
        Errno::INTR => ErrorCode::Interrupted,
        Errno::INVAL => ErrorCode::Invalid,
        Errno::IO => ErrorCode::Io,
        Errno::ISDIR => ErrorCode::IsDirectory,
        Errno::LOOP => ErrorCode::Loop,
        Errno::MLINK => ErrorCode::TooManyLinks,
        Errno::MSGSIZE => ErrorCode::MessageSize,
        Errno::NAMETOOLONG => ErrorCode::NameTooLong,
        Errno::NODEV => ErrorCode::NoDevice,
        Errno::NOENT => ErrorCode::NoEntry,
        Errno::NOLCK => ErrorCode::NoLock,
        Errno::NOMEM => ErrorCode::InsufficientMemory,
        Errno::NOSPC => ErrorCode::InsufficientSpace,
        Errno::NOSYS => ErrorCode::Unsupported,
        Errno::NOTDIR => ErrorCode::NotDirectory,
        Errno::NOTEMPTY => ErrorCode::NotEmpty,
        Errno::NOTRECOVERABLE => ErrorCode::NotRecoverable,
        Errno::NOTSUP => ErrorCode::Unsupported,
        Errno::NOTTY => ErrorCode::NoTty,
        Errno::NXIO => ErrorCode::NoSuchDevice,
        Errno::OVERFLOW => ErrorCode::Overflow,
        Errno::PERM => ErrorCode::NotPermitted,
        Errno::PIPE => ErrorCode::Pipe,
        Errno::ROFS => ErrorCode::ReadOnly,
        Errno::SPIPE => ErrorCode::InvalidSeek,
        Errno::TXTBSY => ErrorCode::TextFileBusy,
        Errno::XDEV => ErrorCode::CrossDevice,
        _ => ErrorCode::Io,
    }
}
