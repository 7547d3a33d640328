/* Recursive Fibonacci: call and return overhead. */
#define EXPECTED 9227465ULL
#include "common.h"
__attribute__((noinline)) static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
unsigned long long run(void) { return fib(35); }
