;; Nothing is granted by default (a WASI preview1 command, adapted into a component): the
;; environment is empty although the test harness runs the executable in its own full
;; environment, and there is no preopened directory, so descriptor 3 is not one
;; (`fd_prestat_get` answers EBADF, 8) and a path cannot be opened through it. Any other
;; answer traps.
(module
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get"
    (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "no environment variables\n")
  (data (i32.const 96) "no preopened directories\n")
  (data (i32.const 128) "/etc/passwd")
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (if (call $environ_sizes_get (i32.const 16) (i32.const 20)) (then unreachable))
    (if (i32.load (i32.const 16)) (then unreachable))
    (call $print (i32.const 64) (i32.const 25))
    (if (i32.ne (call $fd_prestat_get (i32.const 3) (i32.const 24)) (i32.const 8))
      (then unreachable))
    (if (i32.ne
          (call $path_open (i32.const 3) (i32.const 0) (i32.const 128) (i32.const 11)
            (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 32))
          (i32.const 8))
      (then unreachable))
    (call $print (i32.const 96) (i32.const 25))))
