/* data.h - datasets: named columns read from CSV/TSV or raw binary files.
 *
 * A dataset is what `orgfig-read-csv' and `orgfig-read-binary' return: a
 * small object holding a table of named columns, each an orgfig_column with
 * one reference held by the dataset.  `orgfig-column' hands one column out
 * (the adapter takes its own reference for the Lisp object or figure that
 * keeps it), so closing a dataset frees only the columns nobody else holds:
 * a figure can go on drawing from a column of a closed dataset.
 *
 * Life cycle, as for figures (figure.h): a reader returns an open dataset
 * -> lookups -> orgfig_dataset_close (drops the column references;
 * idempotent) -> orgfig_dataset_free (the finalizer: closes if needed and
 * frees the struct; touches no Emacs).  Every lookup on a closed dataset
 * fails with ORGFIG_E_CLOSED naming the Lisp function.
 *
 * The readers never allocate per cell: they read the file in 1 MiB chunks,
 * parse numbers with orgfig_parse_number and grow each column
 * geometrically.  Long reads call HOOKS->poll about every MiB (true means
 * stop: everything is freed and the reader fails with ORGFIG_E_QUIT) and
 * HOOKS->progress with the fraction of the file read. */
#ifndef ORGFIG_DATA_H
#define ORGFIG_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "column.h"

typedef struct orgfig_dataset orgfig_dataset;

/* Callbacks for long work; any member may be NULL, and so may the pointer
 * to the whole struct. */
typedef struct orgfig_hooks {
    bool (*poll)(void *ctx);                      /* true: stop now (C-g) */
    void (*progress)(void *ctx, double fraction); /* 0..1 */
    void *ctx;
} orgfig_hooks;

/* ---- datasets ---- */

/* A new open dataset with no columns.  SOURCE (may be NULL) names where
 * the data came from, for messages and `orgfig-memory'. */
orgfig_dataset *orgfig_dataset_new(const char *source, orgfig_err *err);
/* Append column C under C's own name, taking over the caller's reference
 * (also on failure, when C is unreferenced). */
orgfig_status orgfig_dataset_add(orgfig_dataset *ds, orgfig_column *c, orgfig_err *err);

/* True when P points at a dataset struct (magic check). */
bool orgfig_dataset_check(const void *p);
bool orgfig_dataset_is_open(const orgfig_dataset *ds);
/* Drop the dataset's column references and free its table.  Idempotent. */
void orgfig_dataset_close(orgfig_dataset *ds);
/* Close and free the struct.  NULL is fine.  Safe from a finalizer. */
void orgfig_dataset_free(orgfig_dataset *ds);
/* ORGFIG_OK when DS is open; else ORGFIG_E_CLOSED with a message naming FN
 * (e.g. "orgfig-column: the dataset is closed"). */
orgfig_status orgfig_dataset_usable(const orgfig_dataset *ds, const char *fn,
                                    orgfig_err *err);
/* Number of open datasets in the process. */
size_t orgfig_datasets_open(void);

/* Number of columns and rows (every column of a dataset has NROWS values);
 * 0 when closed. */
size_t orgfig_dataset_ncols(const orgfig_dataset *ds);
size_t orgfig_dataset_nrows(const orgfig_dataset *ds);
/* Name of column I (0-based), or NULL when out of range or closed. */
const char *orgfig_dataset_colname(const orgfig_dataset *ds, size_t i);
/* The SOURCE given at creation (the file name for the readers), or "". */
const char *orgfig_dataset_source(const orgfig_dataset *ds);
/* Bytes held: the dataset's own (struct, table, source) plus its columns'. */
size_t orgfig_dataset_bytes(const orgfig_dataset *ds);

/* The column named NAME (LEN bytes, exact match; the first one when names
 * repeat), borrowed: call orgfig_column_ref to keep it.  Fails with
 * ORGFIG_E_INVALID, e.g.
 * `orgfig-column: no column "foo" in dataset (columns: a, b, c)', or
 * ORGFIG_E_CLOSED; FN names the Lisp function in messages. */
orgfig_column *orgfig_dataset_column(const orgfig_dataset *ds, const char *name,
                                     size_t len, const char *fn, orgfig_err *err);
/* The column at 0-based INDEX, borrowed.  Out of range fails with
 * `orgfig-column: index 7 out of range (dataset has 3 columns)'. */
orgfig_column *orgfig_dataset_column_at(const orgfig_dataset *ds, int64_t index,
                                        const char *fn, orgfig_err *err);

/* ---- numbers ---- */

/* Parse the LEN bytes at S as one decimal number and store it in *OUT.
 * Accepted, case-insensitively, with optional spaces/tabs around:
 *   [+-] digits [. digits] [e [+-] digits],  [+-] . digits [...],
 *   [+-] nan,  [+-] inf,  [+-] infinity.
 * Anything else (empty, "0x10", "1,5", "1e", trailing junk) gives false
 * and *OUT = NaN.  The result is correctly rounded for inputs of up to 19
 * significant digits and within one ulp for longer ones (digits past the
 * 19th are dropped); overflow gives +-inf, underflow denormals or +-0.
 * Common inputs take exact fast paths (double or x87 long double
 * arithmetic); the rest go through strtod on a digits-and-exponent copy
 * without a decimal point, so the result never depends on LC_NUMERIC. */
bool orgfig_parse_number(const char *s, size_t len, double *out);
/* As orgfig_parse_number with POINT ('.' or ',') as the decimal point. */
bool orgfig_parse_decimal(const char *s, size_t len, char point, double *out);

/* Parse the LEN bytes at S as an ISO 8601 date or date and time, with
 * optional spaces/tabs around, and store it in *OUT as Unix seconds:
 *   YYYY-MM-DD [(T|space) hh:mm [:ss [(.|,) digits]] [Z | (+|-)hh[[:]mm]]]
 * A time without a zone is UTC, the zone time axes label in.  Fields are
 * checked (month 1-12, the day within its month, hour 0-23, minute 0-59,
 * second 0-60); anything else gives false and *OUT = NaN. */
bool orgfig_parse_time(const char *s, size_t len, double *out);

/* ---- CSV/TSV ---- */

/* One selected column: by NAME (LEN bytes, exact) when NAME is non-NULL,
 * else by 0-based INDEX. */
typedef struct orgfig_csv_select {
    const char *name;
    size_t len;
    int64_t index;
} orgfig_csv_select;

/* Options of orgfig_read_csv and orgfig_csv_scan.  Start from
 * ORGFIG_CSV_OPTS_INIT, which gives the defaults noted here. */
typedef struct orgfig_csv_opts {
    /* Field separator; 0 (default): the most frequent of ',' '\t' ';'
     * outside quotes in the first line read (ties: ',' then '\t' then
     * ';'; none of them: the file has one column). */
    char delimiter;
    /* True (default): the first line read names the columns.  False:
     * columns are named "1", "2", ... by 1-based position, like org-table
     * $1 and gnuplot's `using 1:2' (integer indices stay 0-based).  An
     * empty header cell is named by its position the same way. */
    bool header;
    /* Lines whose first byte is COMMENT are skipped ('#' by default; 0:
     * no comments). */
    char comment;
    /* Keep only these columns, in this order (NULL: all, in file order).
     * Unknown names, indices out of range and repeats are errors. */
    const orgfig_csv_select *select;
    size_t nselect;
    /* How to store the values (ORGFIG_F64 by default; ORGFIG_F32 halves
     * the memory). */
    orgfig_dtype dtype;
    /* Physical lines dropped at the start of the file, before the header
     * and before comment handling. */
    size_t skip_rows;
    /* Read at most this many data rows; 0 (default): all. */
    size_t max_rows;
    /* The decimal point in numbers: '.' (default) or ',' (as in
     * "1,5", common in semicolon-separated files).  With ',', the
     * delimiter cannot be ',' and is detected among tab and ';'. */
    char decimal;
} orgfig_csv_opts;

#define ORGFIG_CSV_OPTS_INIT                                                             \
    {                                                                                    \
        0, true, '#', NULL, 0, ORGFIG_F64, 0, 0, '.'                                     \
    }

/* Read the CSV/TSV file at PATH into a new dataset with one column per
 * (selected) field.  OPTS NULL means the defaults.
 *
 * The format: records end at LF, CRLF or CR; blank and whitespace-only
 * lines are skipped (so are trailing empty lines); a UTF-8 byte order mark
 * is skipped; a field starting with '"' is quoted: it ends at the next
 * lone '"', may contain separators and newlines, and "" stands for one
 * '"'.  Header names are kept as bytes (UTF-8), unquoted ones trimmed of
 * spaces.  Cells are numbers as orgfig_parse_number reads them, or dates
 * and times as orgfig_parse_time reads them (Unix seconds); empty or
 * unparsable cells and cells missing from short rows are NaN; extra cells
 * of long rows are ignored.  A column with a date or time cell is marked
 * (orgfig_column.time) and kept in float64 even when OPTS asks for float32,
 * whose 24-bit significand would round today's Unix seconds to 2 minutes.
 *
 * Errors: ORGFIG_E_IO (the file cannot be opened or read: message with the
 * path and strerror), ORGFIG_E_INVALID (an empty file: "no header line";
 * bad OPTS or selection), ORGFIG_E_QUIT (HOOKS->poll said stop),
 * ORGFIG_E_NOMEM / ORGFIG_E_LIMIT.  A header with no data rows gives a
 * dataset of empty columns.  Messages name "orgfig-read-csv". */
orgfig_dataset *orgfig_read_csv(const char *path, const orgfig_csv_opts *opts,
                                const orgfig_hooks *hooks, orgfig_err *err);

/* As orgfig_read_csv, from the LEN bytes at DATA (which need not be
 * NUL-terminated).  SOURCE names the data in messages (may be NULL).  The
 * file reader and this function share one parser; the fuzzer calls this. */
orgfig_dataset *orgfig_parse_csv_buffer(const char *data, size_t len, const char *source,
                                        const orgfig_csv_opts *opts,
                                        const orgfig_hooks *hooks, orgfig_err *err);

/* Called once with the column names (after the header is read; NCOLS
 * names in selection order, each NUL-terminated) and then once per data
 * row with NCOLS values.  Returning false from either stops the scan, which
 * then fails with ORGFIG_E_QUIT unless the callback recorded another error
 * in ERR. */
typedef struct orgfig_csv_sink {
    bool (*columns)(void *ctx, const char *const *names, size_t ncols, orgfig_err *err);
    bool (*row)(void *ctx, const double *row, size_t ncols, orgfig_err *err);
    void *ctx;
} orgfig_csv_sink;

/* Stream the rows of the CSV file at PATH through SINK with bounded
 * memory (the 1 MiB read buffer, a record that does not fit it, and one
 * row), so a caller can make several passes over a file larger than
 * memory.  Same format, options (except DTYPE, ignored: rows are doubles)
 * and errors as orgfig_read_csv.  *NROWS (may be NULL) gets the number of
 * rows delivered. */
orgfig_status orgfig_csv_scan(const char *path, const orgfig_csv_opts *opts,
                              const orgfig_csv_sink *sink, const orgfig_hooks *hooks,
                              size_t *nrows, orgfig_err *err);

/* For tests and fuzzing: make the CSV file readers start with an N-byte
 * buffer instead of 1 MiB, so records cross chunk boundaries everywhere
 * (0 restores the default).  Results must not depend on it. */
void orgfig_csv_set_read_size(size_t n);

/* ---- raw binary ---- */

typedef struct orgfig_binary_opts {
    orgfig_dtype dtype; /* of the values in the file, and of the columns */
    size_t ncols;       /* interleaved columns: x0 y0 x1 y1 ...; 0 means 1 */
    bool big_endian;    /* byte order of the file; false: little-endian */
    /* NCOLS names, or NULL for "1", "2", ... */
    const char *const *names;
} orgfig_binary_opts;

#define ORGFIG_BINARY_OPTS_INIT                                                          \
    {                                                                                    \
        ORGFIG_F64, 1, false, NULL                                                       \
    }

/* Read the raw array file at PATH: NCOLS interleaved columns of float64 or
 * float32 values.  The file size must be a multiple of NCOLS * the value
 * width (else ORGFIG_E_INVALID).  Errors as for orgfig_read_csv; messages
 * name "orgfig-read-binary". */
orgfig_dataset *orgfig_read_binary(const char *path, const orgfig_binary_opts *opts,
                                   const orgfig_hooks *hooks, orgfig_err *err);

#endif
