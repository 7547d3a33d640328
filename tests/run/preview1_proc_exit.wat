;; A WASI preview1 command, adapted into a component by smelt (wit-component and the
;; command adapter). `proc_exit(3)` becomes `wasi:cli/exit.exit(err)`: WASI 0.2's `exit`
;; carries only ok/err, so the status is 1. Had `proc_exit` returned, `unreachable` would
;; trap with 134; had the adapter not run `_start`, `run` would return ok with 0.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (call $proc_exit (i32.const 3))
    unreachable))
