//! Running one workload under every system: a warm-up run each whose output is checked
//! against native's, then measured rounds taking turns.

use crate::systems::{self, Artifacts, Grant, System, Tools};
use crate::workloads::{Workload, workload_args};
use crate::{Args, Cell, Results};
use anyhow::{Result, bail};
use smelt::bench::measure::{self, Sample};
use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

#[allow(
    clippy::too_many_arguments,
    reason = "one call site; a struct would only rename them"
)]
pub fn run_all(
    w: &'static Workload,
    tools: &Tools,
    systems: &[System],
    a: &Artifacts,
    grant: Option<&Grant>,
    data: &Path,
    work: &Path,
    args: &Args,
    results: &mut Results,
) {
    let stdout = work.join(format!("{}.out", w.name));
    let mut cells: Vec<Cell> = systems.iter().map(|_| Cell::default()).collect();
    let commands: Vec<Vec<OsString>> = systems
        .iter()
        .map(|&s| systems::command(s, tools, a, grant, &workload_args(w, s, data)))
        .collect();
    let unavailable = |sys: System, results: &Results| -> Option<String> {
        let row = results.compile.last()?;
        match sys {
            System::Smelt => row
                .smelt
                .problem
                .clone()
                .map(|p| format!("smelt build {p}")),
            System::SmeltHost => row
                .smelt_host
                .problem
                .clone()
                .map(|p| format!("smelt build --target-cpu native {p}")),
            System::WasmtimeAot => row
                .wasmtime
                .problem
                .clone()
                .map(|p| format!("wasmtime compile {p}")),
            System::Wamr => row.wamrc.problem.clone().map(|p| format!("wamrc {p}")),
            _ => None,
        }
    };
    for (i, &sys) in systems.iter().enumerate() {
        cells[i].problem = unavailable(sys, results);
    }

    // Warm-up: one run each, outputs checked against native's.
    let mut reference: Option<u64> = None;
    for (i, &sys) in systems.iter().enumerate() {
        if cells[i].problem.is_some() {
            continue;
        }
        let _ = std::fs::remove_file(data.join("dst.bin"));
        let outcome = run_once(&commands[i], &stdout, sys.is_slow()).and_then(|s| {
            if s.wall >= SLOW_TIMEOUT && sys.is_slow() {
                bail!("stopped after {} s", SLOW_TIMEOUT.as_secs());
            }
            if !s.status.success() {
                bail!("exited with {}{}", s.status, said(&stdout));
            }
            let mut h = measure::file_hash(&stdout)?;
            if w.file_io {
                h ^= measure::file_hash(&data.join("dst.bin"))?.rotate_left(1);
            }
            Ok(h)
        });
        match (outcome, reference) {
            (Ok(h), None) => reference = Some(h),
            (Ok(h), Some(r)) if h == r => {}
            (Ok(_), Some(_)) => cells[i].problem = Some("output differs from native's".into()),
            (Err(e), _) => cells[i].problem = Some(format!("{e:#}")),
        }
        if let Some(p) = &cells[i].problem {
            eprintln!("   {}: {p}", sys.label());
        }
    }

    for round in 0..args.runs {
        for k in 0..systems.len() {
            let i = (round + k) % systems.len();
            let sys = systems[i];
            if cells[i].problem.is_some() || (sys.is_slow() && round >= results.slow_runs) {
                continue;
            }
            match run_once(&commands[i], &stdout, sys.is_slow()) {
                Ok(s) if s.status.success() => cells[i].samples.push(s),
                Ok(s) => {
                    cells[i].problem = Some(format!("exited with {}{}", s.status, said(&stdout)))
                }
                Err(e) => cells[i].problem = Some(format!("{e:#}")),
            }
        }
    }
    for (i, cell) in cells.into_iter().enumerate() {
        if let Some(t) = cell.wall() {
            eprintln!(
                "   {:<22} {:>10} {:>9}",
                systems[i].label(),
                measure::fmt_secs(t),
                measure::fmt_bytes(cell.rss().unwrap_or(0.0))
            );
        }
        results.cells.insert((w.name, i), cell);
    }
}

/// How long a slow engine's run may take before it is stopped and not measured.
const SLOW_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// One run with standard output to `stdout` and standard error beside it (`.err`).
fn run_once(argv: &[OsString], stdout: &Path, slow: bool) -> Result<Sample> {
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..])
        .stdout(std::fs::File::create(stdout)?)
        .stderr(std::fs::File::create(stdout.with_extension("err"))?);
    Ok(measure::run_with_timeout(
        &mut cmd,
        slow.then_some(SLOW_TIMEOUT),
    )?)
}

/// What a failed run said: the first line of its standard error that is not a panic's or
/// backtrace's boilerplate (for a Rust panic, the message).
fn said(stdout: &Path) -> String {
    let text = std::fs::read_to_string(stdout.with_extension("err")).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .find(|l| {
            !l.is_empty()
                && !l.starts_with("thread '")
                && !l.starts_with("stack backtrace")
                && !l.starts_with("note:")
        })
        .map(|l| format!(": {l}"))
        .unwrap_or_default()
}
