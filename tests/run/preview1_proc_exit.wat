;; A WASI preview1 command, adapted into a component by smelt (wit-component and the
;; command adapter). `proc_exit(3)` exits with status 3, as `wasmtime run` does for a preview1
;; module: smelt routes `proc_exit` to its exit adapter, which calls
;; `wasi:cli/exit.exit-with-code` (the command adapter alone would say `exit(err)`, status 1).
;; Had `proc_exit` returned, `unreachable` would trap with 134; had the adapter not run
;; `_start`, `run` would return ok with 0.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (call $proc_exit (i32.const 3))
    unreachable))
