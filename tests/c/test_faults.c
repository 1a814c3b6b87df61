/* test_faults.c - allocation-failure injection over full renders.
 *
 * For every plot kind that is linked in (orgfig_plot_class_of), and for
 * PNG, SVG and PDF, the same scenario - figure_new with properties, set
 * of axes properties, one plot with representative data and properties,
 * render - is run once with the Nth counted allocation failing, for
 * N = 1, 2, ... until a run no longer reaches the Nth allocation.  Every
 * run must:
 *   - fail, if it fails, with ORGFIG_E_NOMEM and a message (an injected
 *     failure must never turn into another error, a crash or a success
 *     with broken output);
 *   - leave a failed plot's figure with the artists it had;
 *   - leave the figure usable: rendering it again without faults works;
 *   - after the figure is freed, hold exactly the counted bytes it held
 *     before (no leak on any failure path).
 * The fixture's data columns are made before the faults are armed, so
 * every injected failure lands in figure code.
 *
 * The same is done with a tight memory limit instead of injected
 * failures (ORGFIG_E_LIMIT).  ORGFIG_FAULT_STRIDE=K tests only every Kth
 * allocation, grows the limit K times faster and skips the re-entrancy
 * test (`make check-valgrind' uses it: memcheck is ~50x slower). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../module/core/alloc.h"
#include "../../module/core/buf.h"
#include "../../module/core/column.h"
#include "../../module/core/figure.h"
#include "../../module/core/model.h"
#include "../../module/core/value.h"
#include "harness.h"

enum { NPTS = 30, NROWS = 4, NCOLS = 5, NCAT = 4, MAX_RUNS = 20000 };

typedef struct fixture {
    orgfig_column *x, *y, *y2, *err, *sizes, *shades, *cat_vals, *rows[NROWS];
    orgfig_value row_vals[NROWS];
    orgfig_value cat_labels[NCAT];
    orgfig_value col_labels[NCOLS];
    orgfig_value area_ys[2];
    orgfig_value box_sets[2];
} fixture;

static orgfig_column *
column(size_t n, double (*fn)(size_t))
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *c = orgfig_column_new(n, ORGFIG_F64, &err);
    if (c)
        for (size_t i = 0; i < n; i++)
            orgfig_column_put(c, i, fn(i));
    return c;
}

static double
ramp(size_t i)
{
    return (double)i;
}
static double
wave(size_t i)
{
    return i == 5 ? NAN : 2 + sin((double)i * 0.4);
}
static double
wave2(size_t i)
{
    return 1 + cos((double)i * 0.3) * 0.5;
}
static double
small(size_t i)
{
    return 0.1 + (double)(i % 3) * 0.05;
}
static double
sizes(size_t i)
{
    return 10 + (double)(i % 5) * 8;
}
static double
cats(size_t i)
{
    return 3 + (double)i * 2;
}

static orgfig_value
col_value(orgfig_column *c)
{
    return (orgfig_value){.type = ORGFIG_V_COL, .col = c};
}

static orgfig_value
num_value(double d)
{
    return (orgfig_value){.type = ORGFIG_V_NUM, .num = d};
}

static orgfig_value
str_value(const char *s)
{
    return (orgfig_value){.type = ORGFIG_V_STR, .str = s, .len = strlen(s)};
}

static orgfig_value
sym_value(const char *s)
{
    return (orgfig_value){.type = ORGFIG_V_SYM, .str = s, .len = strlen(s)};
}

static orgfig_value
list_value(const orgfig_value *items, size_t n)
{
    return (orgfig_value){.type = ORGFIG_V_LIST, .items = items, .nitems = n};
}

static bool
fixture_make(fixture *fx)
{
    memset(fx, 0, sizeof *fx);
    fx->x = column(NPTS, ramp);
    fx->y = column(NPTS, wave);
    fx->y2 = column(NPTS, wave2);
    fx->err = column(NPTS, small);
    fx->sizes = column(NPTS, sizes);
    fx->shades = column(NPTS, wave2);
    fx->cat_vals = column(NCAT, cats);
    bool ok =
        fx->x && fx->y && fx->y2 && fx->err && fx->sizes && fx->shades && fx->cat_vals;
    for (size_t r = 0; r < NROWS; r++) {
        fx->rows[r] = column(NCOLS, r % 2 ? wave2 : ramp);
        ok = ok && fx->rows[r];
        fx->row_vals[r] = col_value(fx->rows[r]);
    }
    static const char *const names[NCAT] = {"alpha", "beta", "gamma", "delta"};
    for (size_t i = 0; i < NCAT; i++)
        fx->cat_labels[i] = str_value(names[i]);
    static const char *const cols[NCOLS] = {"Mon", "Tue", "Wed", "Thu", "Fri"};
    for (size_t i = 0; i < NCOLS; i++)
        fx->col_labels[i] = str_value(cols[i]);
    fx->area_ys[0] = col_value(fx->y2);
    fx->area_ys[1] = col_value(fx->err);
    fx->box_sets[0] = col_value(fx->y2);
    fx->box_sets[1] = col_value(fx->err);
    return ok;
}

static void
fixture_free(fixture *fx)
{
    orgfig_column *all[] = {fx->x,       fx->y,       fx->y2,       fx->err,
                            fx->sizes,   fx->shades,  fx->cat_vals, fx->rows[0],
                            fx->rows[1], fx->rows[2], fx->rows[3]};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i])
            orgfig_column_unref(all[i]);
}

/* Representative positional arguments of KIND; returns how many. */
static size_t
kind_args(orgfig_kind kind, fixture *fx, orgfig_value *a)
{
    switch (kind) {
    case ORGFIG_LINE:
    case ORGFIG_SCATTER:
        a[0] = col_value(fx->x);
        a[1] = col_value(fx->y);
        return 2;
    case ORGFIG_BAR:
    case ORGFIG_PIE:
        a[0] = list_value(fx->cat_labels, NCAT);
        a[1] = col_value(fx->cat_vals);
        return 2;
    case ORGFIG_HIST:
        a[0] = col_value(fx->y);
        return 1;
    case ORGFIG_HEATMAP:
        a[0] = list_value(fx->row_vals, NROWS);
        return 1;
    case ORGFIG_FILL_BETWEEN:
        a[0] = col_value(fx->x);
        a[1] = col_value(fx->y);
        a[2] = col_value(fx->y2);
        return 3;
    case ORGFIG_ERRORBAR:
        a[0] = col_value(fx->x);
        a[1] = col_value(fx->y2);
        a[2] = col_value(fx->err);
        return 3;
    case ORGFIG_AREA:
        a[0] = col_value(fx->x);
        a[1] = list_value(fx->area_ys, 2);
        return 2;
    case ORGFIG_BOX:
        a[0] = list_value(fx->box_sets, 2);
        return 1;
    case ORGFIG_TEXT:
        a[0] = num_value(0.5);
        a[1] = num_value(0.5);
        a[2] = str_value("Peak \xe2\x86\x91 here");
        return 3;
    case ORGFIG_HLINE:
        a[0] = num_value(1.5);
        return 1;
    case ORGFIG_VLINE:
        a[0] = num_value(3);
        return 1;
    case ORGFIG_KIND_COUNT:
        break;
    }
    return 0;
}

static orgfig_value labels2[2];

/* Representative properties of every kind, from docs/DESIGN.org; each
 * kind gets those its class (or the common keys) accepts, so a key a kind
 * does not implement yet never hides the rest of the scenario. */
static size_t
kind_props(const orgfig_plot_class *cls, fixture *fx, orgfig_prop *out)
{
    labels2[0] = str_value("first");
    labels2[1] = str_value("second");
    static const char *const common[] = {"axes",  "label", "color",
                                         "alpha", "yaxis", NULL};
    orgfig_prop all[] = {
        {"label", str_value("series")},
        {"width", num_value(2)},
        {"dash", sym_value("dashed")},
        {"marker", sym_value("circle")},
        {"marker-size", num_value(5)},
        {"size", cls->kind == ORGFIG_SCATTER ? col_value(fx->sizes) : num_value(12)},
        {"cmap", sym_value("viridis")},
        {"colorbar", (orgfig_value){.type = ORGFIG_V_T}},
        {"edgecolor", str_value("black")},
        {"bar-width", num_value(0.7)},
        {"bins", num_value(8)},
        {"annotate", (orgfig_value){.type = ORGFIG_V_T}},
        {"xlabels", list_value(fx->col_labels, NCOLS)},
        {"capsize", num_value(3)},
        {"labels", list_value(labels2, 2)},
        {"whis", num_value(1.5)},
        {"autopct", (orgfig_value){.type = ORGFIG_V_T}},
        {"donut", num_value(0.4)},
        {"ha", sym_value("center")},
        {"va", sym_value("baseline")},
        {"rotation", num_value(30)},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        bool known = false;
        for (size_t k = 0; common[k] && !known; k++)
            known = strcmp(common[k], all[i].key) == 0;
        for (size_t k = 0; cls->props && cls->props[k] && !known; k++)
            known = strcmp(cls->props[k], all[i].key) == 0;
        /* Scatter's :color through the colormap. */
        if (known)
            out[n++] = all[i];
    }
    if (cls->kind == ORGFIG_SCATTER)
        out[n++] = (orgfig_prop){"color", col_value(fx->shades)};
    return n;
}

static const char *const format_names[] = {"png", "svg", "pdf"};

static orgfig_status
render(orgfig_figure *f, orgfig_format format, orgfig_err *err)
{
    orgfig_render_opts opts = {.format = format, .png_level = -1};
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    orgfig_status st = orgfig_figure_render(f, &opts, &out, err);
    if (st != ORGFIG_OK && out.len != 0) {
        fprintf(stderr, "  a failed render left %zu bytes of output\n", out.len);
        harness_failures++;
    }
    if (st == ORGFIG_OK && out.len == 0) {
        fprintf(stderr, "  a successful render produced nothing\n");
        harness_failures++;
    }
    orgfig_buf_free(&out);
    return st;
}

typedef enum { INJECT_FAULT, INJECT_LIMIT } inject_mode;

/* One run of the scenario with the failure armed at N (an allocation
 * number, or a byte allowance over what is held for INJECT_LIMIT).
 * Returns true when the failure was hit (so larger N must be tried). */
static bool
run_scenario(orgfig_kind kind, orgfig_format format, fixture *fx, inject_mode mode,
             uint64_t n, bool *ok)
{
    const orgfig_plot_class *cls = orgfig_plot_class_of(kind);
    const char *kname = orgfig_kind_name(kind);
    orgfig_value args[8];
    size_t nargs = kind_args(kind, fx, args);
    orgfig_prop props[32];
    size_t nprops = kind_props(cls, fx, props);
    const orgfig_prop fig_props[] = {
        {"width", num_value(160)},
        {"height", num_value(120)},
        {"title", str_value("Faults")},
        {"font-size", num_value(8)},
    };
    const orgfig_prop axes_props[] = {
        {"xlabel", str_value("x axis")},
        {"ylabel", str_value("y axis")},
        {"legend", (orgfig_value){.type = ORGFIG_V_T}},
        {"grid", (orgfig_value){.type = ORGFIG_V_T}},
    };
    orgfig_status want = mode == INJECT_FAULT ? ORGFIG_E_NOMEM : ORGFIG_E_LIMIT;
    size_t base = orgfig_memory_stats().bytes;
    if (mode == INJECT_FAULT)
        orgfig_alloc_fail_at(n);
    else
        orgfig_memory_set_limit(base + (size_t)n);

    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_status st = ORGFIG_OK;
    const char *step = "figure-new";
    orgfig_figure *f =
        orgfig_figure_new(fig_props, sizeof fig_props / sizeof fig_props[0], &err);
    if (f == NULL) {
        st = err.status;
    } else {
        step = "set";
        st = orgfig_figure_set(f, axes_props, sizeof axes_props / sizeof axes_props[0],
                               &err);
        if (st == ORGFIG_OK) {
            step = "plot";
            size_t before = orgfig_figure_nartists(f);
            st = orgfig_figure_plot(f, kind, args, nargs, props, nprops, &err);
            if (st != ORGFIG_OK && orgfig_figure_nartists(f) != before) {
                fprintf(stderr, "  %s/%s n=%llu: a failed plot changed the artists\n",
                        kname, format_names[format], (unsigned long long)n);
                *ok = false;
            }
        }
        if (st == ORGFIG_OK) {
            step = "render";
            st = render(f, format, &err);
        }
    }
    bool hit = mode == INJECT_FAULT ? n > 0 && !orgfig_alloc_fail_pending() : st == want;
    orgfig_alloc_fail_at(0);
    orgfig_memory_set_limit(0);

    if (st != ORGFIG_OK && (st != want || err.msg[0] == '\0')) {
        fprintf(stderr, "  %s/%s n=%llu: %s failed with %s (want %s): %s\n", kname,
                format_names[format], (unsigned long long)n, step, orgfig_status_name(st),
                orgfig_status_name(want), err.msg);
        *ok = false;
    }
    if (st != ORGFIG_OK && !hit) {
        fprintf(stderr, "  %s/%s n=%llu: %s failed without the injected failure: %s\n",
                kname, format_names[format], (unsigned long long)n, step, err.msg);
        *ok = false;
    }
    if (f) {
        /* Still usable: a render without faults works. */
        orgfig_err err2 = ORGFIG_ERR_INIT;
        if (render(f, format, &err2) != ORGFIG_OK) {
            fprintf(stderr, "  %s/%s n=%llu: render after the failure in %s: %s\n", kname,
                    format_names[format], (unsigned long long)n, step, err2.msg);
            *ok = false;
        }
        orgfig_figure_free(f);
    }
    size_t after = orgfig_memory_stats().bytes;
    if (after != base) {
        fprintf(stderr, "  %s/%s n=%llu: %s failure leaked %zu counted bytes\n", kname,
                format_names[format], (unsigned long long)n, step, after - base);
        *ok = false;
    }
    return hit;
}

static uint64_t
stride(void)
{
    const char *s = getenv("ORGFIG_FAULT_STRIDE");
    long k = s ? strtol(s, NULL, 10) : 1;
    return k > 1 ? (uint64_t)k : 1;
}

/* Run every kind in FORMAT; return the number of kinds covered. */
static int
faults_in_format(orgfig_format format, inject_mode mode)
{
    fixture fx;
    if (!fixture_make(&fx)) {
        fixture_free(&fx);
        CHECK(!"fixture");
        return 0;
    }
    int kinds = 0;
    uint64_t step = mode == INJECT_FAULT ? stride() : 1;
    for (int k = 0; k < ORGFIG_KIND_COUNT; k++) {
        if (orgfig_plot_class_of((orgfig_kind)k) == NULL)
            continue; /* not linked in yet */
        kinds++;
        bool ok = true;
        /* First a clean run: the scenario itself must work. */
        bool hit = run_scenario((orgfig_kind)k, format, &fx, mode,
                                mode == INJECT_FAULT ? 0 : SIZE_MAX / 2, &ok);
        if (!ok || hit) {
            fprintf(stderr, "  %s/%s: the scenario fails without faults\n",
                    orgfig_kind_name((orgfig_kind)k), format_names[format]);
            harness_failures++;
            continue;
        }
        uint64_t n = 1, runs = 0;
        for (; runs < MAX_RUNS && ok; runs++) {
            if (!run_scenario((orgfig_kind)k, format, &fx, mode, n, &ok))
                break;
            /* Limits: grow the allowance geometrically (bytes, not counts). */
            n = mode == INJECT_FAULT ? n + step : n + (n / 8 + 64) * stride();
        }
        if (!ok)
            harness_failures++;
        if (getenv("ORGFIG_TEST_VERBOSE"))
            fprintf(stderr, "  %s/%s: %llu failure points\n",
                    orgfig_kind_name((orgfig_kind)k), format_names[format],
                    (unsigned long long)runs);
        CHECK(runs < MAX_RUNS);
        CHECK(runs > 3); /* the scenario really allocates */
    }
    fixture_free(&fx);
    return kinds;
}

TEST(faults_every_allocation_png)
{
    CHECK(faults_in_format(ORGFIG_FORMAT_PNG, INJECT_FAULT) > 0);
}

TEST(faults_every_allocation_svg)
{
    CHECK(faults_in_format(ORGFIG_FORMAT_SVG, INJECT_FAULT) > 0);
}

TEST(faults_every_allocation_pdf)
{
    CHECK(faults_in_format(ORGFIG_FORMAT_PDF, INJECT_FAULT) > 0);
}

TEST(faults_memory_limit_png)
{
    CHECK(faults_in_format(ORGFIG_FORMAT_PNG, INJECT_LIMIT) > 0);
}

TEST(faults_memory_limit_svg)
{
    CHECK(faults_in_format(ORGFIG_FORMAT_SVG, INJECT_LIMIT) > 0);
}

/* Re-entrant use.  A render polls its caller every so often (in Emacs the
 * poll may run Lisp); every call on the figure being rendered made from
 * the poll must fail with ORGFIG_E_BUSY and change nothing, close must be
 * a no-op, and the outer render must finish normally. */
typedef struct reentry {
    orgfig_figure *f;
    fixture *fx;
    int polls;
    int busy, other;
    bool closed_during;
} reentry;

static bool
reenter(void *ctx)
{
    reentry *r = ctx;
    r->polls++;
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_value args[2] = {col_value(r->fx->x), col_value(r->fx->y)};
    orgfig_status st[3];
    st[0] = orgfig_figure_plot(r->f, ORGFIG_LINE, args, 2, NULL, 0, &err);
    orgfig_err_clear(&err);
    const orgfig_prop title = {"title", str_value("re-entered")};
    st[1] = orgfig_figure_set(r->f, &title, 1, &err);
    orgfig_err_clear(&err);
    orgfig_render_opts opts = {.format = ORGFIG_FORMAT_PNG, .png_level = -1};
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    st[2] = orgfig_figure_render(r->f, &opts, &out, &err);
    if (out.len != 0)
        r->other++;
    orgfig_buf_free(&out);
    for (int i = 0; i < 3; i++) {
        if (st[i] == ORGFIG_E_BUSY)
            r->busy++;
        else
            r->other++;
    }
    orgfig_figure_close(r->f);
    if (!orgfig_figure_is_open(r->f))
        r->closed_during = true;
    return false;
}

static double
big_x(size_t i)
{
    return (double)i * 1e-3;
}

static double
big_y(size_t i)
{
    return sin((double)i * 0.01);
}

TEST(faults_reentrant_calls_during_render_are_busy)
{
    /* 300,000 markers take a minute under valgrind (a stride is set
     * there); the plain and ASan runs cover this path. */
    if (stride() > 1)
        return;
    fixture fx;
    REQUIRE(fixture_make(&fx));
    if (orgfig_plot_class_of(ORGFIG_SCATTER) == NULL) {
        fixture_free(&fx);
        return; /* the polling kind is not linked yet */
    }
    size_t n = 300000; /* scatter polls every 65536 markers */
    orgfig_column *x = column(n, big_x), *y = column(n, big_y);
    orgfig_err err = ORGFIG_ERR_INIT;
    const orgfig_prop size = {"width", num_value(200)};
    orgfig_figure *f = orgfig_figure_new(&size, 1, &err);
    if (!(x && y && f)) {
        CHECK(!"setup");
    } else {
        orgfig_value args[2] = {col_value(x), col_value(y)};
        CHECK(orgfig_figure_plot(f, ORGFIG_SCATTER, args, 2, NULL, 0, &err) == ORGFIG_OK);
        size_t artists = orgfig_figure_nartists(f);
        reentry r = {.f = f, .fx = &fx};
        orgfig_render_opts opts = {
            .format = ORGFIG_FORMAT_PNG, .png_level = -1, .poll = reenter, .ctx = &r};
        orgfig_buf out = ORGFIG_BUF_INIT(NULL);
        CHECK(orgfig_figure_render(f, &opts, &out, &err) == ORGFIG_OK);
        CHECK(out.len > 8 && memcmp(out.data, "\x89PNG", 4) == 0);
        orgfig_buf_free(&out);
        CHECK(r.polls > 0); /* 300,000 markers must poll */
        CHECK(r.busy == 3 * r.polls);
        CHECK(r.other == 0);
        CHECK(!r.closed_during);
        /* Nothing changed, and the figure works normally afterwards. */
        CHECK(orgfig_figure_is_open(f));
        CHECK(orgfig_figure_nartists(f) == artists);
        CHECK(strcmp(orgfig_figure_title(f), "") == 0);
        opts.poll = NULL;
        CHECK(render(f, ORGFIG_FORMAT_SVG, &err) == ORGFIG_OK);
    }
    orgfig_figure_free(f);
    if (x)
        orgfig_column_unref(x);
    if (y)
        orgfig_column_unref(y);
    fixture_free(&fx);
}
