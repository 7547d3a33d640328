//! Values on the script protocol: encoding `.wast` arguments, matching answers against
//! expected results, and mapping the spec's trap messages to smelt's trap codes.
//!
//! Values travel as the hex of their raw bits (see `smelt_contract::script`). References:
//! null is 0; a funcref is some non-zero pointer; an externref is the host value, and the
//! runner encodes the spec's host value `ref.extern N` as `N + 1` so that it never collides
//! with null.

use smelt_contract::Trap;
use wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};

/// An argument that cannot be passed to smelt (a GC host reference).
#[derive(Debug)]
pub struct Unpassable(pub String);

/// The raw bits of an argument.
pub fn encode_arg(arg: &WastArgCore<'_>) -> Result<u128, Unpassable> {
    Ok(match arg {
        WastArgCore::I32(v) => u128::from(*v as u32),
        WastArgCore::I64(v) => u128::from(*v as u64),
        WastArgCore::F32(f) => u128::from(f.bits),
        WastArgCore::F64(f) => u128::from(f.bits),
        WastArgCore::V128(v) => u128::from_le_bytes(v.to_le_bytes()),
        WastArgCore::RefNull(_) => 0,
        WastArgCore::RefExtern(n) => extern_bits(*n),
        WastArgCore::RefHost(_) => {
            return Err(Unpassable(
                "ref.host arguments (GC) are not supported".into(),
            ));
        }
    })
}

/// The bits smelt sees for the spec's host value `ref.extern n`.
pub fn extern_bits(n: u32) -> u128 {
    u128::from(n) + 1
}

/// A float pattern: exact bits or a NaN class.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FloatPat<T> {
    /// Any canonical NaN (either sign).
    Canonical,
    /// Any arithmetic NaN (quiet bit set, either sign).
    Arithmetic,
    /// Exactly these bits.
    Bits(T),
}

/// An expected result.
#[derive(Clone, Debug, PartialEq)]
pub enum Pat {
    /// An i32.
    I32(u32),
    /// An i64.
    I64(u64),
    /// An f32.
    F32(FloatPat<u32>),
    /// An f64.
    F64(FloatPat<u64>),
    /// A v128 given as integer lanes: exact bits.
    V128(u128),
    /// A v128 with f32 lanes.
    F32x4([FloatPat<u32>; 4]),
    /// A v128 with f64 lanes.
    F64x2([FloatPat<u64>; 2]),
    /// A null reference.
    Null,
    /// A non-null funcref.
    Func,
    /// A non-null externref, with the host value if given.
    Extern(Option<u32>),
    /// Any one of these.
    Either(Vec<Pat>),
}

fn float32(p: &NanPattern<wast::token::F32>) -> FloatPat<u32> {
    match p {
        NanPattern::CanonicalNan => FloatPat::Canonical,
        NanPattern::ArithmeticNan => FloatPat::Arithmetic,
        NanPattern::Value(f) => FloatPat::Bits(f.bits),
    }
}

fn float64(p: &NanPattern<wast::token::F64>) -> FloatPat<u64> {
    match p {
        NanPattern::CanonicalNan => FloatPat::Canonical,
        NanPattern::ArithmeticNan => FloatPat::Arithmetic,
        NanPattern::Value(f) => FloatPat::Bits(f.bits),
    }
}

/// Converts an expected result; `Err` names a pattern smelt cannot check (GC references).
pub fn pattern(ret: &WastRetCore<'_>) -> Result<Pat, Unpassable> {
    Ok(match ret {
        WastRetCore::I32(v) => Pat::I32(*v as u32),
        WastRetCore::I64(v) => Pat::I64(*v as u64),
        WastRetCore::F32(p) => Pat::F32(float32(p)),
        WastRetCore::F64(p) => Pat::F64(float64(p)),
        WastRetCore::V128(v) => match v {
            V128Pattern::I8x16(l) => Pat::V128(lanes(l.iter().map(|x| u128::from(*x as u8)), 8)),
            V128Pattern::I16x8(l) => Pat::V128(lanes(l.iter().map(|x| u128::from(*x as u16)), 16)),
            V128Pattern::I32x4(l) => Pat::V128(lanes(l.iter().map(|x| u128::from(*x as u32)), 32)),
            V128Pattern::I64x2(l) => Pat::V128(lanes(l.iter().map(|x| u128::from(*x as u64)), 64)),
            V128Pattern::F32x4(l) => Pat::F32x4([
                float32(&l[0]),
                float32(&l[1]),
                float32(&l[2]),
                float32(&l[3]),
            ]),
            V128Pattern::F64x2(l) => Pat::F64x2([float64(&l[0]), float64(&l[1])]),
        },
        WastRetCore::RefNull(_) => Pat::Null,
        WastRetCore::RefExtern(n) => Pat::Extern(*n),
        WastRetCore::RefFunc(_) => Pat::Func,
        WastRetCore::Either(alts) => {
            Pat::Either(alts.iter().map(pattern).collect::<Result<_, _>>()?)
        }
        other => {
            return Err(Unpassable(format!(
                "result pattern {other:?} (GC) is not supported"
            )));
        }
    })
}

fn lanes(values: impl Iterator<Item = u128>, width: u32) -> u128 {
    values
        .enumerate()
        .fold(0, |acc, (i, v)| acc | v << (i as u32 * width))
}

fn f32_matches(p: FloatPat<u32>, bits: u32) -> bool {
    match p {
        FloatPat::Canonical => bits & 0x7fff_ffff == 0x7fc0_0000,
        FloatPat::Arithmetic => bits & 0x7fc0_0000 == 0x7fc0_0000,
        FloatPat::Bits(b) => b == bits,
    }
}

fn f64_matches(p: FloatPat<u64>, bits: u64) -> bool {
    match p {
        FloatPat::Canonical => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        FloatPat::Arithmetic => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        FloatPat::Bits(b) => b == bits,
    }
}

/// Whether the raw answer `bits` matches the pattern.
pub fn matches(p: &Pat, bits: u128) -> bool {
    match p {
        Pat::I32(v) => bits == u128::from(*v),
        Pat::I64(v) => bits == u128::from(*v),
        Pat::F32(f) => bits >> 32 == 0 && f32_matches(*f, bits as u32),
        Pat::F64(f) => bits >> 64 == 0 && f64_matches(*f, bits as u64),
        Pat::V128(v) => bits == *v,
        Pat::F32x4(l) => l
            .iter()
            .enumerate()
            .all(|(i, f)| f32_matches(*f, (bits >> (32 * i)) as u32)),
        Pat::F64x2(l) => l
            .iter()
            .enumerate()
            .all(|(i, f)| f64_matches(*f, (bits >> (64 * i)) as u64)),
        Pat::Null => bits == 0,
        Pat::Func => bits != 0,
        Pat::Extern(None) => bits != 0,
        Pat::Extern(Some(n)) => bits == extern_bits(*n),
        Pat::Either(alts) => alts.iter().any(|a| matches(a, bits)),
    }
}

fn show_f32(p: FloatPat<u32>) -> String {
    match p {
        FloatPat::Canonical => "nan:canonical".into(),
        FloatPat::Arithmetic => "nan:arithmetic".into(),
        FloatPat::Bits(b) => format!("{} ({b:#x})", f32::from_bits(b)),
    }
}

fn show_f64(p: FloatPat<u64>) -> String {
    match p {
        FloatPat::Canonical => "nan:canonical".into(),
        FloatPat::Arithmetic => "nan:arithmetic".into(),
        FloatPat::Bits(b) => format!("{} ({b:#x})", f64::from_bits(b)),
    }
}

/// The pattern, readably.
pub fn show_pattern(p: &Pat) -> String {
    match p {
        Pat::I32(v) => format!("i32:{} ({v:#x})", *v as i32),
        Pat::I64(v) => format!("i64:{} ({v:#x})", *v as i64),
        Pat::F32(f) => format!("f32:{}", show_f32(*f)),
        Pat::F64(f) => format!("f64:{}", show_f64(*f)),
        Pat::V128(v) => format!("v128:{v:032x}"),
        Pat::F32x4(l) => format!(
            "f32x4:[{}]",
            l.iter()
                .map(|f| show_f32(*f))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Pat::F64x2(l) => format!(
            "f64x2:[{}]",
            l.iter()
                .map(|f| show_f64(*f))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Pat::Null => "ref.null".into(),
        Pat::Func => "ref.func".into(),
        Pat::Extern(None) => "ref.extern".into(),
        Pat::Extern(Some(n)) => format!("ref.extern {n}"),
        Pat::Either(alts) => format!(
            "either({})",
            alts.iter()
                .map(show_pattern)
                .collect::<Vec<_>>()
                .join(" | ")
        ),
    }
}

/// An answer value, readably, in the type the pattern expects.
pub fn show_value(p: &Pat, bits: u128) -> String {
    match p {
        Pat::I32(_) if bits >> 32 == 0 => format!("i32:{} ({bits:#x})", bits as u32 as i32),
        Pat::I64(_) if bits >> 64 == 0 => format!("i64:{} ({bits:#x})", bits as u64 as i64),
        Pat::F32(_) if bits >> 32 == 0 => {
            format!("f32:{} ({bits:#x})", f32::from_bits(bits as u32))
        }
        Pat::F64(_) if bits >> 64 == 0 => {
            format!("f64:{} ({bits:#x})", f64::from_bits(bits as u64))
        }
        Pat::F32x4(_) => format!(
            "f32x4:[{}]",
            (0..4)
                .map(|i| show_f32(FloatPat::Bits((bits >> (32 * i)) as u32)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Pat::F64x2(_) => format!(
            "f64x2:[{}]",
            (0..2)
                .map(|i| show_f64(FloatPat::Bits((bits >> (64 * i)) as u64)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Pat::V128(_) => format!("v128:{bits:032x}"),
        Pat::Either(alts) if !alts.is_empty() => show_value(&alts[0], bits),
        _ => format!("{bits:#x}"),
    }
}

/// The trap code smelt reports for the spec's trap message, if the message is known.
pub fn trap_for_message(message: &str) -> Option<Trap> {
    const TABLE: &[(&str, Trap)] = &[
        ("out of bounds memory access", Trap::MemoryOutOfBounds),
        ("memory access out of bounds", Trap::MemoryOutOfBounds),
        ("undefined element", Trap::TableOutOfBounds),
        ("out of bounds table access", Trap::TableOutOfBounds),
        ("uninitialized element", Trap::IndirectCallToNull),
        ("indirect call type mismatch", Trap::BadSignature),
        ("indirect call signature mismatch", Trap::BadSignature),
        ("integer overflow", Trap::IntegerOverflow),
        ("integer divide by zero", Trap::IntegerDivisionByZero),
        (
            "invalid conversion to integer",
            Trap::BadConversionToInteger,
        ),
        ("unreachable", Trap::UnreachableCodeReached),
        ("call stack exhausted", Trap::StackOverflow),
        ("stack overflow", Trap::StackOverflow),
        ("misaligned memory access", Trap::HeapMisaligned),
        ("unaligned atomic", Trap::HeapMisaligned),
        ("null", Trap::NullReference),
    ];
    TABLE
        .iter()
        .find(|(prefix, _)| message.starts_with(prefix))
        .map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_classes() {
        assert!(matches(&Pat::F32(FloatPat::Canonical), 0x7fc0_0000));
        assert!(matches(&Pat::F32(FloatPat::Canonical), 0xffc0_0000));
        assert!(!matches(&Pat::F32(FloatPat::Canonical), 0x7fc0_0001));
        assert!(matches(&Pat::F32(FloatPat::Arithmetic), 0x7fc0_0001));
        assert!(!matches(&Pat::F32(FloatPat::Arithmetic), 0x7f80_0001));
        assert!(matches(
            &Pat::F64(FloatPat::Canonical),
            0xfff8_0000_0000_0000
        ));
        assert!(matches(
            &Pat::F64(FloatPat::Arithmetic),
            0x7ff8_0000_0000_0001
        ));
        assert!(!matches(
            &Pat::F64(FloatPat::Arithmetic),
            0x7ff0_0000_0000_0001
        ));
    }

    #[test]
    fn lanes_are_little_endian() {
        assert_eq!(
            lanes([1u128, 2, 3, 4].into_iter(), 32),
            0x0000_0004_0000_0003_0000_0002_0000_0001
        );
        let p = Pat::F32x4([
            FloatPat::Bits(1),
            FloatPat::Canonical,
            FloatPat::Bits(3),
            FloatPat::Bits(4),
        ]);
        assert!(matches(&p, 0x0000_0004_0000_0003_7fc0_0000_0000_0001));
    }

    #[test]
    fn trap_messages() {
        assert_eq!(
            trap_for_message("undefined element"),
            Some(Trap::TableOutOfBounds)
        );
        assert_eq!(
            trap_for_message("uninitialized element 2"),
            Some(Trap::IndirectCallToNull)
        );
        assert_eq!(
            trap_for_message("unreachable executed"),
            Some(Trap::UnreachableCodeReached)
        );
        assert_eq!(
            trap_for_message("null function reference"),
            Some(Trap::NullReference)
        );
        assert_eq!(trap_for_message("something else"), None);
    }
}
