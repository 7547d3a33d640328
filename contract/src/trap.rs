//! Trap codes: why a WebAssembly program stopped.
//!
//! The compiler records one of these for every instruction that can trap (Cranelift trap sites);
//! the runtime maps a faulting instruction back to its code and prints [`Trap::message`]. The
//! messages are the ones Wasmtime prints, so scripts that compare the two engines' stderr agree.

/// Why a WebAssembly program trapped. The discriminant is the code stored in trap tables.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Trap {
    /// The wasm call stack ran past its limit (deep or infinite recursion).
    StackOverflow = 1,
    /// A load or store, or a bulk memory operation, touched bytes outside its memory.
    MemoryOutOfBounds = 2,
    /// An atomic access was not naturally aligned.
    HeapMisaligned = 3,
    /// A table access (get, set, bulk operation or `call_indirect` index) was out of bounds.
    TableOutOfBounds = 4,
    /// `call_indirect` found a null entry in the table.
    IndirectCallToNull = 5,
    /// `call_indirect` found a function whose type differs from the expected one.
    BadSignature = 6,
    /// Signed division overflowed (`INT_MIN / -1`).
    IntegerOverflow = 7,
    /// Integer division or remainder by zero.
    IntegerDivisionByZero = 8,
    /// A float to integer conversion was NaN or out of range.
    BadConversionToInteger = 9,
    /// An `unreachable` instruction was executed.
    UnreachableCodeReached = 10,
    /// A null reference was dereferenced (`call_ref`, `ref.as_non_null`).
    NullReference = 11,
    /// A call to an import that was allowed to stay unresolved at build time.
    UnresolvedImport = 12,
    /// An imported memory or table was smaller at instantiation than the import requires
    /// (limits that depend on the exporter's current size are checked at run time).
    IncompatibleImport = 13,
    /// A resource handle was not in the caller's handle table, or was a handle of another
    /// resource type.
    UnknownHandle = 14,
    /// A lifted variant, enum, option, result, bool or char had an invalid value.
    InvalidDiscriminant = 15,
    /// A lifted string was not valid in its encoding, or had a length out of range.
    InvalidString = 16,
    /// A list, string or return pointer given to the Canonical ABI was not aligned to its type.
    UnalignedPointer = 17,
    /// An owned resource was dropped or moved while it had borrows outstanding.
    ResourceBorrowed = 18,
    /// A function import of an interface smelt does not implement was called (the program
    /// was built with `--trap-unknown-imports`).
    UnimplementedImport = 19,
    /// A WASI function was called in a way its interface forbids (`poll` with an empty
    /// list, which could never return).
    InvalidHostCall = 20,
}

impl Trap {
    /// Every trap code, in discriminant order.
    pub const ALL: [Trap; 20] = [
        Trap::StackOverflow,
        Trap::MemoryOutOfBounds,
        Trap::HeapMisaligned,
        Trap::TableOutOfBounds,
        Trap::IndirectCallToNull,
        Trap::BadSignature,
        Trap::IntegerOverflow,
        Trap::IntegerDivisionByZero,
        Trap::BadConversionToInteger,
        Trap::UnreachableCodeReached,
        Trap::NullReference,
        Trap::UnresolvedImport,
        Trap::IncompatibleImport,
        Trap::UnknownHandle,
        Trap::InvalidDiscriminant,
        Trap::InvalidString,
        Trap::UnalignedPointer,
        Trap::ResourceBorrowed,
        Trap::UnimplementedImport,
        Trap::InvalidHostCall,
    ];

    /// The trap for a raw code, if it is one.
    pub fn from_u8(code: u8) -> Option<Trap> {
        Trap::ALL.get(usize::from(code).checked_sub(1)?).copied()
    }

    /// The message printed after `wasm trap: `, as Wasmtime words it.
    pub fn message(self) -> &'static str {
        match self {
            Trap::StackOverflow => "call stack exhausted",
            Trap::MemoryOutOfBounds => "out of bounds memory access",
            Trap::HeapMisaligned => "misaligned memory access",
            Trap::TableOutOfBounds => "undefined element: out of bounds table access",
            Trap::IndirectCallToNull => "uninitialized element",
            Trap::BadSignature => "indirect call type mismatch",
            Trap::IntegerOverflow => "integer overflow",
            Trap::IntegerDivisionByZero => "integer divide by zero",
            Trap::BadConversionToInteger => "invalid conversion to integer",
            Trap::UnreachableCodeReached => "wasm `unreachable` instruction executed",
            Trap::NullReference => "null reference",
            Trap::UnresolvedImport => "call to an import that was not resolved at build time",
            Trap::IncompatibleImport => {
                "incompatible import type: imported memory or table is too small"
            }
            Trap::UnknownHandle => "unknown handle index",
            Trap::InvalidDiscriminant => "invalid discriminant value",
            Trap::InvalidString => "invalid string: bad encoding or length out of range",
            Trap::UnalignedPointer => "unaligned pointer",
            Trap::ResourceBorrowed => "cannot remove owned resource while borrowed",
            Trap::UnimplementedImport => "call to an import that smelt does not implement",
            Trap::InvalidHostCall => "invalid call of a WASI function",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Trap;

    #[test]
    fn codes_round_trip() {
        for t in Trap::ALL {
            assert_eq!(Trap::from_u8(t as u8), Some(t));
        }
        assert_eq!(Trap::from_u8(0), None);
        assert_eq!(Trap::from_u8(Trap::ALL.len() as u8 + 1), None);
    }
}
