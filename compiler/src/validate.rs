//! Validation: which WebAssembly smelt accepts, and clear errors for the rest.
//!
//! Input is validated with exactly the features smelt compiles ([`SUPPORTED`]). When that
//! fails but the module is valid with a proposal smelt does not compile yet, the error says
//! "not supported yet: <proposal>" instead of calling valid input invalid.

use crate::error::{Error, Result};
use wasmparser::{Parser, Payload, Validator, WasmFeatures};

/// The features smelt compiles: WebAssembly 2.0 plus tail calls, extended-const,
/// multi-memory, memory64 and typed function references.
pub const SUPPORTED: WasmFeatures = WasmFeatures::WASM2
    .union(WasmFeatures::TAIL_CALL)
    .union(WasmFeatures::EXTENDED_CONST)
    .union(WasmFeatures::MULTI_MEMORY)
    .union(WasmFeatures::MEMORY64)
    .union(WasmFeatures::FUNCTION_REFERENCES);

/// Proposals that are valid WebAssembly but not compiled yet, with their names.
const LATER: [(WasmFeatures, &str); 6] = [
    (WasmFeatures::EXCEPTIONS, "exception handling"),
    (WasmFeatures::LEGACY_EXCEPTIONS, "legacy exception handling"),
    (WasmFeatures::GC, "garbage collection (GC)"),
    (WasmFeatures::THREADS, "threads and atomics"),
    (WasmFeatures::RELAXED_SIMD, "relaxed SIMD"),
    (WasmFeatures::WIDE_ARITHMETIC, "wide arithmetic"),
];

/// Validates a core module, naming the file, offset and function of the first error.
pub fn validate_module(file: &str, bytes: &[u8]) -> Result<()> {
    let Err(e) = Validator::new_with_features(SUPPORTED).validate_all(bytes) else {
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
pub fn validate_component(file: &str, bytes: &[u8]) -> Result<wasmparser::types::Types> {
    Validator::new_with_features(SUPPORTED | COMPONENT_FEATURES)
        .validate_all(bytes)
        .map_err(|e| Error::InvalidWasm {
            file: file.into(),
            offset: e.offset(),
            func_index: None,
            message: e.message().to_string(),
        })
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
