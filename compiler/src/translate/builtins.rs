//! Calls to compiler-runtime functions that the target does in a few instructions.
//!
//! WebAssembly has no 128-bit integers, so LLVM lowers `u128`/`i128` arithmetic that needs
//! more than adds and constant shifts to calls of the compiler runtime:
//! - `__multi3` (every 128-bit multiply: Rust's `u128`, `u64::checked_mul`, wyrand-style
//!   hashes and random number generators) builds the high half from four 32-bit partial
//!   products: ~30 instructions, a call and a round trip through the shadow stack where a
//!   native build uses one `mul`. Translated as the multiply itself
//!   ([`FuncTranslator::call_multi3`]).
//! - `__udivti3`, `__umodti3`, `__divti3`, `__modti3` (128-bit `/` and `%`, e.g. a modular
//!   multiply `(a as u128 * b as u128 % m as u128)`) divide in software, hundreds of
//!   instructions. Translated as a 64-bit division when both operands fit in 64 bits and a
//!   call of the runtime's native 128-bit division otherwise
//!   ([`FuncTranslator::call_int128_div`]).
//! - `__ashlti3`, `__lshrti3`, `__ashrti3` (128-bit shifts by a variable amount): one
//!   Cranelift `i128` shift, a few instructions.
//!
//! Every one of them takes the address of its 128-bit result as its first parameter and
//! returns nothing; the replacement makes the same two `i64` stores (low half at offset 0,
//! then high half at offset 8) through the ordinary store path, bounds checks and traps
//! included.
//!
//! Invariant: a function is only recognised when it is defined in the module, memory 0
//! exists and is 32-bit (the replacement stores through it), the name section gives it one
//! of these names (reserved to the compiler runtime, whose meaning
//! every toolchain that emits calls to them relies on) and its type is the one the name
//! implies. `__multi3` must in addition have a straight-line body of integer arithmetic whose
//! only effects are the two stores. A module that lies about a name can only change its own
//! results, never reach outside its memory; a zero divisor traps (integer divide by zero),
//! where the compiler runtime's behaviour is undefined. Without a name section nothing is
//! recognised and calls stay calls.

use super::FuncTranslator;
use crate::error::{Error, Result};
use crate::module::Module;
use cranelift_codegen::ir::{InstBuilder, TrapCode, Value, types::I64};
use wasmparser::{MemArg, MemArgTarget, Operator, ValType};

/// A compiler-runtime function that calls are translated inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RuntimeFn {
    /// `__multi3`: 128-bit multiply.
    Multi3,
    /// `__udivti3` etc.: 128-bit division, the runtime builtin that does it in general and
    /// whether it asks for the remainder.
    Div {
        builtin: &'static str,
        remainder: bool,
    },
    /// `__ashlti3` etc.: 128-bit shift.
    Shift(Shift),
}

/// The direction and kind of a 128-bit shift.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shift {
    Left,
    RightUnsigned,
    RightSigned,
}

/// Which compiler-runtime function `func` of `module` is, as the module docs define it.
pub(crate) fn recognise(module: &Module, func: u32) -> Option<RuntimeFn> {
    let div = |builtin, remainder| RuntimeFn::Div { builtin, remainder };
    let name = module.func_names.get(&func)?;
    let which = match name.as_str() {
        "__multi3" => RuntimeFn::Multi3,
        "__udivti3" => div("int128_udiv", false),
        "__umodti3" => div("int128_urem", true),
        "__divti3" => div("int128_sdiv", false),
        "__modti3" => div("int128_srem", true),
        "__ashlti3" => RuntimeFn::Shift(Shift::Left),
        "__lshrti3" => RuntimeFn::Shift(Shift::RightUnsigned),
        "__ashrti3" => RuntimeFn::Shift(Shift::RightSigned),
        _ => return None,
    };
    // The replacement stores through an `i32` address into memory 0, which must therefore
    // exist and be 32-bit (a body that stores nothing could otherwise have neither).
    if module.is_imported_func(func) || module.memories.first().is_none_or(|m| m.memory64) {
        return None;
    }
    let ty = module.func_type(func);
    let (i32, i64) = (ValType::I32, ValType::I64);
    let params: &[ValType] = match which {
        RuntimeFn::Multi3 | RuntimeFn::Div { .. } => &[i32, i64, i64, i64, i64],
        RuntimeFn::Shift(_) => &[i32, i64, i64, i32],
    };
    if ty.params() != params || !ty.results().is_empty() {
        return None;
    }
    if which == RuntimeFn::Multi3 && straight_line_stores(module, func) != Some([0, 8]) {
        return None;
    }
    Some(which)
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
    /// A call of the compiler-runtime function `which`, its operands on the stack.
    pub(crate) fn call_runtime_fn(&mut self, which: RuntimeFn) -> Result<()> {
        match which {
            RuntimeFn::Multi3 => self.call_multi3(),
            RuntimeFn::Div { builtin, remainder } => self.call_int128_div(builtin, remainder),
            RuntimeFn::Shift(shift) => self.call_int128_shift(shift),
        }
    }

    /// Stores a 128-bit result's halves at `at` as the compiler runtime does: low half at
    /// offset 0, then high half at offset 8.
    fn store_halves(&mut self, at: Value, lo: Value, hi: Value) -> Result<()> {
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

    /// A call of a 128-bit division (operands: result address, dividend's and divisor's
    /// low and high halves). A zero divisor traps; operands that both fit in 64 bits
    /// (high halves zero, so non-negative for the signed kinds too) take one 64-bit
    /// division; the rest call `builtin`, the runtime's native 128-bit division.
    fn call_int128_div(&mut self, builtin: &'static str, remainder: bool) -> Result<()> {
        let [at, a_lo, a_hi, b_lo, b_hi] = self.pop_n(5)[..] else {
            unreachable!("validated: 128-bit divisions take five operands")
        };
        let b = &mut self.builder;
        let divisor = b.ins().bor(b_lo, b_hi);
        b.ins().trapz(divisor, TrapCode::INTEGER_DIVISION_BY_ZERO);
        let high = b.ins().bor(a_hi, b_hi);
        let (narrow, wide, done) = (b.create_block(), b.create_block(), b.create_block());
        let lo = b.append_block_param(done, I64);
        let hi = b.append_block_param(done, I64);
        b.ins().brif(high, wide, &[], narrow, &[]);
        b.seal_block(narrow);
        b.seal_block(wide);

        b.switch_to_block(narrow);
        let v = if remainder {
            b.ins().urem(a_lo, b_lo)
        } else {
            b.ins().udiv(a_lo, b_lo)
        };
        let zero = b.ins().iconst(I64, 0);
        b.ins().jump(done, &[v.into(), zero.into()]);

        b.switch_to_block(wide);
        let a = b.ins().iconcat(a_lo, a_hi);
        let d = b.ins().iconcat(b_lo, b_hi);
        let v = self
            .call_builtin(builtin, &[a, d])?
            .ok_or_else(|| Error::Internal(format!("builtin {builtin} returns nothing")))?;
        let b = &mut self.builder;
        let (v_lo, v_hi) = b.ins().isplit(v);
        b.ins().jump(done, &[v_lo.into(), v_hi.into()]);
        b.seal_block(done);
        b.switch_to_block(done);
        self.store_halves(at, lo, hi)
    }

    /// A call of a 128-bit shift (operands: result address, the value's low and high
    /// halves, the amount): one `i128` shift, whose amount Cranelift takes modulo 128 as
    /// Rust's wrapping shifts do (the compiler runtime is only called with amounts below 128).
    fn call_int128_shift(&mut self, shift: Shift) -> Result<()> {
        let [at, lo, hi, amount] = self.pop_n(4)[..] else {
            unreachable!("validated: 128-bit shifts take four operands")
        };
        let b = &mut self.builder;
        let v = b.ins().iconcat(lo, hi);
        let v = match shift {
            Shift::Left => b.ins().ishl(v, amount),
            Shift::RightUnsigned => b.ins().ushr(v, amount),
            Shift::RightSigned => b.ins().sshr(v, amount),
        };
        let (lo, hi) = b.ins().isplit(v);
        self.store_halves(at, lo, hi)
    }

    /// A call of `__multi3` (operands: result address, a's low and high halves, b's low and
    /// high halves): the low 128 bits of a * b, stored low half first as the callee does.
    fn call_multi3(&mut self) -> Result<()> {
        let [at, a_lo, a_hi, b_lo, b_hi] = self.pop_n(5)[..] else {
            unreachable!("validated: __multi3 takes five operands")
        };
        let lo = self.builder.ins().imul(a_lo, b_lo);
        let carry = self.builder.ins().umulhi(a_lo, b_lo);
        let cross_a = self.builder.ins().imul(a_lo, b_hi);
        let cross_b = self.builder.ins().imul(a_hi, b_lo);
        let cross = self.builder.ins().iadd(cross_a, cross_b);
        let hi = self.builder.ins().iadd(carry, cross);
        self.store_halves(at, lo, hi)
    }
}
