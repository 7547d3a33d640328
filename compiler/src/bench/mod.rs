//! `smelt bench`: compile a component, then run the executable and — when `wasmtime` is on
//! `PATH` — the same component under Wasmtime, alternately, and print medians side by side.
//!
//! Every run's exit status and standard output are checked: each system must give the same
//! on every run (the warm-up's), and Wasmtime the same as smelt's executable. A comparison of
//! programs that did different things is not a benchmark, so any difference is reported
//! after the table and `smelt bench` fails.
//!
//! [`measure`] holds what a benchmark needs from the operating system (wall time and peak
//! RSS of one child through `wait4`, medians, formatting); the benchmark suite's runner
//! (`bench/runner`) uses the same module, so both report the same quantities the same way.
//! [`table`] writes the result.
//!
//! The executable is compiled for this machine's CPU (`--target-cpu native`) unless the
//! build options name a CPU: it runs where it is compiled, and Wasmtime, which it is compared
//! with, always compiles for the host's features.
//!
//! The compile runs as a child process (`smelt build`, link included) rather than in this
//! process: that times it as a user sees it and keeps this process small, which keeps the
//! children's peak-RSS figures honest (see [`measure`]).

pub mod measure;
pub mod table;

use crate::Error;
use measure::Sample;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What `smelt bench` was asked to do.
#[derive(Debug)]
pub struct Options {
    /// The component or module to compile and run.
    pub input: PathBuf,
    /// Arguments for the program (after `argv[0]`).
    pub args: Vec<OsString>,
    /// Measured runs of each system (after one warm-up run each).
    pub runs: usize,
    /// Directories granted to the program (`HOST[::GUEST]`), for both systems.
    pub dirs: Vec<String>,
    /// Options passed to `smelt build` as they are (e.g. `--trap-unknown-imports`).
    pub build_args: Vec<String>,
    /// The `smelt` executable that compiles (normally this one).
    pub smelt: PathBuf,
    /// Wasmtime's CLI; `None` measures smelt alone.
    pub wasmtime: Option<PathBuf>,
}

/// What one run did, as far as the output check is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Exit code, or `128 + signal` for a signal (as a shell reports it).
    pub status: i32,
    /// FNV-1a of standard output.
    pub stdout_hash: u64,
}

/// One system under comparison: how to run it and what it measured.
pub struct System {
    /// Its row label.
    pub name: String,
    cmd: Vec<OsString>,
    /// The measured runs.
    pub samples: Vec<Sample>,
    /// The warm-up run's outcome, which every measured run must repeat.
    pub outcome: Option<Outcome>,
    /// Measured runs whose outcome differed from the warm-up's.
    pub unstable_runs: usize,
}

/// Finds an executable by name on `PATH`.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

fn fail(what: impl std::fmt::Display) -> Error {
    Error::Bench(what.to_string())
}

/// Compiles, measures and writes the comparison table to `out`. Fails if the input cannot
/// be compiled, a program cannot be run, or the outputs differ (after writing the table).
pub fn bench(opts: &Options, out: &mut dyn Write) -> crate::Result<()> {
    std::fs::File::open(&opts.input).map_err(|source| Error::Read {
        path: opts.input.clone(),
        source,
    })?;
    let dir = tempfile::tempdir().map_err(|e| fail(format!("temporary directory: {e}")))?;
    let exe = dir.path().join("app");

    let compile = compile(opts, &exe)?;
    let exe_size = exe.metadata().map(|m| m.len()).unwrap_or(0);

    let mut systems = vec![system("smelt", vec![exe.into_os_string()], opts)];
    if let Some(wasmtime) = &opts.wasmtime {
        let mut cmd: Vec<OsString> = vec![wasmtime.clone().into(), "run".into()];
        for d in &opts.dirs {
            cmd.extend(["--dir".into(), d.into()]);
        }
        cmd.push(opts.input.clone().into());
        systems.push(system("wasmtime run", cmd, opts));
    }

    let stdout = dir.path().join("stdout");
    // One warm-up run each (Wasmtime fills its code cache); its outcome is the reference.
    for s in &mut systems {
        let (_, outcome) = run(s, &stdout)?;
        s.outcome = Some(outcome);
    }
    // Alternate, starting each round with the next system, so that drifting machine load
    // falls on every system alike.
    for round in 0..opts.runs {
        let n = systems.len();
        for k in 0..n {
            let s = &mut systems[(round + k) % n];
            let (sample, outcome) = run(s, &stdout)?;
            if Some(outcome) != s.outcome {
                s.unstable_runs += 1;
            }
            s.samples.push(sample);
        }
    }

    let report = table::Report {
        input: &opts.input,
        runs: opts.runs,
        compile: &compile,
        exe_size,
        systems: &systems,
        wasmtime_found: opts.wasmtime.is_some(),
    };
    let problems = report
        .write(out)
        .map_err(|e| fail(format!("writing: {e}")))?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(fail(problems.join("; ")))
    }
}

fn system(name: &str, mut cmd: Vec<OsString>, opts: &Options) -> System {
    cmd.extend(opts.args.iter().cloned());
    System {
        name: name.into(),
        cmd,
        samples: Vec::new(),
        outcome: None,
        unstable_runs: 0,
    }
}

/// `smelt build` in a child process, timed; its errors go to our standard error.
fn compile(opts: &Options, exe: &Path) -> crate::Result<Sample> {
    let mut build = Command::new(&opts.smelt);
    build
        .arg("build")
        .arg(&opts.input)
        .arg("-o")
        .arg(exe)
        .args(&opts.build_args)
        .args(default_cpu(&opts.build_args))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for d in &opts.dirs {
        build.arg("--dir").arg(d);
    }
    let sample = measure::run(&mut build)
        .map_err(|e| fail(format!("running {}: {e}", opts.smelt.display())))?;
    if !sample.status.success() {
        return Err(fail(format!(
            "{} does not compile (the error above is smelt build's)",
            opts.input.display()
        )));
    }
    Ok(sample)
}

/// `--target-cpu native`, unless `build_args` choose a CPU or a target (a cross-compiled
/// executable is not benchmarked here, and `smelt build` refuses `native` for it).
fn default_cpu(build_args: &[String]) -> &'static [&'static str] {
    let chosen = build_args.iter().any(|a| {
        ["--target-cpu", "--target"]
            .iter()
            .any(|o| a == o || a.starts_with(&format!("{o}=")))
    });
    if chosen {
        &[]
    } else {
        &["--target-cpu", "native"]
    }
}

/// One run of `s` with its standard output in `stdout`.
fn run(s: &System, stdout: &Path) -> crate::Result<(Sample, Outcome)> {
    use std::os::unix::process::ExitStatusExt;
    let file = std::fs::File::create(stdout).map_err(|e| fail(format!("output file: {e}")))?;
    let mut cmd = Command::new(&s.cmd[0]);
    cmd.args(&s.cmd[1..]).stdout(file).stderr(Stdio::inherit());
    let sample = measure::run(&mut cmd).map_err(|e| fail(format!("running {}: {e}", s.name)))?;
    let status = sample
        .status
        .code()
        .or_else(|| sample.status.signal().map(|n| 128 + n))
        .unwrap_or(-1);
    let stdout_hash = measure::file_hash(stdout).map_err(|e| fail(format!("output: {e}")))?;
    Ok((
        sample,
        Outcome {
            status,
            stdout_hash,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::default_cpu;

    #[test]
    fn the_host_cpu_unless_the_options_choose() {
        assert_eq!(default_cpu(&[]), ["--target-cpu", "native"]);
        let own = |a: &[&str]| {
            default_cpu(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>()).is_empty()
        };
        assert!(own(&["--target-cpu", "x86-64-v2"]));
        assert!(own(&["--target-cpu=haswell"]));
        assert!(own(&["--target=x86_64"]));
        assert!(!own(&["--trap-unknown-imports"]));
    }
}
