//! Arguments that are not UTF-8 reach the program with `?` for each invalid sequence and are
//! otherwise whole, whatever their length (the runtime once cut them to 4 KiB): a preview1
//! module prints its second argument, on every test target.

use smelt_tests::test_targets;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

const PRINT_ARG1: &str = r#"
(module
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (func (export "_start")
    (local $arg i32) (local $end i32)
    (if (call $sizes (i32.const 0) (i32.const 4)) (then unreachable))
    (if (i32.ne (i32.load (i32.const 0)) (i32.const 2)) (then unreachable))
    ;; argv at 16, the strings from 1024 on.
    (if (call $get (i32.const 16) (i32.const 1024)) (then unreachable))
    (local.set $arg (i32.load (i32.const 20)))
    ;; Its length: the strings end at 1024 + the total size, NUL included.
    (local.set $end (i32.sub (i32.add (i32.const 1024) (i32.load (i32.const 4))) (i32.const 1)))
    (i32.store (i32.const 32) (local.get $arg))
    (i32.store (i32.const 36) (i32.sub (local.get $end) (local.get $arg)))
    (if (call $write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40))
      (then unreachable))))
"#;

#[test]
fn long_arguments_that_are_not_utf8_arrive_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let wat = tmp.path().join("print_arg1.wat");
    std::fs::write(&wat, PRINT_ARG1).unwrap();
    let program = smelt::program_from_file_with(&wat, &Default::default()).unwrap();
    // Invalid bytes at the start, in the middle (a truncated sequence) and at the end.
    let mut arg = vec![0xff];
    arg.extend(std::iter::repeat_n(b'x', 5000));
    arg.extend([0xe2, 0x82]);
    arg.extend("é✓".as_bytes());
    arg.extend(std::iter::repeat_n(b'y', 3000));
    arg.push(0xc3);
    let mut expected = b"?".to_vec();
    expected.extend(std::iter::repeat_n(b'x', 5000));
    expected.extend(b"?");
    expected.extend("é✓".as_bytes());
    expected.extend(std::iter::repeat_n(b'y', 3000));
    expected.extend(b"?");
    for target in test_targets() {
        let t = target.target(&[]).unwrap();
        let exe = tmp.path().join(format!("print_arg1-{}", target.alias));
        smelt::build_executable(&program, &t, &Default::default(), &exe, None).unwrap();
        let out = target
            .command(&exe)
            .arg(OsString::from_vec(arg.clone()))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}: {out:?}", target.alias);
        assert_eq!(
            out.stdout.len(),
            expected.len(),
            "{}: length of the argument as printed",
            target.alias
        );
        assert!(
            out.stdout == expected,
            "{}: the argument differs",
            target.alias
        );
    }
}
