;;! closed = "0,1"
;; Run with standard input and output closed (`prog <&- >&-`), a program behaves as a native
;; Rust one does: writing to stdout succeeds and drops the bytes (all 5 reported written),
;; reading stdin gives end of file (0 bytes, no error). Any other result traps; the verdict
;; goes to stderr.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "lost\n")
  (data (i32.const 96) "stdout dropped 5 bytes, stdin read 0\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 5))
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
      (then unreachable))
    (if (i32.ne (i32.load (i32.const 8)) (i32.const 5)) (then unreachable))
    (i32.store (i32.const 0) (i32.const 256))
    (i32.store (i32.const 4) (i32.const 100))
    (i32.store (i32.const 8) (i32.const 99))
    (if (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8))
      (then unreachable))
    (if (i32.load (i32.const 8)) (then unreachable))
    (i32.store (i32.const 0) (i32.const 96))
    (i32.store (i32.const 4) (i32.const 37))
    (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))))
