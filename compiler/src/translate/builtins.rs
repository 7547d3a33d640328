//! Calls to compiler-runtime functions that the target does in a few instructions.
//!
//! WebAssembly has no 64 x 64 -> 128-bit multiply, so LLVM lowers every `u128`/`i128`
//! multiply (Rust's `u128` arithmetic, `u64::checked_mul`, wyrand-style hashes and random
//! number generators) to a call of the compiler runtime's `__multi3`, whose body builds the
//! high half from four 32-bit partial products: ~30 instructions, a call and a round trip
//! through the shadow stack where a native build uses one `mul`. A call to such a function is
//! translated as the multiply itself ([`FuncTranslator::call_multi3`]).
//!
//! Invariant: a function is only recognised when everything about it agrees: the name
//! section calls it `__multi3` (a name reserved to the compiler runtime, whose meaning
//! every toolchain that emits calls to it relies on), it is defined in the module, its type is
//! `(i32 i64 i64 i64 i64) -> ()`, and its body is straight-line integer arithmetic whose only
//! effects are two `i64.store`s to memory 0 at offsets 0 and 8 of its first parameter. The
//! replacement makes the same two stores in the same order through the ordinary store path
//! (bounds checks and traps included), so a module that lies about the name can only change
//! its own results, never reach outside its memory. Without a name section nothing is
//! recognised and the call stays a call.

use super::FuncTranslator;
use crate::error::Result;
use crate::module::Module;
use cranelift_codegen::ir::InstBuilder;
use wasmparser::{MemArg, MemArgTarget, Operator, ValType};

/// Whether function `func` of `module` is the compiler runtime's 128-bit multiply, as the
/// module docs define it.
pub(crate) fn is_multi3(module: &Module, func: u32) -> bool {
    if module.is_imported_func(func)
        || module.func_names.get(&func).map(String::as_str) != Some("__multi3")
    {
        return false;
    }
    let ty = module.func_type(func);
    use ValType::{I32, I64};
    if ty.params() != [I32, I64, I64, I64, I64] || !ty.results().is_empty() {
        return false;
    }
    straight_line_stores(module, func) == Some([0, 8])
}

/// The offsets of the two `i64.store`s to memory 0 that are the only effects of `func`'s
/// body, in order, if the body is straight-line integer arithmetic on locals; else `None`.
fn straight_line_stores(module: &Module, func: u32) -> Option<[u64; 2]> {
    let body = module.body(func);
    let mut stores = Vec::new();
    for op in body.get_operators_reader().ok()? {
        match op.ok()? {
            Operator::I64Store {
                memarg:
                    MemArg {
                        offset,
                        target: MemArgTarget::Memory(0),
                        ordering: None,
                        ..
                    },
            } => stores.push(offset),
            Operator::LocalGet { .. }
            | Operator::LocalSet { .. }
            | Operator::LocalTee { .. }
            | Operator::I32Const { .. }
            | Operator::I64Const { .. }
            | Operator::I64Add
            | Operator::I64Sub
            | Operator::I64Mul
            | Operator::I64And
            | Operator::I64Or
            | Operator::I64Xor
            | Operator::I64Shl
            | Operator::I64ShrU
            | Operator::I64ShrS
            | Operator::I64Eq
            | Operator::I64Ne
            | Operator::I64Eqz
            | Operator::I64LtU
            | Operator::I64GtU
            | Operator::I64ExtendI32U
            | Operator::I32WrapI64
            | Operator::I32Add
            | Operator::Select
            | Operator::End => {}
            _ => return None,
        }
    }
    stores.try_into().ok()
}

impl FuncTranslator<'_, '_> {
    /// A call of `__multi3` (operands: result address, a's low and high halves, b's low and
    /// high halves): the low 128 bits of a * b, stored low half first as the callee does.
    pub(crate) fn call_multi3(&mut self) -> Result<()> {
        let [at, a_lo, a_hi, b_lo, b_hi] = self.pop_n(5)[..] else {
            unreachable!("validated: __multi3 takes five operands")
        };
        let lo = self.builder.ins().imul(a_lo, b_lo);
        let carry = self.builder.ins().umulhi(a_lo, b_lo);
        let cross_a = self.builder.ins().imul(a_lo, b_hi);
        let cross_b = self.builder.ins().imul(a_hi, b_lo);
        let cross = self.builder.ins().iadd(cross_a, cross_b);
        let hi = self.builder.ins().iadd(carry, cross);
        for (offset, half) in [(0, lo), (8, hi)] {
            self.push(at);
            self.push(half);
            let memarg = MemArg {
                align: 3,
                max_align: 3,
                offset,
                target: MemArgTarget::Memory(0),
                ordering: None,
            };
            self.store(&memarg, 8)?;
        }
        Ok(())
    }
}
