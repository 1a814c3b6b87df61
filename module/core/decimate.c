/* decimate.c - M4 decimation of line plots (see decimate.h).
 *
 * One pass over the points in view, bucket by bucket (a bucket is a pixel
 * column of one run): it records the indices of the first, last, lowest
 * and highest point, and the end of the column or a gap flushes it to the
 * output (its up to four distinct indices in original order).  Since x is
 * sorted, where a column ends is found by searching x, not by reading it
 * per point; the per-point work is one load of y, a finiteness test and
 * the min/max comparisons.  The loop is written once and specialised by
 * the compiler for each combination of x storage (indices, float64,
 * float32) and y storage (float64, float32). */
#include "decimate.h"

#include <float.h>
#include <math.h>

#define POLL_EVERY ((size_t)1 << 20)
#define MAX_WIDTH 1000000

enum { X_INDEX, X_F64, X_F32 };

typedef struct m4_ctx {
    const void *xd, *yd;
    int xkind;
    bool yf32;
    orgfig_m4_grid g;
    orgfig_m4_out *out;
    bool gap_pending; /* a break since the last point written */
    orgfig_err *err;
} m4_ctx;

static inline __attribute__((always_inline)) double
get_x(const m4_ctx *c, int xkind, size_t i)
{
    if (xkind == X_INDEX)
        return (double)i;
    if (xkind == X_F64)
        return ((const double *)c->xd)[i];
    return (double)((const float *)c->xd)[i];
}

static inline __attribute__((always_inline)) double
get_y(const m4_ctx *c, bool yf32, size_t i)
{
    return yf32 ? (double)((const float *)c->yd)[i] : ((const double *)c->yd)[i];
}

bool
orgfig_m4_grid_init(orgfig_m4_grid *g, double x0, double x1, long width, bool xlog)
{
    *g = (orgfig_m4_grid){
        x0, x1, x1 - x0, xlog ? log(x0) : 0, xlog ? log(x1) - log(x0) : 0, width, xlog};
    return isfinite(g->span) && (!xlog || g->lspan > 0);
}

double
orgfig_m4_edge(const orgfig_m4_grid *g, long b)
{
    if (g->xlog)
        return g->x0 * pow(g->x1 / g->x0, (double)b / (double)g->width);
    return g->x0 + g->span * (double)b / (double)g->width;
}

long
orgfig_m4_column(const orgfig_m4_grid *g, double x)
{
    double f = g->xlog ? (log(x) - g->lx0) / g->lspan : (x - g->x0) / g->span;
    double t = f * (double)g->width;
    long b = t <= 0 ? 0 : t >= (double)(g->width - 1) ? g->width - 1 : (long)t;
    while (b + 1 < g->width && orgfig_m4_edge(g, b + 1) <= x)
        b++;
    while (b > 0 && orgfig_m4_edge(g, b) > x)
        b--;
    return b;
}

orgfig_status
orgfig_m4_out_reserve(orgfig_m4_out *o, size_t need, size_t first, const char *what,
                      orgfig_err *err)
{
    if (o->n + need <= o->cap)
        return ORGFIG_OK;
    size_t cap = o->cap ? o->cap : first;
    while (cap < o->n + need)
        cap *= 2;
    double *xy =
        orgfig_realloc_array(o->meter, o->xy, cap, 2 * sizeof(double), what, err);
    if (xy == NULL)
        return err ? err->status : ORGFIG_E_NOMEM;
    o->xy = xy;
    o->cap = cap;
    return ORGFIG_OK;
}

static orgfig_status
grow_out(m4_ctx *c, size_t need)
{
    return orgfig_m4_out_reserve(c->out, need, 64, "decimated line", c->err);
}

/* Append point I (room is reserved), after a break mark if one is due. */
static inline __attribute__((always_inline)) void
put(m4_ctx *c, int xkind, bool yf32, size_t i)
{
    orgfig_m4_out_push(c->out, get_x(c, xkind, i), get_y(c, yf32, i), &c->gap_pending);
}

typedef struct bucket {
    size_t first, last, imin, imax;
    double ymin, ymax;
} bucket;

/* Write the bucket's distinct points in index order. */
static inline __attribute__((always_inline)) orgfig_status
flush(m4_ctx *c, int xkind, bool yf32, const bucket *k)
{
    if (grow_out(c, 5) != ORGFIG_OK)
        return c->err ? c->err->status : ORGFIG_E_NOMEM;
    size_t a = k->imin < k->imax ? k->imin : k->imax;
    size_t b = k->imin < k->imax ? k->imax : k->imin;
    put(c, xkind, yf32, k->first);
    if (a != k->first && a != k->last)
        put(c, xkind, yf32, a);
    if (b != a && b != k->first && b != k->last)
        put(c, xkind, yf32, b);
    if (k->last != k->first)
        put(c, xkind, yf32, k->last);
    return ORGFIG_OK;
}

/* The first index in (I, HI] whose x is >= V, given x[I] < V: gallop
 * from I, then bisect, so a column of m points costs O(log m) probes. */
static inline __attribute__((always_inline)) size_t
column_end(const m4_ctx *c, int xkind, size_t i, size_t hi, double v)
{
    if (xkind == X_INDEX) {
        double t = ceil(v);
        return t >= (double)hi ? hi : (size_t)t;
    }
    size_t below = i, step = 1;
    while (step < hi - i && get_x(c, xkind, i + step) < v) {
        below = i + step;
        step *= 2;
    }
    size_t lo = below + 1, top = step < hi - i ? i + step : hi;
    while (lo < top) {
        size_t mid = lo + (top - lo) / 2;
        if (get_x(c, xkind, mid) < v)
            lo = mid + 1;
        else
            top = mid;
    }
    return lo;
}

static inline __attribute__((always_inline)) bool
finite_fast(double v)
{
    return fabs(v) <= DBL_MAX; /* false for NaN and +-inf */
}

/* Decimate the points LO..HI-1 (all inside the view).  Each step finds
 * the next finite point, its column and where the column ends (by search
 * on x, so x is not read per point), then scans y over the column for
 * min and max until the column or the run ends. */
static inline __attribute__((always_inline)) orgfig_status
m4_loop(m4_ctx *c, int xkind, bool yf32, size_t lo, size_t hi, const orgfig_hooks *hooks,
        const char *fn)
{
    size_t i = lo, polled = lo;
    while (i < hi) {
        if (i - polled >= POLL_EVERY) {
            if (hooks && hooks->poll && hooks->poll(hooks->ctx))
                return orgfig_fail(c->err, ORGFIG_E_QUIT, "%s: interrupted", fn);
            polled = i;
        }
        double y = get_y(c, yf32, i);
        if (!finite_fast(y)) {
            c->gap_pending = c->out->n > 0;
            i++;
            continue;
        }
        double x = get_x(c, xkind, i);
        long col = orgfig_m4_column(&c->g, x);
        size_t j = col + 1 < c->g.width
                       ? column_end(c, xkind, i, hi, orgfig_m4_edge(&c->g, col + 1))
                       : hi;
        bucket k = {i, i, i, i, y, y};
        size_t p = i + 1;
        bool gap = false;
        while (p < j && !gap) {
            if (p - polled >= POLL_EVERY) {
                if (hooks && hooks->poll && hooks->poll(hooks->ctx))
                    return orgfig_fail(c->err, ORGFIG_E_QUIT, "%s: interrupted", fn);
                polled = p;
            }
            size_t stop = j - p > POLL_EVERY ? p + POLL_EVERY : j;
            for (; p < stop; p++) {
                double v = get_y(c, yf32, p);
                if (!finite_fast(v)) {
                    gap = true;
                    break;
                }
                if (v < k.ymin) {
                    k.ymin = v;
                    k.imin = p;
                } else if (v > k.ymax) {
                    k.ymax = v;
                    k.imax = p;
                }
            }
        }
        k.last = p - 1;
        if (flush(c, xkind, yf32, &k) != ORGFIG_OK)
            return c->err ? c->err->status : ORGFIG_E_NOMEM;
        i = p; /* at a gap, the loop's top marks it */
    }
    return ORGFIG_OK;
}

/* A lone point outside the view (the last before or first after it). */
static orgfig_status
edge_point(m4_ctx *c, size_t i)
{
    double y = c->yf32 ? (double)((const float *)c->yd)[i] : ((const double *)c->yd)[i];
    if (!isfinite(y)) {
        c->gap_pending = c->out->n > 0;
        return ORGFIG_OK;
    }
    if (grow_out(c, 2) != ORGFIG_OK)
        return c->err ? c->err->status : ORGFIG_E_NOMEM;
    if (c->xkind == X_INDEX)
        put(c, X_INDEX, c->yf32, i);
    else if (c->xkind == X_F64)
        put(c, X_F64, c->yf32, i);
    else
        put(c, X_F32, c->yf32, i);
    return ORGFIG_OK;
}

/* The first index in [0, N) whose x is >= V (STRICT: > V); x sorted. */
static size_t
search(const m4_ctx *c, size_t n, double v, bool strict)
{
    if (c->xkind == X_INDEX) {
        double t = strict ? floor(v) + 1 : ceil(v);
        return t <= 0 ? 0 : t >= (double)n ? n : (size_t)t;
    }
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        double x = c->xkind == X_F64 ? ((const double *)c->xd)[mid]
                                     : (double)((const float *)c->xd)[mid];
        if (strict ? x <= v : x < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

orgfig_status
orgfig_m4_decimate(orgfig_column *x, const orgfig_column *y, const orgfig_m4_opts *opts,
                   const orgfig_hooks *hooks, orgfig_m4_out *out, const char *fn,
                   orgfig_err *err)
{
    out->n = 0;
    out->gaps = 0;
    out->unsorted = false;
    if (y == NULL || opts == NULL)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: no data to decimate", fn);
    if (x && x->n != y->n)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: X has %zu values but Y has %zu",
                           fn, x->n, y->n);
    double x0 = opts->x0, x1 = opts->x1;
    if (!isfinite(x0) || !isfinite(x1) || !(x0 < x1) || (opts->xlog && !(x0 > 0)))
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: bad x range [%g, %g] to decimate over", fn, x0, x1);
    if (opts->width < 1 || opts->width > MAX_WIDTH)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: bad width %d to decimate over", fn,
                           opts->width);
    if (x) {
        orgfig_column_summary(x);
        if (!x->sorted) {
            out->unsorted = true;
            return ORGFIG_OK;
        }
    }
    m4_ctx c = {.xd = x ? x->data : NULL,
                .yd = y->data,
                .xkind = !x                       ? X_INDEX
                         : x->dtype == ORGFIG_F64 ? X_F64
                                                  : X_F32,
                .yf32 = y->dtype == ORGFIG_F32,
                .out = out,
                .err = err};
    if (!orgfig_m4_grid_init(&c.g, x0, x1, opts->width, opts->xlog))
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: x range [%g, %g] is too wide", fn,
                           x0, x1);
    size_t n = y->n;
    size_t lo = search(&c, n, x0, false), hi = search(&c, n, x1, true);
    /* Room for the usual case: four points per column, or every point. */
    size_t inview = hi - lo, guess = 4 * (size_t)opts->width + 8;
    orgfig_status st = grow_out(&c, (inview + 8 < guess ? inview + 8 : guess));
    if (st == ORGFIG_OK && lo > 0)
        st = edge_point(&c, lo - 1);
    if (st == ORGFIG_OK && lo < hi) {
        switch (c.xkind * 2 + c.yf32) {
        case X_INDEX * 2:
            st = m4_loop(&c, X_INDEX, false, lo, hi, hooks, fn);
            break;
        case X_INDEX * 2 + 1:
            st = m4_loop(&c, X_INDEX, true, lo, hi, hooks, fn);
            break;
        case X_F64 * 2:
            st = m4_loop(&c, X_F64, false, lo, hi, hooks, fn);
            break;
        case X_F64 * 2 + 1:
            st = m4_loop(&c, X_F64, true, lo, hi, hooks, fn);
            break;
        case X_F32 * 2:
            st = m4_loop(&c, X_F32, false, lo, hi, hooks, fn);
            break;
        default:
            st = m4_loop(&c, X_F32, true, lo, hi, hooks, fn);
            break;
        }
    }
    if (st == ORGFIG_OK && hi < n)
        st = edge_point(&c, hi);
    if (st != ORGFIG_OK) {
        out->n = 0;
        out->gaps = 0;
        return st;
    }
    return ORGFIG_OK;
}

void
orgfig_m4_out_free(orgfig_m4_out *out)
{
    orgfig_free(out->xy);
    out->xy = NULL;
    out->n = out->cap = out->gaps = 0;
}
