;; A paired loop that runs off the end of memory traps as the scalar loop does: lane 0 of
;; the last pair is in bounds, lane 1 is not.
(module
  (memory 1)
  (func $axpy2 (param $out i32) (param $row i32) (param $a f64) (param $pairs i32)
    (loop $l
      (f64.store (local.get $out)
        (f64.add (f64.load (local.get $out)) (f64.mul (local.get $a) (f64.load (local.get $row)))))
      (f64.store offset=8 (local.get $out)
        (f64.add (f64.load offset=8 (local.get $out))
                 (f64.mul (local.get $a) (f64.load offset=8 (local.get $row)))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (local.set $row (i32.add (local.get $row) (i32.const 16)))
      (br_if $l (local.tee $pairs (i32.sub (local.get $pairs) (i32.const 1))))))
  (func (export "_start")
    (call $axpy2 (i32.const 65512) (i32.const 0) (f64.const 2) (i32.const 4))))
