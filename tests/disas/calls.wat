;;! target = "aarch64"
;; call_indirect pays a bounds check, a null check and one type-id compare; tail calls
;; are real tail calls; globals with constant initialisers are folded.
(module
  (type $t (func (param i32) (result i32)))
  (table 4 funcref)
  (global $k i32 (i32.const 42))
  (global $g (mut i32) (i32.const 0))
  (func $id (type $t) (local.get 0))
  (func $indirect (param i32 i32) (result i32)
    (call_indirect (type $t) (local.get 1) (local.get 0)))
  (func $tail (param i32) (result i32)
    (return_call $id (i32.add (local.get 0) (global.get $k))))
  (func $bump (global.set $g (i32.add (global.get $g) (i32.const 1))))
  (elem (i32.const 0) $id)
)

;; ==== id ====
;; function u0:0(i32) -> i32 tail {
;; block0(v0: i32):
;;     jump block1(v0)
;;
;; block1(v1: i32):
;;     return v1
;; }
;; ==== indirect ====
;; function u0:0(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i32) -> i32 tail
;;
;; block0(v0: i32, v1: i32):
;;     v3 = uextend.i64 v0
;;     v4 = iconst.i64 4
;;     v5 = icmp uge v3, v4  ; v4 = 4
;;     trapnz v5, user4
;;     v6 = symbol_value.i64 gv0
;;     v7 = iconst.i64 4
;;     v8 = ishl v3, v7  ; v7 = 4
;;     v9 = iadd v6, v8
;;     v10 = load.i32 notrap aligned readonly little v9+8
;;     v11 = iconst.i32 0
;;     v12 = icmp eq v10, v11  ; v11 = 0
;;     brif v12, block3, block2
;;
;; block2 cold:
;;     v13 = load.i64 notrap aligned readonly little v9
;;     trapz v13, user5
;;     trap user6
;;
;; block3:
;;     v14 = load.i64 notrap aligned readonly little v9
;;     v15 = call_indirect sig0, v14(v1)
;;     jump block1(v15)
;;
;; block1(v2: i32):
;;     return v2
;; }
;; ==== tail ====
;; function u0:0(i32) -> i32 tail {
;;     sig0 = (i32) -> i32 tail
;;     fn0 = colocated u0:21 sig0
;;
;; block0(v0: i32):
;;     v2 = iconst.i32 42
;;     v3 = iadd v0, v2  ; v2 = 42
;;     return_call fn0(v3)
;;
;; block1(v1: i32):
;;     return v1
;; }
;; ==== bump ====
;; function u0:0() tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0:
;;     v0 = symbol_value.i64 gv0
;;     v1 = load.i32 notrap aligned little v0
;;     v2 = iconst.i32 1
;;     v3 = iadd v1, v2  ; v2 = 1
;;     v4 = symbol_value.i64 gv0
;;     store notrap aligned little v3, v4
;;     jump block1
;;
;; block1:
;;     return
;; }
