/* plotutil.h - helpers shared by the plot kinds (internal to the core).
 *
 * Polygons.  Filled areas are built point by point into a growable,
 * counted vertex buffer and then added to the cairo path as one sub-path.
 * Before they reach cairo, polygons are clipped (Sutherland-Hodgman) to
 * the axes box grown by a wide margin: cairo stores path coordinates in
 * 24.8 fixed point, which wraps far outside the surface, and a zoomed-in
 * view can put data vertices billions of pixels away.  Clipping to a
 * convex rectangle keeps the visible part of any (even self-crossing)
 * polygon exact under both fill rules.
 *
 * Number formats.  :annotate and :autopct take a printf-style format from
 * the user.  A user string is never handed to printf as given: it is
 * checked to hold exactly one floating conversion
 * %[flags][width][.precision](f|F|e|E|g|G) (flags among "-+ #0", width and
 * precision at most two digits each) and otherwise only literal text and
 * "%%"; anything else ("%s", "%n", "%d", "%5$f", "%lf", "%*f") is refused
 * with a message naming the function and the property.
 *
 * Pixel snapping.  PNG output puts the edges of bars and histogram boxes
 * on device-pixel boundaries (orgfig_snap_span). */
#ifndef ORGFIG_PLOTUTIL_H
#define ORGFIG_PLOTUTIL_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "value.h"

/* ---- polygons ---- */

typedef struct orgfig_poly {
    orgfig_meter *meter; /* where the buffers are charged */
    double *xy;          /* n points (x, y pairs) */
    size_t n, cap;
    double *tmp; /* clipping scratch, 2 buffers of tcap points each */
    size_t tcap;
} orgfig_poly;

/* An empty polygon whose buffers are charged to METER. */
void orgfig_poly_init(orgfig_poly *p, orgfig_meter *meter);
orgfig_status orgfig_poly_push(orgfig_poly *p, double x, double y, orgfig_err *err);
/* Clip the polygon to LIM and add it to CR's path as one closed sub-path
 * (nothing when it clips away); then empty the polygon. */
orgfig_status orgfig_poly_emit(orgfig_poly *p, cairo_t *cr, orgfig_rect lim,
                               orgfig_err *err);
void orgfig_poly_free(orgfig_poly *p);

/* The axes box of DC grown by a margin wide enough that strokes and
 * antialiasing at its edges are never affected. */
orgfig_rect orgfig_clip_rect(const orgfig_draw_ctx *dc);

/* Whether V can be drawn on an axis (finite, and positive on log axes). */
static inline bool
orgfig_usable(double v, bool log)
{
    return isfinite(v) && (!log || v > 0);
}

/* In PNG output (DC has pixels), move both ends of the span *A..*B (logical
 * units) of a filled rectangle to the nearest device-pixel boundary, as
 * matplotlib's Agg snaps rectilinear paths: bars get crisp edges,
 * neighbours share their edge without a seam, and the image keeps few
 * colours (a palette PNG).  Spans under 2 device pixels keep their exact
 * ends (rounded, they could vanish), as do SVG and PDF output. */
static inline void
orgfig_snap_span(const orgfig_draw_ctx *dc, double *a, double *b)
{
    double s = dc->scale, da = *a * s, db = *b * s;
    if (dc->pixels == NULL || !(fabs(da) < 1e9 && fabs(db) < 1e9) || fabs(db - da) < 2)
        return;
    *a = round(da) / s;
    *b = round(db) / s;
}

/* ---- number formats ---- */

#define ORGFIG_NUMFMT_MAX 64

/* Check the LEN bytes at S as a number format (see above) and copy it,
 * NUL-terminated, to OUT (ORGFIG_NUMFMT_MAX bytes).  FN and ARG name the
 * caller in the message. */
orgfig_status orgfig_numfmt_check(const char *s, size_t len, char *out, const char *fn,
                                  const char *arg, orgfig_err *err);
/* Read a format property: t gives DEFAULT_FMT, nil gives "" (off), a
 * string is checked as above. */
orgfig_status orgfig_numfmt_prop(const orgfig_value *v, const char *fn, const char *arg,
                                 size_t index, const char *default_fmt, char *out,
                                 orgfig_err *err);
/* Format V with the checked format FMT into BUF (always NUL-terminated). */
void orgfig_numfmt(const char *fmt, double v, char *buf, size_t size);

/* ---- colors and legends ---- */

/* Read a list of colors (strings or symbols) into *OUT (owned, charged to
 * METER) and *N. */
orgfig_status orgfig_colors_prop(const orgfig_value *v, const char *fn, const char *arg,
                                 size_t index, orgfig_meter *meter, orgfig_rgba **out,
                                 size_t *n, orgfig_err *err);
/* A filled swatch of color C with a thin edge of the same color. */
void orgfig_swatch_fill(cairo_t *cr, orgfig_rect r, orgfig_rgba c);
/* The font size (logical px) of text drawn inside the data area: the
 * style's size with the same shrink layout applies to small figures. */
double orgfig_data_font_px(const orgfig_figure *f);

/* Extents of point data, one per scale combination (linear or log on x,
 * on y), worked out on first use: the columns never change. */
typedef struct orgfig_points_memo {
    bool known[4], ok[4];
    orgfig_bounds b[4];
} orgfig_points_memo;

/* The data extent in *B of the points (X[i], Y[i]) that a line or
 * scatter plot draws: both coordinates usable (orgfig_usable) on their
 * scales.  X NULL means x = i.  A point missing one coordinate is not
 * drawn, so it does not widen the other axis either (matplotlib drops it
 * the same way).  When every point is usable this is the columns' cached
 * extents, in O(1); else one pass, kept in MEMO.  False (and NaNs in *B)
 * when no point is usable. */
bool orgfig_points_extent(orgfig_column *x, orgfig_column *y, bool xlog, bool ylog,
                          orgfig_points_memo *memo, orgfig_bounds *b);

#endif
