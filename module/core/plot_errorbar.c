/* plot_errorbar.c - orgfig-errorbar: points with vertical error bars.
 *
 * YERR is a sequence of N non-negative numbers (symmetric: the bar runs
 * from Y - e to Y + e), a single non-negative number for every point, or
 * a list (LOW HIGH) of two such sequences (the bar runs from Y - LOW to
 * Y + HIGH).  A negative error is invalid; a NaN error (or NaN X or Y)
 * leaves that point's bar out.
 *
 * Drawing: every bar and cap joins one path stroked once; then a marker
 * (:marker, a circle by default, `none' for bars only) at each point.
 * Unlike matplotlib, whose errorbar connects the points with a line unless
 * fmt says otherwise, points are not connected unless :line t, because
 * error bars usually show independent measurements.  :capsize is the cap
 * half-length in points (3 by default, 0 for no caps), :width the bar
 * (and line) width in points (the style's line width by default). */
#include <math.h>
#include <string.h>

#include "plotutil.h"
#include "props.h"
#include "render.h"

#define FN "orgfig-errorbar"

typedef struct eb_priv {
    double capsize; /* points */
    double width;   /* points; < 0: the style's line width */
    orgfig_marker marker;
    double msize; /* points */
    bool line;
    bool const_err; /* YERR is the number err (no error columns) */
    double err;
    bool asym; /* cols[2] low, cols[3] high; else cols[2] both */
} eb_priv;

static const char *const eb_args[] = {"X", "Y", "YERR", NULL};
static const char *const eb_props[] = {"capsize", "marker", "width", "line", NULL};

static orgfig_status
check_errors(orgfig_column *c, const char *what, size_t n, orgfig_err *err)
{
    if (c->n != n)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: X has %zu values but %s has %zu",
                           FN, n, what, c->n);
    for (size_t i = 0; i < c->n; i++) {
        double e = orgfig_column_get(c, i);
        if (e < 0 || isinf(e))
            return orgfig_fail(
                err, ORGFIG_E_INVALID,
                "%s: %s must hold non-negative finite numbers, element %zu is "
                "%g",
                FN, what, i, e);
    }
    return ORGFIG_OK;
}

static orgfig_status
eb_build(orgfig_artist *a, const orgfig_value *args, const orgfig_prop *props,
         size_t nprops, orgfig_err *err)
{
    orgfig_column *x, *y, *lo = NULL, *hi = NULL;
    orgfig_loc lx = orgfig_loc_arg(FN, "X", 0), ly = orgfig_loc_arg(FN, "Y", 1),
               le = orgfig_loc_arg(FN, "YERR", 2);
    if (orgfig_val_column(&args[0], &lx, true, &x, err) != ORGFIG_OK ||
        orgfig_val_column(&args[1], &ly, true, &y, err) != ORGFIG_OK)
        return err->status;
    if (x->n != y->n)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: X has %zu values but Y has %zu",
                           FN, x->n, y->n);
    eb_priv *p = orgfig_fig_alloc(a, sizeof *p, "an errorbar plot", err);
    if (p == NULL)
        return err->status;
    a->priv = p;
    p->capsize = 3;
    p->width = -1;
    p->marker = ORGFIG_MARKER_CIRCLE;
    p->msize = 6;
    const orgfig_value *e = &args[2];
    if (e->type == ORGFIG_V_NUM) {
        if (!isfinite(e->num) || e->num < 0)
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: YERR must be a non-negative finite number, got %g",
                               FN, e->num);
        p->const_err = true;
        p->err = e->num;
    } else if (e->type == ORGFIG_V_LIST) {
        if (e->nitems != 2 || e->items[0].type != ORGFIG_V_COL ||
            e->items[1].type != ORGFIG_V_COL)
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: YERR as a list must be (LOW HIGH), two sequences of "
                               "numbers",
                               FN);
        orgfig_loc l0 = orgfig_loc_arg(FN, "LOW of YERR", 2),
                   l1 = orgfig_loc_arg(FN, "HIGH of YERR", 2);
        if (orgfig_val_column(&e->items[0], &l0, false, &lo, err) != ORGFIG_OK ||
            orgfig_val_column(&e->items[1], &l1, false, &hi, err) != ORGFIG_OK)
            return err->status;
        if (check_errors(lo, "LOW of YERR", x->n, err) != ORGFIG_OK ||
            check_errors(hi, "HIGH of YERR", x->n, err) != ORGFIG_OK)
            return err->status;
        p->asym = true;
    } else {
        if (orgfig_val_column(e, &le, false, &lo, err) != ORGFIG_OK)
            return err->status;
        if (lo == NULL)
            return orgfig_fail_type(
                err, "orgfig-data-p", ORGFIG_WHERE_ARG, 2,
                "%s: YERR must be a number, a sequence of numbers or a "
                "list (LOW HIGH), got nil",
                FN);
        if (check_errors(lo, "YERR", x->n, err) != ORGFIG_OK)
            return err->status;
    }
    for (size_t i = 0; i < nprops; i++) {
        const char *k = props[i].key;
        const orgfig_value *v = &props[i].val;
        orgfig_loc l = orgfig_loc_prop(FN, props, i);
        orgfig_status st = ORGFIG_OK;
        if (strcmp(k, "capsize") == 0) {
            st = orgfig_val_number(v, &l, 0, 100, &p->capsize, err);
        } else if (strcmp(k, "width") == 0) {
            st = orgfig_val_number(v, &l, 0, 100, &p->width, err);
        } else if (strcmp(k, "marker") == 0) {
            static const char *const names[] = {"none",     "circle",  "square",
                                                "triangle", "diamond", "plus",
                                                "x",        "nil",     NULL};
            int m;
            st = orgfig_val_enum(v, &l, names, &m, err);
            p->marker = m == 7 ? ORGFIG_MARKER_NONE : (orgfig_marker)m;
        } else if (strcmp(k, "line") == 0) {
            st = orgfig_val_bool(v, &l, &p->line, err);
        }
        if (st != ORGFIG_OK)
            return st;
    }
    a->cols[0] = orgfig_column_ref(x);
    a->cols[1] = orgfig_column_ref(y);
    a->cols[2] = lo ? orgfig_column_ref(lo) : NULL;
    a->cols[3] = hi ? orgfig_column_ref(hi) : NULL;
    a->ncols = 4;
    return ORGFIG_OK;
}

/* The error below and above point I. */
static inline void
errs(const orgfig_artist *a, size_t i, double *dn, double *up)
{
    const eb_priv *p = a->priv;
    if (p->const_err) {
        *dn = *up = p->err;
    } else if (p->asym) {
        *dn = orgfig_column_get(a->cols[2], i);
        *up = orgfig_column_get(a->cols[3], i);
    } else {
        *dn = *up = orgfig_column_get(a->cols[2], i);
    }
}

static bool
eb_bounds(const orgfig_artist *a, orgfig_scale xs, orgfig_scale ys, orgfig_bounds *b)
{
    orgfig_column *x = a->cols[0], *y = a->cols[1];
    bool lx = xs == ORGFIG_SCALE_LOG, ly = ys == ORGFIG_SCALE_LOG;
    double x0 = INFINITY, x1 = -INFINITY, v0 = INFINITY, v1 = -INFINITY;
    for (size_t i = 0; i < x->n; i++) {
        double xv = orgfig_column_get(x, i), yv = orgfig_column_get(y, i), dn, up;
        if (!orgfig_usable(xv, lx) || !isfinite(yv))
            continue;
        errs(a, i, &dn, &up);
        double vals[3] = {yv, isfinite(dn) ? yv - dn : NAN, isfinite(up) ? yv + up : NAN};
        bool used = false;
        for (int j = 0; j < 3; j++) {
            if (!orgfig_usable(vals[j], ly))
                continue;
            v0 = fmin(v0, vals[j]);
            v1 = fmax(v1, vals[j]);
            used = true;
        }
        if (used) {
            x0 = fmin(x0, xv);
            x1 = fmax(x1, xv);
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

/* Clamp a pixel coordinate into cairo's comfortable range. */
static inline double
clampc(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static orgfig_status
eb_draw(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    const eb_priv *p = a->priv;
    orgfig_column *x = a->cols[0], *y = a->cols[1];
    cairo_t *cr = dc->cr;
    size_t n = x->n;
    double lw = orgfig_artist_lw(a, p->width), cap = p->capsize * ORGFIG_PT;
    orgfig_rect lim = orgfig_clip_rect(dc);
    double xmin = lim.x, xmax = lim.x + lim.w, ymin = lim.y, ymax = lim.y + lim.h;
    orgfig_set_source(cr, orgfig_artist_rgba(a));
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    /* The connecting line, if asked for (NaN splits it). */
    if (p->line && lw > 0) {
        bool pen = false;
        for (size_t i = 0; i < n; i++) {
            double xv = orgfig_column_get(x, i), yv = orgfig_column_get(y, i);
            if (!orgfig_usable(xv, dc->mx.log) || !orgfig_usable(yv, dc->my.log)) {
                pen = false;
                continue;
            }
            double px = clampc(orgfig_map_apply(&dc->mx, xv), -1e6, 1e6);
            double py = clampc(orgfig_map_apply(&dc->my, yv), -1e6, 1e6);
            if (pen)
                cairo_line_to(cr, px, py);
            else
                cairo_move_to(cr, px, py);
            pen = true;
        }
        cairo_set_line_width(cr, lw);
        cairo_stroke(cr);
        if (orgfig_draw_poll(dc, n, err) != ORGFIG_OK)
            return err->status;
    }
    /* Bars and caps. */
    if (lw > 0) {
        size_t batch = 0;
        cairo_set_line_width(cr, lw);
        for (size_t i = 0; i < n; i++) {
            double xv = orgfig_column_get(x, i), yv = orgfig_column_get(y, i), dn, up;
            if (!orgfig_usable(xv, dc->mx.log) || !isfinite(yv))
                continue;
            errs(a, i, &dn, &up);
            if (!isfinite(dn) || !isfinite(up))
                continue;
            double ylo = yv - dn, yhi = yv + up;
            if (dc->my.log) {
                if (!(yhi > 0))
                    continue;
                if (!(ylo > 0))
                    ylo = dc->vy0 > 0 ? fmin(dc->vy0, yhi) : yhi; /* down to the edge */
            }
            double px = orgfig_map_apply(&dc->mx, xv);
            if (px < xmin || px > xmax)
                continue;
            double p0 = orgfig_map_apply(&dc->my, ylo),
                   p1 = orgfig_map_apply(&dc->my, yhi);
            if (fmax(p0, p1) < ymin || fmin(p0, p1) > ymax)
                continue;
            double c0 = clampc(p0, ymin, ymax), c1 = clampc(p1, ymin, ymax);
            cairo_move_to(cr, px, c0);
            cairo_line_to(cr, px, c1);
            if (cap > 0) {
                if (p0 == c0) {
                    cairo_move_to(cr, px - cap, p0);
                    cairo_line_to(cr, px + cap, p0);
                }
                if (p1 == c1) {
                    cairo_move_to(cr, px - cap, p1);
                    cairo_line_to(cr, px + cap, p1);
                }
            }
            if (++batch == 8192) {
                cairo_stroke(cr);
                batch = 0;
                if (orgfig_draw_poll(dc, 8192, err) != ORGFIG_OK)
                    return err->status;
            }
        }
        cairo_stroke(cr);
    }
    /* Markers on top. */
    if (p->marker != ORGFIG_MARKER_NONE && p->msize > 0) {
        double s = p->msize * ORGFIG_PT, m = s + 2;
        bool stroked = orgfig_marker_stroked(p->marker);
        orgfig_rect bx = dc->box;
        size_t batch = 0;
        cairo_set_line_width(cr, fmax(1.0, lw * 0.8));
        for (size_t i = 0; i < n; i++) {
            double xv = orgfig_column_get(x, i), yv = orgfig_column_get(y, i);
            if (!orgfig_usable(xv, dc->mx.log) || !orgfig_usable(yv, dc->my.log))
                continue;
            double px = orgfig_map_apply(&dc->mx, xv), py = orgfig_map_apply(&dc->my, yv);
            if (px < bx.x - m || px > bx.x + bx.w + m || py < bx.y - m ||
                py > bx.y + bx.h + m)
                continue;
            orgfig_marker_path(cr, p->marker, px, py, s);
            if (++batch == 4096) {
                if (stroked)
                    cairo_stroke(cr);
                else
                    cairo_fill(cr);
                batch = 0;
                if (orgfig_draw_poll(dc, 4096, err) != ORGFIG_OK)
                    return err->status;
            }
        }
        if (stroked)
            cairo_stroke(cr);
        else
            cairo_fill(cr);
    }
    return ORGFIG_OK;
}

static void
eb_swatch(const orgfig_artist *a, size_t i, cairo_t *cr, orgfig_rect r)
{
    (void)i;
    const eb_priv *p = a->priv;
    double lw = orgfig_artist_lw(a, p->width), cx = r.x + r.w / 2, cy = r.y + r.h / 2;
    orgfig_set_source(cr, orgfig_artist_rgba(a));
    cairo_set_line_width(cr, fmax(lw, 1.0));
    if (p->line) {
        cairo_move_to(cr, r.x, cy);
        cairo_line_to(cr, r.x + r.w, cy);
    }
    cairo_move_to(cr, cx, r.y);
    cairo_line_to(cr, cx, r.y + r.h);
    double cap = fmin(p->capsize * ORGFIG_PT, r.w / 3);
    if (cap > 0) {
        cairo_move_to(cr, cx - cap, r.y);
        cairo_line_to(cr, cx + cap, r.y);
        cairo_move_to(cr, cx - cap, r.y + r.h);
        cairo_line_to(cr, cx + cap, r.y + r.h);
    }
    cairo_stroke(cr);
    if (p->marker != ORGFIG_MARKER_NONE) {
        orgfig_marker_path(cr, p->marker, cx, cy, fmin(p->msize * ORGFIG_PT, r.h));
        if (orgfig_marker_stroked(p->marker))
            cairo_stroke(cr);
        else
            cairo_fill(cr);
    }
}

static size_t
eb_sample(const orgfig_artist *a, double *xy, size_t max)
{
    orgfig_column *x = a->cols[0], *y = a->cols[1];
    size_t n = x->n, k = 0, per = max / 3;
    size_t stride = n > per && per > 0 ? n / per : 1;
    for (size_t i = 0; i < n && k + 3 <= max; i += stride) {
        double xv = orgfig_column_get(x, i), yv = orgfig_column_get(y, i), dn, up;
        if (!isfinite(xv) || !isfinite(yv))
            continue;
        errs(a, i, &dn, &up);
        double ys[3] = {yv, isfinite(dn) ? yv - dn : yv, isfinite(up) ? yv + up : yv};
        for (int j = 0; j < 3; j++) {
            xy[2 * k] = xv;
            xy[2 * k + 1] = ys[j];
            k++;
        }
    }
    return k;
}

const orgfig_plot_class orgfig_plot_errorbar = {
    .kind = ORGFIG_ERRORBAR,
    .fn = FN,
    .nargs = 3,
    .arg_names = eb_args,
    .props = eb_props,
    .uses_cycle = true,
    .build = eb_build,
    .bounds = eb_bounds,
    .draw = eb_draw,
    .legend_count = NULL,
    .legend_label = NULL,
    .legend_swatch = eb_swatch,
    .sample = eb_sample,
    .free = NULL,
};
