//! Adapting WASI preview1 core modules into WASI 0.2 components.
//!
//! A core module that imports from `wasi_snapshot_preview1` is wrapped into a component by
//! `wit-component` together with the **command** adapter published by Wasmtime (crate
//! `wasi-preview1-component-adapter-provider`). The adapter is a core module that exports
//! the preview1 functions, implements them by calling WASI 0.2 interfaces, and exports
//! `wasi:cli/run#run`, which calls the module's `_start`. The result then takes the
//! component path ([`crate::component`]) like any other command component.
//!
//! ```text
//!  core module ── imports wasi_snapshot_preview1? ── no ──▶ core path, untouched
//!     │ yes
//!     ▼
//!  validate         the module alone, with exactly smelt's features (clear offsets)
//!  check            only preview1 functions the adapter exports, with its types; exports
//!                   `_start: [] -> []` and a 32-bit `memory` (named errors, like the core path)
//!  encode           ComponentEncoder + command adapter, output validated by wit-component
//!     ▼
//!  component binary ──▶ component::program_from_component
//! ```
//!
//! Invariants:
//! - A module without `wasi_snapshot_preview1` imports is never touched: [`adapt`] returns
//!   `None` and the core path sees exactly the bytes it saw before adaptation existed.
//! - [`adapt`] returns a component only for a module smelt validated and the encoder
//!   validated again; every refusal is an [`Error`] naming the file, before any output.
//!
//! Only commands are adapted. A module without a `_start` export is a preview1 *reactor*
//! (a library: `_initialize` and exported functions), which the reactor adapter would turn
//! into a component without `wasi:cli/run`; an executable would have nothing to run, so it
//! is refused here with that reason instead of later with a vaguer one.

use crate::error::{Error, Result};
use crate::module::{ImportKind, Module};
use crate::program::kind_name;
use wasi_preview1_component_adapter_provider::{
    WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
};
use wasmparser::{ExternalKind, Parser, Payload};

/// The import module name of WASI preview1.
pub const PREVIEW1: &str = WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME;

/// The command adapter: a core module exporting the preview1 functions and
/// `wasi:cli/run#run`.
pub const COMMAND_ADAPTER: &[u8] = WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER;

/// The component of a core module named `file` that imports WASI preview1, or `None` for a
/// module that does not (which must take the core path unchanged).
pub fn adapt(file: &str, bytes: &[u8]) -> Result<Option<Vec<u8>>> {
    // Invariant: nothing below runs for a module without preview1 imports.
    if !imports_preview1(bytes) {
        return Ok(None);
    }
    crate::validate::validate_module(file, bytes)?;
    let module = Module::decode(file, bytes.to_vec())?;
    check_imports(&module)?;
    check_command(&module)?;
    let refused = |e: anyhow::Error| Error::Adapt {
        file: file.into(),
        message: format!("{e:#}"),
    };
    let routed = route_proc_exit(bytes, &module).map_err(refused)?;
    let mut encoder = wit_component::ComponentEncoder::default();
    encoder
        .module(routed.as_deref().unwrap_or(bytes))
        .map_err(refused)?
        .adapter(PREVIEW1, COMMAND_ADAPTER)
        .map_err(refused)?;
    if routed.is_some() {
        encoder
            .adapter(EXIT_ADAPTER_NAME, &exit_adapter().map_err(refused)?)
            .map_err(refused)?;
    }
    let component = encoder.validate(true).encode().map_err(refused)?;
    Ok(Some(component))
}

/// The import module name under which an adapted module imports `proc_exit` from smelt's
/// exit adapter ([`exit_adapter`]) instead of from the command adapter.
const EXIT_ADAPTER_NAME: &str = "smelt_preview1_exit";

/// The WIT world the exit adapter imports: `wasi:cli/exit@0.2.12`, spelt exactly as the
/// command adapter's own metadata spells the interface, so that wit-component merges the
/// two into one import.
const EXIT_WIT: &str = "package wasi:cli@0.2.12;
interface exit {
    exit: func(status: result);
    exit-with-code: func(status-code: u8);
}
world smelt-preview1-exit {
    import exit;
}
";

/// The exit adapter: `proc_exit(code)` as Wasmtime runs a preview1 module. The command
/// adapter maps every non-zero code to `exit(err)`, i.e. status 1, because WASI 0.2.0 had
/// nothing else; Wasmtime's own preview1 host exits with the code itself when it is below
/// 126 and fails (status 1) otherwise. `wasi:cli/exit@0.2.12` has `exit-with-code`, so this
/// small adapter keeps the code: below 126 `exit-with-code(code)`, otherwise `exit(err)`.
fn exit_adapter() -> anyhow::Result<Vec<u8>> {
    let mut bytes = wat::parse_str(
        r#"(module
            (import "wasi:cli/exit@0.2.12" "exit" (func $exit (param i32)))
            (import "wasi:cli/exit@0.2.12" "exit-with-code" (func $exit_with_code (param i32)))
            (func (export "proc_exit") (param $code i32)
                (if (i32.lt_u (local.get $code) (i32.const 126))
                    (then (call $exit_with_code (local.get $code)) (unreachable)))
                (call $exit (i32.const 1))
                (unreachable)))"#,
    )?;
    let mut resolve = wit_parser::Resolve::default();
    let package = resolve.push_str("smelt-preview1-exit.wit", EXIT_WIT)?;
    let world = resolve.select_world(&[package], Some("smelt-preview1-exit"))?;
    wit_component::embed_component_metadata(
        &mut bytes,
        &resolve,
        world,
        wit_component::StringEncoding::UTF8,
        false,
    )?;
    Ok(bytes)
}

/// The module with its `wasi_snapshot_preview1::proc_exit` import (if any) renamed to come
/// from [`EXIT_ADAPTER_NAME`], or `None` when it has none. Only the import's module name
/// changes: function indices, and therefore the code, stay as they are.
fn route_proc_exit(bytes: &[u8], module: &Module) -> anyhow::Result<Option<Vec<u8>>> {
    use wasm_encoder::reencode::{Reencode, utils};
    if !module
        .imports
        .iter()
        .any(|i| i.module == PREVIEW1 && i.name == "proc_exit")
    {
        return Ok(None);
    }
    struct Rename;
    impl Reencode for Rename {
        type Error = std::convert::Infallible;
        fn parse_import_section(
            &mut self,
            imports: &mut wasm_encoder::ImportSection,
            section: wasmparser::ImportSectionReader<'_>,
        ) -> Result<(), wasm_encoder::reencode::Error<Self::Error>> {
            for import in section.into_imports() {
                let import = import?;
                let module = if import.module == PREVIEW1 && import.name == "proc_exit" {
                    EXIT_ADAPTER_NAME
                } else {
                    import.module
                };
                imports.import(module, import.name, self.entity_type(import.ty)?);
            }
            Ok(())
        }
    }
    let mut out = wasm_encoder::Module::new();
    utils::parse_core_module(&mut Rename, &mut out, Parser::new(0), bytes)?;
    Ok(Some(out.finish()))
}

/// The names the root of a component imports, in order: for an adapted module, the WASI
/// 0.2 interfaces the adapter needs from the host (`wasi:cli/exit@0.2.12`, ...).
pub fn imports(component: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(component) {
        let Ok(payload) = payload else { break };
        match payload {
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => depth += 1,
            Payload::End(_) => depth = depth.saturating_sub(1),
            Payload::ComponentImportSection(r) if depth == 0 => {
                names.extend(r.into_iter().flatten().map(|i| i.name.name.to_string()));
            }
            _ => {}
        }
    }
    names
}

/// Whether the module's import section names `wasi_snapshot_preview1`. Malformed input
/// answers `false` unless a preview1 import comes before the damage; either way validation
/// reports the damage.
fn imports_preview1(bytes: &[u8]) -> bool {
    for payload in Parser::new(0).parse_all(bytes) {
        match payload {
            Ok(Payload::Version { .. } | Payload::TypeSection(_) | Payload::CustomSection(_)) => {}
            Ok(Payload::ImportSection(r)) => {
                return r
                    .into_imports()
                    .any(|i| i.is_ok_and(|i| i.module == PREVIEW1));
            }
            // The import section comes before every other section.
            _ => return false,
        }
    }
    false
}

/// Refuses imports the adapter cannot provide: anything outside `wasi_snapshot_preview1`,
/// preview1 imports that are not functions or not exported by the adapter (all listed in
/// one [`Error::UnresolvedImports`]), then the first preview1 function imported with
/// another type than the adapter's.
fn check_imports(module: &Module) -> Result<()> {
    // The adapter is a fixed, valid module (a unit test validates it with smelt's
    // features), so decoding it cannot fail on a sound build of smelt.
    let adapter = Module::decode(
        "the WASI preview1 command adapter",
        COMMAND_ADAPTER.to_vec(),
    )
    .map_err(|e| Error::Internal(e.to_string()))?;
    let mut list = Vec::new();
    let mut incompatible = None;
    for import in &module.imports {
        let name = format!("{}::{}", import.module, import.name);
        let kind = kind_name(&import.kind);
        if import.module != PREVIEW1 {
            list.push(format!(
                "{name} ({kind}): a module importing {PREVIEW1} may import nothing else"
            ));
            continue;
        }
        let ImportKind::Func(ty) = import.kind else {
            list.push(format!(
                "{name} ({kind}): WASI preview1 provides only functions"
            ));
            continue;
        };
        let provided = adapter
            .exports
            .iter()
            .find(|e| e.name == import.name && e.kind == ExternalKind::Func);
        let Some(provided) = provided else {
            list.push(format!("{name} ({kind}): not a WASI preview1 function"));
            continue;
        };
        let (want, have) = (module.type_at(ty), adapter.func_type(provided.index));
        if want != have && incompatible.is_none() {
            incompatible = Some(Error::IncompatibleImport {
                file: module.name.clone(),
                module: import.module.clone(),
                name: import.name.clone(),
                message: format!("imported as {want}, but WASI preview1 defines it as {have}"),
            });
        }
    }
    if !list.is_empty() {
        return Err(Error::UnresolvedImports {
            file: module.name.clone(),
            list,
        });
    }
    incompatible.map_or(Ok(()), Err)
}

/// Refuses modules the command adapter cannot run: `run` calls the export `_start`, which
/// must be `[] -> []`, and the adapter works in the export `memory`, which must be 32-bit.
fn check_command(module: &Module) -> Result<()> {
    let refused = |message: String| Error::Adapt {
        file: module.name.clone(),
        message,
    };
    let export = |name: &str| module.exports.iter().find(|e| e.name == name);
    match export("_start") {
        Some(e) if e.kind == ExternalKind::Func => {
            let ty = module.func_type(e.index);
            if !ty.params().is_empty() || !ty.results().is_empty() {
                return Err(Error::Entry {
                    file: module.name.clone(),
                    func_index: e.index,
                    message: format!(
                        "the `_start` export of a WASI preview1 command must have type \
                         [] -> [], but its type is {ty}"
                    ),
                });
            }
        }
        Some(_) => return Err(refused("its `_start` export is not a function".into())),
        None => {
            return Err(refused(
                "it exports no `_start` function: a WASI preview1 reactor (library) has \
                 no entry point, and smelt builds executables that run one"
                    .into(),
            ));
        }
    }
    match export("memory") {
        Some(e) if e.kind == ExternalKind::Memory => {
            if module.memories[e.index as usize].memory64 {
                return Err(refused(
                    "its `memory` export is a 64-bit memory; WASI preview1 needs a 32-bit one"
                        .into(),
                ));
            }
            Ok(())
        }
        _ => Err(refused(
            "it exports no memory named `memory`, which WASI preview1 works in".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The adapter is inside what smelt compiles: the adapted component validates with
    /// exactly smelt's features, so its errors can only come from the user's module.
    #[test]
    fn the_command_adapter_uses_only_supported_features() {
        crate::validate::validate_module("command adapter", COMMAND_ADAPTER)
            .expect("the adapter validates with smelt's features");
    }
}
