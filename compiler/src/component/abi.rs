//! Component value types as the Canonical ABI sees them, with their memory layout and flat
//! representation
//! (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#despecialization>,
//! "Despecialization", "Alignment", "Element Size", "Flattening").
//!
//! [`Ty`] is despecialized: tuples are records, `option`/`result`/`enum` are variants, so
//! code that moves values handles five shapes of aggregate; `map<K, V>` is
//! `list<tuple<K, V>>` and a fixed-length `list<T, N>` a tuple of N `T`s. Converted from the validator's
//! types of the component that defines the function ([`Ty::from_wasmparser`]).

use wasmparser::component_types::{ComponentDefinedType, ComponentValType, ResourceId};
use wasmparser::{PrimitiveValType, types::Types};

/// A flat core value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flat {
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
}

impl Flat {
    /// The join of two flat types in one variant slot.
    fn join(a: Flat, b: Flat) -> Flat {
        match (a, b) {
            _ if a == b => a,
            (Flat::I32, Flat::F32) | (Flat::F32, Flat::I32) => Flat::I32,
            _ => Flat::I64,
        }
    }
}

/// A despecialized component value type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `bool`
    Bool,
    /// `s8`
    S8,
    /// `u8`
    U8,
    /// `s16`
    S16,
    /// `u16`
    U16,
    /// `s32`
    S32,
    /// `u32`
    U32,
    /// `s64`
    S64,
    /// `u64`
    U64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `char`
    Char,
    /// `string`
    String,
    /// `list<T>`
    List(Box<Ty>),
    /// `record` or `tuple`: the field types.
    Record(Vec<Ty>),
    /// `variant`, `option`, `result`, `enum`: each case's payload.
    Variant(Vec<Option<Ty>>),
    /// `flags` with this many flags.
    Flags(usize),
    /// `own<R>`.
    Own(Resource),
    /// `borrow<R>`.
    Borrow(Resource),
}

/// A resource type as handles name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resource {
    /// The handle tag.
    pub tag: u32,
    /// The component instance that defines it (`None`: the host).
    pub owner: Option<u32>,
}

/// Why a type cannot be converted.
pub type Unsupported = String;

/// The most type nodes a fixed-length list may expand to: adapters copy each element with
/// its own code, so a larger list is refused rather than made into a huge adapter.
const MAX_NODES: u64 = 1 << 16;

impl Ty {
    /// The type `t` of a component whose validator types are `types`; `resource` says which
    /// resource type a validator resource id is in this instance.
    pub fn from_wasmparser(
        types: &Types,
        t: &ComponentValType,
        resource: &dyn Fn(ResourceId) -> Option<Resource>,
    ) -> Result<Ty, Unsupported> {
        let id = match t {
            ComponentValType::Primitive(p) => {
                return Ok(match p {
                    PrimitiveValType::Bool => Ty::Bool,
                    PrimitiveValType::S8 => Ty::S8,
                    PrimitiveValType::U8 => Ty::U8,
                    PrimitiveValType::S16 => Ty::S16,
                    PrimitiveValType::U16 => Ty::U16,
                    PrimitiveValType::S32 => Ty::S32,
                    PrimitiveValType::U32 => Ty::U32,
                    PrimitiveValType::S64 => Ty::S64,
                    PrimitiveValType::U64 => Ty::U64,
                    PrimitiveValType::F32 => Ty::F32,
                    PrimitiveValType::F64 => Ty::F64,
                    PrimitiveValType::Char => Ty::Char,
                    PrimitiveValType::String => Ty::String,
                    PrimitiveValType::ErrorContext => return Err("error-context values".into()),
                });
            }
            ComponentValType::Type(id) => *id,
        };
        let conv = |t: &ComponentValType| Ty::from_wasmparser(types, t, resource);
        let res = |r: ResourceId| {
            resource(r)
                .ok_or_else(|| "a handle of a resource type smelt does not track".to_string())
        };
        let opt = |t: &Option<ComponentValType>| t.as_ref().map(conv).transpose();
        Ok(match &types[id] {
            ComponentDefinedType::Primitive(p) => conv(&ComponentValType::Primitive(*p))?,
            ComponentDefinedType::Record(r) => {
                Ty::Record(r.fields.values().map(conv).collect::<Result<_, _>>()?)
            }
            ComponentDefinedType::Tuple(t) => {
                Ty::Record(t.types.iter().map(conv).collect::<Result<_, _>>()?)
            }
            ComponentDefinedType::Variant(v) => Ty::Variant(
                v.cases
                    .values()
                    .map(|c| opt(&c.ty))
                    .collect::<Result<_, _>>()?,
            ),
            ComponentDefinedType::List { element, .. } => Ty::List(Box::new(conv(element)?)),
            ComponentDefinedType::Flags(names) => Ty::Flags(names.len()),
            ComponentDefinedType::Enum(names) => Ty::Variant(vec![None; names.len()]),
            ComponentDefinedType::Option { ty, .. } => Ty::Variant(vec![None, Some(conv(ty)?)]),
            ComponentDefinedType::Result { ok, err, .. } => Ty::Variant(vec![opt(ok)?, opt(err)?]),
            ComponentDefinedType::Own(r) => Ty::Own(res(r.resource())?),
            ComponentDefinedType::Borrow(r) => Ty::Borrow(res(r.resource())?),
            // `map<K, V>` is `list<tuple<K, V>>` to the Canonical ABI.
            ComponentDefinedType::Map { key, value, .. } => {
                Ty::List(Box::new(Ty::Record(vec![conv(key)?, conv(value)?])))
            }
            // `list<T, N>` is laid out and flattened as a tuple of N `T`s.
            ComponentDefinedType::FixedLengthList {
                element, length, ..
            } => {
                let element = conv(element)?;
                let nodes = u64::from(*length) * element.nodes();
                if nodes > MAX_NODES {
                    return Err(format!(
                        "a fixed-length list of {length} elements this large (at most {MAX_NODES} \
                         values in all)"
                    ));
                }
                Ty::Record(vec![element; *length as usize])
            }
            ComponentDefinedType::Future { .. } | ComponentDefinedType::Stream { .. } => {
                return Err("future and stream values (async)".into());
            }
        })
    }

    /// How many type nodes this type has (what converting a fixed-length list costs).
    fn nodes(&self) -> u64 {
        1 + match self {
            Ty::List(e) => e.nodes(),
            Ty::Record(fields) => fields.iter().map(Ty::nodes).sum(),
            Ty::Variant(cases) => cases.iter().flatten().map(Ty::nodes).sum(),
            _ => 0,
        }
    }

    /// Alignment in memory.
    pub fn align(&self) -> u32 {
        match self {
            Ty::Bool | Ty::S8 | Ty::U8 => 1,
            Ty::S16 | Ty::U16 => 2,
            Ty::S32 | Ty::U32 | Ty::F32 | Ty::Char | Ty::Own(_) | Ty::Borrow(_) => 4,
            Ty::S64 | Ty::U64 | Ty::F64 => 8,
            Ty::String | Ty::List(_) => 4,
            Ty::Record(fields) => fields.iter().map(Ty::align).max().unwrap_or(1),
            Ty::Variant(cases) => discriminant_size(cases.len()).max(max_case_align(cases)),
            Ty::Flags(n) => flags_size(*n).clamp(1, 4),
        }
    }

    /// Size in memory.
    pub fn size(&self) -> u32 {
        match self {
            Ty::Bool | Ty::S8 | Ty::U8 => 1,
            Ty::S16 | Ty::U16 => 2,
            Ty::S32 | Ty::U32 | Ty::F32 | Ty::Char | Ty::Own(_) | Ty::Borrow(_) => 4,
            Ty::S64 | Ty::U64 | Ty::F64 => 8,
            Ty::String | Ty::List(_) => 8,
            Ty::Record(fields) => {
                let mut s = 0;
                for f in fields {
                    s = align_to(s, f.align()) + f.size();
                }
                align_to(s, self.align())
            }
            Ty::Variant(cases) => {
                let payload = cases.iter().flatten().map(Ty::size).max().unwrap_or(0);
                align_to(self.payload_offset() + payload, self.align())
            }
            Ty::Flags(n) => flags_size(*n),
        }
    }

    /// The offset of each field of a record.
    pub fn field_offsets(fields: &[Ty]) -> Vec<u32> {
        let mut s = 0;
        fields
            .iter()
            .map(|f| {
                s = align_to(s, f.align());
                let at = s;
                s += f.size();
                at
            })
            .collect()
    }

    /// The offset of a variant's payload.
    pub fn payload_offset(&self) -> u32 {
        let Ty::Variant(cases) = self else { return 0 };
        align_to(discriminant_size(cases.len()), max_case_align(cases))
    }

    /// The flat types.
    pub fn flat(&self) -> Vec<Flat> {
        match self {
            Ty::Bool
            | Ty::S8
            | Ty::U8
            | Ty::S16
            | Ty::U16
            | Ty::S32
            | Ty::U32
            | Ty::Char
            | Ty::Own(_)
            | Ty::Borrow(_) => vec![Flat::I32],
            Ty::S64 | Ty::U64 => vec![Flat::I64],
            Ty::F32 => vec![Flat::F32],
            Ty::F64 => vec![Flat::F64],
            Ty::String | Ty::List(_) => vec![Flat::I32, Flat::I32],
            Ty::Record(fields) => fields.iter().flat_map(Ty::flat).collect(),
            Ty::Variant(cases) => {
                let mut out: Vec<Flat> = Vec::new();
                for c in cases.iter().flatten() {
                    for (i, f) in c.flat().into_iter().enumerate() {
                        match out.get_mut(i) {
                            Some(slot) => *slot = Flat::join(*slot, f),
                            None => out.push(f),
                        }
                    }
                }
                let mut all = vec![Flat::I32];
                all.extend(out);
                all
            }
            Ty::Flags(n) => vec![Flat::I32; n.div_ceil(32).max(usize::from(*n > 0))],
        }
    }

    /// Whether values of this type are plain bytes: copying them between memories is a
    /// `memory.copy`, with nothing to validate or relocate.
    pub fn is_plain(&self) -> bool {
        match self {
            Ty::S8 | Ty::U8 | Ty::S16 | Ty::U16 | Ty::S32 | Ty::U32 | Ty::S64 | Ty::U64 => true,
            Ty::F32 | Ty::F64 => true,
            Ty::Record(fields) => fields.iter().all(Ty::is_plain),
            // Bools, chars, variants and flags must be validated, strings and lists moved,
            // handles transferred.
            _ => false,
        }
    }
}

fn max_case_align(cases: &[Option<Ty>]) -> u32 {
    cases.iter().flatten().map(Ty::align).max().unwrap_or(1)
}

/// Size of a discriminant for `n` cases.
pub fn discriminant_size(n: usize) -> u32 {
    if n <= 1 << 8 {
        1
    } else if n <= 1 << 16 {
        2
    } else {
        4
    }
}

fn flags_size(n: usize) -> u32 {
    match n {
        0 => 0,
        1..=8 => 1,
        9..=16 => 2,
        _ => 4 * n.div_ceil(32) as u32,
    }
}

/// `x` rounded up to a multiple of `align`.
pub fn align_to(x: u32, align: u32) -> u32 {
    x.div_ceil(align) * align
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_follow_the_explainer() {
        // result<u64, stream-error-like variant>: discriminant, payload at 8.
        let handle = Ty::Own(Resource {
            tag: 1,
            owner: None,
        });
        let err = Ty::Variant(vec![Some(handle), None]);
        let r = Ty::Variant(vec![Some(Ty::U64), Some(err)]);
        assert_eq!((r.size(), r.align(), r.payload_offset()), (16, 8, 8));
        // The error's discriminant joins the u64 (i64); its handle takes a third slot.
        assert_eq!(r.flat(), vec![Flat::I32, Flat::I64, Flat::I32]);
        // option<f32> joined with i32: (i32, f32); result<f32, u32> joins to (i32, i32).
        let o = Ty::Variant(vec![Some(Ty::F32), Some(Ty::U32)]);
        assert_eq!(o.flat(), vec![Flat::I32, Flat::I32]);
        let record = Ty::Record(vec![Ty::U8, Ty::U32, Ty::U16]);
        assert_eq!(
            Ty::field_offsets(&[Ty::U8, Ty::U32, Ty::U16]),
            vec![0, 4, 8]
        );
        assert_eq!((record.size(), record.align()), (12, 4));
        assert_eq!(Ty::Flags(9).size(), 2);
        assert_eq!(Ty::String.flat().len(), 2);
    }
}
