//! Scalar integer and float operators.
//!
//! Cranelift's scalar operators were designed with WebAssembly semantics: shifts mask their
//! amount, `sdiv`/`udiv` trap on zero and `sdiv` on overflow, `srem` of `INT_MIN % -1` is 0,
//! `fmin`/`fmax` propagate NaN and order -0 below +0, `fcvt_to_*int` trap with
//! BadConversionToInteger on NaN and IntegerOverflow when out of range. So most operators
//! map one to one.

use super::FuncTranslator;
use crate::error::Result;
use cranelift_codegen::ir::{
    InstBuilder, MemFlagsData, Value, condcodes::FloatCC, condcodes::IntCC, types,
};
use wasmparser::Operator;

impl FuncTranslator<'_, '_> {
    fn binop(&mut self, f: impl FnOnce(&mut Self, Value, Value) -> Value) {
        let (a, b) = self.pop2();
        let v = f(self, a, b);
        self.push(v);
    }

    fn unop(&mut self, f: impl FnOnce(&mut Self, Value) -> Value) {
        let a = self.pop();
        let v = f(self, a);
        self.push(v);
    }

    /// `x` (an unsigned `i64`) as a float of type `ty`, through signed conversions: below
    /// 2^63 it is its signed conversion; otherwise half of it, with the dropped low bit
    /// or'ed in so that it still decides the rounding (round to odd), converted and doubled,
    /// which rounds once, as the unsigned conversion does. See `Arch::u64_to_float_via_signed`
    /// for why.
    fn u64_to_float(&mut self, ty: types::Type, x: Value) -> Value {
        let b = &mut self.builder;
        let (small, big, done) = (b.create_block(), b.create_block(), b.create_block());
        let result = b.append_block_param(done, ty);
        let negative = b.ins().icmp_imm_s(IntCC::SignedLessThan, x, 0);
        b.ins().brif(negative, big, &[], small, &[]);
        b.seal_block(small);
        b.seal_block(big);
        b.switch_to_block(small);
        let v = b.ins().fcvt_from_sint(ty, x);
        b.ins().jump(done, &[v.into()]);
        b.switch_to_block(big);
        let half = b.ins().ushr_imm_u(x, 1);
        let low = b.ins().band_imm_u(x, 1);
        let odd = b.ins().bor(half, low);
        let v = b.ins().fcvt_from_sint(ty, odd);
        let v = b.ins().fadd(v, v);
        b.ins().jump(done, &[v.into()]);
        b.seal_block(done);
        b.switch_to_block(done);
        result
    }

    fn icmp_op(&mut self, cc: IntCC) {
        let (a, b) = self.pop2();
        let c = self.builder.ins().icmp(cc, a, b);
        let v = self.bool_to_i32(c);
        self.push(v);
    }

    fn fcmp_op(&mut self, cc: FloatCC) {
        let (a, b) = self.pop2();
        let c = self.builder.ins().fcmp(cc, a, b);
        let v = self.bool_to_i32(c);
        self.push(v);
    }

    fn eqz(&mut self) {
        let a = self.pop();
        let c = self.builder.ins().icmp_imm_u(IntCC::Equal, a, 0);
        let v = self.bool_to_i32(c);
        self.push(v);
    }

    pub(crate) fn translate_numeric(&mut self, op: &Operator<'_>) -> Result<bool> {
        use types::{F32, F64, I8, I16, I32, I64};
        match *op {
            Operator::I32Const { value } => {
                let v = self.builder.ins().iconst(I32, i64::from(value));
                self.push(v);
            }
            Operator::I64Const { value } => {
                let v = self.builder.ins().iconst(I64, value);
                self.push(v);
            }
            Operator::F32Const { value } => {
                let v = self.builder.ins().f32const(f32::from_bits(value.bits()));
                self.push(v);
            }
            Operator::F64Const { value } => {
                let v = self.builder.ins().f64const(f64::from_bits(value.bits()));
                self.push(v);
            }
            Operator::I32Eqz | Operator::I64Eqz => self.eqz(),
            Operator::I32Eq | Operator::I64Eq => self.icmp_op(IntCC::Equal),
            Operator::I32Ne | Operator::I64Ne => self.icmp_op(IntCC::NotEqual),
            Operator::I32LtS | Operator::I64LtS => self.icmp_op(IntCC::SignedLessThan),
            Operator::I32LtU | Operator::I64LtU => self.icmp_op(IntCC::UnsignedLessThan),
            Operator::I32GtS | Operator::I64GtS => self.icmp_op(IntCC::SignedGreaterThan),
            Operator::I32GtU | Operator::I64GtU => self.icmp_op(IntCC::UnsignedGreaterThan),
            Operator::I32LeS | Operator::I64LeS => self.icmp_op(IntCC::SignedLessThanOrEqual),
            Operator::I32LeU | Operator::I64LeU => self.icmp_op(IntCC::UnsignedLessThanOrEqual),
            Operator::I32GeS | Operator::I64GeS => self.icmp_op(IntCC::SignedGreaterThanOrEqual),
            Operator::I32GeU | Operator::I64GeU => self.icmp_op(IntCC::UnsignedGreaterThanOrEqual),
            Operator::F32Eq | Operator::F64Eq => self.fcmp_op(FloatCC::Equal),
            Operator::F32Ne | Operator::F64Ne => self.fcmp_op(FloatCC::NotEqual),
            Operator::F32Lt | Operator::F64Lt => self.fcmp_op(FloatCC::LessThan),
            Operator::F32Gt | Operator::F64Gt => self.fcmp_op(FloatCC::GreaterThan),
            Operator::F32Le | Operator::F64Le => self.fcmp_op(FloatCC::LessThanOrEqual),
            Operator::F32Ge | Operator::F64Ge => self.fcmp_op(FloatCC::GreaterThanOrEqual),
            Operator::I32Clz | Operator::I64Clz => self.unop(|t, a| t.builder.ins().clz(a)),
            Operator::I32Ctz | Operator::I64Ctz => self.unop(|t, a| t.builder.ins().ctz(a)),
            Operator::I32Popcnt | Operator::I64Popcnt => {
                self.unop(|t, a| t.builder.ins().popcnt(a))
            }
            Operator::I32Add | Operator::I64Add => self.binop(|t, a, b| t.builder.ins().iadd(a, b)),
            Operator::I32Sub | Operator::I64Sub => self.binop(|t, a, b| t.builder.ins().isub(a, b)),
            Operator::I32Mul | Operator::I64Mul => self.binop(|t, a, b| t.builder.ins().imul(a, b)),
            Operator::I32DivS | Operator::I64DivS => {
                self.binop(|t, a, b| t.builder.ins().sdiv(a, b))
            }
            Operator::I32DivU | Operator::I64DivU => {
                self.binop(|t, a, b| t.builder.ins().udiv(a, b))
            }
            Operator::I32RemS | Operator::I64RemS => {
                self.binop(|t, a, b| t.builder.ins().srem(a, b))
            }
            Operator::I32RemU | Operator::I64RemU => {
                self.binop(|t, a, b| t.builder.ins().urem(a, b))
            }
            Operator::I32And | Operator::I64And => self.binop(|t, a, b| t.builder.ins().band(a, b)),
            Operator::I32Or | Operator::I64Or => self.binop(|t, a, b| t.builder.ins().bor(a, b)),
            Operator::I32Xor | Operator::I64Xor => self.binop(|t, a, b| t.builder.ins().bxor(a, b)),
            Operator::I32Shl | Operator::I64Shl => self.binop(|t, a, b| t.builder.ins().ishl(a, b)),
            Operator::I32ShrS | Operator::I64ShrS => {
                self.binop(|t, a, b| t.builder.ins().sshr(a, b))
            }
            Operator::I32ShrU | Operator::I64ShrU => {
                self.binop(|t, a, b| t.builder.ins().ushr(a, b))
            }
            Operator::I32Rotl | Operator::I64Rotl => {
                self.binop(|t, a, b| t.builder.ins().rotl(a, b))
            }
            Operator::I32Rotr | Operator::I64Rotr => {
                self.binop(|t, a, b| t.builder.ins().rotr(a, b))
            }
            Operator::F32Abs | Operator::F64Abs => self.unop(|t, a| t.builder.ins().fabs(a)),
            Operator::F32Neg | Operator::F64Neg => self.unop(|t, a| t.builder.ins().fneg(a)),
            Operator::F32Ceil | Operator::F64Ceil => self.unop(|t, a| t.builder.ins().ceil(a)),
            Operator::F32Floor | Operator::F64Floor => self.unop(|t, a| t.builder.ins().floor(a)),
            Operator::F32Trunc | Operator::F64Trunc => self.unop(|t, a| t.builder.ins().trunc(a)),
            Operator::F32Nearest | Operator::F64Nearest => {
                self.unop(|t, a| t.builder.ins().nearest(a))
            }
            Operator::F32Sqrt | Operator::F64Sqrt => self.unop(|t, a| t.builder.ins().sqrt(a)),
            Operator::F32Add | Operator::F64Add => self.binop(|t, a, b| t.builder.ins().fadd(a, b)),
            Operator::F32Sub | Operator::F64Sub => self.binop(|t, a, b| t.builder.ins().fsub(a, b)),
            Operator::F32Mul | Operator::F64Mul => self.binop(|t, a, b| t.builder.ins().fmul(a, b)),
            Operator::F32Div | Operator::F64Div => self.binop(|t, a, b| t.builder.ins().fdiv(a, b)),
            Operator::F32Min | Operator::F64Min => self.binop(|t, a, b| t.builder.ins().fmin(a, b)),
            Operator::F32Max | Operator::F64Max => self.binop(|t, a, b| t.builder.ins().fmax(a, b)),
            Operator::F32Copysign | Operator::F64Copysign => {
                self.binop(|t, a, b| t.builder.ins().fcopysign(a, b))
            }
            Operator::I32WrapI64 => self.unop(|t, a| t.builder.ins().ireduce(I32, a)),
            Operator::I64ExtendI32S => self.unop(|t, a| t.builder.ins().sextend(I64, a)),
            Operator::I64ExtendI32U => self.unop(|t, a| t.builder.ins().uextend(I64, a)),
            Operator::I32TruncF32S | Operator::I32TruncF64S => {
                self.unop(|t, a| t.builder.ins().fcvt_to_sint(I32, a))
            }
            Operator::I32TruncF32U | Operator::I32TruncF64U => {
                self.unop(|t, a| t.builder.ins().fcvt_to_uint(I32, a))
            }
            Operator::I64TruncF32S | Operator::I64TruncF64S => {
                self.unop(|t, a| t.builder.ins().fcvt_to_sint(I64, a))
            }
            Operator::I64TruncF32U | Operator::I64TruncF64U => {
                self.unop(|t, a| t.builder.ins().fcvt_to_uint(I64, a))
            }
            Operator::I32TruncSatF32S | Operator::I32TruncSatF64S => {
                self.unop(|t, a| t.builder.ins().fcvt_to_sint_sat(I32, a))
            }
            Operator::I32TruncSatF32U | Operator::I32TruncSatF64U => {
                self.unop(|t, a| t.builder.ins().fcvt_to_uint_sat(I32, a))
            }
            Operator::I64TruncSatF32S | Operator::I64TruncSatF64S => {
                self.unop(|t, a| t.builder.ins().fcvt_to_sint_sat(I64, a))
            }
            Operator::I64TruncSatF32U | Operator::I64TruncSatF64U => {
                self.unop(|t, a| t.builder.ins().fcvt_to_uint_sat(I64, a))
            }
            Operator::F32ConvertI32S | Operator::F32ConvertI64S => {
                self.unop(|t, a| t.builder.ins().fcvt_from_sint(F32, a))
            }
            Operator::F32ConvertI64U if self.env.arch.u64_to_float_via_signed => {
                self.unop(|t, a| t.u64_to_float(F32, a))
            }
            Operator::F64ConvertI64U if self.env.arch.u64_to_float_via_signed => {
                self.unop(|t, a| t.u64_to_float(F64, a))
            }
            Operator::F32ConvertI32U | Operator::F32ConvertI64U => {
                self.unop(|t, a| t.builder.ins().fcvt_from_uint(F32, a))
            }
            Operator::F64ConvertI32S | Operator::F64ConvertI64S => {
                self.unop(|t, a| t.builder.ins().fcvt_from_sint(F64, a))
            }
            Operator::F64ConvertI32U | Operator::F64ConvertI64U => {
                self.unop(|t, a| t.builder.ins().fcvt_from_uint(F64, a))
            }
            Operator::F32DemoteF64 => self.unop(|t, a| t.builder.ins().fdemote(F32, a)),
            Operator::F64PromoteF32 => self.unop(|t, a| t.builder.ins().fpromote(F64, a)),
            Operator::I32ReinterpretF32 => {
                self.unop(|t, a| t.builder.ins().bitcast(I32, MemFlagsData::new(), a))
            }
            Operator::I64ReinterpretF64 => {
                self.unop(|t, a| t.builder.ins().bitcast(I64, MemFlagsData::new(), a))
            }
            Operator::F32ReinterpretI32 => {
                self.unop(|t, a| t.builder.ins().bitcast(F32, MemFlagsData::new(), a))
            }
            Operator::F64ReinterpretI64 => {
                self.unop(|t, a| t.builder.ins().bitcast(F64, MemFlagsData::new(), a))
            }
            Operator::I32Extend8S => self.sign_extend(I32, I8),
            Operator::I32Extend16S => self.sign_extend(I32, I16),
            Operator::I64Extend8S => self.sign_extend(I64, I8),
            Operator::I64Extend16S => self.sign_extend(I64, I16),
            Operator::I64Extend32S => self.sign_extend(I64, I32),
            Operator::I64Add128 => self.wide_binop(|t, a, b| t.builder.ins().iadd(a, b)),
            Operator::I64Sub128 => self.wide_binop(|t, a, b| t.builder.ins().isub(a, b)),
            Operator::I64MulWideS => self.mul_wide(true),
            Operator::I64MulWideU => self.mul_wide(false),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A wide-arithmetic operator on two 128-bit operands, each given as its low and high
    /// `i64` halves (low first, as on the stack), leaving the result's halves the same way.
    fn wide_binop(&mut self, f: impl FnOnce(&mut Self, Value, Value) -> Value) {
        let [a_lo, a_hi, b_lo, b_hi] = self.pop_n(4)[..] else {
            unreachable!("validated: 128-bit operators take four operands")
        };
        let a = self.builder.ins().iconcat(a_lo, a_hi);
        let b = self.builder.ins().iconcat(b_lo, b_hi);
        let v = f(self, a, b);
        let (lo, hi) = self.builder.ins().isplit(v);
        self.push(lo);
        self.push(hi);
    }

    /// `i64.mul_wide_s`/`_u`: the full 128-bit product of two `i64`s, low half first.
    fn mul_wide(&mut self, signed: bool) {
        let (a, b) = self.pop2();
        let lo = self.builder.ins().imul(a, b);
        let hi = if signed {
            self.builder.ins().smulhi(a, b)
        } else {
            self.builder.ins().umulhi(a, b)
        };
        self.push(lo);
        self.push(hi);
    }

    fn sign_extend(&mut self, to: types::Type, from: types::Type) {
        self.unop(|t, a| {
            let narrow = t.builder.ins().ireduce(from, a);
            t.builder.ins().sextend(to, narrow)
        });
    }
}
