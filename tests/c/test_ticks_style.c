/* test_ticks_style.c - the tick choices that the gallery review asked for.
 *
 * These pin down readability rules on top of test_ticks.c's properties:
 * steps are 1, 2, 2.5 or 5 times a power of ten (never 3 or 4), a view
 * that ends halfway between integers (heatmap cells, categories) gets
 * integer ticks only, 2.5 steps that add a decimal lose to 2 and 5, an
 * axis with room for three ticks gets three, log axes use one label style,
 * and time axes leave room for their wider labels.  Expected values were
 * worked out by hand from the rules, not copied from the output. */
#include <math.h>
#include <string.h>

#include "../../module/core/alloc.h"
#include "../../module/core/ticks.h"
#include "harness.h"

static orgfig_ticks
style_ticks(orgfig_scale scale, double lo, double hi, int m)
{
    orgfig_ticks t = {NULL, 0, ""};
    orgfig_err err = ORGFIG_ERR_INIT;
    if (orgfig_ticks_compute(scale, lo, hi, m, NULL, &t, &err) != ORGFIG_OK) {
        fprintf(stderr, "  ticks [%g, %g]: %s\n", lo, hi, err.msg);
        t.ticks = NULL;
        t.n = 0;
    }
    return t;
}

/* The major tick values of [LO, HI] with M ticks at most, as text
 * "v0 v1 ..." of their labels, for readable failure messages. */
static void
labels_of(const orgfig_ticks *t, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < t->n; i++) {
        if (t->ticks[i].minor)
            continue;
        size_t o = strlen(buf);
        snprintf(buf + o, size - o, "%s%s", o ? " " : "", t->ticks[i].label);
    }
}

static bool
labels_are(double lo, double hi, int m, const char *want)
{
    orgfig_ticks t = style_ticks(ORGFIG_SCALE_LINEAR, lo, hi, m);
    char got[512];
    labels_of(&t, got, sizeof got);
    orgfig_ticks_free(&t);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "  [%g, %g] m=%d: got \"%s\", want \"%s\"\n", lo, hi, m, got,
                want);
        return false;
    }
    return true;
}

TEST(ticks_style_steps_never_3_or_4)
{
    /* A sweep of ranges and sizes; every step's mantissa is 1, 2, 2.5 or 5. */
    int bad = 0;
    for (int m = 2; m <= 12; m++) {
        for (int i = 1; i <= 400; i++) {
            double lo = -0.37 * i * i / 50.0 - 0.013 * i, hi = 0.11 * i + 0.7 * sin(i);
            if (!(hi > lo))
                continue;
            orgfig_ticks t = style_ticks(ORGFIG_SCALE_LINEAR, lo, hi, m);
            if (t.n >= 2) {
                double step = t.ticks[1].value - t.ticks[0].value;
                double mant = step / pow(10, floor(log10(step) + 1e-9));
                bool ok = fabs(mant - 1) < 1e-6 || fabs(mant - 2) < 1e-6 ||
                          fabs(mant - 2.5) < 1e-6 || fabs(mant - 5) < 1e-6;
                if (!ok && bad++ < 5)
                    fprintf(stderr, "  [%g, %g] m=%d: step %g\n", lo, hi, m, step);
            }
            orgfig_ticks_free(&t);
        }
    }
    CHECK(bad == 0);
    /* The review's cases: a colorbar over (-1, 1) and the rows of a twin
     * axis over 1..22 had steps of 0.3 and 3. */
    orgfig_ticks t = style_ticks(ORGFIG_SCALE_LINEAR, 1.05, 21.95, 11);
    REQUIRE(t.n >= 2);
    CHECK(fmod(t.ticks[1].value - t.ticks[0].value, 3) != 0);
    orgfig_ticks_free(&t);
}

TEST(ticks_style_cells_get_integer_ticks)
{
    /* Heatmaps of 1..60 cells: the view is [-0.5, n - 0.5]. */
    for (int n = 1; n <= 60; n++) {
        for (int m = 2; m <= 12; m++) {
            orgfig_ticks t = style_ticks(ORGFIG_SCALE_LINEAR, -0.5, n - 0.5, m);
            CHECK(t.n >= 1);
            for (size_t i = 0; i < t.n; i++) {
                double v = t.ticks[i].value;
                if (v != floor(v) || strchr(t.ticks[i].label, '.')) {
                    fprintf(stderr, "  %d cells, m=%d: tick %s\n", n, m,
                            t.ticks[i].label);
                    CHECK(false);
                    break;
                }
            }
            orgfig_ticks_free(&t);
        }
    }
    CHECK(labels_are(-0.5, 2.5, 12, "0 1 2"));
    CHECK(labels_are(-0.5, 1.5, 11, "0 1"));
    CHECK(labels_are(-0.5, 0.5, 12, "0"));
    /* An ordinary range keeps its fractional steps. */
    CHECK(labels_are(-0.05, 1.05, 12, "0.0 0.2 0.4 0.6 0.8 1.0"));
}

TEST(ticks_style_prefers_fewer_decimals)
{
    /* Both -2 0 2 and -2.5 0 2.5 fit three ticks; the integers win. */
    CHECK(labels_are(-3.3, 3.2, 5, "-2 0 2"));
    CHECK(labels_are(-2.8, 2.9, 4, "-2 0 2"));
    CHECK(labels_are(-5.5, 5.4, 12, "-4 -2 0 2 4"));
    /* Not a lopsided "0 20" on a range from -19 to 22. */
    CHECK(labels_are(-18.9, 21.9, 5, "-10 0 10 20"));
    /* 0.2 steps over 0.25 steps on the unit interval. */
    CHECK(labels_are(-0.05, 1.05, 12, "0.0 0.2 0.4 0.6 0.8 1.0"));
    /* A 2.5 step that needs no decimal stays allowed: 0 25 50 75 100. */
    orgfig_ticks t = style_ticks(ORGFIG_SCALE_LINEAR, -2, 102, 6);
    char got[256];
    labels_of(&t, got, sizeof got);
    CHECK(strchr(got, '.') == NULL);
    orgfig_ticks_free(&t);
}

TEST(ticks_style_three_ticks_when_they_fit)
{
    CHECK(labels_are(0, 5.25, 4, "0 2 4"));
    CHECK(labels_are(-0.02, 0.42, 3, "0.0 0.2 0.4"));
    /* Two ticks when only two fit. */
    orgfig_ticks t = style_ticks(ORGFIG_SCALE_LINEAR, 0, 5.25, 2);
    CHECK(t.n == 2);
    orgfig_ticks_free(&t);
}

/* True when LABEL is written as a power ("10" followed by superscripts). */
static bool
power_form(const char *label)
{
    return strncmp(label, "10\xe2", 3) == 0 || strncmp(label, "10\xc2", 3) == 0;
}

TEST(ticks_style_log_labels_one_style)
{
    double ranges[][2] = {{1, 1e9},   {0.01, 1e9}, {1, 1e5},      {1e-6, 1},
                          {0.1, 1e3}, {1e-3, 1},   {1e-15, 1e15}, {3, 3e8}};
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        orgfig_ticks t = style_ticks(ORGFIG_SCALE_LOG, ranges[r][0], ranges[r][1], 10);
        int powers = 0, plain = 0;
        for (size_t i = 0; i < t.n; i++) {
            if (t.ticks[i].minor)
                continue;
            if (power_form(t.ticks[i].label))
                powers++;
            else
                plain++;
        }
        if (powers && plain) {
            char got[512];
            labels_of(&t, got, sizeof got);
            fprintf(stderr, "  log [%g, %g]: mixed \"%s\"\n", ranges[r][0], ranges[r][1],
                    got);
        }
        CHECK(powers + plain >= 2 && !(powers && plain));
        orgfig_ticks_free(&t);
    }
    /* Small ranges stay plain. */
    orgfig_ticks t = style_ticks(ORGFIG_SCALE_LOG, 0.1, 1000, 12);
    char got[256];
    labels_of(&t, got, sizeof got);
    CHECK(strcmp(got, "0.1 1 10 100 1000") == 0);
    orgfig_ticks_free(&t);
}

TEST(ticks_style_time_labels_have_room)
{
    /* Ten days on an axis sized for 12 numbers: "Nov 15" labels are twice
     * as wide as numbers, so every other day at most. */
    double t0 = 1700000000;
    orgfig_ticks t = style_ticks(ORGFIG_SCALE_TIME, t0, t0 + 10 * 86400, 12);
    CHECK(t.n >= 3 && t.n <= 8);
    REQUIRE(t.n >= 2);
    CHECK(t.ticks[1].value - t.ticks[0].value >= 2 * 86400);
    orgfig_ticks_free(&t);
    /* Six hours: hourly ticks still fit (7 of "14:30"). */
    t = style_ticks(ORGFIG_SCALE_TIME, t0, t0 + 6 * 3600, 12);
    REQUIRE(t.n >= 2);
    CHECK(t.ticks[1].value - t.ticks[0].value == 3600);
    orgfig_ticks_free(&t);
    /* Years are short labels: twelve years keep yearly or two-yearly ticks. */
    t = style_ticks(ORGFIG_SCALE_TIME, t0, t0 + 12 * 31556952.0, 12);
    CHECK(t.n >= 6);
    orgfig_ticks_free(&t);
}
