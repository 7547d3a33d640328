//! Run tests: `tests/run/<name>.wat` is built into an executable for every selected
//! target and run; its exit status, stdout and stderr must equal `<name>.expected`:
//!
//! ```text
//! exit: 134
//! stdout:
//! stderr:
//! wasm trap: integer divide by zero
//! ```
//! Each executable runs twice, the second time with `SMELT_CPU=baseline`, and both runs must
//! give that output: where functions are multiversioned (x86_64), the first run takes the
//! fast tier's copies on a CPU that has it, the second the baseline's.
//! Run with `SMELT_TEST_BLESS=1` to rewrite the expectations (from the first target).
//! Header lines `;;! key = value` in the .wat pass build options: `max-memory`, `stack-size`
//! (bytes), `features` (CPU features), `explicit-bounds-checks`, `trap-unknown-imports`, and
//! grants: `env = "NAME[=VALUE]"` (repeatable), `inherit-env = true`. Nothing is granted
//! otherwise. `closed = "0,1"` runs the executable with those standard descriptors closed.

use smelt_tests::{TestTarget, root, test_targets};
use std::path::Path;

/// What a run test's header asks for.
struct Header {
    options: smelt::EmitOptions,
    features: Vec<String>,
    input: smelt::InputOptions,
    /// Standard descriptors closed when the executable runs (`closed = "0,1"`).
    closed: Vec<i32>,
}

fn header(wat: &str) -> Header {
    let mut options = smelt::EmitOptions::default();
    let mut input = smelt::InputOptions::default();
    let mut features = Vec::new();
    let mut closed = Vec::new();
    for line in wat.lines().filter_map(|l| l.strip_prefix(";;!")) {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('"');
        match k.trim() {
            "max-memory" => options.max_memory = v.parse().expect("max-memory in bytes"),
            "stack-size" => options.stack_size = v.parse().expect("stack-size in bytes"),
            "features" => features.extend(v.split(',').map(str::to_string)),
            "explicit-bounds-checks" => options.bounds_checked = v == "true",
            "trap-unknown-imports" => input.trap_unknown_imports = v == "true",
            "env" => options
                .grants
                .env
                .push(smelt::grants::EnvGrant::parse(v).expect("env = \"NAME[=VALUE]\"")),
            "inherit-env" => options.grants.inherit_env = v == "true",
            "closed" => closed.extend(v.split(',').map(|fd| {
                fd.trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|fd| (0..=2).contains(fd))
                    .expect("closed = \"0,1,2\"")
            })),
            other => panic!("unknown header key {other}"),
        }
    }
    Header {
        options,
        features,
        input,
        closed,
    }
}

fn render(status: Option<i32>, stdout: &[u8], stderr: &[u8]) -> String {
    format!(
        "exit: {}\nstdout:\n{}stderr:\n{}",
        status.map_or("signal".to_string(), |s| s.to_string()),
        String::from_utf8_lossy(stdout),
        String::from_utf8_lossy(stderr)
    )
}

fn run_one(target: &TestTarget, path: &Path, dir: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)?;
    let Header {
        options,
        features,
        input,
        closed,
    } = header(&text);
    let feats: Vec<&str> = features.iter().map(String::as_str).collect();
    let t = target.target(&feats)?;
    let program = smelt::program_from_file_with(path, &input)?;
    let exe = dir.join(format!(
        "{}-{}",
        path.file_stem().unwrap().to_string_lossy(),
        target.alias
    ));
    smelt::build_executable(&program, &t, &options, &exe, None)?;
    let run = |env: &[(&str, &str)]| match closed.is_empty() {
        true => target.run_with_env(&exe, &[], b"", env),
        false => target.run_closed(&exe, &closed, env),
    };
    let out = run(&[])?;
    let rendered = render(out.status.code(), &out.stdout, &out.stderr);
    let base = run(&[("SMELT_CPU", "baseline")])?;
    let base = render(base.status.code(), &base.stdout, &base.stderr);
    if base != rendered {
        anyhow::bail!("with SMELT_CPU=baseline:\n{base}\nwithout:\n{rendered}");
    }
    Ok(rendered)
}

#[test]
fn run_tests() {
    let dir = root().join("tests/run");
    let tmp = tempfile::tempdir().unwrap();
    let bless = std::env::var_os("SMELT_TEST_BLESS").is_some();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "wat"));
    files.sort();
    assert!(!files.is_empty(), "no run tests in {}", dir.display());
    let targets = test_targets();
    let mut failures = Vec::new();
    let mut passed = 0;
    for path in &files {
        let expected_path = path.with_extension("expected");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        for (i, target) in targets.iter().enumerate() {
            let actual = match run_one(target, path, tmp.path()) {
                Ok(a) => a,
                Err(e) => format!("build failed: {e:#}\n"),
            };
            if actual == expected {
                passed += 1;
                continue;
            }
            if bless && i == 0 {
                std::fs::write(&expected_path, &actual).unwrap();
                continue;
            }
            let diff = similar::TextDiff::from_lines(&expected, &actual);
            failures.push(format!(
                "{} on {}:\n{}",
                path.display(),
                target.alias,
                diff.unified_diff().header("expected", "actual")
            ));
        }
    }
    println!("run tests: {passed} passed, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "{}\n{} run test(s) failed; re-run with SMELT_TEST_BLESS=1 to update expectations",
        failures.join("\n"),
        failures.len()
    );
}
