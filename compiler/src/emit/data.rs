//! Static contents of every entity: memory and table descriptors with their limits, global
//! slots, segments, funcref records, constant tables' slot arrays.

use super::EmitOptions;
use crate::error::{Error, Result};
use crate::module::ConstOp;
use crate::program::{EntityRef, Program};
use crate::symbols::Symbols;
use crate::types::TypeIds;
use cranelift_module::{DataDescription, DataId, Module as _, ModuleRelocTarget};
use cranelift_object::ObjectModule;
use smelt_contract::layout::{GLOBAL_SIZE, VMFuncRef, VMMemory, VMSegment, VMTable};

fn ice(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("defining data: {e}"))
}

fn put_u64(bytes: &mut [u8], at: u32, v: u64) {
    bytes[at as usize..at as usize + 8].copy_from_slice(&v.to_le_bytes());
}

fn put_u32(bytes: &mut [u8], at: u32, v: u32) {
    bytes[at as usize..at as usize + 4].copy_from_slice(&v.to_le_bytes());
}

fn define_bytes(
    module: &mut ObjectModule,
    id: DataId,
    contents: Vec<u8>,
    align: u64,
) -> Result<()> {
    let mut d = DataDescription::new();
    d.define(contents.into_boxed_slice());
    d.set_align(align);
    module.define_data(id, &d).map_err(ice)
}

/// Largest table size smelt allocates, in elements, whatever the module allows.
const TABLE_LIMIT: u64 = 10_000_000;

/// Defines the static data of every entity.
pub(crate) fn define(
    module: &mut ObjectModule,
    program: &Program,
    symbols: &Symbols,
    type_ids: &TypeIds,
    options: &EmitOptions,
) -> Result<()> {
    for (i, inst) in program.instances.iter().enumerate() {
        let m = &program.modules[inst.module];
        for mem in m.imported_memories..m.memories.len() as u32 {
            let ty = m.memories[mem as usize];
            let log2 = ty.page_size_log2.unwrap_or(16);
            let index_limit = if ty.memory64 {
                u64::MAX >> log2
            } else {
                (1u64 << 32) >> log2
            };
            let user_limit = options.max_memory >> log2;
            let max = ty
                .maximum
                .unwrap_or(index_limit)
                .min(index_limit)
                .min(user_limit);
            let mut b = vec![0u8; VMMemory::SIZE as usize];
            put_u64(&mut b, VMMemory::MIN_PAGES_OFFSET, ty.initial);
            put_u64(&mut b, VMMemory::MAX_PAGES_OFFSET, max);
            put_u32(&mut b, VMMemory::PAGE_SIZE_LOG2_OFFSET, log2);
            let mut flags = if ty.memory64 { VMMemory::FLAG_64 } else { 0 };
            if options.bounds_checked && !ty.memory64 {
                flags |= VMMemory::FLAG_BOUNDS_CHECKED;
            }
            put_u32(&mut b, VMMemory::FLAGS_OFFSET, flags);
            define_bytes(
                module,
                symbols.memories[&EntityRef {
                    instance: i,
                    index: mem,
                }],
                b,
                16,
            )?;
        }
        for t in m.imported_tables..m.tables.len() as u32 {
            let ty = m.tables[t as usize];
            let mut b = vec![0u8; VMTable::SIZE as usize];
            put_u64(&mut b, VMTable::LENGTH_OFFSET, ty.initial);
            put_u64(
                &mut b,
                VMTable::MAX_OFFSET,
                ty.maximum
                    .unwrap_or(u64::MAX)
                    .min(TABLE_LIMIT.max(ty.initial)),
            );
            define_bytes(
                module,
                symbols.tables[&EntityRef {
                    instance: i,
                    index: t,
                }],
                b,
                16,
            )?;
        }
        for g in m.imported_globals..m.globals.len() as u32 {
            let id = symbols.globals[&EntityRef {
                instance: i,
                index: g,
            }];
            define_bytes(module, id, vec![0u8; GLOBAL_SIZE as usize], 16)?;
        }
        for (d, seg) in m.datas.iter().enumerate() {
            let bytes_id = module.declare_anonymous_data(false, false).map_err(ice)?;
            let mut contents = m.bytes[seg.bytes.clone()].to_vec();
            let len = contents.len() as u64;
            if contents.is_empty() {
                contents.push(0); // object symbols need a byte; the segment length stays 0
            }
            define_bytes(module, bytes_id, contents, 1)?;
            segment(module, symbols.datas[&(i, d as u32)], bytes_id, len)?;
        }
        for (e, seg) in m.elems.iter().enumerate() {
            let items_id = module.declare_anonymous_data(true, false).map_err(ice)?;
            let mut d = DataDescription::new();
            d.define(vec![0u8; seg.items.len().max(1) * 8].into_boxed_slice());
            d.set_align(8);
            for (k, item) in seg.items.iter().enumerate() {
                if let [ConstOp::RefFunc(f)] = item.as_slice() {
                    let def = program.func_def(i, *f);
                    let gv = d.import_global_value(ModuleRelocTarget::user(
                        1,
                        symbols.funcrefs[&def].as_u32(),
                    ));
                    d.write_data_addr((k * 8) as u32, gv, 0);
                }
            }
            module.define_data(items_id, &d).map_err(ice)?;
            segment(
                module,
                symbols.elems[&(i, e as u32)],
                items_id,
                seg.items.len() as u64,
            )?;
        }
    }
    for (id, slots) in symbols.const_tables.values() {
        define_slots(module, program, symbols, type_ids, *id, slots)?;
    }
    // A funcref record is a slot array of one.
    for (def, id) in &symbols.funcrefs {
        define_slots(module, program, symbols, type_ids, *id, &[Some(*def)])?;
    }
    Ok(())
}

/// Defines `id` as `VMFuncRef`-shaped slots, 16-byte aligned: each the function's code and
/// type id, or (None) no code and [`crate::const_tables::NULL_TYPE_ID`].
fn define_slots(
    module: &mut ObjectModule,
    program: &Program,
    symbols: &Symbols,
    type_ids: &TypeIds,
    id: DataId,
    slots: &[Option<EntityRef>],
) -> Result<()> {
    let mut b = vec![0u8; slots.len().max(1) * VMFuncRef::SIZE as usize];
    let mut d = DataDescription::new();
    for (k, slot) in slots.iter().enumerate() {
        let at = k as u32 * VMFuncRef::SIZE;
        let type_id = match slot {
            None => crate::const_tables::NULL_TYPE_ID,
            Some(f) => {
                let code = d.import_function(ModuleRelocTarget::user(0, symbols.funcs[f].as_u32()));
                d.write_function_addr(at + VMFuncRef::CODE_OFFSET, code);
                func_type_id(program, type_ids, *f)
            }
        };
        put_u32(&mut b, at + VMFuncRef::TYPE_ID_OFFSET, type_id);
    }
    d.define(b.into_boxed_slice());
    d.set_align(16);
    module.define_data(id, &d).map_err(ice)
}

/// The program-wide type id of function `def`.
fn func_type_id(program: &Program, type_ids: &TypeIds, def: EntityRef) -> u32 {
    let module_id = program.instances[def.instance].module;
    type_ids.get(
        module_id,
        program.modules[module_id].funcs[def.index as usize],
    )
}

/// Defines a `VMSegment` pointing at `contents`.
fn segment(module: &mut ObjectModule, id: DataId, contents: DataId, len: u64) -> Result<()> {
    let mut b = vec![0u8; VMSegment::SIZE as usize];
    put_u64(&mut b, VMSegment::LENGTH_OFFSET, len);
    let mut d = DataDescription::new();
    d.define(b.into_boxed_slice());
    d.set_align(16);
    let gv = d.import_global_value(ModuleRelocTarget::user(1, contents.as_u32()));
    d.write_data_addr(VMSegment::BASE_OFFSET, gv, 0);
    module.define_data(id, &d).map_err(ice)
}
