//! Instance initialisers: what instantiating a module does, in the order the spec gives.
//!
//! 1. Globals get their initial values (constant expressions, in order).
//! 2. Defined memories are reserved and committed (`memory_new`); defined tables are
//!    allocated and filled with their initial value (`table_new`).
//! 3. Element segments: items that are not link-time constants (`global.get`) are stored
//!    into the segment; active segments are copied into their table (`table_init`) and
//!    dropped; declarative segments are dropped.
//! 4. Active data segments are copied into their memory (`memory_init`) and dropped.
//! 5. The start function runs.
//!
//! A trap in steps 3–5 leaves earlier effects in place, as the spec requires.

use super::entry::Gen;
use crate::error::Result;
use crate::module::{ConstExpr, ConstOp, SegmentMode};
use crate::program::{InstanceId, Program, SizeCheck};
use crate::translate::{clif_type, trusted, wasm_signature};
use crate::types::TypeIds;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{InstBuilder, Value, types};
use smelt_contract::Trap;
use smelt_contract::layout::{VMMemory, VMSegment, VMTable};

/// Evaluates a constant expression of instance `inst`.
fn eval(g: &mut Gen<'_>, program: &Program, inst: InstanceId, expr: &ConstExpr) -> Value {
    let mut stack: Vec<Value> = Vec::new();
    for op in expr {
        let v = match *op {
            ConstOp::I32(x) => g.b.ins().iconst(types::I32, i64::from(x)),
            ConstOp::I64(x) => g.b.ins().iconst(types::I64, x),
            ConstOp::F32(x) => g.b.ins().f32const(f32::from_bits(x)),
            ConstOp::F64(x) => g.b.ins().f64const(f64::from_bits(x)),
            ConstOp::V128(x) => {
                let c =
                    g.b.func
                        .dfg
                        .constants
                        .insert(x.to_le_bytes().to_vec().into());
                g.b.ins().vconst(types::I8X16, c)
            }
            ConstOp::RefNull => g.b.ins().iconst(types::I64, 0),
            ConstOp::RefFunc(f) => {
                let def = program.func_def(inst, f);
                let id = g.symbols.funcrefs[&def];
                g.data_addr(id)
            }
            ConstOp::GlobalGet(gi) => {
                let def = program.instances[inst].globals[gi as usize];
                let ty = program.module_of(def.instance).globals[def.index as usize].content_type;
                let id = g.symbols.globals[&def];
                let addr = g.data_addr(id);
                g.b.ins().load(clif_type(ty), trusted(), addr, 0)
            }
            ConstOp::I32Add | ConstOp::I64Add => {
                let (b, a) = (stack.pop().unwrap(), stack.pop().unwrap());
                g.b.ins().iadd(a, b)
            }
            ConstOp::I32Sub | ConstOp::I64Sub => {
                let (b, a) = (stack.pop().unwrap(), stack.pop().unwrap());
                g.b.ins().isub(a, b)
            }
            ConstOp::I32Mul | ConstOp::I64Mul => {
                let (b, a) = (stack.pop().unwrap(), stack.pop().unwrap());
                g.b.ins().imul(a, b)
            }
        };
        stack.push(v);
    }
    stack
        .pop()
        .expect("validated: constant expressions produce a value")
}

/// Whether an element item is fixed at link time (and so already in the static segment).
pub(crate) fn is_static_item(item: &ConstExpr) -> bool {
    matches!(item.as_slice(), [ConstOp::RefNull] | [ConstOp::RefFunc(_)])
}

fn to_i64(g: &mut Gen<'_>, v: Value) -> Value {
    if g.b.func.dfg.value_type(v) == types::I32 {
        g.b.ins().uextend(types::I64, v)
    } else {
        v
    }
}

/// Emits the body of instance `inst`'s initialiser.
pub(crate) fn instance_init(
    g: &mut Gen<'_>,
    program: &Program,
    _type_ids: &TypeIds,
    inst: InstanceId,
) -> Result<()> {
    let m = program.modules[program.instances[inst].module].clone();
    let flags = trusted();
    for check in &program.instances[inst].size_checks {
        size_check(g, check)?;
    }
    for (k, init) in m.global_inits.iter().enumerate() {
        let gi = m.imported_globals + k as u32;
        let def = program.instances[inst].globals[gi as usize];
        let v = eval(g, program, inst, init);
        let addr = g.data_addr(g.symbols.globals[&def]);
        g.b.ins().store(flags, v, addr, 0);
    }
    for mem in m.imported_memories..m.memories.len() as u32 {
        let def = program.instances[inst].memories[mem as usize];
        let addr = g.data_addr(g.symbols.memories[&def]);
        g.call_builtin("memory_new", &[addr])?;
    }
    for t in m.imported_tables..m.tables.len() as u32 {
        let def = program.instances[inst].tables[t as usize];
        let init = match &m.table_inits[(t - m.imported_tables) as usize] {
            Some(expr) => eval(g, program, inst, expr),
            None => g.b.ins().iconst(types::I64, 0),
        };
        let addr = g.data_addr(g.symbols.tables[&def]);
        g.call_builtin("table_new", &[addr, init])?;
    }
    for (e, seg) in m.elems.iter().enumerate() {
        let seg_addr = g.data_addr(g.symbols.elems[&(inst, e as u32)]);
        if seg.items.iter().any(|i| !is_static_item(i)) {
            let base =
                g.b.ins()
                    .load(types::I64, flags, seg_addr, VMSegment::BASE_OFFSET as i32);
            for (k, item) in seg.items.iter().enumerate() {
                if !is_static_item(item) {
                    let v = eval(g, program, inst, item);
                    g.b.ins().store(flags, v, base, (k * 8) as i32);
                }
            }
        }
        match &seg.mode {
            SegmentMode::Active { index, offset } => {
                let def = program.instances[inst].tables[*index as usize];
                let table = g.data_addr(g.symbols.tables[&def]);
                let off = eval(g, program, inst, offset);
                let off = to_i64(g, off);
                let zero = g.b.ins().iconst(types::I32, 0);
                let len = g.b.ins().iconst(types::I32, seg.items.len() as i64);
                g.call_builtin("table_init", &[table, seg_addr, off, zero, len])?;
                drop_segment(g, seg_addr);
            }
            SegmentMode::Declared => drop_segment(g, seg_addr),
            SegmentMode::Passive => {}
        }
    }
    for (d, seg) in m.datas.iter().enumerate() {
        if let SegmentMode::Active { index, offset } = &seg.mode {
            let seg_addr = g.data_addr(g.symbols.datas[&(inst, d as u32)]);
            let def = program.instances[inst].memories[*index as usize];
            let mem = g.data_addr(g.symbols.memories[&def]);
            let off = eval(g, program, inst, offset);
            let off = to_i64(g, off);
            let zero = g.b.ins().iconst(types::I32, 0);
            let len = g.b.ins().iconst(types::I32, seg.bytes.len() as i64);
            g.call_builtin("memory_init", &[mem, seg_addr, off, zero, len])?;
            drop_segment(g, seg_addr);
        }
    }
    if let Some(start) = m.start {
        let def = program.func_def(inst, start);
        let ty = program.module_of(def.instance).func_type(def.index).clone();
        g.call(g.symbols.funcs[&def], wasm_signature(&ty), &[]);
    }
    Ok(())
}

/// Raises IncompatibleImport unless an imported memory or table has reached the import's
/// minimum size by now.
fn size_check(g: &mut Gen<'_>, check: &SizeCheck) -> Result<()> {
    let (addr, min) = if check.memory {
        let addr = g.data_addr(g.symbols.memories[&check.def]);
        // Page sizes are 64 KiB unless custom-page-sizes, which smelt does not accept.
        (addr, check.min.saturating_mul(65536))
    } else {
        (g.data_addr(g.symbols.tables[&check.def]), check.min)
    };
    let len_offset = if check.memory {
        VMMemory::LENGTH_OFFSET
    } else {
        VMTable::LENGTH_OFFSET
    };
    let len =
        g.b.ins()
            .load(types::I64, trusted(), addr, len_offset as i32);
    let small =
        g.b.ins()
            .icmp_imm_u(IntCC::UnsignedLessThan, len, min as i64);
    let fail = g.b.create_block();
    let ok = g.b.create_block();
    g.b.ins().brif(small, fail, &[], ok, &[]);
    g.b.switch_to_block(fail);
    g.b.seal_block(fail);
    let code =
        g.b.ins()
            .iconst(types::I32, i64::from(Trap::IncompatibleImport as u8));
    g.call_builtin("raise_trap", &[code])?;
    g.b.ins().jump(ok, &[]);
    g.b.switch_to_block(ok);
    g.b.seal_block(ok);
    Ok(())
}

fn drop_segment(g: &mut Gen<'_>, seg: Value) {
    let zero = g.b.ins().iconst(types::I64, 0);
    g.b.ins()
        .store(trusted(), zero, seg, VMSegment::LENGTH_OFFSET as i32);
}
