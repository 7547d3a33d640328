;; `wasi:io/poll#poll` over 300 pollables (more than any fixed table would hold): the
;; 43 whose deadline is now (every 7th from index 3) are returned, in order; the others
;; wait 10 s and are not. The module checks the count and every index (any other answer
;; traps), prints a line, then polls an empty list, which could never return: it traps,
;; as Wasmtime's host does.
(component
  (import "wasi:io/error@0.2.0" (instance $error
    (export "error" (type (sub resource)))))
  (alias export $error "error" (type $error-t))
  (import "wasi:io/poll@0.2.0" (instance $poll
    (export "pollable" (type $p (sub resource)))
    (export "poll" (func (param "in" (list (borrow $p))) (result (list u32))))))
  (alias export $poll "pollable" (type $pollable))
  (import "wasi:io/streams@0.2.0" (instance $streams
    (alias outer 1 $error-t (type $e))
    (export "error" (type $err (eq $e)))
    (export "output-stream" (type $os (sub resource)))
    (type $se (variant (case "last-operation-failed" (own $err)) (case "closed")))
    (export "stream-error" (type $stream-error (eq $se)))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $os)) (param "contents" (list u8))
            (result (result (error $stream-error)))))))
  (alias export $streams "output-stream" (type $output-stream))
  (import "wasi:clocks/monotonic-clock@0.2.0" (instance $clock
    (alias outer 1 $pollable (type $p0))
    (export "pollable" (type $p (eq $p0)))
    (export "subscribe-duration" (func (param "when" u64) (result (own $p))))))
  (import "wasi:cli/stdout@0.2.0" (instance $stdout
    (alias outer 1 $output-stream (type $o))
    (export "output-stream" (type $os (eq $o)))
    (export "get-stdout" (func (result (own $os))))))
  (alias export $stdout "get-stdout" (func $get-stdout))
  (alias export $streams "[method]output-stream.blocking-write-and-flush" (func $write))
  (alias export $clock "subscribe-duration" (func $subscribe))
  (alias export $poll "poll" (func $poll-f))

  (core module $memory
    (memory (export "memory") 1)
    ;; A bump allocator from 32 KiB on.
    (global $next (mut i32) (i32.const 32768))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $at i32)
      (local.set $at (i32.and (i32.add (global.get $next) (i32.const 7)) (i32.const -8)))
      (global.set $next (i32.add (local.get $at) (local.get 3)))
      (local.get $at)))
  (core instance $memory (instantiate $memory))
  (alias core export $memory "memory" (core memory $mem))
  (alias core export $memory "realloc" (core func $realloc))
  (core func $get-stdout (canon lower (func $get-stdout)))
  (core func $write (canon lower (func $write) (memory $mem)))
  (core func $subscribe (canon lower (func $subscribe)))
  (core func $poll (canon lower (func $poll-f) (memory $mem) (realloc $realloc)))
  (core instance $host
    (export "get-stdout" (func $get-stdout))
    (export "write" (func $write))
    (export "subscribe" (func $subscribe))
    (export "poll" (func $poll)))

  (core module $m
    (import "host" "get-stdout" (func $get-stdout (result i32)))
    (import "host" "write" (func $write (param i32 i32 i32 i32)))
    (import "host" "subscribe" (func $subscribe (param i64) (result i32)))
    (import "host" "poll" (func $poll (param i32 i32 i32)))
    (import "env" "memory" (memory 1))
    (data (i32.const 16) "polled 300, 43 ready\n")
    (func (export "run") (result i32)
      (local $i i32) (local $ptr i32) (local $k i32)
      ;; Handles of 300 pollables at 4096.
      (loop $make
        (i32.store (i32.add (i32.const 4096) (i32.shl (local.get $i) (i32.const 2)))
          (call $subscribe
            (select (i64.const 0) (i64.const 10000000000)
              (i32.eq (i32.rem_u (local.get $i) (i32.const 7)) (i32.const 3)))))
        (br_if $make (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (i32.const 300))))
      (call $poll (i32.const 4096) (i32.const 300) (i32.const 64))
      (if (i32.ne (i32.load (i32.const 68)) (i32.const 43)) (then unreachable))
      (local.set $ptr (i32.load (i32.const 64)))
      (loop $check
        (if (i32.ne (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $k) (i32.const 2))))
                    (i32.add (i32.const 3) (i32.mul (local.get $k) (i32.const 7))))
          (then unreachable))
        (br_if $check (i32.ne (local.tee $k (i32.add (local.get $k) (i32.const 1)))
                              (i32.const 43))))
      (call $write (call $get-stdout) (i32.const 16) (i32.const 21) (i32.const 0))
      (call $poll (i32.const 4096) (i32.const 0) (i32.const 64))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "host" (instance $host))
    (with "env" (instance $memory))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
