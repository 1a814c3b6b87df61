/* data.c - datasets, the number parser, the CSV/TSV reader and the raw
 * binary reader (see data.h).
 *
 * The CSV reader is one parser fed with chunks of bytes.  csv_feed consumes
 * every complete record of a chunk and reports how far it got; the file
 * loop moves the unconsumed tail (a record cut by the chunk end) to the
 * front of its buffer and reads more behind it, doubling the buffer only
 * when one record is larger than it.  Records are split into spans that
 * point into the chunk, so nothing is copied or allocated per cell.  Rows
 * go to one of two sinks: STORE appends them to growing columns (for
 * orgfig_read_csv), SCAN hands them to the caller (orgfig_csv_scan). */
#include "data.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DATASET_MAGIC 0x44615431u /* "DaT1" */
#define CHUNK ((size_t)1 << 20)   /* read size, and the poll interval */

struct orgfig_dataset {
    uint32_t magic;
    bool closed;
    orgfig_meter meter;   /* the struct, the table and the source name */
    orgfig_column **cols; /* NCOLS columns, one reference each */
    size_t ncols, capcols;
    char *source; /* NULL when closed */
};

static size_t open_datasets;
static size_t read_size = CHUNK; /* see orgfig_csv_set_read_size */

/* ---------------------------------------------------------------- datasets */

orgfig_dataset *
orgfig_dataset_new(const char *source, orgfig_err *err)
{
    orgfig_dataset *ds = orgfig_zalloc(NULL, sizeof *ds, "a dataset", err);
    if (ds == NULL)
        return NULL;
    orgfig_alloc_move(ds, &ds->meter);
    ds->magic = DATASET_MAGIC;
    open_datasets++;
    const char *s = source ? source : "";
    ds->source = orgfig_strndup(&ds->meter, s, strlen(s), err);
    if (ds->source == NULL) {
        orgfig_dataset_free(ds);
        return NULL;
    }
    return ds;
}

orgfig_status
orgfig_dataset_add(orgfig_dataset *ds, orgfig_column *c, orgfig_err *err)
{
    if (ds->closed) {
        orgfig_column_unref(c);
        return orgfig_fail(err, ORGFIG_E_CLOSED, "the dataset is closed");
    }
    if (ds->ncols == ds->capcols) {
        size_t cap = ds->capcols ? 2 * ds->capcols : 8;
        orgfig_column **t = orgfig_realloc_array(&ds->meter, ds->cols, cap, sizeof *t,
                                                 "a dataset's column table", err);
        if (t == NULL) {
            orgfig_column_unref(c);
            return err ? err->status : ORGFIG_E_NOMEM;
        }
        ds->cols = t;
        ds->capcols = cap;
    }
    ds->cols[ds->ncols++] = c;
    return ORGFIG_OK;
}

bool
orgfig_dataset_check(const void *p)
{
    return p != NULL && ((const orgfig_dataset *)p)->magic == DATASET_MAGIC;
}

bool
orgfig_dataset_is_open(const orgfig_dataset *ds)
{
    return ds != NULL && !ds->closed;
}

void
orgfig_dataset_close(orgfig_dataset *ds)
{
    if (ds == NULL || ds->closed)
        return;
    for (size_t i = 0; i < ds->ncols; i++)
        orgfig_column_unref(ds->cols[i]);
    orgfig_free(ds->cols);
    orgfig_free(ds->source);
    ds->cols = NULL;
    ds->source = NULL;
    ds->ncols = ds->capcols = 0;
    ds->closed = true;
    open_datasets--;
}

void
orgfig_dataset_free(orgfig_dataset *ds)
{
    if (ds == NULL)
        return;
    orgfig_dataset_close(ds);
    ds->magic = 0;
    orgfig_free(ds);
}

orgfig_status
orgfig_dataset_usable(const orgfig_dataset *ds, const char *fn, orgfig_err *err)
{
    if (ds == NULL || ds->magic != DATASET_MAGIC)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: not a dataset", fn);
    if (ds->closed)
        return orgfig_fail(err, ORGFIG_E_CLOSED, "%s: the dataset is closed", fn);
    return ORGFIG_OK;
}

size_t
orgfig_datasets_open(void)
{
    return open_datasets;
}

size_t
orgfig_dataset_ncols(const orgfig_dataset *ds)
{
    return ds && !ds->closed ? ds->ncols : 0;
}

size_t
orgfig_dataset_nrows(const orgfig_dataset *ds)
{
    return ds && !ds->closed && ds->ncols ? ds->cols[0]->n : 0;
}

const char *
orgfig_dataset_colname(const orgfig_dataset *ds, size_t i)
{
    if (ds == NULL || ds->closed || i >= ds->ncols)
        return NULL;
    return ds->cols[i]->name ? ds->cols[i]->name : "";
}

const char *
orgfig_dataset_source(const orgfig_dataset *ds)
{
    return ds && ds->source ? ds->source : "";
}

size_t
orgfig_dataset_bytes(const orgfig_dataset *ds)
{
    if (ds == NULL)
        return 0;
    size_t n = ds->meter.bytes;
    for (size_t i = 0; i < ds->ncols; i++)
        n += orgfig_column_bytes(ds->cols[i]);
    return n;
}

/* Append ", S" (S when FIRST) to the list being written in OUT; when
 * it does not fit, end the list with "..." and return false. */
static bool
append_item(char *out, size_t size, size_t *used, bool first, const char *s)
{
    int k = snprintf(out + *used, size - *used, "%s%s", first ? "" : ", ", s);
    if (k < 0 || (size_t)k >= size - *used) {
        memcpy(out + size - 4, "...", 4);
        return false;
    }
    *used += (size_t)k;
    return true;
}

/* Write "a, b, c" into OUT (SIZE > 4 bytes): the N NAMES. */
static void
list_names(char *out, size_t size, const char *const *names, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && append_item(out, size, &used, i == 0, names[i]); i++)
        ;
}

/* The same for the names of the dataset's columns. */
static void
dataset_names(const orgfig_dataset *ds, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ds->ncols; i++)
        if (!append_item(out, size, &used, i == 0,
                         ds->cols[i]->name ? ds->cols[i]->name : ""))
            break;
}

orgfig_column *
orgfig_dataset_column(const orgfig_dataset *ds, const char *name, size_t len,
                      const char *fn, orgfig_err *err)
{
    if (orgfig_dataset_usable(ds, fn, err) != ORGFIG_OK)
        return NULL;
    for (size_t i = 0; i < ds->ncols; i++) {
        const char *nm = ds->cols[i]->name;
        if (nm && strlen(nm) == len && memcmp(nm, name, len) == 0)
            return ds->cols[i];
    }
    char names[300];
    dataset_names(ds, names, sizeof names);
    int shown = len > 100 ? 100 : (int)len;
    orgfig_fail(err, ORGFIG_E_INVALID,
                "%s: no column \"%.*s%s\" in dataset (columns: %s)", fn, shown, name,
                len > 100 ? "..." : "", names);
    return NULL;
}

orgfig_column *
orgfig_dataset_column_at(const orgfig_dataset *ds, int64_t index, const char *fn,
                         orgfig_err *err)
{
    if (orgfig_dataset_usable(ds, fn, err) != ORGFIG_OK)
        return NULL;
    if (index < 0 || (uint64_t)index >= ds->ncols) {
        orgfig_fail(err, ORGFIG_E_INVALID,
                    "%s: index %lld out of range (dataset has %zu %s)", fn,
                    (long long)index, ds->ncols, ds->ncols == 1 ? "column" : "columns");
        return NULL;
    }
    return ds->cols[index];
}

/* ----------------------------------------------------------------- numbers */

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#if LDBL_MANT_DIG == 64 && (defined(__x86_64__) || defined(__i386__))
#define HAVE_X87_LONG_DOUBLE 1
/* 10^k is exact in a 64-bit mantissa up to k = 27 (5^27 < 2^64). */
#define POW10L_MAX 27
static const long double pow10l_exact[POW10L_MAX + 1] = {
    1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
    1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
    1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};

/* Whether the bits of LV's 64-bit significand below double precision are
 * within one unit of the rounding midpoint (x87 extended format: the
 * significand is the first 8 bytes, little-endian). */
static inline bool
lv_near_half(long double lv)
{
    uint64_t sig;
    memcpy(&sig, &lv, sizeof sig);
    unsigned low = (unsigned)(sig & 0x7ff);
    return low >= 0x3ff && low <= 0x401;
}

/* Whether long double arithmetic really carries 64 bits here.  It does on
 * x86 hardware, but valgrind emulates x87 with 53-bit doubles, so probe
 * once and fall back to strtod if not. */
static bool
x87_precise(void)
{
    static int known = -1;
    if (known < 0) {
        volatile long double one = 1.0L, tiny = 0x1p-63L;
        known = one + tiny != one;
    }
    return known;
}
#endif

/* Number of decimal digits of M > 0. */
static int
digits_of(uint64_t m)
{
    int n = 0;
    for (; m; m /= 10)
        n++;
    return n;
}

static inline bool
is_digit(char c)
{
    return (unsigned char)(c - '0') < 10;
}

/* Case-insensitive comparison of N bytes at P with the lower-case WORD. */
static bool
word_is(const char *p, size_t n, const char *word)
{
    if (strlen(word) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((p[i] | 0x20) != word[i])
            return false;
    return true;
}

/* MANT * 10^E10 (MANT > 0) for the cases the fast paths do not cover: the
 * digits go through strtod as "<integer>e<exponent>", which contains no
 * decimal point and is therefore read the same in every locale. */
static double
slow_scale(uint64_t mant, int64_t e10)
{
    char buf[48];
    char digits[24];
    int nd = 0;
    while (mant) {
        digits[nd++] = (char)('0' + mant % 10);
        mant /= 10;
    }
    int k = 0;
    while (nd > 0)
        buf[k++] = digits[--nd];
    snprintf(buf + k, sizeof buf - (size_t)k, "e%lld", (long long)e10);
    return strtod(buf, NULL);
}

bool
orgfig_parse_number(const char *s, size_t len, double *out)
{
    return orgfig_parse_decimal(s, len, '.', out);
}

bool
orgfig_parse_decimal(const char *s, size_t len, char point, double *out)
{
    const char *p = s, *end = s + len;
    *out = NAN;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (p == end)
        return false;
    bool neg = false;
    if (*p == '+' || *p == '-') {
        neg = *p == '-';
        if (++p == end)
            return false;
    }
    if (!is_digit(*p) && *p != point) {
        size_t n = (size_t)(end - p);
        if (word_is(p, n, "nan"))
            return true;
        if (word_is(p, n, "inf") || word_is(p, n, "infinity")) {
            *out = neg ? -INFINITY : INFINITY;
            return true;
        }
        return false;
    }
    /* Fast scan: at most 19 digits in all always fit in MANT. */
    uint64_t mant = 0;
    int nd = 0;
    int64_t e10 = 0;
    const char *digits = p;
    for (; p < end && is_digit(*p); p++)
        mant = mant * 10 + (uint64_t)(*p - '0');
    size_t nint = (size_t)(p - digits), nfrac = 0;
    if (p < end && *p == point) {
        const char *f = ++p;
        for (; p < end && is_digit(*p); p++)
            mant = mant * 10 + (uint64_t)(*p - '0');
        nfrac = (size_t)(p - f);
    }
    bool any = nint + nfrac > 0;
    if (nint + nfrac <= 19) {
        e10 = -(int64_t)nfrac;
    } else {
        /* Careful rescan: up to 19 significant digits in MANT; later
         * ones only move E10. */
        mant = 0;
        for (p = digits; p < end && is_digit(*p); p++) {
            if (nd < 19) {
                mant = mant * 10 + (uint64_t)(*p - '0');
                nd += mant != 0;
            } else {
                e10++;
            }
        }
        if (p < end && *p == point) {
            for (p++; p < end && is_digit(*p); p++) {
                if (nd < 19) {
                    mant = mant * 10 + (uint64_t)(*p - '0');
                    nd += mant != 0;
                    e10--;
                }
            }
        }
    }
    if (!any)
        return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        bool eneg = false;
        if (++p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        if (p == end || !is_digit(*p))
            return false;
        int64_t ev = 0;
        for (; p < end && is_digit(*p); p++)
            if (ev < 100000000)
                ev = ev * 10 + (*p - '0');
        e10 += eneg ? -ev : ev;
    }
    if (p != end)
        return false;
    double v;
    if (mant == 0) {
        v = 0.0;
    } else if (mant <= (UINT64_C(1) << 53) && e10 >= -22 && e10 <= 22) {
        /* Both operands exact: one correctly rounded operation. */
        v = (double)mant;
        v = e10 < 0 ? v / pow10_exact[-e10] : v * pow10_exact[e10];
#ifdef HAVE_X87_LONG_DOUBLE
    } else if (e10 >= -POW10L_MAX && e10 <= POW10L_MAX && x87_precise()) {
        /* Exact operands and one rounding to 64 bits. */
        long double lv = (long double)mant;
        lv = e10 < 0 ? lv / pow10l_exact[-e10] : lv * pow10l_exact[e10];
        v = (double)lv;
        /* LV is within half a 64-bit ulp of the true value, so rounding it
         * to 53 bits is correct unless its 11 dropped bits sit next to the
         * halfway point; those rare cases take the slow exact path. */
        if (lv_near_half(lv))
            v = slow_scale(mant, e10);
#endif
    } else if (e10 + (nd = digits_of(mant)) > 310) {
        v = INFINITY; /* at least 10^309 */
    } else if (e10 + nd < -330) {
        v = 0.0; /* below half the smallest denormal */
    } else {
        v = slow_scale(mant, e10);
    }
    *out = neg ? -v : v;
    return true;
}

/* Days from 1970-01-01 to the proleptic Gregorian date Y-M-D (valid). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                  /* [0, 399] */
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static int
days_in_month(int y, int m)
{
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30,
                                            31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : mdays[m - 1];
}

/* Read exactly N digits at *P (before END) into *V and advance *P. */
static bool
fixed_digits(const char **p, const char *end, int n, int *v)
{
    if (end - *p < n)
        return false;
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit((*p)[i]))
            return false;
        x = x * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *v = x;
    return true;
}

bool
orgfig_parse_time(const char *s, size_t len, double *out)
{
    const char *p = s, *end = s + len;
    *out = NAN;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!fixed_digits(&p, end, 4, &y) || p == end || *p++ != '-' ||
        !fixed_digits(&p, end, 2, &mo) || p == end || *p++ != '-' ||
        !fixed_digits(&p, end, 2, &d))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return false;
    double seconds = 0; /* with their fraction, correctly rounded */
    int64_t zone = 0;   /* seconds east of UTC */
    if (p < end) {
        if (*p != 'T' && *p != 't' && *p != ' ')
            return false;
        p++;
        if (!fixed_digits(&p, end, 2, &h) || p == end || *p++ != ':' ||
            !fixed_digits(&p, end, 2, &mi))
            return false;
        if (p < end && *p == ':') {
            const char *ss = ++p;
            if (!fixed_digits(&p, end, 2, &sec))
                return false;
            char point = '.';
            if (p < end && (*p == '.' || *p == ',')) {
                point = *p;
                const char *f = ++p;
                while (p < end && is_digit(*p))
                    p++;
                if (p == f)
                    return false;
            }
            if (!orgfig_parse_decimal(ss, (size_t)(p - ss), point, &seconds))
                return false;
        }
        /* 60 is a leap second, as in ISO 8601. */
        if (h > 23 || mi > 59 || sec > 60)
            return false;
        if (p < end && (*p == 'Z' || *p == 'z')) {
            p++;
        } else if (p < end && (*p == '+' || *p == '-')) {
            int sign = *p++ == '-' ? -1 : 1, zh, zm = 0;
            if (!fixed_digits(&p, end, 2, &zh))
                return false;
            if (p < end && *p == ':') {
                p++;
                if (!fixed_digits(&p, end, 2, &zm))
                    return false;
            } else if (p < end && !fixed_digits(&p, end, 2, &zm)) {
                return false;
            }
            if (zh > 23 || zm > 59)
                return false;
            zone = sign * (zh * 3600 + zm * 60);
        }
        if (p != end)
            return false;
    }
    /* One rounding, as `orgfig-parse-time' does it: whole seconds (exact)
     * plus the seconds of the minute. */
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 - zone;
    *out = (double)t + seconds;
    return true;
}

/* --------------------------------------------------------------------- CSV */

typedef struct csv_span {
    const char *s; /* the field's bytes (inside the quotes for a quoted one) */
    size_t len;
    bool quoted;
    bool escaped; /* contains "" */
} csv_span;

typedef enum { SINK_STORE, SINK_SCAN } sink_kind;

typedef struct csv_parser {
    orgfig_csv_opts o;
    const char *fn;     /* the Lisp function, for messages */
    const char *source; /* the file name, for messages */
    orgfig_err *err;

    bool started; /* the byte order mark has been looked at */
    size_t skip_left;
    char delim;
    bool have_layout; /* the header (or first row) has been read */
    bool done;        /* max_rows reached */

    csv_span *spans; /* the fields of the current record */
    size_t nspans, capspans, nfields;

    size_t nfile; /* fields per record, from the first one */
    int32_t *map; /* file field -> output slot, or -1 */
    size_t nout;  /* output columns */
    char **names; /* NOUT output names (counted) */
    double *row;  /* NOUT values of the current row */
    size_t nrows;

    sink_kind kind;
    orgfig_column **cols; /* SINK_STORE: NOUT columns being built */
    size_t caprows;
    const orgfig_csv_sink *sink; /* SINK_SCAN */
} csv_parser;

static void
csv_init(csv_parser *P, const orgfig_csv_opts *opts, const char *fn, const char *source,
         orgfig_err *err)
{
    static const orgfig_csv_opts defaults = ORGFIG_CSV_OPTS_INIT;
    memset(P, 0, sizeof *P);
    P->o = opts ? *opts : defaults;
    P->fn = fn;
    P->source = source ? source : "data";
    P->err = err;
    P->skip_left = P->o.skip_rows;
}

static void
csv_free(csv_parser *P)
{
    orgfig_free(P->spans);
    orgfig_free(P->map);
    if (P->names)
        for (size_t i = 0; i < P->nout; i++)
            orgfig_free(P->names[i]);
    orgfig_free(P->names);
    orgfig_free(P->row);
    if (P->cols)
        for (size_t i = 0; i < P->nout; i++)
            orgfig_column_unref(P->cols[i]);
    orgfig_free(P->cols);
    P->spans = NULL;
    P->map = NULL;
    P->names = NULL;
    P->row = NULL;
    P->cols = NULL;
}

static orgfig_status
csv_check_opts(csv_parser *P)
{
    char d = P->o.delimiter, c = P->o.comment;
    if (d == '"' || d == '\n' || d == '\r')
        return orgfig_fail(P->err, ORGFIG_E_INVALID, "%s: the delimiter cannot be %s",
                           P->fn, d == '"' ? "a double quote" : "a line end");
    if (P->o.decimal != '.' && P->o.decimal != ',')
        return orgfig_fail(P->err, ORGFIG_E_INVALID,
                           "%s: the decimal point must be \".\" or \",\"", P->fn);
    if (P->o.decimal == ',' && d == ',')
        return orgfig_fail(P->err, ORGFIG_E_INVALID,
                           "%s: with the decimal comma the delimiter cannot be \",\"",
                           P->fn);
    if (c == '"' || c == '\n' || c == '\r' || (c != 0 && c == d))
        return orgfig_fail(P->err, ORGFIG_E_INVALID,
                           "%s: the comment character cannot be %s", P->fn,
                           c == '"' ? "a double quote"
                           : c == d ? "the delimiter"
                                    : "a line end");
    if (P->o.dtype != ORGFIG_F64 && P->o.dtype != ORGFIG_F32)
        return orgfig_fail(P->err, ORGFIG_E_INVALID, "%s: bad dtype %d", P->fn,
                           (int)P->o.dtype);
    if (P->o.nselect > 0 && P->o.select == NULL)
        return orgfig_fail(P->err, ORGFIG_E_INVALID, "%s: no column selection", P->fn);
    if (P->o.nselect > INT32_MAX)
        return orgfig_fail(P->err, ORGFIG_E_INVALID, "%s: too many selected columns",
                           P->fn);
    return ORGFIG_OK;
}

/* Pick the delimiter from the first line at P: the most frequent of , \t ;
 * outside quotes (of \t ; when COMMA_IS_DECIMAL).  Returns false when the
 * line runs past END and more input may come. */
static bool
detect_delim(const char *p, const char *end, bool eof, bool comma_is_decimal, char *out)
{
    const char cand[3] = {comma_is_decimal ? '\t' : ',', '\t', ';'};
    size_t n[3] = {0, 0, 0};
    bool inq = false;
    for (; p < end; p++) {
        char c = *p;
        if (c == '"')
            inq = !inq;
        else if (!inq && (c == '\n' || c == '\r'))
            break;
        else if (!inq)
            for (int k = 0; k < 3; k++)
                n[k] += c == cand[k];
    }
    if (p == end && !eof)
        return false;
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (n[k] > n[best])
            best = k;
    *out = cand[best];
    return true;
}

/* Split the record at P into P->spans (at most MAX_FIELDS of them;
 * P->nfields counts all).  Returns 1 with *NEXT after the record's line
 * end, 0 when the record runs past END and more input may come, -1 on
 * allocation failure. */
static int
scan_record(csv_parser *P, const char *p, const char *end, bool eof, size_t max_fields,
            const char **next)
{
    const char d = P->delim;
    P->nspans = 0;
    P->nfields = 0;
    for (;;) {
        csv_span sp = {p, 0, false, false};
        const char *q;
        if (p < end && *p == '"') {
            const char *s = p + 1;
            q = s;
            for (;;) {
                q = memchr(q, '"', (size_t)(end - q));
                if (q == NULL) {
                    if (!eof)
                        return 0;
                    q = end; /* an unterminated quote runs to the end */
                    sp.len = (size_t)(end - s);
                    break;
                }
                if (q + 1 == end && !eof)
                    return 0; /* cannot tell "" from a closing quote yet */
                if (q + 1 < end && q[1] == '"') {
                    sp.escaped = true;
                    q += 2;
                    continue;
                }
                sp.len = (size_t)(q - s);
                q++;
                break;
            }
            sp.s = s;
            sp.quoted = true;
            /* Bytes between the closing quote and the separator are
             * ignored. */
            while (q < end && *q != d && *q != '\n' && *q != '\r')
                q++;
        } else {
            q = p;
            while (q < end && *q != d && *q != '\n' && *q != '\r')
                q++;
            sp.len = (size_t)(q - p);
        }
        if (q == end && !eof)
            return 0;
        if (P->nfields < max_fields) {
            if (P->nspans == P->capspans) {
                size_t cap = P->capspans ? 2 * P->capspans : 16;
                csv_span *t = orgfig_realloc_array(NULL, P->spans, cap, sizeof *t,
                                                   "CSV field table", P->err);
                if (t == NULL)
                    return -1;
                P->spans = t;
                P->capspans = cap;
            }
            P->spans[P->nspans++] = sp;
        }
        P->nfields++;
        if (q < end && *q == d) {
            p = q + 1;
            continue;
        }
        if (q < end)
            q += (*q == '\r' && q + 1 < end && q[1] == '\n') ? 2 : 1;
        *next = q;
        return 1;
    }
}

/* A header name from span SP (quotes undone, unquoted names trimmed), or
 * the 1-based POSITION when empty. */
static char *
make_name(csv_parser *P, const csv_span *sp, size_t position)
{
    const char *s = sp->s;
    size_t n = sp->len;
    if (!sp->quoted) {
        while (n && (*s == ' ' || *s == '\t'))
            s++, n--;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
    }
    if (n == 0) {
        char num[24];
        int k = snprintf(num, sizeof num, "%zu", position);
        return orgfig_strndup(NULL, num, (size_t)k, P->err);
    }
    char *name = orgfig_strndup(NULL, s, n, P->err);
    if (name && sp->escaped) {
        size_t j = 0;
        for (size_t i = 0; i < n; i++) {
            name[j++] = name[i];
            if (name[i] == '"' && i + 1 < n && name[i + 1] == '"')
                i++;
        }
        name[j] = '\0';
    }
    return name;
}

/* Fill P->names, P->map and P->row from the first record (its spans are
 * in P->spans), resolving the selection; then tell the sink. */
static orgfig_status
csv_layout(csv_parser *P)
{
    orgfig_err *err = P->err;
    size_t nfile = P->nspans;
    char **all =
        orgfig_alloc_array(NULL, nfile, sizeof *all, true, "CSV column names", err);
    if (all == NULL)
        return err ? err->status : ORGFIG_E_NOMEM;
    orgfig_status st = ORGFIG_OK;
    for (size_t i = 0; i < nfile && st == ORGFIG_OK; i++) {
        csv_span none = {"", 0, false, false};
        all[i] = make_name(P, P->o.header ? &P->spans[i] : &none, i + 1);
        if (all[i] == NULL)
            st = err ? err->status : ORGFIG_E_NOMEM;
    }
    if (st == ORGFIG_OK) {
        P->nfile = nfile;
        P->nout = P->o.nselect ? P->o.nselect : nfile;
        P->map =
            orgfig_alloc_array(NULL, nfile, sizeof *P->map, false, "CSV column map", err);
        P->names = orgfig_alloc_array(NULL, P->nout, sizeof *P->names, true,
                                      "CSV column names", err);
        P->row = orgfig_alloc_array(NULL, P->nout ? P->nout : 1, sizeof *P->row, false,
                                    "CSV row", err);
        if (P->map == NULL || P->names == NULL || P->row == NULL)
            st = err ? err->status : ORGFIG_E_NOMEM;
    }
    if (st == ORGFIG_OK) {
        for (size_t i = 0; i < nfile; i++)
            P->map[i] = P->o.nselect ? -1 : (int32_t)i;
        for (size_t k = 0; k < P->o.nselect && st == ORGFIG_OK; k++) {
            const orgfig_csv_select *sel = &P->o.select[k];
            size_t idx = nfile;
            if (sel->name) {
                for (size_t i = 0; i < nfile && idx == nfile; i++)
                    if (strlen(all[i]) == sel->len &&
                        memcmp(all[i], sel->name, sel->len) == 0)
                        idx = i;
                if (idx == nfile) {
                    char names[300];
                    list_names(names, sizeof names, (const char *const *)all, nfile);
                    int shown = sel->len > 100 ? 100 : (int)sel->len;
                    st = orgfig_fail(err, ORGFIG_E_INVALID,
                                     "%s: no column \"%.*s\" in %s (columns: %s)", P->fn,
                                     shown, sel->name, P->source, names);
                }
            } else if (sel->index < 0 || (uint64_t)sel->index >= nfile) {
                st =
                    orgfig_fail(err, ORGFIG_E_INVALID,
                                "%s: column index %lld out of range (%s has %zu columns)",
                                P->fn, (long long)sel->index, P->source, nfile);
            } else {
                idx = (size_t)sel->index;
            }
            if (st == ORGFIG_OK && P->map[idx] >= 0)
                st = orgfig_fail(err, ORGFIG_E_INVALID,
                                 "%s: column \"%s\" selected twice", P->fn, all[idx]);
            if (st == ORGFIG_OK)
                P->map[idx] = (int32_t)k;
        }
    }
    if (st == ORGFIG_OK) {
        /* Move the kept names to their output slots. */
        for (size_t i = 0; i < nfile; i++)
            if (P->map[i] >= 0) {
                P->names[P->map[i]] = all[i];
                all[i] = NULL;
            }
    }
    for (size_t i = 0; i < nfile; i++)
        orgfig_free(all[i]);
    orgfig_free(all);
    if (st != ORGFIG_OK)
        return st;
    P->have_layout = true;

    if (P->kind == SINK_SCAN) {
        if (P->sink->columns &&
            !P->sink->columns(P->sink->ctx, (const char *const *)P->names, P->nout, err))
            return orgfig_fail(err, ORGFIG_E_QUIT, "%s: stopped by the caller", P->fn);
        return ORGFIG_OK;
    }
    P->cols = orgfig_alloc_array(NULL, P->nout ? P->nout : 1, sizeof *P->cols, true,
                                 "CSV columns", err);
    if (P->cols == NULL)
        return err ? err->status : ORGFIG_E_NOMEM;
    for (size_t k = 0; k < P->nout; k++) {
        P->cols[k] = orgfig_column_new(0, P->o.dtype, err);
        if (P->cols[k] == NULL)
            return err ? err->status : ORGFIG_E_NOMEM;
        if (orgfig_column_set_name(P->cols[k], P->names[k], strlen(P->names[k]), err) !=
            ORGFIG_OK)
            return err ? err->status : ORGFIG_E_NOMEM;
    }
    return ORGFIG_OK;
}

/* Grow every column to hold at least P->nrows + 1 rows. */
static orgfig_status
csv_grow(csv_parser *P)
{
    size_t cap;
    if (!orgfig_size_mul(P->caprows ? P->caprows : 2048, 2, &cap))
        return orgfig_fail(P->err, ORGFIG_E_NOMEM, "%s: too many rows", P->fn);
    for (size_t k = 0; k < P->nout; k++) {
        orgfig_column *c = P->cols[k];
        size_t width = c->dtype == ORGFIG_F64 ? sizeof(double) : sizeof(float);
        if (orgfig_alloc_size(c->data) >= cap * width)
            continue;
        void *d =
            orgfig_realloc_array(NULL, c->data, cap, width, "CSV column data", P->err);
        if (d == NULL)
            return P->err ? P->err->status : ORGFIG_E_NOMEM;
        c->data = d;
    }
    P->caprows = cap;
    return ORGFIG_OK;
}

/* Mark the column being built in output slot K as time, which keeps it in
 * float64: a float32 one is widened, its P->nrows values converted. */
static orgfig_status
csv_mark_time(csv_parser *P, size_t k)
{
    orgfig_column *c = P->cols[k];
    c->time = true;
    if (c->dtype == ORGFIG_F64)
        return ORGFIG_OK;
    if (P->caprows) {
        double *d = orgfig_realloc_array(NULL, c->data, P->caprows, sizeof(double),
                                         "CSV column data", P->err);
        if (d == NULL)
            return P->err ? P->err->status : ORGFIG_E_NOMEM;
        /* Backwards: double I covers floats 2I and 2I+1, which are past I
         * and already converted. */
        const float *f = (const float *)d;
        for (size_t i = P->nrows; i-- > 0;) {
            double v = f[i];
            d[i] = v;
        }
        c->data = d;
    }
    c->dtype = ORGFIG_F64;
    return ORGFIG_OK;
}

/* Turn the spans of a data record into a row and hand it to the sink. */
static orgfig_status
csv_row(csv_parser *P)
{
    double *row = P->row;
    for (size_t k = 0; k < P->nout; k++)
        row[k] = NAN;
    size_t n = P->nspans < P->nfile ? P->nspans : P->nfile;
    for (size_t i = 0; i < n; i++) {
        int32_t k = P->map[i];
        if (k < 0)
            continue;
        const csv_span *sp = &P->spans[i];
        /* A field with "" in it holds a quote and is no number. */
        if (sp->escaped || orgfig_parse_decimal(sp->s, sp->len, P->o.decimal, &row[k]) ||
            !orgfig_parse_time(sp->s, sp->len, &row[k]))
            continue;
        if (P->kind == SINK_STORE && !P->cols[k]->time &&
            csv_mark_time(P, (size_t)k) != ORGFIG_OK)
            return P->err ? P->err->status : ORGFIG_E_NOMEM;
    }
    if (P->kind == SINK_SCAN) {
        if (!P->sink->row(P->sink->ctx, row, P->nout, P->err))
            return orgfig_fail(P->err, ORGFIG_E_QUIT, "%s: stopped by the caller", P->fn);
    } else {
        if (P->nrows == P->caprows && csv_grow(P) != ORGFIG_OK)
            return P->err ? P->err->status : ORGFIG_E_NOMEM;
        size_t r = P->nrows;
        if (P->o.dtype == ORGFIG_F64)
            for (size_t k = 0; k < P->nout; k++)
                ((double *)P->cols[k]->data)[r] = row[k];
        else
            for (size_t k = 0; k < P->nout; k++)
                orgfig_column_put(P->cols[k], r, row[k]);
    }
    P->nrows++;
    if (P->o.max_rows && P->nrows >= P->o.max_rows)
        P->done = true;
    return ORGFIG_OK;
}

/* The first '\n' or '\r' at or after P, or END. */
static const char *
find_eol(const char *p, const char *end)
{
    while (p < end && *p != '\n' && *p != '\r')
        p++;
    return p;
}

/* Consume the complete records of DATA[0..LEN).  *USED gets the number of
 * bytes consumed (all of them when EOF, or when done). */
static orgfig_status
csv_feed(csv_parser *P, const char *data, size_t len, bool eof, size_t *used)
{
    const char *p = data, *end = data + len;
    *used = 0;
    if (!P->started) {
        static const char bom[3] = {'\xef', '\xbb', '\xbf'};
        size_t n = len < 3 ? len : 3;
        if (memcmp(data, bom, n) == 0 && n < 3 && !eof)
            return ORGFIG_OK; /* maybe a byte order mark: wait for more */
        if (n == 3 && memcmp(data, bom, 3) == 0)
            p += 3;
        P->started = true;
    }
    while (p < end && !P->done) {
        const char *rec = p;
        if (P->skip_left > 0) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (nl == NULL) {
                if (!eof)
                    break;
                p = end;
            } else {
                p = nl + 1;
            }
            P->skip_left--;
            continue;
        }
        char c = *p;
        if (c == '\n' || c == '\r') {
            p++;
            continue;
        }
        if (c == P->o.comment && c != 0) {
            const char *e = find_eol(p, end);
            if (e == end && !eof)
                break;
            p = e;
            continue;
        }
        /* Skip whitespace-only lines. */
        const char *q = p;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (q == end && !eof)
            break;
        if (q == end || *q == '\n' || *q == '\r') {
            p = q;
            continue;
        }
        if (!P->have_layout) {
            if (P->o.delimiter)
                P->delim = P->o.delimiter;
            else if (!detect_delim(p, end, eof, P->o.decimal == ',', &P->delim))
                break;
            int r = scan_record(P, p, end, eof, SIZE_MAX, &q);
            if (r < 0)
                return P->err ? P->err->status : ORGFIG_E_NOMEM;
            if (r == 0) {
                p = rec;
                break;
            }
            orgfig_status st = csv_layout(P);
            if (st != ORGFIG_OK)
                return st;
            if (!P->o.header && (st = csv_row(P)) != ORGFIG_OK)
                return st;
            p = q;
            continue;
        }
        int r = scan_record(P, p, end, eof, P->nfile, &q);
        if (r < 0)
            return P->err ? P->err->status : ORGFIG_E_NOMEM;
        if (r == 0) {
            p = rec;
            break;
        }
        orgfig_status st = csv_row(P);
        if (st != ORGFIG_OK)
            return st;
        p = q;
    }
    *used = (eof || P->done) ? len : (size_t)(p - data);
    return ORGFIG_OK;
}

/* After the last byte: a file without any record has no header. */
static orgfig_status
csv_end(csv_parser *P)
{
    if (!P->have_layout)
        return orgfig_fail(P->err, ORGFIG_E_INVALID, "%s: %s has no %s", P->fn, P->source,
                           P->o.header ? "header line" : "data");
    return ORGFIG_OK;
}

/* Hand the columns built by a STORE parser to a new dataset. */
static orgfig_dataset *
csv_dataset(csv_parser *P)
{
    orgfig_dataset *ds = orgfig_dataset_new(P->source, P->err);
    if (ds == NULL)
        return NULL;
    for (size_t k = 0; k < P->nout; k++) {
        orgfig_column *c = P->cols[k];
        size_t width = c->dtype == ORGFIG_F64 ? sizeof(double) : sizeof(float);
        P->cols[k] = NULL;
        c->n = P->nrows;
        /* Give back the growth slack; a failure here only keeps it. */
        if (orgfig_alloc_size(c->data) > (P->nrows ? P->nrows : 1) * width) {
            orgfig_err scratch = ORGFIG_ERR_INIT;
            void *d = orgfig_realloc_array(NULL, c->data, P->nrows ? P->nrows : 1, width,
                                           "CSV column data", &scratch);
            if (d)
                c->data = d;
        }
        orgfig_column_touch(c);
        if (orgfig_dataset_add(ds, c, P->err) != ORGFIG_OK) {
            orgfig_dataset_free(ds);
            return NULL;
        }
    }
    return ds;
}

static orgfig_status
io_fail(orgfig_err *err, const char *fn, const char *what, const char *path, int errnum)
{
    return orgfig_fail(err, ORGFIG_E_IO, "%s: cannot %s \"%s\": %s", fn, what, path,
                       strerror(errnum));
}

/* Open PATH for reading; *SIZE gets its size (0 when not a regular file). */
static int
open_input(const char *path, const char *fn, off_t *size, orgfig_err *err)
{
    if (path == NULL) {
        orgfig_fail(err, ORGFIG_E_INVALID, "%s: no file name", fn);
        return -1;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        io_fail(err, fn, "open", path, errno);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        io_fail(err, fn, "stat", path, errno);
        close(fd);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        io_fail(err, fn, "read", path, EISDIR);
        close(fd);
        return -1;
    }
    *size = S_ISREG(st.st_mode) ? st.st_size : 0;
    return fd;
}

/* Read up to N bytes, retrying short reads and EINTR; returns the bytes
 * read (less than N only at end of file) or -1. */
static ssize_t
read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, (char *)buf + got, n - got);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

static bool
hooks_poll(const orgfig_hooks *hooks)
{
    return hooks && hooks->poll && hooks->poll(hooks->ctx);
}

static void
hooks_progress(const orgfig_hooks *hooks, double fraction)
{
    if (hooks && hooks->progress)
        hooks->progress(hooks->ctx, fraction > 1 ? 1 : fraction);
}

/* Feed the file at PATH through P in 1 MiB chunks. */
static orgfig_status
csv_run_file(csv_parser *P, const char *path, const orgfig_hooks *hooks)
{
    orgfig_err *err = P->err;
    off_t size = 0;
    int fd = open_input(path, P->fn, &size, err);
    if (fd < 0)
        return err ? err->status : ORGFIG_E_IO;
    size_t cap = read_size, have = 0;
    uint64_t total = 0;
    char *buf = orgfig_alloc(NULL, cap, "the CSV read buffer", err);
    orgfig_status st = buf ? ORGFIG_OK : (err ? err->status : ORGFIG_E_NOMEM);
    while (st == ORGFIG_OK) {
        if (hooks_poll(hooks)) {
            st = orgfig_fail(err, ORGFIG_E_QUIT, "%s: reading %s was interrupted", P->fn,
                             path);
            break;
        }
        ssize_t k = read_full(fd, buf + have, cap - have);
        if (k < 0) {
            st = io_fail(err, P->fn, "read", path, errno);
            break;
        }
        bool eof = (size_t)k < cap - have;
        have += (size_t)k;
        total += (uint64_t)k;
        size_t used;
        st = csv_feed(P, buf, have, eof, &used);
        if (st != ORGFIG_OK || eof || P->done)
            break;
        if (size > 0)
            hooks_progress(hooks, (double)total / (double)size);
        memmove(buf, buf + used, have - used);
        have -= used;
        if (have == cap) {
            /* One record longer than the buffer: make room for it. */
            char *b = orgfig_realloc_array(NULL, buf, cap, 2, "the CSV read buffer", err);
            if (b == NULL) {
                st = err ? err->status : ORGFIG_E_NOMEM;
                break;
            }
            buf = b;
            cap *= 2;
        }
    }
    orgfig_free(buf);
    close(fd);
    if (st == ORGFIG_OK)
        st = csv_end(P);
    if (st == ORGFIG_OK)
        hooks_progress(hooks, 1.0);
    return st;
}

void
orgfig_csv_set_read_size(size_t n)
{
    read_size = n ? n : CHUNK;
}

orgfig_dataset *
orgfig_read_csv(const char *path, const orgfig_csv_opts *opts, const orgfig_hooks *hooks,
                orgfig_err *err)
{
    csv_parser P;
    csv_init(&P, opts, "orgfig-read-csv", path, err);
    P.kind = SINK_STORE;
    orgfig_dataset *ds = NULL;
    if (csv_check_opts(&P) == ORGFIG_OK && csv_run_file(&P, path, hooks) == ORGFIG_OK)
        ds = csv_dataset(&P);
    csv_free(&P);
    return ds;
}

orgfig_dataset *
orgfig_parse_csv_buffer(const char *data, size_t len, const char *source,
                        const orgfig_csv_opts *opts, const orgfig_hooks *hooks,
                        orgfig_err *err)
{
    csv_parser P;
    csv_init(&P, opts, "orgfig-read-csv", source, err);
    P.kind = SINK_STORE;
    orgfig_dataset *ds = NULL;
    size_t used;
    if (csv_check_opts(&P) == ORGFIG_OK) {
        orgfig_status st = ORGFIG_OK;
        if (hooks_poll(hooks))
            st = orgfig_fail(err, ORGFIG_E_QUIT, "%s: interrupted", P.fn);
        if (st == ORGFIG_OK)
            st = csv_feed(&P, data ? data : "", data ? len : 0, true, &used);
        if (st == ORGFIG_OK)
            st = csv_end(&P);
        if (st == ORGFIG_OK)
            ds = csv_dataset(&P);
    }
    csv_free(&P);
    return ds;
}

orgfig_status
orgfig_csv_scan(const char *path, const orgfig_csv_opts *opts,
                const orgfig_csv_sink *sink, const orgfig_hooks *hooks, size_t *nrows,
                orgfig_err *err)
{
    csv_parser P;
    csv_init(&P, opts, "orgfig-read-csv", path, err);
    P.kind = SINK_SCAN;
    P.sink = sink;
    orgfig_status st = csv_check_opts(&P);
    if (st == ORGFIG_OK && (sink == NULL || sink->row == NULL))
        st = orgfig_fail(err, ORGFIG_E_INVALID, "%s: no row callback", P.fn);
    if (st == ORGFIG_OK)
        st = csv_run_file(&P, path, hooks);
    if (nrows)
        *nrows = P.nrows;
    csv_free(&P);
    return st;
}

/* ------------------------------------------------------------------ binary */

static inline void
swap_bytes(unsigned char *p, size_t width)
{
    for (size_t i = 0; i < width / 2; i++) {
        unsigned char t = p[i];
        p[i] = p[width - 1 - i];
        p[width - 1 - i] = t;
    }
}

orgfig_dataset *
orgfig_read_binary(const char *path, const orgfig_binary_opts *opts,
                   const orgfig_hooks *hooks, orgfig_err *err)
{
    static const char fn[] = "orgfig-read-binary";
    static const orgfig_binary_opts defaults = ORGFIG_BINARY_OPTS_INIT;
    const orgfig_binary_opts *o = opts ? opts : &defaults;
    if (o->dtype != ORGFIG_F64 && o->dtype != ORGFIG_F32) {
        orgfig_fail(err, ORGFIG_E_INVALID, "%s: bad dtype %d", fn, (int)o->dtype);
        return NULL;
    }
    size_t ncols = o->ncols ? o->ncols : 1;
    size_t width = o->dtype == ORGFIG_F64 ? 8 : 4, rowbytes;
    if (ncols > 65536 || !orgfig_size_mul(ncols, width, &rowbytes)) {
        orgfig_fail(err, ORGFIG_E_INVALID, "%s: %zu columns are too many", fn, ncols);
        return NULL;
    }
    off_t size = 0;
    int fd = open_input(path, fn, &size, err);
    if (fd < 0)
        return NULL;
    if ((uint64_t)size % rowbytes != 0) {
        orgfig_fail(err, ORGFIG_E_INVALID,
                    "%s: \"%s\" has %lld bytes, not a multiple of %zu (%zu %s of %s)", fn,
                    path, (long long)size, rowbytes, ncols,
                    ncols == 1 ? "column" : "columns",
                    o->dtype == ORGFIG_F64 ? "float64" : "float32");
        close(fd);
        return NULL;
    }
    size_t nrows = (size_t)((uint64_t)size / rowbytes);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    bool swap = !o->big_endian;
#else
    bool swap = o->big_endian;
#endif
    orgfig_dataset *ds = orgfig_dataset_new(path, err);
    unsigned char *buf = NULL;
    bool ok = ds != NULL;
    for (size_t k = 0; ok && k < ncols; k++) {
        orgfig_column *c = orgfig_column_new(nrows, o->dtype, err);
        if (c == NULL) {
            ok = false;
            break;
        }
        char num[24];
        const char *name = o->names ? o->names[k] : num;
        if (!o->names)
            snprintf(num, sizeof num, "%zu", k + 1);
        if (orgfig_column_set_name(c, name, strlen(name), err) != ORGFIG_OK) {
            orgfig_column_unref(c);
            ok = false;
            break;
        }
        ok = orgfig_dataset_add(ds, c, err) == ORGFIG_OK;
    }
    /* A chunk holds whole rows. */
    size_t chunk_rows = CHUNK / rowbytes ? CHUNK / rowbytes : 1;
    if (ok && !(ncols == 1 && !swap)) {
        buf = orgfig_alloc_array(NULL, chunk_rows, rowbytes, false,
                                 "the binary read buffer", err);
        ok = buf != NULL;
    }
    size_t row = 0;
    while (ok && row < nrows) {
        if (hooks_poll(hooks)) {
            orgfig_fail(err, ORGFIG_E_QUIT, "%s: reading %s was interrupted", fn, path);
            ok = false;
            break;
        }
        size_t want = nrows - row < chunk_rows ? nrows - row : chunk_rows;
        unsigned char *dst = buf ? buf : (unsigned char *)ds->cols[0]->data + row * width;
        ssize_t k = read_full(fd, dst, want * rowbytes);
        if (k < 0) {
            io_fail(err, fn, "read", path, errno);
            ok = false;
            break;
        }
        if ((size_t)k != want * rowbytes) {
            orgfig_fail(err, ORGFIG_E_IO, "%s: \"%s\" changed while being read", fn,
                        path);
            ok = false;
            break;
        }
        if (buf) {
            for (size_t r = 0; r < want; r++)
                for (size_t c = 0; c < ncols; c++) {
                    unsigned char *v = buf + r * rowbytes + c * width;
                    if (swap)
                        swap_bytes(v, width);
                    memcpy((unsigned char *)ds->cols[c]->data + (row + r) * width, v,
                           width);
                }
        }
        row += want;
        hooks_progress(hooks, (double)row / (double)nrows);
    }
    orgfig_free(buf);
    close(fd);
    if (!ok) {
        orgfig_dataset_free(ds);
        return NULL;
    }
    for (size_t k = 0; k < ncols; k++)
        orgfig_column_touch(ds->cols[k]);
    hooks_progress(hooks, 1.0);
    return ds;
}
