/* column.c - reference-counted numeric columns (see column.h). */
#include "column.h"

#include <math.h>
#include <string.h>

static size_t live_columns;

orgfig_column *
orgfig_column_new(size_t n, orgfig_dtype dtype, orgfig_err *err)
{
    orgfig_column *c = orgfig_zalloc(NULL, sizeof *c, "a column", err);
    if (c == NULL)
        return NULL;
    orgfig_alloc_move(c, &c->meter);
    c->magic = ORGFIG_COLUMN_MAGIC;
    c->refs = 1;
    c->dtype = dtype;
    c->n = n;
    live_columns++;
    size_t width = dtype == ORGFIG_F64 ? sizeof(double) : sizeof(float);
    /* Allocate at least one element so data is never NULL. */
    c->data = orgfig_alloc_array(&c->meter, n ? n : 1, width, false, "column data", err);
    if (c->data == NULL) {
        orgfig_column_unref(c);
        return NULL;
    }
    return c;
}

orgfig_column *
orgfig_column_from_doubles(const double *v, size_t n, orgfig_err *err)
{
    orgfig_column *c = orgfig_column_new(n, ORGFIG_F64, err);
    if (c && n)
        memcpy(c->data, v, n * sizeof(double));
    return c;
}

orgfig_status
orgfig_column_set_name(orgfig_column *c, const char *name, size_t len, orgfig_err *err)
{
    char *copy = orgfig_strndup(&c->meter, name, len, err);
    if (copy == NULL)
        return err ? err->status : ORGFIG_E_NOMEM;
    orgfig_free(c->name);
    c->name = copy;
    return ORGFIG_OK;
}

orgfig_column *
orgfig_column_ref(orgfig_column *c)
{
    if (c)
        c->refs++;
    return c;
}

void
orgfig_column_unref(orgfig_column *c)
{
    if (c == NULL || --c->refs > 0)
        return;
    c->magic = 0;
    orgfig_free(c->data);
    orgfig_free(c->name);
    live_columns--;
    orgfig_free(c);
}

bool
orgfig_column_check(const void *p)
{
    return p != NULL && ((const orgfig_column *)p)->magic == ORGFIG_COLUMN_MAGIC;
}

void
orgfig_column_touch(orgfig_column *c)
{
    c->summarized = false;
}

void
orgfig_column_summary(orgfig_column *c)
{
    if (c->summarized)
        return;
    double lo = INFINITY, hi = -INFINITY, prev = -INFINITY;
    size_t nf = 0;
    bool sorted = true;
    for (size_t i = 0; i < c->n; i++) {
        double v = orgfig_column_get(c, i);
        if (isnan(v)) {
            sorted = false;
            continue;
        }
        if (v < prev)
            sorted = false;
        prev = v;
        if (isinf(v))
            continue;
        nf++;
        if (v < lo)
            lo = v;
        if (v > hi)
            hi = v;
    }
    c->nfinite = nf;
    c->min = nf ? lo : NAN;
    c->max = nf ? hi : NAN;
    c->sorted = sorted;
    c->summarized = true;
}

bool
orgfig_column_extent(orgfig_column *c, bool positive, double *lo, double *hi)
{
    orgfig_column_summary(c);
    if (c->nfinite == 0)
        return false;
    if (!positive || c->min > 0) {
        *lo = c->min;
        *hi = c->max;
        return true;
    }
    double l = INFINITY, h = -INFINITY;
    for (size_t i = 0; i < c->n; i++) {
        double v = orgfig_column_get(c, i);
        if (v > 0 && isfinite(v)) {
            l = fmin(l, v);
            h = fmax(h, v);
        }
    }
    if (!(l <= h))
        return false;
    *lo = l;
    *hi = h;
    return true;
}

size_t
orgfig_column_bytes(const orgfig_column *c)
{
    return c ? c->meter.bytes : 0;
}

size_t
orgfig_columns_live(void)
{
    return live_columns;
}
