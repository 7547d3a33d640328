//! The CPU tier: which code of a multiversioned function runs.
//!
//! The compiler may compile a function twice, once for the target's baseline and once for
//! a fast tier of CPU features (x86_64: AVX2, BMI2 and their kin), and make the function's
//! symbol a short stub that reads [`smelt_cpu_tier`] and tail-calls one of the two. [`decide`]
//! sets it: 1 when the CPU runs the fast tier's code (`arch::has_fast_tier`) and
//! `SMELT_CPU=baseline` is not set, else 0. The variable can only lower what the CPU allows,
//! never raise it, so no setting makes the program execute instructions the CPU lacks.
//!
//! Invariant: [`decide`] runs once, before any wasm code, and the tier never changes
//! afterwards; compiled code reads it with a plain, read-only byte load.
#![allow(unsafe_code)]

use core::sync::atomic::{AtomicU8, Ordering::Relaxed};

use crate::{arch, process};

/// 1 when multiversioned functions run their fast tier's code, 0 for the baseline's
/// (contract symbol `smelt_cpu_tier`). An `AtomicU8` has the layout of a `u8`.
#[unsafe(no_mangle)]
pub static smelt_cpu_tier: AtomicU8 = AtomicU8::new(0);

/// The variable that asks for the baseline code on a CPU that could run the fast tier (to
/// compare the two, or to rule the fast tier out when investigating a difference).
const OVERRIDE: &[u8] = b"SMELT_CPU";

/// Decides the tier for this run (module docs).
pub fn decide() {
    let baseline_asked = process::var(OVERRIDE) == Some(b"baseline");
    let fast = !baseline_asked && arch::has_fast_tier();
    smelt_cpu_tier.store(u8::from(fast), Relaxed);
}
