//! The compiler's program descriptor (`smelt_program`), seen as safe Rust slices.
//!
//! The compiler emits one read-only [`ProgramDesc`] with pointers and counts; this module is
//! the only place that turns those into slices, so the rest of the runtime never handles the
//! raw pointers. The descriptor is checked once at start-up ([`check`]).
//!
//! # Safety
//!
//! Relies on the contract's invariant for `smelt_program`: every pointer/count pair describes
//! a valid array in the executable's read-only data, names are UTF-8 bytes, and nothing writes
//! the descriptor while the program runs.
#![allow(unsafe_code)]

use core::slice;

use smelt_contract::grants::{DirGrant, EnvGrant, GrantsDesc};
use smelt_contract::program::{ExportDesc, FuncDesc, InstanceDesc, ProgramDesc, TrapSite, VERSION};

unsafe extern "C" {
    /// Emitted by the compiler.
    static smelt_program: ProgramDesc;
}

/// A slice from a descriptor's pointer and count; empty when the count is 0 (the pointer may
/// then be null).
fn slice_of<T>(ptr: *const T, len: usize) -> &'static [T] {
    if len == 0 {
        return &[];
    }
    // SAFETY: see the module's safety paragraph.
    unsafe { slice::from_raw_parts(ptr, len) }
}

/// The program descriptor.
pub fn program() -> &'static ProgramDesc {
    // SAFETY: the compiler-emitted static is immutable and lives for the whole program.
    unsafe { &*core::ptr::addr_of!(smelt_program) }
}

/// Stops with an error unless the descriptor is the version this runtime understands and its
/// function table is sorted without overlaps, with trap and name ranges in order (trap
/// lookups and backtraces rely on it).
pub fn check() {
    let p = program();
    if p.version != VERSION {
        crate::io::fatal("the program descriptor's version does not match this runtime");
    }
    let funcs = funcs();
    let ordered = funcs.windows(2).all(|w| {
        (w[0].start as usize)
            .checked_add(w[0].len as usize)
            .is_some_and(|end| end <= w[1].start as usize)
            && w[0].traps <= w[1].traps
            && w[0].name <= w[1].name
    }) && funcs
        .last()
        .is_none_or(|f| f.traps as usize <= p.trap_count && f.name as usize <= p.names_len);
    if !ordered {
        crate::io::fatal("internal compiler error: the function table is not sorted by address");
    }
}

/// The instances, in instantiation order.
pub fn instances() -> &'static [InstanceDesc] {
    let p = program();
    slice_of(p.instances, p.instance_count)
}

/// The exports of `instance`.
pub fn exports(instance: &InstanceDesc) -> &'static [ExportDesc] {
    slice_of(instance.exports, instance.export_count)
}

/// Every compiled function, sorted by start address.
pub fn funcs() -> &'static [FuncDesc] {
    let p = program();
    slice_of(p.funcs, p.func_count)
}

/// The function described after `func`, if any.
fn next(func: &FuncDesc) -> Option<&'static FuncDesc> {
    let funcs = funcs();
    let i = (func as *const FuncDesc as usize - funcs.as_ptr() as usize) / size_of::<FuncDesc>();
    funcs.get(i + 1)
}

/// The address of `func`'s first instruction.
fn code_start(func: &FuncDesc) -> usize {
    program().code_base as usize + func.start as usize
}

/// `func`'s part of `all`, an array laid out function by function: from `start(func)` to
/// the next function's start, or to the end of `all` after the last function.
fn own_part<T>(
    all: &'static [T],
    func: &'static FuncDesc,
    start: fn(&FuncDesc) -> u32,
) -> &'static [T] {
    let end = next(func).map_or(all.len(), |n| start(n) as usize);
    all.get(start(func) as usize..end).unwrap_or(&[])
}

/// The trap sites of `func`, sorted by offset.
pub fn traps(func: &'static FuncDesc) -> &'static [TrapSite] {
    let p = program();
    own_part(slice_of(p.traps, p.trap_count), func, |f| f.traps)
}

/// The dictionary function names are encoded with (`smelt_contract::names`).
pub fn name_dict() -> &'static [u8] {
    let p = program();
    slice_of(p.name_dict, p.name_dict_len)
}

/// The encoded name of `func` (`smelt_contract::names`); empty for a frame backtraces skip.
pub fn func_name(func: &'static FuncDesc) -> &'static [u8] {
    let p = program();
    own_part(slice_of(p.names, p.names_len), func, |f| f.name)
}

/// The compiled function whose code contains `pc`.
pub fn func_containing(pc: usize) -> Option<&'static FuncDesc> {
    let funcs = funcs();
    // The number of functions starting at or before `pc`.
    let n = funcs.partition_point(|f| code_start(f) <= pc);
    let f = funcs.get(n.checked_sub(1)?)?;
    (pc - code_start(f) < f.len as usize).then_some(f)
}

/// The trap code recorded for the instruction at `pc`, if it is a trap site.
pub fn trap_site(pc: usize) -> Option<u32> {
    let func = func_containing(pc)?;
    let offset = pc - code_start(func);
    let traps = traps(func);
    let i = traps
        .binary_search_by_key(&offset, |t| t.offset as usize)
        .ok()?;
    Some(traps[i].code)
}

/// The grants of the build.
pub fn grants() -> &'static GrantsDesc {
    // SAFETY: the compiler always emits the grants the descriptor points to.
    unsafe { &*program().grants }
}

/// The granted directories.
pub fn dir_grants() -> &'static [DirGrant] {
    let g = grants();
    slice_of(g.dirs, g.dir_count)
}

/// The granted environment variables.
pub fn env_grants() -> &'static [EnvGrant] {
    let g = grants();
    slice_of(g.env, g.env_count)
}

/// The bytes of a descriptor string.
pub fn bytes(ptr: *const u8, len: usize) -> &'static [u8] {
    slice_of(ptr, len)
}
