;;! target = "x86_64"
;; Calls of the compiler runtime's 128-bit division become a zero-divisor trap, a 64-bit
;; division when both high halves are zero and the runtime's 128-bit division otherwise;
;; a variable 128-bit shift becomes one i128 shift. No call of the wasm functions remains.
(module
  (memory 1)
  (func $__udivti3 (param i32 i64 i64 i64 i64) unreachable)
  (func $__ashlti3 (param i32 i64 i64 i32) unreachable)
  (func $div (param i64 i64 i64 i64) (result i64)
    (call $__udivti3 (i32.const 16) (local.get 0) (local.get 1) (local.get 2) (local.get 3))
    (i64.load (i32.const 16)))
  (func $shl (param i64 i64 i32) (result i64)
    (call $__ashlti3 (i32.const 16) (local.get 0) (local.get 1) (local.get 2))
    (i64.load offset=8 (i32.const 16)))
)

;; ==== __udivti3 ====
;; function u0:0(i32, i64, i64, i64, i64) tail {
;; block0(v0: i32, v1: i64, v2: i64, v3: i64, v4: i64):
;;     trap user10
;;
;; block1:
;;     return
;; }
;; ==== __ashlti3 ====
;; function u0:0(i32, i64, i64, i32) tail {
;; block0(v0: i32, v1: i64, v2: i64, v3: i32):
;;     trap user10
;;
;; block1:
;;     return
;; }
;; ==== div ====
;; function u0:0(i64, i64, i64, i64) -> i64 tail {
;;     gv0 = symbol colocated userextname1
;;     sig0 = (i128, i128) -> i128 system_v
;;     fn0 = colocated u0:8 sig0
;;
;; block0(v0: i64, v1: i64, v2: i64, v3: i64):
;;     v5 = iconst.i32 16
;;     v6 = bor v2, v3
;;     trapz v6, int_divz
;;     v7 = bor v1, v3
;;     brif v7, block3, block2
;;
;; block2:
;;     v10 = udiv.i64 v0, v2
;;     v11 = iconst.i64 0
;;     jump block4(v10, v11)  ; v11 = 0
;;
;; block3:
;;     v12 = iconcat.i64 v0, v1
;;     v13 = iconcat.i64 v2, v3
;;     v14 = call fn0(v12, v13)
;;     v15, v16 = isplit v14
;;     jump block4(v15, v16)
;;
;; block4(v8: i64, v9: i64):
;;     v17 = symbol_value.i64 gv0
;;     v18 = load.i64 notrap aligned readonly can_move little v17
;;     v19 = uextend.i64 v5  ; v5 = 16
;;     v20 = iadd v18, v19
;;     store little v8, v20
;;     v21 = symbol_value.i64 gv0
;;     v22 = load.i64 notrap aligned readonly can_move little v21
;;     v23 = uextend.i64 v5  ; v5 = 16
;;     v24 = iadd v22, v23
;;     store little v9, v24+8
;;     v25 = iconst.i32 16
;;     v26 = symbol_value.i64 gv0
;;     v27 = load.i64 notrap aligned readonly can_move little v26
;;     v28 = uextend.i64 v25  ; v25 = 16
;;     v29 = iadd v27, v28
;;     v30 = load.i64 little v29
;;     jump block1(v30)
;;
;; block1(v4: i64):
;;     return v4
;; }
;; ==== shl ====
;; function u0:0(i64, i64, i32) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0(v0: i64, v1: i64, v2: i32):
;;     v4 = iconst.i32 16
;;     v5 = iconcat v0, v1
;;     v6 = ishl v5, v2
;;     v7, v8 = isplit v6
;;     v9 = symbol_value.i64 gv0
;;     v10 = load.i64 notrap aligned readonly can_move little v9
;;     v11 = uextend.i64 v4  ; v4 = 16
;;     v12 = iadd v10, v11
;;     store little v7, v12
;;     v13 = symbol_value.i64 gv0
;;     v14 = load.i64 notrap aligned readonly can_move little v13
;;     v15 = uextend.i64 v4  ; v4 = 16
;;     v16 = iadd v14, v15
;;     store little v8, v16+8
;;     v17 = iconst.i32 16
;;     v18 = symbol_value.i64 gv0
;;     v19 = load.i64 notrap aligned readonly can_move little v18
;;     v20 = uextend.i64 v17  ; v17 = 16
;;     v21 = iadd v19, v20
;;     v22 = load.i64 little v21+8
;;     jump block1(v22)
;;
;; block1(v3: i64):
;;     return v3
;; }
