;; Calls of the compiler runtime's 128-bit division and shifts (`__udivti3`, `__umodti3`,
;; `__divti3`, `__modti3`, `__ashlti3`, `__lshrti3`, `__ashrti3`: what LLVM emits for u128/i128
;; `/`, `%` and variable shifts) are done inline: a 64-bit division when both operands fit
;; in 64 bits, the runtime's native 128-bit division otherwise, one i128 shift. Their
;; results must equal a reference (bit-by-bit long division, shifts by cases) under names
;; that are not recognised, for random operands of every shape (both narrow, a 128/64
;; division, wide divisors of random magnitude, negative values) and for edge cases.
(module
  (memory 1)
  (global $q_lo (mut i64) (i64.const 0))
  (global $q_hi (mut i64) (i64.const 0))
  (global $r_lo (mut i64) (i64.const 0))
  (global $r_hi (mut i64) (i64.const 0))

  ;; Unsigned a / b and a % b, one bit at a time; b != 0.
  (func $udivmod (param $a_lo i64) (param $a_hi i64) (param $b_lo i64) (param $b_hi i64)
    (local $i i32) (local $carry i32) (local $bit i64)
    (local $r_lo i64) (local $r_hi i64) (local $q_lo i64) (local $q_hi i64)
    (local.set $i (i32.const 127))
    (loop $l
      (local.set $bit
        (if (result i64) (i32.ge_u (local.get $i) (i32.const 64))
          (then (i64.and (i64.shr_u (local.get $a_hi)
            (i64.extend_i32_u (i32.sub (local.get $i) (i32.const 64)))) (i64.const 1)))
          (else (i64.and (i64.shr_u (local.get $a_lo) (i64.extend_i32_u (local.get $i)))
            (i64.const 1)))))
      ;; r = r << 1 | bit, remembering the bit shifted out (r < b, so r << 1 < 2^129).
      (local.set $carry (i32.wrap_i64 (i64.shr_u (local.get $r_hi) (i64.const 63))))
      (local.set $r_hi (i64.or (i64.shl (local.get $r_hi) (i64.const 1))
        (i64.shr_u (local.get $r_lo) (i64.const 63))))
      (local.set $r_lo (i64.or (i64.shl (local.get $r_lo) (i64.const 1)) (local.get $bit)))
      (local.set $q_hi (i64.or (i64.shl (local.get $q_hi) (i64.const 1))
        (i64.shr_u (local.get $q_lo) (i64.const 63))))
      (local.set $q_lo (i64.shl (local.get $q_lo) (i64.const 1)))
      (if (i32.or (local.get $carry)
            (i32.or (i64.gt_u (local.get $r_hi) (local.get $b_hi))
              (i32.and (i64.eq (local.get $r_hi) (local.get $b_hi))
                (i64.ge_u (local.get $r_lo) (local.get $b_lo)))))
        (then
          (local.set $r_hi (i64.sub (i64.sub (local.get $r_hi) (local.get $b_hi))
            (i64.extend_i32_u (i64.lt_u (local.get $r_lo) (local.get $b_lo)))))
          (local.set $r_lo (i64.sub (local.get $r_lo) (local.get $b_lo)))
          (local.set $q_lo (i64.or (local.get $q_lo) (i64.const 1)))))
      (br_if $l (i32.ge_s (local.tee $i (i32.sub (local.get $i) (i32.const 1))) (i32.const 0))))
    (global.set $q_lo (local.get $q_lo))
    (global.set $q_hi (local.get $q_hi))
    (global.set $r_lo (local.get $r_lo))
    (global.set $r_hi (local.get $r_hi)))

  ;; Signed: the quotient truncates toward zero, the remainder has the dividend's sign,
  ;; MIN / -1 wraps to MIN.
  (func $sdivmod (param $a_lo i64) (param $a_hi i64) (param $b_lo i64) (param $b_hi i64)
    (local $neg_a i32) (local $neg_b i32)
    (local.set $neg_a (i64.lt_s (local.get $a_hi) (i64.const 0)))
    (local.set $neg_b (i64.lt_s (local.get $b_hi) (i64.const 0)))
    (if (local.get $neg_a) (then
      (local.set $a_hi (i64.sub (i64.sub (i64.const 0) (local.get $a_hi))
        (i64.extend_i32_u (i64.ne (local.get $a_lo) (i64.const 0)))))
      (local.set $a_lo (i64.sub (i64.const 0) (local.get $a_lo)))))
    (if (local.get $neg_b) (then
      (local.set $b_hi (i64.sub (i64.sub (i64.const 0) (local.get $b_hi))
        (i64.extend_i32_u (i64.ne (local.get $b_lo) (i64.const 0)))))
      (local.set $b_lo (i64.sub (i64.const 0) (local.get $b_lo)))))
    (call $udivmod (local.get $a_lo) (local.get $a_hi) (local.get $b_lo) (local.get $b_hi))
    (if (i32.ne (local.get $neg_a) (local.get $neg_b)) (then
      (global.set $q_hi (i64.sub (i64.sub (i64.const 0) (global.get $q_hi))
        (i64.extend_i32_u (i64.ne (global.get $q_lo) (i64.const 0)))))
      (global.set $q_lo (i64.sub (i64.const 0) (global.get $q_lo)))))
    (if (local.get $neg_a) (then
      (global.set $r_hi (i64.sub (i64.sub (i64.const 0) (global.get $r_hi))
        (i64.extend_i32_u (i64.ne (global.get $r_lo) (i64.const 0)))))
      (global.set $r_lo (i64.sub (i64.const 0) (global.get $r_lo))))))

  ;; Shifts by 0..127, by cases.
  (func $shl (param $lo i64) (param $hi i64) (param $n i32)
    (local $k i64)
    (local.set $k (i64.extend_i32_u (local.get $n)))
    (if (i64.eqz (local.get $k)) (then
      (global.set $q_lo (local.get $lo)) (global.set $q_hi (local.get $hi)) (return)))
    (if (i64.lt_u (local.get $k) (i64.const 64))
      (then
        (global.set $q_hi (i64.or (i64.shl (local.get $hi) (local.get $k))
          (i64.shr_u (local.get $lo) (i64.sub (i64.const 64) (local.get $k)))))
        (global.set $q_lo (i64.shl (local.get $lo) (local.get $k))))
      (else
        (global.set $q_hi (i64.shl (local.get $lo) (i64.sub (local.get $k) (i64.const 64))))
        (global.set $q_lo (i64.const 0)))))
  (func $shr (param $lo i64) (param $hi i64) (param $n i32) (param $signed i32)
    (local $k i64) (local $fill i64)
    (local.set $k (i64.extend_i32_u (local.get $n)))
    (local.set $fill (select (i64.shr_s (local.get $hi) (i64.const 63)) (i64.const 0)
      (local.get $signed)))
    (if (i64.eqz (local.get $k)) (then
      (global.set $q_lo (local.get $lo)) (global.set $q_hi (local.get $hi)) (return)))
    (if (i64.lt_u (local.get $k) (i64.const 64))
      (then
        (global.set $q_lo (i64.or (i64.shr_u (local.get $lo) (local.get $k))
          (i64.shl (local.get $hi) (i64.sub (i64.const 64) (local.get $k)))))
        (global.set $q_hi (select (i64.shr_s (local.get $hi) (local.get $k))
          (i64.shr_u (local.get $hi) (local.get $k)) (local.get $signed))))
      (else
        (global.set $q_lo (select (i64.shr_s (local.get $hi) (i64.sub (local.get $k) (i64.const 64)))
          (i64.shr_u (local.get $hi) (i64.sub (local.get $k) (i64.const 64))) (local.get $signed)))
        (global.set $q_hi (local.get $fill)))))

  ;; The compiler runtime's functions, recognised by name: their bodies are the reference's,
  ;; so a call that stayed a call would still pass; tests/disas/int128.wat shows it does not.
  (func $__udivti3 (param i32 i64 i64 i64 i64)
    (call $udivmod (local.get 1) (local.get 2) (local.get 3) (local.get 4))
    (i64.store (local.get 0) (global.get $q_lo))
    (i64.store offset=8 (local.get 0) (global.get $q_hi)))
  (func $__umodti3 (param i32 i64 i64 i64 i64)
    (call $udivmod (local.get 1) (local.get 2) (local.get 3) (local.get 4))
    (i64.store (local.get 0) (global.get $r_lo))
    (i64.store offset=8 (local.get 0) (global.get $r_hi)))
  (func $__divti3 (param i32 i64 i64 i64 i64)
    (call $sdivmod (local.get 1) (local.get 2) (local.get 3) (local.get 4))
    (i64.store (local.get 0) (global.get $q_lo))
    (i64.store offset=8 (local.get 0) (global.get $q_hi)))
  (func $__modti3 (param i32 i64 i64 i64 i64)
    (call $sdivmod (local.get 1) (local.get 2) (local.get 3) (local.get 4))
    (i64.store (local.get 0) (global.get $r_lo))
    (i64.store offset=8 (local.get 0) (global.get $r_hi)))
  (func $__ashlti3 (param i32 i64 i64 i32)
    (call $shl (local.get 1) (local.get 2) (local.get 3))
    (i64.store (local.get 0) (global.get $q_lo))
    (i64.store offset=8 (local.get 0) (global.get $q_hi)))
  (func $__lshrti3 (param i32 i64 i64 i32)
    (call $shr (local.get 1) (local.get 2) (local.get 3) (i32.const 0))
    (i64.store (local.get 0) (global.get $q_lo))
    (i64.store offset=8 (local.get 0) (global.get $q_hi)))
  (func $__ashrti3 (param i32 i64 i64 i32)
    (call $shr (local.get 1) (local.get 2) (local.get 3) (i32.const 1))
    (i64.store (local.get 0) (global.get $q_lo))
    (i64.store offset=8 (local.get 0) (global.get $q_hi)))

  ;; Traps unless the 128-bit value at 16 is q.
  (func $expect_q
    (if (i64.ne (i64.load (i32.const 16)) (global.get $q_lo)) (then unreachable))
    (if (i64.ne (i64.load (i32.const 24)) (global.get $q_hi)) (then unreachable)))
  (func $expect_r
    (if (i64.ne (i64.load (i32.const 16)) (global.get $r_lo)) (then unreachable))
    (if (i64.ne (i64.load (i32.const 24)) (global.get $r_hi)) (then unreachable)))

  (func $check_div (param i64 i64 i64 i64)
    (if (i64.eqz (i64.or (local.get 2) (local.get 3))) (then (return)))
    (call $__udivti3 (i32.const 16) (local.get 0) (local.get 1) (local.get 2) (local.get 3))
    (call $udivmod (local.get 0) (local.get 1) (local.get 2) (local.get 3))
    (call $expect_q)
    (call $__umodti3 (i32.const 16) (local.get 0) (local.get 1) (local.get 2) (local.get 3))
    (call $expect_r)
    (call $__divti3 (i32.const 16) (local.get 0) (local.get 1) (local.get 2) (local.get 3))
    (call $sdivmod (local.get 0) (local.get 1) (local.get 2) (local.get 3))
    (call $expect_q)
    (call $__modti3 (i32.const 16) (local.get 0) (local.get 1) (local.get 2) (local.get 3))
    (call $expect_r))

  (func $check_shift (param i64 i64 i32)
    (call $__ashlti3 (i32.const 16) (local.get 0) (local.get 1) (local.get 2))
    (call $shl (local.get 0) (local.get 1) (local.get 2))
    (call $expect_q)
    (call $__lshrti3 (i32.const 16) (local.get 0) (local.get 1) (local.get 2))
    (call $shr (local.get 0) (local.get 1) (local.get 2) (i32.const 0))
    (call $expect_q)
    (call $__ashrti3 (i32.const 16) (local.get 0) (local.get 1) (local.get 2))
    (call $shr (local.get 0) (local.get 1) (local.get 2) (i32.const 1))
    (call $expect_q))

  (func $next (param i64) (result i64)
    (local.set 0 (i64.xor (local.get 0) (i64.shl (local.get 0) (i64.const 13))))
    (local.set 0 (i64.xor (local.get 0) (i64.shr_u (local.get 0) (i64.const 7))))
    (i64.xor (local.get 0) (i64.shl (local.get 0) (i64.const 17))))

  (func (export "_start")
    (local $x i64) (local $n i32) (local $a_lo i64) (local $a_hi i64) (local $b_lo i64)
    (local $b_hi i64)
    ;; Known values: (2^128 - 1) / 3 = 0x5555...5, remainder 0.
    (call $__udivti3 (i32.const 16) (i64.const -1) (i64.const -1) (i64.const 3) (i64.const 0))
    (if (i64.ne (i64.load (i32.const 16)) (i64.const 0x5555555555555555)) (then unreachable))
    (if (i64.ne (i64.load (i32.const 24)) (i64.const 0x5555555555555555)) (then unreachable))
    ;; i128::MIN / -1 wraps to MIN; i128::MIN % -1 is 0.
    (call $__divti3 (i32.const 16) (i64.const 0) (i64.const 0x8000000000000000) (i64.const -1) (i64.const -1))
    (if (i64.ne (i64.load (i32.const 16)) (i64.const 0)) (then unreachable))
    (if (i64.ne (i64.load (i32.const 24)) (i64.const 0x8000000000000000)) (then unreachable))
    (call $__modti3 (i32.const 16) (i64.const 0) (i64.const 0x8000000000000000) (i64.const -1) (i64.const -1))
    (if (i64.ne (i64.or (i64.load (i32.const 16)) (i64.load (i32.const 24))) (i64.const 0)) (then unreachable))
    ;; -7 / 2 = -3 rem -1 (truncation toward zero), on the narrow-looking path too.
    (call $__divti3 (i32.const 16) (i64.const -7) (i64.const -1) (i64.const 2) (i64.const 0))
    (if (i64.ne (i64.load (i32.const 16)) (i64.const -3)) (then unreachable))
    (if (i64.ne (i64.load (i32.const 24)) (i64.const -1)) (then unreachable))
    (call $__modti3 (i32.const 16) (i64.const -7) (i64.const -1) (i64.const 2) (i64.const 0))
    (if (i64.ne (i64.load (i32.const 16)) (i64.const -1)) (then unreachable))
    (if (i64.ne (i64.load (i32.const 24)) (i64.const -1)) (then unreachable))
    ;; 128-bit shifts: 1 << 127, and an arithmetic shift right of it by 127 is -1.
    (call $__ashlti3 (i32.const 16) (i64.const 1) (i64.const 0) (i32.const 127))
    (if (i64.ne (i64.load (i32.const 24)) (i64.const 0x8000000000000000)) (then unreachable))
    (call $__ashrti3 (i32.const 16) (i64.const 0) (i64.const 0x8000000000000000) (i32.const 127))
    (if (i64.ne (i64.and (i64.load (i32.const 16)) (i64.load (i32.const 24))) (i64.const -1)) (then unreachable))
    ;; Edge cases through the reference.
    (call $check_div (i64.const -1) (i64.const -1) (i64.const 1) (i64.const 0))
    (call $check_div (i64.const -1) (i64.const -1) (i64.const -1) (i64.const -1))
    (call $check_div (i64.const 5) (i64.const 0) (i64.const 7) (i64.const 0))
    (call $check_div (i64.const 0) (i64.const 1) (i64.const 0) (i64.const 1))
    (call $check_div (i64.const 123) (i64.const 0) (i64.const 0) (i64.const 1))
    (call $check_div (i64.const -1) (i64.const 0) (i64.const -1) (i64.const 0))
    (call $check_div (i64.const 0) (i64.const 0x8000000000000000) (i64.const 1) (i64.const 0x8000000000000000))
    (call $check_div (i64.const 0x8000000000000000) (i64.const 0) (i64.const -1) (i64.const 0))
    (local.set $x (i64.const 0x9e3779b97f4a7c15))
    (loop $l
      (local.set $a_lo (local.tee $x (call $next (local.get $x))))
      (local.set $a_hi (local.tee $x (call $next (local.get $x))))
      (local.set $b_lo (local.tee $x (call $next (local.get $x))))
      (local.set $b_hi (local.tee $x (call $next (local.get $x))))
      ;; Shapes by n mod 4: both narrow; a 128/64 division; a wide divisor of random
      ;; magnitude; all four halves random. Every eighth divisor is small.
      (block $shape
        (br_if $shape (i32.eq (i32.and (local.get $n) (i32.const 3)) (i32.const 3)))
        (if (i32.eq (i32.and (local.get $n) (i32.const 3)) (i32.const 2))
          (then
            (local.set $b_hi (i64.shr_u (local.get $b_hi) (i64.and (local.get $x) (i64.const 63))))
            (br $shape)))
        (local.set $b_hi (i64.const 0))
        (if (i32.eqz (i32.and (local.get $n) (i32.const 3)))
          (then (local.set $a_hi (i64.const 0)))))
      (if (i32.eq (i32.and (local.get $n) (i32.const 7)) (i32.const 1))
        (then (local.set $b_lo (i64.and (local.get $b_lo) (i64.const 15)))))
      (call $check_div (local.get $a_lo) (local.get $a_hi) (local.get $b_lo) (local.get $b_hi))
      (call $check_shift (local.get $a_lo) (local.get $a_hi)
        (i32.wrap_i64 (i64.and (local.get $b_lo) (i64.const 127))))
      (br_if $l (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 4000))))))
