;; A multiversioned function (float loop) with stack-passed parameters and three results, called
;; directly and through call_indirect: the stub's tail call forwards every argument and the
;; copies return every result (a wrong value traps with unreachable; the expected trap is the
;; division at the end).
(module
  (type $t (func (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 i32 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64)))
  (table 1 funcref)
  (elem (i32.const 0) $many)
  (func $many (type $t)
    (local $k i32) (local $acc f64)
    (loop $l
      (local.set $acc (f64.add (local.get $acc)
        (f64.mul (local.get 0) (f64.add (local.get 9) (local.get 19)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $k) (local.get 10))))
    (local.get $acc) (f64.add (local.get 18) (local.get 1)) (local.get 11))
  (func $check (result i32)
    (local $a f64) (local $b f64) (local $c f64)
    (call $many (f64.const 2) (f64.const 3) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 5)
      (i32.const 10) (f64.const 7) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 11) (f64.const 13))
    (local.set $c) (local.set $b) (local.set $a)
    ;; acc = 10 * 2 * (5 + 13) = 360; b = 11 + 3 = 14; c = 7
    (if (f64.ne (local.get $a) (f64.const 360)) (then unreachable))
    (if (f64.ne (local.get $b) (f64.const 14)) (then unreachable))
    (if (f64.ne (local.get $c) (f64.const 7)) (then unreachable))
    (call_indirect (type $t) (f64.const 2) (f64.const 3) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 5)
      (i32.const 10) (f64.const 7) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 11) (f64.const 13) (i32.const 0))
    (local.set $c) (local.set $b) (local.set $a)
    (if (f64.ne (local.get $a) (f64.const 360)) (then unreachable))
    (if (f64.ne (local.get $b) (f64.const 14)) (then unreachable))
    (if (f64.ne (local.get $c) (f64.const 7)) (then unreachable))
    (i32.div_u (i32.const 1) (i32.const 0)))
  (func (export "_start") (drop (call $check))))
