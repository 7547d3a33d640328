;; Functions named like the compiler runtime's 128-bit arithmetic in a module without a
;; memory are not recognised (the inline versions store into memory 0): they stay calls of
;; these bodies. Building this used to panic.
(module
  (global $calls (mut i32) (i32.const 0))
  (func $__multi3 (param i32 i64 i64 i64 i64)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
  (func $__udivti3 (param i32 i64 i64 i64 i64)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
  (func $__ashlti3 (param i32 i64 i64 i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
  (func (export "_start")
    (call $__multi3 (i32.const 16) (i64.const 1) (i64.const 1) (i64.const 3) (i64.const 0))
    (call $__udivti3 (i32.const 16) (i64.const 1) (i64.const 1) (i64.const 0) (i64.const 0))
    (call $__ashlti3 (i32.const 16) (i64.const 1) (i64.const 1) (i32.const 3))
    (if (i32.ne (global.get $calls) (i32.const 3)) (then unreachable))))
