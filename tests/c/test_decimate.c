/* test_decimate.c - M4 decimation against a brute-force computation. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../module/core/alloc.h"
#include "../../module/core/decimate.h"
#include "harness.h"

static uint64_t rng_state = 0x243F6A8885A308D3ull;

static double
urand(void)
{
    return test_xorshift(&rng_state);
}

/* What the output must contain, computed point by point. */
typedef struct group {
    long run, col;
    size_t first, last;
    double ymin, ymax;
    size_t seen; /* output points in this group */
    size_t out_first, out_last;
    double out_min, out_max;
} group;

/* Column of X by the documented edges (linear or log). */
static long
column_by_edges(double x, double x0, double x1, int w, bool xlog)
{
    long b = 0;
    /* Binary search for the last edge <= x. */
    long lo = 0, hi = w - 1;
    while (lo < hi) {
        long mid = (lo + hi + 1) / 2;
        double e = xlog ? x0 * pow(x1 / x0, (double)mid / w) : x0 + (x1 - x0) * mid / w;
        if (e <= x)
            lo = mid;
        else
            hi = mid - 1;
    }
    b = lo;
    return b;
}

static double
xval(const orgfig_column *x, size_t i)
{
    return x ? orgfig_column_get(x, i) : (double)i;
}

/* Check OUT against the brute force for X (NULL: indices), Y and OPTS. */
static void
verify(const orgfig_column *x, const orgfig_column *y, const orgfig_m4_opts *o,
       const orgfig_m4_out *out, size_t *ngroups_out)
{
    size_t n = y->n;
    /* Runs: split at non-finite y; run ids for each index. */
    long *run = malloc(n * sizeof *run);
    group *g = malloc((n + 2) * sizeof *g);
    long *gid = malloc(n * sizeof *gid);
    if (!run || !g || !gid) {
        CHECK(!"malloc");
        free(run);
        free(g);
        free(gid);
        return;
    }
    long r = 0;
    bool prev_finite = false;
    for (size_t i = 0; i < n; i++) {
        bool fin = isfinite(orgfig_column_get(y, i));
        if (fin && !prev_finite)
            r++;
        run[i] = fin ? r : -1;
        prev_finite = fin;
    }
    /* Groups: (run, column) for points in view; the last point before and
     * the first after the view are groups of their own. */
    size_t ng = 0;
    size_t before = n, after = n;
    for (size_t i = 0; i < n; i++) {
        double xi = xval(x, i);
        if (xi < o->x0)
            before = i;
        else if (xi > o->x1 && after == n)
            after = i;
    }
    for (size_t i = 0; i < n; i++) {
        gid[i] = -1;
        if (run[i] < 0)
            continue;
        double xi = xval(x, i), yi = orgfig_column_get(y, i);
        long c;
        if (i == before)
            c = -1;
        else if (i == after)
            c = o->width;
        else if (xi < o->x0 || xi > o->x1)
            continue;
        else
            c = column_by_edges(xi, o->x0, o->x1, o->width, o->xlog);
        if (ng > 0 && g[ng - 1].run == run[i] && g[ng - 1].col == c) {
            group *k = &g[ng - 1];
            k->last = i;
            k->ymin = yi < k->ymin ? yi : k->ymin;
            k->ymax = yi > k->ymax ? yi : k->ymax;
        } else {
            g[ng++] = (group){run[i], c, i, i, yi, yi, 0, 0, 0, 0, 0};
        }
        gid[i] = (long)ng - 1;
    }
    /* Walk the output: each point must be the next matching original point;
     * (NaN, NaN) exactly between points of different runs. */
    size_t j = 0, gaps = 0;
    long last_run = 0;
    bool sep = false, bad_order = false, bad_sep = false;
    for (size_t p = 0; p < out->n; p++) {
        double ox = out->xy[2 * p], oy = out->xy[2 * p + 1];
        if (isnan(ox) && isnan(oy)) {
            if (p == 0 || p + 1 == out->n || sep)
                bad_sep = true;
            sep = true;
            gaps++;
            continue;
        }
        while (j < n &&
               !(gid[j] >= 0 && xval(x, j) == ox && orgfig_column_get(y, j) == oy))
            j++;
        if (j == n) {
            bad_order = true;
            break;
        }
        if (p > 0 && (run[j] != last_run) != sep)
            bad_sep = true;
        sep = false;
        last_run = run[j];
        group *k = &g[gid[j]];
        if (k->seen == 0) {
            k->out_first = j;
            k->out_min = k->out_max = oy;
        }
        k->out_last = j;
        k->out_min = oy < k->out_min ? oy : k->out_min;
        k->out_max = oy > k->out_max ? oy : k->out_max;
        k->seen++;
        j++;
    }
    CHECK(!bad_order);
    CHECK(!bad_sep);
    CHECK(gaps == out->gaps);
    size_t bad_groups = 0;
    for (size_t i = 0; i < ng; i++) {
        group *k = &g[i];
        if (k->seen == 0 || k->seen > 4 || k->out_first != k->first ||
            k->out_last != k->last || k->out_min != k->ymin || k->out_max != k->ymax)
            bad_groups++;
    }
    CHECK(bad_groups == 0);
    /* The size bound: four per column and run, plus the edges and gaps. */
    CHECK(out->n <= 4 * ng + out->gaps);
    *ngroups_out = ng;
    free(run);
    free(g);
    free(gid);
}

static orgfig_column *
random_walk(size_t n, double nan_rate, orgfig_dtype dtype)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *c = orgfig_column_new(n, dtype, &err);
    if (!c)
        return NULL;
    double v = 0;
    for (size_t i = 0; i < n; i++) {
        v += urand() - 0.5;
        orgfig_column_put(c, i, urand() < nan_rate ? NAN : v);
    }
    return c;
}

static orgfig_column *
sorted_x(size_t n, double repeat_rate)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *c = orgfig_column_new(n, ORGFIG_F64, &err);
    if (!c)
        return NULL;
    double v = 1;
    for (size_t i = 0; i < n; i++) {
        if (urand() >= repeat_rate)
            v += urand() * 0.01;
        ((double *)c->data)[i] = v;
    }
    return c;
}

TEST(m4_random_walk_matches_brute_force)
{
    size_t n = 200000;
    orgfig_column *x = sorted_x(n, 0.05);
    orgfig_column *y = random_walk(n, 0.0005, ORGFIG_F64);
    REQUIRE(x && y);
    double xa = ((double *)x->data)[0], xb = ((double *)x->data)[n - 1];
    orgfig_m4_opts views[] = {
        {xa, xb, 800, false},                                        /* everything */
        {xa + (xb - xa) * 0.3, xa + (xb - xa) * 0.6, 640, false},    /* a window */
        {xa + (xb - xa) * 0.5, xa + (xb - xa) * 0.5001, 300, false}, /* sparse */
        {xa, xb, 1, false},
        {xa * 1.1, xb * 0.9, 500, true}, /* log x */
    };
    orgfig_meter m = {0};
    orgfig_m4_out out = ORGFIG_M4_OUT_INIT(&m);
    for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
        orgfig_err err = ORGFIG_ERR_INIT;
        REQUIRE(orgfig_m4_decimate(x, y, &views[v], NULL, &out, "test", &err) ==
                ORGFIG_OK);
        CHECK(!out.unsorted);
        CHECK(out.n > 0);
        CHECK(out.n <= 4 * (size_t)views[v].width + out.gaps + 2 + 4 * out.gaps);
        size_t ng = 0;
        verify(x, y, &views[v], &out, &ng);
        CHECK(ng > 0);
    }
    /* The whole walk in 800 columns is much smaller than the input. */
    orgfig_err err = ORGFIG_ERR_INIT;
    REQUIRE(orgfig_m4_decimate(x, y, &views[0], NULL, &out, "test", &err) == ORGFIG_OK);
    CHECK(out.n < 4 * 800 + 5 * out.gaps + 2);
    CHECK(out.gaps > 20); /* ~100 NaNs split the line */
    CHECK(m.bytes == orgfig_alloc_size(out.xy));
    orgfig_m4_out_free(&out);
    CHECK(m.bytes == 0);
    orgfig_column_unref(x);
    orgfig_column_unref(y);
}

TEST(m4_index_x_and_float32)
{
    size_t n = 200000;
    orgfig_column *y = random_walk(n, 0.0002, ORGFIG_F32);
    REQUIRE(y != NULL);
    orgfig_m4_opts views[] = {{0, (double)(n - 1), 1000, false},
                              {1234.5, 98765.25, 333, false},
                              {-50, 10, 7, false}};
    orgfig_m4_out out = ORGFIG_M4_OUT_INIT(NULL);
    for (size_t v = 0; v < 3; v++) {
        orgfig_err err = ORGFIG_ERR_INIT;
        REQUIRE(orgfig_m4_decimate(NULL, y, &views[v], NULL, &out, "test", &err) ==
                ORGFIG_OK);
        size_t ng = 0;
        verify(NULL, y, &views[v], &out, &ng);
        CHECK(ng > 0);
    }
    orgfig_m4_out_free(&out);
    orgfig_column_unref(y);
}

TEST(m4_gap_preserved_exactly)
{
    double xs[] = {0, 1, 2, 3, 4, 5};
    double ys[] = {1, 2, NAN, 3, 4, NAN};
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *x = orgfig_column_from_doubles(xs, 6, &err);
    orgfig_column *y = orgfig_column_from_doubles(ys, 6, &err);
    REQUIRE(x && y);
    orgfig_m4_opts o = {0, 5, 1, false};
    orgfig_m4_out out = ORGFIG_M4_OUT_INIT(NULL);
    REQUIRE(orgfig_m4_decimate(x, y, &o, NULL, &out, "test", &err) == ORGFIG_OK);
    /* (0,1) (1,2) | (3,3) (4,4): one separator, none at the end. */
    REQUIRE(out.n == 5);
    CHECK(out.gaps == 1);
    double want[10] = {0, 1, 1, 2, NAN, NAN, 3, 3, 4, 4};
    for (int i = 0; i < 10; i++)
        CHECK(isnan(want[i]) ? isnan(out.xy[i]) : out.xy[i] == want[i]);
    orgfig_m4_out_free(&out);
    orgfig_column_unref(x);
    orgfig_column_unref(y);
}

TEST(m4_keeps_points_just_outside_the_view)
{
    double xs[] = {0, 1, 2, 3, 4, 5, 6, 7};
    double ys[] = {9, 8, 7, 6, 5, 4, 3, 2};
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *x = orgfig_column_from_doubles(xs, 8, &err);
    orgfig_column *y = orgfig_column_from_doubles(ys, 8, &err);
    REQUIRE(x && y);
    orgfig_m4_opts o = {2.5, 4.5, 2, false};
    orgfig_m4_out out = ORGFIG_M4_OUT_INIT(NULL);
    REQUIRE(orgfig_m4_decimate(x, y, &o, NULL, &out, "test", &err) == ORGFIG_OK);
    /* 2 (before), 3, 4 (in view), 5 (after). */
    REQUIRE(out.n == 4);
    CHECK(out.xy[0] == 2 && out.xy[2] == 3 && out.xy[4] == 4 && out.xy[6] == 5);
    CHECK(out.xy[7] == 4);
    orgfig_m4_out_free(&out);
    orgfig_column_unref(x);
    orgfig_column_unref(y);
}

TEST(m4_unsorted_and_bad_arguments)
{
    double xs[] = {0, 2, 1};
    double ys[] = {1, 2, 3, 4};
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *x = orgfig_column_from_doubles(xs, 3, &err);
    orgfig_column *y = orgfig_column_from_doubles(ys, 3, &err);
    orgfig_column *y4 = orgfig_column_from_doubles(ys, 4, &err);
    REQUIRE(x && y && y4);
    orgfig_m4_opts o = {0, 2, 10, false};
    orgfig_m4_out out = ORGFIG_M4_OUT_INIT(NULL);
    CHECK(orgfig_m4_decimate(x, y, &o, NULL, &out, "orgfig-line", &err) == ORGFIG_OK);
    CHECK(out.unsorted && out.n == 0);
    /* NaN in x also means "not sorted". */
    double xn[] = {0, NAN, 2};
    orgfig_column *xnan = orgfig_column_from_doubles(xn, 3, &err);
    REQUIRE(xnan != NULL);
    CHECK(orgfig_m4_decimate(xnan, y, &o, NULL, &out, "orgfig-line", &err) == ORGFIG_OK);
    CHECK(out.unsorted);
    CHECK(orgfig_m4_decimate(x, y4, &o, NULL, &out, "orgfig-line", &err) ==
          ORGFIG_E_INVALID);
    CHECK(strcmp(err.msg, "orgfig-line: X has 3 values but Y has 4") == 0);
    orgfig_m4_opts bad[] = {{1, 1, 10, false}, {2, 1, 10, false}, {0, NAN, 10, false},
                            {0, 1, 0, false},  {0, 1, 10, true},  {-1, 1, 10, true}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        orgfig_err_clear(&err);
        CHECK(orgfig_m4_decimate(NULL, y, &bad[i], NULL, &out, "f", &err) ==
              ORGFIG_E_INVALID);
    }
    /* An empty line and a view with nothing in it. */
    orgfig_column *empty = orgfig_column_new(0, ORGFIG_F64, &err);
    REQUIRE(empty != NULL);
    orgfig_err_clear(&err);
    CHECK(orgfig_m4_decimate(NULL, empty, &o, NULL, &out, "f", &err) == ORGFIG_OK);
    CHECK(out.n == 0);
    orgfig_m4_opts far = {100, 200, 10, false};
    CHECK(orgfig_m4_decimate(NULL, y, &far, NULL, &out, "f", &err) == ORGFIG_OK);
    CHECK(out.n == 1 && out.xy[0] == 2); /* just the last point before */
    orgfig_m4_out_free(&out);
    orgfig_column_unref(x);
    orgfig_column_unref(xnan);
    orgfig_column_unref(y);
    orgfig_column_unref(y4);
    orgfig_column_unref(empty);
}

static bool
stop_second(void *ctx)
{
    return ++*(int *)ctx >= 2;
}

TEST(m4_poll_and_fault_injection)
{
    size_t n = 3u << 20;
    orgfig_column *y = random_walk(n, 0.001, ORGFIG_F64);
    REQUIRE(y != NULL);
    orgfig_m4_opts o = {0, (double)n, 500, false};
    int calls = 0;
    orgfig_hooks h = {stop_second, NULL, &calls};
    orgfig_m4_out out = ORGFIG_M4_OUT_INIT(NULL);
    orgfig_err err = ORGFIG_ERR_INIT;
    CHECK(orgfig_m4_decimate(NULL, y, &o, &h, &out, "orgfig-line", &err) ==
          ORGFIG_E_QUIT);
    CHECK(calls == 2 && out.n == 0);
    /* A long stretch of NaN polls too. */
    orgfig_column *nan = orgfig_column_new(n, ORGFIG_F32, &err);
    REQUIRE(nan != NULL);
    for (size_t i = 0; i < n; i++)
        orgfig_column_put(nan, i, NAN);
    calls = 0;
    orgfig_err_clear(&err);
    CHECK(orgfig_m4_decimate(NULL, nan, &o, &h, &out, "orgfig-line", &err) ==
          ORGFIG_E_QUIT);
    CHECK(calls == 2);
    orgfig_column_unref(nan);
    orgfig_m4_out_free(&out);
    /* Every allocation (the first reservation, then growth for the many
     * gaps) may fail: a clean error each time, then success. */
    bool done = false;
    for (uint64_t k = 1; k < 50 && !done; k++) {
        size_t held = orgfig_memory_stats().bytes;
        orgfig_err_clear(&err);
        orgfig_alloc_fail_at(k);
        orgfig_status st = orgfig_m4_decimate(NULL, y, &o, NULL, &out, "f", &err);
        orgfig_alloc_fail_at(0);
        if (st == ORGFIG_OK) {
            done = true;
            CHECK(out.n > 0);
        } else {
            CHECK(st == ORGFIG_E_NOMEM && out.n == 0);
        }
        orgfig_m4_out_free(&out);
        CHECK(orgfig_memory_stats().bytes == held);
    }
    CHECK(done);
    orgfig_column_unref(y);
}
