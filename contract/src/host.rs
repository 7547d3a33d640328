//! Host functions: the WASI 0.2 imports that the runtime implements.
//!
//! [`for_each_host_function!`](crate::for_each_host_function) is the single list. A
//! component's `canon lower` of an imported function binds to the entry whose interface
//! (without its `@0.2.N` patch version) and function name match; the compiler refuses, at
//! build time and by name, any import missing from the list. The compiler expands the list
//! into a table of runtime symbols and flattened core signatures; the runtime expands it
//! into compile-time assertions that its `extern "C"` definitions have exactly these types.
//!
//! Calling convention: the runtime function `smelt_host_<name>` uses the platform C calling
//! convention and takes the lowering context first, then the function's parameters flattened
//! as the Canonical ABI's `flatten_functype` does for a lowered import
//! (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#flattening>):
//! at most 16 flat parameters, at most one flat result, and otherwise a return pointer into
//! the caller's memory as the last parameter. The context is a pointer to the `VMMemory` of
//! the `(memory ...)` canonical option, or null when the lowering has none. The compiler
//! generates, per lowered import, a small adapter with the wasm calling convention that
//! loads the context and calls the runtime function.
//!
//! Every patch version 0.2.0 to [`MAX_PATCH`] of an interface maps to the same entry.

/// The newest WASI 0.2 patch version whose interfaces the list implements.
pub const MAX_PATCH: u32 = 12;

/// Every interface (without its version) the host provides: those with functions in the
/// list, and `wasi:io/error`, whose `error` resource type the stream interfaces use.
pub const INTERFACES: &[&str] = &[
    "wasi:cli/exit",
    "wasi:cli/stderr",
    "wasi:cli/stdout",
    "wasi:io/error",
    "wasi:io/streams",
];

/// Prefix of every host function's symbol: `cli_exit_exit` is `smelt_host_cli_exit_exit`.
pub const HOST_PREFIX: &str = "smelt_host_";

/// Calls `$mac!` with the list of host functions, each as
/// `/// doc  "interface" "function" name(param: Type, ...) -> Ret;`, where the interface
/// has no version, the function is named as in the component's import (`[method]r.f`, or
/// `[resource-drop]r` for `canon resource.drop` of the interface's resource `r`), and the
/// parameters are the flattened core parameters after the implicit context pointer.
#[macro_export]
macro_rules! for_each_host_function {
    ($mac:ident) => {
        $mac! {
            /// `get-stdout: func() -> output-stream`: a new handle to standard output.
            "wasi:cli/stdout" "get-stdout" cli_stdout_get_stdout() -> u32;
            /// `get-stderr: func() -> output-stream`: a new handle to standard error.
            "wasi:cli/stderr" "get-stderr" cli_stderr_get_stderr() -> u32;
            /// `exit: func(status: result)`: ends the process with status 0 (`ok`) or 1.
            "wasi:cli/exit" "exit" cli_exit_exit(status: u32);
            /// `exit-with-code: func(status-code: u8)`: ends the process with that status.
            "wasi:cli/exit" "exit-with-code" cli_exit_exit_with_code(status_code: u32);
            /// `canon resource.drop` of an `error` (the host never creates one, so every
            /// handle is unknown).
            "wasi:io/error" "[resource-drop]error" io_error_error_drop(this: u32);
            /// `canon resource.drop` of an `output-stream`.
            "wasi:io/streams" "[resource-drop]output-stream"
                io_streams_output_stream_drop(this: u32);
            /// `check-write: func() -> result<u64, stream-error>`, written at `ret`.
            "wasi:io/streams" "[method]output-stream.check-write"
                io_streams_output_stream_check_write(this: u32, ret: u32);
            /// `write: func(contents: list<u8>) -> result<_, stream-error>`, written at `ret`.
            "wasi:io/streams" "[method]output-stream.write"
                io_streams_output_stream_write(this: u32, ptr: u32, len: u32, ret: u32);
            /// `blocking-write-and-flush: func(contents: list<u8>) -> result<_, stream-error>`,
            /// written at `ret`.
            "wasi:io/streams" "[method]output-stream.blocking-write-and-flush"
                io_streams_output_stream_blocking_write_and_flush(
                    this: u32,
                    ptr: u32,
                    len: u32,
                    ret: u32
                );
            /// `blocking-flush: func() -> result<_, stream-error>`, written at `ret`.
            "wasi:io/streams" "[method]output-stream.blocking-flush"
                io_streams_output_stream_blocking_flush(this: u32, ret: u32);
        }
    };
}
