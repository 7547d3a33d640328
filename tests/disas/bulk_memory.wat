;;! target = "x86_64"
;; `memory.copy` and `memory.fill` check the whole range against the memory's length inline
;; (a trap site, before anything is written) and call the runtime's C `memmove` / `memset`
;; directly on host addresses; a 64-bit memory's end is also checked for overflow.
(module
  (memory $m 1)
  (memory $m64 i64 1)
  (func $copy (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func $fill (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func $copy64 (param i64 i64 i64)
    (memory.copy $m64 $m64 (local.get 0) (local.get 1) (local.get 2)))
)

;; ==== copy ====
;; function u0:0(i32, i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i64, i64) -> i64 system_v
;;     fn0 = colocated %Memmove sig0
;;
;; block0(v0: i32, v1: i32, v2: i32):
;;     v3 = uextend.i64 v2
;;     v4 = uextend.i64 v0
;;     v5 = symbol_value.i64 gv0
;;     v6 = iadd v4, v3
;;     v7 = load.i64 notrap aligned little v5+8
;;     v8 = icmp ugt v6, v7
;;     trapnz v8, user2
;;     v9 = load.i64 notrap aligned readonly can_move little v5
;;     v10 = iadd v9, v4
;;     v11 = uextend.i64 v1
;;     v12 = symbol_value.i64 gv0
;;     v13 = iadd v11, v3
;;     v14 = load.i64 notrap aligned little v12+8
;;     v15 = icmp ugt v13, v14
;;     trapnz v15, user2
;;     v16 = load.i64 notrap aligned readonly can_move little v12
;;     v17 = iadd v16, v11
;;     v18 = call fn0(v10, v17, v3)
;;     jump block1
;;
;; block1:
;;     return
;; }
;; ==== fill ====
;; function u0:0(i32, i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i32 sext, i64) -> i64 system_v
;;     fn0 = colocated %Memset sig0
;;
;; block0(v0: i32, v1: i32, v2: i32):
;;     v3 = uextend.i64 v2
;;     v4 = uextend.i64 v0
;;     v5 = symbol_value.i64 gv0
;;     v6 = iadd v4, v3
;;     v7 = load.i64 notrap aligned little v5+8
;;     v8 = icmp ugt v6, v7
;;     trapnz v8, user2
;;     v9 = load.i64 notrap aligned readonly can_move little v5
;;     v10 = iadd v9, v4
;;     v11 = call fn0(v10, v1, v3)
;;     jump block1
;;
;; block1:
;;     return
;; }
;; ==== copy64 ====
;; function u0:0(i64, i64, i64) tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i64, i64) -> i64 system_v
;;     fn0 = colocated %Memmove sig0
;;
;; block0(v0: i64, v1: i64, v2: i64):
;;     v3 = symbol_value.i64 gv0
;;     v4 = uadd_overflow_trap v0, v2, user2
;;     v5 = load.i64 notrap aligned little v3+8
;;     v6 = icmp ugt v4, v5
;;     trapnz v6, user2
;;     v7 = load.i64 notrap aligned readonly can_move little v3
;;     v8 = iadd v7, v0
;;     v9 = symbol_value.i64 gv0
;;     v10 = uadd_overflow_trap v1, v2, user2
;;     v11 = load.i64 notrap aligned little v9+8
;;     v12 = icmp ugt v10, v11
;;     trapnz v12, user2
;;     v13 = load.i64 notrap aligned readonly can_move little v9
;;     v14 = iadd v13, v1
;;     v15 = call fn0(v8, v14, v2)
;;     jump block1
;;
;; block1:
;;     return
;; }
