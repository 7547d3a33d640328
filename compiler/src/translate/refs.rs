//! Globals, tables and references.
//!
//! Globals are 16-byte static slots; an immutable global with a constant initialiser is
//! folded into the code instead of loaded. A funcref is a pointer to the function's
//! `VMFuncRef` record (null is 0); an externref is the host's pointer-sized value.

use super::FuncTranslator;
use crate::error::{Error, Result};
use crate::module::ConstOp;
use cranelift_codegen::ir::{InstBuilder, Value, condcodes::IntCC, types};
use smelt_contract::layout::{VMSegment, VMTable};
use wasmparser::Operator;

impl FuncTranslator<'_, '_> {
    /// The address of global `g`'s storage.
    fn global_addr(&mut self, g: u32) -> Result<Value> {
        let def = self.env.program.instances[self.env.instance].globals[g as usize];
        let id = *self
            .env
            .symbols
            .globals
            .get(&def)
            .ok_or_else(|| Error::Internal(format!("no symbol for global {def:?}")))?;
        Ok(self.data_addr(id))
    }

    /// The address of table `t`'s `VMTable`.
    pub(crate) fn table_addr(&mut self, t: u32) -> Result<Value> {
        let def = self.env.program.instances[self.env.instance].tables[t as usize];
        let id = *self
            .env
            .symbols
            .tables
            .get(&def)
            .ok_or_else(|| Error::Internal(format!("no symbol for table {def:?}")))?;
        Ok(self.data_addr(id))
    }

    fn elem_segment_addr(&mut self, seg: u32) -> Result<Value> {
        let id = *self
            .env
            .symbols
            .elems
            .get(&(self.env.instance, seg))
            .ok_or_else(|| Error::Internal(format!("no symbol for element segment {seg}")))?;
        Ok(self.data_addr(id))
    }

    /// The funcref of function `func` of this instance.
    pub(crate) fn funcref(&mut self, func: u32) -> Result<Value> {
        let def = self.env.program.func_def(self.env.instance, func);
        let id = *self
            .env
            .symbols
            .funcrefs
            .get(&def)
            .ok_or_else(|| Error::Internal(format!("no funcref record for {def:?}")))?;
        Ok(self.data_addr(id))
    }

    fn table_is_64(&self, t: u32) -> bool {
        self.env.module.tables[t as usize].table64
    }

    fn narrow_table_index(&mut self, t: u32, v: Value) -> Value {
        if self.table_is_64(t) {
            v
        } else {
            self.builder.ins().ireduce(types::I32, v)
        }
    }

    pub(crate) fn translate_refs(&mut self, op: &Operator<'_>) -> Result<bool> {
        let flags = super::trusted();
        match *op {
            Operator::GlobalGet { global_index } => {
                let def =
                    self.env.program.instances[self.env.instance].globals[global_index as usize];
                let ty =
                    super::clif_type(self.env.module.globals[global_index as usize].content_type);
                let v = match self.env.program.global_constant(def) {
                    Some(ConstOp::I32(x)) => self.builder.ins().iconst(types::I32, i64::from(x)),
                    Some(ConstOp::I64(x)) => self.builder.ins().iconst(types::I64, x),
                    Some(ConstOp::F32(x)) => self.builder.ins().f32const(f32::from_bits(x)),
                    Some(ConstOp::F64(x)) => self.builder.ins().f64const(f64::from_bits(x)),
                    Some(ConstOp::V128(x)) => {
                        let c = self
                            .builder
                            .func
                            .dfg
                            .constants
                            .insert(x.to_le_bytes().to_vec().into());
                        self.builder.ins().vconst(types::I8X16, c)
                    }
                    _ => {
                        let addr = self.global_addr(global_index)?;
                        self.builder.ins().load(ty, flags, addr, 0)
                    }
                };
                self.push(v);
            }
            Operator::GlobalSet { global_index } => {
                let v = self.pop();
                let addr = self.global_addr(global_index)?;
                self.builder.ins().store(flags, v, addr, 0);
            }
            Operator::RefNull { .. } => {
                let v = self.builder.ins().iconst(types::I64, 0);
                self.push(v);
            }
            Operator::RefIsNull => {
                let r = self.pop();
                let c = self.builder.ins().icmp_imm_u(IntCC::Equal, r, 0);
                let v = self.bool_to_i32(c);
                self.push(v);
            }
            Operator::RefFunc { function_index } => {
                let v = self.funcref(function_index)?;
                self.push(v);
            }
            Operator::TableGet { table } => {
                let index = self.pop();
                let addr = self.table_element_addr(table, index)?;
                let v = self.builder.ins().load(types::I64, flags, addr, 0);
                self.push(v);
            }
            Operator::TableSet { table } => {
                let (index, value) = self.pop2();
                let addr = self.table_element_addr(table, index)?;
                self.builder.ins().store(flags, value, addr, 0);
            }
            Operator::TableSize { table } => {
                let t = self.table_addr(table)?;
                let len =
                    self.builder
                        .ins()
                        .load(types::I64, flags, t, VMTable::LENGTH_OFFSET as i32);
                let v = self.narrow_table_index(table, len);
                self.push(v);
            }
            Operator::TableGrow { table } => {
                let (init, delta) = self.pop2();
                let delta = self.index_to_i64(delta);
                let t = self.table_addr(table)?;
                let old = self
                    .call_builtin("table_grow", &[t, delta, init])?
                    .expect("returns");
                let v = self.narrow_table_index(table, old);
                self.push(v);
            }
            Operator::TableFill { table } => {
                let (dst, val, len) = self.pop3();
                let (dst, len) = (self.index_to_i64(dst), self.index_to_i64(len));
                let t = self.table_addr(table)?;
                self.call_builtin("table_fill", &[t, dst, val, len])?;
            }
            Operator::TableCopy {
                dst_table,
                src_table,
            } => {
                let (dst, src, len) = self.pop3();
                let (dst, src, len) = (
                    self.index_to_i64(dst),
                    self.index_to_i64(src),
                    self.index_to_i64(len),
                );
                let d = self.table_addr(dst_table)?;
                let s = self.table_addr(src_table)?;
                self.call_builtin("table_copy", &[d, s, dst, src, len])?;
            }
            Operator::TableInit { elem_index, table } => {
                let (dst, src, len) = self.pop3();
                let dst = self.index_to_i64(dst);
                let t = self.table_addr(table)?;
                let seg = self.elem_segment_addr(elem_index)?;
                self.call_builtin("table_init", &[t, seg, dst, src, len])?;
            }
            Operator::ElemDrop { elem_index } => {
                let seg = self.elem_segment_addr(elem_index)?;
                let zero = self.builder.ins().iconst(types::I64, 0);
                self.builder
                    .ins()
                    .store(flags, zero, seg, VMSegment::LENGTH_OFFSET as i32);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
