//! `wasi:io/streams`: input and output streams over file descriptors: the standard streams,
//! and files (`wasi:filesystem` `read-via-stream`, `write-via-stream`, `append-via-stream`).
//!
//! Writes are synchronous: `write` returns once every byte is in the kernel, so every
//! stream is always flushed and ready, and `check-write` always grants [`WRITE_BUDGET`].
//! A file stream owns a duplicate of its descriptor's file descriptor (closed when the stream
//! is dropped, so it may outlive the descriptor) and its own position: reads and writes are
//! `pread`/`pwrite` at that position, appends `pwritev2(RWF_APPEND)`. Files are always ready.
//! Bytes written go from wasm memory straight to `write(2)`. A read from a file whose size
//! shows bytes past the position goes straight into the list, allocated first with the
//! caller's `realloc` for the bytes the file holds there (at most what was asked): no copy
//! ([`read_file_direct`]), when more than [`SMALL_READ`] bytes are asked for. Other reads (standard input, a file at or past its end) go through
//! one static buffer ([`SCRATCH`]) and are then copied into a list allocated with the exact
//! length read, so that nothing is allocated for a read that returns no bytes.

use crate::wasi::abi::{Borrow, Cx, List, Own};
use crate::wasi::bindings::io_streams::{InputStream, OutputStream, Pollable, StreamError};
use crate::wasi::io::{error, poll};
use crate::wasi::slab::{Global, Slab};
use rustix::fd::{BorrowedFd, FromRawFd};
use rustix::io::Errno;

/// What `check-write` grants.
const WRITE_BUDGET: u64 = 1 << 20;
/// Largest single read.
const READ_CHUNK: usize = 64 << 10;
/// Reads of at most this many bytes go through [`SCRATCH`] even from files: copying them
/// costs less than the `fstat` that sizes a direct read.
const SMALL_READ: u64 = 4 << 10;

/// What an input stream reads from.
#[derive(Clone, Copy, Debug)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file (an owned file descriptor) from a position on.
    File {
        /// The stream's own descriptor.
        fd: i32,
        /// Where the next read starts.
        pos: u64,
    },
}

/// What an output stream writes to.
#[derive(Clone, Copy, Debug)]
pub enum Output {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
    /// A file (an owned file descriptor) from a position on.
    File {
        /// The stream's own descriptor.
        fd: i32,
        /// Where the next write starts.
        pos: u64,
    },
    /// The end of a file (an owned file descriptor), wherever it is at each write.
    Append {
        /// The stream's own descriptor.
        fd: i32,
    },
}

static INPUTS: Global<Slab<Input>> = Global::new(Slab::new());
static OUTPUTS: Global<Slab<Output>> = Global::new(Slab::new());
/// The read buffer (module docs).
static SCRATCH: Global<[u8; READ_CHUNK]> = Global::new([0; READ_CHUNK]);

/// A new input stream.
pub fn new_input(input: Input) -> Own<InputStream> {
    Own::new(INPUTS.with(|s| s.insert(input)))
}

/// A new output stream.
pub fn new_output(output: Output) -> Own<OutputStream> {
    Own::new(OUTPUTS.with(|s| s.insert(output)))
}

fn input(this: Borrow<InputStream>) -> Input {
    INPUTS.with(|s| *s.get(this.rep))
}

/// Moves file stream `rep`'s position past `n` bytes just read (standard input has none).
fn advance(rep: u32, n: usize) {
    INPUTS.with(|s| {
        if let Input::File { pos, .. } = s.get(rep) {
            *pos += n as u64;
        }
    });
}

#[inline]
fn output(this: Borrow<OutputStream>) -> Output {
    OUTPUTS.with(|s| *s.get(this.rep))
}

/// A descriptor the runtime keeps open while a stream refers to it.
fn fd(raw: i32) -> BorrowedFd<'static> {
    // SAFETY: the standard descriptors stay open for the whole process; a file stream's
    // descriptor stays open until the stream is dropped.
    unsafe { BorrowedFd::borrow_raw(raw) }
}

#[inline]
fn output_fd(output: Output) -> BorrowedFd<'static> {
    fd(match output {
        Output::Stdout => 1,
        Output::Stderr => 2,
        Output::File { fd, .. } | Output::Append { fd } => fd,
    })
}

fn close(raw: i32) {
    // SAFETY: the stream owned the descriptor, and is gone.
    drop(unsafe { rustix::fd::OwnedFd::from_raw_fd(raw) });
}

fn failed(e: Errno) -> StreamError {
    if e == Errno::PIPE {
        StreamError::Closed
    } else {
        StreamError::LastOperationFailed(error::new(e.raw_os_error()))
    }
}

/// Reads at most `len` bytes of stream `rep` into [`SCRATCH`]; waits for data if
/// `blocking`. Ok(0) means nothing was ready.
fn read_scratch(rep: u32, len: u64, blocking: bool) -> Result<usize, StreamError> {
    let (fd, pos) = match INPUTS.with(|s| *s.get(rep)) {
        Input::Stdin => (fd(0), None),
        Input::File { fd: raw, pos } => (fd(raw), Some(pos)),
    };
    if !blocking && pos.is_none() {
        let mut fds = [rustix::event::PollFd::new(
            &fd,
            rustix::event::PollFlags::IN,
        )];
        let zero = rustix::time::Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        match rustix::event::poll(&mut fds, Some(&zero)) {
            Ok(0) => return Ok(0),
            Ok(_) => {}
            Err(e) => return Err(failed(e)),
        }
    }
    let n = (len as usize).min(READ_CHUNK);
    if n == 0 {
        return Ok(0);
    }
    let read = SCRATCH.with(|buf| {
        loop {
            let r = match pos {
                None => rustix::io::read(fd, &mut buf[..n]),
                Some(pos) => rustix::io::pread(fd, &mut buf[..n], pos),
            };
            match r {
                Err(Errno::INTR) => continue,
                other => break other,
            }
        }
    });
    match read {
        Ok(0) => Err(StreamError::Closed),
        Ok(n) => {
            advance(rep, n);
            Ok(n)
        }
        // A closed standard input reads as empty, as it does for native programs.
        Err(Errno::BADF) if pos.is_none() => Err(StreamError::Closed),
        Err(e) => Err(failed(e)),
    }
}

/// Copies the first `n` bytes of [`SCRATCH`] into a new list.
fn scratch_list(cx: &mut Cx, n: usize) -> List<u8> {
    let list = cx.new_list::<u8>(n as u32);
    SCRATCH.with(|buf| cx.bytes_mut(list.ptr, list.len).copy_from_slice(&buf[..n]));
    list
}

/// Reads from file stream `rep` (descriptor `raw`, at `pos`) straight into a new list, when
/// it is a regular file whose size shows at least one byte past `pos`; `None` otherwise (not
/// a regular file, at or past the end, or `fstat` failed: the caller reads through
/// [`SCRATCH`], which reports the end or the error).
///
/// The list is allocated for what the file holds, at most `len` bytes, so `realloc` is called
/// once with the final length, as the copying path does. Should the file shrink between the
/// `fstat` and the reads, the list is shorter than its allocation (the guest's allocator
/// only ever sees the allocation's start); should the first read fail or find the end, the
/// allocation is left to the guest unused (only under such a race or an I/O error).
fn read_file_direct(
    cx: &mut Cx,
    rep: u32,
    raw: i32,
    pos: u64,
    len: u64,
) -> Option<Result<List<u8>, StreamError>> {
    let stat = rustix::fs::fstat(fd(raw)).ok()?;
    if rustix::fs::FileType::from_raw_mode(stat.st_mode) != rustix::fs::FileType::RegularFile {
        return None;
    }
    let size = stat.st_size as u64;
    let want = size.checked_sub(pos)?.min(len).min(READ_CHUNK as u64) as u32;
    if want == 0 {
        return None;
    }
    let mut list = cx.new_list::<u8>(want);
    let buf = cx.bytes_mut(list.ptr, list.len);
    let mut done = 0;
    while done < buf.len() {
        match rustix::io::pread(fd(raw), &mut buf[done..], pos + done as u64) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(Errno::INTR) => continue,
            Err(e) if done == 0 => return Some(Err(failed(e))),
            Err(_) => break,
        }
    }
    if done == 0 {
        return Some(Err(StreamError::Closed));
    }
    list.len = done as u32;
    advance(rep, done);
    Some(Ok(list))
}

fn read(
    cx: &mut Cx,
    this: Borrow<InputStream>,
    len: u64,
    blocking: bool,
) -> Result<List<u8>, StreamError> {
    if len > SMALL_READ
        && let Input::File { fd: raw, pos } = input(this)
        && let Some(read) = read_file_direct(cx, this.rep, raw, pos, len)
    {
        return read;
    }
    let n = read_scratch(this.rep, len, blocking)?;
    Ok(scratch_list(cx, n))
}

/// `read`: what is available now, at most `len` bytes (possibly none).
pub fn input_stream_read(
    cx: &mut Cx,
    this: Borrow<InputStream>,
    len: u64,
) -> Result<List<u8>, StreamError> {
    read(cx, this, len, false)
}

/// `blocking-read`: waits for at least one byte, or the end of the stream.
pub fn input_stream_blocking_read(
    cx: &mut Cx,
    this: Borrow<InputStream>,
    len: u64,
) -> Result<List<u8>, StreamError> {
    read(cx, this, len, true)
}

/// `skip`: like `read`, discarding the bytes.
pub fn input_stream_skip(
    _: &mut Cx,
    this: Borrow<InputStream>,
    len: u64,
) -> Result<u64, StreamError> {
    read_scratch(this.rep, len, false).map(|n| n as u64)
}

/// `blocking-skip`.
pub fn input_stream_blocking_skip(
    _: &mut Cx,
    this: Borrow<InputStream>,
    len: u64,
) -> Result<u64, StreamError> {
    read_scratch(this.rep, len, true).map(|n| n as u64)
}

/// `subscribe`: ready when the stream has data or has ended.
pub fn input_stream_subscribe(_: &mut Cx, this: Borrow<InputStream>) -> Own<Pollable> {
    match input(this) {
        Input::Stdin => poll::new(poll::Pollable::Readable(0)),
        Input::File { .. } => poll::new(poll::Pollable::Ready),
    }
}

/// `check-write`.
pub fn output_stream_check_write(
    _: &mut Cx,
    this: Borrow<OutputStream>,
) -> Result<u64, StreamError> {
    output(this);
    Ok(WRITE_BUDGET)
}

/// Writes all of `bytes` to stream `rep` (advancing a file stream's position).
fn write_all(rep: u32, mut bytes: &[u8]) -> Result<(), StreamError> {
    let out = OUTPUTS.with(|s| *s.get(rep));
    let fd = output_fd(out);
    let mut pos = match out {
        Output::File { pos, .. } => Some(pos),
        _ => None,
    };
    let mut result = Ok(());
    while !bytes.is_empty() {
        let written = match (out, pos) {
            (_, Some(p)) => rustix::io::pwrite(fd, bytes, p),
            (Output::Append { .. }, _) => append(fd, bytes),
            _ => rustix::io::write(fd, bytes),
        };
        match written {
            Ok(n) => {
                bytes = &bytes[n..];
                pos = pos.map(|p| p + n as u64);
            }
            Err(Errno::INTR) => {}
            // A closed standard output or error is a sink, as Rust's std makes it for
            // native programs (and Wasmtime for components): the bytes are dropped.
            Err(Errno::BADF) if matches!(out, Output::Stdout | Output::Stderr) => break,
            Err(e) => {
                result = Err(failed(e));
                break;
            }
        }
    }
    if let Some(p) = pos {
        OUTPUTS.with(|s| {
            if let Output::File { pos, .. } = s.get(rep) {
                *pos = p;
            }
        });
    }
    result
}

/// One write at the end of the file: `pwritev2(RWF_APPEND)` (Linux 4.16), else at the size
/// `fstat` reports.
fn append(fd: BorrowedFd<'_>, bytes: &[u8]) -> Result<usize, Errno> {
    use rustix::io::ReadWriteFlags;
    match rustix::io::pwritev2(
        fd,
        &[rustix::io::IoSlice::new(bytes)],
        0,
        ReadWriteFlags::APPEND,
    ) {
        Err(Errno::NOSYS | Errno::NOTSUP | Errno::INVAL) => {
            let size = rustix::fs::fstat(fd)?.st_size as u64;
            rustix::io::pwrite(fd, bytes, size)
        }
        other => other,
    }
}

/// `write`.
pub fn output_stream_write(
    cx: &mut Cx,
    this: Borrow<OutputStream>,
    contents: List<u8>,
) -> Result<(), StreamError> {
    write_all(this.rep, cx.list_bytes(contents))
}

/// `blocking-write-and-flush`.
pub fn output_stream_blocking_write_and_flush(
    cx: &mut Cx,
    this: Borrow<OutputStream>,
    contents: List<u8>,
) -> Result<(), StreamError> {
    output_stream_write(cx, this, contents)
}

/// `flush`: nothing is ever buffered.
pub fn output_stream_flush(_: &mut Cx, this: Borrow<OutputStream>) -> Result<(), StreamError> {
    output(this);
    Ok(())
}

/// `blocking-flush`.
pub fn output_stream_blocking_flush(
    cx: &mut Cx,
    this: Borrow<OutputStream>,
) -> Result<(), StreamError> {
    output_stream_flush(cx, this)
}

/// `subscribe`: always ready (writes block until done).
pub fn output_stream_subscribe(_: &mut Cx, this: Borrow<OutputStream>) -> Own<Pollable> {
    output(this);
    poll::new(poll::Pollable::Ready)
}

fn write_zeroes(rep: u32, mut len: u64) -> Result<(), StreamError> {
    let zeroes = [0u8; 4096];
    while len > 0 {
        let n = len.min(zeroes.len() as u64) as usize;
        write_all(rep, &zeroes[..n])?;
        len -= n as u64;
    }
    Ok(())
}

/// `write-zeroes`.
pub fn output_stream_write_zeroes(
    _: &mut Cx,
    this: Borrow<OutputStream>,
    len: u64,
) -> Result<(), StreamError> {
    write_zeroes(this.rep, len)
}

/// `blocking-write-zeroes-and-flush`.
pub fn output_stream_blocking_write_zeroes_and_flush(
    _: &mut Cx,
    this: Borrow<OutputStream>,
    len: u64,
) -> Result<(), StreamError> {
    write_zeroes(this.rep, len)
}

fn splice(
    this: Borrow<OutputStream>,
    src: Borrow<InputStream>,
    len: u64,
    blocking: bool,
) -> Result<u64, StreamError> {
    let n = read_scratch(src.rep, len, blocking)?;
    SCRATCH.with(|buf| write_all(this.rep, &buf[..n]))?;
    Ok(n as u64)
}

/// `splice`: moves what `src` has available, at most `len` bytes.
pub fn output_stream_splice(
    _: &mut Cx,
    this: Borrow<OutputStream>,
    src: Borrow<InputStream>,
    len: u64,
) -> Result<u64, StreamError> {
    splice(this, src, len, false)
}

/// `blocking-splice`.
pub fn output_stream_blocking_splice(
    _: &mut Cx,
    this: Borrow<OutputStream>,
    src: Borrow<InputStream>,
    len: u64,
) -> Result<u64, StreamError> {
    splice(this, src, len, true)
}

/// Drops an input stream.
pub fn drop_input_stream(_: &mut Cx, this: Own<InputStream>) {
    if let Input::File { fd, .. } = INPUTS.with(|s| s.remove(this.rep)) {
        close(fd);
    }
}

/// Drops an output stream.
pub fn drop_output_stream(_: &mut Cx, this: Own<OutputStream>) {
    if let Output::File { fd, .. } | Output::Append { fd } = OUTPUTS.with(|s| s.remove(this.rep)) {
        close(fd);
    }
}

/// Reads with `read` into [`SCRATCH`] (at most its size, or `len`) and returns what it read
/// as a new list of exactly that length: the one allocation the Canonical ABI makes.
pub fn read_to_list<E>(
    cx: &mut Cx,
    len: u64,
    read: impl FnOnce(&mut [u8]) -> Result<usize, E>,
) -> Result<List<u8>, E> {
    let n = (len as usize).min(READ_CHUNK);
    let n = SCRATCH.with(|buf| read(&mut buf[..n]))?;
    Ok(scratch_list(cx, n))
}
