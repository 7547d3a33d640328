;; A load past the end of memory faults on the guard region: an out-of-bounds trap.
(module
  (memory 1)
  (func $peek (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "_start") (drop (call $peek (i32.const 65534)))))
