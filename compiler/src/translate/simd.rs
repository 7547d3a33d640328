//! SIMD-128 operators.

use super::FuncTranslator;
use crate::error::Result;
use wasmparser::Operator;

impl FuncTranslator<'_, '_> {
    pub(crate) fn translate_simd(&mut self, _op: &Operator<'_>) -> Result<bool> {
        Ok(false)
    }
}
