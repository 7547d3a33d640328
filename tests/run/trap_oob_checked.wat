;;! explicit-bounds-checks = true
;; With explicit bounds checks (no guard region) an access past the end traps the same way.
(module
  (memory 1)
  (func $peek (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "_start") (drop (call $peek (i32.const 65534)))))
