/* stats.h - order statistics for box plots (internal to the core).
 *
 * Quantiles use linear interpolation between order statistics, numpy's
 * default ("linear", Hyndman and Fan type 7): for sorted x[0..n-1] and
 * probability p, h = (n - 1) p and q = x[floor h] + (h - floor h) *
 * (x[floor h + 1] - x[floor h]).
 *
 * Box statistics follow matplotlib's boxplot: the box spans the first to
 * the third quartile with a line at the median; the low whisker reaches
 * the smallest value >= Q1 - WHIS * IQR and the high whisker the largest
 * value <= Q3 + WHIS * IQR (never inside the box); values beyond the
 * whiskers are outliers. */
#ifndef ORGFIG_STATS_H
#define ORGFIG_STATS_H

#include <stddef.h>

#include "column.h"

/* The P-quantile (0 <= P <= 1) of the N > 0 sorted values X. */
double orgfig_quantile_sorted(const double *x, size_t n, double p);

typedef struct orgfig_boxstats {
    size_t n;           /* values (finite) */
    double q1, med, q3; /* quartiles and median */
    double wlo, whi;    /* whisker ends */
    size_t nlow, nhigh; /* outliers: x[0..nlow) and x[n-nhigh..n) */
} orgfig_boxstats;

/* Statistics of the N > 0 sorted values X with whisker reach WHIS >= 0. */
void orgfig_box_stats(const double *x, size_t n, double whis, orgfig_boxstats *out);

/* A sorted copy of the finite values of C, charged to METER (*N of them;
 * NULL with *N = 0 and no error when there are none). */
double *orgfig_sorted_finite(orgfig_meter *meter, const orgfig_column *c, size_t *n,
                             orgfig_err *err);

#endif
