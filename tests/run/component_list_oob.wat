;; A `list<u8>` that ends past the memory (one 64 KiB page): the host checks it against the
;; memory's length and traps with "out of bounds memory access" before writing anything.
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
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $os)) (param "contents" (list u8))
            (result (result (error $stream-error)))))))
  (alias export $streams "output-stream" (type $output-stream))
  (import "wasi:cli/stdout@0.2.0" (instance $stdout
    (alias outer 1 $output-stream (type $o))
    (export "output-stream" (type $os (eq $o)))
    (export "get-stdout" (func (result (own $os))))))
  (alias export $stdout "get-stdout" (func $get-stdout))
  (alias export $streams "[method]output-stream.blocking-write-and-flush" (func $write))

  ;; The memory comes from its own instance, so it exists before the lowering needs it.
  (core module $memory (memory (export "memory") 1))
  (core instance $memory (instantiate $memory))
  (alias core export $memory "memory" (core memory $mem))
  (core func $get-stdout (canon lower (func $get-stdout)))
  (core func $write (canon lower (func $write) (memory $mem)))
  (core instance $host
    (export "get-stdout" (func $get-stdout))
    (export "blocking-write-and-flush" (func $write)))

  (core module $m
    (import "host" "get-stdout" (func $get-stdout (result i32)))
    (import "host" "blocking-write-and-flush" (func $write (param i32 i32 i32 i32)))
    (import "env" "memory" (memory 1))
    (func $run (export "run") (result i32)
      (call $write (call $get-stdout) (i32.const 65530) (i32.const 7) (i32.const 0))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "host" (instance $host))
    (with "env" (instance $memory))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
