;; A null slot of a constant table (`crate::const_tables`) traps as a null call, not as a
;; signature mismatch: its type id matches no type, and the cold path tells the two apart.
(module
  (type $v (func))
  (table 3 funcref)
  (elem (i32.const 0) $f)
  (global $calls (mut i32) (i32.const 0))
  (func $f (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
  (func $call (param i32) (call_indirect (type $v) (local.get 0)))
  (func (export "_start")
    (call $call (i32.const 0))
    (if (i32.ne (global.get $calls) (i32.const 1)) (then unreachable))
    (call $call (i32.const 2))))
