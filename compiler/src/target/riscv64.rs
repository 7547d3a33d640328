//! riscv64 Linux: RV64GC (IMAFD, Zicsr, Zifencei and compressed instructions). The vector
//! extension is optional hardware, so SIMD-128 needs `--target-feature +v`.

use super::Arch;

pub(super) const ARCH: Arch = Arch {
    name: "riscv64",
    triple: "riscv64gc-unknown-linux-gnu",
    base_flags: &[
        "has_m",
        "has_a",
        "has_f",
        "has_d",
        "has_c",
        "has_zicsr",
        "has_zifencei",
    ],
    emulation: "elf64lriscv",
    runtime_lib: include_bytes!(concat!(
        env!("OUT_DIR"),
        "/riscv64gc-unknown-linux-gnu/libsmelt_rt.a"
    )),
    fast_tier: None,
    implied: &[],
    // `fcvt.d.lu` converts an unsigned 64-bit integer in one instruction.
    u64_to_float_via_signed: false,
    simd_flag: Some("has_v"),
};
