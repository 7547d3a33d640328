/* C through wasi-libc: how a C program dies. `abort` calls abort(), `trap` __builtin_trap(),
 * `null` writes through a null pointer (valid in wasm: address 0 is memory), `oob` reads far
 * beyond the linear memory, `recurse` overflows the stack. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static int deep(volatile int n) {
    volatile char pad[256];
    pad[n & 255] = (char)n;
    return n == 0 ? pad[0] : deep(n - 1) + pad[n & 255];
}

int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "";
    printf("c_trap %s\n", what);
    fflush(stdout);
    fprintf(stderr, "before %s\n", what);
    if (!strcmp(what, "abort")) abort();
    if (!strcmp(what, "trap")) __builtin_trap();
    if (!strcmp(what, "oob")) {
        volatile unsigned *p = (unsigned *)0xfffffff0u;
        printf("%u\n", *p);
    }
    if (!strcmp(what, "recurse")) printf("%d\n", deep(100000000));
    return 0;
}
