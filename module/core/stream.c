/* stream.c - plots of files larger than memory (see stream.h).
 *
 * One reader serves every pass: it delivers the selected column(s) in
 * blocks of doubles to a pass function (the CSV scanner's rows are
 * gathered into blocks; binary chunks are decoded straight into them), so
 * the aggregation loops run over arrays, not per-row callbacks.  Rows are
 * numbered from 0 across a pass; a streamed line without X uses those
 * numbers as x, as orgfig-line does with X nil.
 *
 * The aggregates are exact counterparts of the in-memory code paths, so
 * tests can use those as oracles: the line's M4 follows decimate.c
 * bucket for bucket, the histogram bins values with plot_hist.c's
 * formula, and the density grid counts every finite point once. */
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "props.h"

#define CHUNK ((size_t)1 << 20)     /* binary read size and poll interval */
#define CSV_BLOCK ((size_t)1 << 16) /* rows gathered before a CSV block is run */

static const char *const common_keys[] = {"axes",  "label", "color",
                                          "alpha", "yaxis", NULL};

/* ---------------------------------------------------------------- hooks */

/* The user's hooks seen by one pass of several: progress is mapped into
 * [BASE, BASE + SPAN]. */
typedef struct pass_hooks {
    const orgfig_hooks *user;
    double base, span;
} pass_hooks;

static bool
ph_poll(void *ctx)
{
    const pass_hooks *p = ctx;
    return p->user && p->user->poll && p->user->poll(p->user->ctx);
}

static void
ph_progress(void *ctx, double f)
{
    const pass_hooks *p = ctx;
    if (p->user && p->user->progress)
        p->user->progress(p->user->ctx, p->base + p->span * (f < 0 ? 0 : f > 1 ? 1 : f));
}

/* Messages of the shared CSV scanner name orgfig-read-csv; a stream names
 * the plot function the user called. */
static void
rename_fn(orgfig_err *err, const char *fn)
{
    static const char from[] = "orgfig-read-csv";
    if (err == NULL || strncmp(err->msg, from, sizeof from - 1) != 0)
        return;
    char tmp[ORGFIG_ERR_MSG_SIZE];
    snprintf(tmp, sizeof tmp, "%s%s", fn, err->msg + sizeof from - 1);
    memcpy(err->msg, tmp, sizeof tmp);
}

/* --------------------------------------------------------------- reader */

/* Called with N rows: A holds the first selected column, B the second
 * (NULL when one column is read).  ROW0 numbers the first row. */
typedef orgfig_status (*block_fn)(void *ctx, const double *a, const double *b, size_t n,
                                  size_t row0, orgfig_err *err);

typedef struct reader {
    const orgfig_stream_src *src;
    const char *fn;
    const orgfig_csv_select *sel[2];
    size_t nsel;
    bool dup; /* two selectors naming the same column: read it once */
    block_fn run;
    void *ctx;
    double *a, *b; /* blocks of CAP values */
    size_t n, cap;
    size_t row0; /* row number of a[0] */
    orgfig_err *err;
} reader;

static orgfig_status
reader_flush(reader *r)
{
    if (r->n == 0)
        return ORGFIG_OK;
    orgfig_status st =
        r->run(r->ctx, r->a, r->nsel == 2 ? r->b : NULL, r->n, r->row0, r->err);
    r->row0 += r->n;
    r->n = 0;
    return st;
}

static bool
csv_row(void *ctx, const double *row, size_t ncols, orgfig_err *err)
{
    (void)err;
    reader *r = ctx;
    r->a[r->n] = ncols > 0 ? row[0] : NAN;
    if (r->nsel == 2)
        r->b[r->n] = r->dup ? r->a[r->n] : ncols > 1 ? row[1] : NAN;
    if (++r->n == r->cap)
        return reader_flush(r) == ORGFIG_OK;
    return true;
}

static bool
same_select(const orgfig_csv_select *x, const orgfig_csv_select *y)
{
    if ((x->name == NULL) != (y->name == NULL))
        return false;
    if (x->name)
        return x->len == y->len && memcmp(x->name, y->name, x->len) == 0;
    return x->index == y->index;
}

static orgfig_status
run_csv(reader *r, const pass_hooks *ph, size_t *nrows)
{
    orgfig_csv_select picks[2];
    size_t npicks = r->dup ? 1 : r->nsel;
    for (size_t i = 0; i < npicks; i++)
        picks[i] = *r->sel[i];
    orgfig_csv_opts o = r->src->csv;
    o.select = picks;
    o.nselect = npicks;
    o.dtype = ORGFIG_F64;
    o.max_rows = 0;
    orgfig_csv_sink sink = {NULL, csv_row, r};
    orgfig_hooks h = {ph_poll, ph_progress, (void *)ph};
    orgfig_status st = orgfig_csv_scan(r->src->path, &o, &sink, &h, nrows, r->err);
    if (st == ORGFIG_OK)
        st = reader_flush(r);
    if (st == ORGFIG_E_QUIT && r->err && r->err->msg[0] == 0)
        snprintf(r->err->msg, sizeof r->err->msg, "%s: interrupted", r->fn);
    rename_fn(r->err, r->fn);
    return st;
}

/* The 0-based index of binary column SEL among NCOLS (named "1".."N"). */
static orgfig_status
binary_index(const reader *r, const orgfig_csv_select *sel, size_t ncols, size_t *out)
{
    if (sel->name) {
        size_t k = 0;
        bool ok = sel->len > 0 && sel->len < 12;
        for (size_t i = 0; ok && i < sel->len; i++) {
            ok = sel->name[i] >= '0' && sel->name[i] <= '9';
            k = k * 10 + (size_t)(sel->name[i] - '0');
        }
        if (!ok || k < 1 || k > ncols)
            return orgfig_fail(r->err, ORGFIG_E_INVALID,
                               "%s: no column \"%.*s\" in \"%s\" (binary columns are "
                               "named 1 to %zu)",
                               r->fn, (int)(sel->len > 64 ? 64 : sel->len), sel->name,
                               r->src->path, ncols);
        *out = k - 1;
        return ORGFIG_OK;
    }
    if (sel->index < 0 || (uint64_t)sel->index >= ncols)
        return orgfig_fail(r->err, ORGFIG_E_INVALID,
                           "%s: column index %lld out of range (\"%s\" has %zu %s)",
                           r->fn, (long long)sel->index, r->src->path, ncols,
                           ncols == 1 ? "column" : "columns");
    *out = (size_t)sel->index;
    return ORGFIG_OK;
}

static inline double
decode(const unsigned char *p, bool f32, bool swap)
{
    if (f32) {
        uint32_t u;
        memcpy(&u, p, 4);
        if (swap)
            u = __builtin_bswap32(u);
        float v;
        memcpy(&v, &u, 4);
        return (double)v;
    }
    uint64_t u;
    memcpy(&u, p, 8);
    if (swap)
        u = __builtin_bswap64(u);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

static orgfig_status
io_fail(const reader *r, const char *what, int errnum)
{
    return orgfig_fail(r->err, ORGFIG_E_IO, "%s: cannot %s \"%s\": %s", r->fn, what,
                       r->src->path, strerror(errnum));
}

/* Open the binary source; *ROWS gets its row count.  Returns -1 on error. */
static int
binary_open(const reader *r, size_t rowbytes, uint64_t *rows)
{
    int fd = open(r->src->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        io_fail(r, "open", errno);
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || S_ISDIR(sb.st_mode)) {
        io_fail(r, "read", S_ISDIR(sb.st_mode) ? EISDIR : errno);
        close(fd);
        return -1;
    }
    uint64_t size = S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
    if (size % rowbytes != 0) {
        orgfig_fail(r->err, ORGFIG_E_INVALID,
                    "%s: \"%s\" has %llu bytes, not a multiple of %zu (one row of "
                    "the binary file)",
                    r->fn, r->src->path, (unsigned long long)size, rowbytes);
        close(fd);
        return -1;
    }
    *rows = size / rowbytes;
    return fd;
}

static orgfig_status
binary_geometry(const reader *r, size_t *width, size_t *ncols, size_t *rowbytes)
{
    const orgfig_binary_opts *o = &r->src->bin;
    if (o->dtype != ORGFIG_F64 && o->dtype != ORGFIG_F32)
        return orgfig_fail(r->err, ORGFIG_E_INVALID, "%s: bad binary type %d", r->fn,
                           (int)o->dtype);
    *width = o->dtype == ORGFIG_F64 ? 8 : 4;
    *ncols = o->ncols ? o->ncols : 1;
    if (*ncols > 65536)
        return orgfig_fail(r->err, ORGFIG_E_INVALID, "%s: %zu columns are too many",
                           r->fn, *ncols);
    *rowbytes = *width * *ncols;
    return ORGFIG_OK;
}

static orgfig_status
run_binary(reader *r, const pass_hooks *ph, size_t *nrows)
{
    size_t width, ncols, rowbytes, idx[2] = {0, 0};
    if (binary_geometry(r, &width, &ncols, &rowbytes) != ORGFIG_OK)
        return r->err->status;
    for (size_t i = 0; i < r->nsel; i++)
        if (binary_index(r, r->sel[i], ncols, &idx[i]) != ORGFIG_OK)
            return r->err->status;
    uint64_t rows;
    int fd = binary_open(r, rowbytes, &rows);
    if (fd < 0)
        return r->err ? r->err->status : ORGFIG_E_IO;
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    size_t per = r->cap; /* rows per chunk: the block size (see reader_make) */
    unsigned char *buf =
        orgfig_alloc_array(NULL, per, rowbytes, false, "the file read buffer", r->err);
    if (buf == NULL) {
        close(fd);
        return r->err->status;
    }
    bool f32 = width == 4, swap = r->src->bin.big_endian;
    orgfig_status st = ORGFIG_OK;
    uint64_t done = 0;
    while (done < rows) {
        if (ph_poll((void *)ph)) {
            st = orgfig_fail(r->err, ORGFIG_E_QUIT, "%s: interrupted", r->fn);
            break;
        }
        size_t want = rows - done < per ? (size_t)(rows - done) : per;
        size_t got = 0, bytes = want * rowbytes;
        while (got < bytes) {
            ssize_t k = read(fd, buf + got, bytes - got);
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0) {
                st = io_fail(r, "read", errno);
                break;
            }
            if (k == 0) {
                st = orgfig_fail(r->err, ORGFIG_E_IO,
                                 "%s: \"%s\" was truncated while read", r->fn,
                                 r->src->path);
                break;
            }
            got += (size_t)k;
        }
        if (st != ORGFIG_OK)
            break;
        const unsigned char *p0 = buf + idx[0] * width, *p1 = buf + idx[1] * width;
        for (size_t i = 0; i < want; i++)
            r->a[i] = decode(p0 + i * rowbytes, f32, swap);
        if (r->nsel == 2)
            for (size_t i = 0; i < want; i++)
                r->b[i] = decode(p1 + i * rowbytes, f32, swap);
        r->n = want;
        if ((st = reader_flush(r)) != ORGFIG_OK)
            break;
        done += want;
        ph_progress((void *)ph, (double)done / (double)rows);
    }
    orgfig_free(buf);
    close(fd);
    if (nrows)
        *nrows = (size_t)done;
    return st;
}

/* One pass over SRC's columns SEL0 (and SEL1, may be NULL) through RUN. */
static orgfig_status
stream_pass(const orgfig_stream_src *src, const orgfig_csv_select *sel0,
            const orgfig_csv_select *sel1, block_fn run, void *ctx,
            const orgfig_hooks *hooks, int pass, int npasses, size_t *nrows,
            const char *fn, orgfig_err *err)
{
    if (nrows)
        *nrows = 0;
    if (src == NULL || src->path == NULL)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: no file to stream", fn);
    reader r = {src, fn, {sel0, sel1}, sel1 ? 2 : 1, false, run, ctx, NULL, NULL, 0,
                0,   0,  err};
    r.dup = sel1 && same_select(sel0, sel1);
    if (src->format == ORGFIG_STREAM_BINARY) {
        size_t width, ncols, rowbytes;
        if (binary_geometry(&r, &width, &ncols, &rowbytes) != ORGFIG_OK)
            return err->status;
        r.cap = CHUNK / rowbytes ? CHUNK / rowbytes : 1;
    } else {
        r.cap = CSV_BLOCK;
    }
    r.a = orgfig_alloc_array(NULL, r.cap, sizeof(double), false, "a stream block", err);
    if (r.a == NULL)
        return err->status;
    if (r.nsel == 2) {
        r.b =
            orgfig_alloc_array(NULL, r.cap, sizeof(double), false, "a stream block", err);
        if (r.b == NULL) {
            orgfig_free(r.a);
            return err->status;
        }
    }
    pass_hooks ph = {hooks, (double)pass / npasses, 1.0 / npasses};
    orgfig_status st = src->format == ORGFIG_STREAM_BINARY ? run_binary(&r, &ph, nrows)
                                                           : run_csv(&r, &ph, nrows);
    orgfig_free(r.a);
    orgfig_free(r.b);
    return st;
}

/* ------------------------------------------------------------------ M4 */

typedef struct line_range {
    const char *fn;
    const char *path;
    bool any;
    double first, prev;
    size_t prev_row;
} line_range;

/* Pass 1 of a line with X: x finite and non-decreasing. */
static orgfig_status
range_block(void *ctx, const double *x, const double *y, size_t n, size_t row0,
            orgfig_err *err)
{
    (void)y;
    line_range *c = ctx;
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        if (!isfinite(v))
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: streamed X must be sorted (non-decreasing, finite); "
                               "row %zu of \"%s\" is %g",
                               c->fn, row0 + i, c->path, v);
        if (c->any && v < c->prev)
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: streamed X must be sorted (non-decreasing, finite); "
                               "row %zu of \"%s\" (%g) is less than row %zu (%g)",
                               c->fn, row0 + i, c->path, v, c->prev_row, c->prev);
        if (!c->any)
            c->first = v;
        c->any = true;
        c->prev = v;
        c->prev_row = row0 + i;
    }
    return ORGFIG_OK;
}

/* Pass 1 of a CSV line without X: only the row count is wanted. */
static orgfig_status
count_block(void *ctx, const double *a, const double *b, size_t n, size_t row0,
            orgfig_err *err)
{
    (void)ctx;
    (void)a;
    (void)b;
    (void)n;
    (void)row0;
    (void)err;
    return ORGFIG_OK;
}

typedef struct mpoint {
    size_t i;
    double x, y;
} mpoint;

typedef struct mbucket {
    long col;
    int run; /* runs of the line started in this column so far */
    mpoint first, last, min, max;
} mbucket;

typedef struct m4s {
    orgfig_m4_grid g; /* linear */
    double next_edge;
    bool index_x;
    bool has; /* a bucket is open (or closed by a gap but not written) */
    bool closed;
    bool gap_pending;
    mbucket k;
    orgfig_m4_out *out;
} m4s;

static inline void
m4_put(m4s *c, const mpoint *p)
{
    orgfig_m4_out_push(c->out, p->x, p->y, &c->gap_pending);
}

/* Write the open bucket's distinct points in row order, as decimate.c's
 * flush does. */
static orgfig_status
m4_flush(m4s *c, orgfig_err *err)
{
    if (orgfig_m4_out_reserve(c->out, 5, 1024, "a streamed line", err) != ORGFIG_OK)
        return err ? err->status : ORGFIG_E_NOMEM;
    const mbucket *k = &c->k;
    const mpoint *a = k->min.i < k->max.i ? &k->min : &k->max;
    const mpoint *b = k->min.i < k->max.i ? &k->max : &k->min;
    m4_put(c, &k->first);
    if (a->i != k->first.i && a->i != k->last.i)
        m4_put(c, a);
    if (b->i != a->i && b->i != k->first.i && b->i != k->last.i)
        m4_put(c, b);
    if (k->last.i != k->first.i)
        m4_put(c, &k->last);
    return ORGFIG_OK;
}

static orgfig_status
m4_block(void *ctx, const double *xa, const double *ya, size_t n, size_t row0,
         orgfig_err *err)
{
    m4s *c = ctx;
    /* With X: a = X, b = Y.  Without: a = Y. */
    const double *X = c->index_x ? NULL : xa;
    const double *Y = c->index_x ? xa : ya;
    for (size_t i = 0; i < n; i++) {
        double y = Y[i];
        if (!isfinite(y)) {
            if (c->has)
                c->closed = true;
            continue;
        }
        double x = X ? X[i] : (double)(row0 + i);
        mpoint p = {row0 + i, x, y};
        if (c->has && x < c->next_edge && (!c->closed || c->k.run >= 2)) {
            /* The same bucket (or, past the second run of this column, the
             * bucket the later runs merge into). */
            c->closed = false;
            c->k.last = p;
            if (y < c->k.min.y)
                c->k.min = p;
            else if (y > c->k.max.y)
                c->k.max = p;
            continue;
        }
        long col = orgfig_m4_column(&c->g, x);
        int run = 1;
        if (c->has) {
            if (m4_flush(c, err) != ORGFIG_OK)
                return err ? err->status : ORGFIG_E_NOMEM;
            if (c->closed)
                c->gap_pending = true;
            if (c->k.col == col)
                run = c->k.run + 1;
        }
        c->has = true;
        c->closed = false;
        c->k = (mbucket){col, run, p, p, p, p};
        c->next_edge = col + 1 < c->g.width ? orgfig_m4_edge(&c->g, col + 1) : INFINITY;
    }
    return ORGFIG_OK;
}

orgfig_status
orgfig_stream_m4(const orgfig_stream_src *src, const orgfig_csv_select *x,
                 const orgfig_csv_select *y, int width, const orgfig_hooks *hooks,
                 orgfig_m4_out *out, double *x0, double *x1, const char *fn,
                 orgfig_err *err)
{
    out->n = 0;
    out->gaps = 0;
    out->unsorted = false;
    if (y == NULL)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: no Y column to stream", fn);
    if (width < 1 || width > 1000000)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: bad width %d to decimate over", fn,
                           width);
    double lo = 0, hi = 0;
    int npasses = 2;
    orgfig_status st;
    if (x) {
        line_range r = {fn, src ? src->path : "", false, 0, 0, 0};
        st = stream_pass(src, x, NULL, range_block, &r, hooks, 0, 2, NULL, fn, err);
        if (st != ORGFIG_OK)
            return st;
        if (!r.any)
            return orgfig_fail(err, ORGFIG_E_INVALID, "%s: \"%s\" has no data rows", fn,
                               src->path);
        lo = r.first;
        hi = r.prev;
    } else {
        size_t rows = 0;
        if (src && src->format == ORGFIG_STREAM_BINARY) {
            /* The row count is the file size: no first pass. */
            reader r = {src,  fn,   {y, NULL}, 1, false, NULL, NULL,
                        NULL, NULL, 0,         0, 0,     err};
            size_t w, nc, rb;
            uint64_t nr;
            if (binary_geometry(&r, &w, &nc, &rb) != ORGFIG_OK)
                return err->status;
            int fd = binary_open(&r, rb, &nr);
            if (fd < 0)
                return err ? err->status : ORGFIG_E_IO;
            close(fd);
            rows = (size_t)nr;
            npasses = 1;
        } else {
            st =
                stream_pass(src, y, NULL, count_block, NULL, hooks, 0, 2, &rows, fn, err);
            if (st != ORGFIG_OK)
                return st;
        }
        if (rows == 0)
            return orgfig_fail(err, ORGFIG_E_INVALID, "%s: \"%s\" has no data rows", fn,
                               src->path);
        hi = (double)(rows - 1);
    }
    if (!(lo < hi))
        hi = lo + 1; /* one x value: every point in the first column */
    m4s c = {.index_x = x == NULL, .out = out};
    if (!orgfig_m4_grid_init(&c.g, lo, hi, width, false))
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: x range [%g, %g] is too wide", fn,
                           lo, hi);
    st = stream_pass(src, x ? x : y, x ? y : NULL, m4_block, &c, hooks, npasses - 1,
                     npasses, NULL, fn, err);
    if (st == ORGFIG_OK && c.has)
        st = m4_flush(&c, err);
    if (st != ORGFIG_OK) {
        out->n = 0;
        out->gaps = 0;
        return st;
    }
    *x0 = lo;
    *x1 = hi;
    return ORGFIG_OK;
}

/* ------------------------------------------------------------- histogram */

typedef struct hist_scan {
    bool has_range;
    double lo, hi; /* the range, or the running min and max */
    size_t n;
    /* Reservoir sample (NULL: none wanted). */
    double *sample;
    size_t nsample;
    uint64_t rng;
    /* Pass 2. */
    double *counts;
    long bins;
    double scale;
} hist_scan;

static inline uint64_t
xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static orgfig_status
hist_range_block(void *ctx, const double *a, const double *b, size_t n, size_t row0,
                 orgfig_err *err)
{
    (void)b;
    (void)row0;
    (void)err;
    hist_scan *h = ctx;
    for (size_t i = 0; i < n; i++) {
        double v = a[i];
        if (!isfinite(v))
            continue;
        if (h->has_range) {
            if (!(v >= h->lo && v <= h->hi))
                continue;
        } else {
            if (v < h->lo)
                h->lo = v;
            if (v > h->hi)
                h->hi = v;
        }
        if (h->sample) {
            if (h->n < ORGFIG_STREAM_SAMPLE) {
                h->sample[h->n] = v;
            } else {
                uint64_t j = xorshift(&h->rng) % (h->n + 1);
                if (j < ORGFIG_STREAM_SAMPLE)
                    h->sample[j] = v;
            }
        }
        h->n++;
    }
    h->nsample = h->n < ORGFIG_STREAM_SAMPLE ? h->n : ORGFIG_STREAM_SAMPLE;
    return ORGFIG_OK;
}

/* plot_hist.c's binning: [lo, hi] in BINS equal bins, the last closed. */
static orgfig_status
hist_count_block(void *ctx, const double *a, const double *b, size_t n, size_t row0,
                 orgfig_err *err)
{
    (void)b;
    (void)row0;
    (void)err;
    hist_scan *h = ctx;
    double lo = h->lo, hi = h->hi, scale = h->scale;
    long bins = h->bins;
    size_t counted = 0;
    for (size_t i = 0; i < n; i++) {
        double v = a[i];
        if (!(isfinite(v) && v >= lo && v <= hi))
            continue;
        long k = orgfig_bin_index((v - lo) * scale, bins);
        h->counts[k] += 1;
        counted++;
    }
    h->n += counted;
    return ORGFIG_OK;
}

static int
cmp_double(const void *p, const void *q)
{
    double a = *(const double *)p, b = *(const double *)q;
    return a < b ? -1 : a > b;
}

/* plot_hist.c's quantile on a sorted sample. */
static double
sorted_quantile(const double *v, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t k = (size_t)floor(pos);
    if (k + 1 >= n)
        return v[k];
    return v[k] + (v[k + 1] - v[k]) * (pos - (double)k);
}

orgfig_status
orgfig_stream_hist_counts(const orgfig_stream_src *src, const orgfig_csv_select *col,
                          const orgfig_stream_hist_opts *o, const orgfig_hooks *hooks,
                          orgfig_stream_hist_out *out, const char *fn, orgfig_err *err)
{
    out->nbins = 0;
    out->counts = NULL;
    out->n = 0;
    if (col == NULL || o == NULL)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: no column to stream", fn);
    if (o->bins < 0 || o->bins > 1000)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: :bins must be from 1 to 1000", fn);
    if (o->has_range && !(isfinite(o->lo) && isfinite(o->hi) && o->lo < o->hi))
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: bad :range (%g %g)", fn, o->lo,
                           o->hi);
    hist_scan h = {.has_range = o->has_range,
                   .lo = o->has_range ? o->lo : INFINITY,
                   .hi = o->has_range ? o->hi : -INFINITY};
    h.rng = 0x9E3779B97F4A7C15ULL;
    bool one_pass = o->has_range && o->bins > 0;
    int npasses = one_pass ? 1 : 2;
    orgfig_status st = ORGFIG_OK;
    if (!one_pass) {
        if (o->bins == 0) {
            h.sample = orgfig_alloc_array(NULL, ORGFIG_STREAM_SAMPLE, sizeof(double),
                                          false, "a histogram sample", err);
            if (h.sample == NULL)
                return err->status;
        }
        st =
            stream_pass(src, col, NULL, hist_range_block, &h, hooks, 0, 2, NULL, fn, err);
        if (st == ORGFIG_OK && h.n == 0) {
            if (o->has_range)
                st = orgfig_fail(err, ORGFIG_E_INVALID,
                                 "%s: DATA has no finite values in :range (%g %g)", fn,
                                 o->lo, o->hi);
            else
                st = orgfig_fail(err, ORGFIG_E_INVALID,
                                 "%s: the column of \"%s\" has no finite values", fn,
                                 src->path);
        }
        if (st != ORGFIG_OK) {
            orgfig_free(h.sample);
            return st;
        }
    }
    double lo = h.lo, hi = h.hi;
    if (hi == lo) {
        lo -= 0.5;
        hi += 0.5;
    }
    long bins = o->bins;
    if (bins == 0) {
        qsort(h.sample, h.nsample, sizeof(double), cmp_double);
        double q1 = sorted_quantile(h.sample, h.nsample, 0.25),
               q3 = sorted_quantile(h.sample, h.nsample, 0.75);
        double iqr = q3 - q1, nb;
        if (iqr > 0)
            nb = ceil((hi - lo) / (2 * iqr / cbrt((double)h.n)));
        else
            nb = ceil(log2((double)h.n) + 1);
        bins = (long)fmax(1, fmin(1000, nb));
    }
    orgfig_free(h.sample);
    h.sample = NULL;
    out->counts = orgfig_alloc_array(out->meter, (size_t)bins, sizeof(double), true,
                                     "histogram counts", err);
    if (out->counts == NULL)
        return err->status;
    h.counts = out->counts;
    h.bins = bins;
    h.lo = lo;
    h.hi = hi;
    h.scale = (double)bins / (hi - lo);
    h.n = 0;
    st = stream_pass(src, col, NULL, hist_count_block, &h, hooks, npasses - 1, npasses,
                     NULL, fn, err);
    if (st == ORGFIG_OK && h.n == 0)
        st = orgfig_fail(err, ORGFIG_E_INVALID,
                         "%s: DATA has no finite values in :range (%g %g)", fn, lo, hi);
    if (st != ORGFIG_OK) {
        orgfig_stream_hist_out_free(out);
        return st;
    }
    out->nbins = (size_t)bins;
    out->lo = lo;
    out->hi = hi;
    out->n = h.n;
    return ORGFIG_OK;
}

void
orgfig_stream_hist_out_free(orgfig_stream_hist_out *out)
{
    orgfig_free(out->counts);
    out->counts = NULL;
    out->nbins = 0;
    out->n = 0;
}

/* --------------------------------------------------------------- density */

typedef struct grid_scan {
    double x0, x1, y0, y1;
    uint64_t n;
    /* Pass 2. */
    uint32_t *counts;
    size_t nx, ny;
    double sx, sy;
} grid_scan;

static orgfig_status
grid_range_block(void *ctx, const double *x, const double *y, size_t n, size_t row0,
                 orgfig_err *err)
{
    (void)row0;
    (void)err;
    grid_scan *g = ctx;
    for (size_t i = 0; i < n; i++) {
        double a = x[i], b = y[i];
        if (!(isfinite(a) && isfinite(b)))
            continue;
        g->x0 = a < g->x0 ? a : g->x0;
        g->x1 = a > g->x1 ? a : g->x1;
        g->y0 = b < g->y0 ? b : g->y0;
        g->y1 = b > g->y1 ? b : g->y1;
        g->n++;
    }
    return ORGFIG_OK;
}

static orgfig_status
grid_count_block(void *ctx, const double *x, const double *y, size_t n, size_t row0,
                 orgfig_err *err)
{
    (void)row0;
    (void)err;
    grid_scan *g = ctx;
    long nx = (long)g->nx, ny = (long)g->ny;
    for (size_t i = 0; i < n; i++) {
        double a = x[i], b = y[i];
        if (!(isfinite(a) && isfinite(b)))
            continue;
        long ix = orgfig_bin_index((a - g->x0) * g->sx, nx);
        long iy = orgfig_bin_index((b - g->y0) * g->sy, ny);
        uint32_t *c = &g->counts[(size_t)iy * g->nx + (size_t)ix];
        *c += *c < UINT32_MAX;
        g->n++;
    }
    return ORGFIG_OK;
}

orgfig_status
orgfig_stream_grid_counts(const orgfig_stream_src *src, const orgfig_csv_select *x,
                          const orgfig_csv_select *y, size_t nx, size_t ny,
                          const orgfig_hooks *hooks, orgfig_stream_grid *out,
                          const char *fn, orgfig_err *err)
{
    out->counts = NULL;
    out->n = 0;
    if (x == NULL || y == NULL)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: X and Y columns are needed", fn);
    if (nx < 1 || ny < 1 || nx > 32767 || ny > 32767)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: bad density grid %zu x %zu", fn,
                           nx, ny);
    grid_scan g = {INFINITY, -INFINITY, INFINITY, -INFINITY, 0, NULL, 0, 0, 0, 0};
    orgfig_status st =
        stream_pass(src, x, y, grid_range_block, &g, hooks, 0, 2, NULL, fn, err);
    if (st != ORGFIG_OK)
        return st;
    if (g.n == 0)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: no row of \"%s\" has both X and Y finite", fn, src->path);
    if (g.x0 == g.x1) {
        g.x0 -= 0.5;
        g.x1 += 0.5;
    }
    if (g.y0 == g.y1) {
        g.y0 -= 0.5;
        g.y1 += 0.5;
    }
    if (!isfinite(g.x1 - g.x0) || !isfinite(g.y1 - g.y0))
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: the data range is too wide", fn);
    g.counts = orgfig_alloc_array(out->meter, nx * ny, sizeof(uint32_t), true,
                                  "a density grid", err);
    if (g.counts == NULL)
        return err->status;
    g.nx = nx;
    g.ny = ny;
    g.sx = (double)nx / (g.x1 - g.x0);
    g.sy = (double)ny / (g.y1 - g.y0);
    g.n = 0;
    st = stream_pass(src, x, y, grid_count_block, &g, hooks, 1, 2, NULL, fn, err);
    if (st != ORGFIG_OK) {
        orgfig_free(g.counts);
        return st;
    }
    out->nx = nx;
    out->ny = ny;
    out->x0 = g.x0;
    out->x1 = g.x1;
    out->y0 = g.y0;
    out->y1 = g.y1;
    out->counts = g.counts;
    out->n = g.n;
    return ORGFIG_OK;
}

void
orgfig_stream_grid_free(orgfig_stream_grid *g)
{
    orgfig_free(g->counts);
    g->counts = NULL;
    g->n = 0;
}

/* ------------------------------------------------------------ the plots */

/* F is usable and KIND is linked in.  The keys of PROPS are checked by
 * dry_run below, through orgfig_figure_plot's own check, so a key that
 * figure.c accepts for KIND is accepted here too. */
static orgfig_status
check_kind(orgfig_figure *f, orgfig_kind kind, const char *fn, orgfig_err *err)
{
    if (orgfig_figure_usable(f, fn, err) != ORGFIG_OK)
        return err->status;
    if (orgfig_plot_class_of(kind) == NULL)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s is not available in this build",
                           fn);
    return ORGFIG_OK;
}

/* Validate PROPS exactly as a plot of KIND on F would, before the long
 * streaming: plot them with a tiny stand-in data set on a scratch figure
 * of the same grid (so :axes is checked too), then drop it. */
static orgfig_status
dry_run(orgfig_figure *f, orgfig_kind kind, const orgfig_prop *props, size_t nprops,
        orgfig_err *err)
{
    orgfig_prop fp[2] = {
        {"rows", {.type = ORGFIG_V_NUM, .is_int = true, .num = f->rows}},
        {"cols", {.type = ORGFIG_V_NUM, .is_int = true, .num = f->cols}}};
    orgfig_figure *t = orgfig_figure_new(fp, 2, err);
    if (t == NULL)
        return err->status;
    double v[2] = {0, 1};
    orgfig_column *c = orgfig_column_from_doubles(v, 2, err);
    orgfig_status st = c ? ORGFIG_OK : err->status;
    if (st == ORGFIG_OK) {
        orgfig_value args[2] = {{.type = ORGFIG_V_COL, .col = c},
                                {.type = ORGFIG_V_COL, .col = c}};
        st = orgfig_figure_plot(t, kind, args, orgfig_kind_nargs(kind), props, nprops,
                                err);
    }
    orgfig_column_unref(c);
    orgfig_figure_free(t);
    return st;
}

orgfig_status
orgfig_stream_line(orgfig_figure *f, const orgfig_stream_src *src,
                   const orgfig_csv_select *x, const orgfig_csv_select *y,
                   const orgfig_prop *props, size_t nprops, const orgfig_hooks *hooks,
                   orgfig_err *err)
{
    const char *fn = "orgfig-line";
    if (check_kind(f, ORGFIG_LINE, fn, err) != ORGFIG_OK ||
        dry_run(f, ORGFIG_LINE, props, nprops, err) != ORGFIG_OK)
        return err->status;
    orgfig_m4_out out = ORGFIG_M4_OUT_INIT(NULL);
    double x0, x1;
    orgfig_status st = orgfig_stream_m4(src, x, y, ORGFIG_STREAM_LINE_BINS, hooks, &out,
                                        &x0, &x1, fn, err);
    if (st == ORGFIG_OK && out.n == 0)
        st = orgfig_fail(err, ORGFIG_E_INVALID, "%s: no row of \"%s\" has a finite Y", fn,
                         src->path);
    orgfig_column *xc = NULL, *yc = NULL;
    if (st == ORGFIG_OK) {
        xc = orgfig_column_new(out.n, ORGFIG_F64, err);
        yc = xc ? orgfig_column_new(out.n, ORGFIG_F64, err) : NULL;
        if (yc == NULL)
            st = err->status;
    }
    if (st == ORGFIG_OK) {
        double *xd = xc->data, *yd = yc->data;
        for (size_t i = 0; i < out.n; i++) {
            xd[i] = out.xy[2 * i];
            yd[i] = out.xy[2 * i + 1];
        }
    }
    orgfig_m4_out_free(&out);
    /* The polls ran Lisp: the figure may have been closed meanwhile. */
    if (st == ORGFIG_OK)
        st = orgfig_figure_usable(f, fn, err);
    if (st == ORGFIG_OK) {
        orgfig_value args[2] = {{.type = ORGFIG_V_COL, .col = xc},
                                {.type = ORGFIG_V_COL, .col = yc}};
        st = orgfig_figure_plot(f, ORGFIG_LINE, args, 2, props, nprops, err);
    }
    orgfig_column_unref(xc);
    orgfig_column_unref(yc);
    return st;
}

/* ---- the streamed histogram ----
 *
 * The artist is made by orgfig_figure_plot as an ordinary (one-value)
 * histogram, which handles the common properties, the axes, the color
 * cycle and the artist list; it then adopts the streamed counts
 * (orgfig_hist_adopt), so it draws exactly as plot_hist.c draws.  Nothing
 * can fail after the hand-over. */

/* Copy into *OUT (counted, caller frees) the props of PROPS whose keys are
 * in KEEP. */
static orgfig_status
filter_props(const orgfig_prop *props, size_t nprops, const char *const *keep,
             size_t extra, orgfig_prop **out, size_t *n, orgfig_err *err)
{
    *out = orgfig_alloc_array(NULL, nprops + extra + 1, sizeof **out, true,
                              "plot properties", err);
    if (*out == NULL)
        return err->status;
    *n = 0;
    for (size_t i = 0; i < nprops; i++)
        for (size_t k = 0; keep[k]; k++)
            if (strcmp(props[i].key, keep[k]) == 0) {
                (*out)[(*n)++] = props[i];
                break;
            }
    return ORGFIG_OK;
}

/* The artist orgfig_figure_plot just appended to axes AXES of F. */
static orgfig_artist *
last_artist(orgfig_figure *f, const orgfig_prop *props, size_t nprops)
{
    long ai = 0;
    long i = orgfig_prop_find(props, nprops, "axes");
    if (i >= 0)
        ai = (long)props[i].val.num; /* validated by orgfig_figure_plot */
    orgfig_axes *ax = &f->axes[ai];
    return ax->nartists ? ax->artists[ax->nartists - 1] : NULL;
}

orgfig_status
orgfig_stream_hist(orgfig_figure *f, const orgfig_stream_src *src,
                   const orgfig_csv_select *col, const orgfig_prop *props, size_t nprops,
                   const orgfig_hooks *hooks, orgfig_err *err)
{
    const char *fn = "orgfig-hist";
    if (check_kind(f, ORGFIG_HIST, fn, err) != ORGFIG_OK ||
        orgfig_props_check(fn, props, nprops, common_keys, orgfig_plot_hist.props, err) !=
            ORGFIG_OK)
        return err->status;
    orgfig_hist_opts ho;
    if (orgfig_hist_parse(fn, props, nprops, &ho, err) != ORGFIG_OK)
        return err->status;
    orgfig_stream_hist_opts o = {ho.bins, ho.has_range, ho.lo, ho.hi};
    orgfig_prop *common = NULL;
    size_t ncommon = 0;
    if (filter_props(props, nprops, common_keys, 0, &common, &ncommon, err) != ORGFIG_OK)
        return err->status;
    if (dry_run(f, ORGFIG_HIST, common, ncommon, err) != ORGFIG_OK) {
        orgfig_free(common);
        return err->status;
    }
    orgfig_stream_hist_out h = {0, 0, 0, NULL, 0, &f->meter};
    orgfig_status st = orgfig_stream_hist_counts(src, col, &o, hooks, &h, fn, err);
    if (st != ORGFIG_OK) {
        orgfig_free(common);
        return st;
    }
    orgfig_hist_normalize(h.counts, h.nbins, h.n, (h.hi - h.lo) / (double)h.nbins, &ho);
    orgfig_column *one = NULL;
    if ((st = orgfig_figure_usable(f, fn, err)) != ORGFIG_OK)
        goto out;
    double zero = 0;
    one = orgfig_column_from_doubles(&zero, 1, err);
    if (one == NULL) {
        st = err->status;
        goto out;
    }
    orgfig_value arg = {.type = ORGFIG_V_COL, .col = one};
    if ((st = orgfig_figure_plot(f, ORGFIG_HIST, &arg, 1, common, ncommon, err)) !=
        ORGFIG_OK)
        goto out;
    /* The hand-over (cannot fail). */
    orgfig_hist_adopt(last_artist(f, common, ncommon), h.counts, h.nbins, h.lo, h.hi,
                      ho.step);
    h.counts = NULL;
out:
    orgfig_free(common);
    orgfig_column_unref(one);
    orgfig_stream_hist_out_free(&h);
    return st;
}

/* ---- density: counts drawn as a heatmap ---- */

static size_t
grid_side(double px, int parts)
{
    double v = round(0.75 * px / (parts > 0 ? parts : 1));
    return v < 16 ? 16 : v > ORGFIG_STREAM_GRID_MAX ? ORGFIG_STREAM_GRID_MAX : (size_t)v;
}

orgfig_status
orgfig_stream_density(orgfig_figure *f, const orgfig_stream_src *src,
                      const orgfig_csv_select *x, const orgfig_csv_select *y,
                      const orgfig_prop *props, size_t nprops, const orgfig_hooks *hooks,
                      orgfig_err *err)
{
    const char *fn = "orgfig-scatter";
    if (check_kind(f, ORGFIG_SCATTER, fn, err) != ORGFIG_OK)
        return err->status;
    long di = orgfig_prop_find(props, nprops, "density");
    bool density = false;
    if (di >= 0) {
        orgfig_loc l = orgfig_loc_prop(fn, props, (size_t)di);
        if (orgfig_val_bool(&props[di].val, &l, &density, err) != ORGFIG_OK)
            return err->status;
    }
    if (!density)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: a file source is only streamed with :density t", fn);
    if (dry_run(f, ORGFIG_SCATTER, props, nprops, err) != ORGFIG_OK)
        return err->status;
    /* Validate what the heatmap will not see, as orgfig-scatter would. */
    for (size_t i = 0; i < nprops; i++) {
        orgfig_loc l = orgfig_loc_prop(fn, props, i);
        if (strcmp(props[i].key, "cmap") == 0) {
            orgfig_cmap cm;
            const orgfig_value *v = &props[i].val;
            if (v->type != ORGFIG_V_SYM && v->type != ORGFIG_V_STR)
                return orgfig_fail_type(err, "symbolp", ORGFIG_WHERE_PROP, i,
                                        "%s: :cmap must be a colormap name, got %s", fn,
                                        orgfig_value_kind(v));
            if (orgfig_cmap_parse(v->str, v->len, &cm, fn, ":cmap", err) != ORGFIG_OK)
                return err->status;
        } else if (strcmp(props[i].key, "colorbar") == 0) {
            bool b;
            if (orgfig_val_bool(&props[i].val, &l, &b, err) != ORGFIG_OK)
                return err->status;
        }
    }
    int w, h;
    double scale;
    orgfig_figure_size(f, &w, &h, &scale);
    size_t nx = grid_side(w * scale, f->cols), ny = grid_side(h * scale, f->rows);
    orgfig_stream_grid g = {0};
    orgfig_status st = orgfig_stream_grid_counts(src, x, y, nx, ny, hooks, &g, fn, err);
    if (st != ORGFIG_OK)
        return st;
    orgfig_column **rows = NULL;
    orgfig_value *items = NULL;
    orgfig_prop *hp = NULL;
    size_t nhp = 0;
    rows = orgfig_alloc_array(NULL, ny, sizeof *rows, true, "density rows", err);
    items = rows ? orgfig_alloc_array(NULL, ny, sizeof *items, true, "density rows", err)
                 : NULL;
    if (items == NULL) {
        st = err->status;
        goto out;
    }
    uint32_t maxc = 0;
    for (size_t k = 0; k < nx * ny; k++)
        maxc = g.counts[k] > maxc ? g.counts[k] : maxc;
    /* Row 0 of the heatmap is the top of :extent: the grid's last row. */
    for (size_t r = 0; r < ny; r++) {
        rows[r] = orgfig_column_new(nx, ORGFIG_F64, err);
        if (rows[r] == NULL) {
            st = err->status;
            goto out;
        }
        const uint32_t *src_row = g.counts + (ny - 1 - r) * nx;
        double *d = rows[r]->data;
        for (size_t i = 0; i < nx; i++)
            d[i] = src_row[i] ? log1p((double)src_row[i]) : NAN;
        items[r] = (orgfig_value){.type = ORGFIG_V_COL, .col = rows[r]};
    }
    orgfig_stream_grid_free(&g);
    static const char *const keep[] = {"axes", "label",    "alpha",          "yaxis",
                                       "cmap", "colorbar", "colorbar-label", NULL};
    /* Defaults first: orgfig_prop_find takes the last of a key. */
    if (filter_props(props, nprops, keep, 4, &hp, &nhp, err) != ORGFIG_OK) {
        st = err->status;
        goto out;
    }
    memmove(hp + 1, hp, nhp * sizeof *hp);
    hp[0] = (orgfig_prop){"colorbar", {.type = ORGFIG_V_NIL}};
    nhp++;
    orgfig_value ext[4] = {{.type = ORGFIG_V_NUM, .num = g.x0},
                           {.type = ORGFIG_V_NUM, .num = g.x1},
                           {.type = ORGFIG_V_NUM, .num = g.y0},
                           {.type = ORGFIG_V_NUM, .num = g.y1}};
    hp[nhp++] =
        (orgfig_prop){"extent", {.type = ORGFIG_V_LIST, .items = ext, .nitems = 4}};
    hp[nhp++] = (orgfig_prop){"vmin", {.type = ORGFIG_V_NUM, .num = 0}};
    hp[nhp++] = (orgfig_prop){"vmax", {.type = ORGFIG_V_NUM, .num = log1p((double)maxc)}};
    if ((st = orgfig_figure_usable(f, fn, err)) != ORGFIG_OK)
        goto out;
    orgfig_value m = {.type = ORGFIG_V_LIST, .items = items, .nitems = ny};
    st = orgfig_figure_plot(f, ORGFIG_HEATMAP, &m, 1, hp, nhp, err);
    if (st != ORGFIG_OK && err && strncmp(err->msg, "orgfig-heatmap", 14) == 0) {
        char tmp[ORGFIG_ERR_MSG_SIZE];
        snprintf(tmp, sizeof tmp, "%s%s", fn, err->msg + 14);
        memcpy(err->msg, tmp, sizeof tmp);
    }
out:
    orgfig_stream_grid_free(&g);
    if (rows)
        for (size_t r = 0; r < ny; r++)
            orgfig_column_unref(rows[r]);
    orgfig_free(rows);
    orgfig_free(items);
    orgfig_free(hp);
    return st;
}
