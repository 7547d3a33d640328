//! Symbol names shared by the compiler's object file and the runtime library.

/// Prefix of every builtin's symbol: builtin `memory_grow` is `smelt_rt_memory_grow`.
pub const BUILTIN_PREFIX: &str = "smelt_rt_";
/// The [`crate::program::ProgramDesc`] the compiler emits and the runtime starts from.
pub const PROGRAM: &str = "smelt_program";
/// The runtime's variable holding the lowest stack address wasm code may use.
pub const STACK_LIMIT: &str = "smelt_stack_limit";
/// The runtime's byte saying which code multiversioned functions run: 0 the baseline's, 1
/// the fast tier's. Set before any wasm code runs, never changed afterwards.
pub const CPU_TIER: &str = "smelt_cpu_tier";
/// The runtime's script loop (`fn() -> i32`, never returns), which a script-mode program
/// descriptor names as its `main`: only script-mode executables reference it, so the linker
/// leaves the test driver's code and buffers out of every command executable.
pub const SCRIPT_MAIN: &str = "smelt_rt_script_main";
/// The executable's entry point, defined by the runtime.
pub const ENTRY: &str = "_start";
