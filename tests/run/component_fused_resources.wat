;; Resource handles crossing a fused adapter. Component $a defines resource `r` (its
;; representation a u32) and lifts `make` (-> own<r>), `get` (borrow<r> -> u32: $a defines
;; `r`, so it receives the representation itself) and `consume` (own<r> -> u32: the handle
;; moves into $a's table, which drops it). Component $b calls them through lowered imports
;; and checks every answer; its handle is gone after `consume`, so its last `get` traps.
(component
  (component $a
    (core module $impl
      (import "r" "new" (func $new (param i32) (result i32)))
      (import "r" "rep" (func $rep (param i32) (result i32)))
      (import "r" "drop" (func $drop (param i32)))
      (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
      (func (export "get") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1000)))
      (func (export "consume") (param i32) (result i32)
        (local $v i32)
        (local.set $v (call $rep (local.get 0)))
        (call $drop (local.get 0))
        (local.get $v)))
    (type $r (resource (rep i32)))
    (core func $new (canon resource.new $r))
    (core func $rep (canon resource.rep $r))
    (core func $drop (canon resource.drop $r))
    (core instance $i (instantiate $impl
      (with "r" (instance (export "new" (func $new)) (export "rep" (func $rep))
                          (export "drop" (func $drop))))))
    (export $r-e "r" (type $r))
    (func (export "make") (param "v" u32) (result (own $r-e)) (canon lift (core func $i "make")))
    (func (export "get") (param "h" (borrow $r-e)) (result u32) (canon lift (core func $i "get")))
    (func (export "consume") (param "h" (own $r-e)) (result u32)
      (canon lift (core func $i "consume"))))
  (instance $a (instantiate $a))

  (component $b
    (import "r" (type $r (sub resource)))
    (import "make" (func $make (param "v" u32) (result (own $r))))
    (import "get" (func $get (param "h" (borrow $r)) (result u32)))
    (import "consume" (func $consume (param "h" (own $r)) (result u32)))
    (core func $make (canon lower (func $make)))
    (core func $get (canon lower (func $get)))
    (core func $consume (canon lower (func $consume)))
    (core module $m
      (import "f" "make" (func $make (param i32) (result i32)))
      (import "f" "get" (func $get (param i32) (result i32)))
      (import "f" "consume" (func $consume (param i32) (result i32)))
      (func $assert (param i32) (if (i32.eqz (local.get 0)) (then unreachable)))
      (func (export "run") (result i32)
        (local $h i32) (local $k i32)
        (local.set $h (call $make (i32.const 7)))
        (local.set $k (call $make (i32.const 8)))
        ;; Handles in $b's own table.
        (call $assert (i32.eq (local.get $h) (i32.const 1)))
        (call $assert (i32.eq (local.get $k) (i32.const 2)))
        (call $assert (i32.eq (call $get (local.get $h)) (i32.const 1007)))
        (call $assert (i32.eq (call $get (local.get $k)) (i32.const 1008)))
        (call $assert (i32.eq (call $consume (local.get $h)) (i32.const 7)))
        (call $assert (i32.eq (call $get (local.get $k)) (i32.const 1008)))
        ;; $h moved out: unknown in $b's table now.
        (drop (call $get (local.get $h)))
        (i32.const 0)))
    (core instance $i (instantiate $m
      (with "f" (instance (export "make" (func $make)) (export "get" (func $get))
                          (export "consume" (func $consume))))))
    (func (export "run") (result (result)) (canon lift (core func $i "run"))))
  (instance $b (instantiate $b
    (with "r" (type $a "r"))
    (with "make" (func $a "make"))
    (with "get" (func $a "get"))
    (with "consume" (func $a "consume"))))
  (alias export $b "run" (func $run))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
