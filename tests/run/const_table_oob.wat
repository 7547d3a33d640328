;; An index past a constant table's end traps as an out-of-bounds table access; the
;; length compared with is the table's (3), not the last filled slot's.
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
    (call $call (i32.const 3))))
