/* plot_line.c - orgfig-line, and the marker and dash helpers other kinds use.
 *
 * The whole polyline is drawn in one go with round joins, so dashes and
 * translucency look right across segments: solid lines into an image
 * (PNG) at least ORGFIG_RASTER_MIN_WIDTH device pixels wide as one
 * coverage mask (lineraster.h) composited once, everything else as one
 * cairo path stroked once.  NaN (and, on log
 * axes, values <= 0, and infinities) split the line into pieces.  Segments
 * are clipped (Liang-Barsky) to the axes box grown by a wide margin before
 * they reach cairo, whose fixed-point coordinates would wrap far outside.
 * For large data with sorted X (or no X), each quarter of a device-pixel
 * column keeps only its first, lowest, highest and last point (M4
 * decimation, from decimate.h; a local version handles log y, where
 * values <= 0 must break the line), which inks the same pixels with the
 * same coverage as the full line at a fraction of the cost. */
#include <math.h>
#include <string.h>

#include "decimate.h"
#include "lineraster.h"
#include "plotutil.h"
#include "props.h"
#include "render.h"

bool orgfig_line_decimate = true;
bool orgfig_line_raster = true;

/* Solid lines at least this wide (device pixels) are rasterized into a
 * coverage mask when drawn into an image; thinner ones keep cairo's exact
 * area coverage, which the mask's maximum-of-segments union lightens
 * visibly where several segments cross one pixel (test_render.c,
 * render_raster_line_matches_cairo_stroke). */
#define ORGFIG_RASTER_MIN_WIDTH 1.25

/* Decimation columns per device pixel.  With one column per pixel the
 * decimated line inks the same pixels as the full one but not with the
 * same coverage: inside a dense pixel the full line reaches its extremes
 * at many x positions, so the anti-aliased edge pixels of a noisy band
 * are nearly saturated, while the four kept points reach them at one x
 * only (0.1-1% of the pixels differed by more than 64 for 200k points).
 * Four columns per pixel follow the band's upper and lower envelope to a
 * quarter pixel, which brings that to at most 0.007% (test_render.c,
 * render_decimated_line_matches_full_line) for 16 points per pixel. */
#define M4_SUB 4

const char *const orgfig_marker_names[] = {"none",    "circle", "square", "triangle",
                                           "diamond", "plus",   "x",      NULL};
const char *const orgfig_dash_names[] = {"solid", "dashed", "dotted", "dashdot", NULL};

void
orgfig_marker_path(cairo_t *cr, orgfig_marker m, double x, double y, double s)
{
    double r = s / 2;
    switch (m) {
    case ORGFIG_MARKER_NONE:
        break;
    case ORGFIG_MARKER_CIRCLE:
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        cairo_close_path(cr);
        break;
    case ORGFIG_MARKER_SQUARE:
        cairo_rectangle(cr, x - r, y - r, s, s);
        break;
    case ORGFIG_MARKER_TRIANGLE:
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x + r * 0.866, y + r * 0.5);
        cairo_line_to(cr, x - r * 0.866, y + r * 0.5);
        cairo_close_path(cr);
        break;
    case ORGFIG_MARKER_DIAMOND:
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x + r * 0.7, y);
        cairo_line_to(cr, x, y + r);
        cairo_line_to(cr, x - r * 0.7, y);
        cairo_close_path(cr);
        break;
    case ORGFIG_MARKER_PLUS:
        cairo_move_to(cr, x - r, y);
        cairo_line_to(cr, x + r, y);
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x, y + r);
        break;
    case ORGFIG_MARKER_X:
        cairo_move_to(cr, x - r * 0.75, y - r * 0.75);
        cairo_line_to(cr, x + r * 0.75, y + r * 0.75);
        cairo_move_to(cr, x - r * 0.75, y + r * 0.75);
        cairo_line_to(cr, x + r * 0.75, y - r * 0.75);
        break;
    }
}

bool
orgfig_marker_stroked(orgfig_marker m)
{
    return m == ORGFIG_MARKER_PLUS || m == ORGFIG_MARKER_X;
}

void
orgfig_set_dash(cairo_t *cr, int dash, double w)
{
    /* matplotlib's patterns, in multiples of the line width. */
    double d[4];
    switch (dash) {
    case 1:
        d[0] = 3.7 * w;
        d[1] = 1.6 * w;
        cairo_set_dash(cr, d, 2, 0);
        break;
    case 2:
        d[0] = 1.0 * w;
        d[1] = 1.65 * w;
        cairo_set_dash(cr, d, 2, 0);
        break;
    case 3:
        d[0] = 6.4 * w;
        d[1] = 1.6 * w;
        d[2] = 1.0 * w;
        d[3] = 1.6 * w;
        cairo_set_dash(cr, d, 4, 0);
        break;
    default:
        cairo_set_dash(cr, NULL, 0, 0);
        break;
    }
}

/* ---- the line ---- */

typedef struct line_priv {
    double width; /* points; < 0: the style's line width */
    int dash;
    orgfig_marker marker;
    double msize; /* points */
    int step;     /* 0 none, 1 pre, 2 post, 3 mid */
    orgfig_points_memo extent;
} line_priv;

static const char *const line_args[] = {"X", "Y", NULL};
static const char *const line_props[] = {"width",       "dash", "marker",
                                         "marker-size", "step", NULL};

static orgfig_status
line_build(orgfig_artist *a, const orgfig_value *args, const orgfig_prop *props,
           size_t nprops, orgfig_err *err)
{
    const char *fn = "orgfig-line";
    orgfig_column *x = NULL, *y = NULL;
    orgfig_loc lx = orgfig_loc_arg(fn, "X", 0), ly = orgfig_loc_arg(fn, "Y", 1);
    if (orgfig_val_column(&args[1], &ly, true, &y, err) != ORGFIG_OK)
        return err->status;
    if (args[0].type != ORGFIG_V_NIL) {
        if (orgfig_val_column(&args[0], &lx, true, &x, err) != ORGFIG_OK)
            return err->status;
        if (x->n != y->n)
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: X has %zu values but Y has %zu", fn, x->n, y->n);
        bool any = false;
        for (size_t i = 0; i < x->n && !any; i++)
            any = isfinite(orgfig_column_get(x, i)) && isfinite(orgfig_column_get(y, i));
        if (!any)
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: no point has both X and Y finite", fn);
    }
    line_priv *p = orgfig_fig_alloc(a, sizeof *p, "a line", err);
    if (p == NULL)
        return err->status;
    a->priv = p;
    p->width = -1;
    p->msize = 6;
    for (size_t i = 0; i < nprops; i++) {
        const char *k = props[i].key;
        const orgfig_value *v = &props[i].val;
        orgfig_loc l = orgfig_loc_prop(fn, props, i);
        orgfig_status st = ORGFIG_OK;
        int e;
        if (strcmp(k, "width") == 0) {
            st = orgfig_val_number(v, &l, 0, 100, &p->width, err);
        } else if (strcmp(k, "dash") == 0) {
            static const char *const names[] = {"solid",   "dashed", "dotted",
                                                "dashdot", "nil",    NULL};
            st = orgfig_val_enum(v, &l, names, &e, err);
            p->dash = e == 4 ? 0 : e;
        } else if (strcmp(k, "marker") == 0) {
            static const char *const names[] = {"none",     "circle",  "square",
                                                "triangle", "diamond", "plus",
                                                "x",        "nil",     NULL};
            st = orgfig_val_enum(v, &l, names, &e, err);
            p->marker = e == 7 ? ORGFIG_MARKER_NONE : (orgfig_marker)e;
        } else if (strcmp(k, "marker-size") == 0) {
            st = orgfig_val_number(v, &l, 0, 1000, &p->msize, err);
        } else if (strcmp(k, "step") == 0) {
            static const char *const names[] = {"nil", "pre", "post", "mid", NULL};
            st = orgfig_val_enum(v, &l, names, &e, err);
            p->step = e;
        }
        if (st != ORGFIG_OK)
            return st;
    }
    a->cols[0] = orgfig_column_ref(x);
    a->cols[1] = orgfig_column_ref(y);
    a->ncols = 2;
    return ORGFIG_OK;
}

static bool
line_bounds(const orgfig_artist *a, orgfig_scale xs, orgfig_scale ys, orgfig_bounds *b)
{
    line_priv *p = a->priv;
    return orgfig_points_extent(a->cols[0], a->cols[1], xs == ORGFIG_SCALE_LOG,
                                ys == ORGFIG_SCALE_LOG, &p->extent, b);
}

/* A path builder that clips segments to a big rectangle. */
typedef struct pathb {
    cairo_t *cr;
    double x0, y0, x1, y1; /* the clip rectangle */
    bool have;             /* a previous point exists */
    double px, py;
    bool pen; /* the path's current point is (px, py) */
    uint64_t n;
    size_t inpath;      /* segments in the current cairo path */
    double len, budget; /* path length so far and the length that ends a chunk */
    orgfig_draw_ctx *dc;
    orgfig_err *err;
    bool quit; /* the poll said stop: emitters return at once */
    /* Raster mode (solid lines into an image): segments go into MASK, in
     * device pixels (logical times S), instead of into cairo's path;
     * (MX, MY) is the current point there. */
    orgfig_lmask *mask;
    double s, mx, my;
} pathb;

static inline void
pb_move(pathb *b, double x, double y)
{
    if (b->mask) {
        b->mx = x * b->s;
        b->my = y * b->s;
    } else {
        cairo_move_to(b->cr, x, y);
    }
}

static inline void
pb_line(pathb *b, double x, double y)
{
    if (b->mask) {
        double dx = x * b->s, dy = y * b->s;
        orgfig_lmask_segment(b->mask, b->mx, b->my, dx, dy);
        b->mx = dx;
        b->my = dy;
    } else {
        cairo_line_to(b->cr, x, y);
    }
}

/* Very long paths are stroked in pieces: cairo tessellates a stroke with
 * a sweep whose cost grows with the number of self-intersections, which
 * is quadratic for scattered (unsorted) data.  A piece ends after CHUNK
 * segments or once its length passes a few times the box's perimeter, so
 * each piece crosses itself only a bounded number of times.  The seams
 * are invisible (pieces continue from the same point). */
#define CHUNK 16384

static inline void
pb_segment_done(pathb *b, double x, double y, double seglen)
{
    b->len += seglen;
    if (++b->inpath < CHUNK && b->len < b->budget)
        return;
    b->len = 0;
    if (!b->mask) {
        cairo_stroke(b->cr);
        cairo_move_to(b->cr, x, y);
    }
    b->inpath = 0;
    if (orgfig_draw_poll(b->dc, CHUNK, b->err) != ORGFIG_OK)
        b->quit = true;
}

static bool
clip_seg(const pathb *b, double *ax, double *ay, double *bx, double *by)
{
    return orgfig_clip_segment(b->x0, b->y0, b->x1, b->y1, ax, ay, bx, by);
}

static inline void
pb_point(pathb *b, double x, double y)
{
    b->n++;
    if (!b->have) {
        b->have = true;
        b->px = x;
        b->py = y;
        b->pen = false;
        if (x >= b->x0 && x <= b->x1 && y >= b->y0 && y <= b->y1) {
            pb_move(b, x, y);
            b->pen = true;
        }
        return;
    }
    bool inside = x >= b->x0 && x <= b->x1 && y >= b->y0 && y <= b->y1;
    if (b->pen && inside) {
        pb_line(b, x, y);
        pb_segment_done(b, x, y, fabs(x - b->px) + fabs(y - b->py));
    } else {
        double ax = b->px, ay = b->py, bx = x, by = y;
        if (clip_seg(b, &ax, &ay, &bx, &by)) {
            if (!b->pen || ax != b->px || ay != b->py)
                pb_move(b, ax, ay);
            pb_line(b, bx, by);
            pb_segment_done(b, bx, by, fabs(bx - ax) + fabs(by - ay));
        }
        b->pen = inside;
    }
    b->px = x;
    b->py = y;
}

static inline void
pb_break(pathb *b)
{
    b->have = false;
    b->pen = false;
}

static inline bool
usable(double v, bool log)
{
    return isfinite(v) && (!log || v > 0);
}

/* Emit the (possibly stepped) line through all points. */
static void
emit_full(pathb *b, const orgfig_artist *a, const orgfig_draw_ctx *dc, int step)
{
    orgfig_column *xc = a->cols[0], *yc = a->cols[1];
    size_t n = yc->n;
    double lpx = NAN, lpy = NAN;
    bool have = false;
    for (size_t i = 0; i < n && !b->quit; i++) {
        double xv = xc ? orgfig_column_get(xc, i) : (double)i;
        double yv = orgfig_column_get(yc, i);
        if (!usable(xv, dc->mx.log) || !usable(yv, dc->my.log)) {
            pb_break(b);
            have = false;
            continue;
        }
        double px = orgfig_map_apply(&dc->mx, xv), py = orgfig_map_apply(&dc->my, yv);
        if (have && step) {
            if (step == 1) {
                pb_point(b, lpx, py);
            } else if (step == 2) {
                pb_point(b, px, lpy);
            } else {
                double mx = (lpx + px) / 2;
                pb_point(b, mx, lpy);
                pb_point(b, mx, py);
            }
        }
        pb_point(b, px, py);
        lpx = px;
        lpy = py;
        have = true;
    }
}

/* M4 decimation for sorted x on a log y axis: per column (a quarter of a
 * device pixel, M4_SUB) keep first, min, max, last (in that order of x,
 * with min/max in index order). */
static void
emit_m4(pathb *b, const orgfig_artist *a, const orgfig_draw_ctx *dc)
{
    orgfig_column *xc = a->cols[0], *yc = a->cols[1];
    size_t n = yc->n;
    double inv = dc->scale * M4_SUB; /* columns per logical pixel */
    bool open = false;
    long col = 0;
    double fx = 0, fy = 0, lx = 0, ly = 0, mnx = 0, mny = 0, mxx = 0, mxy = 0;
    size_t imn = 0, imx = 0;
    for (size_t i = 0; i < n && !b->quit; i++) {
        double xv = xc ? orgfig_column_get(xc, i) : (double)i;
        double yv = orgfig_column_get(yc, i);
        if (!usable(xv, dc->mx.log) || !usable(yv, dc->my.log)) {
            if (open) {
                pb_point(b, fx, fy);
                if (imn < imx) {
                    pb_point(b, mnx, mny);
                    pb_point(b, mxx, mxy);
                } else {
                    pb_point(b, mxx, mxy);
                    pb_point(b, mnx, mny);
                }
                pb_point(b, lx, ly);
                open = false;
            }
            pb_break(b);
            continue;
        }
        double px = orgfig_map_apply(&dc->mx, xv), py = orgfig_map_apply(&dc->my, yv);
        /* px is within the clip margin of the box here or far away; a
         * truncating cast with a correction is floor without a libm call. */
        double q = px * inv;
        if (q > 1e15 || q < -1e15)
            q = q > 0 ? 1e15 : -1e15;
        long c = (long)q;
        c -= q < (double)c;
        if (open && c == col) {
            if (py < mny) {
                mny = py;
                mnx = px;
                imn = i;
            }
            if (py > mxy) {
                mxy = py;
                mxx = px;
                imx = i;
            }
            lx = px;
            ly = py;
            continue;
        }
        if (open) {
            pb_point(b, fx, fy);
            if (imn < imx) {
                pb_point(b, mnx, mny);
                pb_point(b, mxx, mxy);
            } else {
                pb_point(b, mxx, mxy);
                pb_point(b, mnx, mny);
            }
            pb_point(b, lx, ly);
        }
        open = true;
        col = c;
        fx = lx = mnx = mxx = px;
        fy = ly = mny = mxy = py;
        imn = imx = i;
    }
    if (open) {
        pb_point(b, fx, fy);
        if (imn < imx) {
            pb_point(b, mnx, mny);
            pb_point(b, mxx, mxy);
        } else {
            pb_point(b, mxx, mxy);
            pb_point(b, mnx, mny);
        }
        pb_point(b, lx, ly);
    }
}

/* Decimate with decimate.h (the data layer's M4, which also restricts
 * the work to the visible x range by binary search) and emit the result. */
static orgfig_status
emit_m4_shared(pathb *b, const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    orgfig_column *xc = a->cols[0], *yc = a->cols[1];
    double devw = dc->box.w * dc->scale;
    orgfig_m4_opts mo = {dc->vx0, dc->vx1, (int)fmin(1e6, fmax(1, ceil(M4_SUB * devw))),
                         dc->mx.log};
    orgfig_hooks hooks = {dc->opts ? dc->opts->poll : NULL, NULL,
                          dc->opts ? dc->opts->ctx : NULL};
    orgfig_m4_out out = ORGFIG_M4_OUT_INIT(&a->fig->meter);
    if (orgfig_m4_decimate(xc, yc, &mo, &hooks, &out, "orgfig-render", err) !=
        ORGFIG_OK) {
        orgfig_m4_out_free(&out);
        return err->status;
    }
    if (out.unsorted) {
        orgfig_m4_out_free(&out);
        emit_full(b, a, dc, 0);
        return ORGFIG_OK;
    }
    for (size_t i = 0; i < out.n && !b->quit; i++) {
        double xv = out.xy[2 * i], yv = out.xy[2 * i + 1];
        if (isnan(xv) || isnan(yv) || (dc->mx.log && !(xv > 0))) {
            pb_break(b);
            continue;
        }
        pb_point(b, orgfig_map_apply(&dc->mx, xv), orgfig_map_apply(&dc->my, yv));
    }
    orgfig_m4_out_free(&out);
    return ORGFIG_OK;
}

static orgfig_status
draw_markers(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    const line_priv *p = a->priv;
    orgfig_column *xc = a->cols[0], *yc = a->cols[1];
    cairo_t *cr = dc->cr;
    double s = p->msize * ORGFIG_PT;
    double m = s + 2;
    orgfig_rect bx = dc->box;
    size_t batch = 0;
    for (size_t i = 0; i < yc->n; i++) {
        double xv = xc ? orgfig_column_get(xc, i) : (double)i;
        double yv = orgfig_column_get(yc, i);
        if (!usable(xv, dc->mx.log) || !usable(yv, dc->my.log))
            continue;
        double px = orgfig_map_apply(&dc->mx, xv), py = orgfig_map_apply(&dc->my, yv);
        if (px < bx.x - m || px > bx.x + bx.w + m || py < bx.y - m ||
            py > bx.y + bx.h + m)
            continue;
        orgfig_marker_path(cr, p->marker, px, py, s);
        if (++batch == 4096) {
            /* Long paths are slow to fill; flush in batches. */
            if (orgfig_marker_stroked(p->marker))
                cairo_stroke(cr);
            else
                cairo_fill(cr);
            batch = 0;
            if (orgfig_draw_poll(dc, 4096, err) != ORGFIG_OK)
                return err->status;
        }
    }
    if (orgfig_marker_stroked(p->marker))
        cairo_stroke(cr);
    else
        cairo_fill(cr);
    return ORGFIG_OK;
}

/* Paint the current source through the rows of MASK it touched. */
static void
composite_mask(cairo_t *cr, const orgfig_lmask *m)
{
    if (m->cov != NULL && m->jmin <= m->jmax)
        orgfig_paint_a8(cr, m->cov + (size_t)m->jmin * (size_t)m->stride, m->x0,
                        m->y0 + m->jmin, m->w, m->jmax - m->jmin + 1, m->stride);
}

static orgfig_status
line_draw(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    const line_priv *p = a->priv;
    cairo_t *cr = dc->cr;
    orgfig_column *xc = a->cols[0], *yc = a->cols[1];
    double lw = orgfig_artist_lw(a, p->width);
    orgfig_set_source(cr, orgfig_artist_rgba(a));
    if (lw > 0) {
        double margin = 1000 + lw;
        pathb b;
        memset(&b, 0, sizeof b);
        b.cr = cr;
        b.dc = dc;
        b.err = err;
        b.budget = 32 * (dc->box.w + dc->box.h);
        b.x0 = dc->box.x - margin;
        b.y0 = dc->box.y - margin;
        b.x1 = dc->box.x + dc->box.w + margin;
        b.y1 = dc->box.y + dc->box.h + margin;
        cairo_set_line_width(cr, lw);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_set_line_cap(cr, p->dash ? CAIRO_LINE_CAP_BUTT : CAIRO_LINE_CAP_ROUND);
        orgfig_set_dash(cr, p->dash, lw);
        /* Solid lines into an image are rasterized into a coverage mask
         * (lineraster.h) and composited once; dashes and vector output
         * keep cairo's stroker. */
        orgfig_lmask mask;
        bool raster = orgfig_line_raster && dc->pixels != NULL && p->dash == 0 &&
                      lw * dc->scale >= ORGFIG_RASTER_MIN_WIDTH;
        if (raster) {
            double s = dc->scale;
            int cx0 = (int)fmax(0, floor(dc->box.x * s)),
                cy0 = (int)fmax(0, floor(dc->box.y * s)),
                cx1 = (int)fmin(dc->dev_w, ceil((dc->box.x + dc->box.w) * s)),
                cy1 = (int)fmin(dc->dev_h, ceil((dc->box.y + dc->box.h) * s));
            if (orgfig_lmask_init(&mask, &a->fig->meter, cx0, cy0, cx1, cy1, lw * s,
                                  err) != ORGFIG_OK)
                return err->status;
            b.mask = &mask;
            b.s = s;
        }
        bool sorted = xc == NULL;
        if (xc) {
            orgfig_column_summary(xc);
            sorted = xc->sorted;
        }
        double devw = dc->box.w * dc->scale;
        if (orgfig_line_decimate && sorted && p->step == 0 &&
            (double)yc->n > 4 * M4_SUB * devw + 16) {
            if (dc->my.log) {
                emit_m4(&b, a, dc); /* values <= 0 must break the line, not be extremes */
            } else if (emit_m4_shared(&b, a, dc, err) != ORGFIG_OK) {
                if (raster)
                    orgfig_lmask_free(&mask);
                cairo_new_path(cr);
                return err->status;
            }
        } else {
            emit_full(&b, a, dc, p->step);
        }
        if (b.quit || orgfig_draw_poll(dc, b.n % CHUNK, err) != ORGFIG_OK) {
            if (raster)
                orgfig_lmask_free(&mask);
            cairo_new_path(cr);
            return err->status;
        }
        if (raster) {
            composite_mask(cr, &mask);
            orgfig_lmask_free(&mask);
        } else {
            cairo_stroke(cr);
        }
        orgfig_set_dash(cr, 0, lw);
    }
    if (p->marker != ORGFIG_MARKER_NONE) {
        cairo_set_line_width(cr, fmax(1.0, lw * 0.8));
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        return draw_markers(a, dc, err);
    }
    return ORGFIG_OK;
}

static void
line_swatch(const orgfig_artist *a, size_t i, cairo_t *cr, orgfig_rect r)
{
    (void)i;
    const line_priv *p = a->priv;
    double lw = orgfig_artist_lw(a, p->width);
    orgfig_set_source(cr, orgfig_artist_rgba(a));
    if (lw > 0) {
        cairo_set_line_width(cr, lw);
        orgfig_set_dash(cr, p->dash, lw);
        cairo_move_to(cr, r.x, r.y + r.h / 2);
        cairo_line_to(cr, r.x + r.w, r.y + r.h / 2);
        cairo_stroke(cr);
        orgfig_set_dash(cr, 0, lw);
    }
    if (p->marker != ORGFIG_MARKER_NONE) {
        cairo_set_line_width(cr, fmax(1.0, lw * 0.8));
        orgfig_marker_path(cr, p->marker, r.x + r.w / 2, r.y + r.h / 2,
                           fmin(p->msize * ORGFIG_PT, r.h * 1.2));
        if (orgfig_marker_stroked(p->marker))
            cairo_stroke(cr);
        else
            cairo_fill(cr);
    }
}

/* The line's vertices (every STRIDE-th of a long line), with (NaN, NaN)
 * at gaps and, for steps, the corners the step adds: layout's legend
 * placement draws the polyline through them. */
static size_t
line_sample(const orgfig_artist *a, double *xy, size_t max)
{
    const line_priv *p = a->priv;
    orgfig_column *xc = a->cols[0], *yc = a->cols[1];
    size_t n = yc->n, k = 0;
    int per = p->step == 0 ? 1 : p->step == 3 ? 3 : 2;
    size_t room = max / (size_t)per;
    size_t stride = n > room && room > 0 ? (n + room - 1) / room : 1;
    double lx = NAN, ly = NAN;
    for (size_t i = 0; i < n && k + (size_t)per <= max; i += stride) {
        double xv = xc ? orgfig_column_get(xc, i) : (double)i;
        double yv = orgfig_column_get(yc, i);
        if (!isfinite(xv) || !isfinite(yv)) {
            if (k > 0 && !isnan(xy[2 * k - 2]) && k + (size_t)per < max) {
                xy[2 * k] = xy[2 * k + 1] = NAN;
                k++;
            }
            lx = ly = NAN;
            continue;
        }
        if (p->step && !isnan(lx)) {
            double cx = p->step == 1 ? lx : p->step == 2 ? xv : (lx + xv) / 2;
            double cy = p->step == 1 ? yv : ly;
            xy[2 * k] = cx;
            xy[2 * k + 1] = cy;
            k++;
            if (p->step == 3) {
                xy[2 * k] = cx;
                xy[2 * k + 1] = yv;
                k++;
            }
        }
        xy[2 * k] = xv;
        xy[2 * k + 1] = yv;
        k++;
        lx = xv;
        ly = yv;
    }
    return k;
}

const orgfig_plot_class orgfig_plot_line = {
    .kind = ORGFIG_LINE,
    .fn = "orgfig-line",
    .nargs = 2,
    .arg_names = line_args,
    .props = line_props,
    .uses_cycle = true,
    .build = line_build,
    .bounds = line_bounds,
    .draw = line_draw,
    .legend_count = NULL,
    .legend_label = NULL,
    .legend_swatch = line_swatch,
    .sample = line_sample,
    .free = NULL,
};
