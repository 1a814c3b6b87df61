/* test_render.c - rendering: PNG/SVG/PDF output, pixel probes, clipping,
 * gaps, markers, styles, polling, busy, fault injection. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../module/core/figure.h"
#include "../../module/core/render.h"
#include "harness.h"
#include "pixels.h"

/* ---- small builders ---- */

static orgfig_value
num(double v)
{
    orgfig_value x = {.type = ORGFIG_V_NUM, .num = v, .is_int = v == floor(v)};
    return x;
}

__attribute__((unused)) static orgfig_value
sym(const char *s)
{
    orgfig_value x = {.type = ORGFIG_V_SYM, .str = s, .len = strlen(s)};
    return x;
}

__attribute__((unused)) static orgfig_value
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

static orgfig_value nilv = {.type = ORGFIG_V_NIL};
static orgfig_value tv __attribute__((unused)) = {.type = ORGFIG_V_T};

static orgfig_figure *
fig(int w, int h, double scale)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop p[] = {{"width", num(w)}, {"height", num(h)}, {"scale", num(scale)}};
    return orgfig_figure_new(p, 3, &err);
}

static orgfig_status
line(orgfig_figure *f, const double *x, const double *y, size_t n,
     const orgfig_prop *props, size_t nprops, orgfig_err *err)
{
    orgfig_err e2 = ORGFIG_ERR_INIT;
    orgfig_column *cx = x ? orgfig_column_from_doubles(x, n, &e2) : NULL;
    orgfig_column *cy = orgfig_column_from_doubles(y, n, &e2);
    orgfig_value args[2] = {x ? colv(cx) : nilv, colv(cy)};
    orgfig_status st = orgfig_figure_plot(f, ORGFIG_LINE, args, 2, props, nprops, err);
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
    return st;
}

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
