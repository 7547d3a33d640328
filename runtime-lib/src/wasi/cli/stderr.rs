//! `wasi:cli/stderr`.

use crate::wasi::Context;
use crate::wasi::resources::{self, Resource};

/// `get-stderr: func() -> output-stream`.
pub fn cli_stderr_get_stderr(_: Context) -> u32 {
    resources::insert(Resource::Stderr)
}
