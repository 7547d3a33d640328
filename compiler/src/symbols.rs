//! The object file's symbols for every entity of the program.
//!
//! Declared once, before any function is translated, so translation can run in parallel and
//! refer to anything by id. Names are stable and readable in a disassembly:
//! `smelt_i<instance>_f<func>` (code, or the adapter of a host-bound import), `_r<func>` (funcref record), `_m<mem>`, `_t<table>`,
//! `_g<global>`, `_d<data>` / `_e<elem>` (segments), `_t<table>_slots` (a constant table's
//! slot array).

use crate::program::{EntityRef, InstanceId};
use cranelift_codegen::ir::{self, Signature};
use cranelift_module::{DataId, FuncId};
use std::collections::{BTreeMap, HashMap};

/// Symbol ids of every entity.
#[derive(Debug, Default)]
pub struct Symbols {
    /// Code of each defined function.
    pub funcs: HashMap<EntityRef, FuncId>,
    /// Funcref record of each function whose reference escapes (ordered: the records are
    /// defined in this order, and builds must be reproducible).
    pub funcrefs: BTreeMap<EntityRef, DataId>,
    /// Each defined memory's `VMMemory`.
    pub memories: HashMap<EntityRef, DataId>,
    /// Each defined table's `VMTable`.
    pub tables: HashMap<EntityRef, DataId>,
    /// Each defined global's storage.
    pub globals: HashMap<EntityRef, DataId>,
    /// Each data segment's `VMSegment`, by (instance, segment index).
    pub datas: HashMap<(InstanceId, u32), DataId>,
    /// Each element segment's `VMSegment`, by (instance, segment index).
    pub elems: HashMap<(InstanceId, u32), DataId>,
    /// Each constant table's read-only slot array (`crate::const_tables`), with the
    /// function in every slot (None: null).
    pub const_tables: BTreeMap<EntityRef, (DataId, Vec<Option<EntityRef>>)>,
    /// Runtime builtins by name, with their signatures.
    pub builtins: HashMap<&'static str, (FuncId, Signature)>,
    /// Runtime host functions by symbol, with their signatures (C calling convention: the
    /// context pointer, then the flat parameters).
    pub hosts: HashMap<&'static str, (FuncId, Signature)>,
    /// Each component instance's handle table.
    pub handles: Vec<DataId>,
    /// Each lowering's `VMLowering` record.
    pub lowerings: Vec<DataId>,
    /// Each lowering's realloc trampoline, if it has a realloc.
    pub reallocs: Vec<Option<FuncId>>,
    /// The name (`interface#func`) of each import bound to no host function, which its
    /// adapter traps with (`--trap-unknown-imports`).
    pub unknown_names: BTreeMap<EntityRef, DataId>,
}

/// A function symbol as Cranelift IR refers to it (namespace 0 = functions, as
/// cranelift-module expects).
pub fn func_name(id: FuncId) -> ir::UserExternalName {
    ir::UserExternalName::new(0, id.as_u32())
}

/// The function a Cranelift IR name refers to, if it names one ([`func_name`]).
pub fn func_id(name: &ir::UserExternalName) -> Option<FuncId> {
    (name.namespace == 0).then(|| FuncId::from_u32(name.index))
}

/// A data symbol as Cranelift IR refers to it (namespace 1 = data).
pub fn data_name(id: DataId) -> ir::UserExternalName {
    ir::UserExternalName::new(1, id.as_u32())
}
