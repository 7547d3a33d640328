//! What host calls need at run time (see `smelt_contract::host`):
//!
//! - `smelt_c<N>_handles`: component instance N's resource handle table, a zeroed
//!   `VMHandleTable` the runtime fills on first use.
//! - `smelt_l<L>`: the `VMLowering` record of lowering L (its memory, realloc trampoline,
//!   handle table and string encoding), passed as the first argument of every host call
//!   made through that lowering.
//! - `smelt_l<L>_realloc(old_ptr, old_size, align, new_size) -> ptr`: a C-ABI trampoline
//!   into the lowering's wasm `realloc`, so the runtime can call it like a C function.
//! - the host adapters `smelt_i<N>_f<F>` (wasm calling convention) that call
//!   `smelt_host_…` with the record of their lowering first.
//! - the resource built-ins `smelt_i<N>_f<F>` (`canon resource.new/rep/drop` on a type a
//!   component defines), calling the runtime's `resource_*` builtins with their component
//!   instance's handle table, and for `drop` of an own handle the type's destructor.

use super::entry::{build_returning, host_adapter};
use super::{CompiledFunc, compile_ir};
use crate::error::{Error, Result};
use crate::program::{EntityRef, Program, ResourceOp};
use crate::symbols::Symbols;
use crate::target::Target;
use crate::translate::wasm_signature;
use cranelift_codegen::ir::{self, AbiParam, InstBuilder, Signature};
use cranelift_module::{DataDescription, Linkage, Module as _};
use cranelift_object::ObjectModule;
use smelt_contract::layout::{VMHandleTable, VMLowering};

fn ice(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("lowering records: {e}"))
}

/// The C signature of a realloc trampoline.
fn realloc_sig(target: &Target) -> Signature {
    let mut sig = Signature::new(target.isa.default_call_conv());
    sig.params.extend([AbiParam::new(ir::types::I32); 4]);
    sig.returns.push(AbiParam::new(ir::types::I32));
    sig
}

/// Declares the handle tables, lowering records and realloc trampolines.
pub(crate) fn declare(
    module: &mut ObjectModule,
    program: &Program,
    target: &Target,
    s: &mut Symbols,
) -> Result<()> {
    for c in 0..program.component_instances {
        let id = module
            .declare_data(&format!("smelt_c{c}_handles"), Linkage::Local, true, false)
            .map_err(ice)?;
        s.handles.push(id);
    }
    for (l, lowering) in program.lowerings.iter().enumerate() {
        let id = module
            .declare_data(&format!("smelt_l{l}"), Linkage::Local, false, false)
            .map_err(ice)?;
        s.lowerings.push(id);
        let realloc = match lowering.realloc {
            Some(_) => Some(
                module
                    .declare_function(
                        &format!("smelt_l{l}_realloc"),
                        Linkage::Local,
                        &realloc_sig(target),
                    )
                    .map_err(ice)?,
            ),
            None => None,
        };
        s.reallocs.push(realloc);
    }
    for (i, inst) in program.instances.iter().enumerate() {
        for (&f, host) in &inst.hosts {
            if host.func.implemented {
                continue;
            }
            let id = module
                .declare_data(
                    &format!("smelt_i{i}_f{f}_name"),
                    Linkage::Local,
                    false,
                    false,
                )
                .map_err(ice)?;
            s.unknown_names.insert(
                EntityRef {
                    instance: i,
                    index: f,
                },
                id,
            );
        }
    }
    Ok(())
}

/// Defines the handle tables and lowering records.
pub(crate) fn define_data(module: &mut ObjectModule, program: &Program, s: &Symbols) -> Result<()> {
    for (def, id) in &s.unknown_names {
        let name = program.instances[def.instance].hosts[&def.index]
            .func
            .name();
        let mut d = DataDescription::new();
        d.define(name.into_bytes().into_boxed_slice());
        module.define_data(*id, &d).map_err(ice)?;
    }
    for id in &s.handles {
        let mut d = DataDescription::new();
        d.define_zeroinit(VMHandleTable::SIZE as usize);
        d.set_align(8);
        module.define_data(*id, &d).map_err(ice)?;
    }
    for (l, lowering) in program.lowerings.iter().enumerate() {
        let mut bytes = vec![0u8; VMLowering::SIZE as usize];
        let at = VMLowering::STRING_ENCODING_OFFSET as usize;
        bytes[at..at + 4].copy_from_slice(&lowering.string_encoding.to_le_bytes());
        let mut d = DataDescription::new();
        d.define(bytes.into_boxed_slice());
        d.set_align(8);
        if let Some(m) = lowering.memory {
            let gv = module.declare_data_in_data(s.memories[&m], &mut d);
            d.write_data_addr(VMLowering::MEMORY_OFFSET, gv, 0);
        }
        if let Some(f) = s.reallocs[l] {
            let fr = module.declare_func_in_data(f, &mut d);
            d.write_function_addr(VMLowering::REALLOC_OFFSET, fr);
        }
        let gv = module.declare_data_in_data(s.handles[lowering.component as usize], &mut d);
        d.write_data_addr(VMLowering::HANDLES_OFFSET, gv, 0);
        module.define_data(s.lowerings[l], &d).map_err(ice)?;
    }
    Ok(())
}

/// The realloc trampolines, compiled.
pub(crate) fn reallocs(
    program: &Program,
    s: &Symbols,
    target: &Target,
) -> Result<Vec<CompiledFunc>> {
    let mut out = Vec::new();
    for (l, lowering) in program.lowerings.iter().enumerate() {
        let (Some(id), Some(realloc)) = (s.reallocs[l], lowering.realloc) else {
            continue;
        };
        let ty = program
            .module_of(realloc.instance)
            .func_type(realloc.index)
            .clone();
        let want = [wasmparser::ValType::I32; 4];
        if ty.params() != want || ty.results() != [wasmparser::ValType::I32] {
            // Validation checks the realloc option's type; this is a compiler bug.
            return Err(Error::Internal(format!("realloc of type {ty}")));
        }
        let callee = s.funcs[&realloc];
        let f = build_returning(s, target, realloc_sig(target), |g, params| {
            Ok(g.call(callee, wasm_signature(&ty), params))
        })?;
        out.push(compile_ir(
            &*target.isa,
            id,
            format!("<realloc trampoline {l}>"),
            f,
            0,
        )?);
    }
    Ok(out)
}

/// The resource built-ins, compiled (described to the runtime like host adapters: wasm
/// frame records, no name).
pub(crate) fn resource_funcs(
    program: &Program,
    symbols: &Symbols,
    target: &Target,
) -> Result<Vec<CompiledFunc>> {
    let mut funcs = Vec::new();
    for (i, inst) in program.instances.iter().enumerate() {
        let m = &program.modules[inst.module];
        for (&f, func) in &inst.resource_funcs {
            let def = EntityRef {
                instance: i,
                index: f,
            };
            let sig = wasm_signature(m.func_type(f));
            let table = symbols.handles[func.component as usize];
            let other = symbols.handles[func.other as usize];
            let ir = build_returning(symbols, target, sig, |g, params| {
                let table = g.data_addr(table);
                let tag = g.b.ins().iconst(ir::types::I32, i64::from(func.tag));
                let args = [table, tag, params[0]];
                Ok(match func.op {
                    ResourceOp::New => g.call_builtin("resource_new", &args)?,
                    ResourceOp::Rep => g.call_builtin("resource_rep", &args)?,
                    ResourceOp::Drop => {
                        let r = g.call_builtin("resource_drop", &args)?[0];
                        if let Some(dtor) = func.dtor {
                            let owned = g.b.ins().ushr_imm_u(r, 32);
                            let call = g.b.create_block();
                            let done = g.b.create_block();
                            g.b.ins().brif(owned, call, &[], done, &[]);
                            g.b.switch_to_block(call);
                            let rep = g.b.ins().ireduce(ir::types::I32, r);
                            let ty = program.module_of(dtor.instance).func_type(dtor.index);
                            g.call(symbols.funcs[&dtor], wasm_signature(ty), &[rep]);
                            g.b.ins().jump(done, &[]);
                            g.b.switch_to_block(done);
                        }
                        Vec::new()
                    }
                    ResourceOp::OwnIn | ResourceOp::OwnOut => {
                        let other = g.data_addr(other);
                        // In: the caller's table to the callee's; out: the other way.
                        let (from, to) = if func.op == ResourceOp::OwnIn {
                            (table, other)
                        } else {
                            (other, table)
                        };
                        g.call_builtin("resource_move", &[from, to, params[0], params[1]])?
                    }
                    ResourceOp::Borrow => {
                        let other = g.data_addr(other);
                        let args = [table, other, params[0], params[1], params[2]];
                        g.call_builtin("resource_lend", &args)?
                    }
                    ResourceOp::BorrowEnd => {
                        let other = g.data_addr(other);
                        let args = [table, other, params[0], params[1], params[2]];
                        g.call_builtin("resource_end_lend", &args)?
                    }
                    ResourceOp::Trap => g.call_builtin("raise_trap", &[params[0]])?,
                    ResourceOp::Transcode {
                        src_memory,
                        src_encoding,
                        dst,
                    } => {
                        let memory = symbols.memories.get(&src_memory).ok_or_else(|| {
                            Error::Internal("string transcoding from an unknown memory".into())
                        })?;
                        let dst = g.data_addr(symbols.lowerings[dst]);
                        let src = g.data_addr(*memory);
                        let enc = g.b.ins().iconst(ir::types::I32, i64::from(src_encoding));
                        let args = [dst, src, enc, params[0], params[1]];
                        g.call_builtin("string_transcode", &args)?
                    }
                })
            })?;
            let name = format!(
                "<resource built-in {:?} for {}>",
                func.op,
                m.display_name(f)
            );
            let mut compiled = compile_ir(&*target.isa, symbols.funcs[&def], name, ir, f)?;
            compiled.in_backtrace = false;
            funcs.push(compiled);
        }
    }
    Ok(funcs)
}

/// The adapters of every host-bound import, compiled. They are described to the runtime
/// like wasm functions, because their frames have the wasm frame-record layout that the
/// backtrace walk must know to step over them, but with no name, so that backtraces skip
/// them.
pub(crate) fn host_adapters(
    program: &Program,
    symbols: &Symbols,
    target: &Target,
) -> Result<Vec<CompiledFunc>> {
    let mut funcs = Vec::new();
    for (i, inst) in program.instances.iter().enumerate() {
        let m = &program.modules[inst.module];
        for (&f, host) in &inst.hosts {
            let def = EntityRef {
                instance: i,
                index: f,
            };
            let record = symbols.lowerings[host.lowering];
            let unknown = symbols.unknown_names.get(&def).copied();
            let sig = wasm_signature(m.func_type(f));
            let ir = host_adapter(symbols, target, sig, host, record, unknown)?;
            let name = format!(
                "<adapter {}#{} for {}>",
                host.func.interface,
                host.func.func,
                m.display_name(f)
            );
            let mut compiled = compile_ir(&*target.isa, symbols.funcs[&def], name, ir, f)?;
            compiled.in_backtrace = false;
            funcs.push(compiled);
        }
    }
    Ok(funcs)
}
