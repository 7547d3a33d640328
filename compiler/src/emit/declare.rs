//! Declares one object symbol per entity of the program, per runtime builtin and per host
//! function the program imports.

use crate::error::{Error, Result};
use crate::program::{EntityRef, Program};
use crate::symbols::Symbols;
use crate::target::Target;
use crate::translate::{clif_type, wasm_signature};
use cranelift_codegen::ir::{AbiParam, Signature, Type};
use cranelift_codegen::isa::CallConv;
use cranelift_module::{Linkage, Module as _};
use cranelift_object::ObjectModule;
use smelt_contract::builtins::{Abi, AbiType};
use smelt_contract::symbols;

fn abi_type(t: AbiType, ptr: Type) -> Type {
    match t {
        AbiType::I32 => cranelift_codegen::ir::types::I32,
        AbiType::I64 => cranelift_codegen::ir::types::I64,
        AbiType::Ptr => ptr,
        AbiType::I128 => cranelift_codegen::ir::types::I128,
    }
}

/// A builtin parameter. 32-bit integers are sign-extended to the register width: the
/// RISC-V psABI requires it of the caller for `u32` too, and the Rust callee relies on it
/// (a `u32` with its high bit set arrives wrong otherwise); x86_64 and AArch64 callees ignore
/// the upper bits.
fn abi_param(t: AbiType, ptr: Type) -> AbiParam {
    let param = AbiParam::new(abi_type(t, ptr));
    if t == AbiType::I32 {
        param.sext()
    } else {
        param
    }
}

macro_rules! builtin_signature_list {
    ($( $(#[$attr:meta])* $name:ident ( $($p:ident : $ty:ty),* $(,)? ) $(-> $ret:ty)? ; )*) => {
        /// Every runtime builtin with its Cranelift signature, from the contract's list.
        pub(crate) fn builtin_signatures(call_conv: CallConv, ptr: Type) -> Vec<(&'static str, Signature)> {
            vec![$(
                (stringify!($name), {
                    let mut s = Signature::new(call_conv);
                    $( s.params.push(abi_param(<$ty as Abi>::TYPE, ptr)); )*
                    $( s.returns.push(AbiParam::new(abi_type(<$ret as Abi>::TYPE, ptr))); )?
                    s
                }),
            )*]
        }
    };
}
smelt_contract::for_each_builtin!(builtin_signature_list);

fn ice(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("declaring symbols: {e}"))
}

/// Declares every symbol the program needs.
pub(crate) fn declare(
    module: &mut ObjectModule,
    program: &Program,
    target: &Target,
    mode: super::Mode,
) -> Result<Symbols> {
    let mut s = Symbols::default();
    let call_conv = target.isa.default_call_conv();
    for (name, sig) in builtin_signatures(call_conv, target.isa.pointer_type()) {
        let sym = format!("{}{name}", symbols::BUILTIN_PREFIX);
        let id = module
            .declare_function(&sym, Linkage::Import, &sig)
            .map_err(ice)?;
        s.builtins.insert(name, (id, sig));
    }
    for (i, inst) in program.instances.iter().enumerate() {
        let m = &program.modules[inst.module];
        for f in m.imported_funcs..m.funcs.len() as u32 {
            let sig = wasm_signature(m.func_type(f));
            let id = module
                .declare_function(&format!("smelt_i{i}_f{f}"), Linkage::Local, &sig)
                .map_err(ice)?;
            s.funcs.insert(
                EntityRef {
                    instance: i,
                    index: f,
                },
                id,
            );
        }
        for &f in inst.resource_funcs.keys() {
            let sig = wasm_signature(m.func_type(f));
            let id = module
                .declare_function(&format!("smelt_i{i}_f{f}"), Linkage::Local, &sig)
                .map_err(ice)?;
            s.funcs.insert(
                EntityRef {
                    instance: i,
                    index: f,
                },
                id,
            );
        }
        for (&f, host) in &inst.hosts {
            let sig = wasm_signature(m.func_type(f));
            let id = module
                .declare_function(&format!("smelt_i{i}_f{f}"), Linkage::Local, &sig)
                .map_err(ice)?;
            s.funcs.insert(
                EntityRef {
                    instance: i,
                    index: f,
                },
                id,
            );
            let symbol = host.func.symbol;
            if host.func.implemented && !s.hosts.contains_key(symbol) {
                let ptr = target.isa.pointer_type();
                let mut sig = Signature::new(call_conv);
                sig.params.push(AbiParam::new(ptr));
                sig.params.extend(
                    host.func
                        .params
                        .iter()
                        .map(|t| AbiParam::new(clif_type(*t))),
                );
                sig.returns.extend(
                    host.func
                        .results
                        .iter()
                        .map(|t| AbiParam::new(clif_type(*t))),
                );
                let id = module
                    .declare_function(symbol, Linkage::Import, &sig)
                    .map_err(ice)?;
                s.hosts.insert(symbol, (id, sig));
            }
        }
        for t in m.imported_tables..m.tables.len() as u32 {
            let id = module
                .declare_data(&format!("smelt_i{i}_t{t}"), Linkage::Local, true, false)
                .map_err(ice)?;
            s.tables.insert(
                EntityRef {
                    instance: i,
                    index: t,
                },
                id,
            );
        }
        for mem in m.imported_memories..m.memories.len() as u32 {
            let id = module
                .declare_data(&format!("smelt_i{i}_m{mem}"), Linkage::Local, true, false)
                .map_err(ice)?;
            s.memories.insert(
                EntityRef {
                    instance: i,
                    index: mem,
                },
                id,
            );
        }
        for g in m.imported_globals..m.globals.len() as u32 {
            let id = module
                .declare_data(&format!("smelt_i{i}_g{g}"), Linkage::Local, true, false)
                .map_err(ice)?;
            s.globals.insert(
                EntityRef {
                    instance: i,
                    index: g,
                },
                id,
            );
        }
        for (d, _) in m.datas.iter().enumerate() {
            let id = module
                .declare_data(&format!("smelt_i{i}_d{d}"), Linkage::Local, true, false)
                .map_err(ice)?;
            s.datas.insert((i, d as u32), id);
        }
        for e in 0..m.elems.len() {
            let id = module
                .declare_data(&format!("smelt_i{i}_e{e}"), Linkage::Local, true, false)
                .map_err(ice)?;
            s.elems.insert((i, e as u32), id);
        }
    }
    // Funcref records for every function whose reference escapes, keyed by definition.
    for inst in &program.instances {
        let m = &program.modules[inst.module];
        for (f, escapes) in m.escaping_funcs.iter().enumerate() {
            if !escapes {
                continue;
            }
            let def = inst.funcs[f];
            if s.funcrefs.contains_key(&def) {
                continue;
            }
            let name = format!("smelt_i{}_r{}", def.instance, def.index);
            let id = module
                .declare_data(&name, Linkage::Local, false, false)
                .map_err(ice)?;
            s.funcrefs.insert(def, id);
        }
    }
    // The read-only slot array of every constant table, beside its `VMTable`.
    for (def, slots) in crate::const_tables::find(program, mode) {
        let name = format!("smelt_i{}_t{}_slots", def.instance, def.index);
        let id = module
            .declare_data(&name, Linkage::Local, false, false)
            .map_err(ice)?;
        s.const_tables.insert(def, (id, slots));
    }
    super::lowering::declare(module, program, target, &mut s)?;
    Ok(s)
}
