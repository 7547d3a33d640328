;; An inline `__multi3` stores like the callee, each half bounds-checked: with the high
;; half's 8 bytes past the end of memory the call traps with the ordinary message.
(module
  (memory 1)
  (func $__multi3 (param i32 i64 i64 i64 i64)
    (i64.store (local.get 0) (i64.mul (local.get 1) (local.get 3)))
    (i64.store offset=8 (local.get 0)
      (i64.add (i64.mul (local.get 1) (local.get 4)) (i64.mul (local.get 2) (local.get 3)))))
  (func (export "_start")
    (call $__multi3 (i32.const 65528) (i64.const 6) (i64.const 0) (i64.const 7) (i64.const 0))))
