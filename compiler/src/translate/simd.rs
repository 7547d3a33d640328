//! SIMD-128 operators (the finished `simd` proposal; relaxed SIMD is not compiled).
//!
//! A `v128` on the operand stack is always an `i8x16` value (see [`super::clif_type`]). Each
//! operator bitcasts its operands to the lane shape it works on (`i16x8`, `f32x4`, …) and
//! bitcasts its result back to `i8x16`. A bitcast between 128-bit vector shapes lowers to
//! no instruction on all three backends.
//!
//! Most operators map to one Cranelift instruction whose semantics were designed for wasm:
//! vector shifts mask their amount by the lane width, `swizzle` yields 0 for out-of-range
//! indices, `fmin`/`fmax` propagate NaN and order -0 below +0, `fcvt_to_*int_sat` saturate,
//! `snarrow`/`unarrow` saturate from signed inputs. The rest are short sequences written in
//! the shapes the backends pattern-match (extended multiplies, pairwise adds, `pmin`/`pmax`,
//! the `_zero` conversions), so they still lower to single instructions where one exists.
//!
//! Operators are grouped as: memory, lanes (constants, shuffles, splats, lane access),
//! comparisons, bitwise, integer arithmetic, float arithmetic, conversions.

use super::FuncTranslator;
use super::memory::heap_flags;
use crate::error::Result;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32X4, F64X2, I8, I8X16, I16, I16X8, I32, I32X4, I64X2};
use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, Type, Value};
use wasmparser::{MemArg, Operator};

/// Flags of a bitcast between vector shapes: wasm numbers lanes in little-endian order.
pub(crate) fn lane_order() -> MemFlagsData {
    MemFlagsData::new().with_endianness(ir::Endianness::Little)
}

/// How `v128.loadNxM_{s,u}` widens its lanes.
#[derive(Clone, Copy)]
enum Extend {
    S8x8,
    U8x8,
    S16x4,
    U16x4,
    S32x2,
    U32x2,
}

// Helpers: shape changes and the common operator shapes.
impl FuncTranslator<'_, '_> {
    /// Reinterprets vector `v` as type `ty` (no instruction if it already is).
    fn as_shape(&mut self, ty: Type, v: Value) -> Value {
        if self.builder.func.dfg.value_type(v) == ty {
            v
        } else {
            self.builder.ins().bitcast(ty, lane_order(), v)
        }
    }

    /// Pops a `v128` as type `ty`.
    fn pop_shape(&mut self, ty: Type) -> Value {
        let v = self.pop();
        self.as_shape(ty, v)
    }

    /// Pops two `v128`s as type `ty`.
    fn pop2_shape(&mut self, ty: Type) -> (Value, Value) {
        let (a, b) = self.pop2();
        (self.as_shape(ty, a), self.as_shape(ty, b))
    }

    /// Pushes a vector of any shape as a `v128` (`i8x16`).
    fn push_v128(&mut self, v: Value) {
        let v = self.as_shape(I8X16, v);
        self.push(v);
    }

    /// An all-zero vector of type `ty`.
    fn vzero(&mut self, ty: Type) -> Value {
        self.vconst(ty, [0; 16])
    }

    /// A vector constant of type `ty` from its little-endian bytes.
    fn vconst(&mut self, ty: Type, bytes: [u8; 16]) -> Value {
        let c = self
            .builder
            .func
            .dfg
            .constants
            .insert(bytes.to_vec().into());
        self.builder.ins().vconst(ty, c)
    }

    /// `v128 -> v128`, operating on shape `ty`.
    fn vunop(&mut self, ty: Type, f: impl FnOnce(&mut Self, Value) -> Value) {
        let a = self.pop_shape(ty);
        let v = f(self, a);
        self.push_v128(v);
    }

    /// `v128 v128 -> v128`, operating on shape `ty`.
    fn vbinop(&mut self, ty: Type, f: impl FnOnce(&mut Self, Value, Value) -> Value) {
        let (a, b) = self.pop2_shape(ty);
        let v = f(self, a, b);
        self.push_v128(v);
    }

    /// Integer lane comparison: each lane becomes all ones or all zeros.
    fn vicmp(&mut self, ty: Type, cc: IntCC) {
        self.vbinop(ty, |t, a, b| t.builder.ins().icmp(cc, a, b));
    }

    /// Float lane comparison: each lane becomes all ones or all zeros.
    fn vfcmp(&mut self, ty: Type, cc: FloatCC) {
        self.vbinop(ty, |t, a, b| t.builder.ins().fcmp(cc, a, b));
    }

    /// `v128 i32 -> v128` shifts. Cranelift's vector shifts take a scalar amount and mask it
    /// by the lane width, as wasm requires.
    fn vshift(&mut self, ty: Type, f: impl FnOnce(&mut Self, Value, Value) -> Value) {
        let amount = self.pop();
        let a = self.pop_shape(ty);
        let v = f(self, a, amount);
        self.push_v128(v);
    }

    /// `v128 -> i32` reductions (`all_true`, `bitmask`).
    fn vreduce(&mut self, ty: Type, f: impl FnOnce(&mut Self, Value) -> Value) {
        let a = self.pop_shape(ty);
        let v = f(self, a);
        self.push(v);
    }

    /// The narrow (`i8`/`i16`) lane value of a wasm `i32`; other scalars pass through.
    fn lane_scalar(&mut self, lane: Type, v: Value) -> Value {
        if lane.bits() < 32 {
            self.builder.ins().ireduce(lane, v)
        } else {
            v
        }
    }
}

// Memory.
impl FuncTranslator<'_, '_> {
    /// `v128.loadNxM_{s,u}`: eight bytes widened to 16-bit, 32-bit or 64-bit lanes.
    fn load_extend(&mut self, memarg: &MemArg, kind: Extend) -> Result<()> {
        let index = self.pop();
        let (addr, off) = self.heap_addr(memarg, index, 8)?;
        let (f, ins) = (heap_flags(), self.builder.ins());
        let v = match kind {
            Extend::S8x8 => ins.sload8x8(f, addr, off),
            Extend::U8x8 => ins.uload8x8(f, addr, off),
            Extend::S16x4 => ins.sload16x4(f, addr, off),
            Extend::U16x4 => ins.uload16x4(f, addr, off),
            Extend::S32x2 => ins.sload32x2(f, addr, off),
            Extend::U32x2 => ins.uload32x2(f, addr, off),
        };
        self.push_v128(v);
        Ok(())
    }

    /// Loads one scalar of type `lane` at the popped index.
    fn load_scalar(&mut self, memarg: &MemArg, lane: Type) -> Result<Value> {
        let index = self.pop();
        let (addr, off) = self.heap_addr(memarg, index, lane.bytes())?;
        Ok(self.builder.ins().load(lane, heap_flags(), addr, off))
    }

    /// `v128.loadN_splat`: one scalar copied to every lane of `ty`.
    fn load_splat(&mut self, memarg: &MemArg, ty: Type) -> Result<()> {
        let x = self.load_scalar(memarg, ty.lane_type())?;
        let v = self.builder.ins().splat(ty, x);
        self.push_v128(v);
        Ok(())
    }

    /// `v128.loadN_zero`: one scalar in lane 0 of `ty`, the other lanes zero.
    fn load_zero(&mut self, memarg: &MemArg, ty: Type) -> Result<()> {
        let x = self.load_scalar(memarg, ty.lane_type())?;
        let v = self.builder.ins().scalar_to_vector(ty, x);
        self.push_v128(v);
        Ok(())
    }

    /// `v128.loadN_lane`: replaces lane `lane` of the popped vector with a loaded scalar.
    fn load_lane(&mut self, memarg: &MemArg, ty: Type, lane: u8) -> Result<()> {
        let v = self.pop_shape(ty);
        let x = self.load_scalar(memarg, ty.lane_type())?;
        let v = self.builder.ins().insertlane(v, x, lane);
        self.push_v128(v);
        Ok(())
    }

    /// `v128.storeN_lane`: stores lane `lane` of the popped vector.
    fn store_lane(&mut self, memarg: &MemArg, ty: Type, lane: u8) -> Result<()> {
        let v = self.pop_shape(ty);
        let index = self.pop();
        let x = self.builder.ins().extractlane(v, lane);
        let (addr, off) = self.heap_addr(memarg, index, ty.lane_type().bytes())?;
        self.builder.ins().store(heap_flags(), x, addr, off);
        Ok(())
    }

    /// SIMD loads and stores other than plain `v128.load`/`v128.store` (in `memory.rs`).
    fn simd_memory(&mut self, op: &Operator<'_>) -> Result<bool> {
        match op {
            Operator::V128Load8x8S { memarg } => self.load_extend(memarg, Extend::S8x8)?,
            Operator::V128Load8x8U { memarg } => self.load_extend(memarg, Extend::U8x8)?,
            Operator::V128Load16x4S { memarg } => self.load_extend(memarg, Extend::S16x4)?,
            Operator::V128Load16x4U { memarg } => self.load_extend(memarg, Extend::U16x4)?,
            Operator::V128Load32x2S { memarg } => self.load_extend(memarg, Extend::S32x2)?,
            Operator::V128Load32x2U { memarg } => self.load_extend(memarg, Extend::U32x2)?,
            Operator::V128Load8Splat { memarg } => self.load_splat(memarg, I8X16)?,
            Operator::V128Load16Splat { memarg } => self.load_splat(memarg, I16X8)?,
            Operator::V128Load32Splat { memarg } => self.load_splat(memarg, I32X4)?,
            Operator::V128Load64Splat { memarg } => self.load_splat(memarg, I64X2)?,
            Operator::V128Load32Zero { memarg } => self.load_zero(memarg, I32X4)?,
            Operator::V128Load64Zero { memarg } => self.load_zero(memarg, I64X2)?,
            Operator::V128Load8Lane { memarg, lane } => self.load_lane(memarg, I8X16, *lane)?,
            Operator::V128Load16Lane { memarg, lane } => self.load_lane(memarg, I16X8, *lane)?,
            Operator::V128Load32Lane { memarg, lane } => self.load_lane(memarg, I32X4, *lane)?,
            Operator::V128Load64Lane { memarg, lane } => self.load_lane(memarg, I64X2, *lane)?,
            Operator::V128Store8Lane { memarg, lane } => self.store_lane(memarg, I8X16, *lane)?,
            Operator::V128Store16Lane { memarg, lane } => self.store_lane(memarg, I16X8, *lane)?,
            Operator::V128Store32Lane { memarg, lane } => self.store_lane(memarg, I32X4, *lane)?,
            Operator::V128Store64Lane { memarg, lane } => self.store_lane(memarg, I64X2, *lane)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

// Lanes: constants, shuffles, splats, lane access.
impl FuncTranslator<'_, '_> {
    /// `splat`: the popped scalar copied to every lane of `ty`.
    fn splat(&mut self, ty: Type) {
        let x = self.pop();
        let x = self.lane_scalar(ty.lane_type(), x);
        let v = self.builder.ins().splat(ty, x);
        self.push_v128(v);
    }

    /// `extract_lane`, sign- or zero-extending `i8`/`i16` lanes to `i32`.
    fn extract_lane(&mut self, ty: Type, lane: u8, signed: bool) {
        let v = self.pop_shape(ty);
        let x = self.builder.ins().extractlane(v, lane);
        let x = match ty.lane_type() {
            I8 | I16 if signed => self.builder.ins().sextend(I32, x),
            I8 | I16 => self.builder.ins().uextend(I32, x),
            _ => x,
        };
        self.push(x);
    }

    /// `replace_lane`.
    fn replace_lane(&mut self, ty: Type, lane: u8) {
        let x = self.pop();
        let v = self.pop_shape(ty);
        let x = self.lane_scalar(ty.lane_type(), x);
        let v = self.builder.ins().insertlane(v, x, lane);
        self.push_v128(v);
    }

    fn simd_lanes(&mut self, op: &Operator<'_>) -> bool {
        match op {
            Operator::V128Const { value } => {
                let v = self.vconst(I8X16, *value.bytes());
                self.push(v);
            }
            Operator::I8x16Shuffle { lanes } => {
                let (a, b) = self.pop2_shape(I8X16);
                let mask = self.builder.func.dfg.immediates.push(lanes.to_vec().into());
                let v = self.builder.ins().shuffle(a, b, mask);
                self.push(v);
            }
            // Cranelift's `swizzle` yields 0 for indices >= 16, as wasm does.
            Operator::I8x16Swizzle => self.vbinop(I8X16, |t, a, s| t.builder.ins().swizzle(a, s)),
            Operator::I8x16Splat => self.splat(I8X16),
            Operator::I16x8Splat => self.splat(I16X8),
            Operator::I32x4Splat => self.splat(I32X4),
            Operator::I64x2Splat => self.splat(I64X2),
            Operator::F32x4Splat => self.splat(F32X4),
            Operator::F64x2Splat => self.splat(F64X2),
            Operator::I8x16ExtractLaneS { lane } => self.extract_lane(I8X16, *lane, true),
            Operator::I8x16ExtractLaneU { lane } => self.extract_lane(I8X16, *lane, false),
            Operator::I16x8ExtractLaneS { lane } => self.extract_lane(I16X8, *lane, true),
            Operator::I16x8ExtractLaneU { lane } => self.extract_lane(I16X8, *lane, false),
            Operator::I32x4ExtractLane { lane } => self.extract_lane(I32X4, *lane, false),
            Operator::I64x2ExtractLane { lane } => self.extract_lane(I64X2, *lane, false),
            Operator::F32x4ExtractLane { lane } => self.extract_lane(F32X4, *lane, false),
            Operator::F64x2ExtractLane { lane } => self.extract_lane(F64X2, *lane, false),
            Operator::I8x16ReplaceLane { lane } => self.replace_lane(I8X16, *lane),
            Operator::I16x8ReplaceLane { lane } => self.replace_lane(I16X8, *lane),
            Operator::I32x4ReplaceLane { lane } => self.replace_lane(I32X4, *lane),
            Operator::I64x2ReplaceLane { lane } => self.replace_lane(I64X2, *lane),
            Operator::F32x4ReplaceLane { lane } => self.replace_lane(F32X4, *lane),
            Operator::F64x2ReplaceLane { lane } => self.replace_lane(F64X2, *lane),
            _ => return false,
        }
        true
    }
}

// Comparisons.
impl FuncTranslator<'_, '_> {
    fn simd_compare(&mut self, op: &Operator<'_>) -> bool {
        use IntCC::*;
        match op {
            Operator::I8x16Eq => self.vicmp(I8X16, Equal),
            Operator::I8x16Ne => self.vicmp(I8X16, NotEqual),
            Operator::I8x16LtS => self.vicmp(I8X16, SignedLessThan),
            Operator::I8x16LtU => self.vicmp(I8X16, UnsignedLessThan),
            Operator::I8x16GtS => self.vicmp(I8X16, SignedGreaterThan),
            Operator::I8x16GtU => self.vicmp(I8X16, UnsignedGreaterThan),
            Operator::I8x16LeS => self.vicmp(I8X16, SignedLessThanOrEqual),
            Operator::I8x16LeU => self.vicmp(I8X16, UnsignedLessThanOrEqual),
            Operator::I8x16GeS => self.vicmp(I8X16, SignedGreaterThanOrEqual),
            Operator::I8x16GeU => self.vicmp(I8X16, UnsignedGreaterThanOrEqual),
            Operator::I16x8Eq => self.vicmp(I16X8, Equal),
            Operator::I16x8Ne => self.vicmp(I16X8, NotEqual),
            Operator::I16x8LtS => self.vicmp(I16X8, SignedLessThan),
            Operator::I16x8LtU => self.vicmp(I16X8, UnsignedLessThan),
            Operator::I16x8GtS => self.vicmp(I16X8, SignedGreaterThan),
            Operator::I16x8GtU => self.vicmp(I16X8, UnsignedGreaterThan),
            Operator::I16x8LeS => self.vicmp(I16X8, SignedLessThanOrEqual),
            Operator::I16x8LeU => self.vicmp(I16X8, UnsignedLessThanOrEqual),
            Operator::I16x8GeS => self.vicmp(I16X8, SignedGreaterThanOrEqual),
            Operator::I16x8GeU => self.vicmp(I16X8, UnsignedGreaterThanOrEqual),
            Operator::I32x4Eq => self.vicmp(I32X4, Equal),
            Operator::I32x4Ne => self.vicmp(I32X4, NotEqual),
            Operator::I32x4LtS => self.vicmp(I32X4, SignedLessThan),
            Operator::I32x4LtU => self.vicmp(I32X4, UnsignedLessThan),
            Operator::I32x4GtS => self.vicmp(I32X4, SignedGreaterThan),
            Operator::I32x4GtU => self.vicmp(I32X4, UnsignedGreaterThan),
            Operator::I32x4LeS => self.vicmp(I32X4, SignedLessThanOrEqual),
            Operator::I32x4LeU => self.vicmp(I32X4, UnsignedLessThanOrEqual),
            Operator::I32x4GeS => self.vicmp(I32X4, SignedGreaterThanOrEqual),
            Operator::I32x4GeU => self.vicmp(I32X4, UnsignedGreaterThanOrEqual),
            Operator::I64x2Eq => self.vicmp(I64X2, Equal),
            Operator::I64x2Ne => self.vicmp(I64X2, NotEqual),
            Operator::I64x2LtS => self.vicmp(I64X2, SignedLessThan),
            Operator::I64x2GtS => self.vicmp(I64X2, SignedGreaterThan),
            Operator::I64x2LeS => self.vicmp(I64X2, SignedLessThanOrEqual),
            Operator::I64x2GeS => self.vicmp(I64X2, SignedGreaterThanOrEqual),
            // `ne` is true for unordered operands; the others are false.
            Operator::F32x4Eq => self.vfcmp(F32X4, FloatCC::Equal),
            Operator::F32x4Ne => self.vfcmp(F32X4, FloatCC::NotEqual),
            Operator::F32x4Lt => self.vfcmp(F32X4, FloatCC::LessThan),
            Operator::F32x4Gt => self.vfcmp(F32X4, FloatCC::GreaterThan),
            Operator::F32x4Le => self.vfcmp(F32X4, FloatCC::LessThanOrEqual),
            Operator::F32x4Ge => self.vfcmp(F32X4, FloatCC::GreaterThanOrEqual),
            Operator::F64x2Eq => self.vfcmp(F64X2, FloatCC::Equal),
            Operator::F64x2Ne => self.vfcmp(F64X2, FloatCC::NotEqual),
            Operator::F64x2Lt => self.vfcmp(F64X2, FloatCC::LessThan),
            Operator::F64x2Gt => self.vfcmp(F64X2, FloatCC::GreaterThan),
            Operator::F64x2Le => self.vfcmp(F64X2, FloatCC::LessThanOrEqual),
            Operator::F64x2Ge => self.vfcmp(F64X2, FloatCC::GreaterThanOrEqual),
            _ => return false,
        }
        true
    }
}

// Bitwise operators and whole-vector tests.
impl FuncTranslator<'_, '_> {
    fn simd_bitwise(&mut self, op: &Operator<'_>) -> bool {
        match op {
            Operator::V128Not => self.vunop(I8X16, |t, a| t.builder.ins().bnot(a)),
            Operator::V128And => self.vbinop(I8X16, |t, a, b| t.builder.ins().band(a, b)),
            Operator::V128AndNot => self.vbinop(I8X16, |t, a, b| t.builder.ins().band_not(a, b)),
            Operator::V128Or => self.vbinop(I8X16, |t, a, b| t.builder.ins().bor(a, b)),
            Operator::V128Xor => self.vbinop(I8X16, |t, a, b| t.builder.ins().bxor(a, b)),
            Operator::V128Bitselect => {
                // wasm's operands are (v1, v2, c): bits of v1 where c is 1, else of v2.
                let (a, b, c) = self.pop3();
                let v = self.builder.ins().bitselect(c, a, b);
                self.push(v);
            }
            Operator::V128AnyTrue => self.vreduce(I8X16, |t, a| {
                let b = t.builder.ins().vany_true(a);
                t.bool_to_i32(b)
            }),
            Operator::I8x16AllTrue => self.all_true(I8X16),
            Operator::I16x8AllTrue => self.all_true(I16X8),
            Operator::I32x4AllTrue => self.all_true(I32X4),
            Operator::I64x2AllTrue => self.all_true(I64X2),
            Operator::I8x16Bitmask => self.bitmask(I8X16),
            Operator::I16x8Bitmask => self.bitmask(I16X8),
            Operator::I32x4Bitmask => self.bitmask(I32X4),
            Operator::I64x2Bitmask => self.bitmask(I64X2),
            _ => return false,
        }
        true
    }

    /// `all_true`: 1 if every lane of shape `ty` is non-zero.
    fn all_true(&mut self, ty: Type) {
        self.vreduce(ty, |t, a| {
            let b = t.builder.ins().vall_true(a);
            t.bool_to_i32(b)
        });
    }

    /// `bitmask`: the top bit of each lane of shape `ty`, lane 0 in bit 0.
    fn bitmask(&mut self, ty: Type) {
        self.vreduce(ty, |t, a| t.builder.ins().vhigh_bits(I32, a));
    }
}

// Integer arithmetic, shifts, narrowing and widening.
impl FuncTranslator<'_, '_> {
    /// `extmul_{low,high}`: multiplies the widened halves of two vectors of shape `ty`.
    /// Written as widen-then-multiply, which the backends match to one instruction.
    fn extmul(&mut self, ty: Type, high: bool, signed: bool) {
        self.vbinop(ty, |t, a, b| {
            let (a, b) = (t.widen(a, high, signed), t.widen(b, high, signed));
            t.builder.ins().imul(a, b)
        });
    }

    /// `extadd_pairwise`: sums of adjacent lanes of shape `ty`, widened.
    fn extadd_pairwise(&mut self, ty: Type, signed: bool) {
        self.vunop(ty, |t, a| {
            let (lo, hi) = (t.widen(a, false, signed), t.widen(a, true, signed));
            t.builder.ins().iadd_pairwise(lo, hi)
        });
    }

    /// Widens the low or high half of a vector to lanes twice as wide.
    fn widen(&mut self, v: Value, high: bool, signed: bool) -> Value {
        let ins = self.builder.ins();
        match (high, signed) {
            (false, true) => ins.swiden_low(v),
            (true, true) => ins.swiden_high(v),
            (false, false) => ins.uwiden_low(v),
            (true, false) => ins.uwiden_high(v),
        }
    }

    /// `extend_{low,high}`.
    fn extend(&mut self, ty: Type, high: bool, signed: bool) {
        self.vunop(ty, |t, a| t.widen(a, high, signed));
    }

    fn simd_integer(&mut self, op: &Operator<'_>) -> bool {
        match op {
            Operator::I8x16Abs => self.vunop(I8X16, |t, a| t.builder.ins().iabs(a)),
            Operator::I16x8Abs => self.vunop(I16X8, |t, a| t.builder.ins().iabs(a)),
            Operator::I32x4Abs => self.vunop(I32X4, |t, a| t.builder.ins().iabs(a)),
            Operator::I64x2Abs => self.vunop(I64X2, |t, a| t.builder.ins().iabs(a)),
            Operator::I8x16Neg => self.vunop(I8X16, |t, a| t.builder.ins().ineg(a)),
            Operator::I16x8Neg => self.vunop(I16X8, |t, a| t.builder.ins().ineg(a)),
            Operator::I32x4Neg => self.vunop(I32X4, |t, a| t.builder.ins().ineg(a)),
            Operator::I64x2Neg => self.vunop(I64X2, |t, a| t.builder.ins().ineg(a)),
            Operator::I8x16Popcnt => self.vunop(I8X16, |t, a| t.builder.ins().popcnt(a)),

            Operator::I8x16Shl => self.vshift(I8X16, |t, a, n| t.builder.ins().ishl(a, n)),
            Operator::I16x8Shl => self.vshift(I16X8, |t, a, n| t.builder.ins().ishl(a, n)),
            Operator::I32x4Shl => self.vshift(I32X4, |t, a, n| t.builder.ins().ishl(a, n)),
            Operator::I64x2Shl => self.vshift(I64X2, |t, a, n| t.builder.ins().ishl(a, n)),
            Operator::I8x16ShrS => self.vshift(I8X16, |t, a, n| t.builder.ins().sshr(a, n)),
            Operator::I16x8ShrS => self.vshift(I16X8, |t, a, n| t.builder.ins().sshr(a, n)),
            Operator::I32x4ShrS => self.vshift(I32X4, |t, a, n| t.builder.ins().sshr(a, n)),
            Operator::I64x2ShrS => self.vshift(I64X2, |t, a, n| t.builder.ins().sshr(a, n)),
            Operator::I8x16ShrU => self.vshift(I8X16, |t, a, n| t.builder.ins().ushr(a, n)),
            Operator::I16x8ShrU => self.vshift(I16X8, |t, a, n| t.builder.ins().ushr(a, n)),
            Operator::I32x4ShrU => self.vshift(I32X4, |t, a, n| t.builder.ins().ushr(a, n)),
            Operator::I64x2ShrU => self.vshift(I64X2, |t, a, n| t.builder.ins().ushr(a, n)),

            Operator::I8x16Add => self.vbinop(I8X16, |t, a, b| t.builder.ins().iadd(a, b)),
            Operator::I16x8Add => self.vbinop(I16X8, |t, a, b| t.builder.ins().iadd(a, b)),
            Operator::I32x4Add => self.vbinop(I32X4, |t, a, b| t.builder.ins().iadd(a, b)),
            Operator::I64x2Add => self.vbinop(I64X2, |t, a, b| t.builder.ins().iadd(a, b)),
            Operator::I8x16Sub => self.vbinop(I8X16, |t, a, b| t.builder.ins().isub(a, b)),
            Operator::I16x8Sub => self.vbinop(I16X8, |t, a, b| t.builder.ins().isub(a, b)),
            Operator::I32x4Sub => self.vbinop(I32X4, |t, a, b| t.builder.ins().isub(a, b)),
            Operator::I64x2Sub => self.vbinop(I64X2, |t, a, b| t.builder.ins().isub(a, b)),
            Operator::I16x8Mul => self.vbinop(I16X8, |t, a, b| t.builder.ins().imul(a, b)),
            Operator::I32x4Mul => self.vbinop(I32X4, |t, a, b| t.builder.ins().imul(a, b)),
            Operator::I64x2Mul => self.vbinop(I64X2, |t, a, b| t.builder.ins().imul(a, b)),

            Operator::I8x16AddSatS => self.vbinop(I8X16, |t, a, b| t.builder.ins().sadd_sat(a, b)),
            Operator::I8x16AddSatU => self.vbinop(I8X16, |t, a, b| t.builder.ins().uadd_sat(a, b)),
            Operator::I16x8AddSatS => self.vbinop(I16X8, |t, a, b| t.builder.ins().sadd_sat(a, b)),
            Operator::I16x8AddSatU => self.vbinop(I16X8, |t, a, b| t.builder.ins().uadd_sat(a, b)),
            Operator::I8x16SubSatS => self.vbinop(I8X16, |t, a, b| t.builder.ins().ssub_sat(a, b)),
            Operator::I8x16SubSatU => self.vbinop(I8X16, |t, a, b| t.builder.ins().usub_sat(a, b)),
            Operator::I16x8SubSatS => self.vbinop(I16X8, |t, a, b| t.builder.ins().ssub_sat(a, b)),
            Operator::I16x8SubSatU => self.vbinop(I16X8, |t, a, b| t.builder.ins().usub_sat(a, b)),

            Operator::I8x16MinS => self.vbinop(I8X16, |t, a, b| t.builder.ins().smin(a, b)),
            Operator::I8x16MinU => self.vbinop(I8X16, |t, a, b| t.builder.ins().umin(a, b)),
            Operator::I8x16MaxS => self.vbinop(I8X16, |t, a, b| t.builder.ins().smax(a, b)),
            Operator::I8x16MaxU => self.vbinop(I8X16, |t, a, b| t.builder.ins().umax(a, b)),
            Operator::I16x8MinS => self.vbinop(I16X8, |t, a, b| t.builder.ins().smin(a, b)),
            Operator::I16x8MinU => self.vbinop(I16X8, |t, a, b| t.builder.ins().umin(a, b)),
            Operator::I16x8MaxS => self.vbinop(I16X8, |t, a, b| t.builder.ins().smax(a, b)),
            Operator::I16x8MaxU => self.vbinop(I16X8, |t, a, b| t.builder.ins().umax(a, b)),
            Operator::I32x4MinS => self.vbinop(I32X4, |t, a, b| t.builder.ins().smin(a, b)),
            Operator::I32x4MinU => self.vbinop(I32X4, |t, a, b| t.builder.ins().umin(a, b)),
            Operator::I32x4MaxS => self.vbinop(I32X4, |t, a, b| t.builder.ins().smax(a, b)),
            Operator::I32x4MaxU => self.vbinop(I32X4, |t, a, b| t.builder.ins().umax(a, b)),
            Operator::I8x16AvgrU => self.vbinop(I8X16, |t, a, b| t.builder.ins().avg_round(a, b)),
            Operator::I16x8AvgrU => self.vbinop(I16X8, |t, a, b| t.builder.ins().avg_round(a, b)),
            Operator::I16x8Q15MulrSatS => {
                self.vbinop(I16X8, |t, a, b| t.builder.ins().sqmul_round_sat(a, b))
            }

            // `narrow_*_u` reads its inputs as signed: that is Cranelift's `unarrow`.
            Operator::I8x16NarrowI16x8S => {
                self.vbinop(I16X8, |t, a, b| t.builder.ins().snarrow(a, b))
            }
            Operator::I8x16NarrowI16x8U => {
                self.vbinop(I16X8, |t, a, b| t.builder.ins().unarrow(a, b))
            }
            Operator::I16x8NarrowI32x4S => {
                self.vbinop(I32X4, |t, a, b| t.builder.ins().snarrow(a, b))
            }
            Operator::I16x8NarrowI32x4U => {
                self.vbinop(I32X4, |t, a, b| t.builder.ins().unarrow(a, b))
            }

            Operator::I16x8ExtendLowI8x16S => self.extend(I8X16, false, true),
            Operator::I16x8ExtendHighI8x16S => self.extend(I8X16, true, true),
            Operator::I16x8ExtendLowI8x16U => self.extend(I8X16, false, false),
            Operator::I16x8ExtendHighI8x16U => self.extend(I8X16, true, false),
            Operator::I32x4ExtendLowI16x8S => self.extend(I16X8, false, true),
            Operator::I32x4ExtendHighI16x8S => self.extend(I16X8, true, true),
            Operator::I32x4ExtendLowI16x8U => self.extend(I16X8, false, false),
            Operator::I32x4ExtendHighI16x8U => self.extend(I16X8, true, false),
            Operator::I64x2ExtendLowI32x4S => self.extend(I32X4, false, true),
            Operator::I64x2ExtendHighI32x4S => self.extend(I32X4, true, true),
            Operator::I64x2ExtendLowI32x4U => self.extend(I32X4, false, false),
            Operator::I64x2ExtendHighI32x4U => self.extend(I32X4, true, false),

            Operator::I16x8ExtMulLowI8x16S => self.extmul(I8X16, false, true),
            Operator::I16x8ExtMulHighI8x16S => self.extmul(I8X16, true, true),
            Operator::I16x8ExtMulLowI8x16U => self.extmul(I8X16, false, false),
            Operator::I16x8ExtMulHighI8x16U => self.extmul(I8X16, true, false),
            Operator::I32x4ExtMulLowI16x8S => self.extmul(I16X8, false, true),
            Operator::I32x4ExtMulHighI16x8S => self.extmul(I16X8, true, true),
            Operator::I32x4ExtMulLowI16x8U => self.extmul(I16X8, false, false),
            Operator::I32x4ExtMulHighI16x8U => self.extmul(I16X8, true, false),
            Operator::I64x2ExtMulLowI32x4S => self.extmul(I32X4, false, true),
            Operator::I64x2ExtMulHighI32x4S => self.extmul(I32X4, true, true),
            Operator::I64x2ExtMulLowI32x4U => self.extmul(I32X4, false, false),
            Operator::I64x2ExtMulHighI32x4U => self.extmul(I32X4, true, false),

            Operator::I16x8ExtAddPairwiseI8x16S => self.extadd_pairwise(I8X16, true),
            Operator::I16x8ExtAddPairwiseI8x16U => self.extadd_pairwise(I8X16, false),
            Operator::I32x4ExtAddPairwiseI16x8S => self.extadd_pairwise(I16X8, true),
            Operator::I32x4ExtAddPairwiseI16x8U => self.extadd_pairwise(I16X8, false),
            Operator::I32x4DotI16x8S => self.vbinop(I16X8, |t, a, b| {
                // Products of the widened halves, then sums of adjacent products (`pmaddwd`).
                let lo = {
                    let (a, b) = (t.widen(a, false, true), t.widen(b, false, true));
                    t.builder.ins().imul(a, b)
                };
                let hi = {
                    let (a, b) = (t.widen(a, true, true), t.widen(b, true, true));
                    t.builder.ins().imul(a, b)
                };
                t.builder.ins().iadd_pairwise(lo, hi)
            }),
            _ => return false,
        }
        true
    }
}

// Float arithmetic.
impl FuncTranslator<'_, '_> {
    /// `pmin` is `b < a ? b : a` and `pmax` is `a < b ? b : a` (no NaN propagation, and -0
    /// and +0 are equal), written as compare-and-select, which x86 matches to `minps`/`maxps`.
    fn pseudo_minmax(&mut self, ty: Type, max: bool) {
        self.vbinop(ty, |t, a, b| {
            let (x, y) = if max { (a, b) } else { (b, a) };
            let lt = t.builder.ins().fcmp(FloatCC::LessThan, x, y);
            let mask = t.as_shape(ty, lt);
            t.builder.ins().bitselect(mask, b, a)
        });
    }

    fn simd_float(&mut self, op: &Operator<'_>) -> bool {
        match op {
            Operator::F32x4Abs => self.vunop(F32X4, |t, a| t.builder.ins().fabs(a)),
            Operator::F64x2Abs => self.vunop(F64X2, |t, a| t.builder.ins().fabs(a)),
            Operator::F32x4Neg => self.vunop(F32X4, |t, a| t.builder.ins().fneg(a)),
            Operator::F64x2Neg => self.vunop(F64X2, |t, a| t.builder.ins().fneg(a)),
            Operator::F32x4Sqrt => self.vunop(F32X4, |t, a| t.builder.ins().sqrt(a)),
            Operator::F64x2Sqrt => self.vunop(F64X2, |t, a| t.builder.ins().sqrt(a)),
            Operator::F32x4Ceil => self.vunop(F32X4, |t, a| t.builder.ins().ceil(a)),
            Operator::F64x2Ceil => self.vunop(F64X2, |t, a| t.builder.ins().ceil(a)),
            Operator::F32x4Floor => self.vunop(F32X4, |t, a| t.builder.ins().floor(a)),
            Operator::F64x2Floor => self.vunop(F64X2, |t, a| t.builder.ins().floor(a)),
            Operator::F32x4Trunc => self.vunop(F32X4, |t, a| t.builder.ins().trunc(a)),
            Operator::F64x2Trunc => self.vunop(F64X2, |t, a| t.builder.ins().trunc(a)),
            Operator::F32x4Nearest => self.vunop(F32X4, |t, a| t.builder.ins().nearest(a)),
            Operator::F64x2Nearest => self.vunop(F64X2, |t, a| t.builder.ins().nearest(a)),
            Operator::F32x4Add => self.vbinop(F32X4, |t, a, b| t.builder.ins().fadd(a, b)),
            Operator::F64x2Add => self.vbinop(F64X2, |t, a, b| t.builder.ins().fadd(a, b)),
            Operator::F32x4Sub => self.vbinop(F32X4, |t, a, b| t.builder.ins().fsub(a, b)),
            Operator::F64x2Sub => self.vbinop(F64X2, |t, a, b| t.builder.ins().fsub(a, b)),
            Operator::F32x4Mul => self.vbinop(F32X4, |t, a, b| t.builder.ins().fmul(a, b)),
            Operator::F64x2Mul => self.vbinop(F64X2, |t, a, b| t.builder.ins().fmul(a, b)),
            Operator::F32x4Div => self.vbinop(F32X4, |t, a, b| t.builder.ins().fdiv(a, b)),
            Operator::F64x2Div => self.vbinop(F64X2, |t, a, b| t.builder.ins().fdiv(a, b)),
            // Cranelift's `fmin`/`fmax` have wasm's NaN and signed-zero rules.
            Operator::F32x4Min => self.vbinop(F32X4, |t, a, b| t.builder.ins().fmin(a, b)),
            Operator::F64x2Min => self.vbinop(F64X2, |t, a, b| t.builder.ins().fmin(a, b)),
            Operator::F32x4Max => self.vbinop(F32X4, |t, a, b| t.builder.ins().fmax(a, b)),
            Operator::F64x2Max => self.vbinop(F64X2, |t, a, b| t.builder.ins().fmax(a, b)),
            Operator::F32x4PMin => self.pseudo_minmax(F32X4, false),
            Operator::F64x2PMin => self.pseudo_minmax(F64X2, false),
            Operator::F32x4PMax => self.pseudo_minmax(F32X4, true),
            Operator::F64x2PMax => self.pseudo_minmax(F64X2, true),
            _ => return false,
        }
        true
    }
}

// Conversions between integer and float lanes.
impl FuncTranslator<'_, '_> {
    fn simd_convert(&mut self, op: &Operator<'_>) -> bool {
        match op {
            Operator::F32x4ConvertI32x4S => {
                self.vunop(I32X4, |t, a| t.builder.ins().fcvt_from_sint(F32X4, a))
            }
            Operator::F32x4ConvertI32x4U => {
                self.vunop(I32X4, |t, a| t.builder.ins().fcvt_from_uint(F32X4, a))
            }
            Operator::F64x2ConvertLowI32x4S => self.vunop(I32X4, |t, a| {
                let wide = t.builder.ins().swiden_low(a);
                t.builder.ins().fcvt_from_sint(F64X2, wide)
            }),
            Operator::F64x2ConvertLowI32x4U => self.vunop(I32X4, |t, a| {
                let wide = t.builder.ins().uwiden_low(a);
                t.builder.ins().fcvt_from_uint(F64X2, wide)
            }),
            // NaN becomes 0 and out-of-range values saturate.
            Operator::I32x4TruncSatF32x4S => {
                self.vunop(F32X4, |t, a| t.builder.ins().fcvt_to_sint_sat(I32X4, a))
            }
            Operator::I32x4TruncSatF32x4U => {
                self.vunop(F32X4, |t, a| t.builder.ins().fcvt_to_uint_sat(I32X4, a))
            }
            // Each `i64` result is in `i32` range after saturation (for `_u`, in `u32`
            // range), so the narrowing never clamps; the upper two lanes come from zeros.
            Operator::I32x4TruncSatF64x2SZero => self.vunop(F64X2, |t, a| {
                let wide = t.builder.ins().fcvt_to_sint_sat(I64X2, a);
                let zero = t.vzero(I64X2);
                t.builder.ins().snarrow(wide, zero)
            }),
            Operator::I32x4TruncSatF64x2UZero => self.vunop(F64X2, |t, a| {
                let wide = t.builder.ins().fcvt_to_uint_sat(I64X2, a);
                let zero = t.vzero(I64X2);
                t.builder.ins().uunarrow(wide, zero)
            }),
            Operator::F32x4DemoteF64x2Zero => self.vunop(F64X2, |t, a| t.builder.ins().fvdemote(a)),
            Operator::F64x2PromoteLowF32x4 => {
                self.vunop(F32X4, |t, a| t.builder.ins().fvpromote_low(a))
            }
            _ => return false,
        }
        true
    }
}

impl FuncTranslator<'_, '_> {
    /// Translates a SIMD-128 operator; `false` if `op` is not one.
    pub(crate) fn translate_simd(&mut self, op: &Operator<'_>) -> Result<bool> {
        Ok(self.simd_memory(op)?
            || self.simd_lanes(op)
            || self.simd_compare(op)
            || self.simd_bitwise(op)
            || self.simd_integer(op)
            || self.simd_float(op)
            || self.simd_convert(op))
    }
}
