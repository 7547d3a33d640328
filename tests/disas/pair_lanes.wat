;;! target = "x86_64"
;; A loop unrolled twice over f64 lanes becomes f64x2 operations: before the loop, the
;; memory is checked to be under 4 GiB and the load of row[j + 1] (moved above the store of
;; out[j]) not to overlap it; the loop's block splits into head, paired lanes (the f64x2
;; load, splat, multiply, add, store), the original scalar lanes (cold: taken when the check
;; failed) and tail. A loop with a call stays as it is.
(module
  (memory 1)
  (func $g)
  (func $axpy2 (param $out i32) (param $row i32) (param $a f64) (param $pairs i32)
    (local $o1 i32)
    (loop $l
      (f64.store (local.get $out)
        (f64.add (f64.load (local.get $out)) (f64.mul (local.get $a) (f64.load (local.get $row)))))
      (f64.store (local.tee $o1 (i32.add (local.get $out) (i32.const 8)))
        (f64.add (f64.load (local.get $o1))
                 (f64.mul (local.get $a) (f64.load (i32.add (local.get $row) (i32.const 8))))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (local.set $row (i32.add (local.get $row) (i32.const 16)))
      (br_if $l (local.tee $pairs (i32.sub (local.get $pairs) (i32.const 1))))))
  (func $with_call (param $out i32) (param $a f64) (param $pairs i32)
    (loop $l
      (f64.store (local.get $out) (f64.mul (local.get $a) (f64.load (local.get $out))))
      (f64.store offset=8 (local.get $out) (f64.mul (local.get $a) (f64.load offset=8 (local.get $out))))
      (call $g)
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br_if $l (local.tee $pairs (i32.sub (local.get $pairs) (i32.const 1))))))
)

;; ==== g ====
;; function u0:0() tail {
;; block0:
;;     jump block1
;;
;; block1:
;;     return
;; }
;; ==== axpy2 ====
;; function u0:0(i32, i32, f64, i32) tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0(v0: i32, v1: i32, v2: f64, v3: i32):
;;     v11 -> v2
;;     v4 = iconst.i32 0
;;     v51 = symbol_value.i64 gv0
;;     v52 = load.i64 notrap aligned v51+8
;;     v53 = iconst.i64 0x0001_0000_0000
;;     v54 = icmp ult v52, v53  ; v53 = 0x0001_0000_0000
;;     v55 = iconst.i32 8
;;     v56 = iadd v1, v55  ; v55 = 8
;;     v57 = iconst.i32 0
;;     v58 = iadd v0, v57  ; v57 = 0
;;     v59 = isub v56, v58
;;     v60 = iconst.i32 7
;;     v61 = iadd v59, v60  ; v60 = 7
;;     v62 = iconst.i32 15
;;     v63 = icmp uge v61, v62  ; v62 = 15
;;     v64 = band v54, v63
;;     jump block2(v0, v1, v3)
;;
;; block2(v5: i32, v12: i32, v48: i32):
;;     v6 = symbol_value.i64 gv0
;;     v7 = load.i64 notrap aligned readonly can_move little v6
;;     v8 = uextend.i64 v5
;;     v9 = iadd v7, v8
;;     v13 = symbol_value.i64 gv0
;;     v14 = load.i64 notrap aligned readonly can_move little v13
;;     v15 = uextend.i64 v12
;;     v16 = iadd v14, v15
;;     v20 = symbol_value.i64 gv0
;;     v21 = load.i64 notrap aligned readonly can_move little v20
;;     v22 = uextend.i64 v5
;;     v23 = iadd v21, v22
;;     v24 = iconst.i32 8
;;     v25 = iadd v5, v24  ; v24 = 8
;;     v26 = symbol_value.i64 gv0
;;     v27 = load.i64 notrap aligned readonly can_move little v26
;;     v28 = uextend.i64 v25
;;     v29 = iadd v27, v28
;;     v31 = iconst.i32 8
;;     v32 = iadd v12, v31  ; v31 = 8
;;     v33 = symbol_value.i64 gv0
;;     v34 = load.i64 notrap aligned readonly can_move little v33
;;     v35 = uextend.i64 v32
;;     v36 = iadd v34, v35
;;     v40 = symbol_value.i64 gv0
;;     v41 = load.i64 notrap aligned readonly can_move little v40
;;     v42 = uextend.i64 v25
;;     v43 = iadd v41, v42
;;     v44 = iconst.i32 16
;;     v45 = iadd v5, v44  ; v44 = 16
;;     v46 = iconst.i32 16
;;     v47 = iadd v12, v46  ; v46 = 16
;;     v49 = iconst.i32 1
;;     v50 = isub v48, v49  ; v49 = 1
;;     brif.i8 v64, block5, block6
;;
;; block5:
;;     v65 = load.f64x2 little v9
;;     v66 = splat.f64x2 v2
;;     v67 = load.f64x2 little v16
;;     v68 = fmul v66, v67
;;     v69 = fadd v65, v68
;;     store little v69, v23
;;     jump block7
;;
;; block7:
;;     brif.i32 v50, block2(v45, v47, v50), block4
;;
;; block4:
;;     jump block3
;;
;; block3:
;;     jump block1
;;
;; block1:
;;     return
;;
;; block6 cold:
;;     v10 = load.f64 little v9
;;     v17 = load.f64 little v16
;;     v18 = fmul.f64 v11, v17
;;     v19 = fadd v10, v18
;;     store little v19, v23
;;     v30 = load.f64 little v29
;;     v37 = load.f64 little v36
;;     v38 = fmul.f64 v11, v37
;;     v39 = fadd v30, v38
;;     store little v39, v43
;;     jump block7
;; }
;; ==== with_call ====
;; function u0:0(i32, f64, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = () tail
;;     fn0 = colocated u0:21 sig0
;;
;; block0(v0: i32, v1: f64, v2: i32):
;;     v4 -> v1
;;     jump block2(v0, v2)
;;
;; block2(v3: i32, v27: i32):
;;     v5 = symbol_value.i64 gv0
;;     v6 = load.i64 notrap aligned readonly can_move little v5
;;     v7 = uextend.i64 v3
;;     v8 = iadd v6, v7
;;     v9 = load.f64 little v8
;;     v10 = fmul.f64 v4, v9
;;     v11 = symbol_value.i64 gv0
;;     v12 = load.i64 notrap aligned readonly can_move little v11
;;     v13 = uextend.i64 v3
;;     v14 = iadd v12, v13
;;     store little v10, v14
;;     v15 = symbol_value.i64 gv0
;;     v16 = load.i64 notrap aligned readonly can_move little v15
;;     v17 = uextend.i64 v3
;;     v18 = iadd v16, v17
;;     v19 = load.f64 little v18+8
;;     v20 = fmul.f64 v4, v19
;;     v21 = symbol_value.i64 gv0
;;     v22 = load.i64 notrap aligned readonly can_move little v21
;;     v23 = uextend.i64 v3
;;     v24 = iadd v22, v23
;;     store little v20, v24+8
;;     call fn0()
;;     v25 = iconst.i32 16
;;     v26 = iadd v3, v25  ; v25 = 16
;;     v28 = iconst.i32 1
;;     v29 = isub v27, v28  ; v28 = 1
;;     brif v29, block2(v26, v29), block4
;;
;; block4:
;;     jump block3
;;
;; block3:
;;     jump block1
;;
;; block1:
;;     return
;; }
