/* plot_box.c - orgfig-box: box-and-whisker plots.
 *
 * DATASETS is a list of sequences (one box each) or a single sequence (one
 * box).  NaN and infinite values are ignored; a dataset with no finite
 * value is invalid.  The statistics (stats.h: numpy's linear quantiles,
 * matplotlib's whisker rule with reach :whis, 1.5 by default) are computed
 * once at build time from a sorted counted copy of each dataset, and only
 * the five numbers and the outliers are kept, so the artist holds no
 * references to the data.
 *
 * Layout: box i sits at categorical position i (0, 1, ...) on the x axis,
 * or on the y axis with :horizontal, labelled by :labels (default "1",
 * "2", ..., as matplotlib numbers boxes from 1) through the artist's
 * categorical axis.  Boxes are half a slot wide.
 *
 * Style, as matplotlib's default boxplot: box, whiskers and caps in the
 * foreground color, the median in the second cycle color (orange in
 * tab10), outliers as small hollow circles.  :color fills the boxes (with
 * :alpha); without it they are unfilled. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plotutil.h"
#include "props.h"
#include "render.h"
#include "stats.h"

#define FN "orgfig-box"
#define BOX_W 0.5 /* box width in slots */

typedef struct box_priv {
    size_t nbox;
    orgfig_boxstats *st; /* nbox */
    size_t *out0;        /* nbox + 1 offsets into out */
    double *out;         /* all outliers, box by box */
    bool horizontal;
    double whis;
} box_priv;

static const char *const box_args[] = {"DATASETS", NULL};
static const char *const box_props[] = {"labels", "horizontal", "whis", NULL};

static orgfig_status
box_build(orgfig_artist *a, const orgfig_value *args, const orgfig_prop *props,
          size_t nprops, orgfig_err *err)
{
    const orgfig_value *d = &args[0];
    const orgfig_value *sets;
    size_t nbox;
    if (d->type == ORGFIG_V_COL && d->col) {
        sets = d;
        nbox = 1;
    } else if (d->type == ORGFIG_V_LIST) {
        sets = d->items;
        nbox = d->nitems;
    } else {
        return orgfig_fail_type(
            err, "orgfig-data-p", ORGFIG_WHERE_ARG, 0,
            "%s: DATASETS must be a list of sequences of numbers, got %s", FN,
            orgfig_value_kind(d));
    }
    if (nbox == 0)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: DATASETS is empty", FN);
    for (size_t b = 0; b < nbox; b++)
        if (sets[b].type != ORGFIG_V_COL || sets[b].col == NULL)
            return orgfig_fail_type(err, "orgfig-data-p", ORGFIG_WHERE_ARG, 0,
                                    "%s: dataset %zu of DATASETS must be a sequence of "
                                    "numbers, got %s",
                                    FN, b, orgfig_value_kind(&sets[b]));
    box_priv *p = orgfig_fig_alloc(a, sizeof *p, "a box plot", err);
    if (p == NULL)
        return err->status;
    a->priv = p;
    p->whis = 1.5;
    char **labels = NULL;
    size_t nlabels = 0;
    bool have_labels = false;
    for (size_t i = 0; i < nprops; i++) {
        const char *k = props[i].key;
        const orgfig_value *v = &props[i].val;
        orgfig_loc l = orgfig_loc_prop(FN, props, i);
        orgfig_status st = ORGFIG_OK;
        if (strcmp(k, "horizontal") == 0) {
            st = orgfig_val_bool(v, &l, &p->horizontal, err);
        } else if (strcmp(k, "whis") == 0) {
            st = orgfig_val_number(v, &l, 0, 1e6, &p->whis, err);
        } else if (strcmp(k, "labels") == 0) {
            orgfig_strings_free(labels, nlabels);
            labels = NULL;
            nlabels = 0;
            have_labels = v->type != ORGFIG_V_NIL;
            if (have_labels) {
                st = orgfig_val_strings(v, &l, &a->fig->meter, &labels, &nlabels, err);
                if (st == ORGFIG_OK && nlabels != nbox)
                    st = orgfig_fail(err, ORGFIG_E_INVALID,
                                     "%s: :labels has %zu labels but DATASETS has %zu "
                                     "datasets",
                                     FN, nlabels, nbox);
            }
        }
        if (st != ORGFIG_OK) {
            orgfig_strings_free(labels, nlabels);
            return st;
        }
    }
    /* The artist owns the labels from here (freed with it on failure). */
    if (!have_labels) {
        labels =
            orgfig_alloc_array(&a->fig->meter, nbox, sizeof *labels, true, "labels", err);
        if (labels == NULL)
            return err->status;
        nlabels = nbox;
    }
    a->cat_labels = labels;
    a->ncat = nlabels;
    a->cat_axis = p->horizontal ? ORGFIG_CAT_Y : ORGFIG_CAT_X;
    if (!have_labels) {
        for (size_t b = 0; b < nbox; b++) {
            char buf[32];
            snprintf(buf, sizeof buf, "%zu", b + 1);
            labels[b] = orgfig_strndup(&a->fig->meter, buf, strlen(buf), err);
            if (labels[b] == NULL)
                return err->status;
        }
    }
    p->st = orgfig_alloc_array(&a->fig->meter, nbox, sizeof *p->st, true,
                               "box statistics", err);
    p->out0 = orgfig_alloc_array(&a->fig->meter, nbox + 1, sizeof *p->out0, true,
                                 "box statistics", err);
    if (p->st == NULL || p->out0 == NULL)
        return err->status;
    p->nbox = nbox;
    size_t cap = 0, nout = 0;
    for (size_t b = 0; b < nbox; b++) {
        size_t n;
        double *v = orgfig_sorted_finite(&a->fig->meter, sets[b].col, &n, err);
        if (v == NULL) {
            if (err->status != ORGFIG_OK)
                return err->status;
            return orgfig_fail(
                err, ORGFIG_E_INVALID,
                "%s: dataset %zu of DATASETS has no finite values (%zu values, "
                "all NaN or infinite)",
                FN, b, sets[b].col->n);
        }
        orgfig_boxstats *s = &p->st[b];
        orgfig_box_stats(v, n, p->whis, s);
        size_t k = s->nlow + s->nhigh;
        if (nout + k > cap) {
            size_t ncap = (nout + k) * 2;
            double *o = orgfig_realloc_array(&a->fig->meter, p->out, ncap, sizeof(double),
                                             "outliers", err);
            if (o == NULL) {
                orgfig_free(v);
                return err->status;
            }
            p->out = o;
            cap = ncap;
        }
        if (k > 0) { /* p->out is NULL until the first outlier */
            memcpy(p->out + nout, v, s->nlow * sizeof(double));
            memcpy(p->out + nout + s->nlow, v + n - s->nhigh, s->nhigh * sizeof(double));
        }
        nout += k;
        p->out0[b + 1] = nout;
        orgfig_free(v);
    }
    return ORGFIG_OK;
}

static void
box_free(orgfig_artist *a)
{
    box_priv *p = a->priv;
    if (p == NULL)
        return;
    orgfig_free(p->st);
    orgfig_free(p->out0);
    orgfig_free(p->out);
}

static bool
box_bounds(const orgfig_artist *a, orgfig_scale xs, orgfig_scale ys, orgfig_bounds *b)
{
    const box_priv *p = a->priv;
    bool logv = (p->horizontal ? xs : ys) == ORGFIG_SCALE_LOG;
    double v0 = INFINITY, v1 = -INFINITY;
    for (size_t i = 0; i < p->nbox; i++) {
        const orgfig_boxstats *s = &p->st[i];
        double vals[5] = {s->wlo, s->whi, s->q1, s->q3, s->med};
        for (int j = 0; j < 5; j++)
            if (orgfig_usable(vals[j], logv)) {
                v0 = fmin(v0, vals[j]);
                v1 = fmax(v1, vals[j]);
            }
        for (size_t k = p->out0[i]; k < p->out0[i + 1]; k++)
            if (orgfig_usable(p->out[k], logv)) {
                v0 = fmin(v0, p->out[k]);
                v1 = fmax(v1, p->out[k]);
            }
    }
    if (!(v0 <= v1))
        return false;
    double c0 = -0.5, c1 = (double)p->nbox - 0.5;
    bool logc = (p->horizontal ? ys : xs) == ORGFIG_SCALE_LOG;
    if (logc) {
        c0 = NAN; /* categories on a log axis: leave that range alone */
        c1 = NAN;
    }
    if (p->horizontal) {
        b->xlo = v0;
        b->xhi = v1;
        b->ylo = c0;
        b->yhi = c1;
    } else {
        b->xlo = c0;
        b->xhi = c1;
        b->ylo = v0;
        b->yhi = v1;
    }
    return true;
}

/* Map a (category, value) pair to pixels. */
static inline void
to_px(const box_priv *p, const orgfig_draw_ctx *dc, double c, double v, double *px,
      double *py)
{
    if (p->horizontal) {
        *px = orgfig_map_apply(&dc->mx, v);
        *py = orgfig_map_apply(&dc->my, c);
    } else {
        *px = orgfig_map_apply(&dc->mx, c);
        *py = orgfig_map_apply(&dc->my, v);
    }
}

static void
seg(const box_priv *p, const orgfig_draw_ctx *dc, double c0, double v0, double c1,
    double v1)
{
    double x0, y0, x1, y1;
    to_px(p, dc, c0, v0, &x0, &y0);
    to_px(p, dc, c1, v1, &x1, &y1);
    if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1))
        return;
    cairo_move_to(dc->cr, fmax(-1e6, fmin(1e6, x0)), fmax(-1e6, fmin(1e6, y0)));
    cairo_line_to(dc->cr, fmax(-1e6, fmin(1e6, x1)), fmax(-1e6, fmin(1e6, y1)));
}

static orgfig_status
box_draw(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    const box_priv *p = a->priv;
    cairo_t *cr = dc->cr;
    bool logv = p->horizontal ? dc->mx.log : dc->my.log;
    bool logc = p->horizontal ? dc->my.log : dc->mx.log;
    if (logc)
        return ORGFIG_OK; /* categories cannot sit on a log axis */
    double lw = orgfig_style_lw(&a->fig->style) * 2.0 / 3.0; /* matplotlib: 1.0 pt */
    orgfig_rgba fg = a->fig->style.foreground;
    orgfig_rgba med = orgfig_style_cycle(&a->fig->style, 1);
    double hw = BOX_W / 2, cw = BOX_W / 4; /* half box, half cap */
    cairo_set_line_width(cr, lw);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    for (size_t i = 0; i < p->nbox; i++) {
        const orgfig_boxstats *s = &p->st[i];
        double c = (double)i;
        double q1 = s->q1, q3 = s->q3, wlo = s->wlo, whi = s->whi, m = s->med;
        if (logv) {
            /* Values <= 0 are not drawable: clip them to the view edge. */
            double edge = p->horizontal ? dc->vx0 : dc->vy0;
            if (!(whi > 0))
                continue;
            if (!(wlo > 0))
                wlo = edge;
            if (!(q1 > 0))
                q1 = edge;
            if (!(q3 > 0))
                q3 = edge;
            if (!(m > 0))
                m = edge;
        }
        /* The box: fill with :color if given, then the outline. */
        double bx0, by0, bx1, by1;
        to_px(p, dc, c - hw, q1, &bx0, &by0);
        to_px(p, dc, c + hw, q3, &bx1, &by1);
        double rx = fmax(-1e6, fmin(bx0, bx1)), ry = fmax(-1e6, fmin(by0, by1));
        double rw = fmin(1e6, fmax(bx0, bx1)) - rx, rh = fmin(1e6, fmax(by0, by1)) - ry;
        if (a->color_set) {
            cairo_rectangle(cr, rx, ry, rw, rh);
            orgfig_set_source(cr, orgfig_artist_rgba(a));
            cairo_fill(cr);
        }
        cairo_rectangle(cr, rx, ry, rw, rh);
        /* Whiskers and caps. */
        seg(p, dc, c, q1, c, wlo);
        seg(p, dc, c, q3, c, whi);
        seg(p, dc, c - cw, wlo, c + cw, wlo);
        seg(p, dc, c - cw, whi, c + cw, whi);
        orgfig_set_source(cr, fg);
        cairo_stroke(cr);
        /* The median. */
        seg(p, dc, c - hw, m, c + hw, m);
        orgfig_set_source(cr, med);
        cairo_stroke(cr);
        /* Outliers: hollow circles of 6 pt. */
        double r = 3 * ORGFIG_PT;
        size_t batch = 0;
        for (size_t k = p->out0[i]; k < p->out0[i + 1]; k++) {
            double v = p->out[k], px, py;
            if (!orgfig_usable(v, logv))
                continue;
            to_px(p, dc, c, v, &px, &py);
            if (px < dc->box.x - 2 * r || px > dc->box.x + dc->box.w + 2 * r ||
                py < dc->box.y - 2 * r || py > dc->box.y + dc->box.h + 2 * r)
                continue;
            cairo_new_sub_path(cr);
            cairo_arc(cr, px, py, r, 0, 2 * M_PI);
            cairo_close_path(cr);
            if (++batch == 4096) {
                orgfig_set_source(cr, fg);
                cairo_stroke(cr);
                batch = 0;
                if (orgfig_draw_poll(dc, 4096, err) != ORGFIG_OK)
                    return err->status;
            }
        }
        orgfig_set_source(cr, fg);
        cairo_stroke(cr);
        if (orgfig_draw_poll(dc, 8, err) != ORGFIG_OK)
            return err->status;
    }
    return ORGFIG_OK;
}

static void
box_swatch(const orgfig_artist *a, size_t i, cairo_t *cr, orgfig_rect r)
{
    (void)i;
    if (a->color_set)
        orgfig_swatch_fill(cr, r, orgfig_artist_rgba(a));
    cairo_rectangle(cr, r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
    cairo_set_line_width(cr, 1);
    orgfig_set_source(cr, a->fig->style.foreground);
    cairo_stroke(cr);
}

static size_t
box_sample(const orgfig_artist *a, double *xy, size_t max)
{
    /* Each box from whisker to whisker. */
    const box_priv *p = a->priv;
    size_t k = 0;
    for (size_t i = 0; i < p->nbox && k + 5 <= max; i++) {
        const orgfig_boxstats *s = &p->st[i];
        double vals[5] = {s->wlo, s->q1, s->med, s->q3, s->whi};
        for (int j = 0; j < 5; j++) {
            xy[2 * k + (p->horizontal ? 1 : 0)] = (double)i;
            xy[2 * k + (p->horizontal ? 0 : 1)] = vals[j];
            k++;
        }
    }
    return k;
}

const orgfig_plot_class orgfig_plot_box = {
    .kind = ORGFIG_BOX,
    .fn = FN,
    .nargs = 1,
    .arg_names = box_args,
    .props = box_props,
    .uses_cycle = false,
    .build = box_build,
    .bounds = box_bounds,
    .draw = box_draw,
    .legend_count = NULL,
    .legend_label = NULL,
    .legend_swatch = box_swatch,
    .sample = box_sample,
    .free = box_free,
};
