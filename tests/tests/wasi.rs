//! WASI behaviour tests: the programs of `tests/programs` (Rust, std only) are built for the
//! host and for wasm32-wasip2; each case of `tests/programs/cases.toml` runs the native build
//! (the oracle), then `smelt build prog.wasm --target T <grants>` and the executable on every
//! selected target, and compares exit status, stdout and stderr (see `smelt_tests::wasi` for
//! the rules). Every WASI run gets a fresh copy of its granted directories and must leave the
//! never-granted `outside/` beside them untouched.
//!
//! Cases marked `smelt = "pending: …"` only have their program built; the summary lists them.
//!
//! `SMELT_WASI_ENGINE=wasmtime=PATH` runs the cases under the Wasmtime CLI at PATH instead of
//! smelt, pending or not (`tests/programs/check-wasmtime.sh`; not in CI). Cases with a
//! read-only directory, which the CLI cannot grant, run through `tests/programs/wasmtime-py.py`
//! (Wasmtime's Python embedding) with the Python named by `SMELT_WASI_WASMTIME_PY`, else are
//! skipped.
//! `SMELT_WASI_FILTER=a,b` runs only cases whose name contains one of the substrings.
//! A plain `main` (`harness = false`) so the summary always shows.
//! `SMELT_BIN` names the smelt executable (default: `smelt` beside this test's directory).

use smelt_tests::wasi::{self, Case, Manifest, Programs, Run, Runner, Sandbox};
use smelt_tests::{TestTarget, test_targets};
use std::path::{Path, PathBuf};
use std::process::Command;

enum Engine {
    Smelt(Vec<TestTarget>),
    Wasmtime(PathBuf),
}

fn engine() -> Engine {
    match std::env::var("SMELT_WASI_ENGINE") {
        Ok(e) => match e.strip_prefix("wasmtime=") {
            Some(path) => Engine::Wasmtime(path.into()),
            None => panic!("SMELT_WASI_ENGINE={e}: expected wasmtime=PATH"),
        },
        Err(_) => Engine::Smelt(test_targets()),
    }
}

/// Where one WASI run of a case happens.
enum On<'a> {
    Target(&'a TestTarget),
    Wasmtime(&'a Path),
}

impl On<'_> {
    fn name(&self) -> &str {
        match self {
            On::Target(t) => &t.alias,
            On::Wasmtime(_) => "wasmtime",
        }
    }
}

/// The `smelt` CLI built alongside this test (`target/<profile>/smelt`).
fn smelt_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("SMELT_BIN") {
        return p.into();
    }
    let exe = std::env::current_exe().expect("test executable path");
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps")
        .join("smelt");
    assert!(
        bin.exists(),
        "{} is missing: build it first (cargo build --release -p smelt) or set SMELT_BIN",
        bin.display()
    );
    bin
}

fn run_native(case: &Case, manifest: &Manifest, programs: &Programs) -> Result<Run, String> {
    let sandbox = Sandbox::new(case, manifest).map_err(|e| format!("fixture: {e}"))?;
    let mut cmd = Command::new(programs.native(&case.program));
    cmd.args(case.args(&sandbox, Runner::Native));
    wasi::run(cmd, &case.native_env(), &case.stdin(), sandbox.root())
        .map_err(|e| format!("native run: {e}"))
}

fn run_smelt(
    case: &Case,
    manifest: &Manifest,
    programs: &Programs,
    target: &TestTarget,
) -> Result<(Run, Sandbox), String> {
    let sandbox = Sandbox::new(case, manifest).map_err(|e| format!("fixture: {e}"))?;
    let exe = sandbox.root().join(format!("{}.exe", case.program));
    let mut build = Command::new(smelt_bin());
    build
        .arg("build")
        .arg(programs.wasm(&case.program))
        .arg("-o")
        .arg(&exe)
        .args(target.build_args())
        .args(case.smelt_grants(&sandbox));
    let built = wasi::run(build, &case.host_env(), b"", sandbox.root())
        .map_err(|e| format!("running smelt: {e}"))?;
    if built.status != Some(0) {
        return Err(format!("smelt build failed:\n{}", built.stderr));
    }
    let mut cmd = target.command(&exe);
    cmd.args(case.args(&sandbox, Runner::Wasi));
    let run = wasi::run(cmd, &case.host_env(), &case.stdin(), sandbox.root())
        .map_err(|e| format!("running the executable: {e}"))?;
    Ok((run, sandbox))
}

/// Whether the case needs Wasmtime's embedding API: the CLI cannot grant read-only.
fn needs_py(case: &Case) -> bool {
    case.dirs.iter().any(|d| d.readonly)
}

fn run_wasmtime(
    case: &Case,
    manifest: &Manifest,
    programs: &Programs,
    wasmtime: &Path,
) -> Result<(Run, Sandbox), String> {
    let sandbox = Sandbox::new(case, manifest).map_err(|e| format!("fixture: {e}"))?;
    let mut cmd = if needs_py(case) {
        let python = std::env::var_os("SMELT_WASI_WASMTIME_PY").expect("checked before");
        let mut c = Command::new(python);
        c.arg(wasi::programs_dir().join("wasmtime-py.py"))
            .args(case.smelt_grants(&sandbox));
        c
    } else {
        let mut c = Command::new(wasmtime);
        c.arg("run")
            .args(&case.wasmtime_args)
            .args(case.wasmtime_grants(&sandbox));
        c
    };
    cmd.arg(programs.wasm(&case.program))
        .args(case.args(&sandbox, Runner::Wasi));
    let run = wasi::run(cmd, &case.host_env(), &case.stdin(), sandbox.root())
        .map_err(|e| format!("running wasmtime: {e}"))?;
    Ok((run, sandbox))
}

fn main() {
    let manifest = wasi::load_manifest();
    for p in wasi::program_names() {
        assert!(
            manifest.case.iter().any(|c| c.program == p),
            "program {p} has no case in cases.toml"
        );
    }
    let programs = wasi::build_programs().unwrap_or_else(|e| panic!("{e}"));
    let filter = std::env::var("SMELT_WASI_FILTER")
        .ok()
        .filter(|f| !f.is_empty());
    let engine = engine();

    let (mut passed, mut failures, mut pending, mut skipped) =
        (0, Vec::new(), Vec::new(), Vec::new());
    for case in &manifest.case {
        if filter
            .as_ref()
            .is_some_and(|f| !f.split(',').any(|s| case.name.contains(s.trim())))
        {
            continue;
        }
        if let (true, Some(why)) = (wasi::is_c(&case.program), &programs.c_missing) {
            assert!(std::env::var_os("CI").is_none(), "{}: {why}", case.name);
            skipped.push(format!("{} ({why})", case.name));
            continue;
        }
        for built in [programs.native(&case.program), programs.wasm(&case.program)] {
            assert!(
                built.exists(),
                "{}: {} was not built",
                case.name,
                built.display()
            );
        }
        let runs: Vec<On> = match &engine {
            Engine::Smelt(_) if case.smelt.is_some() => {
                pending.push(case.name.clone());
                continue;
            }
            Engine::Wasmtime(_) if case.wasmtime.is_some() => {
                skipped.push(format!(
                    "{} ({})",
                    case.name,
                    case.wasmtime.as_deref().unwrap()
                ));
                continue;
            }
            Engine::Wasmtime(_)
                if needs_py(case) && std::env::var_os("SMELT_WASI_WASMTIME_PY").is_none() =>
            {
                skipped.push(format!(
                    "{} (read-only grant: needs SMELT_WASI_WASMTIME_PY)",
                    case.name
                ));
                continue;
            }
            Engine::Smelt(targets) => targets.iter().map(On::Target).collect(),
            Engine::Wasmtime(path) => vec![On::Wasmtime(path)],
        };
        let native = match case.stdout {
            Some(_) => None,
            None => match run_native(case, &manifest, &programs) {
                Ok(r) => Some(r),
                Err(e) => {
                    failures.push(format!("{}: {e}", case.name));
                    continue;
                }
            },
        };
        let expected = match case.expected(native.as_ref()) {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{}: {e}", case.name));
                continue;
            }
        };
        for on in runs {
            let result = match on {
                On::Target(t) => run_smelt(case, &manifest, &programs, t),
                On::Wasmtime(path) => run_wasmtime(case, &manifest, &programs, path),
            };
            let verdict = result.and_then(|(run, sandbox)| {
                expected.judge(&run)?;
                sandbox.check_outside()
            });
            match verdict {
                Ok(()) => passed += 1,
                Err(e) => failures.push(format!("{} on {}: {e}", case.name, on.name())),
            }
        }
    }

    for f in &failures {
        println!("FAILED {f}\n");
    }
    if !skipped.is_empty() {
        println!("skipped: {}", skipped.join(", "));
    }
    if !pending.is_empty() {
        println!(
            "pending (built only, smelt cannot run them yet): {}",
            pending.join(", ")
        );
    }
    println!(
        "wasi programs: {passed} passed, {} failed, {} pending",
        failures.len(),
        pending.len()
    );
    if !failures.is_empty() {
        eprintln!("{} WASI case run(s) failed", failures.len());
        std::process::exit(1);
    }
}
