//! Structured control flow, calls and tail calls.
//!
//! Each wasm block maps to a Cranelift continuation block (`dest`) whose parameters are the
//! block's results; a loop also has a header block whose parameters are the loop's
//! parameters. `if` branches to a then-block and an else-block; values that stay on the wasm
//! stack across a branch are plain SSA values, which dominate both arms.
//!
//! `call_indirect` costs one bounds check, one null check and one type-id compare: funcref
//! records carry a program-wide canonical type id, so the check is an integer compare.

use super::{FuncTranslator, builtins};
use crate::error::Result;
use cranelift_codegen::ir::Block;
use cranelift_codegen::ir::{
    BlockArg, InstBuilder, JumpTableData, MemFlagsData, TrapCode, Value, condcodes::IntCC, types,
};
use smelt_contract::Trap;
use smelt_contract::layout::{VMFuncRef, VMTable};
use wasmparser::Operator;

/// The Cranelift trap code for a smelt trap raised by a trap instruction.
///
/// `Trap::MemoryOutOfBounds` gets a user code, not Cranelift's `HEAP_OUT_OF_BOUNDS`: that one
/// is left to the loads and stores themselves (their default trap code), whose faults the
/// runtime recognises by address, so the executable records no trap site for them (see
/// [`is_recorded`]).
pub(crate) fn trap_code(trap: Trap) -> TrapCode {
    match trap {
        Trap::StackOverflow => TrapCode::STACK_OVERFLOW,
        Trap::IntegerOverflow => TrapCode::INTEGER_OVERFLOW,
        Trap::IntegerDivisionByZero => TrapCode::INTEGER_DIVISION_BY_ZERO,
        Trap::BadConversionToInteger => TrapCode::BAD_CONVERSION_TO_INTEGER,
        other => TrapCode::unwrap_user(other as u8),
    }
}

/// The smelt trap for a Cranelift trap code.
pub fn trap_from_code(code: TrapCode) -> Option<Trap> {
    Some(match code {
        TrapCode::STACK_OVERFLOW => Trap::StackOverflow,
        TrapCode::INTEGER_OVERFLOW => Trap::IntegerOverflow,
        TrapCode::HEAP_OUT_OF_BOUNDS => Trap::MemoryOutOfBounds,
        TrapCode::INTEGER_DIVISION_BY_ZERO => Trap::IntegerDivisionByZero,
        TrapCode::BAD_CONVERSION_TO_INTEGER => Trap::BadConversionToInteger,
        other => {
            let user = (1..=u8::MAX).find(|u| TrapCode::user(*u) == Some(other))?;
            Trap::from_u8(user)?
        }
    })
}

/// Whether a trap site with `code` goes into the executable's trap tables. A wasm load or store
/// (code `HEAP_OUT_OF_BOUNDS`) is not recorded: it traps by faulting inside a linear memory's
/// reservation, which the runtime's signal handler recognises from the fault address alone.
/// Hello world has ~1800 such sites (14 KB of table) against ~300 others.
pub fn is_recorded(code: TrapCode) -> bool {
    code != TrapCode::HEAP_OUT_OF_BOUNDS
}

#[derive(Debug)]
pub(crate) enum FrameKind {
    Function,
    Block,
    Loop {
        header: Block,
    },
    If {
        else_block: Block,
        params: Vec<Value>,
        had_else: bool,
    },
}

/// One entry of the control stack.
#[derive(Debug)]
pub(crate) struct Frame {
    pub(crate) kind: FrameKind,
    /// Continuation after `end`; its parameters are the results.
    pub(crate) dest: Block,
    pub(crate) num_params: usize,
    pub(crate) num_results: usize,
    /// Operand stack height below this frame's parameters.
    pub(crate) height: usize,
}

impl Frame {
    pub(crate) fn function(ret: Block, num_results: usize) -> Frame {
        Frame {
            kind: FrameKind::Function,
            dest: ret,
            num_params: 0,
            num_results,
            height: 0,
        }
    }

    /// Where a branch to this frame goes, and how many values it carries.
    fn branch_target(&self) -> (Block, usize) {
        match self.kind {
            FrameKind::Loop { header } => (header, self.num_params),
            _ => (self.dest, self.num_results),
        }
    }
}

fn args(vals: &[Value]) -> Vec<BlockArg> {
    vals.iter().map(|v| BlockArg::Value(*v)).collect()
}

impl FuncTranslator<'_, '_> {
    pub(crate) fn jump(&mut self, block: Block, vals: &[Value]) {
        self.builder.ins().jump(block, &args(vals));
    }

    /// Marks the rest of the current block dead.
    fn set_unreachable(&mut self) {
        self.reachable = false;
        self.unreachable_depth = 0;
    }

    /// Tracks nesting while the code is dead; resumes at the `else` or `end` of the frame
    /// that became dead.
    pub(crate) fn translate_unreachable(&mut self, op: &Operator<'_>) -> Result<()> {
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                self.unreachable_depth += 1;
            }
            Operator::Else if self.unreachable_depth == 0 => self.translate_else(),
            Operator::End if self.unreachable_depth == 0 => self.translate_end(),
            Operator::End => self.unreachable_depth -= 1,
            _ => {}
        }
        Ok(())
    }

    fn translate_else(&mut self) {
        let frame = self.frames.last_mut().expect("validated: else inside if");
        let FrameKind::If {
            else_block,
            params,
            had_else,
        } = &mut frame.kind
        else {
            unreachable!("validated: else inside if")
        };
        *had_else = true;
        let else_block = *else_block;
        let params = params.clone();
        let (dest, height, n) = (frame.dest, frame.height, frame.num_results);
        if self.reachable {
            let results = self.pop_n(n);
            self.jump(dest, &results);
        }
        self.stack.truncate(height);
        self.stack.extend(params);
        self.builder.switch_to_block(else_block);
        self.builder.seal_block(else_block);
        self.reachable = true;
    }

    fn translate_end(&mut self) {
        let frame = self.frames.pop().expect("validated: end matches a frame");
        if self.reachable {
            let results = self.pop_n(frame.num_results);
            self.jump(frame.dest, &results);
        }
        match frame.kind {
            FrameKind::If {
                else_block,
                params,
                had_else: false,
            } => {
                // No else arm: the parameters flow through unchanged.
                self.builder.switch_to_block(else_block);
                self.builder.seal_block(else_block);
                self.jump(frame.dest, &params);
            }
            FrameKind::Loop { header } => self.builder.seal_block(header),
            _ => {}
        }
        self.stack.truncate(frame.height);
        self.builder.switch_to_block(frame.dest);
        self.builder.seal_block(frame.dest);
        let params = self.builder.block_params(frame.dest).to_vec();
        self.stack.extend(params);
        self.reachable = true;
    }

    /// Branches to the frame `depth` levels out with the values on top of the stack (which
    /// stay on the stack).
    fn branch_args(&mut self, depth: u32) -> (Block, Vec<Value>) {
        let frame = &self.frames[self.frames.len() - 1 - depth as usize];
        let (block, n) = frame.branch_target();
        (block, self.stack[self.stack.len() - n..].to_vec())
    }

    fn translate_return(&mut self) {
        let n = self.frames[0].num_results;
        let vals = self.pop_n(n);
        self.builder.ins().return_(&vals);
        self.set_unreachable();
    }

    pub(crate) fn translate_control(&mut self, op: &Operator<'_>) -> Result<bool> {
        match *op {
            Operator::Nop => {}
            Operator::Unreachable => {
                self.builder
                    .ins()
                    .trap(trap_code(Trap::UnreachableCodeReached));
                self.set_unreachable();
            }
            Operator::Block { blockty } => {
                let (params, results) = self.block_type(blockty);
                let dest = self.block_with_params(&results);
                self.frames.push(Frame {
                    kind: FrameKind::Block,
                    dest,
                    num_params: params.len(),
                    num_results: results.len(),
                    height: self.stack.len() - params.len(),
                });
            }
            Operator::Loop { blockty } => {
                let (params, results) = self.block_type(blockty);
                let header = self.block_with_params(&params);
                let dest = self.block_with_params(&results);
                let vals = self.pop_n(params.len());
                self.jump(header, &vals);
                self.builder.switch_to_block(header);
                let hp = self.builder.block_params(header).to_vec();
                let height = self.stack.len();
                self.stack.extend(hp);
                self.frames.push(Frame {
                    kind: FrameKind::Loop { header },
                    dest,
                    num_params: params.len(),
                    num_results: results.len(),
                    height,
                });
            }
            Operator::If { blockty } => {
                let (params, results) = self.block_type(blockty);
                let cond = self.pop();
                let then_block = self.builder.create_block();
                let else_block = self.builder.create_block();
                let dest = self.block_with_params(&results);
                self.builder
                    .ins()
                    .brif(cond, then_block, &[], else_block, &[]);
                self.builder.switch_to_block(then_block);
                self.builder.seal_block(then_block);
                let height = self.stack.len() - params.len();
                let pvals = self.stack[height..].to_vec();
                self.frames.push(Frame {
                    kind: FrameKind::If {
                        else_block,
                        params: pvals,
                        had_else: false,
                    },
                    dest,
                    num_params: params.len(),
                    num_results: results.len(),
                    height,
                });
            }
            Operator::Else => self.translate_else(),
            Operator::End => self.translate_end(),
            Operator::Br { relative_depth } => {
                let (block, vals) = self.branch_args(relative_depth);
                self.jump(block, &vals);
                self.set_unreachable();
            }
            Operator::BrIf { relative_depth } => {
                let cond = self.pop();
                let (block, vals) = self.branch_args(relative_depth);
                let next = self.builder.create_block();
                self.builder
                    .ins()
                    .brif(cond, block, &args(&vals), next, &[]);
                self.builder.switch_to_block(next);
                self.builder.seal_block(next);
            }
            Operator::BrTable { ref targets } => {
                let index = self.pop();
                let default = targets.default();
                let depths: Vec<u32> = targets
                    .targets()
                    .collect::<Result<_, _>>()
                    .map_err(|e| crate::error::Error::Internal(format!("br_table decode: {e}")))?;
                let (_, arity) =
                    self.frames[self.frames.len() - 1 - default as usize].branch_target();
                // br_table targets carry no arguments: when the targets take values, each
                // distinct depth goes through a small block that jumps with them, filled in
                // after the br_table ends the current block.
                let mut tramps: Vec<(u32, Block)> = Vec::new();
                let mut target_of = |t: &mut Self, depth: u32| -> Block {
                    if arity == 0 {
                        return t.branch_args(depth).0;
                    }
                    if let Some((_, b)) = tramps.iter().find(|(d, _)| *d == depth) {
                        return *b;
                    }
                    let b = t.builder.create_block();
                    tramps.push((depth, b));
                    b
                };
                let mut table = Vec::with_capacity(depths.len());
                for d in depths {
                    let b = target_of(self, d);
                    table.push(self.builder.func.dfg.block_call(b, &[]));
                }
                let db = target_of(self, default);
                let def = self.builder.func.dfg.block_call(db, &[]);
                let jt = self
                    .builder
                    .create_jump_table(JumpTableData::new(def, &table));
                self.builder.ins().br_table(index, jt);
                for (depth, tramp) in tramps {
                    let (block, vals) = self.branch_args(depth);
                    self.builder.switch_to_block(tramp);
                    self.builder.seal_block(tramp);
                    self.jump(block, &vals);
                }
                self.set_unreachable();
            }
            Operator::Return => self.translate_return(),
            Operator::Call { function_index }
                if let Some(which) = builtins::recognise(self.env.module, function_index) =>
            {
                self.call_runtime_fn(which)?;
            }
            Operator::Call { function_index } => {
                let def = self.env.program.func_def(self.env.instance, function_index);
                let callee = self.func_ref(def)?;
                let n = self.env.module.func_type(function_index).params().len();
                let argv = self.pop_n(n);
                let call = self.builder.ins().call(callee, &argv);
                let results = self.builder.inst_results(call).to_vec();
                self.stack.extend(results);
            }
            Operator::ReturnCall { function_index } => {
                let def = self.env.program.func_def(self.env.instance, function_index);
                let callee = self.func_ref(def)?;
                let n = self.env.module.func_type(function_index).params().len();
                let argv = self.pop_n(n);
                self.builder.ins().return_call(callee, &argv);
                self.set_unreachable();
            }
            Operator::CallIndirect {
                type_index,
                table_index,
            } => {
                let (sig, code, argv) = self.indirect_callee(type_index, table_index)?;
                let call = self.builder.ins().call_indirect(sig, code, &argv);
                let results = self.builder.inst_results(call).to_vec();
                self.stack.extend(results);
            }
            Operator::ReturnCallIndirect {
                type_index,
                table_index,
            } => {
                let (sig, code, argv) = self.indirect_callee(type_index, table_index)?;
                self.builder.ins().return_call_indirect(sig, code, &argv);
                self.set_unreachable();
            }
            Operator::CallRef { type_index } => {
                let (sig, code, argv) = self.ref_callee(type_index)?;
                let call = self.builder.ins().call_indirect(sig, code, &argv);
                let results = self.builder.inst_results(call).to_vec();
                self.stack.extend(results);
            }
            Operator::ReturnCallRef { type_index } => {
                let (sig, code, argv) = self.ref_callee(type_index)?;
                self.builder.ins().return_call_indirect(sig, code, &argv);
                self.set_unreachable();
            }
            Operator::RefAsNonNull => {
                let r = *self.stack.last().expect("validated");
                self.builder.ins().trapz(r, trap_code(Trap::NullReference));
            }
            Operator::BrOnNull { relative_depth } => {
                let r = self.pop();
                let (block, vals) = self.branch_args(relative_depth);
                let is_null = self.builder.ins().icmp_imm_u(IntCC::Equal, r, 0);
                let next = self.builder.create_block();
                self.builder
                    .ins()
                    .brif(is_null, block, &args(&vals), next, &[]);
                self.builder.switch_to_block(next);
                self.builder.seal_block(next);
                self.push(r);
            }
            Operator::BrOnNonNull { relative_depth } => {
                // The reference is the last value the branch carries.
                let r = *self.stack.last().expect("validated");
                let (block, vals) = self.branch_args(relative_depth);
                let next = self.builder.create_block();
                self.builder.ins().brif(r, block, &args(&vals), next, &[]);
                self.builder.switch_to_block(next);
                self.builder.seal_block(next);
                self.pop();
            }
            Operator::Drop => {
                self.pop();
            }
            Operator::Select | Operator::TypedSelect { .. } | Operator::TypedSelectMulti { .. } => {
                let (a, b, c) = self.pop3();
                let v = self.builder.ins().select(c, a, b);
                self.push(v);
            }
            Operator::LocalGet { local_index } => {
                let (var, _) = self.locals[local_index as usize];
                let v = self.builder.use_var(var);
                self.push(v);
            }
            Operator::LocalSet { local_index } => {
                let v = self.pop();
                let (var, _) = self.locals[local_index as usize];
                self.builder.def_var(var, v);
            }
            Operator::LocalTee { local_index } => {
                let v = *self.stack.last().expect("validated");
                let (var, _) = self.locals[local_index as usize];
                self.builder.def_var(var, v);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Checks and loads the target of `call_indirect`: bounds, null, type; pops the index
    /// and the arguments.
    fn indirect_callee(
        &mut self,
        type_index: u32,
        table_index: u32,
    ) -> Result<(cranelift_codegen::ir::SigRef, Value, Vec<Value>)> {
        let index = self.pop();
        let n = self.env.module.type_at(type_index).params().len();
        let argv = self.pop_n(n);
        let def = self.env.program.instances[self.env.instance].tables[table_index as usize];
        if let Some((slots, len)) = self
            .env
            .symbols
            .const_tables
            .get(&def)
            .map(|(id, slots)| (*id, slots.len()))
        {
            let code = self.const_table_callee(type_index, slots, len as u64, index);
            let sig = self.sig_ref(type_index);
            return Ok((sig, code, argv));
        }
        let elem = self.table_element_addr(table_index, index)?;
        let flags = super::trusted();
        let ptr = self.ptr();
        let funcref = self.builder.ins().load(ptr, flags, elem, 0);
        self.builder
            .ins()
            .trapz(funcref, trap_code(Trap::IndirectCallToNull));
        let ok = self.has_type(funcref, flags, type_index);
        self.builder.ins().trapz(ok, trap_code(Trap::BadSignature));
        let code = self
            .builder
            .ins()
            .load(ptr, flags, funcref, VMFuncRef::CODE_OFFSET as i32);
        let sig = self.sig_ref(type_index);
        Ok((sig, code, argv))
    }

    /// Whether the `VMFuncRef` record (or constant-table slot) at `record` is of type
    /// `type_index`: its type id compared with the program-wide id of that type.
    fn has_type(&mut self, record: Value, flags: MemFlagsData, type_index: u32) -> Value {
        let type_id =
            self.builder
                .ins()
                .load(types::I32, flags, record, VMFuncRef::TYPE_ID_OFFSET as i32);
        let expected = self.type_id(type_index);
        self.builder
            .ins()
            .icmp_imm_u(IntCC::Equal, type_id, i64::from(expected))
    }

    /// The code of slot `index` of a constant table (`crate::const_tables`) whose slot array
    /// is `slots` and length `len`, after checking the bounds and the slot's type: one
    /// compare with a constant, one load of the type id, one of the code. A slot whose type
    /// differs is null or of another type; the cold path tells which trap it is.
    fn const_table_callee(
        &mut self,
        type_index: u32,
        slots: cranelift_module::DataId,
        len: u64,
        index: Value,
    ) -> Value {
        let index = self.index_to_i64(index);
        let oob =
            self.builder
                .ins()
                .icmp_imm_u(IntCC::UnsignedGreaterThanOrEqual, index, len as i64);
        self.builder
            .ins()
            .trapnz(oob, trap_code(Trap::TableOutOfBounds));
        let base = self.data_addr(slots);
        let offset = self.builder.ins().ishl_imm_u(index, 4);
        let slot = self.builder.ins().iadd(base, offset);
        let flags = super::trusted().with_readonly();
        let ok = self.has_type(slot, flags, type_index);
        let mismatch = self.builder.create_block();
        let matched = self.builder.create_block();
        self.builder.set_cold_block(mismatch);
        self.builder.ins().brif(ok, matched, &[], mismatch, &[]);
        let ptr = self.ptr();
        self.builder.switch_to_block(mismatch);
        self.builder.seal_block(mismatch);
        let code = self
            .builder
            .ins()
            .load(ptr, flags, slot, VMFuncRef::CODE_OFFSET as i32);
        self.builder
            .ins()
            .trapz(code, trap_code(Trap::IndirectCallToNull));
        self.builder.ins().trap(trap_code(Trap::BadSignature));
        self.builder.switch_to_block(matched);
        self.builder.seal_block(matched);
        self.builder
            .ins()
            .load(ptr, flags, slot, VMFuncRef::CODE_OFFSET as i32)
    }

    /// Checks and loads the target of `call_ref`: the reference must not be null; its type
    /// is known statically. Pops the reference and the arguments.
    fn ref_callee(
        &mut self,
        type_index: u32,
    ) -> Result<(cranelift_codegen::ir::SigRef, Value, Vec<Value>)> {
        let funcref = self.pop();
        let n = self.env.module.type_at(type_index).params().len();
        let argv = self.pop_n(n);
        self.builder
            .ins()
            .trapz(funcref, trap_code(Trap::NullReference));
        let ptr = self.ptr();
        let offset = VMFuncRef::CODE_OFFSET as i32;
        let code = self
            .builder
            .ins()
            .load(ptr, super::trusted(), funcref, offset);
        let sig = self.sig_ref(type_index);
        Ok((sig, code, argv))
    }

    /// The address of element `index` of table `table_index`, trapping when out of bounds.
    pub(crate) fn table_element_addr(&mut self, table_index: u32, index: Value) -> Result<Value> {
        let table = self.table_addr(table_index)?;
        let index = self.index_to_i64(index);
        let flags = super::trusted();
        let len = self
            .builder
            .ins()
            .load(types::I64, flags, table, VMTable::LENGTH_OFFSET as i32);
        let oob = self
            .builder
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, index, len);
        self.builder
            .ins()
            .trapnz(oob, trap_code(Trap::TableOutOfBounds));
        let base = self
            .builder
            .ins()
            .load(types::I64, flags, table, VMTable::BASE_OFFSET as i32);
        let offset = self.builder.ins().ishl_imm_u(index, 3);
        Ok(self.builder.ins().iadd(base, offset))
    }

    /// Zero-extends a 32-bit index to 64 bits; 64-bit indices pass through.
    pub(crate) fn index_to_i64(&mut self, v: Value) -> Value {
        if self.builder.func.dfg.value_type(v) == types::I32 {
            self.builder.ins().uextend(types::I64, v)
        } else {
            v
        }
    }
}
