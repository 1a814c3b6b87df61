/* render.h - internal: layout results, text helpers and the render entry.
 *
 * orgfig_figure_render (figure.h) is implemented in render.c.  Layout is
 * computed in logical pixels from MEASURED text (cairo font extents on the
 * render's own context), so text never overlaps or leaves the figure.  The
 * layout is exposed here so tests can check the rectangles without
 * decoding text from pixels.
 *
 * Units: logical pixels, y down.  Font sizes are points at 100 dpi
 * (ORGFIG_PT px per point); small figures shrink fonts (see layout.c). */
#ifndef ORGFIG_RENDER_H
#define ORGFIG_RENDER_H

#include <cairo.h>

#include "model.h"

/* What a laid-out text is, for tests and for drawing. */
typedef enum orgfig_text_kind {
    ORGFIG_TXT_XTICK,
    ORGFIG_TXT_YTICK,
    ORGFIG_TXT_Y2TICK,
    ORGFIG_TXT_CBTICK,
    ORGFIG_TXT_XLABEL,
    ORGFIG_TXT_YLABEL,
    ORGFIG_TXT_Y2LABEL,
    ORGFIG_TXT_XOFFSET,
    ORGFIG_TXT_YOFFSET,
    ORGFIG_TXT_Y2OFFSET,
    ORGFIG_TXT_TITLE,
    ORGFIG_TXT_SUPTITLE,
    ORGFIG_TXT_LEGEND, /* the whole legend box */
    ORGFIG_TXT_CBLABEL,
} orgfig_text_kind;

/* A text placed by layout: drawn by axes.c exactly as recorded. */
typedef struct orgfig_text_rect {
    orgfig_text_kind kind;
    size_t axes;
    orgfig_rect r; /* ink-independent box: advance width x font height, rotated */
    const char *s; /* borrowed (figure strings or tick labels); NULL for LEGEND */
    double x, y, rot, px;
    int ha, va;
    double tw, th; /* unrotated advance width and font height */
} orgfig_text_rect;

/* One axis after layout. */
typedef struct orgfig_axis_layout {
    orgfig_scale scale;
    double v0, v1;           /* view range in data units, v0 < v1 */
    bool invert;             /* v0 is at the right/top */
    orgfig_map map;          /* data -> logical pixel */
    orgfig_ticks ticks;      /* owned (the layout's meter) */
    bool show_labels;        /* false for inner axes of shared subplots */
    double rotate;           /* x tick label rotation in degrees: 0, 45 or 90 */
    double label_w, label_h; /* largest tick label box (after rotation) */
} orgfig_axis_layout;

typedef struct orgfig_legend_entry {
    const orgfig_artist *artist;
    size_t index;
    const char *label;
} orgfig_legend_entry;

typedef struct orgfig_axes_layout {
    orgfig_rect cell; /* the grid cell */
    orgfig_rect box;  /* the axes box (data area) */
    bool twin;        /* a right y axis is shown */
    bool has_data;
    orgfig_axis_layout x, y, y2;
    const orgfig_artist *cat_x, *cat_y; /* source of categorical labels */
    bool has_legend;
    orgfig_legend_loc legend_loc; /* resolved corner (never BEST) */
    orgfig_rect legend;
    orgfig_legend_entry *entries; /* owned */
    size_t nentries;
    bool hidden; /* an artist hides the frame, ticks and grid (pie) */
    bool has_colorbar;
    orgfig_colorbar_req cb;
    const orgfig_artist *cb_artist; /* the artist whose colorbar is shown */
    orgfig_rect cb_box;             /* the box its range was computed for */
    bool cb_ranged;                 /* cb_artist->cls->colorbar_range was called */
    orgfig_rect colorbar;
    orgfig_axis_layout cbaxis;
} orgfig_axes_layout;

typedef struct orgfig_layout {
    double width, height; /* logical pixels */
    double font_px;       /* tick, axis label and legend text */
    double title_px;      /* titles */
    double tick_len, pad; /* tick length and text padding */
    double dev_scale;     /* device pixels per logical pixel (1 for SVG/PDF) */
    size_t naxes;
    orgfig_axes_layout *axes; /* owned */
    orgfig_text_rect *texts;  /* owned: every text the figure draws */
    size_t ntexts, captexts;
    orgfig_meter *meter;
} orgfig_layout;

/* Compute the layout of F, measuring text with CR (whose user space is
 * logical pixels).  Allocations are charged to F's meter; free with
 * orgfig_layout_free, also after a failure. */
orgfig_status orgfig_layout_compute(orgfig_figure *f, cairo_t *cr, orgfig_layout *L,
                                    orgfig_err *err);
void orgfig_layout_free(orgfig_layout *L);
/* For tests: lay out F on a scratch surface without drawing. */
orgfig_status orgfig_figure_layout(orgfig_figure *f, orgfig_layout *L, orgfig_err *err);

/* Text.  HA: 0 left, 1 center, 2 right; VA: 0 top, 1 center, 2 bottom,
 * 3 baseline.  ROT: degrees counter-clockwise.  The box is the rotated
 * advance-width x (ascent + descent) rectangle's bounding box. */
void orgfig_text_font(cairo_t *cr, const orgfig_style *st, double px);
orgfig_rect orgfig_text_box(cairo_t *cr, const char *s, double x, double y, int ha,
                            int va, double rot);
void orgfig_text_draw(cairo_t *cr, const char *s, double x, double y, int ha, int va,
                      double rot);

/* axes.c: draw the grid (below the data) and the frame (spines, ticks,
 * labels, titles) of axes I; and the legend and the colorbar. */
void orgfig_axes_draw_grid(cairo_t *cr, const orgfig_figure *f, const orgfig_layout *L,
                           size_t i);
void orgfig_axes_draw_frame(cairo_t *cr, const orgfig_figure *f, const orgfig_layout *L,
                            size_t i);
void orgfig_axes_draw_legend(cairo_t *cr, const orgfig_figure *f, const orgfig_layout *L,
                             size_t i);
void orgfig_axes_draw_colorbar(cairo_t *cr, const orgfig_figure *f,
                               const orgfig_layout *L, size_t i);

/* plot_scatter.c: PNG scatters with more points than this stamp sprites
 * instead of drawing cairo paths (a variable so tests can compare both). */
extern size_t orgfig_scatter_sprite_min;
/* plot_scatter.c: threads stamping sprites at once (each owns a band of
 * the image; the image is the same as with 1), used from this many
 * points on. */
extern int orgfig_scatter_threads;
extern size_t orgfig_scatter_thread_min;
/* plot_line.c: false turns the M4 decimation of large sorted lines off
 * (tests compare both). */
extern bool orgfig_line_decimate;
/* Solid lines into images through lineraster.h (true) or cairo's stroker
 * (false, for tests comparing the two). */
extern bool orgfig_line_raster;

/* Paint CR's source through the W x H A8 coverage image A8 (STRIDE bytes
 * a row, a multiple of 4) placed at device pixel X0, Y0. */
void orgfig_paint_a8(cairo_t *cr, unsigned char *a8, int x0, int y0, int w, int h,
                     int stride);

/* Pixel access for stamping into a PNG target (dc->pixels != NULL). */
void orgfig_draw_pixels_begin(orgfig_draw_ctx *dc);
void orgfig_draw_pixels_end(orgfig_draw_ctx *dc);

#endif
