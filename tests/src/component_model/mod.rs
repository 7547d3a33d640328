//! The Component Model reference tests (`../shared/testsuite/component-model/test`, from the
//! WebAssembly/component-model repository) through smelt's ahead-of-time path, on every test
//! target.
//!
//! A script's tested components cannot be called from outside as a core module's exports
//! can: a component is called through the Canonical ABI. So the runner builds, per script,
//! one *wrapper* component ([`wrapper`]) that instantiates every tested component in script
//! order and, for each, a generated driver core module ([`driver`]) that imports the
//! functions the directives call, `canon lower`ed — which smelt compiles into fused adapters,
//! the real cross-component call path — and exports one function per directive that passes
//! the arguments and compares the result. The wrapper becomes one script-mode executable per
//! target, driven with the spec runner's protocol: instantiate each tested component's core
//! instances, then call the driver functions ([`exec`]).
//!
//! Not run: `async/` (the async ABI of WASI 0.3 is not required yet) and the files of
//! `nyi.txt` (tests ahead of every implementation); the directives of the latter count as
//! skipped. Known failures are listed with their reasons in
//! `tests/component-model/known.toml` ([`lists`]).
//!
//! Environment: `SMELT_TEST_TARGETS`, and the spec runner's `SMELT_SPEC_JOBS`,
//! `SMELT_SPEC_TIMEOUT`, `SMELT_SPEC_KEEP`; `SMELT_CM_FILTER` (substrings of `dir/file`).

pub mod driver;
pub mod exec;
pub mod lists;
pub mod plan;
pub mod values;
pub mod wrapper;

use crate::spec::Counts;
use crate::spec::exec::{FileRun, RunOptions, catch_panic};
use crate::spec::plan::Outcome;
use lists::Lists;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Where the suite lives.
pub fn suite_dir() -> PathBuf {
    crate::root().join("../shared/testsuite/component-model/test")
}

/// One script of the suite.
#[derive(Clone, Debug)]
pub struct Script {
    /// `dir/file.wast`.
    pub path: String,
    /// The directory (`values`, `linking`, …).
    pub dir: String,
    /// Its text.
    pub text: String,
    /// Listed in `nyi.txt`: not run, its directives count as skipped.
    pub nyi: bool,
}

/// Every script outside `async/`, sorted by path.
pub fn scripts() -> Vec<Script> {
    let root = suite_dir();
    let nyi: Vec<String> = std::fs::read_to_string(root.join("nyi.txt"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim().trim_start_matches("./").to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir() && e.file_name() != "async")
        .collect();
    dirs.sort_by_key(|e| e.file_name());
    for d in dirs {
        let dir = d.file_name().to_string_lossy().into_owned();
        let mut files: Vec<_> = std::fs::read_dir(d.path())
            .expect("readable directory")
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "wast"))
            .collect();
        files.sort_by_key(|e| e.file_name());
        for f in files {
            let path = format!("{dir}/{}", f.file_name().to_string_lossy());
            out.push(Script {
                text: std::fs::read_to_string(f.path()).expect("readable script"),
                nyi: nyi.contains(&path),
                dir: dir.clone(),
                path,
            });
        }
    }
    out
}

/// The scripts selected by `SMELT_CM_FILTER`.
pub fn selected(scripts: Vec<Script>) -> Vec<Script> {
    match std::env::var("SMELT_CM_FILTER") {
        Ok(f) if !f.trim().is_empty() => scripts
            .into_iter()
            .filter(|s| {
                f.split(',')
                    .any(|w| !w.trim().is_empty() && s.path.contains(w.trim()))
            })
            .collect(),
        _ => scripts,
    }
}

/// A script prepared for running (target-independent), or skipped.
pub enum Prepared {
    /// To run.
    Run(exec::Prepared),
    /// In `nyi.txt`: every directive skipped.
    Nyi(FileRun),
}

/// Plans every script (and probes what smelt refuses), `jobs` at a time.
pub fn prepare_all(scripts: &[Script], jobs: usize) -> Vec<Prepared> {
    parallel(scripts.len(), jobs, |i| {
        let s = &scripts[i];
        if s.nyi {
            let plan = plan::plan(&s.path, &s.text);
            Prepared::Nyi(FileRun {
                judged: plan
                    .checks
                    .iter()
                    .map(|c| crate::spec::exec::Judged {
                        line: c.line,
                        text: c.text.clone(),
                        outcome: Outcome::Skip("listed in nyi.txt".into()),
                    })
                    .collect(),
                notes: Vec::new(),
                build_time: Default::default(),
                run_time: Default::default(),
            })
        } else {
            match catch_panic(|| exec::prepare(&s.path, &s.text)) {
                Ok(p) => Prepared::Run(p),
                Err(why) => Prepared::Nyi(runner_panic(&s.path, &s.text, &why)),
            }
        }
    })
}

/// Runs every prepared script on `target`, `jobs` at a time.
pub fn run_target(
    prepared: &[Prepared],
    target: &crate::TestTarget,
    options: &RunOptions,
    jobs: usize,
) -> Vec<FileRun> {
    let verbose = std::env::var_os("SMELT_SPEC_VERBOSE").is_some();
    parallel(prepared.len(), jobs, |i| match &prepared[i] {
        Prepared::Nyi(run) => FileRun {
            judged: run.judged.clone(),
            notes: Vec::new(),
            build_time: Default::default(),
            run_time: Default::default(),
        },
        Prepared::Run(p) => {
            let run = catch_panic(|| exec::run(p, target, options))
                .unwrap_or_else(|why| runner_panic(&p.name, "", &why));
            if verbose {
                eprintln!(
                    "  {} {}: prepare {:.1}s, build {:.1}s, run {:.1}s",
                    p.name,
                    target.alias,
                    p.time.as_secs_f64(),
                    run.build_time.as_secs_f64(),
                    run.run_time.as_secs_f64()
                );
            }
            run
        }
    })
}

/// A script the runner itself panicked on: one failing entry.
fn runner_panic(path: &str, _text: &str, why: &str) -> FileRun {
    FileRun {
        judged: vec![crate::spec::exec::Judged {
            line: 1,
            text: path.to_string(),
            outcome: Outcome::Fail(format!("runner panicked: {why}")),
        }],
        notes: Vec::new(),
        build_time: Default::default(),
        run_time: Default::default(),
    }
}

/// `f(0..n)`, `jobs` at a time, in order.
fn parallel<T: Send>(n: usize, jobs: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, n.max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= n {
                        break;
                    }
                    let r = f(i);
                    results.lock().unwrap()[i] = Some(r);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
}

/// What the whole run found.
#[derive(Default)]
pub struct Report {
    /// `(dir, target) → counts`, in run order.
    pub counts: Vec<(String, String, Counts)>,
    /// Every failure, one entry each, known ones marked.
    pub failures: String,
    /// Every directive with its outcome.
    pub outcomes: String,
    /// Failures not in the known list.
    pub unexpected: Vec<String>,
    /// Known-list lines that did not fail.
    pub stale: Vec<String>,
    /// Known failures per reason (of the known list), over all targets.
    pub known_reasons: Vec<(String, usize)>,
}

impl Report {
    /// The sum over directories and targets.
    pub fn total(&self) -> Counts {
        let mut t = Counts::default();
        for (_, _, c) in &self.counts {
            t.passed += c.passed;
            t.failed += c.failed;
            t.known += c.known;
            t.skipped += c.skipped;
        }
        t
    }

    /// Adds one target's results (`runs[i]` is `scripts[i]`'s).
    pub fn add_target(
        &mut self,
        scripts: &[Script],
        runs: &[FileRun],
        target: &str,
        lists: &Lists,
    ) {
        let mut dirs: Vec<(String, Counts)> = Vec::new();
        for (s, run) in scripts.iter().zip(runs) {
            if !dirs.iter().any(|(d, _)| *d == s.dir) {
                dirs.push((s.dir.clone(), Counts::default()));
            }
            let c = &mut dirs.iter_mut().find(|(d, _)| *d == s.dir).unwrap().1;
            for j in &run.judged {
                let _ = writeln!(
                    self.outcomes,
                    "{}:{} [{target}] {} {}",
                    s.path,
                    j.line,
                    match &j.outcome {
                        Outcome::Pass => "pass".to_string(),
                        Outcome::Fail(why) => format!("FAIL {why}"),
                        Outcome::Skip(why) => format!("skip {why}"),
                    },
                    j.text
                );
                match &j.outcome {
                    Outcome::Pass => c.passed += 1,
                    Outcome::Skip(_) => c.skipped += 1,
                    Outcome::Fail(why) => {
                        c.failed += 1;
                        let line =
                            format!("{}:{} [{target}] {}\n    {why}", s.path, j.line, j.text);
                        match lists.known(&s.path, j.line, target) {
                            Some(k) => {
                                c.known += 1;
                                match self.known_reasons.iter_mut().find(|(r, _)| *r == k.reason) {
                                    Some((_, n)) => *n += 1,
                                    None => self.known_reasons.push((k.reason.clone(), 1)),
                                }
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
            for note in &run.notes {
                let _ = writeln!(self.failures, "NOTE  {} [{target}]: {note}", s.path);
            }
            for k in &lists.known {
                if k.file != s.path || !k.applies_to(target) {
                    continue;
                }
                for &l in &k.lines {
                    let failed = run
                        .judged
                        .iter()
                        .any(|j| j.line == l && matches!(j.outcome, Outcome::Fail(_)));
                    if !failed {
                        self.stale.push(format!(
                            "{}:{l} [{target}] passes now (known: {})",
                            k.file, k.reason
                        ));
                    }
                }
            }
        }
        for (dir, c) in dirs {
            self.counts.push((dir, target.to_string(), c));
        }
    }
}
