//! The program descriptor: what the compiler tells the runtime about the executable.
//!
//! The compiler emits one [`ProgramDesc`] under the symbol [`crate::symbols::PROGRAM`]. The
//! runtime's `_start` reads it to find the entry point (command mode) or the instances and
//! exports to drive (script mode), and its trap handler reads [`FuncDesc`]s to turn a faulting
//! program counter into a trap code and a backtrace.
//!
//! Invariants: `funcs` is sorted by `start` and the ranges do not overlap (the compiler emits
//! functions into one text section in order); each function's trap sites and name are the
//! ranges between its own and the next function's `traps` and `name` indices (the last
//! function's end at `trap_count` and `names_len`), so both arrays are in function order too.
//!
//! The function table holds no pointers: 16 bytes per function, offsets from `code_base`,
//! into `traps` and into `names`, so it needs no relocations and stays in read-only data.

/// The descriptor's layout version; bumped on every change to these structures.
pub const VERSION: u32 = 5;

/// Run the entry point and exit.
pub const MODE_COMMAND: u32 = 0;
/// Read [`crate::script`] commands from stdin (the spec-test driver).
pub const MODE_SCRIPT: u32 = 1;

/// Export kinds in [`ExportDesc::kind`].
pub const EXPORT_FUNC: u32 = 0;
/// A global: `entry` points at its 16-byte storage.
pub const EXPORT_GLOBAL: u32 = 1;
/// A memory: `entry` points at its [`crate::layout::VMMemory`].
pub const EXPORT_MEMORY: u32 = 2;
/// A table: `entry` points at its [`crate::layout::VMTable`].
pub const EXPORT_TABLE: u32 = 3;

/// An entry trampoline: calls one wasm function with its parameters read from, and results
/// written to, consecutive 16-byte slots (see [`crate::layout::VALUE_SLOT_SIZE`]).
pub type ArrayCall = unsafe extern "C" fn(values: *mut u8);

/// The whole program.
#[repr(C)]
#[derive(Debug)]
pub struct ProgramDesc {
    /// [`VERSION`].
    pub version: u32,
    /// [`MODE_COMMAND`] or [`MODE_SCRIPT`].
    pub mode: u32,
    /// What runs on the wasm stack; its result is the process's exit status. Command mode:
    /// the compiler's `smelt_main`, which instantiates every instance in order, then runs the
    /// entry point (0, or 1 when `wasi:cli/run` returns `err`). Script mode: the runtime's
    /// [`crate::symbols::SCRIPT_MAIN`], which never returns.
    pub main: unsafe extern "C" fn() -> i32,
    /// The instances, in instantiation order.
    pub instances: *const InstanceDesc,
    /// Number of instances.
    pub instance_count: usize,
    /// The address [`FuncDesc::start`] is relative to: the first described function's.
    pub code_base: *const u8,
    /// Every compiled function, sorted by address.
    pub funcs: *const FuncDesc,
    /// Number of functions.
    pub func_count: usize,
    /// Every function's trap sites, function by function, each function's sorted by offset.
    pub traps: *const TrapSite,
    /// Number of trap sites.
    pub trap_count: usize,
    /// Every function's name, concatenated in function order, encoded ([`crate::names`]).
    pub names: *const u8,
    /// Length of `names` in bytes.
    pub names_len: usize,
    /// The dictionary the names are encoded with ([`crate::names`]).
    pub name_dict: *const u8,
    /// Length of `name_dict` in bytes.
    pub name_dict_len: usize,
    /// Size of the wasm stack in bytes.
    pub stack_size: u64,
    /// What the program may reach ([`crate::grants`]).
    pub grants: *const crate::grants::GrantsDesc,
}

/// One core instance.
#[repr(C)]
#[derive(Debug)]
pub struct InstanceDesc {
    /// Initialises globals, memories, tables and segments, then runs the start function.
    pub init: unsafe extern "C" fn(),
    /// The instance's exports, in the module's export order.
    pub exports: *const ExportDesc,
    /// Number of exports.
    pub export_count: usize,
}

/// One export of an instance.
#[repr(C)]
#[derive(Debug)]
pub struct ExportDesc {
    /// UTF-8 name.
    pub name: *const u8,
    /// Length of `name` in bytes.
    pub name_len: usize,
    /// One of the `EXPORT_*` kinds.
    pub kind: u32,
    /// Function: number of parameters.
    pub param_count: u32,
    /// Function: number of results.
    pub result_count: u32,
    /// Global: the value type (binary encoding); function: unused.
    pub value_type: u32,
    /// Function: the [`ArrayCall`] trampoline; otherwise the entity's storage.
    pub entry: *const u8,
}

/// One compiled function.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct FuncDesc {
    /// Offset of its first byte of code from [`ProgramDesc::code_base`].
    pub start: u32,
    /// Length of its code in bytes.
    pub len: u32,
    /// Index of its first trap site in [`ProgramDesc::traps`].
    pub traps: u32,
    /// Offset of its encoded name in [`ProgramDesc::names`]: the name section's, else
    /// `<wasm function N>`; empty for a host adapter, a compiler-generated frame that
    /// backtraces skip.
    pub name: u32,
}

/// An instruction that can trap by itself (a trap instruction, a checked operation). Loads
/// and stores of linear memory are not listed: they trap by faulting inside a memory's
/// reservation, which the runtime recognises by the fault address.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct TrapSite {
    /// Offset of the instruction from the function's start.
    pub offset: u32,
    /// The [`crate::Trap`] code.
    pub code: u32,
}

/// Size of [`FuncDesc`].
pub const FUNC_DESC_SIZE: u32 = 16;
/// Size of [`ExportDesc`].
pub const EXPORT_DESC_SIZE: u32 = 40;
/// Size of [`InstanceDesc`].
pub const INSTANCE_DESC_SIZE: u32 = 24;
/// Size of [`ProgramDesc`].
pub const PROGRAM_DESC_SIZE: u32 = 120;

const _: () = {
    use core::mem::size_of;
    assert!(size_of::<FuncDesc>() as u32 == FUNC_DESC_SIZE);
    assert!(size_of::<ExportDesc>() as u32 == EXPORT_DESC_SIZE);
    assert!(size_of::<InstanceDesc>() as u32 == INSTANCE_DESC_SIZE);
    assert!(size_of::<ProgramDesc>() as u32 == PROGRAM_DESC_SIZE);
    assert!(size_of::<TrapSite>() == 8);
};
