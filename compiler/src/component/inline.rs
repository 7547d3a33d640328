//! Inlining: component instantiation interpreted at compile time into flat core instances.
//!
//! Instantiating a component is like calling a function: the instantiation arguments are
//! the actual parameters, the component's imports are the formal parameters, its
//! initializers ([`super::translate::Init`]) are the body, and its exports are the return
//! value. Because everything is known at compile time, smelt *inlines* every such call: it
//! runs the body with the arguments bound in a fresh [`Frame`] (the callee's index spaces),
//! and the only side effects left are core module instantiations, appended to the
//! [`Program`] in the order the component model performs them. A nested `instantiate` is a
//! nested call; an outer alias reads a variable of an enclosing scope, captured when the
//! nested component was defined (a closure). See the explainer's "Instance definitions" and
//! "Alias definitions":
//! <https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md#instance-definitions>.
//!
//! Invariant: every core memory, table and global of every frame is a [`CoreDef::Export`]
//! of a core instance already in the [`Program`]; a core function is such an export, or a
//! [`CoreDef::Host`] made by `canon lower` of a host function (the root component's imports,
//! see [`super::host_imports`]) or by `canon resource.drop` of a host resource. A core instance built `from exports` is therefore only a
//! name map over such definitions, and is never a `Program` instance.

use super::abi::{self, Ty};
use super::fuse;
use super::translate::{Init, StaticComponentIndex, StaticModuleIndex, Translation, TypeDef};
use crate::error::{Error, Result};
use crate::host::HostFunc;
use crate::program::{
    Binding, EntityRef, HostBinding, InstanceId, Lowering, ModuleId, Program, ResourceFunc,
    ResourceOp,
};
use std::collections::HashMap;
use std::rc::Rc;
use wasmparser::{ComponentExternalKind, ComponentOuterAliasKind, ExternalKind};

/// A core entity: an export of a core instance of the [`Program`], or a lowered host
/// function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoreDef {
    /// An export of a core instance.
    Export {
        /// The exporting instance.
        instance: InstanceId,
        /// The export's name.
        name: String,
    },
    /// `canon lower` of a host function.
    Host(HostBinding),
    /// `canon resource.new/rep/drop` of a resource type a component defines.
    Resource(ResourceFunc),
}

/// A core instance of a component: a real instance, or a bundle of exports of others.
#[derive(Clone, Debug)]
enum CoreInstance {
    Real(InstanceId),
    Exports(Rc<HashMap<String, CoreDef>>),
}

impl CoreInstance {
    fn export(&self, name: &str) -> Option<CoreDef> {
        match self {
            CoreInstance::Real(instance) => Some(CoreDef::Export {
                instance: *instance,
                name: name.to_string(),
            }),
            CoreInstance::Exports(map) => map.get(name).cloned(),
        }
    }
}

/// A component function lifted from a core function with its canonical options
/// (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#canon-lift>).
#[derive(Debug)]
pub struct Lifted {
    /// The core function.
    pub func: CoreDef,
    /// `(memory ...)`.
    pub memory: Option<CoreDef>,
    /// `(realloc ...)`.
    pub realloc: Option<CoreDef>,
    /// `(post-return ...)`.
    pub post_return: Option<CoreDef>,
    /// `string-encoding=`.
    pub string_encoding: u32,
    /// The component instance that lifted it.
    pub component: u32,
    /// The function's parameter and result types, or why smelt cannot adapt calls to it.
    pub sig: std::result::Result<(Vec<Ty>, Option<Ty>), String>,
}

/// A component function.
#[derive(Clone, Debug)]
pub enum Func {
    /// Lifted from a core function of the program.
    Lifted(Rc<Lifted>),
    /// Imported from the host.
    Host(&'static HostFunc),
}

/// A component, closed over the scope it was defined in (for outer aliases).
#[derive(Clone, Debug)]
pub struct ComponentDef {
    index: StaticComponentIndex,
    scope: Option<Rc<Scope>>,
}

/// What outer aliases can see of an enclosing component: its modules and components as they
/// were when the nested component was defined (an outer alias only refers to earlier items).
#[derive(Debug)]
struct Scope {
    modules: Vec<StaticModuleIndex>,
    components: Vec<ComponentDef>,
    types: Vec<TypeItem>,
    parent: Option<Rc<Scope>>,
}

/// What a type of a component's type space is, as far as flattening cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeItem {
    /// A resource type of the host (a WASI resource): its handle tag (0 for a resource of an
    /// interface smelt does not implement) and the host function that drops it, if any.
    HostResource(u32, Option<&'static HostFunc>),
    /// A resource type defined by a component instance: its program-wide number.
    GuestResource(u32),
    /// Any other type.
    Other,
}

/// A component-level item.
#[derive(Clone, Debug)]
pub enum Item {
    /// A core module.
    Module(StaticModuleIndex),
    /// A component.
    Component(ComponentDef),
    /// A component instance: its exports.
    Instance(Rc<Exports>),
    /// A component function.
    Func(Func),
    /// A type.
    Type(TypeItem),
}

/// The exports of a component instance, by name.
pub type Exports = HashMap<String, Item>;

/// The index spaces of one component instantiation in progress.
#[derive(Default)]
struct Frame {
    scope: Option<Rc<Scope>>,
    /// This component instance's number (its handle table).
    component: u32,
    core_funcs: Vec<CoreDef>,
    core_tables: Vec<CoreDef>,
    core_memories: Vec<CoreDef>,
    core_globals: Vec<CoreDef>,
    core_instances: Vec<CoreInstance>,
    modules: Vec<StaticModuleIndex>,
    components: Vec<ComponentDef>,
    instances: Vec<Rc<Exports>>,
    funcs: Vec<Func>,
    types: Vec<TypeItem>,
    exports: Exports,
}

/// Runs instantiations, appending core instances to a [`Program`].
pub struct Inliner<'a, 'p> {
    file: &'a str,
    bytes: &'a [u8],
    translation: &'a Translation<'a>,
    program: &'p mut Program,
    /// Core modules already added to the program.
    module_ids: HashMap<StaticModuleIndex, ModuleId>,
    /// The destructor of each resource type defined by a component instance so far, by
    /// number ([`TypeItem::GuestResource`]).
    guest_dtors: Vec<Option<EntityRef>>,
    /// The component instance that defines each of those types.
    guest_owners: Vec<u32>,
}

impl<'a, 'p> Inliner<'a, 'p> {
    /// An inliner for `translation` (of `bytes`, named `file` in messages).
    pub fn new(
        file: &'a str,
        bytes: &'a [u8],
        translation: &'a Translation<'a>,
        program: &'p mut Program,
    ) -> Self {
        Inliner {
            file,
            bytes,
            translation,
            program,
            module_ids: HashMap::new(),
            guest_dtors: Vec::new(),
            guest_owners: Vec::new(),
        }
    }

    /// Instantiates the root component with `imports` (the host's items, by import name)
    /// and returns its exports.
    pub fn instantiate_root(&mut self, imports: &HashMap<&str, Item>) -> Result<Exports> {
        let root = ComponentDef {
            index: self.translation.root(),
            scope: None,
        };
        self.instantiate(&root, imports)
    }

    fn unsupported(&self, what: impl Into<String>) -> Error {
        Error::Unsupported {
            file: self.file.into(),
            what: what.into(),
            func_index: None,
        }
    }

    /// Inlines one instantiation of `def` with `args` bound to its imports.
    fn instantiate(&mut self, def: &ComponentDef, args: &HashMap<&str, Item>) -> Result<Exports> {
        let translation = self.translation;
        let mut f = Frame {
            scope: def.scope.clone(),
            component: self.program.component_instances,
            ..Frame::default()
        };
        self.program.component_instances += 1;
        for init in &translation.components[def.index].inits {
            match init {
                Init::Import { name, kind } => {
                    let item = args.get(name).cloned().ok_or_else(|| {
                        Error::Internal(format!("validated instantiation lacks argument `{name}`"))
                    })?;
                    self.push(&mut f, *kind, item)?;
                }
                Init::Module(m) => f.modules.push(*m),
                Init::Type(TypeDef::Other) => f.types.push(TypeItem::Other),
                Init::Type(TypeDef::Resource { dtor }) => {
                    let dtor = match dtor {
                        Some(d) => Some(self.entity(&f.core_funcs[*d as usize], "destructor")?),
                        None => None,
                    };
                    f.types
                        .push(TypeItem::GuestResource(self.guest_dtors.len() as u32));
                    self.guest_dtors.push(dtor);
                    self.guest_owners.push(f.component);
                }
                Init::ResourceNew { ty } => {
                    let func = self.resource_func(&f, *ty, ResourceOp::New)?;
                    f.core_funcs.push(CoreDef::Resource(func));
                }
                Init::ResourceRep { ty } => {
                    let func = self.resource_func(&f, *ty, ResourceOp::Rep)?;
                    f.core_funcs.push(CoreDef::Resource(func));
                }
                Init::Component(c) => {
                    let scope = Scope {
                        modules: f.modules.clone(),
                        components: f.components.clone(),
                        types: f.types.clone(),
                        parent: f.scope.clone(),
                    };
                    f.components.push(ComponentDef {
                        index: *c,
                        scope: Some(Rc::new(scope)),
                    });
                }
                Init::CoreInstantiate { module, args } => {
                    let id = self.core_instantiate(&f, f.modules[*module as usize], args)?;
                    f.core_instances.push(CoreInstance::Real(id));
                }
                Init::CoreFromExports(exports) => {
                    let mut map = HashMap::new();
                    for (name, kind, index) in exports {
                        map.insert(name.to_string(), self.core_def(&f, *kind, *index)?);
                    }
                    f.core_instances.push(CoreInstance::Exports(Rc::new(map)));
                }
                Init::CoreAlias {
                    kind,
                    instance,
                    name,
                } => {
                    let def = f.core_instances[*instance as usize]
                        .export(name)
                        .ok_or_else(|| {
                            Error::Internal(format!("validated core alias of `{name}` is missing"))
                        })?;
                    self.push_core(&mut f, *kind, def)?;
                }
                Init::Instantiate { component, args } => {
                    let def = f.components[*component as usize].clone();
                    let mut bound = HashMap::new();
                    for (name, kind, index) in args {
                        bound.insert(*name, self.item(&f, *kind, *index)?);
                    }
                    let exports = self.instantiate(&def, &bound)?;
                    f.instances.push(Rc::new(exports));
                }
                Init::FromExports(exports) => {
                    let mut map = HashMap::new();
                    for (name, kind, index) in exports {
                        map.insert(name.to_string(), self.item(&f, *kind, *index)?);
                    }
                    f.instances.push(Rc::new(map));
                }
                Init::Alias {
                    kind,
                    instance,
                    name,
                } => {
                    let item = f.instances[*instance as usize]
                        .get(*name)
                        .cloned()
                        .ok_or_else(|| {
                            Error::Internal(format!("validated alias of `{name}` is missing"))
                        })?;
                    self.push(&mut f, *kind, item)?;
                }
                Init::OuterAlias { kind, count, index } => {
                    let i = *index as usize;
                    let (modules, components, types) = if *count == 0 {
                        (&f.modules, &f.components, &f.types)
                    } else {
                        let mut scope = f.scope.as_ref();
                        for _ in 1..*count {
                            scope = scope.and_then(|s| s.parent.as_ref());
                        }
                        let s = scope.ok_or_else(|| {
                            Error::Internal("validated outer alias leaves the root".into())
                        })?;
                        (&s.modules, &s.components, &s.types)
                    };
                    match kind {
                        ComponentOuterAliasKind::CoreModule => {
                            let m = modules[i];
                            f.modules.push(m);
                        }
                        ComponentOuterAliasKind::Type => {
                            let t = types[i].clone();
                            f.types.push(t);
                        }
                        _ => {
                            let c = components[i].clone();
                            f.components.push(c);
                        }
                    }
                }
                Init::Lift { core_func, options } => {
                    let core =
                        |i: Option<u32>, space: &Vec<CoreDef>| i.map(|i| space[i as usize].clone());
                    let sig = self.func_sig(def.index, &f, f.funcs.len() as u32);
                    f.funcs.push(Func::Lifted(Rc::new(Lifted {
                        func: f.core_funcs[*core_func as usize].clone(),
                        memory: core(options.memory, &f.core_memories),
                        realloc: core(options.realloc, &f.core_funcs),
                        post_return: core(options.post_return, &f.core_funcs),
                        string_encoding: options.string_encoding,
                        component: f.component,
                        sig,
                    })));
                }
                Init::Lower { func, options } => {
                    let host = match &f.funcs[*func as usize] {
                        Func::Host(host) => *host,
                        Func::Lifted(lifted) => {
                            let lifted = lifted.clone();
                            let adapter = self.fuse(&f, &lifted, options)?;
                            f.core_funcs.push(adapter);
                            continue;
                        }
                    };
                    let memory = match options.memory {
                        None => None,
                        Some(m) => Some(self.entity(&f.core_memories[m as usize], "memory")?),
                    };
                    let realloc = match options.realloc {
                        None => None,
                        Some(r) => Some(self.entity(&f.core_funcs[r as usize], "realloc")?),
                    };
                    let lowering = self.program.lowering(Lowering {
                        memory,
                        realloc,
                        string_encoding: options.string_encoding,
                        component: f.component,
                    });
                    f.core_funcs.push(CoreDef::Host(HostBinding {
                        func: host,
                        lowering,
                    }));
                }
                Init::ResourceDrop { ty } => {
                    let host = match &f.types[*ty as usize] {
                        TypeItem::HostResource(_, Some(drop)) => *drop,
                        TypeItem::HostResource(_, None) => {
                            return Err(self.unsupported(
                                "`canon resource.drop` of a host resource the host cannot drop",
                            ));
                        }
                        TypeItem::GuestResource(_) => {
                            let func = self.resource_func(&f, *ty, ResourceOp::Drop)?;
                            f.core_funcs.push(CoreDef::Resource(func));
                            continue;
                        }
                        TypeItem::Other => {
                            return Err(Error::Internal(
                                "validated `canon resource.drop` of a non-resource type".into(),
                            ));
                        }
                    };
                    let lowering = self.program.lowering(Lowering {
                        memory: None,
                        realloc: None,
                        string_encoding: 0,
                        component: f.component,
                    });
                    f.core_funcs.push(CoreDef::Host(HostBinding {
                        func: host,
                        lowering,
                    }));
                }
                Init::Export { name, kind, index } => {
                    let item = self.item(&f, *kind, *index)?;
                    f.exports.insert(name.to_string(), item.clone());
                    self.push(&mut f, *kind, item)?;
                }
                Init::Unsupported(what) => return Err(self.unsupported(what.clone())),
            }
        }
        Ok(f.exports)
    }

    /// Instantiates a core module, binding each import `module::name` to export `name` of
    /// the core instance passed as `module`.
    fn core_instantiate(
        &mut self,
        f: &Frame,
        module: StaticModuleIndex,
        args: &[(&str, u32)],
    ) -> Result<InstanceId> {
        let id = match self.module_ids.get(&module) {
            Some(id) => *id,
            None => {
                let bytes = self.bytes[self.translation.modules[module].clone()].to_vec();
                let name = format!("{} (core module {module})", self.file);
                // Validated with the component (`validate_component`).
                let id = self.program.add_validated_module(&name, bytes)?;
                self.module_ids.insert(module, id);
                id
            }
        };
        self.program.instantiate(id, |module, name| {
            let (_, instance) = args.iter().find(|(arg, _)| *arg == module)?;
            Some(match f.core_instances[*instance as usize].export(name)? {
                CoreDef::Export { instance, name } => Binding::Export(instance, name),
                CoreDef::Host(host) => Binding::Host(host),
                CoreDef::Resource(func) => Binding::Resource(func),
            })
        })
    }

    /// The parameter and result types of function `index` of component `component`.
    fn func_sig(
        &self,
        component: StaticComponentIndex,
        f: &Frame,
        index: u32,
    ) -> std::result::Result<(Vec<Ty>, Option<Ty>), String> {
        let types = self.translation.components[component]
            .types
            .as_ref()
            .ok_or("a component without validator types")?;
        let ty = &types[types.component_function_at(index)];
        if ty.async_ {
            return Err("async functions".into());
        }
        // The validator's resource ids of this component, as this instance's resource types.
        let mut resources = HashMap::new();
        for (i, item) in f.types.iter().enumerate() {
            if let wasmparser::component_types::ComponentAnyTypeId::Resource(r) =
                types.component_any_type_at(i as u32)
            {
                let res = match item {
                    TypeItem::HostResource(tag, _) => abi::Resource {
                        tag: *tag,
                        owner: None,
                    },
                    TypeItem::GuestResource(id) => abi::Resource {
                        tag: crate::host::HOST_RESOURCE_TYPES + 1 + id,
                        owner: Some(self.guest_owners[*id as usize]),
                    },
                    TypeItem::Other => continue,
                };
                resources.insert(r.resource(), res);
            }
        }
        let resource = |r| resources.get(&r).copied();
        let params = ty
            .params
            .iter()
            .map(|(_, t)| Ty::from_wasmparser(types, t, &resource))
            .collect::<std::result::Result<_, _>>()?;
        let result = ty
            .result
            .as_ref()
            .map(|t| Ty::from_wasmparser(types, t, &resource))
            .transpose()?;
        Ok((params, result))
    }

    /// A fused adapter (see [`fuse`]) through which this frame's core code calls `lifted`
    /// with the lowering's `options`: a new core instance of a generated module, whose
    /// `adapter` export is the lowered function.
    fn fuse(
        &mut self,
        f: &Frame,
        lifted: &Lifted,
        options: &super::translate::Options,
    ) -> Result<CoreDef> {
        let what = |e: String| {
            self.unsupported(format!(
                "`canon lower` of a function another component lifts, passing {e}"
            ))
        };
        let (params, result) = lifted.sig.clone().map_err(what)?;
        let spec = fuse::Spec {
            params: &params,
            result: result.as_ref(),
            callee: fuse::Side {
                memory: lifted.memory.is_some(),
                realloc: lifted.realloc.is_some(),
                string_encoding: lifted.string_encoding,
            },
            post_return: lifted.post_return.is_some(),
            caller: fuse::Side {
                memory: options.memory.is_some(),
                realloc: options.realloc.is_some(),
                string_encoding: options.string_encoding,
            },
            callee_component: lifted.component,
        };
        let bytes = fuse::adapter_module(&spec).map_err(what)?;
        let name = format!(
            "{} (fused adapter {})",
            self.file,
            self.program.modules.len()
        );
        let id = self.program.add_module(&name, bytes)?;
        // The adapter's runtime built-ins (handle moves, traps, transcoding), bound to the
        // caller's and the callee's component instances.
        let builtin = |op| {
            CoreDef::Resource(ResourceFunc {
                op,
                tag: 0,
                component: f.component,
                other: lifted.component,
                dtor: None,
            })
        };
        let caller_memory = options.memory.map(|m| f.core_memories[m as usize].clone());
        let caller_realloc = options.realloc.map(|r| f.core_funcs[r as usize].clone());
        // The string built-ins: the sending side's memory and encoding, the receiving side's
        // options as a lowering record.
        let caller_side = (&caller_memory, &caller_realloc, options.string_encoding);
        let callee_side = (&lifted.memory, &lifted.realloc, lifted.string_encoding);
        let strings_in = params.iter().any(fuse::has_strings);
        let strings_out = result.as_ref().is_some_and(fuse::has_strings);
        let string_in = strings_in
            .then(|| self.transcode(caller_side, callee_side, lifted.component))
            .transpose()?;
        let string_out = strings_out
            .then(|| self.transcode(callee_side, caller_side, f.component))
            .transpose()?;
        let instance = self.program.instantiate(id, |module, field| {
            use fuse::names::*;
            let def = match (module, field) {
                (CALLEE, FUNC) => Some(lifted.func.clone()),
                (CALLEE, POST_RETURN) => lifted.post_return.clone(),
                (CALLEE, MEMORY) => lifted.memory.clone(),
                (CALLEE, REALLOC) => lifted.realloc.clone(),
                (CALLER, MEMORY) => caller_memory.clone(),
                (CALLER, REALLOC) => caller_realloc.clone(),
                (HANDLES, OWN_IN) => Some(builtin(ResourceOp::OwnIn)),
                (HANDLES, OWN_OUT) => Some(builtin(ResourceOp::OwnOut)),
                (HANDLES, BORROW) => Some(builtin(ResourceOp::Borrow)),
                (HANDLES, BORROW_END) => Some(builtin(ResourceOp::BorrowEnd)),
                (BUILTINS, TRAP) => Some(builtin(ResourceOp::Trap)),
                (BUILTINS, STRING_IN) => string_in.map(builtin),
                (BUILTINS, STRING_OUT) => string_out.map(builtin),
                _ => None,
            }?;
            Some(match def {
                CoreDef::Export { instance, name } => Binding::Export(instance, name),
                CoreDef::Host(host) => Binding::Host(host),
                CoreDef::Resource(func) => Binding::Resource(func),
            })
        })?;
        Ok(CoreDef::Export {
            instance,
            name: fuse::names::ADAPTER.into(),
        })
    }

    /// The string built-in of a fused adapter copying strings from side `from` to side `to`
    /// (each its memory, realloc and string encoding) of component instance `to_component`.
    fn transcode(
        &mut self,
        from: (&Option<CoreDef>, &Option<CoreDef>, u32),
        to: (&Option<CoreDef>, &Option<CoreDef>, u32),
        to_component: u32,
    ) -> Result<ResourceOp> {
        let missing = || self.unsupported("a string without `memory` and `realloc` options");
        let src_memory = self.entity(from.0.as_ref().ok_or_else(missing)?, "memory")?;
        let memory = self.entity(to.0.as_ref().ok_or_else(missing)?, "memory")?;
        let realloc = self.entity(to.1.as_ref().ok_or_else(missing)?, "realloc")?;
        let dst = self.program.lowering(Lowering {
            memory: Some(memory),
            realloc: Some(realloc),
            string_encoding: to.2,
            component: to_component,
        });
        Ok(ResourceOp::Transcode {
            src_memory,
            src_encoding: from.2,
            dst,
        })
    }

    /// The resource built-in `op` on type `ty` (a resource type this component defines).
    fn resource_func(&self, f: &Frame, ty: u32, op: ResourceOp) -> Result<ResourceFunc> {
        let TypeItem::GuestResource(id) = f.types[ty as usize] else {
            return Err(Error::Internal(
                "validated resource built-in on a type that is not a local resource".into(),
            ));
        };
        Ok(ResourceFunc {
            op,
            tag: crate::host::HOST_RESOURCE_TYPES + 1 + id,
            component: f.component,
            other: f.component,
            dtor: self.guest_dtors[id as usize],
        })
    }

    /// The defined memory or function (`what`: `memory`, `realloc`) a canonical option names.
    fn entity(&self, def: &CoreDef, what: &str) -> Result<EntityRef> {
        let kind = if what == "memory" {
            ExternalKind::Memory
        } else {
            ExternalKind::Func
        };
        match def {
            CoreDef::Export { instance, name } => match self.program.export(*instance, name) {
                Some((k, e)) if k == kind => Ok(e),
                _ => Err(Error::Internal(format!(
                    "the {what} option `{name}` is not a {what}"
                ))),
            },
            CoreDef::Host(_) | CoreDef::Resource(_) => Err(self.unsupported(format!(
                "a host function or built-in as the `{what}` option"
            ))),
        }
    }

    /// The core entity `index` of `kind`'s space.
    fn core_def(&self, f: &Frame, kind: ExternalKind, index: u32) -> Result<CoreDef> {
        let space = match kind {
            ExternalKind::Func | ExternalKind::FuncExact => &f.core_funcs,
            ExternalKind::Table => &f.core_tables,
            ExternalKind::Memory => &f.core_memories,
            ExternalKind::Global => &f.core_globals,
            ExternalKind::Tag => return Err(self.unsupported("core tags in a component")),
        };
        Ok(space[index as usize].clone())
    }

    fn push_core(&self, f: &mut Frame, kind: ExternalKind, def: CoreDef) -> Result<()> {
        match kind {
            ExternalKind::Func | ExternalKind::FuncExact => f.core_funcs.push(def),
            ExternalKind::Table => f.core_tables.push(def),
            ExternalKind::Memory => f.core_memories.push(def),
            ExternalKind::Global => f.core_globals.push(def),
            ExternalKind::Tag => return Err(self.unsupported("core tags in a component")),
        }
        Ok(())
    }

    /// The item `index` of `kind`'s space.
    fn item(&self, f: &Frame, kind: ComponentExternalKind, index: u32) -> Result<Item> {
        let i = index as usize;
        Ok(match kind {
            ComponentExternalKind::Module => Item::Module(f.modules[i]),
            ComponentExternalKind::Component => Item::Component(f.components[i].clone()),
            ComponentExternalKind::Instance => Item::Instance(f.instances[i].clone()),
            ComponentExternalKind::Func => Item::Func(f.funcs[i].clone()),
            ComponentExternalKind::Type => Item::Type(f.types[i].clone()),
            ComponentExternalKind::Value => return Err(self.unsupported("component values")),
        })
    }

    /// Appends `item` to `kind`'s space.
    fn push(&self, f: &mut Frame, kind: ComponentExternalKind, item: Item) -> Result<()> {
        match (kind, item) {
            (ComponentExternalKind::Module, Item::Module(m)) => f.modules.push(m),
            (ComponentExternalKind::Component, Item::Component(c)) => f.components.push(c),
            (ComponentExternalKind::Instance, Item::Instance(i)) => f.instances.push(i),
            (ComponentExternalKind::Func, Item::Func(func)) => f.funcs.push(func),
            (ComponentExternalKind::Type, Item::Type(t)) => f.types.push(t),
            (ComponentExternalKind::Value, _) => {
                return Err(self.unsupported("component values"));
            }
            (kind, item) => {
                return Err(Error::Internal(format!(
                    "a validated {kind:?} definition produced {item:?}"
                )));
            }
        }
        Ok(())
    }
}
