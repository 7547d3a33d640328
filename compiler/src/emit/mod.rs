//! Emission: the whole [`Program`] into one relocatable object file.
//!
//! 1. `declare`: one symbol per entity (functions, memories, tables, globals, segments,
//!    funcref records) and per runtime builtin, so that every later step can refer to
//!    anything by id.
//! 2. Translate and compile every defined function, in parallel (`rayon`); each result keeps
//!    its code, relocations and trap sites. Functions whose loops gain from newer CPU
//!    features are compiled twice behind a stub that picks one at run time
//!    (`multiversion`).
//! 3. `init` / `entry`: per-instance initialisers, export trampolines and the command-mode
//!    `main`, generated as Cranelift IR too.
//! 4. `data`: static contents of memories, tables, globals, segments and funcref records.
//! 5. `descriptors`: the `smelt_program` descriptor the runtime starts from, including the
//!    function table with trap sites and names for the trap handler.
//!
//! Invariant: functions are defined in the object in the order their descriptors are
//! listed, into a single `.text` section, so the descriptor table is sorted by address.

mod data;
mod declare;
mod descriptors;
mod entry;
mod init;
mod lowering;
mod multiversion;
mod names;

use crate::error::{Error, Result};
use crate::program::{EntityRef, Program};
use crate::symbols::Symbols;
use crate::target::Target;
use crate::translate::{FuncEnv, translate_function};
use crate::types::TypeIds;
use cranelift_codegen::Context;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{self, TrapCode};
use cranelift_frontend::FunctionBuilderContext;
use cranelift_module::{FuncId, Module as _, ModuleReloc};
use cranelift_object::{ObjectBuilder, ObjectModule};
use rayon::prelude::*;

/// How the executable behaves when started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// Instantiate everything, run the entry point, exit.
    #[default]
    Command,
    /// Read driver commands from stdin (see `smelt_contract::script`).
    Script,
}

/// Options for emission.
#[derive(Clone, Debug)]
pub struct EmitOptions {
    /// Command or script mode.
    pub mode: Mode,
    /// Largest size any memory may grow to, in bytes.
    pub max_memory: u64,
    /// Size of the wasm stack in bytes.
    pub stack_size: u64,
    /// Bounds-check 32-bit memories explicitly instead of reserving 8 GiB of address space
    /// for each (for emulators that pay for reserved address space, such as qemu-user).
    pub bounds_checked: bool,
    /// What the program may reach (command mode).
    pub grants: crate::grants::Grants,
    /// Where compile progress is reported (nowhere by default).
    pub progress: crate::progress::ProgressHook,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            mode: Mode::Command,
            max_memory: 4 << 30,
            stack_size: 8 << 20,
            bounds_checked: false,
            grants: crate::grants::Grants::default(),
            progress: crate::progress::ProgressHook::default(),
        }
    }
}

/// One compiled function, ready to be defined in the object.
pub(crate) struct CompiledFunc {
    pub(crate) id: FuncId,
    pub(crate) name: String,
    pub(crate) code: Vec<u8>,
    pub(crate) relocs: Vec<ModuleReloc>,
    pub(crate) traps: Vec<(u32, TrapCode)>,
    /// Whether backtraces show its frames (false for host adapters: described with an
    /// empty name).
    pub(crate) in_backtrace: bool,
    /// The alignment its code needs (see [`function_alignment`]).
    pub(crate) align: u64,
}

/// The alignment of a function's code. The preferred alignment of x86_64 (32 bytes) keeps a
/// hot loop's timing from depending on where the linker happened to place it; straight-line
/// code gains nothing from it, so functions without a loop get at most 16 bytes (what
/// LLVM gives every function): in a Rust hello world, 32-byte alignment cost 3 KB of
/// padding, 2.6 % of the executable. Never less than its constant pool needs.
fn function_alignment(
    isa: &dyn cranelift_codegen::isa::TargetIsa,
    has_loop: bool,
    constants: u32,
) -> u64 {
    let align = isa.function_alignment();
    let wanted = if has_loop {
        align.preferred
    } else {
        align.preferred.min(16)
    };
    u64::from(wanted.max(align.minimum).max(constants))
}

/// Whether loops LLVM unrolled get their `f64` lanes paired into SIMD operations
/// (`translate/pair_lanes.rs`): where the target pairs lanes, in command mode only (a trap
/// may come before a store the scalar code did first, which only the script driver could
/// observe), and for guarded memories (the pass recognises their accesses).
fn pairs_lanes(mode: Mode, target: &Target, bounds_checked: bool) -> bool {
    mode == Mode::Command && target.pair_lanes && !bounds_checked
}

/// Compiles a Cranelift function that has been built.
pub(crate) fn compile_ir(
    isa: &dyn cranelift_codegen::isa::TargetIsa,
    id: FuncId,
    name: String,
    func: ir::Function,
    func_index: u32,
) -> Result<CompiledFunc> {
    let mut ctx = Context::for_function(func);
    ctx.compile(isa, &mut ControlPlane::default())
        .map_err(|e| Error::Codegen {
            func_index,
            message: format!("{:?}", e.inner),
        })?;
    // Without optimisation Cranelift computes no loop analysis: then assume a loop.
    let has_loop = !ctx.loop_analysis.is_valid() || ctx.loop_analysis.loops().next().is_some();
    let compiled = ctx.compiled_code().expect("compiled just now");
    let align = function_alignment(isa, has_loop, compiled.buffer.alignment);
    let code = compiled.code_buffer().to_vec();
    let traps = compiled
        .buffer
        .traps()
        .iter()
        .map(|t| (t.offset, t.code))
        .collect();
    let relocs = compiled
        .buffer
        .relocs()
        .iter()
        .map(|r| ModuleReloc::from_mach_reloc(r, &ctx.func, id))
        .collect();
    Ok(CompiledFunc {
        id,
        name,
        code,
        relocs,
        traps,
        in_backtrace: true,
        align,
    })
}

/// An empty object module for `target` with every symbol of the program declared.
fn start(
    program: &Program,
    target: &Target,
    mode: Mode,
) -> Result<(ObjectModule, TypeIds, Symbols)> {
    let builder = ObjectBuilder::new(
        target.isa.clone(),
        "smelt",
        cranelift_module::default_libcall_names(),
    )
    .map_err(|e| Error::Internal(format!("object builder: {e}")))?;
    let mut module = ObjectModule::new(builder);
    let symbols = declare::declare(&mut module, program, target, mode)?;
    Ok((module, TypeIds::new(program), symbols))
}

/// Emits the program as an object file for `target`.
pub fn emit_object(program: &Program, target: &Target, options: &EmitOptions) -> Result<Vec<u8>> {
    let (mut module, type_ids, symbols) = start(program, target, options.mode)?;

    // Every defined function, in program order.
    let mut jobs: Vec<EntityRef> = Vec::new();
    for (i, inst) in program.instances.iter().enumerate() {
        let m = &program.modules[inst.module];
        jobs.extend(
            (m.imported_funcs..m.funcs.len() as u32).map(|index| EntityRef { instance: i, index }),
        );
    }
    let versions = multiversion::Plan::new(&mut module, program, &symbols, target, &jobs)?;
    options.progress.stage("compile", jobs.len() as u64);
    // Largest bodies first, one function per task: the build ends when the last function is
    // compiled, so a large function must not start last (longest-processing-time order).
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| {
        let def = jobs[i];
        let m = program.module_of(def.instance);
        std::cmp::Reverse(m.bodies[(def.index - m.imported_funcs) as usize].len())
    });
    let mut compiled: Vec<(usize, Vec<CompiledFunc>)> = order
        .par_iter()
        .with_max_len(1)
        .map_init(FunctionBuilderContext::new, |ctx, &i| {
            let def = &jobs[i];
            let m = program.module_of(def.instance);
            let env = FuncEnv {
                program,
                instance: def.instance,
                module: m,
                symbols: &symbols,
                type_ids: &type_ids,
                isa: &*target.isa,
                arch: target.arch,
                bounds_checked: options.bounds_checked,
            };
            let mut func = ir::Function::new();
            translate_function(&env, def.index, &mut func, ctx)?;
            if pairs_lanes(options.mode, target, options.bounds_checked) {
                crate::translate::pair_lanes(&mut func);
            }
            let id = symbols.funcs[def];
            let name = m.display_name(def.index);
            let compiled = if versions.is_versioned(id) {
                versions
                    .compile(&symbols, target, id, name, func, def.index)
                    .map(Vec::from)
            } else {
                compile_ir(&*target.isa, id, name, func, def.index).map(|f| vec![f])
            };
            options.progress.advance(1);
            compiled.map(|c| (i, c))
        })
        .collect::<Result<_>>()?;
    compiled.sort_unstable_by_key(|(i, _)| *i);
    let mut compiled: Vec<CompiledFunc> = compiled.into_iter().flat_map(|(_, c)| c).collect();

    // Only wasm functions and host adapters (wasm frame records, unnamed) are described to
    // the runtime: glue frames are not wasm frames and never appear in backtraces. They are
    // defined after the described functions.
    compiled.extend(lowering::host_adapters(program, &symbols, target)?);
    compiled.extend(lowering::resource_funcs(program, &symbols, target)?);
    let wasm_funcs = compiled.len();
    let glue = entry::Generated::new(&mut module, program, &symbols, &type_ids, target, options)?;
    compiled.extend(glue.funcs);
    compiled.extend(lowering::reallocs(program, &symbols, target)?);

    for f in &compiled {
        module
            .define_function_bytes(f.id, f.align, &f.code, &f.relocs)
            .map_err(|e| Error::Internal(format!("defining {}: {e}", f.name)))?;
    }
    data::define(&mut module, program, &symbols, &type_ids, options)?;
    lowering::define_data(&mut module, program, &symbols)?;
    // Script mode runs the runtime's script loop instead of `smelt_main`; naming it only
    // here keeps the loop out of command executables (the linker drops what nothing uses).
    let main = match options.mode {
        Mode::Command => glue.main,
        Mode::Script => {
            let mut sig = ir::Signature::new(target.isa.default_call_conv());
            sig.returns.push(ir::AbiParam::new(ir::types::I32));
            module
                .declare_function(
                    smelt_contract::symbols::SCRIPT_MAIN,
                    cranelift_module::Linkage::Import,
                    &sig,
                )
                .map_err(|e| Error::Internal(format!("declaring the script loop: {e}")))?
        }
    };
    let func_table = descriptors::define(
        &mut module,
        program,
        &symbols,
        &compiled[..wasm_funcs],
        &glue.exports,
        main,
        glue.inits,
        options,
    )?;
    let mut product = module.finish();
    descriptors::patch_code_offsets(&mut product, func_table, &compiled[..wasm_funcs])?;
    product
        .emit()
        .map_err(|e| Error::Internal(format!("writing object: {e}")))
}

/// The Cranelift IR of every defined function of the program, before Cranelift optimises it, as
/// text: what the golden tests compare. Each entry is (function name, IR).
pub fn clif_text(program: &Program, target: &Target) -> Result<Vec<(String, String)>> {
    let (_module, type_ids, symbols) = start(program, target, Mode::Command)?;
    let mut out = Vec::new();
    let mut ctx = FunctionBuilderContext::new();
    for (i, inst) in program.instances.iter().enumerate() {
        let m = &program.modules[inst.module];
        for f in m.imported_funcs..m.funcs.len() as u32 {
            let env = FuncEnv {
                program,
                instance: i,
                module: m,
                symbols: &symbols,
                type_ids: &type_ids,
                isa: &*target.isa,
                arch: target.arch,
                bounds_checked: false,
            };
            let mut func = ir::Function::new();
            translate_function(&env, f, &mut func, &mut ctx)?;
            if pairs_lanes(Mode::Command, target, false) {
                crate::translate::pair_lanes(&mut func);
            }
            out.push((m.display_name(f), func.display().to_string()));
        }
    }
    Ok(out)
}
