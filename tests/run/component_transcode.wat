;; Strings transcoded by fused adapters: the root (utf8) calls `relay` of $a (latin1+utf16),
;; which calls `echo` of $b (utf16); each string goes utf8 → latin1+utf16 → utf16 and back,
;; and the root prints what comes back. $a checks the latin1+utf16 representation on both
;; ways: a string whose code points fit Latin-1 must arrive untagged (one byte per
;; character), any other tagged as UTF-16 (and `echo`'s UTF-16 answer is deflated back to
;; Latin-1 when it fits). $b checks that its UTF-16 string is 2-aligned.
(component
  (import "wasi:io/error@0.2.0" (instance $error
    (export "error" (type (sub resource)))))
  (alias export $error "error" (type $error-t))
  (import "wasi:io/streams@0.2.0" (instance $streams
    (alias outer 1 $error-t (type $e))
    (export "error" (type $err (eq $e)))
    (export "output-stream" (type $os (sub resource)))
    (type $se (variant (case "last-operation-failed" (own $err)) (case "closed")))
    (export "stream-error" (type $stream-error (eq $se)))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $os)) (param "contents" (list u8))
            (result (result (error $stream-error)))))))
  (alias export $streams "output-stream" (type $output-stream))
  (import "wasi:cli/stdout@0.2.0" (instance $stdout
    (alias outer 1 $output-stream (type $o))
    (export "output-stream" (type $os (eq $o)))
    (export "get-stdout" (func (result (own $os))))))
  (alias export $stdout "get-stdout" (func $get-stdout))
  (alias export $streams "[method]output-stream.blocking-write-and-flush" (func $write))

  ;; utf16: returns its argument.
  (component $b
    (core module $m
      (memory (export "memory") 1)
      (global $next (mut i32) (i32.const 4096))
      (func (export "realloc") (param $old i32) (param $osize i32) (param $align i32) (param $nsize i32) (result i32)
        (local $p i32)
        (local.set $p (i32.and (i32.add (global.get $next) (i32.const 7)) (i32.const -8)))
        (global.set $next (i32.add (local.get $p) (local.get $nsize)))
        (if (local.get $old) (then (memory.copy (local.get $p) (local.get $old) (local.get $osize))))
        (local.get $p))
      (func (export "echo") (param $ptr i32) (param $len i32) (result i32)
        ;; UTF-16: the pointer is 2-aligned.
        (if (i32.and (local.get $ptr) (i32.const 1)) (then unreachable))
        (i32.store (i32.const 16) (local.get $ptr))
        (i32.store (i32.const 20) (local.get $len))
        (i32.const 16)))
    (core instance $i (instantiate $m))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $i "echo") string-encoding=utf16
        (memory (core memory $i "memory")) (realloc (core func $i "realloc")))))
  (instance $b (instantiate $b))

  ;; latin1+utf16: passes its argument to `echo` and returns the answer.
  (component $a
    (import "echo" (func $echo (param "s" string) (result string)))
    (core module $mem
      (memory (export "memory") 1)
      (global $next (mut i32) (i32.const 4096))
      (func (export "realloc") (param $old i32) (param $osize i32) (param $align i32) (param $nsize i32) (result i32)
        (local $p i32)
        (local.set $p (i32.and (i32.add (global.get $next) (i32.const 7)) (i32.const -8)))
        (global.set $next (i32.add (local.get $p) (local.get $nsize)))
        (if (local.get $old) (then (memory.copy (local.get $p) (local.get $old) (local.get $osize))))
        (local.get $p)))
    (core instance $mem (instantiate $mem))
    (core func $echo (canon lower (func $echo) string-encoding=latin1+utf16
      (memory (core memory $mem "memory")) (realloc (core func $mem "realloc"))))
    (core module $m
      (import "env" "memory" (memory 1))
      (import "f" "echo" (func $echo (param i32 i32 i32)))
      ;; Traps unless the tag of `len` says UTF-16 exactly when a code unit is ≥ 256.
      (func $check (param $ptr i32) (param $len i32)
        (local $i i32) (local $wide i32) (local $n i32)
        (local.set $n (i32.and (local.get $len) (i32.const 0x7fffffff)))
        (if (i32.eqz (i32.shr_u (local.get $len) (i32.const 31)))
          (then return))
        (block $done
          (loop $l
            (br_if $done (i32.eq (local.get $i) (local.get $n)))
            (if (i32.ge_u (i32.load16_u (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 1))))
                          (i32.const 256))
              (then (local.set $wide (i32.const 1))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
        (if (i32.eqz (local.get $wide)) (then unreachable)))
      (func (export "relay") (param $ptr i32) (param $len i32) (result i32)
        (call $check (local.get $ptr) (local.get $len))
        (call $echo (local.get $ptr) (local.get $len) (i32.const 16))
        (call $check (i32.load (i32.const 16)) (i32.load (i32.const 20)))
        (i32.const 16)))
    (core instance $i (instantiate $m
      (with "env" (instance $mem))
      (with "f" (instance (export "echo" (func $echo))))))
    (func (export "relay") (param "s" string) (result string)
      (canon lift (core func $i "relay") string-encoding=latin1+utf16
        (memory (core memory $mem "memory")) (realloc (core func $mem "realloc")))))
  (instance $a (instantiate $a (with "echo" (func $b "echo"))))
  (alias export $a "relay" (func $relay))

  (core module $memory
    (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 8192))
    (func (export "realloc") (param $old i32) (param $osize i32) (param $align i32) (param $nsize i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $next) (i32.const 7)) (i32.const -8)))
      (global.set $next (i32.add (local.get $p) (local.get $nsize)))
      (if (local.get $old) (then (memory.copy (local.get $p) (local.get $old) (local.get $osize))))
      (local.get $p)))
  (core instance $memory (instantiate $memory))
  (alias core export $memory "memory" (core memory $mem))
  (alias core export $memory "realloc" (core func $realloc))
  (core func $get-stdout (canon lower (func $get-stdout)))
  (core func $write (canon lower (func $write) (memory $mem)))
  (core func $relay (canon lower (func $relay) (memory $mem) (realloc $realloc)))
  (core module $m
    (import "host" "get-stdout" (func $get-stdout (result i32)))
    (import "host" "blocking-write-and-flush" (func $write (param i32 i32 i32 i32)))
    (import "host" "relay" (func $relay (param i32 i32 i32)))
    (import "env" "memory" (memory 1))
    (global $out (mut i32) (i32.const 0))
    (data (i32.const 100) "plain ascii")
    (data (i32.const 200) "gr\c3\bc\c3\9fe aus K\c3\b6ln")
    (data (i32.const 300) "snow \e2\98\83 and cake \f0\9f\8d\b0")
    (data (i32.const 400) "\n")
    ;; Relays the string and prints the answer and a newline.
    (func $round-trip (param $ptr i32) (param $len i32)
      (call $relay (local.get $ptr) (local.get $len) (i32.const 32))
      (call $write (global.get $out) (i32.load (i32.const 32)) (i32.load (i32.const 36)) (i32.const 0))
      (call $write (global.get $out) (i32.const 400) (i32.const 1) (i32.const 0)))
    (func (export "run") (result i32)
      (global.set $out (call $get-stdout))
      (call $round-trip (i32.const 100) (i32.const 11))
      (call $round-trip (i32.const 200) (i32.const 17))
      (call $round-trip (i32.const 300) (i32.const 22))
      (call $round-trip (i32.const 100) (i32.const 0))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "host" (instance
      (export "get-stdout" (func $get-stdout))
      (export "blocking-write-and-flush" (func $write))
      (export "relay" (func $relay))))
    (with "env" (instance $memory))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
