;;! target = "x86_64"
;; The wide-arithmetic proposal: 128-bit add/subtract of two (low, high) pairs as one i128
;; operation on the concatenated halves, and the full 64x64->128 products as imul plus
;; umulhi/smulhi. No calls, no memory.
(module
  (func $add (param i64 i64 i64 i64) (result i64 i64)
    (i64.add128 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func $sub (param i64 i64 i64 i64) (result i64 i64)
    (i64.sub128 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func $mul_u (param i64 i64) (result i64 i64)
    (i64.mul_wide_u (local.get 0) (local.get 1)))
  (func $mul_s (param i64 i64) (result i64 i64)
    (i64.mul_wide_s (local.get 0) (local.get 1)))
)

;; ==== add ====
;; function u0:0(i64, i64, i64, i64) -> i64, i64 tail {
;; block0(v0: i64, v1: i64, v2: i64, v3: i64):
;;     v6 = iconcat v0, v1
;;     v7 = iconcat v2, v3
;;     v8 = iadd v6, v7
;;     v9, v10 = isplit v8
;;     jump block1(v9, v10)
;;
;; block1(v4: i64, v5: i64):
;;     return v4, v5
;; }
;; ==== sub ====
;; function u0:0(i64, i64, i64, i64) -> i64, i64 tail {
;; block0(v0: i64, v1: i64, v2: i64, v3: i64):
;;     v6 = iconcat v0, v1
;;     v7 = iconcat v2, v3
;;     v8 = isub v6, v7
;;     v9, v10 = isplit v8
;;     jump block1(v9, v10)
;;
;; block1(v4: i64, v5: i64):
;;     return v4, v5
;; }
;; ==== mul_u ====
;; function u0:0(i64, i64) -> i64, i64 tail {
;; block0(v0: i64, v1: i64):
;;     v4 = imul v0, v1
;;     v5 = umulhi v0, v1
;;     jump block1(v4, v5)
;;
;; block1(v2: i64, v3: i64):
;;     return v2, v3
;; }
;; ==== mul_s ====
;; function u0:0(i64, i64) -> i64, i64 tail {
;; block0(v0: i64, v1: i64):
;;     v4 = imul v0, v1
;;     v5 = smulhi v0, v1
;;     jump block1(v4, v5)
;;
;; block1(v2: i64, v3: i64):
;;     return v2, v3
;; }
