;;! target = "x86_64"
;; Loads and stores of a 32-bit memory: no bounds checks, the base is a readonly,
;; movable load (hoistable out of loops); a 64-bit memory is checked against its length.
(module
  (memory $m 1)
  (memory $m64 i64 1)
  (func $load (param i32) (result i32) (i32.load offset=4 (local.get 0)))
  (func $store8 (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func $big_offset (param i32) (result i64) (i64.load offset=0xffff0000 (local.get 0)))
  (func $load64 (param i64) (result i32) (i32.load $m64 offset=8 (local.get 0)))
  (func $grow (param i32) (result i32) (memory.grow (local.get 0)))
  (func $size (result i32) (memory.size))
)

;; ==== load ====
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0(v0: i32):
;;     v2 = symbol_value.i64 gv0
;;     v3 = load.i64 notrap aligned readonly can_move little v2
;;     v4 = uextend.i64 v0
;;     v5 = iadd v3, v4
;;     v6 = load.i32 little v5+4
;;     jump block1(v6)
;;
;; block1(v1: i32):
;;     return v1
;; }
;; ==== store8 ====
;; function u0:0(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0(v0: i32, v1: i32):
;;     v2 = symbol_value.i64 gv0
;;     v3 = load.i64 notrap aligned readonly can_move little v2
;;     v4 = uextend.i64 v0
;;     v5 = iadd v3, v4
;;     istore8 little v1, v5
;;     jump block1
;;
;; block1:
;;     return
;; }
;; ==== big_offset ====
;; function u0:0(i32) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0(v0: i32):
;;     v2 = symbol_value.i64 gv0
;;     v3 = load.i64 notrap aligned readonly can_move little v2
;;     v4 = uextend.i64 v0
;;     v5 = iadd v3, v4
;;     v6 = iconst.i64 0xffff_0000
;;     v7 = iadd v5, v6  ; v6 = 0xffff_0000
;;     v8 = load.i64 little v7
;;     jump block1(v8)
;;
;; block1(v1: i64):
;;     return v1
;; }
;; ==== load64 ====
;; function u0:0(i64) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0(v0: i64):
;;     v2 = symbol_value.i64 gv0
;;     v3 = load.i64 notrap aligned readonly can_move little v2
;;     v4 = iconst.i64 12
;;     v5 = uadd_overflow_trap v0, v4, user2  ; v4 = 12
;;     v6 = load.i64 notrap aligned little v2+8
;;     v7 = icmp ugt v5, v6
;;     trapnz v7, user2
;;     v8 = iadd v3, v0
;;     v9 = load.i32 little v8+8
;;     jump block1(v9)
;;
;; block1(v1: i32):
;;     return v1
;; }
;; ==== grow ====
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i64) -> i64 system_v
;;     fn0 = colocated u0:1 sig0
;;
;; block0(v0: i32):
;;     v2 = uextend.i64 v0
;;     v3 = symbol_value.i64 gv0
;;     v4 = call fn0(v3, v2)
;;     v5 = ireduce.i32 v4
;;     jump block1(v5)
;;
;; block1(v1: i32):
;;     return v1
;; }
;; ==== size ====
;; function u0:0() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0:
;;     v1 = symbol_value.i64 gv0
;;     v2 = load.i64 notrap aligned little v1+8
;;     v3 = iconst.i64 16
;;     v4 = ushr v2, v3  ; v3 = 16
;;     v5 = ireduce.i32 v4
;;     jump block1(v5)
;;
;; block1(v0: i32):
;;     return v0
;; }
