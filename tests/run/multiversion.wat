;; A function with a floating-point loop is compiled twice on x86_64 (baseline and AVX2),
;; behind a stub that picks one at start-up; the run tests run every executable also with
;; SMELT_CPU=baseline. Both copies compute the same sum, and a trap inside either one names
;; the wasm functions of the backtrace as usual: `$sum` (float loop, copied) is called by
;; `$check` through `call_indirect` and directly, and traps on purpose at the end.
(module
  (type $t (func (param i32) (result f64)))
  (table 1 funcref)
  (elem (i32.const 0) $sum)
  ;; sum of 1/k^2 for k in 1..=n, then x * 1e6 truncated: pi^2/6 * 1e6 ~ 1644934 for large n
  (func $sum (param $n i32) (result f64)
    (local $k i32) (local $acc f64) (local $x f64)
    (loop $l
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (local.set $x (f64.convert_i32_u (local.get $k)))
      (local.set $acc (f64.add (local.get $acc) (f64.div (f64.const 1) (f64.mul (local.get $x) (local.get $x)))))
      (br_if $l (i32.lt_u (local.get $k) (local.get $n))))
    ;; n = 0 is the trap: dividing by it
    (drop (i32.div_u (i32.const 1) (local.get $n)))
    (local.get $acc))
  (func $check (result i32)
    (local $direct f64) (local $indirect f64)
    (local.set $direct (call $sum (i32.const 1000)))
    (local.set $indirect (call_indirect (type $t) (i32.const 1000) (i32.const 0)))
    ;; both ways, the same bits; and the expected value 1.6439345666815615 (rounded sum)
    (if (i64.ne (i64.reinterpret_f64 (local.get $direct)) (i64.reinterpret_f64 (local.get $indirect)))
      (then unreachable))
    (if (i64.ne (i64.trunc_f64_s (f64.mul (local.get $direct) (f64.const 1e12))) (i64.const 1643934566681))
      (then unreachable))
    (drop (call $sum (i32.const 0)))
    (i32.const 0))
  (func (export "_start") (drop (call $check))))
