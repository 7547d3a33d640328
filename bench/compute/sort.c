/* Quicksort of 2 million pseudo-random 32-bit integers, indirect comparisons through a
   function pointer (call_indirect in wasm). */
#define EXPECTED 2000000ULL
#include "common.h"
#define N 2000000
static unsigned v[N];
typedef int (*cmp_fn)(unsigned, unsigned);
__attribute__((noinline)) static int less(unsigned a, unsigned b) { return a < b; }
static void qs(unsigned *x, long n, cmp_fn cmp) {
    while (n > 16) {
        unsigned p = x[n / 2];
        long i = 0, j = n - 1;
        for (;;) {
            while (cmp(x[i], p)) i++;
            while (cmp(p, x[j])) j--;
            if (i >= j) break;
            unsigned t = x[i]; x[i] = x[j]; x[j] = t; i++; j--;
        }
        qs(x, j + 1, cmp);
        x += j + 1; n -= j + 1;
    }
    for (long i = 1; i < n; i++) {
        unsigned t = x[i]; long j = i;
        while (j > 0 && cmp(t, x[j - 1])) { x[j] = x[j - 1]; j--; }
        x[j] = t;
    }
}
static cmp_fn volatile chosen = less;
unsigned long long run(void) {
    unsigned s = 12345;
    for (long i = 0; i < N; i++) { s = s * 1103515245u + 12345u; v[i] = s; }
    qs(v, N, chosen);
    unsigned long long ok = 1;
    for (long i = 1; i < N; i++) ok += v[i - 1] <= v[i];
    return ok;
}
