;; Standard error and `wasi:cli/exit`: `run` writes a line to stderr, then exits with
;; `exit(err)`, status 1, before returning `ok` (which would exit with 0). Patch version
;; 0.2.12 of `wasi:cli/stderr` binds to the same host as 0.2.0.
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
  (import "wasi:cli/stderr@0.2.12" (instance $stderr
    (alias outer 1 $output-stream (type $o))
    (export "output-stream" (type $os (eq $o)))
    (export "get-stderr" (func (result (own $os))))))
  (import "wasi:cli/exit@0.2.0" (instance $exit
    (export "exit" (func (param "status" (result))))))
  (alias export $stderr "get-stderr" (func $get-stderr))
  (alias export $streams "[method]output-stream.blocking-write-and-flush" (func $write))
  (alias export $exit "exit" (func $exit))

  (core module $memory (memory (export "memory") 1))
  (core instance $memory (instantiate $memory))
  (alias core export $memory "memory" (core memory $mem))
  (core func $get-stderr (canon lower (func $get-stderr)))
  (core func $write (canon lower (func $write) (memory $mem)))
  (core func $exit (canon lower (func $exit)))
  (core instance $host
    (export "get-stderr" (func $get-stderr))
    (export "blocking-write-and-flush" (func $write))
    (export "exit" (func $exit)))

  (core module $m
    (import "host" "get-stderr" (func $get-stderr (result i32)))
    (import "host" "blocking-write-and-flush" (func $write (param i32 i32 i32 i32)))
    (import "host" "exit" (func $exit (param i32)))
    (import "env" "memory" (memory 1))
    (data (i32.const 16) "something went wrong\n")
    (func (export "run") (result i32)
      (call $write (call $get-stderr) (i32.const 16) (i32.const 21) (i32.const 0))
      (call $exit (i32.const 1))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "host" (instance $host))
    (with "env" (instance $memory))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
