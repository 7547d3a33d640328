;;! env = "A=hé"
;;! env = "B=☃x"
;; Strings the host makes (here `get-environment`'s) in a guest's own string encoding: UTF-16
;; (2-byte units), and latin1+utf16, where "hé" fits Latin-1 (one byte per character,
;; untagged) and "☃x" does not (UTF-16, length tagged with bit 31). The module compares the
;; bytes with the expected ones (any difference traps) and prints a line.
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
  (import "wasi:cli/environment@0.2.0" (instance $env
    (export "get-environment" (func (result (list (tuple string string)))))))
  (import "wasi:cli/stdout@0.2.0" (instance $stdout
    (alias outer 1 $output-stream (type $o))
    (export "output-stream" (type $os (eq $o)))
    (export "get-stdout" (func (result (own $os))))))
  (alias export $stdout "get-stdout" (func $get-stdout))
  (alias export $streams "[method]output-stream.blocking-write-and-flush" (func $write))
  (alias export $env "get-environment" (func $get-env))

  (core module $memory
    (memory (export "memory") 1)
    ;; A bump allocator from 32 KiB on, honouring the alignment.
    (global $next (mut i32) (i32.const 32768))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $at i32)
      (local.set $at (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
                              (i32.sub (i32.const 0) (local.get 2))))
      (global.set $next (i32.add (local.get $at) (local.get 3)))
      (local.get $at)))
  (core instance $memory (instantiate $memory))
  (alias core export $memory "memory" (core memory $mem))
  (alias core export $memory "realloc" (core func $realloc))
  (core func $get-stdout (canon lower (func $get-stdout)))
  (core func $write (canon lower (func $write) (memory $mem)))
  (core func $env16 (canon lower (func $get-env) (memory $mem) (realloc $realloc)
    string-encoding=utf16))
  (core func $envl1 (canon lower (func $get-env) (memory $mem) (realloc $realloc)
    string-encoding=latin1+utf16))
  (core instance $host
    (export "get-stdout" (func $get-stdout))
    (export "write" (func $write))
    (export "env16" (func $env16))
    (export "envl1" (func $envl1)))

  (core module $m
    (import "host" "get-stdout" (func $get-stdout (result i32)))
    (import "host" "write" (func $write (param i32 i32 i32 i32)))
    (import "host" "env16" (func $env16 (param i32)))
    (import "host" "envl1" (func $envl1 (param i32)))
    (import "env" "memory" (memory 1))
    (data (i32.const 16) "host strings in utf16 and latin1+utf16\n")
    ;; Expected (length, bytes) of the four strings, in each encoding.
    (data (i32.const 1024) "A\00")          ;; utf16 "A"
    (data (i32.const 1040) "h\00\e9\00")    ;; utf16 "hé"
    (data (i32.const 1056) "B\00")          ;; utf16 "B"
    (data (i32.const 1072) "\03\26x\00")    ;; utf16 "☃x"
    (data (i32.const 2048) "A")             ;; latin1 "A"
    (data (i32.const 2064) "h\e9")          ;; latin1 "hé"
    (data (i32.const 2080) "B")             ;; latin1 "B"
    (data (i32.const 2096) "\03\26x\00")    ;; tagged utf16 "☃x"
    ;; Traps unless string ($ptr, $len) has length field $want and its $bytes bytes equal
    ;; those at $expect, and $ptr is aligned to $align.
    (func $check (param $ptr i32) (param $len i32) (param $want i32) (param $bytes i32)
                 (param $expect i32) (param $align i32)
      (local $i i32)
      (if (i32.ne (local.get $len) (local.get $want)) (then unreachable))
      (if (i32.and (local.get $ptr) (i32.sub (local.get $align) (i32.const 1)))
        (then unreachable))
      (loop $l
        (if (i32.ne (i32.load8_u (i32.add (local.get $ptr) (local.get $i)))
                    (i32.load8_u (i32.add (local.get $expect) (local.get $i))))
          (then unreachable))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (local.get $bytes)))))
    ;; The list at (ret) must hold two pairs; checks string $k of pair $p.
    (func $string (param $list i32) (param $p i32) (param $k i32) (result i32 i32)
      (local $at i32)
      (local.set $at (i32.add (i32.add (local.get $list) (i32.shl (local.get $p) (i32.const 4)))
                              (i32.shl (local.get $k) (i32.const 3))))
      (i32.load (local.get $at))
      (i32.load offset=4 (local.get $at)))
    (func (export "run") (result i32)
      (local $list i32)
      (call $env16 (i32.const 64))
      (if (i32.ne (i32.load (i32.const 68)) (i32.const 2)) (then unreachable))
      (local.set $list (i32.load (i32.const 64)))
      (call $check (call $string (local.get $list) (i32.const 0) (i32.const 0))
                   (i32.const 1) (i32.const 2) (i32.const 1024) (i32.const 2))
      (call $check (call $string (local.get $list) (i32.const 0) (i32.const 1))
                   (i32.const 2) (i32.const 4) (i32.const 1040) (i32.const 2))
      (call $check (call $string (local.get $list) (i32.const 1) (i32.const 0))
                   (i32.const 1) (i32.const 2) (i32.const 1056) (i32.const 2))
      (call $check (call $string (local.get $list) (i32.const 1) (i32.const 1))
                   (i32.const 2) (i32.const 4) (i32.const 1072) (i32.const 2))
      (call $envl1 (i32.const 64))
      (if (i32.ne (i32.load (i32.const 68)) (i32.const 2)) (then unreachable))
      (local.set $list (i32.load (i32.const 64)))
      (call $check (call $string (local.get $list) (i32.const 0) (i32.const 0))
                   (i32.const 1) (i32.const 1) (i32.const 2048) (i32.const 2))
      (call $check (call $string (local.get $list) (i32.const 0) (i32.const 1))
                   (i32.const 2) (i32.const 2) (i32.const 2064) (i32.const 2))
      (call $check (call $string (local.get $list) (i32.const 1) (i32.const 0))
                   (i32.const 1) (i32.const 1) (i32.const 2080) (i32.const 2))
      (call $check (call $string (local.get $list) (i32.const 1) (i32.const 1))
                   (i32.const 0x80000002) (i32.const 4) (i32.const 2096) (i32.const 2))
      (call $write (call $get-stdout) (i32.const 16) (i32.const 39) (i32.const 0))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "host" (instance $host))
    (with "env" (instance $memory))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
