//! `bench-suite`: runs the workloads of `bench/suite` natively, as smelt executables and
//! under the other engines found, side by side, and writes `bench/results/latest.md`,
//! `bench/results/latest.svg` and the README's results section.
//!
//! `bench/suite/run.sh` installs the engines, builds the suite and this runner, then runs
//! it; see `bench/README.md` for the method. In short: every system runs each workload once
//! to warm up (its output is checked against native's), then the systems take turns, each
//! round starting with the next system, so that load on the shared machine falls on all of
//! them alike; medians are reported. Measurement is `smelt::bench::measure`, shared with
//! `smelt bench`.

mod report;
mod svg;
mod systems;

use anyhow::{Context, Result, bail};
use clap::Parser;
use smelt::bench::measure::{self, Sample};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use systems::{Artifacts, Grant, System, Tools};

#[derive(Parser)]
#[command(about = "Run bench/suite side by side and write the report")]
struct Args {
    /// Measured runs per system and workload (after one warm-up run).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Measured runs for slow engines (WAMR).
    #[arg(long, default_value_t = 3)]
    slow_runs: usize,
    /// Compiles per compiler and workload, alternating.
    #[arg(long, default_value_t = 3)]
    compile_runs: usize,
    /// Only these workloads (comma-separated).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// The suite's build: its native and wasm32-wasip2 binaries are under DIR/release and
    /// DIR/wasm32-wasip2/release.
    #[arg(long)]
    suite_target: PathBuf,
    /// Working directory for executables, inputs and outputs.
    #[arg(long)]
    work: PathBuf,
    /// The smelt executable.
    #[arg(long)]
    smelt: PathBuf,
    #[arg(long)]
    wasmtime: Option<PathBuf>,
    #[arg(long)]
    wamr: Option<PathBuf>,
    #[arg(long)]
    wamrc: Option<PathBuf>,
    /// A large real component (componentize-py) for compile time and size.
    #[arg(long)]
    large: Option<PathBuf>,
    /// Where latest.md and latest.svg go.
    #[arg(long)]
    out: PathBuf,
    /// A README whose results section (between markers) is replaced.
    #[arg(long)]
    readme: Option<PathBuf>,
    /// Lines describing versions, machine and load, for the report header.
    #[arg(long)]
    note: Vec<String>,
}

/// A workload of the suite: its binary name, what it does, its arguments.
pub struct Workload {
    pub name: &'static str,
    pub what: &'static str,
    /// Copies a file: gets a granted directory with the input in it.
    file_io: bool,
}

const WORKLOADS: &[Workload] = &[
    Workload {
        name: "hello",
        what: "start-up: print one line",
        file_io: false,
    },
    Workload {
        name: "hash",
        what: "SHA-256 + SHA-512 of 16 MiB (sha2, portable)",
        file_io: false,
    },
    Workload {
        name: "json",
        what: "serde_json: 10k orders to JSON and back, 4 rounds",
        file_io: false,
    },
    Workload {
        name: "regex",
        what: "regex: 6 patterns + captures over 10 MiB of text",
        file_io: false,
    },
    Workload {
        name: "deflate",
        what: "miniz_oxide: 3 MiB at levels 1 and 6, inflate",
        file_io: false,
    },
    Workload {
        name: "image",
        what: "1600² RGB f32: blur, Sobel, bilinear resize",
        file_io: false,
    },
    Workload {
        name: "nbody",
        what: "n-body, 5M steps (f64)",
        file_io: false,
    },
    Workload {
        name: "matmul",
        what: "700×700 f64 matrix multiply ×2 + transpose",
        file_io: false,
    },
    Workload {
        name: "filecopy",
        what: "copy 256 MiB in 64 KiB chunks",
        file_io: true,
    },
    Workload {
        name: "smallwrites",
        what: "200k println! lines (one write each)",
        file_io: false,
    },
];

/// Size of the file `filecopy` copies.
const COPY_BYTES: usize = 256 << 20;

/// What one system measured on one workload.
#[derive(Default)]
pub struct Cell {
    pub samples: Vec<Sample>,
    /// Why it has no samples, or what went wrong.
    pub problem: Option<String>,
}

impl Cell {
    pub fn wall(&self) -> Option<f64> {
        let w: Vec<f64> = self.samples.iter().map(|s| s.wall.as_secs_f64()).collect();
        measure::median(&w)
    }

    pub fn rss(&self) -> Option<f64> {
        let r: Vec<f64> = self.samples.iter().map(|s| s.max_rss as f64).collect();
        measure::median(&r)
    }
}

/// Compile figures of one input.
#[derive(Default)]
pub struct CompileRow {
    pub name: String,
    pub wasm_size: u64,
    pub smelt: Cell,
    pub wasmtime: Cell,
    pub wamrc: Cell,
    pub smelt_size: Option<u64>,
    pub smelt_stripped: Option<u64>,
    pub cwasm_size: Option<u64>,
    pub native_size: Option<u64>,
    pub native_stripped: Option<u64>,
}

/// Everything measured.
pub struct Results {
    pub systems: Vec<System>,
    pub runs: usize,
    pub slow_runs: usize,
    pub workloads: Vec<&'static Workload>,
    /// (workload, system) → cell.
    pub cells: BTreeMap<(&'static str, usize), Cell>,
    pub compile: Vec<CompileRow>,
    pub notes: Vec<String>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.work)?;
    let work = std::fs::canonicalize(&args.work)?;
    let tools = Tools {
        smelt: args.smelt.clone(),
        wasmtime: args.wasmtime.clone(),
        wamr: args.wamr.clone(),
        wamrc: args.wamrc.clone(),
    };
    let systems = tools.systems();
    let workloads: Vec<&Workload> = WORKLOADS
        .iter()
        .filter(|w| args.only.is_empty() || args.only.iter().any(|o| o == w.name))
        .collect();
    eprintln!(
        "bench-suite: {} workloads × {} systems ({}), {} runs each",
        workloads.len(),
        systems.len(),
        systems
            .iter()
            .map(|s| s.label())
            .collect::<Vec<_>>()
            .join(", "),
        args.runs
    );

    let data = work.join("data");
    std::fs::create_dir_all(&data)?;
    if workloads.iter().any(|w| w.file_io) {
        write_copy_input(&data.join("src.bin"))?;
    }
    let grant = Grant {
        host: data.clone(),
        guest: "/data".into(),
    };

    let mut results = Results {
        systems: systems.clone(),
        runs: args.runs,
        slow_runs: args.slow_runs.min(args.runs),
        workloads: workloads.clone(),
        cells: BTreeMap::new(),
        compile: Vec::new(),
        notes: args.note.clone(),
    };

    for w in &workloads {
        let native = args.suite_target.join("release").join(w.name);
        let built = args
            .suite_target
            .join("wasm32-wasip2/release")
            .join(format!("{}.wasm", w.name));
        let wasm = work.join(format!("{}.wasm", w.name));
        std::fs::copy(&built, &wasm).with_context(|| format!("copying {}", built.display()))?;
        let a = Artifacts::new(&work, w.name, native, wasm);
        let g = w.file_io.then_some(&grant);
        eprintln!("== {}: compiling", w.name);
        let row = compile_all(w.name, &tools, &a, g, args.compile_runs);
        results.compile.push(row);
        eprintln!("== {}: running", w.name);
        run_all(
            w,
            &tools,
            &systems,
            &a,
            g,
            &data,
            &work,
            &args,
            &mut results,
        );
    }

    if let Some(large) = &args.large {
        eprintln!("== large component {}: compiling", large.display());
        let wasm = work.join("large.wasm");
        std::fs::copy(large, &wasm)?;
        let a = Artifacts::new(&work, "large", PathBuf::new(), wasm);
        let mut row = compile_all("large", &tools, &a, None, 1);
        row.name = "componentize-py app".into();
        results.compile.push(row);
    }

    std::fs::create_dir_all(&args.out)?;
    let md = report::markdown(&results, "latest.svg");
    std::fs::write(
        args.out.join("latest.md"),
        format!("# smelt benchmark results\n\n{md}"),
    )?;
    std::fs::write(args.out.join("latest.svg"), svg::chart(&results))?;
    if let Some(readme) = &args.readme {
        let image = args.out.join("latest.svg");
        let rel = readme
            .parent()
            .and_then(|d| image.strip_prefix(d).ok())
            .unwrap_or(&image);
        report::update_readme(
            readme,
            &report::markdown(&results, &rel.display().to_string()),
        )?;
    }
    println!("{md}");
    Ok(())
}

/// The input of `filecopy`: deterministic, incompressible-looking bytes.
fn write_copy_input(path: &Path) -> Result<()> {
    if path.metadata().is_ok_and(|m| m.len() == COPY_BYTES as u64) {
        return Ok(());
    }
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut buf = Vec::with_capacity(COPY_BYTES);
    while buf.len() < COPY_BYTES {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf.extend_from_slice(&x.to_le_bytes());
    }
    std::fs::write(path, &buf)?;
    Ok(())
}

fn size_of(p: &Path) -> Option<u64> {
    p.metadata().ok().map(|m| m.len())
}

/// The size of `p` after `strip` (a copy is stripped), if `strip` is installed.
fn stripped_size(p: &Path) -> Option<u64> {
    let copy = p.with_extension("stripped");
    std::fs::copy(p, &copy).ok()?;
    let ok = Command::new("strip")
        .arg(&copy)
        .stderr(Stdio::null())
        .status()
        .ok()?
        .success();
    let size = size_of(&copy);
    let _ = std::fs::remove_file(&copy);
    if ok { size } else { None }
}

/// Runs one compile and records it; `None` from a compiler that failed (noted in the cell).
fn timed(cell: &mut Cell, argv: &[OsString], log: &Path) {
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..]).stdout(Stdio::null());
    match std::fs::File::create(log) {
        Ok(f) => {
            cmd.stderr(f);
        }
        Err(_) => {
            cmd.stderr(Stdio::null());
        }
    }
    match measure::run(&mut cmd) {
        Ok(s) if s.status.success() => cell.samples.push(s),
        Ok(s) => {
            let first = std::fs::read_to_string(log)
                .ok()
                .and_then(|t| t.lines().find(|l| !l.trim().is_empty()).map(str::to_string))
                .unwrap_or_default();
            cell.problem = Some(format!("failed ({}): {first}", s.status));
        }
        Err(e) => cell.problem = Some(format!("could not run: {e}")),
    }
}

/// Compiles `a` with smelt, `wasmtime compile` and `wamrc`, alternately, `runs` times each.
fn compile_all(
    name: &str,
    tools: &Tools,
    a: &Artifacts,
    grant: Option<&Grant>,
    runs: usize,
) -> CompileRow {
    let mut row = CompileRow {
        name: name.into(),
        wasm_size: size_of(&a.wasm).unwrap_or(0),
        ..CompileRow::default()
    };
    let log = a.wasm.with_extension("log");
    let mut smelt: Vec<OsString> = vec![
        tools.smelt.clone().into(),
        "build".into(),
        a.wasm.clone().into(),
        "-o".into(),
        a.smelt_exe.clone().into(),
    ];
    if let Some(g) = grant {
        smelt.extend([
            "--dir".into(),
            format!("{}::{}", g.host.display(), g.guest).into(),
        ]);
    }
    if name == "large" {
        // componentize-py apps import wasi:sockets, which smelt does not provide yet.
        smelt.push("--trap-unknown-imports".into());
    }
    for round in 0..runs.max(1) {
        let order: [u8; 3] = if round % 2 == 0 { [0, 1, 2] } else { [1, 2, 0] };
        for which in order {
            match which {
                0 if row.smelt.problem.is_none() => timed(&mut row.smelt, &smelt, &log),
                1 if row.wasmtime.problem.is_none() => {
                    if let Some(wt) = &tools.wasmtime {
                        let argv: Vec<OsString> = vec![
                            wt.clone().into(),
                            "compile".into(),
                            a.wasm.clone().into(),
                            "-o".into(),
                            a.cwasm.clone().into(),
                        ];
                        timed(&mut row.wasmtime, &argv, &log);
                    }
                }
                2 if row.wamrc.problem.is_none() => {
                    if let Some(wamrc) = &tools.wamrc {
                        let argv: Vec<OsString> = vec![
                            wamrc.clone().into(),
                            "compile-component".into(),
                            a.wasm.clone().into(),
                        ];
                        timed(&mut row.wamrc, &argv, &log);
                    }
                }
                _ => {}
            }
        }
    }
    if row.smelt.problem.is_none() {
        row.smelt_size = size_of(&a.smelt_exe);
        row.smelt_stripped = stripped_size(&a.smelt_exe);
    }
    if row.wasmtime.problem.is_none() {
        row.cwasm_size = size_of(&a.cwasm);
    }
    if a.native.is_file() {
        row.native_size = size_of(&a.native);
        row.native_stripped = stripped_size(&a.native);
    }
    if let Some(p) = &row.smelt.problem {
        eprintln!("   smelt build: {p}");
    }
    row
}

/// The arguments of workload `w` as system `sys` sees its files.
fn workload_args(w: &Workload, sys: System, data: &Path) -> Vec<OsString> {
    if !w.file_io {
        return Vec::new();
    }
    let dir = if sys == System::Native {
        data.display().to_string()
    } else {
        "/data".to_string()
    };
    vec![
        format!("{dir}/src.bin").into(),
        format!("{dir}/dst.bin").into(),
    ]
}

#[allow(
    clippy::too_many_arguments,
    reason = "one call site; a struct would only rename them"
)]
fn run_all(
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
                bail!("exited with {}", s.status);
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
                Ok(s) => cells[i].problem = Some(format!("exited with {}", s.status)),
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

fn run_once(argv: &[OsString], stdout: &Path, slow: bool) -> Result<Sample> {
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..])
        .stdout(std::fs::File::create(stdout)?)
        .stderr(Stdio::null());
    Ok(measure::run_with_timeout(
        &mut cmd,
        slow.then_some(SLOW_TIMEOUT),
    )?)
}
