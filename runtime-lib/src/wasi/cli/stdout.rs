//! `wasi:cli/stdout`.

use crate::wasi::Context;
use crate::wasi::resources::{self, Resource};

/// `get-stdout: func() -> output-stream`.
pub fn cli_stdout_get_stdout(_: Context) -> u32 {
    resources::insert(Resource::Stdout)
}
