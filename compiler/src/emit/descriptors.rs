//! The program descriptor (`smelt_program`) and the tables it points to: instances and
//! their exports, every compiled function with its trap sites and name, and the capabilities
//! granted at build time (`smelt_contract::grants`).

use super::{CompiledFunc, EmitOptions, Mode};
use crate::error::{Error, Result};
use crate::grants::Grants;
use crate::program::Program;
use crate::symbols::Symbols;
use crate::translate::trap_from_code;
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module as _, ModuleRelocTarget};
use cranelift_object::ObjectModule;
use smelt_contract::grants::{DirGrant, EnvGrant, GrantsDesc};
use smelt_contract::program::{
    self as desc, EXPORT_DESC_SIZE, FUNC_DESC_SIZE, INSTANCE_DESC_SIZE, PROGRAM_DESC_SIZE,
};
use smelt_contract::symbols;
use std::collections::HashMap;
use wasmparser::{ExternalKind, ValType};

fn ice(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("defining descriptors: {e}"))
}

/// Builds one data object with relocations.
struct Blob {
    bytes: Vec<u8>,
    desc: DataDescription,
}

impl Blob {
    fn new() -> Blob {
        Blob {
            bytes: Vec::new(),
            desc: DataDescription::new(),
        }
    }
    fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    fn data_ptr(&mut self, id: DataId, addend: i64) {
        let gv = self
            .desc
            .import_global_value(ModuleRelocTarget::user(1, id.as_u32()));
        self.desc
            .write_data_addr(self.bytes.len() as u32, gv, addend);
        self.u64(0);
    }
    fn func_ptr(&mut self, id: FuncId) {
        let f = self
            .desc
            .import_function(ModuleRelocTarget::user(0, id.as_u32()));
        self.desc.write_function_addr(self.bytes.len() as u32, f);
        self.u64(0);
    }
    fn define(mut self, module: &mut ObjectModule, id: DataId) -> Result<()> {
        if self.bytes.is_empty() {
            self.bytes.push(0);
        }
        self.desc.define(self.bytes.into_boxed_slice());
        self.desc.set_align(16);
        module.define_data(id, &self.desc).map_err(ice)
    }
}

/// Defines the [`GrantsDesc`] `id` and the arrays and strings it points to.
fn define_grants(module: &mut ObjectModule, grants: &Grants, id: DataId) -> Result<()> {
    let strings_id = module.declare_anonymous_data(false, false).map_err(ice)?;
    let dirs_id = module.declare_anonymous_data(false, false).map_err(ice)?;
    let env_id = module.declare_anonymous_data(false, false).map_err(ice)?;
    let mut strings = Blob::new();
    let mut string = |blob: &mut Blob, s: &str| {
        blob.data_ptr(strings_id, strings.bytes.len() as i64);
        blob.u64(s.len() as u64);
        strings.bytes.extend_from_slice(s.as_bytes());
    };
    let mut dirs = Blob::new();
    for d in &grants.dirs {
        string(&mut dirs, &d.host);
        string(&mut dirs, &d.guest);
        dirs.u32(if d.read_only { DirGrant::READ_ONLY } else { 0 });
        dirs.u32(0);
    }
    debug_assert_eq!(
        dirs.bytes.len(),
        grants.dirs.len() * DirGrant::SIZE as usize
    );
    let mut env = Blob::new();
    for e in &grants.env {
        string(&mut env, &e.name);
        string(&mut env, e.value.as_deref().unwrap_or(""));
        env.u32(if e.value.is_none() {
            EnvGrant::FROM_HOST
        } else {
            0
        });
        env.u32(0);
    }
    debug_assert_eq!(env.bytes.len(), grants.env.len() * EnvGrant::SIZE as usize);
    let mut g = Blob::new();
    g.data_ptr(dirs_id, 0);
    g.u64(grants.dirs.len() as u64);
    g.data_ptr(env_id, 0);
    g.u64(grants.env.len() as u64);
    let mut flags = 0;
    if grants.inherit_env {
        flags |= GrantsDesc::INHERIT_ENV;
    }
    if grants.runtime_grants {
        flags |= GrantsDesc::RUNTIME_GRANTS;
    }
    g.u32(flags);
    g.u32(0);
    debug_assert_eq!(g.bytes.len(), GrantsDesc::SIZE as usize);
    strings.define(module, strings_id)?;
    dirs.define(module, dirs_id)?;
    env.define(module, env_id)?;
    g.define(module, id)
}

fn value_type_code(t: ValType) -> u32 {
    match t {
        ValType::I32 => 0x7f,
        ValType::I64 => 0x7e,
        ValType::F32 => 0x7d,
        ValType::F64 => 0x7c,
        ValType::V128 => 0x7b,
        ValType::Ref(r) if r.is_func_ref() => 0x70,
        ValType::Ref(_) => 0x6f,
    }
}

/// Defines `smelt_program` and everything it points to.
#[allow(
    clippy::too_many_arguments,
    reason = "one call site; the pieces come from separate passes"
)]
pub(crate) fn define(
    module: &mut ObjectModule,
    program: &Program,
    symbols: &Symbols,
    compiled: &[CompiledFunc],
    exports: &HashMap<(usize, usize), FuncId>,
    main: FuncId,
    inits: Vec<FuncId>,
    options: &EmitOptions,
) -> Result<()> {
    let anon = |module: &mut ObjectModule| module.declare_anonymous_data(false, false).map_err(ice);
    let names_id = anon(module)?;
    let traps_id = anon(module)?;
    let funcs_id = anon(module)?;
    let exports_id = anon(module)?;
    let instances_id = anon(module)?;
    let mut names = Blob::new();
    let mut traps = Blob::new();
    let mut funcs = Blob::new();
    for f in compiled {
        let trap_start = traps.bytes.len() as i64;
        let mut count = 0u32;
        for (offset, code) in &f.traps {
            if let Some(trap) = trap_from_code(*code) {
                traps.u32(*offset);
                traps.u32(trap as u32);
                count += 1;
            }
        }
        // Rust symbol names are shown demangled, as Wasmtime shows them.
        let name = match rustc_demangle::try_demangle(&f.name) {
            _ if !f.in_backtrace => String::new(),
            Ok(d) => d.to_string(),
            Err(_) => f.name.clone(),
        };
        let name_start = names.bytes.len() as i64;
        names.bytes.extend_from_slice(name.as_bytes());
        funcs.func_ptr(f.id);
        funcs.u32(f.code.len() as u32);
        funcs.u32(count);
        funcs.data_ptr(traps_id, trap_start);
        funcs.data_ptr(names_id, name_start);
        funcs.u64(name.len() as u64);
    }
    debug_assert_eq!(funcs.bytes.len(), compiled.len() * FUNC_DESC_SIZE as usize);

    let mut export_descs = Blob::new();
    let mut instances = Blob::new();
    for (i, inst) in program.instances.iter().enumerate() {
        let m = &program.modules[inst.module];
        let first = export_descs.bytes.len() as i64;
        for (e, export) in m.exports.iter().enumerate() {
            let name_start = names.bytes.len() as i64;
            names.bytes.extend_from_slice(export.name.as_bytes());
            export_descs.data_ptr(names_id, name_start);
            export_descs.u64(export.name.len() as u64);
            let (kind, params, results, vt) = match export.kind {
                ExternalKind::Func | ExternalKind::FuncExact => {
                    let ty = m.func_type(export.index);
                    (
                        desc::EXPORT_FUNC,
                        ty.params().len() as u32,
                        ty.results().len() as u32,
                        0,
                    )
                }
                ExternalKind::Global => (
                    desc::EXPORT_GLOBAL,
                    0,
                    0,
                    value_type_code(m.globals[export.index as usize].content_type),
                ),
                ExternalKind::Memory => (desc::EXPORT_MEMORY, 0, 0, 0),
                _ => (desc::EXPORT_TABLE, 0, 0, 0),
            };
            export_descs.u32(kind);
            export_descs.u32(params);
            export_descs.u32(results);
            export_descs.u32(vt);
            match export.kind {
                ExternalKind::Func | ExternalKind::FuncExact => {
                    export_descs.func_ptr(exports[&(i, e)])
                }
                ExternalKind::Global => {
                    export_descs.data_ptr(symbols.globals[&inst.globals[export.index as usize]], 0)
                }
                ExternalKind::Memory => export_descs
                    .data_ptr(symbols.memories[&inst.memories[export.index as usize]], 0),
                ExternalKind::Table => {
                    export_descs.data_ptr(symbols.tables[&inst.tables[export.index as usize]], 0)
                }
                ExternalKind::Tag => export_descs.u64(0),
            }
        }
        instances.func_ptr(inits[i]);
        instances.data_ptr(exports_id, first);
        instances.u64(m.exports.len() as u64);
    }
    debug_assert_eq!(
        instances.bytes.len(),
        program.instances.len() * INSTANCE_DESC_SIZE as usize
    );
    let export_count: usize = program
        .instances
        .iter()
        .map(|i| program.modules[i.module].exports.len())
        .sum();
    debug_assert_eq!(
        export_descs.bytes.len(),
        export_count * EXPORT_DESC_SIZE as usize
    );

    let program_id = module
        .declare_data(symbols::PROGRAM, Linkage::Export, false, false)
        .map_err(ice)?;
    let mut p = Blob::new();
    p.u32(desc::VERSION);
    p.u32(match options.mode {
        Mode::Command => desc::MODE_COMMAND,
        Mode::Script => desc::MODE_SCRIPT,
    });
    p.func_ptr(main);
    p.data_ptr(instances_id, 0);
    p.u64(program.instances.len() as u64);
    p.data_ptr(funcs_id, 0);
    p.u64(compiled.len() as u64);
    p.u64(options.stack_size);
    let grants_id = anon(module)?;
    p.data_ptr(grants_id, 0);
    debug_assert_eq!(p.bytes.len(), PROGRAM_DESC_SIZE as usize);
    define_grants(module, &options.grants, grants_id)?;

    names.define(module, names_id)?;
    traps.define(module, traps_id)?;
    funcs.define(module, funcs_id)?;
    export_descs.define(module, exports_id)?;
    instances.define(module, instances_id)?;
    p.define(module, program_id)
}
