/* plot_area.c - orgfig-area: stacked areas (matplotlib's stackplot).
 *
 * YS is a list of K sequences, each as long as X.  Layer k fills the
 * region between the cumulative sums S(k-1) and S(k), with S(-1) = 0:
 * the layers are stacked in order from the baseline up.  Negative values
 * are allowed and simply make a layer run downward (its band is then
 * between S(k) and S(k-1) the other way round), exactly as stackplot
 * does.  A NaN in X, or in series k at some point, makes S(k) and every
 * later cumulative sum NaN there, so the layers from k up have a gap at
 * that point and the layers below are unaffected.
 *
 * The cumulative sums are computed once at build time into one counted
 * block of K * N doubles (YS may hold more series than an artist can
 * reference); X is kept as a column reference.
 *
 * Colors: :colors (one per series, reused cyclically when shorter), else
 * :color for every layer, else consecutive colors of the axes' cycle,
 * taken at build time so that a later plot continues after the last
 * layer (the artist reserves K cycle entries).  :labels name the layers in
 * the legend; without them a :label names the whole stack once. */
#include <math.h>
#include <string.h>

#include "plotutil.h"
#include "props.h"
#include "render.h"

#define FN "orgfig-area"

typedef struct area_priv {
    size_t k, n;
    double *cum;         /* k * n cumulative sums, series-major */
    orgfig_rgba *colors; /* owned or NULL */
    size_t ncolors;
    size_t cycle0; /* first reserved cycle color */
    char **labels; /* owned or NULL */
    size_t nlabels;
} area_priv;

static const char *const area_args[] = {"X", "YS", NULL};
static const char *const area_props[] = {"labels", "colors", NULL};

static orgfig_status
area_build(orgfig_artist *a, const orgfig_value *args, const orgfig_prop *props,
           size_t nprops, orgfig_err *err)
{
    orgfig_column *x;
    orgfig_loc lx = orgfig_loc_arg(FN, "X", 0);
    if (orgfig_val_column(&args[0], &lx, true, &x, err) != ORGFIG_OK)
        return err->status;
    const orgfig_value *ys = &args[1];
    const orgfig_value *series;
    size_t k;
    if (ys->type == ORGFIG_V_COL && ys->col) {
        /* One sequence of numbers: a single layer. */
        series = ys;
        k = 1;
    } else if (ys->type == ORGFIG_V_LIST) {
        series = ys->items;
        k = ys->nitems;
    } else {
        return orgfig_fail_type(err, "listp", ORGFIG_WHERE_ARG, 1,
                                "%s: YS must be a list of sequences of numbers, got %s",
                                FN, orgfig_value_kind(ys));
    }
    if (k == 0)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: YS is empty", FN);
    size_t n = x->n;
    for (size_t s = 0; s < k; s++) {
        if (series[s].type != ORGFIG_V_COL || series[s].col == NULL)
            return orgfig_fail_type(
                err, "orgfig-data-p", ORGFIG_WHERE_ARG, 1,
                "%s: element %zu of YS must be a sequence of numbers, "
                "got %s",
                FN, s, orgfig_value_kind(&series[s]));
        if (series[s].col->n != n)
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: X has %zu values but element %zu of YS has %zu", FN,
                               n, s, series[s].col->n);
    }
    area_priv *p = orgfig_fig_alloc(a, sizeof *p, "an area plot", err);
    if (p == NULL)
        return err->status;
    a->priv = p;
    size_t cells;
    if (!orgfig_size_mul(k, n, &cells))
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: YS is too large", FN);
    p->cum = orgfig_alloc_array(&a->fig->meter, cells ? cells : 1, sizeof(double), false,
                                "stacked sums", err);
    if (p->cum == NULL)
        return err->status;
    p->k = k;
    p->n = n;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        double xv = orgfig_column_get(x, i);
        double acc = isfinite(xv) ? 0 : NAN;
        for (size_t s = 0; s < k; s++) {
            double v = orgfig_column_get(series[s].col, i);
            acc = isfinite(v) ? acc + v : NAN;
            p->cum[s * n + i] = acc;
        }
        any = any || isfinite(p->cum[i]);
    }
    if (!any)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: no point has X and the first series of YS both finite",
                           FN);
    for (size_t i = 0; i < nprops; i++) {
        const char *key = props[i].key;
        orgfig_loc l = orgfig_loc_prop(FN, props, i);
        if (strcmp(key, "labels") == 0) {
            orgfig_strings_free(p->labels, p->nlabels);
            p->labels = NULL;
            p->nlabels = 0;
            if (props[i].val.type == ORGFIG_V_NIL)
                continue;
            if (orgfig_val_strings(&props[i].val, &l, &a->fig->meter, &p->labels,
                                   &p->nlabels, err) != ORGFIG_OK)
                return err->status;
            if (p->nlabels != k)
                return orgfig_fail(err, ORGFIG_E_INVALID,
                                   "%s: :labels has %zu labels but YS has %zu series", FN,
                                   p->nlabels, k);
        } else if (strcmp(key, "colors") == 0) {
            orgfig_free(p->colors);
            p->colors = NULL;
            if (orgfig_colors_prop(&props[i].val, FN, ":colors", i, &a->fig->meter,
                                   &p->colors, &p->ncolors, err) != ORGFIG_OK)
                return err->status;
        }
    }
    a->cols[0] = orgfig_column_ref(x);
    a->ncols = 1;
    if (p->colors == NULL && !a->color_set) {
        /* Nothing fails from here on: reserve K cycle colors. */
        orgfig_axes *ax = &a->fig->axes[a->axes];
        p->cycle0 = ax->cycle_next;
        ax->cycle_next += k;
    }
    return ORGFIG_OK;
}

static void
area_free(orgfig_artist *a)
{
    area_priv *p = a->priv;
    if (p == NULL)
        return;
    orgfig_free(p->cum);
    orgfig_free(p->colors);
    orgfig_strings_free(p->labels, p->nlabels);
}

static orgfig_rgba
layer_color(const orgfig_artist *a, size_t s)
{
    const area_priv *p = a->priv;
    orgfig_rgba c;
    if (p->colors)
        c = p->colors[s % p->ncolors];
    else if (a->color_set)
        c = a->color;
    else
        c = orgfig_style_cycle(&a->fig->style, p->cycle0 + s);
    c.a *= a->alpha;
    return c;
}

static inline double
lower(const area_priv *p, size_t s, size_t i)
{
    if (s == 0)
        return isfinite(p->cum[i]) ? 0 : NAN;
    return p->cum[(s - 1) * p->n + i];
}

static bool
area_bounds(const orgfig_artist *a, orgfig_scale xs, orgfig_scale ys, orgfig_bounds *b)
{
    const area_priv *p = a->priv;
    orgfig_column *x = a->cols[0];
    bool lx = xs == ORGFIG_SCALE_LOG, ly = ys == ORGFIG_SCALE_LOG;
    double x0 = INFINITY, x1 = -INFINITY, v0 = INFINITY, v1 = -INFINITY;
    for (size_t i = 0; i < p->n; i++) {
        double xv = orgfig_column_get(x, i);
        if (!orgfig_usable(xv, lx))
            continue;
        bool used = false;
        for (size_t s = 0; s <= p->k; s++) {
            double v = s == 0 ? lower(p, 0, i) : p->cum[(s - 1) * p->n + i];
            if (orgfig_usable(v, ly)) {
                v0 = fmin(v0, v);
                v1 = fmax(v1, v);
                used = true;
            }
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
    b->sticky_y0 = true; /* the stack stands on 0 */
    return true;
}

static orgfig_status
draw_layer(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_poly *poly, size_t s,
           orgfig_err *err)
{
    const area_priv *p = a->priv;
    orgfig_column *x = a->cols[0];
    const double *top = p->cum + s * p->n;
    size_t n = p->n, start = 0;
    bool in = false;
    orgfig_rect lim = orgfig_clip_rect(dc);
    for (size_t i = 0; i <= n; i++) {
        bool ok = i < n && orgfig_usable(orgfig_column_get(x, i), dc->mx.log) &&
                  orgfig_usable(top[i], dc->my.log) &&
                  orgfig_usable(lower(p, s, i), dc->my.log);
        if (ok && !in) {
            start = i;
            in = true;
        } else if (!ok && in) {
            in = false;
            for (size_t j = start; j < i; j++)
                if (orgfig_poly_push(poly,
                                     orgfig_map_apply(&dc->mx, orgfig_column_get(x, j)),
                                     orgfig_map_apply(&dc->my, top[j]), err) != ORGFIG_OK)
                    return err->status;
            for (size_t j = i; j-- > start;)
                if (orgfig_poly_push(
                        poly, orgfig_map_apply(&dc->mx, orgfig_column_get(x, j)),
                        orgfig_map_apply(&dc->my, lower(p, s, j)), err) != ORGFIG_OK)
                    return err->status;
            if (orgfig_poly_emit(poly, dc->cr, lim, err) != ORGFIG_OK)
                return err->status;
        }
        if ((i & 0xffff) == 0xffff && orgfig_draw_poll(dc, 0x10000, err) != ORGFIG_OK)
            return err->status;
    }
    return ORGFIG_OK;
}

static orgfig_status
area_draw(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    const area_priv *p = a->priv;
    orgfig_poly poly;
    orgfig_poly_init(&poly, &a->fig->meter);
    orgfig_status st = ORGFIG_OK;
    cairo_set_fill_rule(dc->cr, CAIRO_FILL_RULE_WINDING);
    for (size_t s = 0; s < p->k && st == ORGFIG_OK; s++) {
        st = draw_layer(a, dc, &poly, s, err);
        if (st != ORGFIG_OK) {
            cairo_new_path(dc->cr);
            break;
        }
        orgfig_set_source(dc->cr, layer_color(a, s));
        cairo_fill(dc->cr);
    }
    orgfig_poly_free(&poly);
    return st;
}

static size_t
area_legend_count(const orgfig_artist *a)
{
    const area_priv *p = a->priv;
    return p->labels ? p->nlabels : a->label ? 1 : 0;
}

static const char *
area_legend_label(const orgfig_artist *a, size_t i)
{
    const area_priv *p = a->priv;
    return p->labels ? p->labels[i] : a->label;
}

static void
area_swatch(const orgfig_artist *a, size_t i, cairo_t *cr, orgfig_rect r)
{
    orgfig_swatch_fill(cr, r, layer_color(a, i));
}

static size_t
area_sample(const orgfig_artist *a, double *xy, size_t max)
{
    /* The whole band from 0 to the top of the stack is covered. */
    const area_priv *p = a->priv;
    orgfig_column *x = a->cols[0];
    size_t k = 0, per = max / 4;
    size_t stride = p->n > per && per > 0 ? p->n / per : 1;
    const double *top = p->cum + (p->k - 1) * p->n;
    for (size_t i = 0; i < p->n && k + 4 <= max; i += stride) {
        double xv = orgfig_column_get(x, i), t = top[i];
        if (!isfinite(xv) || !isfinite(t))
            continue;
        for (int j = 0; j < 4; j++) {
            xy[2 * k] = xv;
            xy[2 * k + 1] = t * j / 3.0;
            k++;
        }
    }
    return k;
}

const orgfig_plot_class orgfig_plot_area = {
    .kind = ORGFIG_AREA,
    .fn = FN,
    .nargs = 2,
    .arg_names = area_args,
    .props = area_props,
    .uses_cycle = false,
    .build = area_build,
    .bounds = area_bounds,
    .draw = area_draw,
    .legend_count = area_legend_count,
    .legend_label = area_legend_label,
    .legend_swatch = area_swatch,
    .sample = area_sample,
    .free = area_free,
};
