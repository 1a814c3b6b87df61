/* plot_ref.c - reference marks: orgfig-text, orgfig-hline, orgfig-vline.
 *
 * A text is drawn at a data position in the foreground color unless
 * :color is given; it does not take part in autoscaling (as in
 * matplotlib), so place it inside the data's range.  hline and vline span
 * the whole axes box; their position counts for autoscaling in their own
 * direction only, so the line is always visible. */
#include <math.h>
#include <string.h>

#include "props.h"
#include "render.h"

/* ---- text ---- */

typedef struct text_priv {
    double x, y;
    char *s;
    double size; /* points; 0: the style's font size */
    int ha, va;
    double rotation;
} text_priv;

static const char *const text_args[] = {"X", "Y", "STRING", NULL};
static const char *const text_props[] = {"size", "ha", "va", "rotation", NULL};

static orgfig_status
text_build(orgfig_artist *a, const orgfig_value *args, const orgfig_prop *props,
           size_t nprops, orgfig_err *err)
{
    const char *fn = "orgfig-text";
    text_priv *p = orgfig_fig_alloc(a, sizeof *p, "a text", err);
    if (p == NULL)
        return err->status;
    a->priv = p;
    orgfig_loc lx = orgfig_loc_arg(fn, "X", 0), ly = orgfig_loc_arg(fn, "Y", 1),
               ls = orgfig_loc_arg(fn, "STRING", 2);
    if (orgfig_val_number(&args[0], &lx, -1e300, 1e300, &p->x, err) != ORGFIG_OK ||
        orgfig_val_number(&args[1], &ly, -1e300, 1e300, &p->y, err) != ORGFIG_OK ||
        orgfig_val_string(&args[2], &ls, &a->fig->meter, false, true, &p->s, err) !=
            ORGFIG_OK)
        return err->status;
    p->ha = 0;
    p->va = 3;
    for (size_t i = 0; i < nprops; i++) {
        const char *k = props[i].key;
        const orgfig_value *v = &props[i].val;
        orgfig_loc l = orgfig_loc_prop(fn, props, i);
        orgfig_status st = ORGFIG_OK;
        if (strcmp(k, "size") == 0) {
            st = orgfig_val_number(v, &l, 1, 500, &p->size, err);
        } else if (strcmp(k, "ha") == 0) {
            static const char *const names[] = {"left", "center", "right", NULL};
            st = orgfig_val_enum(v, &l, names, &p->ha, err);
        } else if (strcmp(k, "va") == 0) {
            static const char *const names[] = {"top", "center", "bottom", "baseline",
                                                NULL};
            st = orgfig_val_enum(v, &l, names, &p->va, err);
        } else if (strcmp(k, "rotation") == 0) {
            st = orgfig_val_number(v, &l, -3600, 3600, &p->rotation, err);
        }
        if (st != ORGFIG_OK)
            return st;
    }
    return ORGFIG_OK;
}

static void
text_free(orgfig_artist *a)
{
    text_priv *p = a->priv;
    if (p)
        orgfig_free(p->s);
}

static bool
text_bounds(const orgfig_artist *a, orgfig_scale xs, orgfig_scale ys, orgfig_bounds *b)
{
    (void)a;
    (void)xs;
    (void)ys;
    b->xlo = b->xhi = b->ylo = b->yhi = NAN;
    return false;
}

static orgfig_status
text_draw(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    (void)err;
    const text_priv *p = a->priv;
    if ((dc->mx.log && p->x <= 0) || (dc->my.log && p->y <= 0))
        return ORGFIG_OK;
    double px = orgfig_map_apply(&dc->mx, p->x), py = orgfig_map_apply(&dc->my, p->y);
    if (fabs(px) > 1e6 || fabs(py) > 1e6)
        return ORGFIG_OK;
    const orgfig_style *st = &a->fig->style;
    /* Texts may extend past the axes box, like matplotlib's. */
    cairo_t *cr = dc->cr;
    cairo_save(cr);
    cairo_reset_clip(cr);
    orgfig_text_font(cr, st, (p->size > 0 ? p->size : st->font_size) * ORGFIG_PT);
    orgfig_rgba c = a->color_set ? a->color : st->foreground;
    c.a *= a->alpha;
    orgfig_set_source(cr, c);
    orgfig_text_draw(cr, p->s, px, py, p->ha, p->va, p->rotation);
    cairo_restore(cr);
    return ORGFIG_OK;
}

const orgfig_plot_class orgfig_plot_text = {
    .kind = ORGFIG_TEXT,
    .fn = "orgfig-text",
    .nargs = 3,
    .arg_names = text_args,
    .props = text_props,
    .uses_cycle = false,
    .build = text_build,
    .bounds = text_bounds,
    .draw = text_draw,
    .legend_count = NULL,
    .free = text_free,
};

/* ---- hline / vline ---- */

typedef struct rule_priv {
    double v;
    double width; /* points; < 0: style */
    int dash;
} rule_priv;

static const char *const hline_args[] = {"Y", NULL};
static const char *const vline_args[] = {"X", NULL};
static const char *const rule_props[] = {"width", "dash", NULL};

static orgfig_status
rule_build(orgfig_artist *a, const orgfig_value *args, const orgfig_prop *props,
           size_t nprops, orgfig_err *err)
{
    const char *fn = a->kind == ORGFIG_HLINE ? "orgfig-hline" : "orgfig-vline";
    rule_priv *p = orgfig_fig_alloc(a, sizeof *p, "a rule", err);
    if (p == NULL)
        return err->status;
    a->priv = p;
    p->width = -1;
    orgfig_loc l0 = orgfig_loc_arg(fn, a->kind == ORGFIG_HLINE ? "Y" : "X", 0);
    if (orgfig_val_number(&args[0], &l0, -1e300, 1e300, &p->v, err) != ORGFIG_OK)
        return err->status;
    for (size_t i = 0; i < nprops; i++) {
        const char *k = props[i].key;
        const orgfig_value *v = &props[i].val;
        orgfig_loc l = orgfig_loc_prop(fn, props, i);
        orgfig_status st = ORGFIG_OK;
        if (strcmp(k, "width") == 0) {
            st = orgfig_val_number(v, &l, 0, 100, &p->width, err);
        } else if (strcmp(k, "dash") == 0) {
            static const char *const names[] = {"solid",   "dashed", "dotted",
                                                "dashdot", "nil",    NULL};
            int e;
            st = orgfig_val_enum(v, &l, names, &e, err);
            p->dash = e == 4 ? 0 : e;
        }
        if (st != ORGFIG_OK)
            return st;
    }
    return ORGFIG_OK;
}

static bool
rule_bounds(const orgfig_artist *a, orgfig_scale xs, orgfig_scale ys, orgfig_bounds *b)
{
    const rule_priv *p = a->priv;
    b->xlo = b->xhi = b->ylo = b->yhi = NAN;
    bool h = a->kind == ORGFIG_HLINE;
    if ((h ? ys : xs) == ORGFIG_SCALE_LOG && p->v <= 0)
        return false;
    if (h)
        b->ylo = b->yhi = p->v;
    else
        b->xlo = b->xhi = p->v;
    return true;
}

static orgfig_status
rule_draw(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    (void)err;
    const rule_priv *p = a->priv;
    cairo_t *cr = dc->cr;
    bool h = a->kind == ORGFIG_HLINE;
    if ((h ? dc->my.log : dc->mx.log) && p->v <= 0)
        return ORGFIG_OK;
    double c = orgfig_map_apply(h ? &dc->my : &dc->mx, p->v);
    if (fabs(c) > 1e6)
        return ORGFIG_OK;
    double lw = orgfig_artist_lw(a, p->width);
    if (h) {
        cairo_move_to(cr, dc->box.x, c);
        cairo_line_to(cr, dc->box.x + dc->box.w, c);
    } else {
        cairo_move_to(cr, c, dc->box.y);
        cairo_line_to(cr, c, dc->box.y + dc->box.h);
    }
    orgfig_set_source(cr, orgfig_artist_rgba(a));
    cairo_set_line_width(cr, lw);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    orgfig_set_dash(cr, p->dash, lw);
    cairo_stroke(cr);
    orgfig_set_dash(cr, 0, lw);
    return ORGFIG_OK;
}

static void
rule_swatch(const orgfig_artist *a, size_t i, cairo_t *cr, orgfig_rect r)
{
    (void)i;
    const rule_priv *p = a->priv;
    double lw = orgfig_artist_lw(a, p->width);
    orgfig_set_source(cr, orgfig_artist_rgba(a));
    cairo_set_line_width(cr, lw);
    orgfig_set_dash(cr, p->dash, lw);
    cairo_move_to(cr, r.x, r.y + r.h / 2);
    cairo_line_to(cr, r.x + r.w, r.y + r.h / 2);
    cairo_stroke(cr);
    orgfig_set_dash(cr, 0, lw);
}

const orgfig_plot_class orgfig_plot_hline = {
    .kind = ORGFIG_HLINE,
    .fn = "orgfig-hline",
    .nargs = 1,
    .arg_names = hline_args,
    .props = rule_props,
    .uses_cycle = true,
    .build = rule_build,
    .bounds = rule_bounds,
    .draw = rule_draw,
    .legend_swatch = rule_swatch,
};

const orgfig_plot_class orgfig_plot_vline = {
    .kind = ORGFIG_VLINE,
    .fn = "orgfig-vline",
    .nargs = 1,
    .arg_names = vline_args,
    .props = rule_props,
    .uses_cycle = true,
    .build = rule_build,
    .bounds = rule_bounds,
    .draw = rule_draw,
    .legend_swatch = rule_swatch,
};
