//! Translation: a component binary → one list of initializers per (nested) component.
//!
//! A component's sections are a program in definition order: every definition appends one
//! item to one index space (core modules, core instances, core functions/memories/tables/
//! globals, components, component instances, component functions, types). This pass records
//! each definition as an [`Init`] without interpreting it; [`super::inline`] runs them.
//! See the explainer's "Index spaces" and "Instance definitions":
//! <https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md#index-spaces>.
//!
//! On entry the binary has been validated (so indices are in bounds and kinds match). On exit:
//! - [`Translation::components`] holds every component, nested ones before the component
//!   that contains them; the root is the last.
//! - Invariant: every [`Init`] that defines an item appends exactly one item to the index
//!   space of its kind, in section order, so the inliner rebuilds each index space by
//!   pushing. That includes the type space, because resource types are generative: each
//!   instantiation of a component defining a resource makes a new type, and handles are
//!   checked against it. Only that identity is tracked ([`Init::Type`]); type checking is
//!   the validator's job.
//! - Constructs smelt cannot flatten yet become [`Init::Unsupported`], reported when the
//!   inliner reaches them, so that a missing import is named before what uses it.

use crate::error::{Error, Result};
use std::ops::Range;
use wasmparser::{
    CanonicalFunction, CanonicalOption, ComponentAlias, ComponentExternalKind,
    ComponentOuterAliasKind, ComponentTypeRef, ExternalKind, Instance, InstantiationArgKind,
    Parser, Payload,
};

/// Index of a core module in [`Translation::modules`].
pub type StaticModuleIndex = usize;
/// Index of a component in [`Translation::components`].
pub type StaticComponentIndex = usize;

/// Every module and component of a component binary.
#[derive(Debug, Default)]
pub struct Translation<'a> {
    /// Byte ranges of the core modules, in order of appearance.
    pub modules: Vec<Range<usize>>,
    /// The components, each after the components nested in it; the root is last.
    pub components: Vec<Component<'a>>,
}

impl Translation<'_> {
    /// The outermost component.
    pub fn root(&self) -> StaticComponentIndex {
        self.components.len() - 1
    }
}

/// One component's definitions, in order.
#[derive(Default)]
pub struct Component<'a> {
    /// What each definition does.
    pub inits: Vec<Init<'a>>,
    /// The validator's types of this component (its own index spaces): what fused adapters
    /// read function types from.
    pub types: Option<Box<wasmparser::types::Types>>,
}

impl std::fmt::Debug for Component<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Component")
            .field("inits", &self.inits)
            .finish_non_exhaustive()
    }
}

/// One definition of a component (see the module docs for the invariant).
#[derive(Debug)]
pub enum Init<'a> {
    /// `(import "name" (kind ...))`: the item comes from the instantiation argument.
    Import {
        /// The import name.
        name: &'a str,
        /// Its kind.
        kind: ComponentExternalKind,
    },
    /// A type definition.
    Type(TypeDef),
    /// A nested core module.
    Module(StaticModuleIndex),
    /// A nested component.
    Component(StaticComponentIndex),
    /// `(core instance (instantiate $m (with "name" (instance $i))...))`.
    CoreInstantiate {
        /// Index in the core module space.
        module: u32,
        /// Import module name → core instance index.
        args: Vec<(&'a str, u32)>,
    },
    /// `(core instance (export "name" (func $f))...)`.
    CoreFromExports(Vec<(&'a str, ExternalKind, u32)>),
    /// `(alias core export $i "name" (kind))`.
    CoreAlias {
        /// The core entity kind.
        kind: ExternalKind,
        /// Index in the core instance space.
        instance: u32,
        /// The export name.
        name: &'a str,
    },
    /// `(instance (instantiate $c (with "name" (kind $x))...))`.
    Instantiate {
        /// Index in the component space.
        component: u32,
        /// Argument name → item.
        args: Vec<(&'a str, ComponentExternalKind, u32)>,
    },
    /// `(instance (export "name" (kind $x))...)`.
    FromExports(Vec<(&'a str, ComponentExternalKind, u32)>),
    /// `(alias export $i "name" (kind))`.
    Alias {
        /// The item kind.
        kind: ComponentExternalKind,
        /// Index in the component instance space.
        instance: u32,
        /// The export name.
        name: &'a str,
    },
    /// `(alias outer $count $index (kind))` of a module, component or type (core type
    /// aliases are dropped: core types are not tracked).
    OuterAlias {
        /// A core module, a component or a type.
        kind: ComponentOuterAliasKind,
        /// How many components out: 0 is the current one.
        count: u32,
        /// Index in that component's space.
        index: u32,
    },
    /// `(canon lift (core func $f) (options...))`.
    Lift {
        /// Index in the core function space.
        core_func: u32,
        /// The canonical options.
        options: Options,
    },
    /// `(canon lower (func $f) (options...))`: a core function calling component function
    /// `$f` (only host functions are supported).
    Lower {
        /// Index in the component function space.
        func: u32,
        /// The canonical options.
        options: Options,
    },
    /// `(canon resource.drop $t)`: a core function dropping a handle of resource type `$t`.
    ResourceDrop {
        /// Index in the component type space.
        ty: u32,
    },
    /// `(canon resource.new $t)`: a core function making an own handle of the component's
    /// resource type `$t` from a representation.
    ResourceNew {
        /// Index in the component type space.
        ty: u32,
    },
    /// `(canon resource.rep $t)`: a core function returning the representation of a handle
    /// of the component's resource type `$t`.
    ResourceRep {
        /// Index in the component type space.
        ty: u32,
    },
    /// `(export "name" (kind $x))`: also appends the item to its index space.
    Export {
        /// The export name.
        name: &'a str,
        /// The item kind.
        kind: ComponentExternalKind,
        /// Index in the kind's space.
        index: u32,
    },
    /// A definition smelt cannot flatten yet, named for the error message.
    Unsupported(String),
}

/// What a component type definition is, as far as flattening cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeDef {
    /// `(type (resource (rep i32) (dtor $f)?))`: a new resource type per instantiation.
    Resource {
        /// The destructor: index in the core function space.
        dtor: Option<u32>,
    },
    /// Any other type.
    Other,
}

/// Canonical ABI options of a lift, as core indices
/// (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md#canonical-abi>).
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `(memory $m)`: index in the core memory space.
    pub memory: Option<u32>,
    /// `(realloc $f)`: index in the core function space.
    pub realloc: Option<u32>,
    /// `(post-return $f)`: index in the core function space.
    pub post_return: Option<u32>,
    /// `string-encoding=`: a `VMLowering` encoding constant (utf8 by default).
    pub string_encoding: u32,
}

impl Options {
    /// The options of a `canon lift` or `canon lower` (`what`), or why smelt cannot take them.
    fn parse(what: &str, options: &[CanonicalOption]) -> std::result::Result<Options, String> {
        use smelt_contract::layout::VMLowering;
        let mut o = Options::default();
        for option in options {
            match *option {
                CanonicalOption::Memory(m) => o.memory = Some(m),
                CanonicalOption::Realloc(f) => o.realloc = Some(f),
                CanonicalOption::PostReturn(f) => o.post_return = Some(f),
                CanonicalOption::UTF8 => o.string_encoding = VMLowering::UTF8,
                CanonicalOption::UTF16 => o.string_encoding = VMLowering::UTF16,
                CanonicalOption::CompactUTF16 => o.string_encoding = VMLowering::LATIN1_UTF16,
                CanonicalOption::Async | CanonicalOption::Callback(_) => {
                    return Err(format!("`{what}` with the `async` option"));
                }
                CanonicalOption::CoreType(_) | CanonicalOption::Gc => {
                    return Err(format!("`{what}` with the `gc` option"));
                }
            }
        }
        Ok(o)
    }
}

enum Open<'a> {
    /// A component being translated.
    Component(Component<'a>),
    /// A nested core module, whose payloads are skipped.
    Module,
}

/// Translates a validated component binary.
pub fn translate<'a>(file: &str, bytes: &'a [u8]) -> Result<Translation<'a>> {
    let mut t = Translation::default();
    let mut stack: Vec<Open<'a>> = Vec::new();
    let invalid = |offset: usize, message: String| Error::InvalidWasm {
        file: file.into(),
        offset: offset as u64,
        func_index: None,
        message,
    };
    let reader_err = |e: wasmparser::BinaryReaderError| Error::InvalidWasm {
        file: file.into(),
        offset: e.offset(),
        func_index: None,
        message: e.message().to_string(),
    };
    // The validator runs in step with translation so that each component's types are at
    // hand when its end is reached (function bodies were validated before and are skipped).
    let mut validator = wasmparser::Validator::new_with_features(
        crate::validate::SUPPORTED | crate::validate::COMPONENT_FEATURES,
    );
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(reader_err)?;
        let valid = validator.payload(&payload).map_err(reader_err)?;
        if let Payload::Version { .. } = payload
            && stack.is_empty()
        {
            stack.push(Open::Component(Component::default()));
            continue;
        }
        // Skip the payloads of a nested core module up to its end.
        if let Some(Open::Module) = stack.last() {
            if let Payload::End(_) = payload {
                stack.pop();
            }
            continue;
        }
        let Some(Open::Component(c)) = stack.last_mut() else {
            return Err(Error::Internal(
                "component payload outside a component".into(),
            ));
        };
        match payload {
            Payload::ModuleSection {
                unchecked_range, ..
            } => {
                let range = unchecked_range.start as usize..unchecked_range.end as usize;
                if range.end > bytes.len() {
                    return Err(invalid(range.start, "module section out of bounds".into()));
                }
                c.inits.push(Init::Module(t.modules.len()));
                t.modules.push(range);
                stack.push(Open::Module);
            }
            Payload::ComponentSection { .. } => {
                stack.push(Open::Component(Component::default()));
            }
            Payload::End(_) => {
                let Some(Open::Component(mut done)) = stack.pop() else {
                    return Err(Error::Internal("unbalanced component nesting".into()));
                };
                if let wasmparser::ValidPayload::End(types) = valid {
                    done.types = Some(Box::new(types));
                }
                t.components.push(done);
                if let Some(Open::Component(parent)) = stack.last_mut() {
                    parent.inits.push(Init::Component(t.components.len() - 1));
                }
            }
            Payload::ComponentImportSection(r) => {
                for import in r {
                    let import = import.map_err(reader_err)?;
                    let kind = match import.ty {
                        ComponentTypeRef::Module(_) => ComponentExternalKind::Module,
                        ComponentTypeRef::Func(_) => ComponentExternalKind::Func,
                        ComponentTypeRef::Value(_) => ComponentExternalKind::Value,
                        ComponentTypeRef::Type(_) => ComponentExternalKind::Type,
                        ComponentTypeRef::Instance(_) => ComponentExternalKind::Instance,
                        ComponentTypeRef::Component(_) => ComponentExternalKind::Component,
                    };
                    c.inits.push(Init::Import {
                        name: import.name.name,
                        kind,
                    });
                }
            }
            Payload::InstanceSection(r) => {
                for instance in r {
                    c.inits.push(match instance.map_err(reader_err)? {
                        Instance::Instantiate { module_index, args } => Init::CoreInstantiate {
                            module: module_index,
                            args: args
                                .iter()
                                .map(|a| match a.kind {
                                    InstantiationArgKind::Instance => (a.name, a.index),
                                })
                                .collect(),
                        },
                        Instance::FromExports(exports) => Init::CoreFromExports(
                            exports.iter().map(|e| (e.name, e.kind, e.index)).collect(),
                        ),
                    });
                }
            }
            Payload::ComponentInstanceSection(r) => {
                for instance in r {
                    c.inits.push(match instance.map_err(reader_err)? {
                        wasmparser::ComponentInstance::Instantiate {
                            component_index,
                            args,
                        } => Init::Instantiate {
                            component: component_index,
                            args: args.iter().map(|a| (a.name, a.kind, a.index)).collect(),
                        },
                        wasmparser::ComponentInstance::FromExports(exports) => Init::FromExports(
                            exports
                                .iter()
                                .map(|e| (e.name.name, e.kind, e.index))
                                .collect(),
                        ),
                    });
                }
            }
            Payload::ComponentAliasSection(r) => {
                for alias in r {
                    match alias.map_err(reader_err)? {
                        ComponentAlias::CoreInstanceExport {
                            kind,
                            instance_index,
                            name,
                        } => c.inits.push(Init::CoreAlias {
                            kind,
                            instance: instance_index,
                            name,
                        }),
                        ComponentAlias::InstanceExport {
                            kind,
                            instance_index,
                            name,
                        } => c.inits.push(Init::Alias {
                            kind,
                            instance: instance_index,
                            name,
                        }),
                        ComponentAlias::Outer { kind, count, index } => match kind {
                            ComponentOuterAliasKind::CoreModule
                            | ComponentOuterAliasKind::Component
                            | ComponentOuterAliasKind::Type => {
                                c.inits.push(Init::OuterAlias { kind, count, index })
                            }
                            ComponentOuterAliasKind::CoreType => {}
                        },
                    }
                }
            }
            Payload::ComponentCanonicalSection(r) => {
                for canon in r {
                    c.inits.push(canonical(canon.map_err(reader_err)?));
                }
            }
            Payload::ComponentExportSection(r) => {
                for export in r {
                    let export = export.map_err(reader_err)?;
                    c.inits.push(Init::Export {
                        name: export.name.name,
                        kind: export.kind,
                        index: export.index,
                    });
                }
            }
            Payload::ComponentStartSection { .. } => c
                .inits
                .push(Init::Unsupported("a component start function".into())),
            Payload::ComponentTypeSection(r) => {
                for ty in r {
                    c.inits.push(Init::Type(match ty.map_err(reader_err)? {
                        wasmparser::ComponentType::Resource { dtor, .. } => {
                            TypeDef::Resource { dtor }
                        }
                        _ => TypeDef::Other,
                    }));
                }
            }
            // Core types are not tracked (see the module docs). Custom sections carry nothing
            // smelt needs here.
            Payload::Version { .. } | Payload::CoreTypeSection(_) | Payload::CustomSection(_) => {}
            other => {
                return Err(Error::Internal(format!(
                    "unexpected payload in a component: {other:?}"
                )));
            }
        }
    }
    if !stack.is_empty() || t.components.is_empty() {
        return Err(invalid(
            bytes.len(),
            "unexpected end of the component".into(),
        ));
    }
    Ok(t)
}

/// One `canon` definition: `lift`, `lower`, `resource.drop`, or the name of a built-in
/// smelt does not flatten yet.
fn canonical<'a>(canon: CanonicalFunction) -> Init<'a> {
    let what = match canon {
        CanonicalFunction::Lift {
            core_func_index,
            options,
            ..
        } => {
            let o = match Options::parse("canon lift", &options) {
                Ok(o) => o,
                Err(what) => return Init::Unsupported(what),
            };
            return Init::Lift {
                core_func: core_func_index,
                options: o,
            };
        }
        CanonicalFunction::Lower {
            func_index,
            options,
        } => {
            let o = match Options::parse("canon lower", &options) {
                Ok(o) => o,
                Err(what) => return Init::Unsupported(what),
            };
            return Init::Lower {
                func: func_index,
                options: o,
            };
        }
        CanonicalFunction::ResourceNew { resource } => {
            return Init::ResourceNew { ty: resource };
        }
        CanonicalFunction::ResourceDrop { resource } => {
            return Init::ResourceDrop { ty: resource };
        }
        CanonicalFunction::ResourceRep { resource } => {
            return Init::ResourceRep { ty: resource };
        }
        other => {
            // wasmparser has no text names for built-ins: derive one from the variant.
            let debug = format!("{other:?}");
            let variant = debug
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("?");
            format!("canon built-in `{}`", kebab(variant))
        }
    };
    Init::Unsupported(what)
}

/// `TaskReturn` → `task.return`: the text-format spelling of a canon built-in's variant name
/// (the first word is the namespace, as in `resource.drop` or `thread.spawn-ref`).
fn kebab(variant: &str) -> String {
    let mut out = String::new();
    let mut words = 0;
    for (i, ch) in variant.char_indices() {
        if ch.is_uppercase() && i > 0 {
            words += 1;
            out.push(if words == 1 { '.' } else { '-' });
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}
