/* Dense f64 matrix multiply, 200x200, 10 rounds. */
#define EXPECTED 48357331ULL
#include "common.h"
#define N 200
static double a[N][N], b[N][N], c[N][N];
unsigned long long run(void) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (double)((i * 7 + j * 3) % 17) * 0.5;
            b[i][j] = (double)((i * 5 + j * 11) % 13) * 0.25;
        }
    for (int round = 0; round < 10; round++)
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
                c[i][j] = s + round;
            }
    double sum = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) sum += c[i][j];
    return (unsigned long long)sum;
}
