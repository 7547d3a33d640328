;;! target = "x86_64"
;; On x86_64 an unsigned i64 converts through signed conversions (Cranelift's own unsigned
;; sequence leaves cvtsi2sd's result register unzeroed: a false dependency on its last
;; writer): the signed conversion below 2^63, else half the value with its low bit or'ed in
;; (round to odd), converted and doubled.
(module
  (func $f64 (param i64) (result f64) (f64.convert_i64_u (local.get 0)))
  (func $f32 (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
  (func (export "_start")))

;; ==== f64 ====
;; function u0:0(i64) -> f64 tail {
;; block0(v0: i64):
;;     v3 = iconst.i64 0
;;     v4 = icmp slt v0, v3  ; v3 = 0
;;     brif v4, block3, block2
;;
;; block2:
;;     v5 = fcvt_from_sint.f64 v0
;;     jump block4(v5)
;;
;; block3:
;;     v6 = iconst.i64 1
;;     v7 = ushr.i64 v0, v6  ; v6 = 1
;;     v8 = iconst.i64 1
;;     v9 = band.i64 v0, v8  ; v8 = 1
;;     v10 = bor v7, v9
;;     v11 = fcvt_from_sint.f64 v10
;;     v12 = fadd v11, v11
;;     jump block4(v12)
;;
;; block4(v2: f64):
;;     jump block1(v2)
;;
;; block1(v1: f64):
;;     return v1
;; }
;; ==== f32 ====
;; function u0:0(i64) -> f32 tail {
;; block0(v0: i64):
;;     v3 = iconst.i64 0
;;     v4 = icmp slt v0, v3  ; v3 = 0
;;     brif v4, block3, block2
;;
;; block2:
;;     v5 = fcvt_from_sint.f32 v0
;;     jump block4(v5)
;;
;; block3:
;;     v6 = iconst.i64 1
;;     v7 = ushr.i64 v0, v6  ; v6 = 1
;;     v8 = iconst.i64 1
;;     v9 = band.i64 v0, v8  ; v8 = 1
;;     v10 = bor v7, v9
;;     v11 = fcvt_from_sint.f32 v10
;;     v12 = fadd v11, v11
;;     jump block4(v12)
;;
;; block4(v2: f32):
;;     jump block1(v2)
;;
;; block1(v1: f32):
;;     return v1
;; }
;; ==== <wasm function 2> ====
;; function u0:0() tail {
;; block0:
;;     jump block1
;;
;; block1:
;;     return
;; }
