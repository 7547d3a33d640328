//! WASI preview1 core modules are adapted into WASI 0.2 components (`smelt::adapt`) and take
//! the component path; core modules without preview1 imports take the core path as before.
//! Every refusal names the file and what is wrong, and nothing panics.

use smelt::Error;
use smelt::adapt::{adapt, imports};
use std::process::Command;

fn binary(wat: &str) -> Vec<u8> {
    wat::parse_str(wat).expect("test module parses")
}

fn build(name: &str, wat: &str) -> Result<smelt::Program, Error> {
    smelt::program_from_binary(name, binary(wat))
}

/// Hello world in preview1: `fd_write` of one iovec to fd 1, then `proc_exit(0)`.
const HELLO: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello, world\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 13))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.const 0))))"#;

/// Whether `name` is an import name of a WASI 0.2 interface: `wasi:<package>/<iface>@0.2.N`.
fn is_wasi_0_2(name: &str) -> bool {
    name.strip_prefix("wasi:")
        .and_then(|rest| rest.split_once("@0.2."))
        .is_some_and(|(iface, patch)| {
            iface.contains('/') && patch.chars().all(|c| c.is_ascii_digit())
        })
}

#[test]
fn preview1_hello_world_becomes_a_wasi_0_2_component() {
    let component = adapt("hello.wat", &binary(HELLO))
        .expect("adapts")
        .expect("a preview1 module is adapted");
    assert!(smelt::component::is_component(&component));
    let names = imports(&component);
    assert!(names.iter().all(|n| is_wasi_0_2(n)), "{names:?}");
    // What fd_write to stdout and proc_exit need at the least.
    for interface in ["wasi:cli/exit@", "wasi:cli/stdout@", "wasi:io/streams@"] {
        assert!(
            names.iter().any(|n| n.starts_with(interface)),
            "no {interface} in {names:?}"
        );
    }
}

#[test]
fn preview1_hello_world_builds_or_names_only_wasi_0_2_imports() {
    // While the host lacks WASI functions the adapter needs, the build names them; it never
    // names a preview1 import, which would mean that no adaptation happened.
    match build("hello.wat", HELLO) {
        Ok(program) => assert!(matches!(program.entry, smelt::Entry::Run { .. })),
        Err(Error::UnresolvedImports { file, list }) => {
            assert_eq!(file, "hello.wat");
            assert!(!list.is_empty());
            for line in &list {
                let name = line.split([' ', '#']).next().unwrap_or_default();
                assert!(is_wasi_0_2(name), "not a WASI 0.2 import: {line}");
            }
        }
        Err(e) => panic!("expected a program or UnresolvedImports, got {e}"),
    }
}

#[test]
fn proc_exit_alone_builds_into_a_command() {
    // `proc_exit` needs only `wasi:cli/exit`, which the host has: the whole adapted
    // component (adapter, shim and fixup instances, the `run` shim component) flattens.
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_start") (call $exit (i32.const 3)) unreachable))"#;
    let program = build("exit.wat", wat).expect("builds");
    assert!(matches!(program.entry, smelt::Entry::Run { .. }));
    assert!(program.instances.len() > 1, "main module and adapter");
}

#[test]
fn imports_the_adapter_cannot_provide_are_refused_by_name() {
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
      (import "env" "foo" (func))
      (import "wasi_snapshot_preview1" "memory" (memory 1))
      (import "env" "table" (table 1 funcref))
      (import "wasi_snapshot_preview1" "frobnicate" (func))
      (memory (export "memory") 1)
      (func (export "_start")))"#;
    match build("mixed.wat", wat) {
        Err(e @ Error::UnresolvedImports { .. }) => {
            let Error::UnresolvedImports { file, list } = &e else {
                unreachable!()
            };
            assert_eq!(file, "mixed.wat");
            assert_eq!(list.len(), 4, "{list:?}");
            assert!(list[0].starts_with("env::foo (function)"), "{e}");
            assert!(
                list[1].starts_with("wasi_snapshot_preview1::memory (memory)"),
                "{e}"
            );
            assert!(list[2].starts_with("env::table (table)"), "{e}");
            assert!(
                list[3].starts_with("wasi_snapshot_preview1::frobnicate (function)"),
                "{e}"
            );
            assert!(!e.to_string().contains("proc_exit"), "{e}");
        }
        other => panic!("expected UnresolvedImports, got {other:?}"),
    }
}

#[test]
fn modules_without_preview1_imports_take_the_core_path() {
    for wat in [
        "(module)",
        r#"(module (func (export "_start")))"#,
        r#"(module (import "env" "log" (func (param i32))))"#,
    ] {
        assert_eq!(adapt("core.wat", &binary(wat)).expect("no error"), None);
    }
    // An import of another module is still the core path's unresolved import.
    match build(
        "env.wat",
        r#"(module (import "env" "log" (func (param i32))))"#,
    ) {
        Err(e @ Error::UnresolvedImports { .. }) => {
            assert!(e.to_string().contains("env::log (function)"), "{e}")
        }
        other => panic!("expected UnresolvedImports, got {other:?}"),
    }
    let program = build("start.wat", r#"(module (func (export "_start")))"#).expect("builds");
    assert!(matches!(program.entry, smelt::Entry::Start(_)));
    assert_eq!(program.instances.len(), 1);
}

#[test]
fn a_module_without_imports_still_builds_and_runs() {
    // fib(20) = 6765, checked; a wrong result traps (exit 134) instead of exiting 0.
    let wat = r#"(module
      (func $fib (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
          (then (local.get 0))
          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                         (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
      (func (export "_start")
        (if (i32.ne (call $fib (i32.const 20)) (i32.const 6765)) (then unreachable))))"#;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("fib.wat");
    std::fs::write(&input, wat).unwrap();
    let exe = dir.path().join("fib");
    let out = Command::new(env!("CARGO_BIN_EXE_smelt"))
        .args([
            "build",
            input.to_str().unwrap(),
            "-o",
            exe.to_str().unwrap(),
        ])
        .output()
        .expect("smelt runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&exe).output().expect("the executable runs");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
}

#[test]
fn modules_the_adapter_cannot_serve_are_refused_with_reasons() {
    let cases = [
        // A reactor: nothing to run.
        (
            r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
                 (memory (export "memory") 1) (func (export "_initialize")))"#,
            "reactor",
        ),
        (
            r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
                 (func (export "_start")))"#,
            "exports no memory named `memory`",
        ),
        (
            r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
                 (memory (export "memory") i64 1) (func (export "_start")))"#,
            "64-bit memory",
        ),
        // A refusal by wit-component, with its cause chain.
        (
            r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
                 (memory (export "memory") 1) (func (export "_start"))
                 (func (export "cabi_realloc") (param i32)))"#,
            "type mismatch for function `cabi_realloc`",
        ),
    ];
    for (wat, what) in cases {
        match build("p1.wat", wat) {
            Err(e @ Error::Adapt { .. }) => {
                let text = e.to_string();
                assert!(text.starts_with("p1.wat: cannot adapt"), "{text}");
                assert!(text.contains(what), "{text} does not name {what}");
            }
            other => panic!("expected Adapt naming {what}, got {other:?}"),
        }
    }
    let wat = r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i64)))
                   (memory (export "memory") 1) (func (export "_start")))"#;
    match build("types.wat", wat) {
        Err(e @ Error::IncompatibleImport { .. }) => {
            let text = e.to_string();
            assert!(text.contains("wasi_snapshot_preview1::proc_exit"), "{text}");
            assert!(text.contains("(func (param i32))"), "{text}");
        }
        other => panic!("expected IncompatibleImport, got {other:?}"),
    }
    let wat = r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
                   (memory (export "memory") 1) (func (export "_start") (param i32)))"#;
    match build("params.wat", wat) {
        Err(e @ Error::Entry { .. }) => assert!(e.to_string().contains("_start"), "{e}"),
        other => panic!("expected Entry, got {other:?}"),
    }
}

#[test]
fn invalid_preview1_modules_name_file_and_offset() {
    // Valid imports, an invalid body: the module's own validation error, not wit-component's.
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
      (memory (export "memory") 1)
      (func (export "_start") (i64.const 1)))"#;
    match build("body.wat", wat) {
        Err(e @ Error::InvalidWasm { .. }) => {
            let text = e.to_string();
            assert!(
                text.starts_with("body.wat: invalid WebAssembly at byte offset"),
                "{text}"
            );
            assert!(text.contains("(function 1)"), "{text}");
        }
        other => panic!("expected InvalidWasm, got {other:?}"),
    }
    // Garbage after a preview1 import section.
    let hello = binary(HELLO);
    let imports_end = import_section_end(&hello);
    let mut bad = hello[..imports_end].to_vec();
    bad.extend_from_slice(&[0x03, 0x7f, 0xff, 0xff]);
    match smelt::program_from_binary("bad.wasm", bad) {
        Err(e @ Error::InvalidWasm { .. }) => {
            assert!(
                e.to_string().starts_with("bad.wasm: invalid WebAssembly"),
                "{e}"
            )
        }
        other => panic!("expected InvalidWasm, got {other:?}"),
    }
    // No truncation panics, and none is adapted half-way.
    for len in 8..hello.len() {
        let cut = hello[..len].to_vec();
        if let Err(e) = smelt::program_from_binary("cut.wasm", cut) {
            assert!(
                matches!(
                    e,
                    Error::InvalidWasm { .. }
                        | Error::Adapt { .. }
                        | Error::UnresolvedImports { .. }
                ),
                "truncated at {len}: {e}"
            );
        }
    }
}

/// The byte offset just past the import section of `module`.
fn import_section_end(module: &[u8]) -> usize {
    for payload in wasmparser::Parser::new(0).parse_all(module) {
        if let Ok(wasmparser::Payload::ImportSection(r)) = payload {
            return r.range().end as usize;
        }
    }
    panic!("no import section")
}
