;;! env = "GREETING=hello, world"
;; An environment variable granted at build time (`--env GREETING=hello, world`) is the only
;; one the program sees: `environ_sizes_get` counts one, and `environ_get` gives it, which is
;; printed. Any other count traps.
(module
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get"
    (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (if (call $environ_sizes_get (i32.const 16) (i32.const 20)) (then unreachable))
    (if (i32.ne (i32.load (i32.const 16)) (i32.const 1)) (then unreachable))
    (if (call $environ_get (i32.const 64) (i32.const 128)) (then unreachable))
    ;; Print the NUL-terminated string with its NUL replaced by a newline.
    (i32.store8
      (i32.add (i32.const 127) (i32.load (i32.const 20)))
      (i32.const 10))
    (i32.store (i32.const 0) (i32.load (i32.const 64)))
    (i32.store (i32.const 4) (i32.load (i32.const 20)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
