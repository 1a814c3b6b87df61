/* plot_hist.c - orgfig-hist.
 *
 * The bins are computed once, when the call is made (the data never
 * changes), so the figure keeps only the counts, not the data.  :bins auto
 * uses the Freedman-Diaconis width 2 IQR / n^(1/3) and falls back to
 * Sturges (log2 n + 1) when the IQR is 0; the count is clamped to
 * [1, 1000].  The quartiles come from a selection on a copy of the finite
 * values (expected linear time); counting is a single pass.  NaN and
 * infinite values are ignored; with :range, values outside it too. */
#include <math.h>
#include <string.h>

#include "plotutil.h"
#include "props.h"
#include "render.h"

typedef struct hist_priv {
    size_t nbins;
    double lo, hi;   /* edges of the first and last bin */
    double *heights; /* nbins, after density/cumulative */
    bool step;
} hist_priv;

static const char *const hist_args[] = {"DATA", NULL};
static const char *const hist_props[] = {"bins",       "range",    "density",
                                         "cumulative", "histtype", NULL};

/* The K-th smallest of V[0..N) (V is reordered). */
static double
select_k(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return v[k];
    }
    return v[k];
}

static double
quantile(double *v, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t k = (size_t)floor(pos);
    double a = select_k(v, n, k);
    if (k + 1 >= n)
        return a;
    /* The next order statistic is the minimum of the upper part. */
    double b = INFINITY;
    for (size_t i = k + 1; i < n; i++)
        b = fmin(b, v[i]);
    return a + (b - a) * (pos - (double)k);
}

orgfig_status
orgfig_hist_parse(const char *fn, const orgfig_prop *props, size_t nprops,
                  orgfig_hist_opts *o, orgfig_err *err)
{
    *o = (orgfig_hist_opts){0};
    for (size_t i = 0; i < nprops; i++) {
        const char *k = props[i].key;
        const orgfig_value *v = &props[i].val;
        orgfig_loc l = orgfig_loc_prop(fn, props, i);
        orgfig_status st = ORGFIG_OK;
        if (strcmp(k, "bins") == 0) {
            if (v->type == ORGFIG_V_SYM || v->type == ORGFIG_V_NIL) {
                static const char *const names[] = {"auto", "nil", NULL};
                int e;
                st = orgfig_val_enum(v, &l, names, &e, err);
                o->bins = 0;
            } else {
                st = orgfig_val_int(v, &l, 1, 1000, &o->bins, err);
            }
        } else if (strcmp(k, "range") == 0) {
            o->has_range = v->type != ORGFIG_V_NIL;
            if (o->has_range)
                st = orgfig_val_pair(v, &l, true, &o->lo, &o->hi, err);
        } else if (strcmp(k, "density") == 0) {
            st = orgfig_val_bool(v, &l, &o->density, err);
        } else if (strcmp(k, "cumulative") == 0) {
            st = orgfig_val_bool(v, &l, &o->cumulative, err);
        } else if (strcmp(k, "histtype") == 0) {
            static const char *const names[] = {"bar", "step", NULL};
            int histtype = 0;
            st = orgfig_val_enum(v, &l, names, &histtype, err);
            o->step = histtype == 1;
        }
        if (st != ORGFIG_OK)
            return st;
    }
    return ORGFIG_OK;
}

void
orgfig_hist_normalize(double *counts, size_t nbins, size_t n, double width,
                      const orgfig_hist_opts *o)
{
    if (o->cumulative)
        for (size_t b = 1; b < nbins; b++)
            counts[b] += counts[b - 1];
    if (o->density)
        for (size_t b = 0; b < nbins; b++)
            counts[b] /= o->cumulative ? (double)n : (double)n * width;
}

static orgfig_status
hist_build(orgfig_artist *a, const orgfig_value *args, const orgfig_prop *props,
           size_t nprops, orgfig_err *err)
{
    const char *fn = "orgfig-hist";
    orgfig_column *d;
    orgfig_loc ld = orgfig_loc_arg(fn, "DATA", 0);
    if (orgfig_val_column(&args[0], &ld, true, &d, err) != ORGFIG_OK)
        return err->status;
    orgfig_hist_opts o;
    if (orgfig_hist_parse(fn, props, nprops, &o, err) != ORGFIG_OK)
        return err->status;
    long bins = o.bins;
    orgfig_column_summary(d);
    double lo = o.has_range ? o.lo : d->min, hi = o.has_range ? o.hi : d->max;
    /* The values that count. */
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) {
        double v = orgfig_column_get(d, i);
        n += isfinite(v) && v >= lo && v <= hi;
    }
    if (n == 0)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: DATA has no finite values in :range (%g %g)", fn, lo, hi);
    if (hi == lo) {
        lo -= 0.5;
        hi += 0.5;
    }
    if (bins == 0) {
        double *tmp = orgfig_alloc_array(&a->fig->meter, n, sizeof(double), false,
                                         "histogram quartiles", err);
        if (tmp == NULL)
            return err->status;
        size_t k = 0;
        for (size_t i = 0; i < d->n; i++) {
            double v = orgfig_column_get(d, i);
            if (isfinite(v) && v >= lo && v <= hi)
                tmp[k++] = v;
        }
        double q1 = quantile(tmp, n, 0.25), q3 = quantile(tmp, n, 0.75);
        orgfig_free(tmp);
        double iqr = q3 - q1;
        double nb;
        if (iqr > 0) {
            double w = 2 * iqr / cbrt((double)n);
            nb = ceil((hi - lo) / w);
        } else {
            nb = ceil(log2((double)n) + 1);
        }
        bins = (long)fmax(1, fmin(1000, nb));
    }
    hist_priv *p = orgfig_fig_alloc(a, sizeof *p, "a histogram", err);
    if (p == NULL)
        return err->status;
    a->priv = p;
    p->heights = orgfig_alloc_array(&a->fig->meter, (size_t)bins, sizeof(double), true,
                                    "histogram counts", err);
    if (p->heights == NULL)
        return err->status;
    p->nbins = (size_t)bins;
    p->lo = lo;
    p->hi = hi;
    p->step = o.step;
    double scale = (double)bins / (hi - lo);
    for (size_t i = 0; i < d->n; i++) {
        double v = orgfig_column_get(d, i);
        if (!(isfinite(v) && v >= lo && v <= hi))
            continue;
        /* With a range of denormals SCALE is infinite: the index is
         * clamped before it becomes an integer. */
        long b = orgfig_bin_index((v - lo) * scale, bins);
        p->heights[b] += 1;
    }
    orgfig_hist_normalize(p->heights, p->nbins, n, (hi - lo) / (double)bins, &o);
    return ORGFIG_OK;
}

void
orgfig_hist_adopt(orgfig_artist *a, double *heights, size_t nbins, double lo, double hi,
                  bool step)
{
    hist_priv *p = a->priv;
    orgfig_free(p->heights);
    p->heights = heights;
    p->nbins = nbins;
    p->lo = lo;
    p->hi = hi;
    p->step = step;
    /* The counts no longer come from the data column. */
    for (size_t i = 0; i < a->ncols; i++) {
        orgfig_column_unref(a->cols[i]);
        a->cols[i] = NULL;
    }
    a->ncols = 0;
}

static void
hist_free(orgfig_artist *a)
{
    hist_priv *p = a->priv;
    if (p)
        orgfig_free(p->heights);
}

static bool
hist_bounds(const orgfig_artist *a, orgfig_scale xs, orgfig_scale ys, orgfig_bounds *b)
{
    const hist_priv *p = a->priv;
    b->xlo = p->lo;
    b->xhi = p->hi;
    if (xs == ORGFIG_SCALE_LOG && p->lo <= 0) {
        b->xlo = p->lo + (p->hi - p->lo) / (double)p->nbins;
        if (!(b->xlo > 0))
            return false;
    }
    double top = 0, minpos = INFINITY;
    for (size_t i = 0; i < p->nbins; i++) {
        top = fmax(top, p->heights[i]);
        if (p->heights[i] > 0)
            minpos = fmin(minpos, p->heights[i]);
    }
    if (ys == ORGFIG_SCALE_LOG) {
        if (!isfinite(minpos))
            return false;
        b->ylo = minpos;
    } else {
        b->ylo = 0;
    }
    b->yhi = top;
    b->sticky_y0 = true;
    return true;
}

static orgfig_status
hist_draw(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    const hist_priv *p = a->priv;
    cairo_t *cr = dc->cr;
    double w = (p->hi - p->lo) / (double)p->nbins;
    double big = 1e6;
    double base = dc->my.log ? dc->vy0 / 1e3 : 0;
    double y0 = fmax(-big, fmin(big, orgfig_map_apply(&dc->my, base)));
    bool first = true;
    for (size_t i = 0; i < p->nbins; i++) {
        double x0 = p->lo + w * (double)i, x1 = x0 + w;
        double h = p->heights[i];
        if (dc->mx.log && x0 <= 0)
            continue;
        double px0 = orgfig_map_apply(&dc->mx, x0), px1 = orgfig_map_apply(&dc->mx, x1);
        double py = dc->my.log && h <= 0 ? y0 : orgfig_map_apply(&dc->my, h);
        py = fmax(-big, fmin(big, py));
        if (p->step) {
            if (first)
                cairo_move_to(cr, px0, y0);
            cairo_line_to(cr, px0, py);
            cairo_line_to(cr, px1, py);
            if (i + 1 == p->nbins)
                cairo_line_to(cr, px1, y0);
            first = false;
        } else if (h > 0) {
            double base0 = y0;
            orgfig_snap_span(dc, &px0, &px1);
            orgfig_snap_span(dc, &base0, &py);
            cairo_rectangle(cr, fmin(px0, px1), fmin(py, base0), fabs(px1 - px0),
                            fabs(base0 - py));
        }
    }
    orgfig_set_source(cr, orgfig_artist_rgba(a));
    if (p->step) {
        cairo_set_line_width(cr, orgfig_style_lw(&a->fig->style));
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
    return orgfig_draw_poll(dc, p->nbins, err);
}

static void
hist_swatch(const orgfig_artist *a, size_t i, cairo_t *cr, orgfig_rect r)
{
    (void)i;
    const hist_priv *p = a->priv;
    orgfig_set_source(cr, orgfig_artist_rgba(a));
    cairo_rectangle(cr, r.x + r.w * 0.2, r.y, r.w * 0.6, r.h);
    if (p->step) {
        cairo_set_line_width(cr, orgfig_style_lw(&a->fig->style));
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
}

/* Each bin as vertical strokes (three points at the same x) from 0 to its
 * height: three across the bin when there is room, else one. */
static size_t
hist_sample(const orgfig_artist *a, double *xy, size_t max)
{
    const hist_priv *p = a->priv;
    size_t k = 0;
    double w = (p->hi - p->lo) / (double)p->nbins;
    int per = p->nbins * 9 <= max ? 3 : 1;
    for (size_t i = 0; i < p->nbins && k + 3 * (size_t)per <= max; i++) {
        for (int c = 0; c < per; c++) {
            double x = p->lo + w * ((double)i + (per == 1 ? 0.5 : 0.2 + 0.3 * c));
            for (int s = 0; s <= 2; s++) {
                xy[2 * k] = x;
                xy[2 * k + 1] = p->heights[i] * s / 2.0;
                k++;
            }
        }
    }
    return k;
}

const orgfig_plot_class orgfig_plot_hist = {
    .kind = ORGFIG_HIST,
    .fn = "orgfig-hist",
    .nargs = 1,
    .arg_names = hist_args,
    .props = hist_props,
    .uses_cycle = true,
    .build = hist_build,
    .bounds = hist_bounds,
    .draw = hist_draw,
    .legend_swatch = hist_swatch,
    .sample = hist_sample,
    .free = hist_free,
};
