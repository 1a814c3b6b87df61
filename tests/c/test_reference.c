/* test_reference.c - text-free drawings compared with committed reference
 * images (tests/c/ref/NAME.png).
 *
 * Text depends on the installed fonts and their hinting, so these figures
 * hide their axes (:axis nil: no spines, ticks, labels or grid) and draw
 * only data: what is compared is the data drawing itself.  A test fails
 * when more than 0.5% of the pixels differ by more than 32 in a channel,
 * which tolerates anti-aliasing differences between cairo/pixman builds
 * but not a moved, resized, recoloured or missing element.
 *
 * To regenerate after an intended change to a drawing (look at the new
 * images before committing them):
 *   ORGFIG_UPDATE_REFS=1 build/test-core reference
 * ORGFIG_REF_DIR overrides the directory (default tests/c/ref, relative to
 * the repository root, where `make test-c' runs). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../module/core/figure.h"
#include "../../module/core/render.h"
#include "builders.h"
#include "harness.h"
#include "pixels.h"

#define REF_W 200
#define REF_H 150

static orgfig_figure *
ref_figure(void)
{
    return tb_bare_figure(REF_W, REF_H, 1);
}

static void
ref_limits(orgfig_figure *f, double x0, double x1, double y0, double y1)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    double a[2] = {x0, x1}, b[2] = {y0, y1};
    orgfig_column *cx = tb_column(a, 2), *cy = tb_column(b, 2);
    orgfig_prop p[] = {{"xlim", tb_col(cx)}, {"ylim", tb_col(cy)}};
    orgfig_figure_set(f, p, 2, &err);
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
}

/* Render F and compare with tests/c/ref/NAME.png (or write it when
 * ORGFIG_UPDATE_REFS is set).  Returns the number of failures. */
static int
compare_ref(orgfig_figure *f, const char *name)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    orgfig_render_opts o = {ORGFIG_FORMAT_PNG, 9, true, NULL, NULL, NULL};
    if (orgfig_figure_render(f, &o, &out, &err) != ORGFIG_OK) {
        fprintf(stderr, "  %s: render failed: %s\n", name, err.msg);
        return 1;
    }
    const char *dir = getenv("ORGFIG_REF_DIR") ? getenv("ORGFIG_REF_DIR") : "tests/c/ref";
    char path[512];
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    int bad = 0;
    const char *upd = getenv("ORGFIG_UPDATE_REFS");
    if (upd && upd[0] && strcmp(upd, "0") != 0) {
        FILE *fp = fopen(path, "wb");
        if (fp == NULL || fwrite(out.data, 1, out.len, fp) != out.len) {
            fprintf(stderr, "  %s: cannot write %s\n", name, path);
            bad = 1;
        } else {
            fprintf(stderr, "  wrote %s (%zu bytes)\n", path, out.len);
        }
        if (fp)
            fclose(fp);
        orgfig_buf_free(&out);
        return bad;
    }
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        fprintf(stderr,
                "  %s: no reference %s (create it with ORGFIG_UPDATE_REFS=1 "
                "build/test-core reference)\n",
                name, path);
        orgfig_buf_free(&out);
        return 1;
    }
    unsigned char *ref = malloc(1 << 20);
    size_t len = ref ? fread(ref, 1, 1 << 20, fp) : 0;
    fclose(fp);
    test_image want = {0, 0, NULL}, got = {0, 0, NULL};
    bool ok1 = ref && test_decode_png(ref, len, &want);
    bool ok2 = test_decode_png(out.data, out.len, &got);
    free(ref);
    orgfig_buf_free(&out);
    if (!ok1 || !ok2 || want.w != got.w || want.h != got.h) {
        fprintf(stderr, "  %s: reference and render differ in size or do not decode\n",
                name);
        if (ok1)
            test_image_free(&want);
        if (ok2)
            test_image_free(&got);
        return 1;
    }
    long differ = 0, inked = 0, total = (long)got.w * got.h;
    for (int y = 0; y < got.h; y++)
        for (int x = 0; x < got.w; x++) {
            const unsigned char *p = test_px(&got, x, y), *q = test_px(&want, x, y);
            int d = 0;
            for (int c = 0; c < 3; c++)
                d = abs(p[c] - q[c]) > d ? abs(p[c] - q[c]) : d;
            differ += d > 32;
            inked += !test_px_near(&want, x, y, 255, 255, 255, 16);
        }
    if (differ * 200 > total || getenv("ORGFIG_TEST_VERBOSE"))
        fprintf(stderr, "  %s: %ld of %ld pixels differ by more than 32 (%ld inked)\n",
                name, differ, total, inked);
    bad += differ * 200 > total;
    /* A blank reference would prove nothing. */
    bad += inked * 50 < total;
    test_image_free(&want);
    test_image_free(&got);
    return bad;
}

TEST(reference_axis_nil_hides_every_text_and_the_frame)
{
    orgfig_figure *f = ref_figure();
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double y[] = {1, 3, 2};
    orgfig_prop s[] = {{"xlabel", tb_str("x")}, {"ylabel", tb_str("y")}, {"grid", tb_t}};
    CHECK(orgfig_figure_set(f, s, 3, &err) == ORGFIG_OK);
    CHECK(tb_line(f, NULL, y, 3, NULL, 0, &err) == ORGFIG_OK);
    orgfig_layout L;
    CHECK(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    CHECK(L.ntexts == 0);
    CHECK(L.axes[0].x.ticks.n == 0 && L.axes[0].y.ticks.n == 0);
    orgfig_layout_free(&L);
    /* :axis t brings them back. */
    orgfig_prop t[] = {{"axis", tb_t}};
    CHECK(orgfig_figure_set(f, t, 1, &err) == ORGFIG_OK);
    CHECK(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    size_t ticks = 0, labels = 0;
    for (size_t i = 0; i < L.ntexts; i++) {
        ticks +=
            L.texts[i].kind == ORGFIG_TXT_XTICK || L.texts[i].kind == ORGFIG_TXT_YTICK;
        labels +=
            L.texts[i].kind == ORGFIG_TXT_XLABEL || L.texts[i].kind == ORGFIG_TXT_YLABEL;
    }
    CHECK(ticks >= 4 && labels == 2);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

TEST(reference_line_markers_dashes)
{
    orgfig_figure *f = ref_figure();
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[12], y1[12], y2[12];
    for (int i = 0; i < 12; i++) {
        x[i] = i;
        y1[i] = sin(i * 0.6) * 3 + 5;
        y2[i] = cos(i * 0.5) * 2 + 3;
    }
    orgfig_prop p1[] = {{"marker", tb_sym("circle")}};
    orgfig_prop p2[] = {
        {"dash", tb_sym("dashed")}, {"marker", tb_sym("square")}, {"width", tb_num(2)}};
    CHECK(tb_line(f, x, y1, 12, p1, 1, &err) == ORGFIG_OK);
    CHECK(tb_line(f, x, y2, 12, p2, 3, &err) == ORGFIG_OK);
    CHECK(compare_ref(f, "line-markers-dashes") == 0);
    orgfig_figure_free(f);
}

TEST(reference_step_line)
{
    orgfig_figure *f = ref_figure();
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[8] = {0, 1, 2, 3, 4, 5, 6, 7}, y[8] = {1, 3, 2, 5, 4, 6, 3, 4};
    double y2[8] = {0, 1, 0.5, 2, 1.5, 3, 1, 2};
    orgfig_prop p1[] = {{"step", tb_sym("pre")}};
    orgfig_prop p2[] = {{"step", tb_sym("mid")}, {"dash", tb_sym("dotted")}};
    CHECK(tb_line(f, x, y, 8, p1, 1, &err) == ORGFIG_OK);
    CHECK(tb_line(f, x, y2, 8, p2, 2, &err) == ORGFIG_OK);
    CHECK(compare_ref(f, "step-line") == 0);
    orgfig_figure_free(f);
}

/* 120 markers of each of three kinds, stamped from sprites (the PNG fast
 * path), centred on their pixels (the default) or at sub-pixel positions
 * (:snap nil), compared with reference NAME. */
static void
scatter_sprites_ref(bool snap, const char *name)
{
    orgfig_figure *f = ref_figure();
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    static const char *const markers[] = {"circle", "triangle", "x"};
    double x[120], y[120];
    for (int m = 0; m < 3; m++) {
        for (int i = 0; i < 120; i++) {
            x[i] = fmod(i * 0.6180339887 + m * 0.1, 1.0) * 10;
            y[i] = fmod(i * 0.7548776662 + m * 0.3, 1.0) * 10;
        }
        orgfig_column *cx = tb_column(x, 120), *cy = tb_column(y, 120);
        orgfig_value a[] = {tb_col(cx), tb_col(cy)};
        orgfig_prop p[] = {{"marker", tb_sym(markers[m])},
                           {"size", tb_num(12)},
                           {"snap", snap ? tb_t : tb_nil}};
        CHECK(orgfig_figure_plot(f, ORGFIG_SCATTER, a, 2, p, 3, &err) == ORGFIG_OK);
        orgfig_column_unref(cx);
        orgfig_column_unref(cy);
    }
    ref_limits(f, 0, 10, 0, 10);
    size_t saved = orgfig_scatter_sprite_min;
    orgfig_scatter_sprite_min = 50;
    CHECK(compare_ref(f, name) == 0);
    orgfig_scatter_sprite_min = saved;
    orgfig_figure_free(f);
}

TEST(reference_scatter_sprites)
{
    scatter_sprites_ref(false, "scatter-sprites");
    scatter_sprites_ref(true, "scatter-snapped");
}

TEST(reference_bars)
{
    orgfig_figure *f = ref_figure();
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_value labs[] = {tb_str("a"), tb_str("b"), tb_str("c"), tb_str("d")};
    double v1[] = {3, -1, 4, 2}, v2[] = {2, 2, -2, 3};
    orgfig_column *c1 = tb_column(v1, 4), *c2 = tb_column(v2, 4);
    orgfig_value a1[] = {tb_list(labs, 4), tb_col(c1)},
                 a2[] = {tb_list(labs, 4), tb_col(c2)};
    orgfig_prop g1[] = {{"group", tb_t}, {"edgecolor", tb_str("black")}};
    orgfig_prop g2[] = {{"group", tb_t}};
    CHECK(orgfig_figure_plot(f, ORGFIG_BAR, a1, 2, g1, 2, &err) == ORGFIG_OK);
    CHECK(orgfig_figure_plot(f, ORGFIG_BAR, a2, 2, g2, 1, &err) == ORGFIG_OK);
    CHECK(compare_ref(f, "bars") == 0);
    orgfig_column_unref(c1);
    orgfig_column_unref(c2);
    orgfig_figure_free(f);
}

TEST(reference_hist)
{
    orgfig_figure *f = ref_figure();
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double d[500], e[500];
    for (int i = 0; i < 500; i++) {
        /* A deterministic bell: sums of three Weyl sequences. */
        d[i] = fmod(i * 0.618034, 1) + fmod(i * 0.754878, 1) + fmod(i * 0.569840, 1);
        e[i] = d[i] * 0.7 + 0.9;
    }
    orgfig_column *cd = tb_column(d, 500), *ce = tb_column(e, 500);
    orgfig_value a1[] = {tb_col(cd)}, a2[] = {tb_col(ce)};
    orgfig_prop p1[] = {{"bins", tb_num(20)}, {"alpha", tb_num(0.6)}};
    orgfig_prop p2[] = {{"bins", tb_num(15)}, {"histtype", tb_sym("step")}};
    CHECK(orgfig_figure_plot(f, ORGFIG_HIST, a1, 1, p1, 2, &err) == ORGFIG_OK);
    CHECK(orgfig_figure_plot(f, ORGFIG_HIST, a2, 1, p2, 2, &err) == ORGFIG_OK);
    CHECK(compare_ref(f, "hist") == 0);
    orgfig_column_unref(cd);
    orgfig_column_unref(ce);
    orgfig_figure_free(f);
}

TEST(reference_fill_between)
{
    orgfig_figure *f = ref_figure();
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[50], lo[50], hi[50], mid[50];
    for (int i = 0; i < 50; i++) {
        x[i] = i * 0.2;
        mid[i] = sin(x[i]);
        lo[i] = mid[i] - 0.3 - 0.05 * i / 5.0;
        hi[i] = mid[i] + 0.3 + 0.05 * i / 5.0;
    }
    orgfig_column *cx = tb_column(x, 50), *cl = tb_column(lo, 50),
                  *ch = tb_column(hi, 50);
    orgfig_value a[] = {tb_col(cx), tb_col(cl), tb_col(ch)};
    orgfig_prop p[] = {{"alpha", tb_num(0.3)}};
    CHECK(orgfig_figure_plot(f, ORGFIG_FILL_BETWEEN, a, 3, p, 1, &err) == ORGFIG_OK);
    CHECK(tb_line(f, x, mid, 50, NULL, 0, &err) == ORGFIG_OK);
    CHECK(compare_ref(f, "fill-between") == 0);
    orgfig_column_unref(cx);
    orgfig_column_unref(cl);
    orgfig_column_unref(ch);
    orgfig_figure_free(f);
}
