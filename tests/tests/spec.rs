//! The official WebAssembly spec tests, through smelt's ahead-of-time path, on every test
//! target: one script-mode executable per `.wast` file and target.
//!
//! Prints `<suite> <target>: N passed, M failed, K skipped` per suite and target, then the
//! total line. Every failure is written to `target/tmp/spec/failures.txt`, every skip to
//! `skips.txt` next to it; unexpected failures (not in `tests/spec/skips.toml`) and skips in
//! files the list does not mention are printed and fail the test. See `smelt_tests::spec` for
//! the environment variables (`SMELT_SPEC_FILTER`, `SMELT_SPEC_JOBS`, …).

use smelt_tests::spec::{self, Report, lists::Lists};

fn main() {
    // `cargo test` passes harness flags (`--nocapture`, filters); `--list` lists this one
    // test so that tools enumerating tests keep working.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        println!("spec: test");
        return;
    }
    // A test-name filter (`cargo test -p smelt-tests foo`) that does not select "spec" skips
    // the whole suite, as the standard harness would.
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if !filters.is_empty() && !filters.iter().any(|f| "spec".contains(f.as_str())) {
        return;
    }
    let lists = Lists::load();
    let suites = spec::suites();
    let suite_order: Vec<&str> = suites.iter().map(|(s, _)| *s).collect();
    let files = spec::selected(suites.into_iter().flat_map(|(_, f)| f).collect());
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
        "spec: {} files on {} ({jobs} at a time)",
        files.len(),
        targets
            .iter()
            .map(|t| t.alias.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );

    let mut report = Report::default();
    let mut all = Vec::new();
    let started = spec::now();
    for target in &targets {
        let t0 = spec::now();
        let results = spec::run_target(&files, target, &lists, &options, jobs);
        let wall = t0.elapsed();
        report.add_target(&results, &lists, &suite_order, wall);
        eprintln!("spec: {} done in {}", target.alias, spec::secs(wall));
        all.extend(results);
    }
    if std::env::var_os("SMELT_SPEC_FILTER").is_none() {
        report.find_stale(&all, &lists);
    }

    let out_dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("spec");
    std::fs::create_dir_all(&out_dir).expect("creating the report directory");
    std::fs::write(out_dir.join("failures.txt"), &report.failures).expect("writing failures.txt");
    std::fs::write(out_dir.join("skips.txt"), &report.skips).expect("writing skips.txt");

    let mut last_target = String::new();
    for ((suite, target), counts, wall) in &report.counts {
        if *target != last_target {
            println!("{target}: wall time {}", spec::secs(*wall));
            last_target = target.clone();
        }
        let known = if counts.known > 0 {
            format!(" ({} known)", counts.known)
        } else {
            String::new()
        };
        println!("{suite} {target}: {counts}{known}");
    }
    let total = report.total();
    eprintln!("spec: total wall time {}", spec::secs(started.elapsed()));
    if !report.stale.is_empty() {
        eprintln!("\nstale entries in tests/spec/skips.toml (remove them):");
        for s in &report.stale {
            eprintln!("  {s}");
        }
    }
    if !report.unlisted_skips.is_empty() {
        eprintln!("\nskips not listed in tests/spec/skips.toml:");
        for s in &report.unlisted_skips {
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
    eprintln!(
        "\nfailures: {}\nskips:    {}",
        out_dir.join("failures.txt").display(),
        out_dir.join("skips.txt").display()
    );
    // The closing line counts known failures (each listed with its reason in
    // tests/spec/skips.toml) with the skipped, so that "failed" means unexpected.
    if total.known > 0 {
        println!(
            "({} known failures, listed in tests/spec/skips.toml, are counted as skipped below)",
            total.known
        );
    }
    println!(
        "{} passed, {} failed, {} skipped",
        total.passed,
        total.failed - total.known,
        total.skipped + total.known
    );
    if !report.unexpected.is_empty() || !report.unlisted_skips.is_empty() {
        std::process::exit(1);
    }
}
