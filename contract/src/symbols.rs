//! Symbol names shared by the compiler's object file and the runtime library.

/// Prefix of every builtin's symbol: builtin `memory_grow` is `smelt_rt_memory_grow`.
pub const BUILTIN_PREFIX: &str = "smelt_rt_";
/// The [`crate::program::ProgramDesc`] the compiler emits and the runtime starts from.
pub const PROGRAM: &str = "smelt_program";
/// The runtime's variable holding the lowest stack address wasm code may use; every compiled
/// function compares its new stack pointer against it in its prologue.
pub const STACK_LIMIT: &str = "smelt_stack_limit";
/// The executable's entry point, defined by the runtime.
pub const ENTRY: &str = "_start";
