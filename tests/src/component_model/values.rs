//! Component values of the scripts: the types of the tested exports (with the names the
//! script's values use), the values themselves, and their Canonical ABI representation in
//! memory and as flat core values
//! (<https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md#storing>,
//! "Storing" and "Flat Lowering").
//!
//! Layout (sizes, alignments, offsets, flattening) comes from smelt's own
//! [`smelt::component::abi::Ty`]; this file adds only what the runner needs on top: the case
//! and field names, and the values.

use smelt::component::abi::{Flat, Resource, Ty, discriminant_size};
use wasmparser::PrimitiveValType;
use wasmparser::component_types::{ComponentDefinedType, ComponentValType};
use wasmparser::types::Types;
use wast::component::WastVal;
use wast::core::{NanPattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};

/// A component value type with its names.
#[derive(Clone, Debug, PartialEq)]
pub enum VTy {
    /// A type without names: a scalar or `string`.
    Plain(Ty),
    /// `own<R>` or `borrow<R>` (scripts cannot write handle values).
    Handle,
    /// `list<T>`.
    List(Box<VTy>),
    /// `record`: named fields.
    Record(Vec<(String, VTy)>),
    /// `tuple`.
    Tuple(Vec<VTy>),
    /// `variant`: named cases.
    Variant(Vec<(String, Option<VTy>)>),
    /// `enum`.
    Enum(Vec<String>),
    /// `option<T>`.
    Option(Box<VTy>),
    /// `result<T, E>`.
    Result(Option<Box<VTy>>, Option<Box<VTy>>),
    /// `flags`.
    Flags(Vec<String>),
}

impl VTy {
    /// The type `t` of a component whose validator types are `types`.
    pub fn from_wasmparser(types: &Types, t: &ComponentValType) -> Result<VTy, String> {
        let id = match t {
            ComponentValType::Primitive(p) => return primitive(*p).map(VTy::Plain),
            ComponentValType::Type(id) => *id,
        };
        let conv = |t: &ComponentValType| VTy::from_wasmparser(types, t);
        let boxed = |t: &Option<ComponentValType>| -> Result<Option<Box<VTy>>, String> {
            t.as_ref().map(|t| conv(t).map(Box::new)).transpose()
        };
        Ok(match &types[id] {
            ComponentDefinedType::Primitive(p) => VTy::Plain(primitive(*p)?),
            ComponentDefinedType::Record(r) => VTy::Record(
                r.fields
                    .iter()
                    .map(|(n, t)| Ok((n.to_string(), conv(t)?)))
                    .collect::<Result<_, String>>()?,
            ),
            ComponentDefinedType::Tuple(t) => {
                VTy::Tuple(t.types.iter().map(conv).collect::<Result<_, _>>()?)
            }
            ComponentDefinedType::Variant(v) => VTy::Variant(
                v.cases
                    .iter()
                    .map(|(n, c)| Ok((n.to_string(), c.ty.as_ref().map(conv).transpose()?)))
                    .collect::<Result<_, String>>()?,
            ),
            ComponentDefinedType::List { element, .. } => VTy::List(Box::new(conv(element)?)),
            ComponentDefinedType::Flags(names) => {
                VTy::Flags(names.iter().map(|n| n.to_string()).collect())
            }
            ComponentDefinedType::Enum(names) => {
                VTy::Enum(names.iter().map(|n| n.to_string()).collect())
            }
            ComponentDefinedType::Option { ty, .. } => VTy::Option(Box::new(conv(ty)?)),
            ComponentDefinedType::Result { ok, err, .. } => VTy::Result(boxed(ok)?, boxed(err)?),
            ComponentDefinedType::Own(_) | ComponentDefinedType::Borrow(_) => VTy::Handle,
            ComponentDefinedType::Map { .. } => return Err("map values".into()),
            ComponentDefinedType::FixedLengthList { .. } => {
                return Err("fixed-length lists".into());
            }
            ComponentDefinedType::Future { .. } | ComponentDefinedType::Stream { .. } => {
                return Err("future and stream values (async)".into());
            }
        })
    }

    /// The despecialized type, for layout.
    pub fn abi(&self) -> Ty {
        match self {
            VTy::Plain(t) => t.clone(),
            // Only the layout matters here, which every handle shares.
            VTy::Handle => Ty::Own(Resource {
                tag: 0,
                owner: None,
            }),
            VTy::List(e) => Ty::List(Box::new(e.abi())),
            VTy::Record(fields) => Ty::Record(fields.iter().map(|(_, t)| t.abi()).collect()),
            VTy::Tuple(fields) => Ty::Record(fields.iter().map(VTy::abi).collect()),
            VTy::Variant(cases) => Ty::Variant(
                cases
                    .iter()
                    .map(|(_, t)| t.as_ref().map(VTy::abi))
                    .collect(),
            ),
            VTy::Enum(cases) => Ty::Variant(vec![None; cases.len()]),
            VTy::Option(t) => Ty::Variant(vec![None, Some(t.abi())]),
            VTy::Result(ok, err) => Ty::Variant(vec![
                ok.as_ref().map(|t| t.abi()),
                err.as_ref().map(|t| t.abi()),
            ]),
            VTy::Flags(names) => Ty::Flags(names.len()),
        }
    }
}

fn primitive(p: PrimitiveValType) -> Result<Ty, String> {
    Ok(match p {
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
        PrimitiveValType::ErrorContext => return Err("error-context values (async)".into()),
    })
}

/// A value, resolved against its type: what the Canonical ABI stores.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// `bool`, an integer or a `char`: the value sign- or zero-extended to 64 bits.
    Int(u64),
    /// An `f32`'s bits (any NaN matches any NaN when comparing).
    F32(u32),
    /// An `f64`'s bits.
    F64(u64),
    /// A string.
    Str(String),
    /// A list.
    List(Vec<Val>),
    /// A record or tuple: the fields in type order.
    Record(Vec<Val>),
    /// A variant, enum, option or result: the case index and payload.
    Variant(u32, Option<Box<Val>>),
    /// Flags: 32 per word.
    Flags(Vec<u32>),
}

/// A script argument as a value of type `ty`.
pub fn arg(ty: &VTy, a: &WastArg<'_>) -> Result<Val, String> {
    match a {
        WastArg::Component(v) => value(ty, v),
        WastArg::Core(WastArgCore::F32(f)) if *ty == VTy::Plain(Ty::F32) => Ok(Val::F32(f.bits)),
        WastArg::Core(WastArgCore::F64(f)) if *ty == VTy::Plain(Ty::F64) => Ok(Val::F64(f.bits)),
        other => Err(format!("argument {other:?} is not a value of type {ty:?}")),
    }
}

/// A script's expected result as a value of type `ty`.
pub fn ret(ty: &VTy, r: &WastRet<'_>) -> Result<Val, String> {
    const NAN32: u32 = 0x7fc0_0000;
    const NAN64: u64 = 0x7ff8_0000_0000_0000;
    match r {
        WastRet::Component(v) => value(ty, v),
        WastRet::Core(WastRetCore::F32(p)) if *ty == VTy::Plain(Ty::F32) => Ok(Val::F32(match p {
            NanPattern::Value(f) => f.bits,
            _ => NAN32,
        })),
        WastRet::Core(WastRetCore::F64(p)) if *ty == VTy::Plain(Ty::F64) => Ok(Val::F64(match p {
            NanPattern::Value(f) => f.bits,
            _ => NAN64,
        })),
        other => Err(format!(
            "expected result {other:?} is not a value of type {ty:?}"
        )),
    }
}

/// The script value `v` as a value of type `ty`.
pub fn value(ty: &VTy, v: &WastVal<'_>) -> Result<Val, String> {
    use WastVal as W;
    let mismatch = || format!("value {v:?} is not of type {ty:?}");
    let int = |x: i128| Ok(Val::Int(x as i64 as u64));
    match (ty, v) {
        (VTy::Plain(t), _) => match (t, v) {
            (Ty::Bool, W::Bool(b)) => int(i128::from(*b)),
            (Ty::S8, W::S8(x)) => int(i128::from(*x)),
            (Ty::U8, W::U8(x)) => int(i128::from(*x)),
            (Ty::S16, W::S16(x)) => int(i128::from(*x)),
            (Ty::U16, W::U16(x)) => int(i128::from(*x)),
            (Ty::S32, W::S32(x)) => int(i128::from(*x)),
            (Ty::U32, W::U32(x)) => int(i128::from(*x)),
            (Ty::S64, W::S64(x)) => int(i128::from(*x)),
            (Ty::U64, W::U64(x)) => Ok(Val::Int(*x)),
            (Ty::F32, W::F32(f)) => Ok(Val::F32(f.bits)),
            (Ty::F64, W::F64(f)) => Ok(Val::F64(f.bits)),
            (Ty::Char, W::Char(c)) => int(i128::from(u32::from(*c))),
            (Ty::String, W::String(s)) => Ok(Val::Str(s.to_string())),
            _ => Err(mismatch()),
        },
        (VTy::List(e), W::List(items)) => Ok(Val::List(
            items
                .iter()
                .map(|i| value(e, i))
                .collect::<Result<_, _>>()?,
        )),
        (VTy::Record(fields), W::Record(given)) => {
            if fields.len() != given.len() {
                return Err(mismatch());
            }
            let mut out = Vec::new();
            for (name, t) in fields {
                let (_, v) = given
                    .iter()
                    .find(|(n, _)| n == name)
                    .ok_or_else(|| format!("record value lacks field {name:?}"))?;
                out.push(value(t, v)?);
            }
            Ok(Val::Record(out))
        }
        (VTy::Tuple(fields), W::Tuple(given)) if fields.len() == given.len() => Ok(Val::Record(
            fields
                .iter()
                .zip(given)
                .map(|(t, v)| value(t, v))
                .collect::<Result<_, _>>()?,
        )),
        (VTy::Variant(cases), W::Variant(name, payload)) => {
            let i = cases
                .iter()
                .position(|(n, _)| n == name)
                .ok_or_else(|| format!("variant has no case {name:?}"))?;
            Ok(Val::Variant(i as u32, case_payload(&cases[i].1, payload)?))
        }
        (VTy::Enum(cases), W::Enum(name)) => {
            let i = cases
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| format!("enum has no case {name:?}"))?;
            Ok(Val::Variant(i as u32, None))
        }
        (VTy::Option(_), W::Option(None)) => Ok(Val::Variant(0, None)),
        (VTy::Option(t), W::Option(Some(v))) => Ok(Val::Variant(1, Some(Box::new(value(t, v)?)))),
        (VTy::Result(ok, _), W::Result(Ok(v))) => {
            Ok(Val::Variant(0, case_payload(&ok.as_deref().cloned(), v)?))
        }
        (VTy::Result(_, err), W::Result(Err(v))) => {
            Ok(Val::Variant(1, case_payload(&err.as_deref().cloned(), v)?))
        }
        (VTy::Flags(names), W::Flags(set)) => {
            let mut words = vec![0u32; names.len().div_ceil(32)];
            for f in set {
                let i = names
                    .iter()
                    .position(|n| n == f)
                    .ok_or_else(|| format!("flags have no flag {f:?}"))?;
                words[i / 32] |= 1 << (i % 32);
            }
            Ok(Val::Flags(words))
        }
        _ => Err(mismatch()),
    }
}

fn case_payload(
    ty: &Option<VTy>,
    payload: &Option<Box<WastVal<'_>>>,
) -> Result<Option<Box<Val>>, String> {
    match (ty, payload) {
        (None, None) => Ok(None),
        (Some(t), Some(v)) => Ok(Some(Box::new(value(t, v)?))),
        (None, Some(_)) => Err("a payload for a case without one".into()),
        (Some(_), None) => Err("no payload for a case with one".into()),
    }
}

/// A linear-memory image being laid out: bytes from address `base` on.
#[derive(Clone, Debug)]
pub struct Image {
    /// Address of `bytes[0]`.
    pub base: u32,
    /// The contents.
    pub bytes: Vec<u8>,
}

impl Image {
    /// An empty image starting at `base`.
    pub fn new(base: u32) -> Image {
        Image {
            base,
            bytes: Vec::new(),
        }
    }

    /// The first address after the image.
    pub fn end(&self) -> u32 {
        self.base + self.bytes.len() as u32
    }

    /// Reserves `size` bytes aligned to `align`; returns their address.
    pub fn alloc(&mut self, size: u32, align: u32) -> u32 {
        let at = self.end().div_ceil(align) * align;
        self.bytes.resize((at + size - self.base) as usize, 0);
        at
    }

    /// Writes `data` at `addr` (inside the image).
    pub fn write(&mut self, addr: u32, data: &[u8]) {
        let at = (addr - self.base) as usize;
        self.bytes[at..at + data.len()].copy_from_slice(data);
    }

    /// Writes the low `size` bytes of `x`, little-endian.
    fn write_int(&mut self, addr: u32, x: u64, size: u32) {
        self.write(addr, &x.to_le_bytes()[..size as usize]);
    }

    /// Places string contents; returns (pointer, length).
    fn string(&mut self, s: &str) -> (u32, u32) {
        let ptr = self.alloc(s.len() as u32, 1);
        self.write(ptr, s.as_bytes());
        (ptr, s.len() as u32)
    }
}

/// Stores `v` of type `ty` at `addr` in `image`, placing strings and list elements after the
/// image's current end ("store" in the explainer).
pub fn store(ty: &Ty, v: &Val, image: &mut Image, addr: u32) {
    match (ty, v) {
        (Ty::String, Val::Str(s)) => {
            let (ptr, len) = image.string(s);
            image.write_int(addr, u64::from(ptr), 4);
            image.write_int(addr + 4, u64::from(len), 4);
        }
        (Ty::List(_), Val::List(items)) => {
            let (ptr, len) = place_list(ty, items, image);
            image.write_int(addr, u64::from(ptr), 4);
            image.write_int(addr + 4, u64::from(len), 4);
        }
        (Ty::Record(fields), Val::Record(vals)) => {
            for ((f, off), v) in fields.iter().zip(Ty::field_offsets(fields)).zip(vals) {
                store(f, v, image, addr + off);
            }
        }
        (Ty::Variant(cases), Val::Variant(case, payload)) => {
            image.write_int(addr, u64::from(*case), discriminant_size(cases.len()));
            if let (Some(Some(t)), Some(p)) = (cases.get(*case as usize), payload) {
                store(t, p, image, addr + ty.payload_offset());
            }
        }
        (Ty::Flags(_), Val::Flags(words)) => {
            let size = ty.size();
            if size < 4 {
                let word = words.first().copied().unwrap_or(0);
                image.write_int(addr, u64::from(word), size);
            } else {
                for (i, w) in words.iter().enumerate() {
                    image.write_int(addr + 4 * i as u32, u64::from(*w), 4);
                }
            }
        }
        (_, Val::Int(x)) => image.write_int(addr, *x, ty.size()),
        (_, Val::F32(bits)) => image.write_int(addr, u64::from(*bits), 4),
        (_, Val::F64(bits)) => image.write_int(addr, *bits, 8),
        _ => unreachable!("values are resolved against their types"),
    }
}

/// A flat core value: its type and bits.
pub type FlatVal = (Flat, u64);

/// The flat core values of `v` of type `ty`, placing strings and lists in `image`
/// ("lower_flat" in the explainer).
pub fn lower_flat(ty: &Ty, v: &Val, image: &mut Image) -> Vec<FlatVal> {
    match (ty, v) {
        (Ty::String, Val::Str(s)) => {
            let (ptr, len) = image.string(s);
            vec![(Flat::I32, u64::from(ptr)), (Flat::I32, u64::from(len))]
        }
        (Ty::List(_), Val::List(items)) => {
            let (ptr, len) = place_list(ty, items, image);
            vec![(Flat::I32, u64::from(ptr)), (Flat::I32, u64::from(len))]
        }
        (Ty::Record(fields), Val::Record(vals)) => fields
            .iter()
            .zip(vals)
            .flat_map(|(f, v)| lower_flat(f, v, image))
            .collect(),
        (Ty::Variant(cases), Val::Variant(case, payload)) => {
            let slots = ty.flat();
            let mut out = vec![(Flat::I32, u64::from(*case))];
            if let (Some(Some(t)), Some(p)) = (cases.get(*case as usize), payload) {
                for (i, (f, bits)) in lower_flat(t, p, image).into_iter().enumerate() {
                    out.push((slots[1 + i], coerce(f, bits, slots[1 + i])));
                }
            }
            for slot in &slots[out.len()..] {
                out.push((*slot, 0));
            }
            out
        }
        (Ty::Flags(_), Val::Flags(words)) => {
            words.iter().map(|w| (Flat::I32, u64::from(*w))).collect()
        }
        (Ty::S64 | Ty::U64, Val::Int(x)) => vec![(Flat::I64, *x)],
        (_, Val::Int(x)) => vec![(Flat::I32, x & 0xffff_ffff)],
        (_, Val::F32(bits)) => vec![(Flat::F32, u64::from(*bits))],
        (_, Val::F64(bits)) => vec![(Flat::F64, *bits)],
        _ => unreachable!("values are resolved against their types"),
    }
}

/// Places a list's elements in `image`; returns (pointer, length).
fn place_list(ty: &Ty, items: &[Val], image: &mut Image) -> (u32, u32) {
    let Ty::List(e) = ty else {
        unreachable!("a list type")
    };
    let ptr = image.alloc(e.size() * items.len() as u32, e.align());
    for (i, item) in items.iter().enumerate() {
        store(e, item, image, ptr + i as u32 * e.size());
    }
    (ptr, items.len() as u32)
}

/// A payload's flat value `bits` of type `from` in a variant slot of (joined) type `to`:
/// the bits are kept (an `f32` in an `i32` slot is reinterpreted, an `i32` or `f32` in an
/// `i64` slot zero-extended).
fn coerce(from: Flat, bits: u64, to: Flat) -> u64 {
    match (from, to) {
        (Flat::I32 | Flat::F32, Flat::I64) => bits & 0xffff_ffff,
        _ => bits,
    }
}

/// Whether values of `ty` hold strings or lists (need a memory and, as results, a realloc).
pub fn has_pointers(ty: &Ty) -> bool {
    match ty {
        Ty::String | Ty::List(_) => true,
        Ty::Record(fields) => fields.iter().any(has_pointers),
        Ty::Variant(cases) => cases.iter().flatten().any(has_pointers),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_join_and_pad_their_slots() {
        // variant { a(u32), b(f32), c(u64), d(f64) }: slots (i32, i64).
        let ty = Ty::Variant(vec![
            Some(Ty::U32),
            Some(Ty::F32),
            Some(Ty::U64),
            Some(Ty::F64),
        ]);
        let mut image = Image::new(16);
        let b = lower_flat(
            &ty,
            &Val::Variant(1, Some(Box::new(Val::F32(0x40a0_0000)))),
            &mut image,
        );
        assert_eq!(b, vec![(Flat::I32, 1), (Flat::I64, 0x40a0_0000)]);
        let option = Ty::Variant(vec![None, Some(Ty::String)]);
        let none = lower_flat(&option, &Val::Variant(0, None), &mut image);
        assert_eq!(none, vec![(Flat::I32, 0), (Flat::I32, 0), (Flat::I32, 0)]);
    }

    #[test]
    fn lists_are_stored_with_their_elements() {
        let ty = Ty::List(Box::new(Ty::String));
        let mut image = Image::new(8);
        let v = Val::List(vec![Val::Str("ab".into()), Val::Str("c".into())]);
        let flat = lower_flat(&ty, &v, &mut image);
        assert_eq!(flat, vec![(Flat::I32, 8), (Flat::I32, 2)]);
        // Two (ptr, len) pairs, then "ab" at 24 and "c" at 26.
        assert_eq!(&image.bytes[..8], &[24, 0, 0, 0, 2, 0, 0, 0]);
        assert_eq!(&image.bytes[16..19], b"abc");
    }
}
