/* render.c - orgfig_figure_render: surfaces, text helpers, the poll.
 *
 * PNG: orgfig allocates the pixel buffer itself (counted, capped,
 * fault-injectable), wraps it in a cairo image surface, draws at device
 * size WIDTH*SCALE x HEIGHT*SCALE with cairo_scale (SCALE) so everything is
 * laid out in logical pixels, and encodes it with orgfig_png_encode.
 *
 * SVG/PDF: the page is WIDTH x HEIGHT logical pixels at 96 per inch, that
 * is 0.75 points each (so a 640x480 figure is a 480x360 pt page and shows
 * at its pixel size in browsers); cairo writes through a callback into the
 * output buffer.
 *
 * The figure is busy for the whole render: every entry point (including a
 * re-entrant call from the poll callback) fails with ORGFIG_E_BUSY and
 * close is a no-op.  On failure OUT is restored to its length on entry (and
 * freed when it was empty) and every temporary is released. */
#include "render.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>

#include "png.h"

#define POLL_EVERY 65536

/* ---- text ---- */

void
orgfig_text_font(cairo_t *cr, const orgfig_style *st, double px)
{
    const char *family =
        st->font_family && st->font_family[0] ? st->font_family : "sans-serif";
    cairo_select_font_face(cr, family, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, px);
}

static void
text_offsets(cairo_t *cr, const char *s, int ha, int va, double *dx, double *dy,
             double *w, double *h, double *ascent)
{
    cairo_text_extents_t te;
    cairo_font_extents_t fe;
    cairo_text_extents(cr, s, &te);
    cairo_font_extents(cr, &fe);
    *w = te.x_advance;
    *h = fe.ascent + fe.descent;
    *ascent = fe.ascent;
    *dx = ha == 0 ? 0 : ha == 1 ? -*w / 2 : -*w;
    *dy = va == 0 ? 0 : va == 1 ? -*h / 2 : va == 2 ? -*h : -fe.ascent;
}

orgfig_rect
orgfig_text_box(cairo_t *cr, const char *s, double x, double y, int ha, int va,
                double rot)
{
    double dx, dy, w, h, asc;
    text_offsets(cr, s, ha, va, &dx, &dy, &w, &h, &asc);
    double r = rot * M_PI / 180, c = cos(r), sn = sin(r);
    double xs[4] = {dx, dx + w, dx + w, dx}, ys[4] = {dy, dy, dy + h, dy + h};
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int i = 0; i < 4; i++) {
        /* Counter-clockwise on screen (y down). */
        double px = xs[i] * c + ys[i] * sn, py = -xs[i] * sn + ys[i] * c;
        x0 = fmin(x0, px);
        x1 = fmax(x1, px);
        y0 = fmin(y0, py);
        y1 = fmax(y1, py);
    }
    return (orgfig_rect){x + x0, y + y0, x1 - x0, y1 - y0};
}

void
orgfig_text_draw(cairo_t *cr, const char *s, double x, double y, int ha, int va,
                 double rot)
{
    double dx, dy, w, h, asc;
    text_offsets(cr, s, ha, va, &dx, &dy, &w, &h, &asc);
    cairo_save(cr);
    cairo_translate(cr, x, y);
    if (rot != 0)
        cairo_rotate(cr, -rot * M_PI / 180);
    cairo_move_to(cr, dx, dy + asc);
    cairo_show_text(cr, s);
    cairo_new_path(cr);
    cairo_restore(cr);
}

/* ---- poll and pixels ---- */

/* ---- progress ----
 *
 * Renders with at least PROGRESS_MIN units of work report their progress
 * through opts->progress: a unit is a data point, except that a line with
 * unsorted x (every segment stroked, with costly self-intersections)
 * weighs UNSORTED_WEIGHT units per point.  Fractions only grow, in steps
 * of at least PROGRESS_STEP (so at most about 20 calls), and a successful
 * render ends with 1. */
#define PROGRESS_MIN 2e6
#define PROGRESS_STEP 0.05
#define UNSORTED_WEIGHT 128

static double
artist_points(const orgfig_artist *a)
{
    size_t n = 0;
    for (size_t i = 0; i < ORGFIG_ARTIST_MAXCOLS; i++)
        if (a->cols[i] && a->cols[i]->n > n)
            n = a->cols[i]->n;
    return (double)n;
}

static double
artist_work(const orgfig_artist *a)
{
    double n = artist_points(a);
    if (a->kind == ORGFIG_LINE && a->cols[0] && n > 1) {
        orgfig_column_summary(a->cols[0]);
        if (!a->cols[0]->sorted)
            n *= UNSORTED_WEIGHT;
    }
    return n;
}

static void
progress_report(orgfig_draw_ctx *dc, double fraction, bool final)
{
    if (!dc->progress || !dc->opts || !dc->opts->progress)
        return;
    fraction = fmin(1.0, fmax(0.0, fraction));
    if (final ? fraction <= dc->progress_last
              : fraction < dc->progress_last + PROGRESS_STEP || fraction >= 1)
        return;
    dc->progress_last = fraction;
    dc->opts->progress(dc->opts->ctx, fraction);
}

orgfig_status
orgfig_draw_poll(orgfig_draw_ctx *dc, uint64_t n, orgfig_err *err)
{
    dc->prims += n;
    if (dc->prims < dc->next_poll)
        return ORGFIG_OK;
    dc->next_poll = dc->prims + POLL_EVERY;
    if (dc->progress && dc->work_total > 0 && dc->artist_n > 0) {
        double part = fmin(1.0, (double)(dc->prims - dc->prims0) / (double)dc->artist_n);
        progress_report(dc, (dc->work_done + part * dc->work_artist) / dc->work_total,
                        false);
    }
    if (dc->opts && dc->opts->poll && dc->opts->poll(dc->opts->ctx))
        return orgfig_fail(err, ORGFIG_E_QUIT, "orgfig-render: interrupted");
    return ORGFIG_OK;
}

void
orgfig_paint_a8(cairo_t *cr, unsigned char *a8, int x0, int y0, int w, int h, int stride)
{
    if (w <= 0 || h <= 0)
        return;
    cairo_surface_t *ms =
        cairo_image_surface_create_for_data(a8, CAIRO_FORMAT_A8, w, h, stride);
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_mask_surface(cr, ms, x0, y0);
    cairo_restore(cr);
    cairo_surface_destroy(ms);
}

void
orgfig_draw_pixels_begin(orgfig_draw_ctx *dc)
{
    cairo_surface_flush(cairo_get_target(dc->cr));
}

void
orgfig_draw_pixels_end(orgfig_draw_ctx *dc)
{
    cairo_surface_mark_dirty(cairo_get_target(dc->cr));
}

/* ---- drawing the figure ---- */

static orgfig_status
cairo_check(cairo_t *cr, const char *what, orgfig_err *err)
{
    cairo_status_t cs = cairo_status(cr);
    if (cs != CAIRO_STATUS_SUCCESS) {
        if (cs == CAIRO_STATUS_NO_MEMORY)
            return orgfig_fail(err, ORGFIG_E_NOMEM,
                               "orgfig-render: cairo ran out of memory %s", what);
        return orgfig_fail(err, ORGFIG_E_RENDER, "orgfig-render: cairo failed %s: %s",
                           what, cairo_status_to_string(cs));
    }
    return ORGFIG_OK;
}

static orgfig_status
draw_figure(orgfig_figure *f, cairo_t *cr, orgfig_draw_ctx *base, orgfig_err *err)
{
    orgfig_layout L;
    orgfig_status st;
    base->work_total = 0;
    for (size_t i = 0; i < (size_t)f->rows * (size_t)f->cols; i++)
        for (size_t k = 0; k < f->axes[i].nartists; k++)
            base->work_total += artist_work(f->axes[i].artists[k]);
    base->progress =
        base->opts && base->opts->progress && base->work_total >= PROGRESS_MIN;
    orgfig_set_source(cr, f->style.background);
    cairo_paint(cr);
    orgfig_text_font(cr, &f->style, 10);
    st = orgfig_layout_compute(f, cr, &L, err);
    if (st == ORGFIG_OK)
        st = cairo_check(cr, "measuring text", err);
    for (size_t i = 0; i < L.naxes && st == ORGFIG_OK; i++) {
        const orgfig_axes *ax = &f->axes[i];
        const orgfig_axes_layout *al = &L.axes[i];
        orgfig_axes_draw_grid(cr, f, &L, i);
        for (size_t k = 0; k < ax->nartists && st == ORGFIG_OK; k++) {
            const orgfig_artist *a = ax->artists[k];
            orgfig_draw_ctx dc = *base;
            dc.cr = cr;
            dc.fig = f;
            dc.axes = ax;
            dc.box = al->box;
            dc.mx = al->x.map;
            const orgfig_axis_layout *yl = a->right && al->twin ? &al->y2 : &al->y;
            dc.my = yl->map;
            dc.vx0 = al->x.v0;
            dc.vx1 = al->x.v1;
            dc.vy0 = yl->v0;
            dc.vy1 = yl->v1;
            dc.work_artist = artist_work(a);
            dc.artist_n = (uint64_t)artist_points(a);
            dc.prims0 = dc.prims;
            cairo_save(cr);
            /* A clip on whole device pixels is a region for cairo;
             * any other clip makes every operation build a mask. */
            double ds = base->scale > 0 ? base->scale : 1;
            double cx0 = floor(al->box.x * ds) / ds, cy0 = floor(al->box.y * ds) / ds;
            double cx1 = ceil((al->box.x + al->box.w) * ds) / ds;
            double cy1 = ceil((al->box.y + al->box.h) * ds) / ds;
            cairo_rectangle(cr, cx0, cy0, cx1 - cx0, cy1 - cy0);
            cairo_clip(cr);
            cairo_new_path(cr);
            st = a->cls->draw(a, &dc, err);
            cairo_restore(cr);
            base->prims = dc.prims;
            base->next_poll = dc.next_poll;
            base->progress_last = dc.progress_last;
            base->work_done += dc.work_artist;
            if (st == ORGFIG_OK)
                progress_report(base, base->work_done / base->work_total, false);
            if (st == ORGFIG_OK)
                st = cairo_check(cr, "drawing data", err);
        }
        if (st != ORGFIG_OK)
            break;
        orgfig_axes_draw_frame(cr, f, &L, i);
        orgfig_axes_draw_colorbar(cr, f, &L, i);
        orgfig_axes_draw_legend(cr, f, &L, i);
        st = cairo_check(cr, "drawing axes", err);
    }
    if (st == ORGFIG_OK) {
        /* Figure-level texts (the suptitle). */
        for (size_t t = 0; t < L.ntexts; t++) {
            const orgfig_text_rect *tr = &L.texts[t];
            if (tr->kind != ORGFIG_TXT_SUPTITLE)
                continue;
            orgfig_text_font(cr, &f->style, tr->px);
            orgfig_set_source(cr, f->style.foreground);
            orgfig_text_draw(cr, tr->s, tr->x, tr->y, tr->ha, tr->va, tr->rot);
        }
        st = cairo_check(cr, "drawing the title", err);
    }
    if (st == ORGFIG_OK)
        progress_report(base, 1.0, true);
    orgfig_layout_free(&L);
    return st;
}

/* ---- vector output ---- */

typedef struct stream_ctx {
    orgfig_buf *out;
    orgfig_err e;
} stream_ctx;

static cairo_status_t
stream_write(void *closure, const unsigned char *data, unsigned int length)
{
    stream_ctx *s = closure;
    if (s->e.status != ORGFIG_OK)
        return CAIRO_STATUS_WRITE_ERROR;
    if (orgfig_buf_append(s->out, data, length, &s->e) != ORGFIG_OK)
        return CAIRO_STATUS_WRITE_ERROR;
    return CAIRO_STATUS_SUCCESS;
}

static orgfig_status
surface_check(cairo_surface_t *s, const char *what, orgfig_err *err)
{
    cairo_status_t cs = cairo_surface_status(s);
    if (cs == CAIRO_STATUS_SUCCESS)
        return ORGFIG_OK;
    if (cs == CAIRO_STATUS_NO_MEMORY)
        return orgfig_fail(err, ORGFIG_E_NOMEM,
                           "orgfig-render: cairo ran out of memory %s", what);
    return orgfig_fail(err, ORGFIG_E_RENDER, "orgfig-render: cairo failed %s: %s", what,
                       cairo_status_to_string(cs));
}

static orgfig_status
render_vector(orgfig_figure *f, const orgfig_render_opts *opts, orgfig_buf *out,
              orgfig_err *err)
{
    stream_ctx sc = {out, ORGFIG_ERR_INIT};
    double wpt = f->width * 0.75, hpt = f->height * 0.75;
    cairo_surface_t *s =
        opts->format == ORGFIG_FORMAT_SVG
            ? cairo_svg_surface_create_for_stream(stream_write, &sc, wpt, hpt)
            : cairo_pdf_surface_create_for_stream(stream_write, &sc, wpt, hpt);
    orgfig_status st = surface_check(s, "creating the surface", err);
    if (st == ORGFIG_OK) {
        cairo_t *cr = cairo_create(s);
        st = cairo_check(cr, "creating the context", err);
        if (st == ORGFIG_OK) {
            cairo_scale(cr, 0.75, 0.75);
            orgfig_draw_ctx base;
            memset(&base, 0, sizeof base);
            base.opts = opts;
            base.scale = 1;
            base.next_poll = POLL_EVERY;
            st = draw_figure(f, cr, &base, err);
        }
        cairo_destroy(cr);
        cairo_surface_finish(s);
        if (st == ORGFIG_OK && sc.e.status != ORGFIG_OK) {
            *err = sc.e;
            st = sc.e.status;
        }
        if (st == ORGFIG_OK)
            st = surface_check(s, "writing the output", err);
    }
    cairo_surface_destroy(s);
    return st;
}

/* ---- PNG ---- */

static orgfig_status
render_png(orgfig_figure *f, const orgfig_render_opts *opts, orgfig_buf *out,
           orgfig_err *err)
{
    long dw = lround(f->width * f->scale), dh = lround(f->height * f->scale);
    if (dw < 1 || dh < 1 || dw > 32767 || dh > 32767)
        return orgfig_fail(
            err, ORGFIG_E_INVALID,
            "orgfig-render: %ldx%ld device pixels is outside cairo's 1..32767", dw, dh);
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, (int)dw);
    if (stride < 0)
        return orgfig_fail(err, ORGFIG_E_INVALID, "orgfig-render: image too wide (%ld)",
                           dw);
    unsigned char *pixels = orgfig_alloc_array(&f->meter, (size_t)stride, (size_t)dh,
                                               false, "the image pixels", err);
    if (pixels == NULL)
        return err->status;
    cairo_surface_t *s = cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_ARGB32,
                                                             (int)dw, (int)dh, stride);
    orgfig_status st = surface_check(s, "creating the image", err);
    if (st == ORGFIG_OK) {
        cairo_t *cr = cairo_create(s);
        st = cairo_check(cr, "creating the context", err);
        if (st == ORGFIG_OK) {
            cairo_scale(cr, f->scale, f->scale);
            orgfig_draw_ctx base;
            memset(&base, 0, sizeof base);
            base.opts = opts;
            base.pixels = pixels;
            base.dev_w = (int)dw;
            base.dev_h = (int)dh;
            base.stride = stride;
            base.scale = f->scale;
            base.next_poll = POLL_EVERY;
            st = draw_figure(f, cr, &base, err);
        }
        cairo_destroy(cr);
        cairo_surface_flush(s);
        if (st == ORGFIG_OK)
            st = surface_check(s, "drawing", err);
        if (st == ORGFIG_OK) {
            const orgfig_png_opts *po =
                opts->png_small ? &orgfig_png_small : &orgfig_png_fast;
            orgfig_png_opts custom;
            if (opts->png_level >= 0 && opts->png_level <= 9) {
                custom = *po;
                custom.level = opts->png_level;
                po = &custom;
            }
            st = orgfig_png_encode(pixels, (int)dw, (int)dh, stride, po, out, err);
        }
    }
    cairo_surface_destroy(s);
    orgfig_free(pixels);
    return st;
}

orgfig_status
orgfig_figure_render(orgfig_figure *f, const orgfig_render_opts *opts, orgfig_buf *out,
                     orgfig_err *err)
{
    if (orgfig_figure_usable(f, "orgfig-render", err) != ORGFIG_OK)
        return err->status;
    orgfig_render_opts defaults = {ORGFIG_FORMAT_PNG, -1, false, NULL, NULL, NULL};
    if (opts == NULL)
        opts = &defaults;
    size_t len0 = out->len;
    f->busy = true;
    orgfig_status st;
    if (opts->format == ORGFIG_FORMAT_PNG)
        st = render_png(f, opts, out, err);
    else if (opts->format == ORGFIG_FORMAT_SVG || opts->format == ORGFIG_FORMAT_PDF)
        st = render_vector(f, opts, out, err);
    else
        st = orgfig_fail(err, ORGFIG_E_INVALID, "orgfig-render: unknown format %d",
                         (int)opts->format);
    f->busy = false;
    if (st != ORGFIG_OK) {
        out->len = len0;
        if (len0 == 0)
            orgfig_buf_free(out);
    }
    return st;
}

bool
orgfig_render_set_threads(int n)
{
    if (n < 1 || n > ORGFIG_MAX_THREADS)
        return false;
    orgfig_png_threads = n;
    orgfig_scatter_threads = n;
    return true;
}

int
orgfig_render_threads(void)
{
    return orgfig_png_threads;
}

orgfig_status
orgfig_figure_layout(orgfig_figure *f, orgfig_layout *L, orgfig_err *err)
{
    memset(L, 0, sizeof *L);
    if (orgfig_figure_usable(f, "orgfig-layout", err) != ORGFIG_OK)
        return err->status;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(s);
    orgfig_text_font(cr, &f->style, 10);
    orgfig_status st = orgfig_layout_compute(f, cr, L, err);
    if (st == ORGFIG_OK)
        st = cairo_check(cr, "measuring text", err);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return st;
}
