;; Two components, one calling the other: `canon lower` of a function the other lifted
;; becomes a fused adapter that copies arguments and results between the two memories.
;; `greet` moves a string in and a string out (result through the return pointer, callee
;; post-return resets its allocator), `sum` a list<u32> in and a u64 out, `check` a
;; result<f32, s16> whose payloads share one joined flat slot. `run` checks every answer
;; (`unreachable` on a mismatch), so the exit status is the verdict.
(component
  (component $callee
    (core module $m
      (memory (export "memory") 1)
      (global $next (mut i32) (i32.const 4096))
      (data (i32.const 2000) "hello, ")
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32)
        (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
                               (i32.sub (i32.const 0) (local.get 2))))
        (global.set $next (i32.add (local.get $p) (local.get 3)))
        (local.get $p))
      (func (export "greet") (param $ptr i32) (param $len i32) (result i32)
        (memory.copy (i32.const 2007) (local.get $ptr) (local.get $len))
        (i32.store (i32.const 1024) (i32.const 2000))
        (i32.store (i32.const 1028) (i32.add (i32.const 7) (local.get $len)))
        (i32.const 1024))
      (func (export "greet-post") (param i32)
        (global.set $next (i32.const 4096)))
      (func (export "sum") (param $ptr i32) (param $len i32) (result i64)
        (local $s i64)
        (block $done
          (loop $l
            (br_if $done (i32.eqz (local.get $len)))
            (local.set $s (i64.add (local.get $s) (i64.load32_u (local.get $ptr))))
            (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
            (local.set $len (i32.sub (local.get $len) (i32.const 1)))
            (br $l)))
        (local.get $s))
      (func (export "check") (param $disc i32) (param $payload i32) (result i32)
        (if (result i32) (i32.eqz (local.get $disc))
          (then (i32.trunc_f32_u (f32.reinterpret_i32 (local.get $payload))))
          (else (i32.add (local.get $payload) (i32.const 1000))))))
    (core instance $i (instantiate $m))
    (func (export "greet") (param "name" string) (result string)
      (canon lift (core func $i "greet") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))
        (post-return (core func $i "greet-post"))))
    (func (export "sum") (param "xs" (list u32)) (result u64)
      (canon lift (core func $i "sum") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
    (func (export "check") (param "v" (result f32 (error s16))) (result u32)
      (canon lift (core func $i "check"))))
  (instance $callee (instantiate $callee))

  (component $caller
    (import "greet" (func $greet (param "name" string) (result string)))
    (import "sum" (func $sum (param "xs" (list u32)) (result u64)))
    (import "check" (func $check (param "v" (result f32 (error s16))) (result u32)))
    (core module $mem
      (memory (export "memory") 1)
      (global $next (mut i32) (i32.const 8192))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32)
        (local.set $p (global.get $next))
        (global.set $next (i32.add (local.get $p) (local.get 3)))
        (local.get $p)))
    (core instance $mem (instantiate $mem))
    (core func $greet (canon lower (func $greet) (memory (core memory $mem "memory")) (realloc (core func $mem "realloc"))))
    (core func $sum (canon lower (func $sum) (memory (core memory $mem "memory"))))
    (core func $check (canon lower (func $check)))
    (core module $m
      (import "env" "memory" (memory 1))
      (import "f" "greet" (func $greet (param i32 i32 i32)))
      (import "f" "sum" (func $sum (param i32 i32) (result i64)))
      (import "f" "check" (func $check (param i32 i32) (result i32)))
      (data (i32.const 100) "world")
      (data (i32.const 300) "hello, world")
      (data (i32.const 400) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
      (func $assert (param i32) (if (i32.eqz (local.get 0)) (then unreachable)))
      (func $greeted
        (local $p i32) (local $i i32)
        (call $assert (i32.eq (i32.load (i32.const 204)) (i32.const 12)))
        (local.set $p (i32.load (i32.const 200)))
        (block $done
          (loop $l
            (br_if $done (i32.eq (local.get $i) (i32.const 12)))
            (call $assert (i32.eq (i32.load8_u (i32.add (local.get $p) (local.get $i)))
                                  (i32.load8_u (i32.add (i32.const 300) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l))))
      (func (export "run") (result i32)
        (i32.store (i32.const 204) (i32.const 0))
        (call $greet (i32.const 100) (i32.const 5) (i32.const 200))
        (call $greeted)
        (call $greet (i32.const 100) (i32.const 5) (i32.const 200))
        (call $greeted)
        (call $assert (i64.eq (call $sum (i32.const 400) (i32.const 4)) (i64.const 10)))
        (call $assert (i32.eq (call $check (i32.const 0) (i32.reinterpret_f32 (f32.const 2.5)))
                              (i32.const 2)))
        (call $assert (i32.eq (call $check (i32.const 1) (i32.const -5)) (i32.const 995)))
        ;; A discriminant past the last case traps in the adapter.
        (drop (call $check (i32.const 2) (i32.const 0)))
        (i32.const 0)))
    (core instance $i (instantiate $m
      (with "env" (instance $mem))
      (with "f" (instance
        (export "greet" (func $greet))
        (export "sum" (func $sum))
        (export "check" (func $check))))))
    (func (export "run") (result (result)) (canon lift (core func $i "run"))))
  (instance $caller (instantiate $caller
    (with "greet" (func $callee "greet"))
    (with "sum" (func $callee "sum"))
    (with "check" (func $callee "check"))))
  (alias export $caller "run" (func $run))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
