/* C through wasi-libc (WASI preview1, adapted by smelt): formatted output, arguments,
 * environment, stdin and the exit status. Usage: c_stdio [args...]; `exit N` returns N
 * from main, `echo` copies stdin to stdout, `getenv NAME...` prints variables. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void numbers(void) {
    double ds[] = {0.0, -0.0, 1.0 / 3.0, 3.25, -2.5e-7, 6.02214076e23, 1e308, 2.2250738585072014e-308};
    for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++)
        printf("%f|%e|%g|%.17g|%a\n", ds[i], ds[i], ds[i], ds[i], ds[i]);
    printf("%f %f %f\n", INFINITY, -INFINITY, NAN);
    printf("%5.2f|%-8.3f|%+d|%08x|%lld|%llu|%zu|%c|%5s|%-5s|%%\n", 3.14159, 2.0, 42, 0xbeefu,
           -9223372036854775807LL - 1, 18446744073709551615ULL, sizeof(int), 'z', "ab", "cd");
    printf("sqrt(2)=%.15f exp(1)=%.15f sin(1)=%.15f pow=%g\n", sqrt(2.0), exp(1.0), sin(1.0),
           pow(2.0, 0.5));
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%s-%d-%.1f", "snprintf", 7, 0.25);
    printf("%s (%d)\n", buf, n);
    printf("strtod: %g %g; strtol: %ld\n", strtod("1e-3", NULL), strtod("  -12.5x", NULL),
           strtol("-0x1f", NULL, 16));
}

int main(int argc, char **argv) {
    numbers();
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d]=\"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    fputs("to stderr\n", stderr);
    fprintf(stderr, "errno text: %s\n", strerror(ENOENT));
    if (argc >= 2 && strcmp(argv[1], "getenv") == 0) {
        for (int i = 2; i < argc; i++) {
            const char *v = getenv(argv[i]);
            printf("%s=%s\n", argv[i], v ? v : "(unset)");
        }
    }
    if (argc >= 2 && strcmp(argv[1], "echo") == 0) {
        char chunk[4096];
        size_t got, total = 0;
        unsigned long long sum = 0;
        while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
            for (size_t i = 0; i < got; i++) sum = sum * 31 + (unsigned char)chunk[i];
            total += got;
        }
        printf("stdin: %zu bytes, hash %llu, eof %d\n", total, sum, feof(stdin));
    }
    fflush(stdout);
    if (argc >= 3 && strcmp(argv[1], "exit") == 0) {
        printf("buffered, flushed by exit\n");
        return atoi(argv[2]);
    }
    if (argc >= 3 && strcmp(argv[1], "_Exit") == 0) {
        fflush(stdout);
        _Exit(atoi(argv[2]));
    }
    if (argc >= 2 && strcmp(argv[1], "abort") == 0) {
        fprintf(stderr, "aborting\n");
        abort();
    }
    return 0;
}
