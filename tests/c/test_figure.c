/* test_figure.c - the figure model: life cycle, registry, property schemas,
 * validation of every argument and the all-or-nothing rule for failures. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../module/core/model.h"
#include "builders.h"
#include "harness.h"

#define HAS(msg, s) (strstr((msg), (s)) != NULL)

TEST(figure_defaults_and_registry)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    size_t open0 = orgfig_figures_open();
    orgfig_figure *a = orgfig_figure_new(NULL, 0, &err);
    orgfig_figure *b = orgfig_figure_new(NULL, 0, &err);
    REQUIRE(a && b);
    CHECK(orgfig_figures_open() == open0 + 2);
    CHECK(orgfig_figure_id(b) > orgfig_figure_id(a));
    int w, h;
    double s;
    orgfig_figure_size(a, &w, &h, &s);
    CHECK(w == 640 && h == 480 && s == 1);
    CHECK(orgfig_figure_check(a) && orgfig_figure_is_open(a));
    CHECK(strcmp(a->style.font_family, "DejaVu Sans") == 0);
    CHECK(a->style.background.r == 1 && a->style.background.g == 1);
    CHECK(orgfig_figure_usable(a, "x", &err) == ORGFIG_OK);
    orgfig_figure_close(a);
    orgfig_figure_close(a); /* idempotent: decrements once */
    CHECK(orgfig_figures_open() == open0 + 1);
    CHECK(!orgfig_figure_is_open(a));
    /* Only the struct remains. */
    CHECK(orgfig_figure_bytes(a) == sizeof(orgfig_figure));
    CHECK(orgfig_figure_nartists(a) == 0);
    CHECK(strcmp(orgfig_figure_title(a), "") == 0);
    orgfig_figure_free(a);
    orgfig_figure_free(b);
    CHECK(orgfig_figures_open() == open0);
}

TEST(figure_size_limits)
{
    struct {
        const char *key;
        double v;
        const char *must;
    } bad[] = {
        {"width", 15, ":width"},    {"height", 16385, ":height"}, {"scale", 0, ":scale"},
        {"scale", 4.5, ":scale"},   {"rows", 0, ":rows"},         {"cols", 17, ":cols"},
        {"width", 100.5, ":width"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        orgfig_err err = ORGFIG_ERR_INIT;
        orgfig_prop p[] = {{bad[i].key, tb_num(bad[i].v)}};
        orgfig_figure *f = orgfig_figure_new(p, 1, &err);
        CHECK(f == NULL);
        CHECK(err.status == ORGFIG_E_INVALID);
        CHECK(HAS(err.msg, "orgfig-figure") && HAS(err.msg, bad[i].must));
        orgfig_figure_free(f);
    }
    /* The pixel budget counts the scale. */
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop p[] = {{"width", tb_num(16000)}, {"height", tb_num(16000)}};
    CHECK(orgfig_figure_new(p, 2, &err) == NULL && err.status == ORGFIG_E_INVALID);
    CHECK(HAS(err.msg, "pixels"));
    orgfig_err_clear(&err);
    orgfig_prop q[] = {
        {"width", tb_num(8000)}, {"height", tb_num(8000)}, {"scale", tb_num(2)}};
    CHECK(orgfig_figure_new(q, 3, &err) == NULL && err.status == ORGFIG_E_INVALID);
    /* Wrong type: a predicate and the property's position. */
    orgfig_err_clear(&err);
    orgfig_prop r[] = {{"title", tb_str("t")}, {"width", tb_str("wide")}};
    CHECK(orgfig_figure_new(r, 2, &err) == NULL);
    CHECK(err.status == ORGFIG_E_TYPE);
    CHECK(err.where == ORGFIG_WHERE_PROP && err.index == 1);
    CHECK(err.predicate && strcmp(err.predicate, "integerp") == 0);
    /* Unknown keys list the known ones. */
    orgfig_err_clear(&err);
    orgfig_prop u[] = {{"colour", tb_str("red")}};
    CHECK(orgfig_figure_new(u, 1, &err) == NULL && err.status == ORGFIG_E_INVALID);
    CHECK(HAS(err.msg, ":colour") && HAS(err.msg, ":width") &&
          HAS(err.msg, ":background"));
    /* Axes keys belong to orgfig-set. */
    orgfig_err_clear(&err);
    orgfig_prop x[] = {{"xlabel", tb_str("x")}};
    CHECK(orgfig_figure_new(x, 1, &err) == NULL && err.status == ORGFIG_E_INVALID);
}

TEST(figure_titles_and_style)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_value cyc[] = {tb_str("red"), tb_sym("blue")};
    orgfig_prop p[] = {
        {"title", tb_str("Höhe")},         {"background", tb_str("black")},
        {"foreground", tb_str("#eeeeee")}, {"font-size", tb_num(12)},
        {"cycle", tb_list(cyc, 2)},        {"font-family", tb_str("DejaVu Serif")}};
    orgfig_figure *f = orgfig_figure_new(p, 6, &err);
    REQUIRE(f);
    CHECK(strcmp(orgfig_figure_title(f), "Höhe") == 0);
    CHECK(f->axes[0].title && f->suptitle == NULL);
    CHECK(f->style.background.r == 0 && f->style.font_size == 12);
    CHECK(f->style.ncycle == 2 && f->style.cycle[0].r == 1 && f->style.cycle[1].b == 1);
    CHECK(strcmp(f->style.font_family, "DejaVu Serif") == 0);
    orgfig_figure_free(f);
    orgfig_prop g[] = {
        {"rows", tb_num(2)}, {"cols", tb_num(3)}, {"title", tb_str("grid")}};
    f = orgfig_figure_new(g, 3, &err);
    REQUIRE(f);
    CHECK(f->suptitle && strcmp(f->suptitle, "grid") == 0 && f->axes[0].title == NULL);
    orgfig_prop s[] = {{"axes", tb_num(4)}, {"title", tb_str("fifth")}};
    CHECK(orgfig_figure_set(f, s, 2, &err) == ORGFIG_OK);
    CHECK(f->axes[4].title && strcmp(f->axes[4].title, "fifth") == 0);
    orgfig_prop s2[] = {{"axes", tb_num(6)}, {"title", tb_str("none")}};
    CHECK(orgfig_figure_set(f, s2, 2, &err) == ORGFIG_E_INVALID);
    CHECK(HAS(err.msg, "orgfig-set") && HAS(err.msg, ":axes") && HAS(err.msg, "[0, 5]"));
    orgfig_figure_free(f);
}

TEST(set_validates_every_axes_property)
{
    orgfig_figure *f = tb_figure(400, 300, 1);
    REQUIRE(f);
    struct {
        orgfig_prop p;
        orgfig_status st;
        const char *pred;
    } cases[] = {
        {{"xlim", tb_str("0 1")}, ORGFIG_E_TYPE, "listp"},
        {{"xlim", tb_num(1)}, ORGFIG_E_TYPE, "listp"},
        {{"xscale", tb_sym("logarithmic")}, ORGFIG_E_INVALID, NULL},
        {{"xscale", tb_num(1)}, ORGFIG_E_TYPE, "symbolp"},
        {{"grid", tb_sym("z")}, ORGFIG_E_INVALID, NULL},
        {{"legend", tb_sym("middle")}, ORGFIG_E_INVALID, NULL},
        {{"aspect", tb_num(-1)}, ORGFIG_E_INVALID, NULL},
        {{"aspect", tb_sym("square")}, ORGFIG_E_INVALID, NULL},
        {{"xticks", tb_str("1 2")}, ORGFIG_E_TYPE, "orgfig-data-p"},
        {{"xticklabels", tb_num(3)}, ORGFIG_E_TYPE, "orgfig-data-p"},
        {{"xlabel", tb_num(3)}, ORGFIG_OK, NULL}, /* numbers are formatted */
        {{"xlabel", tb_list(NULL, 0)}, ORGFIG_E_TYPE, "stringp"},
        {{"background", tb_str("no-such-color")}, ORGFIG_E_INVALID, NULL},
        {{"font-size", tb_num(0)}, ORGFIG_E_INVALID, NULL},
        {{"line-width", tb_num(-1)}, ORGFIG_E_INVALID, NULL},
        {{"cycle", tb_num(1)}, ORGFIG_E_TYPE, "listp"},
        {{"axes", tb_num(1)}, ORGFIG_E_INVALID, NULL},
        {{"axes", tb_num(0.5)}, ORGFIG_E_INVALID, NULL},
        {{"rows", tb_num(2)}, ORGFIG_E_INVALID, NULL}, /* creation only */
        {{"bogus", tb_nil}, ORGFIG_E_INVALID, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        orgfig_err err = ORGFIG_ERR_INIT;
        orgfig_prop ps[2] = {{"ylabel", tb_str("kept?")}, cases[i].p};
        orgfig_status st = orgfig_figure_set(f, ps, 2, &err);
        if (st != cases[i].st)
            fprintf(stderr, "  case %zu (:%s): got %s (%s)\n", i, cases[i].p.key,
                    orgfig_status_name(st), err.msg);
        CHECK(st == cases[i].st);
        if (st == ORGFIG_OK) {
            CHECK(f->axes[0].y.label != NULL);
            orgfig_prop clear[] = {{"ylabel", tb_nil}};
            CHECK(orgfig_figure_set(f, clear, 1, &err) == ORGFIG_OK);
            CHECK(f->axes[0].y.label == NULL);
            continue;
        }
        /* All or nothing: the valid :ylabel before it was not applied. */
        CHECK(f->axes[0].y.label == NULL);
        CHECK(HAS(err.msg, "orgfig-set"));
        if (cases[i].st == ORGFIG_E_TYPE) {
            CHECK(err.predicate && strcmp(err.predicate, cases[i].pred) == 0);
            CHECK(err.where == ORGFIG_WHERE_PROP && err.index == 1);
        }
        char key[64];
        snprintf(key, sizeof key, ":%s", cases[i].p.key);
        CHECK(HAS(err.msg, key));
    }
    /* Valid settings land. */
    orgfig_err err = ORGFIG_ERR_INIT;
    double lim[] = {5, -5}, tk[] = {1, 2, 3};
    orgfig_column *cl = tb_column(lim, 2), *ct = tb_column(tk, 3);
    orgfig_value labels[] = {tb_str("a"), tb_str("b"), tb_str("c")};
    orgfig_prop ok[] = {{"xlim", tb_col(cl)},         {"yscale", tb_sym("log")},
                        {"grid", tb_sym("y")},        {"legend", tb_sym("outside")},
                        {"xticks", tb_col(ct)},       {"xticklabels", tb_list(labels, 3)},
                        {"aspect", tb_sym("equal")},  {"twinx", tb_t},
                        {"y2label", tb_str("right")}, {"xinvert", tb_t},
                        {"width", tb_num(500)},       {"suptitle", tb_str("S")}};
    CHECK(orgfig_figure_set(f, ok, sizeof ok / sizeof ok[0], &err) == ORGFIG_OK);
    orgfig_axes *ax = &f->axes[0];
    CHECK(ax->x.has_lim && ax->x.lim_lo == 5 && ax->x.lim_hi == -5);
    CHECK(ax->y.scale == ORGFIG_SCALE_LOG && ax->grid == ORGFIG_GRID_Y);
    CHECK(ax->legend == ORGFIG_LEGEND_OUTSIDE && ax->x.nticks == 3 &&
          ax->x.nticklabels == 3);
    CHECK(ax->aspect == 1 && ax->twinx && ax->x.invert && f->width == 500);
    orgfig_column_unref(cl);
    orgfig_column_unref(ct);
    orgfig_figure_free(f);
}

TEST(strings_must_be_utf8_without_nul)
{
    orgfig_figure *f = tb_figure(300, 200, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_value bad = {.type = ORGFIG_V_STR, .str = "a\xff", .len = 2};
    orgfig_prop p[] = {{"title", bad}};
    CHECK(orgfig_figure_set(f, p, 1, &err) == ORGFIG_E_INVALID);
    CHECK(HAS(err.msg, "UTF-8") && HAS(err.msg, ":title"));
    orgfig_err_clear(&err);
    orgfig_value nul = {.type = ORGFIG_V_STR, .str = "a\0b", .len = 3};
    orgfig_prop q[] = {{"xlabel", nul}};
    CHECK(orgfig_figure_set(f, q, 1, &err) == ORGFIG_E_INVALID);
    orgfig_err_clear(&err);
    orgfig_value overlong = {.type = ORGFIG_V_STR, .str = "\xc0\xaf", .len = 2};
    orgfig_prop r[] = {{"xlabel", overlong}};
    CHECK(orgfig_figure_set(f, r, 1, &err) == ORGFIG_E_INVALID);
    orgfig_err_clear(&err);
    orgfig_prop ok[] = {{"xlabel", tb_str("ünïcødé → ∞ 日本")}};
    CHECK(orgfig_figure_set(f, ok, 1, &err) == ORGFIG_OK);
    orgfig_figure_free(f);
}

TEST(line_argument_errors)
{
    orgfig_figure *f = tb_figure(300, 200, 1);
    REQUIRE(f);
    size_t bytes0 = orgfig_figure_bytes(f);
    double x3[] = {1, 2, 3}, y4[] = {1, 2, 3, 4}, nan3[] = {NAN, NAN, INFINITY};
    orgfig_column *cx = tb_column(x3, 3), *cy = tb_column(y4, 4),
                  *cn = tb_column(nan3, 3);
    orgfig_column *ce = tb_column(x3, 0);
    orgfig_err err = ORGFIG_ERR_INIT;
    /* Y given a string: (wrong-type-argument orgfig-data-p "...") at arg 1. */
    orgfig_value a1[] = {tb_col(cx), tb_str("1 2 3")};
    CHECK(orgfig_figure_plot(f, ORGFIG_LINE, a1, 2, NULL, 0, &err) == ORGFIG_E_TYPE);
    CHECK(err.predicate && strcmp(err.predicate, "orgfig-data-p") == 0);
    CHECK(err.where == ORGFIG_WHERE_ARG && err.index == 1);
    CHECK(HAS(err.msg, "orgfig-line") && HAS(err.msg, "Y"));
    orgfig_err_clear(&err);
    orgfig_value a2[] = {tb_col(cx), tb_col(cy)};
    CHECK(orgfig_figure_plot(f, ORGFIG_LINE, a2, 2, NULL, 0, &err) == ORGFIG_E_INVALID);
    CHECK(strcmp(err.msg, "orgfig-line: X has 3 values but Y has 4") == 0);
    orgfig_err_clear(&err);
    orgfig_value a3[] = {tb_nil, tb_col(ce)};
    CHECK(orgfig_figure_plot(f, ORGFIG_LINE, a3, 2, NULL, 0, &err) == ORGFIG_E_INVALID);
    CHECK(HAS(err.msg, "orgfig-line") && HAS(err.msg, "Y") && HAS(err.msg, "empty"));
    orgfig_err_clear(&err);
    orgfig_value a4[] = {tb_nil, tb_col(cn)};
    CHECK(orgfig_figure_plot(f, ORGFIG_LINE, a4, 2, NULL, 0, &err) == ORGFIG_E_INVALID);
    CHECK(HAS(err.msg, "orgfig-line") && HAS(err.msg, "Y") && HAS(err.msg, "finite"));
    orgfig_err_clear(&err);
    orgfig_value a5[] = {tb_num(1), tb_col(cx)};
    CHECK(orgfig_figure_plot(f, ORGFIG_LINE, a5, 2, NULL, 0, &err) == ORGFIG_E_TYPE);
    CHECK(err.where == ORGFIG_WHERE_ARG && err.index == 0);
    orgfig_err_clear(&err);
    CHECK(orgfig_figure_plot(f, ORGFIG_LINE, a5, 1, NULL, 0, &err) == ORGFIG_E_INVALID);
    /* Properties. */
    struct {
        orgfig_prop p;
        orgfig_status st;
    } props[] = {
        {{"width", tb_num(-1)}, ORGFIG_E_INVALID},
        {{"width", tb_str("1")}, ORGFIG_E_TYPE},
        {{"dash", tb_sym("wavy")}, ORGFIG_E_INVALID},
        {{"marker", tb_sym("star")}, ORGFIG_E_INVALID},
        {{"step", tb_sym("up")}, ORGFIG_E_INVALID},
        {{"alpha", tb_num(2)}, ORGFIG_E_INVALID},
        {{"color", tb_str("nope")}, ORGFIG_E_INVALID},
        {{"color", tb_col(cx)}, ORGFIG_E_TYPE},
        {{"axes", tb_num(1)}, ORGFIG_E_INVALID},
        {{"yaxis", tb_sym("up")}, ORGFIG_E_INVALID},
        {{"size", tb_num(3)}, ORGFIG_E_INVALID}, /* a scatter key */
        {{"label", tb_list(NULL, 0)}, ORGFIG_E_TYPE},
    };
    orgfig_value ok[] = {tb_col(cx), tb_col(cx)};
    for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
        orgfig_err_clear(&err);
        orgfig_status st =
            orgfig_figure_plot(f, ORGFIG_LINE, ok, 2, &props[i].p, 1, &err);
        if (st != props[i].st)
            fprintf(stderr, "  prop %zu :%s -> %s %s\n", i, props[i].p.key,
                    orgfig_status_name(st), err.msg);
        CHECK(st == props[i].st);
        CHECK(HAS(err.msg, "orgfig-line"));
        char key[64];
        snprintf(key, sizeof key, ":%s", props[i].p.key);
        CHECK(HAS(err.msg, key));
    }
    /* Nothing of the failed calls stuck. */
    CHECK(orgfig_figure_nartists(f) == 0);
    CHECK(orgfig_figure_bytes(f) == bytes0);
    CHECK(cx->refs == 1 && cy->refs == 1);
    orgfig_err_clear(&err);
    CHECK(orgfig_figure_plot(f, ORGFIG_LINE, ok, 2, NULL, 0, &err) == ORGFIG_OK);
    CHECK(cx->refs == 3);
    CHECK(orgfig_figure_nartists(f) == 1);
    /* The column is counted once though used twice. */
    CHECK(orgfig_figure_bytes(f) > bytes0 + orgfig_column_bytes(cx) &&
          orgfig_figure_bytes(f) < bytes0 + 2 * orgfig_column_bytes(cx) + 2000);
    orgfig_figure_close(f);
    CHECK(cx->refs == 1);
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
    orgfig_column_unref(cn);
    orgfig_column_unref(ce);
    orgfig_figure_free(f);
}

TEST(other_kinds_argument_errors)
{
    orgfig_figure *f = tb_figure(300, 200, 1);
    REQUIRE(f);
    double v3[] = {1, 2, 3}, v2[] = {1, 2};
    orgfig_column *c3 = tb_column(v3, 3), *c2 = tb_column(v2, 2);
    orgfig_value labs[] = {tb_str("a"), tb_str("b"), tb_str("c")};
    orgfig_err err = ORGFIG_ERR_INIT;
    struct {
        orgfig_kind k;
        orgfig_value args[3];
        size_t nargs;
        orgfig_prop p;
        size_t np;
        orgfig_status st;
        const char *must;
    } cases[] = {
        {ORGFIG_SCATTER,
         {tb_col(c3), tb_col(c2)},
         2,
         {0},
         0,
         ORGFIG_E_INVALID,
         "X has 3 values but Y has 2"},
        {ORGFIG_SCATTER,
         {tb_col(c3), tb_col(c3)},
         2,
         {"size", tb_str("big")},
         1,
         ORGFIG_E_TYPE,
         ":size"},
        {ORGFIG_SCATTER,
         {tb_col(c3), tb_col(c3)},
         2,
         {"size", tb_col(c2)},
         1,
         ORGFIG_E_INVALID,
         ":size"},
        {ORGFIG_SCATTER,
         {tb_col(c3), tb_col(c3)},
         2,
         {"cmap", tb_sym("nocmap")},
         1,
         ORGFIG_E_INVALID,
         ":cmap"},
        {ORGFIG_SCATTER,
         {tb_col(c3), tb_col(c3)},
         2,
         {"color", tb_col(c2)},
         1,
         ORGFIG_E_INVALID,
         ":color"},
        {ORGFIG_BAR,
         {tb_list(labs, 3), tb_col(c2)},
         2,
         {0},
         0,
         ORGFIG_E_INVALID,
         "LABELS has 3 values but VALUES has 2"},
        {ORGFIG_BAR, {tb_str("abc"), tb_col(c3)}, 2, {0}, 0, ORGFIG_E_TYPE, "LABELS"},
        {ORGFIG_BAR,
         {tb_list(labs, 3), tb_col(c3)},
         2,
         {"bar-width", tb_num(0)},
         1,
         ORGFIG_E_INVALID,
         ":bar-width"},
        {ORGFIG_BAR,
         {tb_list(labs, 3), tb_col(c3)},
         2,
         {"edgecolor", tb_num(1)},
         1,
         ORGFIG_E_TYPE,
         ":edgecolor"},
        {ORGFIG_HIST, {tb_str("x")}, 1, {0}, 0, ORGFIG_E_TYPE, "DATA"},
        {ORGFIG_HIST, {tb_col(c3)}, 1, {"bins", tb_num(0)}, 1, ORGFIG_E_INVALID, ":bins"},
        {ORGFIG_HIST,
         {tb_col(c3)},
         1,
         {"bins", tb_num(1001)},
         1,
         ORGFIG_E_INVALID,
         ":bins"},
        {ORGFIG_HIST,
         {tb_col(c3)},
         1,
         {"range", tb_col(c3)},
         1,
         ORGFIG_E_INVALID,
         ":range"},
        {ORGFIG_HIST,
         {tb_col(c3)},
         1,
         {"histtype", tb_sym("line")},
         1,
         ORGFIG_E_INVALID,
         ":histtype"},
        {ORGFIG_TEXT,
         {tb_num(1), tb_num(2), tb_list(NULL, 0)},
         3,
         {0},
         0,
         ORGFIG_E_TYPE,
         "STRING"},
        {ORGFIG_TEXT,
         {tb_str("1"), tb_num(2), tb_str("s")},
         3,
         {0},
         0,
         ORGFIG_E_TYPE,
         "X"},
        {ORGFIG_TEXT,
         {tb_num(1), tb_num(2), tb_str("s")},
         3,
         {"ha", tb_sym("middle")},
         1,
         ORGFIG_E_INVALID,
         ":ha"},
        {ORGFIG_HLINE, {tb_str("1")}, 1, {0}, 0, ORGFIG_E_TYPE, "Y"},
        {ORGFIG_VLINE, {tb_num(1)}, 1, {"dash", tb_num(1)}, 1, ORGFIG_E_TYPE, ":dash"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        orgfig_err_clear(&err);
        orgfig_status st = orgfig_figure_plot(
            f, cases[i].k, cases[i].args, cases[i].nargs, &cases[i].p, cases[i].np, &err);
        if (st != cases[i].st || !HAS(err.msg, cases[i].must))
            fprintf(stderr, "  case %zu: %s %s\n", i, orgfig_status_name(st), err.msg);
        CHECK(st == cases[i].st);
        CHECK(HAS(err.msg, cases[i].must));
        char fn[40];
        snprintf(fn, sizeof fn, "orgfig-%s", orgfig_kind_name(cases[i].k));
        CHECK(HAS(err.msg, fn));
    }
    CHECK(orgfig_figure_nartists(f) == 0);
    CHECK(c3->refs == 1);
    orgfig_column_unref(c3);
    orgfig_column_unref(c2);
    orgfig_figure_free(f);
}

TEST(cycle_colors_are_assigned_in_order)
{
    orgfig_figure *f = tb_figure(300, 200, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    double y[] = {1, 2};
    orgfig_prop red[] = {{"color", tb_str("red")}};
    CHECK(tb_line(f, NULL, y, 2, NULL, 0, &err) == ORGFIG_OK);
    CHECK(tb_line(f, NULL, y, 2, red, 1, &err) == ORGFIG_OK);
    CHECK(tb_line(f, NULL, y, 2, NULL, 0, &err) == ORGFIG_OK);
    orgfig_axes *ax = &f->axes[0];
    REQUIRE(ax->nartists == 3);
    orgfig_rgba c0 = orgfig_artist_rgba(ax->artists[0]),
                c2 = orgfig_artist_rgba(ax->artists[2]);
    orgfig_rgba t0 = orgfig_cycle_color(0), t1 = orgfig_cycle_color(1);
    CHECK(c0.r == t0.r && c0.g == t0.g && c0.b == t0.b);
    CHECK(c2.r == t1.r && c2.g == t1.g && c2.b == t1.b); /* :color did not use one */
    orgfig_rgba c1 = orgfig_artist_rgba(ax->artists[1]);
    CHECK(c1.r == 1 && c1.g == 0 && c1.b == 0);
    /* A scatter colored by values takes no cycle color. */
    double v[] = {1, 2};
    orgfig_column *cv = tb_column(v, 2);
    orgfig_value sa[] = {tb_col(cv), tb_col(cv)};
    orgfig_prop sc[] = {{"color", tb_col(cv)}};
    CHECK(orgfig_figure_plot(f, ORGFIG_SCATTER, sa, 2, sc, 1, &err) == ORGFIG_OK);
    CHECK(tb_line(f, NULL, y, 2, NULL, 0, &err) == ORGFIG_OK);
    REQUIRE(ax->nartists == 5);
    CHECK(ax->artists[4]->cycle_index == 2);
    orgfig_column_unref(cv);
    /* A theme set later recolors cycle-colored artists. */
    orgfig_value cyc[] = {tb_str("#000000"), tb_str("#ffffff")};
    orgfig_prop th[] = {{"cycle", tb_list(cyc, 2)}};
    CHECK(orgfig_figure_set(f, th, 1, &err) == ORGFIG_OK);
    c2 = orgfig_artist_rgba(ax->artists[2]);
    CHECK(c2.r == 1 && c2.g == 1 && c2.b == 1);
    orgfig_figure_free(f);
}

TEST(closed_figure_refuses_everything)
{
    orgfig_figure *f = tb_figure(300, 200, 1);
    REQUIRE(f);
    orgfig_figure_close(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop p[] = {{"title", tb_str("x")}};
    CHECK(orgfig_figure_set(f, p, 1, &err) == ORGFIG_E_CLOSED);
    CHECK(HAS(err.msg, "orgfig-set") && HAS(err.msg, "closed"));
    orgfig_err_clear(&err);
    double y[] = {1, 2};
    CHECK(tb_line(f, NULL, y, 2, NULL, 0, &err) == ORGFIG_E_CLOSED);
    CHECK(HAS(err.msg, "orgfig-line"));
    orgfig_err_clear(&err);
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    CHECK(orgfig_figure_render(f, NULL, &out, &err) == ORGFIG_E_CLOSED);
    CHECK(out.len == 0);
    orgfig_figure_free(f);
}

TEST(kind_names_round_trip)
{
    for (int k = 0; k < ORGFIG_KIND_COUNT; k++) {
        const char *n = orgfig_kind_name((orgfig_kind)k);
        CHECK(orgfig_kind_from_name(n, strlen(n)) == k);
    }
    CHECK(orgfig_kind_from_name("nope", 4) == -1);
    CHECK(orgfig_kind_nargs(ORGFIG_FILL_BETWEEN) == 3 &&
          orgfig_kind_nargs(ORGFIG_HIST) == 1);
    CHECK(orgfig_plot_class_of(ORGFIG_LINE) != NULL);
}

TEST(hist_bins_auto_and_counts)
{
    orgfig_figure *f = tb_figure(300, 200, 1);
    REQUIRE(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    /* 0..99: IQR = 49.5, FD width = 99 / 100^(1/3) = 21.3, so 5 bins. */
    double d[100];
    for (int i = 0; i < 100; i++)
        d[i] = i;
    orgfig_column *c = tb_column(d, 100);
    orgfig_value a[] = {tb_col(c)};
    CHECK(orgfig_figure_plot(f, ORGFIG_HIST, a, 1, NULL, 0, &err) == ORGFIG_OK);
    /* Constant data: IQR 0 -> Sturges: log2(8) + 1 = 4 bins. */
    double k[8] = {3, 3, 3, 3, 3, 3, 3, 3};
    orgfig_column *ck = tb_column(k, 8);
    orgfig_value b[] = {tb_col(ck)};
    CHECK(orgfig_figure_plot(f, ORGFIG_HIST, b, 1, NULL, 0, &err) == ORGFIG_OK);
    orgfig_axes *ax = &f->axes[0];
    REQUIRE(ax->nartists == 2);
    typedef struct {
        size_t nbins;
        double lo, hi;
        double *heights;
    } hp; /* mirrors hist_priv's leading fields */
    const hp *p = ax->artists[0]->priv;
    CHECK(p->nbins == 5 && p->lo == 0 && p->hi == 99);
    double sum = 0;
    for (size_t i = 0; i < p->nbins; i++)
        sum += p->heights[i];
    CHECK(sum == 100);
    CHECK(p->heights[0] == 20); /* [0, 19.8): 0..19 */
    const hp *q = ax->artists[1]->priv;
    CHECK(q->nbins == 4);
    orgfig_column_unref(c);
    orgfig_column_unref(ck);
    orgfig_figure_free(f);
}
