/* fuzz_ticks.c - libFuzzer target: arbitrary doubles as axis ranges.
 *
 * The input is read as LO, HI, MARGIN (doubles), MAX_TICKS (an int) and a
 * scale byte; short inputs are padded with zeros.  The target computes the
 * view range and the ticks of both the raw range and the view range, and
 * checks what the contract promises: the view range is finite and ordered,
 * ticks are sorted and inside the range, labels are NUL-terminated, errors
 * are ORGFIG_E_INVALID, and no counted byte stays allocated.  Every call
 * must also end quickly (the search loops are bounded), which libFuzzer's
 * -timeout checks. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../../module/core/alloc.h"
#include "../../module/core/ticks.h"

static void
check(int cond)
{
    if (!cond)
        __builtin_trap();
}

static void
run(orgfig_scale scale, double lo, double hi, int max_ticks)
{
    orgfig_ticks t;
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_status st = orgfig_ticks_compute(scale, lo, hi, max_ticks, NULL, &t, &err);
    if (st != ORGFIG_OK) {
        check(st == ORGFIG_E_INVALID && t.ticks == NULL && t.n == 0);
        check(memchr(err.msg, '\0', sizeof err.msg) != NULL);
        return;
    }
    double a = fmin(lo, hi), b = fmax(lo, hi);
    check(t.n <= 2000);
    check(memchr(t.offset, '\0', sizeof t.offset) != NULL);
    for (size_t i = 0; i < t.n; i++) {
        check(t.ticks[i].value >= a && t.ticks[i].value <= b);
        check(i == 0 || t.ticks[i].value >= t.ticks[i - 1].value);
        check(memchr(t.ticks[i].label, '\0', sizeof t.ticks[i].label) != NULL);
    }
    orgfig_ticks_free(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t buf[3 * sizeof(double) + sizeof(int) + 1] = {0};
    memcpy(buf, data, size < sizeof buf ? size : sizeof buf);
    double lo, hi, margin;
    int max_ticks;
    memcpy(&lo, buf, sizeof lo);
    memcpy(&hi, buf + 8, sizeof hi);
    memcpy(&margin, buf + 16, sizeof margin);
    memcpy(&max_ticks, buf + 24, sizeof max_ticks);
    orgfig_scale scale = (orgfig_scale)(buf[28] % 3);
    size_t before = orgfig_memory_stats().bytes;

    run(scale, lo, hi, max_ticks);
    double vlo = NAN, vhi = NAN;
    orgfig_view_range(scale, lo, hi, margin, &vlo, &vhi);
    check(isfinite(vlo) && isfinite(vhi) && vlo < vhi);
    if (scale == ORGFIG_SCALE_LOG)
        check(vlo > 0);
    run(scale, vlo, vhi, max_ticks);
    check(orgfig_memory_stats().bytes == before);
    return 0;
}
