//! The systems under comparison and how each runs a workload: native code, smelt's
//! executable, Wasmtime (JIT with its code cache warm, and precompiled), and WAMR's AOT
//! runtime where its registry package is installed.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// One way of running a workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum System {
    /// The same Rust source built for the host (`cargo build --release`).
    Native,
    /// The `wasm32-wasip2` component compiled by `smelt build` (portable: x86-64-v2).
    Smelt,
    /// The same, compiled with `--target-cpu native`: the host's instruction set, which is
    /// what Wasmtime compiles for, so the like-for-like comparison with it.
    SmeltHost,
    /// `wasmtime run` on the component (Cranelift JIT; its code cache is warm after the
    /// warm-up run, so this is load + instantiate + run).
    Wasmtime,
    /// `wasmtime compile` ahead of time, then `wasmtime run --allow-precompiled`.
    WasmtimeAot,
    /// `wamrc compile-component` ahead of time, then `wamr run`.
    Wamr,
}

impl System {
    pub fn label(self) -> &'static str {
        match self {
            System::Native => "native",
            System::Smelt => "smelt",
            System::SmeltHost => "smelt (host CPU)",
            System::Wasmtime => "wasmtime run",
            System::WasmtimeAot => "wasmtime precompiled",
            System::Wamr => "WAMR AOT",
        }
    }

    /// Colour in the chart.
    pub fn colour(self) -> &'static str {
        match self {
            System::Native => "#888888",
            System::Smelt => "#d9480f",
            System::SmeltHost => "#f08c00",
            System::Wasmtime => "#1c7ed6",
            System::WasmtimeAot => "#74c0fc",
            System::Wamr => "#37b24d",
        }
    }

    /// Whether this system runs slowly enough that it gets fewer measured runs.
    pub fn is_slow(self) -> bool {
        self == System::Wamr
    }
}

/// Where the tools are; `None` for an engine that is not installed.
#[derive(Debug)]
pub struct Tools {
    pub smelt: PathBuf,
    pub wasmtime: Option<PathBuf>,
    pub wamr: Option<PathBuf>,
    pub wamrc: Option<PathBuf>,
}

impl Tools {
    /// The systems that can run, native first and smelt second.
    pub fn systems(&self) -> Vec<System> {
        let mut v = vec![System::Native, System::Smelt, System::SmeltHost];
        if self.wasmtime.is_some() {
            v.extend([System::Wasmtime, System::WasmtimeAot]);
        }
        if self.wamr.is_some() && self.wamrc.is_some() {
            v.push(System::Wamr);
        }
        v
    }
}

/// The files of one workload in the work directory.
pub struct Artifacts {
    pub native: PathBuf,
    pub wasm: PathBuf,
    pub smelt_exe: PathBuf,
    /// Built with `--target-cpu native`.
    pub smelt_host_exe: PathBuf,
    pub cwasm: PathBuf,
}

impl Artifacts {
    pub fn new(work: &Path, name: &str, native: PathBuf, wasm: PathBuf) -> Artifacts {
        Artifacts {
            native,
            wasm,
            smelt_exe: work.join(format!("{name}.smelt")),
            smelt_host_exe: work.join(format!("{name}.smelt-host")),
            cwasm: work.join(format!("{name}.cwasm")),
        }
    }
}

/// A directory granted to a wasm program: `host` is seen as `guest`.
pub struct Grant {
    pub host: PathBuf,
    pub guest: String,
}

/// The command line that runs `a` under `sys` with `args` (already in the system's view of
/// paths).
pub fn command(
    sys: System,
    tools: &Tools,
    a: &Artifacts,
    grant: Option<&Grant>,
    args: &[OsString],
) -> Vec<OsString> {
    let mut v: Vec<OsString> = Vec::new();
    let dir = grant.map(|g| format!("{}::{}", g.host.display(), g.guest));
    match sys {
        System::Native => v.push(a.native.clone().into()),
        System::Smelt => v.push(a.smelt_exe.clone().into()),
        System::SmeltHost => v.push(a.smelt_host_exe.clone().into()),
        System::Wasmtime | System::WasmtimeAot => {
            v.push(tools.wasmtime.clone().expect("wasmtime").into());
            v.push("run".into());
            if sys == System::Wasmtime {
                v.extend(["-C".into(), "cache=y".into()]);
            } else {
                v.push("--allow-precompiled".into());
            }
            if let Some(d) = &dir {
                v.extend(["--dir".into(), d.into()]);
            }
            v.push(if sys == System::Wasmtime {
                a.wasm.clone().into()
            } else {
                a.cwasm.clone().into()
            });
        }
        System::Wamr => {
            v.push(tools.wamr.clone().expect("wamr").into());
            v.push("run".into());
            if let Some(d) = &dir {
                v.extend(["--map-dir".into(), d.into()]);
            }
            v.push(a.wasm.clone().into());
        }
    }
    v.extend(args.iter().cloned());
    v
}
