;; Resources a component defines: `resource.new` makes own handles (1, 2, then the freed 1
;; again, as the explainer's table reuses the last freed slot), `resource.rep` reads the
;; representation back, `resource.drop` of an own handle runs the destructor with the
;; representation. `run` checks all that (any failure is `unreachable`), then uses a
;; dropped handle, which traps.
(component
  (core module $dtor-state
    (global (export "sum") (mut i32) (i32.const 0))
    (func (export "dtor") (param $rep i32)
      (global.set 0 (i32.add (global.get 0) (local.get $rep)))))
  (core instance $state (instantiate $dtor-state))
  (alias core export $state "dtor" (core func $dtor))
  (type $r (resource (rep i32) (dtor (core func $dtor))))
  (core func $new (canon resource.new $r))
  (core func $rep (canon resource.rep $r))
  (core func $drop (canon resource.drop $r))
  (core instance $builtins
    (export "new" (func $new))
    (export "rep" (func $rep))
    (export "drop" (func $drop)))
  (core module $m
    (import "r" "new" (func $new (param i32) (result i32)))
    (import "r" "rep" (func $rep (param i32) (result i32)))
    (import "r" "drop" (func $drop (param i32)))
    (import "state" "sum" (global $sum (mut i32)))
    (func $check (param i32) (if (i32.eqz (local.get 0)) (then unreachable)))
    (func (export "run") (result i32)
      (local $a i32) (local $b i32) (local $c i32)
      (local.set $a (call $new (i32.const 100)))
      (local.set $b (call $new (i32.const 20)))
      (call $check (i32.eq (local.get $a) (i32.const 1)))
      (call $check (i32.eq (local.get $b) (i32.const 2)))
      (call $check (i32.eq (call $rep (local.get $a)) (i32.const 100)))
      (call $check (i32.eq (call $rep (local.get $b)) (i32.const 20)))
      (call $drop (local.get $a))
      (call $check (i32.eq (global.get $sum) (i32.const 100)))
      (local.set $c (call $new (i32.const 3)))
      (call $check (i32.eq (local.get $c) (i32.const 1)))
      (call $drop (local.get $b))
      (call $drop (local.get $c))
      (call $check (i32.eq (global.get $sum) (i32.const 123)))
      ;; The handle is gone.
      (drop (call $rep (local.get $b)))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "r" (instance $builtins))
    (with "state" (instance $state))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
