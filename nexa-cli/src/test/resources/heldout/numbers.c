/* Integer flags, 80-bit long double and double formatting, strtod, libm and libc string functions.
 * Written for HeldOutBuildTest: compiled at test time by four toolchains, run natively and under Nexa. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <float.h>
#include <stdint.h>
#include <fenv.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

int main(void) {
    /* integer arithmetic with carry and overflow */
    uint64_t sum = 0; int ovf = 0;
    for (int i = 0; i < 2000; i++) {
        int64_t a = (int64_t)next(), b = (int64_t)next(), r;
        ovf += __builtin_add_overflow(a, b, &r); sum += (uint64_t)r;
        ovf += __builtin_mul_overflow(a >> (i % 40), b >> (i % 23), &r); sum ^= (uint64_t)r;
        unsigned __int128 p = (unsigned __int128)(uint64_t)a * (uint64_t)b;
        sum += (uint64_t)(p >> 64) + (uint64_t)p;
        if (b) { sum += (uint64_t)(a / (b | 1)); sum += (uint64_t)(a % (b | 1)); }
        sum += __builtin_popcountll((uint64_t)a) + __builtin_clzll((uint64_t)b | 1) + __builtin_ctzll((uint64_t)a | 1ull << 63);
        sum = (sum << 7) | (sum >> 57);
    }
    printf("int: %016llx overflows %d\n", (unsigned long long)sum, ovf);

    /* doubles and long doubles through printf and strtod */
    double ds[] = {0.1, 1.0 / 3, 2.5e-308, 4.9e-324, DBL_MAX, -0.0, 1e22, 123456789.125, M_PI};
    for (unsigned i = 0; i < sizeof ds / sizeof *ds; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", ds[i]);
        double back = strtod(buf, NULL);
        printf("d %s %a %e %s\n", buf, ds[i], ds[i], back == ds[i] ? "round-trips" : "LOST");
    }
    long double ls[] = {0.1L, 1.0L / 3, LDBL_MIN, LDBL_MAX, 3.14159265358979323846264338327950288L, 1e4000L};
    for (unsigned i = 0; i < sizeof ls / sizeof *ls; i++)
        printf("ld %.21Lg %La\n", ls[i], ls[i]);
    long double acc = 1;
    for (int i = 1; i <= 30; i++) acc = acc * i / (i + 0.5L);
    printf("ld product %.25Lg\n", acc);
    printf("ld strtold %La\n", strtold("2.718281828459045235360287471352662497757", NULL));

    /* libm */
    double xs[] = {0.5, 1.5, 10, 1e-5, 100.25};
    for (unsigned i = 0; i < sizeof xs / sizeof *xs; i++) {
        double x = xs[i];
        printf("m %a %a %a %a %a %a %a\n", sin(x), cos(x), exp(x), log(x), sqrt(x), pow(x, 1.7), atan2(x, 3));
        printf("mf %a %a %a\n", (double)sinf((float)x), (double)expf((float)x), (double)cbrt(x));
    }
    for (int mode = 0; mode < 4; mode++) {
        int m[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
        fesetround(m[mode]);
        volatile double a = 1, b = 3;
        printf("round %d: %a %ld\n", mode, a / b, lrint(2.5));
    }
    fesetround(FE_TONEAREST);

    /* libc string functions */
    char s[300], t[300];
    for (int i = 0; i < 299; i++) s[i] = (char)('a' + (next() % 26));
    s[299] = 0;
    memcpy(t, s, sizeof s);
    memmove(t + 3, t, 200);
    unsigned long h = 0;
    for (int n = 0; n < 290; n += 7) {
        h = h * 31 + strlen(s + n) + (unsigned long)(strchr(s + n, 'q') ? strchr(s + n, 'q') - s : 0);
        h = h * 31 + (unsigned long)(memcmp(s, t, (size_t)n) > 0) + (unsigned long)(strncmp(s + n, t + n, 5) < 0);
        h = h * 31 + strspn(s + n, "abcdefghijklm") + strcspn(s + n, "xyz");
    }
    printf("str %lx %s\n", h, strstr(s, "ab") ? "has ab" : "no ab");
    return 0;
}
