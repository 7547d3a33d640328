/* Each benchmark defines `unsigned long long run(void)` and its expected checksum.
   Built twice from the same source: natively (main) and for wasm32 (_start), with no
   libc in either, so the comparison is code generation, not library code. */
#pragma once
#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(name)))
unsigned long long run(void);
EXPORT("_start") void _start(void) {
    if (run() != EXPECTED) __builtin_trap();
}
#else
unsigned long long run(void);
int main(void) { return run() == EXPECTED ? 0 : 1; }
#endif
