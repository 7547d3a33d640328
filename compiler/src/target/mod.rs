//! Per-target knowledge: which triples smelt compiles for and what each needs.
//!
//! Each architecture has one file (`x86_64.rs`, `aarch64.rs`, `riscv64.rs`) filling the same
//! [`Arch`] items: the triple, the default Cranelift ISA flags, the linker emulation and the
//! embedded runtime library. [`lookup`] is the only `match` on the architecture.

use crate::error::{Error, Result};
use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use std::str::FromStr;
use std::sync::Arc;

mod aarch64;
mod riscv64;
mod x86_64;

/// What one architecture provides.
#[derive(Debug)]
pub struct Arch {
    /// Short name (`x86_64`), accepted as an alias for the triple.
    pub name: &'static str,
    /// The Rust / LLVM triple.
    pub triple: &'static str,
    /// Cranelift ISA flags always enabled for this target (baseline CPU features).
    pub base_flags: &'static [&'static str],
    /// `-m` emulation for ELF linkers.
    pub emulation: &'static str,
    /// The runtime library built for this target (`libsmelt_rt.a`).
    pub runtime_lib: &'static [u8],
    /// ISA flag required for SIMD, when the baseline lacks it (riscv64's `has_v`).
    pub simd_flag: Option<&'static str>,
    /// The fast tier multiversioned functions are also compiled for, if the architecture
    /// has one (`emit/multiversion.rs`).
    pub fast_tier: Option<FastTier>,
    /// Flags that another flag implies architecturally but Cranelift's presets leave off:
    /// (if this is on, turn this on too).
    pub implied: &'static [(&'static str, &'static str)],
    /// Convert unsigned 64-bit integers to floats through signed conversions in the IR
    /// (`translate/numeric.rs`) instead of Cranelift's `fcvt_from_uint`.
    pub u64_to_float_via_signed: bool,
}

/// A set of CPU features added to the baseline for the second copy of multiversioned
/// functions. The runtime checks for exactly these features before running that copy
/// (`runtime-lib/src/arch/*.rs`, `has_fast_tier`), so the two lists must agree.
#[derive(Debug)]
pub struct FastTier {
    /// Short name, used in symbol names (`smelt_i0_f3.avx2`).
    pub name: &'static str,
    /// The Cranelift ISA flags added to the baseline's.
    pub flags: &'static [&'static str],
}

/// All supported architectures.
pub const ARCHES: [&Arch; 3] = [&x86_64::ARCH, &aarch64::ARCH, &riscv64::ARCH];

/// A configured compilation target.
#[derive(Clone)]
pub struct Target {
    /// The architecture.
    pub arch: &'static Arch,
    /// The Cranelift ISA, with every flag applied.
    pub isa: Arc<dyn isa::TargetIsa>,
    /// The ISA of the architecture's fast tier, when functions are multiversioned: the
    /// baseline plus [`FastTier::flags`].
    pub fast_isa: Option<Arc<dyn isa::TargetIsa>>,
    /// Whether loops unrolled over `f64`/`f32` lanes become vector operations: the ISA compiles
    /// SIMD-128 and the options do not turn it off.
    pub pair_lanes: bool,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("triple", &self.arch.triple)
            .finish()
    }
}

/// Optimisation level, as Cranelift names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OptLevel {
    /// No optimisation.
    None,
    /// Optimise for speed.
    #[default]
    Speed,
    /// Optimise for speed and size.
    SpeedAndSize,
}

impl FromStr for OptLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" | "0" => Ok(OptLevel::None),
            "speed" | "2" => Ok(OptLevel::Speed),
            "speed-and-size" | "s" => Ok(OptLevel::SpeedAndSize),
            _ => Err(format!(
                "unknown optimisation level `{s}` (use none, speed or speed-and-size)"
            )),
        }
    }
}

/// Options that shape the generated code for a target.
#[derive(Clone, Debug, Default)]
pub struct TargetOptions {
    /// Optimisation level.
    pub opt_level: OptLevel,
    /// `+feature` / `-feature` Cranelift ISA flags (`has_` may be left out).
    pub features: Vec<String>,
    /// Run Cranelift's IR verifier (slower; on in tests).
    pub verify: bool,
    /// A CPU whose features the code may use besides the baseline: a Cranelift preset
    /// (`x86-64-v3`, `haswell`, `znver3`, ...) or `native`, the features of the machine
    /// running the compiler (only when it compiles for its own architecture). `None`: the
    /// baseline only, so the executable runs on every CPU of the architecture.
    pub cpu: Option<String>,
    /// Compile every function for the baseline only, even where the architecture has a fast
    /// tier. Only matters without `cpu` and `features`: with either, the code is compiled for
    /// exactly what they say.
    pub no_multiversion: bool,
    /// Leave loops unrolled over `f64`/`f32` lanes scalar (`translate/pair_lanes.rs`).
    pub no_pair_lanes: bool,
}

/// The host's architecture, if smelt supports it.
pub fn host() -> Option<&'static Arch> {
    ARCHES
        .into_iter()
        .find(|a| a.name == std::env::consts::ARCH)
}

/// Finds an architecture by triple or alias. The error lists the supported targets.
pub fn lookup_arch(name: &str) -> Result<&'static Arch> {
    ARCHES
        .into_iter()
        .find(|a| a.name == name || a.triple == name)
        .ok_or_else(|| {
            let list: Vec<String> = ARCHES
                .iter()
                .map(|a| format!("{} ({})", a.triple, a.name))
                .collect();
            Error::Target(format!(
                "unknown target `{name}`; supported targets: {}",
                list.join(", ")
            ))
        })
}

/// Builds the Cranelift ISA for `name` (a triple or alias) with `options`.
pub fn lookup(name: &str, options: &TargetOptions) -> Result<Target> {
    let arch = lookup_arch(name)?;
    let triple = target_lexicon::Triple::from_str(arch.triple)
        .map_err(|e| Error::Target(format!("bad triple {}: {e}", arch.triple)))?;
    let mut shared = settings::builder();
    let opt = match options.opt_level {
        OptLevel::None => "none",
        OptLevel::Speed => "speed",
        OptLevel::SpeedAndSize => "speed_and_size",
    };
    let set = |b: &mut settings::Builder, k: &str, v: &str| {
        b.set(k, v)
            .map_err(|e| Error::Internal(format!("cranelift setting {k}={v}: {e}")))
    };
    set(&mut shared, "opt_level", opt)?;
    set(&mut shared, "is_pic", "false")?;
    set(&mut shared, "preserve_frame_pointers", "true")?;
    set(&mut shared, "enable_probestack", "true")?;
    set(&mut shared, "probestack_strategy", "inline")?;
    set(
        &mut shared,
        "enable_verifier",
        if options.verify { "true" } else { "false" },
    )?;
    set(&mut shared, "enable_multi_ret_implicit_sret", "true")?;
    // `i128` builtin parameters and results (the 128-bit division builtins) in two registers
    // as the C ABI passes `__int128`; without it Cranelift's x86_64 backend refuses them.
    // Nothing else in a signature is 128 bits wide.
    set(&mut shared, "enable_llvm_abi_extensions", "true")?;
    set(&mut shared, "enable_nan_canonicalization", "false")?;
    set(&mut shared, "unwind_info", "false")?;
    let shared = settings::Flags::new(shared);
    // The ISA with the baseline's flags, `extra` flags, then the CPU and the features asked
    // for, in that order (so `-feature` can turn off what the rest turned on).
    let with_flags = |extra: &[&str]| -> Result<OwnedTargetIsa> {
        let mut builder = isa::lookup(triple.clone())
            .map_err(|e| Error::Target(format!("{}: {e}", arch.triple)))?;
        for flag in arch.base_flags.iter().chain(extra) {
            builder
                .enable(flag)
                .map_err(|e| Error::Internal(format!("baseline flag {flag}: {e}")))?;
        }
        if let Some(cpu) = &options.cpu {
            apply_cpu(&mut builder, arch, cpu)?;
        }
        for feature in &options.features {
            apply_feature(&mut builder, arch, feature)?;
        }
        builder
            .finish(shared.clone())
            .map_err(|e| Error::Target(format!("{}: {e}", arch.triple)))
    };
    // A preset that turns on a flag without what it implies (x86-64-v3: AVX2 but not AVX)
    // gets the implied flag too.
    let build = |tier: Option<&FastTier>| -> Result<OwnedTargetIsa> {
        let tier_flags = tier.map_or(&[][..], |t| t.flags);
        let isa = with_flags(tier_flags)?;
        let missing: Vec<&str> = arch
            .implied
            .iter()
            .filter(|(on, implied)| {
                isa_flag(&*isa, on) == Some(true) && isa_flag(&*isa, implied) == Some(false)
            })
            .map(|(_, implied)| *implied)
            .collect();
        if missing.is_empty() {
            return Ok(isa);
        }
        with_flags(&[tier_flags, &missing].concat())
    };
    let isa = build(None)?;
    let multiversion =
        options.cpu.is_none() && options.features.is_empty() && !options.no_multiversion;
    let fast_isa = match &arch.fast_tier {
        Some(tier) if multiversion => Some(build(Some(tier))?),
        _ => None,
    };
    let mut target = Target {
        arch,
        isa,
        fast_isa,
        pair_lanes: false,
    };
    target.pair_lanes = !options.no_pair_lanes && target.simd_missing().is_none();
    Ok(target)
}

/// The value of boolean ISA flag `name`, if the ISA has it.
fn isa_flag(isa: &dyn isa::TargetIsa, name: &str) -> Option<bool> {
    isa.isa_flags()
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| s.as_bool())
}

/// Enables the features of CPU `cpu` (a preset name or `native`) on top of the baseline.
fn apply_cpu(builder: &mut isa::Builder, arch: &Arch, cpu: &str) -> Result<()> {
    if cpu == "native" {
        if host().is_none_or(|h| !std::ptr::eq(h, arch)) {
            return Err(Error::Target(format!(
                "--target-cpu native describes this machine, which cannot run {} code; \
                 name a CPU instead (`smelt targets` lists them)",
                arch.triple
            )));
        }
        return cranelift_native::infer_native_flags(builder)
            .map_err(|e| Error::Target(format!("detecting this CPU's features: {e}")));
    }
    let is_preset = builder
        .iter()
        .any(|s| s.name == cpu && matches!(s.kind, settings::SettingKind::Preset));
    if is_preset && builder.enable(cpu).is_ok() {
        return Ok(());
    }
    Err(Error::Target(format!(
        "unknown CPU `{cpu}` for {}; `smelt targets` lists them",
        arch.triple
    )))
}

/// A fresh Cranelift ISA builder for `arch` (for listing its settings), if Cranelift has
/// its backend.
fn isa_builder(arch: &Arch) -> Option<isa::Builder> {
    let triple = target_lexicon::Triple::from_str(arch.triple).expect("supported triple parses");
    isa::lookup(triple).ok()
}

/// The CPU names `--target-cpu` accepts for an architecture besides `native`, with their
/// descriptions.
pub fn cpus(arch: &Arch) -> Vec<(String, String)> {
    let Some(builder) = isa_builder(arch) else {
        return Vec::new();
    };
    builder
        .iter()
        .filter(|s| matches!(s.kind, settings::SettingKind::Preset))
        .map(|s| (s.name.to_string(), s.description.to_string()))
        .collect()
}

/// Applies one `+name` / `-name` feature to an ISA builder.
fn apply_feature(builder: &mut isa::Builder, arch: &Arch, feature: &str) -> Result<()> {
    let (on, name) = match feature.split_at_checked(1) {
        Some(("+", n)) => (true, n),
        Some(("-", n)) => (false, n),
        _ => (true, feature),
    };
    let value = if on { "true" } else { "false" };
    let prefixed = format!("has_{name}");
    for candidate in [prefixed.as_str(), name] {
        if builder.set(candidate, value).is_ok() {
            return Ok(());
        }
    }
    Err(Error::Target(format!(
        "unknown CPU feature `{name}` for {}; `smelt targets` lists them",
        arch.triple
    )))
}

/// The ISA flags of an architecture, for `smelt targets`: (name, description, default).
pub fn features(arch: &Arch) -> Vec<(String, String, String)> {
    let Some(builder) = isa_builder(arch) else {
        return Vec::new();
    };
    builder
        .iter()
        .filter(|s| matches!(s.kind, settings::SettingKind::Bool))
        .map(|s| {
            let name = s.name.strip_prefix("has_").unwrap_or(s.name).to_string();
            let on = arch.base_flags.contains(&s.name);
            (
                name,
                s.description.to_string(),
                if on { "on" } else { "off" }.to_string(),
            )
        })
        .collect()
}

impl Target {
    /// Whether the ISA can compile SIMD-128, and if not, the feature that would enable it.
    pub fn simd_missing(&self) -> Option<&'static str> {
        let flag = self.arch.simd_flag?;
        let enabled = self
            .isa
            .isa_flags()
            .iter()
            .any(|s| s.name == flag && s.as_bool() == Some(true));
        (!enabled).then(|| flag.strip_prefix("has_").unwrap_or(flag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(target: &Target, name: &str) -> Option<bool> {
        target
            .isa
            .isa_flags()
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.as_bool())
    }

    #[test]
    fn target_cpu() {
        let with = |cpu: Option<&str>| TargetOptions {
            cpu: cpu.map(str::to_string),
            ..Default::default()
        };
        let base = lookup("x86_64", &with(None)).unwrap();
        assert_eq!(flag(&base, "has_avx2"), Some(false));
        assert_eq!(flag(&base, "has_sse42"), Some(true));
        let v3 = lookup("x86_64", &with(Some("x86-64-v3"))).unwrap();
        assert_eq!(flag(&v3, "has_avx2"), Some(true));
        assert_eq!(flag(&v3, "has_sse42"), Some(true));
        // Cranelift's preset leaves AVX off; AVX2 implies it.
        assert_eq!(flag(&v3, "has_avx"), Some(true));
        // The default build has the fast tier's ISA beside the baseline's; a chosen CPU
        // does not.
        let fast = base.fast_isa.as_deref().expect("x86_64 has a fast tier");
        assert_eq!(
            fast.isa_flags()
                .iter()
                .find(|s| s.name == "has_avx")
                .and_then(|s| s.as_bool()),
            Some(true)
        );
        assert!(v3.fast_isa.is_none());
        assert!(lookup("x86_64", &with(Some("pentium9"))).is_err());
        // `native` only describes code for the compiling machine's architecture.
        let foreign = if host().is_some_and(|h| h.name == "aarch64") {
            "x86_64"
        } else {
            "aarch64"
        };
        assert!(lookup(foreign, &with(Some("native"))).is_err());
        if host().is_some() {
            lookup(host().unwrap().name, &with(Some("native"))).unwrap();
        }
    }
}
