/*
 * Held-out differential program: the long double libm functions on pseudo-random inputs, each
 * result printed exactly (%La). glibc and musl implement most of these with the x87
 * transcendental instructions (FSIN/FCOS/FPTAN/FPATAN/FYL2X/FYL2XP1/F2XM1) plus correction
 * steps, so the last bits depend on the FPU's undocumented microcode: the output must be the
 * same natively and under Nexa. Inputs come from a fixed xorshift generator, with every
 * significand bit random, plus edge values (zeros, infinities, NaN, denormals, huge arguments).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define COUNT 300

static uint64_t state = 0x9E3779B97F4A7C15ull;

static uint64_t next(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

/* A long double with a random 64-bit significand and an exponent in [lo, hi] (unbiased). */
static long double random_ld(int lo, int hi, int any_sign) {
    union { long double v; struct { uint64_t m; uint16_t se; } b; } u;
    memset(&u, 0, sizeof u);
    u.b.m = next() | 0x8000000000000000ull;
    int e = lo + (int) (next() % (uint64_t) (hi - lo + 1));
    u.b.se = (uint16_t) (e + 16383);
    if (any_sign && (next() & 1)) u.b.se |= 0x8000;
    return u.v;
}

static const long double edges[] = {
    0.0L, -0.0L, 1.0L, -1.0L, 0.5L, 2.0L, 10.0L, 0x1p-16445L, 0x1p-16382L, 0x1.fffffffffffffffep+16383L,
    0x1p63L, -0x1p63L, 0x1p64L, 3.14159265358979323851L, 1.57079632679489661926L, 1e-300L, 1e300L,
    0x1.0000000000000002p0L, 0x1.fffffffffffffffep-1L, -0.999999999999L,
};
#define EDGES (sizeof edges / sizeof edges[0])

typedef long double (*fn1)(long double);

static void one(const char *name, fn1 f, int lo, int hi, int any_sign) {
    for (unsigned k = 0; k < EDGES; k++) printf("%s(%La) = %La\n", name, edges[k], f(edges[k]));
    printf("%s(inf) = %La, %s(-inf) = %La, %s(nan) = %La\n", name, f(INFINITY), name, f(-INFINITY), name,
           f(NAN));
    for (int k = 0; k < COUNT; k++) {
        long double x = random_ld(lo, hi, any_sign);
        printf("%s(%La) = %La\n", name, x, f(x));
    }
}

int main(void) {
    one("sinl", sinl, -20, 70, 1);
    one("cosl", cosl, -20, 70, 1);
    one("tanl", tanl, -20, 70, 1);
    one("atanl", atanl, -40, 40, 1);
    one("logl", logl, -1000, 1000, 0);
    one("log2l", log2l, -1000, 1000, 0);
    one("log10l", log10l, -1000, 1000, 0);
    one("log1pl", log1pl, -70, 20, 1);
    one("expl", expl, -30, 13, 1);
    one("expm1l", expm1l, -70, 13, 1);
    one("exp2l", exp2l, -30, 13, 1);
    for (int k = 0; k < COUNT; k++) {
        long double y = random_ld(-30, 30, 1), x = random_ld(-30, 30, 1);
        printf("atan2l(%La, %La) = %La\n", y, x, atan2l(y, x));
    }
    for (unsigned k = 0; k < EDGES; k++)
        for (unsigned j = 0; j < EDGES; j += 3) printf("atan2l(%La, %La) = %La\n", edges[k], edges[j], atan2l(edges[k], edges[j]));
    for (int k = 0; k < COUNT; k++) {
        long double x = random_ld(-8, 8, 0), y = random_ld(-8, 10, 1);
        printf("powl(%La, %La) = %La\n", x, y, powl(x, y));
    }
    for (unsigned k = 0; k < EDGES; k++)
        for (unsigned j = 0; j < EDGES; j += 3) printf("powl(%La, %La) = %La\n", edges[k], edges[j], powl(edges[k], edges[j]));
    /* every rounding mode of the x87 control word also reaches the library */
    static const unsigned short modes[] = {0x037F, 0x077F, 0x0B7F, 0x0F7F};
    for (int r = 0; r < 4; r++) {
        unsigned short cw = modes[r], saved;
        __asm__ volatile("fnstcw %0" : "=m"(saved));
        __asm__ volatile("fldcw %0" : : "m"(cw));
        for (int k = 0; k < 20; k++) {
            long double x = random_ld(-4, 6, 0);
            printf("rc%d: %La %La %La %La\n", r, logl(x), expl(x / 64), atan2l(x, 3.0L), sinl(x));
        }
        __asm__ volatile("fldcw %0" : : "m"(saved));
    }
    return 0;
}
