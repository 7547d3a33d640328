;;! trap-unknown-imports = true
;; Built with --trap-unknown-imports: `wasi:http/outgoing-handler` (not in the
;; `wasi:cli/command` world smelt's host provides) and an import of no known interface are
;; bound to stand-ins; `run` writes to
;; stdout through the real host, then calls the unknown function, which traps naming it.
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
  (import "wasi:http/outgoing-handler@0.2.0" (instance $http
    (export "handle" (func (param "request" u8) (result u32)))))
  (import "example:unknown/thing" (func $thing))
  (alias export $stdout "get-stdout" (func $get-stdout))
  (alias export $streams "[method]output-stream.blocking-write-and-flush" (func $write))
  (alias export $http "handle" (func $create))

  (core module $memory (memory (export "memory") 1))
  (core instance $memory (instantiate $memory))
  (alias core export $memory "memory" (core memory $mem))
  (core func $get-stdout (canon lower (func $get-stdout)))
  (core func $write (canon lower (func $write) (memory $mem)))
  (core func $create (canon lower (func $create)))
  (core func $thing (canon lower (func $thing)))
  (core instance $host
    (export "get-stdout" (func $get-stdout))
    (export "write" (func $write))
    (export "create" (func $create))
    (export "thing" (func $thing)))

  (core module $m
    (import "host" "get-stdout" (func $get-stdout (result i32)))
    (import "host" "write" (func $write (param i32 i32 i32 i32)))
    (import "host" "create" (func $create (param i32) (result i32)))
    (import "host" "thing" (func $thing))
    (import "env" "memory" (memory 1))
    (data (i32.const 16) "before\n")
    (func (export "run") (result i32)
      (call $write (call $get-stdout) (i32.const 16) (i32.const 7) (i32.const 0))
      (drop (call $create (i32.const 0)))
      (call $thing)
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "host" (instance $host))
    (with "env" (instance $memory))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
