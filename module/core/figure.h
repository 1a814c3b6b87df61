/* figure.h - the figure model: the core's public API.
 *
 * A figure is a grid of axes (ROWS x COLS), each holding an ordered list of
 * artists (one per plot call) and axis settings.  An open figure holds only
 * this description and references to its data columns; cairo surfaces exist
 * only inside orgfig_figure_render.
 *
 * Life cycle: orgfig_figure_new -> any number of set/plot/render calls ->
 * orgfig_figure_close (frees everything but the small struct; idempotent)
 * -> orgfig_figure_free (the finalizer: closes if needed, frees the struct).
 * Every call on a closed figure fails with ORGFIG_E_CLOSED, and every call
 * made while a render of the same figure is running fails with
 * ORGFIG_E_BUSY.
 *
 * Arguments arrive as orgfig_value and keyword properties as orgfig_prop
 * (value.h).  Each function validates them against its schema in figure.c
 * and names itself with its Lisp name ("orgfig-line") in every error. */
#ifndef ORGFIG_FIGURE_H
#define ORGFIG_FIGURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "value.h"

typedef struct orgfig_figure orgfig_figure;

typedef enum orgfig_kind {
    ORGFIG_LINE,         /* X Y              orgfig-line */
    ORGFIG_SCATTER,      /* X Y              orgfig-scatter */
    ORGFIG_BAR,          /* LABELS VALUES    orgfig-bar */
    ORGFIG_HIST,         /* DATA             orgfig-hist */
    ORGFIG_HEATMAP,      /* MATRIX           orgfig-heatmap */
    ORGFIG_FILL_BETWEEN, /* X Y1 Y2          orgfig-fill-between */
    ORGFIG_ERRORBAR,     /* X Y YERR         orgfig-errorbar */
    ORGFIG_AREA,         /* X YS             orgfig-area (stacked) */
    ORGFIG_BOX,          /* DATASETS         orgfig-box */
    ORGFIG_PIE,          /* LABELS VALUES    orgfig-pie */
    ORGFIG_TEXT,         /* X Y STRING       orgfig-text */
    ORGFIG_HLINE,        /* Y                orgfig-hline */
    ORGFIG_VLINE,        /* X                orgfig-vline */
    ORGFIG_KIND_COUNT
} orgfig_kind;

/* "line", "fill-between", ... (the Lisp function name without "orgfig-"). */
const char *orgfig_kind_name(orgfig_kind kind);
/* The kind named NAME (as above), or -1. */
int orgfig_kind_from_name(const char *name, size_t len);
/* Number of positional arguments KIND takes. */
size_t orgfig_kind_nargs(orgfig_kind kind);

typedef enum orgfig_format {
    ORGFIG_FORMAT_PNG,
    ORGFIG_FORMAT_SVG,
    ORGFIG_FORMAT_PDF,
} orgfig_format;

typedef struct orgfig_render_opts {
    orgfig_format format;
    int png_level;  /* -1: the fast display preset; 0..9: zlib level */
    bool png_small; /* use the smaller, slower file preset */
    /* Called every so often during long work; return true to stop at once
     * (the render then fails with ORGFIG_E_QUIT and frees what it made). */
    bool (*poll)(void *ctx);
    /* Called with a fraction in [0, 1] during long work; may be NULL. */
    void (*progress)(void *ctx, double fraction);
    void *ctx;
} orgfig_render_opts;

/* Limits checked by orgfig_figure_new and orgfig_figure_set. */
#define ORGFIG_MIN_SIZE 16    /* pixels */
#define ORGFIG_MAX_SIZE 16384 /* pixels, before :scale */
#define ORGFIG_MAX_SCALE 4.0
#define ORGFIG_MAX_PIXELS (ORGFIG_MAX_SIZE * 8192) /* width*height*scale^2 */
#define ORGFIG_MAX_GRID 16                         /* rows and cols */

orgfig_figure *orgfig_figure_new(const orgfig_prop *props, size_t nprops,
                                 orgfig_err *err);
/* True when P points at a figure struct (magic check). */
bool orgfig_figure_check(const void *p);
bool orgfig_figure_is_open(const orgfig_figure *f);
/* Free all the figure's memory but the struct.  Idempotent; a no-op while a
 * render runs (the render's caller closes afterwards). */
void orgfig_figure_close(orgfig_figure *f);
/* Close and free the struct.  Safe from a finalizer: touches no Emacs. */
void orgfig_figure_free(orgfig_figure *f);
/* ORGFIG_OK when F may be used now; else ORGFIG_E_CLOSED or ORGFIG_E_BUSY
 * with a message naming FN. */
orgfig_status orgfig_figure_usable(const orgfig_figure *f, const char *fn,
                                   orgfig_err *err);

uint64_t orgfig_figure_id(const orgfig_figure *f);
void orgfig_figure_size(const orgfig_figure *f, int *width, int *height, double *scale);
/* Bytes the figure holds: its own allocations plus the columns it uses. */
size_t orgfig_figure_bytes(const orgfig_figure *f);
size_t orgfig_figure_nartists(const orgfig_figure *f);
/* The figure's title (suptitle, or the title of its only axes), or "". */
const char *orgfig_figure_title(const orgfig_figure *f);
size_t orgfig_figures_open(void);

orgfig_status orgfig_figure_set(orgfig_figure *f, const orgfig_prop *props, size_t nprops,
                                orgfig_err *err);
orgfig_status orgfig_figure_plot(orgfig_figure *f, orgfig_kind kind,
                                 const orgfig_value *args, size_t nargs,
                                 const orgfig_prop *props, size_t nprops,
                                 orgfig_err *err);
/* Render to OUT (appended; OUT's meter is charged).  On failure OUT is
 * left empty and every temporary is freed. */
orgfig_status orgfig_figure_render(orgfig_figure *f, const orgfig_render_opts *opts,
                                   orgfig_buf *out, orgfig_err *err);
/* Threads a render may use (1..ORGFIG_MAX_THREADS; default 2): PNG
 * deflate of large images and sprite stamping of large scatter plots run
 * in that many bands at once.  Images do not depend on it.  Returns false
 * (and changes nothing) when N is out of range. */
#define ORGFIG_MAX_THREADS 8
bool orgfig_render_set_threads(int n);
int orgfig_render_threads(void);

#endif
