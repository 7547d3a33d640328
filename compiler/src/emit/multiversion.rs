//! Function multiversioning: the functions whose loops gain from newer CPU features are
//! compiled twice, for the target's baseline and for its fast tier (x86_64: AVX2 with BMI2),
//! and the executable runs the copy its CPU can run.
//!
//! An executable built without `--target-cpu` must run on every CPU of its architecture, so
//! its code may use only the baseline; a JIT such as Wasmtime compiles for the CPU it runs
//! on. On x86_64 the difference is AVX's three-operand forms in floating-point and SIMD code
//! and BMI2's shifts by any register. Multiversioning gives the portable executable the fast
//! code where that CPU exists, at the price of a second copy of the chosen functions only.
//!
//! Which functions: those with a call-free loop whose body does floating-point arithmetic,
//! SIMD or bit rotation, when such loops are a tenth of the function or it is small
//! ([`wants_copies`]), read off the wasm operators. Code outside loops runs too rarely to
//! repay a second copy. Rotations are BMI2's `rorx`, which leaves its source
//! intact (SHA-2 executes 13 % fewer instructions with it); other integer work gains nothing
//! measurable (BMI1/BMI2/LZCNT change regex's and deflate's instruction counts by under 1 %),
//! while a second copy moves hot loops to other addresses, which alone changed regex's time
//! by 7 %.
//!
//! How a call reaches a copy. A chosen function's own symbol (`smelt_i0_f3`, what every
//! direct call, funcref record and export trampoline refers to) becomes a stub that loads
//! the runtime's `smelt_cpu_tier` byte and tail-calls the baseline copy (`smelt_i0_f3.base`)
//! or the fast one (`smelt_i0_f3.avx2`). Inside a copy, direct calls to other chosen
//! functions go straight to the same tier's copy ([`retarget`]): the tier is known there.
//!
//! Invariants:
//! - the runtime sets `smelt_cpu_tier` before any wasm code runs and never changes it, so the
//!   stub's load is read-only and every call of a run picks the same tier;
//! - both copies are compiled from the same IR and the fast tier only adds instruction
//!   encodings (no fused multiply-add, no relaxed SIMD), so both compute the same results;
//! - the stub and both copies are described to the runtime as functions of the same name,
//!   stub first, so a trap or a backtrace names the wasm function whichever copy ran.

use super::CompiledFunc;
use crate::error::{Error, Result};
use crate::program::{EntityRef, Program};
use crate::symbols::{Symbols, func_id, func_name};
use crate::target::Target;
use cranelift_codegen::ir::{self, InstBuilder};
use cranelift_module::{DataId, FuncId, Linkage, Module as _};
use cranelift_object::ObjectModule;
use rayon::prelude::*;
use std::collections::HashMap;
use wasmparser::{FunctionBody, Operator, ValType};

/// Which copy of a multiversioned function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tier {
    /// Compiled for the target's baseline.
    Base,
    /// Compiled for the architecture's fast tier.
    Fast,
}

/// The two copies behind one function's stub.
#[derive(Clone, Copy, Debug)]
struct Copies {
    base: FuncId,
    fast: FuncId,
}

/// Which functions are multiversioned, and their copies' symbols.
#[derive(Default)]
pub(crate) struct Plan {
    /// By the function's own symbol (its stub).
    copies: HashMap<FuncId, Copies>,
    /// The runtime's `smelt_cpu_tier` byte.
    tier_byte: Option<DataId>,
}

fn ice(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("multiversioning: {e}"))
}

impl Plan {
    /// Chooses the functions of `defs` to multiversion and declares their copies; an empty
    /// plan when the target has no fast tier (or multiversioning is off).
    pub(crate) fn new(
        module: &mut ObjectModule,
        program: &Program,
        symbols: &Symbols,
        target: &Target,
        defs: &[EntityRef],
    ) -> Result<Plan> {
        let (Some(tier), Some(_)) = (&target.arch.fast_tier, &target.fast_isa) else {
            return Ok(Plan::default());
        };
        let chosen: Vec<EntityRef> = defs
            .par_iter()
            .filter(|def| {
                let m = program.module_of(def.instance);
                wants_copies(&m.body(def.index), m.func_type(def.index).params())
            })
            .copied()
            .collect();
        if chosen.is_empty() {
            return Ok(Plan::default());
        }
        let mut plan = Plan {
            copies: HashMap::new(),
            tier_byte: Some(
                module
                    .declare_data(
                        smelt_contract::symbols::CPU_TIER,
                        Linkage::Import,
                        false,
                        false,
                    )
                    .map_err(ice)?,
            ),
        };
        for def in chosen {
            let id = symbols.funcs[&def];
            let decl = module.declarations().get_function_decl(id);
            let (name, sig) = (decl.linkage_name(id).into_owned(), decl.signature.clone());
            let mut copy = |suffix: &str| {
                module
                    .declare_function(&format!("{name}.{suffix}"), Linkage::Local, &sig)
                    .map_err(ice)
            };
            let copies = Copies {
                base: copy("base")?,
                fast: copy(tier.name)?,
            };
            plan.copies.insert(id, copies);
        }
        Ok(plan)
    }

    /// Whether function `id` is multiversioned.
    pub(crate) fn is_versioned(&self, id: FuncId) -> bool {
        self.copies.contains_key(&id)
    }

    /// Compiles function `id`, translated to `func`, as its stub and its two copies, in that
    /// order (see the module docs).
    pub(crate) fn compile(
        &self,
        symbols: &Symbols,
        target: &Target,
        id: FuncId,
        name: String,
        mut func: ir::Function,
        func_index: u32,
    ) -> Result<[CompiledFunc; 3]> {
        let copies = self.copies[&id];
        let fast_isa = target
            .fast_isa
            .as_deref()
            .ok_or_else(|| ice("no fast tier"))?;
        let mut fast = func.clone();
        self.retarget(&mut fast, Tier::Fast);
        self.retarget(&mut func, Tier::Base);
        let stub = self.stub(copies, &func.signature, symbols, target)?;
        // The two copies compile in parallel: a copied function is often among the largest,
        // and the largest function's compile decides how long a build takes.
        let (base, fast) = rayon::join(
            || super::compile_ir(&*target.isa, copies.base, name.clone(), func, func_index),
            || super::compile_ir(fast_isa, copies.fast, name.clone(), fast, func_index),
        );
        Ok([
            super::compile_ir(&*target.isa, id, name, stub, func_index)?,
            base?,
            fast?,
        ])
    }

    /// Points `func`'s direct calls to multiversioned functions at their `tier` copies.
    fn retarget(&self, func: &mut ir::Function, tier: Tier) {
        let names: Vec<_> = func
            .params
            .user_named_funcs()
            .iter()
            .map(|(r, n)| (r, n.clone()))
            .collect();
        for (r, name) in names {
            if let Some(c) = func_id(&name).and_then(|id| self.copies.get(&id)) {
                let to = match tier {
                    Tier::Base => c.base,
                    Tier::Fast => c.fast,
                };
                func.params.reset_user_func_name(r, func_name(to));
            }
        }
    }

    /// The stub: `if smelt_cpu_tier != 0 { return_call fast(args) } else { return_call
    /// base(args) }`.
    fn stub(
        &self,
        copies: Copies,
        sig: &ir::Signature,
        symbols: &Symbols,
        target: &Target,
    ) -> Result<ir::Function> {
        let tier_byte = self.tier_byte.ok_or_else(|| ice("no tier symbol"))?;
        super::entry::build_ending(symbols, target, sig.clone(), |g, args| {
            let addr = g.data_addr(tier_byte);
            let flags = crate::translate::trusted().with_readonly().with_can_move();
            let tier = g.b.ins().load(ir::types::I8, flags, addr, 0);
            let (fast, base) = (g.b.create_block(), g.b.create_block());
            g.b.ins().brif(tier, fast, &[], base, &[]);
            let sig_ref = g.b.import_signature(sig.clone());
            for (block, copy) in [(fast, copies.fast), (base, copies.base)] {
                g.b.switch_to_block(block);
                let f = g.func_ref(copy, sig_ref);
                g.b.ins().return_call(f, args);
            }
            Ok(())
        })
    }
}

/// Whether a function gains from a fast-tier copy: it has a loop that gains — one whose
/// body does floating-point arithmetic or conversions, SIMD (a `v128` local, parameter, load,
/// constant or splat) or a bit rotation, and makes no call — and the loops that gain are a
/// tenth of the function or more (or the function is small).
///
/// Both conditions weigh what a copy serves against what it costs. A loop that calls out
/// spends its time in its callees as much as in itself, and the copy serves only the loop's
/// own instructions; a call followed by `unreachable` (a panic's) does not count: it runs at
/// most once. The copy costs the whole function, while only the gaining loops run faster:
/// musl's `printf_core` (4,482 operators) has 145 in float loops, and copying it doubled
/// 21 KB of code that a hello world using `printf` never runs; the suite's copied functions
/// have 22 % (matmul) to 99 % (SHA-2) of their operators in such loops.
pub(crate) fn wants_copies(body: &FunctionBody<'_>, params: &[ValType]) -> bool {
    let mut v128_locals = params.contains(&ValType::V128);
    if let Ok(locals) = body.get_locals_reader() {
        for local in locals.into_iter().flatten() {
            v128_locals |= local.1 == ValType::V128;
        }
    }
    let Ok(ops) = body.get_operators_reader() else {
        return false;
    };
    /// An open loop's body so far, without the nested loops that gain on their own.
    #[derive(Default)]
    struct Seen {
        ops: usize,
        work: bool,
        calls: bool,
    }
    // Per open block: whether it is a loop; and per open loop, what its body has done.
    let mut blocks: Vec<bool> = Vec::new();
    let mut loops: Vec<Seen> = Vec::new();
    let (mut total, mut gaining) = (0usize, 0usize);
    // The previous operator was a call (whether it returns shows in this one).
    let mut after_call = false;
    for op in ops {
        let Ok(op) = op else { return false };
        total += 1;
        // A call returns unless `unreachable` follows it; it belongs to the loop open then.
        if std::mem::take(&mut after_call)
            && !matches!(op, Operator::Unreachable)
            && let Some(seen) = loops.last_mut()
        {
            seen.calls = true;
        }
        match op {
            Operator::Loop { .. } => {
                blocks.push(true);
                loops.push(Seen::default());
                continue;
            }
            Operator::Block { .. }
            | Operator::If { .. }
            | Operator::TryTable { .. }
            | Operator::Try { .. } => blocks.push(false),
            Operator::End if blocks.pop() == Some(true) => {
                let done = loops.pop().unwrap_or_default();
                let gains = done.work && !done.calls;
                if gains {
                    gaining += done.ops;
                }
                if let Some(outer) = loops.last_mut() {
                    outer.ops += if gains { 0 } else { done.ops };
                    outer.work |= done.work && !gains;
                    outer.calls |= done.calls;
                }
                continue;
            }
            _ => {}
        }
        let Some(seen) = loops.last_mut() else {
            continue;
        };
        seen.ops += 1;
        match op {
            Operator::Call { .. } | Operator::CallIndirect { .. } | Operator::CallRef { .. } => {
                after_call = true;
            }
            Operator::ReturnCall { .. }
            | Operator::ReturnCallIndirect { .. }
            | Operator::ReturnCallRef { .. } => seen.calls = true,
            // A v128 local is used in a loop; whether this local is one does not matter
            // enough to look up.
            Operator::LocalGet { .. } if v128_locals => seen.work = true,
            Operator::I32Rotl | Operator::I32Rotr | Operator::I64Rotl | Operator::I64Rotr => {
                seen.work = true;
            }
            _ if is_float_work(&op) || is_simd_source(&op) => seen.work = true,
            _ => {}
        }
    }
    gaining > 0 && (total <= SMALL_FUNCTION_OPS || gaining * 10 >= total)
}

/// A function of at most this many operators is cheap enough to copy for any loop that gains.
const SMALL_FUNCTION_OPS: usize = 512;

/// Scalar floating-point arithmetic and conversions to or from floats.
fn is_float_work(op: &Operator<'_>) -> bool {
    use Operator as O;
    matches!(
        op,
        O::F32Add
            | O::F32Sub
            | O::F32Mul
            | O::F32Div
            | O::F32Sqrt
            | O::F32Min
            | O::F32Max
            | O::F32Abs
            | O::F32Neg
            | O::F32Ceil
            | O::F32Floor
            | O::F32Trunc
            | O::F32Nearest
            | O::F32Copysign
            | O::F64Add
            | O::F64Sub
            | O::F64Mul
            | O::F64Div
            | O::F64Sqrt
            | O::F64Min
            | O::F64Max
            | O::F64Abs
            | O::F64Neg
            | O::F64Ceil
            | O::F64Floor
            | O::F64Trunc
            | O::F64Nearest
            | O::F64Copysign
            | O::F32ConvertI32S
            | O::F32ConvertI32U
            | O::F32ConvertI64S
            | O::F32ConvertI64U
            | O::F64ConvertI32S
            | O::F64ConvertI32U
            | O::F64ConvertI64S
            | O::F64ConvertI64U
            | O::F32DemoteF64
            | O::F64PromoteF32
            | O::I32TruncF32S
            | O::I32TruncF32U
            | O::I32TruncF64S
            | O::I32TruncF64U
            | O::I64TruncF32S
            | O::I64TruncF32U
            | O::I64TruncF64S
            | O::I64TruncF64U
            | O::I32TruncSatF32S
            | O::I32TruncSatF32U
            | O::I32TruncSatF64S
            | O::I32TruncSatF64U
            | O::I64TruncSatF32S
            | O::I64TruncSatF32U
            | O::I64TruncSatF64S
            | O::I64TruncSatF64U
    )
}

/// The operators a `v128` value can come from besides locals, parameters, globals and calls:
/// loads, constants and splats. A loop doing SIMD work has one of these or a `v128` local.
fn is_simd_source(op: &Operator<'_>) -> bool {
    use Operator as O;
    matches!(
        op,
        O::V128Load { .. }
            | O::V128Load8x8S { .. }
            | O::V128Load8x8U { .. }
            | O::V128Load16x4S { .. }
            | O::V128Load16x4U { .. }
            | O::V128Load32x2S { .. }
            | O::V128Load32x2U { .. }
            | O::V128Load8Splat { .. }
            | O::V128Load16Splat { .. }
            | O::V128Load32Splat { .. }
            | O::V128Load64Splat { .. }
            | O::V128Load32Zero { .. }
            | O::V128Load64Zero { .. }
            | O::V128Const { .. }
            | O::I8x16Splat
            | O::I16x8Splat
            | O::I32x4Splat
            | O::I64x2Splat
            | O::F32x4Splat
            | O::F64x2Splat
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the last function of module text `wat` wants copies.
    fn wants(wat: &str) -> bool {
        let bytes = wat::parse_str(wat).unwrap();
        let mut last = None;
        for payload in wasmparser::Parser::new(0).parse_all(&bytes) {
            if let wasmparser::Payload::CodeSectionEntry(body) = payload.unwrap() {
                last = Some(wants_copies(&body, &[]));
            }
        }
        last.expect("no function")
    }

    #[test]
    fn float_work_in_a_loop() {
        assert!(wants(
            "(module (func (param f64) (result f64) (loop (local.set 0 (f64.mul (local.get 0) (local.get 0)))) (local.get 0)))"
        ));
        // The same arithmetic outside any loop.
        assert!(!wants(
            "(module (func (param f64) (result f64) (f64.mul (local.get 0) (local.get 0))))"
        ));
        // After the loop has ended.
        assert!(!wants(
            "(module (func (param f64) (result f64) (loop (br_if 0 (i32.const 0))) (f64.mul (local.get 0) (local.get 0))))"
        ));
    }

    #[test]
    fn loops_that_call_out() {
        // The loop's time is in the callee as much as in its own float work.
        assert!(!wants(
            "(module (func $g) (func (param f64) (result f64) (loop (call $g) (local.set 0 (f64.mul (local.get 0) (local.get 0)))) (local.get 0)))"
        ));
        assert!(!wants(
            "(module (func $g) (func (param f64) (loop (local.set 0 (f64.mul (local.get 0) (local.get 0))) (return_call $g))))"
        ));
        // A call that does not return (a panic's, followed by `unreachable`) does not count.
        assert!(wants(
            "(module (func $panic) (func (param f64) (result f64) (loop (if (f64.lt (local.get 0) (f64.const 0)) (then (call $panic) (unreachable))) (local.set 0 (f64.mul (local.get 0) (local.get 0)))) (local.get 0)))"
        ));
        // A call-free inner loop gains even when the loop around it calls out; and a call
        // in the inner loop is in the outer one too.
        assert!(wants(
            "(module (func $g) (func (param f64) (result f64) (loop (call $g) (loop (local.set 0 (f64.mul (local.get 0) (local.get 0))))) (local.get 0)))"
        ));
        assert!(!wants(
            "(module (func $g) (func (param f64) (result f64) (loop (local.set 0 (f64.add (local.get 0) (local.get 0))) (loop (call $g))) (local.get 0)))"
        ));
    }

    #[test]
    fn a_small_loop_in_a_large_function() {
        // Straight-line integer code around one float loop of 6 operators: copied while the
        // function is small, not once the loop is under a tenth of a large one.
        let function = |n: usize| {
            let filler = "(local.set 1 (i32.add (local.get 1) (i32.const 1)))".repeat(n);
            format!(
                "(module (func (param f64 i32) (result f64) {filler} (loop (local.set 0 (f64.mul (local.get 0) (local.get 0)))) (local.get 0)))"
            )
        };
        assert!(wants(&function(100)));
        assert!(!wants(&function(200)));
    }

    #[test]
    fn integer_work_in_a_loop() {
        // Rotations: BMI2's `rorx`.
        assert!(wants(
            "(module (func (param i32) (result i32) (loop (local.set 0 (i32.rotr (local.get 0) (i32.const 7)))) (local.get 0)))"
        ));
        // Shifts by a variable amount, bit counts: BMI1/BMI2/LZCNT forms exist, but they
        // changed no workload's instruction count by more than 1 % (ARCHITECTURE.md).
        assert!(!wants(
            "(module (func (param i32 i32) (result i32) (loop (local.set 0 (i32.shl (local.get 0) (local.get 1)))) (local.get 0)))"
        ));
        assert!(!wants(
            "(module (func (param i64) (result i64) (loop (local.set 0 (i64.ctz (local.get 0)))) (local.get 0)))"
        ));
    }

    #[test]
    fn simd_in_a_loop() {
        assert!(wants(
            "(module (memory 1) (func (loop (v128.store (i32.const 0) (v128.load (i32.const 16))))))"
        ));
        assert!(wants(
            "(module (func (local v128) (loop (local.set 0 (local.get 0)))))"
        ));
        assert!(!wants(
            "(module (memory 1) (func (loop (i32.store (i32.const 0) (i32.load (i32.const 16))))))"
        ));
    }
}
