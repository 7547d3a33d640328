//! `smelt bench`: compile a component, then run the executable and — when `wasmtime` is on
//! `PATH` — the same component under Wasmtime, alternately, and print medians side by side.
//!
//! [`measure`] holds what a benchmark needs from the operating system (wall time and peak
//! RSS of one child through `wait4`, medians, formatting); the benchmark suite's runner
//! (`bench/runner`) uses the same module, so both report the same quantities the same way.
//!
//! The compile runs as a child process (`smelt build`, link included) rather than in this
//! process: that times it as a user sees it and keeps this process small, which keeps the
//! children's peak-RSS figures honest (see [`measure`]).

pub mod measure;

use measure::{Sample, fmt_bytes, fmt_secs, median};
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

/// One system under comparison: how to run it and what it measured.
struct System {
    name: String,
    cmd: Vec<OsString>,
    samples: Vec<Sample>,
    output_hash: u64,
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

fn command(argv: &[OsString], stdout: &Path) -> std::io::Result<Command> {
    let mut c = Command::new(&argv[0]);
    c.args(&argv[1..])
        .stdout(std::fs::File::create(stdout)?)
        .stderr(Stdio::inherit());
    Ok(c)
}

fn io_err(what: &str, e: std::io::Error) -> crate::Error {
    crate::Error::Internal(format!("smelt bench: {what}: {e}"))
}

/// Compiles, measures and writes the comparison table to `out`.
pub fn bench(opts: &Options, out: &mut dyn Write) -> crate::Result<()> {
    let dir = tempfile::tempdir().map_err(|e| io_err("temporary directory", e))?;
    let exe = dir.path().join("app");

    let mut build = Command::new(&opts.smelt);
    build
        .arg("build")
        .arg(&opts.input)
        .arg("-o")
        .arg(&exe)
        .args(&opts.build_args)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for d in &opts.dirs {
        build.arg("--dir").arg(d);
    }
    let compile = measure::run(&mut build).map_err(|e| io_err("running smelt build", e))?;
    if !compile.status.success() {
        return Err(crate::Error::Internal(format!(
            "smelt bench: `smelt build {}` failed ({})",
            opts.input.display(),
            compile.status
        )));
    }
    let exe_size = exe.metadata().map(|m| m.len()).unwrap_or(0);

    let mut systems = vec![System {
        name: "smelt".into(),
        cmd: std::iter::once(exe.clone().into_os_string())
            .chain(opts.args.iter().cloned())
            .collect(),
        samples: Vec::new(),
        output_hash: 0,
    }];
    if let Some(wasmtime) = &opts.wasmtime {
        let mut cmd: Vec<OsString> = vec![wasmtime.clone().into(), "run".into()];
        for d in &opts.dirs {
            cmd.push("--dir".into());
            cmd.push(d.into());
        }
        cmd.push(opts.input.clone().into());
        cmd.extend(opts.args.iter().cloned());
        systems.push(System {
            name: "wasmtime run".into(),
            cmd,
            samples: Vec::new(),
            output_hash: 0,
        });
    }

    // One warm-up run each (Wasmtime fills its code cache), whose output is compared.
    let stdout = dir.path().join("stdout");
    for s in &mut systems {
        let sample = measure::run(&mut command(&s.cmd, &stdout).map_err(|e| io_err("output", e))?)
            .map_err(|e| io_err(&format!("running {}", s.name), e))?;
        if !sample.status.success() {
            writeln!(out, "note: {} exited with {}", s.name, sample.status).ok();
        }
        s.output_hash = measure::file_hash(&stdout).map_err(|e| io_err("output", e))?;
    }
    // Alternate, starting each round with the next system, so that drifting machine load
    // falls on every system alike.
    for round in 0..opts.runs {
        let n = systems.len();
        for k in 0..n {
            let s = &mut systems[(round + k) % n];
            let mut cmd = command(&s.cmd, &stdout).map_err(|e| io_err("output", e))?;
            let sample =
                measure::run(&mut cmd).map_err(|e| io_err(&format!("running {}", s.name), e))?;
            s.samples.push(sample);
        }
    }

    write_table(opts, &systems, &compile, exe_size, out).map_err(|e| io_err("writing", e))
}

fn write_table(
    opts: &Options,
    systems: &[System],
    compile: &Sample,
    exe_size: u64,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "smelt bench: {} ({} runs each after a warm-up, alternating; medians)",
        opts.input.display(),
        opts.runs
    )?;
    writeln!(
        out,
        "compile: smelt build {} (link included), executable {}",
        fmt_secs(compile.wall.as_secs_f64()),
        fmt_bytes(exe_size as f64)
    )?;
    writeln!(
        out,
        "{:<14} {:>11} {:>10} {:>14} {:>13}",
        "system", "wall time", "peak RSS", "time / smelt", "RSS / smelt"
    )?;
    let stats = |s: &System| {
        let wall: Vec<f64> = s.samples.iter().map(|x| x.wall.as_secs_f64()).collect();
        let rss: Vec<f64> = s.samples.iter().map(|x| x.max_rss as f64).collect();
        (
            median(&wall).unwrap_or(f64::NAN),
            median(&rss).unwrap_or(f64::NAN),
        )
    };
    let (base_wall, base_rss) = stats(&systems[0]);
    for s in systems {
        let (wall, rss) = stats(s);
        writeln!(
            out,
            "{:<14} {:>11} {:>10} {:>13.2}x {:>12.2}x",
            s.name,
            fmt_secs(wall),
            fmt_bytes(rss),
            wall / base_wall,
            rss / base_rss
        )?;
    }
    if opts.wasmtime.is_none() {
        writeln!(out, "wasmtime: not found on PATH, not measured")?;
    } else if systems
        .iter()
        .any(|s| s.output_hash != systems[0].output_hash)
    {
        writeln!(out, "outputs: DIFFER between smelt and wasmtime")?;
    } else {
        writeln!(out, "outputs: equal")?;
    }
    Ok(())
}
