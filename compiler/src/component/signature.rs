//! A component function type in smelt's structural form, to check an import against the
//! host function that will implement it.
//!
//! The form is hostgen's (`smelt_hostgen::Wit::signature`, rendered from `wit/` into
//! [`crate::host::HostFunc::signature`]): `func(T, ...) -> R` with parameter names left out,
//! type names and aliases gone, records, variants, enums and flags spelt with their field and
//! case names in order, and handles as `own<#N>` / `borrow<#N>` with the host resource's tag.
//! Two function types match exactly when their forms are equal, which is how the Component
//! Model matches a host function to an import whose type was written against the same WIT.

use wasmparser::component_types::{
    ComponentDefinedType, ComponentFuncTypeId, ComponentValType, ResourceId,
};
use wasmparser::types::Types;

/// The form of function type `id`, or `None` when one of its handles is of a resource
/// `tag` cannot name (not a host resource): such a function cannot be a host function's
/// anyway and is left to the flat-signature check.
pub fn render(
    types: &Types,
    id: ComponentFuncTypeId,
    tag: &dyn Fn(ResourceId) -> Option<u32>,
) -> Option<String> {
    let func = &types[id];
    let params = func
        .params
        .iter()
        .map(|(_, t)| form(types, t, tag))
        .collect::<Option<Vec<_>>>()?;
    let mut out = format!("func({})", params.join(", "));
    if let Some(r) = &func.result {
        out.push_str(" -> ");
        out.push_str(&form(types, r, tag)?);
    }
    Some(out)
}

fn form(
    types: &Types,
    ty: &ComponentValType,
    tag: &dyn Fn(ResourceId) -> Option<u32>,
) -> Option<String> {
    let id = match ty {
        ComponentValType::Primitive(p) => return Some(p.to_string()),
        ComponentValType::Type(id) => *id,
    };
    let one = |t: &ComponentValType| form(types, t, tag);
    let opt = |t: &Option<ComponentValType>| match t {
        Some(t) => one(t),
        None => Some("_".into()),
    };
    let list = |items: Vec<Option<String>>| {
        Some(items.into_iter().collect::<Option<Vec<_>>>()?.join(", "))
    };
    Some(match &types[id] {
        ComponentDefinedType::Primitive(p) => p.to_string(),
        ComponentDefinedType::Record(r) => format!(
            "record{{{}}}",
            list(
                r.fields
                    .iter()
                    .map(|(n, t)| Some(format!("{n}: {}", one(t)?)))
                    .collect()
            )?
        ),
        ComponentDefinedType::Variant(v) => format!(
            "variant{{{}}}",
            list(
                v.cases
                    .iter()
                    .map(|(n, c)| match &c.ty {
                        Some(t) => Some(format!("{n}({})", one(t)?)),
                        None => Some(n.to_string()),
                    })
                    .collect()
            )?
        ),
        ComponentDefinedType::Enum(cases) => format!("enum{{{}}}", join_names(cases)),
        ComponentDefinedType::Flags(flags) => format!("flags{{{}}}", join_names(flags)),
        ComponentDefinedType::Tuple(t) => {
            format!("tuple<{}>", list(t.types.iter().map(one).collect())?)
        }
        ComponentDefinedType::Option { ty, .. } => format!("option<{}>", one(ty)?),
        ComponentDefinedType::Result { ok, err, .. } => {
            format!("result<{}, {}>", opt(ok)?, opt(err)?)
        }
        ComponentDefinedType::List { element, .. } => format!("list<{}>", one(element)?),
        ComponentDefinedType::FixedLengthList {
            element, length, ..
        } => format!("list<{}, {length}>", one(element)?),
        ComponentDefinedType::Map { key, value, .. } => {
            format!("map<{}, {}>", one(key)?, one(value)?)
        }
        ComponentDefinedType::Own(r) => format!("own<#{}>", tag(r.resource())?),
        ComponentDefinedType::Borrow(r) => format!("borrow<#{}>", tag(r.resource())?),
        ComponentDefinedType::Future { ty, .. } => format!("future<{}>", opt(ty)?),
        ComponentDefinedType::Stream { ty, .. } => format!("stream<{}>", opt(ty)?),
    })
}

fn join_names<'a>(names: impl IntoIterator<Item = &'a wasmparser::names::KebabString>) -> String {
    names
        .into_iter()
        .map(|n| n.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
