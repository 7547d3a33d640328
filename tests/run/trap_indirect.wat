;; call_indirect checks the signature of the table entry.
(module
  (type $v (func))
  (type $i (func (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $f)
  (func $f (result i32) (i32.const 1))
  (func (export "_start") (call_indirect (type $v) (i32.const 0))))
