//! The closed world: every core instance of the executable and how each import is bound.
//!
//! smelt resolves the whole instantiation graph at compile time. A [`Program`] is a list of
//! module instances in instantiation order; each import of an instance is bound to the entity
//! (function, memory, table, global) of an earlier instance that *defines* it, following
//! re-exports to the end. Later passes therefore never see an import: a call to an imported
//! function is a direct call to its definition, an imported memory is the defining instance's
//! static memory.
//!
//! An import may instead be bound to a host function (a WASI function the runtime
//! implements, see [`crate::host`]): the importing instance then gets a compiler-generated
//! adapter for it, named by the import itself ([`Instance::hosts`]).
//!
//! Invariant: every [`EntityRef`] names a *defined* (not imported) entity of its instance,
//! or a function import of its instance that is bound to a host function or a resource
//! built-in (a key of [`Instance::hosts`] or [`Instance::resource_funcs`]), and that instance
//! comes earlier in [`Program::instances`] than any instance importing it.

use crate::error::{Error, Result};
use crate::host::HostFunc;
use crate::module::{ConstOp, ImportKind, Module};
use crate::types::canonical_key;
use crate::validate::validate_module;
use std::collections::BTreeMap;
use std::sync::Arc;
use wasmparser::{
    AbstractHeapType, ExternalKind, FuncType, GlobalType, HeapType, MemoryType, TableType, ValType,
};

/// Index of a module in [`Program::modules`].
pub type ModuleId = usize;
/// Index of an instance in [`Program::instances`].
pub type InstanceId = usize;

/// A defined entity: the instance that defines it and its index in that module's index space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityRef {
    /// The defining instance.
    pub instance: InstanceId,
    /// Index in the defining module's index space (at or above its import count).
    pub index: u32,
}

/// One core module instance.
#[derive(Debug)]
pub struct Instance {
    /// Its module.
    pub module: ModuleId,
    /// Definition of every function in the module's function index space.
    pub funcs: Vec<EntityRef>,
    /// Definition of every table.
    pub tables: Vec<EntityRef>,
    /// Definition of every memory.
    pub memories: Vec<EntityRef>,
    /// Definition of every global.
    pub globals: Vec<EntityRef>,
    /// Imported memories and tables whose minimum size must be checked when the instance is
    /// instantiated, because the exporter may have grown since it was declared.
    pub size_checks: Vec<SizeCheck>,
    /// Function imports bound to host functions, by import index: each is defined by an
    /// adapter of this instance.
    pub hosts: BTreeMap<u32, HostBinding>,
    /// Function imports bound to resource built-ins, by import index: each is defined by a
    /// generated function of this instance.
    pub resource_funcs: BTreeMap<u32, ResourceFunc>,
}

/// A host function lowered with its canonical options
/// (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#canon-lower>).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostBinding {
    /// The host function.
    pub func: &'static HostFunc,
    /// Its lowering: an index in [`Program::lowerings`].
    pub lowering: usize,
}

/// The canonical options of a `canon lower` of a host function, with the lowering component
/// instance: the runtime's `VMLowering` record.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Lowering {
    /// `(memory ...)`: the memory the host reads lists from and writes results to.
    pub memory: Option<EntityRef>,
    /// `(realloc ...)`: the function the host allocates returned lists and strings with.
    pub realloc: Option<EntityRef>,
    /// `string-encoding=`: a `VMLowering` encoding constant.
    pub string_encoding: u32,
    /// The component instance whose handle table holds the handles passed and returned.
    pub component: u32,
}

/// A canonical built-in on a resource type a component defines
/// (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#canon-resourcenew>).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceFunc {
    /// Which built-in.
    pub op: ResourceOp,
    /// The resource type's tag in handle tables.
    pub tag: u32,
    /// The component instance whose handle table holds the handles (for the handle moves
    /// of fused adapters: the caller's).
    pub component: u32,
    /// For handle moves: the callee's component instance.
    pub other: u32,
    /// The type's destructor, called when an own handle is dropped.
    pub dtor: Option<EntityRef>,
}

/// `resource.new`, `resource.rep` or `resource.drop`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceOp {
    /// `(func (param i32 rep) (result i32 handle))`.
    New,
    /// `(func (param i32 handle) (result i32 rep))`.
    Rep,
    /// `(func (param i32 handle))`.
    Drop,
    /// Fused adapters: `(tag, handle) -> handle`, an own handle from the caller's table to
    /// the callee's.
    OwnIn,
    /// Fused adapters: `(tag, handle) -> handle`, an own handle from the callee's table to
    /// the caller's.
    OwnOut,
    /// Fused adapters: `(tag, handle, callee_defines) -> handle or rep`: lends a handle.
    Borrow,
    /// Fused adapters: `(tag, caller_handle, callee_handle)`: ends a lend.
    BorrowEnd,
    /// Fused adapters: `(code)`, raises trap `code` (a `smelt_contract::Trap`) where the
    /// Canonical ABI traps.
    Trap,
    /// Fused adapters: `(ptr, len) -> ptr | len << 32`, a string copied (and transcoded)
    /// from `src_memory`, whose side's string encoding is `src_encoding`, into the memory of
    /// lowering `dst` (an index in [`Program::lowerings`]) with its `realloc`.
    Transcode {
        /// The sending side's memory.
        src_memory: EntityRef,
        /// The sending side's string encoding (a `VMLowering` constant).
        src_encoding: u32,
        /// The receiving side's options.
        dst: usize,
    },
}

/// What an import is bound to, as a resolver passed to [`Program::instantiate`] says.
#[derive(Clone, Debug)]
pub enum Binding {
    /// The export with this name of an earlier instance.
    Export(InstanceId, String),
    /// A host function (function imports only).
    Host(HostBinding),
    /// A resource built-in (function imports only).
    Resource(ResourceFunc),
}

/// A minimum size an imported memory or table must have at instantiation.
#[derive(Clone, Copy, Debug)]
pub struct SizeCheck {
    /// A memory (size in pages) or a table (size in elements).
    pub memory: bool,
    /// The imported entity's definition.
    pub def: EntityRef,
    /// The import's minimum.
    pub min: u64,
}

/// The type of an export, for drivers that call exports.
#[derive(Clone, Debug)]
pub enum ExportType {
    /// A function.
    Func(FuncType),
    /// A global.
    Global(GlobalType),
    /// A memory.
    Memory(MemoryType),
    /// A table.
    Table(TableType),
}

/// The closed world being compiled.
#[derive(Debug, Default)]
pub struct Program {
    /// Decoded modules.
    pub modules: Vec<Arc<Module>>,
    /// Instances in instantiation order.
    pub instances: Vec<Instance>,
    /// What the executable runs after instantiating every instance (command mode).
    pub entry: Entry,
    /// Every distinct lowering of a host function.
    pub lowerings: Vec<Lowering>,
    /// How many component instances there are (each has a handle table).
    pub component_instances: u32,
}

/// The entry point of a program, called after every instance has been instantiated (and so
/// every start function has run).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Entry {
    /// Nothing: instantiation is the whole program.
    #[default]
    None,
    /// A core module command: the `_start` export of this instance, if it has one.
    Start(InstanceId),
    /// A component's `wasi:cli/run#run: func() -> result`, lifted from a core function of
    /// type `() -> i32` (0 = `ok`, 1 = `err`; the process exits with status 0 or 1).
    Run {
        /// The lifted core function.
        func: EntityRef,
        /// The `post-return` canonical option: called with `func`'s result once the
        /// result has been read.
        post_return: Option<EntityRef>,
    },
}

impl Program {
    /// An empty program.
    pub fn new() -> Program {
        Program::default()
    }

    /// The index of `lowering` in [`Program::lowerings`], added if new.
    pub fn lowering(&mut self, lowering: Lowering) -> usize {
        match self.lowerings.iter().position(|l| *l == lowering) {
            Some(i) => i,
            None => {
                self.lowerings.push(lowering);
                self.lowerings.len() - 1
            }
        }
    }

    /// Validates and decodes a core module. `name` is used in messages.
    pub fn add_module(&mut self, name: &str, bytes: Vec<u8>) -> Result<ModuleId> {
        validate_module(name, &bytes)?;
        self.add_validated_module(name, bytes)
    }

    /// Decodes a core module that has been validated with [`crate::validate::SUPPORTED`]
    /// already (as part of the component that contains it).
    pub(crate) fn add_validated_module(&mut self, name: &str, bytes: Vec<u8>) -> Result<ModuleId> {
        let module = Module::decode(name, bytes)?;
        self.modules.push(Arc::new(module));
        Ok(self.modules.len() - 1)
    }

    /// Instantiates `module`, binding each import with `resolve(module_name, field_name)`,
    /// which names an earlier instance and the export to take, or a host function.
    /// Unresolvable imports are listed together; a type mismatch is reported for the first
    /// import that has one.
    pub fn instantiate(
        &mut self,
        module: ModuleId,
        mut resolve: impl FnMut(&str, &str) -> Option<Binding>,
    ) -> Result<InstanceId> {
        let m = self.modules[module].clone();
        let id = self.instances.len();
        let mut inst = Instance {
            module,
            funcs: Vec::new(),
            tables: Vec::new(),
            memories: Vec::new(),
            globals: Vec::new(),
            size_checks: Vec::new(),
            hosts: BTreeMap::new(),
            resource_funcs: BTreeMap::new(),
        };
        let mut missing = Vec::new();
        for import in &m.imports {
            let found = match resolve(&import.module, &import.name) {
                Some(Binding::Export(i, field)) => self.export(i, &field),
                Some(Binding::Host(host)) => {
                    let ImportKind::Func(t) = import.kind else {
                        return Err(Error::Internal(format!(
                            "host function bound to the non-function import {}::{}",
                            import.module, import.name
                        )));
                    };
                    let want = m.type_at(t);
                    let same =
                        want.params() == host.func.params && want.results() == host.func.results;
                    if host.func.implemented && !same {
                        return Err(Error::IncompatibleImport {
                            file: m.name.clone(),
                            module: import.module.clone(),
                            name: import.name.clone(),
                            message: format!(
                                "`{}#{}` lowers to core type {:?} -> {:?}, not {want}",
                                host.func.interface,
                                host.func.func,
                                host.func.params,
                                host.func.results
                            ),
                        });
                    }
                    let index = inst.funcs.len() as u32;
                    inst.hosts.insert(index, host);
                    inst.funcs.push(EntityRef {
                        instance: id,
                        index,
                    });
                    continue;
                }
                Some(Binding::Resource(func)) => {
                    let want = match import.kind {
                        ImportKind::Func(t) => m.type_at(t),
                        _ => {
                            return Err(Error::Internal(format!(
                                "resource built-in bound to the non-function import {}::{}",
                                import.module, import.name
                            )));
                        }
                    };
                    const I: ValType = ValType::I32;
                    let (params, results): (&[ValType], &[ValType]) = match func.op {
                        ResourceOp::New | ResourceOp::Rep => (&[I], &[I]),
                        ResourceOp::Drop => (&[I], &[]),
                        ResourceOp::OwnIn | ResourceOp::OwnOut => (&[I, I], &[I]),
                        ResourceOp::Borrow => (&[I, I, I], &[I]),
                        ResourceOp::BorrowEnd => (&[I, I, I], &[]),
                        ResourceOp::Trap => (&[I], &[]),
                        ResourceOp::Transcode { .. } => (&[I, I], &[ValType::I64]),
                    };
                    if want.params() != params || want.results() != results {
                        return Err(Error::Internal(format!(
                            "validated resource built-in bound to {}::{} of type {want}",
                            import.module, import.name
                        )));
                    }
                    let index = inst.funcs.len() as u32;
                    inst.resource_funcs.insert(index, func);
                    inst.funcs.push(EntityRef {
                        instance: id,
                        index,
                    });
                    continue;
                }
                None => None,
            };
            let Some((kind, def)) = found else {
                missing.push(format!(
                    "{}::{} ({})",
                    import.module,
                    import.name,
                    kind_name(&import.kind)
                ));
                continue;
            };
            let incompatible = |message: String| Error::IncompatibleImport {
                file: m.name.clone(),
                module: import.module.clone(),
                name: import.name.clone(),
                message,
            };
            let def_module = &self.modules[self.instances[def.instance].module];
            match (&import.kind, kind) {
                (ImportKind::Func(t), ExternalKind::Func) => {
                    let want = m.type_at(*t);
                    let have = def_module.func_type(def.index);
                    let have_ty = def_module.funcs[def.index as usize];
                    if canonical_key(&m, *t) != canonical_key(def_module, have_ty) {
                        return Err(incompatible(format!(
                            "expected function type {want}, found {have}"
                        )));
                    }
                    inst.funcs.push(def);
                }
                (ImportKind::Table(want), ExternalKind::Table) => {
                    let have = def_module.tables[def.index as usize];
                    let (we, he) = (
                        ValType::Ref(want.element_type),
                        ValType::Ref(have.element_type),
                    );
                    if !(val_subtype(def_module, he, &m, we) && val_subtype(&m, we, def_module, he))
                    {
                        return Err(incompatible(format!(
                            "expected table of {}, found table of {}",
                            want.element_type, have.element_type
                        )));
                    }
                    if check_table(want, &have).map_err(incompatible)? {
                        inst.size_checks.push(SizeCheck {
                            memory: false,
                            def,
                            min: want.initial,
                        });
                    }
                    inst.tables.push(def);
                }
                (ImportKind::Memory(want), ExternalKind::Memory) => {
                    let have = def_module.memories[def.index as usize];
                    if check_memory(want, &have).map_err(incompatible)? {
                        inst.size_checks.push(SizeCheck {
                            memory: true,
                            def,
                            min: want.initial,
                        });
                    }
                    inst.memories.push(def);
                }
                (ImportKind::Global(want), ExternalKind::Global) => {
                    let have = def_module.globals[def.index as usize];
                    // Immutable globals are covariant; mutable ones must match exactly.
                    let ok = want.mutable == have.mutable
                        && match want.mutable {
                            false => {
                                val_subtype(def_module, have.content_type, &m, want.content_type)
                            }
                            true => {
                                val_subtype(def_module, have.content_type, &m, want.content_type)
                                    && val_subtype(
                                        &m,
                                        want.content_type,
                                        def_module,
                                        have.content_type,
                                    )
                            }
                        };
                    if !ok {
                        return Err(incompatible(format!(
                            "expected global {want:?}, found {have:?}"
                        )));
                    }
                    inst.globals.push(def);
                }
                (want, _) => {
                    return Err(incompatible(format!(
                        "expected a {}, found a {kind:?}",
                        kind_name(want)
                    )));
                }
            }
        }
        if !missing.is_empty() {
            return Err(Error::UnresolvedImports {
                file: m.name.clone(),
                list: missing,
            });
        }
        let own = |count: usize, imported: u32| {
            (imported..count as u32).map(move |index| EntityRef {
                instance: id,
                index,
            })
        };
        inst.funcs.extend(own(m.funcs.len(), m.imported_funcs));
        inst.tables.extend(own(m.tables.len(), m.imported_tables));
        inst.memories
            .extend(own(m.memories.len(), m.imported_memories));
        inst.globals
            .extend(own(m.globals.len(), m.imported_globals));
        self.instances.push(inst);
        Ok(id)
    }

    /// The module of an instance.
    pub fn module_of(&self, instance: InstanceId) -> &Arc<Module> {
        &self.modules[self.instances[instance].module]
    }

    /// Looks up an export of an instance: its kind and definition.
    pub fn export(&self, instance: InstanceId, name: &str) -> Option<(ExternalKind, EntityRef)> {
        let inst = self.instances.get(instance)?;
        let m = &self.modules[inst.module];
        let e = m.exports.iter().find(|e| e.name == name)?;
        let def = match e.kind {
            ExternalKind::Func | ExternalKind::FuncExact => inst.funcs[e.index as usize],
            ExternalKind::Table => inst.tables[e.index as usize],
            ExternalKind::Memory => inst.memories[e.index as usize],
            ExternalKind::Global => inst.globals[e.index as usize],
            ExternalKind::Tag => return None,
        };
        let kind = if e.kind == ExternalKind::FuncExact {
            ExternalKind::Func
        } else {
            e.kind
        };
        Some((kind, def))
    }

    /// The exports of an instance with their types, in the module's export order.
    pub fn export_types(&self, instance: InstanceId) -> Vec<(String, ExportType)> {
        let m = self.module_of(instance);
        m.exports
            .iter()
            .map(|e| {
                let ty = match e.kind {
                    ExternalKind::Func | ExternalKind::FuncExact => {
                        ExportType::Func(m.func_type(e.index).clone())
                    }
                    ExternalKind::Table => ExportType::Table(m.tables[e.index as usize]),
                    ExternalKind::Memory => ExportType::Memory(m.memories[e.index as usize]),
                    ExternalKind::Global | ExternalKind::Tag => {
                        ExportType::Global(m.globals[e.index as usize])
                    }
                };
                (e.name.clone(), ty)
            })
            .collect()
    }

    /// The value of an immutable global whose initialiser is a constant, if it is one.
    /// Compiled code uses it instead of loading the global.
    pub fn global_constant(&self, def: EntityRef) -> Option<ConstOp> {
        let m = self.module_of(def.instance);
        let ty = m.globals[def.index as usize];
        if ty.mutable {
            return None;
        }
        let init = &m.global_inits[(def.index - m.imported_globals) as usize];
        match init.as_slice() {
            [
                op @ (ConstOp::I32(_)
                | ConstOp::I64(_)
                | ConstOp::F32(_)
                | ConstOp::F64(_)
                | ConstOp::V128(_)),
            ] => Some(op.clone()),
            [ConstOp::GlobalGet(g)] => {
                let inner = self.instances[def.instance].globals[*g as usize];
                self.global_constant(inner)
            }
            _ => None,
        }
    }

    /// A map from (instance, function index) to its definition, for every function of every
    /// instance.
    pub fn func_def(&self, instance: InstanceId, func: u32) -> EntityRef {
        self.instances[instance].funcs[func as usize]
    }
}

/// What an import is, in words: `function`, `table`, `memory`, `global`.
pub(crate) fn kind_name(kind: &ImportKind) -> &'static str {
    match kind {
        ImportKind::Func(_) => "function",
        ImportKind::Table(_) => "table",
        ImportKind::Memory(_) => "memory",
        ImportKind::Global(_) => "global",
    }
}

/// Checks an import's limits against the exporter's declared ones. `Ok(true)`: compatible
/// only if the exporter has grown to the import's minimum by then, which is checked at run
/// time (the spec matches limits against the *current* size).
fn limits_ok(
    want_min: u64,
    want_max: Option<u64>,
    have_min: u64,
    have_max: Option<u64>,
) -> Result<bool, ()> {
    let max_ok = match (want_max, have_max) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(w), Some(h)) => h <= w,
    };
    let can_reach = have_max.is_none_or(|h| h >= want_min);
    match (max_ok, have_min >= want_min) {
        (false, _) => Err(()),
        (true, true) => Ok(false),
        (true, false) if can_reach => Ok(true),
        (true, false) => Err(()),
    }
}

fn check_table(want: &TableType, have: &TableType) -> Result<bool, String> {
    if want.table64 != have.table64 {
        return Err(format!("expected table {want:?}, found {have:?}"));
    }
    limits_ok(want.initial, want.maximum, have.initial, have.maximum).map_err(|()| {
        format!(
            "table limits: expected at least {} (max {:?}), found {} (max {:?})",
            want.initial, want.maximum, have.initial, have.maximum
        )
    })
}

fn check_memory(want: &MemoryType, have: &MemoryType) -> Result<bool, String> {
    if want.memory64 != have.memory64
        || want.shared != have.shared
        || want.page_size_log2 != have.page_size_log2
    {
        return Err(format!("expected memory {want:?}, found {have:?}"));
    }
    limits_ok(want.initial, want.maximum, have.initial, have.maximum).map_err(|()| {
        format!(
            "memory limits: expected at least {} pages (max {:?}), found {} (max {:?})",
            want.initial, want.maximum, have.initial, have.maximum
        )
    })
}

/// Whether a value of type `have` (in `hm`) may be used where `want` (in `wm`) is expected:
/// equal types, or references that narrow nullability or go from a concrete function type
/// to `func`.
fn val_subtype(hm: &Module, have: ValType, wm: &Module, want: ValType) -> bool {
    let (ValType::Ref(h), ValType::Ref(w)) = (have, want) else {
        return have == want;
    };
    if h.is_nullable() && !w.is_nullable() {
        return false;
    }
    let concrete = |m: &Module, ht: HeapType| match ht {
        HeapType::Concrete(i) | HeapType::Exact(i) => {
            i.as_module_index().map(|t| canonical_key(m, t))
        }
        HeapType::Abstract { .. } => None,
    };
    match (h.heap_type(), w.heap_type()) {
        (HeapType::Abstract { ty: a, shared: sa }, HeapType::Abstract { ty: b, shared: sb }) => {
            a == b && sa == sb
        }
        (hh @ (HeapType::Concrete(_) | HeapType::Exact(_)), HeapType::Abstract { ty, .. }) => {
            ty == AbstractHeapType::Func && concrete(hm, hh).is_some()
        }
        (hh, wh) => match (concrete(hm, hh), concrete(wm, wh)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
    }
}
