;; Division by zero traps with Wasmtime's message, a named backtrace and status 134.
(module
  (func $divide (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func $caller (result i32) (call $divide (i32.const 7) (i32.const 0)))
  (func (export "_start") (drop (call $caller))))
