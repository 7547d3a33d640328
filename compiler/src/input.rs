//! Reading input: WebAssembly binary or text, detected by content rather than file name.

use crate::error::{Error, Result};
use crate::module::Module;
use std::path::Path;

/// Reads a `.wasm` or `.wat` file, returning its display name and the binary.
pub fn read(path: &Path) -> Result<(String, Vec<u8>)> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok((name.clone(), to_binary(&name, bytes)?))
}

/// Converts text to binary; binary passes through.
pub fn to_binary(name: &str, bytes: Vec<u8>) -> Result<Vec<u8>> {
    if bytes.starts_with(b"\0asm") {
        return Ok(bytes);
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| Error::InvalidWasm {
        file: name.to_string(),
        offset: 0,
        func_index: None,
        message: "neither a WebAssembly binary (no \\0asm magic) nor UTF-8 text".into(),
    })?;
    wat::parse_str(text).map_err(|mut e| {
        e.set_path(name);
        Error::InvalidText {
            file: name.to_string(),
            message: e.to_string(),
        }
    })
}

/// Whether a module uses SIMD-128: it is valid only with the SIMD feature.
pub fn uses_simd(m: &Module) -> bool {
    let without = crate::validate::SUPPORTED.difference(wasmparser::WasmFeatures::SIMD);
    wasmparser::Validator::new_with_features(without)
        .validate_all(&m.bytes)
        .is_err()
}
