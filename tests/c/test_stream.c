/* test_stream.c - plots streamed from files larger than memory (stream.h).
 *
 * The oracles are the in-memory paths: a file is also loaded with the
 * dataset readers and decimated with orgfig_m4_decimate, or plotted with
 * orgfig-hist and rendered, and the streamed results must be identical.
 * Memory is checked through the allocator's peak: it must not grow with
 * the number of rows. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Memcheck is ~50x slower: the big files shrink under it (to 500k rows,
 * still 4x the rows of a 16384-bucket line and 16x the small file). */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif

#include "../../module/core/alloc.h"
#include "../../module/core/data.h"
#include "../../module/core/decimate.h"
#include "../../module/core/figure.h"
#include "../../module/core/stream.h"
#include "builders.h"
#include "harness.h"

/* ---- scratch files ---- */

static char sdir[64];
static char spaths[32][128];
static int nspaths;

static void
stream_cleanup(void)
{
    for (int i = 0; i < nspaths; i++)
        unlink(spaths[i]);
    if (sdir[0])
        rmdir(sdir);
}

static const char *
spath(const char *name)
{
    if (!sdir[0]) {
        strcpy(sdir, "/tmp/orgfig-stream-XXXXXX");
        if (!mkdtemp(sdir))
            return NULL;
        atexit(stream_cleanup);
    }
    for (int i = 0; i < nspaths; i++)
        if (strcmp(strrchr(spaths[i], '/') + 1, name) == 0)
            return spaths[i];
    if (nspaths == 32)
        return NULL;
    snprintf(spaths[nspaths], sizeof spaths[0], "%s/%s", sdir, name);
    return spaths[nspaths++];
}

static size_t
big_rows(void)
{
    return UNDER_VALGRIND() ? 500000 : 2000000;
}

static uint64_t rng_state;
static bool signal_gaps = true;

static double
urand(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Row I of the test signal: x sorted with repeats, y with NaN gaps (one
 * lone NaN every 997 rows, five in a row every 7976, at least 495 rows
 * from any other gap, so buckets of fewer rows hold at most two runs and
 * the streamed M4 must equal decimate.c's), some spikes.  No gaps when
 * signal_gaps is false. */
static void
signal_row(size_t i, double *x, double *y)
{
    *x = (double)(i / 3) * 0.25 + 10;
    double v = sin((double)i * 1e-4) * 100 + (urand() - 0.5) * 10;
    if (i % 50021 == 7)
        v += 1000;
    if (signal_gaps && (i % 997 == 500 || i % 7976 < 5))
        v = NAN;
    *y = v;
}

/* A binary file of N rows: x, y interleaved (NCOLS 2) or y only (1). */
static const char *
write_binary(const char *name, size_t n, int ncols, bool f32)
{
    const char *p = spath(name);
    struct stat sb;
    if (p && stat(p, &sb) == 0 && (size_t)sb.st_size == n * (size_t)ncols * (f32 ? 4 : 8))
        return p; /* written by an earlier test */
    FILE *fp = p ? fopen(p, "wb") : NULL;
    if (fp == NULL)
        return NULL;
    rng_state = 42;
    for (size_t i = 0; i < n; i++) {
        double x, y;
        signal_row(i, &x, &y);
        if (f32) {
            float v[2] = {(float)x, (float)y};
            fwrite(ncols == 2 ? v : v + 1, sizeof(float), (size_t)ncols, fp);
        } else {
            double v[2] = {x, y};
            fwrite(ncols == 2 ? v : v + 1, sizeof(double), (size_t)ncols, fp);
        }
    }
    fclose(fp);
    return p;
}

/* A CSV file "t,v" of N rows with a comment line, empty cells for NaN. */
static const char *
write_csv(const char *name, size_t n)
{
    const char *p = spath(name);
    FILE *fp = p ? fopen(p, "w") : NULL;
    if (fp == NULL)
        return NULL;
    rng_state = 42;
    fprintf(fp, "# generated\nt,v\n");
    for (size_t i = 0; i < n; i++) {
        double x, y;
        signal_row(i, &x, &y);
        if (isnan(y))
            fprintf(fp, "%.17g,\n", x);
        else
            fprintf(fp, "%.17g,%.17g\n", x, y);
    }
    fclose(fp);
    return p;
}

static orgfig_stream_src
bin_src(const char *path, size_t ncols, bool f32)
{
    orgfig_stream_src s = {path, ORGFIG_STREAM_BINARY, ORGFIG_CSV_OPTS_INIT,
                           ORGFIG_BINARY_OPTS_INIT};
    s.bin.ncols = ncols;
    s.bin.dtype = f32 ? ORGFIG_F32 : ORGFIG_F64;
    return s;
}

static orgfig_stream_src
csv_src(const char *path)
{
    orgfig_stream_src s = {path, ORGFIG_STREAM_CSV, ORGFIG_CSV_OPTS_INIT,
                           ORGFIG_BINARY_OPTS_INIT};
    return s;
}

static const orgfig_csv_select sel0 = {NULL, 0, 0}, sel1 = {NULL, 0, 1};

static bool
same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* Streamed M4 equals orgfig_m4_decimate on the loaded columns X (may be
 * NULL) and Y over the same range and width. */
static void
check_m4(const orgfig_stream_src *src, const orgfig_csv_select *xs,
         const orgfig_csv_select *ys, orgfig_column *x, orgfig_column *y, int width)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_m4_out got = ORGFIG_M4_OUT_INIT(NULL), want = ORGFIG_M4_OUT_INIT(NULL);
    double x0 = 0, x1 = 0;
    orgfig_status st =
        orgfig_stream_m4(src, xs, ys, width, NULL, &got, &x0, &x1, "test", &err);
    if (st != ORGFIG_OK)
        fprintf(stderr, "  %s\n", err.msg);
    CHECK(st == ORGFIG_OK);
    if (x) {
        orgfig_column_summary(x);
        CHECK(x0 == x->min && x1 == x->max);
    } else {
        CHECK(x0 == 0 && x1 == (double)y->n - 1);
    }
    orgfig_m4_opts o = {x0, x1, width, false};
    CHECK(orgfig_m4_decimate(x, y, &o, NULL, &want, "test", &err) == ORGFIG_OK);
    CHECK(!want.unsorted);
    CHECK(want.n > 100);
    CHECK(got.n == want.n);
    CHECK(got.gaps == want.gaps);
    CHECK(got.gaps > 10);
    size_t bad = 0;
    for (size_t i = 0; i < got.n && i < want.n; i++)
        bad += !same_double(got.xy[2 * i], want.xy[2 * i]) ||
               !same_double(got.xy[2 * i + 1], want.xy[2 * i + 1]);
    CHECK(bad == 0);
    orgfig_m4_out_free(&got);
    orgfig_m4_out_free(&want);
}

TEST(stream_line_binary_equals_m4_of_loaded_data)
{
    size_t n = big_rows();
    const char *p = write_binary("line2.f64", n, 2, false);
    REQUIRE(p != NULL);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_binary_opts bo = ORGFIG_BINARY_OPTS_INIT;
    bo.ncols = 2;
    orgfig_dataset *ds = orgfig_read_binary(p, &bo, NULL, &err);
    REQUIRE(ds != NULL);
    orgfig_column *x = orgfig_dataset_column_at(ds, 0, "t", &err);
    orgfig_column *y = orgfig_dataset_column_at(ds, 1, "t", &err);
    orgfig_stream_src src = bin_src(p, 2, false);
    check_m4(&src, &sel0, &sel1, x, y, ORGFIG_STREAM_LINE_BINS);
    check_m4(&src, &sel0, &sel1, x, y, 5000);
    /* Columns named "1" and "2", as orgfig-read-binary names them. */
    orgfig_csv_select n1 = {"1", 1, 0}, n2 = {"2", 1, 0};
    check_m4(&src, &n1, &n2, x, y, 7000);
    /* Without X: row numbers. */
    check_m4(&src, NULL, &sel1, NULL, y, ORGFIG_STREAM_LINE_BINS);
    orgfig_dataset_free(ds);
}

TEST(stream_line_float32_and_index_equal_m4)
{
    size_t n = 300000;
    const char *p = write_binary("line1.f32", n, 1, true);
    REQUIRE(p != NULL);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_binary_opts bo = ORGFIG_BINARY_OPTS_INIT;
    bo.dtype = ORGFIG_F32;
    orgfig_dataset *ds = orgfig_read_binary(p, &bo, NULL, &err);
    REQUIRE(ds != NULL);
    orgfig_column *y = orgfig_dataset_column_at(ds, 0, "t", &err);
    orgfig_stream_src src = bin_src(p, 1, true);
    check_m4(&src, NULL, &sel0, NULL, y, 5000);
    orgfig_dataset_free(ds);
}

TEST(stream_line_csv_equals_m4_of_loaded_data)
{
    size_t n = 300000;
    const char *p = write_csv("line.csv", n);
    REQUIRE(p != NULL);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_dataset *ds = orgfig_read_csv(p, NULL, NULL, &err);
    REQUIRE(ds != NULL);
    orgfig_column *x = orgfig_dataset_column(ds, "t", 1, "t", &err);
    orgfig_column *y = orgfig_dataset_column(ds, "v", 1, "t", &err);
    REQUIRE(x && y && y->n == n);
    orgfig_stream_src src = csv_src(p);
    orgfig_csv_select t = {"t", 1, 0}, v = {"v", 1, 0};
    check_m4(&src, &t, &v, x, y, ORGFIG_STREAM_LINE_BINS);
    check_m4(&src, NULL, &v, NULL, y, 3000);
    /* Small read buffers: records cross every chunk boundary. */
    orgfig_csv_set_read_size(4093);
    check_m4(&src, &t, &v, x, y, 1000);
    orgfig_csv_set_read_size(0);
    orgfig_dataset_free(ds);
}

TEST(stream_line_many_gaps_stay_bounded)
{
    /* Every other y is NaN: a run per point, far more than two per bucket. */
    const char *p = spath("gaps.f64");
    FILE *fp = fopen(p, "wb");
    REQUIRE(fp != NULL);
    size_t n = 400000;
    for (size_t i = 0; i < n; i++) {
        double v = i % 2 ? NAN : (double)(i % 1000);
        fwrite(&v, 8, 1, fp);
    }
    fclose(fp);
    orgfig_stream_src src = bin_src(p, 1, false);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_m4_out out = ORGFIG_M4_OUT_INIT(NULL);
    double x0, x1;
    int width = 1000;
    REQUIRE(orgfig_stream_m4(&src, NULL, &sel0, width, NULL, &out, &x0, &x1, "t", &err) ==
            ORGFIG_OK);
    CHECK(out.n <= 10 * (size_t)width + 1);
    CHECK(out.n >= 4 * (size_t)width);
    /* Breaks are never first, last or doubled; points stay in x order. */
    CHECK(!isnan(out.xy[0]) && !isnan(out.xy[2 * (out.n - 1)]));
    double last = -1;
    bool ok = true;
    for (size_t i = 0; i < out.n; i++) {
        double x = out.xy[2 * i];
        if (isnan(x)) {
            ok = ok && !isnan(out.xy[2 * i - 2]);
            continue;
        }
        ok = ok && x >= last && fmod(x, 2) == 0;
        last = x;
    }
    CHECK(ok);
    orgfig_m4_out_free(&out);
}

TEST(stream_line_unsorted_x_is_an_error)
{
    const char *p = spath("unsorted.csv");
    FILE *fp = fopen(p, "w");
    REQUIRE(fp != NULL);
    fprintf(fp, "x,y\n1,1\n2,2\n3,3\n2.5,4\n5,5\n");
    fclose(fp);
    orgfig_stream_src src = csv_src(p);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_figure *f = tb_figure(200, 150, 1);
    REQUIRE(f != NULL);
    CHECK(orgfig_stream_line(f, &src, &sel0, &sel1, NULL, 0, NULL, &err) ==
          ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "orgfig-line: streamed X must be sorted") != NULL);
    CHECK(strstr(err.msg, "row 3") != NULL);
    CHECK(orgfig_figure_nartists(f) == 0);
    orgfig_figure_free(f);
}

/* ---- histograms ---- */

static orgfig_status
render_png(orgfig_figure *f, orgfig_buf *out)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_render_opts o = {.format = ORGFIG_FORMAT_PNG, .png_level = -1};
    orgfig_status st = orgfig_figure_render(f, &o, out, &err);
    if (st != ORGFIG_OK)
        fprintf(stderr, "  render: %s\n", err.msg);
    return st;
}

/* orgfig-hist of the loaded column COL and the streamed histogram of SRC
 * render to the same bytes. */
static bool
hist_renders_same(orgfig_column *col, const orgfig_stream_src *src,
                  const orgfig_csv_select *sel, const orgfig_prop *props, size_t nprops)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_figure *a = tb_figure(320, 240, 1), *b = tb_figure(320, 240, 1);
    bool same = false;
    orgfig_value arg = tb_col(col);
    orgfig_buf pa = ORGFIG_BUF_INIT(NULL), pb = ORGFIG_BUF_INIT(NULL);
    if (orgfig_figure_plot(a, ORGFIG_HIST, &arg, 1, props, nprops, &err) != ORGFIG_OK ||
        orgfig_stream_hist(b, src, sel, props, nprops, NULL, &err) != ORGFIG_OK) {
        fprintf(stderr, "  hist: %s\n", err.msg);
        goto out;
    }
    if (render_png(a, &pa) != ORGFIG_OK || render_png(b, &pb) != ORGFIG_OK)
        goto out;
    same = pa.len == pb.len && memcmp(pa.data, pb.data, pa.len) == 0;
out:
    orgfig_buf_free(&pa);
    orgfig_buf_free(&pb);
    orgfig_figure_free(a);
    orgfig_figure_free(b);
    return same;
}

TEST(stream_hist_renders_like_orgfig_hist)
{
    size_t n = 60000; /* under the reservoir: :bins auto is exact too */
    const char *p = write_binary("hist.f64", n, 2, false);
    REQUIRE(p != NULL);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_binary_opts bo = ORGFIG_BINARY_OPTS_INIT;
    bo.ncols = 2;
    orgfig_dataset *ds = orgfig_read_binary(p, &bo, NULL, &err);
    REQUIRE(ds != NULL);
    orgfig_column *y = orgfig_dataset_column_at(ds, 1, "t", &err);
    orgfig_stream_src src = bin_src(p, 2, false);
    double range[2] = {-50, 80};
    orgfig_column *rc = tb_column(range, 2);
    orgfig_prop p_auto[] = {{"label", tb_str("y")}};
    orgfig_prop p_bins[] = {{"bins", tb_num(37)}};
    orgfig_prop p_range[] = {{"bins", tb_num(25)}, {"range", tb_col(rc)}};
    orgfig_prop p_range_auto[] = {{"range", tb_col(rc)}, {"color", tb_str("red")}};
    orgfig_prop p_dens[] = {{"bins", tb_num(30)}, {"density", tb_t}};
    orgfig_prop p_cum[] = {{"cumulative", tb_t}, {"histtype", tb_sym("step")}};
    CHECK(hist_renders_same(y, &src, &sel1, p_auto, 1));
    CHECK(hist_renders_same(y, &src, &sel1, p_bins, 1));
    CHECK(hist_renders_same(y, &src, &sel1, p_range, 2));
    CHECK(hist_renders_same(y, &src, &sel1, p_range_auto, 2));
    CHECK(hist_renders_same(y, &src, &sel1, p_dens, 2));
    CHECK(hist_renders_same(y, &src, &sel1, p_cum, 2));
    orgfig_column_unref(rc);
    orgfig_dataset_free(ds);
}

TEST(stream_hist_counts_match_loaded_counts)
{
    size_t n = big_rows();
    const char *p = write_binary("line2.f64", n, 2, false);
    REQUIRE(p != NULL);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_binary_opts bo = ORGFIG_BINARY_OPTS_INIT;
    bo.ncols = 2;
    orgfig_dataset *ds = orgfig_read_binary(p, &bo, NULL, &err);
    REQUIRE(ds != NULL);
    orgfig_column *y = orgfig_dataset_column_at(ds, 1, "t", &err);
    orgfig_column_summary(y);
    orgfig_stream_src src = bin_src(p, 2, false);
    orgfig_stream_hist_opts o = {64, false, 0, 0};
    orgfig_stream_hist_out h = {0};
    REQUIRE(orgfig_stream_hist_counts(&src, &sel1, &o, NULL, &h, "t", &err) == ORGFIG_OK);
    CHECK(h.nbins == 64 && h.lo == y->min && h.hi == y->max);
    CHECK(h.n == y->nfinite);
    /* An independent count by floor((v - lo) / width); values within
     * 1e-9 bin widths of an edge may fall on either side of it. */
    double w = (h.hi - h.lo) / 64, total = 0;
    size_t naive[64] = {0}, ambiguous = 0;
    for (size_t i = 0; i < y->n; i++) {
        double v = orgfig_column_get(y, i);
        if (!isfinite(v))
            continue;
        double f = (v - h.lo) / w;
        long k = (long)floor(f);
        naive[k < 0 ? 0 : k > 63 ? 63 : k]++;
        ambiguous += fabs(f - floor(f + 0.5)) < 1e-9 && f > 0.5 && f < 63.5;
    }
    bool ok = true;
    for (int b = 0; b < 64; b++) {
        total += h.counts[b];
        ok = ok && fabs(h.counts[b] - (double)naive[b]) <= (double)ambiguous;
    }
    CHECK(ok);
    CHECK(ambiguous < 100);
    CHECK(total == (double)y->nfinite);
    orgfig_stream_hist_out_free(&h);

    /* :bins auto on more values than the reservoir: a sane count, every
     * finite value counted once. */
    o.bins = 0;
    REQUIRE(orgfig_stream_hist_counts(&src, &sel1, &o, NULL, &h, "t", &err) == ORGFIG_OK);
    CHECK(h.nbins >= 10 && h.nbins <= 1000);
    total = 0;
    for (size_t b = 0; b < h.nbins; b++)
        total += h.counts[b];
    CHECK(total == (double)y->nfinite);
    orgfig_stream_hist_out_free(&h);
    orgfig_dataset_free(ds);
}

/* ---- density ---- */

TEST(stream_density_counts_every_finite_point)
{
    size_t n = 500000;
    const char *p = write_csv("dens.csv", n);
    REQUIRE(p != NULL);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_dataset *ds = orgfig_read_csv(p, NULL, NULL, &err);
    REQUIRE(ds != NULL);
    orgfig_column *x = orgfig_dataset_column(ds, "t", 1, "t", &err);
    orgfig_column *y = orgfig_dataset_column(ds, "v", 1, "t", &err);
    size_t finite = 0;
    double ymin = INFINITY, ymax = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double a = orgfig_column_get(x, i), b = orgfig_column_get(y, i);
        if (isfinite(a) && isfinite(b)) {
            finite++;
            ymin = fmin(ymin, b);
            ymax = fmax(ymax, b);
        }
    }
    orgfig_stream_src src = csv_src(p);
    orgfig_csv_select t = {"t", 1, 0}, v = {"v", 1, 0};
    orgfig_stream_grid g = {0};
    REQUIRE(orgfig_stream_grid_counts(&src, &t, &v, 300, 200, NULL, &g, "t", &err) ==
            ORGFIG_OK);
    uint64_t sum = 0;
    for (size_t k = 0; k < g.nx * g.ny; k++)
        sum += g.counts[k];
    CHECK(sum == finite && g.n == finite);
    CHECK(g.y0 == ymin && g.y1 == ymax);
    /* The spikes (y near 1000) land in the top rows only. */
    uint64_t top = 0;
    for (size_t i = 0; i < g.nx; i++)
        top += g.counts[(g.ny - 1) * g.nx + i];
    CHECK(top >= 1 && top <= 20);
    orgfig_stream_grid_free(&g);
    orgfig_dataset_free(ds);

    /* Known cells: four points at the corners and one in the middle. */
    const char *q = spath("cells.csv");
    FILE *fp = fopen(q, "w");
    REQUIRE(fp != NULL);
    fprintf(fp, "x,y\n0,0\n10,0\n0,10\n10,10\n5,5\nnan,3\n4,\n");
    fclose(fp);
    orgfig_stream_src s2 = csv_src(q);
    REQUIRE(orgfig_stream_grid_counts(&s2, &sel0, &sel1, 4, 4, NULL, &g, "t", &err) ==
            ORGFIG_OK);
    CHECK(g.n == 5);
    CHECK(g.counts[0] == 1 && g.counts[3] == 1 && g.counts[12] == 1 && g.counts[15] == 1);
    CHECK(g.counts[2 * 4 + 2] == 1);
    orgfig_stream_grid_free(&g);
}

/* ---- memory ---- */

static size_t
peak_during_line(const char *path, size_t ncols)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_stream_src src = bin_src(path, ncols, false);
    orgfig_m4_out out = ORGFIG_M4_OUT_INIT(NULL);
    double x0, x1;
    size_t base = orgfig_memory_stats().bytes;
    orgfig_memory_reset_peak();
    orgfig_status st = orgfig_stream_m4(&src, &sel0, &sel1, ORGFIG_STREAM_LINE_BINS, NULL,
                                        &out, &x0, &x1, "t", &err);
    size_t peak = orgfig_memory_stats().peak - base;
    orgfig_m4_out_free(&out);
    return st == ORGFIG_OK ? peak : SIZE_MAX;
}

static size_t
peak_during_hist(const char *path)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_stream_src src = bin_src(path, 2, false);
    orgfig_stream_hist_opts o = {0, false, 0, 0};
    orgfig_stream_hist_out h = {0};
    size_t base = orgfig_memory_stats().bytes;
    orgfig_memory_reset_peak();
    orgfig_status st = orgfig_stream_hist_counts(&src, &sel1, &o, NULL, &h, "t", &err);
    size_t peak = orgfig_memory_stats().peak - base;
    orgfig_stream_hist_out_free(&h);
    return st == ORGFIG_OK ? peak : SIZE_MAX;
}

static size_t
peak_during_grid(const char *path)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_stream_src src = bin_src(path, 2, false);
    orgfig_stream_grid g = {0};
    size_t base = orgfig_memory_stats().bytes;
    orgfig_memory_reset_peak();
    orgfig_status st =
        orgfig_stream_grid_counts(&src, &sel0, &sel1, 600, 400, NULL, &g, "t", &err);
    size_t peak = orgfig_memory_stats().peak - base;
    orgfig_stream_grid_free(&g);
    return st == ORGFIG_OK ? peak : SIZE_MAX;
}

TEST(stream_peak_memory_does_not_grow_with_rows)
{
    /* Without gaps both lines decimate to exactly 4 points per bucket, so
     * the aggregates have the same size and so must the peaks. */
    signal_gaps = false;
    const char *small = write_binary("nogap-small.f64", big_rows() / 10, 2, false);
    const char *big = write_binary("nogap-big.f64", big_rows(), 2, false);
    signal_gaps = true;
    REQUIRE(small && big);
    size_t ls = peak_during_line(small, 2), lb = peak_during_line(big, 2);
    size_t hs = peak_during_hist(small), hb = peak_during_hist(big);
    size_t gs = peak_during_grid(small), gb = peak_during_grid(big);
    if (getenv("ORGFIG_TEST_VERBOSE"))
        fprintf(stderr, "  peaks: line %zu/%zu hist %zu/%zu grid %zu/%zu\n", ls, lb, hs,
                hb, gs, gb);
    /* The 2M-row file's data alone would be 32 MB. */
    CHECK(lb != SIZE_MAX && ls != SIZE_MAX && lb <= ls && lb < 6u << 20);
    CHECK(hb != SIZE_MAX && hs != SIZE_MAX && hb <= hs && hb < 4u << 20);
    CHECK(gb != SIZE_MAX && gs != SIZE_MAX && gb <= gs && gb < 4u << 20);
}

/* ---- stopping, faults, errors ---- */

typedef struct stopper {
    int calls, stop_at;
    double last_progress;
    bool monotone;
} stopper;

static bool
stop_poll(void *ctx)
{
    stopper *s = ctx;
    return ++s->calls >= s->stop_at;
}

static void
note_progress(void *ctx, double f)
{
    stopper *s = ctx;
    if (f < s->last_progress || f > 1)
        s->monotone = false;
    s->last_progress = f;
}

TEST(stream_poll_stop_quits_and_frees)
{
    const char *p = write_binary("line2.f64", big_rows(), 2, false);
    const char *c = write_csv("line.csv", 300000);
    REQUIRE(p && c);
    size_t before = orgfig_memory_stats().bytes;
    for (int at = 1; at <= (UNDER_VALGRIND() ? 5 : 14); at = at * 3 + 2) {
        orgfig_stream_src srcs[2] = {bin_src(p, 2, false), csv_src(c)};
        for (int k = 0; k < 2; k++) {
            stopper s = {0, at, 0, true};
            orgfig_hooks hooks = {stop_poll, note_progress, &s};
            orgfig_err err = ORGFIG_ERR_INIT;
            orgfig_figure *f = tb_figure(200, 150, 1);
            REQUIRE(f != NULL);
            orgfig_status st =
                orgfig_stream_line(f, &srcs[k], &sel0, &sel1, NULL, 0, &hooks, &err);
            CHECK(st == ORGFIG_E_QUIT);
            CHECK(strstr(err.msg, "interrupted") != NULL);
            CHECK(s.monotone);
            orgfig_err_clear(&err);
            s = (stopper){0, at, 0, true};
            st = orgfig_stream_hist(f, &srcs[k], &sel1, NULL, 0, &hooks, &err);
            CHECK(st == ORGFIG_E_QUIT);
            orgfig_err_clear(&err);
            s = (stopper){0, at, 0, true};
            orgfig_prop dp[] = {{"density", tb_t}};
            st = orgfig_stream_density(f, &srcs[k], &sel0, &sel1, dp, 1, &hooks, &err);
            CHECK(st == ORGFIG_E_QUIT);
            CHECK(orgfig_figure_nartists(f) == 0);
            orgfig_figure_free(f);
        }
    }
    CHECK(orgfig_memory_stats().bytes == before);
    /* Progress reaches 1 over both passes when nobody stops. */
    stopper s = {0, 1 << 30, 0, true};
    orgfig_hooks hooks = {stop_poll, note_progress, &s};
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_stream_src src = bin_src(p, 2, false);
    orgfig_figure *f = tb_figure(200, 150, 1);
    REQUIRE(f != NULL);
    CHECK(orgfig_stream_line(f, &src, &sel0, &sel1, NULL, 0, &hooks, &err) == ORGFIG_OK);
    CHECK(s.monotone && s.last_progress == 1.0);
    /* About one poll per MiB of each pass. */
    CHECK((size_t)s.calls >= 2 * ((big_rows() * 16) >> 20));
    orgfig_figure_free(f);
}

typedef orgfig_status (*plot_call)(orgfig_figure *f, const orgfig_stream_src *src,
                                   orgfig_err *err);

static orgfig_status
call_line(orgfig_figure *f, const orgfig_stream_src *src, orgfig_err *err)
{
    orgfig_prop p[] = {{"label", tb_str("streamed")}, {"width", tb_num(2)}};
    return orgfig_stream_line(f, src, &sel0, &sel1, p, 2, NULL, err);
}

static orgfig_status
call_hist(orgfig_figure *f, const orgfig_stream_src *src, orgfig_err *err)
{
    orgfig_prop p[] = {{"label", tb_str("h")}, {"density", tb_t}};
    return orgfig_stream_hist(f, src, &sel1, p, 2, NULL, err);
}

static orgfig_status
call_density(orgfig_figure *f, const orgfig_stream_src *src, orgfig_err *err)
{
    orgfig_prop p[] = {{"density", tb_t}, {"cmap", tb_sym("magma")}};
    return orgfig_stream_density(f, src, &sel0, &sel1, p, 2, NULL, err);
}

TEST(stream_fault_injection_leaves_figure_unchanged)
{
    const char *p = write_csv("small.csv", 5000);
    REQUIRE(p != NULL);
    plot_call calls[] = {call_line, call_hist, call_density};
    orgfig_stream_src src = csv_src(p);
    for (size_t c = 0; c < 3; c++) {
        bool done = false;
        int faults = 0;
        /* Every allocation, or every ORGFIG_FAULT_STRIDE-th (valgrind). */
        const char *env = getenv("ORGFIG_FAULT_STRIDE");
        uint64_t step = env && atoi(env) > 0 ? (uint64_t)atoi(env) : 1;
        for (uint64_t n = 1; n < 5000 && !done; n += step) {
            orgfig_figure *f = tb_figure(160, 120, 1);
            REQUIRE(f != NULL);
            size_t before = orgfig_memory_stats().bytes;
            orgfig_err err = ORGFIG_ERR_INIT;
            orgfig_alloc_fail_at(n);
            orgfig_status st = calls[c](f, &src, &err);
            bool fired = !orgfig_alloc_fail_pending();
            orgfig_alloc_fail_at(0);
            if (st == ORGFIG_OK) {
                CHECK(orgfig_figure_nartists(f) == 1);
                done = !fired;
            } else {
                CHECK(st == ORGFIG_E_NOMEM);
                CHECK(fired);
                CHECK(orgfig_figure_nartists(f) == 0);
                CHECK(orgfig_memory_stats().bytes == before);
                faults++;
            }
            /* Usable after the fault: the same call works now. */
            if (st != ORGFIG_OK) {
                orgfig_err_clear(&err);
                CHECK(calls[c](f, &src, &err) == ORGFIG_OK);
            }
            orgfig_buf png = ORGFIG_BUF_INIT(NULL);
            CHECK(render_png(f, &png) == ORGFIG_OK);
            orgfig_buf_free(&png);
            orgfig_figure_free(f);
        }
        CHECK(done);
        CHECK(faults >= (step > 1 ? 1 : 3));
    }
}

TEST(stream_errors_are_clear)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_figure *f = tb_figure(200, 150, 1);
    REQUIRE(f != NULL);
    orgfig_stream_src missing = csv_src("/nonexistent/orgfig/x.csv");
    CHECK(orgfig_stream_line(f, &missing, NULL, &sel0, NULL, 0, NULL, &err) ==
          ORGFIG_E_IO);
    CHECK(strstr(err.msg, "orgfig-line") == err.msg);
    CHECK(strstr(err.msg, "/nonexistent/orgfig/x.csv") != NULL);
    orgfig_err_clear(&err);
    orgfig_stream_src missing_bin = bin_src("/nonexistent/orgfig/x.f64", 1, false);
    CHECK(orgfig_stream_hist(f, &missing_bin, &sel0, NULL, 0, NULL, &err) == ORGFIG_E_IO);
    CHECK(strstr(err.msg, "orgfig-hist: cannot open") == err.msg);
    orgfig_err_clear(&err);

    const char *c = write_csv("small.csv", 5000);
    REQUIRE(c != NULL);
    orgfig_stream_src src = csv_src(c);
    orgfig_csv_select bad = {"nope", 4, 0};
    CHECK(orgfig_stream_hist(f, &src, &bad, NULL, 0, NULL, &err) == ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "orgfig-hist:") == err.msg);
    CHECK(strstr(err.msg, "nope") != NULL);
    orgfig_err_clear(&err);
    orgfig_csv_select far = {NULL, 0, 9};
    CHECK(orgfig_stream_line(f, &src, NULL, &far, NULL, 0, NULL, &err) ==
          ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "orgfig-line:") == err.msg);
    orgfig_err_clear(&err);

    const char *b = write_binary("small.f64", 200000, 2, false);
    orgfig_stream_src three = bin_src(b, 3, false); /* 3.2 MB is not 24-byte rows */
    CHECK(orgfig_stream_hist(f, &three, &sel0, NULL, 0, NULL, &err) == ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "not a multiple of 24") != NULL);
    orgfig_err_clear(&err);
    orgfig_stream_src two = bin_src(b, 2, false);
    orgfig_csv_select idx2 = {NULL, 0, 2}, name3 = {"3", 1, 0};
    CHECK(orgfig_stream_hist(f, &two, &idx2, NULL, 0, NULL, &err) == ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "column index 2 out of range") != NULL);
    orgfig_err_clear(&err);
    CHECK(orgfig_stream_hist(f, &two, &name3, NULL, 0, NULL, &err) == ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "named 1 to 2") != NULL);
    orgfig_err_clear(&err);

    /* Unknown or bad properties fail before reading anything. */
    orgfig_prop unknown[] = {{"bogus", tb_t}};
    CHECK(orgfig_stream_line(f, &missing, NULL, &sel0, unknown, 1, NULL, &err) ==
          ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "bogus") != NULL);
    orgfig_err_clear(&err);
    orgfig_prop badwidth[] = {{"width", tb_str("wide")}};
    CHECK(orgfig_stream_line(f, &missing, NULL, &sel0, badwidth, 1, NULL, &err) ==
          ORGFIG_E_TYPE);
    orgfig_err_clear(&err);
    orgfig_prop badaxes[] = {{"axes", tb_num(3)}};
    CHECK(orgfig_stream_hist(f, &missing, &sel0, badaxes, 1, NULL, &err) ==
          ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, ":axes") != NULL);
    orgfig_err_clear(&err);
    orgfig_prop badcmap[] = {{"density", tb_t}, {"cmap", tb_sym("nocmap")}};
    CHECK(orgfig_stream_density(f, &missing, &sel0, &sel1, badcmap, 2, NULL, &err) ==
          ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "orgfig-scatter") == err.msg);
    orgfig_err_clear(&err);
    orgfig_prop badbins[] = {{"bins", tb_num(0)}};
    CHECK(orgfig_stream_hist(f, &two, &sel0, badbins, 1, NULL, &err) != ORGFIG_OK);
    CHECK(strstr(err.msg, "orgfig-hist: :bins") == err.msg);
    orgfig_err_clear(&err);
    CHECK(orgfig_stream_density(f, &two, &sel0, &sel1, NULL, 0, NULL, &err) ==
          ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, ":density t") != NULL);
    orgfig_err_clear(&err);
    /* A column with nothing finite. */
    const char *e = spath("nan.csv");
    FILE *fp = fopen(e, "w");
    REQUIRE(fp != NULL);
    fprintf(fp, "a\nnan\n\n,\nx\n");
    fclose(fp);
    orgfig_stream_src es = csv_src(e);
    CHECK(orgfig_stream_hist(f, &es, &sel0, NULL, 0, NULL, &err) == ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "no finite values") != NULL);
    orgfig_err_clear(&err);
    CHECK(orgfig_stream_line(f, &es, NULL, &sel0, NULL, 0, NULL, &err) ==
          ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "finite") != NULL);
    CHECK(orgfig_figure_nartists(f) == 0);
    orgfig_figure_free(f);
}

TEST(stream_plots_render_and_hold_only_aggregates)
{
    const char *p = write_binary("line2.f64", big_rows(), 2, false);
    REQUIRE(p != NULL);
    orgfig_stream_src src = bin_src(p, 2, false);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_figure *f = tb_figure(400, 300, 1);
    REQUIRE(f != NULL);
    orgfig_prop lp[] = {{"label", tb_str("signal")}, {"color", tb_str("red")}};
    REQUIRE(orgfig_stream_line(f, &src, &sel0, &sel1, lp, 2, NULL, &err) == ORGFIG_OK);
    orgfig_prop hp[] = {{"bins", tb_num(40)}, {"label", tb_str("h")}};
    REQUIRE(orgfig_stream_hist(f, &src, &sel1, hp, 2, NULL, &err) == ORGFIG_OK);
    orgfig_prop set[] = {{"legend", tb_t}};
    CHECK(orgfig_figure_set(f, set, 1, &err) == ORGFIG_OK);
    CHECK(orgfig_figure_nartists(f) == 2);
    /* 32 MB of data; the figure keeps a few hundred KB. */
    CHECK(orgfig_figure_bytes(f) < 2u << 20);
    orgfig_buf png = ORGFIG_BUF_INIT(NULL);
    CHECK(render_png(f, &png) == ORGFIG_OK);
    CHECK(png.len > 1000);
    orgfig_buf_free(&png);
    orgfig_figure_free(f);

    f = tb_figure(400, 300, 1);
    REQUIRE(f != NULL);
    orgfig_prop dp[] = {{"density", tb_t}, {"colorbar", tb_t}};
    REQUIRE(orgfig_stream_density(f, &src, &sel0, &sel1, dp, 2, NULL, &err) == ORGFIG_OK);
    CHECK(orgfig_figure_bytes(f) < 4u << 20);
    CHECK(render_png(f, &png) == ORGFIG_OK);
    CHECK(png.len > 1000);
    orgfig_buf_free(&png);
    orgfig_figure_free(f);
}
