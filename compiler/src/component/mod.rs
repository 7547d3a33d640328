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
//! The root may import instances of the WASI 0.2 interfaces the runtime implements
//! ([`crate::host`]); every other import is named in [`Error::UnresolvedImports`]. The
//! canonical built-ins handled are `canon lift` (all `wasi:cli/run` needs) and `canon lower`
//! of a host function
//! (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md#canonical-definitions>).
//! `canon resource.drop` of a host resource type is the host's drop function. `canon lower`
//! of a function another component lifted is a fused adapter ([`fuse`]); `resource.new`,
//! `resource.rep` and `resource.drop` of a component's own resource types are runtime
//! built-ins. The async built-ins are refused with [`Error::Unsupported`].

pub mod abi;
pub mod fuse;
pub mod inline;
pub mod signature;
pub mod translate;

use crate::error::{Error, Result};
use crate::host;
use crate::program::{EntityRef, Entry, Program};
use inline::{CoreDef, Func, Item, TypeItem};
use std::collections::HashMap;
use std::rc::Rc;
use wasmparser::component_types::{
    ComponentAnyTypeId, ComponentDefinedType, ComponentEntityType, ComponentValType, ResourceId,
};
use wasmparser::{ExternalKind, Parser, Payload};

/// The export a command component runs, without its `0.2.N` patch version.
const RUN_INTERFACE: &str = "wasi:cli/run@0.2.";

/// Whether `bytes` (a binary) is a component rather than a core module.
pub fn is_component(bytes: &[u8]) -> bool {
    Parser::is_component(bytes)
}

/// Builds the program of a component binary named `file`. With `trap_unknown_imports`, the
/// imports the host does not provide are bound to functions that trap naming them instead
/// of being refused.
pub fn program_from_component(
    file: &str,
    bytes: &[u8],
    trap_unknown_imports: bool,
) -> Result<Program> {
    let types = crate::validate::validate_component(file, bytes)?;
    let (imports, resources) = host_imports(file, bytes, &types, trap_unknown_imports)?;
    let translation = translate::translate(file, bytes)?;
    let imports = with_resource_types(imports, &resources);
    let mut program = Program::new();
    let exports =
        inline::Inliner::new(file, bytes, &translation, &mut program).instantiate_root(&imports)?;
    program.entry = run_entry(file, &program, &types, &exports)?;
    Ok(program)
}

/// The host's item for each import, with the type exports of instances (and the resource
/// each is, if one).
type HostItems<'a> = HashMap<&'a str, (Item, TypeExports)>;

/// An instance's type exports, each with the resource it is, if one.
type TypeExports = Vec<(String, Option<ResourceId>)>;

/// The host resource types the root imports: each with its `[resource-drop]` host function,
/// if the host has one.
type HostResources = HashMap<ResourceId, Option<&'static host::HostFunc>>;

/// The host's item for each import of the root component: an instance of a WASI 0.2
/// interface the runtime implements ([`crate::host`]), with a host function for each of
/// its functions; and the resource types those instances export. Every import the host
/// cannot satisfy is named in one [`Error::UnresolvedImports`].
fn host_imports<'a>(
    file: &str,
    bytes: &'a [u8],
    types: &wasmparser::types::Types,
    trap_unknown: bool,
) -> Result<(HostItems<'a>, HostResources)> {
    let mut list = Vec::new();
    let mut mismatches = Vec::new();
    let mut items = HashMap::new();
    let mut resources = HashMap::new();
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(bytes) {
        // Validation already passed, so parsing cannot fail.
        let Ok(payload) = payload else { break };
        match payload {
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => depth += 1,
            Payload::End(_) => depth = depth.saturating_sub(1),
            Payload::ComponentImportSection(r) if depth == 0 => {
                for import in r.into_iter().flatten() {
                    let name = import.name.name;
                    match host_instance(name, types, &mut resources, &mut mismatches, trap_unknown)
                    {
                        Ok(item) => {
                            items.insert(name, item);
                        }
                        Err(missing) => list.extend(missing),
                    }
                }
            }
            _ => {}
        }
    }
    if list.is_empty() {
        if let Some(m) = mismatches.into_iter().next() {
            return Err(Error::IncompatibleImport {
                file: file.into(),
                module: m.import,
                name: m.func,
                message: format!(
                    "the component expects `{}`, smelt's host (wit/) provides `{}`",
                    m.expected, m.provided
                ),
            });
        }
        return Ok((items, resources));
    }
    Err(Error::UnresolvedImports {
        file: file.into(),
        list,
    })
}

/// The handle tag of host resource `r` (from the interface whose `[resource-drop]` drops it),
/// if it is one.
fn host_resource_tag(resources: &HostResources, r: ResourceId) -> Option<u32> {
    let drop = (*resources.get(&r)?)?;
    host::resource_tag(drop.interface, drop.func.strip_prefix("[resource-drop]")?)
}

/// `imports` with each host resource type an instance exports as the type item of that
/// resource (the drop function of the interface that defines it, which the interfaces that
/// re-export it share): the items instances carry before this are placeholders.
fn with_resource_types<'a>(
    imports: HostItems<'a>,
    resources: &HostResources,
) -> HashMap<&'a str, Item> {
    imports
        .into_iter()
        .map(|(name, (item, types))| {
            let Item::Instance(exports) = item else {
                return (name, item);
            };
            let mut exports = (*exports).clone();
            for (export, resource) in types {
                let t = match resource {
                    Some(r) => {
                        let drop = resources.get(&r).copied().flatten();
                        let tag = drop
                            .and_then(|d| {
                                let name = d.func.strip_prefix("[resource-drop]")?;
                                host::resource_tag(d.interface, name)
                            })
                            .unwrap_or(0);
                        TypeItem::HostResource(tag, drop)
                    }
                    None => TypeItem::Other,
                };
                exports.insert(export, Item::Type(t));
            }
            (name, Item::Instance(Rc::new(exports)))
        })
        .collect()
}

/// An imported function whose component type differs from the host function's.
struct Mismatch {
    import: String,
    func: String,
    expected: String,
    provided: &'static str,
}

/// The host's instance for the root's import `name`, or a line for each missing piece. Its
/// resource types go into `resources`; functions whose type differs from the host's (compared
/// structurally, [`signature`]) into `mismatches`. With `trap_unknown`, what the host lacks is
/// bound to [`host::unknown`] functions that trap when called.
fn host_instance(
    name: &str,
    types: &wasmparser::types::Types,
    resources: &mut HostResources,
    mismatches: &mut Vec<Mismatch>,
    trap_unknown: bool,
) -> Result<(Item, TypeExports), Vec<String>> {
    let kind = |ty: &ComponentEntityType| match ty {
        ComponentEntityType::Module(_) => "core module",
        ComponentEntityType::Func(_) => "function",
        ComponentEntityType::Value(_) => "value",
        ComponentEntityType::Type { .. } => "type",
        ComponentEntityType::Instance(_) => "instance",
        ComponentEntityType::Component(_) => "component",
    };
    let Some(item) = types.component_item_for_import(name) else {
        return Err(vec![format!("{name}: internal error, no type")]);
    };
    let interface = host::interface(name).filter(|i| host::implemented(i));
    match (item.ty, interface) {
        (ComponentEntityType::Instance(_), Some(_)) => {}
        (ComponentEntityType::Instance(_) | ComponentEntityType::Func(_), None) if trap_unknown => {
        }
        (ComponentEntityType::Instance(_), None) if host::interface(name).is_some() => {
            return Err(vec![format!(
                "{name} (instance): smelt's host does not implement `{}` yet",
                host::interface(name).unwrap_or(name)
            )]);
        }
        (ty, _) => {
            return Err(vec![format!(
                "{name} ({}): not provided by smelt's host",
                kind(&ty)
            )]);
        }
    }
    if let ComponentEntityType::Func(_) = item.ty {
        return Ok((Item::Func(Func::Host(host::unknown(name, ""))), Vec::new()));
    }
    let ComponentEntityType::Instance(instance) = item.ty else {
        unreachable!("checked above")
    };
    let mut exports = inline::Exports::new();
    let mut type_exports = Vec::new();
    let mut missing = Vec::new();
    for (export, item) in &types[instance].exports {
        let found = |func: &str| match interface {
            Some(i) => host::lookup(i, func),
            None => None,
        };
        match item.ty {
            ComponentEntityType::Type { referenced, .. } => {
                if let ComponentAnyTypeId::Resource(r) = referenced {
                    let func = format!("[resource-drop]{export}");
                    let drop = found(&func).or_else(|| {
                        (trap_unknown && interface.is_none()).then(|| host::unknown(name, &func))
                    });
                    // Another interface may re-export the resource (`wasi:cli/stdout`'s
                    // `output-stream` is `wasi:io/streams`'); the defining one drops it.
                    let known = resources.entry(r.resource()).or_insert(None);
                    *known = known.or(drop);
                    type_exports.push((export.clone(), Some(r.resource())));
                } else {
                    type_exports.push((export.clone(), None));
                }
            }
            ComponentEntityType::Func(ty) => match found(export) {
                Some(func) => {
                    let tag = |r: ResourceId| host_resource_tag(resources, r);
                    if let Some(expected) = signature::render(types, ty, &tag)
                        && expected != func.signature
                    {
                        mismatches.push(Mismatch {
                            import: name.into(),
                            func: export.clone(),
                            expected,
                            provided: func.signature,
                        });
                    }
                    exports.insert(export.clone(), Item::Func(Func::Host(func)));
                }
                None if trap_unknown => {
                    exports.insert(
                        export.clone(),
                        Item::Func(Func::Host(host::unknown(name, export))),
                    );
                }
                None => missing.push(format!(
                    "{name}#{export} (function): not implemented by smelt's host"
                )),
            },
            ref other => missing.push(format!(
                "{name}#{export} ({}): not provided by smelt's host",
                kind(other)
            )),
        }
    }
    if missing.is_empty() {
        Ok((Item::Instance(Rc::new(exports)), type_exports))
    } else {
        Err(missing)
    }
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
    let Some(Item::Func(Func::Lifted(lifted))) = run.get("run") else {
        return Err(unsupported(format!("`{name}` without a `run` function")));
    };
    if !is_run_type(types, name) {
        return Err(unsupported(format!(
            "`{name}#run` whose type is not `func() -> result`"
        )));
    }
    let resolve = |def: &CoreDef| -> Result<EntityRef> {
        match def {
            CoreDef::Export { instance, name } => match program.export(*instance, name) {
                Some((ExternalKind::Func, e)) => Ok(e),
                _ => Err(Error::Internal(format!(
                    "lifted core function `{name}` is not a function export"
                ))),
            },
            CoreDef::Host(host) => Err(unsupported(format!(
                "`{name}#run` lifted from the host function `{}#{}`",
                host.func.interface, host.func.func
            ))),
            CoreDef::Resource(_) => Err(unsupported(format!(
                "`{name}#run` lifted from a resource built-in"
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
