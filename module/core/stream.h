/* stream.h - plots of files larger than memory.
 *
 * A plot call given a file source (`orgfig-file-source' in Lisp) does not
 * read the file into columns: it streams it, once or twice, and keeps only
 * aggregates whose size does not depend on the number of rows.  Those
 * aggregates then become an ordinary artist, so styles, legends, axes and
 * rendering work as for in-memory data:
 *
 *   line     pass 1: the x range and whether x is sorted (skipped for a
 *            binary file without X: the row count is the file size);
 *            pass 2: M4 over ORGFIG_STREAM_LINE_BINS buckets, exactly as
 *            orgfig_m4_decimate would decimate the whole data over the
 *            full x range (decimate.h), producing at most a few points per
 *            bucket.  They are plotted through the line class.  X must be
 *            sorted (non-decreasing, finite): an unsorted stream would need
 *            every segment, so it fails with "orgfig-line: streamed X must
 *            be sorted".
 *   hist     pass 1: the finite range (skipped with :range), the count and,
 *            for :bins auto, a reservoir sample of ORGFIG_STREAM_SAMPLE
 *            values for the Freedman-Diaconis width (the sample is the
 *            whole data up to that size, so small files get exactly the
 *            bins of orgfig-hist); pass 2: the counts.  One pass when both
 *            :range and a bin count are given.  Drawn like orgfig-hist.
 *   density  pass 1: the x and y ranges of the points with both finite;
 *            pass 2: counts in a grid about the size of the axes in device
 *            pixels (at most ORGFIG_STREAM_GRID_MAX a side), drawn as an
 *            image through the colormap with log-scaled counts, like
 *            orgfig-scatter :density t.
 *
 * Memory: the 1 MiB read buffer (the CSV scanner's, or the binary
 * reader's), two blocks of decoded values (at most 1 MiB each) and the
 * aggregates; everything is counted through alloc.h and freed on every
 * path.  Every chunk calls HOOKS->poll (true: stop, everything is freed,
 * ORGFIG_E_QUIT) and HOOKS->progress with the fraction of all passes'
 * bytes read.  The figure is only touched after the last pass, so a poll
 * that runs Lisp cannot observe a half-built artist. */
#ifndef ORGFIG_STREAM_H
#define ORGFIG_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "data.h"
#include "decimate.h"
#include "figure.h"

/* M4 buckets across the x range of a streamed line: more than the device
 * pixel columns of any figure up to 4096 pixels wide at scale 4, so the
 * render's own M4 sees at least one bucket per pixel column. */
#define ORGFIG_STREAM_LINE_BINS 16384
/* Reservoir size for :bins auto on a stream. */
#define ORGFIG_STREAM_SAMPLE 65536
/* Largest side of a streamed density grid. */
#define ORGFIG_STREAM_GRID_MAX 2048

typedef enum orgfig_stream_format {
    ORGFIG_STREAM_CSV,
    ORGFIG_STREAM_BINARY,
} orgfig_stream_format;

/* Where the rows come from.  For CSV, CSV.delimiter, .header and .comment
 * are used (select, dtype and row limits are set by the stream); for
 * binary, BIN.dtype, .ncols and .big_endian (names are "1".."N"). */
typedef struct orgfig_stream_src {
    const char *path;
    orgfig_stream_format format;
    orgfig_csv_opts csv;
    orgfig_binary_opts bin;
} orgfig_stream_src;

/* ---- the plot calls (what the adapter uses) ----
 *
 * Each validates PROPS first (unknown keys fail before any reading), then
 * streams, then adds one artist to F with the kind's usual properties.
 * Column selectors are orgfig_csv_select (a name, or a 0-based index).
 * Messages name the Lisp function (orgfig-line, orgfig-hist,
 * orgfig-scatter). */

/* X NULL: the x values are the row numbers 0, 1, ... */
orgfig_status orgfig_stream_line(orgfig_figure *f, const orgfig_stream_src *src,
                                 const orgfig_csv_select *x, const orgfig_csv_select *y,
                                 const orgfig_prop *props, size_t nprops,
                                 const orgfig_hooks *hooks, orgfig_err *err);
orgfig_status orgfig_stream_hist(orgfig_figure *f, const orgfig_stream_src *src,
                                 const orgfig_csv_select *col, const orgfig_prop *props,
                                 size_t nprops, const orgfig_hooks *hooks,
                                 orgfig_err *err);
/* PROPS must hold :density t (the only streamed scatter). */
orgfig_status orgfig_stream_density(orgfig_figure *f, const orgfig_stream_src *src,
                                    const orgfig_csv_select *x,
                                    const orgfig_csv_select *y, const orgfig_prop *props,
                                    size_t nprops, const orgfig_hooks *hooks,
                                    orgfig_err *err);

/* ---- the aggregations (the plot calls' parts; tests use them) ---- */

/* Stream-decimate the line through X (NULL: row numbers) and Y into OUT
 * (replaced) over WIDTH buckets spanning the whole x range, returned in
 * *X0 and *X1.  OUT equals what orgfig_m4_decimate gives for the loaded
 * data with {*X0, *X1, WIDTH} as long as no bucket holds more than two
 * runs of the line (a run ends at a non-finite y); a bucket cut by more
 * gaps keeps its first run, merges the runs in between with the last one
 * and so stays within 10 points, which bounds OUT by 10 * WIDTH + 1
 * points whatever the data. */
orgfig_status orgfig_stream_m4(const orgfig_stream_src *src, const orgfig_csv_select *x,
                               const orgfig_csv_select *y, int width,
                               const orgfig_hooks *hooks, orgfig_m4_out *out, double *x0,
                               double *x1, const char *fn, orgfig_err *err);

typedef struct orgfig_stream_hist_opts {
    long bins; /* 0: auto */
    bool has_range;
    double lo, hi; /* with has_range */
} orgfig_stream_hist_opts;

/* Raw counts (before :density/:cumulative) in NBINS equal bins over
 * [LO, HI], exactly as orgfig-hist bins the loaded data; N counted values. */
typedef struct orgfig_stream_hist_out {
    size_t nbins;
    double lo, hi;
    double *counts; /* nbins, counted on METER */
    size_t n;
    orgfig_meter *meter;
} orgfig_stream_hist_out;

orgfig_status
orgfig_stream_hist_counts(const orgfig_stream_src *src, const orgfig_csv_select *col,
                          const orgfig_stream_hist_opts *o, const orgfig_hooks *hooks,
                          orgfig_stream_hist_out *out, const char *fn, orgfig_err *err);
void orgfig_stream_hist_out_free(orgfig_stream_hist_out *out);

/* Counts of the points with both coordinates finite in an NX x NY grid
 * over [X0, X1] x [Y0, Y1] (their finite ranges; a zero width is widened
 * by 0.5 each way).  Cell (i, j), i across and j up from the bottom, is
 * counts[j * NX + i]; a value on the upper edge goes in the last cell. */
typedef struct orgfig_stream_grid {
    size_t nx, ny;
    double x0, x1, y0, y1;
    uint32_t *counts; /* counted on METER; saturates at UINT32_MAX */
    uint64_t n;       /* points counted */
    orgfig_meter *meter;
} orgfig_stream_grid;

orgfig_status orgfig_stream_grid_counts(const orgfig_stream_src *src,
                                        const orgfig_csv_select *x,
                                        const orgfig_csv_select *y, size_t nx, size_t ny,
                                        const orgfig_hooks *hooks,
                                        orgfig_stream_grid *out, const char *fn,
                                        orgfig_err *err);
void orgfig_stream_grid_free(orgfig_stream_grid *g);

#endif
