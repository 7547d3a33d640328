//! The one user-facing error type.
//!
//! Every error names what is wrong and where: the input file, the function index, the byte
//! offset, the import. Bugs in smelt itself are [`Error::Internal`] and say so, instead of
//! blaming the input.

use std::path::PathBuf;

/// Everything that can go wrong while building an executable.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The input is not valid WebAssembly text.
    #[error("{file}: invalid WebAssembly text: {message}")]
    InvalidText {
        /// The input's name.
        file: String,
        /// The parser's message, which includes line and column.
        message: String,
    },
    /// The input is malformed or invalid WebAssembly.
    #[error("{file}: invalid WebAssembly at byte offset {offset:#x}{}: {message}",
        func_index.map(|i| format!(" (function {i})")).unwrap_or_default())]
    InvalidWasm {
        /// The input's name.
        file: String,
        /// Byte offset into the binary.
        offset: u64,
        /// The function whose body contains the offset, if any.
        func_index: Option<u32>,
        /// What is wrong.
        message: String,
    },
    /// The input uses a WebAssembly feature smelt does not compile yet.
    #[error("{file}: not supported yet: {what}{}",
        func_index.map(|i| format!(" (function {i})")).unwrap_or_default())]
    Unsupported {
        /// The input's name.
        file: String,
        /// The proposal or construct.
        what: String,
        /// The function that uses it, if known.
        func_index: Option<u32>,
    },
    /// Imports that nothing in the program provides.
    #[error("{file}: unresolved imports:{}", list.iter().map(|i| format!("\n  {i}")).collect::<String>())]
    UnresolvedImports {
        /// The input's name.
        file: String,
        /// One line per import: `module::name (kind)`, with why it cannot be satisfied.
        list: Vec<String>,
    },
    /// An import is provided, but with an incompatible type.
    #[error("{file}: import {module}::{name} is incompatible: {message}")]
    IncompatibleImport {
        /// The input's name.
        file: String,
        /// Import module name.
        module: String,
        /// Import field name.
        name: String,
        /// How the types differ.
        message: String,
    },
    /// A WASI preview1 module cannot be adapted into a component.
    #[error("{file}: cannot adapt this WASI preview1 module into a component: {message}")]
    Adapt {
        /// The input's name.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The entry point cannot be called as a program's entry.
    #[error("{file}: function {func_index}: {message}")]
    Entry {
        /// The input's name.
        file: String,
        /// The entry function's index.
        func_index: u32,
        /// What is wrong.
        message: String,
    },
    /// An unknown or unusable target.
    #[error("{0}")]
    Target(String),
    /// A capability grant (`--dir`, `--env`, ...) that cannot be given.
    #[error("{0}")]
    Grant(String),
    /// The code generator refused a function.
    #[error("internal compiler error in function {func_index}: {message} (please report this)")]
    Codegen {
        /// The function's index in its module.
        func_index: u32,
        /// Cranelift's message.
        message: String,
    },
    /// Linking failed.
    #[error("linking failed: {0}")]
    Link(String),
    /// Writing the output failed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// `smelt bench` could not compile, run or compare the program.
    #[error("smelt bench: {0}")]
    Bench(String),
    /// A bug in smelt.
    #[error("internal compiler error: {0} (please report this)")]
    Internal(String),
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
