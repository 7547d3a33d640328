;; A 128-bit division by zero done inline traps as wasm's integer divisions do (the
;; compiler runtime's behaviour is undefined there; the body below would return 0).
(module
  (memory 1)
  (func $__umodti3 (param i32 i64 i64 i64 i64)
    (i64.store (local.get 0) (i64.const 0))
    (i64.store offset=8 (local.get 0) (i64.const 0)))
  (func (export "_start")
    (call $__umodti3 (i32.const 16) (i64.const 1) (i64.const 1) (i64.const 0) (i64.const 0))))
