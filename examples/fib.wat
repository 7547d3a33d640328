;; The bundled example: computes fib(32) recursively (about seven million calls), checks
;; the answer and exits 0 — or traps with a backtrace and status 134 if it were wrong.
;; WASI output arrives with components; until then a core module reports by exit status.
(module
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func $check (param $got i32) (param $want i32)
    (if (i32.ne (local.get $got) (local.get $want)) (then unreachable)))
  (func (export "_start")
    (call $check (call $fib (i32.const 32)) (i32.const 2178309))))
