/* lineraster.h - wide anti-aliased polylines rasterized into a coverage
 * mask, for lines drawn into an image (PNG) instead of through cairo's
 * stroker.
 *
 * Cairo strokes a polyline by tessellating it into a polygon and sweeping
 * that with its exact-area scan converter; for a 1000-point random walk
 * on 800x600 that is most of a render, and it grows with the number of
 * edges each scanline crosses.  A stroke with round joins and round caps
 * is the union of capsules (each segment grown by half the line width),
 * so the mask instead takes, for every pixel near a segment, the coverage
 * of that segment's capsule and keeps the maximum over the segments: the
 * union, with each pixel counted once (as cairo's single stroke does,
 * which matters for translucent lines).  The coverage of a pixel at
 * distance D from the segment's axis is the 1-D box-filter area
 *   clamp(min(R + 1/2 - D, 2R), 0, 1)      (R = half the width)
 * which is exact for axis-parallel segments and within a few levels of
 * cairo's area coverage elsewhere (test_render.c compares the two).  The
 * caller composites the mask once with the line's colour (cairo_mask).
 *
 * Coverage is kept in ORGFIG_LMASK_LEVELS steps (stored as 0..255): a
 * step of 1/32 is below what the eye tells apart on a line's edge, and
 * it keeps the colours of a line's anti-aliased edge to 32 instead of
 * 256, so a plot of a line or two, its text and axes usually fits a
 * palette and its PNG is about half the size (line_100k: 51 -> 22 KB,
 * with the same pixel differences from cairo's stroke).
 *
 * Work per segment is proportional to the pixels within R + 1/2 of it;
 * nothing is allocated after orgfig_lmask_init.  Coordinates are device
 * pixels, with pixel (i, j) covering [i, i+1) x [j, j+1); any finite
 * values are accepted and clipped to the mask. */
#ifndef ORGFIG_LINERASTER_H
#define ORGFIG_LINERASTER_H

#include "alloc.h"
#include "error.h"

#define ORGFIG_LMASK_LEVELS 32

typedef struct orgfig_lmask {
    unsigned char *cov; /* H rows of STRIDE coverages, 0..255 */
    int x0, y0, w, h;   /* the device pixels the mask covers */
    int stride;         /* a multiple of 4 (cairo's A8 stride) */
    float r;            /* half the line width, device pixels */
    int jmin, jmax;     /* rows touched so far (jmin > jmax: none) */
} orgfig_lmask;

/* A zeroed mask for device pixels [X0, X1) x [Y0, Y1) and lines WIDTH
 * device pixels wide (> 0), allocated on METER.  An empty rectangle gives
 * a mask with no pixels, which ignores every segment. */
orgfig_status orgfig_lmask_init(orgfig_lmask *m, orgfig_meter *meter, int x0, int y0,
                                int x1, int y1, double width, orgfig_err *err);
/* Add the capsule of segment (AX, AY)-(BX, BY); a zero-length segment is
 * a dot of the line's width, as cairo draws it with round caps. */
void orgfig_lmask_segment(orgfig_lmask *m, double ax, double ay, double bx, double by);
void orgfig_lmask_free(orgfig_lmask *m);

/* Clip segment A-B to [LX, HX] x [LY, HY] (Liang-Barsky), moving only
 * the ends that lie outside; false when nothing of it is inside. */
bool orgfig_clip_segment(double lx, double ly, double hx, double hy, double *ax,
                         double *ay, double *bx, double *by);

#endif
