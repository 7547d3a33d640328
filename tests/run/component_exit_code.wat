;; `wasi:cli/exit.exit-with-code` (new in 0.2.12): the status is the `u8` in the low 8 bits
;; of the core argument (0x12a → 42). The lowered function reaches `run` through a table, as
;; wit-component arranges it: a fixup instance puts the lowered import into the table of a
;; shim instance with an element segment, and `run` calls the shim's export.
(component
  (import "wasi:cli/exit@0.2.12" (instance $exit
    (export "exit-with-code" (func (param "status-code" u8)))))
  (alias export $exit "exit-with-code" (func $exit-with-code))

  (core module $shim
    (type $t (func (param i32)))
    (table (export "$imports") 1 1 funcref)
    (func (export "exit-with-code") (param i32)
      (call_indirect (type $t) (local.get 0) (i32.const 0))))
  (core instance $shim (instantiate $shim))

  (core module $m
    (import "host" "exit-with-code" (func $exit (param i32)))
    (func (export "run") (result i32)
      (call $exit (i32.const 0x12a))
      (i32.const 0)))
  (core instance $i (instantiate $m (with "host" (instance $shim))))

  (core func $exit-core (canon lower (func $exit-with-code)))
  (core module $fixup
    (import "" "$imports" (table 1 1 funcref))
    (import "" "exit-with-code" (func $f (param i32)))
    (elem (i32.const 0) func $f))
  (core instance (instantiate $fixup
    (with "" (instance
      (export "$imports" (table $shim "$imports"))
      (export "exit-with-code" (func $exit-core))))))

  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
