/* test_layout.c - the layout: measured margins never let texts overlap or
 * leave the figure, at every size from 200x150 to 4000x3000; ticks of log
 * axes sit at powers of ten; shared axes hide inner labels; legends go
 * where asked. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../module/core/render.h"
#include "builders.h"
#include "harness.h"

static const char *const kind_names[] = {
    "xtick",   "ytick",   "y2tick",   "cbtick", "xlabel",   "ylabel", "y2label",
    "xoffset", "yoffset", "y2offset", "title",  "suptitle", "legend", "cblabel"};

static bool
overlap(orgfig_rect a, orgfig_rect b, double tol)
{
    return a.x + tol < b.x + b.w - tol && b.x + tol < a.x + a.w - tol &&
           a.y + tol < b.y + b.h - tol && b.y + tol < a.y + a.h - tol;
}

/* Texts with the same rotation are compared in their own frame (their
 * bounding boxes overlap when they are slanted side by side). */
static bool
text_overlap(const orgfig_text_rect *a, const orgfig_text_rect *b)
{
    if (a->rot == 0 || a->rot != b->rot || a->s == NULL || b->s == NULL)
        return overlap(a->r, b->r, 0.5);
    double r = a->rot * M_PI / 180, c = cos(r), s = sin(r);
    /* B's anchor in A's frame (inverse of the counter-clockwise rotation). */
    double dx = b->x - a->x, dy = b->y - a->y;
    double lx = dx * c - dy * s, ly = dx * s + dy * c;
    double ax0 = a->ha == 0 ? 0 : a->ha == 1 ? -a->tw / 2 : -a->tw;
    double bx0 = lx + (b->ha == 0 ? 0 : b->ha == 1 ? -b->tw / 2 : -b->tw);
    double ay0 = a->va == 0 ? 0 : a->va == 1 ? -a->th / 2 : -a->th;
    double by0 = ly + (b->va == 0 ? 0 : b->va == 1 ? -b->th / 2 : -b->th);
    orgfig_rect ra = {ax0, ay0, a->tw, a->th}, rb = {bx0, by0, b->tw, b->th};
    return overlap(ra, rb, 0.5);
}

/* Check every text against the figure, each other and the axes boxes. */
static int
check_layout(const orgfig_layout *L, const char *what)
{
    int bad = 0;
    for (size_t i = 0; i < L->ntexts; i++) {
        const orgfig_text_rect *t = &L->texts[i];
        orgfig_rect r = t->r;
        if (r.x < -0.5 || r.y < -0.5 || r.x + r.w > L->width + 0.5 ||
            r.y + r.h > L->height + 0.5) {
            fprintf(stderr, "  %s: %s '%s' (%.1f %.1f %.1f %.1f) leaves the figure\n",
                    what, kind_names[t->kind], t->s ? t->s : "", r.x, r.y, r.w, r.h);
            bad++;
        }
        for (size_t j = i + 1; j < L->ntexts; j++) {
            const orgfig_text_rect *u = &L->texts[j];
            if (text_overlap(t, u)) {
                fprintf(stderr,
                        "  %s: %s '%s' overlaps %s '%s' (%.1f %.1f %.1f %.1f / %.1f %.1f "
                        "%.1f %.1f)\n",
                        what, kind_names[t->kind], t->s ? t->s : "", kind_names[u->kind],
                        u->s ? u->s : "", t->r.x, t->r.y, t->r.w, t->r.h, u->r.x, u->r.y,
                        u->r.w, u->r.h);
                bad++;
            }
        }
        for (size_t a = 0; a < L->naxes; a++) {
            const orgfig_axes_layout *al = &L->axes[a];
            bool inside_legend = t->kind == ORGFIG_TXT_LEGEND &&
                                 al->legend_loc != ORGFIG_LEGEND_OUTSIDE && t->axes == a;
            if (!inside_legend && overlap(r, al->box, 0.5)) {
                fprintf(stderr, "  %s: %s '%s' overlaps the box of axes %zu\n", what,
                        kind_names[t->kind], t->s ? t->s : "", a);
                bad++;
            }
            /* Tick labels keep clear of every other axes' frame: subplot
             * columns need a gap (a quarter of the font size at least). */
            bool tick = t->kind == ORGFIG_TXT_XTICK || t->kind == ORGFIG_TXT_YTICK ||
                        t->kind == ORGFIG_TXT_Y2TICK || t->kind == ORGFIG_TXT_CBTICK;
            double g = 0.25 * L->font_px;
            orgfig_rect grown = {r.x - g, r.y - g, r.w + 2 * g, r.h + 2 * g};
            if (tick && t->axes != a && overlap(grown, al->box, 0)) {
                fprintf(stderr, "  %s: %s '%s' of axes %zu touches the box of axes %zu\n",
                        what, kind_names[t->kind], t->s, t->axes, a);
                bad++;
            }
            if (al->has_colorbar && overlap(r, al->colorbar, 0.5)) {
                fprintf(stderr, "  %s: %s overlaps a colorbar\n", what,
                        kind_names[t->kind]);
                bad++;
            }
        }
    }
    for (size_t a = 0; a < L->naxes; a++) {
        orgfig_rect b = L->axes[a].box;
        if (!(b.w > 0 && b.h > 0 && b.x >= 0 && b.y >= 0 && b.x + b.w <= L->width &&
              b.y + b.h <= L->height)) {
            fprintf(stderr, "  %s: box %zu (%.1f %.1f %.1f %.1f) is not inside\n", what,
                    a, b.x, b.y, b.w, b.h);
            bad++;
        }
    }
    return bad;
}

static orgfig_figure *
busy_figure(int w, int h, int rows, int cols, bool outside_legend, bool twin)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop fp[] = {
        {"width", tb_num(w)},
        {"height", tb_num(h)},
        {"rows", tb_num(rows)},
        {"cols", tb_num(cols)},
        {"suptitle", tb_str("A rather long figure title that goes on and on")}};
    orgfig_figure *f = orgfig_figure_new(fp, 5, &err);
    if (f == NULL)
        return NULL;
    double x[100], y[100], y2[100];
    for (int i = 0; i < 100; i++) {
        x[i] = 1e6 + i * 1234.5;
        y[i] = sin(i / 7.0) * 12345.678;
        y2[i] = 1e-7 * (i + 1);
    }
    for (int a = 0; a < rows * cols; a++) {
        orgfig_prop lp[] = {{"axes", tb_num(a)}, {"label", tb_str("first series label")}};
        tb_line(f, x, y, 100, lp, 2, &err);
        if (outside_legend) {
            /* A colorbar too: layout puts it between the axes and the legend. */
            orgfig_column *cx = tb_column(x, 100), *cy = tb_column(y, 100);
            orgfig_value sa[] = {tb_col(cx), tb_col(cy)};
            orgfig_prop cp[] = {
                {"axes", tb_num(a)}, {"color", tb_col(cy)}, {"colorbar", tb_t}};
            orgfig_figure_plot(f, ORGFIG_SCATTER, sa, 2, cp, 3, &err);
            orgfig_column_unref(cx);
            orgfig_column_unref(cy);
        }
        if (twin) {
            orgfig_prop rp[] = {{"axes", tb_num(a)},
                                {"label", tb_str("second")},
                                {"yaxis", tb_sym("right")}};
            tb_line(f, x, y2, 100, rp, 3, &err);
        }
        orgfig_prop sp[] = {
            {"axes", tb_num(a)},
            {"title", tb_str("An axes title that is really quite long for small plots")},
            {"xlabel", tb_str("the horizontal quantity [units]")},
            {"ylabel", tb_str("the vertical quantity [units]")},
            {"y2label", tb_str("right side")},
            {"legend", tb_sym(outside_legend ? "outside" : "best")},
            {"grid", tb_t}};
        if (orgfig_figure_set(f, sp, 7, &err) != ORGFIG_OK)
            fprintf(stderr, "  set: %s\n", err.msg);
    }
    return f;
}

TEST(layout_no_overlap_at_all_sizes)
{
    static const int sizes[][2] = {{200, 150}, {320, 240},   {640, 480},
                                   {800, 600}, {1600, 1200}, {4000, 3000}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (int variant = 0; variant < 3; variant++) {
            int rows = variant == 2 ? 2 : 1, cols = variant == 2 ? 2 : 1;
            orgfig_figure *f = busy_figure(sizes[s][0], sizes[s][1], rows, cols,
                                           variant == 1, variant != 2);
            REQUIRE(f);
            orgfig_layout L;
            orgfig_err err = ORGFIG_ERR_INIT;
            CHECK(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
            char what[64];
            snprintf(what, sizeof what, "%dx%d variant %d", sizes[s][0], sizes[s][1],
                     variant);
            CHECK(check_layout(&L, what) == 0);
            /* Every element was placed. */
            size_t counts[14] = {0};
            for (size_t i = 0; i < L.ntexts; i++)
                counts[L.texts[i].kind]++;
            CHECK(counts[ORGFIG_TXT_XTICK] >= 2 * (size_t)(rows * cols));
            /* Four crowded subplots on a tiny figure keep one y label each. */
            size_t ymin = variant == 2 && sizes[s][0] < 640 ? 1 : 2;
            CHECK(counts[ORGFIG_TXT_YTICK] >= ymin * (size_t)(rows * cols));
            CHECK(counts[ORGFIG_TXT_TITLE] == (size_t)(rows * cols));
            CHECK(counts[ORGFIG_TXT_SUPTITLE] == 1);
            CHECK(counts[ORGFIG_TXT_LEGEND] == (size_t)(rows * cols));
            if (variant != 2)
                CHECK(counts[ORGFIG_TXT_Y2TICK] >= 2 && counts[ORGFIG_TXT_Y2LABEL] == 1);
            if (variant == 1) {
                const orgfig_axes_layout *al = &L.axes[0];
                CHECK(al->has_colorbar && counts[ORGFIG_TXT_CBTICK] >= 2);
                CHECK(al->colorbar.x >= al->box.x + al->box.w);
                CHECK(al->legend.x >= al->colorbar.x + al->colorbar.w);
                CHECK(al->legend.x + al->legend.w <= L.width + 0.5);
            }
            orgfig_layout_free(&L);
            orgfig_figure_free(f);
        }
    }
}

TEST(layout_subplot_columns_keep_a_gap)
{
    /* Without axis labels only the margins separate a column's y tick
     * labels from the frame to their left (gallery review issue 2);
     * check_layout requires a quarter of the font size between them. */
    static const int sizes[][2] = {{200, 150}, {320, 240}, {640, 400}, {1600, 1200}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (int cols = 2; cols <= 3; cols++) {
            orgfig_err err = ORGFIG_ERR_INIT;
            orgfig_prop fp[] = {{"width", tb_num(sizes[s][0])},
                                {"height", tb_num(sizes[s][1])},
                                {"rows", tb_num(2)},
                                {"cols", tb_num(cols)}};
            orgfig_figure *f = orgfig_figure_new(fp, 4, &err);
            REQUIRE(f);
            double x[3] = {0, 1, 2}, y[3] = {0, 100, 50};
            for (int a = 0; a < 2 * cols; a++) {
                orgfig_prop lp[] = {{"axes", tb_num(a)}};
                CHECK(tb_line(f, x, y, 3, lp, 1, &err) == ORGFIG_OK);
            }
            orgfig_layout L;
            CHECK(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
            char what[64];
            snprintf(what, sizeof what, "%dx%d, %d columns", sizes[s][0], sizes[s][1],
                     cols);
            CHECK(check_layout(&L, what) == 0);
            orgfig_layout_free(&L);
            orgfig_figure_free(f);
        }
    }
}

TEST(layout_log_ticks_at_powers_of_ten)
{
    orgfig_figure *f = tb_figure(640, 480, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[] = {1, 2, 3, 4}, y[] = {0.5, 20, 3000, 2e5};
    CHECK(tb_line(f, x, y, 4, NULL, 0, &err) == ORGFIG_OK);
    orgfig_prop p[] = {{"yscale", tb_sym("log")}};
    CHECK(orgfig_figure_set(f, p, 1, &err) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    const orgfig_axis_layout *yl = &L.axes[0].y;
    size_t major = 0;
    for (size_t i = 0; i < yl->ticks.n; i++) {
        const orgfig_tick *t = &yl->ticks.ticks[i];
        if (t->minor)
            continue;
        major++;
        double e = log10(t->value);
        CHECK(fabs(e - round(e)) < 1e-9);
        /* Its mark and label are where the map puts that power. */
        double py = orgfig_map_apply(&yl->map, t->value);
        double expect =
            L.axes[0].box.y + L.axes[0].box.h -
            (e - log10(yl->v0)) / (log10(yl->v1) - log10(yl->v0)) * L.axes[0].box.h;
        CHECK(fabs(py - expect) < 1e-6);
    }
    CHECK(major >= 3);
    CHECK(yl->v0 <= 0.5 && yl->v1 >= 2e5);
    orgfig_layout_free(&L);
    /* No positive values: a clear error. */
    double neg[] = {-1, -2, 0, -4};
    orgfig_figure *g = tb_figure(300, 200, 1);
    REQUIRE(g);
    CHECK(tb_line(g, x, neg, 4, NULL, 0, &err) == ORGFIG_OK);
    CHECK(orgfig_figure_set(g, p, 1, &err) == ORGFIG_OK);
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    CHECK(orgfig_figure_render(g, NULL, &out, &err) == ORGFIG_E_INVALID);
    CHECK(strcmp(err.msg,
                 "orgfig-render: axes 0 has a log y scale but no positive y values "
                 "(log axes skip values <= 0)") == 0);
    CHECK(out.len == 0 && out.data == NULL);
    orgfig_figure_free(g);
    orgfig_figure_free(f);
}

TEST(layout_shared_axes_hide_inner_labels)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop fp[] = {{"rows", tb_num(2)},    {"cols", tb_num(2)},
                        {"sharex", tb_t},       {"sharey", tb_t},
                        {"width", tb_num(600)}, {"height", tb_num(500)}};
    orgfig_figure *f = orgfig_figure_new(fp, 6, &err);
    REQUIRE(f);
    double x0[] = {0, 1}, y0[] = {0, 1}, x3[] = {5, 10}, y3[] = {-20, 3};
    orgfig_prop a0[] = {{"axes", tb_num(0)}}, a3[] = {{"axes", tb_num(3)}};
    CHECK(tb_line(f, x0, y0, 2, a0, 1, &err) == ORGFIG_OK);
    CHECK(tb_line(f, x3, y3, 2, a3, 1, &err) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    /* Shared limits are the union. */
    for (int i = 0; i < 4; i++) {
        CHECK(L.axes[i].x.v0 <= 0 && L.axes[i].x.v1 >= 10);
        CHECK(L.axes[i].y.v0 <= -20 && L.axes[i].y.v1 >= 3);
        CHECK(L.axes[i].x.v0 == L.axes[0].x.v0 && L.axes[i].y.v1 == L.axes[0].y.v1);
    }
    size_t xt[4] = {0}, yt[4] = {0};
    for (size_t i = 0; i < L.ntexts; i++) {
        if (L.texts[i].kind == ORGFIG_TXT_XTICK)
            xt[L.texts[i].axes]++;
        if (L.texts[i].kind == ORGFIG_TXT_YTICK)
            yt[L.texts[i].axes]++;
    }
    CHECK(xt[0] == 0 && xt[1] == 0 && xt[2] > 0 && xt[3] > 0);
    CHECK(yt[0] > 0 && yt[1] == 0 && yt[2] > 0 && yt[3] == 0);
    /* Boxes line up in columns and rows. */
    CHECK(fabs(L.axes[0].box.x - L.axes[2].box.x) < 1e-9);
    CHECK(fabs(L.axes[0].box.y - L.axes[1].box.y) < 1e-9);
    CHECK(check_layout(&L, "shared") == 0);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}

TEST(layout_limits_inversion_aspect_and_explicit_ticks)
{
    orgfig_figure *f = tb_figure(600, 300, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[] = {0, 10}, y[] = {0, 10}, lim[] = {0, 10}, tk[] = {0, 2.5, 7, 12};
    CHECK(tb_line(f, x, y, 2, NULL, 0, &err) == ORGFIG_OK);
    orgfig_column *cl = tb_column(lim, 2), *ct = tb_column(tk, 4);
    orgfig_value tl[] = {tb_str("zero"), tb_str("a bit"), tb_str("seven"),
                         tb_str("twelve")};
    orgfig_prop p[] = {{"xlim", tb_col(cl)},   {"ylim", tb_col(cl)},
                       {"yinvert", tb_t},      {"aspect", tb_sym("equal")},
                       {"xticks", tb_col(ct)}, {"xticklabels", tb_list(tl, 4)}};
    CHECK(orgfig_figure_set(f, p, 6, &err) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    const orgfig_axes_layout *al = &L.axes[0];
    /* Exact limits, no margin. */
    CHECK(al->x.v0 == 0 && al->x.v1 == 10 && al->y.v0 == 0 && al->y.v1 == 10);
    /* Equal aspect: the box is square. */
    CHECK(fabs(al->box.w - al->box.h) < 1e-6);
    /* Inverted y: 0 is at the top. */
    CHECK(fabs(orgfig_map_apply(&al->y.map, 0) - al->box.y) < 1e-9);
    /* Explicit ticks inside the view (12 is outside), with their labels. */
    REQUIRE(al->x.ticks.n == 3);
    CHECK(strcmp(al->x.ticks.ticks[0].label, "zero") == 0);
    CHECK(strcmp(al->x.ticks.ticks[1].label, "a bit") == 0);
    CHECK(strcmp(al->x.ticks.ticks[2].label, "seven") == 0);
    /* Labels must match the positions one to one. */
    orgfig_prop bad[] = {{"xticklabels", tb_list(tl, 3)}};
    CHECK(orgfig_figure_set(f, bad, 1, &err) == ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, ":xticklabels has 3 labels but :xticks has 4") != NULL);
    orgfig_layout_free(&L);
    orgfig_column_unref(cl);
    orgfig_column_unref(ct);
    orgfig_figure_free(f);
}

/* The view of one line or scatter plot of N points on axes with the given
 * x scale ("linear" or "log"): *X0..*X1, *Y0..*Y1.  X may be NULL. */
static bool
points_view(orgfig_kind kind, const double *x, const double *y, size_t n,
            const char *xscale, double v[4])
{
    orgfig_figure *f = tb_figure(400, 300, 1);
    if (f == NULL)
        return false;
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *cx = x ? tb_column(x, n) : NULL, *cy = tb_column(y, n);
    orgfig_value args[2] = {x ? tb_col(cx) : tb_nil, tb_col(cy)};
    orgfig_prop p[] = {{"xscale", tb_sym(xscale)}};
    bool ok = orgfig_figure_plot(f, kind, args, 2, NULL, 0, &err) == ORGFIG_OK &&
              orgfig_figure_set(f, p, 1, &err) == ORGFIG_OK;
    orgfig_layout L;
    /* Twice: the second layout reads the remembered extent. */
    for (int round = 0; ok && round < 2; round++) {
        ok = orgfig_figure_layout(f, &L, &err) == ORGFIG_OK;
        if (!ok)
            break;
        double w[4] = {L.axes[0].x.v0, L.axes[0].x.v1, L.axes[0].y.v0, L.axes[0].y.v1};
        ok = round == 0 || memcmp(v, w, sizeof w) == 0;
        memcpy(v, w, sizeof w);
        orgfig_layout_free(&L);
    }
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
    orgfig_figure_free(f);
    return ok;
}

TEST(layout_points_missing_a_coordinate_do_not_widen_the_view)
{
    /* A point a line or scatter plot does not draw (NaN or infinite in one
     * coordinate, or not positive on a log axis) leaves the view as the
     * drawn points alone give it, as in matplotlib. */
    static const orgfig_kind kinds[] = {ORGFIG_LINE, ORGFIG_SCATTER};
    for (size_t k = 0; k < 2; k++) {
        double got[4], want[4];
        double x1[] = {0, 1, 2, NAN, 4}, y1[] = {0, 1, 2, 100, 1};
        double x1d[] = {0, 1, 2, 4}, y1d[] = {0, 1, 2, 1};
        REQUIRE(points_view(kinds[k], x1, y1, 5, "linear", got));
        REQUIRE(points_view(kinds[k], x1d, y1d, 4, "linear", want));
        CHECK(memcmp(got, want, sizeof got) == 0);
        CHECK(got[3] < 10);

        double x2[] = {0, 1, 2, 50}, y2[] = {1, 2, 3, INFINITY};
        REQUIRE(points_view(kinds[k], x2, y2, 4, "linear", got));
        REQUIRE(points_view(kinds[k], x2, y2, 3, "linear", want));
        CHECK(memcmp(got, want, sizeof got) == 0);
        CHECK(got[1] < 10);

        /* Log x: the point at x = -1 is not drawn, so y stays under 100. */
        double x3[] = {-1, 1, 10, 100}, y3[] = {1000, 1, 2, 3};
        REQUIRE(points_view(kinds[k], x3, y3, 4, "log", got));
        REQUIRE(points_view(kinds[k], x3 + 1, y3 + 1, 3, "log", want));
        CHECK(memcmp(got, want, sizeof got) == 0);
        CHECK(got[3] < 100);

        /* Every point drawn: the columns' own extents. */
        double x4[] = {3, 1, 2}, y4[] = {-5, 7, 0};
        REQUIRE(points_view(kinds[k], x4, y4, 3, "linear", got));
        CHECK(got[0] <= 1 && got[1] >= 3 && got[2] <= -5 && got[3] >= 7);
        CHECK(got[1] < 4 && got[3] < 9);
    }
    /* A line against its index on a log x: index 0 is not drawn. */
    double got[4], want[4], y5[] = {1000, 1, 2, 3};
    REQUIRE(points_view(ORGFIG_LINE, NULL, y5, 4, "log", got));
    double x5[] = {1, 2, 3};
    REQUIRE(points_view(ORGFIG_LINE, x5, y5 + 1, 3, "log", want));
    CHECK(memcmp(got, want, sizeof got) == 0);
}

TEST(layout_bar_labels_rotate_when_crowded)
{
    orgfig_figure *f = tb_figure(320, 240, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_value labs[8];
    const char *names[] = {"January", "February", "March", "April",
                           "May",     "June",     "July",  "August"};
    double v[8];
    for (int i = 0; i < 8; i++) {
        labs[i] = tb_str(names[i]);
        v[i] = i + 1;
    }
    orgfig_column *cv = tb_column(v, 8);
    orgfig_value args[] = {tb_list(labs, 8), tb_col(cv)};
    CHECK(orgfig_figure_plot(f, ORGFIG_BAR, args, 2, NULL, 0, &err) == ORGFIG_OK);
    orgfig_layout L;
    REQUIRE(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    CHECK(L.axes[0].x.rotate == 45 || L.axes[0].x.rotate == 90);
    CHECK(L.axes[0].x.ticks.n == 8);
    CHECK(check_layout(&L, "bars") == 0);
    /* The value axis starts at 0 (no margin below the bars). */
    CHECK(L.axes[0].y.v0 == 0);
    orgfig_layout_free(&L);
    orgfig_column_unref(cv);
    orgfig_figure_free(f);
}

TEST(layout_tick_labels_use_the_minus_sign)
{
    /* Negative tick labels start with U+2212 (as matplotlib), not the
     * hyphen; positive ones are unchanged. */
    orgfig_figure *f = tb_figure(640, 480, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double x[2] = {-5, 5}, y[2] = {-0.5, 0.5};
    CHECK(tb_line(f, x, y, 2, NULL, 0, &err) == ORGFIG_OK);
    orgfig_layout L;
    CHECK(orgfig_figure_layout(f, &L, &err) == ORGFIG_OK);
    size_t minus = 0, hyphen = 0;
    for (size_t i = 0; i < L.ntexts; i++) {
        const char *s = L.texts[i].s;
        if (s == NULL ||
            (L.texts[i].kind != ORGFIG_TXT_XTICK && L.texts[i].kind != ORGFIG_TXT_YTICK))
            continue;
        minus += strncmp(s, "\xe2\x88\x92", 3) == 0;
        hyphen += strchr(s, '-') != NULL;
    }
    CHECK(minus >= 2 && hyphen == 0);
    CHECK(check_layout(&L, "minus") == 0);
    orgfig_layout_free(&L);
    orgfig_figure_free(f);
}
