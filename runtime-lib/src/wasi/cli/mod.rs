//! The `wasi:cli` package.

pub mod exit;
pub mod stderr;
pub mod stdout;
