;; Nested components and cross-instance linking. The inner component links two core
;; instances of its own and lifts `run`; it also exports its core module `lib`. The outer
;; component instantiates that module again, re-bundles its exports `from exports` under
;; the names the outer module imports, and instantiates the outer module against them.
;; Its start function stores 42 through the imported memory and asks the imported `check`
;; (which reads its own memory) whether it sees 42: it does, so the start function traps
;; and `run` never runs. Exit status 134 with the trap.
(component
  (component $inner
    (core module $lib
      (memory (export "mem") 1)
      (func (export "check") (param i32) (result i32)
        local.get 0
        i32.load
        i32.const 42
        i32.eq))
    (core instance $l (instantiate $lib))
    (alias core export $l "mem" (core memory $mem))
    (alias core export $l "check" (core func $check))
    (core instance $bundle (export "memory" (memory $mem)) (export "check" (func $check)))
    (core module $app
      (import "lib" "memory" (memory 1))
      (import "lib" "check" (func $check (param i32) (result i32)))
      (func (export "run") (result i32) i32.const 0 call $check))
    (core instance $w (instantiate $app (with "lib" (instance $bundle))))
    (func $run (result (result)) (canon lift (core func $w "run")))
    (export "run" (func $run))
    (export "lib" (core module $lib)))
  (instance $a (instantiate $inner))
  (alias export $a "lib" (core module $lib2))
  (core instance $l2 (instantiate $lib2))
  (core instance $env
    (export "memory" (memory $l2 "mem"))
    (export "check" (func $l2 "check")))
  (core module $main
    (import "env" "memory" (memory 1))
    (import "env" "check" (func $check (param i32) (result i32)))
    (func $start
      i32.const 8
      i32.const 42
      i32.store
      i32.const 8
      call $check
      if
        unreachable
      end)
    (start $start))
  (core instance $m (instantiate $main (with "env" (instance $env))))
  (alias export $a "run" (func $run))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
