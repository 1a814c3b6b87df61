/* stats.c - quantiles and box statistics (see stats.h). */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

double
orgfig_quantile_sorted(const double *x, size_t n, double p)
{
    if (n == 1 || p <= 0)
        return x[0];
    if (p >= 1)
        return x[n - 1];
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1)
        return x[n - 1];
    double f = h - (double)lo;
    return x[lo] + f * (x[lo + 1] - x[lo]);
}

void
orgfig_box_stats(const double *x, size_t n, double whis, orgfig_boxstats *o)
{
    o->n = n;
    o->q1 = orgfig_quantile_sorted(x, n, 0.25);
    o->med = orgfig_quantile_sorted(x, n, 0.5);
    o->q3 = orgfig_quantile_sorted(x, n, 0.75);
    double iqr = o->q3 - o->q1;
    double lo = o->q1 - whis * iqr, hi = o->q3 + whis * iqr;
    /* x is sorted: the first value >= lo and the last value <= hi. */
    size_t a = 0;
    while (a < n && x[a] < lo)
        a++;
    size_t b = n;
    while (b > 0 && x[b - 1] > hi)
        b--;
    o->nlow = a;
    o->nhigh = n - b;
    o->wlo = a < n ? x[a] : o->q1;
    o->whi = b > 0 ? x[b - 1] : o->q3;
    if (o->wlo > o->q1)
        o->wlo = o->q1;
    if (o->whi < o->q3)
        o->whi = o->q3;
}

static int
cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

double *
orgfig_sorted_finite(orgfig_meter *meter, const orgfig_column *c, size_t *n,
                     orgfig_err *err)
{
    *n = 0;
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++)
        k += isfinite(orgfig_column_get(c, i)) != 0;
    if (k == 0)
        return NULL;
    double *v = orgfig_alloc_array(meter, k, sizeof *v, false, "sorted data", err);
    if (v == NULL)
        return NULL;
    k = 0;
    for (size_t i = 0; i < c->n; i++) {
        double d = orgfig_column_get(c, i);
        if (isfinite(d))
            v[k++] = d;
    }
    qsort(v, k, sizeof *v, cmp_double);
    *n = k;
    return v;
}
