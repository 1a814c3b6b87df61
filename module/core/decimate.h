/* decimate.h - M4 decimation of line plots.
 *
 * A line of millions of points drawn into W pixel columns only needs, per
 * pixel column, the first, last, lowest and highest point of each
 * unbroken run of the line there: the polyline through those (in their
 * original order) covers the same pixels as all the segments, because
 * inside one column the line sweeps between its extremes anyway and the
 * segments between columns (last of one, first of the next) are kept
 * exactly.  So the output has at most 4 points per pixel column and run,
 * whatever N is, and drawing it is cheap.
 *
 * Buckets.  The view [X0, X1] is cut into WIDTH pixel columns with edges
 *   edge(b) = X0 + (X1 - X0) * b / WIDTH            (linear)
 *   edge(b) = X0 * pow(X1 / X0, (double)b / WIDTH)  (XLOG)
 * computed exactly so; point x belongs to column b when
 * edge(b) <= x < edge(b + 1), and x == X1 to the last column.  Besides
 * the points inside the view, the last point before X0 and the first
 * after X1 are kept, so the segments that cross the edges are drawn.
 *
 * Gaps.  A point whose y is not finite (NaN, +-inf) breaks the line; the
 * output marks the break with one (NaN, NaN) point, never at its start or
 * end, never two in a row.  Runs on both sides are decimated separately.
 *
 * Order.  Decimation needs x sorted (non-decreasing, no NaN: the column
 * summary's `sorted').  For unsorted x nothing is produced and
 * OUT->unsorted is set: the caller draws every segment itself.  With X
 * NULL the x values are the indices 0..N-1, which need no column.
 *
 * The work is one pass over the points in view (found by binary search),
 * with no allocation but the output's geometric growth. */
#ifndef ORGFIG_DECIMATE_H
#define ORGFIG_DECIMATE_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "column.h"
#include "data.h"

typedef struct orgfig_m4_opts {
    double x0, x1; /* the visible x range, x0 < x1, finite (both > 0 with xlog) */
    int width;     /* pixel columns across it, 1..1000000 */
    bool xlog;     /* columns evenly spaced in log(x) */
} orgfig_m4_opts;

/* The decimated polyline: N points as x,y pairs in XY (original data
 * values, not pixels), with (NaN, NaN) at the breaks. */
typedef struct orgfig_m4_out {
    double *xy;          /* 2 * cap doubles, counted; owned by this struct */
    size_t n, cap;       /* points held, points room */
    size_t gaps;         /* (NaN, NaN) separators among the N points */
    bool unsorted;       /* x was not sorted: N is 0, draw every segment */
    orgfig_meter *meter; /* charged with XY; may be NULL */
} orgfig_m4_out;

#define ORGFIG_M4_OUT_INIT(meter_)                                                       \
    {                                                                                    \
        NULL, 0, 0, 0, false, (meter_)                                                   \
    }

/* Decimate the line through X (NULL: indices) and Y into OUT, replacing
 * what OUT held (its buffer is reused).  X and Y must have the same length.
 * HOOKS->poll is called about every million points; stopping gives
 * ORGFIG_E_QUIT.  On any failure OUT->n is 0 and OUT keeps its buffer.  FN
 * names the Lisp function in messages.  X is not const only because its
 * summary may be computed and cached. */
orgfig_status orgfig_m4_decimate(orgfig_column *x, const orgfig_column *y,
                                 const orgfig_m4_opts *opts, const orgfig_hooks *hooks,
                                 orgfig_m4_out *out, const char *fn, orgfig_err *err);

/* Free OUT's buffer (OUT itself is the caller's). */
void orgfig_m4_out_free(orgfig_m4_out *out);

/* The pieces of M4 that the streamed line (stream.c) shares. */

/* WIDTH pixel columns across [X0, X1], evenly spaced in x or (XLOG) in
 * log x; the edges are computed as the Buckets paragraph above says. */
typedef struct orgfig_m4_grid {
    double x0, x1, span, lx0, lspan; /* span = x1 - x0; l*: logs for xlog */
    long width;
    bool xlog;
} orgfig_m4_grid;

/* Fill G; false when the range is too wide for its span (or, with XLOG,
 * its log span) to be finite and positive. */
bool orgfig_m4_grid_init(orgfig_m4_grid *g, double x0, double x1, long width, bool xlog);
/* The left edge of column B. */
double orgfig_m4_edge(const orgfig_m4_grid *g, long b);
/* The column of X in [x0, x1]: the last B in 0..width-1 with
 * edge(B) <= X (a guess from the scale, corrected against the edges). */
long orgfig_m4_column(const orgfig_m4_grid *g, double x);

/* Make room in OUT for NEED more points (growing geometrically from
 * FIRST points; WHAT names the buffer in an allocation failure). */
orgfig_status orgfig_m4_out_reserve(orgfig_m4_out *out, size_t need, size_t first,
                                    const char *what, orgfig_err *err);

/* Append (X, Y) to OUT, whose room is reserved, after a (NaN, NaN) break
 * when *GAP_PENDING (which is then cleared). */
static inline __attribute__((always_inline)) void
orgfig_m4_out_push(orgfig_m4_out *out, double x, double y, bool *gap_pending)
{
    if (*gap_pending) {
        out->xy[2 * out->n] = (double)NAN;
        out->xy[2 * out->n + 1] = (double)NAN;
        out->n++;
        out->gaps++;
        *gap_pending = false;
    }
    out->xy[2 * out->n] = x;
    out->xy[2 * out->n + 1] = y;
    out->n++;
}

#endif
