;; Calls of the compiler runtime's 128-bit multiply (`__multi3`, what LLVM emits for every
;; u128/i128 multiply and u64::checked_mul) are done inline as a 64x64->128 multiply. Its
;; results must equal the callee's own (the same body under another name is not
;; recognised) for random operands with all four halves random, and for edge cases.
(module
  (memory 1)
  (global $sp (mut i32) (i32.const 4096))
  (func $__multi3 (param i32 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64)
    (i64.store (local.get 0)
      (local.tee 10 (i64.add
        (local.tee 7 (i64.mul
          (local.tee 5 (i64.and (local.get 3) (i64.const 0xffffffff)))
          (local.tee 6 (i64.and (local.get 1) (i64.const 0xffffffff)))))
        (i64.shl
          (local.tee 5 (i64.add
            (local.tee 6 (i64.mul (local.tee 8 (i64.shr_u (local.get 3) (i64.const 32))) (local.get 6)))
            (i64.mul (local.get 5) (local.tee 9 (i64.shr_u (local.get 1) (i64.const 32))))))
          (i64.const 32)))))
    (i64.store offset=8 (local.get 0)
      (i64.add
        (i64.add
          (i64.add
            (i64.mul (local.get 8) (local.get 9))
            (i64.or
              (i64.shl (i64.extend_i32_u (i64.lt_u (local.get 5) (local.get 6))) (i64.const 32))
              (i64.shr_u (local.get 5) (i64.const 32))))
          (i64.extend_i32_u (i64.lt_u (local.get 10) (local.get 7))))
        (i64.add
          (i64.mul (local.get 4) (local.get 1))
          (i64.mul (local.get 3) (local.get 2))))))
  ;; The same body, not recognised by name: the reference.
  (func $reference (param i32 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64)
    (i64.store (local.get 0)
      (local.tee 10 (i64.add
        (local.tee 7 (i64.mul
          (local.tee 5 (i64.and (local.get 3) (i64.const 0xffffffff)))
          (local.tee 6 (i64.and (local.get 1) (i64.const 0xffffffff)))))
        (i64.shl
          (local.tee 5 (i64.add
            (local.tee 6 (i64.mul (local.tee 8 (i64.shr_u (local.get 3) (i64.const 32))) (local.get 6)))
            (i64.mul (local.get 5) (local.tee 9 (i64.shr_u (local.get 1) (i64.const 32))))))
          (i64.const 32)))))
    (i64.store offset=8 (local.get 0)
      (i64.add
        (i64.add
          (i64.add
            (i64.mul (local.get 8) (local.get 9))
            (i64.or
              (i64.shl (i64.extend_i32_u (i64.lt_u (local.get 5) (local.get 6))) (i64.const 32))
              (i64.shr_u (local.get 5) (i64.const 32))))
          (i64.extend_i32_u (i64.lt_u (local.get 10) (local.get 7))))
        (i64.add
          (i64.mul (local.get 4) (local.get 1))
          (i64.mul (local.get 3) (local.get 2))))))
  (func $check (param i64 i64 i64 i64)
    (call $__multi3 (i32.const 16) (local.get 0) (local.get 1) (local.get 2) (local.get 3))
    (call $reference (i32.const 32) (local.get 0) (local.get 1) (local.get 2) (local.get 3))
    (if (i64.ne (i64.load (i32.const 16)) (i64.load (i32.const 32))) (then unreachable))
    (if (i64.ne (i64.load (i32.const 24)) (i64.load (i32.const 40))) (then unreachable)))
  (func $next (param i64) (result i64)
    (local.set 0 (i64.xor (local.get 0) (i64.shl (local.get 0) (i64.const 13))))
    (local.set 0 (i64.xor (local.get 0) (i64.shr_u (local.get 0) (i64.const 7))))
    (i64.xor (local.get 0) (i64.shl (local.get 0) (i64.const 17))))
  (func (export "_start")
    (local $x i64) (local $n i32)
    ;; (2^64-1)^2 = 2^128 - 2^65 + 1: low half 1, high half 2^64-2.
    (call $__multi3 (i32.const 64) (i64.const -1) (i64.const 0) (i64.const -1) (i64.const 0))
    (if (i64.ne (i64.load (i32.const 64)) (i64.const 1)) (then unreachable))
    (if (i64.ne (i64.load (i32.const 72)) (i64.const -2)) (then unreachable))
    ;; Wraps modulo 2^128: (2^127) * 2 = 0.
    (call $__multi3 (i32.const 64) (i64.const 0) (i64.const 0x8000000000000000) (i64.const 2) (i64.const 0))
    (if (i64.ne (i64.load (i32.const 64)) (i64.const 0)) (then unreachable))
    (if (i64.ne (i64.load (i32.const 72)) (i64.const 0)) (then unreachable))
    (call $check (i64.const 0) (i64.const 0) (i64.const -1) (i64.const -1))
    (call $check (i64.const 0xffffffff) (i64.const 0) (i64.const 0x100000000) (i64.const 0))
    (local.set $x (i64.const 0x9e3779b97f4a7c15))
    (loop $l
      (local.set $x (call $next (local.get $x)))
      (call $check
        (local.get $x)
        (call $next (i64.add (local.get $x) (i64.const 1)))
        (call $next (i64.add (local.get $x) (i64.const 2)))
        (select (i64.const 0) (call $next (i64.add (local.get $x) (i64.const 3)))
          (i32.and (local.get $n) (i32.const 1))))
      (br_if $l (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 5000))))))
