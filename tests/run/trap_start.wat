;; A trap in the start function stops the program before _start runs.
(module
  (func $init unreachable)
  (start $init)
  (func (export "_start")))
