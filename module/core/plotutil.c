/* plotutil.c - polygons, number formats and colors shared by the plot
 * kinds (plotutil.h). */
#include "plotutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "props.h"

/* ---- polygons ---- */

void
orgfig_poly_init(orgfig_poly *p, orgfig_meter *meter)
{
    memset(p, 0, sizeof *p);
    p->meter = meter;
}

orgfig_status
orgfig_poly_push(orgfig_poly *p, double x, double y, orgfig_err *err)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        double *xy = orgfig_realloc_array(p->meter, p->xy, cap, 2 * sizeof(double),
                                          "a polygon", err);
        if (xy == NULL)
            return err->status;
        p->xy = xy;
        p->cap = cap;
    }
    p->xy[2 * p->n] = x;
    p->xy[2 * p->n + 1] = y;
    p->n++;
    return ORGFIG_OK;
}

void
orgfig_poly_free(orgfig_poly *p)
{
    orgfig_free(p->xy);
    orgfig_free(p->tmp);
    p->xy = p->tmp = NULL;
    p->n = p->cap = p->tcap = 0;
}

/* Whether (X, Y) is inside edge E of rectangle R: 0 left, 1 right, 2 top,
 * 3 bottom. */
static inline bool
inside(int e, const double *r, double x, double y)
{
    switch (e) {
    case 0:
        return x >= r[0];
    case 1:
        return x <= r[1];
    case 2:
        return y >= r[2];
    default:
        return y <= r[3];
    }
}

/* The crossing of segment A-B with edge E's line. */
static inline void
cross(int e, const double *r, double ax, double ay, double bx, double by, double *ox,
      double *oy)
{
    if (e < 2) {
        double xe = r[e];
        double t = (xe - ax) / (bx - ax);
        *ox = xe;
        *oy = ay + t * (by - ay);
    } else {
        double ye = r[e];
        double t = (ye - ay) / (by - ay);
        *ox = ax + t * (bx - ax);
        *oy = ye;
    }
}

orgfig_status
orgfig_poly_emit(orgfig_poly *p, cairo_t *cr, orgfig_rect lim, orgfig_err *err)
{
    double r[4] = {lim.x, lim.x + lim.w, lim.y, lim.y + lim.h};
    const double *src = p->xy;
    size_t n = p->n;
    bool all_in = true;
    for (size_t i = 0; i < n && all_in; i++) {
        double x = src[2 * i], y = src[2 * i + 1];
        all_in = x >= r[0] && x <= r[1] && y >= r[2] && y <= r[3];
    }
    if (!all_in && n >= 3) {
        /* After clipping to a convex region the polygon holds its inside
         * vertices, at most two boundary crossings per original edge and
         * region corners (at most one per crossing): under 5n + 8. */
        size_t need = 6 * n + 16;
        if (p->tcap < need) {
            double *t = orgfig_realloc_array(p->meter, p->tmp, need, 4 * sizeof(double),
                                             "polygon clipping", err);
            if (t == NULL) {
                p->n = 0;
                return err->status;
            }
            p->tmp = t;
            p->tcap = need;
        }
        double *bufs[2] = {p->tmp, p->tmp + 2 * p->tcap};
        for (int e = 0; e < 4 && n > 0; e++) {
            double *dst = bufs[e & 1];
            size_t m = 0;
            for (size_t i = 0; i < n; i++) {
                size_t j = i + 1 == n ? 0 : i + 1;
                double ax = src[2 * i], ay = src[2 * i + 1];
                double bx = src[2 * j], by = src[2 * j + 1];
                bool ain = inside(e, r, ax, ay), bin = inside(e, r, bx, by);
                if (ain) {
                    dst[2 * m] = ax;
                    dst[2 * m + 1] = ay;
                    m++;
                }
                if (ain != bin) {
                    cross(e, r, ax, ay, bx, by, &dst[2 * m], &dst[2 * m + 1]);
                    m++;
                }
                if (m + 2 > p->tcap)
                    break; /* cannot happen with tcap >= 2n + 8; be safe */
            }
            src = dst;
            n = m;
        }
    }
    if (n >= 3) {
        cairo_move_to(cr, src[0], src[1]);
        for (size_t i = 1; i < n; i++)
            cairo_line_to(cr, src[2 * i], src[2 * i + 1]);
        cairo_close_path(cr);
    }
    p->n = 0;
    return ORGFIG_OK;
}

orgfig_rect
orgfig_clip_rect(const orgfig_draw_ctx *dc)
{
    double m = 1000;
    return (orgfig_rect){dc->box.x - m, dc->box.y - m, dc->box.w + 2 * m,
                         dc->box.h + 2 * m};
}

/* ---- number formats ---- */

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

orgfig_status
orgfig_numfmt_check(const char *s, size_t len, char *out, const char *fn, const char *arg,
                    orgfig_err *err)
{
    const char *want = "exactly one %f, %e or %g conversion (with optional flags, width "
                       "and precision, e.g. \"%.1f\") and otherwise text and %%";
    if (len == 0 || len >= ORGFIG_NUMFMT_MAX)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: %s must be a format of 1 to %d bytes holding %s", fn, arg,
                           ORGFIG_NUMFMT_MAX - 1, want);
    if (memchr(s, 0, len))
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: %s must not contain NUL characters", fn, arg);
    int convs = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '%')
            continue;
        size_t start = i++;
        if (i < len && s[i] == '%')
            continue;
        while (i < len && strchr("-+ #0", s[i]) != NULL && s[i] != 0)
            i++;
        size_t d = 0;
        while (i < len && is_digit(s[i]) && d < 3) {
            i++;
            d++;
        }
        bool ok = d <= 2;
        if (ok && i < len && s[i] == '.') {
            i++;
            d = 0;
            while (i < len && is_digit(s[i]) && d < 3) {
                i++;
                d++;
            }
            ok = d <= 2;
        }
        if (!ok || i >= len || strchr("fFeEgG", s[i]) == NULL || s[i] == 0)
            return orgfig_fail(
                err, ORGFIG_E_INVALID,
                "%s: %s: the conversion \"%.*s\" at byte %zu is not allowed; "
                "the format must hold %s",
                fn, arg, (int)(i < len ? i - start + 1 : len - start), s + start, start,
                want);
        convs++;
    }
    if (convs != 1)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: %s has %d conversions; the format must hold %s", fn, arg,
                           convs, want);
    memcpy(out, s, len);
    out[len] = 0;
    return ORGFIG_OK;
}

orgfig_status
orgfig_numfmt_prop(const orgfig_value *v, const char *fn, const char *arg, size_t index,
                   const char *default_fmt, char *out, orgfig_err *err)
{
    if (v->type == ORGFIG_V_NIL) {
        out[0] = 0;
        return ORGFIG_OK;
    }
    if (v->type == ORGFIG_V_T) {
        snprintf(out, ORGFIG_NUMFMT_MAX, "%s", default_fmt);
        return ORGFIG_OK;
    }
    if (v->type != ORGFIG_V_STR)
        return orgfig_fail_type(err, "stringp", ORGFIG_WHERE_PROP, index,
                                "%s: %s must be t, nil or a format string such as "
                                "\"%%.1f\", got %s",
                                fn, arg, orgfig_value_kind(v));
    return orgfig_numfmt_check(v->str ? v->str : "", v->len, out, fn, arg, err);
}

void
orgfig_numfmt(const char *fmt, double v, char *buf, size_t size)
{
    /* FMT passed orgfig_numfmt_check (or is one of our literals): one
     * floating conversion and plain text, so it is safe as a format. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(buf, size, fmt, v);
#pragma GCC diagnostic pop
}

/* ---- colors and legends ---- */

orgfig_status
orgfig_colors_prop(const orgfig_value *v, const char *fn, const char *arg, size_t index,
                   orgfig_meter *meter, orgfig_rgba **out, size_t *n, orgfig_err *err)
{
    *out = NULL;
    *n = 0;
    if (v->type == ORGFIG_V_NIL)
        return ORGFIG_OK;
    if (v->type != ORGFIG_V_LIST || v->nitems == 0)
        return orgfig_fail_type(
            err, "listp", ORGFIG_WHERE_PROP, index,
            "%s: %s must be a non-empty list of colors, got %s", fn, arg,
            v->type == ORGFIG_V_LIST ? "an empty list" : orgfig_value_kind(v));
    orgfig_rgba *c =
        orgfig_alloc_array(meter, v->nitems, sizeof *c, true, "a list of colors", err);
    if (c == NULL)
        return err->status;
    for (size_t i = 0; i < v->nitems; i++) {
        orgfig_loc l;
        l.fn = fn;
        snprintf(l.name, sizeof l.name, "element %zu of %.30s", i, arg);
        l.where = ORGFIG_WHERE_PROP;
        l.index = index;
        if (orgfig_val_color(&v->items[i], &l, &c[i], err) != ORGFIG_OK) {
            orgfig_free(c);
            return err->status;
        }
    }
    *out = c;
    *n = v->nitems;
    return ORGFIG_OK;
}

void
orgfig_swatch_fill(cairo_t *cr, orgfig_rect r, orgfig_rgba c)
{
    orgfig_set_source(cr, c);
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    cairo_fill(cr);
}

double
orgfig_data_font_px(const orgfig_figure *f)
{
    double fscale = sqrt(fmin(f->width / 640.0, f->height / 480.0));
    fscale = fmin(1.0, fmax(0.5, fscale));
    return f->style.font_size * ORGFIG_PT * fscale;
}

/* Whether every value of C (NULL: 0, 1, ..., N-1) is usable on its axis. */
static bool
all_usable(orgfig_column *c, size_t n, bool log)
{
    if (c == NULL)
        return !log || n == 0;
    orgfig_column_summary(c);
    return c->nfinite == c->n && (!log || c->n == 0 || c->min > 0);
}

bool
orgfig_points_extent(orgfig_column *x, orgfig_column *y, bool xlog, bool ylog,
                     orgfig_points_memo *memo, orgfig_bounds *b)
{
    size_t n = y->n;
    b->xlo = b->xhi = b->ylo = b->yhi = NAN;
    if (all_usable(x, n, xlog) && all_usable(y, n, ylog)) {
        if (n == 0)
            return false;
        if (x) {
            b->xlo = x->min;
            b->xhi = x->max;
        } else {
            b->xlo = 0;
            b->xhi = (double)n - 1;
        }
        b->ylo = y->min;
        b->yhi = y->max;
        return true;
    }
    int k = xlog * 2 + ylog;
    if (memo && memo->known[k]) {
        *b = memo->b[k];
        return memo->ok[k];
    }
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double xv = x ? orgfig_column_get(x, i) : (double)i;
        double yv = orgfig_column_get(y, i);
        if (!orgfig_usable(xv, xlog) || !orgfig_usable(yv, ylog))
            continue;
        xlo = fmin(xlo, xv);
        xhi = fmax(xhi, xv);
        ylo = fmin(ylo, yv);
        yhi = fmax(yhi, yv);
    }
    bool ok = xlo <= xhi;
    if (ok) {
        b->xlo = xlo;
        b->xhi = xhi;
        b->ylo = ylo;
        b->yhi = yhi;
    }
    if (memo) {
        memo->known[k] = true;
        memo->ok[k] = ok;
        memo->b[k] = *b;
    }
    return ok;
}
