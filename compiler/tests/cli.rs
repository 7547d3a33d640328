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
        text.contains("fast tier of multiversioned functions (avx2): avx, avx2, bmi1, bmi2, lzcnt"),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("v ")),
        "riscv64 vector extension listed: {text}"
    );
}

/// `smelt targets | head -1` once `head` has gone: writes fail with a broken pipe, and smelt
/// stops quietly (it panicked before).
#[test]
fn targets_into_a_closed_pipe_ends_quietly() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let o = Command::new(env!("CARGO_BIN_EXE_smelt"))
        .arg("targets")
        .stdout(writer)
        .output()
        .expect("smelt runs");
    assert!(o.status.success(), "{:?}: {}", o.status, stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
}

/// `-o` naming a FIFO (or a device such as `/dev/null`) writes the executable into it; it
/// used to be renamed over it, which replaced the FIFO (as root: the device node) with a
/// regular file.
#[test]
fn output_into_a_fifo_is_written_not_replaced() {
    use std::io::Read;
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("out.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    // Opened for reading before smelt runs, without blocking (O_NONBLOCK): smelt's open for
    // writing then finds a reader, and the executable (~25 KB) fits in the pipe's buffer.
    const O_NONBLOCK: i32 = 0o4000;
    let mut reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    let o = smelt(&[
        "build",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/fib.wat"),
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let mut exe = Vec::new();
    let _ = reader.read_to_end(&mut exe);
    assert!(exe.starts_with(b"\x7fELF"), "{} bytes read", exe.len());
    assert!(exe.len() > 1000, "{} bytes read", exe.len());
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

/// A component that prints `Hello from a component` (the run test of the same name).
fn hello_component() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/run/component_hello.wat")
}

/// Runs `smelt bench ARGS` with `PATH` set to `path` only (so no real `wasmtime` is found).
fn smelt_bench(args: &[&std::ffi::OsStr], path: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_smelt"))
        .arg("bench")
        .args(args)
        .env("PATH", path)
        .output()
        .expect("smelt runs")
}

/// A `PATH` directory holding a stand-in `wasmtime` that checks it is asked to `run` INPUT
/// and then prints `stdout` and exits with `status` (shell built-ins only: nothing else is
/// on that `PATH`).
fn fake_wasmtime(dir: &Path, input: &Path, stdout: &str, status: i32) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("wasmtime");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n[ \"$1\" = run ] && [ \"$2\" = '{}' ] || exit 99\nprintf '{stdout}'\nexit {status}\n",
            input.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// `smelt bench` compiles, runs the executable and prints its table; with no `wasmtime` on
/// `PATH` it says so and measures smelt's executable alone, checking that every run gave
/// the same output. No timing is checked, only the table's content.
#[test]
fn bench_without_wasmtime_prints_the_native_row() {
    let dir = tempfile::tempdir().unwrap();
    let input = hello_component();
    let o = smelt_bench(
        &[input.as_os_str(), "--runs".as_ref(), "2".as_ref()],
        dir.path(),
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}\n{}", stderr(&o));
    assert!(out.contains("2 runs each"), "{out}");
    assert!(out.contains("compile: smelt build"), "{out}");
    let header = out.lines().find(|l| l.starts_with("system")).expect(&out);
    for col in ["wall time", "peak RSS", "time / smelt", "RSS / smelt"] {
        assert!(header.contains(col), "{out}");
    }
    let row = out
        .lines()
        .find(|l| l.starts_with("smelt (native)"))
        .expect(&out);
    assert!(row.trim_end().ends_with("1.00x"), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.contains("wasmtime run")).count(),
        0,
        "{out}"
    );
    assert!(out.contains("wasmtime: not found on PATH"), "{out}");
    assert!(
        out.contains("outputs: equal (exit status 0 and standard output, every run)"),
        "{out}"
    );
    // The program's output went to the check, not to the table.
    assert!(!out.contains("Hello from a component"), "{out}");
}

/// With `wasmtime` on `PATH`, its row appears and its output is compared with smelt's
/// executable's: the same output passes, another output, or another exit status, fails
/// `smelt bench` after the table, naming what differs.
#[test]
fn bench_compares_outputs_with_wasmtime() {
    let dir = tempfile::tempdir().unwrap();
    let input = hello_component();
    let runs = [input.as_os_str(), "--runs".as_ref(), "1".as_ref()];

    let same = fake_wasmtime(dir.path(), &input, "Hello from a component\\n", 0);
    let o = smelt_bench(&runs, &same);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}\n{}", stderr(&o));
    assert!(
        out.lines().any(|l| l.starts_with("smelt (native)")),
        "{out}"
    );
    assert!(out.lines().any(|l| l.starts_with("wasmtime run")), "{out}");
    assert!(
        out.contains("outputs: equal") && out.contains("of every system"),
        "{out}"
    );

    let other = fake_wasmtime(dir.path(), &input, "Hello from elsewhere\\n", 0);
    let o = smelt_bench(&runs, &other);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}\n{}", stderr(&o));
    assert!(out.lines().any(|l| l.starts_with("wasmtime run")), "{out}");
    assert!(
        out.contains("outputs: DIFFER: wasmtime run's standard output differs"),
        "{out}"
    );
    assert!(!out.contains("outputs: equal"), "{out}");
    assert!(stderr(&o).contains("error: smelt bench:"), "{}", stderr(&o));

    // Named with --wasmtime instead of found on PATH.
    let failing = fake_wasmtime(dir.path(), &input, "Hello from a component\\n", 3);
    let explicit = failing.join("wasmtime");
    let o = smelt_bench(
        &[&runs[..], &["--wasmtime".as_ref(), explicit.as_os_str()]].concat(),
        dir.path(),
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}\n{}", stderr(&o));
    assert!(
        out.contains("outputs: DIFFER: wasmtime run exited with 3"),
        "{out}"
    );
}

/// A program whose output changes from run to run is reported, not measured as if it did
/// the same work each time.
#[test]
fn bench_reports_output_that_varies_between_runs() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("random.wat");
    std::fs::write(
        &input,
        r#"(module
  (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $random (i32.const 64) (i32.const 16)))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#,
    )
    .unwrap();
    let o = smelt_bench(
        &[input.as_os_str(), "--runs".as_ref(), "3".as_ref()],
        dir.path(),
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}\n{}", stderr(&o));
    assert!(
        out.contains("outputs: DIFFER: smelt: 3 of 3 runs gave another exit status or output"),
        "{out}"
    );
}

/// Input that does not exist or does not compile: a clear error naming it, exit status 1,
/// no table and no panic.
#[test]
fn bench_reports_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.wasm");
    let o = smelt_bench(&[missing.as_os_str()], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));
    assert!(stderr(&o).contains("missing.wasm"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());

    let bad = dir.path().join("bad.wasm");
    std::fs::write(&bad, b"\0asm\x01\0\0\0\x01\x05\x01\x60").unwrap();
    let o = smelt_bench(&[bad.as_os_str()], dir.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("bad.wasm: invalid WebAssembly at byte offset"),
        "{err}"
    );
    assert!(
        err.contains("smelt bench: ") && err.contains("does not compile"),
        "{err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("internal compiler error"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
}

/// `smelt build` writes nothing but errors to standard error when it is not a terminal:
/// the progress bar never draws into a pipe, however long the compile.
#[test]
fn build_prints_nothing_to_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("hello");
    let o = Command::new(env!("CARGO_BIN_EXE_smelt"))
        .args(["build", hello_component().to_str().unwrap(), "-o"])
        .arg(&out)
        .env("SMELT_PROGRESS_DELAY_MS", "0")
        .output()
        .expect("smelt runs");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty() && o.stderr.is_empty(), "{}", stderr(&o));
}

/// Builds `input` into `exe` for `target` with `extra` options, asserting success, and
/// returns the executable's bytes.
fn build_for(input: &str, exe: &Path, target: &str, extra: &[&str]) -> Vec<u8> {
    let mut args = vec![
        "build",
        input,
        "-o",
        exe.to_str().unwrap(),
        "--target",
        target,
    ];
    args.extend(extra);
    let out = smelt(&args);
    assert!(
        out.status.success(),
        "{input} {target} {extra:?}: {}",
        stderr(&out)
    );
    std::fs::read(exe).unwrap()
}

#[test]
fn executables_carry_no_unwind_tables() {
    use object::{Object as _, ObjectSection as _};
    let dir = tempfile::tempdir().unwrap();
    for target in ["x86_64", "aarch64", "riscv64"] {
        let exe = dir.path().join(format!("hello-{target}"));
        let bytes = build_for(hello_component().to_str().unwrap(), &exe, target, &[]);
        let elf = object::File::parse(&*bytes).unwrap();
        let names: Vec<&str> = elf.sections().filter_map(|s| s.name().ok()).collect();
        assert!(names.contains(&".text"), "{target}: {names:?}");
        for dropped in [".eh_frame", ".eh_frame_hdr", ".comment"] {
            assert!(
                !names.contains(&dropped),
                "{target} has {dropped}: {names:?}"
            );
        }
    }
}

#[test]
fn float_loops_are_multiversioned_on_x86_64_only_by_default() {
    use object::{Object as _, ObjectSymbol as _};
    let dir = tempfile::tempdir().unwrap();
    let input = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/run/multiversion.wat");
    let copies = |target: &str, extra: &[&str]| -> Vec<String> {
        let exe = dir.path().join(format!("mv-{target}-{}", extra.join("")));
        let bytes = build_for(input, &exe, target, extra);
        let elf = object::File::parse(&*bytes).unwrap();
        let mut names: Vec<String> = elf
            .symbols()
            .filter_map(|s| s.name().ok().map(str::to_string))
            .filter(|n| n.starts_with("smelt_i0_f") && n.contains('.'))
            .collect();
        names.sort();
        names
    };
    // `$sum` (function 0) has the float loop; `$check` has none.
    assert_eq!(
        copies("x86_64", &[]),
        ["smelt_i0_f0.avx2", "smelt_i0_f0.base"]
    );
    assert!(copies("x86_64", &["--no-multiversion"]).is_empty());
    assert!(copies("x86_64", &["--target-cpu", "x86-64-v3"]).is_empty());
    assert!(copies("x86_64", &["--target-feature", "+avx"]).is_empty());
    assert!(copies("aarch64", &[]).is_empty());
    assert!(copies("riscv64", &[]).is_empty());
}

#[test]
fn f64_lanes_are_paired_where_the_target_has_simd() {
    use object::{Object as _, ObjectSymbol as _};
    let dir = tempfile::tempdir().unwrap();
    let input = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/run/pair_lanes.wat");
    // The size of `$axpy2` (function 4; its baseline copy on x86_64): pairing adds the
    // paired block and the check before the loop.
    let size = |target: &str, extra: &[&str]| -> u64 {
        let exe = dir.path().join(format!("pl-{target}-{}", extra.join("")));
        let bytes = build_for(input, &exe, target, extra);
        let elf = object::File::parse(&*bytes).unwrap();
        elf.symbols()
            .find(|s| matches!(s.name(), Ok("smelt_i0_f4.base" | "smelt_i0_f4")) && s.size() > 64)
            .map(|s| s.size())
            .expect("axpy2 is in the executable")
    };
    for target in ["x86_64", "aarch64"] {
        assert!(
            size(target, &[]) > size(target, &["--no-pair-lanes"]),
            "{target}: paired and unpaired builds of axpy2 have the same size"
        );
    }
    // riscv64's baseline has no vector extension: nothing to pair with.
    assert_eq!(size("riscv64", &[]), size("riscv64", &["--no-pair-lanes"]));
    assert!(size("riscv64", &["--target-feature", "+v"]) > size("riscv64", &[]));
}

#[test]
fn builds_are_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let wat = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/run/multiversion.wat");
    let component = hello_component();
    for input in [wat, component.to_str().unwrap()] {
        for target in ["x86_64", "aarch64", "riscv64"] {
            let build = |name: &str| build_for(input, &dir.path().join(name), target, &[]);
            assert!(
                build("first") == build("second"),
                "{input} built twice for {target} differs"
            );
        }
    }
}

#[test]
fn an_external_linker_can_replace_the_built_in_one() {
    use object::Object as _;
    let dir = tempfile::tempdir().unwrap();
    let input = hello_component();
    for (target, machine) in [
        ("x86_64", object::Architecture::X86_64),
        ("aarch64", object::Architecture::Aarch64),
        ("riscv64", object::Architecture::Riscv64),
    ] {
        let exe = dir.path().join(format!("hello-lld-{target}"));
        let bytes = build_for(
            input.to_str().unwrap(),
            &exe,
            target,
            &["--linker", "rust-lld"],
        );
        let elf = object::File::parse(&*bytes).unwrap();
        assert_eq!(elf.architecture(), machine, "{target}");
        assert_eq!(elf.kind(), object::ObjectKind::Executable, "{target}");
        if target == "x86_64" && cfg!(target_arch = "x86_64") {
            let built_in = dir.path().join("hello-built-in");
            build_for(input.to_str().unwrap(), &built_in, target, &[]);
            let run = |p: &Path| Command::new(p).output().unwrap();
            let (a, b) = (run(&exe), run(&built_in));
            assert!(a.status.success(), "{}", stderr(&a));
            assert!(!a.stdout.is_empty());
            assert_eq!(a.stdout, b.stdout);
            assert_eq!(a.status.code(), b.status.code());
        }
    }
}

#[test]
fn a_missing_external_linker_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let exe = dir.path().join("hello");
    let input = hello_component();
    let out = smelt(&[
        "build",
        input.to_str().unwrap(),
        "-o",
        exe.to_str().unwrap(),
        "--linker",
        "no-such-linker-anywhere",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("linker `no-such-linker-anywhere` not found"),
        "{err}"
    );
    assert!(!exe.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
