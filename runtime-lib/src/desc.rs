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
/// function table is sorted without overlaps (trap lookups rely on it).
pub fn check() {
    if program().version != VERSION {
        crate::io::fatal("the program descriptor's version does not match this runtime");
    }
    let sorted = funcs().windows(2).all(|w| {
        (w[0].start as usize)
            .checked_add(w[0].len as usize)
            .is_some_and(|end| end <= w[1].start as usize)
    });
    if !sorted {
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

/// The trap sites of `func`, sorted by offset.
pub fn traps(func: &FuncDesc) -> &'static [TrapSite] {
    slice_of(func.traps, func.trap_count as usize)
}

/// The name of `func`.
pub fn func_name(func: &FuncDesc) -> &'static [u8] {
    slice_of(func.name, func.name_len)
}

/// The compiled function whose code contains `pc`.
pub fn func_containing(pc: usize) -> Option<&'static FuncDesc> {
    let funcs = funcs();
    // The number of functions starting at or before `pc`.
    let n = funcs.partition_point(|f| f.start as usize <= pc);
    let f = funcs.get(n.checked_sub(1)?)?;
    (pc - (f.start as usize) < f.len as usize).then_some(f)
}

/// The trap code recorded for the instruction at `pc`, if it is a trap site.
pub fn trap_site(pc: usize) -> Option<u32> {
    let func = func_containing(pc)?;
    let offset = pc - func.start as usize;
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
