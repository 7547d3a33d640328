//! x86_64 Linux.

use super::{Arch, FastTier};

/// x86-64-v2 is the baseline: SSE3, SSSE3, SSE4.1, SSE4.2 and POPCNT, on every x86_64 CPU
/// sold since 2009. Cranelift needs SSE4.1 for a fast SIMD-128 lowering.
pub(super) const ARCH: Arch = Arch {
    name: "x86_64",
    triple: "x86_64-unknown-linux-gnu",
    base_flags: &[
        "has_sse3",
        "has_ssse3",
        "has_sse41",
        "has_sse42",
        "has_popcnt",
    ],
    emulation: "elf_x86_64",
    runtime_lib: include_bytes!(concat!(
        env!("OUT_DIR"),
        "/x86_64-unknown-linux-gnu/libsmelt_rt.a"
    )),
    simd_flag: None,
    // x86-64-v3 without FMA (Cranelift never fuses a multiply and an add unless asked to,
    // so FMA would change nothing). What the code gains: AVX's three-operand forms, which
    // remove the register copies of SSE's two-operand ones in floating-point and SIMD code,
    // and BMI2's shifts by any register (`shlx`), which leave `cl` free.
    fast_tier: Some(FastTier {
        name: "avx2",
        flags: &["has_avx", "has_avx2", "has_bmi1", "has_bmi2", "has_lzcnt"],
    }),
    implied: &[("has_avx2", "has_avx")],
    // Cranelift's `fcvt_from_uint` from i64 (a sign test, then `cvtsi2sd` of the value or of
    // its halves) does not zero the result register first, as its signed conversion does:
    // SSE's `cvtsi2sd` keeps the register's upper bits, so each conversion waits for the
    // last instruction that wrote that register. In `for i in 0..n { s += (i as f64).sqrt()
    // .floor() }` that chained every iteration to the previous one's `roundsd`: 3x slower
    // than the same loop with the dependency broken.
    u64_to_float_via_signed: true,
};
