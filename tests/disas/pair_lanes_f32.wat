;;! target = "x86_64"
;; Two f32 lanes are paired as the low half of an f32x4: each pair of adjacent loads becomes
;; one 8-byte f64 load moved into a vector (scalar_to_vector zeroes the upper half) and
;; bitcast to f32x4; the result is bitcast back and stored as one f64. The check before the
;; loop compares 4-byte lanes. Four f32 lanes fill an f32x4 (lin4k: its addresses are a
;; counter plus constants of 2^18 and more, like LLVM's for static arrays); lin4k_back,
;; whose lanes read what the lane before stored, is left alone.
(module
  (memory 5)
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
  ;; dst[i] = src[i] * 3 - dst[i] over four f32 lanes per iteration, addressed like LLVM's
  ;; output for static arrays: counter + a large constant (2^18 and 200000).
  (func $lin4k (param $bytes i32)
    (local $i i32)
    (loop $l
      (f32.store offset=0 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=0 (i32.add (local.get $i) (i32.const 200000)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 0)) (i32.const 262144)))))
      (f32.store offset=4 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=4 (i32.add (local.get $i) (i32.const 200000)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 4)) (i32.const 262144)))))
      (f32.store offset=8 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=8 (i32.add (local.get $i) (i32.const 200000)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 8)) (i32.const 262144)))))
      (f32.store offset=12 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=12 (i32.add (local.get $i) (i32.const 200000)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 12)) (i32.const 262144)))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 16)))
                        (local.get $bytes)))))

  ;; The same with src one lane below dst: lane 1 reads what lane 0 stored, so the lanes
  ;; must not be grouped (decided from the constants alone).
  (func $lin4k_back (param $bytes i32)
    (local $i i32)
    (loop $l
      (f32.store offset=0 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=0 (i32.add (local.get $i) (i32.const 262140)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 0)) (i32.const 262144)))))
      (f32.store offset=4 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=4 (i32.add (local.get $i) (i32.const 262140)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 4)) (i32.const 262144)))))
      (f32.store offset=8 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=8 (i32.add (local.get $i) (i32.const 262140)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 8)) (i32.const 262144)))))
      (f32.store offset=12 (i32.add (local.get $i) (i32.const 262144))
        (f32.sub (f32.mul (f32.load offset=12 (i32.add (local.get $i) (i32.const 262140)))
                          (f32.const 3))
                 (f32.load (i32.add (i32.add (local.get $i) (i32.const 12)) (i32.const 262144)))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 16)))
                        (local.get $bytes)))))

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
;; ==== lin4k ====
;; function u0:0(i32) tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0(v0: i32):
;;     v105 -> v0
;;     v1 = iconst.i32 0
;;     v108 = symbol_value.i64 gv0
;;     v109 = load.i64 notrap aligned v108+8
;;     v110 = iconst.i64 0x0001_0000_0000
;;     v111 = icmp ult v109, v110  ; v110 = 0x0001_0000_0000
;;     jump block2(v1)  ; v1 = 0
;;
;; block2(v2: i32):
;;     v3 = iconst.i32 0x0004_0000
;;     v4 = iadd v2, v3  ; v3 = 0x0004_0000
;;     v5 = iconst.i32 0x0003_0d40
;;     v6 = iadd v2, v5  ; v5 = 0x0003_0d40
;;     v7 = symbol_value.i64 gv0
;;     v8 = load.i64 notrap aligned readonly can_move little v7
;;     v9 = uextend.i64 v6
;;     v10 = iadd v8, v9
;;     v12 = f32const 0x1.800000p1
;;     v14 = iconst.i32 0
;;     v15 = iadd v2, v14  ; v14 = 0
;;     v16 = iconst.i32 0x0004_0000
;;     v17 = iadd v15, v16  ; v16 = 0x0004_0000
;;     v18 = symbol_value.i64 gv0
;;     v19 = load.i64 notrap aligned readonly can_move little v18
;;     v20 = uextend.i64 v17
;;     v21 = iadd v19, v20
;;     v24 = symbol_value.i64 gv0
;;     v25 = load.i64 notrap aligned readonly can_move little v24
;;     v26 = uextend.i64 v4
;;     v27 = iadd v25, v26
;;     v28 = iconst.i32 0x0004_0000
;;     v29 = iadd v2, v28  ; v28 = 0x0004_0000
;;     v30 = iconst.i32 0x0003_0d40
;;     v31 = iadd v2, v30  ; v30 = 0x0003_0d40
;;     v32 = symbol_value.i64 gv0
;;     v33 = load.i64 notrap aligned readonly can_move little v32
;;     v34 = uextend.i64 v31
;;     v35 = iadd v33, v34
;;     v37 = f32const 0x1.800000p1
;;     v39 = iconst.i32 4
;;     v40 = iadd v2, v39  ; v39 = 4
;;     v41 = iconst.i32 0x0004_0000
;;     v42 = iadd v40, v41  ; v41 = 0x0004_0000
;;     v43 = symbol_value.i64 gv0
;;     v44 = load.i64 notrap aligned readonly can_move little v43
;;     v45 = uextend.i64 v42
;;     v46 = iadd v44, v45
;;     v49 = symbol_value.i64 gv0
;;     v50 = load.i64 notrap aligned readonly can_move little v49
;;     v51 = uextend.i64 v29
;;     v52 = iadd v50, v51
;;     v53 = iconst.i32 0x0004_0000
;;     v54 = iadd v2, v53  ; v53 = 0x0004_0000
;;     v55 = iconst.i32 0x0003_0d40
;;     v56 = iadd v2, v55  ; v55 = 0x0003_0d40
;;     v57 = symbol_value.i64 gv0
;;     v58 = load.i64 notrap aligned readonly can_move little v57
;;     v59 = uextend.i64 v56
;;     v60 = iadd v58, v59
;;     v62 = f32const 0x1.800000p1
;;     v64 = iconst.i32 8
;;     v65 = iadd v2, v64  ; v64 = 8
;;     v66 = iconst.i32 0x0004_0000
;;     v67 = iadd v65, v66  ; v66 = 0x0004_0000
;;     v68 = symbol_value.i64 gv0
;;     v69 = load.i64 notrap aligned readonly can_move little v68
;;     v70 = uextend.i64 v67
;;     v71 = iadd v69, v70
;;     v74 = symbol_value.i64 gv0
;;     v75 = load.i64 notrap aligned readonly can_move little v74
;;     v76 = uextend.i64 v54
;;     v77 = iadd v75, v76
;;     v78 = iconst.i32 0x0004_0000
;;     v79 = iadd v2, v78  ; v78 = 0x0004_0000
;;     v80 = iconst.i32 0x0003_0d40
;;     v81 = iadd v2, v80  ; v80 = 0x0003_0d40
;;     v82 = symbol_value.i64 gv0
;;     v83 = load.i64 notrap aligned readonly can_move little v82
;;     v84 = uextend.i64 v81
;;     v85 = iadd v83, v84
;;     v87 = f32const 0x1.800000p1
;;     v89 = iconst.i32 12
;;     v90 = iadd v2, v89  ; v89 = 12
;;     v91 = iconst.i32 0x0004_0000
;;     v92 = iadd v90, v91  ; v91 = 0x0004_0000
;;     v93 = symbol_value.i64 gv0
;;     v94 = load.i64 notrap aligned readonly can_move little v93
;;     v95 = uextend.i64 v92
;;     v96 = iadd v94, v95
;;     v99 = symbol_value.i64 gv0
;;     v100 = load.i64 notrap aligned readonly can_move little v99
;;     v101 = uextend.i64 v79
;;     v102 = iadd v100, v101
;;     v103 = iconst.i32 16
;;     v104 = iadd v2, v103  ; v103 = 16
;;     v106 = icmp ne v104, v105
;;     v107 = uextend.i32 v106
;;     brif.i8 v111, block5, block6
;;
;; block5:
;;     v112 = load.f32x4 little v10
;;     v113 = splat.f32x4 v12  ; v12 = 0x1.800000p1
;;     v114 = fmul v112, v113
;;     v115 = load.f32x4 little v21
;;     v116 = fsub v114, v115
;;     store little v116, v27
;;     jump block7
;;
;; block7:
;;     brif.i32 v107, block2(v104), block4
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
;;     v11 = load.f32 little v10
;;     v13 = fmul v11, v12  ; v12 = 0x1.800000p1
;;     v22 = load.f32 little v21
;;     v23 = fsub v13, v22
;;     store little v23, v27
;;     v36 = load.f32 little v35+4
;;     v38 = fmul v36, v37  ; v37 = 0x1.800000p1
;;     v47 = load.f32 little v46
;;     v48 = fsub v38, v47
;;     store little v48, v52+4
;;     v61 = load.f32 little v60+8
;;     v63 = fmul v61, v62  ; v62 = 0x1.800000p1
;;     v72 = load.f32 little v71
;;     v73 = fsub v63, v72
;;     store little v73, v77+8
;;     v86 = load.f32 little v85+12
;;     v88 = fmul v86, v87  ; v87 = 0x1.800000p1
;;     v97 = load.f32 little v96
;;     v98 = fsub v88, v97
;;     store little v98, v102+12
;;     jump block7
;; }
;; ==== lin4k_back ====
;; function u0:0(i32) tail {
;;     gv0 = symbol colocated userextname0
;;
;; block0(v0: i32):
;;     v105 -> v0
;;     v1 = iconst.i32 0
;;     jump block2(v1)  ; v1 = 0
;;
;; block2(v2: i32):
;;     v3 = iconst.i32 0x0004_0000
;;     v4 = iadd v2, v3  ; v3 = 0x0004_0000
;;     v5 = iconst.i32 0x0003_fffc
;;     v6 = iadd v2, v5  ; v5 = 0x0003_fffc
;;     v7 = symbol_value.i64 gv0
;;     v8 = load.i64 notrap aligned readonly can_move little v7
;;     v9 = uextend.i64 v6
;;     v10 = iadd v8, v9
;;     v11 = load.f32 little v10
;;     v12 = f32const 0x1.800000p1
;;     v13 = fmul v11, v12  ; v12 = 0x1.800000p1
;;     v14 = iconst.i32 0
;;     v15 = iadd v2, v14  ; v14 = 0
;;     v16 = iconst.i32 0x0004_0000
;;     v17 = iadd v15, v16  ; v16 = 0x0004_0000
;;     v18 = symbol_value.i64 gv0
;;     v19 = load.i64 notrap aligned readonly can_move little v18
;;     v20 = uextend.i64 v17
;;     v21 = iadd v19, v20
;;     v22 = load.f32 little v21
;;     v23 = fsub v13, v22
;;     v24 = symbol_value.i64 gv0
;;     v25 = load.i64 notrap aligned readonly can_move little v24
;;     v26 = uextend.i64 v4
;;     v27 = iadd v25, v26
;;     store little v23, v27
;;     v28 = iconst.i32 0x0004_0000
;;     v29 = iadd v2, v28  ; v28 = 0x0004_0000
;;     v30 = iconst.i32 0x0003_fffc
;;     v31 = iadd v2, v30  ; v30 = 0x0003_fffc
;;     v32 = symbol_value.i64 gv0
;;     v33 = load.i64 notrap aligned readonly can_move little v32
;;     v34 = uextend.i64 v31
;;     v35 = iadd v33, v34
;;     v36 = load.f32 little v35+4
;;     v37 = f32const 0x1.800000p1
;;     v38 = fmul v36, v37  ; v37 = 0x1.800000p1
;;     v39 = iconst.i32 4
;;     v40 = iadd v2, v39  ; v39 = 4
;;     v41 = iconst.i32 0x0004_0000
;;     v42 = iadd v40, v41  ; v41 = 0x0004_0000
;;     v43 = symbol_value.i64 gv0
;;     v44 = load.i64 notrap aligned readonly can_move little v43
;;     v45 = uextend.i64 v42
;;     v46 = iadd v44, v45
;;     v47 = load.f32 little v46
;;     v48 = fsub v38, v47
;;     v49 = symbol_value.i64 gv0
;;     v50 = load.i64 notrap aligned readonly can_move little v49
;;     v51 = uextend.i64 v29
;;     v52 = iadd v50, v51
;;     store little v48, v52+4
;;     v53 = iconst.i32 0x0004_0000
;;     v54 = iadd v2, v53  ; v53 = 0x0004_0000
;;     v55 = iconst.i32 0x0003_fffc
;;     v56 = iadd v2, v55  ; v55 = 0x0003_fffc
;;     v57 = symbol_value.i64 gv0
;;     v58 = load.i64 notrap aligned readonly can_move little v57
;;     v59 = uextend.i64 v56
;;     v60 = iadd v58, v59
;;     v61 = load.f32 little v60+8
;;     v62 = f32const 0x1.800000p1
;;     v63 = fmul v61, v62  ; v62 = 0x1.800000p1
;;     v64 = iconst.i32 8
;;     v65 = iadd v2, v64  ; v64 = 8
;;     v66 = iconst.i32 0x0004_0000
;;     v67 = iadd v65, v66  ; v66 = 0x0004_0000
;;     v68 = symbol_value.i64 gv0
;;     v69 = load.i64 notrap aligned readonly can_move little v68
;;     v70 = uextend.i64 v67
;;     v71 = iadd v69, v70
;;     v72 = load.f32 little v71
;;     v73 = fsub v63, v72
;;     v74 = symbol_value.i64 gv0
;;     v75 = load.i64 notrap aligned readonly can_move little v74
;;     v76 = uextend.i64 v54
;;     v77 = iadd v75, v76
;;     store little v73, v77+8
;;     v78 = iconst.i32 0x0004_0000
;;     v79 = iadd v2, v78  ; v78 = 0x0004_0000
;;     v80 = iconst.i32 0x0003_fffc
;;     v81 = iadd v2, v80  ; v80 = 0x0003_fffc
;;     v82 = symbol_value.i64 gv0
;;     v83 = load.i64 notrap aligned readonly can_move little v82
;;     v84 = uextend.i64 v81
;;     v85 = iadd v83, v84
;;     v86 = load.f32 little v85+12
;;     v87 = f32const 0x1.800000p1
;;     v88 = fmul v86, v87  ; v87 = 0x1.800000p1
;;     v89 = iconst.i32 12
;;     v90 = iadd v2, v89  ; v89 = 12
;;     v91 = iconst.i32 0x0004_0000
;;     v92 = iadd v90, v91  ; v91 = 0x0004_0000
;;     v93 = symbol_value.i64 gv0
;;     v94 = load.i64 notrap aligned readonly can_move little v93
;;     v95 = uextend.i64 v92
;;     v96 = iadd v94, v95
;;     v97 = load.f32 little v96
;;     v98 = fsub v88, v97
;;     v99 = symbol_value.i64 gv0
;;     v100 = load.i64 notrap aligned readonly can_move little v99
;;     v101 = uextend.i64 v79
;;     v102 = iadd v100, v101
;;     store little v98, v102+12
;;     v103 = iconst.i32 16
;;     v104 = iadd v2, v103  ; v103 = 16
;;     v106 = icmp ne v104, v105
;;     v107 = uextend.i32 v106
;;     brif v107, block2(v104), block4
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
;; ==== <wasm function 3> ====
;; function u0:0() tail {
;; block0:
;;     jump block1
;;
;; block1:
;;     return
;; }
