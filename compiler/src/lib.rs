//! smelt: an ahead-of-time compiler from WebAssembly to standalone native executables.
//!
//! ```text
//!  app.wasm / app.wat
//!     │  input      detect text or binary; wat → wasm
//!     ▼
//!  adapt           a core module importing WASI preview1 → component (wit-component)
//!     ▼
//!  validate        wasmparser with exactly the features smelt compiles
//!     ▼
//!  component       a component: translate → inline into core instances + entry
//!     ▼
//!  module          decode into types, imports, definitions, segments, bodies
//!     ▼
//!  program         instantiate: every import bound to its definition (closed world)
//!     ▼
//!  translate       each function → Cranelift IR (in parallel)
//!     ▼
//!  emit            machine code + static data + descriptors → one object (cranelift-object)
//!     ▼
//!  link            object + embedded runtime-lib for the target → static ELF
//! ```
//!
//! `target` holds everything that differs between x86_64, aarch64 and riscv64.

pub mod adapt;
pub mod bench;
pub mod component;
pub mod const_tables;
pub mod emit;
pub mod error;
pub mod grants;
pub mod host;
pub mod input;
pub mod link;
pub mod module;
pub mod program;
pub mod progress;
pub mod symbols;
pub mod target;
pub mod translate;
pub mod types;
pub mod validate;

pub use emit::{EmitOptions, Mode, clif_text};
pub use error::{Error, Result};
pub use grants::Grants;
pub use program::{Binding, Entry, ExportType, InstanceId, ModuleId, Program};
pub use progress::{Progress, ProgressHook};
pub use target::{OptLevel, Target, TargetOptions};

use std::path::Path;

/// Compiles a program and links it into the executable `output`.
pub fn build_executable(
    program: &Program,
    target: &Target,
    options: &EmitOptions,
    output: &Path,
    linker: Option<&Path>,
) -> Result<()> {
    check_target_support(program, target)?;
    let object = emit::emit_object(program, target, options)?;
    options.progress.stage("link", 0);
    link::link(&object, target, output, linker)
}

/// Compiles a program into an object file only (`--emit obj`).
pub fn build_object(
    program: &Program,
    target: &Target,
    options: &EmitOptions,
    output: &Path,
) -> Result<()> {
    check_target_support(program, target)?;
    let object = emit::emit_object(program, target, options)?;
    link::write_atomically(output, &object)
}

/// Refuses programs the target cannot run, with the flag that would fix it.
fn check_target_support(program: &Program, target: &Target) -> Result<()> {
    if let Some(feature) = target.simd_missing()
        && let Some(m) = program.modules.iter().find(|m| input::uses_simd(m))
    {
        return Err(Error::Target(format!(
            "{}: uses SIMD-128, which {} supports only with `--target-feature +{feature}`",
            m.name, target.arch.triple
        )));
    }
    Ok(())
}

/// How inputs become programs.
#[derive(Clone, Copy, Debug, Default)]
pub struct InputOptions {
    /// Bind a component's imports that smelt's host does not provide to functions that trap
    /// naming the import when called, instead of refusing the component.
    pub trap_unknown_imports: bool,
}

/// Builds a program from one file; see [`program_from_binary`].
pub fn program_from_file(path: &Path) -> Result<Program> {
    program_from_file_with(path, &InputOptions::default())
}

/// Builds a program from one file with `options`; see [`program_from_binary_with`].
pub fn program_from_file_with(path: &Path, options: &InputOptions) -> Result<Program> {
    let (name, bytes) = input::read(path)?;
    program_from_binary_with(&name, bytes, options)
}

/// Builds a program from the binary of the input `name`: a component (flattened by
/// [`component`]), a core module importing WASI preview1 (made a component by [`adapt`]),
/// or any other core module, which is then the main instance and whose imports must be
/// satisfiable (none can be yet).
pub fn program_from_binary(name: &str, bytes: Vec<u8>) -> Result<Program> {
    program_from_binary_with(name, bytes, &InputOptions::default())
}

/// [`program_from_binary`] with `options`.
pub fn program_from_binary_with(
    name: &str,
    bytes: Vec<u8>,
    options: &InputOptions,
) -> Result<Program> {
    let trap = options.trap_unknown_imports;
    if component::is_component(&bytes) {
        return component::program_from_component(name, &bytes, trap);
    }
    if let Some(component) = adapt::adapt(name, &bytes)? {
        return component::program_from_component(name, &component, trap);
    }
    let mut program = Program::new();
    let module = program.add_module(name, bytes)?;
    let inst = program.instantiate(module, |_, _| None)?;
    if let Some((wasmparser::ExternalKind::Func, def)) = program.export(inst, "_start") {
        let ty = program.module_of(def.instance).func_type(def.index);
        if !ty.params().is_empty() {
            return Err(Error::Entry {
                file: name.into(),
                func_index: def.index,
                message: format!(
                    "the `_start` export must take no parameters, but its type is {ty}"
                ),
            });
        }
    }
    program.entry = program::Entry::Start(inst);
    Ok(program)
}
