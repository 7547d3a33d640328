;; Loops unrolled over f64 lanes (the shape LLVM gives a loop it cannot vectorise) are
;; grouped into f64x2 operations in command mode, four f32 lanes into f32x4 and two into the
;; low half of one. Each kernel runs on arrays that do not overlap (the grouped code runs),
;; that overlap by one lane or are the same array (the check before the loop decides), and
;; the results are compared bit for bit with a loop that does one element per iteration,
;; which is never grouped.
(module
  (memory 5)
  (global $seed (mut i64) (i64.const 42))

  ;; Deterministic values, some negative, zeros of both signs, infinities and NaN.
  (func $next (result f64)
    (local $x i64)
    (global.set $seed (i64.add (i64.mul (global.get $seed) (i64.const 6364136223846793005))
                               (i64.const 1442695040888963407)))
    (local.set $x (i64.shr_u (global.get $seed) (i64.const 40)))
    (if (i64.eq (i64.rem_u (local.get $x) (i64.const 17)) (i64.const 0))
      (then (return (f64.const nan))))
    (if (i64.eq (i64.rem_u (local.get $x) (i64.const 13)) (i64.const 0))
      (then (return (f64.const -0.0))))
    (if (i64.eq (i64.rem_u (local.get $x) (i64.const 19)) (i64.const 0))
      (then (return (f64.const -inf))))
    (f64.sub (f64.convert_i64_u (local.get $x)) (f64.const 8388608.5)))

  (func $fill (param $p i32) (param $n i32)
    (loop $l
      (f64.store (local.get $p) (call $next))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; Copies $n f64 from $src to $dst (front to back).
  (func $copy (param $dst i32) (param $src i32) (param $n i32)
    (loop $l
      (f64.store (local.get $dst) (f64.load (local.get $src)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
      (local.set $src (i32.add (local.get $src) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; Traps unless $n f64 at $a and $b are equal bit for bit (any NaN equals any NaN).
  (func $same (param $a i32) (param $b i32) (param $n i32)
    (local $x f64) (local $y f64)
    (loop $l
      (local.set $x (f64.load (local.get $a)))
      (local.set $y (f64.load (local.get $b)))
      (if (i32.eqz (i32.or (i32.and (f64.ne (local.get $x) (local.get $x))
                                    (f64.ne (local.get $y) (local.get $y)))
                           (i64.eq (i64.reinterpret_f64 (local.get $x))
                                   (i64.reinterpret_f64 (local.get $y)))))
        (then unreachable))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; out[j] += a * row[j], two lanes per iteration (matmul's inner loop): lane 1 through an
  ;; i32 add of 8, like LLVM's output.
  (func $axpy2 (param $out i32) (param $row i32) (param $a f64) (param $pairs i32)
    (local $o1 i32)
    (loop $l
      (f64.store (local.get $out)
        (f64.add (f64.load (local.get $out)) (f64.mul (local.get $a) (f64.load (local.get $row)))))
      (f64.store (local.tee $o1 (i32.add (local.get $out) (i32.const 8)))
        (f64.add (f64.load (local.get $o1))
                 (f64.mul (local.get $a) (f64.load (i32.add (local.get $row) (i32.const 8))))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (local.set $row (i32.add (local.get $row) (i32.const 16)))
      (br_if $l (local.tee $pairs (i32.sub (local.get $pairs) (i32.const 1))))))

  (func $axpy1 (param $out i32) (param $row i32) (param $a f64) (param $n i32)
    (loop $l
      (f64.store (local.get $out)
        (f64.add (f64.load (local.get $out)) (f64.mul (local.get $a) (f64.load (local.get $row)))))
      (local.set $out (i32.add (local.get $out) (i32.const 8)))
      (local.set $row (i32.add (local.get $row) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; dst[j] = (x[j] - y[j]) * 0.5 - sqrt|x[j]| / -y[j]: lane 1 through offset=8, lane 1's
  ;; store written first.
  (func $mix2 (param $dst i32) (param $x i32) (param $y i32) (param $pairs i32)
    (loop $l
      (f64.store offset=8 (local.get $dst)
        (f64.sub
          (f64.mul (f64.sub (f64.load offset=8 (local.get $x)) (f64.load offset=8 (local.get $y)))
                   (f64.const 0.5))
          (f64.div (f64.sqrt (f64.abs (f64.load offset=8 (local.get $x))))
                   (f64.neg (f64.load offset=8 (local.get $y))))))
      (f64.store (local.get $dst)
        (f64.sub
          (f64.mul (f64.sub (f64.load (local.get $x)) (f64.load (local.get $y)))
                   (f64.const 0.5))
          (f64.div (f64.sqrt (f64.abs (f64.load (local.get $x))))
                   (f64.neg (f64.load (local.get $y))))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (br_if $l (local.tee $pairs (i32.sub (local.get $pairs) (i32.const 1))))))

  ;; The same, one element per iteration, in mix2's order: 1, 0, 3, 2, ...
  (func $mix1 (param $dst i32) (param $x i32) (param $y i32) (param $n i32)
    (local $k i32) (local $at i32)
    (loop $l
      (local.set $at (i32.shl (i32.xor (local.get $k) (i32.const 1)) (i32.const 3)))
      (f64.store (i32.add (local.get $dst) (local.get $at))
        (f64.sub
          (f64.mul (f64.sub (f64.load (i32.add (local.get $x) (local.get $at)))
                            (f64.load (i32.add (local.get $y) (local.get $at))))
                   (f64.const 0.5))
          (f64.div (f64.sqrt (f64.abs (f64.load (i32.add (local.get $x) (local.get $at)))))
                   (f64.neg (f64.load (i32.add (local.get $y) (local.get $at)))))))
      (br_if $l (i32.ne (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n)))))

;; dst[i] = src[i] * 3 + 1, four lanes per iteration (two pairs), addressed as base +
  ;; counter like LLVM's output for raw pointers.
  (func $lin4 (param $dst i32) (param $src i32) (param $bytes i32)
    (local $i i32) (local $d i32) (local $s i32)
    (loop $l
      (f64.store (local.tee $d (i32.add (local.get $dst) (local.get $i)))
        (f64.add (f64.mul (f64.load (local.tee $s (i32.add (local.get $src) (local.get $i))))
                          (f64.const 3)) (f64.const 1)))
      (f64.store (i32.add (local.get $d) (i32.const 8))
        (f64.add (f64.mul (f64.load (i32.add (local.get $s) (i32.const 8)))
                          (f64.const 3)) (f64.const 1)))
      (f64.store (i32.add (local.get $d) (i32.const 16))
        (f64.add (f64.mul (f64.load (i32.add (local.get $s) (i32.const 16)))
                          (f64.const 3)) (f64.const 1)))
      (f64.store (i32.add (local.get $d) (i32.const 24))
        (f64.add (f64.mul (f64.load (i32.add (local.get $s) (i32.const 24)))
                          (f64.const 3)) (f64.const 1)))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 32)))
                        (local.get $bytes)))))

  (func $lin1 (param $dst i32) (param $src i32) (param $n i32)
    (loop $l
      (f64.store (local.get $dst)
        (f64.add (f64.mul (f64.load (local.get $src)) (f64.const 3)) (f64.const 1)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
      (local.set $src (i32.add (local.get $src) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  (func $check_lin (param $shift i32)
    (call $fill (i32.const 8128) (i32.const 216))
    (call $copy (i32.const 24000) (i32.const 8128) (i32.const 216))
    (call $lin4 (i32.add (i32.const 8192) (local.get $shift)) (i32.const 8192) (i32.const 1024))
    (call $copy (i32.const 40000) (i32.const 8128) (i32.const 216))
    (call $copy (i32.const 8128) (i32.const 24000) (i32.const 216))
    (call $lin1 (i32.add (i32.const 8192) (local.get $shift)) (i32.const 8192) (i32.const 128))
    (call $same (i32.const 8128) (i32.const 40000) (i32.const 216)))

  ;; Runs axpy2 and axpy1 on the same inputs, with out at row + $shift bytes.
  (func $check_axpy (param $shift i32)
    (local $row i32) (local $out i32)
    (local.set $row (i32.const 8192))
    (local.set $out (i32.add (local.get $row) (local.get $shift)))
    ;; Both copies start from the same bytes: [row - 64, row + 1664).
    (call $fill (i32.const 8128) (i32.const 216))
    (call $copy (i32.const 24000) (i32.const 8128) (i32.const 216))
    (call $axpy2 (local.get $out) (local.get $row) (f64.const 1.25) (i32.const 64))
    (call $copy (i32.const 40000) (i32.const 8128) (i32.const 216))
    (call $copy (i32.const 8128) (i32.const 24000) (i32.const 216))
    (call $axpy1 (local.get $out) (local.get $row) (f64.const 1.25) (i32.const 128))
    (call $same (i32.const 8128) (i32.const 40000) (i32.const 216)))

  ;; Runs mix2 and mix1 on the same inputs (x at 16384, y at 17408, 100 elements each);
  ;; compares everything from x to the end of dst at 19000.
  (func $check_mix (param $dst i32)
    (call $fill (i32.const 16384) (i32.const 430))
    (call $copy (i32.const 32768) (i32.const 16384) (i32.const 430))
    (call $mix2 (local.get $dst) (i32.const 16384) (i32.const 17408) (i32.const 50))
    (call $copy (i32.const 48000) (i32.const 16384) (i32.const 430))
    (call $copy (i32.const 16384) (i32.const 32768) (i32.const 430))
    (call $mix1 (local.get $dst) (i32.const 16384) (i32.const 17408) (i32.const 100))
    (call $same (i32.const 16384) (i32.const 48000) (i32.const 430)))

  ;; Traps unless $n f32 at $a and $b are equal bit for bit (any NaN equals any NaN).
  (func $same32 (param $a i32) (param $b i32) (param $n i32)
    (local $x f32) (local $y f32)
    (loop $l
      (local.set $x (f32.load (local.get $a)))
      (local.set $y (f32.load (local.get $b)))
      (if (i32.eqz (i32.or (i32.and (f32.ne (local.get $x) (local.get $x))
                                    (f32.ne (local.get $y) (local.get $y)))
                           (i32.eq (i32.reinterpret_f32 (local.get $x))
                                   (i32.reinterpret_f32 (local.get $y)))))
        (then unreachable))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; a[i] = a[i] * 0.999 + b[i] * k in f32, two lanes per iteration (LLVM's output for a
  ;; Rust loop over f32 slices); lane 1 through an i32 add of 4.
  (func $saxpy2 (param $a i32) (param $b i32) (param $k f32) (param $pairs i32)
    (local $a1 i32)
    (loop $l
      (f32.store (local.get $a)
        (f32.add (f32.mul (f32.load (local.get $a)) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (local.get $b)))))
      (f32.store (local.tee $a1 (i32.add (local.get $a) (i32.const 4)))
        (f32.add (f32.mul (f32.load (local.get $a1)) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (i32.add (local.get $b) (i32.const 4))))))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (br_if $l (local.tee $pairs (i32.sub (local.get $pairs) (i32.const 1))))))

  (func $saxpy1 (param $a i32) (param $b i32) (param $k f32) (param $n i32)
    (loop $l
      (f32.store (local.get $a)
        (f32.add (f32.mul (f32.load (local.get $a)) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; saxpy with four lanes per iteration: one full f32x4 group.
  (func $saxpy4 (param $a i32) (param $b i32) (param $k f32) (param $iters i32)
    (loop $l
      (f32.store (local.get $a)
        (f32.add (f32.mul (f32.load (local.get $a)) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (local.get $b)))))
      (f32.store (i32.add (local.get $a) (i32.const 4))
        (f32.add (f32.mul (f32.load (i32.add (local.get $a) (i32.const 4))) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (i32.add (local.get $b) (i32.const 4))))))
      (f32.store (i32.add (local.get $a) (i32.const 8))
        (f32.add (f32.mul (f32.load (i32.add (local.get $a) (i32.const 8))) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (i32.add (local.get $b) (i32.const 8))))))
      (f32.store (i32.add (local.get $a) (i32.const 12))
        (f32.add (f32.mul (f32.load (i32.add (local.get $a) (i32.const 12))) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (i32.add (local.get $b) (i32.const 12))))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br_if $l (local.tee $iters (i32.sub (local.get $iters) (i32.const 1))))))

  ;; Six lanes per iteration: a group of four and one of two.
  (func $saxpy6 (param $a i32) (param $b i32) (param $k f32) (param $iters i32)
    (loop $l
      (f32.store (local.get $a)
        (f32.add (f32.mul (f32.load (local.get $a)) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (local.get $b)))))
      (f32.store (i32.add (local.get $a) (i32.const 4))
        (f32.add (f32.mul (f32.load (i32.add (local.get $a) (i32.const 4))) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (i32.add (local.get $b) (i32.const 4))))))
      (f32.store (i32.add (local.get $a) (i32.const 8))
        (f32.add (f32.mul (f32.load (i32.add (local.get $a) (i32.const 8))) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (i32.add (local.get $b) (i32.const 8))))))
      (f32.store (i32.add (local.get $a) (i32.const 12))
        (f32.add (f32.mul (f32.load (i32.add (local.get $a) (i32.const 12))) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (i32.add (local.get $b) (i32.const 12))))))
      (f32.store (i32.add (local.get $a) (i32.const 16))
        (f32.add (f32.mul (f32.load (i32.add (local.get $a) (i32.const 16))) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (i32.add (local.get $b) (i32.const 16))))))
      (f32.store (i32.add (local.get $a) (i32.const 20))
        (f32.add (f32.mul (f32.load (i32.add (local.get $a) (i32.const 20))) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (i32.add (local.get $b) (i32.const 20))))))
      (local.set $a (i32.add (local.get $a) (i32.const 24)))
      (local.set $b (i32.add (local.get $b) (i32.const 24)))
      (br_if $l (local.tee $iters (i32.sub (local.get $iters) (i32.const 1))))))

  ;; dst[i] = src[i] * 3 - dst[i] over four f32 lanes per iteration, addressed like LLVM's
  ;; output for static arrays: counter + a large constant (2^18 and 200000).
  (func $lin4k (param $bytes i32)
    (local $i i32)
    (loop $l
      (f32.store offset=0 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=0 (i32.add (local.get $i) (i32.const 200000)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 0)) (i32.const 262144)))))
      (f32.store offset=4 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=4 (i32.add (local.get $i) (i32.const 200000)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 4)) (i32.const 262144)))))
      (f32.store offset=8 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=8 (i32.add (local.get $i) (i32.const 200000)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 8)) (i32.const 262144)))))
      (f32.store offset=12 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=12 (i32.add (local.get $i) (i32.const 200000)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 12)) (i32.const 262144)))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 16)))
                        (local.get $bytes)))))

  ;; The same with src one lane below dst: lane 1 reads what lane 0 stored, so the lanes
  ;; must not be grouped (decided from the constants alone).
  (func $lin4k_back (param $bytes i32)
    (local $i i32)
    (loop $l
      (f32.store offset=0 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=0 (i32.add (local.get $i) (i32.const 262140)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 0)) (i32.const 262144)))))
      (f32.store offset=4 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=4 (i32.add (local.get $i) (i32.const 262140)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 4)) (i32.const 262144)))))
      (f32.store offset=8 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=8 (i32.add (local.get $i) (i32.const 262140)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 8)) (i32.const 262144)))))
      (f32.store offset=12 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=12 (i32.add (local.get $i) (i32.const 262140)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 12)) (i32.const 262144)))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 16)))
                        (local.get $bytes)))))

  ;; One element per iteration of lin4k ($src = 200000 or 262140), never grouped.
  (func $lin1k (param $src i32) (param $n i32)
    (local $d i32)
    (local.set $d (i32.const 262144))
    (loop $l
      (f32.store (local.get $d)
        (f32.sub (f32.mul (f32.load (local.get $src)) (f32.const 3)) (f32.load (local.get $d))))
      (local.set $d (i32.add (local.get $d) (i32.const 4)))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; Runs lin4k (or lin4k_back when $back) and lin1k over 256 f32 on the same bytes.
  (func $check_lin4k (param $back i32)
    (call $fill (i32.const 200000) (i32.const 128))
    (call $fill (i32.const 262136) (i32.const 130))
    (call $copy (i32.const 100000) (i32.const 200000) (i32.const 128))
    (call $copy (i32.const 110000) (i32.const 262136) (i32.const 130))
    (if (local.get $back)
      (then (call $lin4k_back (i32.const 1024)))
      (else (call $lin4k (i32.const 1024))))
    (call $copy (i32.const 120000) (i32.const 262136) (i32.const 130))
    (call $copy (i32.const 262136) (i32.const 110000) (i32.const 130))
    (call $copy (i32.const 200000) (i32.const 100000) (i32.const 128))
    (call $lin1k (select (i32.const 262140) (i32.const 200000) (local.get $back)) (i32.const 256))
    (call $same32 (i32.const 262136) (i32.const 120000) (i32.const 260)))

  ;; Runs the $width-lane saxpy (2, 4 or 6) and saxpy1 over 120 f32 on the same bytes, with
  ;; a at b + $shift bytes.
  (func $check_saxpy (param $shift i32) (param $width i32)
    (local $a i32)
    (local.set $a (i32.add (i32.const 8192) (local.get $shift)))
    (call $fill (i32.const 8128) (i32.const 216))
    (call $copy (i32.const 24000) (i32.const 8128) (i32.const 216))
    (if (i32.eq (local.get $width) (i32.const 2))
      (then (call $saxpy2 (local.get $a) (i32.const 8192) (f32.const -1.5) (i32.const 60))))
    (if (i32.eq (local.get $width) (i32.const 4))
      (then (call $saxpy4 (local.get $a) (i32.const 8192) (f32.const -1.5) (i32.const 30))))
    (if (i32.eq (local.get $width) (i32.const 6))
      (then (call $saxpy6 (local.get $a) (i32.const 8192) (f32.const -1.5) (i32.const 20))))
    (call $copy (i32.const 40000) (i32.const 8128) (i32.const 216))
    (call $copy (i32.const 8128) (i32.const 24000) (i32.const 216))
    (call $saxpy1 (local.get $a) (i32.const 8192) (f32.const -1.5) (i32.const 120))
    (call $same32 (i32.const 8128) (i32.const 40000) (i32.const 432)))

  (func $check_saxpy_all (param $width i32)
    ;; Disjoint, the same array, one lane either way, two lanes, part of a lane, a vector.
    (call $check_saxpy (i32.const 1024) (local.get $width))
    (call $check_saxpy (i32.const 0) (local.get $width))
    (call $check_saxpy (i32.const 4) (local.get $width))
    (call $check_saxpy (i32.const -4) (local.get $width))
    (call $check_saxpy (i32.const 8) (local.get $width))
    (call $check_saxpy (i32.const 2) (local.get $width))
    (call $check_saxpy (i32.const -6) (local.get $width))
    (call $check_saxpy (i32.const 12) (local.get $width))
    (call $check_saxpy (i32.const -16) (local.get $width)))

  (func (export "_start")
    ;; f32 lanes: two, four (a full vector) and six (four and two) per iteration.
    (call $check_saxpy_all (i32.const 2))
    (call $check_saxpy_all (i32.const 4))
    (call $check_saxpy_all (i32.const 6))
    (call $check_lin4k (i32.const 0))
    (call $check_lin4k (i32.const 1))
    ;; Disjoint, the same array, and out overlapping row by one lane either way or by part
    ;; of one (unaligned).
    (call $check_axpy (i32.const 1024))
    (call $check_axpy (i32.const 0))
    (call $check_axpy (i32.const 8))
    (call $check_axpy (i32.const -8))
    (call $check_axpy (i32.const 4))
    (call $check_axpy (i32.const 12))
    (call $check_axpy (i32.const 16))
    (call $check_lin (i32.const 1024))
    (call $check_lin (i32.const 0))
    (call $check_lin (i32.const 8))
    (call $check_lin (i32.const 16))
    (call $check_lin (i32.const 24))
    (call $check_lin (i32.const -8))
    (call $check_lin (i32.const -24))
    (call $check_lin (i32.const 36))
    ;; dst apart from both inputs, dst on x, and dst one lane into y.
    (call $check_mix (i32.const 19000))
    (call $check_mix (i32.const 16384))
    (call $check_mix (i32.const 17416))))
