//! Components: a component binary flattened at compile time into a [`Program`].
//!
//! ```text
//!  component binary ── validate (component model) ──▶ wasmparser::Types of the root
//!     │  translate   per-component initializer lists       translate.rs
//!     ▼
//!  inline          instantiation run at compile time →   inline.rs
//!                  core instances appended to a Program
//!     ▼
//!  entry           the root's `wasi:cli/run@0.2.x` export → Entry::Run
//! ```
//!
//! This first slice handles components that are closed worlds: the root may import nothing
//! (every import is named in [`Error::UnresolvedImports`]; WASI comes later), and the only
//! canonical built-in is `canon lift`, which is all `wasi:cli/run` needs
//! (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md#canonical-definitions>).
//! `canon lower`, resources and the async built-ins are refused with [`Error::Unsupported`].

pub mod inline;
pub mod translate;

use crate::error::{Error, Result};
use crate::program::{EntityRef, Entry, Program};
use inline::{CoreDef, Item};
use wasmparser::component_types::{ComponentDefinedType, ComponentEntityType, ComponentValType};
use wasmparser::{ExternalKind, Parser, Payload};

/// The export a command component runs, without its `0.2.N` patch version.
const RUN_INTERFACE: &str = "wasi:cli/run@0.2.";

/// Whether `bytes` (a binary) is a component rather than a core module.
pub fn is_component(bytes: &[u8]) -> bool {
    Parser::is_component(bytes)
}

/// Builds the program of a component binary named `file`.
pub fn program_from_component(file: &str, bytes: &[u8]) -> Result<Program> {
    let types = crate::validate::validate_component(file, bytes)?;
    refuse_imports(file, bytes)?;
    let translation = translate::translate(file, bytes)?;
    let mut program = Program::new();
    let exports =
        inline::Inliner::new(file, bytes, &translation, &mut program).instantiate_root()?;
    program.entry = run_entry(file, &program, &types, &exports)?;
    Ok(program)
}

/// Names every import of the root component: nothing can satisfy them yet.
fn refuse_imports(file: &str, bytes: &[u8]) -> Result<()> {
    let mut list = Vec::new();
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(bytes) {
        // Validation already passed, so parsing cannot fail.
        let Ok(payload) = payload else { break };
        match payload {
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => depth += 1,
            Payload::End(_) => depth = depth.saturating_sub(1),
            Payload::ComponentImportSection(r) if depth == 0 => {
                for import in r.into_iter().flatten() {
                    let kind = match import.ty {
                        wasmparser::ComponentTypeRef::Module(_) => "core module",
                        wasmparser::ComponentTypeRef::Func(_) => "function",
                        wasmparser::ComponentTypeRef::Value(_) => "value",
                        wasmparser::ComponentTypeRef::Type(_) => "type",
                        wasmparser::ComponentTypeRef::Instance(_) => "instance",
                        wasmparser::ComponentTypeRef::Component(_) => "component",
                    };
                    list.push(format!(
                        "{} ({kind}): host imports are not supported yet",
                        import.name.name
                    ));
                }
            }
            _ => {}
        }
    }
    if list.is_empty() {
        return Ok(());
    }
    Err(Error::UnresolvedImports {
        file: file.into(),
        list,
    })
}

/// The entry point: the `run` function of the root's `wasi:cli/run@0.2.x` export, which
/// must have type `func() -> result` (core `() -> i32`).
fn run_entry(
    file: &str,
    program: &Program,
    types: &wasmparser::types::Types,
    exports: &inline::Exports,
) -> Result<Entry> {
    let unsupported = |what: String| Error::Unsupported {
        file: file.into(),
        what,
        func_index: None,
    };
    let Some((name, Item::Instance(run))) = exports
        .iter()
        .find(|(name, item)| name.starts_with(RUN_INTERFACE) && matches!(item, Item::Instance(_)))
    else {
        return Err(unsupported(
            "a component without a `wasi:cli/run@0.2` export (nothing to run)".into(),
        ));
    };
    let Some(Item::Func(lifted)) = run.get("run") else {
        return Err(unsupported(format!("`{name}` without a `run` function")));
    };
    if !is_run_type(types, name) {
        return Err(unsupported(format!(
            "`{name}#run` whose type is not `func() -> result`"
        )));
    }
    let resolve = |def: &CoreDef| -> Result<EntityRef> {
        match program.export(def.instance, &def.name) {
            Some((ExternalKind::Func, e)) => Ok(e),
            _ => Err(Error::Internal(format!(
                "lifted core function `{}` is not a function export",
                def.name
            ))),
        }
    };
    Ok(Entry::Run {
        func: resolve(&lifted.func)?,
        post_return: lifted.post_return.as_ref().map(resolve).transpose()?,
    })
}

/// Whether the root's export `name` is an instance whose `run` is `func() -> result`.
fn is_run_type(types: &wasmparser::types::Types, name: &str) -> bool {
    let Some(item) = types.component_item_for_export(name) else {
        return false;
    };
    let ComponentEntityType::Instance(instance) = item.ty else {
        return false;
    };
    let Some(run) = types[instance].exports.get("run") else {
        return false;
    };
    let ComponentEntityType::Func(func) = run.ty else {
        return false;
    };
    let func = &types[func];
    func.params.is_empty()
        && !func.async_
        && matches!(func.result, Some(ComponentValType::Type(t))
            if matches!(types[t], ComponentDefinedType::Result { ok: None, err: None, .. }))
}
