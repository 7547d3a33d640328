//! The `wasi:io` package.

pub mod error;
pub mod streams;
