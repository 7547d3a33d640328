//! `wasi:io/streams`: output streams to standard output and standard error.
//!
//! Writes go straight to the file descriptor (`write(2)` until done), so every stream is
//! always flushed and ready: `check-write` offers [`WRITE_BUDGET`] bytes.
//!
//! Results are stored at the return pointer in the Canonical ABI layout:
//! `result<_, stream-error>` is a discriminant byte at 0 and the error at 4 (the
//! `stream-error` case byte at 4, its `own<error>` handle at 8); `result<u64, stream-error>`
//! has its payload at 8 (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#storing>).

use crate::sys;
use crate::wasi::Context;
use crate::wasi::resources::{self, Resource};

/// What `check-write` permits at once.
const WRITE_BUDGET: u64 = 1 << 20;

fn fd(handle: u32) -> i32 {
    match resources::get(handle) {
        Resource::Stdout => crate::io::STDOUT,
        Resource::Stderr => crate::io::STDERR,
    }
}

/// Stores `ok` of a `result<_, stream-error>` at `ret`.
fn store_ok_unit(cx: &Context, ret: u32) {
    cx.store(ret, 4, &[0; 12]);
}

/// `canon resource.drop` of an `output-stream`.
pub fn io_streams_output_stream_drop(_: Context, this: u32) {
    resources::remove(this, |r| matches!(r, Resource::Stdout | Resource::Stderr));
}

/// `check-write: func() -> result<u64, stream-error>`.
pub fn io_streams_output_stream_check_write(cx: Context, this: u32, ret: u32) {
    fd(this);
    let mut out = [0u8; 16];
    out[8..].copy_from_slice(&WRITE_BUDGET.to_le_bytes());
    cx.store(ret, 8, &out);
}

/// `write: func(contents: list<u8>) -> result<_, stream-error>`.
pub fn io_streams_output_stream_write(cx: Context, this: u32, ptr: u32, len: u32, ret: u32) {
    let fd = fd(this);
    sys::write_all(fd, cx.bytes(ptr, len));
    store_ok_unit(&cx, ret);
}

/// `blocking-write-and-flush: func(contents: list<u8>) -> result<_, stream-error>`.
pub fn io_streams_output_stream_blocking_write_and_flush(
    cx: Context,
    this: u32,
    ptr: u32,
    len: u32,
    ret: u32,
) {
    io_streams_output_stream_write(cx, this, ptr, len, ret)
}

/// `blocking-flush: func() -> result<_, stream-error>`.
pub fn io_streams_output_stream_blocking_flush(cx: Context, this: u32, ret: u32) {
    fd(this);
    store_ok_unit(&cx, ret);
}
