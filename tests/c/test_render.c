/* test_render.c - rendering: PNG/SVG/PDF output, pixel probes, clipping,
 * gaps, markers, styles, polling, busy, fault injection. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../module/core/figure.h"
#include "../../module/core/render.h"
#include "builders.h"
#include "harness.h"
#include "pixels.h"

#define num tb_num
#define colv tb_col
#define fig tb_figure
#define bare_fig tb_bare_figure
#define line tb_line
static bool
render_png(orgfig_figure *f, test_image *img)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    orgfig_render_opts o = {ORGFIG_FORMAT_PNG, -1, false, NULL, NULL, NULL};
    if (orgfig_figure_render(f, &o, &out, &err) != ORGFIG_OK) {
        fprintf(stderr, "  render failed: %s\n", err.msg);
        return false;
    }
    bool ok = test_decode_png(out.data, out.len, img);
    orgfig_buf_free(&out);
    return ok;
}

/* ---- tests ---- */

TEST(render_png_sizes_and_background)
{
    static const int sizes[][2] = {{200, 150}, {640, 480}, {800, 600}, {333, 517}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        orgfig_figure *f = fig(sizes[i][0], sizes[i][1], 1);
        REQUIRE(f);
        double y[] = {1, 3, 2};
        orgfig_err err = ORGFIG_ERR_INIT;
        CHECK(line(f, NULL, y, 3, NULL, 0, &err) == ORGFIG_OK);
        test_image img;
        REQUIRE(render_png(f, &img));
        CHECK(img.w == sizes[i][0] && img.h == sizes[i][1]);
        CHECK(test_px_near(&img, 0, 0, 255, 255, 255, 0));
        CHECK(test_px_near(&img, img.w - 1, img.h - 1, 255, 255, 255, 0));
        test_image_free(&img);
        orgfig_figure_free(f);
    }
    orgfig_figure *f = fig(800, 600, 2);
    REQUIRE(f);
    test_image img;
    REQUIRE(render_png(f, &img));
    CHECK(img.w == 1600 && img.h == 1200);
    test_image_free(&img);
    orgfig_figure_free(f);
}

/* ---- helpers for probing ---- */

static const int BLUE[3] = {31, 119, 180}; /* tab:blue, the first cycle color */

static bool
layout_of(orgfig_figure *f, orgfig_layout *L)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    return orgfig_figure_layout(f, L, &err) == ORGFIG_OK;
}

/* Device pixel of data point (X, Y) on axes 0. */
static void
to_px(const orgfig_layout *L, double scale, double x, double y, int *px, int *py)
{
    *px = (int)floor(orgfig_map_apply(&L->axes[0].x.map, x) * scale);
    *py = (int)floor(orgfig_map_apply(&L->axes[0].y.map, y) * scale);
}

static orgfig_column *
seq(double a, double b)
{
    double v[2] = {a, b};
    return tb_column(v, 2);
}

static void
set_limits(orgfig_figure *f, double x0, double x1, double y0, double y1)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *cx = seq(x0, x1), *cy = seq(y0, y1);
    orgfig_prop p[] = {{"xlim", tb_col(cx)}, {"ylim", tb_col(cy)}};
    orgfig_figure_set(f, p, 2, &err);
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
}

/* Count pixels of color C (within TOL) outside the device box of axes 0. */
static long
count_outside_box(const test_image *img, const orgfig_layout *L, double scale,
                  const int *c, int tol)
{
    orgfig_rect b = L->axes[0].box;
    int x0 = (int)floor(b.x * scale), x1 = (int)ceil((b.x + b.w) * scale);
    int y0 = (int)floor(b.y * scale), y1 = (int)ceil((b.y + b.h) * scale);
    long all = test_count_color(img, 0, 0, img->w, img->h, c[0], c[1], c[2], tol);
    long in = test_count_color(img, x0, y0, x1, y1, c[0], c[1], c[2], tol);
    return all - in;
}

TEST(render_line_passes_through_expected_pixels_and_is_clipped)
{
    for (int si = 1; si <= 2; si++) {
        double scale = si;
        orgfig_figure *f = fig(400, 300, scale);
        REQUIRE(f);
        orgfig_err err = ORGFIG_ERR_INIT;
        /* From far outside the limits to far outside: crosses the box. */
        double x[] = {-5, 15}, y[] = {-5, 15};
        CHECK(line(f, x, y, 2, NULL, 0, &err) == ORGFIG_OK);
        set_limits(f, 0, 10, 0, 10);
        orgfig_layout L;
        REQUIRE(layout_of(f, &L));
        test_image img;
        REQUIRE(render_png(f, &img));
        CHECK(img.w == 400 * si && img.h == 300 * si);
        for (double t = 1; t <= 9; t += 0.5) {
            int px, py;
            to_px(&L, scale, t, t, &px, &py);
            CHECK(test_px_near(&img, px, py, BLUE[0], BLUE[1], BLUE[2], 40));
        }
        /* Off the diagonal there is none of the line's color. */
        int px, py;
        to_px(&L, scale, 2, 8, &px, &py);
        CHECK(!test_px_near(&img, px, py, BLUE[0], BLUE[1], BLUE[2], 60));
        CHECK(count_outside_box(&img, &L, scale, BLUE, 60) == 0);
        test_image_free(&img);
        orgfig_layout_free(&L);
        orgfig_figure_free(f);
    }
}

TEST(render_nan_splits_the_line)
{
    orgfig_figure *f = fig(400, 300, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[] = {0, 1, 2, 3, 4, 5}, y[] = {1, 1, NAN, 1, 1, INFINITY};
    CHECK(line(f, x, y, 6, NULL, 0, &err) == ORGFIG_OK);
    set_limits(f, 0, 5, 0, 2);
    orgfig_layout L;
    REQUIRE(layout_of(f, &L));
    test_image img;
    REQUIRE(render_png(f, &img));
    int px, py;
    to_px(&L, 1, 0.5, 1, &px, &py);
    CHECK(test_px_near(&img, px, py, BLUE[0], BLUE[1], BLUE[2], 40));
    to_px(&L, 1, 3.5, 1, &px, &py);
    CHECK(test_px_near(&img, px, py, BLUE[0], BLUE[1], BLUE[2], 40));
    /* Between 1 and 3 (the NaN) and after 4 (the infinity): nothing. */
    int a, b, yy;
    to_px(&L, 1, 1.2, 1, &a, &yy);
    to_px(&L, 1, 2.8, 1, &b, &yy);
    CHECK(test_count_color(&img, a, yy - 5, b, yy + 6, BLUE[0], BLUE[1], BLUE[2], 90) ==
          0);
    to_px(&L, 1, 4.2, 1, &a, &yy);
    to_px(&L, 1, 4.95, 1, &b, &yy);
    CHECK(test_count_color(&img, a, yy - 5, b, yy + 6, BLUE[0], BLUE[1], BLUE[2], 90) ==
          0);
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

TEST(render_markers_at_data_positions)
{
    orgfig_figure *f = fig(400, 300, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[] = {1, 5, 9}, y[] = {2, 8, 3};
    orgfig_prop p[] = {{"width", num(0)},
                       {"marker", tb_sym("square")},
                       {"marker-size", num(8)},
                       {"color", tb_str("#ff0000")}};
    CHECK(line(f, x, y, 3, p, 4, &err) == ORGFIG_OK);
    set_limits(f, 0, 10, 0, 10);
    orgfig_layout L;
    REQUIRE(layout_of(f, &L));
    test_image img;
    REQUIRE(render_png(f, &img));
    for (int i = 0; i < 3; i++) {
        int px, py;
        to_px(&L, 1, x[i], y[i], &px, &py);
        CHECK(test_px_near(&img, px, py, 255, 0, 0, 10));
        /* 8 pt = 11 px square: 4 px away is inside, 9 px away is not. */
        CHECK(test_px_near(&img, px + 4, py - 4, 255, 0, 0, 10));
        CHECK(!test_px_near(&img, px + 9, py, 255, 0, 0, 100));
    }
    /* No line between the markers (:width 0). */
    int px, py;
    to_px(&L, 1, 3, 5, &px, &py);
    CHECK(test_count_color(&img, px - 3, py - 3, px + 4, py + 4, 255, 0, 0, 100) == 0);
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

TEST(render_bars_fill_their_rectangles)
{
    orgfig_figure *f = fig(500, 400, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_value labs[] = {tb_str("a"), tb_str("b"), tb_str("c")};
    double v[] = {3, -2, 5}, w[] = {1, 1, 1};
    orgfig_column *cv = tb_column(v, 3), *cw = tb_column(w, 3);
    orgfig_value args[] = {tb_list(labs, 3), tb_col(cv)};
    orgfig_prop red[] = {{"color", tb_str("#ff0000")}};
    CHECK(orgfig_figure_plot(f, ORGFIG_BAR, args, 2, red, 1, &err) == ORGFIG_OK);
    /* A stacked series of ones on top (and, for the negative bar, below). */
    orgfig_value args2[] = {tb_list(labs, 3), tb_col(cw)};
    orgfig_prop green[] = {{"color", tb_str("#00ff00")}, {"stack", tb_t}};
    CHECK(orgfig_figure_plot(f, ORGFIG_BAR, args2, 2, green, 2, &err) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(layout_of(f, &L));
    test_image img;
    REQUIRE(render_png(f, &img));
    /* Categorical labels are the tick labels. */
    CHECK(L.axes[0].x.ticks.n == 3 && strcmp(L.axes[0].x.ticks.ticks[1].label, "b") == 0);
    for (int i = 0; i < 3; i++) {
        int px, py;
        to_px(&L, 1, i, v[i] / 2, &px, &py);
        CHECK(test_px_near(&img, px, py, 255, 0, 0, 5));
        /* Inside the slot (0.8 wide), near its edge. */
        to_px(&L, 1, i + 0.35, v[i] / 2, &px, &py);
        CHECK(test_px_near(&img, px, py, 255, 0, 0, 5));
        to_px(&L, 1, i + 0.45, v[i] / 2, &px, &py);
        CHECK(!test_px_near(&img, px, py, 255, 0, 0, 100));
        /* The stacked one sits on top of positive bars (from 3 to 4, 5
         * to 6) and on top of 0 for the negative one (from 0 to 1). */
        double base = v[i] > 0 ? v[i] : 0;
        to_px(&L, 1, i, base + 0.5, &px, &py);
        CHECK(test_px_near(&img, px, py, 0, 255, 0, 5));
    }
    /* The value axis includes 0 and the stack's top. */
    CHECK(L.axes[0].y.v0 <= -2 && L.axes[0].y.v1 >= 6);
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_column_unref(cv);
    orgfig_column_unref(cw);
    orgfig_figure_free(f);
}

TEST(render_grouped_bars_sit_side_by_side)
{
    orgfig_figure *f = fig(500, 400, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_value labs[] = {tb_str("a"), tb_str("b")};
    double v[] = {4, 4};
    orgfig_column *cv = tb_column(v, 2);
    orgfig_value args[] = {tb_list(labs, 2), tb_col(cv)};
    orgfig_prop r[] = {{"color", tb_str("#ff0000")}, {"group", tb_t}};
    orgfig_prop g[] = {{"color", tb_str("#0000ff")}, {"group", tb_t}};
    CHECK(orgfig_figure_plot(f, ORGFIG_BAR, args, 2, r, 2, &err) == ORGFIG_OK);
    CHECK(orgfig_figure_plot(f, ORGFIG_BAR, args, 2, g, 2, &err) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(layout_of(f, &L));
    test_image img;
    REQUIRE(render_png(f, &img));
    for (int i = 0; i < 2; i++) {
        int px, py;
        to_px(&L, 1, i - 0.2, 2, &px, &py);
        CHECK(test_px_near(&img, px, py, 255, 0, 0, 5));
        to_px(&L, 1, i + 0.2, 2, &px, &py);
        CHECK(test_px_near(&img, px, py, 0, 0, 255, 5));
    }
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_column_unref(cv);
    orgfig_figure_free(f);
}

TEST(render_hist_heights)
{
    orgfig_figure *f = fig(500, 400, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    /* Bins of width 1 over [0, 4): counts 1, 4, 2, 3. */
    double d[] = {0.5, 1.1, 1.2, 1.5, 1.9, 2.5, 2.5, 3.1, 3.5, 4.0, NAN, INFINITY};
    orgfig_column *c = tb_column(d, 12);
    orgfig_value a[] = {tb_col(c)};
    orgfig_column *range = seq(0, 4);
    orgfig_prop p[] = {
        {"bins", num(4)}, {"color", tb_str("#ff0000")}, {"range", colv(range)}};
    CHECK(orgfig_figure_plot(f, ORGFIG_HIST, a, 1, p, 3, &err) == ORGFIG_OK);
    orgfig_column_unref(range);
    orgfig_layout L;
    REQUIRE(layout_of(f, &L));
    test_image img;
    REQUIRE(render_png(f, &img));
    /* The last bin is closed: 4.0 counts in [3, 4]. */
    double counts[] = {1, 4, 2, 3};
    for (int i = 0; i < 4; i++) {
        double cx = i + 0.5;
        int px, py;
        to_px(&L, 1, cx, counts[i] - 0.15, &px, &py);
        CHECK(test_px_near(&img, px, py, 255, 0, 0, 5));
        to_px(&L, 1, cx, counts[i] + 0.15, &px, &py);
        CHECK(!test_px_near(&img, px, py, 255, 0, 0, 100));
    }
    CHECK(L.axes[0].y.v0 == 0);
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_column_unref(c);
    orgfig_figure_free(f);
}

TEST(render_dark_style)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop p[] = {{"width", num(400)},
                       {"height", num(300)},
                       {"background", tb_str("#000000")},
                       {"foreground", tb_str("#ffffff")},
                       {"grid-color", tb_str("#444444")}};
    orgfig_figure *f = orgfig_figure_new(p, 5, &err);
    REQUIRE(f);
    double y[] = {1, 2, 3};
    CHECK(line(f, NULL, y, 3, NULL, 0, &err) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(layout_of(f, &L));
    test_image img;
    REQUIRE(render_png(f, &img));
    CHECK(test_px_near(&img, 0, 0, 0, 0, 0, 0));
    CHECK(test_px_near(&img, img.w - 1, img.h - 1, 0, 0, 0, 0));
    /* Tick labels are drawn in the light foreground. */
    orgfig_rect b = L.axes[0].box;
    long light = test_count_color(&img, (int)b.x, (int)(b.y + b.h + 2), (int)(b.x + b.w),
                                  img.h, 255, 255, 255, 60);
    CHECK(light > 20);
    /* The spine is light too. */
    CHECK(test_px_near(&img, (int)(b.x + b.w / 3), (int)floor(b.y + b.h), 255, 255, 255,
                       80));
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

TEST(render_legend_in_the_chosen_corner)
{
    static const char *const corners[] = {"upper-left", "upper-right", "lower-left",
                                          "lower-right"};
    for (int k = 0; k < 4; k++) {
        orgfig_figure *f = fig(400, 300, 1);
        REQUIRE(f);
        orgfig_err err = ORGFIG_ERR_INIT;
        double x[] = {0, 10}, y[] = {5, 5};
        orgfig_prop lp[] = {{"label", tb_str("the line")}};
        CHECK(line(f, x, y, 2, lp, 1, &err) == ORGFIG_OK);
        orgfig_prop sp[] = {{"legend", tb_sym(corners[k])}};
        CHECK(orgfig_figure_set(f, sp, 1, &err) == ORGFIG_OK);
        set_limits(f, 0, 10, 0, 10);
        orgfig_layout L;
        REQUIRE(layout_of(f, &L));
        const orgfig_axes_layout *al = &L.axes[0];
        REQUIRE(al->has_legend);
        double cx = al->legend.x + al->legend.w / 2, cy = al->legend.y + al->legend.h / 2;
        bool left = cx < al->box.x + al->box.w / 2, top = cy < al->box.y + al->box.h / 2;
        CHECK(left == (k == 0 || k == 2));
        CHECK(top == (k < 2));
        /* The swatch (the line's color) is drawn inside the legend box. */
        test_image img;
        REQUIRE(render_png(f, &img));
        orgfig_rect r = al->legend;
        CHECK(test_count_color(&img, (int)r.x, (int)r.y, (int)(r.x + r.w),
                               (int)(r.y + r.h), BLUE[0], BLUE[1], BLUE[2], 30) > 5);
        test_image_free(&img);
        orgfig_layout_free(&L);
        orgfig_figure_free(f);
    }
    /* best avoids the data: a line along the top leaves a lower corner. */
    orgfig_figure *f = fig(400, 300, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[] = {0, 5, 10}, y[] = {9, 9.5, 9};
    orgfig_prop lp[] = {{"label", tb_str("high")}};
    CHECK(line(f, x, y, 3, lp, 1, &err) == ORGFIG_OK);
    orgfig_prop sp[] = {{"legend", tb_t}};
    CHECK(orgfig_figure_set(f, sp, 1, &err) == ORGFIG_OK);
    set_limits(f, 0, 10, 0, 10);
    orgfig_layout L;
    REQUIRE(layout_of(f, &L));
    CHECK(L.axes[0].legend_loc == ORGFIG_LEGEND_LOWER_LEFT ||
          L.axes[0].legend_loc == ORGFIG_LEGEND_LOWER_RIGHT);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

TEST(render_svg_and_pdf)
{
    orgfig_figure *f = fig(400, 300, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double y[] = {1, 2, 3};
    CHECK(line(f, NULL, y, 3, NULL, 0, &err) == ORGFIG_OK);
    orgfig_prop p[] = {{"title", tb_str("Grüße")}};
    CHECK(orgfig_figure_set(f, p, 1, &err) == ORGFIG_OK);
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    orgfig_render_opts svg = {ORGFIG_FORMAT_SVG, -1, false, NULL, NULL, NULL};
    REQUIRE(orgfig_figure_render(f, &svg, &out, &err) == ORGFIG_OK);
    REQUIRE(out.len > 100);
    CHECK(memcmp(out.data, "<?xml", 5) == 0 || memcmp(out.data, "<svg", 4) == 0);
    CHECK(memmem(out.data, out.len, "<svg", 4) != NULL);
    CHECK(memmem(out.data, out.len, "width=\"300pt\"", 13) != NULL);
    orgfig_buf_free(&out);
    orgfig_render_opts pdf = {ORGFIG_FORMAT_PDF, -1, false, NULL, NULL, NULL};
    REQUIRE(orgfig_figure_render(f, &pdf, &out, &err) == ORGFIG_OK);
    CHECK(out.len > 100 && memcmp(out.data, "%PDF", 4) == 0);
    orgfig_buf_free(&out);
    orgfig_figure_free(f);
}

/* ---- poll, busy, quit ---- */

typedef struct poll_state {
    orgfig_figure *f;
    int calls;
    bool stop;
    orgfig_status seen_set, seen_render;
    size_t open_during;
} poll_state;

static bool
poll_cb(void *ctx)
{
    poll_state *s = ctx;
    s->calls++;
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop p[] = {{"title", tb_str("re-entrant")}};
    s->seen_set = orgfig_figure_set(s->f, p, 1, &err);
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    s->seen_render = orgfig_figure_render(s->f, NULL, &out, &err);
    orgfig_figure_close(s->f); /* a no-op while busy */
    s->open_during = orgfig_figure_is_open(s->f);
    return s->stop;
}

TEST(render_poll_busy_and_quit)
{
    orgfig_figure *f = fig(300, 200, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    /* Unsorted x: every segment is drawn, enough primitives to poll. */
    size_t n = 200000;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    REQUIRE(x && y);
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)i;
        y[i] = sin((double)i / 100);
    }
    x[10] = 1e6; /* unsorted: no decimation, every segment is drawn */
    CHECK(line(f, x, y, n, NULL, 0, &err) == ORGFIG_OK);
    free(x);
    free(y);
    poll_state s = {f, 0, false, ORGFIG_OK, ORGFIG_OK, 0};
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    orgfig_render_opts o = {ORGFIG_FORMAT_PNG, -1, false, poll_cb, NULL, &s};
    CHECK(orgfig_figure_render(f, &o, &out, &err) == ORGFIG_OK);
    CHECK(s.calls >= 1);
    CHECK(s.seen_set == ORGFIG_E_BUSY && s.seen_render == ORGFIG_E_BUSY);
    CHECK(s.open_during);
    CHECK(out.len > 0);
    orgfig_buf_free(&out);
    /* Stop: quit, nothing in OUT, nothing leaked, and usable afterwards. */
    size_t held = orgfig_memory_stats().bytes;
    s.stop = true;
    s.calls = 0;
    CHECK(orgfig_figure_render(f, &o, &out, &err) == ORGFIG_E_QUIT);
    CHECK(out.len == 0 && out.data == NULL);
    CHECK(orgfig_memory_stats().bytes == held);
    CHECK(s.calls == 1);
    orgfig_err_clear(&err);
    CHECK(orgfig_figure_render(f, NULL, &out, &err) == ORGFIG_OK);
    orgfig_buf_free(&out);
    orgfig_figure_free(f);
}

/* ---- every plot type, every allocation failing in turn ---- */

static orgfig_figure *
kitchen_sink(void)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop fp[] = {{"width", num(500)},
                        {"height", num(400)},
                        {"rows", num(2)},
                        {"cols", num(2)},
                        {"suptitle", tb_str("all kinds")}};
    orgfig_figure *f = orgfig_figure_new(fp, 5, &err);
    if (f == NULL)
        return NULL;
    size_t n = 6000; /* more than the sprite threshold */
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        x[i] = sin(i * 0.37) * 3;
        y[i] = cos(i * 0.11) * 2 + x[i];
    }
    orgfig_column *cx = tb_column(x, n), *cy = tb_column(y, n);
    free(x);
    free(y);
    orgfig_value xy[] = {colv(cx), colv(cy)};
    orgfig_prop l0[] = {{"axes", num(0)},
                        {"label", tb_str("line")},
                        {"marker", tb_sym("circle")},
                        {"dash", tb_sym("dashed")}};
    double ly[] = {1, 3, NAN, 2, 5};
    line(f, NULL, ly, 5, l0, 4, &err);
    orgfig_prop l1[] = {{"axes", num(0)},
                        {"yaxis", tb_sym("right")},
                        {"step", tb_sym("post")},
                        {"label", tb_str("right")}};
    line(f, NULL, ly, 5, l1, 4, &err);
    orgfig_value hv[] = {num(2)}, tv[] = {num(1), num(2), tb_str("text")};
    orgfig_prop a0[] = {{"axes", num(0)}, {"label", tb_str("h")}};
    orgfig_figure_plot(f, ORGFIG_HLINE, hv, 1, a0, 2, &err);
    orgfig_figure_plot(f, ORGFIG_VLINE, hv, 1, a0, 1, &err);
    orgfig_figure_plot(f, ORGFIG_TEXT, tv, 3, a0, 1, &err);
    orgfig_prop s1[] = {{"axes", num(1)},
                        {"color", colv(cy)},
                        {"colorbar", tb_t},
                        {"label", tb_str("pts")}};
    orgfig_figure_plot(f, ORGFIG_SCATTER, xy, 2, s1, 4, &err);
    orgfig_prop s2[] = {{"axes", num(1)}, {"density", tb_t}};
    orgfig_figure_plot(f, ORGFIG_SCATTER, xy, 2, s2, 2, &err);
    orgfig_value labs[] = {tb_str("a"), tb_str("b"), tb_str("c")};
    double bv[] = {1, -2, 3};
    orgfig_column *cb = tb_column(bv, 3);
    orgfig_value ba[] = {tb_list(labs, 3), colv(cb)};
    orgfig_prop b1[] = {{"axes", num(2)},
                        {"group", tb_t},
                        {"label", tb_str("g1")},
                        {"edgecolor", tb_str("black")}};
    orgfig_prop b2[] = {{"axes", num(2)}, {"group", tb_t}, {"label", tb_str("g2")}};
    orgfig_prop b3[] = {{"axes", num(2)}, {"stack", tb_t}};
    orgfig_figure_plot(f, ORGFIG_BAR, ba, 2, b1, 4, &err);
    orgfig_figure_plot(f, ORGFIG_BAR, ba, 2, b2, 3, &err);
    orgfig_figure_plot(f, ORGFIG_BAR, ba, 2, b3, 2, &err);
    orgfig_value ha[] = {colv(cx)};
    orgfig_prop h1[] = {{"axes", num(3)}, {"label", tb_str("hist")}};
    orgfig_prop h2[] = {{"axes", num(3)},
                        {"histtype", tb_sym("step")},
                        {"cumulative", tb_t},
                        {"density", tb_t}};
    orgfig_figure_plot(f, ORGFIG_HIST, ha, 1, h1, 2, &err);
    orgfig_figure_plot(f, ORGFIG_HIST, ha, 1, h2, 4, &err);
    orgfig_prop set0[] = {{"axes", num(0)},
                          {"legend", tb_sym("outside")},
                          {"grid", tb_t},
                          {"title", tb_str("lines")},
                          {"y2label", tb_str("right")}};
    orgfig_figure_set(f, set0, 5, &err);
    orgfig_prop set2[] = {{"axes", num(2)}, {"legend", tb_t}, {"xlabel", tb_str("cat")}};
    orgfig_figure_set(f, set2, 3, &err);
    orgfig_prop set3[] = {{"axes", num(3)}, {"yscale", tb_sym("log")}, {"legend", tb_t}};
    orgfig_figure_set(f, set3, 3, &err);
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
    orgfig_column_unref(cb);
    if (err.status != ORGFIG_OK)
        fprintf(stderr, "  kitchen sink: %s\n", err.msg);
    return f;
}

TEST(render_fault_injection_every_allocation)
{
    orgfig_figure *f = kitchen_sink();
    REQUIRE(f);
    CHECK(orgfig_figure_nartists(f) == 12);
    static const orgfig_format formats[] = {ORGFIG_FORMAT_PNG, ORGFIG_FORMAT_SVG,
                                            ORGFIG_FORMAT_PDF};
    for (size_t fi = 0; fi < 3; fi++) {
        orgfig_render_opts o = {formats[fi], -1, false, NULL, NULL, NULL};
        size_t held = orgfig_memory_stats().bytes, fbytes = orgfig_figure_bytes(f);
        int failures = 0;
        for (uint64_t k = 1; k < 100000; k++) {
            orgfig_err err = ORGFIG_ERR_INIT;
            orgfig_buf out = ORGFIG_BUF_INIT(NULL);
            orgfig_alloc_fail_at(k);
            orgfig_status st = orgfig_figure_render(f, &o, &out, &err);
            bool injected = !orgfig_alloc_fail_pending();
            orgfig_alloc_fail_at(0);
            if (st == ORGFIG_OK) {
                CHECK(!injected); /* an injected failure must not be swallowed */
                CHECK(out.len > 0);
                orgfig_buf_free(&out);
                break;
            }
            failures++;
            if (st != ORGFIG_E_NOMEM)
                fprintf(stderr, "  format %zu, allocation %llu: %s %s\n", fi,
                        (unsigned long long)k, orgfig_status_name(st), err.msg);
            CHECK(st == ORGFIG_E_NOMEM);
            CHECK(out.len == 0 && out.data == NULL);
            CHECK(orgfig_memory_stats().bytes == held);
            CHECK(orgfig_figure_bytes(f) == fbytes);
            CHECK(!f->busy);
        }
        CHECK(failures > 20);
        /* And it renders fine afterwards. */
        test_image img;
        if (formats[fi] == ORGFIG_FORMAT_PNG) {
            REQUIRE(render_png(f, &img));
            CHECK(img.w == 500 && img.h == 400);
            test_image_free(&img);
        }
    }
    orgfig_figure_free(f);
}

TEST(render_scatter_sprites_match_cairo)
{
    /* The same 6000 opaque markers, stamped from sprites and drawn by
     * cairo, centred on their pixels (the default) and with :snap nil.
     * Unsnapped sprites are placed on the nearest 1/8 pixel (at most 1/16
     * px off), so only anti-aliased edge pixels differ a little: we allow
     * 0.2% of the pixels to differ by more than 32 in a channel
     * (measured: at most 0.04%, for the thin strokes of x), which still
     * catches a marker of the wrong size, color, position or clipping
     * (one misplaced marker alone changes about 0.1%). */
    size_t n = 6000;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    REQUIRE(x && y);
    for (size_t i = 0; i < n; i++) {
        x[i] = fmod(i * 0.6180339887, 1.0) * 12 - 1; /* some outside the limits */
        y[i] = fmod(i * 0.7548776662, 1.0) * 12 - 1;
    }
    orgfig_column *cx = tb_column(x, n), *cy = tb_column(y, n);
    free(x);
    free(y);
    static const char *const markers[] = {"circle", "square", "triangle", "x"};
    for (int k = 0; k < 4; k++) {
        int scale = 1 + k % 2;
        bool snap = k < 2;
        for (int m = 0; m < 4; m++) {
            orgfig_figure *f = fig(300, 240, scale);
            REQUIRE(f);
            orgfig_err err = ORGFIG_ERR_INIT;
            orgfig_value a[] = {colv(cx), colv(cy)};
            orgfig_prop p[] = {{"marker", tb_sym(markers[m])},
                               {"size", num(20)},
                               {"snap", snap ? tb_t : tb_nil}};
            CHECK(orgfig_figure_plot(f, ORGFIG_SCATTER, a, 2, p, 3, &err) == ORGFIG_OK);
            set_limits(f, 0, 10, 0, 10);
            test_image sprites, paths;
            size_t saved = orgfig_scatter_sprite_min;
            orgfig_scatter_sprite_min = 100;
            bool ok1 = render_png(f, &sprites);
            orgfig_scatter_sprite_min = (size_t)-1;
            bool ok2 = render_png(f, &paths);
            orgfig_scatter_sprite_min = saved;
            REQUIRE(ok1 && ok2);
            long differ = 0, total = (long)sprites.w * sprites.h, colored = 0;
            for (int yy = 0; yy < sprites.h; yy++) {
                for (int xx = 0; xx < sprites.w; xx++) {
                    const unsigned char *p1 = test_px(&sprites, xx, yy),
                                        *p2 = test_px(&paths, xx, yy);
                    int d = 0;
                    for (int c = 0; c < 3; c++)
                        d = abs(p1[c] - p2[c]) > d ? abs(p1[c] - p2[c]) : d;
                    differ += d > 32;
                    colored +=
                        test_px_near(&sprites, xx, yy, BLUE[0], BLUE[1], BLUE[2], 10);
                }
            }
            if (differ * 500 > total || getenv("ORGFIG_TEST_VERBOSE"))
                fprintf(stderr, "  %s x%d snap %d: %ld of %ld pixels differ\n",
                        markers[m], scale, (int)snap, differ, total);
            CHECK(differ * 500 <= total);
            CHECK(colored > total / 20); /* the markers are really there */
            test_image_free(&sprites);
            test_image_free(&paths);
            orgfig_figure_free(f);
        }
    }
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
}

/* The ink of IMG (pixels not white) in connected components (8-way),
 * each described by its bounding box and pixels.  Returns the number of
 * components whose box and pixels equal the first one's (*SAME) and the
 * number found (*N).  MAXN components at most. */
static void
ink_components(const test_image *img, int *n, int *same)
{
    int w = img->w, h = img->h;
    unsigned char *seen = calloc((size_t)w * h, 1);
    int *stack = malloc((size_t)w * h * sizeof *stack);
    int fx0 = 0, fy0 = 0, fw = 0, fh = 0;
    *n = *same = 0;
    if (seen == NULL || stack == NULL)
        goto out;
    for (int y0 = 0; y0 < h; y0++)
        for (int x0 = 0; x0 < w; x0++) {
            const unsigned char *p = test_px(img, x0, y0);
            if (seen[y0 * w + x0] || (p[0] == 255 && p[1] == 255 && p[2] == 255))
                continue;
            int top = 0, bx0 = x0, by0 = y0, bx1 = x0, by1 = y0;
            stack[top++] = y0 * w + x0;
            seen[y0 * w + x0] = 1;
            while (top > 0) {
                int k = stack[--top], x = k % w, y = k / w;
                bx0 = x < bx0 ? x : bx0;
                bx1 = x > bx1 ? x : bx1;
                by0 = y < by0 ? y : by0;
                by1 = y > by1 ? y : by1;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) {
                        int u = x + dx, v = y + dy;
                        if (u < 0 || v < 0 || u >= w || v >= h || seen[v * w + u])
                            continue;
                        const unsigned char *q = test_px(img, u, v);
                        if (q[0] == 255 && q[1] == 255 && q[2] == 255)
                            continue;
                        seen[v * w + u] = 1;
                        stack[top++] = v * w + u;
                    }
            }
            int cw = bx1 - bx0 + 1, ch = by1 - by0 + 1;
            if (++*n == 1) {
                fx0 = bx0, fy0 = by0, fw = cw, fh = ch;
                *same = 1;
                continue;
            }
            bool eq = cw == fw && ch == fh;
            for (int y = 0; eq && y < ch; y++)
                eq = memcmp(test_px(img, bx0, by0 + y), test_px(img, fx0, fy0 + y),
                            (size_t)cw * 4) == 0;
            *same += eq;
        }
out:
    free(seen);
    free(stack);
}

TEST(render_scatter_snap_centres_markers_on_pixels)
{
    /* 400 well-separated small circles at irrational positions, no axes:
     * snapped (the default), every marker is the same crisp pattern, from
     * sprites (many points) as from cairo (few); with :snap nil they fall
     * at sub-pixel positions and look different. */
    size_t n = 400;
    double x[400], y[400];
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)(i % 20) * 10 + 5 + fmod(i * 0.6180339887, 1.0) * 3;
        y[i] = (double)(i / 20) * 10 + 5 + fmod(i * 0.7548776662, 1.0) * 3;
    }
    orgfig_column *cx = tb_column(x, n), *cy = tb_column(y, n);
    for (int k = 0; k < 4; k++) {
        bool snap = k < 3, sprites = k != 1;
        orgfig_figure *f = bare_fig(400, 400, k == 2 ? 2 : 1);
        REQUIRE(f);
        orgfig_err err = ORGFIG_ERR_INIT;
        orgfig_value a[] = {colv(cx), colv(cy)};
        orgfig_prop p[] = {{"size", num(4)}, {"snap", snap ? tb_t : tb_nil}};
        CHECK(orgfig_figure_plot(f, ORGFIG_SCATTER, a, 2, p, 2, &err) == ORGFIG_OK);
        set_limits(f, 0, 200, 0, 200);
        size_t saved = orgfig_scatter_sprite_min;
        orgfig_scatter_sprite_min = sprites ? 10 : (size_t)-1;
        test_image img;
        bool ok = render_png(f, &img);
        orgfig_scatter_sprite_min = saved;
        REQUIRE(ok);
        int found, same;
        ink_components(&img, &found, &same);
        if (getenv("ORGFIG_TEST_VERBOSE"))
            fprintf(stderr, "  case %d: %d markers, %d like the first\n", k, found, same);
        CHECK(found == (int)n);
        if (snap)
            CHECK(same == found);
        else
            CHECK(same < found / 4);
        test_image_free(&img);
        orgfig_figure_free(f);
    }
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
}

TEST(render_scatter_one_colour_keeps_few_colours)
{
    /* 200000 translucent overlapping markers in one colour: their united
     * coverage is painted on the sprites' 32 levels, so the image has at
     * most 33 colours (white and 32 blends) and encodes as a palette. */
    size_t n = 200000;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    REQUIRE(x && y);
    for (size_t i = 0; i < n; i++) {
        double r = fmod(i * 0.6180339887, 1.0), t = fmod(i * 0.7548776662, 1.0) * 6.283;
        x[i] = 5 + 4 * sqrt(r) * cos(t);
        y[i] = 5 + 4 * sqrt(r) * sin(t);
    }
    orgfig_column *cx = tb_column(x, n), *cy = tb_column(y, n);
    free(x);
    free(y);
    for (int snap = 0; snap < 2; snap++) {
        orgfig_figure *f = bare_fig(300, 240, 1);
        REQUIRE(f);
        orgfig_err err = ORGFIG_ERR_INIT;
        orgfig_value a[] = {colv(cx), colv(cy)};
        orgfig_prop p[] = {
            {"size", num(3)}, {"alpha", num(0.05)}, {"snap", snap ? tb_t : tb_nil}};
        CHECK(orgfig_figure_plot(f, ORGFIG_SCATTER, a, 2, p, 3, &err) == ORGFIG_OK);
        set_limits(f, 0, 10, 0, 10);
        orgfig_buf out = ORGFIG_BUF_INIT(NULL);
        orgfig_render_opts o = {ORGFIG_FORMAT_PNG, -1, false, NULL, NULL, NULL};
        REQUIRE(orgfig_figure_render(f, &o, &out, &err) == ORGFIG_OK);
        REQUIRE(out.len > 33);
        CHECK(out.data[25] == 3); /* indexed colour */
        test_image img;
        REQUIRE(test_decode_png(out.data, out.len, &img));
        uint32_t colours[64];
        int nc = 0;
        bool over = false;
        for (int yy = 0; yy < img.h && !over; yy++)
            for (int xx = 0; xx < img.w && !over; xx++) {
                const unsigned char *q = test_px(&img, xx, yy);
                uint32_t c = (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2];
                int j = 0;
                while (j < nc && colours[j] != c)
                    j++;
                if (j == nc) {
                    over = nc == 64;
                    if (!over)
                        colours[nc++] = c;
                }
            }
        if (getenv("ORGFIG_TEST_VERBOSE"))
            fprintf(stderr, "  snap %d: %d colours\n", snap, nc);
        CHECK(!over && nc <= 33);
        CHECK(nc > 8); /* the overlaps really blend */
        test_image_free(&img);
        orgfig_buf_free(&out);
        orgfig_figure_free(f);
    }
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
}

TEST(render_bars_snap_to_device_pixels)
{
    /* PNG bars and histogram boxes of at least 2 device pixels have their
     * edges on pixel boundaries: across a row through them every pixel is
     * the bar colour or the background, nothing between.  Boxes narrower
     * than 2 pixels keep their exact, anti-aliased edges and do not
     * vanish: 90 bars 0.6 pixels wide ink at least 90 pixels. */
    for (int scale = 1; scale <= 2; scale++) {
        orgfig_figure *f = bare_fig(233, 150, scale);
        REQUIRE(f);
        orgfig_err err = ORGFIG_ERR_INIT;
        double d[700];
        for (int i = 0; i < 700; i++)
            d[i] = fmod(i * 0.618034, 1) + fmod(i * 0.754878, 1);
        orgfig_column *cd = tb_column(d, 700);
        orgfig_value a[] = {colv(cd)};
        orgfig_prop p[] = {{"bins", num(13)}};
        CHECK(orgfig_figure_plot(f, ORGFIG_HIST, a, 1, p, 1, &err) == ORGFIG_OK);
        test_image img;
        REQUIRE(render_png(f, &img));
        int y = img.h * 4 / 5, mixed = 0, inked = 0;
        for (int xx = 0; xx < img.w; xx++) {
            bool bg = test_px_near(&img, xx, y, 255, 255, 255, 0);
            bool bar = test_px_near(&img, xx, y, BLUE[0], BLUE[1], BLUE[2], 1);
            mixed += !bg && !bar;
            inked += bar;
        }
        CHECK(mixed == 0);
        CHECK(inked > img.w / 2);
        test_image_free(&img);
        orgfig_figure_free(f);

        f = bare_fig(200, 100, scale);
        REQUIRE(f);
        double u[90], h[90];
        for (int i = 0; i < 90; i++) {
            u[i] = i;
            h[i] = 1;
        }
        orgfig_column *cu = tb_column(u, 90), *ch = tb_column(h, 90);
        orgfig_value b[] = {colv(cu), colv(ch)};
        orgfig_prop q[] = {{"bar-width", num(0.3)}};
        CHECK(orgfig_figure_plot(f, ORGFIG_BAR, b, 2, q, 1, &err) == ORGFIG_OK);
        REQUIRE(render_png(f, &img));
        int cols = 0;
        for (int xx = 0; xx < img.w; xx++)
            cols += !test_px_near(&img, xx, img.h / 2, 255, 255, 255, 8);
        CHECK(cols >= 90);
        test_image_free(&img);
        orgfig_figure_free(f);
        orgfig_column_unref(ch);
        orgfig_column_unref(cd);
        orgfig_column_unref(cu);
    }
}

static int quit_polls;
static bool
quit_on_second_poll(void *ctx)
{
    (void)ctx;
    return ++quit_polls == 2;
}

TEST(render_threads_scatter_bands_are_identical_to_one)
{
    /* 300000 translucent markers (normal, some outside the limits, a few
     * NaN), colormapped and in one colour, stamped by 1, 2, 3 and 8 threads, each owning
     * a band of rows: every pixel sees the same stamps in the same order, so the PNGs
     * decode to identical pixels.  Then a quit during the threaded stamping fails cleanly
     * and frees everything. */
    size_t n = 300000;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y),
           *c = malloc(n * sizeof *c);
    REQUIRE(x && y && c);
    uint64_t r = 0x2545f4914f6cdd1dull;
    for (size_t i = 0; i < n; i++) {
        double u[3];
        for (int k = 0; k < 3; k++)
            u[k] = test_xorshift(&r);
        double rad = sqrt(-2 * log(u[0] + 1e-300));
        x[i] = rad * cos(6.283185307179586 * u[1]);
        y[i] = i % 10007 == 5 ? NAN : rad * sin(6.283185307179586 * u[1]);
        c[i] = u[2];
    }
    orgfig_column *cx = tb_column(x, n), *cy = tb_column(y, n), *cc = tb_column(c, n);
    free(x);
    free(y);
    free(c);
    int saved = orgfig_scatter_threads;
    orgfig_figure *f = fig(500, 400, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_value a[] = {colv(cx), colv(cy)};
    orgfig_prop p[] = {{"color", colv(cc)}, {"alpha", num(0.5)}, {"size", num(4)}};
    CHECK(orgfig_figure_plot(f, ORGFIG_SCATTER, a, 2, p, 3, &err) == ORGFIG_OK);
    set_limits(f, -3, 3, -3, 3);
    /* And one colour, translucent: its coverages are united in an A8
     * image, band by band, and painted once. */
    orgfig_figure *g = fig(500, 400, 1);
    REQUIRE(g);
    orgfig_prop q[] = {{"alpha", num(0.3)}, {"size", num(4)}};
    CHECK(orgfig_figure_plot(g, ORGFIG_SCATTER, a, 2, q, 2, &err) == ORGFIG_OK);
    set_limits(g, -3, 3, -3, 3);
    orgfig_figure *figs[] = {f, g};
    for (int k = 0; k < 2; k++) {
        test_image one;
        orgfig_scatter_threads = 1;
        REQUIRE(render_png(figs[k], &one));
        static const int threads[] = {2, 3, 8};
        for (int t = 0; t < 3; t++) {
            orgfig_scatter_threads = threads[t];
            test_image many;
            REQUIRE(render_png(figs[k], &many));
            CHECK(many.w == one.w && many.h == one.h);
            CHECK(memcmp(many.rgba, one.rgba, (size_t)one.w * (size_t)one.h * 4) == 0);
            test_image_free(&many);
        }
        /* Not blank: the markers are there. */
        long inked = 0;
        for (int yy = 0; yy < one.h; yy++)
            for (int xx = 0; xx < one.w; xx++)
                inked += !test_px_near(&one, xx, yy, 255, 255, 255, 16);
        CHECK(inked > (long)one.w * one.h / 10);
        test_image_free(&one);
    }
    orgfig_figure_free(g);
    orgfig_scatter_threads = 2;
    size_t held = orgfig_memory_stats().bytes;
    quit_polls = 0;
    orgfig_render_opts o = {ORGFIG_FORMAT_PNG,   -1,   false,
                            quit_on_second_poll, NULL, NULL};
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    CHECK(orgfig_figure_render(f, &o, &out, &err) == ORGFIG_E_QUIT);
    CHECK(quit_polls == 2);
    CHECK(out.len == 0 && out.data == NULL);
    CHECK(orgfig_memory_stats().bytes == held);
    orgfig_scatter_threads = saved;
    orgfig_figure_free(f);
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
    orgfig_column_unref(cc);
}

/* Whether an inked pixel (far from white) of A has an inked pixel of B
 * within one pixel; returns the number of A's inked pixels that do not. */
static long
ink_not_near(const test_image *a, const test_image *b)
{
    long missing = 0;
    for (int y = 0; y < a->h; y++)
        for (int x = 0; x < a->w; x++) {
            if (test_px_near(a, x, y, 255, 255, 255, 128))
                continue;
            bool near = false;
            for (int dy = -1; dy <= 1 && !near; dy++)
                for (int dx = -1; dx <= 1 && !near; dx++) {
                    int xx = x + dx, yy = y + dy;
                    if (xx >= 0 && yy >= 0 && xx < b->w && yy < b->h &&
                        !test_px_near(b, xx, yy, 255, 255, 255, 128))
                        near = true;
                }
            missing += !near;
        }
    return missing;
}

TEST(render_decimated_line_matches_full_line)
{
    /* 200000 sorted points (a random walk, and a noisy sine with NaN
     * gaps) at 800x600 and 300x200, scale 1 and 2: the decimated line
     * (first, lowest, highest and last point of each quarter of a device
     * pixel column) must look like drawing every segment: at most 0.1% of
     * the pixels may differ by more than 64 in a channel.  Measured:
     * at most 0.007% (with whole-pixel columns it was 0.08-1.0%, all on
     * the anti-aliased edges of the dense band). */
    size_t n = 200000;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    REQUIRE(x && y);
    static const int sizes[][2] = {{800, 600}, {300, 200}};
    for (int kind = 0; kind < 2; kind++) {
        uint64_t r = 88172645463325252ull; /* xorshift64 */
        double walk = 0;
        for (size_t i = 0; i < n; i++) {
            double u = test_xorshift(&r) - 0.5;
            x[i] = (double)i / 500;
            walk += u;
            y[i] = kind == 0
                       ? walk
                       : sin((double)i / 10000) + 0.3 * u + (i % 50000 == 7 ? NAN : 0);
        }
        for (int s = 0; s < 2; s++) {
            for (int scale = 1; scale <= 2; scale++) {
                orgfig_figure *f = fig(sizes[s][0], sizes[s][1], scale);
                REQUIRE(f);
                orgfig_err err = ORGFIG_ERR_INIT;
                CHECK(line(f, x, y, n, NULL, 0, &err) == ORGFIG_OK);
                test_image dec, full;
                orgfig_line_decimate = false;
                bool ok1 = render_png(f, &full);
                orgfig_line_decimate = true;
                bool ok2 = render_png(f, &dec);
                REQUIRE(ok1 && ok2);
                long differ = test_count_differ(&dec, &full, 64),
                     total = (long)dec.w * dec.h;
                long miss1 = ink_not_near(&dec, &full), miss2 = ink_not_near(&full, &dec);
                if (differ * 1000 > total || miss1 || miss2 ||
                    getenv("ORGFIG_TEST_VERBOSE"))
                    fprintf(stderr,
                            "  decimation %s %dx%d x%d: %ld of %ld pixels differ; %ld, "
                            "%ld stray\n",
                            kind ? "sine" : "walk", sizes[s][0], sizes[s][1], scale,
                            differ, total, miss1, miss2);
                CHECK(differ * 1000 <= total);
                CHECK(miss1 == 0 && miss2 == 0);
                test_image_free(&dec);
                test_image_free(&full);
                orgfig_figure_free(f);
            }
        }
    }
    free(x);
    free(y);
}

TEST(render_raster_line_matches_cairo_stroke)
{
    /* Solid lines in PNGs go through lineraster.c's coverage mask instead
     * of cairo's stroker; the two must look alike: a random walk and a
     * sine (with a NaN gap) of 1000 and 20000 points, widths 0.5 to 4 pt,
     * opaque and translucent, at scale 1 and 2.  At most 0.3% of the
     * pixels may differ by more than 64 in a channel and no ink may be
     * more than a pixel from the other's.  Measured: at most 0.22% (1 pt
     * lines at scale 1, where cairo's exact area coverage of several
     * segments crossing one pixel adds up while the mask keeps the
     * largest), 0.1% at the default 1.5 pt.  Lines under 1.25 device
     * pixels keep cairo's stroker, as that difference grows for them
     * (0.56%, and ink cairo draws darker than half, for 0.5 pt). */
    static const size_t ns[] = {1000, 20000};
    static const double widths[] = {0.5, 0.75, 1, 1.5, 4};
    for (int k = 0; k < 2; k++) {
        size_t n = ns[k];
        double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
        REQUIRE(x && y);
        uint64_t r = 88172645463325252ull;
        double walk = 0;
        for (size_t i = 0; i < n; i++) {
            walk += test_xorshift(&r) - 0.5;
            x[i] = (double)i;
            y[i] = k == 0 ? walk : sin((double)i / 500) + (i == n / 3 ? NAN : 0);
        }
        for (int w = 0; w < 5; w++) {
            for (int scale = 1; scale <= 2; scale++) {
                double alpha = w == 4 ? 0.4 : 1;
                orgfig_figure *f = fig(400, 300, scale);
                REQUIRE(f);
                orgfig_err err = ORGFIG_ERR_INIT;
                orgfig_prop pr[] = {{"width", tb_num(widths[w])},
                                    {"alpha", tb_num(alpha)}};
                CHECK(line(f, x, y, n, pr, 2, &err) == ORGFIG_OK);
                test_image ras, cai;
                orgfig_line_raster = false;
                bool ok1 = render_png(f, &cai);
                orgfig_line_raster = true;
                bool ok2 = render_png(f, &ras);
                REQUIRE(ok1 && ok2);
                long differ = test_count_differ(&ras, &cai, 64),
                     total = (long)ras.w * ras.h;
                long miss1 = ink_not_near(&ras, &cai), miss2 = ink_not_near(&cai, &ras);
                if (differ * 1000 > 3 * total || miss1 || miss2 ||
                    getenv("ORGFIG_TEST_VERBOSE"))
                    fprintf(stderr,
                            "  raster line n=%zu width %.1f alpha %.1f x%d: %ld of %ld "
                            "pixels differ; %ld, %ld stray\n",
                            n, widths[w], alpha, scale, differ, total, miss1, miss2);
                CHECK(differ * 1000 <= 3 * total);
                CHECK(miss1 == 0 && miss2 == 0);
                test_image_free(&ras);
                test_image_free(&cai);
                orgfig_figure_free(f);
            }
        }
        free(x);
        free(y);
    }
}

TEST(render_line_plot_fits_a_palette)
{
    /* A default 800x600 figure with one 1000-point line: its line edges
     * take ORGFIG_LMASK_LEVELS colours, so with the axes and text the image
     * has at most 256 and is written as an indexed PNG (PLTE), about half
     * the bytes of RGB. */
    size_t n = 1000;
    double y[1000];
    uint64_t r = 88172645463325252ull;
    double walk = 0;
    for (size_t i = 0; i < n; i++) {
        walk += test_xorshift(&r) - 0.5;
        y[i] = walk;
    }
    orgfig_figure *f = fig(800, 600, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop title[] = {{"title", tb_str("A random walk")}};
    CHECK(orgfig_figure_set(f, title, 1, &err) == ORGFIG_OK);
    CHECK(line(f, NULL, y, n, NULL, 0, &err) == ORGFIG_OK);
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    REQUIRE(orgfig_figure_render(f, NULL, &out, &err) == ORGFIG_OK);
    bool plte = false;
    for (size_t i = 8; i + 4 <= out.len && i < 2048 && !plte; i++)
        plte = memcmp(out.data + i, "PLTE", 4) == 0;
    CHECK(plte);
    orgfig_buf_free(&out);
    orgfig_figure_free(f);
}

TEST(render_raster_line_leaves_dashes_to_cairo)
{
    /* The mask serves solid lines into images only: a dashed line must
     * still show gaps along a horizontal run. */
    orgfig_figure *f = bare_fig(300, 200, 1); /* no spines to mistake for it */
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[] = {0, 10}, y[] = {1, 1};
    orgfig_prop pr[] = {{"dash", tb_sym("dashed")}, {"width", tb_num(2)}};
    CHECK(line(f, x, y, 2, pr, 2, &err) == ORGFIG_OK);
    test_image img;
    REQUIRE(render_png(f, &img));
    /* The line's row: the one with the most ink in the middle half. */
    int row = -1, best = 0;
    for (int yy = 0; yy < img.h; yy++) {
        int ink = 0;
        for (int xx = img.w / 4; xx < 3 * img.w / 4; xx++)
            ink += !test_px_near(&img, xx, yy, 255, 255, 255, 128);
        if (ink > best) {
            best = ink;
            row = yy;
        }
    }
    int switches = 0;
    bool prev = false;
    for (int xx = img.w / 4; xx < 3 * img.w / 4; xx++) {
        bool ink = !test_px_near(&img, xx, row < 0 ? 0 : row, 255, 255, 255, 128);
        switches += xx > img.w / 4 && ink != prev;
        prev = ink;
    }
    CHECK(row >= 0);
    CHECK(switches >= 6);
    test_image_free(&img);
    orgfig_figure_free(f);
}

TEST(render_numeric_bar_labels_are_positions)
{
    /* Bars labelled with numbers sit at those x values on a numeric axis
     * shared with a line (gallery review issue 1); slots are the smallest
     * gap (3) times :bar-width (0.8): bar 5 covers [3.8, 6.2]. */
    orgfig_figure *f = fig(500, 400, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double lx[] = {0, 10}, ly[] = {0, 0};
    CHECK(line(f, lx, ly, 2, NULL, 0, &err) == ORGFIG_OK);
    double pos[] = {8, 2, 5}, val[] = {3, 1, 2}; /* unsorted on purpose */
    orgfig_column *cp = tb_column(pos, 3), *cv = tb_column(val, 3);
    orgfig_value args[] = {colv(cp), colv(cv)};
    orgfig_prop red[] = {{"color", tb_str("#ff0000")}};
    CHECK(orgfig_figure_plot(f, ORGFIG_BAR, args, 2, red, 1, &err) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(layout_of(f, &L));
    const orgfig_axes_layout *al = &L.axes[0];
    CHECK(al->cat_x == NULL && al->cat_y == NULL);
    CHECK(al->x.v0 <= 0 && al->x.v1 >= 10);
    /* Numeric ticks, not the labels "8 2 5". */
    bool has10 = false;
    for (size_t k = 0; k < al->x.ticks.n; k++)
        has10 |= al->x.ticks.ticks[k].value == 10;
    CHECK(has10);
    test_image img;
    REQUIRE(render_png(f, &img));
    for (int i = 0; i < 3; i++) {
        int px, py;
        to_px(&L, 1, pos[i], val[i] / 2, &px, &py);
        CHECK(test_px_near(&img, px, py, 255, 0, 0, 5));
        to_px(&L, 1, pos[i] + 1.1, val[i] / 2, &px, &py);
        CHECK(test_px_near(&img, px, py, 255, 0, 0, 5));
        to_px(&L, 1, pos[i] + 1.35, val[i] / 2, &px, &py);
        CHECK(!test_px_near(&img, px, py, 255, 0, 0, 100));
    }
    test_image_free(&img);
    orgfig_layout_free(&L);
    /* Strings stay categorical. */
    orgfig_value labs[] = {tb_str("8"), tb_str("2"), tb_str("5")};
    orgfig_value sargs[] = {tb_list(labs, 3), colv(cv)};
    orgfig_figure *g = fig(500, 400, 1);
    REQUIRE(g);
    CHECK(orgfig_figure_plot(g, ORGFIG_BAR, sargs, 2, NULL, 0, &err) == ORGFIG_OK);
    REQUIRE(layout_of(g, &L));
    CHECK(L.axes[0].cat_x != NULL && L.axes[0].x.ticks.n == 3);
    CHECK(strcmp(L.axes[0].x.ticks.ticks[0].label, "8") == 0);
    orgfig_layout_free(&L);
    orgfig_figure_free(g);
    orgfig_column_unref(cp);
    orgfig_column_unref(cv);
    orgfig_figure_free(f);
}

TEST(render_legend_best_avoids_segments)
{
    /* Two long segments whose vertices all lie outside the view cross the
     * upper corners and the lower left one; only the lower right is free.
     * Counting vertices alone would keep the first corner (upper right). */
    orgfig_figure *f = fig(640, 480, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x1[] = {-5, 15}, y1[] = {9, 9}, x2[] = {-5, 4}, y2[] = {1, 1};
    orgfig_prop l1[] = {{"label", tb_str("top")}}, l2[] = {{"label", tb_str("bottom")}};
    CHECK(line(f, x1, y1, 2, l1, 1, &err) == ORGFIG_OK);
    CHECK(line(f, x2, y2, 2, l2, 1, &err) == ORGFIG_OK);
    orgfig_prop sp[] = {{"legend", tb_sym("best")}};
    CHECK(orgfig_figure_set(f, sp, 1, &err) == ORGFIG_OK);
    set_limits(f, 0, 10, 0, 10);
    orgfig_layout L;
    REQUIRE(layout_of(f, &L));
    CHECK(L.axes[0].legend_loc == ORGFIG_LEGEND_LOWER_RIGHT);
    orgfig_layout_free(&L);
    /* Bars count by their area, not only their centre line: wide bars
     * fill the left half up to the top, so the legend goes right. */
    orgfig_figure *g = fig(640, 480, 1);
    REQUIRE(g);
    double bp[] = {1, 3}, bv[] = {10, 10};
    orgfig_column *cp = tb_column(bp, 2), *cv = tb_column(bv, 2);
    orgfig_value args[] = {colv(cp), colv(cv)};
    orgfig_prop bl[] = {{"label", tb_str("bars")}, {"bar-width", num(1)}};
    CHECK(orgfig_figure_plot(g, ORGFIG_BAR, args, 2, bl, 2, &err) == ORGFIG_OK);
    orgfig_prop gp[] = {{"legend", tb_t}};
    CHECK(orgfig_figure_set(g, gp, 1, &err) == ORGFIG_OK);
    set_limits(g, 0, 10, 0, 10);
    REQUIRE(layout_of(g, &L));
    CHECK(L.axes[0].legend_loc == ORGFIG_LEGEND_UPPER_RIGHT ||
          L.axes[0].legend_loc == ORGFIG_LEGEND_LOWER_RIGHT);
    orgfig_layout_free(&L);
    orgfig_column_unref(cp);
    orgfig_column_unref(cv);
    orgfig_figure_free(g);
    orgfig_figure_free(f);
}

TEST(render_density_colorbar_counts)
{
    /* 1000 points on one pixel and one point elsewhere: the colorbar is a
     * log axis from 1 to 1000, and the pixels take the colormap's ends. */
    size_t n = 1002;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    REQUIRE(x && y);
    for (size_t i = 0; i < n; i++) {
        x[i] = 5;
        y[i] = 5;
    }
    x[1000] = 2;
    y[1000] = 2;
    x[1001] = 8; /* a second lone point so the two ends are well apart */
    y[1001] = 8;
    orgfig_column *cx = tb_column(x, n), *cy = tb_column(y, n);
    free(x);
    free(y);
    orgfig_figure *f = fig(400, 300, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_value a[] = {colv(cx), colv(cy)};
    orgfig_prop p[] = {{"density", tb_t}, {"colorbar", tb_t}};
    CHECK(orgfig_figure_plot(f, ORGFIG_SCATTER, a, 2, p, 2, &err) == ORGFIG_OK);
    set_limits(f, 0, 10, 0, 10);
    orgfig_layout L;
    REQUIRE(layout_of(f, &L));
    const orgfig_axes_layout *al = &L.axes[0];
    REQUIRE(al->has_colorbar);
    CHECK(al->cbaxis.scale == ORGFIG_SCALE_LOG);
    CHECK(al->cbaxis.v0 == 1 && al->cbaxis.v1 == 1000);
    size_t majors = 0;
    for (size_t k = 0; k < al->cbaxis.ticks.n; k++)
        majors += !al->cbaxis.ticks.ticks[k].minor;
    CHECK(majors >= 3);
    test_image img;
    REQUIRE(render_png(f, &img));
    orgfig_rgba hi = orgfig_cmap_at(orgfig_cmap_default(), 1),
                lo = orgfig_cmap_at(orgfig_cmap_default(), 0);
    int px, py;
    to_px(&L, 1, 5, 5, &px, &py);
    CHECK(test_px_near(&img, px, py, (int)lround(hi.r * 255), (int)lround(hi.g * 255),
                       (int)lround(hi.b * 255), 3));
    to_px(&L, 1, 2, 2, &px, &py);
    CHECK(test_px_near(&img, px, py, (int)lround(lo.r * 255), (int)lround(lo.g * 255),
                       (int)lround(lo.b * 255), 3));
    test_image_free(&img);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
}

TEST(render_png_colorbar_is_the_lookup_table)
{
    /* In PNG a colorbar is painted with the 256 colours of the lookup table
     * the heatmap itself uses: every pixel inside its frame is one of them,
     * the top rows are the map's end and the bottom rows its start, and going
     * up the colours never step back through the table. */
    for (int scale = 1; scale <= 2; scale++) {
        orgfig_figure *f = fig(400, 300, scale);
        REQUIRE(f);
        orgfig_err err = ORGFIG_ERR_INIT;
        double m[4] = {0, 1, 2, 3};
        orgfig_column *row0 = tb_column(m, 2), *row1 = tb_column(m + 2, 2);
        orgfig_value rows[] = {colv(row0), colv(row1)};
        orgfig_value a[] = {tb_list(rows, 2)};
        orgfig_prop p[] = {{"cmap", tb_sym("magma")}};
        CHECK(orgfig_figure_plot(f, ORGFIG_HEATMAP, a, 1, p, 1, &err) == ORGFIG_OK);
        orgfig_layout L;
        REQUIRE(layout_of(f, &L));
        const orgfig_axes_layout *al = &L.axes[0];
        REQUIRE(al->has_colorbar);
        test_image img;
        REQUIRE(render_png(f, &img));
        orgfig_cmap cm;
        REQUIRE(orgfig_cmap_parse("magma", 5, &cm, "test", ":cmap", &err) == ORGFIG_OK);
        uint32_t lut[256];
        orgfig_cmap_lut(cm, lut);
        /* Two device pixels inside the frame on every side. */
        int x0 = (int)ceil(al->colorbar.x * scale) + 2,
            x1 = (int)floor((al->colorbar.x + al->colorbar.w) * scale) - 2,
            y0 = (int)ceil(al->colorbar.y * scale) + 2,
            y1 = (int)floor((al->colorbar.y + al->colorbar.h) * scale) - 2;
        REQUIRE(x1 > x0 && y1 > y0);
        int bad = 0, back = 0, prev = -1, top = -1, bottom = -1;
        for (int yy = y1 - 1; yy >= y0; yy--)
            for (int xx = x0; xx < x1; xx++) {
                const unsigned char *q = test_px(&img, xx, yy);
                uint32_t c =
                    0xff000000u | (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2];
                int k = 0;
                while (k < 256 && lut[k] != c)
                    k++;
                bad += k == 256;
                if (k == 256 || xx != x0)
                    continue;
                back += k < prev;
                prev = k;
                bottom = bottom < 0 ? k : bottom;
                top = k;
            }
        CHECK(bad == 0);
        CHECK(back == 0);
        CHECK(bottom >= 0 && bottom <= 4); /* 2 px in: at most ~3 rows of the table */
        CHECK(top >= 251);
        test_image_free(&img);
        orgfig_layout_free(&L);
        orgfig_figure_free(f);
        orgfig_column_unref(row0);
        orgfig_column_unref(row1);
    }
}

TEST(render_colorbar_label)
{
    /* :colorbar-label on heatmaps and scatters: a rotated text right of
     * the colorbar's tick labels, inside the figure; other kinds reject it. */
    double r0[] = {1, 2, 3}, r1[] = {4, 5, 6};
    orgfig_column *c0 = tb_column(r0, 3), *c1 = tb_column(r1, 3);
    orgfig_value rows[] = {colv(c0), colv(c1)};
    for (int kind = 0; kind < 2; kind++) {
        orgfig_figure *f = fig(400, 300, 1);
        REQUIRE(f);
        orgfig_err err = ORGFIG_ERR_INIT;
        if (kind == 0) {
            orgfig_value m = tb_list(rows, 2);
            orgfig_prop p[] = {{"colorbar-label", tb_str("temperature [K]")}};
            CHECK(orgfig_figure_plot(f, ORGFIG_HEATMAP, &m, 1, p, 1, &err) == ORGFIG_OK);
        } else {
            orgfig_value a[] = {colv(c0), colv(c1)};
            orgfig_prop p[] = {{"color", colv(c1)},
                               {"colorbar", tb_t},
                               {"colorbar-label", tb_str("temperature [K]")}};
            CHECK(orgfig_figure_plot(f, ORGFIG_SCATTER, a, 2, p, 3, &err) == ORGFIG_OK);
        }
        orgfig_layout L;
        REQUIRE(layout_of(f, &L));
        const orgfig_axes_layout *al = &L.axes[0];
        REQUIRE(al->has_colorbar);
        const orgfig_text_rect *lab = NULL;
        double ticks_right = al->colorbar.x + al->colorbar.w;
        for (size_t t = 0; t < L.ntexts; t++) {
            if (L.texts[t].kind == ORGFIG_TXT_CBLABEL)
                lab = &L.texts[t];
            if (L.texts[t].kind == ORGFIG_TXT_CBTICK)
                ticks_right = fmax(ticks_right, L.texts[t].r.x + L.texts[t].r.w);
        }
        REQUIRE(lab);
        CHECK(strcmp(lab->s, "temperature [K]") == 0 && lab->rot == 90);
        CHECK(lab->r.x >= ticks_right && lab->r.x + lab->r.w <= L.width);
        CHECK(lab->r.h > lab->r.w); /* rotated */
        orgfig_layout_free(&L);
        orgfig_figure_free(f);
    }
    orgfig_figure *f = fig(400, 300, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop p[] = {{"colorbar-label", tb_str("no")}};
    CHECK(line(f, r0, r1, 3, p, 1, &err) == ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "colorbar-label") != NULL);
    orgfig_figure_free(f);
    orgfig_column_unref(c0);
    orgfig_column_unref(c1);
}

typedef struct progress_log {
    int calls;
    double last;
    bool increasing;
} progress_log;

static void
count_progress(void *ctx, double fraction)
{
    progress_log *p = ctx;
    if (!(fraction > p->last) || fraction > 1)
        p->increasing = false;
    p->last = fraction;
    p->calls++;
}

TEST(render_progress_reports_long_work)
{
    /* A 2.5M-point density scatter: the callback sees a few increasing
     * fractions ending at exactly 1, at most about 20 calls; a small
     * figure never calls it. */
    size_t n = 2500000;
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *cx = orgfig_column_new(n, ORGFIG_F64, &err),
                  *cy = orgfig_column_new(n, ORGFIG_F64, &err);
    REQUIRE(cx && cy);
    double *x = cx->data, *y = cy->data;
    for (size_t i = 0; i < n; i++) {
        x[i] = fmod((double)i * 0.6180339887, 1.0);
        y[i] = fmod((double)i * 0.7548776662, 1.0);
    }
    for (int kind = 0; kind < 2; kind++) {
        orgfig_figure *f = fig(300, 200, 1);
        REQUIRE(f);
        orgfig_value a[] = {colv(cx), colv(cy)};
        orgfig_prop p[] = {{"density", tb_t}};
        if (kind == 0)
            CHECK(orgfig_figure_plot(f, ORGFIG_SCATTER, a, 2, p, 1, &err) == ORGFIG_OK);
        else /* a sorted line of as many points: decimated, fast */
            CHECK(orgfig_figure_plot(f, ORGFIG_LINE, (orgfig_value[]){tb_nil, colv(cy)},
                                     2, NULL, 0, &err) == ORGFIG_OK);
        progress_log log = {0, 0, true};
        orgfig_render_opts o = {ORGFIG_FORMAT_PNG, -1, false, NULL, count_progress, &log};
        orgfig_buf out = ORGFIG_BUF_INIT(NULL);
        CHECK(orgfig_figure_render(f, &o, &out, &err) == ORGFIG_OK);
        orgfig_buf_free(&out);
        if (getenv("ORGFIG_TEST_VERBOSE"))
            fprintf(stderr, "  progress: %d calls, last %g\n", log.calls, log.last);
        CHECK(log.increasing && log.last == 1.0);
        CHECK(log.calls <= 21);
        if (kind == 0)
            CHECK(log.calls >= 3); /* polled every million points */
        else
            CHECK(log.calls >= 1);
        orgfig_figure_free(f);
    }
    /* Small: never called. */
    orgfig_figure *f = fig(300, 200, 1);
    REQUIRE(f);
    double sy[] = {1, 2, 3};
    CHECK(line(f, NULL, sy, 3, NULL, 0, &err) == ORGFIG_OK);
    progress_log log = {0, 0, true};
    orgfig_render_opts o = {ORGFIG_FORMAT_PNG, -1, false, NULL, count_progress, &log};
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    CHECK(orgfig_figure_render(f, &o, &out, &err) == ORGFIG_OK);
    orgfig_buf_free(&out);
    CHECK(log.calls == 0);
    orgfig_figure_free(f);
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
}

/* Pixels of A and B differing by more than 32 in a channel, and pixels of
 * A far from white (inked). */
static long
sprite_differ(const test_image *a, const test_image *b, long *inked)
{
    *inked = 0;
    for (int yy = 0; yy < a->h; yy++)
        for (int xx = 0; xx < a->w; xx++)
            *inked += !test_px_near(a, xx, yy, 255, 255, 255, 48);
    return test_count_differ(a, b, 32);
}

TEST(render_scatter_sprites_translucent_and_colormapped_match_cairo)
{
    /* As render_scatter_sprites_match_cairo, for the blending paths it
     * does not reach: translucent markers (:alpha 0.4, where overlaps must
     * darken as cairo's one-by-one fills do) and colors from a colormap
     * (one color per point), at scales 1 and 2, with markers crossing the
     * box's edges (clipped) and wholly inside it. */
    size_t n = 1500;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    REQUIRE(x && y);
    for (size_t i = 0; i < n; i++) {
        x[i] = fmod(i * 0.6180339887, 1.0) * 12 - 1;
        y[i] = fmod(i * 0.7548776662, 1.0) * 12 - 1;
    }
    orgfig_column *cx = tb_column(x, n), *cy = tb_column(y, n);
    free(x);
    free(y);
    for (int scale = 1; scale <= 2; scale++) {
        for (int mode = 0; mode < 2; mode++) {
            orgfig_figure *f = fig(300, 240, scale);
            REQUIRE(f);
            orgfig_err err = ORGFIG_ERR_INIT;
            orgfig_value a[] = {colv(cx), colv(cy)};
            orgfig_prop pa[] = {
                {"marker", tb_sym("circle")}, {"size", num(20)}, {"alpha", num(0.4)}};
            orgfig_prop pc[] = {{"marker", tb_sym("square")},
                                {"size", num(12)},
                                {"color", colv(cx)},
                                {"cmap", tb_sym("viridis")}};
            CHECK(orgfig_figure_plot(f, ORGFIG_SCATTER, a, 2, mode ? pc : pa,
                                     mode ? 4 : 3, &err) == ORGFIG_OK);
            set_limits(f, 0, 10, 0, 10);
            test_image sprites, paths;
            size_t saved = orgfig_scatter_sprite_min;
            orgfig_scatter_sprite_min = 100;
            bool ok1 = render_png(f, &sprites);
            orgfig_scatter_sprite_min = (size_t)-1;
            bool ok2 = render_png(f, &paths);
            orgfig_scatter_sprite_min = saved;
            REQUIRE(ok1 && ok2);
            long inked, inked_paths, total = (long)sprites.w * sprites.h;
            long differ = sprite_differ(&sprites, &paths, &inked);
            sprite_differ(&paths, &sprites, &inked_paths);
            if (differ * 500 > total || getenv("ORGFIG_TEST_VERBOSE"))
                fprintf(stderr, "  %s x%d: %ld of %ld pixels differ (%ld, %ld inked)\n",
                        mode ? "colormapped" : "translucent", scale, differ, total, inked,
                        inked_paths);
            CHECK(differ * 500 <= total);
            CHECK(inked > total / 4 && inked < total * 9 / 10); /* markers, not a flood */
            CHECK(labs(inked - inked_paths) * 100 <= inked);
            test_image_free(&sprites);
            test_image_free(&paths);
            orgfig_figure_free(f);
        }
    }
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
}
