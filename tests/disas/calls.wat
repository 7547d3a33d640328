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
;;     v3 = symbol_value.i64 gv0
;;     v4 = uextend.i64 v0
;;     v5 = load.i64 notrap aligned little v3+8
;;     v6 = icmp uge v4, v5
;;     trapnz v6, user4
;;     v7 = load.i64 notrap aligned little v3
;;     v8 = iconst.i64 3
;;     v9 = ishl v4, v8  ; v8 = 3
;;     v10 = iadd v7, v9
;;     v11 = load.i64 notrap aligned little v10
;;     trapz v11, user5
;;     v12 = load.i32 notrap aligned little v11+8
;;     v13 = iconst.i32 0
;;     v14 = icmp eq v12, v13  ; v13 = 0
;;     trapz v14, user6
;;     v15 = load.i64 notrap aligned little v11
;;     v16 = call_indirect sig0, v15(v1)
;;     jump block1(v16)
;;
;; block1(v2: i32):
;;     return v2
;; }
;; ==== tail ====
;; function u0:0(i32) -> i32 tail {
;;     sig0 = (i32) -> i32 tail
;;     fn0 = colocated u0:17 sig0
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
