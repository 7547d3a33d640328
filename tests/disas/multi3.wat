;;! target = "x86_64"
;; A call of the compiler runtime's `__multi3` becomes a 64x64->128 multiply (imul,
;; umulhi and the two cross products) stored as the callee would; the callee itself is
;; still compiled for other callers (call_indirect, exports).
(module
  (memory 1)
  (func $__multi3 (param i32 i64 i64 i64 i64)
    (i64.store (local.get 0) (i64.mul (local.get 1) (local.get 3)))
    (i64.store offset=8 (local.get 0)
      (i64.add (i64.mul (local.get 1) (local.get 4)) (i64.mul (local.get 2) (local.get 3)))))
  (func $wide (param i64 i64) (result i64)
    (call $__multi3 (i32.const 16) (local.get 0) (i64.const 0) (local.get 1) (i64.const 0))
    (i64.load offset=8 (i32.const 16)))
)

;; ==== __multi3 ====
;; function u0:0(i32, i64, i64, i64, i64) tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0(v0: i32, v1: i64, v2: i64, v3: i64, v4: i64):
;;     v5 = imul v1, v3
;;     v6 = symbol_value.i64 gv0
;;     v7 = load.i64 notrap aligned readonly can_move little v6
;;     v8 = uextend.i64 v0
;;     v9 = iadd v7, v8
;;     store little v5, v9
;;     v10 = imul v1, v4
;;     v11 = imul v2, v3
;;     v12 = iadd v10, v11
;;     v13 = symbol_value.i64 gv0
;;     v14 = load.i64 notrap aligned readonly can_move little v13
;;     v15 = uextend.i64 v0
;;     v16 = iadd v14, v15
;;     store little v12, v16+8
;;     jump block1
;;
;; block1:
;;     return
;; }
;; ==== wide ====
;; function u0:0(i64, i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0(v0: i64, v1: i64):
;;     v3 = iconst.i32 16
;;     v4 = iconst.i64 0
;;     v5 = iconst.i64 0
;;     v6 = imul v0, v1
;;     v7 = umulhi v0, v1
;;     v8 = imul v0, v5  ; v5 = 0
;;     v9 = imul v4, v1  ; v4 = 0
;;     v10 = iadd v8, v9
;;     v11 = iadd v7, v10
;;     v12 = symbol_value.i64 gv0
;;     v13 = load.i64 notrap aligned readonly can_move little v12
;;     v14 = uextend.i64 v3  ; v3 = 16
;;     v15 = iadd v13, v14
;;     store little v6, v15
;;     v16 = symbol_value.i64 gv0
;;     v17 = load.i64 notrap aligned readonly can_move little v16
;;     v18 = uextend.i64 v3  ; v3 = 16
;;     v19 = iadd v17, v18
;;     store little v11, v19+8
;;     v20 = iconst.i32 16
;;     v21 = symbol_value.i64 gv0
;;     v22 = load.i64 notrap aligned readonly can_move little v21
;;     v23 = uextend.i64 v20  ; v20 = 16
;;     v24 = iadd v22, v23
;;     v25 = load.i64 little v24+8
;;     jump block1(v25)
;;
;; block1(v2: i64):
;;     return v2
;; }
