/* plot_heatmap.c - orgfig-heatmap: a matrix drawn as colored cells.
 *
 * MATRIX is a sequence of rows, each a sequence of numbers of the same
 * length.  The values are copied once into one counted row-major block of
 * doubles (rows may be any number of separate columns, more than an
 * artist can reference).
 *
 * Geometry follows matplotlib's imshow with origin "upper": by default
 * cell (r, c) is centred on x = c, y = r with row 0 at the TOP (the y axis
 * runs downward, a->flip_y), and the view fits the cells exactly
 * (a->tight).  :extent (X0 X1 Y0 Y1) places the image's left, right,
 * bottom and top edges at those data values instead, row 0 along Y1, and
 * the axis keeps its normal direction.
 *
 * Colors: values are normalised between :vmin and :vmax (by default the
 * finite minimum and maximum; when they are equal every cell gets the
 * lowest color, as matplotlib's Normalize does) and looked up in the
 * colormap's 256-entry table, clamped at both ends; NaN and infinite cells
 * are transparent, so the axes background shows through.
 *
 * Rendering: one ARGB32 image with one pixel per cell is filled from the
 * table and painted once, scaled to the cell rectangle with nearest
 * filtering, so a 1000 x 1000 matrix costs one image draw.  Into a PNG,
 * when cells are smaller than device pixels, the cells are first averaged
 * in data space down to about one per device pixel (average_cells).  The pixel
 * buffer is counted and freed before draw returns.
 *
 * :annotate writes each value in its cell with a checked format
 * (plotutil.h), in black or white, whichever contrasts more with the cell
 * color (WCAG relative luminance); cells too small for the text are left
 * blank.  :xlabels / :ylabels label the columns / rows: they become the
 * axes' tick positions (cell centres) and labels unless ticks were set
 * already (see heat_apply_ticks). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plotutil.h"
#include "props.h"
#include "render.h"

#define FN "orgfig-heatmap"
#define MAX_SIDE 32767 /* cairo's image size limit */

typedef struct heat_priv {
    size_t rows, cols;
    double *v; /* rows * cols values, row-major, counted */
    orgfig_cmap cmap;
    double vmin, vmax;
    double xl, xr; /* data x of the left edge of column 0 and right edge of the last */
    double ytop, ybot; /* data y of the outer edge of row 0 and of the last row */
    char fmt[ORGFIG_NUMFMT_MAX]; /* "" when not annotating */
} heat_priv;

static const char *const heat_args[] = {"MATRIX", NULL};
static const char *const heat_props[] = {
    "cmap", "vmin", "vmax", "colorbar", "extent", "annotate", "xlabels", "ylabels", NULL};

/* Read the rows of MATRIX into P->v. */
static orgfig_status
read_matrix(orgfig_artist *a, const orgfig_value *m, heat_priv *p, orgfig_err *err)
{
    if (m->type == ORGFIG_V_COL && m->col && m->col->n == 0)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: MATRIX is empty", FN);
    if (m->type == ORGFIG_V_COL)
        return orgfig_fail_type(
            err, "orgfig-data-p", ORGFIG_WHERE_ARG, 0,
            "%s: MATRIX must be a sequence of rows (each a sequence of "
            "numbers), got a flat sequence of numbers; write [[...]] "
            "for a single row",
            FN);
    if (m->type != ORGFIG_V_LIST)
        return orgfig_fail_type(err, "orgfig-data-p", ORGFIG_WHERE_ARG, 0,
                                "%s: MATRIX must be a sequence of rows, got %s", FN,
                                orgfig_value_kind(m));
    if (m->nitems == 0)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: MATRIX is empty", FN);
    size_t rows = m->nitems, cols = 0;
    for (size_t r = 0; r < rows; r++) {
        const orgfig_value *row = &m->items[r];
        if (row->type != ORGFIG_V_COL || row->col == NULL)
            return orgfig_fail_type(
                err, "orgfig-data-p", ORGFIG_WHERE_ARG, 0,
                "%s: row %zu of MATRIX must be a sequence of numbers, "
                "got %s",
                FN, r, orgfig_value_kind(row));
        size_t n = row->col->n;
        if (r == 0)
            cols = n;
        else if (n != cols)
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: row %zu of MATRIX has %zu values but row 0 has %zu "
                               "(all rows must have the same length)",
                               FN, r, n, cols);
    }
    if (cols == 0)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: the rows of MATRIX are empty", FN);
    if (rows > MAX_SIDE || cols > MAX_SIDE)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: MATRIX is %zu x %zu; at most %d rows and %d columns are "
                           "supported",
                           FN, rows, cols, MAX_SIDE, MAX_SIDE);
    size_t cells;
    if (!orgfig_size_mul(rows, cols, &cells))
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: MATRIX is too large", FN);
    p->v = orgfig_alloc_array(&a->fig->meter, cells, sizeof(double), false,
                              "the heatmap matrix", err);
    if (p->v == NULL)
        return err->status;
    p->rows = rows;
    p->cols = cols;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t r = 0; r < rows; r++) {
        const orgfig_column *c = m->items[r].col;
        double *dst = p->v + r * cols;
        if (c->dtype == ORGFIG_F64)
            memcpy(dst, c->data, cols * sizeof(double));
        else
            for (size_t k = 0; k < cols; k++)
                dst[k] = ((const float *)c->data)[k];
        for (size_t k = 0; k < cols; k++) {
            double v = dst[k];
            if (isfinite(v)) {
                if (v < lo)
                    lo = v;
                if (v > hi)
                    hi = v;
            }
        }
    }
    if (!(lo <= hi))
        return orgfig_fail(
            err, ORGFIG_E_INVALID,
            "%s: MATRIX has no finite values (all %zu are NaN or infinite)", FN, cells);
    p->vmin = lo;
    p->vmax = hi;
    return ORGFIG_OK;
}

static orgfig_status
read_extent(const orgfig_prop *props, size_t i, double e[4], orgfig_err *err)
{
    const orgfig_value *v = &props[i].val;
    size_t n = 0;
    if (v->type == ORGFIG_V_COL && v->col) {
        n = v->col->n;
        for (size_t k = 0; k < 4 && k < n; k++)
            e[k] = orgfig_column_get(v->col, k);
    } else if (v->type == ORGFIG_V_LIST) {
        n = v->nitems;
        for (size_t k = 0; k < 4 && k < n; k++) {
            if (v->items[k].type != ORGFIG_V_NUM)
                return orgfig_fail_type(
                    err, "numberp", ORGFIG_WHERE_PROP, i,
                    "%s: element %zu of :extent must be a number, got %s", FN, k,
                    orgfig_value_kind(&v->items[k]));
            e[k] = v->items[k].num;
        }
    } else {
        return orgfig_fail_type(err, "listp", ORGFIG_WHERE_PROP, i,
                                "%s: :extent must be a list (X0 X1 Y0 Y1), got %s", FN,
                                orgfig_value_kind(v));
    }
    if (n != 4)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: :extent must hold 4 numbers (X0 X1 Y0 Y1), got %zu", FN,
                           n);
    for (int k = 0; k < 4; k++)
        if (!isfinite(e[k]))
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "%s: :extent must hold finite numbers (element %d is %g)",
                               FN, k, e[k]);
    if (e[0] == e[1] || e[2] == e[3])
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: :extent (%g %g %g %g) has a zero width or height", FN,
                           e[0], e[1], e[2], e[3]);
    return ORGFIG_OK;
}

/* Labels for one direction, one per cell. */
static orgfig_status
read_labels(orgfig_artist *a, const orgfig_prop *props, size_t i, size_t want,
            const char *what, char ***out, size_t *n, orgfig_err *err)
{
    orgfig_loc l = orgfig_loc_prop(FN, props, i);
    if (props[i].val.type == ORGFIG_V_NIL)
        return ORGFIG_OK;
    if (orgfig_val_strings(&props[i].val, &l, &a->fig->meter, out, n, err) != ORGFIG_OK)
        return err->status;
    if (*n != want)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: %s has %zu labels but MATRIX has %zu %s", FN, l.name, *n,
                           want, what);
    return ORGFIG_OK;
}

/* Make LABELS (N, owned) the ticks of axis X at the cell centres, unless
 * the user set ticks on it already.  Takes over LABELS either way. */
static void
heat_ticks(orgfig_axis *x, char ***labels, size_t n, double **pos)
{
    if (*labels == NULL)
        return;
    if (x->ticks != NULL || x->ticklabels != NULL) {
        orgfig_strings_free(*labels, n);
        orgfig_free(*pos);
    } else {
        x->ticks = *pos;
        x->nticks = n;
        x->ticklabels = *labels;
        x->nticklabels = n;
    }
    *labels = NULL;
    *pos = NULL;
}

static orgfig_status
heat_build(orgfig_artist *a, const orgfig_value *args, const orgfig_prop *props,
           size_t nprops, orgfig_err *err)
{
    heat_priv *p = orgfig_fig_alloc(a, sizeof *p, "a heatmap", err);
    if (p == NULL)
        return err->status;
    a->priv = p;
    if (read_matrix(a, &args[0], p, err) != ORGFIG_OK)
        return err->status;
    p->cmap = orgfig_cmap_default();
    bool colorbar = true, has_extent = false, has_vmin = false, has_vmax = false;
    double ext[4] = {0, 0, 0, 0}, vmin = 0, vmax = 0;
    char **xl = NULL, **yl = NULL;
    size_t nxl = 0, nyl = 0;
    double *xpos = NULL, *ypos = NULL;
    orgfig_status st = ORGFIG_OK;
    for (size_t i = 0; i < nprops && st == ORGFIG_OK; i++) {
        const char *k = props[i].key;
        const orgfig_value *v = &props[i].val;
        orgfig_loc l = orgfig_loc_prop(FN, props, i);
        if (strcmp(k, "cmap") == 0) {
            if (v->type != ORGFIG_V_SYM && v->type != ORGFIG_V_STR)
                st = orgfig_fail_type(err, "symbolp", ORGFIG_WHERE_PROP, i,
                                      "%s: :cmap must be a colormap name, got %s", FN,
                                      orgfig_value_kind(v));
            else
                st = orgfig_cmap_parse(v->str ? v->str : "", v->len, &p->cmap, FN,
                                       ":cmap", err);
        } else if (strcmp(k, "vmin") == 0 || strcmp(k, "vmax") == 0) {
            bool is_min = strcmp(k, "vmin") == 0;
            double d = 0;
            if (v->type != ORGFIG_V_NIL)
                st = orgfig_val_number(v, &l, -1e300, 1e300, &d, err);
            if (is_min) {
                has_vmin = v->type != ORGFIG_V_NIL;
                vmin = d;
            } else {
                has_vmax = v->type != ORGFIG_V_NIL;
                vmax = d;
            }
        } else if (strcmp(k, "colorbar") == 0) {
            st = orgfig_val_bool(v, &l, &colorbar, err);
        } else if (strcmp(k, "extent") == 0) {
            has_extent = v->type != ORGFIG_V_NIL;
            if (has_extent)
                st = read_extent(props, i, ext, err);
        } else if (strcmp(k, "annotate") == 0) {
            st = orgfig_numfmt_prop(v, FN, ":annotate", i, "%.2g", p->fmt, err);
        } else if (strcmp(k, "xlabels") == 0) {
            orgfig_strings_free(xl, nxl);
            xl = NULL;
            nxl = 0;
            st = read_labels(a, props, i, p->cols, "columns", &xl, &nxl, err);
        } else if (strcmp(k, "ylabels") == 0) {
            orgfig_strings_free(yl, nyl);
            yl = NULL;
            nyl = 0;
            st = read_labels(a, props, i, p->rows, "rows", &yl, &nyl, err);
        }
    }
    if (st == ORGFIG_OK) {
        if (has_vmin)
            p->vmin = vmin;
        if (has_vmax)
            p->vmax = vmax;
        if (p->vmin > p->vmax)
            st = orgfig_fail(
                err, ORGFIG_E_INVALID, "%s: :vmin %g is larger than :vmax %g%s", FN,
                p->vmin, p->vmax,
                has_vmin && has_vmax ? "" : " (the other comes from the data)");
    }
    if (st == ORGFIG_OK) {
        if (has_extent) {
            p->xl = ext[0];
            p->xr = ext[1];
            p->ybot = ext[2];
            p->ytop = ext[3];
        } else {
            p->xl = -0.5;
            p->xr = (double)p->cols - 0.5;
            p->ytop = -0.5;
            p->ybot = (double)p->rows - 0.5;
            a->flip_y = true;
        }
        a->tight = true;
        /* Tick positions at the cell centres, allocated before anything
         * is handed to the axes so nothing can fail after. */
        if (xl) {
            xpos = orgfig_alloc_array(&a->fig->meter, nxl, sizeof *xpos, false, "ticks",
                                      err);
            if (xpos == NULL)
                st = err->status;
            for (size_t c = 0; xpos && c < nxl; c++)
                xpos[c] = p->xl + (p->xr - p->xl) * ((double)c + 0.5) / (double)p->cols;
        }
        if (yl && st == ORGFIG_OK) {
            ypos = orgfig_alloc_array(&a->fig->meter, nyl, sizeof *ypos, false, "ticks",
                                      err);
            if (ypos == NULL)
                st = err->status;
            for (size_t r = 0; ypos && r < nyl; r++)
                ypos[r] =
                    p->ytop + (p->ybot - p->ytop) * ((double)r + 0.5) / (double)p->rows;
        }
    }
    if (st != ORGFIG_OK) {
        orgfig_strings_free(xl, nxl);
        orgfig_strings_free(yl, nyl);
        orgfig_free(xpos);
        orgfig_free(ypos);
        return st;
    }
    a->colorbar.want = colorbar;
    a->colorbar.cmap = p->cmap;
    a->colorbar.vmin = p->vmin;
    a->colorbar.vmax = p->vmax;
    /* Nothing fails from here on: hand the labels to the axes. */
    orgfig_axes *ax = &a->fig->axes[a->axes];
    heat_ticks(&ax->x, &xl, nxl, &xpos);
    heat_ticks(a->right ? &ax->y2 : &ax->y, &yl, nyl, &ypos);
    return ORGFIG_OK;
}

static void
heat_free(orgfig_artist *a)
{
    heat_priv *p = a->priv;
    if (p)
        orgfig_free(p->v);
}

static bool
span(double a, double b, orgfig_scale s, double *lo, double *hi)
{
    *lo = fmin(a, b);
    *hi = fmax(a, b);
    if (s == ORGFIG_SCALE_LOG && *lo <= 0) {
        *lo = *hi = NAN;
        return false;
    }
    return true;
}

static bool
heat_bounds(const orgfig_artist *a, orgfig_scale xs, orgfig_scale ys, orgfig_bounds *b)
{
    const heat_priv *p = a->priv;
    bool okx = span(p->xl, p->xr, xs, &b->xlo, &b->xhi);
    bool oky = span(p->ytop, p->ybot, ys, &b->ylo, &b->yhi);
    return okx && oky;
}

static inline uint32_t
cell_pixel(const heat_priv *p, const uint32_t lut[256], double v)
{
    if (!isfinite(v))
        return 0; /* transparent */
    double d = p->vmax - p->vmin;
    double t = d > 0 ? (v - p->vmin) / d : 0;
    int idx = t <= 0 ? 0 : t >= 1 ? 255 : (int)(t * 255 + 0.5);
    return lut[idx];
}

static orgfig_rgba
cell_rgba(const heat_priv *p, double v)
{
    double d = p->vmax - p->vmin;
    double t = d > 0 ? (v - p->vmin) / d : 0;
    return orgfig_cmap_at(p->cmap, t);
}

static orgfig_status
draw_annotations(const orgfig_artist *a, orgfig_draw_ctx *dc, double px0, double px1,
                 double py0, double py1, orgfig_err *err)
{
    const heat_priv *p = a->priv;
    cairo_t *cr = dc->cr;
    double cw = (px1 - px0) / (double)p->cols, ch = (py1 - py0) / (double)p->rows;
    double acw = fabs(cw), ach = fabs(ch);
    double fpx = fmin(orgfig_data_font_px(a->fig), ach * 0.8);
    if (fpx < 4)
        return ORGFIG_OK; /* cells too small for legible text */
    orgfig_text_font(cr, &a->fig->style, fpx);
    /* Only the cells in view. */
    orgfig_rect bx = dc->box;
    for (size_t r = 0; r < p->rows; r++) {
        double cy = py0 + ch * ((double)r + 0.5);
        if (cy < bx.y - ach || cy > bx.y + bx.h + ach)
            continue;
        for (size_t c = 0; c < p->cols; c++) {
            double cx = px0 + cw * ((double)c + 0.5);
            if (cx < bx.x - acw || cx > bx.x + bx.w + acw)
                continue;
            double v = p->v[r * p->cols + c];
            if (!isfinite(v))
                continue;
            char buf[128];
            orgfig_numfmt(p->fmt, v, buf, sizeof buf);
            cairo_text_extents_t te;
            cairo_text_extents(cr, buf, &te);
            if (te.x_advance > acw * 0.95)
                continue;
            orgfig_rgba bg = cell_rgba(p, v);
            double lum = orgfig_luminance(bg);
            /* 0.179 is where black and white contrast equally (WCAG). */
            if (lum > 0.179)
                cairo_set_source_rgb(cr, 0, 0, 0);
            else
                cairo_set_source_rgb(cr, 1, 1, 1);
            orgfig_text_draw(cr, buf, cx, cy, 1, 1, 0);
        }
        if (orgfig_draw_poll(dc, p->cols, err) != ORGFIG_OK)
            return err->status;
    }
    return ORGFIG_OK;
}

/* The overlap of input cell K (K*N .. (K+1)*N) with output cell I (I*M ..
 * (I+1)*M), both in units of 1/N input cell = 1/M output cell, where M
 * input cells map onto N output cells. */
static inline size_t
overlap(size_t k, size_t n, size_t i, size_t m)
{
    size_t lo = k * n > i * m ? k * n : i * m;
    size_t hi = (k + 1) * n < (i + 1) * m ? (k + 1) * n : (i + 1) * m;
    return hi > lo ? hi - lo : 0;
}

/* Sum the finite values of data row ROW (COLS cells) into AW output
 * columns, each cell weighted by its overlap with the column: *S gets the
 * weighted sums, *W the weights. */
static void
row_sums(const double *row, size_t cols, int aw, double *s, double *w)
{
    for (int i = 0; i < aw; i++) {
        size_t c0 = (size_t)i * cols / (size_t)aw,
               c1 = ((size_t)(i + 1) * cols + (size_t)aw - 1) / (size_t)aw;
        /* Whole cells weigh AW; only the two ends can be partial. */
        double k0 = (double)overlap(c0, (size_t)aw, (size_t)i, cols),
               k1 = (double)overlap(c1 - 1, (size_t)aw, (size_t)i, cols);
        double sum = 0, wt = 0, inner = 0;
        size_t n = 0;
        for (size_t c = c0 + 1; c + 1 < c1; c++)
            if (isfinite(row[c])) {
                inner += row[c];
                n++;
            }
        sum = inner * (double)aw;
        wt = (double)n * (double)aw;
        if (isfinite(row[c0])) {
            sum += k0 * row[c0];
            wt += k0;
        }
        if (c1 - 1 > c0 && isfinite(row[c1 - 1])) {
            sum += k1 * row[c1 - 1];
            wt += k1;
        }
        s[i] = sum;
        w[i] = wt;
    }
}

/* Average P's cells into AW x AH (at most cols x rows) in data space, the
 * box filter of a downsampled image done before the colormap, as
 * matplotlib resamples data: output cell (i, j) covers cols/aw x rows/ah
 * input cells, and takes the mean of the finite values under it, each
 * weighted by the area of its cell that the output cell covers (NaN when
 * there are none).  A device pixel then shows the colour of its cells'
 * mean rather than of one cell picked by nearest sampling, which aliases
 * fine detail and noise; and every pixel averages the same area, where
 * whole cells picked by their centres (1 or 2 per pixel at 1000 cells
 * into 550) left noise in stripes of alternating strength.  Each data row
 * is summed across once (SCRATCH: 6 * AW doubles): a row shared by two
 * output rows is carried over. */
static orgfig_status
average_cells(const heat_priv *p, int aw, int ah, double *avg, double *scratch,
              orgfig_draw_ctx *dc, orgfig_err *err)
{
    size_t cols = p->cols, rows = p->rows;
    double *acc_s = scratch, *acc_w = acc_s + aw, *hs = acc_w + aw, *hw = hs + aw,
           *carry_s = hw + aw, *carry_w = carry_s + aw;
    size_t carried = (size_t)-1; /* the data row in CARRY_S, CARRY_W */
    for (int j = 0; j < ah; j++) {
        size_t r0 = (size_t)j * rows / (size_t)ah,
               r1 = ((size_t)(j + 1) * rows + (size_t)ah - 1) / (size_t)ah;
        for (int i = 0; i < aw; i++)
            acc_s[i] = acc_w[i] = 0;
        for (size_t r = r0; r < r1; r++) {
            bool last = r + 1 == r1; /* maybe shared with the next output row */
            if (r != carried) {
                row_sums(p->v + r * cols, cols, aw, last ? carry_s : hs,
                         last ? carry_w : hw);
                if (last)
                    carried = r;
            }
            const double *s = r == carried ? carry_s : hs,
                         *w = r == carried ? carry_w : hw;
            double k = (double)overlap(r, (size_t)ah, (size_t)j, rows);
            for (int i = 0; i < aw; i++) {
                acc_s[i] += k * s[i];
                acc_w[i] += k * w[i];
            }
        }
        for (int i = 0; i < aw; i++)
            avg[(size_t)j * (size_t)aw + (size_t)i] =
                acc_w[i] > 0 ? acc_s[i] / acc_w[i] : NAN;
        /* The cells read count as the work of long renders. */
        if (orgfig_draw_poll(dc, (uint64_t)((r1 - r0) * cols), err) != ORGFIG_OK)
            return err->status;
    }
    return ORGFIG_OK;
}

static orgfig_status
heat_draw(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    const heat_priv *p = a->priv;
    cairo_t *cr = dc->cr;
    if (!orgfig_usable(p->xl, dc->mx.log) || !orgfig_usable(p->xr, dc->mx.log) ||
        !orgfig_usable(p->ytop, dc->my.log) || !orgfig_usable(p->ybot, dc->my.log))
        return ORGFIG_OK; /* not drawable on these log axes */
    double px0 = orgfig_map_apply(&dc->mx, p->xl), px1 = orgfig_map_apply(&dc->mx, p->xr);
    double py0 = orgfig_map_apply(&dc->my, p->ytop),
           py1 = orgfig_map_apply(&dc->my, p->ybot);
    if (!isfinite(px0) || !isfinite(px1) || !isfinite(py0) || !isfinite(py1) ||
        px0 == px1 || py0 == py1)
        return ORGFIG_OK;
    int w = (int)p->cols, h = (int)p->rows;
    const double *v = p->v;
    double *avg = NULL;
    if (dc->pixels) {
        /* Drawn into an image with cells smaller than device pixels:
         * average the cells in data space first (see average_cells). */
        double dw = fabs(px1 - px0) * dc->scale, dh = fabs(py1 - py0) * dc->scale;
        int aw = dw < w ? (int)fmax(1, ceil(dw)) : w,
            ah = dh < h ? (int)fmax(1, ceil(dh)) : h;
        if (aw < w || ah < h) {
            /* The averages and average_cells' scratch.  AW and AH are
             * device pixels (< 2^15 each), so aw * (ah + 6) cannot
             * overflow; orgfig_alloc_array checks the bytes. */
            avg = orgfig_alloc_array(&a->fig->meter, (size_t)aw * ((size_t)ah + 6),
                                     sizeof *avg, false, "the averaged heatmap", err);
            if (avg == NULL)
                return err->status;
            if (average_cells(p, aw, ah, avg, avg + (size_t)aw * (size_t)ah, dc, err) !=
                ORGFIG_OK) {
                orgfig_free(avg);
                return err->status;
            }
            v = avg;
            w = aw;
            h = ah;
        }
    }
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, w);
    if (stride <= 0)
        return orgfig_fail(err, ORGFIG_E_RENDER, "%s: cannot make a %dx%d image", FN, w,
                           h);
    unsigned char *pix = orgfig_alloc_array(&a->fig->meter, (size_t)stride, (size_t)h,
                                            false, "the heatmap image", err);
    if (pix == NULL) {
        orgfig_free(avg);
        return err->status;
    }
    uint32_t lut[256];
    orgfig_cmap_lut(p->cmap, lut);
    orgfig_status st = ORGFIG_OK;
    for (int r = 0; r < h && st == ORGFIG_OK; r++) {
        uint32_t *row = (uint32_t *)(void *)(pix + (size_t)r * (size_t)stride);
        const double *src = v + (size_t)r * (size_t)w;
        for (int c = 0; c < w; c++)
            row[c] = cell_pixel(p, lut, src[c]);
        st = orgfig_draw_poll(dc, (uint64_t)w, err);
    }
    if (st == ORGFIG_OK) {
        cairo_surface_t *img =
            cairo_image_surface_create_for_data(pix, CAIRO_FORMAT_ARGB32, w, h, stride);
        if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
            st = orgfig_fail(err,
                             cairo_surface_status(img) == CAIRO_STATUS_NO_MEMORY
                                 ? ORGFIG_E_NOMEM
                                 : ORGFIG_E_RENDER,
                             "%s: cairo could not wrap the image: %s", FN,
                             cairo_status_to_string(cairo_surface_status(img)));
        } else {
            cairo_save(cr);
            /* The visible part of the image rectangle, so path coordinates
             * stay small even when zoomed far in. */
            orgfig_rect lim = orgfig_clip_rect(dc);
            double rx0 = fmax(fmin(px0, px1), lim.x),
                   rx1 = fmin(fmax(px0, px1), lim.x + lim.w);
            double ry0 = fmax(fmin(py0, py1), lim.y),
                   ry1 = fmin(fmax(py0, py1), lim.y + lim.h);
            if (rx1 > rx0 && ry1 > ry0) {
                cairo_rectangle(cr, rx0, ry0, rx1 - rx0, ry1 - ry0);
                cairo_translate(cr, px0, py0);
                cairo_scale(cr, (px1 - px0) / w, (py1 - py0) / h);
                cairo_set_source_surface(cr, img, 0, 0);
                cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
                /* PAD keeps the outermost cells whole at the edges when
                 * rasterising; vector output maps the image exactly. */
                if (dc->pixels)
                    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
                cairo_fill(cr);
            }
            cairo_restore(cr);
            /* Vector surfaces keep a reference to the image until they are
             * finished; make them copy it now so PIX can go. */
            cairo_surface_finish(img);
        }
        cairo_surface_destroy(img);
    }
    if (st == ORGFIG_OK && p->fmt[0])
        st = draw_annotations(a, dc, px0, px1, py0, py1, err);
    orgfig_free(pix);
    orgfig_free(avg);
    return st;
}

static size_t
heat_sample(const orgfig_artist *a, double *xy, size_t max)
{
    /* A grid over the image: the whole rectangle counts as covered. */
    const heat_priv *p = a->priv;
    size_t side = 1;
    while ((side + 1) * (side + 1) <= max && side < 24)
        side++;
    size_t k = 0;
    for (size_t i = 0; i < side; i++)
        for (size_t j = 0; j < side && k < max; j++) {
            xy[2 * k] = p->xl + (p->xr - p->xl) * ((double)i + 0.5) / (double)side;
            xy[2 * k + 1] =
                p->ybot + (p->ytop - p->ybot) * ((double)j + 0.5) / (double)side;
            k++;
        }
    return k;
}

static void
heat_swatch(const orgfig_artist *a, size_t i, cairo_t *cr, orgfig_rect r)
{
    (void)i;
    const heat_priv *p = a->priv;
    cairo_pattern_t *g = cairo_pattern_create_linear(r.x, 0, r.x + r.w, 0);
    for (int s = 0; s <= 8; s++) {
        orgfig_rgba c = orgfig_cmap_at(p->cmap, s / 8.0);
        cairo_pattern_add_color_stop_rgba(g, s / 8.0, c.r, c.g, c.b, c.a);
    }
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
}

const orgfig_plot_class orgfig_plot_heatmap = {
    .kind = ORGFIG_HEATMAP,
    .fn = FN,
    .nargs = 1,
    .arg_names = heat_args,
    .props = heat_props,
    .uses_cycle = false,
    .build = heat_build,
    .bounds = heat_bounds,
    .draw = heat_draw,
    .legend_count = NULL,
    .legend_label = NULL,
    .legend_swatch = heat_swatch,
    .sample = heat_sample,
    .free = heat_free,
};
