//! The program descriptor (`smelt_program`) and the tables it points to: instances and
//! their exports, every compiled function with its trap sites and name, and the capabilities
//! granted at build time (`smelt_contract::grants`).

use super::{CompiledFunc, EmitOptions, Mode};
use crate::error::{Error, Result};
use crate::grants::Grants;
use crate::program::Program;
use crate::symbols::Symbols;
use crate::translate::{is_recorded, trap_from_code};
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module as _, ModuleRelocTarget};
use cranelift_object::{ObjectModule, ObjectProduct};
use object::write::SymbolSection;
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

/// Defines `smelt_program` and everything it points to. Returns the function table, whose
/// code offsets [`patch_code_offsets`] fills in once the object is laid out.
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
) -> Result<DataId> {
    let anon = |module: &mut ObjectModule| module.declare_anonymous_data(false, false).map_err(ice);
    let names_id = anon(module)?;
    let func_names_id = anon(module)?;
    let name_dict_id = anon(module)?;
    let traps_id = anon(module)?;
    let funcs_id = anon(module)?;
    let exports_id = anon(module)?;
    let instances_id = anon(module)?;
    let mut names = Blob::new();
    let mut func_names = Blob::new();
    let mut traps = Blob::new();
    let mut funcs = Blob::new();
    let mut trap_count = 0u32;
    // Rust symbol names are shown demangled, as Wasmtime shows them.
    let plain_names: Vec<String> = compiled
        .iter()
        .map(|f| match rustc_demangle::try_demangle(&f.name) {
            _ if !f.in_backtrace => String::new(),
            Ok(d) => d.to_string(),
            Err(_) => f.name.clone(),
        })
        .collect();
    let (encoded_names, dict) = super::names::encode(&plain_names);
    for (f, name) in compiled.iter().zip(&encoded_names) {
        // `start` is patched in by `patch_code_offsets` once the code is laid out.
        funcs.u32(0);
        funcs.u32(f.code.len() as u32);
        funcs.u32(trap_count);
        funcs.u32(func_names.bytes.len() as u32);
        func_names.bytes.extend_from_slice(name);
        for (offset, code) in &f.traps {
            if let Some(trap) = trap_from_code(*code).filter(|_| is_recorded(*code)) {
                traps.u32(*offset);
                traps.u32(trap as u32);
                trap_count += 1;
            }
        }
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
    match compiled.first() {
        Some(f) => p.func_ptr(f.id),
        None => p.u64(0),
    }
    p.data_ptr(funcs_id, 0);
    p.u64(compiled.len() as u64);
    p.data_ptr(traps_id, 0);
    p.u64(u64::from(trap_count));
    p.data_ptr(func_names_id, 0);
    p.u64(func_names.bytes.len() as u64);
    p.data_ptr(name_dict_id, 0);
    p.u64(dict.len() as u64);
    p.u64(options.stack_size);
    let grants_id = anon(module)?;
    p.data_ptr(grants_id, 0);
    debug_assert_eq!(p.bytes.len(), PROGRAM_DESC_SIZE as usize);
    define_grants(module, &options.grants, grants_id)?;

    names.define(module, names_id)?;
    func_names.define(module, func_names_id)?;
    let mut name_dict = Blob::new();
    name_dict.bytes = dict;
    name_dict.define(module, name_dict_id)?;
    traps.define(module, traps_id)?;
    funcs.define(module, funcs_id)?;
    export_descs.define(module, exports_id)?;
    instances.define(module, instances_id)?;
    p.define(module, program_id)?;
    Ok(funcs_id)
}

/// Writes each function's offset from the first one into the function table `funcs_id`
/// (`FuncDesc::start`), from where the object placed them: all in one text section, in
/// `compiled`'s order, which the linker keeps together.
pub(crate) fn patch_code_offsets(
    product: &mut ObjectProduct,
    funcs_id: DataId,
    compiled: &[CompiledFunc],
) -> Result<()> {
    let place = |product: &ObjectProduct, id: FuncId| {
        let sym = product.object.symbol(product.function_symbol(id));
        match sym.section {
            SymbolSection::Section(section) => Ok((section, sym.value)),
            _ => Err(ice(format!("function {id:?} has no section"))),
        }
    };
    let Some(first) = compiled.first() else {
        return Ok(());
    };
    let (text, base) = place(product, first.id)?;
    let mut starts = Vec::with_capacity(compiled.len());
    for f in compiled {
        let (section, at) = place(product, f.id)?;
        let offset = at
            .checked_sub(base)
            .filter(|_| section == text)
            .and_then(|o| u32::try_from(o).ok())
            .ok_or_else(|| {
                ice(format!(
                    "function {} is not laid out after the first",
                    f.name
                ))
            })?;
        starts.push(offset);
    }
    let table = product.object.symbol(product.data_symbol(funcs_id));
    let (SymbolSection::Section(section), at) = (table.section, table.value) else {
        return Err(ice("the function table has no section"));
    };
    let bytes = product.object.section_mut(section).data_mut();
    for (i, start) in starts.into_iter().enumerate() {
        let field = at as usize + i * FUNC_DESC_SIZE as usize;
        bytes[field..field + 4].copy_from_slice(&start.to_le_bytes());
    }
    Ok(())
}
