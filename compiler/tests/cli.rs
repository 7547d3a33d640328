//! The command line as a user meets it: errors name what is wrong and where, never panic,
//! and never leave a partial output file behind.

use std::path::Path;
use std::process::{Command, Output};

fn smelt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_smelt"))
        .args(args)
        .output()
        .expect("smelt runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs a build that must fail, checks that no output appeared, returns stderr.
fn failing_build(input_name: &str, input: &[u8], extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join(input_name);
    std::fs::write(&inp, input).unwrap();
    let out = dir.path().join("app");
    let mut args = vec!["build", inp.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = smelt(&args);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "expected a clean failure, got {:?}: {err}",
        o.status
    );
    assert!(!err.contains("panicked"), "smelt panicked: {err}");
    assert!(
        !out.exists(),
        "a failed build left {} behind",
        out.display()
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "temporary files left behind: {leftovers:?}"
    );
    err
}

#[test]
fn malformed_binary_names_file_and_offset() {
    let err = failing_build("bad.wasm", b"\0asm\x01\0\0\0\x01\x05\x01\x60", &[]);
    assert!(err.contains("bad.wasm"), "{err}");
    assert!(err.contains("byte offset 0x"), "{err}");
}

#[test]
fn invalid_body_names_function_and_offset() {
    let wat = "(module (func) (func (result i32) (i64.const 1)))";
    let err = failing_build("types.wat", wat.as_bytes(), &[]);
    assert!(
        err.contains("invalid WebAssembly at byte offset 0x"),
        "{err}"
    );
    assert!(err.contains("(function 1)"), "{err}");
    assert!(err.contains("type mismatch"), "{err}");
}

#[test]
fn bad_text_is_reported_with_position() {
    let err = failing_build("broken.wat", b"(module (func (i32.const)))", &[]);
    assert!(err.contains("broken.wat"), "{err}");
    assert!(err.contains("invalid WebAssembly text"), "{err}");
}

#[test]
fn unresolved_imports_are_listed() {
    let wat = r#"(module (import "env" "log" (func (param i32))) (import "env" "mem" (memory 1)))"#;
    let err = failing_build("imports.wat", wat.as_bytes(), &[]);
    assert!(err.contains("env::log (function)"), "{err}");
    assert!(err.contains("env::mem (memory)"), "{err}");
}

#[test]
fn later_proposals_are_named() {
    let wat = "(module (tag $e) (func (throw $e)))";
    let err = failing_build("eh.wat", wat.as_bytes(), &[]);
    assert!(
        err.contains("not supported yet: exception handling"),
        "{err}"
    );
}

#[test]
fn unknown_target_lists_supported_ones() {
    let err = failing_build("ok.wat", b"(module)", &["--target", "mips"]);
    assert!(err.contains("unknown target `mips`"), "{err}");
    for t in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "riscv64gc-unknown-linux-gnu",
    ] {
        assert!(err.contains(t), "{err}");
    }
}

#[test]
fn riscv64_simd_needs_the_vector_extension() {
    let wat = "(module (func (result v128) (v128.const i32x4 1 2 3 4)))";
    let err = failing_build(
        "simd.wat",
        wat.as_bytes(),
        &["--target", "riscv64", "--emit", "obj"],
    );
    assert!(err.contains("--target-feature +v"), "{err}");
}

#[test]
fn unknown_cpu_feature_is_an_error() {
    let err = failing_build(
        "ok.wat",
        b"(module)",
        &["--target", "aarch64", "--target-feature", "+warp-drive"],
    );
    assert!(err.contains("unknown CPU feature `warp-drive`"), "{err}");
}

#[test]
fn emit_obj_writes_an_object_for_each_target() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("m.wat");
    std::fs::write(
        &inp,
        "(module (func (export \"f\") (result i32) (i32.const 7)))",
    )
    .unwrap();
    for (target, machine) in [("x86_64", 62u16), ("aarch64", 183), ("riscv64", 243)] {
        let out = dir.path().join(format!("m-{target}.o"));
        let o = smelt(&[
            "build",
            inp.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--emit",
            "obj",
            "--target",
            target,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let bytes = std::fs::read(&out).unwrap();
        assert_eq!(&bytes[..4], b"\x7fELF");
        assert_eq!(u16::from_le_bytes([bytes[16], bytes[17]]), 1, "ET_REL");
        assert_eq!(
            u16::from_le_bytes([bytes[18], bytes[19]]),
            machine,
            "{target}"
        );
    }
}

#[test]
fn targets_lists_arches_and_features() {
    let o = smelt(&["targets"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    for t in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "riscv64gc-unknown-linux-gnu",
    ] {
        assert!(text.contains(t), "{text}");
    }
    assert!(text.contains("avx2"), "{text}");
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("v ")),
        "riscv64 vector extension listed: {text}"
    );
}

#[test]
fn existing_output_survives_a_failed_build() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("bad.wat");
    std::fs::write(&inp, "(module (func (result i32)))").unwrap();
    let out = dir.path().join("app");
    std::fs::write(&out, "previous build").unwrap();
    let o = smelt(&["build", inp.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(!o.status.success());
    assert_eq!(
        std::fs::read_to_string(Path::new(&out)).unwrap(),
        "previous build"
    );
}

#[test]
fn start_export_with_parameters_is_refused() {
    let wat = r#"(module (func (export "_start") (param i32)))"#;
    let err = failing_build("start.wat", wat.as_bytes(), &[]);
    assert!(
        err.contains("`_start` export must take no parameters"),
        "{err}"
    );
    assert!(err.contains("function 0"), "{err}");
}

/// `smelt bench` compiles, runs the executable and prints its table; with no `wasmtime` on
/// `PATH` it says so and measures smelt alone. No timing is checked, only the shape.
#[test]
fn bench_without_wasmtime_prints_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("tiny.wat");
    std::fs::write(
        &input,
        r#"(module (func (export "_start")) (memory (export "memory") 1))"#,
    )
    .unwrap();
    let empty = dir.path().join("empty-path");
    std::fs::create_dir(&empty).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_smelt"))
        .args(["bench", input.to_str().unwrap(), "--runs", "2"])
        .env("PATH", &empty)
        .output()
        .expect("smelt runs");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}\n{}", stderr(&o));
    assert!(out.contains("2 runs each"), "{out}");
    assert!(out.contains("compile: smelt build"), "{out}");
    let header = out.lines().find(|l| l.starts_with("system")).expect(&out);
    for col in ["wall time", "peak RSS", "time / smelt"] {
        assert!(header.contains(col), "{out}");
    }
    let smelt_row = out.lines().find(|l| l.starts_with("smelt ")).expect(&out);
    assert!(smelt_row.trim_end().ends_with("1.00x"), "{out}");
    assert!(!out.contains("wasmtime run"), "{out}");
    assert!(out.contains("wasmtime: not found on PATH"), "{out}");
}
