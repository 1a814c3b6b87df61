/* column.h - reference-counted numeric columns.
 *
 * A column is an immutable array of N numbers stored as float64 or float32.
 * It is the one form in which numeric data enters the figure model: the
 * adapter packs Lisp vectors into columns, the data readers produce them,
 * and figures keep references to them instead of copies.  A column is freed
 * when its last reference is dropped, so a dataset may be closed while a
 * figure still draws from one of its columns.
 *
 * Each column has its own meter, charged with its struct and its data. */
#ifndef ORGFIG_COLUMN_H
#define ORGFIG_COLUMN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"

typedef enum orgfig_dtype {
    ORGFIG_F64 = 0,
    ORGFIG_F32 = 1,
} orgfig_dtype;

typedef struct orgfig_column {
    uint32_t magic;
    uint32_t refs;
    orgfig_dtype dtype;
    size_t n;
    void *data;         /* n doubles or n floats */
    char *name;         /* NUL-terminated, may be NULL */
    bool time;          /* holds Unix seconds read from dates (data.h) */
    orgfig_meter meter; /* this column's bytes: struct, data and name */
    /* Cached summary, filled by orgfig_column_summary on first use. */
    bool summarized;
    bool sorted; /* non-decreasing over the finite values, no NaN */
    size_t nfinite;
    double min, max; /* over finite values; NaN when nfinite == 0 */
} orgfig_column;

#define ORGFIG_COLUMN_MAGIC 0x436f4c31u /* "CoL1" */

/* A new column of N values (uninitialised), with one reference. */
orgfig_column *orgfig_column_new(size_t n, orgfig_dtype dtype, orgfig_err *err);
/* A new float64 column holding a copy of the N doubles at V. */
orgfig_column *orgfig_column_from_doubles(const double *v, size_t n, orgfig_err *err);
/* Set the column's name (copied). */
orgfig_status orgfig_column_set_name(orgfig_column *c, const char *name, size_t len,
                                     orgfig_err *err);

orgfig_column *orgfig_column_ref(orgfig_column *c);
/* Drop one reference; the last one frees the column.  NULL is fine. */
void orgfig_column_unref(orgfig_column *c);
bool orgfig_column_check(const void *p);

static inline double
orgfig_column_get(const orgfig_column *c, size_t i)
{
    return c->dtype == ORGFIG_F64 ? ((const double *)c->data)[i]
                                  : (double)((const float *)c->data)[i];
}

static inline void
orgfig_column_put(orgfig_column *c, size_t i, double v)
{
    if (c->dtype == ORGFIG_F64)
        ((double *)c->data)[i] = v;
    else
        ((float *)c->data)[i] = (float)v;
}

/* Compute (once) min, max, count of finite values and sortedness.  Must be
 * called again after the data changes (only while building a column:
 * published columns never change). */
void orgfig_column_summary(orgfig_column *c);
/* Forget a cached summary after writing to the column. */
void orgfig_column_touch(orgfig_column *c);

/* The smallest and largest finite values of C (only the positive ones when
 * POSITIVE, for log axes) in *LO and *HI; false when there is none. */
bool orgfig_column_extent(orgfig_column *c, bool positive, double *lo, double *hi);

/* Bytes held by the column. */
size_t orgfig_column_bytes(const orgfig_column *c);
/* Number of live columns in the process. */
size_t orgfig_columns_live(void);

#endif
