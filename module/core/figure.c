/* figure.c - the figure model: life cycle, registry, property schemas and
 * the validation of orgfig-figure, orgfig-set and every plot call.
 *
 * Setting properties is transactional: orgfig_figure_set first parses every
 * property into a pending operation (allocating any strings or arrays it
 * needs), and only when all of them are valid applies them, which cannot
 * fail.  A plot call builds its artist completely before appending it.  So
 * a failing call leaves the figure exactly as it was. */
#include "figure.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "props.h"

/* ---- kinds and classes ---- */

static const struct {
    const char *name;
    size_t nargs;
} kinds[ORGFIG_KIND_COUNT] = {
    [ORGFIG_LINE] = {"line", 2},         [ORGFIG_SCATTER] = {"scatter", 2},
    [ORGFIG_BAR] = {"bar", 2},           [ORGFIG_HIST] = {"hist", 1},
    [ORGFIG_HEATMAP] = {"heatmap", 1},   [ORGFIG_FILL_BETWEEN] = {"fill-between", 3},
    [ORGFIG_ERRORBAR] = {"errorbar", 3}, [ORGFIG_AREA] = {"area", 2},
    [ORGFIG_BOX] = {"box", 1},           [ORGFIG_PIE] = {"pie", 2},
    [ORGFIG_TEXT] = {"text", 3},         [ORGFIG_HLINE] = {"hline", 1},
    [ORGFIG_VLINE] = {"vline", 1},
};

const char *
orgfig_kind_name(orgfig_kind kind)
{
    return (unsigned)kind < ORGFIG_KIND_COUNT ? kinds[kind].name : "unknown";
}

int
orgfig_kind_from_name(const char *name, size_t len)
{
    for (int k = 0; k < ORGFIG_KIND_COUNT; k++)
        if (strlen(kinds[k].name) == len && memcmp(kinds[k].name, name, len) == 0)
            return k;
    return -1;
}

size_t
orgfig_kind_nargs(orgfig_kind kind)
{
    return (unsigned)kind < ORGFIG_KIND_COUNT ? kinds[kind].nargs : 0;
}

/* Weak references: a plot_KIND.c that is not linked leaves its class NULL. */
#pragma weak orgfig_plot_line
#pragma weak orgfig_plot_scatter
#pragma weak orgfig_plot_bar
#pragma weak orgfig_plot_hist
#pragma weak orgfig_plot_heatmap
#pragma weak orgfig_plot_fill_between
#pragma weak orgfig_plot_errorbar
#pragma weak orgfig_plot_area
#pragma weak orgfig_plot_box
#pragma weak orgfig_plot_pie
#pragma weak orgfig_plot_text
#pragma weak orgfig_plot_hline
#pragma weak orgfig_plot_vline

const orgfig_plot_class *
orgfig_plot_class_of(orgfig_kind kind)
{
    switch (kind) {
    case ORGFIG_LINE:
        return &orgfig_plot_line;
    case ORGFIG_SCATTER:
        return &orgfig_plot_scatter;
    case ORGFIG_BAR:
        return &orgfig_plot_bar;
    case ORGFIG_HIST:
        return &orgfig_plot_hist;
    case ORGFIG_HEATMAP:
        return &orgfig_plot_heatmap;
    case ORGFIG_FILL_BETWEEN:
        return &orgfig_plot_fill_between;
    case ORGFIG_ERRORBAR:
        return &orgfig_plot_errorbar;
    case ORGFIG_AREA:
        return &orgfig_plot_area;
    case ORGFIG_BOX:
        return &orgfig_plot_box;
    case ORGFIG_PIE:
        return &orgfig_plot_pie;
    case ORGFIG_TEXT:
        return &orgfig_plot_text;
    case ORGFIG_HLINE:
        return &orgfig_plot_hline;
    case ORGFIG_VLINE:
        return &orgfig_plot_vline;
    case ORGFIG_KIND_COUNT:
        break;
    }
    return NULL;
}

/* ---- registry ---- */

static uint64_t next_id = 1;
static size_t open_figures;

size_t
orgfig_figures_open(void)
{
    return open_figures;
}

bool
orgfig_figure_check(const void *p)
{
    return p != NULL && ((const orgfig_figure *)p)->magic == ORGFIG_FIGURE_MAGIC;
}

bool
orgfig_figure_is_open(const orgfig_figure *f)
{
    return orgfig_figure_check(f) && !f->closed;
}

orgfig_status
orgfig_figure_usable(const orgfig_figure *f, const char *fn, orgfig_err *err)
{
    if (!orgfig_figure_check(f))
        return orgfig_fail_type(err, "orgfig-figure-p", ORGFIG_WHERE_ARG, 0,
                                "%s: not a figure", fn);
    if (f->closed)
        return orgfig_fail(err, ORGFIG_E_CLOSED, "%s: the figure has been closed", fn);
    if (f->busy)
        return orgfig_fail(err, ORGFIG_E_BUSY,
                           "%s: the figure is being rendered; try again when it is done",
                           fn);
    return ORGFIG_OK;
}

uint64_t
orgfig_figure_id(const orgfig_figure *f)
{
    return f->id;
}

void
orgfig_figure_size(const orgfig_figure *f, int *width, int *height, double *scale)
{
    if (width)
        *width = f->width;
    if (height)
        *height = f->height;
    if (scale)
        *scale = f->scale;
}

size_t
orgfig_figure_nartists(const orgfig_figure *f)
{
    size_t n = 0;
    if (f->closed || f->axes == NULL)
        return 0;
    for (int i = 0; i < f->rows * f->cols; i++)
        n += f->axes[i].nartists;
    return n;
}

const char *
orgfig_figure_title(const orgfig_figure *f)
{
    if (f->closed)
        return "";
    if (f->suptitle)
        return f->suptitle;
    if (f->rows * f->cols == 1 && f->axes && f->axes[0].title)
        return f->axes[0].title;
    return "";
}

/* Columns may be shared between artists; count each once. */
size_t
orgfig_figure_bytes(const orgfig_figure *f)
{
    size_t total = f->meter.bytes;
    if (f->closed || f->axes == NULL)
        return total;
    size_t seen = 0;
    for (int ai = 0; ai < f->rows * f->cols; ai++) {
        const orgfig_axes *ax = &f->axes[ai];
        for (size_t i = 0; i < ax->nartists; i++) {
            const orgfig_artist *a = ax->artists[i];
            for (size_t c = 0; c < a->ncols; c++) {
                const orgfig_column *col = a->cols[c];
                bool dup = false;
                if (col == NULL)
                    continue;
                /* Quadratic, but figures hold few columns. */
                for (int bj = 0; bj <= ai && !dup; bj++) {
                    const orgfig_axes *bx = &f->axes[bj];
                    size_t lim = bj == ai ? i + 1 : bx->nartists;
                    for (size_t j = 0; j < lim && !dup; j++) {
                        const orgfig_artist *b = bx->artists[j];
                        size_t climit = (bj == ai && j == i) ? c : b->ncols;
                        for (size_t d = 0; d < climit; d++)
                            if (b->cols[d] == col)
                                dup = true;
                    }
                }
                if (!dup)
                    total += orgfig_column_bytes(col);
                seen++;
            }
        }
    }
    (void)seen;
    return total;
}

/* ---- artists ---- */

void *
orgfig_fig_alloc(orgfig_artist *a, size_t n, const char *what, orgfig_err *err)
{
    return orgfig_zalloc(&a->fig->meter, n, what, err);
}

static void
artist_destroy(orgfig_artist *a)
{
    if (a == NULL)
        return;
    if (a->cls && a->cls->free)
        a->cls->free(a);
    for (size_t i = 0; i < ORGFIG_ARTIST_MAXCOLS; i++)
        orgfig_column_unref(a->cols[i]);
    orgfig_strings_free(a->cat_labels, a->ncat);
    orgfig_free(a->label);
    orgfig_free(a->colorbar_label);
    orgfig_free(a->priv);
    orgfig_free(a);
}

orgfig_rgba
orgfig_style_cycle(const orgfig_style *st, size_t i)
{
    if (st->cycle && st->ncycle)
        return st->cycle[i % st->ncycle];
    return orgfig_cycle_color(i);
}

double
orgfig_style_lw(const orgfig_style *st)
{
    return st->line_width * ORGFIG_PT;
}

double
orgfig_artist_lw(const orgfig_artist *a, double width_pt)
{
    return width_pt >= 0 ? width_pt * ORGFIG_PT : orgfig_style_lw(&a->fig->style);
}

orgfig_rgba
orgfig_artist_rgba(const orgfig_artist *a)
{
    orgfig_rgba c =
        a->color_set ? a->color : orgfig_style_cycle(&a->fig->style, a->cycle_index);
    c.a *= a->alpha;
    return c;
}

void
orgfig_set_source(cairo_t *cr, orgfig_rgba c)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

/* ---- the figure ---- */

static void
axis_free(orgfig_axis *x)
{
    orgfig_free(x->label);
    orgfig_free(x->ticks);
    orgfig_strings_free(x->ticklabels, x->nticklabels);
    memset(x, 0, sizeof *x);
}

static void
axes_free(orgfig_axes *ax)
{
    for (size_t i = 0; i < ax->nartists; i++)
        artist_destroy(ax->artists[i]);
    orgfig_free(ax->artists);
    orgfig_free(ax->title);
    axis_free(&ax->x);
    axis_free(&ax->y);
    axis_free(&ax->y2);
    memset(ax, 0, sizeof *ax);
}

void
orgfig_figure_close(orgfig_figure *f)
{
    if (!orgfig_figure_check(f) || f->closed || f->busy)
        return;
    if (f->axes) {
        for (int i = 0; i < f->rows * f->cols; i++)
            axes_free(&f->axes[i]);
        orgfig_free(f->axes);
        f->axes = NULL;
    }
    orgfig_free(f->suptitle);
    f->suptitle = NULL;
    orgfig_free(f->style.font_family);
    f->style.font_family = NULL;
    orgfig_free(f->style.cycle);
    f->style.cycle = NULL;
    f->style.ncycle = 0;
    f->closed = true;
    open_figures--;
}

void
orgfig_figure_free(orgfig_figure *f)
{
    if (!orgfig_figure_check(f))
        return;
    /* A finalizer never runs during a render (the render holds the Lisp
     * object), but be safe: clear busy so close really frees. */
    f->busy = false;
    orgfig_figure_close(f);
    f->magic = 0;
    orgfig_free(f);
}

/* ---- properties ---- */

enum {
    S_NEW = 1,  /* accepted by orgfig-figure */
    S_SET = 2,  /* accepted by orgfig-set */
    S_AXES = 4, /* an axes property (orgfig-set, :axes N) */
};

typedef enum ptype {
    P_SIZE,  /* integer pixels */
    P_SCALE, /* number in (0, 4] */
    P_GRID,  /* integer 1..16 */
    P_BOOL,
    P_STR, /* string or nil */
    P_COLOR,
    P_FONTPT, /* number in [1, 200] */
    P_LW,     /* number in [0, 50] */
    P_CYCLE,  /* list of colors, or nil */
    P_LIM,    /* (LO HI) or nil */
    P_SCALEKIND,
    P_GRIDMODE,
    P_LEGEND,
    P_TICKS, /* sequence of numbers or nil */
    P_TICKLABELS,
    P_ASPECT,
    P_AXES_INDEX,
} ptype;

typedef enum key_id {
    K_WIDTH,
    K_HEIGHT,
    K_SCALE,
    K_ROWS,
    K_COLS,
    K_SHAREX,
    K_SHAREY,
    K_TITLE,
    K_SUPTITLE,
    K_BACKGROUND,
    K_FOREGROUND,
    K_GRID_COLOR,
    K_FONT_FAMILY,
    K_FONT_SIZE,
    K_TITLE_SIZE,
    K_LINE_WIDTH,
    K_CYCLE,
    K_AXES,
    K_XLABEL,
    K_YLABEL,
    K_XLIM,
    K_YLIM,
    K_XSCALE,
    K_YSCALE,
    K_GRID,
    K_LEGEND,
    K_XTICKS,
    K_YTICKS,
    K_XTICKLABELS,
    K_YTICKLABELS,
    K_ASPECT,
    K_XINVERT,
    K_YINVERT,
    K_TWINX,
    K_Y2LABEL,
    K_Y2LIM,
    K_Y2SCALE,
    K_AXIS,
    K_COUNT
} key_id;

static const struct {
    const char *name;
    int scope;
    ptype type;
} keydefs[K_COUNT] = {
    [K_WIDTH] = {"width", S_NEW | S_SET, P_SIZE},
    [K_HEIGHT] = {"height", S_NEW | S_SET, P_SIZE},
    [K_SCALE] = {"scale", S_NEW | S_SET, P_SCALE},
    [K_ROWS] = {"rows", S_NEW, P_GRID},
    [K_COLS] = {"cols", S_NEW, P_GRID},
    [K_SHAREX] = {"sharex", S_NEW, P_BOOL},
    [K_SHAREY] = {"sharey", S_NEW, P_BOOL},
    [K_TITLE] = {"title", S_NEW | S_SET, P_STR},
    [K_SUPTITLE] = {"suptitle", S_NEW | S_SET, P_STR},
    [K_BACKGROUND] = {"background", S_NEW | S_SET, P_COLOR},
    [K_FOREGROUND] = {"foreground", S_NEW | S_SET, P_COLOR},
    [K_GRID_COLOR] = {"grid-color", S_NEW | S_SET, P_COLOR},
    [K_FONT_FAMILY] = {"font-family", S_NEW | S_SET, P_STR},
    [K_FONT_SIZE] = {"font-size", S_NEW | S_SET, P_FONTPT},
    [K_TITLE_SIZE] = {"title-size", S_NEW | S_SET, P_FONTPT},
    [K_LINE_WIDTH] = {"line-width", S_NEW | S_SET, P_LW},
    [K_CYCLE] = {"cycle", S_NEW | S_SET, P_CYCLE},
    [K_AXES] = {"axes", S_SET, P_AXES_INDEX},
    [K_XLABEL] = {"xlabel", S_SET | S_AXES, P_STR},
    [K_YLABEL] = {"ylabel", S_SET | S_AXES, P_STR},
    [K_XLIM] = {"xlim", S_SET | S_AXES, P_LIM},
    [K_YLIM] = {"ylim", S_SET | S_AXES, P_LIM},
    [K_XSCALE] = {"xscale", S_SET | S_AXES, P_SCALEKIND},
    [K_YSCALE] = {"yscale", S_SET | S_AXES, P_SCALEKIND},
    [K_GRID] = {"grid", S_SET | S_AXES, P_GRIDMODE},
    [K_LEGEND] = {"legend", S_SET | S_AXES, P_LEGEND},
    [K_XTICKS] = {"xticks", S_SET | S_AXES, P_TICKS},
    [K_YTICKS] = {"yticks", S_SET | S_AXES, P_TICKS},
    [K_XTICKLABELS] = {"xticklabels", S_SET | S_AXES, P_TICKLABELS},
    [K_YTICKLABELS] = {"yticklabels", S_SET | S_AXES, P_TICKLABELS},
    [K_ASPECT] = {"aspect", S_SET | S_AXES, P_ASPECT},
    [K_XINVERT] = {"xinvert", S_SET | S_AXES, P_BOOL},
    [K_YINVERT] = {"yinvert", S_SET | S_AXES, P_BOOL},
    [K_TWINX] = {"twinx", S_SET | S_AXES, P_BOOL},
    [K_Y2LABEL] = {"y2label", S_SET | S_AXES, P_STR},
    [K_Y2LIM] = {"y2lim", S_SET | S_AXES, P_LIM},
    [K_Y2SCALE] = {"y2scale", S_SET | S_AXES, P_SCALEKIND},
    [K_AXIS] = {"axis", S_SET | S_AXES, P_BOOL},
};

static const char *const scale_names[] = {"linear", "log", "time", NULL};
static const char *const grid_names[] = {"nil", "t", "x", "y", NULL};
static const char *const legend_names[] = {"nil",         "t",          "best",
                                           "upper-right", "upper-left", "lower-left",
                                           "lower-right", "outside",    NULL};

/* One parsed property, waiting to be applied. */
typedef struct pending {
    key_id key;
    bool nil;
    double num, num2;
    long i;
    bool b;
    char *str;
    orgfig_rgba color;
    orgfig_rgba *colors;
    double *nums;
    char **strs;
    size_t n;
} pending;

static void
pending_free(pending *p)
{
    orgfig_free(p->str);
    orgfig_free(p->colors);
    orgfig_free(p->nums);
    orgfig_strings_free(p->strs, p->n);
    memset(p, 0, sizeof *p);
}

static key_id
find_key(const char *key)
{
    for (int k = 0; k < K_COUNT; k++)
        if (strcmp(keydefs[k].name, key) == 0)
            return (key_id)k;
    return K_COUNT;
}

static orgfig_status
unknown_key(const char *fn, const char *key, int scope, orgfig_err *err)
{
    char known[600] = "";
    for (int k = 0; k < K_COUNT; k++) {
        if (!(keydefs[k].scope & scope))
            continue;
        size_t len = strlen(known);
        snprintf(known + len, sizeof known - len, "%s:%s", len ? " " : "",
                 keydefs[k].name);
    }
    return orgfig_fail(err, ORGFIG_E_INVALID, "%s: unknown property :%.60s (known: %s)",
                       fn, key, known);
}

/* Parse property I into P (whose key is set). */
static orgfig_status
parse_prop(const char *fn, orgfig_meter *meter, const orgfig_prop *props, size_t i,
           pending *p, orgfig_err *err)
{
    const orgfig_value *v = &props[i].val;
    orgfig_loc l = orgfig_loc_prop(fn, props, i);
    p->nil = v->type == ORGFIG_V_NIL;
    switch (keydefs[p->key].type) {
    case P_SIZE:
        return orgfig_val_int(v, &l, ORGFIG_MIN_SIZE, ORGFIG_MAX_SIZE, &p->i, err);
    case P_SCALE:
        if (orgfig_val_number(v, &l, 0, ORGFIG_MAX_SCALE, &p->num, err) != ORGFIG_OK)
            return err->status;
        if (p->num <= 0)
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: :scale must be a number in (0, %g], got %g", fn,
                               ORGFIG_MAX_SCALE, p->num);
        return ORGFIG_OK;
    case P_GRID:
        return orgfig_val_int(v, &l, 1, ORGFIG_MAX_GRID, &p->i, err);
    case P_BOOL:
        return orgfig_val_bool(v, &l, &p->b, err);
    case P_STR:
        if (p->nil)
            return ORGFIG_OK;
        return orgfig_val_string(v, &l, meter, false, true, &p->str, err);
    case P_COLOR:
        return orgfig_val_color(v, &l, &p->color, err);
    case P_FONTPT:
        return orgfig_val_number(v, &l, 1, 200, &p->num, err);
    case P_LW:
        return orgfig_val_number(v, &l, 0, 50, &p->num, err);
    case P_CYCLE: {
        if (p->nil)
            return ORGFIG_OK;
        if (v->type != ORGFIG_V_LIST || v->nitems == 0)
            return orgfig_fail_type(
                err, "listp", ORGFIG_WHERE_PROP, i,
                "%s: :cycle must be a non-empty list of colors, got %s", fn,
                orgfig_value_kind(v));
        p->colors = orgfig_alloc_array(meter, v->nitems, sizeof *p->colors, false,
                                       "a color cycle", err);
        if (p->colors == NULL)
            return err->status;
        p->n = 0; /* colors has no strings to free */
        for (size_t k = 0; k < v->nitems; k++) {
            orgfig_loc lk = l;
            snprintf(lk.name, sizeof lk.name, ":cycle element %zu", k);
            if (orgfig_val_color(&v->items[k], &lk, &p->colors[k], err) != ORGFIG_OK)
                return err->status;
        }
        p->i = (long)v->nitems;
        return ORGFIG_OK;
    }
    case P_LIM:
        if (p->nil)
            return ORGFIG_OK;
        return orgfig_val_pair(v, &l, false, &p->num, &p->num2, err);
    case P_SCALEKIND: {
        int e;
        if (orgfig_val_enum(v, &l, scale_names, &e, err) != ORGFIG_OK)
            return err->status;
        p->i = e;
        return ORGFIG_OK;
    }
    case P_GRIDMODE: {
        int e;
        if (orgfig_val_enum(v, &l, grid_names, &e, err) != ORGFIG_OK)
            return err->status;
        p->i = e == 0   ? ORGFIG_GRID_NONE
               : e == 1 ? ORGFIG_GRID_BOTH
               : e == 2 ? ORGFIG_GRID_X
                        : ORGFIG_GRID_Y;
        return ORGFIG_OK;
    }
    case P_LEGEND: {
        int e;
        if (orgfig_val_enum(v, &l, legend_names, &e, err) != ORGFIG_OK)
            return err->status;
        static const orgfig_legend_loc map[] = {
            ORGFIG_LEGEND_NONE,        ORGFIG_LEGEND_BEST,       ORGFIG_LEGEND_BEST,
            ORGFIG_LEGEND_UPPER_RIGHT, ORGFIG_LEGEND_UPPER_LEFT, ORGFIG_LEGEND_LOWER_LEFT,
            ORGFIG_LEGEND_LOWER_RIGHT, ORGFIG_LEGEND_OUTSIDE};
        p->i = map[e];
        return ORGFIG_OK;
    }
    case P_TICKS: {
        if (p->nil)
            return ORGFIG_OK;
        orgfig_column *c;
        if (orgfig_val_column(v, &l, false, &c, err) != ORGFIG_OK)
            return err->status;
        p->nums = orgfig_alloc_array(meter, c->n ? c->n : 1, sizeof(double), false,
                                     "tick positions", err);
        if (p->nums == NULL)
            return err->status;
        for (size_t k = 0; k < c->n; k++) {
            p->nums[k] = orgfig_column_get(c, k);
            if (!isfinite(p->nums[k]))
                return orgfig_fail(err, ORGFIG_E_INVALID,
                                   "%s: %s must hold finite numbers (element %zu is not)",
                                   fn, l.name, k);
        }
        p->i = (long)c->n;
        return ORGFIG_OK;
    }
    case P_TICKLABELS:
        if (p->nil)
            return ORGFIG_OK;
        return orgfig_val_strings(v, &l, meter, &p->strs, &p->n, err);
    case P_ASPECT:
        if (p->nil) {
            p->num = 0;
            return ORGFIG_OK;
        }
        if (v->type == ORGFIG_V_SYM || v->type == ORGFIG_V_T || v->type == ORGFIG_V_STR) {
            static const char *const names[] = {"auto", "equal", NULL};
            int e;
            if (orgfig_val_enum(v, &l, names, &e, err) != ORGFIG_OK)
                return err->status;
            p->num = e == 0 ? 0 : 1;
            return ORGFIG_OK;
        }
        if (v->type != ORGFIG_V_NUM)
            return orgfig_fail_type(
                err, "numberp", ORGFIG_WHERE_PROP, i,
                "%s: :aspect must be nil, auto, equal or a number, got %s", fn,
                orgfig_value_kind(v));
        if (orgfig_val_number(v, &l, 1e-6, 1e6, &p->num, err) != ORGFIG_OK)
            return err->status;
        return ORGFIG_OK;
    case P_AXES_INDEX:
        return orgfig_val_int(v, &l, 0, 1L << 30, &p->i, err);
    }
    return ORGFIG_OK;
}

static void
replace_str(char **slot, pending *p)
{
    orgfig_free(*slot);
    *slot = p->str;
    p->str = NULL;
}

static void
set_lim(orgfig_axis *x, const pending *p)
{
    x->has_lim = !p->nil;
    x->lim_lo = p->num;
    x->lim_hi = p->num2;
}

/* Apply P; cannot fail.  AX is the target axes (NULL for figure keys). */
static void
apply_prop(orgfig_figure *f, orgfig_axes *ax, bool axes_given, pending *p)
{
    orgfig_style *st = &f->style;
    switch (p->key) {
    case K_WIDTH:
        f->width = (int)p->i;
        break;
    case K_HEIGHT:
        f->height = (int)p->i;
        break;
    case K_SCALE:
        f->scale = p->num;
        break;
    case K_ROWS:
        f->rows = (int)p->i;
        break;
    case K_COLS:
        f->cols = (int)p->i;
        break;
    case K_SHAREX:
        f->sharex = p->b;
        break;
    case K_SHAREY:
        f->sharey = p->b;
        break;
    case K_TITLE:
        if (f->axes == NULL)
            break; /* orgfig_figure_new applies it again once the axes exist */
        if (axes_given || (f->rows * f->cols == 1 && f->axes))
            replace_str(&ax->title, p);
        else
            replace_str(&f->suptitle, p);
        break;
    case K_SUPTITLE:
        replace_str(&f->suptitle, p);
        break;
    case K_BACKGROUND:
        st->background = p->color;
        break;
    case K_FOREGROUND:
        st->foreground = p->color;
        break;
    case K_GRID_COLOR:
        st->grid = p->color;
        break;
    case K_FONT_FAMILY:
        if (p->str) {
            replace_str(&st->font_family, p);
        }
        break;
    case K_FONT_SIZE:
        st->font_size = p->num;
        break;
    case K_TITLE_SIZE:
        st->title_size = p->num;
        break;
    case K_LINE_WIDTH:
        st->line_width = p->num;
        break;
    case K_CYCLE:
        orgfig_free(st->cycle);
        st->cycle = p->colors;
        st->ncycle = p->colors ? (size_t)p->i : 0;
        p->colors = NULL;
        break;
    case K_AXES:
        break;
    case K_XLABEL:
        replace_str(&ax->x.label, p);
        break;
    case K_YLABEL:
        replace_str(&ax->y.label, p);
        break;
    case K_Y2LABEL:
        replace_str(&ax->y2.label, p);
        break;
    case K_XLIM:
        set_lim(&ax->x, p);
        break;
    case K_YLIM:
        set_lim(&ax->y, p);
        break;
    case K_Y2LIM:
        set_lim(&ax->y2, p);
        break;
    case K_XSCALE:
        ax->x.scale = (orgfig_scale)p->i;
        break;
    case K_YSCALE:
        ax->y.scale = (orgfig_scale)p->i;
        break;
    case K_Y2SCALE:
        ax->y2.scale = (orgfig_scale)p->i;
        break;
    case K_GRID:
        ax->grid = (orgfig_grid_mode)p->i;
        break;
    case K_LEGEND:
        ax->legend = (orgfig_legend_loc)p->i;
        break;
    case K_XTICKS:
    case K_YTICKS: {
        orgfig_axis *x = p->key == K_XTICKS ? &ax->x : &ax->y;
        orgfig_free(x->ticks);
        x->ticks = p->nums;
        x->nticks = p->nums ? (size_t)p->i : 0;
        p->nums = NULL;
        break;
    }
    case K_XTICKLABELS:
    case K_YTICKLABELS: {
        orgfig_axis *x = p->key == K_XTICKLABELS ? &ax->x : &ax->y;
        orgfig_strings_free(x->ticklabels, x->nticklabels);
        x->ticklabels = p->strs;
        x->nticklabels = p->n;
        p->strs = NULL;
        p->n = 0;
        break;
    }
    case K_ASPECT:
        ax->aspect = p->num;
        break;
    case K_XINVERT:
        ax->x.invert = p->b;
        break;
    case K_YINVERT:
        ax->y.invert = p->b;
        break;
    case K_TWINX:
        ax->twinx = p->b;
        break;
    case K_AXIS:
        ax->axis_off = !p->b;
        break;
    case K_COUNT:
        break;
    }
}

/* Parse and apply PROPS with SCOPE (S_NEW or S_SET).  For S_NEW the axes
 * do not exist yet: figure keys only. */
/* Tick labels name tick positions one to one: after this call, an axis of
 * AX that has labels must have exactly as many explicit positions. */
static orgfig_status
check_ticklabels(const char *fn, const orgfig_axes *ax, const pending *ps, size_t n,
                 orgfig_err *err)
{
    for (int y = 0; y < 2; y++) {
        const orgfig_axis *x = y ? &ax->y : &ax->x;
        key_id kt = y ? K_YTICKS : K_XTICKS, kl = y ? K_YTICKLABELS : K_XTICKLABELS;
        size_t nticks = x->nticks, nlabels = x->nticklabels;
        bool touched = false;
        for (size_t i = 0; i < n; i++) {
            if (ps[i].key == kt) {
                nticks = ps[i].nums ? (size_t)ps[i].i : 0;
                touched = true;
            } else if (ps[i].key == kl) {
                nlabels = ps[i].n;
                touched = true;
            }
        }
        if (touched && nlabels > 0 && nlabels != nticks)
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: :%s has %zu labels but :%s has %zu positions", fn,
                               keydefs[kl].name, nlabels, keydefs[kt].name, nticks);
    }
    return ORGFIG_OK;
}

static orgfig_status
set_props(orgfig_figure *f, const char *fn, int scope, const orgfig_prop *props,
          size_t nprops, orgfig_err *err)
{
    orgfig_status st = ORGFIG_OK;
    if (nprops == 0)
        return ORGFIG_OK;
    pending *ps =
        orgfig_alloc_array(&f->meter, nprops, sizeof *ps, true, "properties", err);
    if (ps == NULL)
        return err->status;
    long axes_index = -1;
    for (size_t i = 0; i < nprops; i++) {
        const char *key = props[i].key ? props[i].key : "";
        key_id k = find_key(key);
        if (k == K_COUNT || !(keydefs[k].scope & scope)) {
            st = unknown_key(fn, key, scope, err);
            goto done;
        }
        ps[i].key = k;
        if ((st = parse_prop(fn, &f->meter, props, i, &ps[i], err)) != ORGFIG_OK)
            goto done;
        if (k == K_AXES)
            axes_index = ps[i].i;
    }
    if (axes_index >= (long)f->rows * f->cols) {
        st = orgfig_fail(err, ORGFIG_E_INVALID,
                         "%s: :axes must be an axes number in [0, %d], got %ld", fn,
                         f->rows * f->cols - 1, axes_index);
        goto done;
    }
    /* The pixel budget, with the new size and scale. */
    int w = f->width, h = f->height;
    double sc = f->scale;
    for (size_t i = 0; i < nprops; i++) {
        if (ps[i].key == K_WIDTH)
            w = (int)ps[i].i;
        else if (ps[i].key == K_HEIGHT)
            h = (int)ps[i].i;
        else if (ps[i].key == K_SCALE)
            sc = ps[i].num;
    }
    if ((double)w * h * sc * sc > (double)ORGFIG_MAX_PIXELS) {
        st = orgfig_fail(err, ORGFIG_E_INVALID,
                         "%s: :width x :height x :scale^2 = %.0f pixels is more than the "
                         "limit of %d (:width %d, :height %d, :scale %g)",
                         fn, (double)w * h * sc * sc, ORGFIG_MAX_PIXELS, w, h, sc);
        goto done;
    }
    orgfig_axes *ax = f->axes ? &f->axes[axes_index < 0 ? 0 : axes_index] : NULL;
    if (ax && (st = check_ticklabels(fn, ax, ps, nprops, err)) != ORGFIG_OK)
        goto done;
    for (size_t i = 0; i < nprops; i++)
        apply_prop(f, ax, axes_index >= 0, &ps[i]);
done:
    for (size_t i = 0; i < nprops; i++)
        pending_free(&ps[i]);
    orgfig_free(ps);
    return st;
}

orgfig_figure *
orgfig_figure_new(const orgfig_prop *props, size_t nprops, orgfig_err *err)
{
    const char *fn = "orgfig-figure";
    orgfig_figure *f = orgfig_zalloc(NULL, sizeof *f, "a figure", err);
    if (f == NULL)
        return NULL;
    orgfig_alloc_move(f, &f->meter);
    f->magic = ORGFIG_FIGURE_MAGIC;
    f->width = 640;
    f->height = 480;
    f->scale = 1;
    f->rows = f->cols = 1;
    orgfig_style *st = &f->style;
    st->background = (orgfig_rgba){1, 1, 1, 1};
    st->foreground = (orgfig_rgba){0.15, 0.15, 0.15, 1};
    st->grid = (orgfig_rgba){0.88, 0.88, 0.88, 1};
    st->font_size = 10;
    st->title_size = 12;
    st->line_width = 1.5;
    open_figures++;
    f->id = next_id++;
    st->font_family = orgfig_strndup(&f->meter, "DejaVu Sans", 11, err);
    if (st->font_family == NULL)
        goto fail;
    /* :title needs the grid size first; it goes to the suptitle or the
     * only axes, so apply the rest, create the axes, then the title. */
    if (set_props(f, fn, S_NEW, props, nprops, err) != ORGFIG_OK)
        goto fail;
    size_t n = (size_t)f->rows * (size_t)f->cols;
    f->axes = orgfig_alloc_array(&f->meter, n, sizeof *f->axes, true, "axes", err);
    if (f->axes == NULL)
        goto fail;
    for (size_t i = 0; i < n; i++)
        f->axes[i].index = i;
    /* Apply :title now that the axes exist (it was checked above). */
    for (size_t i = 0; i < nprops; i++) {
        if (props[i].key && strcmp(props[i].key, "title") == 0) {
            if (set_props(f, fn, S_NEW, &props[i], 1, err) != ORGFIG_OK)
                goto fail;
        }
    }
    return f;
fail:
    orgfig_figure_free(f);
    return NULL;
}

orgfig_status
orgfig_figure_set(orgfig_figure *f, const orgfig_prop *props, size_t nprops,
                  orgfig_err *err)
{
    const char *fn = "orgfig-set";
    if (orgfig_figure_usable(f, fn, err) != ORGFIG_OK)
        return err->status;
    return set_props(f, fn, S_SET, props, nprops, err);
}

/* ---- plot calls ---- */

static const char *const common_keys[] = {"axes",  "label", "color",
                                          "alpha", "yaxis", NULL};
/* Kinds that may draw a colorbar also take :colorbar-label. */
static const char *const colorbar_keys[] = {"axes",  "label",          "color", "alpha",
                                            "yaxis", "colorbar-label", NULL};

orgfig_status
orgfig_figure_plot(orgfig_figure *f, orgfig_kind kind, const orgfig_value *args,
                   size_t nargs, const orgfig_prop *props, size_t nprops, orgfig_err *err)
{
    if ((unsigned)kind >= ORGFIG_KIND_COUNT)
        return orgfig_fail(err, ORGFIG_E_INVALID, "orgfig-plot: unknown plot kind %d",
                           (int)kind);
    char fnbuf[40];
    snprintf(fnbuf, sizeof fnbuf, "orgfig-%s", kinds[kind].name);
    const orgfig_plot_class *cls = orgfig_plot_class_of(kind);
    const char *fn = cls ? cls->fn : fnbuf;
    if (orgfig_figure_usable(f, fn, err) != ORGFIG_OK)
        return err->status;
    if (cls == NULL)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s is not available in this build",
                           fn);
    if (nargs != cls->nargs)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s takes %zu data arguments, got %zu",
                           fn, cls->nargs, nargs);
    bool cbkind = kind == ORGFIG_HEATMAP || kind == ORGFIG_SCATTER;
    if (orgfig_props_check(fn, props, nprops, cbkind ? colorbar_keys : common_keys,
                           cls->props, err) != ORGFIG_OK)
        return err->status;

    /* The axes first: the artist's home. */
    long axes_index = 0;
    long ia = orgfig_prop_find(props, nprops, "axes");
    if (ia >= 0) {
        orgfig_loc l = orgfig_loc_prop(fn, props, (size_t)ia);
        if (orgfig_val_int(&props[ia].val, &l, 0, 1L << 30, &axes_index, err) !=
            ORGFIG_OK)
            return err->status;
        if (axes_index >= (long)f->rows * f->cols)
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: :axes must be an axes number in [0, %d], got %ld", fn,
                               f->rows * f->cols - 1, axes_index);
    }
    orgfig_axes *ax = &f->axes[axes_index];

    orgfig_artist *a = orgfig_zalloc(&f->meter, sizeof *a, "an artist", err);
    if (a == NULL)
        return err->status;
    a->kind = kind;
    a->cls = cls;
    a->fig = f;
    a->axes = (size_t)axes_index;
    a->alpha = 1;
    orgfig_status st = ORGFIG_OK;
    long i;
    if ((i = orgfig_prop_find(props, nprops, "label")) >= 0 &&
        props[i].val.type != ORGFIG_V_NIL) {
        orgfig_loc l = orgfig_loc_prop(fn, props, (size_t)i);
        if ((st = orgfig_val_string(&props[i].val, &l, &f->meter, true, true, &a->label,
                                    err)) != ORGFIG_OK)
            goto fail;
    }
    if ((i = orgfig_prop_find(props, nprops, "color")) >= 0 &&
        props[i].val.type != ORGFIG_V_NIL &&
        !(props[i].val.type == ORGFIG_V_COL && cls->color_values)) {
        /* A column of numbers is a kind's business (scatter's colormap). */
        orgfig_loc l = orgfig_loc_prop(fn, props, (size_t)i);
        if ((st = orgfig_val_color(&props[i].val, &l, &a->color, err)) != ORGFIG_OK)
            goto fail;
        a->color_set = true;
    }
    if ((i = orgfig_prop_find(props, nprops, "alpha")) >= 0) {
        orgfig_loc l = orgfig_loc_prop(fn, props, (size_t)i);
        if ((st = orgfig_val_number(&props[i].val, &l, 0, 1, &a->alpha, err)) !=
            ORGFIG_OK)
            goto fail;
    }
    if ((i = orgfig_prop_find(props, nprops, "yaxis")) >= 0) {
        static const char *const names[] = {"left", "right", "nil", NULL};
        orgfig_loc l = orgfig_loc_prop(fn, props, (size_t)i);
        int e;
        if ((st = orgfig_val_enum(&props[i].val, &l, names, &e, err)) != ORGFIG_OK)
            goto fail;
        a->right = e == 1;
    }
    if ((i = orgfig_prop_find(props, nprops, "colorbar-label")) >= 0 &&
        props[i].val.type != ORGFIG_V_NIL) {
        orgfig_loc l = orgfig_loc_prop(fn, props, (size_t)i);
        if ((st = orgfig_val_string(&props[i].val, &l, &f->meter, false, true,
                                    &a->colorbar_label, err)) != ORGFIG_OK)
            goto fail;
    }
    if ((st = cls->build(a, args, props, nprops, err)) != ORGFIG_OK)
        goto fail;
    a->colorbar.label = a->colorbar_label;
    /* Room in the axes' list last, so a failed call leaves no trace. */
    if (ax->nartists == ax->cap) {
        size_t cap = ax->cap ? ax->cap * 2 : 4;
        orgfig_artist **arr = orgfig_realloc_array(&f->meter, ax->artists, cap,
                                                   sizeof *arr, "the artist list", err);
        if (arr == NULL) {
            st = err->status;
            goto fail;
        }
        ax->artists = arr;
        ax->cap = cap;
    }
    if (!a->color_set && cls->uses_cycle && !a->data_colors)
        a->cycle_index = ax->cycle_next++;
    ax->artists[ax->nartists++] = a;
    return ORGFIG_OK;
fail:
    artist_destroy(a);
    return st ? st : (err ? err->status : ORGFIG_E_INVALID);
}
