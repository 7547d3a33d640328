/* Sieve of Eratosthenes up to 20 million, 3 rounds: byte loads and stores in a loop. */
#define EXPECTED 3811821ULL
#include "common.h"
#define LIMIT 20000000
static unsigned char composite[LIMIT + 1];
unsigned long long run(void) {
    unsigned long long count = 0;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i <= LIMIT; i++) composite[i] = 0;
        count = 0;
        for (int i = 2; i <= LIMIT; i++) {
            if (composite[i]) continue;
            count++;
            for (long long j = (long long)i * i; j <= LIMIT; j += i) composite[j] = 1;
        }
    }
    return count * 3;
}
