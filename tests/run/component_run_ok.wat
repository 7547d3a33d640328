;; A command component: `wasi:cli/run#run` lifted from a core function that returns 0
;; (`ok`), with a post-return function that must run before the exit. Exit status 0.
(component
  (core module $m
    (func (export "run") (result i32) i32.const 0)
    (func (export "post") (param i32)))
  (core instance $i (instantiate $m))
  (func $run (result (result)) (canon lift (core func $i "run") (post-return (core func $i "post"))))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
