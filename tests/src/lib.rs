//! Shared support for smelt's test suites: which targets to test and how to run their
//! executables.
//!
//! Targets come from `cross/*.toml` (one file per target: triple, alias, runner command, and
//! optionally CPU features every function is compiled with, for a variant of a target).
//! `SMELT_TEST_TARGETS=all` (the default) or a comma-separated list of aliases picks them.
//! A target whose runner is missing is skipped with a message, except under CI (`CI` set),
//! where a missing runner is an error: CI must prove every target.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub mod component_model;
pub mod spec;
pub mod wasi;

/// One target the tests build for and run on.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct TestTarget {
    /// Target triple.
    pub triple: String,
    /// Short name (`x86_64`, `aarch64`, `riscv64`).
    pub alias: String,
    /// Command prefix that runs an executable for this target (empty: run directly).
    pub runner: Vec<String>,
    /// CPU features (`+avx2`) every function is compiled with: a variant of the target that
    /// tests code generation for those features (`cross/x86_64-avx2.toml`).
    #[serde(default)]
    pub features: Vec<String>,
}

impl TestTarget {
    /// A command that runs `exe` on this target.
    pub fn command(&self, exe: &Path) -> Command {
        match self.runner.split_first() {
            Some((prog, args)) => {
                let mut c = Command::new(prog);
                c.args(args).arg(exe);
                c
            }
            None => Command::new(exe),
        }
    }

    /// Runs `exe` with `args` and `stdin`, capturing its output.
    pub fn run(&self, exe: &Path, args: &[&str], stdin: &[u8]) -> std::io::Result<Output> {
        self.run_with_env(exe, args, stdin, &[])
    }

    /// Like [`TestTarget::run`], with variables `env` added to the environment.
    pub fn run_with_env(
        &self,
        exe: &Path,
        args: &[&str],
        stdin: &[u8],
        env: &[(&str, &str)],
    ) -> std::io::Result<Output> {
        use std::io::Write;
        let mut child = self.command(exe);
        child
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = spawn(&mut child)?;
        let mut input = child.stdin.take().expect("piped");
        let data = stdin.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(&data);
        });
        let out = child.wait_with_output()?;
        let _ = writer.join();
        Ok(out)
    }

    /// Runs `exe` (with `env` added) with the standard descriptors `closed` (0, 1 or 2)
    /// closed, as `prog <&- >&-` in a shell does; the others are captured (stdin empty).
    pub fn run_closed(
        &self,
        exe: &Path,
        closed: &[i32],
        env: &[(&str, &str)],
    ) -> std::io::Result<Output> {
        let inner = self.command(exe);
        let redirections: String = closed.iter().map(|fd| format!(" {fd}>&-")).collect();
        let mut sh = Command::new("sh");
        sh.arg("-c")
            .arg(format!("exec \"$0\" \"$@\"{redirections}"))
            .arg(inner.get_program())
            .args(inner.get_args())
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        spawn(&mut sh)?.wait_with_output()
    }

    /// `smelt build` arguments that compile for this target: the triple and the features.
    pub fn build_args(&self) -> Vec<String> {
        let mut args = vec!["--target".to_string(), self.triple.clone()];
        if !self.features.is_empty() {
            args.push("--target-feature".into());
            args.push(self.features.join(","));
        }
        args
    }

    /// Whether this target's runner is available here (for a target run directly: the host
    /// is of its architecture).
    pub fn runnable(&self) -> bool {
        match self.runner.first() {
            None => self.triple.split('-').next() == Some(std::env::consts::ARCH),
            Some(prog) => Command::new(prog)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success()),
        }
    }

    /// Builds the Cranelift target for this test target, with the verifier on.
    pub fn target(&self, features: &[&str]) -> smelt::Result<smelt::Target> {
        let options = smelt::TargetOptions {
            opt_level: smelt::OptLevel::Speed,
            features: self
                .features
                .iter()
                .map(String::as_str)
                .chain(features.iter().copied())
                .map(str::to_string)
                .collect(),
            verify: true,
            cpu: None,
            no_multiversion: false,
            no_pair_lanes: false,
        };
        smelt::target::lookup(&self.triple, &options)
    }
}

/// Whether the machine running the tests has CPU feature `feature` (`+avx2`).
fn host_has(feature: &str) -> bool {
    let name = feature.trim_start_matches('+');
    #[cfg(target_arch = "x86_64")]
    {
        match name {
            "avx" => std::arch::is_x86_feature_detected!("avx"),
            "avx2" => std::arch::is_x86_feature_detected!("avx2"),
            "bmi1" => std::arch::is_x86_feature_detected!("bmi1"),
            "bmi2" => std::arch::is_x86_feature_detected!("bmi2"),
            "lzcnt" => std::arch::is_x86_feature_detected!("lzcnt"),
            "fma" => std::arch::is_x86_feature_detected!("fma"),
            _ => false,
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = name;
        false
    }
}

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Every target described in `cross/`.
pub fn all_targets() -> Vec<TestTarget> {
    let mut targets: Vec<TestTarget> = std::fs::read_dir(root().join("cross"))
        .expect("cross/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable cross file");
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .collect();
    targets.sort_by(|a, b| a.alias.cmp(&b.alias));
    targets
}

/// Whether the tests run under CI, where skipping a target is a failure.
pub fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// The targets selected by `SMELT_TEST_TARGETS` that can run here. A selected target whose
/// runner is missing is skipped with a message, or panics under CI; one whose CPU features
/// this machine lacks is skipped with a message.
pub fn test_targets() -> Vec<TestTarget> {
    let wanted = std::env::var("SMELT_TEST_TARGETS").unwrap_or_else(|_| "all".into());
    let mut out = Vec::new();
    for t in all_targets() {
        let selected = wanted == "all"
            || wanted
                .split(',')
                .any(|w| w.trim() == t.alias || w.trim() == t.triple);
        if !selected {
            continue;
        }
        if !t.features.iter().all(|f| host_has(f)) {
            // A CPU is not something CI can install: a variant the machine cannot run is
            // skipped with a message everywhere.
            eprintln!(
                "skipping target {}: this CPU lacks some of {:?}",
                t.alias, t.features
            );
        } else if t.runnable() {
            out.push(t);
        } else if under_ci() {
            panic!(
                "target {} cannot run here: runner {:?} is missing (install qemu-user)",
                t.alias, t.runner
            );
        } else {
            eprintln!(
                "skipping target {}: runner {:?} is missing (install qemu-user)",
                t.alias, t.runner
            );
        }
    }
    out
}

/// Starts `cmd`, retrying while the executable is "busy" (`ETXTBSY`). Tests build
/// executables on some threads while others start processes: a child forked at the moment
/// an executable is being written holds a copy of its write descriptor until it execs, and
/// starting that executable then fails. The window is a few microseconds, so a few short
/// retries get past it.
pub fn spawn(cmd: &mut Command) -> std::io::Result<std::process::Child> {
    const ETXTBSY: i32 = 26;
    let mut delay = std::time::Duration::from_millis(1);
    for _ in 0..10 {
        match cmd.spawn() {
            Err(e) if e.raw_os_error() == Some(ETXTBSY) => {
                std::thread::sleep(delay);
                delay *= 2;
            }
            other => return other,
        }
    }
    cmd.spawn()
}
