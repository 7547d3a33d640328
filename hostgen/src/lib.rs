//! The WASI host as `wit/` defines it, for both halves of smelt.
//!
//! `wit/` (the vendored WASI 0.2 packages and `smelt:host/command`) is the one source of the
//! host's function signatures. This crate reads it with `wit-parser` and produces:
//!
//! - [`Wit::functions`]: every function a `wasi:cli/command` component may import, with the
//!   symbol of its runtime implementation and its *flat core signature* as the Canonical ABI
//!   lowers it (`flatten_functype` for `canon lower`: at most 16 flat parameters, at most one
//!   flat result, otherwise a return pointer; see
//!   <https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#flattening>).
//!   The compiler's build script turns it into the table it binds imports with.
//! - [`rust::bindings`]: runtime-lib's bindings (its build script writes them): Rust types for
//!   every WIT type of the implemented interfaces, with their Canonical ABI layout, and one
//!   exported `extern "C"` function per host function that lifts the flat arguments, calls the
//!   implementation `crate::wasi::<package>::<interface>::<function>` and lowers its result.
//!   A missing or mistyped implementation is a compile error of runtime-lib.
//!
//! Every `@unstable` feature is enabled (`all_features`), so what the vendored WIT declares
//! is what is described. Host resource types are numbered from 1 in world order
//! ([`Wit::resources`]); the number is the type tag of their handles in handle tables.

pub mod rust;

use anyhow::{Context as _, Result, bail};
use std::path::Path;
use wit_parser::abi::{AbiVariant, WasmType};
use wit_parser::{
    Function, FunctionKind, Handle, InterfaceId, Resolve, SizeAlign, Type, TypeDefKind, TypeId,
    WorldId, WorldItem,
};

/// A core wasm value type of a flat signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoreType {
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
}

impl CoreType {
    fn from_wasm(t: WasmType) -> CoreType {
        match t {
            WasmType::I32 | WasmType::Pointer | WasmType::Length => CoreType::I32,
            WasmType::I64 | WasmType::PointerOrI64 => CoreType::I64,
            WasmType::F32 => CoreType::F32,
            WasmType::F64 => CoreType::F64,
        }
    }

    /// The variant's name (`I32`).
    pub fn name(self) -> &'static str {
        match self {
            CoreType::I32 => "I32",
            CoreType::I64 => "I64",
            CoreType::F32 => "F32",
            CoreType::F64 => "F64",
        }
    }
}

/// What a host function does.
#[derive(Clone, Debug)]
pub enum FuncKind {
    /// A function of the interface (free, method, static or constructor).
    Func(Box<Function>),
    /// `canon resource.drop` of the interface's resource type with this id.
    Drop(TypeId),
}

/// One function a component may import from the host.
#[derive(Clone, Debug)]
pub struct HostFunc {
    /// The interface without its version: `wasi:io/streams`.
    pub interface: String,
    /// The name in the component's import: `[method]output-stream.write`, or
    /// `[resource-drop]output-stream` for the drop of a resource.
    pub name: String,
    /// The runtime symbol: `smelt_host_wasi_io_streams_output_stream_write`.
    pub symbol: String,
    /// The Rust name of the implementation in its interface module: `output_stream_write`.
    pub rust_name: String,
    /// Flat core parameters (including a trailing return pointer, if any).
    pub params: Vec<CoreType>,
    /// Flat core results (at most one).
    pub results: Vec<CoreType>,
    /// Whether the last parameter is a return pointer.
    pub retptr: bool,
    /// Whether the parameters are passed in memory (more than 16 flat values).
    pub indirect_params: bool,
    /// The function's component type in the [`Wit::signature`] form (empty for a drop), to
    /// check an import against structurally, not only by its flat signature.
    pub signature: String,
    /// What it is.
    pub kind: FuncKind,
}

/// An interface the world imports.
#[derive(Clone, Debug)]
pub struct Interface {
    /// `wasi:io/streams` (no version).
    pub name: String,
    /// The package's namespace and name: `wasi`, `io`.
    pub namespace: String,
    /// The package name: `io`.
    pub package: String,
    /// The interface's own name: `streams`.
    pub short: String,
    /// Its id in [`Wit::resolve`].
    pub id: InterfaceId,
}

impl Interface {
    /// The Rust module name of the interface in generated code: `io_streams`.
    pub fn rust_module(&self) -> String {
        format!("{}_{}", snake(&self.package), snake(&self.short))
    }

    /// The path of the implementation module under `crate::wasi`: `io::streams`.
    pub fn impl_path(&self) -> String {
        format!("{}::{}", snake(&self.package), snake(&self.short))
    }
}

/// `wit/`, resolved.
pub struct Wit {
    /// Every package.
    pub resolve: Resolve,
    /// `smelt:host/command`.
    pub world: WorldId,
    /// Canonical ABI sizes and alignments.
    pub sizes: SizeAlign,
}

/// The prefix of every host function's symbol.
pub const SYMBOL_PREFIX: &str = "smelt_host_";

impl Wit {
    /// Reads `dir` (smelt's `wit/`, with `deps/`) and selects the world `command`.
    pub fn load(dir: &Path) -> Result<Wit> {
        let mut resolve = Resolve {
            all_features: true,
            ..Resolve::default()
        };
        let (pkg, _) = resolve
            .push_dir(dir)
            .with_context(|| format!("resolving {}", dir.display()))?;
        let world = resolve.select_world(&[pkg], Some("command"))?;
        let mut sizes = SizeAlign::default();
        sizes.fill(&resolve)?;
        Ok(Wit {
            resolve,
            world,
            sizes,
        })
    }

    /// The interfaces the world imports, in world order (dependencies first).
    pub fn interfaces(&self) -> Vec<Interface> {
        let mut out = Vec::new();
        for item in self.resolve.worlds[self.world].imports.values() {
            let WorldItem::Interface { id, .. } = item else {
                continue;
            };
            let iface = &self.resolve.interfaces[*id];
            let Some(pkg) = iface.package else { continue };
            let pkg = &self.resolve.packages[pkg].name;
            let short = iface.name.clone().unwrap_or_default();
            out.push(Interface {
                name: format!("{}:{}/{}", pkg.namespace, pkg.name, short),
                namespace: pkg.namespace.clone(),
                package: pkg.name.clone(),
                short,
                id: *id,
            });
        }
        out
    }

    /// The interface `name` (without version).
    pub fn interface(&self, name: &str) -> Result<Interface> {
        match self.interfaces().into_iter().find(|i| i.name == name) {
            Some(i) => Ok(i),
            None => bail!("the world imports no interface `{name}`"),
        }
    }

    /// Every host resource type: (interface, resource name, type id), numbered from 1 in
    /// world order.
    pub fn resources(&self) -> Vec<(String, String, TypeId)> {
        let mut out = Vec::new();
        for iface in self.interfaces() {
            for (name, &ty) in &self.resolve.interfaces[iface.id].types {
                if matches!(self.resolve.types[ty].kind, TypeDefKind::Resource) {
                    out.push((iface.name.clone(), name.clone(), ty));
                }
            }
        }
        out
    }

    /// The type tag of the host resource type `ty` (from 1), if it is one.
    pub fn resource_tag(&self, ty: TypeId) -> Option<u32> {
        let ty = self.resolve_alias(ty);
        self.resources()
            .iter()
            .position(|(_, _, t)| *t == ty)
            .map(|i| i as u32 + 1)
    }

    /// `ty` with `type a = b` aliases (including `use`) followed.
    pub fn resolve_alias(&self, mut ty: TypeId) -> TypeId {
        while let TypeDefKind::Type(Type::Id(next)) = self.resolve.types[ty].kind {
            ty = next;
        }
        ty
    }

    /// Every function of `iface`, then the drop of each of its resources.
    pub fn functions(&self, iface: &Interface) -> Vec<HostFunc> {
        let prefix = format!(
            "{SYMBOL_PREFIX}{}_{}_",
            snake(&iface.namespace),
            iface.rust_module()
        );
        let i = &self.resolve.interfaces[iface.id];
        let mut out = Vec::new();
        for (name, func) in &i.functions {
            let sig = self.resolve.wasm_signature(AbiVariant::GuestImport, func);
            let rust_name = rust_func_name(func);
            out.push(HostFunc {
                interface: iface.name.clone(),
                name: name.clone(),
                symbol: format!("{prefix}{rust_name}"),
                rust_name,
                params: sig.params.into_iter().map(CoreType::from_wasm).collect(),
                results: sig.results.into_iter().map(CoreType::from_wasm).collect(),
                retptr: sig.retptr,
                indirect_params: sig.indirect_params,
                signature: self.signature(func),
                kind: FuncKind::Func(Box::new(func.clone())),
            });
        }
        for (name, &ty) in &i.types {
            if matches!(self.resolve.types[ty].kind, TypeDefKind::Resource) {
                let rust_name = format!("drop_{}", snake(name));
                out.push(HostFunc {
                    interface: iface.name.clone(),
                    name: format!("[resource-drop]{name}"),
                    symbol: format!("{prefix}{rust_name}"),
                    rust_name,
                    params: vec![CoreType::I32],
                    results: vec![],
                    retptr: false,
                    indirect_params: false,
                    signature: String::new(),
                    kind: FuncKind::Drop(ty),
                });
            }
        }
        out
    }
}

impl Wit {
    /// `func`'s component-level type in smelt's structural form, which the compiler renders
    /// the same way from a component's import type to compare the two:
    /// `func(T, ...) -> R` (no ` -> R` without a result; parameter names left out, as they
    /// do not take part in matching), where a type is a primitive (`u32`, `string`, ...),
    /// `list<T>`, `list<T, N>`, `map<K, V>`, `option<T>`, `result<O, E>` (`_` for an absent
    /// case), `tuple<A, B>`, `record{name: T, ...}`, `variant{name(T), name, ...}`,
    /// `enum{a, b}`, `flags{a, b}`, `own<#N>` / `borrow<#N>` (N: the host resource's tag,
    /// [`Wit::resource_tag`]), `future<T>`, `stream<T>`. Type names and aliases vanish: two
    /// types are the same exactly when their forms are equal.
    pub fn signature(&self, func: &Function) -> String {
        let params: Vec<String> = func.params.iter().map(|p| self.form(&p.ty)).collect();
        let mut out = format!("func({})", params.join(", "));
        if let Some(r) = &func.result {
            out.push_str(" -> ");
            out.push_str(&self.form(r));
        }
        out
    }

    /// One type in the [`Wit::signature`] form.
    fn form(&self, ty: &Type) -> String {
        let id = match ty {
            Type::Bool => return "bool".into(),
            Type::U8 => return "u8".into(),
            Type::U16 => return "u16".into(),
            Type::U32 => return "u32".into(),
            Type::U64 => return "u64".into(),
            Type::S8 => return "s8".into(),
            Type::S16 => return "s16".into(),
            Type::S32 => return "s32".into(),
            Type::S64 => return "s64".into(),
            Type::F32 => return "f32".into(),
            Type::F64 => return "f64".into(),
            Type::Char => return "char".into(),
            Type::String => return "string".into(),
            Type::ErrorContext => return "error-context".into(),
            Type::Id(id) => *id,
        };
        let opt = |t: &Option<Type>| t.as_ref().map_or("_".into(), |t| self.form(t));
        let handle = |kind: &str, r: TypeId| match self.resource_tag(r) {
            Some(tag) => format!("{kind}<#{tag}>"),
            None => format!("{kind}<?>"),
        };
        match &self.resolve.types[id].kind {
            TypeDefKind::Type(t) => self.form(t),
            TypeDefKind::Resource => handle("own", id),
            TypeDefKind::Handle(Handle::Own(r)) => handle("own", *r),
            TypeDefKind::Handle(Handle::Borrow(r)) => handle("borrow", *r),
            TypeDefKind::Record(r) => {
                let fields: Vec<String> = r
                    .fields
                    .iter()
                    .map(|f| format!("{}: {}", f.name, self.form(&f.ty)))
                    .collect();
                format!("record{{{}}}", fields.join(", "))
            }
            TypeDefKind::Variant(v) => {
                let cases: Vec<String> = v
                    .cases
                    .iter()
                    .map(|c| match &c.ty {
                        Some(t) => format!("{}({})", c.name, self.form(t)),
                        None => c.name.clone(),
                    })
                    .collect();
                format!("variant{{{}}}", cases.join(", "))
            }
            TypeDefKind::Enum(e) => {
                let cases: Vec<&str> = e.cases.iter().map(|c| c.name.as_str()).collect();
                format!("enum{{{}}}", cases.join(", "))
            }
            TypeDefKind::Flags(f) => {
                let flags: Vec<&str> = f.flags.iter().map(|f| f.name.as_str()).collect();
                format!("flags{{{}}}", flags.join(", "))
            }
            TypeDefKind::Tuple(t) => {
                let types: Vec<String> = t.types.iter().map(|t| self.form(t)).collect();
                format!("tuple<{}>", types.join(", "))
            }
            TypeDefKind::Option(t) => format!("option<{}>", self.form(t)),
            TypeDefKind::Result(r) => format!("result<{}, {}>", opt(&r.ok), opt(&r.err)),
            TypeDefKind::List(t) => format!("list<{}>", self.form(t)),
            TypeDefKind::FixedLengthList(t, n) => format!("list<{}, {n}>", self.form(t)),
            TypeDefKind::Map(k, v) => format!("map<{}, {}>", self.form(k), self.form(v)),
            TypeDefKind::Future(t) => format!("future<{}>", opt(t)),
            TypeDefKind::Stream(t) => format!("stream<{}>", opt(t)),
            TypeDefKind::Unknown => "?".into(),
        }
    }
}

/// The Rust name of a function: `output_stream_write` for `[method]output-stream.write`,
/// `descriptor_new` for a constructor, `get_stdout` for a free function.
fn rust_func_name(func: &Function) -> String {
    match &func.kind {
        FunctionKind::Constructor(_) => {
            let resource = func.name.trim_start_matches("[constructor]");
            format!("{}_new", snake(resource))
        }
        FunctionKind::Method(_) | FunctionKind::Static(_) => {
            let rest = func
                .name
                .trim_start_matches("[method]")
                .trim_start_matches("[static]");
            snake(&rest.replace('.', "-"))
        }
        _ => snake(&func.name),
    }
}

/// `kebab-name` → `kebab_name`.
pub fn snake(kebab: &str) -> String {
    kebab.replace('-', "_")
}

/// `kebab-name` → `KebabName`.
pub fn camel(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wit() -> Wit {
        Wit::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../wit")).unwrap()
    }

    /// The host function `name` of `interface`.
    fn func(wit: &Wit, interface: &str, name: &str) -> HostFunc {
        let iface = wit.interface(interface).unwrap();
        wit.functions(&iface)
            .into_iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{interface} has no {name}"))
    }

    #[test]
    fn flat_signatures_follow_the_canonical_abi() {
        let wit = wit();
        let write = func(&wit, "wasi:io/streams", "[method]output-stream.write");
        // self, list ptr, list len, return pointer.
        assert_eq!(write.params, vec![CoreType::I32; 4]);
        assert!(write.retptr && write.results.is_empty());
        assert_eq!(
            write.symbol,
            "smelt_host_wasi_io_streams_output_stream_write"
        );
        let drop = func(&wit, "wasi:io/streams", "[resource-drop]input-stream");
        assert_eq!(drop.symbol, "smelt_host_wasi_io_streams_drop_input_stream");
        let now = func(&wit, "wasi:clocks/monotonic-clock", "now");
        assert!(now.params.is_empty() && now.results == vec![CoreType::I64]);
    }

    #[test]
    fn signatures_are_structural() {
        let wit = wit();
        let tag = |iface: &str, name: &str| {
            let (_, _, ty) = wit
                .resources()
                .into_iter()
                .find(|(i, n, _)| i == iface && n == name)
                .unwrap();
            wit.resource_tag(ty).unwrap()
        };
        let out = tag("wasi:io/streams", "output-stream");
        let error = tag("wasi:io/error", "error");
        assert_eq!(
            func(&wit, "wasi:io/streams", "[method]output-stream.write").signature,
            format!(
                "func(borrow<#{out}>, list<u8>) -> result<_, variant{{last-operation-failed(own<#{error}>), closed}}>"
            )
        );
        let stat = func(&wit, "wasi:filesystem/types", "[method]descriptor.stat");
        assert!(
            stat.signature
                .contains("record{type: enum{unknown, block-device,")
                && stat.signature.contains(
                    "data-access-timestamp: option<record{seconds: u64, nanoseconds: u32}>"
                ),
            "{}",
            stat.signature
        );
        let drop = func(&wit, "wasi:io/streams", "[resource-drop]input-stream");
        assert!(drop.signature.is_empty());
    }

    #[test]
    fn resources_are_numbered_in_world_order() {
        let wit = wit();
        let resources = wit.resources();
        assert!(resources.len() > 10);
        let (_, name, ty) = &resources[0];
        assert_eq!(wit.resource_tag(*ty), Some(1), "{name}");
    }
}
