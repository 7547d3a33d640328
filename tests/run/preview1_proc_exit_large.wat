;; `proc_exit(126)` and above: Wasmtime refuses such a code ("exit with invalid exit status
;; outside of [0..126)") and exits with status 1; smelt's exit adapter calls
;; `wasi:cli/exit.exit(err)`, also status 1. (Without the check, `exit-with-code` would take
;; the code modulo 256: 256 would exit with 0.)
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "before\n")
  (func (export "_start")
    ;; iovec {16, 7} at 0; bytes written at 8
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 7))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.const 256))
    unreachable))
