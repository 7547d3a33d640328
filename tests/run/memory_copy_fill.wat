;; `memory.copy` and `memory.fill` against byte-at-a-time references, for every length up to
;; 80 and lengths around the runtime's 16-byte and 2048-byte steps, with source and
;; destination overlapping in both directions and apart. Any difference traps.
(module
  (memory 1)
  ;; The pattern byte at address $i.
  (func $pat (param $i i32) (result i32)
    (i32.and (i32.add (i32.mul (local.get $i) (i32.const 7)) (i32.shr_u (local.get $i) (i32.const 8)))
             (i32.const 255)))
  ;; Fills [0, 16384) with the pattern.
  (func $reset (local $i i32)
    (loop $l
      (i32.store8 (local.get $i) (call $pat (local.get $i)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 16384)))))
  ;; memory.copy of $n bytes from 6000 to 6000 + $d, checked against the pattern.
  (func $copy (param $n i32) (param $d i32) (local $i i32) (local $want i32) (local $dst i32)
    (call $reset)
    (local.set $dst (i32.add (i32.const 6000) (local.get $d)))
    (memory.copy (local.get $dst) (i32.const 6000) (local.get $n))
    (loop $l
      (local.set $want (call $pat (local.get $i)))
      (if (i32.and (i32.ge_u (local.get $i) (local.get $dst))
                   (i32.lt_u (local.get $i) (i32.add (local.get $dst) (local.get $n))))
        (then (local.set $want
                (call $pat (i32.add (i32.sub (local.get $i) (local.get $dst)) (i32.const 6000))))))
      (if (i32.ne (i32.load8_u (local.get $i)) (local.get $want)) (then unreachable))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 16384)))))
  ;; memory.fill of $n bytes at 6000 + $d with 0xa5.
  (func $fill (param $n i32) (param $d i32) (local $i i32) (local $want i32) (local $dst i32)
    (call $reset)
    (local.set $dst (i32.add (i32.const 6000) (local.get $d)))
    (memory.fill (local.get $dst) (i32.const 0xa5) (local.get $n))
    (loop $l
      (local.set $want (call $pat (local.get $i)))
      (if (i32.and (i32.ge_u (local.get $i) (local.get $dst))
                   (i32.lt_u (local.get $i) (i32.add (local.get $dst) (local.get $n))))
        (then (local.set $want (i32.const 0xa5))))
      (if (i32.ne (i32.load8_u (local.get $i)) (local.get $want)) (then unreachable))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 16384)))))
  (func $lengths (param $d i32) (local $n i32)
    (loop $l
      (call $copy (local.get $n) (local.get $d))
      (call $fill (local.get $n) (local.get $d))
      (br_if $l (i32.le_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 80))))
    (call $copy (i32.const 255) (local.get $d))
    (call $copy (i32.const 256) (local.get $d))
    (call $copy (i32.const 1001) (local.get $d))
    (call $copy (i32.const 2047) (local.get $d))
    (call $copy (i32.const 2048) (local.get $d))
    (call $copy (i32.const 2049) (local.get $d))
    (call $copy (i32.const 4099) (local.get $d))
    (call $fill (i32.const 2047) (local.get $d))
    (call $fill (i32.const 2048) (local.get $d))
    (call $fill (i32.const 4099) (local.get $d)))
  (func (export "_start")
    (call $lengths (i32.const 0))
    (call $lengths (i32.const 1))
    (call $lengths (i32.const -1))
    (call $lengths (i32.const 5))
    (call $lengths (i32.const -7))
    (call $lengths (i32.const 16))
    (call $lengths (i32.const -16))
    (call $lengths (i32.const 33))
    (call $lengths (i32.const -40))
    (call $lengths (i32.const 2050))
    (call $lengths (i32.const -5000))
    (call $lengths (i32.const 5000))))
