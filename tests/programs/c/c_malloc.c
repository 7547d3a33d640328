/* C through wasi-libc: an allocation-heavy program (dlmalloc growing the linear memory):
 * many small blocks, a growing realloc, calloc's zeroes, large blocks, qsort. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int main(void) {
    uint32_t seed = 12345;
#define NEXT() (seed = seed * 1103515245u + 12345u)
    enum { N = 200000 };
    char **blocks = malloc(N * sizeof *blocks);
    uint64_t sum = 0;
    for (int i = 0; i < N; i++) {
        size_t len = 1 + NEXT() % 200;
        blocks[i] = malloc(len);
        memset(blocks[i], i & 0xff, len);
        sum += len;
    }
    for (int i = 0; i < N; i += 2) free(blocks[i]);
    for (int i = 0; i < N; i += 2) blocks[i] = malloc(1 + NEXT() % 500);
    for (int i = 0; i < N; i++) free(blocks[i]);
    free(blocks);
    printf("small blocks: %llu bytes\n", (unsigned long long)sum);

    size_t cap = 1;
    char *grow = malloc(cap);
    for (size_t n = 0; n < (8u << 20); n++) {
        if (n == cap) grow = realloc(grow, cap *= 2);
        grow[n] = (char)(n * 7);
    }
    uint64_t h = 0;
    for (size_t n = 0; n < (8u << 20); n += 4093) h = h * 131 + (unsigned char)grow[n];
    printf("realloc to %zu bytes, hash %llu\n", cap, (unsigned long long)h);
    free(grow);

    size_t zn = 32u << 20;
    unsigned char *z = calloc(zn, 1);
    size_t nonzero = 0;
    for (size_t i = 0; i < zn; i++) nonzero += z[i] != 0;
    printf("calloc %zu bytes, %zu non-zero\n", zn, nonzero);
    free(z);

    enum { M = 100000 };
    uint32_t *v = malloc(M * sizeof *v);
    for (int i = 0; i < M; i++) v[i] = NEXT();
    qsort(v, M, sizeof *v, cmp);
    int sorted = 1;
    for (int i = 1; i < M; i++) sorted &= v[i - 1] <= v[i];
    printf("qsort %d: sorted %d, min %u, max %u\n", M, sorted, v[0], v[M - 1]);
    free(v);

    void *huge = malloc((size_t)3 << 30);
    printf("3 GiB malloc: %s\n", huge ? "granted" : "refused");
    free(huge);
    return 0;
}
