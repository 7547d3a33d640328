;; A nested component imports WASI itself (as composed components do): the root passes its
;; imported instances on, and the inner component lowers `get-stdout` and
;; `blocking-write-and-flush` and drops the `output-stream` with `canon resource.drop` of
;; the resource type *it* imported. The drop must reach the host's drop, so resource types
;; are followed through instantiation arguments and aliases.
(component
  (import "wasi:io/error@0.2.3" (instance $error
    (export "error" (type (sub resource)))))
  (alias export $error "error" (type $error-t))
  (import "wasi:io/streams@0.2.3" (instance $streams
    (alias outer 1 $error-t (type $e))
    (export "error" (type $err (eq $e)))
    (export "output-stream" (type $os (sub resource)))
    (type $se (variant (case "last-operation-failed" (own $err)) (case "closed")))
    (export "stream-error" (type $stream-error (eq $se)))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $os)) (param "contents" (list u8))
            (result (result (error $stream-error)))))))
  (alias export $streams "output-stream" (type $output-stream))
  (import "wasi:cli/stdout@0.2.3" (instance $stdout
    (alias outer 1 $output-stream (type $o))
    (export "output-stream" (type $os (eq $o)))
    (export "get-stdout" (func (result (own $os))))))

  (component $inner
    (import "error" (instance $error
      (export "error" (type (sub resource)))))
    (alias export $error "error" (type $error-t))
    (import "streams" (instance $streams
      (alias outer 1 $error-t (type $e))
      (export "error" (type $err (eq $e)))
      (export "output-stream" (type $os (sub resource)))
      (type $se (variant (case "last-operation-failed" (own $err)) (case "closed")))
      (export "stream-error" (type $stream-error (eq $se)))
      (export "[method]output-stream.blocking-write-and-flush"
        (func (param "self" (borrow $os)) (param "contents" (list u8))
              (result (result (error $stream-error)))))))
    (alias export $streams "output-stream" (type $output-stream))
    (import "stdout" (instance $stdout
      (alias outer 1 $output-stream (type $o))
      (export "output-stream" (type $os (eq $o)))
      (export "get-stdout" (func (result (own $os))))))
    (alias export $stdout "get-stdout" (func $get-stdout))
    (alias export $streams "[method]output-stream.blocking-write-and-flush" (func $write))
    (core module $memory (memory (export "memory") 1))
    (core instance $memory (instantiate $memory))
    (alias core export $memory "memory" (core memory $mem))
    (core func $get-stdout (canon lower (func $get-stdout)))
    (core func $write (canon lower (func $write) (memory $mem)))
    (core func $drop (canon resource.drop $output-stream))
    (core instance $host
      (export "get-stdout" (func $get-stdout))
      (export "write" (func $write))
      (export "drop" (func $drop)))
    (core module $m
      (import "host" "get-stdout" (func $get-stdout (result i32)))
      (import "host" "write" (func $write (param i32 i32 i32 i32)))
      (import "host" "drop" (func $drop (param i32)))
      (import "env" "memory" (memory 1))
      (data (i32.const 16) "hello from a nested component\n")
      (func (export "run") (result i32)
        (local $out i32)
        (local.set $out (call $get-stdout))
        (call $write (local.get $out) (i32.const 16) (i32.const 30) (i32.const 0))
        (call $drop (local.get $out))
        ;; Dropped: a second drop of the same handle must trap (unknown handle).
        (call $drop (local.get $out))
        (i32.const 0)))
    (core instance $i (instantiate $m
      (with "host" (instance $host))
      (with "env" (instance $memory))))
    (func (export "run") (result (result)) (canon lift (core func $i "run"))))

  (instance $c (instantiate $inner
    (with "error" (instance $error))
    (with "streams" (instance $streams))
    (with "stdout" (instance $stdout))))
  (alias export $c "run" (func $run))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.3" (instance $cli)))
