//! `wasi:io`: errors, pollables and streams.

pub mod error;
pub mod poll;
pub mod streams;
