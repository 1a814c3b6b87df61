/* plot_pie.c - orgfig-pie: a pie (or donut) chart.
 *
 * VALUES are non-negative finite numbers, not all zero; wedge i spans the
 * fraction VALUES[i] / sum of the circle.  LABELS (strings or numbers, or
 * nil for none) name the wedges: each is written just outside its wedge,
 * and each is a legend entry (shown with orgfig-set :legend).
 *
 * Wedges go counter-clockwise from :start-angle, in degrees measured
 * counter-clockwise from 3 o'clock.  The default is 90 (12 o'clock), so the
 * first wedge starts at the top, the common convention for pie charts;
 * matplotlib's default is 0 (its startangle=90 gives orgfig's default).
 *
 * The pie ignores the data coordinates: it is a circle centred in the
 * axes box, as large as the box allows after room for the outside labels,
 * so it is round whatever the figure's aspect.  The class sets hides_axes:
 * layout and axes.c draw no frame, ticks or grid for its axes.
 *
 * Colors: :colors (reused cyclically), else consecutive colors of the
 * axes' cycle, reserved at build time so the next plot continues after
 * them.  :autopct (t for "%.1f%%", or a checked format) writes each wedge's
 * percentage inside it, in black or white for contrast.  :donut F (0 to
 * 0.95) cuts a hole of F times the radius.  Wedges are separated by thin
 * lines of the figure background. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plotutil.h"
#include "props.h"
#include "render.h"

#define FN "orgfig-pie"
#define LABEL_GAP 1.1 /* labels sit at this many radii from the centre */

typedef struct pie_priv {
    size_t n;
    double *frac;  /* n fractions of the whole, summing to 1 */
    char **labels; /* n owned strings, or NULL */
    orgfig_rgba *colors;
    size_t ncolors;
    size_t cycle0;
    double start; /* degrees */
    double donut;
    char fmt[ORGFIG_NUMFMT_MAX]; /* "" when no autopct */
} pie_priv;

static const char *const pie_args[] = {"LABELS", "VALUES", NULL};
static const char *const pie_props[] = {"colors", "autopct", "start-angle", "donut",
                                        NULL};

static orgfig_status
pie_build(orgfig_artist *a, const orgfig_value *args, const orgfig_prop *props,
          size_t nprops, orgfig_err *err)
{
    orgfig_column *v;
    orgfig_loc lv = orgfig_loc_arg(FN, "VALUES", 1), ll = orgfig_loc_arg(FN, "LABELS", 0);
    if (orgfig_val_column(&args[1], &lv, true, &v, err) != ORGFIG_OK)
        return err->status;
    pie_priv *p = orgfig_fig_alloc(a, sizeof *p, "a pie", err);
    if (p == NULL)
        return err->status;
    a->priv = p;
    p->start = 90;
    double sum = 0;
    for (size_t i = 0; i < v->n; i++) {
        double x = orgfig_column_get(v, i);
        if (!isfinite(x) || x < 0)
            return orgfig_fail(
                err, ORGFIG_E_INVALID,
                "%s: VALUES must be non-negative finite numbers, element %zu "
                "is %g",
                FN, i, x);
        sum += x;
    }
    if (!(sum > 0) || !isfinite(sum))
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: VALUES must not all be zero (their sum is %g)", FN, sum);
    if (args[0].type != ORGFIG_V_NIL) {
        size_t nl = 0;
        if (orgfig_val_strings(&args[0], &ll, &a->fig->meter, &p->labels, &nl, err) !=
            ORGFIG_OK)
            return err->status;
        if (nl != v->n) {
            orgfig_strings_free(p->labels, nl);
            p->labels = NULL;
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: LABELS has %zu labels but VALUES has %zu values", FN,
                               nl, v->n);
        }
    }
    p->n = v->n;
    p->frac = orgfig_alloc_array(&a->fig->meter, v->n, sizeof(double), false,
                                 "pie wedges", err);
    if (p->frac == NULL)
        return err->status;
    for (size_t i = 0; i < v->n; i++)
        p->frac[i] = orgfig_column_get(v, i) / sum;
    for (size_t i = 0; i < nprops; i++) {
        const char *k = props[i].key;
        const orgfig_value *val = &props[i].val;
        orgfig_loc l = orgfig_loc_prop(FN, props, i);
        orgfig_status st = ORGFIG_OK;
        if (strcmp(k, "colors") == 0) {
            orgfig_free(p->colors);
            p->colors = NULL;
            st = orgfig_colors_prop(val, FN, ":colors", i, &a->fig->meter, &p->colors,
                                    &p->ncolors, err);
        } else if (strcmp(k, "autopct") == 0) {
            st = orgfig_numfmt_prop(val, FN, ":autopct", i, "%.1f%%", p->fmt, err);
        } else if (strcmp(k, "start-angle") == 0) {
            st = orgfig_val_number(val, &l, -36000, 36000, &p->start, err);
        } else if (strcmp(k, "donut") == 0) {
            p->donut = 0;
            if (val->type != ORGFIG_V_NIL)
                st = orgfig_val_number(val, &l, 0, 0.95, &p->donut, err);
        }
        if (st != ORGFIG_OK)
            return st;
    }
    if (p->colors == NULL) {
        /* Nothing fails from here on: reserve one cycle color per wedge. */
        orgfig_axes *ax = &a->fig->axes[a->axes];
        p->cycle0 = ax->cycle_next;
        ax->cycle_next += p->n;
    }
    return ORGFIG_OK;
}

static void
pie_free(orgfig_artist *a)
{
    pie_priv *p = a->priv;
    if (p == NULL)
        return;
    orgfig_free(p->frac);
    orgfig_strings_free(p->labels, p->n);
    orgfig_free(p->colors);
}

static orgfig_rgba
wedge_color(const orgfig_artist *a, size_t i)
{
    const pie_priv *p = a->priv;
    orgfig_rgba c = p->colors ? p->colors[i % p->ncolors]
                              : orgfig_style_cycle(&a->fig->style, p->cycle0 + i);
    c.a *= a->alpha;
    return c;
}

static bool
pie_bounds(const orgfig_artist *a, orgfig_scale xs, orgfig_scale ys, orgfig_bounds *b)
{
    /* The pie does not use data coordinates; give a square that is valid
     * on any scale so the view is defined whatever the axes' scales. */
    (void)a;
    b->xlo = xs == ORGFIG_SCALE_LOG ? 1 : -1;
    b->ylo = ys == ORGFIG_SCALE_LOG ? 1 : -1;
    b->xhi = xs == ORGFIG_SCALE_LOG ? 10 : 1;
    b->yhi = ys == ORGFIG_SCALE_LOG ? 10 : 1;
    return true;
}

/* The centre and radius of the pie in the box of DC, leaving room for the
 * labels (measured with the current font of CR). */
static void
pie_geometry(const pie_priv *p, cairo_t *cr, orgfig_rect box, double *cx, double *cy,
             double *r)
{
    *cx = box.x + box.w / 2;
    *cy = box.y + box.h / 2;
    double wmax = 0, h = 0;
    if (p->labels) {
        cairo_font_extents_t fe;
        cairo_font_extents(cr, &fe);
        h = fe.ascent + fe.descent;
        for (size_t i = 0; i < p->n; i++) {
            cairo_text_extents_t te;
            cairo_text_extents(cr, p->labels[i], &te);
            wmax = fmax(wmax, te.x_advance);
        }
    }
    double rw = (box.w / 2 - wmax - 2) / LABEL_GAP, rh = (box.h / 2 - h - 2) / LABEL_GAP;
    double rmin = 0.25 * fmin(box.w, box.h) / 2;
    *r = fmax(rmin, fmin(rw, rh));
    if (!p->labels)
        *r = 0.95 * fmin(box.w, box.h) / 2;
}

static orgfig_status
pie_draw(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    const pie_priv *p = a->priv;
    cairo_t *cr = dc->cr;
    orgfig_text_font(cr, &a->fig->style, orgfig_data_font_px(a->fig));
    double cx, cy, r;
    pie_geometry(p, cr, dc->box, &cx, &cy, &r);
    double r0 = r * p->donut;
    double ang = p->start * M_PI / 180; /* counter-clockwise, math convention */
    orgfig_rgba bg = a->fig->style.background;
    for (size_t i = 0; i < p->n; i++) {
        double sweep = p->frac[i] * 2 * M_PI;
        if (sweep <= 0)
            continue;
        double a0 = ang, a1 = ang + sweep;
        /* Screen y points down: math angle t is cairo angle -t. */
        cairo_new_sub_path(cr);
        if (sweep >= 2 * M_PI - 1e-12) {
            cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
            cairo_close_path(cr);
            if (r0 > 0) {
                cairo_new_sub_path(cr);
                cairo_arc_negative(cr, cx, cy, r0, 0, -2 * M_PI);
                cairo_close_path(cr);
            }
        } else {
            if (r0 > 0)
                cairo_arc(cr, cx, cy, r0, -a1, -a0);
            else
                cairo_move_to(cr, cx, cy);
            cairo_arc_negative(cr, cx, cy, r, -a0, -a1);
            cairo_close_path(cr);
        }
        orgfig_set_source(cr, wedge_color(a, i));
        cairo_fill_preserve(cr);
        cairo_set_line_width(cr, 1.0);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        orgfig_set_source(cr, bg);
        cairo_stroke(cr);
        ang = a1;
    }
    /* Labels and percentages. */
    ang = p->start * M_PI / 180;
    for (size_t i = 0; i < p->n; i++) {
        double sweep = p->frac[i] * 2 * M_PI;
        double mid = ang + sweep / 2;
        ang += sweep;
        double ux = cos(mid), uy = -sin(mid);
        if (p->labels && p->labels[i][0]) {
            int ha = ux > 0.1 ? 0 : ux < -0.1 ? 2 : 1;
            int va = uy > 0.1 ? 0 : uy < -0.1 ? 2 : 1;
            orgfig_set_source(cr, a->fig->style.foreground);
            orgfig_text_draw(cr, p->labels[i], cx + ux * r * LABEL_GAP,
                             cy + uy * r * LABEL_GAP, ha, va, 0);
        }
        if (p->fmt[0] && sweep > 0) {
            char buf[128];
            orgfig_numfmt(p->fmt, p->frac[i] * 100, buf, sizeof buf);
            double rr = r0 > 0 ? (r + r0) / 2 : r * 0.6;
            orgfig_rgba c = wedge_color(a, i);
            if (orgfig_luminance(c) > 0.179)
                cairo_set_source_rgb(cr, 0, 0, 0);
            else
                cairo_set_source_rgb(cr, 1, 1, 1);
            orgfig_text_draw(cr, buf, cx + ux * rr, cy + uy * rr, 1, 1, 0);
        }
    }
    return orgfig_draw_poll(dc, p->n, err);
}

static size_t
pie_legend_count(const orgfig_artist *a)
{
    const pie_priv *p = a->priv;
    return p->labels ? p->n : a->label ? 1 : 0;
}

static const char *
pie_legend_label(const orgfig_artist *a, size_t i)
{
    const pie_priv *p = a->priv;
    return p->labels ? p->labels[i] : a->label;
}

static void
pie_swatch(const orgfig_artist *a, size_t i, cairo_t *cr, orgfig_rect r)
{
    orgfig_swatch_fill(cr, r, wedge_color(a, i));
}

static size_t
pie_sample(const orgfig_artist *a, double *xy, size_t max)
{
    /* The pie fills the middle of the box; the view is [-1, 1] squared.
     * Report a disc of points so a legend prefers the emptier corners. */
    (void)a;
    size_t k = 0;
    for (int i = -4; i <= 4; i++)
        for (int j = -4; j <= 4; j++) {
            double x = i / 4.5, y = j / 4.5;
            if (x * x + y * y > 0.8 || k >= max)
                continue;
            xy[2 * k] = x;
            xy[2 * k + 1] = y;
            k++;
        }
    return k;
}

const orgfig_plot_class orgfig_plot_pie = {
    .kind = ORGFIG_PIE,
    .fn = FN,
    .nargs = 2,
    .arg_names = pie_args,
    .props = pie_props,
    .uses_cycle = false,
    .hides_axes = true,
    .build = pie_build,
    .bounds = pie_bounds,
    .draw = pie_draw,
    .legend_count = pie_legend_count,
    .legend_label = pie_legend_label,
    .legend_swatch = pie_swatch,
    .sample = pie_sample,
    .free = pie_free,
};
