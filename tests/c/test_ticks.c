/* test_ticks.c - view ranges, tick positions and labels.
 *
 * Most checks are properties rather than copied outputs: ticks lie inside
 * the range, are evenly spaced by a nice step, and their labels (together
 * with the offset/multiplier text) read back as the tick values.  Calendar
 * checks compare with the C library's gmtime_r. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../module/core/alloc.h"
#include "../../module/core/ticks.h"
#include "harness.h"

static orgfig_ticks
ticks(orgfig_scale scale, double lo, double hi, int m)
{
    orgfig_ticks t;
    orgfig_err err = ORGFIG_ERR_INIT;
    if (orgfig_ticks_compute(scale, lo, hi, m, NULL, &t, &err) != ORGFIG_OK) {
        fprintf(stderr, "  ticks [%g, %g]: %s\n", lo, hi, err.msg);
        t.ticks = NULL;
        t.n = 0;
    }
    return t;
}

static size_t
count_major(const orgfig_ticks *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += !t->ticks[i].minor;
    return n;
}

/* Decode the offset text "×1eP", "+X", "-X" or "×1eP +X" into a multiplier
 * and an offset. */
static bool
decode_offset(const char *s, double *mult, double *offset)
{
    *mult = 1;
    *offset = 0;
    if (strncmp(s,
                "\xc3\x97"
                "1e",
                4) == 0) {
        char *end;
        long p = strtol(s + 4, &end, 10);
        *mult = pow(10, (double)p);
        s = end;
        if (*s == ' ')
            s++;
    }
    if (*s == '\0')
        return true;
    if (*s != '+' && *s != '-')
        return false;
    char *end;
    *offset = strtod(s, &end);
    return *end == '\0';
}

/* Check the properties every linear tick set must have; STEP_OUT gets the
 * step between majors (0 if fewer than two). */
static bool
check_linear(double lo, double hi, int m, double *step_out)
{
    orgfig_ticks t = ticks(ORGFIG_SCALE_LINEAR, lo, hi, m);
    const char *why = NULL;
    double mult = 1, offset = 0, step = 0;
    if (t.n < 1 || t.n > (size_t)(m < 2 ? 2 : m))
        why = "count";
    else if (!decode_offset(t.offset, &mult, &offset))
        why = "offset text";
    if (t.n >= 2)
        step = t.ticks[1].value - t.ticks[0].value;
    /* Tick values carry rounding errors of about one ulp of their size. */
    double noise = 1e-15 * fmax(fabs(lo), fabs(hi));
    for (size_t i = 0; !why && i < t.n; i++) {
        orgfig_tick *k = &t.ticks[i];
        size_t len = strlen(k->label);
        char *end;
        double shown = strtod(k->label, &end) * mult + offset;
        double tol = (step > 0 ? step * 1e-6 : 0) + noise + 1e-300;
        if (t.n == 1)
            tol = fabs(k->value) * 1e-3 + 1e-300; /* a lone tick: >= 3 digits */
        if (k->minor || k->value < lo || k->value > hi)
            why = "outside";
        else if (i > 0 &&
                 fabs((k->value - t.ticks[i - 1].value) - step) > 1e-6 * step + noise)
            why = "uneven";
        else if (len == 0 || len > 10)
            why = "label length";
        else if (strstr(k->label, "0000000") || strstr(k->label, "9999999"))
            why = "float noise";
        else if (k->label[0] == '-' && strspn(k->label + 1, "0.") == len - 1)
            why = "negative zero";
        else if (*end != '\0' || !(fabs(shown - k->value) <= tol))
            why = "label does not read back as the value";
    }
    if (!why && step > 0) {
        /* The step is 1, 2, 2.5, 3, 4 or 5 times a power of ten. */
        double mant = step / pow(10, floor(log10(step)));
        static const double nice[] = {1, 2, 2.5, 3, 4, 5, 10};
        bool found = false;
        for (size_t i = 0; i < sizeof nice / sizeof nice[0]; i++)
            found = found || fabs(mant - nice[i]) < 1e-6 + 2 * noise / step * mant;
        if (!found)
            why = "step not nice";
    }
    if (why) {
        fprintf(stderr, "  %s: linear ticks for [%.17g, %.17g] m=%d, offset \"%s\":", why,
                lo, hi, m, t.offset);
        for (size_t i = 0; i < t.n; i++)
            fprintf(stderr, " %.17g=\"%s\"", t.ticks[i].value, t.ticks[i].label);
        fprintf(stderr, "\n");
    }
    if (step_out)
        *step_out = step;
    orgfig_ticks_free(&t);
    return why == NULL;
}

TEST(ticks_unit_interval)
{
    double step;
    for (int m = 2; m <= 12; m++)
        CHECK(check_linear(0, 1, m, &step));
    orgfig_ticks t = ticks(ORGFIG_SCALE_LINEAR, 0, 1, 8);
    REQUIRE(t.n >= 3);
    CHECK(t.ticks[0].value == 0 && t.ticks[t.n - 1].value == 1);
    CHECK(strcmp(t.ticks[0].label, "0") == 0 || strncmp(t.ticks[0].label, "0.0", 3) == 0);
    CHECK(t.offset[0] == '\0');
    orgfig_ticks_free(&t);
}

TEST(ticks_no_float_noise)
{
    for (int m = 2; m <= 15; m++)
        CHECK(check_linear(0.1, 0.7, m, NULL));
    char buf[64];
    orgfig_format_number(0.1 + 0.2, 0.1, buf, sizeof buf);
    CHECK(strcmp(buf, "0.3") == 0);
    orgfig_format_number(3 * 0.1, 0.1, buf, sizeof buf);
    CHECK(strcmp(buf, "0.3") == 0);
    orgfig_format_number(-1e-17, 0.1, buf, sizeof buf);
    CHECK(strcmp(buf, "0.0") == 0); /* no "-0.0" */
    orgfig_format_number(-0.0, 1, buf, sizeof buf);
    CHECK(strcmp(buf, "0") == 0);
    orgfig_format_number(0.75, 0.25, buf, sizeof buf);
    CHECK(strcmp(buf, "0.75") == 0);
    orgfig_format_number(2000, 500, buf, sizeof buf);
    CHECK(strcmp(buf, "2000") == 0);
    orgfig_format_number(1.0000000000000002, 0.5, buf, sizeof buf);
    CHECK(strcmp(buf, "1.0") == 0);
    CHECK(orgfig_format_number(12.5, 0.5, buf, 3) == 4 && strcmp(buf, "12") == 0);
}

TEST(ticks_negative_and_mixed_ranges)
{
    CHECK(check_linear(-3.7, -1.2, 8, NULL));
    CHECK(check_linear(-1, 1, 5, NULL));
    CHECK(check_linear(-1e-3, 5e-4, 6, NULL));
    CHECK(check_linear(-1000000.5, -1000000.1, 6, NULL));
    orgfig_ticks t = ticks(ORGFIG_SCALE_LINEAR, -0.3, 0.3, 8);
    bool zero = false;
    for (size_t i = 0; i < t.n; i++)
        if (t.ticks[i].value == 0)
            zero = strcmp(t.ticks[i].label, "0") == 0 ||
                   strcmp(t.ticks[i].label, "0.0") == 0;
    CHECK(zero);
    orgfig_ticks_free(&t);
}

TEST(ticks_offset_and_multiplier)
{
    orgfig_ticks t = ticks(ORGFIG_SCALE_LINEAR, 1000000.1, 1000000.5, 6);
    CHECK(strcmp(t.offset, "+1e6") == 0);
    REQUIRE(t.n >= 2);
    CHECK(strcmp(t.ticks[0].label, "0.1") == 0);
    orgfig_ticks_free(&t);
    t = ticks(ORGFIG_SCALE_LINEAR, 0, 3e-6, 6);
    CHECK(strcmp(t.offset, "\xc3\x97"
                           "1e-6") == 0);
    REQUIRE(t.n >= 2);
    CHECK(strcmp(t.ticks[t.n - 1].label, "3") == 0 ||
          strcmp(t.ticks[t.n - 1].label, "3.0") == 0);
    orgfig_ticks_free(&t);
    /* Years are ordinary numbers: no offset, no multiplier. */
    t = ticks(ORGFIG_SCALE_LINEAR, 1990, 2024, 8);
    CHECK(t.offset[0] == '\0' && t.n >= 2 && strcmp(t.ticks[t.n - 1].label, "2020") == 0);
    orgfig_ticks_free(&t);

    double huge[][2] = {{0, 1e300},          {-1e300, 1e300},  {1e9, 1e9 + 1},
                        {1e-300, 3e-300},    {0, 2e5},         {1e15, 1e15 + 1e11},
                        {-1.7e308, 1.7e308}, {5e-310, 9e-310}, {123456.7, 123457.9},
                        {1e-5, 2e-5},        {-2e-12, -1e-12}};
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++)
        for (int m = 2; m <= 10; m += 4)
            CHECK(check_linear(huge[i][0], huge[i][1], m, NULL));
}

TEST(ticks_degenerate_and_invalid)
{
    orgfig_ticks t = ticks(ORGFIG_SCALE_LINEAR, 5, 5, 8);
    CHECK(t.n == 1 && t.ticks[0].value == 5 && strcmp(t.ticks[0].label, "5") == 0);
    orgfig_ticks_free(&t);
    /* Narrower than the precision of doubles near 1e9. */
    CHECK(check_linear(1e9, 1e9 + 1e-8, 6, NULL));
    t = ticks(ORGFIG_SCALE_LINEAR, 0, 0, 8);
    CHECK(t.n == 1 && strcmp(t.ticks[0].label, "0") == 0);
    orgfig_ticks_free(&t);
    /* Reversed input gives the same ticks. */
    t = ticks(ORGFIG_SCALE_LINEAR, 1, 0, 8);
    CHECK(t.n >= 2 && t.ticks[0].value == 0);
    orgfig_ticks_free(&t);

    double bad[] = {NAN, INFINITY, -INFINITY};
    orgfig_scale scales[] = {ORGFIG_SCALE_LINEAR, ORGFIG_SCALE_LOG, ORGFIG_SCALE_TIME};
    for (int s = 0; s < 3; s++)
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++) {
                orgfig_err err = ORGFIG_ERR_INIT;
                double lo = j ? bad[i] : 0, hi = j ? 1 : bad[i];
                CHECK(orgfig_ticks_compute(scales[s], lo, hi, 8, NULL, &t, &err) ==
                      ORGFIG_E_INVALID);
                CHECK(t.ticks == NULL && t.n == 0 && strstr(err.msg, "orgfig-render"));
            }
    orgfig_err err = ORGFIG_ERR_INIT;
    CHECK(orgfig_ticks_compute(ORGFIG_SCALE_LOG, -1, 10, 8, NULL, &t, &err) ==
          ORGFIG_E_INVALID);
    orgfig_err_clear(&err);
    CHECK(orgfig_ticks_compute(ORGFIG_SCALE_TIME, 0, 2e13, 8, NULL, &t, &err) ==
          ORGFIG_E_INVALID);
}

TEST(ticks_allocation_failure_is_clean)
{
    orgfig_meter meter = {0};
    for (uint64_t k = 1; k <= 3; k++) {
        orgfig_ticks t;
        orgfig_err err = ORGFIG_ERR_INIT;
        orgfig_alloc_fail_at(k);
        orgfig_status st =
            orgfig_ticks_compute(ORGFIG_SCALE_LOG, 1, 1e6, 10, &meter, &t, &err);
        orgfig_alloc_fail_at(0);
        if (st == ORGFIG_OK) {
            CHECK(meter.bytes > 0);
            orgfig_ticks_free(&t);
        } else {
            CHECK(st == ORGFIG_E_NOMEM && t.ticks == NULL && t.n == 0);
        }
        CHECK(meter.bytes == 0);
    }
}

TEST(ticks_log_decades)
{
    orgfig_ticks t = ticks(ORGFIG_SCALE_LOG, 1, 1e6, 10);
    CHECK(count_major(&t) == 7);
    CHECK(t.n - count_major(&t) == 48); /* 8 minor ticks in each of 6 decades */
    int k = 0;
    for (size_t i = 0; i < t.n; i++) {
        orgfig_tick *x = &t.ticks[i];
        if (!x->minor) {
            CHECK(x->value == pow(10, k));
            k++;
        } else {
            double mant = x->value / pow(10, floor(log10(x->value) + 1e-12));
            CHECK(fabs(mant - nearbyint(mant)) < 1e-9 && mant >= 2 && mant <= 9);
            CHECK(x->label[0] == '\0');
        }
        if (i > 0)
            CHECK(x->value > t.ticks[i - 1].value);
    }
    /* One label style per axis: "10⁰" with "10⁶", not "1" with "10⁶". */
    CHECK(strcmp(t.ticks[0].label, "10\xe2\x81\xb0") == 0);       /* "10⁰" */
    CHECK(strcmp(t.ticks[t.n - 1].label, "10\xe2\x81\xb6") == 0); /* "10⁶" */
    orgfig_ticks_free(&t);
    t = ticks(ORGFIG_SCALE_LOG, 1e-3, 1, 10);
    CHECK(count_major(&t) == 4 && strcmp(t.ticks[0].label, "0.001") == 0);
    orgfig_ticks_free(&t);
    t = ticks(ORGFIG_SCALE_LOG, 1e-6, 1e-4, 10);
    CHECK(t.n > 0 &&
          strcmp(t.ticks[0].label, "10\xe2\x81\xbb\xe2\x81\xb6") == 0); /* 10⁻⁶ */
    orgfig_ticks_free(&t);
}

TEST(ticks_log_many_decades_thin_out)
{
    double ranges[][2] = {{1e-15, 1e15}, {1e-300, 1e300}, {1, 1e12}, {5e-324, 1.7e308}};
    for (size_t r = 0; r < 4; r++) {
        orgfig_ticks t = ticks(ORGFIG_SCALE_LOG, ranges[r][0], ranges[r][1], 10);
        size_t nmaj = count_major(&t);
        CHECK(nmaj >= 2 && nmaj <= 10);
        double prev = 0, gap = 0;
        for (size_t i = 0; i < t.n; i++) {
            if (t.ticks[i].minor)
                continue;
            double e = log10(t.ticks[i].value);
            CHECK(fabs(e - nearbyint(e)) < 1e-9);
            if (prev != 0 && gap == 0)
                gap = e - prev;
            else if (prev != 0)
                CHECK(fabs((e - prev) - gap) < 1e-6);
            prev = e;
        }
        CHECK(gap > 1.5);
        orgfig_ticks_free(&t);
    }
}

TEST(ticks_log_within_a_decade)
{
    orgfig_ticks t = ticks(ORGFIG_SCALE_LOG, 2, 50, 10);
    size_t nmaj = count_major(&t);
    CHECK(nmaj >= 2);
    for (size_t i = 0; i < t.n; i++)
        CHECK(t.ticks[i].value >= 2 && t.ticks[i].value <= 50);
    orgfig_ticks_free(&t);
    t = ticks(ORGFIG_SCALE_LOG, 8, 12, 10);
    CHECK(count_major(&t) >= 2);
    for (size_t i = 0; i < t.n; i++)
        CHECK(strlen(t.ticks[i].label) <= 10 && !strstr(t.ticks[i].label, "0000000"));
    orgfig_ticks_free(&t);
}

/* Every tick's UTC calendar fields. */
static struct tm
utc(double t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    return tm;
}

TEST(ticks_time_years)
{
    double lo = 1.7e9, hi = lo + 3 * 365.25 * 86400; /* Nov 2023 .. Nov 2026 */
    orgfig_ticks t = ticks(ORGFIG_SCALE_TIME, lo, hi, 5);
    CHECK(t.n == 3);
    for (size_t i = 0; i < t.n; i++) {
        struct tm tm = utc(t.ticks[i].value);
        char want[16];
        snprintf(want, sizeof want, "%d", tm.tm_year + 1900);
        CHECK(tm.tm_mon == 0 && tm.tm_mday == 1 && tm.tm_hour == 0 && tm.tm_min == 0);
        CHECK(strcmp(t.ticks[i].label, want) == 0);
    }
    orgfig_ticks_free(&t);
    /* With room for more: quarterly or half-yearly ticks on the first of a
     * month; the Januaries are labelled with their years. */
    t = ticks(ORGFIG_SCALE_TIME, lo, hi, 12);
    CHECK(t.n >= 4 && t.n <= 12);
    int years = 0;
    for (size_t i = 0; i < t.n; i++) {
        struct tm tm = utc(t.ticks[i].value);
        CHECK(tm.tm_mday == 1 && tm.tm_hour == 0 && tm.tm_mon % 3 == 0);
        if (tm.tm_mon == 0) {
            char want[16];
            snprintf(want, sizeof want, "%d", tm.tm_year + 1900);
            CHECK(strcmp(t.ticks[i].label, want) == 0);
            years++;
        }
    }
    CHECK(years >= 2);
    orgfig_ticks_free(&t);
}

TEST(ticks_time_hours_and_seconds)
{
    double lo = 1710460800.0 + 3600 * 5.5; /* 2024-03-15 05:30 UTC */
    orgfig_ticks t = ticks(ORGFIG_SCALE_TIME, lo, lo + 2 * 86400, 10);
    CHECK(t.n >= 4 && t.n <= 10);
    for (size_t i = 0; i < t.n; i++) {
        struct tm tm = utc(t.ticks[i].value);
        CHECK(fmod(t.ticks[i].value, 3600) == 0 && tm.tm_hour % 3 == 0);
        char want[16];
        if (tm.tm_hour == 0)
            snprintf(want, sizeof want, "Mar %d", tm.tm_mday);
        else
            snprintf(want, sizeof want, "%02d:00", tm.tm_hour);
        CHECK(strcmp(t.ticks[i].label, want) == 0);
    }
    CHECK(strcmp(t.offset, "2024") == 0);
    orgfig_ticks_free(&t);

    t = ticks(ORGFIG_SCALE_TIME, lo + 7, lo + 97, 10); /* 90 seconds */
    CHECK(t.n >= 3 && t.n <= 10);
    for (size_t i = 0; i < t.n; i++) {
        struct tm tm = utc(t.ticks[i].value);
        char want[16];
        snprintf(want, sizeof want, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
        CHECK(strcmp(t.ticks[i].label, want) == 0);
        CHECK(tm.tm_sec % 10 == 0);
        CHECK(t.ticks[i].value >= lo + 7 && t.ticks[i].value <= lo + 97);
    }
    CHECK(strcmp(t.offset, "2024-03-15") == 0);
    orgfig_ticks_free(&t);
}

TEST(ticks_time_subsecond)
{
    /* Half a second: ticks in seconds after the whole second, which the
     * offset names. */
    orgfig_ticks t = ticks(ORGFIG_SCALE_TIME, 1700000000.13, 1700000000.63, 8);
    CHECK(t.n >= 2 && t.n <= 8);
    CHECK(strcmp(t.offset, "s after 2023-11-14 22:13:20") == 0);
    for (size_t i = 0; i < t.n; i++) {
        CHECK(t.ticks[i].value >= 1700000000.13 && t.ticks[i].value <= 1700000000.63);
        CHECK(fabs(atof(t.ticks[i].label) - (t.ticks[i].value - 1700000000)) < 1e-6);
    }
    orgfig_ticks_free(&t);
}

TEST(ticks_time_calendar_matches_libc)
{
    /* Before 1970, across leap days and centuries, and far away. */
    double ranges[][2] = {{-2.2e9, -2.1e9},
                          {-5e8, -4.9e8},
                          {9.5e8, 9.52e8},
                          {0, 1e6},
                          {4e9, 4.3e9},
                          {-1e11, 1e11},
                          {951782400 - 86400 * 3.0, 951782400 + 86400 * 3.0}};
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        for (int m = 3; m <= 12; m += 3) {
            orgfig_ticks t = ticks(ORGFIG_SCALE_TIME, ranges[r][0], ranges[r][1], m);
            CHECK(t.n >= 1 && t.n <= (size_t)m);
            for (size_t i = 0; i < t.n; i++) {
                double v = t.ticks[i].value;
                CHECK(v >= ranges[r][0] && v <= ranges[r][1]);
                CHECK(strlen(t.ticks[i].label) <= 10);
                struct tm tm = utc(v);
                const char *l = t.ticks[i].label;
                /* A four-digit label is the tick's year, "Mon D" its date. */
                static const char *mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
                if (strlen(l) >= 4 && strspn(l, "-0123456789") == strlen(l)) {
                    CHECK(atoi(l) == tm.tm_year + 1900);
                    CHECK(tm.tm_mon == 0 && tm.tm_mday == 1);
                } else if (l[0] >= 'A' && l[0] <= 'Z') {
                    CHECK(strncmp(l, mon[tm.tm_mon], 3) == 0);
                    if (l[3] == ' ')
                        CHECK(atoi(l + 4) == tm.tm_mday);
                    else
                        CHECK(tm.tm_mday == 1);
                }
            }
            orgfig_ticks_free(&t);
        }
    }
    /* 2000-02-29 exists; a 1-day tick lands on it. */
    orgfig_ticks t = ticks(ORGFIG_SCALE_TIME, 951782400 - 3600, 951782400 + 3600 * 30, 3);
    bool leap = false;
    for (size_t i = 0; i < t.n; i++)
        leap = leap || strcmp(t.ticks[i].label, "Feb 29") == 0;
    CHECK(leap);
    orgfig_ticks_free(&t);
}

TEST(view_range_contains_data)
{
    double v[][2] = {{0, 1},   {3, 3},           {0, 0},
                     {-5, -5}, {1e300, 1e300},   {-1e308, 1e308},
                     {1, 0},   {1e-300, 2e-300}, {-1.7e308, -1.7e308}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        double lo, hi, a = fmin(v[i][0], v[i][1]), b = fmax(v[i][0], v[i][1]);
        orgfig_view_range(ORGFIG_SCALE_LINEAR, v[i][0], v[i][1], 0.05, &lo, &hi);
        CHECK(isfinite(lo) && isfinite(hi) && lo < hi && lo <= a && hi >= b);
    }
    double lo, hi;
    orgfig_view_range(ORGFIG_SCALE_LINEAR, 0, 10, 0.05, &lo, &hi);
    CHECK(fabs(lo + 0.5) < 1e-12 && fabs(hi - 10.5) < 1e-12);
    orgfig_view_range(ORGFIG_SCALE_LINEAR, 0, 0, 0.05, &lo, &hi);
    CHECK(lo == -1 && hi == 1);
    orgfig_view_range(ORGFIG_SCALE_LINEAR, NAN, NAN, 0.05, &lo, &hi);
    CHECK(lo == 0 && hi == 1);
    orgfig_view_range(ORGFIG_SCALE_LINEAR, -INFINITY, INFINITY, 0.05, &lo, &hi);
    CHECK(lo == 0 && hi == 1);
    orgfig_view_range(ORGFIG_SCALE_LINEAR, 2, NAN, NAN, &lo, &hi);
    CHECK(isfinite(lo) && isfinite(hi) && lo < 2 && hi > 2);

    /* Log: whole decades when cheap, a margin in log space otherwise. */
    orgfig_view_range(ORGFIG_SCALE_LOG, 2, 800, 0.05, &lo, &hi);
    CHECK(lo == 1 && hi == 1000);
    orgfig_view_range(ORGFIG_SCALE_LOG, 3, 3e8, 0.05, &lo, &hi); /* adds exactly 1 */
    CHECK(lo == 1 && hi == 1e9);
    orgfig_view_range(ORGFIG_SCALE_LOG, 3, 2e8, 0.05, &lo, &hi); /* would add 1.18 */
    CHECK(lo < 3 && lo > 1 && hi > 2e8 && hi < 1e9);
    orgfig_view_range(ORGFIG_SCALE_LOG, 0, 100, 0.05, &lo, &hi); /* lo <= 0: hi/1e3 */
    CHECK(lo > 0 && lo <= 0.1 && hi >= 100);
    orgfig_view_range(ORGFIG_SCALE_LOG, -5, -1, 0.05, &lo, &hi);
    CHECK(lo == 1 && hi == 10);
    orgfig_view_range(ORGFIG_SCALE_LOG, 10, 10, 0.05, &lo, &hi);
    CHECK(lo < 10 && hi > 10 && lo > 0);
    orgfig_view_range(ORGFIG_SCALE_LOG, 1e-320, 1e308, 0.05, &lo, &hi);
    CHECK(lo > 0 && isfinite(hi) && lo < hi);

    /* Time: no margin into negative times for data starting at 0. */
    orgfig_view_range(ORGFIG_SCALE_TIME, 0, 100, 0.05, &lo, &hi);
    CHECK(lo == 0 && hi > 100);
    orgfig_view_range(ORGFIG_SCALE_TIME, 1.7e9, 1.7e9, 0.05, &lo, &hi);
    CHECK(lo < 1.7e9 && hi > 1.7e9);
    orgfig_view_range(ORGFIG_SCALE_TIME, -1e20, 1e20, 0.05, &lo, &hi);
    CHECK(lo >= -1e13 && hi <= 1e13);
}

/* Many random ranges of every magnitude keep all the linear properties. */
TEST(ticks_random_ranges)
{
    uint64_t x = 88172645463325252ull;
    int bad = 0;
    for (int i = 0; i < 3000 && bad < 5; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double u1 = (x & 0xffffff) / (double)0x1000000,
               u2 = ((x >> 24) & 0xffffff) / (double)0x1000000;
        int e1 = (int)((x >> 48) % 40) - 20, e2 = (int)((x >> 56) % 16);
        double center = (u1 - 0.3) * pow(10, e1);
        double width = (u2 + 1e-3) * pow(10, e1 - e2);
        double lo = center, hi = center + width;
        int m = 2 + (int)((x >> 40) % 12);
        if (!check_linear(lo, hi, m, NULL))
            bad++;
        double vlo, vhi;
        orgfig_view_range(ORGFIG_SCALE_LINEAR, lo, hi, 0.05, &vlo, &vhi);
        if (!(vlo <= lo && vhi >= hi))
            bad++;
    }
    CHECK(bad == 0);
}
