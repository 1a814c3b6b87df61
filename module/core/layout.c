/* layout.c - view ranges, ticks, margins, axes boxes, legends, colorbars.
 *
 * Everything is measured, never guessed: tick labels, axis labels and
 * titles are measured with the render's cairo context, and each margin is
 * the sum of what it must hold.  The layout iterates because tick labels
 * depend on the axis length (how many ticks fit) and the axis length on
 * the labels' size: a few rounds converge.  Cells of a subplot grid share
 * their column's left/right margins and their row's top/bottom margins so
 * the boxes line up.  When the boxes would become too small (tiny
 * figures), all fonts shrink and the layout starts again.
 *
 * Every text is recorded in L->texts with its anchor and box; axes.c draws
 * them from there, and tests check that no two overlap and that all lie
 * inside the figure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render.h"

#define DEG (M_PI / 180.0)

static double font_h(cairo_t *cr, double px);
static double text_w(cairo_t *cr, double px, const char *s);

static orgfig_status
add_text(orgfig_layout *L, orgfig_text_kind kind, size_t axes, cairo_t *cr, const char *s,
         double px, double x, double y, int ha, int va, double rot, orgfig_err *err)
{
    if (L->ntexts == L->captexts) {
        size_t cap = L->captexts ? L->captexts * 2 : 64;
        orgfig_text_rect *t =
            orgfig_realloc_array(L->meter, L->texts, cap, sizeof *t, "layout texts", err);
        if (t == NULL)
            return err->status;
        L->texts = t;
        L->captexts = cap;
    }
    orgfig_text_rect *t = &L->texts[L->ntexts++];
    t->kind = kind;
    t->axes = axes;
    t->s = s;
    t->px = px;
    t->x = x;
    t->y = y;
    t->ha = ha;
    t->va = va;
    t->rot = rot;
    if (s) {
        cairo_set_font_size(cr, px);
        t->r = orgfig_text_box(cr, s, x, y, ha, va, rot);
        t->tw = text_w(cr, px, s);
        t->th = font_h(cr, px);
    }
    return ORGFIG_OK;
}

static double
font_h(cairo_t *cr, double px)
{
    cairo_font_extents_t fe;
    cairo_set_font_size(cr, px);
    cairo_font_extents(cr, &fe);
    return fe.ascent + fe.descent;
}

static double
text_w(cairo_t *cr, double px, const char *s)
{
    cairo_text_extents_t te;
    cairo_set_font_size(cr, px);
    cairo_text_extents(cr, s, &te);
    return te.x_advance;
}

/* The font size at which S is at most MAXW wide: titles and labels longer
 * than their axes shrink rather than overlap their neighbours. */
static double
fit_px(cairo_t *cr, const char *s, double px, double maxw)
{
    double w = text_w(cr, px, s);
    if (w <= maxw || w <= 0)
        return px;
    return px * fmax(maxw, 1.0) / w;
}

/* The width a text centred over box B may take: up to the nearer edge of
 * its cell, so titles may be wider than a narrow box. */
static double
centred_room(const orgfig_axes_layout *al, orgfig_rect b)
{
    double c = b.x + b.w / 2;
    return 2 * fmin(c - al->cell.x, al->cell.x + al->cell.w - c);
}

/* ---- data extents and view ranges ---- */

typedef struct extent {
    bool any;
    double lo, hi;
    bool sticky; /* an artist asked for no margin past 0 */
    bool loose;  /* a non-tight artist contributed: add the usual margin */
} extent;

static void
extent_add(extent *e, double lo, double hi)
{
    if (isnan(lo) || isnan(hi))
        return;
    if (!e->any) {
        e->lo = lo;
        e->hi = hi;
        e->any = true;
        return;
    }
    if (lo < e->lo)
        e->lo = lo;
    if (hi > e->hi)
        e->hi = hi;
}

static void
gather(const orgfig_figure *f, size_t ai, extent *x, extent *y, extent *y2)
{
    const orgfig_axes *ax = &f->axes[ai];
    for (size_t i = 0; i < ax->nartists; i++) {
        const orgfig_artist *a = ax->artists[i];
        orgfig_bounds b = {NAN, NAN, NAN, NAN, false, false};
        orgfig_scale ys = a->right ? ax->y2.scale : ax->y.scale;
        if (!a->cls->bounds || !a->cls->bounds(a, ax->x.scale, ys, &b))
            continue;
        extent *ye = a->right ? y2 : y;
        extent_add(x, b.xlo, b.xhi);
        extent_add(ye, b.ylo, b.yhi);
        if (!a->tight && !isnan(b.xlo))
            x->loose = true;
        if (!a->tight && !isnan(b.ylo))
            ye->loose = true;
        if (b.sticky_x0)
            x->sticky = true;
        if (b.sticky_y0)
            ye->sticky = true;
    }
}

/* Whether any artist of axes AI draws against this direction at all
 * (with linear scales), to tell "no data" from "no positive data". */
static bool
has_linear_data(const orgfig_figure *f, size_t ai, int dir)
{
    const orgfig_axes *ax = &f->axes[ai];
    for (size_t i = 0; i < ax->nartists; i++) {
        const orgfig_artist *a = ax->artists[i];
        orgfig_bounds b = {NAN, NAN, NAN, NAN, false, false};
        if (!a->cls->bounds ||
            !a->cls->bounds(a, ORGFIG_SCALE_LINEAR, ORGFIG_SCALE_LINEAR, &b))
            continue;
        if (dir == 0 && !isnan(b.xlo))
            return true;
        if (dir == 1 && !a->right && !isnan(b.ylo))
            return true;
        if (dir == 2 && a->right && !isnan(b.ylo))
            return true;
    }
    return false;
}

static orgfig_status
view_for(const orgfig_figure *f, size_t ai, int dir, const orgfig_axis *ax,
         const extent *d, orgfig_axis_layout *al, orgfig_err *err)
{
    static const char *const names[] = {"x", "y", "right y"};
    al->scale = ax->scale;
    al->invert = ax->invert;
    bool log = ax->scale == ORGFIG_SCALE_LOG;
    double v0, v1;
    if (ax->has_lim) {
        v0 = fmin(ax->lim_lo, ax->lim_hi);
        v1 = fmax(ax->lim_lo, ax->lim_hi);
        if (ax->lim_lo > ax->lim_hi)
            al->invert = !al->invert;
        if (log && v0 <= 0)
            return orgfig_fail(
                err, ORGFIG_E_INVALID,
                "orgfig-render: axes %zu has a log %s scale but its limits "
                "(%g %g) are not both positive",
                ai, names[dir], ax->lim_lo, ax->lim_hi);
    } else if (!d->any) {
        if (log && has_linear_data(f, ai, dir))
            return orgfig_fail(
                err, ORGFIG_E_INVALID,
                "orgfig-render: axes %zu has a log %s scale but no positive %s "
                "values (log axes skip values <= 0)",
                ai, dir == 0 ? "x" : "y", dir == 0 ? "x" : "y");
        v0 = log ? 1 : 0;
        v1 = log ? 10 : 1;
    } else {
        orgfig_view_range(ax->scale, d->lo, d->hi, d->loose ? 0.05 : 0, &v0, &v1);
        if (d->sticky && !log) {
            if (d->lo >= 0 && v0 < 0)
                v0 = 0;
            if (d->hi <= 0 && v1 > 0)
                v1 = 0;
        }
    }
    if (!(v1 > v0) || !isfinite(v0) || !isfinite(v1)) {
        double c = isfinite(v0) ? v0 : 0;
        v0 = log ? c / 10 : c - 1;
        v1 = log ? c * 10 : c + 1;
        if (log && !(v0 > 0)) {
            v0 = 1;
            v1 = 10;
        }
    }
    al->v0 = v0;
    al->v1 = v1;
    return ORGFIG_OK;
}

/* Set the data -> pixel map of AL for an axis spanning [A, A+LEN]
 * (horizontal: left to right; vertical: bottom to top in pixels). */
static void
set_map(orgfig_axis_layout *al, double a, double len, bool vertical)
{
    bool log = al->scale == ORGFIG_SCALE_LOG;
    double f0 = log ? log10(al->v0) : al->v0;
    double f1 = log ? log10(al->v1) : al->v1;
    double k = len / (f1 - f0);
    bool flip = vertical != al->invert; /* pixels grow opposite to values */
    al->map.log = log;
    if (!flip) {
        al->map.k = k;
        al->map.off = a - k * f0;
    } else {
        al->map.k = -k;
        al->map.off = a + len + k * f0;
    }
}

/* ---- ticks ---- */

static orgfig_status
ticks_alloc(orgfig_layout *L, orgfig_ticks *t, size_t n, orgfig_err *err)
{
    orgfig_ticks_free(t);
    memset(t, 0, sizeof *t);
    t->ticks =
        orgfig_alloc_array(L->meter, n ? n : 1, sizeof *t->ticks, true, "ticks", err);
    return t->ticks ? ORGFIG_OK : err->status;
}

/* Write a minus sign (U+2212, as matplotlib does: as wide as "+" and
 * level with it) for every hyphen in S that negates a number: one before
 * a digit or a point, at the start or after a space, "(", "e" or "E" (an
 * exponent).  Hyphens between digits (dates) stay.  S is unchanged when
 * the result would not fit in SIZE bytes. */
static void
use_minus_sign(char *s, size_t size)
{
    char tmp[ORGFIG_TICK_LABEL_SIZE * 3];
    size_t k = 0;
    bool changed = false;
    for (size_t i = 0; s[i]; i++) {
        char prev = i > 0 ? s[i - 1] : ' ';
        bool neg = s[i] == '-' &&
                   ((s[i + 1] >= '0' && s[i + 1] <= '9') || s[i + 1] == '.') &&
                   (prev == ' ' || prev == '(' || prev == 'e' || prev == 'E' || i == 0);
        if (k + 4 >= sizeof tmp)
            return;
        if (neg) {
            tmp[k++] = (char)0xE2;
            tmp[k++] = (char)0x88;
            tmp[k++] = (char)0x92;
            changed = true;
        } else {
            tmp[k++] = s[i];
        }
    }
    if (!changed || k + 1 > size)
        return;
    memcpy(s, tmp, k);
    s[k] = 0;
}

static void
ticks_minus_signs(orgfig_ticks *t)
{
    for (size_t i = 0; i < t->n; i++)
        use_minus_sign(t->ticks[i].label, sizeof t->ticks[i].label);
    use_minus_sign(t->offset, sizeof t->offset);
}

/* Ticks from explicit positions (and labels) or categories. */
static orgfig_status
fixed_ticks(orgfig_layout *L, orgfig_axis_layout *al, const double *pos, size_t n,
            char *const *labels, size_t nlabels, orgfig_err *err)
{
    if (ticks_alloc(L, &al->ticks, n, err) != ORGFIG_OK)
        return err->status;
    double step = INFINITY;
    for (size_t i = 1; i < n; i++) {
        double d = fabs(pos[i] - pos[i - 1]);
        if (d > 0 && d < step)
            step = d;
    }
    if (!isfinite(step))
        step = fabs(pos[0]) > 0 ? fabs(pos[0]) / 10 : 1;
    double eps = (al->v1 - al->v0) * 1e-9;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (pos[i] < al->v0 - eps || pos[i] > al->v1 + eps)
            continue;
        orgfig_tick *t = &al->ticks.ticks[k++];
        t->value = pos[i];
        t->minor = false;
        if (i < nlabels && labels)
            snprintf(t->label, sizeof t->label, "%s", labels[i]);
        else {
            orgfig_format_number(pos[i], step, t->label, sizeof t->label);
            use_minus_sign(t->label, sizeof t->label);
        }
    }
    al->ticks.n = k;
    al->ticks.offset[0] = 0;
    return ORGFIG_OK;
}

/* Whether neighbouring labels of a horizontal axis overlap at rotation ROT. */
static bool
x_labels_overlap(cairo_t *cr, const orgfig_layout *L, const orgfig_axis_layout *al,
                 double rot)
{
    double prev_px = NAN, prev_w = 0;
    double h = font_h(cr, L->font_px);
    double gap = 0.4 * L->font_px;
    for (size_t i = 0; i < al->ticks.n; i++) {
        const orgfig_tick *t = &al->ticks.ticks[i];
        if (t->minor || !t->label[0])
            continue;
        double px = orgfig_map_apply(&al->map, t->value);
        double w = text_w(cr, L->font_px, t->label);
        if (!isnan(prev_px)) {
            double d = fabs(px - prev_px);
            if (rot == 0 && d < (w + prev_w) / 2 + gap)
                return true;
            if (rot == 45 && d * sin(45 * DEG) < h + gap * 0.3)
                return true;
            if (rot == 90 && d < h + gap * 0.3)
                return true;
        }
        prev_px = px;
        prev_w = w;
    }
    return false;
}

static bool
y_labels_overlap(cairo_t *cr, const orgfig_layout *L, const orgfig_axis_layout *al)
{
    double prev = NAN;
    double h = font_h(cr, L->font_px);
    for (size_t i = 0; i < al->ticks.n; i++) {
        const orgfig_tick *t = &al->ticks.ticks[i];
        if (t->minor || !t->label[0])
            continue;
        double px = orgfig_map_apply(&al->map, t->value);
        if (!isnan(prev) && fabs(px - prev) < h * 1.15)
            return true;
        prev = px;
    }
    return false;
}

/* Measure the largest label box of AL at its rotation. */
static void
measure_labels(cairo_t *cr, const orgfig_layout *L, orgfig_axis_layout *al)
{
    double h = font_h(cr, L->font_px), wmax = 0;
    bool any = false;
    for (size_t i = 0; i < al->ticks.n; i++) {
        const orgfig_tick *t = &al->ticks.ticks[i];
        if (t->minor || !t->label[0])
            continue;
        any = true;
        double w = text_w(cr, L->font_px, t->label);
        if (w > wmax)
            wmax = w;
    }
    if (!any) {
        al->label_w = al->label_h = 0;
        return;
    }
    double r = al->rotate * DEG;
    al->label_w = wmax * cos(r) + h * sin(r);
    al->label_h = wmax * sin(r) + h * cos(r);
}

/* Compute the ticks of an axis of pixel length LEN (map already set). */
static orgfig_status
axis_ticks(cairo_t *cr, orgfig_layout *L, const orgfig_axis *ax, orgfig_axis_layout *al,
           double len, bool horizontal, const orgfig_artist *cat, orgfig_err *err)
{
    al->rotate = 0;
    if (ax && ax->ticks) {
        if (fixed_ticks(L, al, ax->ticks, ax->nticks, ax->ticklabels, ax->nticklabels,
                        err) != ORGFIG_OK)
            return err->status;
    } else if (cat) {
        double *pos = orgfig_alloc_array(L->meter, cat->ncat ? cat->ncat : 1,
                                         sizeof(double), false, "category ticks", err);
        if (pos == NULL)
            return err->status;
        for (size_t i = 0; i < cat->ncat; i++)
            pos[i] = (double)i;
        orgfig_status st =
            fixed_ticks(L, al, pos, cat->ncat, cat->cat_labels, cat->ncat, err);
        orgfig_free(pos);
        if (st != ORGFIG_OK)
            return st;
    } else {
        /* ticks.c's scoring prefers fewer ticks than the maximum, so
         * the maximum is generous; labels that collide reduce it. */
        double unit = horizontal ? L->font_px * 3.0 : L->font_px * 2.0;
        int max_ticks = (int)(len / unit);
        if (max_ticks > 12)
            max_ticks = 12;
        if (max_ticks < 2)
            max_ticks = 2;
        for (;;) {
            orgfig_ticks_free(&al->ticks);
            memset(&al->ticks, 0, sizeof al->ticks);
            if (orgfig_ticks_compute(al->scale, al->v0, al->v1, max_ticks, L->meter,
                                     &al->ticks, err) != ORGFIG_OK)
                return err->status;
            ticks_minus_signs(&al->ticks);
            bool over =
                horizontal ? x_labels_overlap(cr, L, al, 0) : y_labels_overlap(cr, L, al);
            if (!over || max_ticks <= 2)
                break;
            max_ticks--;
        }
    }
    if (horizontal && x_labels_overlap(cr, L, al, 0))
        al->rotate = x_labels_overlap(cr, L, al, 45) ? 90 : 45;
    measure_labels(cr, L, al);
    return ORGFIG_OK;
}

/* ---- per-axes pieces ---- */

static bool
axes_twin(const orgfig_figure *f, size_t ai)
{
    const orgfig_axes *ax = &f->axes[ai];
    if (ax->twinx)
        return true;
    for (size_t i = 0; i < ax->nartists; i++)
        if (ax->artists[i]->right)
            return true;
    return false;
}

static orgfig_status
legend_entries(const orgfig_figure *f, orgfig_layout *L, size_t ai, orgfig_err *err)
{
    const orgfig_axes *ax = &f->axes[ai];
    orgfig_axes_layout *al = &L->axes[ai];
    size_t n = 0;
    for (size_t i = 0; i < ax->nartists; i++) {
        const orgfig_artist *a = ax->artists[i];
        n += a->cls->legend_count ? a->cls->legend_count(a) : (a->label ? 1 : 0);
    }
    if (n == 0 || ax->legend == ORGFIG_LEGEND_NONE)
        return ORGFIG_OK;
    al->entries =
        orgfig_alloc_array(L->meter, n, sizeof *al->entries, true, "legend", err);
    if (al->entries == NULL)
        return err->status;
    for (size_t i = 0; i < ax->nartists; i++) {
        const orgfig_artist *a = ax->artists[i];
        size_t c = a->cls->legend_count ? a->cls->legend_count(a) : (a->label ? 1 : 0);
        for (size_t k = 0; k < c; k++) {
            const char *s = a->cls->legend_label ? a->cls->legend_label(a, k) : a->label;
            if (s == NULL)
                continue;
            al->entries[al->nentries++] = (orgfig_legend_entry){a, k, s};
        }
    }
    al->has_legend = al->nentries > 0;
    return ORGFIG_OK;
}

static void
legend_size(cairo_t *cr, const orgfig_layout *L, const orgfig_axes_layout *al, double *w,
            double *h)
{
    double fh = font_h(cr, L->font_px), wmax = 0;
    for (size_t i = 0; i < al->nentries; i++) {
        double tw = text_w(cr, L->font_px, al->entries[i].label);
        if (tw > wmax)
            wmax = tw;
    }
    double pad = 0.5 * L->font_px;
    *w = pad + 2.0 * L->font_px + 0.6 * L->font_px + wmax + pad;
    *h = pad * 2 + (double)al->nentries * fh + (double)(al->nentries - 1) * 0.25 * fh;
}

/* ---- margins ---- */

typedef struct margins {
    double l, r, t, b;
} margins;

static double
colorbar_width(const orgfig_layout *L)
{
    return fmax(6.0, 1.1 * L->font_px);
}

/* Margins axes AI needs around its box, from its measured labels.  X
 * labels may stick out beyond the box ends; that overhang counts too. */
static margins
need_margins(cairo_t *cr, const orgfig_figure *f, const orgfig_layout *L, size_t ai)
{
    const orgfig_axes *ax = &f->axes[ai];
    const orgfig_axes_layout *al = &L->axes[ai];
    double fh = font_h(cr, L->font_px), th = font_h(cr, L->title_px);
    double tl = L->tick_len, pad = L->pad;
    margins m = {0, 0, 0, 0};
    /* Left: y tick labels, y label. */
    m.l = tl;
    if (al->y.show_labels && al->y.label_w > 0)
        m.l += pad + al->y.label_w;
    bool labels = !ax->axis_off; /* :axis nil hides the axis labels too */
    if (ax->y.label && labels)
        m.l += pad + fh;
    /* Bottom: x tick labels, offset, x label. */
    m.b = tl;
    if (al->x.show_labels && al->x.label_h > 0)
        m.b += pad + al->x.label_h;
    if (al->x.show_labels && al->x.ticks.offset[0])
        m.b += 0.3 * pad + fh;
    if (ax->x.label && labels)
        m.b += pad + fh;
    /* Y tick labels are centred on their ticks: half a line above/below. */
    double half = al->y.label_w > 0 || (al->twin && al->y2.label_w > 0) ? fh / 2 : 0;
    m.b = fmax(m.b, half);
    /* Top: title, offsets. */
    m.t = half;
    double top = 0;
    if ((al->y.show_labels && al->y.ticks.offset[0]) ||
        (al->twin && al->y2.ticks.offset[0]))
        top += fh + 0.3 * pad;
    if (ax->title)
        top += th + pad;
    m.t = fmax(m.t, top);
    /* Right: twin axis, colorbar, outside legend. */
    m.r = 0;
    if (al->twin) {
        m.r += tl;
        if (al->y2.label_w > 0)
            m.r += pad + al->y2.label_w;
        if (ax->y2.label && labels)
            m.r += pad + fh;
    }
    if (al->has_colorbar) {
        m.r += 1.2 * L->font_px + colorbar_width(L) + tl;
        if (al->cbaxis.label_w > 0)
            m.r += pad + al->cbaxis.label_w;
        if (al->cb.label)
            m.r += pad + fh;
    }
    if (al->has_legend && al->legend_loc == ORGFIG_LEGEND_OUTSIDE) {
        double lw, lh;
        legend_size(cr, L, al, &lw, &lh);
        m.r += pad * 1.5 + lw;
    }
    /* Breathing room between the cells of a grid. */
    if (f->cols > 1)
        m.r = fmax(m.r, 1.5 * L->font_px);
    if (f->rows > 1)
        m.t = fmax(m.t, 0.75 * L->font_px);
    /* Overhang of x tick labels past the box ends. */
    if (al->x.show_labels && al->x.ticks.n > 0) {
        double box0 = al->box.x, box1 = al->box.x + al->box.w;
        for (size_t i = 0; i < al->x.ticks.n; i++) {
            const orgfig_tick *t = &al->x.ticks.ticks[i];
            if (t->minor || !t->label[0])
                continue;
            double px = orgfig_map_apply(&al->x.map, t->value);
            double w = text_w(cr, L->font_px, t->label);
            double lo, hi;
            if (al->x.rotate == 0) {
                lo = px - w / 2;
                hi = px + w / 2;
            } else {
                double r = al->x.rotate * DEG;
                lo = px - w * cos(r) - fh * sin(r);
                hi = px + fh * sin(r) / 2;
            }
            m.l = fmax(m.l, box0 - lo);
            m.r = fmax(m.r, hi - box1);
        }
    }
    return m;
}

/* ---- the whole layout ---- */

static orgfig_status
compute_ranges(const orgfig_figure *f, orgfig_layout *L, orgfig_err *err)
{
    size_t n = L->naxes;
    extent ux = {0}, uy = {0};
    extent *ex = orgfig_alloc_array(L->meter, n * 3, sizeof *ex, true, "extents", err);
    if (ex == NULL)
        return err->status;
    for (size_t i = 0; i < n; i++) {
        gather(f, i, &ex[3 * i], &ex[3 * i + 1], &ex[3 * i + 2]);
        if (ex[3 * i].any) {
            extent_add(&ux, ex[3 * i].lo, ex[3 * i].hi);
            ux.sticky |= ex[3 * i].sticky;
            ux.loose |= ex[3 * i].loose;
        }
        if (ex[3 * i + 1].any) {
            extent_add(&uy, ex[3 * i + 1].lo, ex[3 * i + 1].hi);
            uy.sticky |= ex[3 * i + 1].sticky;
            uy.loose |= ex[3 * i + 1].loose;
        }
    }
    orgfig_status st = ORGFIG_OK;
    for (size_t i = 0; i < n && st == ORGFIG_OK; i++) {
        const orgfig_axes *ax = &f->axes[i];
        orgfig_axes_layout *al = &L->axes[i];
        al->has_data = ax->nartists > 0;
        al->twin = axes_twin(f, i);
        st = view_for(f, i, 0, &ax->x, f->sharex ? &ux : &ex[3 * i], &al->x, err);
        if (st == ORGFIG_OK)
            st = view_for(f, i, 1, &ax->y, f->sharey ? &uy : &ex[3 * i + 1], &al->y, err);
        if (st == ORGFIG_OK && al->twin)
            st = view_for(f, i, 2, &ax->y2, &ex[3 * i + 2], &al->y2, err);
        size_t row = i / (size_t)f->cols, col = i % (size_t)f->cols;
        al->x.show_labels = !(f->sharex && row + 1 < (size_t)f->rows);
        al->y.show_labels = !(f->sharey && col > 0);
        al->y2.show_labels = true;
        al->cbaxis.show_labels = true;
        bool flip_y = false;
        for (size_t k = 0; k < ax->nartists; k++) {
            const orgfig_artist *a = ax->artists[k];
            if (a->cat_axis == ORGFIG_CAT_X && !al->cat_x)
                al->cat_x = a;
            if (a->cat_axis == ORGFIG_CAT_Y && !al->cat_y)
                al->cat_y = a;
            /* Images with row 0 at the top; axes a pie hides. */
            if (a->flip_y && !a->right && !ax->y.has_lim && !flip_y) {
                flip_y = true;
                al->y.invert = !al->y.invert;
            }
            if (a->cls->hides_axes)
                al->hidden = true;
            if (a->colorbar.want && !al->has_colorbar) {
                al->has_colorbar = true;
                al->cb = a->colorbar;
                al->cb_artist = a;
            }
        }
        if (ax->axis_off)
            al->hidden = true;
        if (al->has_colorbar && al->cb.log) {
            al->cbaxis.scale = ORGFIG_SCALE_LOG;
            al->cbaxis.v0 = al->cb.vmin > 0 ? al->cb.vmin : 1;
            al->cbaxis.v1 =
                al->cb.vmax > al->cbaxis.v0 ? al->cb.vmax : al->cbaxis.v0 * 10;
        } else if (al->has_colorbar) {
            al->cbaxis.scale = ORGFIG_SCALE_LINEAR;
            al->cbaxis.v0 = al->cb.vmin;
            al->cbaxis.v1 = al->cb.vmax;
            if (!(al->cbaxis.v1 > al->cbaxis.v0)) {
                al->cbaxis.v0 -= 0.5;
                al->cbaxis.v1 = al->cbaxis.v0 + 1;
            }
        }
        if (st == ORGFIG_OK)
            st = legend_entries(f, L, i, err);
        al->legend_loc = ax->legend;
    }
    orgfig_free(ex);
    return st;
}

/* Shrink BOX to keep the requested aspect (y units per x unit on screen). */
static void
apply_aspect(const orgfig_axes *ax, orgfig_axes_layout *al)
{
    if (ax->aspect <= 0 || al->x.scale != ORGFIG_SCALE_LINEAR ||
        al->y.scale != ORGFIG_SCALE_LINEAR)
        return;
    double dx = al->x.v1 - al->x.v0, dy = al->y.v1 - al->y.v0;
    double ux = al->box.w / dx, uy = al->box.h / dy;
    if (uy > ax->aspect * ux) {
        double h = ax->aspect * ux * dy;
        al->box.y += (al->box.h - h) / 2;
        al->box.h = h;
    } else {
        double w = uy / ax->aspect * dx;
        al->box.x += (al->box.w - w) / 2;
        al->box.w = w;
    }
}

static orgfig_status
all_ticks(cairo_t *cr, const orgfig_figure *f, orgfig_layout *L, orgfig_err *err)
{
    for (size_t i = 0; i < L->naxes; i++) {
        const orgfig_axes *ax = &f->axes[i];
        orgfig_axes_layout *al = &L->axes[i];
        orgfig_rect b = al->box;
        set_map(&al->x, b.x, b.w, false);
        set_map(&al->y, b.y, b.h, true);
        if (axis_ticks(cr, L, &ax->x, &al->x, b.w, true, al->cat_x, err) != ORGFIG_OK ||
            axis_ticks(cr, L, &ax->y, &al->y, b.h, false, al->cat_y, err) != ORGFIG_OK)
            return err->status;
        if (al->hidden) {
            al->x.ticks.n = al->y.ticks.n = 0;
            al->x.ticks.offset[0] = al->y.ticks.offset[0] = 0;
        }
        if (!al->x.show_labels || al->hidden)
            al->x.label_w = al->x.label_h = 0;
        if (!al->y.show_labels || al->hidden)
            al->y.label_w = al->y.label_h = 0;
        if (al->twin) {
            set_map(&al->y2, b.y, b.h, true);
            if (axis_ticks(cr, L, &ax->y2, &al->y2, b.h, false, NULL, err) != ORGFIG_OK)
                return err->status;
            if (al->hidden) {
                al->y2.ticks.n = 0;
                al->y2.ticks.offset[0] = 0;
                al->y2.label_w = al->y2.label_h = 0;
            }
        }
        if (al->has_colorbar && al->cb_artist->cls->colorbar_range &&
            (!al->cb_ranged || memcmp(&al->cb_box, &al->box, sizeof al->box) != 0)) {
            /* The range depends on the box (density counts per pixel). */
            const orgfig_artist *a = al->cb_artist;
            const orgfig_axis_layout *yl = a->right && al->twin ? &al->y2 : &al->y;
            orgfig_draw_ctx dc;
            memset(&dc, 0, sizeof dc);
            dc.fig = (orgfig_figure *)f;
            dc.axes = ax;
            dc.box = al->box;
            dc.mx = al->x.map;
            dc.my = yl->map;
            dc.vx0 = al->x.v0;
            dc.vx1 = al->x.v1;
            dc.vy0 = yl->v0;
            dc.vy1 = yl->v1;
            dc.scale = L->dev_scale;
            double lo, hi;
            if (a->cls->colorbar_range(a, &dc, &lo, &hi, err) != ORGFIG_OK)
                return err->status;
            al->cb_box = al->box;
            al->cb_ranged = true;
            al->cb.vmin = lo;
            al->cb.vmax = hi;
            al->cbaxis.v0 = lo;
            al->cbaxis.v1 = hi > lo ? hi : (al->cb.log ? lo * 10 : lo + 1);
        }
        if (al->has_colorbar) {
            set_map(&al->cbaxis, b.y, b.h, true);
            if (axis_ticks(cr, L, NULL, &al->cbaxis, b.h, false, NULL, err) != ORGFIG_OK)
                return err->status;
        }
    }
    return ORGFIG_OK;
}

/* Place boxes in their cells from aligned margins.  Returns the smallest
 * box side relative to its cell. */
static double
place_boxes(cairo_t *cr, const orgfig_figure *f, orgfig_layout *L, bool first)
{
    int R = f->rows, C = f->cols;
    margins colm[ORGFIG_MAX_GRID], rowm[ORGFIG_MAX_GRID];
    memset(colm, 0, sizeof colm);
    memset(rowm, 0, sizeof rowm);
    for (size_t i = 0; i < L->naxes; i++) {
        margins m;
        if (first) {
            /* A first guess before any ticks exist. */
            m = (margins){L->font_px * 5, L->font_px * 1.5, L->title_px * 2,
                          L->font_px * 4};
        } else {
            m = need_margins(cr, f, L, i);
        }
        size_t r = i / (size_t)C, c = i % (size_t)C;
        colm[c].l = fmax(colm[c].l, m.l);
        colm[c].r = fmax(colm[c].r, m.r);
        rowm[r].t = fmax(rowm[r].t, m.t);
        rowm[r].b = fmax(rowm[r].b, m.b);
    }
    double worst = 1;
    for (size_t i = 0; i < L->naxes; i++) {
        orgfig_axes_layout *al = &L->axes[i];
        size_t r = i / (size_t)C, c = i % (size_t)C;
        orgfig_rect cell = al->cell;
        orgfig_rect b;
        b.x = cell.x + colm[c].l;
        b.y = cell.y + rowm[r].t;
        b.w = cell.w - colm[c].l - colm[c].r;
        b.h = cell.h - rowm[r].t - rowm[r].b;
        worst = fmin(worst, fmin(b.w / cell.w, b.h / cell.h));
        if (b.w < 2)
            b.w = 2;
        if (b.h < 2)
            b.h = 2;
        al->box = b;
        apply_aspect(&f->axes[i], al);
    }
    (void)R;
    return worst;
}

/* ---- legend "best" ---- */

/* Mark the cells of grid G (GW x GH cells of side CELL, origin at the
 * box's corner OX, OY) that the segment (X0, Y0)-(X1, Y1) passes through,
 * by stepping along it at a third of a cell. */
static void
mark_segment(unsigned char *g, int gw, int gh, double cell, double ox, double oy,
             double x0, double y0, double x1, double y1)
{
    double len = hypot(x1 - x0, y1 - y0);
    double steps = ceil(len / (cell / 3));
    if (!(steps < 1e5))
        steps = 1e5; /* a segment far outside is clipped by the cell test */
    for (double k = 0; k <= steps; k++) {
        double t = steps > 0 ? k / steps : 0;
        double cx = (x0 + (x1 - x0) * t - ox) / cell,
               cy = (y0 + (y1 - y0) * t - oy) / cell;
        if (cx >= 0 && cy >= 0 && cx < gw && cy < gh)
            g[(size_t)cy * (size_t)gw + (size_t)cx] = 1;
    }
}

/* The corner where the legend (LW x LH, INSET from the box edges) covers
 * the least data.  Each artist's samples are drawn into a coarse grid of
 * the box: lines as the polyline through their samples, other kinds as
 * strokes between consecutive samples at the same x or the same y (bars,
 * bins, bands and areas sample their extent as such columns), single
 * points as points.  A corner's cost is the number of inked cells its box touches,
 * so a segment crossing a corner counts even without a vertex there.
 * Ties go to the first corner in matplotlib's order. */
static orgfig_status
best_corner(const orgfig_figure *f, const orgfig_layout *L, size_t ai, double lw,
            double lh, double inset, orgfig_legend_loc *loc, orgfig_err *err)
{
    static const orgfig_legend_loc order[4] = {
        ORGFIG_LEGEND_UPPER_RIGHT, ORGFIG_LEGEND_UPPER_LEFT, ORGFIG_LEGEND_LOWER_LEFT,
        ORGFIG_LEGEND_LOWER_RIGHT};
    const orgfig_axes *ax = &f->axes[ai];
    const orgfig_axes_layout *al = &L->axes[ai];
    orgfig_rect b = al->box;
    double cell = fmax(2.0, 0.4 * L->font_px);
    int gw = (int)ceil(b.w / cell), gh = (int)ceil(b.h / cell);
    if (gw < 1 || gh < 1) {
        *loc = order[0];
        return ORGFIG_OK;
    }
    enum { NS = 1000 };
    double *xy = orgfig_alloc_array(L->meter, 2 * NS, sizeof(double), false,
                                    "legend samples", err);
    if (xy == NULL)
        return err->status;
    unsigned char *g = orgfig_alloc_array(L->meter, (size_t)gw * (size_t)gh, 1, true,
                                          "legend grid", err);
    if (g == NULL) {
        orgfig_free(xy);
        return err->status;
    }
    for (size_t k = 0; k < ax->nartists; k++) {
        const orgfig_artist *a = ax->artists[k];
        if (!a->cls->sample)
            continue;
        size_t ns = a->cls->sample(a, xy, NS);
        const orgfig_map *my = a->right && al->twin ? &al->y2.map : &al->y.map;
        bool joined = a->kind == ORGFIG_LINE;
        double px0 = NAN, py0 = NAN, vx0 = NAN, vy0 = NAN;
        for (size_t s = 0; s < ns; s++) {
            double vx = xy[2 * s], vy = xy[2 * s + 1];
            if (isnan(vx) || isnan(vy) || (al->x.map.log && vx <= 0) ||
                (my->log && vy <= 0)) {
                px0 = py0 = vx0 = vy0 = NAN;
                continue;
            }
            double px = orgfig_map_apply(&al->x.map, vx), py = orgfig_map_apply(my, vy);
            if (!isfinite(px) || !isfinite(py)) {
                px0 = py0 = vx0 = vy0 = NAN;
                continue;
            }
            if (!isnan(px0) && (joined || vx == vx0 || vy == vy0))
                mark_segment(g, gw, gh, cell, b.x, b.y, px0, py0, px, py);
            else
                mark_segment(g, gw, gh, cell, b.x, b.y, px, py, px, py);
            px0 = px;
            py0 = py;
            vx0 = vx;
            vy0 = vy;
        }
    }
    size_t cost[4];
    for (int c = 0; c < 4; c++) {
        bool rt = order[c] == ORGFIG_LEGEND_UPPER_RIGHT ||
                  order[c] == ORGFIG_LEGEND_LOWER_RIGHT;
        bool tp =
            order[c] == ORGFIG_LEGEND_UPPER_RIGHT || order[c] == ORGFIG_LEGEND_UPPER_LEFT;
        double rx = rt ? b.w - inset - lw : inset, ry = tp ? inset : b.h - inset - lh;
        int cx0 = (int)floor(rx / cell), cx1 = (int)ceil((rx + lw) / cell);
        int cy0 = (int)floor(ry / cell), cy1 = (int)ceil((ry + lh) / cell);
        cost[c] = 0;
        for (int y = cy0 < 0 ? 0 : cy0; y < cy1 && y < gh; y++)
            for (int x = cx0 < 0 ? 0 : cx0; x < cx1 && x < gw; x++)
                cost[c] += g[(size_t)y * (size_t)gw + (size_t)x];
    }
    /* A legend larger than the box sticks out of it: never over a text
     * placed already (this axes' tick labels), whatever the data. */
    for (int c = 0; c < 4; c++) {
        bool rt = order[c] == ORGFIG_LEGEND_UPPER_RIGHT ||
                  order[c] == ORGFIG_LEGEND_LOWER_RIGHT;
        bool tp =
            order[c] == ORGFIG_LEGEND_UPPER_RIGHT || order[c] == ORGFIG_LEGEND_UPPER_LEFT;
        orgfig_rect r = {rt ? b.x + b.w - inset - lw : b.x + inset,
                         tp ? b.y + inset : b.y + b.h - inset - lh, lw, lh};
        for (size_t t = 0; t < L->ntexts; t++) {
            orgfig_rect u = L->texts[t].r;
            if (L->texts[t].s && r.x < u.x + u.w && u.x < r.x + r.w && r.y < u.y + u.h &&
                u.y < r.y + r.h)
                cost[c] += (size_t)gw * (size_t)gh + 1;
        }
    }
    size_t best = 0;
    for (size_t c = 1; c < 4; c++)
        if (cost[c] < cost[best])
            best = c;
    *loc = order[best];
    orgfig_free(g);
    orgfig_free(xy);
    return ORGFIG_OK;
}

/* Record every text with its final position. */
static orgfig_status
place_texts(cairo_t *cr, const orgfig_figure *f, orgfig_layout *L, orgfig_err *err)
{
    double fh = font_h(cr, L->font_px), th = font_h(cr, L->title_px);
    double tl = L->tick_len, pad = L->pad, fp = L->font_px;
    for (size_t i = 0; i < L->naxes; i++) {
        const orgfig_axes *ax = &f->axes[i];
        orgfig_axes_layout *al = &L->axes[i];
        orgfig_rect b = al->box;
        double x0 = b.x, x1 = b.x + b.w, y0 = b.y, y1 = b.y + b.h;
        orgfig_status st = ORGFIG_OK;
        /* X tick labels. */
        double below = y1 + tl;
        if (al->x.show_labels) {
            for (size_t k = 0; k < al->x.ticks.n && st == ORGFIG_OK; k++) {
                const orgfig_tick *t = &al->x.ticks.ticks[k];
                if (t->minor || !t->label[0])
                    continue;
                double px = orgfig_map_apply(&al->x.map, t->value);
                if (al->x.rotate == 0)
                    st = add_text(L, ORGFIG_TXT_XTICK, i, cr, t->label, fp, px,
                                  y1 + tl + pad, 1, 0, 0, err);
                else if (al->x.rotate == 45)
                    st = add_text(L, ORGFIG_TXT_XTICK, i, cr, t->label, fp, px,
                                  y1 + tl + pad, 2, 0, 45, err);
                else
                    st = add_text(L, ORGFIG_TXT_XTICK, i, cr, t->label, fp, px,
                                  y1 + tl + pad, 2, 1, 90, err);
            }
            if (al->x.label_h > 0)
                below += pad + al->x.label_h;
            if (al->x.ticks.offset[0] && st == ORGFIG_OK) {
                st = add_text(L, ORGFIG_TXT_XOFFSET, i, cr, al->x.ticks.offset, fp, x1,
                              below + 0.3 * pad, 2, 0, 0, err);
                below += 0.3 * pad + fh;
            }
        }
        bool labels = !ax->axis_off;
        if (ax->x.label && labels && st == ORGFIG_OK)
            st = add_text(L, ORGFIG_TXT_XLABEL, i, cr, ax->x.label,
                          fit_px(cr, ax->x.label, fp, centred_room(al, b)), (x0 + x1) / 2,
                          below + pad, 1, 0, 0, err);
        /* Y tick labels. */
        double left = x0 - tl;
        if (al->y.show_labels) {
            for (size_t k = 0; k < al->y.ticks.n && st == ORGFIG_OK; k++) {
                const orgfig_tick *t = &al->y.ticks.ticks[k];
                if (t->minor || !t->label[0])
                    continue;
                double py = orgfig_map_apply(&al->y.map, t->value);
                st = add_text(L, ORGFIG_TXT_YTICK, i, cr, t->label, fp, x0 - tl - pad, py,
                              2, 1, 0, err);
            }
            if (al->y.label_w > 0)
                left -= pad + al->y.label_w;
        }
        if (ax->y.label && labels && st == ORGFIG_OK)
            st = add_text(L, ORGFIG_TXT_YLABEL, i, cr, ax->y.label,
                          fit_px(cr, ax->y.label, fp, b.h), left - pad, (y0 + y1) / 2, 1,
                          2, 90, err);
        /* Right side. */
        double right = x1;
        if (al->twin) {
            right += tl;
            for (size_t k = 0; k < al->y2.ticks.n && st == ORGFIG_OK; k++) {
                const orgfig_tick *t = &al->y2.ticks.ticks[k];
                if (t->minor || !t->label[0])
                    continue;
                double py = orgfig_map_apply(&al->y2.map, t->value);
                st = add_text(L, ORGFIG_TXT_Y2TICK, i, cr, t->label, fp, x1 + tl + pad,
                              py, 0, 1, 0, err);
            }
            if (al->y2.label_w > 0)
                right += pad + al->y2.label_w;
            if (ax->y2.label && labels && st == ORGFIG_OK) {
                st = add_text(L, ORGFIG_TXT_Y2LABEL, i, cr, ax->y2.label,
                              fit_px(cr, ax->y2.label, fp, b.h), right + pad,
                              (y0 + y1) / 2, 1, 0, 90, err);
                right += pad + fh;
            }
        }
        if (al->has_colorbar) {
            double cx = right + 1.2 * fp;
            double cw = colorbar_width(L);
            al->colorbar = (orgfig_rect){cx, y0, cw, b.h};
            for (size_t k = 0; k < al->cbaxis.ticks.n && st == ORGFIG_OK; k++) {
                const orgfig_tick *t = &al->cbaxis.ticks.ticks[k];
                if (t->minor || !t->label[0])
                    continue;
                double py = orgfig_map_apply(&al->cbaxis.map, t->value);
                st = add_text(L, ORGFIG_TXT_CBTICK, i, cr, t->label, fp,
                              cx + cw + tl + pad, py, 0, 1, 0, err);
            }
            right =
                cx + cw + tl + (al->cbaxis.label_w > 0 ? pad + al->cbaxis.label_w : 0);
            if (al->cb.label && st == ORGFIG_OK) {
                st = add_text(L, ORGFIG_TXT_CBLABEL, i, cr, al->cb.label,
                              fit_px(cr, al->cb.label, fp, b.h), right + pad,
                              (y0 + y1) / 2, 1, 0, 90, err);
                right += pad + fh;
            }
        }
        /* Top: offsets, then the title. */
        double above = y0;
        if (al->y.show_labels && al->y.ticks.offset[0] && st == ORGFIG_OK)
            st = add_text(L, ORGFIG_TXT_YOFFSET, i, cr, al->y.ticks.offset, fp, x0,
                          y0 - 0.3 * pad, 0, 2, 0, err);
        if (al->twin && al->y2.ticks.offset[0] && st == ORGFIG_OK)
            st = add_text(L, ORGFIG_TXT_Y2OFFSET, i, cr, al->y2.ticks.offset, fp, x1,
                          y0 - 0.3 * pad, 2, 2, 0, err);
        if ((al->y.show_labels && al->y.ticks.offset[0]) ||
            (al->twin && al->y2.ticks.offset[0]))
            above -= fh + 0.3 * pad;
        if (ax->title && st == ORGFIG_OK)
            st = add_text(L, ORGFIG_TXT_TITLE, i, cr, ax->title,
                          fit_px(cr, ax->title, L->title_px, centred_room(al, b)),
                          (x0 + x1) / 2, above - pad, 1, 2, 0, err);
        (void)th;
        if (st != ORGFIG_OK)
            return st;
        /* The legend. */
        if (al->has_legend) {
            double lw, lh;
            legend_size(cr, L, al, &lw, &lh);
            double inset = 0.5 * fp;
            orgfig_rect r = {0, 0, lw, lh};
            orgfig_legend_loc loc = al->legend_loc;
            if (loc == ORGFIG_LEGEND_OUTSIDE) {
                r.x = right + pad * 1.5;
                r.y = y0;
            } else {
                if (loc == ORGFIG_LEGEND_BEST &&
                    best_corner(f, L, i, lw, lh, inset, &loc, err) != ORGFIG_OK)
                    return err->status;
                bool rt =
                    loc == ORGFIG_LEGEND_UPPER_RIGHT || loc == ORGFIG_LEGEND_LOWER_RIGHT;
                bool tp =
                    loc == ORGFIG_LEGEND_UPPER_RIGHT || loc == ORGFIG_LEGEND_UPPER_LEFT;
                r.x = rt ? x1 - inset - lw : x0 + inset;
                r.y = tp ? y0 + inset : y1 - inset - lh;
            }
            al->legend_loc = loc;
            al->legend = r;
            if (add_text(L, ORGFIG_TXT_LEGEND, i, cr, NULL, fp, r.x, r.y, 0, 0, 0, err) !=
                ORGFIG_OK)
                return err->status;
            L->texts[L->ntexts - 1].r = r;
        }
    }
    return ORGFIG_OK;
}

void
orgfig_layout_free(orgfig_layout *L)
{
    if (L->axes) {
        for (size_t i = 0; i < L->naxes; i++) {
            orgfig_axes_layout *al = &L->axes[i];
            orgfig_ticks_free(&al->x.ticks);
            orgfig_ticks_free(&al->y.ticks);
            orgfig_ticks_free(&al->y2.ticks);
            orgfig_ticks_free(&al->cbaxis.ticks);
            orgfig_free(al->entries);
        }
    }
    orgfig_free(L->axes);
    orgfig_free(L->texts);
    L->axes = NULL;
    L->texts = NULL;
    L->naxes = L->ntexts = L->captexts = 0;
}

static void
clear_axes(orgfig_layout *L)
{
    for (size_t i = 0; i < L->naxes; i++) {
        orgfig_axes_layout *al = &L->axes[i];
        orgfig_ticks_free(&al->x.ticks);
        orgfig_ticks_free(&al->y.ticks);
        orgfig_ticks_free(&al->y2.ticks);
        orgfig_ticks_free(&al->cbaxis.ticks);
        orgfig_free(al->entries);
        memset(al, 0, sizeof *al);
    }
    L->ntexts = 0;
}

orgfig_status
orgfig_layout_compute(orgfig_figure *f, cairo_t *cr, orgfig_layout *L, orgfig_err *err)
{
    memset(L, 0, sizeof *L);
    L->meter = &f->meter;
    L->width = f->width;
    L->height = f->height;
    L->naxes = (size_t)f->rows * (size_t)f->cols;
    L->axes =
        orgfig_alloc_array(L->meter, L->naxes, sizeof *L->axes, true, "layout", err);
    if (L->axes == NULL)
        return err->status;
    orgfig_text_font(cr, &f->style, 10);
    /* Pixel-dependent colorbar ranges (density) need the device scale:
     * image targets draw at the context's scale, vector ones at 1. */
    L->dev_scale = 1;
    if (cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE) {
        double dx = 1, dy = 0;
        cairo_user_to_device_distance(cr, &dx, &dy);
        if (fabs(dx) > 0)
            L->dev_scale = fabs(dx);
    }
    /* Fonts shrink on small figures: at 320x240 to about 70 %. */
    double fscale = sqrt(fmin(L->width / 640.0, L->height / 480.0));
    fscale = fmin(1.0, fmax(0.5, fscale));
    for (int attempt = 0; attempt < 5; attempt++) {
        clear_axes(L);
        L->font_px = f->style.font_size * ORGFIG_PT * fscale;
        L->title_px = f->style.title_size * ORGFIG_PT * fscale;
        L->tick_len = 3.5 * ORGFIG_PT * fscale;
        L->pad = 3.5 * ORGFIG_PT * fscale;
        double outer = fmax(2.0, 0.5 * L->font_px);
        /* The suptitle, then the grid of cells. */
        double top = outer;
        if (f->suptitle)
            top += font_h(cr, L->title_px) + L->pad;
        double gw = (L->width - 2 * outer) / f->cols;
        double gh = (L->height - top - outer) / f->rows;
        for (size_t i = 0; i < L->naxes; i++) {
            size_t r = i / (size_t)f->cols, c = i % (size_t)f->cols;
            L->axes[i].cell =
                (orgfig_rect){outer + (double)c * gw, top + (double)r * gh, gw, gh};
        }
        if (compute_ranges(f, L, err) != ORGFIG_OK)
            return err->status;
        double worst = place_boxes(cr, f, L, true);
        for (int round = 0; round < 4; round++) {
            if (all_ticks(cr, f, L, err) != ORGFIG_OK)
                return err->status;
            worst = place_boxes(cr, f, L, false);
        }
        /* Final ticks for the final boxes; if the labels grew, once more. */
        if (all_ticks(cr, f, L, err) != ORGFIG_OK)
            return err->status;
        double check = place_boxes(cr, f, L, false);
        if (all_ticks(cr, f, L, err) != ORGFIG_OK)
            return err->status;
        worst = fmin(worst, check);
        if (worst >= 0.3 || fscale <= 0.3)
            break;
        fscale *= 0.8;
    }
    if (f->suptitle &&
        add_text(L, ORGFIG_TXT_SUPTITLE, 0, cr, f->suptitle,
                 fit_px(cr, f->suptitle, L->title_px,
                        L->width - 2 * fmax(2.0, 0.5 * L->font_px)),
                 L->width / 2, fmax(2.0, 0.5 * L->font_px), 1, 0, 0, err) != ORGFIG_OK)
        return err->status;
    return place_texts(cr, f, L, err);
}
