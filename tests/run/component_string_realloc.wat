;; Fused adapters allocate transcoded strings with the receiver's `realloc` exactly as the
;; Canonical ABI's `store_string` does: the optimistic first allocation, the growth to the
;; worst case, the shrink, with its alignments (2 for utf16 and latin1+utf16, 1 to deflate
;; UTF-16 to Latin-1). The callee's `realloc` compares every call with the sequence below
;; and its `take` every length it receives; a mismatch is `unreachable` (exit 134). The root
;; lowers `take-*` with different encodings and finally checks the number of calls.
(component
  (component $callee
    (core module $m
      (memory (export "memory") 1)
      (global $next (mut i32) (i32.const 4096))
      (global $call (mut i32) (i32.const 0))
      (global $take (mut i32) (i32.const 0))
      (global $last (mut i32) (i32.const 0))
      ;; Expected calls: (old is the last result?, old size, align, new size), 16 bytes each.
      (data (i32.const 0)
        ;; 1. utf16 "aé☃" (3 units) to utf8: 3 bytes, grow to 9, shrink to 6.
        "\00\00\00\00" "\00\00\00\00" "\01\00\00\00" "\03\00\00\00"
        "\01\00\00\00" "\03\00\00\00" "\01\00\00\00" "\09\00\00\00"
        "\01\00\00\00" "\09\00\00\00" "\01\00\00\00" "\06\00\00\00"
        ;; 2. utf8 "aé☃" (6 bytes) to utf16: worst case 12, shrink to 6.
        "\00\00\00\00" "\00\00\00\00" "\02\00\00\00" "\0c\00\00\00"
        "\01\00\00\00" "\0c\00\00\00" "\02\00\00\00" "\06\00\00\00"
        ;; 3. utf8 "aé☃" to latin1+utf16: 6, grow to 12 at ☃, shrink to 6.
        "\00\00\00\00" "\00\00\00\00" "\02\00\00\00" "\06\00\00\00"
        "\01\00\00\00" "\06\00\00\00" "\02\00\00\00" "\0c\00\00\00"
        "\01\00\00\00" "\0c\00\00\00" "\02\00\00\00" "\06\00\00\00"
        ;; 4. latin1+utf16 tagged "aé" to latin1+utf16: 4 bytes, deflated to 2 (align 1).
        "\00\00\00\00" "\00\00\00\00" "\02\00\00\00" "\04\00\00\00"
        "\01\00\00\00" "\04\00\00\00" "\01\00\00\00" "\02\00\00\00"
        ;; 5. utf8 "abc" to utf8: one allocation.
        "\00\00\00\00" "\00\00\00\00" "\01\00\00\00" "\03\00\00\00")
      ;; Expected lengths received by `take`, in order.
      (data (i32.const 256)
        "\06\00\00\00" "\03\00\00\00" "\03\00\00\80" "\02\00\00\00" "\03\00\00\00")
      (func $expect (param $got i32) (param $want i32)
        (if (i32.ne (local.get $got) (local.get $want)) (then unreachable)))
      (func (export "realloc") (param $old i32) (param $osize i32) (param $align i32) (param $nsize i32) (result i32)
        (local $e i32) (local $p i32)
        (local.set $e (i32.shl (global.get $call) (i32.const 4)))
        (call $expect (local.get $old)
          (select (global.get $last) (i32.const 0) (i32.load (local.get $e))))
        (call $expect (local.get $osize) (i32.load offset=4 (local.get $e)))
        (call $expect (local.get $align) (i32.load offset=8 (local.get $e)))
        (call $expect (local.get $nsize) (i32.load offset=12 (local.get $e)))
        (global.set $call (i32.add (global.get $call) (i32.const 1)))
        (local.set $p (i32.and (i32.add (global.get $next) (i32.const 7)) (i32.const -8)))
        (global.set $next (i32.add (local.get $p) (local.get $nsize)))
        (if (local.get $old) (then (memory.copy (local.get $p) (local.get $old) (local.get $osize))))
        (global.set $last (local.get $p))
        (local.get $p))
      (func (export "take") (param $ptr i32) (param $len i32)
        (call $expect (local.get $ptr) (global.get $last))
        (call $expect (local.get $len)
          (i32.load offset=256 (i32.shl (global.get $take) (i32.const 2))))
        (global.set $take (i32.add (global.get $take) (i32.const 1))))
      (func (export "calls") (result i32) (global.get $call)))
    (core instance $i (instantiate $m))
    (func (export "take-utf8") (param "s" string)
      (canon lift (core func $i "take") string-encoding=utf8
        (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
    (func (export "take-utf16") (param "s" string)
      (canon lift (core func $i "take") string-encoding=utf16
        (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
    (func (export "take-latin1") (param "s" string)
      (canon lift (core func $i "take") string-encoding=latin1+utf16
        (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
    (func (export "calls") (result u32) (canon lift (core func $i "calls"))))
  (instance $callee (instantiate $callee))
  (alias export $callee "take-utf8" (func $take-utf8))
  (alias export $callee "take-utf16" (func $take-utf16))
  (alias export $callee "take-latin1" (func $take-latin1))
  (alias export $callee "calls" (func $calls))

  (core module $memory (memory (export "memory") 1))
  (core instance $memory (instantiate $memory))
  (alias core export $memory "memory" (core memory $mem))
  (core func $utf16-to-utf8 (canon lower (func $take-utf8) string-encoding=utf16 (memory $mem)))
  (core func $utf8-to-utf16 (canon lower (func $take-utf16) (memory $mem)))
  (core func $utf8-to-latin1 (canon lower (func $take-latin1) (memory $mem)))
  (core func $latin1-to-latin1
    (canon lower (func $take-latin1) string-encoding=latin1+utf16 (memory $mem)))
  (core func $utf8-to-utf8 (canon lower (func $take-utf8) (memory $mem)))
  (core func $calls (canon lower (func $calls)))
  (core module $m
    (import "env" "memory" (memory 1))
    (import "f" "utf16-to-utf8" (func $utf16-to-utf8 (param i32 i32)))
    (import "f" "utf8-to-utf16" (func $utf8-to-utf16 (param i32 i32)))
    (import "f" "utf8-to-latin1" (func $utf8-to-latin1 (param i32 i32)))
    (import "f" "latin1-to-latin1" (func $latin1-to-latin1 (param i32 i32)))
    (import "f" "utf8-to-utf8" (func $utf8-to-utf8 (param i32 i32)))
    (import "f" "calls" (func $calls (result i32)))
    ;; "aé☃" in UTF-16, UTF-8; "aé" in UTF-16; "abc".
    (data (i32.const 16) "\61\00\e9\00\03\26")
    (data (i32.const 32) "\61\c3\a9\e2\98\83")
    (data (i32.const 48) "\61\00\e9\00")
    (data (i32.const 64) "abc")
    (func (export "run") (result i32)
      (call $utf16-to-utf8 (i32.const 16) (i32.const 3))
      (call $utf8-to-utf16 (i32.const 32) (i32.const 6))
      (call $utf8-to-latin1 (i32.const 32) (i32.const 6))
      (call $latin1-to-latin1 (i32.const 48) (i32.const 0x80000002))
      (call $utf8-to-utf8 (i32.const 64) (i32.const 3))
      (if (i32.ne (call $calls) (i32.const 11)) (then unreachable))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "env" (instance $memory))
    (with "f" (instance
      (export "utf16-to-utf8" (func $utf16-to-utf8))
      (export "utf8-to-utf16" (func $utf8-to-utf16))
      (export "utf8-to-latin1" (func $utf8-to-latin1))
      (export "latin1-to-latin1" (func $latin1-to-latin1))
      (export "utf8-to-utf8" (func $utf8-to-utf8))
      (export "calls" (func $calls))))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
