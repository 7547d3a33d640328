//! Composition: a command component importing an interface that another component exports,
//! composed into one component the way `wasm-tools compose` (or `wac plug`) does, then built by
//! smelt and run on every selected target.
//!
//! `tests/components` is a Cargo workspace of two Rust std components built for
//! wasm32-wasip2 with `wit-bindgen`: `shapes` exports `smelt:compose/shapes`
//! (`tests/components/wit/shapes.wit`: strings, lists of records, variants, enums, options,
//! results, flags, tuples, and a resource with a constructor, methods, a static function
//! taking two borrows, and a destructor), and `app`, a `wasi:cli/command`, imports it and calls
//! every function. Both import WASI themselves (the library prints, reads its arguments and
//! environment), so the composition nests WASI imports. The crate `wasm-compose` plugs
//! `shapes` into `app` (`composed.wasm` in `<target>/compose-components`); every call between
//! the two then goes through smelt's fused adapters.
//!
//! Each run of `tests/components/runs.toml` (arguments, granted environment, expected exit
//! status, stdout and stderr) is built with its grants and run on every target; the
//! expectations are Wasmtime 49's output for the same composed component
//! (`SMELT_COMPOSE_WASMTIME=PATH` also runs every run under that Wasmtime CLI and compares it,
//! by hand; CI never needs Wasmtime).

use serde::Deserialize;
use smelt_tests::{root, test_targets, wasi};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Runs {
    run: Vec<RunCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RunCase {
    name: String,
    #[serde(default)]
    args: Vec<String>,
    /// `--env` grants; the executable also runs with `host-env`.
    #[serde(default)]
    env: Vec<String>,
    #[serde(default, rename = "host-env")]
    host_env: std::collections::BTreeMap<String, String>,
    status: i32,
    stdout: String,
    stderr: String,
}

impl RunCase {
    fn env_vars(&self) -> Vec<(String, String)> {
        self.host_env.clone().into_iter().collect()
    }
}

fn components_dir() -> PathBuf {
    root().join("tests/components")
}

/// Builds both components and composes them; returns the composed component's path.
fn compose() -> Result<PathBuf, String> {
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
        .join("compose-components");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(components_dir())
        .args(["build", "--release", "--locked", "--quiet"])
        .args(["--target", "wasm32-wasip2", "--target-dir"])
        .arg(&target_dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .output()
        .map_err(|e| format!("running cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "building tests/components:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let built = target_dir.join("wasm32-wasip2/release");
    let config = wasm_compose::config::Config {
        dir: built.clone(),
        definitions: vec![built.join("shapes.wasm")],
        disallow_imports: false,
        ..Default::default()
    };
    let app = built.join("app.wasm");
    let bytes = wasm_compose::composer::ComponentComposer::new(&app, &config)
        .compose()
        .map_err(|e| format!("composing app.wasm with shapes.wasm: {e:#}"))?;
    let composed = target_dir.join("composed.wasm");
    std::fs::write(&composed, bytes).map_err(|e| format!("{}: {e}", composed.display()))?;
    Ok(composed)
}

fn smelt_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("SMELT_BIN") {
        return p.into();
    }
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps")
        .join("smelt")
}

fn judge(case: &RunCase, run: &wasi::Run) -> Result<(), String> {
    let mut problems = Vec::new();
    if run.status != Some(case.status) {
        problems.push(format!(
            "exit status: expected {}, got {:?}",
            case.status, run.status
        ));
    }
    for (what, want, got) in [
        ("stdout", &case.stdout, &run.stdout),
        ("stderr", &case.stderr, &run.stderr),
    ] {
        if want.trim_start_matches('\n') != got {
            problems.push(format!(
                "{what} differs:\n{}",
                similar::TextDiff::from_lines(want.trim_start_matches('\n'), got.as_str())
                    .unified_diff()
                    .header("expected", "got")
            ));
        }
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.join("\n")),
    }
}

fn main() {
    let text = std::fs::read_to_string(components_dir().join("runs.toml")).expect("runs.toml");
    let runs: Runs = toml::from_str(&text).unwrap_or_else(|e| panic!("runs.toml: {e}"));
    let composed = compose().unwrap_or_else(|e| panic!("{e}"));
    let scratch = tempfile::tempdir().expect("temporary directory");
    let wasmtime = std::env::var_os("SMELT_COMPOSE_WASMTIME").map(PathBuf::from);
    let (mut passed, mut failures) = (0, Vec::new());
    for target in test_targets() {
        let exes: Vec<Result<PathBuf, String>> = runs
            .run
            .iter()
            .map(|case| {
                let exe = scratch
                    .path()
                    .join(format!("{}.{}.exe", case.name, target.alias));
                let mut build = Command::new(smelt_bin());
                build
                    .arg("build")
                    .arg(&composed)
                    .arg("-o")
                    .arg(&exe)
                    .args(target.build_args());
                for e in &case.env {
                    build.args(["--env", e]);
                }
                let out = build.output().map_err(|e| format!("running smelt: {e}"))?;
                match out.status.success() {
                    true => Ok(exe),
                    false => Err(format!(
                        "smelt build failed:\n{}",
                        String::from_utf8_lossy(&out.stderr)
                    )),
                }
            })
            .collect();
        for (case, exe) in runs.run.iter().zip(exes) {
            let verdict = exe.and_then(|exe| {
                let mut cmd = target.command(&exe);
                cmd.args(&case.args);
                let run = wasi::run(cmd, &case.env_vars(), b"", scratch.path())
                    .map_err(|e| format!("running: {e}"))?;
                judge(case, &run)
            });
            match verdict {
                Ok(()) => passed += 1,
                Err(e) => failures.push(format!("{} on {}: {e}", case.name, target.alias)),
            }
        }
    }
    if let Some(wasmtime) = &wasmtime {
        for case in &runs.run {
            let mut cmd = Command::new(wasmtime);
            cmd.arg("run");
            for e in &case.env {
                cmd.args(["--env", e]);
            }
            cmd.arg(&composed).args(&case.args);
            let verdict = wasi::run(cmd, &case.env_vars(), b"", scratch.path())
                .map_err(|e| format!("running wasmtime: {e}"))
                .and_then(|run| judge(case, &run));
            match verdict {
                Ok(()) => passed += 1,
                Err(e) => failures.push(format!("{} on wasmtime: {e}", case.name)),
            }
        }
    }
    for f in &failures {
        println!("FAILED {f}\n");
    }
    println!(
        "composed components: {passed} passed, {} failed",
        failures.len()
    );
    if !failures.is_empty() {
        std::process::exit(1);
    }
}
