;; The same names in a module whose memory 0 is 64-bit: not recognised either (the callee's
;; result address is an i32, which cannot address that memory); the calls run the bodies.
(module
  (memory i64 1)
  (func $__umodti3 (param i32 i64 i64 i64 i64)
    (i64.store (i64.const 16) (i64.const 7)))
  (func (export "_start")
    ;; A zero divisor would trap if the call were done inline.
    (call $__umodti3 (i32.const 16) (i64.const 1) (i64.const 1) (i64.const 0) (i64.const 0))
    (if (i64.ne (i64.load (i64.const 16)) (i64.const 7)) (then unreachable))))
