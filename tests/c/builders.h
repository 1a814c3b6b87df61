/* builders.h - small constructors of orgfig_value / orgfig_prop for tests. */
#ifndef ORGFIG_TEST_BUILDERS_H
#define ORGFIG_TEST_BUILDERS_H

#include <math.h>
#include <string.h>

#include "../../module/core/figure.h"

__attribute__((unused)) static orgfig_value
tb_num(double v)
{
    orgfig_value x = {.type = ORGFIG_V_NUM, .num = v, .is_int = v == floor(v)};
    return x;
}

__attribute__((unused)) static orgfig_value
tb_sym(const char *s)
{
    orgfig_value x = {.type = ORGFIG_V_SYM, .str = s, .len = strlen(s)};
    return x;
}

__attribute__((unused)) static orgfig_value
tb_str(const char *s)
{
    orgfig_value x = {.type = ORGFIG_V_STR, .str = s, .len = strlen(s)};
    return x;
}

__attribute__((unused)) static orgfig_value
tb_col(orgfig_column *c)
{
    orgfig_value x = {.type = ORGFIG_V_COL, .col = c};
    return x;
}

__attribute__((unused)) static orgfig_value
tb_list(const orgfig_value *items, size_t n)
{
    orgfig_value x = {.type = ORGFIG_V_LIST, .items = items, .nitems = n};
    return x;
}

static const orgfig_value tb_nil = {.type = ORGFIG_V_NIL};
static const orgfig_value tb_t = {.type = ORGFIG_V_T};

/* A column from doubles (test-owned reference). */
__attribute__((unused)) static orgfig_column *
tb_column(const double *v, size_t n)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    return orgfig_column_from_doubles(v, n, &err);
}

/* A figure of W x H at SCALE. */
__attribute__((unused)) static orgfig_figure *
tb_figure(int w, int h, double scale)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop p[] = {
        {"width", tb_num(w)}, {"height", tb_num(h)}, {"scale", tb_num(scale)}};
    return orgfig_figure_new(p, 3, &err);
}

/* A figure of W x H at SCALE without axes (:axis nil: no spines, ticks or
 * labels), so only the data is drawn. */
__attribute__((unused)) static orgfig_figure *
tb_bare_figure(int w, int h, double scale)
{
    orgfig_figure *f = tb_figure(w, h, scale);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_prop p[] = {{"axis", tb_nil}};
    if (f && orgfig_figure_set(f, p, 1, &err) != ORGFIG_OK) {
        orgfig_figure_free(f);
        return NULL;
    }
    return f;
}

/* Plot a line of N points (X may be NULL). */
__attribute__((unused)) static orgfig_status
tb_line(orgfig_figure *f, const double *x, const double *y, size_t n,
        const orgfig_prop *props, size_t nprops, orgfig_err *err)
{
    orgfig_column *cx = x ? tb_column(x, n) : NULL;
    orgfig_column *cy = tb_column(y, n);
    orgfig_value args[2] = {x ? tb_col(cx) : tb_nil, tb_col(cy)};
    orgfig_status st = orgfig_figure_plot(f, ORGFIG_LINE, args, 2, props, nprops, err);
    orgfig_column_unref(cx);
    orgfig_column_unref(cy);
    return st;
}

#endif
