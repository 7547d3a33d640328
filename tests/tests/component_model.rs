//! The Component Model reference tests through smelt's ahead-of-time path, on every test
//! target: one script-mode executable per `.wast` file and target (see
//! `smelt_tests::component_model`).
//!
//! Prints `<dir> <target>: N passed, M failed, K known failures, S skipped` per directory and
//! target (M counts only failures not listed as known), then the total. Every failure goes to `target/tmp/component-model/failures.txt`, every
//! directive with its outcome to `outcomes.txt` beside it. Failures
//! not listed in `tests/component-model/known.toml`, and listed ones that pass, fail the test.

use smelt_tests::component_model::{self as cm, Report, lists::Lists};
use smelt_tests::spec;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        println!("component_model: test");
        return;
    }
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if !filters.is_empty()
        && !filters
            .iter()
            .any(|f| "component_model".contains(f.as_str()))
    {
        return;
    }
    // The suite is written in the component model's current text syntax; refuse the legacy
    // index forms as the suite's README asks (the `wast` crate reads this once, on first use).
    // SAFETY: no other thread runs yet.
    unsafe { std::env::set_var("WAST_STRICT_COMPONENT_INDICES", "1") };
    let lists = Lists::load();
    let scripts = cm::selected(cm::scripts());
    // Only now: the hook records panics of compiled directives quietly, and a missing suite
    // or list above must still say why it stopped.
    spec::exec::install_panic_hook();
    let targets = smelt_tests::test_targets();
    let jobs = std::env::var("SMELT_SPEC_JOBS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let options = spec::options_from_env();
    eprintln!(
        "component model: {} files on {} ({jobs} at a time)",
        scripts.len(),
        targets
            .iter()
            .map(|t| t.alias.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let started = spec::now();
    let prepared = cm::prepare_all(&scripts, jobs);
    eprintln!(
        "component model: planned in {}",
        spec::secs(started.elapsed())
    );

    let mut report = Report::default();
    for target in &targets {
        let t0 = spec::now();
        let runs = cm::run_target(&prepared, target, &options, jobs);
        report.add_target(&scripts, &runs, &target.alias, &lists);
        eprintln!(
            "component model: {} done in {}",
            target.alias,
            spec::secs(t0.elapsed())
        );
    }

    let out_dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("component-model");
    std::fs::create_dir_all(&out_dir).expect("creating the report directory");
    let failures = out_dir.join("failures.txt");
    std::fs::write(&failures, &report.failures).expect("writing failures.txt");
    std::fs::write(out_dir.join("outcomes.txt"), &report.outcomes).expect("writing outcomes.txt");

    for (dir, target, c) in &report.counts {
        println!(
            "{dir} {target}: {} passed, {} failed, {} known failures, {} skipped",
            c.passed,
            c.failed - c.known,
            c.known,
            c.skipped
        );
    }
    if !report.known_reasons.is_empty() {
        let mut reasons = report.known_reasons.clone();
        reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
        eprintln!("known failures by reason (all targets):");
        for (reason, n) in &reasons {
            eprintln!("  {n:5} × {reason}");
        }
    }
    let total = report.total();
    println!(
        "component model: {} passed, {} failed, {} known failures, {} skipped",
        total.passed,
        total.failed - total.known,
        total.known,
        total.skipped
    );
    eprintln!(
        "component model: total wall time {}; failures: {}",
        spec::secs(started.elapsed()),
        failures.display()
    );
    if !report.stale.is_empty() {
        eprintln!(
            "\nknown failures that pass now (remove them from tests/component-model/known.toml):"
        );
        for s in &report.stale {
            eprintln!("  {s}");
        }
    }
    const SHOWN: usize = 40;
    if !report.unexpected.is_empty() {
        eprintln!(
            "\n{} unexpected failures (first {SHOWN}):",
            report.unexpected.len()
        );
        for f in report.unexpected.iter().take(SHOWN) {
            eprintln!("  {f}");
        }
    }
    if !report.unexpected.is_empty() || !report.stale.is_empty() {
        std::process::exit(1);
    }
}
