//! Linear memory: loads, stores, `memory.size/grow`, bulk memory.
//!
//! 32-bit memories sit in a reservation of [`MEMORY32_RESERVATION`] bytes, which covers any
//! 32-bit index plus any 32-bit static offset: accesses are `base + index + offset` with no
//! bounds check, and an access past the accessible length faults on the guard region, which
//! the runtime reports as a trap (the load/store is a recorded trap site). 64-bit memories
//! are checked explicitly against the current length.
//!
//! The base of a memory never moves (the reservation is made once, for the largest size),
//! so its load is marked `readonly` and `can_move`: Cranelift hoists it out of loops.

use super::FuncTranslator;
use crate::error::{Error, Result};
use crate::translate::control::trap_code;
use cranelift_codegen::ir::{
    self, InstBuilder, MemFlagsData, Type, Value, condcodes::IntCC, types,
};
use smelt_contract::Trap;
use smelt_contract::layout::{MEMORY32_RESERVATION, VMMemory, VMSegment};
use wasmparser::{MemArg, Operator};

/// Flags of a wasm heap access: may trap (out of bounds), little-endian.
pub(crate) fn heap_flags() -> MemFlagsData {
    MemFlagsData::new().with_endianness(ir::Endianness::Little)
}

impl FuncTranslator<'_, '_> {
    /// The address of memory `mem`'s `VMMemory`.
    pub(crate) fn memory_addr(&mut self, mem: u32) -> Result<Value> {
        let def = self.env.program.instances[self.env.instance].memories[mem as usize];
        let id = *self
            .env
            .symbols
            .memories
            .get(&def)
            .ok_or_else(|| Error::Internal(format!("no symbol for memory {def:?}")))?;
        Ok(self.data_addr(id))
    }

    fn memory_is_64(&self, mem: u32) -> bool {
        self.env.module.memories[mem as usize].memory64
    }

    /// Computes the address of an access of `size` bytes at `index` + `memarg.offset`,
    /// returning a base value and a small immediate offset. Checks bounds where the memory
    /// is not guarded.
    pub(crate) fn heap_addr(
        &mut self,
        memarg: &MemArg,
        index: Value,
        size: u32,
    ) -> Result<(Value, i32)> {
        let mem = match memarg.target {
            wasmparser::MemArgTarget::Memory(m) => m,
            wasmparser::MemArgTarget::Array(_) => {
                return Err(Error::Unsupported {
                    file: String::new(),
                    what: "GC arrays".into(),
                    func_index: None,
                });
            }
        };
        let vmmem = self.memory_addr(mem)?;
        let base_flags = super::trusted().with_readonly().with_can_move();
        let base =
            self.builder
                .ins()
                .load(types::I64, base_flags, vmmem, VMMemory::BASE_OFFSET as i32);
        let offset = memarg.offset;
        // Invariant: the compiler and the runtime agree on which memories are guarded:
        // `emit/data.rs` sets FLAG_BOUNDS_CHECKED exactly when `bounds_checked` is on.
        if !self.memory_is_64(mem) && !self.env.bounds_checked {
            debug_assert!(
                offset < MEMORY32_RESERVATION / 2,
                "validated: 32-bit offsets"
            );
            let index = self.builder.ins().uextend(types::I64, index);
            let addr = self.builder.ins().iadd(base, index);
            return Ok(match i32::try_from(offset) {
                Ok(o) => (addr, o),
                Err(_) => (self.builder.ins().iadd_imm_u(addr, offset as i64), 0),
            });
        }
        // Checked memories: `index + offset + size <= length`.
        let index = self.index_to_i64(index);
        let Some(extent) = offset.checked_add(u64::from(size)) else {
            // Always out of bounds. `trapz` of zero rather than the terminator `trap`: the
            // caller goes on adding the access to this block.
            let zero = self.builder.ins().iconst(types::I64, 0);
            self.builder
                .ins()
                .trapz(zero, trap_code(Trap::MemoryOutOfBounds));
            return Ok((zero, 0));
        };
        let extent = self.builder.ins().iconst(types::I64, extent as i64);
        let end = self.builder.ins().uadd_overflow_trap(
            index,
            extent,
            trap_code(Trap::MemoryOutOfBounds),
        );
        self.trap_beyond_length(vmmem, end);
        let addr = self.builder.ins().iadd(base, index);
        Ok(match i32::try_from(offset) {
            Ok(o) => (addr, o),
            Err(_) => (self.builder.ins().iadd_imm_u(addr, offset as i64), 0),
        })
    }

    fn load(&mut self, memarg: &MemArg, ty: Type, size: u32, kind: LoadKind) -> Result<()> {
        let index = self.pop();
        let (addr, off) = self.heap_addr(memarg, index, size)?;
        let f = heap_flags();
        let ins = self.builder.ins();
        let v = match kind {
            LoadKind::Plain => ins.load(ty, f, addr, off),
            LoadKind::S8 => ins.sload8(ty, f, addr, off),
            LoadKind::U8 => ins.uload8(ty, f, addr, off),
            LoadKind::S16 => ins.sload16(ty, f, addr, off),
            LoadKind::U16 => ins.uload16(ty, f, addr, off),
            LoadKind::S32 => ins.sload32(f, addr, off),
            LoadKind::U32 => ins.uload32(f, addr, off),
        };
        self.push(v);
        Ok(())
    }

    pub(super) fn store(&mut self, memarg: &MemArg, size: u32) -> Result<()> {
        let value = self.pop();
        let index = self.pop();
        let (addr, off) = self.heap_addr(memarg, index, size)?;
        let f = heap_flags();
        let ty = self.builder.func.dfg.value_type(value);
        let ins = self.builder.ins();
        match (size, ty.bytes()) {
            (1, _) => ins.istore8(f, value, addr, off),
            (2, _) => ins.istore16(f, value, addr, off),
            (4, 8) => ins.istore32(f, value, addr, off),
            _ => ins.store(f, value, addr, off),
        };
        Ok(())
    }

    /// Traps with "out of bounds memory access" if `end` (an exclusive byte offset) lies
    /// beyond the current length of the memory whose `VMMemory` is at `vmmem`.
    fn trap_beyond_length(&mut self, vmmem: Value, end: Value) {
        let length = self.builder.ins().load(
            types::I64,
            super::trusted(),
            vmmem,
            VMMemory::LENGTH_OFFSET as i32,
        );
        let oob = self
            .builder
            .ins()
            .icmp(IntCC::UnsignedGreaterThan, end, length);
        self.builder
            .ins()
            .trapnz(oob, trap_code(Trap::MemoryOutOfBounds));
    }

    /// The host address of `len` bytes at `index` of memory `mem`, for `memory.copy` and
    /// `memory.fill`: traps unless all of them are inside the memory's current length (the
    /// operation must trap before writing anything, and a guard region only catches the
    /// first byte beyond it).
    fn bulk_range(&mut self, mem: u32, index: Value, len: Value) -> Result<Value> {
        let index = self.index_to_i64(index);
        let vmmem = self.memory_addr(mem)?;
        // A 32-bit memory's index and length are both 32-bit (`memory.copy`'s length is
        // 32-bit when either memory is), so zero-extended they cannot overflow 64 bits.
        let end = if !self.memory_is_64(mem) {
            self.builder.ins().iadd(index, len)
        } else {
            self.builder
                .ins()
                .uadd_overflow_trap(index, len, trap_code(Trap::MemoryOutOfBounds))
        };
        self.trap_beyond_length(vmmem, end);
        let base_flags = super::trusted().with_readonly().with_can_move();
        let base =
            self.builder
                .ins()
                .load(types::I64, base_flags, vmmem, VMMemory::BASE_OFFSET as i32);
        Ok(self.builder.ins().iadd(base, index))
    }

    /// Calls the runtime's C `memmove` or `memset` (`LibCall` names, resolved to
    /// runtime-lib's definitions when linking; colocated, so a direct call).
    fn call_libc(&mut self, libcall: ir::LibCall, args: &[Value]) {
        let ptr = self.ptr();
        let mut sig = ir::Signature::new(self.env.isa.default_call_conv());
        for &a in args {
            let ty = self.builder.func.dfg.value_type(a);
            // The C ABI of riscv64 wants 32-bit integers sign-extended (see `declare.rs`).
            let param = ir::AbiParam::new(ty);
            sig.params.push(if ty == types::I32 {
                param.sext()
            } else {
                param
            });
        }
        sig.returns.push(ir::AbiParam::new(ptr));
        let sig = self.builder.import_signature(sig);
        let f = self.builder.import_function(ir::ExtFuncData {
            name: ir::ExternalName::LibCall(libcall),
            signature: sig,
            colocated: true,
            patchable: false,
        });
        self.builder.ins().call(f, args);
    }

    /// The address of data segment `seg`'s `VMSegment`.
    pub(crate) fn data_segment_addr(&mut self, seg: u32) -> Result<Value> {
        let id = *self
            .env
            .symbols
            .datas
            .get(&(self.env.instance, seg))
            .ok_or_else(|| Error::Internal(format!("no symbol for data segment {seg}")))?;
        Ok(self.data_addr(id))
    }

    pub(crate) fn translate_memory(&mut self, op: &Operator<'_>) -> Result<bool> {
        use LoadKind::*;
        match op {
            Operator::I32Load { memarg } => self.load(memarg, types::I32, 4, Plain)?,
            Operator::I64Load { memarg } => self.load(memarg, types::I64, 8, Plain)?,
            Operator::F32Load { memarg } => self.load(memarg, types::F32, 4, Plain)?,
            Operator::F64Load { memarg } => self.load(memarg, types::F64, 8, Plain)?,
            Operator::V128Load { memarg } => self.load(memarg, types::I8X16, 16, Plain)?,
            Operator::I32Load8S { memarg } => self.load(memarg, types::I32, 1, S8)?,
            Operator::I32Load8U { memarg } => self.load(memarg, types::I32, 1, U8)?,
            Operator::I32Load16S { memarg } => self.load(memarg, types::I32, 2, S16)?,
            Operator::I32Load16U { memarg } => self.load(memarg, types::I32, 2, U16)?,
            Operator::I64Load8S { memarg } => self.load(memarg, types::I64, 1, S8)?,
            Operator::I64Load8U { memarg } => self.load(memarg, types::I64, 1, U8)?,
            Operator::I64Load16S { memarg } => self.load(memarg, types::I64, 2, S16)?,
            Operator::I64Load16U { memarg } => self.load(memarg, types::I64, 2, U16)?,
            Operator::I64Load32S { memarg } => self.load(memarg, types::I64, 4, S32)?,
            Operator::I64Load32U { memarg } => self.load(memarg, types::I64, 4, U32)?,
            Operator::I32Store { memarg } | Operator::F32Store { memarg } => {
                self.store(memarg, 4)?
            }
            Operator::I64Store { memarg } | Operator::F64Store { memarg } => {
                self.store(memarg, 8)?
            }
            Operator::V128Store { memarg } => self.store(memarg, 16)?,
            Operator::I32Store8 { memarg } | Operator::I64Store8 { memarg } => {
                self.store(memarg, 1)?
            }
            Operator::I32Store16 { memarg } | Operator::I64Store16 { memarg } => {
                self.store(memarg, 2)?
            }
            Operator::I64Store32 { memarg } => self.store(memarg, 4)?,
            Operator::MemorySize { mem } => {
                let vmmem = self.memory_addr(*mem)?;
                let len = self.builder.ins().load(
                    types::I64,
                    super::trusted(),
                    vmmem,
                    VMMemory::LENGTH_OFFSET as i32,
                );
                let log2 = self.page_size_log2(*mem);
                let pages = self.builder.ins().ushr_imm_u(len, i64::from(log2));
                let v = self.narrow_index(*mem, pages);
                self.push(v);
            }
            Operator::MemoryGrow { mem } => {
                let delta = self.pop();
                let delta = self.index_to_i64(delta);
                let vmmem = self.memory_addr(*mem)?;
                let old = self
                    .call_builtin("memory_grow", &[vmmem, delta])?
                    .expect("returns");
                let v = self.narrow_index(*mem, old);
                self.push(v);
            }
            Operator::MemoryFill { mem } => {
                let (dst, val, len) = self.pop3();
                let len = self.index_to_i64(len);
                let dst = self.bulk_range(*mem, dst, len)?;
                self.call_libc(ir::LibCall::Memset, &[dst, val, len]);
            }
            Operator::MemoryCopy { dst_mem, src_mem } => {
                let (dst, src, len) = self.pop3();
                let len = self.index_to_i64(len);
                let dst = self.bulk_range(*dst_mem, dst, len)?;
                let src = self.bulk_range(*src_mem, src, len)?;
                self.call_libc(ir::LibCall::Memmove, &[dst, src, len]);
            }
            Operator::MemoryInit { data_index, mem } => {
                let (dst, src, len) = self.pop3();
                let dst = self.index_to_i64(dst);
                let vmmem = self.memory_addr(*mem)?;
                let seg = self.data_segment_addr(*data_index)?;
                self.call_builtin("memory_init", &[vmmem, seg, dst, src, len])?;
            }
            Operator::DataDrop { data_index } => {
                let seg = self.data_segment_addr(*data_index)?;
                let zero = self.builder.ins().iconst(types::I64, 0);
                self.builder.ins().store(
                    super::trusted(),
                    zero,
                    seg,
                    VMSegment::LENGTH_OFFSET as i32,
                );
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn page_size_log2(&self, mem: u32) -> u32 {
        self.env.module.memories[mem as usize]
            .page_size_log2
            .unwrap_or(16)
    }

    /// A 64-bit size or index result as the memory's index type.
    fn narrow_index(&mut self, mem: u32, v: Value) -> Value {
        if self.memory_is_64(mem) {
            v
        } else {
            self.builder.ins().ireduce(types::I32, v)
        }
    }
}

#[derive(Clone, Copy)]
enum LoadKind {
    Plain,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
}
