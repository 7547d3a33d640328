//! aarch64 (ARMv8-A) Linux. NEON is part of the baseline, so SIMD needs no flag.

use super::Arch;

pub(super) const ARCH: Arch = Arch {
    name: "aarch64",
    triple: "aarch64-unknown-linux-gnu",
    base_flags: &[],
    emulation: "aarch64linux",
    runtime_lib: include_bytes!(concat!(
        env!("OUT_DIR"),
        "/aarch64-unknown-linux-gnu/libsmelt_rt.a"
    )),
    fast_tier: None,
    implied: &[],
    // `ucvtf` converts an unsigned 64-bit integer in one instruction.
    u64_to_float_via_signed: false,
    simd_flag: None,
};
