/* fuzz_api.c - random sequences of core API calls (libFuzzer target).
 *
 * The input is read as a little bytecode: each operation is one byte
 * followed by the bytes its operands need (see the OP_ constants); a
 * read past the end yields zeros, so every input is a valid program.  A
 * program drives up to NFIG figures through figure_new (random
 * properties), set, plot of every kind (random positional values:
 * columns holding NaN, infinities, huge numbers, denormals, nothing;
 * strings with NULs and invalid UTF-8; symbols; nested lists), render to
 * PNG/SVG/PDF at small sizes (with a poll that may ask to stop), close,
 * free, the memory limit and fault injection.
 *
 * Besides the sanitizers, the target checks the core's contracts and
 * aborts when one is broken, which libFuzzer reports as a crash:
 * - a failure has a status and a message (and a predicate for type errors);
 * - a failed plot leaves the figure's artists as they were;
 * - a successful render is a PNG, SVG or PDF, a failed one leaves OUT empty;
 * - after the program frees everything, the counted bytes are back where
 *   they started (no leak of counted memory on any path).
 *
 * Sizes are kept small (at most 160 x 160 logical pixels, scale <= 4 and
 * a 64 MiB limit on counted memory) so each program runs in milliseconds;
 * out-of-range sizes are still generated to exercise the checks. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../module/core/alloc.h"
#include "../../module/core/buf.h"
#include "../../module/core/column.h"
#include "../../module/core/figure.h"
#include "../../module/core/model.h"
#include "../../module/core/value.h"

enum {
    NFIG = 3,
    MAX_OPS = 48,
    MAX_PROPS = 6,
    MAX_COL = 48,
    MAX_ITEMS = 5,
    MAX_DEPTH = 3,
    MAX_SCRATCH = 512,
};

#define DEFAULT_LIMIT ((size_t)64 << 20)

typedef struct reader {
    const uint8_t *p;
    size_t n, i;
} reader;

/* ORGFIG_FUZZ_TRACE=1 prints each operation's outcome (for triage). */
static int trace = -1;

static void
trace_status(const char *what, orgfig_status st, const orgfig_err *err)
{
    if (trace)
        fprintf(stderr, "fuzz_api: %s -> %s%s%s\n", what, orgfig_status_name(st),
                st != ORGFIG_OK ? ": " : "", st != ORGFIG_OK ? err->msg : "");
}

static unsigned
u8(reader *r)
{
    return r->i < r->n ? r->p[r->i++] : 0;
}

static double
raw_double(reader *r)
{
    uint64_t bits = 0;
    for (int k = 0; k < 8; k++)
        bits |= (uint64_t)u8(r) << (8 * k);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* Everything one operation allocates for its arguments, freed after it. */
typedef struct scratch {
    void *blocks[MAX_SCRATCH];
    size_t nblocks;
    orgfig_column *cols[MAX_SCRATCH];
    size_t ncols;
} scratch;

static void *
scratch_alloc(scratch *s, size_t n)
{
    if (s->nblocks == MAX_SCRATCH)
        return NULL;
    void *p = calloc(1, n ? n : 1);
    if (p)
        s->blocks[s->nblocks++] = p;
    return p;
}

static void
scratch_free(scratch *s)
{
    for (size_t i = 0; i < s->nblocks; i++)
        free(s->blocks[i]);
    for (size_t i = 0; i < s->ncols; i++)
        orgfig_column_unref(s->cols[i]);
    s->nblocks = s->ncols = 0;
}

static double
special_number(reader *r)
{
    static const double table[] = {
        0,
        1,
        -1,
        0.5,
        2,
        3,
        10,
        100,
        1e308,
        -1e308,
        INFINITY,
        -INFINITY,
        NAN,
        5e-324,
        -5e-324,
        1e-300,
        9007199254740993.0,
        -0.0,
        16,
        15,
        160,
        16384,
        100000,
        1e6,
        0.25,
        1.5,
        4,
        5,
        1e-9,
        1e9,
        2.2250738585072014e-308,
        0.1,
    };
    unsigned k = u8(r);
    if (k >= 32 * 7)
        return raw_double(r);
    return table[k % (sizeof table / sizeof table[0])];
}

static const char *const symbols[] = {
    "log",         "linear",   "time",     "viridis",    "plasma",      "gray",
    "RdBu_r",      "coolwarm", "dashed",   "dotted",     "dashdot",     "solid",
    "circle",      "square",   "triangle", "diamond",    "plus",        "x",
    "none",        "left",     "right",    "center",     "top",         "bottom",
    "baseline",    "best",     "outside",  "upper-left", "upper-right", "lower-left",
    "lower-right", "equal",    "auto",     "y",          "bar",         "step",
    "pre",         "post",     "mid",      "float32",    "red",         "tab:blue",
    "nil",         "t",        "foo",      "",
};

static const char *const strings[] = {
    "red",          "#ff000080",   "#abc", "tab:orange",
    "C3",           "%.1f",        "%d%%", "%s%n%s",
    "%.*f",         "%99999f",     "",     "a\nb",
    "\xe2\x82\xac", "\xff\xfe",    "x",    "DejaVu Sans",
    "no such font", "transparent", "none", "rgba(1,2,3,4)",
};

static orgfig_column *
gen_column(reader *r, scratch *s, size_t n)
{
    if (s->ncols == MAX_SCRATCH)
        return NULL;
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *c = orgfig_column_new(n, (u8(r) & 1) ? ORGFIG_F32 : ORGFIG_F64, &err);
    if (c == NULL)
        return NULL; /* the fault injection or the limit hit: fine */
    s->cols[s->ncols++] = c;
    unsigned mode = u8(r) % 4;
    for (size_t i = 0; i < n; i++) {
        double v;
        switch (mode) {
        case 0: /* a ramp */
            v = (double)i;
            break;
        case 1: /* a wave */
            v = sin((double)i * 0.7) * 3 + 5;
            break;
        case 2: /* a wave with a gap */
            v = i % 7 == 3 ? NAN : cos((double)i * 0.3);
            break;
        default: /* all special */
            v = special_number(r);
            break;
        }
        orgfig_column_put(c, i, v);
    }
    return c;
}

static void gen_value(reader *r, scratch *s, int depth, orgfig_value *out);

static void
gen_string(reader *r, scratch *s, orgfig_value *out)
{
    out->type = ORGFIG_V_STR;
    unsigned k = u8(r);
    if (k < 160) {
        const char *str = strings[k % (sizeof strings / sizeof strings[0])];
        out->str = str;
        out->len = strlen(str);
        return;
    }
    /* Raw bytes, NUL bytes and invalid UTF-8 included; NUL-terminated at
     * len as value.h promises. */
    size_t len = k % 40;
    if (k == 255)
        len = 4000; /* a long label */
    char *buf = scratch_alloc(s, len + 1);
    if (buf == NULL) {
        out->str = "";
        out->len = 0;
        return;
    }
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)(len > 40 ? 'a' + (i % 26) : u8(r));
    out->str = buf;
    out->len = len;
}

static void
gen_value(reader *r, scratch *s, int depth, orgfig_value *out)
{
    memset(out, 0, sizeof *out);
    unsigned t = u8(r) % 10;
    if (depth >= MAX_DEPTH && t == 6)
        t = 2;
    switch (t) {
    case 0:
        out->type = ORGFIG_V_NIL;
        return;
    case 1:
        out->type = ORGFIG_V_T;
        return;
    case 2:
        out->type = ORGFIG_V_NUM;
        out->num = special_number(r);
        return;
    case 3:
        gen_string(r, s, out);
        return;
    case 4: {
        const char *sym = symbols[u8(r) % (sizeof symbols / sizeof symbols[0])];
        out->type = ORGFIG_V_SYM;
        out->str = sym;
        out->len = strlen(sym);
        return;
    }
    case 5:
    case 8: {
        unsigned k = u8(r);
        size_t n = k < 250 ? k % MAX_COL : (k == 250 ? 0 : 3000);
        orgfig_column *c = gen_column(r, s, n);
        if (c == NULL) {
            out->type = ORGFIG_V_NIL;
            return;
        }
        out->type = ORGFIG_V_COL;
        out->col = c;
        return;
    }
    case 6: {
        size_t n = u8(r) % (MAX_ITEMS + 1);
        orgfig_value *items = scratch_alloc(s, n * sizeof *items);
        if (items == NULL) {
            out->type = ORGFIG_V_NIL;
            return;
        }
        for (size_t i = 0; i < n; i++)
            gen_value(r, s, depth + 1, &items[i]);
        out->type = ORGFIG_V_LIST;
        out->items = items;
        out->nitems = n;
        return;
    }
    default:
        out->type = ORGFIG_V_NUM;
        out->is_int = true;
        out->num = (double)(int)(u8(r) % 40) - 4;
        return;
    }
}

static const char *const figure_keys[] = {
    "width",       "height",    "scale",      "rows",       "cols",        "sharex",
    "sharey",      "title",     "suptitle",   "background", "foreground",  "grid-color",
    "font-family", "font-size", "title-size", "line-width", "cycle",       "axes",
    "xlabel",      "ylabel",    "xlim",       "ylim",       "xscale",      "yscale",
    "grid",        "legend",    "xticks",     "yticks",     "xticklabels", "yticklabels",
    "aspect",      "xinvert",   "yinvert",    "twinx",      "y2label",     "y2lim",
    "y2scale",     "theme",     "bogus",      "",
};

static const char *const common_plot_keys[] = {"axes",  "label", "color", "alpha",
                                               "yaxis", "bogus", "width"};

/* A size-like value: mostly small and valid, sometimes out of range. */
static void
gen_size(reader *r, const char *key, orgfig_value *out)
{
    memset(out, 0, sizeof *out);
    out->type = ORGFIG_V_NUM;
    unsigned k = u8(r);
    if (strcmp(key, "scale") == 0) {
        static const double sc[] = {1, 2, 0.5, 4, 1.5, 0, -1, 5, NAN, INFINITY};
        out->num = sc[k % 10];
        return;
    }
    if (strcmp(key, "rows") == 0 || strcmp(key, "cols") == 0) {
        static const double g[] = {1, 2, 3, 4, 16, 0, 17, -1, 1.5, NAN};
        out->num = g[k % 10];
        out->is_int = k % 10 < 8;
        return;
    }
    static const double sz[] = {16, 40, 64, 100, 120, 160, 0, -5, 15, 100000, 1e308, NAN};
    out->num = sz[k % 12];
    out->is_int = k % 12 < 9;
}

static bool
is_size_key(const char *key)
{
    return strcmp(key, "width") == 0 || strcmp(key, "height") == 0 ||
           strcmp(key, "scale") == 0 || strcmp(key, "rows") == 0 ||
           strcmp(key, "cols") == 0;
}

/* Random properties from KEYS (and, for plots, the class's own keys). */
static size_t
gen_props(reader *r, scratch *s, const char *const *keys, size_t nkeys,
          const orgfig_plot_class *cls, bool plot, orgfig_prop *props)
{
    size_t n = u8(r) % (MAX_PROPS + 1);
    size_t ncls = 0;
    if (cls && cls->props)
        while (cls->props[ncls])
            ncls++;
    for (size_t i = 0; i < n; i++) {
        unsigned k = u8(r);
        const char *key;
        if (ncls && (k & 1))
            key = cls->props[(k >> 1) % ncls];
        else
            key = keys[(k >> 1) % nkeys];
        props[i].key = key;
        /* A plot's :width is a line width, not a figure size. */
        if (!plot && is_size_key(key))
            gen_size(r, key, &props[i].val);
        else
            gen_value(r, s, 0, &props[i].val);
    }
    return n;
}

/* Abort unless ERR describes a failure properly. */
static void
check_failure(orgfig_status st, const orgfig_err *err)
{
    if (st == ORGFIG_OK || err->status != st || err->msg[0] == '\0')
        abort();
    if (st == ORGFIG_E_TYPE && err->predicate == NULL)
        abort();
}

static bool
poll_maybe_stop(void *ctx)
{
    unsigned *budget = ctx;
    if (*budget == 0)
        return true;
    (*budget)--;
    return false;
}

static void
check_render_output(orgfig_format format, const orgfig_buf *out)
{
    if (out->len == 0)
        abort();
    switch (format) {
    case ORGFIG_FORMAT_PNG:
        if (out->len < 8 || memcmp(out->data, "\x89PNG\r\n\x1a\n", 8) != 0)
            abort();
        break;
    case ORGFIG_FORMAT_SVG:
        if (out->len < 5 || memmem(out->data, out->len, "<svg", 4) == NULL)
            abort();
        break;
    case ORGFIG_FORMAT_PDF:
        if (out->len < 5 || memcmp(out->data, "%PDF", 4) != 0)
            abort();
        break;
    }
}

static void
op_plot(reader *r, scratch *s, orgfig_figure *f)
{
    unsigned k = u8(r);
    orgfig_kind kind = (orgfig_kind)(k % (ORGFIG_KIND_COUNT + 1)); /* one past: bad */
    const orgfig_plot_class *cls =
        kind < ORGFIG_KIND_COUNT ? orgfig_plot_class_of(kind) : NULL;
    size_t nargs = kind < ORGFIG_KIND_COUNT ? orgfig_kind_nargs(kind) : 1;
    if (k >= 240)
        nargs = u8(r) % 5; /* a wrong count now and then */
    orgfig_value args[4];
    for (size_t i = 0; i < nargs && i < 4; i++)
        gen_value(r, s, 0, &args[i]);
    orgfig_prop props[MAX_PROPS];
    size_t nprops =
        gen_props(r, s, common_plot_keys,
                  sizeof common_plot_keys / sizeof common_plot_keys[0], cls, true, props);
    size_t before = orgfig_figure_nartists(f);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_status st = orgfig_figure_plot(f, kind, args, nargs, props, nprops, &err);
    trace_status(kind < ORGFIG_KIND_COUNT ? orgfig_kind_name(kind) : "bad kind", st,
                 &err);
    if (st != ORGFIG_OK) {
        check_failure(st, &err);
        if (orgfig_figure_nartists(f) != before)
            abort();
    } else if (orgfig_figure_nartists(f) != before + 1) {
        abort();
    }
}

static void
op_render(reader *r, orgfig_figure *f)
{
    unsigned k = u8(r);
    orgfig_render_opts opts = {.format = (orgfig_format)(k % 3), .png_level = -1};
    if (k & 4)
        opts.png_level = (int)(u8(r) % 10);
    opts.png_small = (k & 8) != 0;
    unsigned budget = (k & 16) ? u8(r) % 4 : UINT32_MAX;
    opts.poll = poll_maybe_stop;
    opts.ctx = &budget;
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_status st = orgfig_figure_render(f, &opts, &out, &err);
    trace_status(opts.format == ORGFIG_FORMAT_PNG   ? "render png"
                 : opts.format == ORGFIG_FORMAT_SVG ? "render svg"
                                                    : "render pdf",
                 st, &err);
    if (st == ORGFIG_OK) {
        check_render_output(opts.format, &out);
    } else {
        check_failure(st, &err);
        if (out.len != 0)
            abort();
    }
    orgfig_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size, 0};
    if (trace < 0)
        trace = getenv("ORGFIG_FUZZ_TRACE") != NULL;
    static scratch s; /* static: large, and empty between operations */
    orgfig_figure *figs[NFIG] = {0};
    size_t start = orgfig_memory_stats().bytes;
    orgfig_memory_set_limit(start + DEFAULT_LIMIT);

    for (int op = 0; op < MAX_OPS && r.i < r.n; op++) {
        unsigned code = u8(&r);
        unsigned slot = u8(&r) % NFIG;
        orgfig_figure *f = figs[slot];
        orgfig_err err = ORGFIG_ERR_INIT;
        switch (code % 11) {
        case 0: { /* new figure */
            orgfig_prop props[MAX_PROPS];
            size_t n =
                gen_props(&r, &s, figure_keys, sizeof figure_keys / sizeof figure_keys[0],
                          NULL, false, props);
            orgfig_figure *nf = orgfig_figure_new(props, n, &err);
            trace_status("figure-new", err.status, &err);
            if (nf == NULL) {
                check_failure(err.status, &err);
            } else {
                orgfig_figure_free(figs[slot]);
                figs[slot] = nf;
            }
            break;
        }
        case 1: /* set */
            if (f) {
                orgfig_prop props[MAX_PROPS];
                size_t n = gen_props(&r, &s, figure_keys,
                                     sizeof figure_keys / sizeof figure_keys[0], NULL,
                                     false, props);
                orgfig_status st = orgfig_figure_set(f, props, n, &err);
                trace_status("set", st, &err);
                if (st != ORGFIG_OK)
                    check_failure(st, &err);
            }
            break;
        case 2:
        case 3:
        case 4: /* plot (most common) */
            if (f)
                op_plot(&r, &s, f);
            break;
        case 5:
        case 6: /* render */
            if (f)
                op_render(&r, f);
            break;
        case 7: /* close: idempotent */
            if (f) {
                orgfig_figure_close(f);
                if (orgfig_figure_is_open(f) ||
                    orgfig_figure_usable(f, "fuzz", &err) != ORGFIG_E_CLOSED)
                    abort();
            }
            break;
        case 8: /* free */
            orgfig_figure_free(f);
            figs[slot] = NULL;
            break;
        case 9: { /* the memory limit: tight, or back to the default */
            unsigned k = u8(&r);
            size_t held = orgfig_memory_stats().bytes;
            orgfig_memory_set_limit(k < 128 ? held + (size_t)k * 512
                                            : start + DEFAULT_LIMIT);
            break;
        }
        default: /* fault injection: the Nth allocation from now fails */
            orgfig_alloc_fail_at(1 + u8(&r) % 96);
            break;
        }
        scratch_free(&s);
        if (f && figs[slot] == f) {
            /* Cheap queries must work on open and closed figures alike. */
            int w, h;
            double sc;
            orgfig_figure_size(f, &w, &h, &sc);
            (void)orgfig_figure_bytes(f);
            if (orgfig_figure_title(f) == NULL)
                abort();
        }
    }
    orgfig_alloc_fail_at(0);
    orgfig_memory_set_limit(0);
    for (int i = 0; i < NFIG; i++)
        orgfig_figure_free(figs[i]);
    if (orgfig_memory_stats().bytes != start) {
        fprintf(stderr, "fuzz_api: %zu counted bytes leaked\n",
                orgfig_memory_stats().bytes - start);
        abort();
    }
    return 0;
}
