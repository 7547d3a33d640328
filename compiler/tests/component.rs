//! Components smelt refuses, and how: every refusal names what is missing or unsupported,
//! malformed binaries name a byte offset, and nothing panics.

use smelt::Error;
use smelt::component::program_from_component;

fn binary(wat: &str) -> Vec<u8> {
    wat::parse_str(wat).expect("test component parses")
}

fn build(wat: &str) -> Result<smelt::Program, Error> {
    program_from_component("test.wat", &binary(wat), false)
}

/// A command component whose `run` is lifted from a core function of `body`.
const RUN: &str = r#"
  (core module $m (func (export "run") (result i32) i32.const 0))
  (core instance $i (instantiate $m))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli))
"#;

#[test]
fn a_closed_component_builds_with_a_run_entry() {
    let program = build(&format!("(component {RUN})")).expect("builds");
    assert_eq!(program.instances.len(), 1);
    assert!(matches!(
        program.entry,
        smelt::Entry::Run {
            post_return: None,
            ..
        }
    ));
}

#[test]
fn host_imports_are_refused_by_name() {
    let wat = format!(
        r#"(component
          (import "wasi:http/types@0.2.0" (instance $http
            (export "get-fields" (func (result u32)))))
          (import "wasi:cli/unknown@0.2.0" (instance))
          (import "wasi:cli/stdout@0.3.0" (instance))
          (import "wasi:cli/stderr@0.2.0" (instance
            (export "get-stderr" (func (result u32)))
            (export "get-tty" (func (result u32)))))
          (alias export $http "get-fields" (func $get))
          (core func $get-core (canon lower (func $get)))
          {RUN})"#
    );
    match build(&wat) {
        Err(Error::UnresolvedImports { list, .. }) => {
            assert_eq!(list.len(), 4, "{list:?}");
            assert!(
                list[0].starts_with("wasi:http/types@0.2.0 (instance)"),
                "{list:?}"
            );
            assert!(list[1].starts_with("wasi:cli/unknown@0.2.0"), "{list:?}");
            assert!(list[2].starts_with("wasi:cli/stdout@0.3.0"), "{list:?}");
            assert!(
                list[3].starts_with("wasi:cli/stderr@0.2.0#get-tty (function)"),
                "{list:?}"
            );
        }
        other => panic!("expected UnresolvedImports, got {other:?}"),
    }
}

/// `run` calling `wasi:cli/exit.exit`, whose component type is `exit_type` and core
/// parameter type `core`.
fn exit_component(exit_type: &str, core: &str) -> String {
    format!(
        r#"(component
          (import "wasi:cli/exit@0.2.5" (instance $exit (export "exit" {exit_type})))
          (alias export $exit "exit" (func $exit))
          (core func $exit-core (canon lower (func $exit)))
          (core instance $host (export "exit" (func $exit-core)))
          (core module $m
            (import "host" "exit" (func $exit (param {core})))
            (func (export "run") (result i32) (call $exit ({core}.const 0)) (i32.const 0)))
          (core instance $i (instantiate $m (with "host" (instance $host))))
          (func $run (result (result)) (canon lift (core func $i "run")))
          (instance $cli (export "run" (func $run)))
          (export "wasi:cli/run@0.2.0" (instance $cli)))"#
    )
}

#[test]
fn a_lowered_host_function_binds_the_core_import() {
    let program = build(&exit_component(
        r#"(func (param "status" (result)))"#,
        "i32",
    ))
    .expect("builds");
    let hosts = &program.instances[0].hosts;
    assert_eq!(hosts.len(), 1, "{hosts:?}");
    let (index, host) = hosts.iter().next().unwrap();
    assert_eq!(*index, 0);
    assert_eq!(
        (host.func.interface, host.func.func),
        ("wasi:cli/exit", "exit")
    );
    let lowering = &program.lowerings[host.lowering];
    assert_eq!((lowering.memory, lowering.realloc), (None, None));
    assert_eq!(lowering.component, 0);
}

#[test]
fn a_host_function_of_the_wrong_type_is_refused() {
    match build(&exit_component(r#"(func (param "status" u64))"#, "i64")) {
        Err(e @ Error::IncompatibleImport { .. }) => {
            let message = e.to_string();
            assert!(
                message.contains("wasi:cli/exit@0.2.5::exit")
                    && message.contains("expects `func(u64)`")
                    && message.contains("provides `func(result<_, _>)`"),
                "{message}"
            )
        }
        other => panic!("expected IncompatibleImport, got {other:?}"),
    }
}

#[test]
fn imports_are_matched_by_type_not_only_by_flat_signature() {
    // `bool` and `result` both flatten to one i32: only the structural check tells them apart.
    match build(&exit_component(r#"(func (param "status" bool))"#, "i32")) {
        Err(e @ Error::IncompatibleImport { .. }) => {
            assert!(e.to_string().contains("expects `func(bool)`"), "{e}")
        }
        other => panic!("expected IncompatibleImport, got {other:?}"),
    }
    // Parameter names do not take part.
    build(&exit_component(r#"(func (param "code" (result)))"#, "i32")).expect("builds");
}

#[test]
fn a_string_crossing_encodings_goes_through_the_transcoder() {
    // A string lifted as UTF-16 and lowered as UTF-8: the fused adapter transcodes it with
    // the runtime's `string_transcode` builtin (tests/run/component_transcode.wat runs it).
    let wat = format!(
        r#"(component
          (core module $s
            (memory (export "m") 1)
            (func (export "r") (param i32 i32 i32 i32) (result i32) i32.const 8)
            (func (export "f") (param i32 i32)))
          (core instance $si (instantiate $s))
          (func $f (param "s" string)
            (canon lift (core func $si "f") (memory (core memory $si "m"))
              (realloc (core func $si "r")) string-encoding=utf16))
          (core func $lowered (canon lower (func $f) (memory (core memory $si "m"))))
          {RUN})"#
    );
    let program = build(&wat).expect("a UTF-16 to UTF-8 adapter builds");
    let adapter = program
        .modules
        .iter()
        .find(|m| m.name.contains("fused adapter"))
        .expect("the lowering became a fused adapter");
    assert!(
        adapter
            .imports
            .iter()
            .any(|i| i.module == "builtins" && i.name.starts_with("string")),
        "the adapter calls a string builtin: {:?}",
        adapter.imports
    );
}

#[test]
fn resource_builtins_bind_to_the_defining_instance_and_type() {
    let wat = format!(
        r#"(component
          (type $r (resource (rep i32)))
          (type $s (resource (rep i32)))
          (core func $new (canon resource.new $s))
          (core func $drop (canon resource.drop $r))
          (core instance $b (export "new" (func $new)) (export "drop" (func $drop)))
          (core module $user
            (import "b" "new" (func (param i32) (result i32)))
            (import "b" "drop" (func (param i32))))
          (core instance (instantiate $user (with "b" (instance $b))))
          {RUN})"#
    );
    let program = build(&wat).expect("builds");
    let funcs: Vec<_> = program.instances[0].resource_funcs.values().collect();
    assert_eq!(funcs.len(), 2);
    assert_eq!(funcs[0].op, smelt::program::ResourceOp::New);
    assert_eq!(funcs[1].op, smelt::program::ResourceOp::Drop);
    // Distinct types, distinct tags; no destructor declared.
    assert_eq!(funcs[0].tag, funcs[1].tag + 1);
    assert!(funcs.iter().all(|f| f.dtor.is_none() && f.component == 0));
}

#[test]
fn a_component_without_run_is_refused() {
    let wat = r#"(component (core module $m) (core instance (instantiate $m)))"#;
    let e = build(wat).expect_err("nothing to run");
    assert!(e.to_string().contains("wasi:cli/run"), "{e}");
}

#[test]
fn malformed_components_name_an_offset_and_never_panic() {
    let bytes = binary(&format!("(component {RUN})"));
    // A wrong section id right after the header.
    let mut bad = bytes[..8].to_vec();
    bad.extend_from_slice(&[0x7f, 0x01, 0x00]);
    match program_from_component("bad.wasm", &bad, false) {
        Err(e @ Error::InvalidWasm { offset, .. }) => {
            // wasmparser reports the section's first byte or the byte after its header.
            assert!((8..=10).contains(&offset), "{e}");
            assert!(e.to_string().contains("byte offset"), "{e}");
        }
        other => panic!("expected InvalidWasm near offset 8, got {other:?}"),
    }
    // No truncation panics: mid-section it is malformed, at a section boundary it is a
    // (valid) component with nothing to run, or, without only the trailing name section, a
    // complete one.
    for len in 8..bytes.len() {
        let Err(e) = program_from_component("cut.wasm", &bytes[..len], false) else {
            continue;
        };
        assert!(
            matches!(e, Error::InvalidWasm { .. } | Error::Unsupported { .. }),
            "truncated at {len}: {e}"
        );
    }
}

#[test]
fn unknown_imports_are_refused_unless_trapping_is_asked_for() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/run/component_unknown_import.wat");
    match smelt::program_from_file(&path) {
        Err(Error::UnresolvedImports { list, .. }) => {
            assert_eq!(list.len(), 2, "{list:?}");
            assert!(
                list[0].contains("wasi:http/outgoing-handler@0.2.0"),
                "{list:?}"
            );
            assert!(list[0].contains("not provided by smelt's host"), "{list:?}");
            assert!(
                list[1].starts_with("example:unknown/thing (function)"),
                "{list:?}"
            );
        }
        other => panic!("expected UnresolvedImports, got {other:?}"),
    }
    let options = smelt::InputOptions {
        trap_unknown_imports: true,
    };
    let program = smelt::program_from_file_with(&path, &options).expect("builds with stand-ins");
    let stand_ins: Vec<String> = program.instances[1]
        .hosts
        .values()
        .filter(|h| !h.func.implemented)
        .map(|h| h.func.name())
        .collect();
    assert_eq!(
        stand_ins,
        [
            "wasi:http/outgoing-handler@0.2.0#handle",
            "example:unknown/thing"
        ]
    );
}
