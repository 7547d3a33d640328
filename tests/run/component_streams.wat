;; The non-blocking half of an `output-stream`: `check-write` (its `result<u64, _>` has the
;; `u64` at offset 8 of the return area), `write`, then `blocking-flush`. `run` returns `err`
;; unless every result is `ok` and `check-write` permits at least the bytes written.
(component
  (import "wasi:io/error@0.2.0" (instance $error
    (export "error" (type (sub resource)))))
  (alias export $error "error" (type $error-t))
  (import "wasi:io/streams@0.2.0" (instance $streams
    (alias outer 1 $error-t (type $e))
    (export "error" (type $err (eq $e)))
    (export "output-stream" (type $os (sub resource)))
    (type $se (variant (case "last-operation-failed" (own $err)) (case "closed")))
    (export "stream-error" (type $stream-error (eq $se)))
    (export "[method]output-stream.check-write"
      (func (param "self" (borrow $os)) (result (result u64 (error $stream-error)))))
    (export "[method]output-stream.write"
      (func (param "self" (borrow $os)) (param "contents" (list u8))
            (result (result (error $stream-error)))))
    (export "[method]output-stream.blocking-flush"
      (func (param "self" (borrow $os)) (result (result (error $stream-error)))))))
  (alias export $streams "output-stream" (type $output-stream))
  (import "wasi:cli/stdout@0.2.0" (instance $stdout
    (alias outer 1 $output-stream (type $o))
    (export "output-stream" (type $os (eq $o)))
    (export "get-stdout" (func (result (own $os))))))
  (alias export $stdout "get-stdout" (func $get-stdout))
  (alias export $streams "[method]output-stream.check-write" (func $check-write))
  (alias export $streams "[method]output-stream.write" (func $write))
  (alias export $streams "[method]output-stream.blocking-flush" (func $flush))

  ;; The memory comes from its own instance, so it exists before the lowering needs it.
  (core module $memory (memory (export "memory") 1))
  (core instance $memory (instantiate $memory))
  (alias core export $memory "memory" (core memory $mem))
  (core func $get-stdout (canon lower (func $get-stdout)))
  (core func $check-write (canon lower (func $check-write) (memory $mem)))
  (core func $write (canon lower (func $write) (memory $mem)))
  (core func $flush (canon lower (func $flush) (memory $mem)))
  (core instance $host
    (export "get-stdout" (func $get-stdout))
    (export "check-write" (func $check-write))
    (export "write" (func $write))
    (export "blocking-flush" (func $flush)))

  (core module $m
    (import "host" "get-stdout" (func $get-stdout (result i32)))
    (import "host" "check-write" (func $check-write (param i32 i32)))
    (import "host" "write" (func $write (param i32 i32 i32 i32)))
    (import "host" "blocking-flush" (func $flush (param i32 i32)))
    (import "env" "memory" (memory 1))
    (data (i32.const 64) "written, then flushed\n")
    (func (export "run") (result i32)
      (local $out i32)
      (local.set $out (call $get-stdout))
      ;; Results go to 0..16 (check-write) and 32..44; poison them first.
      (i64.store (i32.const 0) (i64.const -1))
      (i64.store (i32.const 8) (i64.const 0))
      (i32.store (i32.const 32) (i32.const -1))
      (call $check-write (local.get $out) (i32.const 0))
      (if (i32.load8_u (i32.const 0)) (then (return (i32.const 1))))
      (if (i64.lt_u (i64.load (i32.const 8)) (i64.const 22)) (then (return (i32.const 1))))
      (call $write (local.get $out) (i32.const 64) (i32.const 22) (i32.const 32))
      (if (i32.load8_u (i32.const 32)) (then (return (i32.const 1))))
      (i32.store (i32.const 32) (i32.const -1))
      (call $flush (local.get $out) (i32.const 32))
      (i32.load8_u (i32.const 32))))
  (core instance $i (instantiate $m
    (with "host" (instance $host))
    (with "env" (instance $memory))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
