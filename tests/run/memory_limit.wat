;;! max-memory = 131072
;; memory.grow honours the build-time limit (--max-memory 128K = 2 pages) and the module's
;; maximum; data segments land in memory; the program checks and exits 0.
(module
  (memory 1 10)
  (data (i32.const 100) "smelt")
  (func (export "_start")
    (if (i32.ne (i32.load8_u (i32.const 102)) (i32.const 0x65)) (then unreachable))
    (if (i32.ne (memory.grow (i32.const 1)) (i32.const 1)) (then unreachable))
    (if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
    (if (i32.ne (memory.size) (i32.const 2)) (then unreachable))
    (i32.store (i32.const 131068) (i32.const 7))))
