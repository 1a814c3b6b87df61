/* test_plots2.c - heatmap, fill-between, errorbar, area, box and pie:
 * argument validation, statistics, pixel probes at positions computed from
 * the exposed layout (render.h), vector output and fault injection. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../module/core/figure.h"
#include "../../module/core/plotutil.h"
#include "../../module/core/render.h"
#include "../../module/core/stats.h"
#include "harness.h"
#include "pixels.h"

/* ---- builders ---- */

static orgfig_value
num(double v)
{
    orgfig_value x = {.type = ORGFIG_V_NUM, .num = v, .is_int = v == floor(v)};
    return x;
}

static orgfig_value
str(const char *s)
{
    orgfig_value x = {.type = ORGFIG_V_STR, .str = s, .len = strlen(s)};
    return x;
}

static orgfig_value
colv(orgfig_column *c)
{
    orgfig_value x = {.type = ORGFIG_V_COL, .col = c};
    return x;
}

static orgfig_value
listv(const orgfig_value *items, size_t n)
{
    orgfig_value x = {.type = ORGFIG_V_LIST, .items = items, .nitems = n};
    return x;
}

static const orgfig_value nilv = {.type = ORGFIG_V_NIL};
static const orgfig_value tv = {.type = ORGFIG_V_T};

static orgfig_column *
col(const double *v, size_t n)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    return orgfig_column_from_doubles(v, n, &err);
}

static orgfig_figure *
fig(int w, int h)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop p[] = {{"width", num(w)}, {"height", num(h)}};
    return orgfig_figure_new(p, 2, &err);
}

static orgfig_status
setp(orgfig_figure *f, const orgfig_prop *p, size_t n)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_status st = orgfig_figure_set(f, p, n, &err);
    if (st != ORGFIG_OK)
        fprintf(stderr, "  set: %s\n", err.msg);
    return st;
}

static bool
render(orgfig_figure *f, orgfig_format fmt, orgfig_buf *out)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_render_opts o = {fmt, -1, false, NULL, NULL, NULL};
    memset(out, 0, sizeof *out);
    orgfig_status st = orgfig_figure_render(f, &o, out, &err);
    if (st != ORGFIG_OK)
        fprintf(stderr, "  render: %s\n", err.msg);
    return st == ORGFIG_OK;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static bool
render_img(orgfig_figure *f, test_image *img)
{
    orgfig_buf out;
    if (!render(f, ORGFIG_FORMAT_PNG, &out))
        return false;
    bool ok = test_decode_png(out.data, out.len, img);
    orgfig_buf_free(&out);
    return ok;
}

/* Pixel coordinates of data point (X, Y) in axes 0. */
static void
data_px(const orgfig_layout *L, double x, double y, int *px, int *py)
{
    *px = (int)floor(orgfig_map_apply(&L->axes[0].x.map, x));
    *py = (int)floor(orgfig_map_apply(&L->axes[0].y.map, y));
}

static bool
near_rgba(const test_image *img, int x, int y, orgfig_rgba c, int tol)
{
    return test_px_near(img, x, y, (int)lround(c.r * 255), (int)lround(c.g * 255),
                        (int)lround(c.b * 255), tol);
}

/* ---- heatmap ---- */

static orgfig_status
heatmap2(orgfig_figure *f, const double *r0, const double *r1, size_t n,
         const orgfig_prop *props, size_t nprops, orgfig_err *err)
{
    orgfig_column *a = col(r0, n), *b = col(r1, n);
    orgfig_value rows[2] = {colv(a), colv(b)};
    orgfig_value m = listv(rows, 2);
    orgfig_status st = orgfig_figure_plot(f, ORGFIG_HEATMAP, &m, 1, props, nprops, err);
    orgfig_column_unref(a);
    orgfig_column_unref(b);
    return st;
}

TEST(heatmap_cells_colors_and_orientation)
{
    orgfig_figure *f = fig(400, 300);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double r0[] = {0, 1}, r1[] = {2, 3};
    orgfig_prop p[] = {{"colorbar", nilv}, {"vmin", num(0)}, {"vmax", num(3)}};
    REQUIRE(heatmap2(f, r0, r1, 2, p, 3, &err) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    /* The view fits the cells exactly and row 0 is at the top. */
    CHECK(fabs(L.axes[0].x.v0 + 0.5) < 1e-9 && fabs(L.axes[0].x.v1 - 1.5) < 1e-9);
    CHECK(fabs(L.axes[0].y.v0 + 0.5) < 1e-9 && fabs(L.axes[0].y.v1 - 1.5) < 1e-9);
    CHECK(!L.axes[0].has_colorbar);
    test_image img;
    REQUIRE(render_img(f, &img));
    orgfig_cmap vir = orgfig_cmap_default();
    double vals[2][2] = {{0, 1}, {2, 3}};
    int py_row[2];
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 2; c++) {
            int px, py;
            data_px(&L, c, r, &px, &py);
            py_row[r] = py;
            orgfig_rgba want = orgfig_cmap_at(vir, vals[r][c] / 3);
            CHECK(near_rgba(&img, px, py, want, 2));
        }
    CHECK(py_row[0] < py_row[1]); /* row 0 above row 1 */
    /* The top-left cell is really at the top left of the box. */
    int bx = (int)L.axes[0].box.x + 3, by = (int)L.axes[0].box.y + 3;
    CHECK(near_rgba(&img, bx, by, orgfig_cmap_at(vir, 0), 2));
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

TEST(heatmap_nan_clamp_colorbar_extent)
{
    orgfig_figure *f = fig(400, 300);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double r0[] = {NAN, 0}, r1[] = {1.5, 3};
    orgfig_prop p[] = {{"vmin", num(1)}, {"vmax", num(2)}};
    REQUIRE(heatmap2(f, r0, r1, 2, p, 2, &err) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    CHECK(L.axes[0].has_colorbar); /* :colorbar defaults to t */
    CHECK(L.axes[0].cb.vmin == 1 && L.axes[0].cb.vmax == 2);
    test_image img;
    REQUIRE(render_img(f, &img));
    orgfig_cmap vir = orgfig_cmap_default();
    int px, py;
    data_px(&L, 0, 0, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 255, 255, 0)); /* NaN: the background */
    data_px(&L, 1, 0, &px, &py);
    CHECK(near_rgba(&img, px, py, orgfig_cmap_at(vir, 0), 2)); /* 0 clamps to vmin */
    data_px(&L, 1, 1, &px, &py);
    CHECK(near_rgba(&img, px, py, orgfig_cmap_at(vir, 1), 2)); /* 3 clamps to vmax */
    data_px(&L, 0, 1, &px, &py);
    CHECK(near_rgba(&img, px, py, orgfig_cmap_at(vir, 0.5), 2));
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);

    /* :extent puts row 0 along Y1 with a normal y axis. */
    f = fig(400, 300);
    REQUIRE(f);
    double e0[] = {0, 1}, e1[] = {2, 3};
    orgfig_value ext[] = {num(10), num(20), num(100), num(200)};
    orgfig_prop q[] = {{"extent", listv(ext, 4)}, {"colorbar", nilv}};
    REQUIRE(heatmap2(f, e0, e1, 2, q, 2, &err) == ORGFIG_OK);
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    CHECK(L.axes[0].x.v0 == 10 && L.axes[0].x.v1 == 20);
    CHECK(L.axes[0].y.v0 == 100 && L.axes[0].y.v1 == 200 && !L.axes[0].y.invert);
    REQUIRE(render_img(f, &img));
    data_px(&L, 12.5, 175, &px, &py); /* row 0, column 0: value 0 */
    CHECK(near_rgba(&img, px, py, orgfig_cmap_at(vir, 0), 2));
    data_px(&L, 17.5, 125, &px, &py); /* row 1, column 1: value 3 */
    CHECK(near_rgba(&img, px, py, orgfig_cmap_at(vir, 1), 2));
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

TEST(heatmap_invalid_matrices)
{
    orgfig_figure *f = fig(200, 200);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double a[] = {1, 2}, b[] = {1, 2, 3};
    orgfig_column *ca = col(a, 2), *cb = col(b, 3);
    orgfig_value rows[] = {colv(ca), colv(ca), colv(cb)};
    orgfig_value m = listv(rows, 3);
    CHECK(orgfig_figure_plot(f, ORGFIG_HEATMAP, &m, 1, NULL, 0, &err) ==
          ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "orgfig-heatmap") && strstr(err.msg, "row 2") &&
          strstr(err.msg, "3") && strstr(err.msg, "2"));
    /* Empty. */
    orgfig_err e2 = ORGFIG_ERR_INIT;
    orgfig_value empty = listv(rows, 0);
    CHECK(orgfig_figure_plot(f, ORGFIG_HEATMAP, &empty, 1, NULL, 0, &e2) ==
          ORGFIG_E_INVALID);
    /* All NaN. */
    double n2[] = {NAN, NAN};
    orgfig_column *cn = col(n2, 2);
    orgfig_value nrows[] = {colv(cn), colv(cn)};
    orgfig_value nm = listv(nrows, 2);
    orgfig_err e3 = ORGFIG_ERR_INIT;
    CHECK(orgfig_figure_plot(f, ORGFIG_HEATMAP, &nm, 1, NULL, 0, &e3) ==
          ORGFIG_E_INVALID);
    CHECK(strstr(e3.msg, "no finite") != NULL);
    /* A row that is not numbers. */
    orgfig_value bad[] = {colv(ca), str("x")};
    orgfig_value bm = listv(bad, 2);
    orgfig_err e4 = ORGFIG_ERR_INIT;
    CHECK(orgfig_figure_plot(f, ORGFIG_HEATMAP, &bm, 1, NULL, 0, &e4) == ORGFIG_E_TYPE);
    /* Labels must match the matrix. */
    orgfig_value two[] = {colv(ca), colv(ca)};
    orgfig_value tm = listv(two, 2);
    orgfig_value labs[] = {str("a"), str("b"), str("c")};
    orgfig_prop lp[] = {{"xlabels", listv(labs, 3)}};
    orgfig_err e5 = ORGFIG_ERR_INIT;
    CHECK(orgfig_figure_plot(f, ORGFIG_HEATMAP, &tm, 1, lp, 1, &e5) == ORGFIG_E_INVALID);
    /* vmin > vmax. */
    orgfig_prop vp[] = {{"vmin", num(3)}, {"vmax", num(1)}};
    orgfig_err e6 = ORGFIG_ERR_INIT;
    CHECK(orgfig_figure_plot(f, ORGFIG_HEATMAP, &tm, 1, vp, 2, &e6) == ORGFIG_E_INVALID);
    CHECK(orgfig_figure_nartists(f) == 0);
    orgfig_column_unref(ca);
    orgfig_column_unref(cb);
    orgfig_column_unref(cn);
    orgfig_figure_free(f);
}

TEST(numfmt_validation)
{
    char out[ORGFIG_NUMFMT_MAX];
    const char *bad[] = {"%s",        "%n",   "%d%d",  "%d",     "abc",  "%%",
                         "%.1f %.2f", "%5$f", "%lf",   "%*f",    "%.*f", "%Lf",
                         "%",         "%.1",  "%123f", "%.100f", "%p",   "%c"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        orgfig_err err = ORGFIG_ERR_INIT;
        bool rejected = orgfig_numfmt_check(bad[i], strlen(bad[i]), out, "orgfig-heatmap",
                                            ":annotate", &err) == ORGFIG_E_INVALID;
        if (!rejected)
            fprintf(stderr, "  accepted bad format %s\n", bad[i]);
        CHECK(rejected);
        CHECK(strstr(err.msg, "orgfig-heatmap: :annotate") != NULL);
    }
    const char *good[] = {"%.1f", "%g", "%+08.3e", "%.1f%%", "T=%.2f K", "%-5.1G", "% f"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        orgfig_err err = ORGFIG_ERR_INIT;
        bool ok = orgfig_numfmt_check(good[i], strlen(good[i]), out, "f", ":a", &err) ==
                  ORGFIG_OK;
        if (!ok)
            fprintf(stderr, "  rejected good format %s: %s\n", good[i], err.msg);
        CHECK(ok && strcmp(out, good[i]) == 0);
    }
    char buf[64];
    orgfig_numfmt("%.1f%%", 12.345, buf, sizeof buf);
    CHECK(strcmp(buf, "12.3%") == 0);

    /* Through the plot call. */
    orgfig_figure *f = fig(300, 300);
    REQUIRE(f);
    double r0[] = {0, 1}, r1[] = {2, 3};
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop p1[] = {{"annotate", str("%s")}};
    CHECK(heatmap2(f, r0, r1, 2, p1, 1, &err) == ORGFIG_E_INVALID);
    orgfig_err e2 = ORGFIG_ERR_INIT;
    orgfig_prop p2[] = {{"annotate", str("%.1f")}};
    CHECK(heatmap2(f, r0, r1, 2, p2, 1, &e2) == ORGFIG_OK);
    orgfig_err e3 = ORGFIG_ERR_INIT;
    orgfig_prop p3[] = {{"annotate", num(3)}};
    CHECK(heatmap2(f, r0, r1, 2, p3, 1, &e3) == ORGFIG_E_TYPE);
    test_image img;
    CHECK(render_img(f, &img));
    test_image_free(&img);
    orgfig_figure_free(f);
}

TEST(heatmap_annotations_contrast)
{
    /* One dark cell (viridis low end) and one bright (high end): the text
     * in the dark cell is white, in the bright one black. */
    orgfig_figure *f = fig(640, 480);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double r0[] = {0, 10};
    orgfig_column *c0 = col(r0, 2);
    orgfig_value rows[] = {colv(c0)};
    orgfig_value m = listv(rows, 1);
    orgfig_prop p[] = {{"annotate", tv}, {"colorbar", nilv}};
    REQUIRE(orgfig_figure_plot(f, ORGFIG_HEATMAP, &m, 1, p, 2, &err) == ORGFIG_OK);
    orgfig_column_unref(c0);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    test_image img;
    REQUIRE(render_img(f, &img));
    int x0, x1, y;
    data_px(&L, 0, 0, &x0, &y);
    data_px(&L, 1, 0, &x1, &y);
    int w = 30, h = 10;
    /* Antialiased glyphs: count clearly light / dark pixels. */
    CHECK(test_count_color(&img, x0 - w, y - h, x0 + w, y + h, 255, 255, 255, 80) > 3);
    CHECK(test_count_color(&img, x1 - w, y - h, x1 + w, y + h, 0, 0, 0, 80) > 3);
    CHECK(test_count_color(&img, x0 - w, y - h, x0 + w, y + h, 0, 0, 0, 20) == 0);
    CHECK(test_count_color(&img, x1 - w, y - h, x1 + w, y + h, 255, 255, 255, 60) == 0);
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

TEST(heatmap_labels_become_ticks)
{
    orgfig_figure *f = fig(400, 300);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double r0[] = {0, 1, 2}, r1[] = {2, 3, 4};
    orgfig_value xl[] = {str("a"), str("b"), str("c")};
    orgfig_value yl[] = {str("top"), str("bottom")};
    orgfig_prop p[] = {{"xlabels", listv(xl, 3)}, {"ylabels", listv(yl, 2)}};
    REQUIRE(heatmap2(f, r0, r1, 3, p, 2, &err) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    const orgfig_ticks *tx = &L.axes[0].x.ticks, *ty = &L.axes[0].y.ticks;
    REQUIRE(tx->n == 3 && ty->n == 2);
    CHECK(tx->ticks[0].value == 0 && strcmp(tx->ticks[0].label, "a") == 0);
    CHECK(tx->ticks[2].value == 2 && strcmp(tx->ticks[2].label, "c") == 0);
    CHECK(ty->ticks[0].value == 0 && strcmp(ty->ticks[0].label, "top") == 0);
    /* "top" is drawn above "bottom". */
    CHECK(orgfig_map_apply(&L.axes[0].y.map, 0) < orgfig_map_apply(&L.axes[0].y.map, 1));
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

TEST(heatmap_large_renders)
{
    enum { N = 1000 };
    orgfig_figure *f = fig(800, 600);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *rows[N];
    orgfig_value items[N];
    double buf[N];
    for (int r = 0; r < N; r++) {
        for (int c = 0; c < N; c++)
            buf[c] = r < N / 2 ? 0 : 1;
        rows[r] = col(buf, N);
        items[r] = colv(rows[r]);
    }
    orgfig_value m = listv(items, N);
    REQUIRE(orgfig_figure_plot(f, ORGFIG_HEATMAP, &m, 1, NULL, 0, &err) == ORGFIG_OK);
    for (int r = 0; r < N; r++)
        orgfig_column_unref(rows[r]);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    test_image img;
    REQUIRE(render_img(f, &img));
    orgfig_cmap vir = orgfig_cmap_default();
    int px, py;
    data_px(&L, 500, 100, &px, &py);
    CHECK(near_rgba(&img, px, py, orgfig_cmap_at(vir, 0), 2));
    data_px(&L, 500, 900, &px, &py);
    CHECK(near_rgba(&img, px, py, orgfig_cmap_at(vir, 1), 2));
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

/* ---- fill-between ---- */

TEST(fill_between_pixels_and_gaps)
{
    orgfig_figure *f = fig(400, 300);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[11], y1[11];
    for (int i = 0; i <= 10; i++) {
        x[i] = i;
        y1[i] = 1;
    }
    y1[5] = NAN;
    orgfig_column *cx = col(x, 11), *cy = col(y1, 11);
    orgfig_value args[] = {colv(cx), colv(cy), num(2)};
    orgfig_prop p[] = {{"color", str("red")}};
    REQUIRE(orgfig_figure_plot(f, ORGFIG_FILL_BETWEEN, args, 3, p, 1, &err) == ORGFIG_OK);
    orgfig_value lim[] = {num(0), num(4)};
    orgfig_prop sp[] = {{"ylim", listv(lim, 2)}};
    REQUIRE(setp(f, sp, 1) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    test_image img;
    REQUIRE(render_img(f, &img));
    int px, py;
    data_px(&L, 2.5, 1.5, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 0, 0, 2)); /* between Y1 and Y2 */
    data_px(&L, 2.5, 3, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 255, 255, 2)); /* above Y2 */
    data_px(&L, 2.5, 0.5, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 255, 255, 2)); /* below Y1 */
    data_px(&L, 5, 1.5, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 255, 255, 2)); /* the NaN gap */
    data_px(&L, 7.5, 1.5, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 0, 0, 2)); /* after the gap */
    test_image_free(&img);
    orgfig_layout_free(&L);

    /* Length mismatch, and Y2 of the wrong type. */
    orgfig_column *c3 = col(x, 3);
    orgfig_value bad[] = {colv(cx), colv(cy), colv(c3)};
    orgfig_err e2 = ORGFIG_ERR_INIT;
    CHECK(orgfig_figure_plot(f, ORGFIG_FILL_BETWEEN, bad, 3, NULL, 0, &e2) ==
          ORGFIG_E_INVALID);
    CHECK(strstr(e2.msg, "orgfig-fill-between: X has 11 values but Y2 has 3") != NULL);
    orgfig_value bad2[] = {colv(cx), colv(cy), str("x")};
    orgfig_err e3 = ORGFIG_ERR_INIT;
    CHECK(orgfig_figure_plot(f, ORGFIG_FILL_BETWEEN, bad2, 3, NULL, 0, &e3) ==
          ORGFIG_E_TYPE);
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
    orgfig_column_unref(c3);
    orgfig_figure_free(f);
}

TEST(fill_between_clips_far_vertices)
{
    /* A band around y = x whose vertices lie a billion data units (about
     * 1e11 pixels) outside a zoomed view: polygons are clipped before
     * cairo's fixed-point coordinates could wrap. */
    orgfig_figure *f = fig(300, 300);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[] = {-1e9, 1e9}, lo[] = {-1e9 - 1, 1e9 - 1}, hi[] = {-1e9 + 1, 1e9 + 1};
    orgfig_column *cx = col(x, 2), *cl = col(lo, 2), *ch = col(hi, 2);
    orgfig_value args[] = {colv(cx), colv(cl), colv(ch)};
    orgfig_prop p[] = {{"color", str("red")}};
    REQUIRE(orgfig_figure_plot(f, ORGFIG_FILL_BETWEEN, args, 3, p, 1, &err) == ORGFIG_OK);
    orgfig_value l[] = {num(-2), num(2)};
    orgfig_prop sp[] = {{"xlim", listv(l, 2)}, {"ylim", listv(l, 2)}};
    REQUIRE(setp(f, sp, 2) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    test_image img;
    REQUIRE(render_img(f, &img));
    int px, py;
    data_px(&L, 0, 0, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 0, 0, 2));
    data_px(&L, 1.5, 1.2, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 0, 0, 2));
    data_px(&L, 0, 1.5, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 255, 255, 2));
    data_px(&L, 0, -1.5, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 255, 255, 2));
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_column_unref(cx);
    orgfig_column_unref(cl);
    orgfig_column_unref(ch);
    orgfig_figure_free(f);
}

/* ---- errorbar ---- */

TEST(errorbar_symmetric_and_asymmetric)
{
    orgfig_figure *f = fig(400, 300);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[] = {1, 2, 3}, y[] = {2, 2, 2}, e[] = {0.5, 1, 0.2};
    orgfig_column *cx = col(x, 3), *cy = col(y, 3), *ce = col(e, 3);
    orgfig_value args[] = {colv(cx), colv(cy), colv(ce)};
    orgfig_prop p[] = {{"marker", str("none")},
                       {"capsize", num(0)},
                       {"color", str("blue")},
                       {"width", num(3)}};
    REQUIRE(orgfig_figure_plot(f, ORGFIG_ERRORBAR, args, 3, p, 4, &err) == ORGFIG_OK);
    orgfig_value xl[] = {num(0), num(4)}, yl[] = {num(0), num(4)};
    orgfig_prop sp[] = {{"xlim", listv(xl, 2)}, {"ylim", listv(yl, 2)}};
    REQUIRE(setp(f, sp, 2) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    test_image img;
    REQUIRE(render_img(f, &img));
    int px, py;
    data_px(&L, 2, 1.2, &px, &py);
    CHECK(test_px_near(&img, px, py, 0, 0, 255, 40));
    data_px(&L, 2, 2.8, &px, &py);
    CHECK(test_px_near(&img, px, py, 0, 0, 255, 40));
    data_px(&L, 2, 3.3, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 255, 255, 2));
    data_px(&L, 1, 1.7, &px, &py);
    CHECK(test_px_near(&img, px, py, 0, 0, 255, 40));
    data_px(&L, 1, 1.3, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 255, 255, 2));
    data_px(&L, 1.5, 2, &px, &py); /* no connecting line by default */
    CHECK(test_px_near(&img, px, py, 255, 255, 255, 2));
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);

    /* (LOW HIGH): bars from y - low to y + high. */
    f = fig(400, 300);
    REQUIRE(f);
    double lo[] = {0.2, 0.2, 0.2}, hi[] = {1.5, 1.5, 1.5};
    orgfig_column *cl = col(lo, 3), *ch = col(hi, 3);
    orgfig_value lh[] = {colv(cl), colv(ch)};
    orgfig_value args2[] = {colv(cx), colv(cy), listv(lh, 2)};
    REQUIRE(orgfig_figure_plot(f, ORGFIG_ERRORBAR, args2, 3, p, 4, &err) == ORGFIG_OK);
    REQUIRE(setp(f, sp, 2) == ORGFIG_OK);
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    REQUIRE(render_img(f, &img));
    data_px(&L, 2, 3.3, &px, &py);
    CHECK(test_px_near(&img, px, py, 0, 0, 255, 40));
    data_px(&L, 2, 1.6, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 255, 255, 2));
    test_image_free(&img);
    orgfig_layout_free(&L);

    /* Negative errors and wrong lengths are invalid. */
    double neg[] = {0.1, -0.1, 0.1};
    orgfig_column *cn = col(neg, 3), *c2 = col(neg, 2);
    orgfig_value a3[] = {colv(cx), colv(cy), colv(cn)};
    orgfig_err e2 = ORGFIG_ERR_INIT;
    CHECK(orgfig_figure_plot(f, ORGFIG_ERRORBAR, a3, 3, NULL, 0, &e2) ==
          ORGFIG_E_INVALID);
    CHECK(strstr(e2.msg, "orgfig-errorbar: YERR") && strstr(e2.msg, "element 1"));
    orgfig_value lh2[] = {colv(cl), colv(c2)};
    orgfig_value a4[] = {colv(cx), colv(cy), listv(lh2, 2)};
    orgfig_err e3 = ORGFIG_ERR_INIT;
    CHECK(orgfig_figure_plot(f, ORGFIG_ERRORBAR, a4, 3, NULL, 0, &e3) ==
          ORGFIG_E_INVALID);
    CHECK(strstr(e3.msg, "HIGH of YERR has 2") != NULL);
    orgfig_column *cs[] = {cx, cy, ce, cl, ch, cn, c2};
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
        orgfig_column_unref(cs[i]);
    orgfig_figure_free(f);
}

/* ---- area ---- */

TEST(area_stacks_layers_and_advances_cycle)
{
    orgfig_figure *f = fig(400, 300);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[] = {0, 1, 2}, a[] = {1, 1, 1}, b[] = {2, 2, 2};
    orgfig_column *cx = col(x, 3), *ca = col(a, 3), *cb = col(b, 3);
    orgfig_value ys[] = {colv(ca), colv(cb)};
    orgfig_value args[] = {colv(cx), listv(ys, 2)};
    orgfig_value colors[] = {str("red"), str("blue")};
    orgfig_value labels[] = {str("first"), str("second")};
    orgfig_prop p[] = {{"colors", listv(colors, 2)}, {"labels", listv(labels, 2)}};
    REQUIRE(orgfig_figure_plot(f, ORGFIG_AREA, args, 2, p, 2, &err) == ORGFIG_OK);
    orgfig_value xl[] = {num(0), num(2)}, yl[] = {num(0), num(4)};
    orgfig_prop sp[] = {{"xlim", listv(xl, 2)}, {"ylim", listv(yl, 2)}};
    REQUIRE(setp(f, sp, 2) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    test_image img;
    REQUIRE(render_img(f, &img));
    int px, py;
    data_px(&L, 1, 0.5, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 0, 0, 2)); /* first layer: 0..1 */
    data_px(&L, 1, 2.0, &px, &py);
    CHECK(test_px_near(&img, px, py, 0, 0, 255, 2)); /* second layer: 1..3 */
    data_px(&L, 1, 3.5, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 255, 255, 2)); /* above the stack */
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);

    /* Without :colors the layers take cycle colors 0 and 1, and the next
     * plot continues with color 2. */
    f = fig(400, 300);
    REQUIRE(f);
    REQUIRE(orgfig_figure_plot(f, ORGFIG_AREA, args, 2, NULL, 0, &err) == ORGFIG_OK);
    orgfig_value fargs[] = {colv(cx), colv(ca), num(0)};
    REQUIRE(orgfig_figure_plot(f, ORGFIG_FILL_BETWEEN, fargs, 3, NULL, 0, &err) ==
            ORGFIG_OK);
    CHECK(f->axes[0].artists[1]->cycle_index == 2);
    REQUIRE(setp(f, sp, 2) == ORGFIG_OK);
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    REQUIRE(render_img(f, &img));
    data_px(&L, 1, 2.0, &px, &py);
    CHECK(near_rgba(&img, px, py, orgfig_cycle_color(1), 2));
    test_image_free(&img);
    orgfig_layout_free(&L);

    /* A series of the wrong length; labels of the wrong count. */
    orgfig_column *c2 = col(x, 2);
    orgfig_value ys2[] = {colv(ca), colv(c2)};
    orgfig_value a2[] = {colv(cx), listv(ys2, 2)};
    orgfig_err e2 = ORGFIG_ERR_INIT;
    CHECK(orgfig_figure_plot(f, ORGFIG_AREA, a2, 2, NULL, 0, &e2) == ORGFIG_E_INVALID);
    CHECK(strstr(e2.msg, "element 1 of YS has 2") != NULL);
    orgfig_prop lp[] = {{"labels", listv(labels, 1)}};
    orgfig_err e3 = ORGFIG_ERR_INIT;
    CHECK(orgfig_figure_plot(f, ORGFIG_AREA, args, 2, lp, 1, &e3) == ORGFIG_E_INVALID);
    orgfig_column_unref(cx);
    orgfig_column_unref(ca);
    orgfig_column_unref(cb);
    orgfig_column_unref(c2);
    orgfig_figure_free(f);
}

/* ---- box ---- */

TEST(box_statistics)
{
    /* numpy: np.percentile([1..9, 100], [25, 50, 75]) = 3.25, 5.5, 7.75. */
    double v[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 100};
    orgfig_boxstats s;
    orgfig_box_stats(v, 10, 1.5, &s);
    CHECK(fabs(s.q1 - 3.25) < 1e-12 && fabs(s.med - 5.5) < 1e-12 &&
          fabs(s.q3 - 7.75) < 1e-12);
    /* Fences 3.25 - 6.75 and 7.75 + 6.75 = 14.5. */
    CHECK(s.wlo == 1 && s.whi == 9);
    CHECK(s.nlow == 0 && s.nhigh == 1);
    /* Even count: [1 2 3 4] -> 1.75, 2.5, 3.25. */
    double w[] = {1, 2, 3, 4};
    orgfig_box_stats(w, 4, 1.5, &s);
    CHECK(fabs(s.q1 - 1.75) < 1e-12 && fabs(s.med - 2.5) < 1e-12 &&
          fabs(s.q3 - 3.25) < 1e-12);
    CHECK(s.wlo == 1 && s.whi == 4 && s.nlow == 0 && s.nhigh == 0);
    /* Low outliers and a tighter reach. */
    double u[] = {-50, -40, 10, 11, 12, 13, 14};
    orgfig_box_stats(u, 7, 1.0, &s);
    /* q1: h = 1.5 -> -40 + 0.5 * 50 = -15; q3: h = 4.5 -> 12.5; IQR 27.5;
     * low fence -42.5: -40 is the whisker, -50 an outlier. */
    CHECK(fabs(s.q1 + 15) < 1e-12 && fabs(s.q3 - 12.5) < 1e-12);
    CHECK(s.wlo == -40 && s.nlow == 1 && s.nhigh == 0 && s.whi == 14);
    /* One value. */
    double one[] = {5};
    orgfig_box_stats(one, 1, 1.5, &s);
    CHECK(s.q1 == 5 && s.med == 5 && s.q3 == 5 && s.wlo == 5 && s.whi == 5);
    /* Quantile ends. */
    CHECK(orgfig_quantile_sorted(w, 4, 0) == 1 && orgfig_quantile_sorted(w, 4, 1) == 4);
    CHECK(fabs(orgfig_quantile_sorted(w, 4, 0.1) - 1.3) < 1e-12);
    /* The sorted finite copy drops NaN and infinities. */
    double raw[] = {3, NAN, 1, INFINITY, 2};
    orgfig_column *c = col(raw, 5);
    orgfig_err err = ORGFIG_ERR_INIT;
    size_t n;
    double *sorted = orgfig_sorted_finite(NULL, c, &n, &err);
    REQUIRE(sorted);
    CHECK(n == 3 && sorted[0] == 1 && sorted[1] == 2 && sorted[2] == 3);
    orgfig_free(sorted);
    orgfig_column_unref(c);
}

TEST(box_median_line_and_validation)
{
    orgfig_figure *f = fig(400, 300);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double v[] = {1, 2, 3, 4, 5}, w[] = {2, 4, 6, 8, 30};
    orgfig_column *cv = col(v, 5), *cw = col(w, 5);
    orgfig_value sets[] = {colv(cv), colv(cw)};
    orgfig_value arg = listv(sets, 2);
    REQUIRE(orgfig_figure_plot(f, ORGFIG_BOX, &arg, 1, NULL, 0, &err) == ORGFIG_OK);
    orgfig_value yl[] = {num(0), num(35)};
    orgfig_prop sp[] = {{"ylim", listv(yl, 2)}};
    REQUIRE(setp(f, sp, 1) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    /* Categories 0 and 1 labelled "1" and "2". */
    REQUIRE(L.axes[0].x.ticks.n == 2);
    CHECK(strcmp(L.axes[0].x.ticks.ticks[1].label, "2") == 0);
    test_image img;
    REQUIRE(render_img(f, &img));
    orgfig_rgba orange = orgfig_cycle_color(1);
    /* The median of box 0 is 3: the orange line crosses x = 0 there. */
    double my = orgfig_map_apply(&L.axes[0].y.map, 3);
    int px = (int)floor(orgfig_map_apply(&L.axes[0].x.map, 0.1));
    int best = 1000;
    for (int dy = -1; dy <= 1; dy++) {
        const unsigned char *q = test_px(&img, px, (int)floor(my) + dy);
        int d = abs(q[0] - (int)lround(orange.r * 255)) +
                abs(q[1] - (int)lround(orange.g * 255)) +
                abs(q[2] - (int)lround(orange.b * 255));
        if (d < best)
            best = d;
    }
    CHECK(best < 60);
    /* Nothing orange far from the median inside the box. */
    int qy = (int)floor(orgfig_map_apply(&L.axes[0].y.map, 2.5));
    CHECK(!near_rgba(&img, px, qy, orange, 60));
    /* Box 1's outlier 30 (fence 8 + 6 = 14) is drawn: a ring around it. */
    int ox = (int)floor(orgfig_map_apply(&L.axes[0].x.map, 1));
    int oy = (int)floor(orgfig_map_apply(&L.axes[0].y.map, 30));
    orgfig_rgba fg = f->style.foreground;
    CHECK(test_count_color(&img, ox - 6, oy - 6, ox + 7, oy + 7, (int)lround(fg.r * 255),
                           (int)lround(fg.g * 255), (int)lround(fg.b * 255), 60) > 4);
    test_image_free(&img);
    orgfig_layout_free(&L);

    /* An empty (all-NaN) dataset is invalid, named by its index. */
    double nn[] = {NAN, NAN};
    orgfig_column *cn = col(nn, 2);
    orgfig_value sets2[] = {colv(cv), colv(cn)};
    orgfig_value arg2 = listv(sets2, 2);
    orgfig_err e2 = ORGFIG_ERR_INIT;
    CHECK(orgfig_figure_plot(f, ORGFIG_BOX, &arg2, 1, NULL, 0, &e2) == ORGFIG_E_INVALID);
    CHECK(strstr(e2.msg, "orgfig-box: dataset 1") != NULL);
    orgfig_value labs[] = {str("a")};
    orgfig_prop lp[] = {{"labels", listv(labs, 1)}};
    orgfig_err e3 = ORGFIG_ERR_INIT;
    CHECK(orgfig_figure_plot(f, ORGFIG_BOX, &arg, 1, lp, 1, &e3) == ORGFIG_E_INVALID);
    /* Horizontal boxes put the categories on y. */
    orgfig_prop hp[] = {{"horizontal", tv}, {"color", str("red")}};
    orgfig_figure *g = fig(300, 300);
    REQUIRE(g);
    REQUIRE(orgfig_figure_plot(g, ORGFIG_BOX, &arg, 1, hp, 2, &err) == ORGFIG_OK);
    REQUIRE(orgfig_figure_layout(g, &L, &err) == ORGFIG_OK);
    CHECK(L.axes[0].y.ticks.n == 2);
    REQUIRE(render_img(g, &img));
    /* Box 0 is filled red between Q1 = 2 and Q3 = 4. */
    int hx = (int)floor(orgfig_map_apply(&L.axes[0].x.map, 2.5));
    int hy = (int)floor(orgfig_map_apply(&L.axes[0].y.map, 0.1));
    CHECK(test_px_near(&img, hx, hy, 255, 0, 0, 2));
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(g);
    orgfig_column_unref(cv);
    orgfig_column_unref(cw);
    orgfig_column_unref(cn);
    orgfig_figure_free(f);
}

/* ---- pie ---- */

TEST(pie_wedges_and_validation)
{
    orgfig_figure *f = fig(400, 300);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double v[] = {1, 1, 1, 1};
    orgfig_column *cv = col(v, 4);
    orgfig_value colors[] = {str("red"), str("lime"), str("blue"), str("yellow")};
    orgfig_value args[] = {nilv, colv(cv)};
    orgfig_prop p[] = {{"colors", listv(colors, 4)}};
    REQUIRE(orgfig_figure_plot(f, ORGFIG_PIE, args, 2, p, 1, &err) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    test_image img;
    REQUIRE(render_img(f, &img));
    orgfig_rect b = L.axes[0].box;
    double cx = b.x + b.w / 2, cy = b.y + b.h / 2, rr = 0.3 * fmin(b.w, b.h) / 2;
    /* From 12 o'clock counter-clockwise: red top-left, lime bottom-left,
     * blue bottom-right, yellow top-right. */
    double angles[] = {135, 225, 315, 45};
    int want[4][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 0}};
    for (int i = 0; i < 4; i++) {
        double t = angles[i] * M_PI / 180;
        int x = (int)floor(cx + rr * cos(t)), y = (int)floor(cy - rr * sin(t));
        CHECK(test_px_near(&img, x, y, want[i][0], want[i][1], want[i][2], 2));
    }
    /* No frame: the left edge of the box is background. */
    CHECK(test_px_near(&img, (int)floor(b.x), (int)floor(cy), 255, 255, 255, 2));
    CHECK(L.axes[0].x.ticks.n == 0 && L.axes[0].y.ticks.n == 0);
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);

    /* A start angle of 0 puts the first wedge at 3 o'clock going up; a
     * donut leaves the centre empty. */
    f = fig(400, 300);
    REQUIRE(f);
    orgfig_prop q[] = {
        {"colors", listv(colors, 4)}, {"start-angle", num(0)}, {"donut", num(0.5)}};
    REQUIRE(orgfig_figure_plot(f, ORGFIG_PIE, args, 2, q, 3, &err) == ORGFIG_OK);
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    REQUIRE(render_img(f, &img));
    b = L.axes[0].box;
    cx = b.x + b.w / 2;
    cy = b.y + b.h / 2;
    double r2 = 0.75 * 0.95 * fmin(b.w, b.h) / 2;
    int x = (int)floor(cx + r2 * cos(M_PI / 4)), y = (int)floor(cy - r2 * sin(M_PI / 4));
    CHECK(test_px_near(&img, x, y, 255, 0, 0, 2));
    CHECK(test_px_near(&img, (int)floor(cx), (int)floor(cy), 255, 255, 255, 2));
    test_image_free(&img);
    orgfig_layout_free(&L);

    /* Zero sum, negative values, label count. */
    double z[] = {0, 0}, neg[] = {1, -1};
    orgfig_column *cz = col(z, 2), *cn = col(neg, 2);
    orgfig_value az[] = {nilv, colv(cz)}, an[] = {nilv, colv(cn)};
    orgfig_err e1 = ORGFIG_ERR_INIT, e2 = ORGFIG_ERR_INIT, e3 = ORGFIG_ERR_INIT;
    CHECK(orgfig_figure_plot(f, ORGFIG_PIE, az, 2, NULL, 0, &e1) == ORGFIG_E_INVALID);
    CHECK(strstr(e1.msg, "orgfig-pie: VALUES") != NULL);
    CHECK(orgfig_figure_plot(f, ORGFIG_PIE, an, 2, NULL, 0, &e2) == ORGFIG_E_INVALID);
    CHECK(strstr(e2.msg, "element 1") != NULL);
    orgfig_value labs[] = {str("a")};
    orgfig_value al[] = {listv(labs, 1), colv(cv)};
    CHECK(orgfig_figure_plot(f, ORGFIG_PIE, al, 2, NULL, 0, &e3) == ORGFIG_E_INVALID);
    orgfig_column_unref(cz);
    orgfig_column_unref(cn);
    orgfig_column_unref(cv);
    orgfig_figure_free(f);
}

/* ---- every kind: vector output, fault injection ---- */

typedef struct kind_case {
    orgfig_kind kind;
    orgfig_value args[3];
    size_t nargs;
    orgfig_prop props[4];
    size_t nprops;
} kind_case;

static orgfig_column *kc_cols[8];
static orgfig_value kc_rows[3], kc_ys[2], kc_labels[3], kc_lh[2];

static size_t
kind_cases(kind_case *kc)
{
    static const double x[] = {1, 2, 3}, y[] = {1, 4, 2}, e[] = {0.5, 0.2, 0.3},
                        m0[] = {1, 2, NAN}, big[] = {1, 2, 3, 50};
    kc_cols[0] = col(x, 3);
    kc_cols[1] = col(y, 3);
    kc_cols[2] = col(e, 3);
    kc_cols[3] = col(m0, 3);
    kc_cols[4] = col(big, 4);
    kc_rows[0] = colv(kc_cols[0]);
    kc_rows[1] = colv(kc_cols[3]);
    kc_rows[2] = colv(kc_cols[1]);
    kc_ys[0] = colv(kc_cols[1]);
    kc_ys[1] = colv(kc_cols[2]);
    kc_labels[0] = str("a");
    kc_labels[1] = str("b");
    kc_labels[2] = str("c");
    kc_lh[0] = colv(kc_cols[2]);
    kc_lh[1] = colv(kc_cols[2]);
    size_t n = 0;
    kc[n] = (kind_case){ORGFIG_HEATMAP,
                        {listv(kc_rows, 3)},
                        1,
                        {{"annotate", tv}, {"xlabels", listv(kc_labels, 3)}},
                        2};
    n++;
    kc[n] = (kind_case){ORGFIG_FILL_BETWEEN,
                        {colv(kc_cols[0]), colv(kc_cols[1]), num(0)},
                        3,
                        {{"label", str("band")}, {"alpha", num(0.3)}},
                        2};
    n++;
    kc[n] = (kind_case){ORGFIG_ERRORBAR,
                        {colv(kc_cols[0]), colv(kc_cols[1]), listv(kc_lh, 2)},
                        3,
                        {{"label", str("err")}, {"line", tv}},
                        2};
    n++;
    kc[n] = (kind_case){ORGFIG_AREA,
                        {colv(kc_cols[0]), listv(kc_ys, 2)},
                        2,
                        {{"labels", listv(kc_labels, 2)}},
                        1};
    n++;
    kc[n] = (kind_case){ORGFIG_BOX, {listv(kc_ys, 2)}, 1, {{"label", str("box")}}, 1};
    n++;
    kc[n] = (kind_case){ORGFIG_BOX, {colv(kc_cols[4])}, 1, {{"horizontal", tv}}, 1};
    n++;
    kc[n] = (kind_case){ORGFIG_PIE,
                        {listv(kc_labels, 3), colv(kc_cols[1])},
                        2,
                        {{"autopct", tv}, {"donut", num(0.3)}},
                        2};
    n++;
    return n;
}

static void
kind_cases_free(void)
{
    for (size_t i = 0; i < 8; i++) {
        orgfig_column_unref(kc_cols[i]);
        kc_cols[i] = NULL;
    }
}

TEST(plots2_vector_output)
{
    kind_case kc[8];
    size_t n = kind_cases(kc);
    for (size_t i = 0; i < n; i++) {
        orgfig_figure *f = fig(320, 240);
        REQUIRE(f);
        orgfig_err err = ORGFIG_ERR_INIT;
        orgfig_status st = orgfig_figure_plot(f, kc[i].kind, kc[i].args, kc[i].nargs,
                                              kc[i].props, kc[i].nprops, &err);
        if (st != ORGFIG_OK)
            fprintf(stderr, "  case %zu: %s\n", i, err.msg);
        CHECK(st == ORGFIG_OK);
        orgfig_prop lp[] = {{"legend", tv}};
        CHECK(setp(f, lp, 1) == ORGFIG_OK);
        orgfig_buf out;
        CHECK(render(f, ORGFIG_FORMAT_SVG, &out) && out.len > 100 &&
              memcmp(out.data, "<?xml", 5) == 0);
        orgfig_buf_free(&out);
        CHECK(render(f, ORGFIG_FORMAT_PDF, &out) && out.len > 100 &&
              memcmp(out.data, "%PDF", 4) == 0);
        orgfig_buf_free(&out);
        CHECK(render(f, ORGFIG_FORMAT_PNG, &out) && out.len > 100);
        orgfig_buf_free(&out);
        orgfig_figure_free(f);
    }
    kind_cases_free();
}

/* Every allocation of figure creation, the plot call and a PNG and an SVG
 * render fails in turn (every ORGFIG_FAULT_STRIDE-th under valgrind). */
TEST(plots2_fault_injection)
{
    kind_case kc[8];
    size_t n = kind_cases(kc);
    const char *env = getenv("ORGFIG_FAULT_STRIDE");
    uint64_t stride = env && atoi(env) > 0 ? (uint64_t)atoi(env) : 1;
    for (size_t t = 0; t < 2 * n; t++) {
        size_t i = t % n;
        orgfig_format fmt = t < n ? ORGFIG_FORMAT_PNG : ORGFIG_FORMAT_SVG;
        bool done = false;
        uint64_t k;
        for (k = 1; k < 20000 && !done; k += stride) {
            size_t before = orgfig_memory_stats().bytes;
            orgfig_alloc_fail_at(k);
            orgfig_err err = ORGFIG_ERR_INIT;
            orgfig_prop fp[] = {{"width", num(200)}, {"height", num(150)}};
            orgfig_figure *f = orgfig_figure_new(fp, 2, &err);
            orgfig_status st = f ? ORGFIG_OK : err.status;
            if (f)
                st = orgfig_figure_plot(f, kc[i].kind, kc[i].args, kc[i].nargs,
                                        kc[i].props, kc[i].nprops, &err);
            orgfig_buf out;
            memset(&out, 0, sizeof out);
            if (st == ORGFIG_OK) {
                orgfig_render_opts o = {fmt, -1, false, NULL, NULL, NULL};
                st = orgfig_figure_render(f, &o, &out, &err);
            }
            done = orgfig_alloc_fail_pending(); /* the failure was never reached */
            orgfig_alloc_fail_at(0);
            if (!done) {
                CHECK(st == ORGFIG_E_NOMEM);
                if (st != ORGFIG_E_NOMEM)
                    fprintf(stderr, "  case %zu, alloc %llu: %s (%s)\n", i,
                            (unsigned long long)k, orgfig_status_name(st), err.msg);
                CHECK(out.len == 0);
                /* The figure still renders afterwards. */
                if (f && orgfig_figure_nartists(f) == 1) {
                    orgfig_buf again;
                    CHECK(render(f, ORGFIG_FORMAT_PNG, &again));
                    orgfig_buf_free(&again);
                }
            } else {
                CHECK(st == ORGFIG_OK);
            }
            orgfig_buf_free(&out);
            orgfig_figure_free(f);
            size_t after = orgfig_memory_stats().bytes;
            if (after != before) {
                fprintf(stderr, "  case %zu, alloc %llu: leaked %zu bytes\n", i,
                        (unsigned long long)k, after - before);
                CHECK(after == before);
            }
        }
        CHECK(done);
        CHECK(k > 3); /* the plot and render really allocate */
    }
    kind_cases_free();
}

/* ---- polling, log axes, float32 rows ---- */

static int poll_calls;

static bool
poll_stop(void *ctx)
{
    (void)ctx;
    poll_calls++;
    return true;
}

TEST(plots2_poll_quits_heatmap)
{
    enum { N = 400 };
    orgfig_figure *f = fig(300, 200);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *row = orgfig_column_new(N, ORGFIG_F32, &err);
    REQUIRE(row);
    for (size_t i = 0; i < N; i++)
        orgfig_column_put(row, i, i < N / 2 ? 0 : 1);
    orgfig_value items[N];
    for (int r = 0; r < N; r++)
        items[r] = colv(row);
    orgfig_value m = listv(items, N);
    REQUIRE(orgfig_figure_plot(f, ORGFIG_HEATMAP, &m, 1, NULL, 0, &err) == ORGFIG_OK);
    orgfig_column_unref(row);
    orgfig_render_opts o = {ORGFIG_FORMAT_PNG, -1, false, poll_stop, NULL, NULL};
    orgfig_buf out;
    memset(&out, 0, sizeof out);
    poll_calls = 0;
    size_t before = orgfig_memory_stats().bytes;
    CHECK(orgfig_figure_render(f, &o, &out, &err) == ORGFIG_E_QUIT);
    CHECK(poll_calls == 1 && out.len == 0);
    CHECK(orgfig_memory_stats().bytes == before);
    /* And it renders normally afterwards; float32 rows read correctly
     * (cells are narrower than a pixel here: probe well inside a half). */
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    test_image img;
    REQUIRE(render_img(f, &img));
    int px, py;
    data_px(&L, 3 * N / 4, N / 2, &px, &py);
    CHECK(near_rgba(&img, px, py, orgfig_cmap_at(orgfig_cmap_default(), 1), 2));
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

TEST(plots2_heatmap_cells_smaller_than_pixels_are_averaged)
{
    /* A 600 x 600 checkerboard of 0 and 1 (viridis) in a 300 x 200
     * figure: each device pixel covers several cells, which are averaged
     * in data space before the colormap, so the map shows the colour of
     * 0.5 everywhere inside, give or take the 4/9 or 5/9 of a pixel that
     * covers 3 x 3 cells (14 levels of green); nearest sampling would
     * show the colours of 0 and 1, over 100 levels away.  The
     * left half all NaN: averaged cells with no finite value stay
     * transparent (white background), next to the checkerboard's
     * colour. */
    enum { N = 600 };
    orgfig_figure *f = fig(300, 200);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *rows[2];
    for (int k = 0; k < 2; k++) {
        rows[k] = orgfig_column_new(N, ORGFIG_F64, &err);
        REQUIRE(rows[k]);
        for (size_t i = 0; i < N; i++)
            orgfig_column_put(rows[k], i,
                              i < N / 2 ? NAN : (double)((i + (size_t)k) % 2));
    }
    orgfig_value items[N];
    for (int r = 0; r < N; r++)
        items[r] = colv(rows[r % 2]);
    orgfig_value m = listv(items, N);
    orgfig_prop hp[] = {{"vmin", num(0)},
                        {"vmax", num(1)},
                        {"colorbar", (orgfig_value){.type = ORGFIG_V_NIL}}};
    REQUIRE(orgfig_figure_plot(f, ORGFIG_HEATMAP, &m, 1, hp, 3, &err) == ORGFIG_OK);
    orgfig_column_unref(rows[0]);
    orgfig_column_unref(rows[1]);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    test_image img;
    REQUIRE(render_img(f, &img));
    orgfig_rgba mid = orgfig_cmap_at(orgfig_cmap_default(), 0.5);
    long probes = 0, off = 0;
    for (int i = 1; i < 10; i++)
        for (int j = 1; j < 10; j++) {
            int px, py;
            data_px(&L, N / 2 + (N / 2) * i / 10.0, N * j / 10.0, &px, &py);
            probes++;
            off += !near_rgba(&img, px, py, mid, 16);
        }
    CHECK(off == 0 && probes == 81);
    int px, py;
    data_px(&L, N / 4, N / 2, &px, &py);
    CHECK(test_px_near(&img, px, py, 255, 255, 255, 2));
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

TEST(plots2_heatmap_averaging_weighs_cells_by_area)
{
    /* 1000 x 1000 cells of white noise (gray map) into a heatmap about 550
     * device pixels high and 760 wide: 1.3 to 1.8 cells per pixel.  Each
     * pixel averages the same area of cells, each cell weighted by the
     * part of it the pixel covers, so the noise left in every pixel column
     * is about as strong as in any other (the deciles of the columns' noise
     * measured 1.17 apart).  Picking whole cells by their centres gave
     * columns of 1 and 2 cells, whose noise differs by sqrt 2: stripes
     * (deciles 1.48 apart). */
    enum { N = 1000 };
    orgfig_figure *f = fig(800, 600);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column **rows = malloc(N * sizeof *rows);
    orgfig_value *items = malloc(N * sizeof *items);
    REQUIRE(rows && items);
    uint64_t st = 12345;
    for (int r = 0; r < N; r++) {
        rows[r] = orgfig_column_new(N, ORGFIG_F64, &err);
        REQUIRE(rows[r]);
        for (size_t i = 0; i < N; i++)
            orgfig_column_put(rows[r], i, test_xorshift(&st));
        items[r] = colv(rows[r]);
    }
    orgfig_value m = listv(items, N);
    orgfig_prop hp[] = {
        {"vmin", num(0)},
        {"vmax", num(1)},
        {"cmap", (orgfig_value){.type = ORGFIG_V_SYM, .str = "gray", .len = 4}},
        {"colorbar", (orgfig_value){.type = ORGFIG_V_NIL}}};
    REQUIRE(orgfig_figure_plot(f, ORGFIG_HEATMAP, &m, 1, hp, 4, &err) == ORGFIG_OK);
    for (int r = 0; r < N; r++)
        orgfig_column_unref(rows[r]);
    free(rows);
    free(items);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    test_image img;
    REQUIRE(render_img(f, &img));
    int x0, y0, x1, y1;
    data_px(&L, N * 0.05, N * 0.05, &x0, &y0);
    data_px(&L, N * 0.95, N * 0.95, &x1, &y1);
    REQUIRE(x1 - x0 > 500 && y1 - y0 > 400);
    int ncol = x1 - x0;
    double *sd = malloc((size_t)ncol * sizeof *sd);
    REQUIRE(sd);
    for (int x = x0; x < x1; x++) {
        double s = 0, s2 = 0;
        int n = 0;
        for (int y = y0; y < y1; y++) {
            double v = test_px(&img, x, y)[0];
            s += v;
            s2 += v * v;
            n++;
        }
        sd[x - x0] = sqrt(s2 / n - (s / n) * (s / n));
    }
    qsort(sd, (size_t)ncol, sizeof *sd, cmp_double);
    /* Deciles, not the extremes: each column's estimate is itself off by
     * about 3.5% (440 rows). */
    double lo = sd[ncol / 10], hi = sd[ncol - 1 - ncol / 10];
    free(sd);
    if (getenv("ORGFIG_TEST_VERBOSE"))
        fprintf(stderr, "  column noise sd, deciles: %.2f .. %.2f\n", lo, hi);
    CHECK(lo > 10);        /* the noise is really there */
    CHECK(hi < lo * 1.25); /* and about equally strong in every column */
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

TEST(plots2_log_axes_skip_non_positive)
{
    kind_case kc[8];
    size_t n = kind_cases(kc);
    for (size_t i = 0; i < n; i++) {
        orgfig_figure *f = fig(300, 200);
        REQUIRE(f);
        orgfig_err err = ORGFIG_ERR_INIT;
        CHECK(orgfig_figure_plot(f, kc[i].kind, kc[i].args, kc[i].nargs, kc[i].props,
                                 kc[i].nprops, &err) == ORGFIG_OK);
        orgfig_value lg = {.type = ORGFIG_V_SYM, .str = "log", .len = 3};
        orgfig_prop sp[] = {{"yscale", lg}};
        CHECK(setp(f, sp, 1) == ORGFIG_OK);
        orgfig_buf out;
        orgfig_render_opts o = {ORGFIG_FORMAT_PNG, -1, false, NULL, NULL, NULL};
        memset(&out, 0, sizeof out);
        bool ok = orgfig_figure_render(f, &o, &out, &err) == ORGFIG_OK;
        orgfig_buf_free(&out);
        /* Each draws its positive part, except where the whole y extent
         * is not positive: the default heatmap (rows at -0.5 .. 2.5 lie
         * on an inverted linear grid) and horizontal boxes (categories on
         * y), which layout refuses with a message. */
        bool refuse = kc[i].kind == ORGFIG_HEATMAP ||
                      (kc[i].kind == ORGFIG_BOX && kc[i].nprops == 1 &&
                       strcmp(kc[i].props[0].key, "horizontal") == 0);
        CHECK(ok != refuse);
        orgfig_figure_free(f);
    }
    kind_cases_free();
    /* Errorbar with a bar reaching below 0 on log y: the rest is drawn. */
    orgfig_figure *f = fig(300, 200);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[] = {1, 2}, y[] = {1, 10}, e[] = {2, 1};
    orgfig_column *cx = col(x, 2), *cy = col(y, 2), *ce = col(e, 2);
    orgfig_value args[] = {colv(cx), colv(cy), colv(ce)};
    REQUIRE(orgfig_figure_plot(f, ORGFIG_ERRORBAR, args, 3, NULL, 0, &err) == ORGFIG_OK);
    orgfig_value lg = {.type = ORGFIG_V_SYM, .str = "log", .len = 3};
    orgfig_prop sp[] = {{"yscale", lg}};
    REQUIRE(setp(f, sp, 1) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    CHECK(L.axes[0].y.v0 > 0 && L.axes[0].y.v1 >= 11);
    orgfig_layout_free(&L);
    orgfig_buf out;
    CHECK(render(f, ORGFIG_FORMAT_PNG, &out));
    orgfig_buf_free(&out);
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
    orgfig_column_unref(ce);
    orgfig_figure_free(f);
}
