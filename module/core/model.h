/* model.h - the figure model's internal structures and the plot-class table.
 *
 * Internal to the core: figure.c, layout.c, axes.c, render.c and the
 * plot_*.c files include it; the adapter only sees figure.h.
 *
 * A figure owns ROWS x COLS axes; each axes owns an ordered array of
 * artists, one per successful plot call.  Every byte is charged to the
 * figure's meter (fig->meter); columns are referenced, never copied.
 *
 * Plot classes.  Each orgfig_kind has one `orgfig_plot_class` (a const
 * struct defined in its plot_KIND.c file under the name given in the table
 * at the end of this header).  figure.c finds the classes through weak
 * references, so a kind whose file is not linked yet simply reports "not
 * available"; adding a kind means writing plot_KIND.c that defines the
 * symbol, nothing else.
 *
 * How a plot call runs (figure.c, orgfig_figure_plot):
 *   1. checks the figure is usable and NARGS == cls->nargs;
 *   2. rejects unknown keys (known = the common keys below + cls->props);
 *   3. allocates a zeroed artist and fills the common fields from the
 *      common properties :axes :label :color :alpha :yaxis;
 *   4. calls cls->build (a, args, props, nprops, err), which validates the
 *      positional arguments and the kind's own properties (props.h
 *      helpers), takes column references into a->cols[] and allocates its
 *      private state into a->priv (figure meter: fig_alloc below);
 *   5. on failure destroys the artist (cls->free, then the generic parts) so
 *      the figure is exactly as before; on success appends it to the axes
 *      and, when cls->uses_cycle and no :color was given, gives it the next
 *      color of the axes' cycle.
 *
 * Rendering (render.c) asks each artist for its data extents (bounds),
 * lets layout.c place the axes, then calls draw for each artist in order
 * with the cairo context clipped to the axes box and a data->device
 * mapping (orgfig_draw_ctx).  Legends call legend_count/legend_label/
 * legend_swatch.
 *
 * Invariants: an artist in an axes array is fully built; a->cols[i] are
 * counted references released by the generic destroy; a->priv is an
 * orgfig_alloc block (or NULL) freed by the generic destroy after
 * cls->free, so cls->free only releases what priv itself points to. */
#ifndef ORGFIG_MODEL_H
#define ORGFIG_MODEL_H

#include <cairo.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "color.h"
#include "figure.h"
#include "ticks.h"

#define ORGFIG_FIGURE_MAGIC 0x46696731u /* "Fig1" */
#define ORGFIG_ARTIST_MAXCOLS 8

/* Points to logical pixels: orgfig lays out like matplotlib at 100 dpi, so
 * a 640x480 figure with 10 pt text looks like matplotlib's defaults. */
#define ORGFIG_PT 1.3888888888888888 /* 100 / 72 */

typedef struct orgfig_rect {
    double x, y, w, h; /* logical pixels, y down */
} orgfig_rect;

/* Style: figure-wide, set by :background ... :cycle. */
typedef struct orgfig_style {
    orgfig_rgba background, foreground, grid;
    char *font_family;  /* owned; "DejaVu Sans" by default */
    double font_size;   /* points */
    double title_size;  /* points */
    double line_width;  /* points: default width of lines */
    orgfig_rgba *cycle; /* owned; NULL means tab10 (orgfig_cycle_color) */
    size_t ncycle;
} orgfig_style;

/* One axis (x, left y, or the twin right y) of an axes. */
typedef struct orgfig_axis {
    orgfig_scale scale;
    bool has_lim; /* :xlim given: exactly these limits, no margin */
    double lim_lo, lim_hi;
    bool invert;
    char *label;   /* owned or NULL */
    double *ticks; /* owned explicit tick positions or NULL */
    size_t nticks;
    char **ticklabels; /* owned array of owned strings or NULL */
    size_t nticklabels;
} orgfig_axis;

typedef enum orgfig_legend_loc {
    ORGFIG_LEGEND_NONE,
    ORGFIG_LEGEND_BEST,
    ORGFIG_LEGEND_UPPER_RIGHT,
    ORGFIG_LEGEND_UPPER_LEFT,
    ORGFIG_LEGEND_LOWER_LEFT,
    ORGFIG_LEGEND_LOWER_RIGHT,
    ORGFIG_LEGEND_OUTSIDE,
} orgfig_legend_loc;

typedef enum orgfig_grid_mode {
    ORGFIG_GRID_NONE,
    ORGFIG_GRID_BOTH,
    ORGFIG_GRID_X,
    ORGFIG_GRID_Y,
} orgfig_grid_mode;

typedef struct orgfig_artist orgfig_artist;

typedef struct orgfig_axes {
    size_t index; /* row-major */
    char *title;  /* owned or NULL */
    orgfig_axis x, y, y2;
    bool twinx;
    orgfig_grid_mode grid;
    orgfig_legend_loc legend;
    double aspect; /* 0: auto; > 0: data units of y per unit of x on screen (1 = equal) */
    bool axis_off; /* :axis nil: no spines, ticks, tick labels, axis labels or grid */
    orgfig_artist **artists; /* owned array of owned artists */
    size_t nartists, cap;
    size_t cycle_next; /* next cycle color for an artist without :color */
} orgfig_axes;

struct orgfig_figure {
    uint32_t magic;
    bool closed;
    bool busy; /* true for the whole of a render */
    uint64_t id;
    orgfig_meter meter; /* everything the figure allocates, struct included */
    int width, height;  /* logical pixels */
    double scale;       /* device pixels per logical pixel */
    int rows, cols;
    bool sharex, sharey;
    char *suptitle; /* owned or NULL */
    orgfig_style style;
    orgfig_axes *axes; /* rows*cols, owned */
};

/* A request, made by an artist, for a colorbar at the right of its axes
 * (heatmap, scatter with :colorbar t).  Layout honours the first request
 * of each axes.  vmin/vmax may be filled in by build (from the data). */
typedef struct orgfig_colorbar_req {
    bool want;
    orgfig_cmap cmap;
    double vmin, vmax;
    bool log;          /* a log axis over [vmin, vmax] (density counts) */
    const char *label; /* :colorbar-label: borrowed from the artist, or NULL */
} orgfig_colorbar_req;

/* Categorical positions 0..n-1 on one axis, labelled with strings (bar,
 * box): layout uses them as tick labels unless the user gave ticks. */
typedef enum orgfig_cat_axis {
    ORGFIG_CAT_NONE,
    ORGFIG_CAT_X,
    ORGFIG_CAT_Y,
} orgfig_cat_axis;

typedef struct orgfig_plot_class orgfig_plot_class;

struct orgfig_artist {
    orgfig_kind kind;
    const orgfig_plot_class *cls;
    orgfig_figure *fig; /* for fig->meter and the style */
    size_t axes;        /* index into fig->axes */
    bool right;         /* :yaxis right: drawn against the twin y axis */
    char *label;        /* owned or NULL; the legend text */
    bool color_set;     /* :color given; else the style's cycle color number
                         * cycle_index, resolved at render time so a theme
                         * set after plotting still applies */
    orgfig_rgba color;
    size_t cycle_index;
    double alpha;                               /* 1 unless :alpha */
    orgfig_column *cols[ORGFIG_ARTIST_MAXCOLS]; /* counted references */
    size_t ncols;
    orgfig_cat_axis cat_axis; /* categorical axis, if any */
    char **cat_labels;        /* owned array of owned strings */
    size_t ncat;
    orgfig_colorbar_req colorbar;
    char *colorbar_label; /* owned or NULL; :colorbar-label (heatmap, scatter) */
    /* Images (heatmap): TIGHT asks for no margin around the artist's
     * bounds when only tight artists set that direction's range; FLIP_Y
     * asks for a downward y axis (row 0 at the top, like imshow's origin
     * upper) unless the user gave :ylim.  Honoured by layout.c. */
    bool tight, flip_y;
    bool data_colors; /* set by build: colors come from the data through a
                       * colormap, so the artist takes no cycle color */
    void *priv;       /* kind-specific, orgfig_alloc'd on fig->meter; freed generically */
};

/* Data extents of one artist, in data units.  A NaN pair means "does not
 * constrain this direction" (hline has no x extent).  On log scales, only
 * positive values count: non-positive values are skipped when drawing. */
typedef struct orgfig_bounds {
    double xlo, xhi, ylo, yhi;
    bool sticky_x0, sticky_y0; /* no margin past 0 on that side (bars, histograms) */
} orgfig_bounds;

/* Data -> logical pixel map of one direction: px = off + k * f(v), where
 * f is log10 on log axes.  Inversion is a negative k. */
typedef struct orgfig_map {
    double k, off;
    bool log;
} orgfig_map;

/* Everything a draw function needs. */
typedef struct orgfig_draw_ctx {
    cairo_t *cr; /* clipped to box; user space = logical pixels */
    orgfig_figure *fig;
    const orgfig_axes *axes;
    orgfig_rect box;           /* the axes box */
    orgfig_map mx, my;         /* for this artist (my is the twin map for :yaxis right) */
    double vx0, vx1, vy0, vy1; /* the view ranges (data units) */
    const orgfig_render_opts *opts;
    /* PNG only (NULL for SVG/PDF): the target pixels, for direct stamping.
     * Call cairo_surface_flush before writing and cairo_surface_mark_dirty
     * after (orgfig_draw_pixels_begin/end). */
    unsigned char *pixels;
    int dev_w, dev_h, stride;
    double scale;
    uint64_t prims; /* primitives drawn so far, for the poll */
    uint64_t next_poll;
    /* Progress (render.c): reported through opts->progress only for
     * long renders.  WORK_* are in points (slow kinds weigh more); the
     * current artist has WORK_ARTIST units for ARTIST_N points and began
     * at PRIMS0 primitives. */
    bool progress;
    double work_done, work_total, work_artist, progress_last;
    uint64_t prims0, artist_n;
} orgfig_draw_ctx;

struct orgfig_plot_class {
    orgfig_kind kind;
    const char *fn;               /* "orgfig-line" */
    size_t nargs;                 /* positional arguments */
    const char *const *arg_names; /* {"X", "Y"}: for messages */
    const char *const *props;     /* kind-specific keys (no colon), NULL-terminated */
    bool uses_cycle;              /* takes the next cycle color when :color is absent */
    bool color_values; /* :color may be a sequence of numbers (build reads it) */
    /* Pie: an axes holding such an artist draws no frame, ticks or grid
     * (layout gives the tick labels no room; titles and legend remain). */
    bool hides_axes;
    /* Validate ARGS and the kind's own PROPS; take column references into
     * a->cols and allocate a->priv.  On failure leave whatever it made in
     * the artist (the caller's destroy frees it). */
    orgfig_status (*build)(orgfig_artist *a, const orgfig_value *args,
                           const orgfig_prop *props, size_t nprops, orgfig_err *err);
    /* Data extents given the axis scales; false when nothing is drawable. */
    bool (*bounds)(const orgfig_artist *a, orgfig_scale xs, orgfig_scale ys,
                   orgfig_bounds *out);
    orgfig_status (*draw)(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err);
    /* Legend: number of entries (NULL: 1 when a->label, else 0), the Ith
     * label (NULL: a->label) and a swatch drawn in R. */
    size_t (*legend_count)(const orgfig_artist *a);
    const char *(*legend_label)(const orgfig_artist *a, size_t i);
    void (*legend_swatch)(const orgfig_artist *a, size_t i, cairo_t *cr, orgfig_rect r);
    /* Up to MAX data points (x, y pairs into XY) spread over the data, for
     * :legend best; may be NULL. */
    size_t (*sample)(const orgfig_artist *a, double *xy, size_t max);
    /* Colorbars whose range depends on the view and the device pixels
     * (density scatter counts): layout calls this with the final box and
     * maps in DC (dc->pixels NULL, dc->scale the device pixels per
     * logical pixel of the draw) and sets the colorbar's range to
     * [*LO, *HI].  Draw must then colour with exactly that range.  May be
     * NULL (the range in a->colorbar is used). */
    orgfig_status (*colorbar_range)(const orgfig_artist *a, const orgfig_draw_ctx *dc,
                                    double *lo, double *hi, orgfig_err *err);
    /* Free what a->priv points to (not priv itself); may be NULL. */
    void (*free)(orgfig_artist *a);
};

/* The classes, one per kind (weak: a missing file means "not available"). */
extern const orgfig_plot_class orgfig_plot_line, orgfig_plot_scatter, orgfig_plot_bar,
    orgfig_plot_hist, orgfig_plot_heatmap, orgfig_plot_fill_between, orgfig_plot_errorbar,
    orgfig_plot_area, orgfig_plot_box, orgfig_plot_pie, orgfig_plot_text,
    orgfig_plot_hline, orgfig_plot_vline;
/* The class of KIND, or NULL when not linked in. */
const orgfig_plot_class *orgfig_plot_class_of(orgfig_kind kind);

/* The bin of position T (in bins from the first) among N bins, clamped to
 * [0, N-1] in floating point first: converting a NaN, an infinity or a value
 * beyond LONG_MAX to an integer is undefined behaviour. */
static inline long
orgfig_bin_index(double t, long n)
{
    return t > 0 ? (t < (double)n ? (long)t : n - 1) : 0;
}

/* The properties of orgfig-hist, shared by plot_hist.c and the streamed
 * histogram (stream.c). */
typedef struct orgfig_hist_opts {
    long bins; /* 0: auto */
    bool has_range;
    double lo, hi; /* with has_range */
    bool density, cumulative, step;
} orgfig_hist_opts;

/* Read the hist properties of PROPS (other keys are ignored) into *O;
 * errors name FN. */
orgfig_status orgfig_hist_parse(const char *fn, const orgfig_prop *props, size_t nprops,
                                orgfig_hist_opts *o, orgfig_err *err);
/* Apply :cumulative and :density to the raw COUNTS of NBINS bins of WIDTH
 * holding N values. */
void orgfig_hist_normalize(double *counts, size_t nbins, size_t n, double width,
                           const orgfig_hist_opts *o);

/* Replace the counts of the histogram artist A (made by orgfig_figure_plot
 * with kind ORGFIG_HIST) by the NBINS HEIGHTS of equal bins over [LO, HI],
 * which A takes over (a block on the figure's meter); STEP draws the
 * outline.  Cannot fail.  Streamed histograms (stream.c) count a file
 * themselves and hand the counts over this way. */
void orgfig_hist_adopt(orgfig_artist *a, double *heights, size_t nbins, double lo,
                       double hi, bool step);

/* Allocation charged to the artist's figure. */
void *orgfig_fig_alloc(orgfig_artist *a, size_t n, const char *what, orgfig_err *err);

/* The color an artist draws with (its color with its alpha applied). */
orgfig_rgba orgfig_artist_rgba(const orgfig_artist *a);
void orgfig_set_source(cairo_t *cr, orgfig_rgba c);

/* Count N primitives and call the poll every 65536; ORGFIG_E_QUIT when it
 * says stop.  Also reports progress (a primitive counts as a point of
 * the artist being drawn). */
orgfig_status orgfig_draw_poll(orgfig_draw_ctx *dc, uint64_t n, orgfig_err *err);

/* The style's line width in logical pixels and the cycle color I. */
double orgfig_style_lw(const orgfig_style *st);
/* An artist's line width in logical pixels: WIDTH_PT points (its :width),
 * or the style's line width when WIDTH_PT is negative (not given). */
double orgfig_artist_lw(const orgfig_artist *a, double width_pt);
orgfig_rgba orgfig_style_cycle(const orgfig_style *st, size_t i);

/* Shared drawing helpers (plot_line.c): a marker path centred at (X, Y)
 * with size S logical pixels (diameter); dash patterns scaled by width. */
typedef enum orgfig_marker {
    ORGFIG_MARKER_NONE,
    ORGFIG_MARKER_CIRCLE,
    ORGFIG_MARKER_SQUARE,
    ORGFIG_MARKER_TRIANGLE,
    ORGFIG_MARKER_DIAMOND,
    ORGFIG_MARKER_PLUS,
    ORGFIG_MARKER_X,
} orgfig_marker;
extern const char *const orgfig_marker_names[]; /* NULL-terminated, enum order */
extern const char *const orgfig_dash_names[];   /* solid dashed dotted dashdot */
void orgfig_marker_path(cairo_t *cr, orgfig_marker m, double x, double y, double s);
/* Whether a marker is stroked (plus, x) rather than filled. */
bool orgfig_marker_stroked(orgfig_marker m);
void orgfig_set_dash(cairo_t *cr, int dash, double width);

static inline double
orgfig_map_apply(const orgfig_map *m, double v)
{
    return m->off + m->k * (m->log ? log10(v) : v);
}

#endif
