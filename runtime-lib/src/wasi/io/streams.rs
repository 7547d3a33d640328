//! `wasi:io/streams`: input and output streams over file descriptors.
//!
//! Writes are synchronous: `write` returns once every byte is in the kernel, so every
//! stream is always flushed and ready, and `check-write` always grants [`WRITE_BUDGET`].
//! Bytes written go from wasm memory straight to `write(2)`. Reads go through one static
//! buffer ([`SCRATCH`]) and are then copied into a list allocated with the caller's
//! `realloc` of exactly the length read (the Canonical ABI's one copy: the list must be
//! allocated by the caller's allocator).

use crate::wasi::abi::{Borrow, Cx, List, Own};
use crate::wasi::bindings::io_streams::{InputStream, OutputStream, Pollable, StreamError};
use crate::wasi::io::{error, poll};
use crate::wasi::slab::{Global, Slab};
use rustix::fd::BorrowedFd;
use rustix::io::Errno;

/// What `check-write` grants.
const WRITE_BUDGET: u64 = 1 << 20;
/// Largest single read.
const READ_CHUNK: usize = 64 << 10;

/// What an input stream reads from.
#[derive(Clone, Copy, Debug)]
pub enum Input {
    /// Standard input.
    Stdin,
}

/// What an output stream writes to.
#[derive(Clone, Copy, Debug)]
pub enum Output {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
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

fn output(this: Borrow<OutputStream>) -> Output {
    OUTPUTS.with(|s| *s.get(this.rep))
}

fn input_fd(input: Input) -> BorrowedFd<'static> {
    match input {
        // SAFETY: the standard descriptors stay open for the whole process.
        Input::Stdin => unsafe { BorrowedFd::borrow_raw(0) },
    }
}

fn output_fd(output: Output) -> BorrowedFd<'static> {
    let raw = match output {
        Output::Stdout => 1,
        Output::Stderr => 2,
    };
    // SAFETY: the standard descriptors stay open for the whole process.
    unsafe { BorrowedFd::borrow_raw(raw) }
}

fn failed(e: Errno) -> StreamError {
    if e == Errno::PIPE {
        StreamError::Closed
    } else {
        StreamError::LastOperationFailed(error::new(e.raw_os_error()))
    }
}

/// Reads at most `len` bytes into [`SCRATCH`]; waits for data if `blocking`. Ok(0) means
/// nothing was ready.
fn read_scratch(input: Input, len: u64, blocking: bool) -> Result<usize, StreamError> {
    let fd = input_fd(input);
    if !blocking {
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
            match rustix::io::read(fd, &mut buf[..n]) {
                Err(Errno::INTR) => continue,
                other => break other,
            }
        }
    });
    match read {
        Ok(0) => Err(StreamError::Closed),
        Ok(n) => Ok(n),
        Err(e) => Err(failed(e)),
    }
}

/// Copies the first `n` bytes of [`SCRATCH`] into a new list.
fn scratch_list(cx: &mut Cx, n: usize) -> List<u8> {
    let list = cx.new_list::<u8>(n as u32);
    SCRATCH.with(|buf| cx.bytes_mut(list.ptr, list.len).copy_from_slice(&buf[..n]));
    list
}

fn read(
    cx: &mut Cx,
    this: Borrow<InputStream>,
    len: u64,
    blocking: bool,
) -> Result<List<u8>, StreamError> {
    let n = read_scratch(input(this), len, blocking)?;
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
    read_scratch(input(this), len, false).map(|n| n as u64)
}

/// `blocking-skip`.
pub fn input_stream_blocking_skip(
    _: &mut Cx,
    this: Borrow<InputStream>,
    len: u64,
) -> Result<u64, StreamError> {
    read_scratch(input(this), len, true).map(|n| n as u64)
}

/// `subscribe`: ready when the stream has data or has ended.
pub fn input_stream_subscribe(_: &mut Cx, this: Borrow<InputStream>) -> Own<Pollable> {
    let raw = match input(this) {
        Input::Stdin => 0,
    };
    poll::new(poll::Pollable::Readable(raw))
}

/// `check-write`.
pub fn output_stream_check_write(
    _: &mut Cx,
    this: Borrow<OutputStream>,
) -> Result<u64, StreamError> {
    output(this);
    Ok(WRITE_BUDGET)
}

fn write_all(out: Output, mut bytes: &[u8]) -> Result<(), StreamError> {
    let fd = output_fd(out);
    while !bytes.is_empty() {
        match rustix::io::write(fd, bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(Errno::INTR) => {}
            Err(e) => return Err(failed(e)),
        }
    }
    Ok(())
}

/// `write`.
pub fn output_stream_write(
    cx: &mut Cx,
    this: Borrow<OutputStream>,
    contents: List<u8>,
) -> Result<(), StreamError> {
    write_all(output(this), cx.list_bytes(contents))
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

fn write_zeroes(out: Output, mut len: u64) -> Result<(), StreamError> {
    let zeroes = [0u8; 4096];
    while len > 0 {
        let n = len.min(zeroes.len() as u64) as usize;
        write_all(out, &zeroes[..n])?;
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
    write_zeroes(output(this), len)
}

/// `blocking-write-zeroes-and-flush`.
pub fn output_stream_blocking_write_zeroes_and_flush(
    _: &mut Cx,
    this: Borrow<OutputStream>,
    len: u64,
) -> Result<(), StreamError> {
    write_zeroes(output(this), len)
}

fn splice(
    this: Borrow<OutputStream>,
    src: Borrow<InputStream>,
    len: u64,
    blocking: bool,
) -> Result<u64, StreamError> {
    let out = output(this);
    let n = read_scratch(input(src), len, blocking)?;
    SCRATCH.with(|buf| write_all(out, &buf[..n]))?;
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
    INPUTS.with(|s| s.remove(this.rep));
}

/// Drops an output stream.
pub fn drop_output_stream(_: &mut Cx, this: Own<OutputStream>) {
    OUTPUTS.with(|s| s.remove(this.rep));
}
