;;! target = "x86_64"
;; Blocks, loops, br_if, br_table with results, and a direct recursive call.
(module
  (func $fac (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func $sum (param $n i32) (result i32) (local $acc i32)
    (block $done
      (loop $top
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $top)))
    (local.get $acc))
  (func $switch (param i32) (result i32)
    (block $b2 (result i32)
      (block $b1 (result i32)
        (block $b0 (result i32)
          (i32.const 100)
          (br_table $b0 $b1 $b2 (local.get 0)))
        (return (i32.const 0)))
      (return (i32.const 1))))
)

;; ==== fac ====
;; function u0:0(i64) -> i64 tail {
;;     sig0 = (i64) -> i64 tail
;;     fn0 = colocated u0:21 sig0
;;
;; block0(v0: i64):
;;     v2 = iconst.i64 0
;;     v3 = icmp eq v0, v2  ; v2 = 0
;;     v4 = uextend.i32 v3
;;     brif v4, block2, block3
;;
;; block2:
;;     v6 = iconst.i64 1
;;     jump block4(v6)  ; v6 = 1
;;
;; block3:
;;     v7 = iconst.i64 1
;;     v8 = isub.i64 v0, v7  ; v7 = 1
;;     v9 = call fn0(v8)
;;     v10 = imul.i64 v0, v9
;;     jump block4(v10)
;;
;; block4(v5: i64):
;;     jump block1(v5)
;;
;; block1(v1: i64):
;;     return v1
;; }
;; ==== sum ====
;; function u0:0(i32) -> i32 tail {
;; block0(v0: i32):
;;     v1 = iconst.i32 0
;;     jump block3(v0, v1)  ; v1 = 0
;;
;; block3(v3: i32, v7: i32):
;;     v4 = iconst.i32 0
;;     v5 = icmp eq v3, v4  ; v4 = 0
;;     v6 = uextend.i32 v5
;;     brif v6, block2(v7), block5
;;
;; block5:
;;     v8 = iadd.i32 v7, v3
;;     v9 = iconst.i32 1
;;     v10 = isub.i32 v3, v9  ; v9 = 1
;;     jump block3(v10, v8)
;;
;; block4:
;;     v13 = iconst.i32 0
;;     v12 -> v13
;;     jump block2(v13)  ; v13 = 0
;;
;; block2(v11: i32):
;;     jump block1(v11)
;;
;; block1(v2: i32):
;;     return v2
;; }
;; ==== switch ====
;; function u0:0(i32) -> i32 tail {
;; block0(v0: i32):
;;     v5 = iconst.i32 100
;;     br_table v0, block7, [block5, block6]
;;
;; block5:
;;     jump block4(v5)  ; v5 = 100
;;
;; block6:
;;     jump block3(v5)  ; v5 = 100
;;
;; block7:
;;     jump block2(v5)  ; v5 = 100
;;
;; block4(v4: i32):
;;     v6 = iconst.i32 0
;;     return v6  ; v6 = 0
;;
;; block3(v3: i32):
;;     v7 = iconst.i32 1
;;     return v7  ; v7 = 1
;;
;; block2(v2: i32):
;;     jump block1(v2)
;;
;; block1(v1: i32):
;;     return v1
;; }
