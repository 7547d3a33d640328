//! The wrapper component a script's tested components are built in.
//!
//! ```text
//! (component
//!   (component $C0 …tested definition, verbatim…)
//!   ;; per slot k (an instantiation of a tested definition):
//!   (instance $ik (instantiate $Cd))
//!   (alias export $ik "f" (func $f))            ;; each export the slot's directives call
//!   (core module $libc_k …) (core instance $l (instantiate $libc_k))
//!   (core func $f' (canon lower (func $f) (memory $l "mem") (realloc $l "realloc")))
//!   (core module $driver_k …)
//!   (core instance (instantiate $driver_k (with "libc" (instance $l))
//!                                         (with "f" (instance (export "0" (func $f'))…))))
//!   ;; smelt builds components that export `wasi:cli/run`; the script never calls it
//!   (export "wasi:cli/run@0.2.0" (instance (export "run" (func (result (result)) …))))
//! )
//! ```
//!
//! `canon lower` of a function another component lifted is exactly what smelt compiles into
//! a fused adapter, so every directive goes through that path. The wrapper has no imports:
//! the tested components of the scripts have none.

use super::driver::names;
use wasm_encoder::{
    Alias, CanonicalFunctionSection, CanonicalOption, Component, ComponentAliasSection,
    ComponentExportKind, ComponentExportSection, ComponentInstanceSection, ComponentSectionId,
    ComponentTypeSection, ComponentValType, ExportKind, InstanceSection, ModuleArg, RawSection,
};

/// One instantiation of a tested definition, with what its driver calls.
pub struct SlotBuild<'a> {
    /// Index of the tested definition.
    pub def: usize,
    /// Exports to lower: name, whether the lowering needs a memory, and a realloc.
    pub lowered: Vec<(String, bool, bool)>,
    /// libc's binary.
    pub libc: &'a [u8],
    /// The driver's binary.
    pub driver: &'a [u8],
}

/// Index spaces of the wrapper, as items are added.
#[derive(Default)]
struct Spaces {
    components: u32,
    instances: u32,
    funcs: u32,
    modules: u32,
    core_instances: u32,
    core_funcs: u32,
    core_memories: u32,
    types: u32,
}

/// The wrapper around `defs` (tested component binaries) instantiating `slots` in order.
pub fn wrapper(defs: &[&[u8]], slots: &[SlotBuild<'_>]) -> Vec<u8> {
    let mut c = Component::new();
    let mut n = Spaces::default();
    let mut def_index: Vec<Option<u32>> = vec![None; defs.len()];
    let raw = |c: &mut Component, id: ComponentSectionId, data: &[u8]| {
        c.section(&RawSection { id: id as u8, data });
    };
    for slot in slots {
        let component = match def_index[slot.def] {
            Some(i) => i,
            None => {
                raw(&mut c, ComponentSectionId::Component, defs[slot.def]);
                n.components += 1;
                def_index[slot.def] = Some(n.components - 1);
                n.components - 1
            }
        };
        let mut instances = ComponentInstanceSection::new();
        instances.instantiate(component, Vec::<(&str, ComponentExportKind, u32)>::new());
        c.section(&instances);
        let instance = n.instances;
        n.instances += 1;

        let mut aliases = ComponentAliasSection::new();
        for (name, _, _) in &slot.lowered {
            aliases.alias(Alias::InstanceExport {
                instance,
                kind: ComponentExportKind::Func,
                name,
            });
        }
        if !slot.lowered.is_empty() {
            c.section(&aliases);
        }
        let funcs = n.funcs;
        n.funcs += slot.lowered.len() as u32;

        raw(&mut c, ComponentSectionId::CoreModule, slot.libc);
        let libc_module = n.modules;
        n.modules += 1;
        let mut core = InstanceSection::new();
        core.instantiate(libc_module, Vec::<(&str, ModuleArg)>::new());
        c.section(&core);
        let libc = n.core_instances;
        n.core_instances += 1;

        let mut aliases = ComponentAliasSection::new();
        aliases.alias(Alias::CoreInstanceExport {
            instance: libc,
            kind: ExportKind::Memory,
            name: names::MEMORY,
        });
        aliases.alias(Alias::CoreInstanceExport {
            instance: libc,
            kind: ExportKind::Func,
            name: names::REALLOC,
        });
        c.section(&aliases);
        let memory = n.core_memories;
        n.core_memories += 1;
        let realloc = n.core_funcs;
        n.core_funcs += 1;

        let mut canon = CanonicalFunctionSection::new();
        for (i, (_, needs_memory, needs_realloc)) in slot.lowered.iter().enumerate() {
            let mut options = Vec::new();
            if *needs_memory {
                options.push(CanonicalOption::Memory(memory));
            }
            if *needs_realloc {
                options.push(CanonicalOption::Realloc(realloc));
            }
            canon.lower(funcs + i as u32, options);
        }
        if !slot.lowered.is_empty() {
            c.section(&canon);
        }
        let lowered = n.core_funcs;
        n.core_funcs += slot.lowered.len() as u32;

        let mut core = InstanceSection::new();
        let names: Vec<String> = (0..slot.lowered.len()).map(|i| i.to_string()).collect();
        core.export_items(
            names
                .iter()
                .enumerate()
                .map(|(i, name)| (name.as_str(), ExportKind::Func, lowered + i as u32)),
        );
        c.section(&core);
        let funcs_instance = n.core_instances;
        n.core_instances += 1;

        raw(&mut c, ComponentSectionId::CoreModule, slot.driver);
        let driver_module = n.modules;
        n.modules += 1;
        let mut core = InstanceSection::new();
        core.instantiate(
            driver_module,
            [
                (names::LIBC, ModuleArg::Instance(libc)),
                (names::FUNCS, ModuleArg::Instance(funcs_instance)),
            ],
        );
        c.section(&core);
        n.core_instances += 1;
    }
    run_export(&mut c, &mut n);
    c.finish()
}

/// Exports `wasi:cli/run@0.2.0` with a `run` that returns `ok`, which smelt requires of a
/// component it builds (script mode never calls it).
fn run_export(c: &mut Component, n: &mut Spaces) {
    let module = wat::parse_str(r#"(module (func (export "run") (result i32) i32.const 0))"#)
        .expect("a valid module");
    c.section(&RawSection {
        id: ComponentSectionId::CoreModule as u8,
        data: &module,
    });
    let mut core = InstanceSection::new();
    core.instantiate(n.modules, Vec::<(&str, ModuleArg)>::new());
    c.section(&core);
    n.modules += 1;
    let mut aliases = ComponentAliasSection::new();
    aliases.alias(Alias::CoreInstanceExport {
        instance: n.core_instances,
        kind: ExportKind::Func,
        name: "run",
    });
    c.section(&aliases);
    n.core_instances += 1;
    let run_core = n.core_funcs;
    n.core_funcs += 1;

    let mut types = ComponentTypeSection::new();
    types.defined_type().result(None, None);
    types
        .function()
        .params(Vec::<(&str, ComponentValType)>::new())
        .result(Some(ComponentValType::Type(n.types)));
    c.section(&types);
    let func_type = n.types + 1;
    n.types += 2;

    let mut canon = CanonicalFunctionSection::new();
    canon.lift(run_core, func_type, Vec::<CanonicalOption>::new());
    c.section(&canon);
    let run = n.funcs;
    n.funcs += 1;

    let mut instances = ComponentInstanceSection::new();
    instances.export_items([("run", ComponentExportKind::Func, run)]);
    c.section(&instances);
    let mut exports = ComponentExportSection::new();
    exports.export(
        "wasi:cli/run@0.2.0",
        ComponentExportKind::Instance,
        n.instances,
        None,
    );
    c.section(&exports);
    n.instances += 1;
}
