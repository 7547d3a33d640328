//! Compile time and output size: each input compiled by smelt, `wasmtime compile` and
//! `wamrc`, alternately, with the sizes of what they produce (and of the native build).

use crate::Cell;
use crate::systems::{Artifacts, Grant, Tools};
use smelt::bench::measure;
use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Stdio};

/// Compile figures of one input.
#[derive(Default)]
pub struct CompileRow {
    pub name: String,
    pub wasm_size: u64,
    pub smelt: Cell,
    /// The `--target-cpu native` build (once, not part of the compile-time figures).
    pub smelt_host: Cell,
    pub wasmtime: Cell,
    pub wamrc: Cell,
    pub smelt_size: Option<u64>,
    pub smelt_stripped: Option<u64>,
    pub cwasm_size: Option<u64>,
    pub native_size: Option<u64>,
    pub native_stripped: Option<u64>,
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
pub fn compile_all(
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
    let smelt_build = |exe: &Path| {
        let mut argv: Vec<OsString> = vec![
            tools.smelt.clone().into(),
            "build".into(),
            a.wasm.clone().into(),
            "-o".into(),
            exe.into(),
        ];
        if let Some(g) = grant {
            argv.extend([
                "--dir".into(),
                format!("{}::{}", g.host.display(), g.guest).into(),
            ]);
        }
        argv
    };
    let smelt = smelt_build(&a.smelt_exe);
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
    if name != "large" {
        let mut host = smelt_build(&a.smelt_host_exe);
        host.extend(["--target-cpu".into(), "native".into()]);
        timed(&mut row.smelt_host, &host, &log);
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
