/* axes.c - drawing the parts of an axes that are not data: the grid
 * (below the data), spines, outward ticks, tick labels, axis labels,
 * titles, the twin axis, the legend and the colorbar.  Positions come from
 * the layout (render.h); nothing here measures or decides placement. */
#include <math.h>

#include "render.h"

/* Lines one device pixel wide look crisp when centred on pixel centres:
 * snap a coordinate for a line of width LW (logical px) given the scale. */
static double
snap(double v, double lw, double scale)
{
    double dev = v * scale;
    double w = lw * scale;
    long iw = lround(w);
    if (iw % 2 == 1)
        return (floor(dev) + 0.5) / scale;
    return round(dev) / scale;
}

static double
device_scale(cairo_t *cr)
{
    double x = 1, y = 0;
    cairo_user_to_device_distance(cr, &x, &y);
    return fabs(x) > 0 ? fabs(x) : 1;
}

void
orgfig_axes_draw_grid(cairo_t *cr, const orgfig_figure *f, const orgfig_layout *L,
                      size_t i)
{
    const orgfig_axes *ax = &f->axes[i];
    const orgfig_axes_layout *al = &L->axes[i];
    if (ax->grid == ORGFIG_GRID_NONE || al->hidden)
        return;
    double sc = device_scale(cr);
    double lw = 0.8 * ORGFIG_PT * (L->font_px / (f->style.font_size * ORGFIG_PT));
    orgfig_rect b = al->box;
    cairo_save(cr);
    cairo_set_line_width(cr, lw);
    orgfig_set_source(cr, f->style.grid);
    if (ax->grid == ORGFIG_GRID_BOTH || ax->grid == ORGFIG_GRID_X) {
        for (size_t k = 0; k < al->x.ticks.n; k++) {
            if (al->x.ticks.ticks[k].minor)
                continue;
            double px =
                snap(orgfig_map_apply(&al->x.map, al->x.ticks.ticks[k].value), lw, sc);
            cairo_move_to(cr, px, b.y);
            cairo_line_to(cr, px, b.y + b.h);
        }
    }
    if (ax->grid == ORGFIG_GRID_BOTH || ax->grid == ORGFIG_GRID_Y) {
        for (size_t k = 0; k < al->y.ticks.n; k++) {
            if (al->y.ticks.ticks[k].minor)
                continue;
            double py =
                snap(orgfig_map_apply(&al->y.map, al->y.ticks.ticks[k].value), lw, sc);
            cairo_move_to(cr, b.x, py);
            cairo_line_to(cr, b.x + b.w, py);
        }
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void
tick_marks(cairo_t *cr, const orgfig_axis_layout *al, const orgfig_rect *b, int side,
           double len, double lw, double sc)
{
    for (size_t k = 0; k < al->ticks.n; k++) {
        const orgfig_tick *t = &al->ticks.ticks[k];
        double l = t->minor ? len * 0.57 : len;
        double p = snap(orgfig_map_apply(&al->map, t->value), lw, sc);
        switch (side) {
        case 0: /* bottom */
            cairo_move_to(cr, p, b->y + b->h);
            cairo_line_to(cr, p, b->y + b->h + l);
            break;
        case 1: /* left */
            cairo_move_to(cr, b->x, p);
            cairo_line_to(cr, b->x - l, p);
            break;
        default: /* right */
            cairo_move_to(cr, b->x + b->w, p);
            cairo_line_to(cr, b->x + b->w + l, p);
            break;
        }
    }
}

void
orgfig_axes_draw_frame(cairo_t *cr, const orgfig_figure *f, const orgfig_layout *L,
                       size_t i)
{
    const orgfig_axes_layout *al = &L->axes[i];
    double sc = device_scale(cr);
    double k = L->font_px / (f->style.font_size * ORGFIG_PT);
    double lw = 0.8 * ORGFIG_PT * k;
    orgfig_rect b = al->box;
    double x0 = snap(b.x, lw, sc), x1 = snap(b.x + b.w, lw, sc);
    double y0 = snap(b.y, lw, sc), y1 = snap(b.y + b.h, lw, sc);
    cairo_save(cr);
    orgfig_set_source(cr, f->style.foreground);
    cairo_set_line_width(cr, lw);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
    if (!al->hidden) /* a pie's axes have no frame (and no ticks: layout) */
        cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
    cairo_stroke(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    tick_marks(cr, &al->x, &b, 0, L->tick_len, lw, sc);
    tick_marks(cr, &al->y, &b, 1, L->tick_len, lw, sc);
    if (al->twin)
        tick_marks(cr, &al->y2, &b, 2, L->tick_len, lw, sc);
    cairo_stroke(cr);
    /* The texts of this axes (the legend draws its own). */
    for (size_t t = 0; t < L->ntexts; t++) {
        const orgfig_text_rect *tr = &L->texts[t];
        if (tr->axes != i || tr->s == NULL || tr->kind == ORGFIG_TXT_SUPTITLE ||
            tr->kind == ORGFIG_TXT_LEGEND)
            continue;
        orgfig_text_font(cr, &f->style, tr->px);
        orgfig_text_draw(cr, tr->s, tr->x, tr->y, tr->ha, tr->va, tr->rot);
    }
    cairo_restore(cr);
}

void
orgfig_axes_draw_legend(cairo_t *cr, const orgfig_figure *f, const orgfig_layout *L,
                        size_t i)
{
    const orgfig_axes_layout *al = &L->axes[i];
    if (!al->has_legend)
        return;
    orgfig_rect r = al->legend;
    double fp = L->font_px, pad = 0.5 * fp;
    cairo_save(cr);
    /* A slightly translucent box with a soft border, like matplotlib's. */
    orgfig_rgba bg = f->style.background;
    bg.a = 0.8;
    orgfig_rgba edge = f->style.grid;
    double rad = 0.2 * fp;
    cairo_new_sub_path(cr);
    cairo_arc(cr, r.x + r.w - rad, r.y + rad, rad, -M_PI / 2, 0);
    cairo_arc(cr, r.x + r.w - rad, r.y + r.h - rad, rad, 0, M_PI / 2);
    cairo_arc(cr, r.x + rad, r.y + r.h - rad, rad, M_PI / 2, M_PI);
    cairo_arc(cr, r.x + rad, r.y + rad, rad, M_PI, 1.5 * M_PI);
    cairo_close_path(cr);
    orgfig_set_source(cr, bg);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, 0.8 * ORGFIG_PT * fp / (f->style.font_size * ORGFIG_PT));
    orgfig_set_source(cr, edge);
    cairo_stroke(cr);
    orgfig_text_font(cr, &f->style, fp);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    double fh = fe.ascent + fe.descent;
    double y = r.y + pad;
    for (size_t k = 0; k < al->nentries; k++) {
        const orgfig_legend_entry *e = &al->entries[k];
        orgfig_rect sw = {r.x + pad, y + fh * 0.15, 2.0 * fp, fh * 0.7};
        if (e->artist->cls->legend_swatch) {
            cairo_save(cr);
            e->artist->cls->legend_swatch(e->artist, e->index, cr, sw);
            cairo_restore(cr);
        }
        orgfig_set_source(cr, f->style.foreground);
        orgfig_text_draw(cr, e->label, r.x + pad + 2.6 * fp, y + fh / 2, 0, 1, 0);
        y += fh * 1.25;
    }
    cairo_restore(cr);
}

void
orgfig_axes_draw_colorbar(cairo_t *cr, const orgfig_figure *f, const orgfig_layout *L,
                          size_t i)
{
    const orgfig_axes_layout *al = &L->axes[i];
    if (!al->has_colorbar)
        return;
    orgfig_rect r = al->colorbar;
    cairo_save(cr);
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    if (cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE &&
        r.w > 0 && r.h > 0) {
        /* PNG: the 256 colours of the lookup table that heatmaps and
         * density plots are painted with, top = the end of the map, so the
         * bar shows exactly their colours and adds no others to the image
         * (a gradient added one per row, which kept such figures out of
         * the palette PNG path and compressed worse). */
        uint32_t lut[256], col[256];
        orgfig_cmap_lut(al->cb.cmap, lut);
        for (int k = 0; k < 256; k++)
            col[k] = lut[255 - k];
        cairo_surface_t *img = cairo_image_surface_create_for_data(
            (unsigned char *)col, CAIRO_FORMAT_ARGB32, 1, 256, (int)sizeof col[0]);
        cairo_save(cr);
        cairo_translate(cr, r.x, r.y);
        cairo_scale(cr, r.w, r.h / 256);
        cairo_set_source_surface(cr, img, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
        cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
        cairo_fill(cr);
        cairo_restore(cr); /* drops the source, the pattern's reference to IMG */
        cairo_surface_finish(img);
        cairo_surface_destroy(img);
    } else {
        /* Vector output: a gradient through 64 stops, smooth at any size. */
        cairo_pattern_t *p = cairo_pattern_create_linear(0, r.y + r.h, 0, r.y);
        for (int s = 0; s <= 64; s++) {
            orgfig_rgba c = orgfig_cmap_at(al->cb.cmap, s / 64.0);
            cairo_pattern_add_color_stop_rgba(p, s / 64.0, c.r, c.g, c.b, c.a);
        }
        cairo_set_source(cr, p);
        cairo_fill(cr);
        cairo_pattern_destroy(p);
    }
    double lw = 0.8 * ORGFIG_PT * L->font_px / (f->style.font_size * ORGFIG_PT);
    orgfig_set_source(cr, f->style.foreground);
    cairo_set_line_width(cr, lw);
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    cairo_stroke(cr);
    orgfig_rect edge = {r.x, r.y, r.w, r.h};
    tick_marks(cr, &al->cbaxis, &edge, 2, L->tick_len, lw, device_scale(cr));
    cairo_stroke(cr);
    cairo_restore(cr);
}
