;;! closed = "2"
;; With standard error closed (`prog 2>&-`), writing to it succeeds and drops the bytes, as
;; for a native Rust program; the verdict goes to stdout. Any other result traps (and the
;; trap message would be lost, but the exit status 134 is not).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "lost\n")
  (data (i32.const 96) "stderr dropped 5 bytes\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 5))
    (if (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8))
      (then unreachable))
    (if (i32.ne (i32.load (i32.const 8)) (i32.const 5)) (then unreachable))
    (i32.store (i32.const 0) (i32.const 96))
    (i32.store (i32.const 4) (i32.const 23))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
