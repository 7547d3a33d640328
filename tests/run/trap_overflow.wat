;; INT_MIN / -1 is an integer overflow trap, not a crash (x86 raises SIGFPE for it).
(module
  (func $divide (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "_start") (drop (call $divide (i32.const 0x80000000) (i32.const -1)))))
