//! Translation of one WebAssembly function body into Cranelift IR.
//!
//! The translator walks the operators once, keeping the wasm operand stack as a stack of SSA
//! values and the control stack as [`Frame`]s; locals are Cranelift variables. The work is
//! split by kind of operator, one file each:
//!
//! - `control.rs`: blocks, branches, calls, `call_indirect`, tail calls.
//! - `builtins.rs`: calls of compiler-runtime functions done inline (`__multi3`, 128-bit
//!   division and shifts).
//! - `memory.rs`: loads, stores, `memory.*` and bulk memory.
//! - `numeric.rs`: integer and float arithmetic, comparisons, conversions.
//! - `refs.rs`: globals, tables, references.
//! - `simd.rs`: SIMD-128.
//!
//! Every instance's code is specialised to that instance: memories, tables and globals are
//! static symbols, so there is no context parameter and calls between known functions are
//! direct calls.
//!
//! Invariant: while `reachable` is false the translator only tracks block nesting
//! (`unreachable_depth`) until the frame that became unreachable ends or reaches `else`;
//! no IR is emitted for dead code.

mod builtins;
mod control;
mod memory;
mod numeric;
mod pair_lanes;
pub(crate) use pair_lanes::pair_lanes;
mod refs;
mod simd;

use crate::error::{Error, Result};
use crate::module::Module;
use crate::program::{EntityRef, InstanceId, Program};
use crate::symbols::{Symbols, data_name, func_name};
use cranelift_codegen::ir::{
    self, AbiParam, Block, FuncRef, GlobalValue, InstBuilder, MemFlagsData, Signature, Type, Value,
    types,
};
use cranelift_codegen::isa::{CallConv, TargetIsa};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_module::{DataId, FuncId};
use std::collections::HashMap;
use wasmparser::{BlockType, FuncType, Operator, ValType};

pub(crate) use control::Frame;
pub use control::{is_recorded, trap_from_code};

/// Everything a function's translation may look up.
pub struct FuncEnv<'a> {
    /// The whole program.
    pub program: &'a Program,
    /// The instance the function belongs to.
    pub instance: InstanceId,
    /// Its module.
    pub module: &'a Module,
    /// Symbols of every entity.
    pub symbols: &'a Symbols,
    /// Canonical function type ids.
    pub type_ids: &'a crate::types::TypeIds,
    /// The target.
    pub isa: &'a dyn TargetIsa,
    /// Its architecture's lowering choices.
    pub arch: &'static crate::target::Arch,
    /// Check every access to 32-bit memories explicitly instead of relying on guard pages.
    pub bounds_checked: bool,
}

/// The Cranelift type of a wasm value type. References are pointer-sized integers; v128 is
/// `i8x16` and other lane shapes are bitcasts of it.
pub fn clif_type(ty: ValType) -> Type {
    match ty {
        ValType::I32 => types::I32,
        ValType::I64 => types::I64,
        ValType::F32 => types::F32,
        ValType::F64 => types::F64,
        ValType::V128 => types::I8X16,
        ValType::Ref(_) => types::I64,
    }
}

/// The Cranelift signature of a wasm function type. All wasm functions use the `tail`
/// calling convention so that `return_call` works between any two of them.
pub fn wasm_signature(ty: &FuncType) -> Signature {
    let mut sig = Signature::new(CallConv::Tail);
    sig.params
        .extend(ty.params().iter().map(|t| AbiParam::new(clif_type(*t))));
    sig.returns
        .extend(ty.results().iter().map(|t| AbiParam::new(clif_type(*t))));
    sig
}

/// Memory flags for the program's own static data (globals, descriptors): never trap,
/// always aligned.
pub fn trusted() -> MemFlagsData {
    MemFlagsData::trusted().with_endianness(ir::Endianness::Little)
}

/// The translator's state for one function.
pub struct FuncTranslator<'a, 'b> {
    pub(crate) env: &'a FuncEnv<'a>,
    pub(crate) builder: FunctionBuilder<'b>,
    pub(crate) stack: Vec<Value>,
    pub(crate) frames: Vec<Frame>,
    pub(crate) locals: Vec<(Variable, Type)>,
    pub(crate) reachable: bool,
    pub(crate) unreachable_depth: u32,
    func_refs: HashMap<EntityRef, FuncRef>,
    builtin_refs: HashMap<&'static str, FuncRef>,
    data_gvs: HashMap<DataId, GlobalValue>,
    sig_refs: HashMap<u32, ir::SigRef>,
}

/// Translates function `func_index` (a defined function of `env.module`) into `func`.
pub fn translate_function(
    env: &FuncEnv<'_>,
    func_index: u32,
    func: &mut ir::Function,
    ctx: &mut FunctionBuilderContext,
) -> Result<()> {
    let module = env.module;
    let body = module.body(func_index);
    let ty = module.func_type(func_index).clone();
    func.signature = wasm_signature(&ty);

    let builder = FunctionBuilder::new(func, ctx);
    let mut t = FuncTranslator {
        env,
        builder,
        stack: Vec::new(),
        frames: Vec::new(),
        locals: Vec::new(),
        reachable: true,
        unreachable_depth: 0,
        func_refs: HashMap::new(),
        builtin_refs: HashMap::new(),
        data_gvs: HashMap::new(),
        sig_refs: HashMap::new(),
    };
    let err = |e: wasmparser::BinaryReaderError| Error::InvalidWasm {
        file: module.name.clone(),
        offset: e.offset(),
        func_index: Some(func_index),
        message: e.message().to_string(),
    };

    let entry = t.builder.create_block();
    t.builder.append_block_params_for_function_params(entry);
    t.builder.switch_to_block(entry);
    t.builder.seal_block(entry);
    for (i, p) in ty.params().iter().enumerate() {
        let v = t.builder.block_params(entry)[i];
        let var = t.builder.declare_var(clif_type(*p));
        t.builder.def_var(var, v);
        t.locals.push((var, clif_type(*p)));
    }
    let mut locals = body.get_locals_reader().map_err(err)?;
    for _ in 0..locals.get_count() {
        let (count, ty) = locals.read().map_err(err)?;
        for _ in 0..count {
            let cty = clif_type(ty);
            let var = t.builder.declare_var(cty);
            let zero = t.zero(cty);
            t.builder.def_var(var, zero);
            t.locals.push((var, cty));
        }
    }

    // The function body is the outermost block; its end is the return.
    let ret = t.builder.create_block();
    for r in ty.results() {
        t.builder.append_block_param(ret, clif_type(*r));
    }
    t.frames.push(Frame::function(ret, ty.results().len()));

    let mut ops = body.get_operators_reader().map_err(err)?;
    while !ops.eof() {
        let offset = ops.original_position();
        let op = ops.read().map_err(err)?;
        t.translate_operator(op).map_err(|e| match e {
            Error::Unsupported { what, .. } => Error::Unsupported {
                file: module.name.clone(),
                what: format!("{what} at byte offset {offset:#x}"),
                func_index: Some(func_index),
            },
            e => e,
        })?;
    }
    // The final `end` switched to the return block.
    let results: Vec<Value> = t.stack.drain(..).collect();
    t.builder.ins().return_(&results);
    t.builder.seal_all_blocks();
    t.builder.finalize(env.isa.frontend_config());
    Ok(())
}

impl FuncTranslator<'_, '_> {
    fn translate_operator(&mut self, op: Operator<'_>) -> Result<()> {
        if !self.reachable {
            return self.translate_unreachable(&op);
        }
        if self.translate_control(&op)?
            || self.translate_numeric(&op)?
            || self.translate_memory(&op)?
            || self.translate_refs(&op)?
            || self.translate_simd(&op)?
        {
            return Ok(());
        }
        Err(self.unsupported(&op))
    }

    /// An operator smelt does not translate.
    pub(crate) fn unsupported(&self, op: &Operator<'_>) -> Error {
        let name = format!("{op:?}");
        let name = name
            .split([' ', '{', '('])
            .next()
            .unwrap_or("?")
            .to_string();
        Error::Unsupported {
            file: String::new(),
            what: format!("operator {name}"),
            func_index: None,
        }
    }

    /// The zero value of a type (locals' initial value).
    pub(crate) fn zero(&mut self, ty: Type) -> Value {
        match ty {
            types::F32 => self.builder.ins().f32const(0.0),
            types::F64 => self.builder.ins().f64const(0.0),
            t if t.is_vector() => {
                let c = self.builder.func.dfg.constants.insert(vec![0u8; 16].into());
                self.builder.ins().vconst(t, c)
            }
            t => self.builder.ins().iconst(t, 0),
        }
    }

    pub(crate) fn pop(&mut self) -> Value {
        self.stack
            .pop()
            .expect("validated: operand stack underflow")
    }

    pub(crate) fn pop2(&mut self) -> (Value, Value) {
        let b = self.pop();
        let a = self.pop();
        (a, b)
    }

    pub(crate) fn pop3(&mut self) -> (Value, Value, Value) {
        let c = self.pop();
        let b = self.pop();
        let a = self.pop();
        (a, b, c)
    }

    pub(crate) fn pop_n(&mut self, n: usize) -> Vec<Value> {
        let at = self.stack.len() - n;
        self.stack.split_off(at)
    }

    pub(crate) fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    /// Parameter and result types of a block type.
    pub(crate) fn block_type(&self, bt: BlockType) -> (Vec<Type>, Vec<Type>) {
        match bt {
            BlockType::Empty => (vec![], vec![]),
            BlockType::Type(t) => (vec![], vec![clif_type(t)]),
            BlockType::FuncType(i) => {
                let ft = self.env.module.type_at(i);
                (
                    ft.params().iter().map(|t| clif_type(*t)).collect(),
                    ft.results().iter().map(|t| clif_type(*t)).collect(),
                )
            }
        }
    }

    /// The pointer type.
    pub(crate) fn ptr(&self) -> Type {
        self.env.isa.pointer_type()
    }

    /// The address of a data symbol (PC-relative, as the code is not PIC and the symbol is
    /// in the same executable).
    pub(crate) fn data_addr(&mut self, id: DataId) -> Value {
        let gv = match self.data_gvs.get(&id) {
            Some(gv) => *gv,
            None => {
                let name = self
                    .builder
                    .func
                    .declare_imported_user_function(data_name(id));
                let gv = self
                    .builder
                    .create_global_value(ir::GlobalValueData::Symbol {
                        name: ir::ExternalName::user(name),
                        offset: ir::immediates::Imm64::new(0),
                        colocated: true,
                        tls: false,
                    });
                self.data_gvs.insert(id, gv);
                gv
            }
        };
        let ptr = self.ptr();
        self.builder.ins().symbol_value(ptr, gv)
    }

    /// A direct reference to a function's code.
    pub(crate) fn func_ref(&mut self, def: EntityRef) -> Result<FuncRef> {
        if let Some(r) = self.func_refs.get(&def) {
            return Ok(*r);
        }
        let id: FuncId = *self
            .env
            .symbols
            .funcs
            .get(&def)
            .ok_or_else(|| Error::Internal(format!("no symbol for function {def:?}")))?;
        let ty = self
            .env
            .program
            .module_of(def.instance)
            .func_type(def.index)
            .clone();
        let sig = self.builder.import_signature(wasm_signature(&ty));
        let name = self
            .builder
            .func
            .declare_imported_user_function(func_name(id));
        let r = self.builder.import_function(ir::ExtFuncData {
            name: ir::ExternalName::user(name),
            signature: sig,
            colocated: true,
            patchable: false,
        });
        self.func_refs.insert(def, r);
        Ok(r)
    }

    /// A signature reference for wasm type index `ty` of this module.
    pub(crate) fn sig_ref(&mut self, ty: u32) -> ir::SigRef {
        if let Some(s) = self.sig_refs.get(&ty) {
            return *s;
        }
        let sig = wasm_signature(self.env.module.type_at(ty));
        let s = self.builder.import_signature(sig);
        self.sig_refs.insert(ty, s);
        s
    }

    /// Calls a runtime builtin.
    pub(crate) fn call_builtin(
        &mut self,
        name: &'static str,
        args: &[Value],
    ) -> Result<Option<Value>> {
        let r = match self.builtin_refs.get(name) {
            Some(r) => *r,
            None => {
                let (id, sig) = self
                    .env
                    .symbols
                    .builtins
                    .get(name)
                    .cloned()
                    .ok_or_else(|| Error::Internal(format!("unknown builtin {name}")))?;
                let sig = self.builder.import_signature(sig);
                let fname = self
                    .builder
                    .func
                    .declare_imported_user_function(func_name(id));
                let r = self.builder.import_function(ir::ExtFuncData {
                    name: ir::ExternalName::user(fname),
                    signature: sig,
                    colocated: true,
                    patchable: false,
                });
                self.builtin_refs.insert(name, r);
                r
            }
        };
        let call = self.builder.ins().call(r, args);
        Ok(self.builder.inst_results(call).first().copied())
    }

    /// Creates a block with parameters of the given types.
    pub(crate) fn block_with_params(&mut self, tys: &[Type]) -> Block {
        let b = self.builder.create_block();
        for t in tys {
            self.builder.append_block_param(b, *t);
        }
        b
    }

    /// The wasm type-id of a type index of this module.
    pub(crate) fn type_id(&self, ty: u32) -> u32 {
        self.env
            .type_ids
            .get(self.env.program.instances[self.env.instance].module, ty)
    }

    /// Converts a boolean (`i8` from a comparison) to a wasm `i32`.
    pub(crate) fn bool_to_i32(&mut self, b: Value) -> Value {
        self.builder.ins().uextend(types::I32, b)
    }
}
