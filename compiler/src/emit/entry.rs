//! Generated glue functions: instance initialisers, host adapters, export trampolines and
//! `main`.
//!
//! A host adapter `smelt_i<N>_f<F>` defines import F of instance N when it is bound to a
//! host function: it has the wasm calling convention, as every wasm function, and calls the
//! runtime's `smelt_host_<name>` (see `smelt_contract::host`).
//!
//! The others use the platform C calling convention, because the runtime calls them:
//! - `smelt_i<N>_init()`: see `init.rs`.
//! - `smelt_i<N>_x<E>(values: *mut u8)`: calls export E, reading parameters from and
//!   writing results to 16-byte slots (the array-call convention of `smelt_contract`).
//! - `smelt_main() -> i32`: initialises every instance in order, then calls the program's
//!   [`Entry`], and returns the exit status (1 when a lifted `wasi:cli/run` returns `err`).

use super::{CompiledFunc, EmitOptions, compile_ir};
use crate::error::{Error, Result};
use crate::program::{Entry, HostBinding, Program};
use crate::symbols::{Symbols, data_name, func_name};
use crate::target::Target;
use crate::translate::{clif_type, wasm_signature};
use crate::types::TypeIds;
use cranelift_codegen::ir::{self, AbiParam, InstBuilder, Signature, Value};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{DataId, FuncId, Linkage, Module as _};
use cranelift_object::ObjectModule;
use smelt_contract::layout::VALUE_SLOT_SIZE;
use std::collections::HashMap;
use wasmparser::ExternalKind;

/// A small builder for glue functions.
pub(crate) struct Gen<'a> {
    pub(crate) b: FunctionBuilder<'a>,
    pub(crate) symbols: &'a Symbols,
    pub(crate) ptr: ir::Type,
}

impl Gen<'_> {
    pub(crate) fn data_addr(&mut self, id: DataId) -> Value {
        let name = self.b.func.declare_imported_user_function(data_name(id));
        let gv = self.b.create_global_value(ir::GlobalValueData::Symbol {
            name: ir::ExternalName::user(name),
            offset: ir::immediates::Imm64::new(0),
            colocated: true,
            tls: false,
        });
        self.b.ins().symbol_value(self.ptr, gv)
    }

    /// A direct reference to function `id`, whose signature is `sig`.
    pub(crate) fn func_ref(&mut self, id: FuncId, sig: ir::SigRef) -> ir::FuncRef {
        let name = self.b.func.declare_imported_user_function(func_name(id));
        self.b.import_function(ir::ExtFuncData {
            name: ir::ExternalName::user(name),
            signature: sig,
            colocated: true,
            patchable: false,
        })
    }

    pub(crate) fn call(&mut self, id: FuncId, sig: Signature, args: &[Value]) -> Vec<Value> {
        let sig = self.b.import_signature(sig);
        let f = self.func_ref(id, sig);
        let call = self.b.ins().call(f, args);
        self.b.inst_results(call).to_vec()
    }

    pub(crate) fn call_builtin(&mut self, name: &str, args: &[Value]) -> Result<Vec<Value>> {
        let (id, sig) = self
            .symbols
            .builtins
            .get(name)
            .cloned()
            .ok_or_else(|| Error::Internal(format!("unknown builtin {name}")))?;
        Ok(self.call(id, sig, args))
    }
}

/// Builds a glue function with signature `sig` (and no results) through `body`.
pub(crate) fn build(
    symbols: &Symbols,
    target: &Target,
    sig: Signature,
    body: impl FnOnce(&mut Gen<'_>, &[Value]) -> Result<()>,
) -> Result<ir::Function> {
    build_returning(symbols, target, sig, |g, params| {
        body(g, params)?;
        Ok(Vec::new())
    })
}

/// Builds a glue function with signature `sig` through `body`, which returns the results.
pub(crate) fn build_returning(
    symbols: &Symbols,
    target: &Target,
    sig: Signature,
    body: impl FnOnce(&mut Gen<'_>, &[Value]) -> Result<Vec<Value>>,
) -> Result<ir::Function> {
    build_ending(symbols, target, sig, |g, params| {
        let results = body(g, params)?;
        g.b.ins().return_(&results);
        Ok(())
    })
}

/// Builds a glue function with signature `sig` through `body`, which ends every block it
/// leaves (with a return or a tail call).
pub(crate) fn build_ending(
    symbols: &Symbols,
    target: &Target,
    sig: Signature,
    body: impl FnOnce(&mut Gen<'_>, &[Value]) -> Result<()>,
) -> Result<ir::Function> {
    let mut func = ir::Function::with_name_signature(ir::UserFuncName::default(), sig);
    let mut ctx = FunctionBuilderContext::new();
    let b = FunctionBuilder::new(&mut func, &mut ctx);
    let mut g = Gen {
        b,
        symbols,
        ptr: target.isa.pointer_type(),
    };
    let entry = g.b.create_block();
    g.b.append_block_params_for_function_params(entry);
    g.b.switch_to_block(entry);
    g.b.seal_block(entry);
    let params = g.b.block_params(entry).to_vec();
    body(&mut g, &params)?;
    g.b.seal_all_blocks();
    g.b.finalize(target.isa.frontend_config());
    Ok(func)
}

/// The generated glue of a program.
pub(crate) struct Generated {
    pub(crate) funcs: Vec<CompiledFunc>,
    pub(crate) inits: Vec<FuncId>,
    /// Trampoline of each exported function, by (instance, export index).
    pub(crate) exports: HashMap<(usize, usize), FuncId>,
    pub(crate) main: FuncId,
}

impl Generated {
    pub(crate) fn new(
        module: &mut ObjectModule,
        program: &Program,
        symbols: &Symbols,
        type_ids: &TypeIds,
        target: &Target,
        _options: &EmitOptions,
    ) -> Result<Generated> {
        let cc = target.isa.default_call_conv();
        let ice =
            |e: cranelift_module::ModuleError| Error::Internal(format!("declaring glue: {e}"));
        let mut funcs = Vec::new();
        let mut inits = Vec::new();
        let void = Signature::new(cc);
        for i in 0..program.instances.len() {
            let id = module
                .declare_function(&format!("smelt_i{i}_init"), Linkage::Local, &void)
                .map_err(ice)?;
            let f = build(symbols, target, void.clone(), |g, _| {
                super::init::instance_init(g, program, type_ids, i)
            })?;
            funcs.push(compile_ir(
                &*target.isa,
                id,
                format!("<instance {i} initialiser>"),
                f,
                0,
            )?);
            inits.push(id);
        }
        let mut exports = HashMap::new();
        let mut array_sig = Signature::new(cc);
        array_sig
            .params
            .push(AbiParam::new(target.isa.pointer_type()));
        for (i, inst) in program.instances.iter().enumerate() {
            let m = &program.modules[inst.module];
            for (e, export) in m.exports.iter().enumerate() {
                if !matches!(export.kind, ExternalKind::Func | ExternalKind::FuncExact) {
                    continue;
                }
                let def = inst.funcs[export.index as usize];
                let ty = program.module_of(def.instance).func_type(def.index).clone();
                let callee = symbols.funcs[&def];
                let id = module
                    .declare_function(&format!("smelt_i{i}_x{e}"), Linkage::Local, &array_sig)
                    .map_err(ice)?;
                let f = build(symbols, target, array_sig.clone(), |g, params| {
                    let values = params[0];
                    let args: Vec<Value> = ty
                        .params()
                        .iter()
                        .enumerate()
                        .map(|(k, t)| {
                            g.b.ins().load(
                                clif_type(*t),
                                slot_flags(),
                                values,
                                (k as u32 * VALUE_SLOT_SIZE) as i32,
                            )
                        })
                        .collect();
                    let results = g.call(callee, wasm_signature(&ty), &args);
                    for (k, r) in results.iter().enumerate() {
                        let offset = (k as u32 * VALUE_SLOT_SIZE) as i32;
                        // Results are zero-extended to the whole slot: a narrower result must
                        // not leave a parameter's bytes behind in the slot it reuses.
                        if g.b.func.dfg.value_type(*r).bytes() < VALUE_SLOT_SIZE {
                            let zero = g.b.ins().iconst(ir::types::I64, 0);
                            g.b.ins().store(slot_flags(), zero, values, offset);
                            g.b.ins().store(slot_flags(), zero, values, offset + 8);
                        }
                        g.b.ins().store(slot_flags(), *r, values, offset);
                    }
                    Ok(())
                })?;
                funcs.push(compile_ir(
                    &*target.isa,
                    id,
                    format!("<export {}>", export.name),
                    f,
                    export.index,
                )?);
                exports.insert((i, e), id);
            }
        }
        let mut main_sig = Signature::new(cc);
        main_sig.returns.push(AbiParam::new(ir::types::I32));
        let main = module
            .declare_function("smelt_main", Linkage::Local, &main_sig)
            .map_err(ice)?;
        let f = build_returning(symbols, target, main_sig, |g, _| {
            for init in &inits {
                g.call(*init, void.clone(), &[]);
            }
            let status = match program.entry {
                Entry::None => g.b.ins().iconst(ir::types::I32, 0),
                Entry::Start(i) => {
                    if let Some((ExternalKind::Func, def)) = program.export(i, "_start") {
                        let ty = program.module_of(def.instance).func_type(def.index).clone();
                        if ty.params().is_empty() {
                            g.call(symbols.funcs[&def], wasm_signature(&ty), &[]);
                        }
                    }
                    g.b.ins().iconst(ir::types::I32, 0)
                }
                Entry::Run { func, post_return } => {
                    let ty = program
                        .module_of(func.instance)
                        .func_type(func.index)
                        .clone();
                    let result = g.call(symbols.funcs[&func], wasm_signature(&ty), &[]);
                    let [result] = result[..] else {
                        return Err(Error::Internal(format!(
                            "the lifted `run` function has type {ty}, not () -> i32"
                        )));
                    };
                    if let Some(post) = post_return {
                        let pty = program
                            .module_of(post.instance)
                            .func_type(post.index)
                            .clone();
                        g.call(symbols.funcs[&post], wasm_signature(&pty), &[result]);
                    }
                    // `result` with no payloads: case 0 is `ok`, anything else `err`.
                    let err =
                        g.b.ins()
                            .icmp_imm_u(ir::condcodes::IntCC::NotEqual, result, 0);
                    g.b.ins().uextend(ir::types::I32, err)
                }
            };
            Ok(vec![status])
        })?;
        funcs.push(compile_ir(&*target.isa, main, "<main>".into(), f, 0)?);
        Ok(Generated {
            funcs,
            inits,
            exports,
            main,
        })
    }
}

/// The adapter of a host-bound import: a function with the wasm calling convention that
/// calls the runtime's host function with the lowering's `VMLowering` record first, then its
/// own parameters, and returns its results (see `smelt_contract::host`).
pub(crate) fn host_adapter(
    symbols: &Symbols,
    target: &Target,
    sig: Signature,
    host: &HostBinding,
    record: DataId,
    unknown_name: Option<DataId>,
) -> Result<ir::Function> {
    if let Some(name) = unknown_name {
        // An import the host does not provide: trap naming it.
        let returns: Vec<ir::Type> = sig.returns.iter().map(|p| p.value_type).collect();
        return build_returning(symbols, target, sig, |g, _| {
            let ptr = g.data_addr(name);
            let len = g.b.ins().iconst(g.ptr, host.func.name().len() as i64);
            g.call_builtin("unimplemented_import", &[ptr, len])?;
            // Not reached: the builtin does not return.
            Ok(returns.iter().map(|t| zero(g, *t)).collect())
        });
    }
    let (id, host_sig) = symbols
        .hosts
        .get(host.func.symbol)
        .cloned()
        .ok_or_else(|| Error::Internal(format!("undeclared host {}", host.func.symbol)))?;
    build_returning(symbols, target, sig, |g, params| {
        let mut args = vec![g.data_addr(record)];
        args.extend_from_slice(params);
        Ok(g.call(id, host_sig, &args))
    })
}

/// A zero of type `t`.
fn zero(g: &mut Gen<'_>, t: ir::Type) -> Value {
    match t {
        ir::types::F32 => g.b.ins().f32const(0.0),
        ir::types::F64 => g.b.ins().f64const(0.0),
        t if t.is_vector() => {
            let c = g.b.func.dfg.constants.insert(vec![0u8; 16].into());
            g.b.ins().vconst(t, c)
        }
        t => g.b.ins().iconst(t, 0),
    }
}

/// Value slots are written by the runtime: never trapping, but not assumed aligned.
fn slot_flags() -> ir::MemFlagsData {
    ir::MemFlagsData::new()
        .with_notrap()
        .with_endianness(ir::Endianness::Little)
}
