/* png_presets.c - measure PNG encoding time and size for candidate presets on
 * realistic plot images, to choose orgfig_png_fast and orgfig_png_small.
 *
 * Build and run from the repository root:
 *   cc -std=c11 -D_GNU_SOURCE -O2 -g $(pkg-config --cflags cairo libpng) \
 *      -o /tmp/png_presets bench/png_presets.c \
 *      module/core/{alloc,error,buf,png}.c $(pkg-config --libs cairo libpng) -lm
 *   /tmp/png_presets [FILE.png ...]
 *
 * Each FILE.png (e.g. figures saved from orgfig with the bench's data, see
 * the comment at the presets in png.c) is measured too, after the
 * synthetic images.
 * The images: line1k and line5x1k are 800x600 axes (white, a frame with
 * ticks, tick labels, axis labels and a title drawn with cairo's toy text
 * API) with one or five one-pixel anti-aliased 1000-point random walks;
 * heat1000 is a 1000x1000 smooth field plus noise through a colour ramp;
 * heatfig is that field shown in an 800x600 figure with a colour bar, as
 * matplotlib's heatmap_1000 does.  PNG_PRESETS_DUMP=1 writes the line and
 * heatmap-figure images to /tmp for a look.  The results are recorded next
 * to the presets in module/core/png.c.
 * Each configuration is encoded several times; the best time is kept. */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "../module/core/png.h"

static uint64_t rng = 88172645463325252ull;

static double
urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* NLINES random walks of NPOINTS points each, in an axes with labels. */
static cairo_surface_t *
line_plot(int nlines, int npoints)
{
    int w = 800, h = 600;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    /* Axes frame and ticks. */
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, 80.5, 40.5, 680, 500);
    for (int i = 0; i <= 10; i++) {
        double x = 80.5 + 68 * i, y = 40.5 + 50 * i;
        cairo_move_to(cr, x, 540.5);
        cairo_line_to(cr, x, 545.5);
        cairo_move_to(cr, 75.5, y);
        cairo_line_to(cr, 80.5, y);
    }
    cairo_stroke(cr);
    /* Text: tick labels, axis labels and a title, drawn with cairo's toy
     * font API (anti-aliased glyphs, like real labels). */
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 11);
    char label[32];
    for (int i = 0; i <= 10; i++) {
        snprintf(label, sizeof label, "%.1f", 0.1 * i * (urand() + 1));
        cairo_move_to(cr, 70 + 68 * i, 560);
        cairo_show_text(cr, label);
        snprintf(label, sizeof label, "%d", (int)(urand() * 1000) - 500);
        cairo_move_to(cr, 40, 545 - 50 * i);
        cairo_show_text(cr, label);
    }
    cairo_set_font_size(cr, 13);
    cairo_move_to(cr, 380, 585);
    cairo_show_text(cr, "time [s]");
    cairo_move_to(cr, 330, 28);
    cairo_show_text(cr, "Five random walks, 1000 points");
    cairo_save(cr);
    cairo_move_to(cr, 22, 330);
    cairo_rotate(cr, -1.5707963267948966);
    cairo_show_text(cr, "position [m]");
    cairo_restore(cr);
    /* Five anti-aliased polylines. */
    double colors[5][3] = {{0.12, 0.47, 0.71},
                           {1, 0.5, 0.05},
                           {0.17, 0.63, 0.17},
                           {0.84, 0.15, 0.16},
                           {0.58, 0.4, 0.74}};
    for (int k = 0; k < nlines; k++) {
        cairo_set_source_rgb(cr, colors[k % 5][0], colors[k % 5][1], colors[k % 5][2]);
        /* One walk, scaled to fill its band of the axes as autoscaling
         * would. */
        double *walk = malloc(sizeof(double) * (size_t)npoints), lo = 0, hi = 0, v = 0;
        for (int i = 0; i < npoints; i++) {
            v += urand() - 0.5;
            walk[i] = v;
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        double band = 500.0 / nlines;
        for (int i = 0; i < npoints; i++) {
            double x = 80 + 680.0 * i / (npoints - 1);
            double y = 40 + band * (k + 1) - band * (walk[i] - lo) / (hi - lo + 1e-9);
            if (i == 0)
                cairo_move_to(cr, x, y);
            else
                cairo_line_to(cr, x, y);
        }
        free(walk);
        cairo_stroke(cr);
    }
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

static cairo_surface_t *
heatmap(void)
{
    int w = 1000, h = 1000;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            /* A smooth field plus noise, as in the peer benchmark's
             * heatmap (sin*cos + 0.25 N(0,1), scaled into 0..1). */
            double n = urand() + urand() + urand() - 1.5;
            double v = 0.5 + 0.2 * sin(x * 0.013) * cos(y * 0.021) + 0.1 * n;
            v = v < 0 ? 0 : v > 1 ? 1 : v;
            /* A viridis-like ramp. */
            uint32_t r = (uint32_t)(255 * (0.27 + 0.7 * v * v));
            uint32_t g = (uint32_t)(255 * (0.0 + 0.9 * v));
            uint32_t b = (uint32_t)(255 * (0.33 + 0.3 * sin(3.1 * v)));
            r = r > 255 ? 255 : r;
            b = b > 255 ? 255 : b;
            uint32_t *p = (uint32_t *)(d + (size_t)y * (size_t)stride) + x;
            *p = 0xff000000u | r << 16 | g << 8 | b;
        }
    cairo_surface_mark_dirty(s);
    return s;
}

/* The heatmap as matplotlib draws it in an 800x600 figure: the 1000x1000
 * field downsampled (box average) into a 462x462 axes, and a colour bar. */
static cairo_surface_t *
heatmap_figure(cairo_surface_t *field)
{
    int w = 800, h = 600, side = 462, x0 = 100, y0 = 69;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_save(cr);
    cairo_rectangle(cr, x0, y0, side, side);
    cairo_clip(cr);
    cairo_translate(cr, x0, y0);
    cairo_scale(cr, side / 1000.0, side / 1000.0);
    cairo_set_source_surface(cr, field, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
    for (int i = 0; i < side; i++) {
        double v = 1.0 - (double)i / side;
        cairo_set_source_rgb(cr, 0.27 + 0.7 * v * v, 0.9 * v, 0.33 + 0.3 * sin(3.1 * v));
        cairo_rectangle(cr, 600, y0 + i, 23, 1);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_rectangle(cr, x0 - 0.5, y0 - 0.5, side + 1, side + 1);
    cairo_rectangle(cr, 599.5, y0 - 0.5, 24, side + 1);
    cairo_stroke(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 11);
    char label[16];
    for (int i = 0; i <= 5; i++) {
        snprintf(label, sizeof label, "%d", 200 * i);
        cairo_move_to(cr, x0 + side * i / 5.0 - 8, y0 + side + 16);
        cairo_show_text(cr, label);
        cairo_move_to(cr, x0 - 30, y0 + side * i / 5.0 + 4);
        cairo_show_text(cr, label);
    }
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
measure(const char *image, cairo_surface_t *s, const char *label, orgfig_png_opts o,
        int reps)
{
    double best = 1e30;
    size_t len = 0;
    for (int r = 0; r < reps; r++) {
        orgfig_buf out = ORGFIG_BUF_INIT(NULL);
        orgfig_err err = ORGFIG_ERR_INIT;
        double t0 = now_ms();
        if (orgfig_png_encode(
                cairo_image_surface_get_data(s), cairo_image_surface_get_width(s),
                cairo_image_surface_get_height(s), cairo_image_surface_get_stride(s), &o,
                &out, &err) != ORGFIG_OK) {
            fprintf(stderr, "encode failed: %s\n", err.msg);
            exit(1);
        }
        double t = now_ms() - t0;
        if (t < best)
            best = t;
        len = out.len;
        orgfig_buf_free(&out);
    }
    printf("%-18s %-28s %8.2f ms %10zu bytes\n", image, label, best, len);
}

int
main(int argc, char **argv)
{
    cairo_surface_t *l1 = line_plot(1, 1000), *lp = line_plot(5, 1000), *hm = heatmap(),
                    *hf = heatmap_figure(hm);
    struct {
        const char *label;
        orgfig_png_opts o;
    } cand[] = {
        {"FAST preset", orgfig_png_fast},
        {"SMALL preset", orgfig_png_small},
        {"l1 auto", {1, ORGFIG_PNG_FILTER_AUTO, Z_DEFAULT_STRATEGY}},
        {"l3 auto", {3, ORGFIG_PNG_FILTER_AUTO, Z_DEFAULT_STRATEGY}},
        {"l6 auto", {6, ORGFIG_PNG_FILTER_AUTO, Z_DEFAULT_STRATEGY}},
        {"l9 none default", {9, ORGFIG_PNG_FILTER_NONE, Z_DEFAULT_STRATEGY}},
        {"l0 none (overhead)", {0, ORGFIG_PNG_FILTER_NONE, Z_DEFAULT_STRATEGY}},
        {"l1 none rle", {1, ORGFIG_PNG_FILTER_NONE, Z_RLE}},
        {"l1 up rle", {1, ORGFIG_PNG_FILTER_UP, Z_RLE}},
        {"l2 up rle", {2, ORGFIG_PNG_FILTER_UP, Z_RLE}},
        {"l1 up default", {1, ORGFIG_PNG_FILTER_UP, Z_DEFAULT_STRATEGY}},
        {"l2 up default", {2, ORGFIG_PNG_FILTER_UP, Z_DEFAULT_STRATEGY}},
        {"l3 up default", {3, ORGFIG_PNG_FILTER_UP, Z_DEFAULT_STRATEGY}},
        {"l1 none default", {1, ORGFIG_PNG_FILTER_NONE, Z_DEFAULT_STRATEGY}},
        {"l1 adaptive default", {1, ORGFIG_PNG_FILTER_ADAPTIVE, Z_DEFAULT_STRATEGY}},
        {"l6 adaptive default", {6, ORGFIG_PNG_FILTER_ADAPTIVE, Z_DEFAULT_STRATEGY}},
        {"l9 adaptive default", {9, ORGFIG_PNG_FILTER_ADAPTIVE, Z_DEFAULT_STRATEGY}},
        {"l6 up default", {6, ORGFIG_PNG_FILTER_UP, Z_DEFAULT_STRATEGY}},
        {"l9 up default", {9, ORGFIG_PNG_FILTER_UP, Z_DEFAULT_STRATEGY}},
        {"l9 adaptive filtered", {9, ORGFIG_PNG_FILTER_ADAPTIVE, Z_FILTERED}},
    };
    for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
        measure("line1k", l1, cand[i].label, cand[i].o, 15);
    for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
        measure("line5x1k", lp, cand[i].label, cand[i].o, 15);
    for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
        measure("heat1000", hm, cand[i].label, cand[i].o, 3);
    for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
        measure("heatfig", hf, cand[i].label, cand[i].o, 5);
    for (int a = 1; a < argc; a++) {
        cairo_surface_t *f = cairo_image_surface_create_from_png(argv[a]);
        if (cairo_surface_status(f) != CAIRO_STATUS_SUCCESS) {
            fprintf(stderr, "%s: cannot read\n", argv[a]);
            return 1;
        }
        const char *base = strrchr(argv[a], '/');
        for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
            measure(base ? base + 1 : argv[a], f, cand[i].label, cand[i].o, 5);
        cairo_surface_destroy(f);
    }
    if (getenv("PNG_PRESETS_DUMP")) {
        cairo_surface_write_to_png(l1, "/tmp/png_presets_line1k.png");
        cairo_surface_write_to_png(lp, "/tmp/png_presets_line.png");
        cairo_surface_write_to_png(hf, "/tmp/png_presets_heatfig.png");
    }
    cairo_surface_destroy(l1);
    cairo_surface_destroy(lp);
    cairo_surface_destroy(hm);
    cairo_surface_destroy(hf);
    return 0;
}
