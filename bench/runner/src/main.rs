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

mod compile;
mod report;
mod run;
mod svg;
mod systems;
mod workloads;

use anyhow::{Context, Result};
use clap::Parser;
use compile::{CompileRow, compile_all};
use smelt::bench::measure::{self, Sample};
use std::collections::BTreeMap;
use std::path::PathBuf;
use systems::{Artifacts, Grant, System, Tools};
use workloads::{WORKLOADS, Workload, write_copy_input};

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
        run::run_all(
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
        row.name = "componentize-py app (`tests/toolchains/python`)".into();
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
