/* fuzz_number.c - libFuzzer target: arbitrary bytes as one number.
 *
 * orgfig_parse_number must never read past SIZE (libFuzzer's buffer ends
 * exactly there, so ASan catches overreads).  When it accepts the input,
 * glibc's strtod on a NUL-terminated copy is the oracle: the same value
 * exactly for up to 19 significant digits, within one ulp for more, the
 * same NaN-ness and infinities.  When it rejects, *OUT must be NaN.
 * orgfig_parse_time gets the same bytes: no overread either, NaN when it
 * rejects, a finite time between the years 0 and 10000 when it accepts,
 * and never an input that orgfig_parse_number accepts too.
 *
 * Build and run (clang 14):
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -o /tmp/fuzz_number tests/fuzz/fuzz_number.c
 * module/core/{alloc,error,column,data}.c -lm /tmp/fuzz_number -max_total_time=30
 * /tmp/number-corpus tests/fuzz/corpus/number */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../module/core/data.h"

static void
check(int cond)
{
    if (!cond)
        __builtin_trap();
}

/* Significant digits of the mantissa of the decimal number in S. */
static size_t
sig_digits(const char *s)
{
    size_t n = 0, zeros = 0;
    int started = 0;
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s < '0' || *s > '9')
            continue;
        started |= *s != '0';
        if (started) {
            n++;
            zeros = *s == '0' ? zeros + 1 : 0;
        }
    }
    return n - zeros;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    double t = 1;
    bool is_time = orgfig_parse_time((const char *)data, size, &t);
    check(is_time ? isfinite(t) && t > -62200000000.0 && t < 253403000000.0 : isnan(t));
    double v = 1;
    bool ok = orgfig_parse_number((const char *)data, size, &v);
    check(!(ok && is_time));
    if (!ok) {
        check(isnan(v));
        return 0;
    }
    /* Accepted input is spaces/tabs, a decimal number or nan/inf, spaces:
     * no NUL inside, so strtod sees all of it. */
    check(memchr(data, 0, size) == NULL);
    char *copy = malloc(size + 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *end;
    double want = strtod(copy, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    check(*end == '\0'); /* strtod read the whole number too */
    if (isnan(want)) {
        check(isnan(v));
    } else if (sig_digits(copy) <= 19) {
        check(memcmp(&v, &want, sizeof v) == 0 ||
              (v == 0 && want == 0 && signbit(v) == signbit(want)));
    } else {
        check(v == want || nextafter(v, want) == want);
    }
    free(copy);
    return 0;
}
