/* plot_fill.c - orgfig-fill-between: the region between two curves.
 *
 * X, Y1 and Y2 are sequences of the same length; Y2 may also be a number
 * (a horizontal baseline, matplotlib's default 0 made explicit).  Each run
 * of consecutive points where X, Y1 and Y2 are all drawable (finite, and
 * positive on log axes) becomes one polygon: forward along Y1, back along
 * Y2.  A NaN therefore splits the fill, as in matplotlib.  All polygons
 * join one cairo path filled once (nonzero rule), so translucent fills do
 * not darken where runs meet.
 *
 * Color: the next cycle color at full opacity, like matplotlib's
 * fill_between (which uses the cycle color with alpha 1); :alpha makes it
 * translucent, e.g. 0.3 for a confidence band over a line. */
#include <math.h>
#include <string.h>

#include "plotutil.h"
#include "props.h"
#include "render.h"

#define FN "orgfig-fill-between"

typedef struct fill_priv {
    bool y2_const; /* Y2 is the number y2 (cols[2] is NULL) */
    double y2;
} fill_priv;

static const char *const fill_args[] = {"X", "Y1", "Y2", NULL};
static const char *const fill_props[] = {NULL};

static orgfig_status
fill_build(orgfig_artist *a, const orgfig_value *args, const orgfig_prop *props,
           size_t nprops, orgfig_err *err)
{
    (void)props;
    (void)nprops;
    orgfig_column *x, *y1, *y2 = NULL;
    orgfig_loc lx = orgfig_loc_arg(FN, "X", 0), l1 = orgfig_loc_arg(FN, "Y1", 1),
               l2 = orgfig_loc_arg(FN, "Y2", 2);
    if (orgfig_val_column(&args[0], &lx, true, &x, err) != ORGFIG_OK ||
        orgfig_val_column(&args[1], &l1, true, &y1, err) != ORGFIG_OK)
        return err->status;
    fill_priv *p = orgfig_fig_alloc(a, sizeof *p, "a fill", err);
    if (p == NULL)
        return err->status;
    a->priv = p;
    if (args[2].type == ORGFIG_V_NUM) {
        if (!isfinite(args[2].num))
            return orgfig_fail(err, ORGFIG_E_INVALID, "%s: Y2 must be finite, got %g", FN,
                               args[2].num);
        p->y2_const = true;
        p->y2 = args[2].num;
    } else {
        if (args[2].type != ORGFIG_V_COL)
            return orgfig_fail_type(
                err, "orgfig-data-p", ORGFIG_WHERE_ARG, 2,
                "%s: Y2 must be a number or a sequence of numbers, got %s", FN,
                orgfig_value_kind(&args[2]));
        if (orgfig_val_column(&args[2], &l2, true, &y2, err) != ORGFIG_OK)
            return err->status;
    }
    if (x->n != y1->n)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: X has %zu values but Y1 has %zu",
                           FN, x->n, y1->n);
    if (y2 && y2->n != x->n)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: X has %zu values but Y2 has %zu",
                           FN, x->n, y2->n);
    a->cols[0] = orgfig_column_ref(x);
    a->cols[1] = orgfig_column_ref(y1);
    a->cols[2] = y2 ? orgfig_column_ref(y2) : NULL;
    a->ncols = 3;
    return ORGFIG_OK;
}

static inline double
y2_at(const orgfig_artist *a, size_t i)
{
    const fill_priv *p = a->priv;
    return p->y2_const ? p->y2 : orgfig_column_get(a->cols[2], i);
}

static bool
fill_bounds(const orgfig_artist *a, orgfig_scale xs, orgfig_scale ys, orgfig_bounds *b)
{
    orgfig_column *x = a->cols[0], *y1 = a->cols[1];
    bool lx = xs == ORGFIG_SCALE_LOG, ly = ys == ORGFIG_SCALE_LOG;
    double x0 = INFINITY, x1 = -INFINITY, v0 = INFINITY, v1 = -INFINITY;
    for (size_t i = 0; i < x->n; i++) {
        double xv = orgfig_column_get(x, i), a1 = orgfig_column_get(y1, i),
               a2 = y2_at(a, i);
        if (!orgfig_usable(xv, lx))
            continue;
        bool u1 = orgfig_usable(a1, ly), u2 = orgfig_usable(a2, ly);
        if (!u1 && !u2)
            continue;
        x0 = fmin(x0, xv);
        x1 = fmax(x1, xv);
        if (u1) {
            v0 = fmin(v0, a1);
            v1 = fmax(v1, a1);
        }
        if (u2) {
            v0 = fmin(v0, a2);
            v1 = fmax(v1, a2);
        }
    }
    if (!(x0 <= x1) || !(v0 <= v1))
        return false;
    b->xlo = x0;
    b->xhi = x1;
    b->ylo = v0;
    b->yhi = v1;
    return true;
}

/* Add the polygon of the run [I0, I1) to the path. */
static orgfig_status
emit_run(const orgfig_artist *a, const orgfig_draw_ctx *dc, orgfig_poly *poly, size_t i0,
         size_t i1, orgfig_err *err)
{
    orgfig_column *x = a->cols[0], *y1 = a->cols[1];
    for (size_t i = i0; i < i1; i++)
        if (orgfig_poly_push(poly, orgfig_map_apply(&dc->mx, orgfig_column_get(x, i)),
                             orgfig_map_apply(&dc->my, orgfig_column_get(y1, i)),
                             err) != ORGFIG_OK)
            return err->status;
    for (size_t i = i1; i-- > i0;)
        if (orgfig_poly_push(poly, orgfig_map_apply(&dc->mx, orgfig_column_get(x, i)),
                             orgfig_map_apply(&dc->my, y2_at(a, i)), err) != ORGFIG_OK)
            return err->status;
    return orgfig_poly_emit(poly, dc->cr, orgfig_clip_rect(dc), err);
}

static orgfig_status
fill_draw(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    orgfig_column *x = a->cols[0], *y1 = a->cols[1];
    size_t n = x->n;
    orgfig_poly poly;
    orgfig_poly_init(&poly, &a->fig->meter);
    orgfig_status st = ORGFIG_OK;
    size_t start = 0;
    bool in = false;
    for (size_t i = 0; i <= n && st == ORGFIG_OK; i++) {
        bool ok = i < n && orgfig_usable(orgfig_column_get(x, i), dc->mx.log) &&
                  orgfig_usable(orgfig_column_get(y1, i), dc->my.log) &&
                  orgfig_usable(y2_at(a, i), dc->my.log);
        if (ok && !in) {
            start = i;
            in = true;
        } else if (!ok && in) {
            st = emit_run(a, dc, &poly, start, i, err);
            in = false;
        }
        if ((i & 0xffff) == 0xffff && st == ORGFIG_OK)
            st = orgfig_draw_poll(dc, 0x10000, err);
    }
    orgfig_poly_free(&poly);
    if (st != ORGFIG_OK) {
        cairo_new_path(dc->cr);
        return st;
    }
    orgfig_set_source(dc->cr, orgfig_artist_rgba(a));
    cairo_set_fill_rule(dc->cr, CAIRO_FILL_RULE_WINDING);
    cairo_fill(dc->cr);
    return ORGFIG_OK;
}

static void
fill_swatch(const orgfig_artist *a, size_t i, cairo_t *cr, orgfig_rect r)
{
    (void)i;
    orgfig_swatch_fill(cr, r, orgfig_artist_rgba(a));
}

static size_t
fill_sample(const orgfig_artist *a, double *xy, size_t max)
{
    /* Points on both curves and half way between them. */
    orgfig_column *x = a->cols[0], *y1 = a->cols[1];
    size_t n = x->n, k = 0;
    size_t per = max / 3;
    size_t stride = n > per && per > 0 ? n / per : 1;
    for (size_t i = 0; i < n && k + 3 <= max; i += stride) {
        double xv = orgfig_column_get(x, i), a1 = orgfig_column_get(y1, i),
               a2 = y2_at(a, i);
        if (!isfinite(xv) || !isfinite(a1) || !isfinite(a2))
            continue;
        double ys[3] = {a1, (a1 + a2) / 2, a2};
        for (int j = 0; j < 3; j++) {
            xy[2 * k] = xv;
            xy[2 * k + 1] = ys[j];
            k++;
        }
    }
    return k;
}

const orgfig_plot_class orgfig_plot_fill_between = {
    .kind = ORGFIG_FILL_BETWEEN,
    .fn = FN,
    .nargs = 3,
    .arg_names = fill_args,
    .props = fill_props,
    .uses_cycle = true,
    .build = fill_build,
    .bounds = fill_bounds,
    .draw = fill_draw,
    .legend_count = NULL,
    .legend_label = NULL,
    .legend_swatch = fill_swatch,
    .sample = fill_sample,
    .free = NULL,
};
