/* plot_bar.c - orgfig-bar: bars at categorical positions 0..n-1, or at
 * numeric positions.
 *
 * LABELS of strings make a categorical axis: bar J sits at J and the axis
 * is ticked with the strings.  LABELS of numbers (a numeric sequence) are
 * the bars' centres on an ordinary numeric axis, so bars share x with
 * lines and other artists (as matplotlib's bar(x, height)); the slot of a
 * bar is then the smallest gap between distinct positions (1 for a single
 * bar), and :bar-width is a fraction of that.  Bars at NaN positions are
 * not drawn.
 *
 * Several bar calls on one axes combine at render time, by looking at the
 * axes' other bar artists: calls with :group t share each slot side by
 * side (in call order); a call with :stack t sits on the previous bar
 * series with the same labels, positive values upward and negative values
 * downward.  Nothing is stored about other artists, so the combination is
 * always consistent with the axes as it is. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plotutil.h"
#include "props.h"
#include "render.h"

typedef struct bar_priv {
    bool horizontal, group, stack;
    bool numeric; /* positions in a->cols[1] (LABELS were numbers) */
    double slot;  /* numeric: the smallest gap between positions; else 1 */
    size_t n;     /* bars */
    double width; /* fraction of the slot */
    bool edge;
    orgfig_rgba edgecolor;
} bar_priv;

static const char *const bar_args[] = {"LABELS", "VALUES", NULL};
static const char *const bar_props[] = {"horizontal", "group",     "stack",
                                        "bar-width",  "edgecolor", NULL};

static int
cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The smallest positive distance between two finite values of C, or 1
 * when there is none (a single position).  Unsorted positions are copied
 * and sorted once, at build time. */
static orgfig_status
min_gap(orgfig_artist *a, orgfig_column *c, double *out, orgfig_err *err)
{
    double best = INFINITY;
    if (c->sorted) {
        for (size_t i = 1; i < c->n; i++) {
            double d = orgfig_column_get(c, i) - orgfig_column_get(c, i - 1);
            if (d > 0 && d < best)
                best = d;
        }
    } else {
        double *v = orgfig_alloc_array(&a->fig->meter, c->n, sizeof(double), false,
                                       "bar positions", err);
        if (v == NULL)
            return err->status;
        size_t k = 0;
        for (size_t i = 0; i < c->n; i++) {
            double x = orgfig_column_get(c, i);
            if (isfinite(x))
                v[k++] = x;
        }
        qsort(v, k, sizeof *v, cmp_double);
        for (size_t i = 1; i < k; i++) {
            double d = v[i] - v[i - 1];
            if (d > 0 && d < best)
                best = d;
        }
        orgfig_free(v);
    }
    *out = isfinite(best) ? best : 1;
    return ORGFIG_OK;
}

static orgfig_status
bar_build(orgfig_artist *a, const orgfig_value *args, const orgfig_prop *props,
          size_t nprops, orgfig_err *err)
{
    const char *fn = "orgfig-bar";
    orgfig_column *vals;
    orgfig_loc ll = orgfig_loc_arg(fn, "LABELS", 0), lv = orgfig_loc_arg(fn, "VALUES", 1);
    if (orgfig_val_column(&args[1], &lv, true, &vals, err) != ORGFIG_OK)
        return err->status;
    if (args[0].type != ORGFIG_V_LIST && args[0].type != ORGFIG_V_COL)
        return orgfig_fail_type(
            err, "orgfig-data-p", ORGFIG_WHERE_ARG, 0,
            "%s: LABELS must be a sequence of strings or numbers, got %s", fn,
            orgfig_value_kind(&args[0]));
    bar_priv *p = orgfig_fig_alloc(a, sizeof *p, "a bar series", err);
    if (p == NULL)
        return err->status;
    a->priv = p;
    p->width = 0.8;
    for (size_t i = 0; i < nprops; i++) {
        const char *k = props[i].key;
        const orgfig_value *v = &props[i].val;
        orgfig_loc l = orgfig_loc_prop(fn, props, i);
        orgfig_status st = ORGFIG_OK;
        if (strcmp(k, "horizontal") == 0)
            st = orgfig_val_bool(v, &l, &p->horizontal, err);
        else if (strcmp(k, "group") == 0)
            st = orgfig_val_bool(v, &l, &p->group, err);
        else if (strcmp(k, "stack") == 0)
            st = orgfig_val_bool(v, &l, &p->stack, err);
        else if (strcmp(k, "bar-width") == 0) {
            st = orgfig_val_number(v, &l, 0, 1, &p->width, err);
            if (st == ORGFIG_OK && p->width <= 0)
                st = orgfig_fail(err, ORGFIG_E_INVALID,
                                 "%s: :bar-width must be a fraction in (0, 1], got %g",
                                 fn, p->width);
        } else if (strcmp(k, "edgecolor") == 0 && v->type != ORGFIG_V_NIL) {
            st = orgfig_val_color(v, &l, &p->edgecolor, err);
            p->edge = true;
        }
        if (st != ORGFIG_OK)
            return st;
    }
    p->slot = 1;
    if (args[0].type == ORGFIG_V_COL && args[0].col->n > 0) {
        /* Numbers: positions on a numeric axis. */
        orgfig_column *pos = args[0].col;
        p->numeric = true;
        p->n = pos->n;
        if (p->n != vals->n)
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: LABELS has %zu values but VALUES has %zu", fn, p->n,
                               vals->n);
        orgfig_column_summary(pos);
        if (pos->nfinite == 0)
            return orgfig_fail(err, ORGFIG_E_INVALID, "%s: LABELS has no finite position",
                               fn);
        if (min_gap(a, pos, &p->slot, err) != ORGFIG_OK)
            return err->status;
        a->cols[0] = orgfig_column_ref(vals);
        a->cols[1] = orgfig_column_ref(pos);
        a->ncols = 2;
        return ORGFIG_OK;
    }
    if (orgfig_val_strings(&args[0], &ll, &a->fig->meter, &a->cat_labels, &a->ncat,
                           err) != ORGFIG_OK)
        return err->status;
    if (a->ncat == 0)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: LABELS is empty", fn);
    if (a->ncat != vals->n)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: LABELS has %zu values but VALUES has %zu", fn, a->ncat,
                           vals->n);
    p->n = a->ncat;
    a->cat_axis = p->horizontal ? ORGFIG_CAT_Y : ORGFIG_CAT_X;
    a->cols[0] = orgfig_column_ref(vals);
    a->ncols = 1;
    return ORGFIG_OK;
}

/* The centre of bar J on the category (or position) axis. */
static double
bar_pos(const orgfig_artist *a, size_t j)
{
    const bar_priv *p = a->priv;
    return p->numeric ? orgfig_column_get(a->cols[1], j) : (double)j;
}

static bool
same_labels(const orgfig_artist *a, const orgfig_artist *b)
{
    const bar_priv *p = a->priv, *q = b->priv;
    if (p->numeric != q->numeric || p->n != q->n)
        return false;
    if (p->numeric) {
        for (size_t i = 0; i < p->n; i++) {
            double u = bar_pos(a, i), v = bar_pos(b, i);
            if (!(u == v || (isnan(u) && isnan(v))))
                return false;
        }
        return true;
    }
    if (a->ncat != b->ncat)
        return false;
    for (size_t i = 0; i < a->ncat; i++)
        if (strcmp(a->cat_labels[i], b->cat_labels[i]) != 0)
            return false;
    return true;
}

/* Where bar series A sits: its group slot (index K of N) and, for a
 * stacked series, the chain of series below it. */
typedef struct bar_place {
    size_t k, n;
    const orgfig_artist *below[64];
    size_t nbelow;
} bar_place;

static void
place(const orgfig_artist *a, bar_place *pl)
{
    const bar_priv *p = a->priv;
    const orgfig_axes *ax = &a->fig->axes[a->axes];
    pl->k = 0;
    pl->n = 1;
    pl->nbelow = 0;
    size_t idx = 0;
    while (idx < ax->nartists && ax->artists[idx] != a)
        idx++;
    if (p->group) {
        size_t n = 0;
        for (size_t i = 0; i < ax->nartists; i++) {
            const orgfig_artist *b = ax->artists[i];
            if (b->kind != ORGFIG_BAR || !((const bar_priv *)b->priv)->group)
                continue;
            if (((const bar_priv *)b->priv)->horizontal != p->horizontal)
                continue;
            if (i < idx)
                pl->k++;
            n++;
        }
        pl->n = n ? n : 1;
    }
    if (p->stack) {
        /* Walk back through the chain of same-labelled series. */
        for (size_t i = idx; i-- > 0 && pl->nbelow < 64;) {
            const orgfig_artist *b = ax->artists[i];
            if (b->kind != ORGFIG_BAR || !same_labels(a, b))
                continue;
            const bar_priv *bp = b->priv;
            if (bp->horizontal != p->horizontal)
                continue;
            pl->below[pl->nbelow++] = b;
            if (!bp->stack)
                break;
        }
    }
}

/* The base and top of bar J. */
static void
bar_span(const orgfig_artist *a, const bar_place *pl, size_t j, double *base, double *top)
{
    double v = orgfig_column_get(a->cols[0], j);
    double b = 0;
    if (isfinite(v)) {
        for (size_t i = 0; i < pl->nbelow; i++) {
            double w = orgfig_column_get(pl->below[i]->cols[0], j);
            if (isfinite(w) && (w >= 0) == (v >= 0))
                b += w;
        }
    }
    *base = b;
    *top = b + v;
}

/* The category-axis interval of bar J. */
static void
bar_slot(const orgfig_artist *a, const bar_place *pl, size_t j, double *lo, double *hi)
{
    const bar_priv *p = a->priv;
    double full = p->width * p->slot, w = full / (double)pl->n;
    double start = bar_pos(a, j) - full / 2 + w * (double)pl->k;
    *lo = start;
    *hi = start + w;
}

static bool
bar_bounds(const orgfig_artist *a, orgfig_scale xs, orgfig_scale ys, orgfig_bounds *b)
{
    const bar_priv *p = a->priv;
    bar_place pl;
    place(a, &pl);
    double clo = INFINITY, chi = -INFINITY, vlo = 0, vhi = 0;
    bool any = false;
    orgfig_scale vs = p->horizontal ? xs : ys;
    for (size_t j = 0; j < p->n; j++) {
        double base, top, lo, hi;
        bar_span(a, &pl, j, &base, &top);
        if (!isfinite(top) || !isfinite(bar_pos(a, j)))
            continue;
        bar_slot(a, &pl, j, &lo, &hi);
        if ((p->horizontal ? ys : xs) == ORGFIG_SCALE_LOG && !(lo > 0))
            continue; /* numeric positions on a log axis: only positive slots */
        clo = fmin(clo, lo);
        chi = fmax(chi, hi);
        if (vs == ORGFIG_SCALE_LOG) {
            if (top <= 0)
                continue;
            if (!any) {
                vlo = vhi = top;
            }
            vlo = fmin(vlo, top);
            vhi = fmax(vhi, top);
        } else {
            vlo = fmin(vlo, fmin(base, top));
            vhi = fmax(vhi, fmax(base, top));
        }
        any = true;
    }
    if (!any) {
        b->xlo = b->xhi = b->ylo = b->yhi = NAN;
        return false;
    }
    if (p->horizontal) {
        b->ylo = clo;
        b->yhi = chi;
        b->xlo = vlo;
        b->xhi = vhi;
        b->sticky_x0 = true;
    } else {
        b->xlo = clo;
        b->xhi = chi;
        b->ylo = vlo;
        b->yhi = vhi;
        b->sticky_y0 = true;
    }
    return true;
}

static orgfig_status
bar_draw(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    const bar_priv *p = a->priv;
    cairo_t *cr = dc->cr;
    bar_place pl;
    place(a, &pl);
    const orgfig_map *cm = p->horizontal ? &dc->my : &dc->mx;
    const orgfig_map *vm = p->horizontal ? &dc->mx : &dc->my;
    for (size_t j = 0; j < p->n; j++) {
        double base, top, lo, hi;
        bar_span(a, &pl, j, &base, &top);
        if (!isfinite(top) || !isfinite(bar_pos(a, j)))
            continue;
        if (vm->log) {
            if (top <= 0)
                continue;
            /* On a log axis a bar from 0 starts below the view. */
            double v0 = p->horizontal ? dc->vx0 : dc->vy0;
            base = base > 0 ? base : v0 / 1e3;
        }
        bar_slot(a, &pl, j, &lo, &hi);
        if (cm->log && !(lo > 0))
            continue;
        double c0 = orgfig_map_apply(cm, lo), c1 = orgfig_map_apply(cm, hi);
        double v0 = orgfig_map_apply(vm, base), v1 = orgfig_map_apply(vm, top);
        double big = 1e6;
        v0 = fmax(-big, fmin(big, v0));
        v1 = fmax(-big, fmin(big, v1));
        orgfig_snap_span(dc, &c0, &c1);
        orgfig_snap_span(dc, &v0, &v1);
        if (p->horizontal)
            cairo_rectangle(cr, fmin(v0, v1), fmin(c0, c1), fabs(v1 - v0), fabs(c1 - c0));
        else
            cairo_rectangle(cr, fmin(c0, c1), fmin(v0, v1), fabs(c1 - c0), fabs(v1 - v0));
    }
    orgfig_set_source(cr, orgfig_artist_rgba(a));
    if (p->edge) {
        cairo_fill_preserve(cr);
        orgfig_set_source(cr, p->edgecolor);
        cairo_set_line_width(cr, 0.8 * ORGFIG_PT);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
    return orgfig_draw_poll(dc, p->n, err);
}

static void
bar_swatch(const orgfig_artist *a, size_t i, cairo_t *cr, orgfig_rect r)
{
    (void)i;
    const bar_priv *p = a->priv;
    cairo_rectangle(cr, r.x + r.w * 0.2, r.y, r.w * 0.6, r.h);
    orgfig_set_source(cr, orgfig_artist_rgba(a));
    if (p->edge) {
        cairo_fill_preserve(cr);
        orgfig_set_source(cr, p->edgecolor);
        cairo_set_line_width(cr, 0.8 * ORGFIG_PT);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
}

/* Each bar as five vertical (horizontal bars: horizontal) strokes across
 * its width, three points each: layout's legend placement joins
 * consecutive samples at the same x into strokes. */
static size_t
bar_sample(const orgfig_artist *a, double *xy, size_t max)
{
    const bar_priv *p = a->priv;
    bar_place pl;
    place(a, &pl);
    size_t k = 0;
    for (size_t j = 0; j < p->n && k + 15 <= max; j++) {
        double base, top, lo, hi;
        bar_span(a, &pl, j, &base, &top);
        if (!isfinite(top) || !isfinite(bar_pos(a, j)))
            continue;
        bar_slot(a, &pl, j, &lo, &hi);
        for (int c = 0; c < 5; c++) {
            double cpos = lo + (hi - lo) * (0.1 + 0.2 * c);
            for (int s = 0; s <= 2; s++) {
                double v = base + (top - base) * s / 2.0;
                xy[2 * k] = p->horizontal ? v : cpos;
                xy[2 * k + 1] = p->horizontal ? cpos : v;
                k++;
            }
        }
    }
    return k;
}

const orgfig_plot_class orgfig_plot_bar = {
    .kind = ORGFIG_BAR,
    .fn = "orgfig-bar",
    .nargs = 2,
    .arg_names = bar_args,
    .props = bar_props,
    .uses_cycle = true,
    .build = bar_build,
    .bounds = bar_bounds,
    .draw = bar_draw,
    .legend_swatch = bar_swatch,
    .sample = bar_sample,
};
