;;! target = "riscv64"
;;! features = "+v"
;; SIMD-128: lane-shape changes are bitcasts of the canonical i8x16, loads go through the
;; same address computation as scalar loads, pmin is a compare and select.
(module
  (memory 1)
  (func $dot (param v128 v128) (result v128) (i32x4.dot_i16x8_s (local.get 0) (local.get 1)))
  (func $load_splat (param i32) (result v128) (v128.load32_splat offset=16 (local.get 0)))
  (func $pmin (param v128 v128) (result v128) (f32x4.pmin (local.get 0) (local.get 1)))
  (func $lane (param v128) (result i32) (i8x16.extract_lane_s 3 (local.get 0)))
  (func $shuffle (param v128 v128) (result v128)
    (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 (local.get 0) (local.get 1)))
)

;; ==== dot ====
;; function u0:0(i8x16, i8x16) -> i8x16 tail {
;; block0(v0: i8x16, v1: i8x16):
;;     v3 = bitcast.i16x8 little v0
;;     v4 = bitcast.i16x8 little v1
;;     v5 = swiden_low v3
;;     v6 = swiden_low v4
;;     v7 = imul v5, v6
;;     v8 = swiden_high v3
;;     v9 = swiden_high v4
;;     v10 = imul v8, v9
;;     v11 = iadd_pairwise v7, v10
;;     v12 = bitcast.i8x16 little v11
;;     jump block1(v12)
;;
;; block1(v2: i8x16):
;;     return v2
;; }
;; ==== load_splat ====
;; function u0:0(i32) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0(v0: i32):
;;     v2 = symbol_value.i64 gv0
;;     v3 = load.i64 notrap aligned readonly can_move little v2
;;     v4 = uextend.i64 v0
;;     v5 = iadd v3, v4
;;     v6 = load.i32 little v5+16
;;     v7 = splat.i32x4 v6
;;     v8 = bitcast.i8x16 little v7
;;     jump block1(v8)
;;
;; block1(v1: i8x16):
;;     return v1
;; }
;; ==== pmin ====
;; function u0:0(i8x16, i8x16) -> i8x16 tail {
;; block0(v0: i8x16, v1: i8x16):
;;     v3 = bitcast.f32x4 little v0
;;     v4 = bitcast.f32x4 little v1
;;     v5 = fcmp lt v4, v3
;;     v6 = bitcast.f32x4 little v5
;;     v7 = bitselect v6, v4, v3
;;     v8 = bitcast.i8x16 little v7
;;     jump block1(v8)
;;
;; block1(v2: i8x16):
;;     return v2
;; }
;; ==== lane ====
;; function u0:0(i8x16) -> i32 tail {
;; block0(v0: i8x16):
;;     v2 = extractlane v0, 3
;;     v3 = sextend.i32 v2
;;     jump block1(v3)
;;
;; block1(v1: i32):
;;     return v1
;; }
;; ==== shuffle ====
;; function u0:0(i8x16, i8x16) -> i8x16 tail {
;; block0(v0: i8x16, v1: i8x16):
;;     v3 = shuffle v0, v1, 0x1f0e1d0c1b0a19081706150413021100
;;     jump block1(v3)
;;
;; block1(v2: i8x16):
;;     return v2
;; }
