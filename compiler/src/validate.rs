//! Validation: which WebAssembly smelt accepts, and clear errors for the rest.
//!
//! Input is validated with exactly the features smelt compiles ([`SUPPORTED`]). When that
//! fails but the module is valid with a proposal smelt does not compile yet, the error says
//! "not supported yet: <proposal>" instead of calling valid input invalid.
//!
//! Sections are validated in order, then every function body in parallel ([`validate`]):
//! the same checks as wasmparser's `validate_all`, and the same first error (bodies' errors
//! are reported in body order).

use crate::error::{Error, Result};
use rayon::prelude::*;
use wasmparser::{
    BinaryReaderError, FuncValidatorAllocations, Parser, Payload, ValidPayload, Validator,
    WasmFeatures, types::Types,
};

/// The features smelt compiles: WebAssembly 2.0 plus tail calls, extended-const,
/// multi-memory, memory64, typed function references and wide arithmetic.
pub const SUPPORTED: WasmFeatures = WasmFeatures::WASM2
    .union(WasmFeatures::TAIL_CALL)
    .union(WasmFeatures::WIDE_ARITHMETIC)
    .union(WasmFeatures::EXTENDED_CONST)
    .union(WasmFeatures::MULTI_MEMORY)
    .union(WasmFeatures::MEMORY64)
    .union(WasmFeatures::FUNCTION_REFERENCES);

/// Proposals that are valid WebAssembly but not compiled yet, with their names.
const LATER: [(WasmFeatures, &str); 5] = [
    (WasmFeatures::EXCEPTIONS, "exception handling"),
    (WasmFeatures::LEGACY_EXCEPTIONS, "legacy exception handling"),
    (WasmFeatures::GC, "garbage collection (GC)"),
    (WasmFeatures::THREADS, "threads and atomics"),
    (WasmFeatures::RELAXED_SIMD, "relaxed SIMD"),
];

/// Validates a core module, naming the file, offset and function of the first error.
pub fn validate_module(file: &str, bytes: &[u8]) -> Result<()> {
    let Err(e) = validate(SUPPORTED, bytes) else {
        return Ok(());
    };
    let func_index = function_at(bytes, e.offset());
    let mut all = SUPPORTED;
    for (feature, _) in LATER {
        all |= feature;
    }
    if Validator::new_with_features(all)
        .validate_all(bytes)
        .is_ok()
    {
        // Name the proposal: the one whose addition makes the module valid.
        for (feature, what) in LATER {
            let with = SUPPORTED | feature;
            let needed = match feature {
                WasmFeatures::GC => with | WasmFeatures::FUNCTION_REFERENCES,
                _ => with,
            };
            if Validator::new_with_features(needed)
                .validate_all(bytes)
                .is_ok()
            {
                return Err(Error::Unsupported {
                    file: file.into(),
                    what: what.into(),
                    func_index,
                });
            }
        }
        return Err(Error::Unsupported {
            file: file.into(),
            what: "a combination of post-2.0 proposals".into(),
            func_index,
        });
    }
    Err(Error::InvalidWasm {
        file: file.into(),
        offset: e.offset(),
        func_index,
        message: e.message().to_string(),
    })
}

/// The component-model features smelt compiles: the synchronous component model, `map<K,
/// V>` values, fixed-length lists (both despecialized to lists and tuples) and `(implements
/// ...)` names (metadata: an import or export is still found by its plain name).
pub const COMPONENT_FEATURES: WasmFeatures = WasmFeatures::COMPONENT_MODEL
    .union(WasmFeatures::CM_MAP)
    .union(WasmFeatures::CM_FIXED_LENGTH_LISTS)
    .union(WasmFeatures::CM_IMPLEMENTS);

/// Validates a component (and every core module in it) with the component model on top of
/// [`SUPPORTED`], returning the root component's types.
pub fn validate_component(file: &str, bytes: &[u8]) -> Result<Types> {
    let invalid = |offset, message| Error::InvalidWasm {
        file: file.into(),
        offset,
        func_index: None,
        message,
    };
    validate(SUPPORTED | COMPONENT_FEATURES, bytes)
        .map_err(|e| invalid(e.offset(), e.message().to_string()))?
        .ok_or_else(|| invalid(bytes.len() as u64, "unexpected end of input".into()))
}

/// Validates a module or component with `features`, returning the top level's types.
/// Everything but function bodies is checked in order as it is parsed; the bodies are then
/// checked in parallel, and the error of the first invalid one in the file is returned.
/// (The parser reports input that ends early, so valid input always has its types.)
fn validate(
    features: WasmFeatures,
    bytes: &[u8],
) -> std::result::Result<Option<Types>, BinaryReaderError> {
    let mut validator = Validator::new_with_features(features);
    let mut parser = Parser::new(0);
    parser.set_features(features);
    let mut bodies = Vec::new();
    let mut types = None;
    for payload in parser.parse_all(bytes) {
        match validator.payload(&payload?)? {
            ValidPayload::Func(func, body) => bodies.push((func, body)),
            // Nested modules and components end first; the last end is the top level's.
            ValidPayload::End(t) => types = Some(t),
            ValidPayload::Ok | ValidPayload::Parser(_) => {}
        }
    }
    let results: Vec<std::result::Result<(), BinaryReaderError>> = bodies
        .into_par_iter()
        .map_init(FuncValidatorAllocations::default, |allocs, (func, body)| {
            let mut v = func.into_validator(std::mem::take(allocs));
            let result = v.validate(&body);
            *allocs = v.into_allocations();
            result
        })
        .collect();
    if let Some(e) = results.into_iter().find_map(Result::err) {
        return Err(e);
    }
    Ok(types)
}

/// The index (in the function index space) of the function whose body contains `offset`.
pub fn function_at(bytes: &[u8], offset: u64) -> Option<u32> {
    let mut imported = 0u32;
    let mut defined = 0u32;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.ok()? {
            Payload::ImportSection(r) => {
                for i in r.into_imports().flatten() {
                    if matches!(
                        i.ty,
                        wasmparser::TypeRef::Func(_) | wasmparser::TypeRef::FuncExact(_)
                    ) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                if body.range().contains(&offset) {
                    return Some(imported + defined);
                }
                defined += 1;
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module of `n` functions (after one import) whose bodies from `first_bad` on return
    /// nothing where an i32 is due.
    fn module(n: u32, first_bad: u32) -> Vec<u8> {
        let mut text = String::from("(module (import \"m\" \"f\" (func))\n");
        for i in 0..n {
            let body = if i >= first_bad { "" } else { "i32.const 1" };
            text.push_str(&format!("(func (result i32) {body})\n"));
        }
        text.push(')');
        wat::parse_str(&text).unwrap()
    }

    #[test]
    fn the_first_invalid_body_in_the_file_is_reported() {
        for first_bad in [0, 7, 63] {
            let bytes = module(64, first_bad);
            for _ in 0..10 {
                match validate_module("m.wasm", &bytes) {
                    Err(Error::InvalidWasm { func_index, .. }) => {
                        assert_eq!(func_index, Some(first_bad + 1), "first bad {first_bad}")
                    }
                    other => panic!("{other:?}"),
                }
            }
        }
    }

    #[test]
    fn valid_bodies_pass() {
        assert!(validate_module("m.wasm", &module(64, 64)).is_ok());
    }
}
