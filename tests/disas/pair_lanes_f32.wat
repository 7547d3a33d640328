;;! target = "x86_64"
;; Two f32 lanes are paired as the low half of an f32x4: each pair of adjacent loads becomes
;; one 8-byte f64 load moved into a vector (scalar_to_vector zeroes the upper half) and
;; bitcast to f32x4; the result is bitcast back and stored as one f64. The check before the
;; loop compares 4-byte lanes.
(module
  (memory 1)
  (func $saxpy2 (param $a i32) (param $b i32) (param $k f32) (param $pairs i32)
    (local $a1 i32)
    (loop $l
      (f32.store (local.get $a)
        (f32.add (f32.mul (f32.load (local.get $a)) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (local.get $b)))))
      (f32.store (local.tee $a1 (i32.add (local.get $a) (i32.const 4)))
        (f32.add (f32.mul (f32.load (local.get $a1)) (f32.const 0.999))
                 (f32.mul (local.get $k) (f32.load (i32.add (local.get $b) (i32.const 4))))))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (br_if $l (local.tee $pairs (i32.sub (local.get $pairs) (i32.const 1))))))
  (func (export "_start")))

;; ==== saxpy2 ====
;; function u0:0(i32, i32, f32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0(v0: i32, v1: i32, v2: f32, v3: i32):
;;     v13 -> v2
;;     v4 = iconst.i32 0
;;     v55 = symbol_value.i64 gv0
;;     v56 = load.i64 notrap aligned v55+8
;;     v57 = iconst.i64 0x0001_0000_0000
;;     v58 = icmp ult v56, v57  ; v57 = 0x0001_0000_0000
;;     v59 = iconst.i32 4
;;     v60 = iadd v1, v59  ; v59 = 4
;;     v61 = iconst.i32 0
;;     v62 = iadd v0, v61  ; v61 = 0
;;     v63 = isub v60, v62
;;     v64 = iconst.i32 3
;;     v65 = iadd v63, v64  ; v64 = 3
;;     v66 = iconst.i32 7
;;     v67 = icmp uge v65, v66  ; v66 = 7
;;     v68 = band v58, v67
;;     jump block2(v0, v1, v3)
;;
;; block2(v5: i32, v14: i32, v52: i32):
;;     v6 = symbol_value.i64 gv0
;;     v7 = load.i64 notrap aligned readonly can_move little v6
;;     v8 = uextend.i64 v5
;;     v9 = iadd v7, v8
;;     v11 = f32const 0x1.ff7ceep-1
;;     v15 = symbol_value.i64 gv0
;;     v16 = load.i64 notrap aligned readonly can_move little v15
;;     v17 = uextend.i64 v14
;;     v18 = iadd v16, v17
;;     v22 = symbol_value.i64 gv0
;;     v23 = load.i64 notrap aligned readonly can_move little v22
;;     v24 = uextend.i64 v5
;;     v25 = iadd v23, v24
;;     v26 = iconst.i32 4
;;     v27 = iadd v5, v26  ; v26 = 4
;;     v28 = symbol_value.i64 gv0
;;     v29 = load.i64 notrap aligned readonly can_move little v28
;;     v30 = uextend.i64 v27
;;     v31 = iadd v29, v30
;;     v33 = f32const 0x1.ff7ceep-1
;;     v35 = iconst.i32 4
;;     v36 = iadd v14, v35  ; v35 = 4
;;     v37 = symbol_value.i64 gv0
;;     v38 = load.i64 notrap aligned readonly can_move little v37
;;     v39 = uextend.i64 v36
;;     v40 = iadd v38, v39
;;     v44 = symbol_value.i64 gv0
;;     v45 = load.i64 notrap aligned readonly can_move little v44
;;     v46 = uextend.i64 v27
;;     v47 = iadd v45, v46
;;     v48 = iconst.i32 8
;;     v49 = iadd v5, v48  ; v48 = 8
;;     v50 = iconst.i32 8
;;     v51 = iadd v14, v50  ; v50 = 8
;;     v53 = iconst.i32 1
;;     v54 = isub v52, v53  ; v53 = 1
;;     brif.i8 v68, block5, block6
;;
;; block5:
;;     v69 = load.f64 little v9
;;     v70 = scalar_to_vector.f64x2 v69
;;     v71 = bitcast.f32x4 little v70
;;     v72 = splat.f32x4 v11  ; v11 = 0x1.ff7ceep-1
;;     v73 = fmul v71, v72
;;     v74 = splat.f32x4 v2
;;     v75 = load.f64 little v18
;;     v76 = scalar_to_vector.f64x2 v75
;;     v77 = bitcast.f32x4 little v76
;;     v78 = fmul v74, v77
;;     v79 = fadd v73, v78
;;     v80 = bitcast.f64x2 little v79
;;     v81 = extractlane v80, 0
;;     store little v81, v25
;;     jump block7
;;
;; block7:
;;     brif.i32 v54, block2(v49, v51, v54), block4
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
;;     v10 = load.f32 little v9
;;     v12 = fmul v10, v11  ; v11 = 0x1.ff7ceep-1
;;     v19 = load.f32 little v18
;;     v20 = fmul.f32 v13, v19
;;     v21 = fadd v12, v20
;;     store little v21, v25
;;     v32 = load.f32 little v31
;;     v34 = fmul v32, v33  ; v33 = 0x1.ff7ceep-1
;;     v41 = load.f32 little v40
;;     v42 = fmul.f32 v13, v41
;;     v43 = fadd v34, v42
;;     store little v43, v47
;;     jump block7
;; }
;; ==== <wasm function 1> ====
;; function u0:0() tail {
;; block0:
;;     jump block1
;;
;; block1:
;;     return
;; }
