;; A fused adapter lifting a string validates it in the sender's encoding: the caller
;; passes "ok" (valid), then "ok" and the byte 0xff as UTF-8, which is never valid, so the
;; second call traps naming the bad string before the callee runs.
(component
  (component $callee
    (core module $m
      (memory (export "memory") 1)
      (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 64))
      (func (export "take") (param i32 i32)))
    (core instance $i (instantiate $m))
    (func (export "take") (param "s" string)
      (canon lift (core func $i "take") (memory (core memory $i "memory"))
        (realloc (core func $i "realloc")))))
  (instance $callee (instantiate $callee))
  (alias export $callee "take" (func $take))
  (core module $memory (memory (export "memory") 1))
  (core instance $memory (instantiate $memory))
  (core func $take (canon lower (func $take) (memory (core memory $memory "memory"))))
  (core module $m
    (import "env" "memory" (memory 1))
    (import "f" "take" (func $take (param i32 i32)))
    (data (i32.const 16) "ok\ff")
    (func (export "run") (result i32)
      (call $take (i32.const 16) (i32.const 2))
      (call $take (i32.const 16) (i32.const 3))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "env" (instance $memory))
    (with "f" (instance (export "take" (func $take))))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
