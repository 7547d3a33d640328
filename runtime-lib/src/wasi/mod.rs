//! The WASI 0.2 host: one module per WIT package and interface (`wasi/cli/exit.rs` is
//! `wasi:cli/exit`), plus the per-program host resource table and access to the calling
//! instance's memory.
//!
//! Expanding the contract's [`smelt_contract::for_each_host_function!`] list here defines one
//! exported function per host function (symbol `smelt_host_<name>`), each forwarding to the
//! implementation of the same name; a signature that drifts from the list is a type error.
//!
//! # Safety
//!
//! The exported functions are called only by the compiler's adapters, with a null pointer or
//! a pointer to the static `VMMemory` of the lowering's `(memory ...)` option first, as the
//! contract describes.
#![allow(unsafe_code)]

pub mod cli;
pub mod io;
mod memory;
mod resources;

use smelt_contract::layout::VMMemory;

/// The implementations, by host function name.
mod imp {
    pub use super::cli::exit::{cli_exit_exit, cli_exit_exit_with_code};
    pub use super::cli::stderr::cli_stderr_get_stderr;
    pub use super::cli::stdout::cli_stdout_get_stdout;
    pub use super::io::error::io_error_error_drop;
    pub use super::io::streams::{
        io_streams_output_stream_blocking_flush, io_streams_output_stream_blocking_write_and_flush,
        io_streams_output_stream_check_write, io_streams_output_stream_drop,
        io_streams_output_stream_write,
    };
}

/// The calling instance's memory, as the compiler passes it.
pub struct Context(*mut VMMemory);

macro_rules! define_host_functions {
    ($( $(#[$doc:meta])* $interface:literal $func:literal
        $name:ident( $($param:ident : $ty:ty),* $(,)? ) $(-> $ret:ty)?; )*) => {
        $(
            $(#[$doc])*
            ///
            /// # Safety
            ///
            /// Called by compiled code only, with arguments as the contract describes.
            #[unsafe(export_name = concat!("smelt_host_", stringify!($name)))]
            pub unsafe extern "C" fn $name(cx: *mut VMMemory, $($param: $ty),*) $(-> $ret)? {
                // The implementation must take exactly the listed types.
                let implementation: fn(Context, $($ty),*) $(-> $ret)? = imp::$name;
                implementation(Context(cx), $($param),*)
            }
        )*
    };
}

smelt_contract::for_each_host_function!(define_host_functions);
