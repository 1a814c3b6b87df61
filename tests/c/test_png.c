/* test_png.c - PNG encoding: decode what we wrote with libpng's reader and
 * compare pixels with the cairo source; bad input; failure paths. */
#include <cairo.h>
#include <png.h>
#include <zlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../module/core/alloc.h"
#include "../../module/core/buf.h"
#include "../../module/core/png.h"
#include "harness.h"

/* An opaque test picture: white, a blue frame, an anti-aliased red
 * diagonal and a solid green square. */
static cairo_surface_t *
draw_opaque(int w, int h)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 1);
    cairo_rectangle(cr, 2.5, 2.5, w - 5, h - 5);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 1, 0, 0);
    cairo_move_to(cr, 0, 0);
    cairo_line_to(cr, w, h * 0.7);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0.5, 0);
    cairo_rectangle(cr, 10, 10, 8, 8);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

/* A translucent picture: transparent background, half-transparent
 * colours and an anti-aliased circle edge. */
static cairo_surface_t *
draw_translucent(int w, int h)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgba(cr, 0.2, 0.4, 0.8, 0.5);
    cairo_rectangle(cr, 0, 0, w / 2, h);
    cairo_fill(cr);
    cairo_set_source_rgba(cr, 1, 0.5, 0, 0.3);
    cairo_arc(cr, w * 0.6, h * 0.5, h * 0.3, 0, 6.283185307179586);
    cairo_fill(cr);
    cairo_set_source_rgba(cr, 0, 0, 0, 1);
    cairo_rectangle(cr, w - 5, 0, 5, 5);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

static uint32_t
pixel_at(cairo_surface_t *s, int x, int y)
{
    const unsigned char *d = cairo_image_surface_get_data(s);
    uint32_t p;
    memcpy(&p, d + (size_t)y * (size_t)cairo_image_surface_get_stride(s) + 4 * (size_t)x,
           4);
    return p;
}

static void
set_pixel(cairo_surface_t *s, int x, int y, uint32_t p)
{
    unsigned char *d = cairo_image_surface_get_data(s);
    memcpy(d + (size_t)y * (size_t)cairo_image_surface_get_stride(s) + 4 * (size_t)x, &p,
           4);
}

/* Paint a block of distinct opaque colours (one per pixel) into rows
 * Y0..Y0+H-1, columns X0..X0+W-1 (both below 4096), so the image has
 * more than 256 colours and cannot be written with a palette. */
static void
add_many_colors(cairo_surface_t *s, int x0, int y0, int w, int h)
{
    cairo_surface_flush(s);
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++)
            set_pixel(s, x, y,
                      0xff000000u | (uint32_t)(x & 0xff) << 16 |
                          (uint32_t)(y & 0xff) << 8 |
                          (uint32_t)((x >> 8) << 4 | (y >> 8)));
    cairo_surface_mark_dirty(s);
}

/* The I-th of 256 distinct opaque colours (the green byte is I). */
static uint32_t
test_color(int i)
{
    return 0xff000000u | (uint32_t)((i * 97 + 13) & 0xff) << 16 | (uint32_t)i << 8 |
           (uint32_t)(255 - i);
}

/* A W x H opaque image using exactly N colours (N <= 256) in a pattern
 * that puts every colour in several rows and columns. */
static cairo_surface_t *
draw_n_colors(int w, int h, int n)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_surface_flush(s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            set_pixel(s, x, y, test_color((x * 7 + y * 3 + (x / 5) * (y / 3)) % n));
    /* Make sure every colour is present. */
    for (int i = 0; i < n; i++)
        set_pixel(s, i % w, (i / w) % h, test_color(i));
    cairo_surface_mark_dirty(s);
    return s;
}

/* Straight (un-premultiplied) value of premultiplied channel C under alpha
 * A, computed here independently of png.c: nearest integer to C*255/A. */
static int
straight(int c, int a)
{
    if (a == 0)
        return 0;
    double v = c * 255.0 / a;
    int r = (int)(v + 0.5);
    return r > 255 ? 255 : r;
}

static orgfig_status
encode_surface(cairo_surface_t *s, const orgfig_png_opts *opts, orgfig_buf *out,
               orgfig_err *err)
{
    return orgfig_png_encode(cairo_image_surface_get_data(s),
                             cairo_image_surface_get_width(s),
                             cairo_image_surface_get_height(s),
                             cairo_image_surface_get_stride(s), opts, out, err);
}

/* Decode PNG bytes into straight 8-bit pixels of FORMAT; the caller frees
 * *PIXELS with free(). */
static bool
decode(const unsigned char *data, size_t len, png_image *img, uint32_t format,
       unsigned char **pixels)
{
    memset(img, 0, sizeof *img);
    img->version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(img, data, len))
        return false;
    uint32_t file_format = img->format;
    img->format = format;
    *pixels = malloc(PNG_IMAGE_SIZE(*img));
    if (*pixels == NULL || !png_image_finish_read(img, NULL, *pixels, 0, NULL)) {
        free(*pixels);
        png_image_free(img);
        return false;
    }
    img->format = file_format;
    return true;
}

TEST(png_opaque_is_rgb_and_exact)
{
    const orgfig_png_opts *presets[] = {&orgfig_png_fast, &orgfig_png_small, NULL};
    cairo_surface_t *s = draw_opaque(97, 61);
    add_many_colors(s, 30, 40, 67, 20);
    for (int k = 0; k < 3; k++) {
        orgfig_meter m = {0};
        orgfig_err err = ORGFIG_ERR_INIT;
        orgfig_buf out = ORGFIG_BUF_INIT(&m);
        REQUIRE(encode_surface(s, presets[k], &out, &err) == ORGFIG_OK);
        CHECK(out.len > 8 && memcmp(out.data, "\x89PNG\r\n\x1a\n", 8) == 0);
        /* The colour type byte of IHDR: 2 = RGB. */
        CHECK(out.len > 25 && out.data[25] == 2);
        png_image img;
        unsigned char *px = NULL;
        REQUIRE(decode(out.data, out.len, &img, PNG_FORMAT_RGB, &px));
        CHECK(img.width == 97 && img.height == 61);
        CHECK(!(img.format & PNG_FORMAT_FLAG_ALPHA));
        CHECK(img.format & PNG_FORMAT_FLAG_COLOR);
        int bad = 0;
        for (int y = 0; y < 61; y++)
            for (int x = 0; x < 97; x++) {
                uint32_t p = pixel_at(s, x, y);
                const unsigned char *q = px + 3 * ((size_t)y * 97 + (size_t)x);
                if (q[0] != ((p >> 16) & 0xff) || q[1] != ((p >> 8) & 0xff) ||
                    q[2] != (p & 0xff))
                    bad++;
            }
        CHECK(bad == 0);
        /* Probes with known colours. */
        CHECK(px[0] != 255 || px[1] != 255); /* the red line starts at 0,0 */
        const unsigned char *white = px + 3 * (30 * 97 + 80);
        CHECK(white[0] == 255 && white[1] == 255 && white[2] == 255);
        const unsigned char *green = px + 3 * (12 * 97 + 12);
        CHECK(green[0] == 0 && green[1] == 128 && green[2] == 0);
        free(px);
        orgfig_buf_free(&out);
        CHECK(m.bytes == 0);
    }
    cairo_surface_destroy(s);
}

TEST(png_translucent_is_rgba_unpremultiplied)
{
    cairo_surface_t *s = draw_translucent(64, 40);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    REQUIRE(encode_surface(s, &orgfig_png_small, &out, &err) == ORGFIG_OK);
    CHECK(out.len > 25 && out.data[25] == 6); /* RGBA */
    png_image img;
    unsigned char *px = NULL;
    REQUIRE(decode(out.data, out.len, &img, PNG_FORMAT_RGBA, &px));
    CHECK(img.width == 64 && img.height == 40);
    CHECK(img.format & PNG_FORMAT_FLAG_ALPHA);
    int bad = 0, partial = 0;
    for (int y = 0; y < 40; y++)
        for (int x = 0; x < 64; x++) {
            uint32_t p = pixel_at(s, x, y);
            int a = (int)(p >> 24);
            const unsigned char *q = px + 4 * ((size_t)y * 64 + (size_t)x);
            if (a > 0 && a < 255)
                partial++;
            if (q[3] != a || q[0] != straight((int)(p >> 16) & 0xff, a) ||
                q[1] != straight((int)(p >> 8) & 0xff, a) ||
                q[2] != straight((int)p & 0xff, a))
                bad++;
        }
    CHECK(bad == 0);
    CHECK(partial > 100);
    /* Probes: the half-transparent blue rectangle keeps its straight colour
     * (0.2, 0.4, 0.8 at alpha 0.5) within rounding; a transparent pixel is
     * 0,0,0,0; the opaque black corner is exact. */
    const unsigned char *q = px + 4 * (5 * 64 + 3);
    CHECK(q[3] == 128);
    CHECK(abs(q[0] - 51) <= 1 && abs(q[1] - 102) <= 1 && abs(q[2] - 204) <= 1);
    q = px + 4 * (39 * 64 + 60);
    CHECK(q[0] == 0 && q[1] == 0 && q[2] == 0 && q[3] == 0);
    q = px + 4 * (1 * 64 + 62);
    CHECK(q[0] == 0 && q[1] == 0 && q[2] == 0 && q[3] == 255);
    free(px);
    orgfig_buf_free(&out);
    cairo_surface_destroy(s);
}

TEST(png_appends_to_existing_bytes)
{
    cairo_surface_t *s = draw_opaque(20, 20);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    REQUIRE(orgfig_buf_append(&out, "xyz", 3, &err) == ORGFIG_OK);
    REQUIRE(encode_surface(s, NULL, &out, &err) == ORGFIG_OK);
    CHECK(memcmp(out.data, "xyz\x89PNG", 7) == 0);
    orgfig_buf_free(&out);
    cairo_surface_destroy(s);
}

TEST(png_rejects_bad_sizes_and_stride)
{
    unsigned char px[64] = {0};
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    struct {
        int w, h, stride;
    } bad[] = {{0, 1, 4},     {1, 0, 4},  {-1, 1, 4}, {32768, 1, 131072},
               {1, 32768, 4}, {4, 1, 15}, {2, 2, -8}, {1, 1, 0}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        orgfig_err err = ORGFIG_ERR_INIT;
        CHECK(orgfig_png_encode(px, bad[i].w, bad[i].h, bad[i].stride, NULL, &out,
                                &err) == ORGFIG_E_INVALID);
        CHECK(err.status == ORGFIG_E_INVALID && err.msg[0] != '\0');
        CHECK(out.len == 0);
    }
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_png_opts o = {12, ORGFIG_PNG_FILTER_UP, 0};
    CHECK(orgfig_png_encode(px, 2, 2, 8, &o, &out, &err) == ORGFIG_E_INVALID);
    orgfig_buf_free(&out);
}

TEST(png_fault_injection_every_allocation)
{
    cairo_surface_t *s = draw_translucent(50, 30);
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    orgfig_err err0 = ORGFIG_ERR_INIT;
    REQUIRE(orgfig_buf_append(&out, "keep", 4, &err0) == ORGFIG_OK);
    bool done = false;
    int failures = 0;
    for (uint64_t n = 1; n < 500 && !done; n++) {
        orgfig_err err = ORGFIG_ERR_INIT;
        size_t held = orgfig_memory_stats().bytes - orgfig_alloc_size(out.data);
        orgfig_alloc_fail_at(n);
        orgfig_status st = encode_surface(s, &orgfig_png_small, &out, &err);
        bool injected = !orgfig_alloc_fail_pending();
        orgfig_alloc_fail_at(0);
        CHECK(orgfig_memory_stats().bytes - orgfig_alloc_size(out.data) == held);
        if (st == ORGFIG_OK) {
            CHECK(!injected);
            CHECK(out.len > 4 && memcmp(out.data, "keep\x89PNG", 8) == 0);
            done = true;
        } else {
            failures++;
            CHECK(st == ORGFIG_E_NOMEM);
            CHECK(err.status == ORGFIG_E_NOMEM && strstr(err.msg, "injected"));
            CHECK(out.len == 4 && memcmp(out.data, "keep", 4) == 0);
        }
    }
    CHECK(done);
    CHECK(failures >= 3); /* row buffer, libpng structs, zlib state at least */
    orgfig_buf_free(&out);
    cairo_surface_destroy(s);
}

TEST(png_memory_limit)
{
    cairo_surface_t *s = draw_opaque(300, 200);
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    size_t held = orgfig_memory_stats().bytes;
    /* Too little for libpng's state: fails early. */
    orgfig_memory_set_limit(held + 2000);
    orgfig_err err = ORGFIG_ERR_INIT;
    CHECK(encode_surface(s, NULL, &out, &err) == ORGFIG_E_LIMIT);
    CHECK(err.status == ORGFIG_E_LIMIT);
    CHECK(out.len == 0);
    CHECK(orgfig_memory_stats().bytes - orgfig_alloc_size(out.data) == held);
    /* Enough for libpng's state (well under 1 MiB) but not for growing a
     * full 1 MiB output buffer: fails in the write callback, and the
     * bytes already in OUT stay as they were. */
    orgfig_memory_set_limit(0);
    orgfig_err_clear(&err);
    static unsigned char mib[1 << 20];
    memset(mib, 'x', sizeof mib);
    REQUIRE(orgfig_buf_append(&out, mib, sizeof mib, &err) == ORGFIG_OK);
    REQUIRE(out.cap == out.len);
    size_t held_full = orgfig_memory_stats().bytes;
    orgfig_memory_set_limit(held_full + (1 << 20) - 1);
    CHECK(encode_surface(s, &orgfig_png_small, &out, &err) == ORGFIG_E_LIMIT);
    CHECK(strstr(err.msg, "output bytes") != NULL);
    CHECK(out.len == sizeof mib && out.data[out.len - 1] == 'x');
    CHECK(orgfig_memory_stats().bytes == held_full);
    orgfig_memory_set_limit(0);
    orgfig_buf_free(&out);
    CHECK(orgfig_memory_stats().bytes == held);
    cairo_surface_destroy(s);
}

/* Find the chunk TYPE in the PNG at DATA; return its data length, or -1. */
static long
chunk_len(const unsigned char *data, size_t len, const char *type)
{
    size_t at = 8;
    while (at + 12 <= len) {
        unsigned long n = (unsigned long)data[at] << 24 |
                          (unsigned long)data[at + 1] << 16 |
                          (unsigned long)data[at + 2] << 8 | data[at + 3];
        if (memcmp(data + at + 4, type, 4) == 0)
            return (long)n;
        at += 12 + n;
    }
    return -1;
}

/* Decode OUT into RGB and count the pixels that differ from S. */
static int
rgb_mismatches(cairo_surface_t *s, const orgfig_buf *out)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    png_image img;
    unsigned char *px = NULL;
    if (!decode(out->data, out->len, &img, PNG_FORMAT_RGB, &px))
        return -1;
    int bad = 0;
    if ((int)img.width != w || (int)img.height != h)
        bad = w * h;
    for (int y = 0; y < h && bad == 0; y++)
        for (int x = 0; x < w; x++) {
            uint32_t p = pixel_at(s, x, y);
            const unsigned char *q = px + 3 * ((size_t)y * (size_t)w + (size_t)x);
            if (q[0] != ((p >> 16) & 0xff) || q[1] != ((p >> 8) & 0xff) ||
                q[2] != (p & 0xff))
                bad++;
        }
    free(px);
    return bad;
}

TEST(png_palette_round_trips_exactly_at_the_smallest_depth)
{
    /* Colour count -> expected bit depth, chosen from the PNG rules (1 bit
     * holds 2 indices, 2 bits 4, 4 bits 16, 8 bits 256).  Odd widths
     * exercise the partial last byte of packed rows. */
    struct {
        int n, depth;
    } cases[] = {{1, 1},  {2, 1},  {3, 2},   {4, 2},  {5, 4},
                 {16, 4}, {17, 8}, {200, 8}, {256, 8}};
    const orgfig_png_opts *presets[] = {&orgfig_png_fast, &orgfig_png_small, NULL};
    int widths[] = {37, 8, 1};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (int wi = 0; wi < 3; wi++) {
            int w = widths[wi], h = cases[c].n > 16 ? 29 : 11;
            if (w * h < cases[c].n)
                h = cases[c].n / w + 1;
            cairo_surface_t *s = draw_n_colors(w, h, cases[c].n);
            for (int k = 0; k < 3; k++) {
                orgfig_meter m = {0};
                orgfig_err err = ORGFIG_ERR_INIT;
                orgfig_buf out = ORGFIG_BUF_INIT(&m);
                REQUIRE(encode_surface(s, presets[k], &out, &err) == ORGFIG_OK);
                REQUIRE(out.len > 33);
                CHECK(out.data[25] == 3); /* indexed colour */
                CHECK(out.data[24] == cases[c].depth);
                CHECK(chunk_len(out.data, out.len, "PLTE") == 3 * cases[c].n);
                CHECK(rgb_mismatches(s, &out) == 0);
                orgfig_buf_free(&out);
                CHECK(m.bytes == 0);
            }
            cairo_surface_destroy(s);
        }
}

TEST(png_257_colors_fall_back_to_rgb)
{
    /* 256 colours, then a 257th in the very last pixel: the count must
     * not stop early, and the result is RGB, still exact. */
    cairo_surface_t *s = draw_n_colors(40, 30, 256);
    cairo_surface_flush(s);
    set_pixel(s, 39, 29, 0xff123456u);
    cairo_surface_mark_dirty(s);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    REQUIRE(encode_surface(s, NULL, &out, &err) == ORGFIG_OK);
    CHECK(out.len > 25 && out.data[25] == 2 && out.data[24] == 8);
    CHECK(chunk_len(out.data, out.len, "PLTE") == -1);
    CHECK(rgb_mismatches(s, &out) == 0);
    orgfig_buf_free(&out);
    /* The same image with the 257th colour replaced by one of the 256 is
     * indexed again. */
    cairo_surface_flush(s);
    set_pixel(s, 39, 29, test_color(5));
    cairo_surface_mark_dirty(s);
    REQUIRE(encode_surface(s, NULL, &out, &err) == ORGFIG_OK);
    CHECK(out.len > 25 && out.data[25] == 3 && out.data[24] == 8);
    CHECK(rgb_mismatches(s, &out) == 0);
    orgfig_buf_free(&out);
    cairo_surface_destroy(s);
}

TEST(png_few_translucent_colors_stay_rgba)
{
    /* Two colours, one of them half transparent: no palette (the palette
     * path is for opaque images only), RGBA as before. */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 16, 8);
    cairo_surface_flush(s);
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 16; x++)
            set_pixel(s, x, y, x < 8 ? 0xff0000ffu : 0x80400000u);
    cairo_surface_mark_dirty(s);
    const orgfig_png_opts *presets[] = {&orgfig_png_fast, &orgfig_png_small};
    for (int k = 0; k < 2; k++) {
        orgfig_err err = ORGFIG_ERR_INIT;
        orgfig_buf out = ORGFIG_BUF_INIT(NULL);
        REQUIRE(encode_surface(s, presets[k], &out, &err) == ORGFIG_OK);
        CHECK(out.len > 25 && out.data[25] == 6 && out.data[24] == 8);
        png_image img;
        unsigned char *px = NULL;
        REQUIRE(decode(out.data, out.len, &img, PNG_FORMAT_RGBA, &px));
        /* 0x80400000: alpha 128, premultiplied red 64 -> straight 128. */
        CHECK(px[0] == 0 && px[1] == 0 && px[2] == 255 && px[3] == 255);
        CHECK(px[4 * 9] == 128 && px[4 * 9 + 1] == 0 && px[4 * 9 + 3] == 128);
        free(px);
        orgfig_buf_free(&out);
    }
    cairo_surface_destroy(s);
}

/* Fail every allocation of encoding S with OPTS in turn: each failure must
 * report ORGFIG_E_NOMEM, leave OUT's earlier bytes alone and free
 * everything; return the number of failures before a success. */
static int
fault_every_allocation(cairo_surface_t *s, const orgfig_png_opts *opts)
{
    orgfig_buf out = ORGFIG_BUF_INIT(NULL);
    orgfig_err err0 = ORGFIG_ERR_INIT;
    if (orgfig_buf_append(&out, "keep", 4, &err0) != ORGFIG_OK)
        return -1;
    bool done = false;
    int failures = 0;
    for (uint64_t n = 1; n < 1000 && !done; n++) {
        orgfig_err err = ORGFIG_ERR_INIT;
        size_t held = orgfig_memory_stats().bytes - orgfig_alloc_size(out.data);
        orgfig_alloc_fail_at(n);
        orgfig_status st = encode_surface(s, opts, &out, &err);
        bool injected = !orgfig_alloc_fail_pending();
        orgfig_alloc_fail_at(0);
        CHECK(orgfig_memory_stats().bytes - orgfig_alloc_size(out.data) == held);
        if (st == ORGFIG_OK) {
            CHECK(!injected);
            CHECK(out.len > 4 && memcmp(out.data, "keep\x89PNG", 8) == 0);
            done = true;
        } else {
            failures++;
            CHECK(st == ORGFIG_E_NOMEM);
            CHECK(err.status == ORGFIG_E_NOMEM && strstr(err.msg, "injected"));
            CHECK(out.len == 4 && memcmp(out.data, "keep", 4) == 0);
        }
    }
    CHECK(done);
    orgfig_buf_free(&out);
    return failures;
}

TEST(png_fault_injection_palette_and_filter_trial)
{
    /* An indexed image and a many-colour RGB image, each with both
     * presets: the colour table, the two trial encodings (libpng and zlib
     * state each), the row buffer and the final encoding all allocate. */
    cairo_surface_t *pal = draw_n_colors(50, 30, 12);
    cairo_surface_t *rgb = draw_opaque(50, 30);
    add_many_colors(rgb, 0, 0, 50, 10);
    const orgfig_png_opts *presets[] = {&orgfig_png_fast, &orgfig_png_small};
    for (int k = 0; k < 2; k++) {
        /* 1 colour table + 3 encodings x (row, png struct, info, zlib)
         * at least. */
        CHECK(fault_every_allocation(pal, presets[k]) >= 10);
        CHECK(fault_every_allocation(rgb, presets[k]) >= 10);
    }
    cairo_surface_destroy(pal);
    cairo_surface_destroy(rgb);
}

static uint64_t test_rng = 0x9e3779b97f4a7c15ull;

static double
test_urand(void)
{
    return test_xorshift(&test_rng);
}

/* A white 640x480 image framed in black at X, Y (W x H), as plots are;
 * returns a context on it for the caller to go on drawing (*S gets the
 * surface). */
static cairo_t *
framed_canvas(cairo_surface_t **s, double x, double y, double w, double h)
{
    *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 640, 480);
    cairo_t *cr = cairo_create(*s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, x, y, w, h);
    cairo_stroke(cr);
    return cr;
}

/* A 640x480 figure: white, axes frame, tick labels and an anti-aliased
 * random walk of 1000 points. */
static cairo_surface_t *
draw_line_plot(void)
{
    cairo_surface_t *s;
    cairo_t *cr = framed_canvas(&s, 60.5, 30.5, 560, 400);
    cairo_set_font_size(cr, 11);
    for (int i = 0; i <= 8; i++) {
        char label[16];
        snprintf(label, sizeof label, "%d", i * 125);
        cairo_move_to(cr, 55 + 70 * i, 448);
        cairo_show_text(cr, label);
    }
    cairo_set_source_rgb(cr, 0.12, 0.47, 0.71);
    double v = 0;
    for (int i = 0; i < 1000; i++) {
        v += test_urand() - 0.5;
        double x = 60 + 560.0 * i / 999, y = 230 - 8 * v;
        if (i == 0)
            cairo_move_to(cr, x, y);
        else
            cairo_line_to(cr, x, y);
    }
    cairo_stroke(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

/* A 640x480 figure showing a noisy 400x400 field through a colour ramp,
 * like a heatmap of noisy data. */
static cairo_surface_t *
draw_noisy_heatmap(void)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 640, 480);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 400; x++) {
            double n = test_urand() + test_urand() + test_urand() - 1.5;
            double f = 0.5 + 0.2 * sin(x * 0.03) * cos(y * 0.05) + 0.1 * n;
            f = f < 0 ? 0 : f > 1 ? 1 : f;
            uint32_t i = (uint32_t)(f * 255);
            set_pixel(s, 60 + x, 40 + y,
                      0xff000000u | (70 + i * 185 / 255) << 16 | (i * 230 / 255) << 8 |
                          (84 + (i * 73 / 255)));
        }
    cairo_surface_mark_dirty(s);
    return s;
}

TEST(png_small_preset_is_never_larger_than_fast)
{
    cairo_surface_t *imgs[] = {draw_line_plot(), draw_noisy_heatmap(),
                               draw_n_colors(300, 200, 40)};
    for (int i = 0; i < 3; i++) {
        orgfig_err err = ORGFIG_ERR_INIT;
        orgfig_buf fast = ORGFIG_BUF_INIT(NULL), small = ORGFIG_BUF_INIT(NULL);
        REQUIRE(encode_surface(imgs[i], &orgfig_png_fast, &fast, &err) == ORGFIG_OK);
        REQUIRE(encode_surface(imgs[i], &orgfig_png_small, &small, &err) == ORGFIG_OK);
        CHECK(small.len <= fast.len);
        CHECK(rgb_mismatches(imgs[i], &fast) == 0);
        CHECK(rgb_mismatches(imgs[i], &small) == 0);
        orgfig_buf_free(&fast);
        orgfig_buf_free(&small);
        cairo_surface_destroy(imgs[i]);
    }
}

/* A 640x480 dot plot with few colours: white, a black frame, a solid disc
 * and 3000 identical anti-aliased 3x3 dots (blue, lighter corners and
 * edges) at pseudo-random pixels: what a dense scatter plot with snapped
 * markers is. */
static cairo_surface_t *
draw_dot_plot(void)
{
    cairo_surface_t *s;
    cairo_t *cr = framed_canvas(&s, 40.5, 20.5, 580, 420);
    cairo_set_source_rgb(cr, 31 / 255.0, 119 / 255.0, 180 / 255.0);
    cairo_arc(cr, 330, 230, 120, 0, 2 * M_PI);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    static const uint32_t dot[3] = {0xffbfd6e9u, 0xff7aaed3u, 0xff1f77b4u};
    for (int i = 0; i < 3000; i++) {
        int cx = 45 + (int)(test_urand() * 568), cy = 25 + (int)(test_urand() * 408);
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
                set_pixel(s, cx + dx, cy + dy, dot[2 - abs(dx) - abs(dy)]);
    }
    cairo_surface_mark_dirty(s);
    return s;
}

TEST(png_auto_takes_rle_for_palette_plots)
{
    /* On a few-colour plot (runs of white and blue between identical dots)
     * the fast preset's trial picks NONE + Z_RLE, which is no larger than
     * zlib's default strategy at level 1 (on the bench's scatter and line
     * plots it is 15-25% smaller); both presets stay exact, and the small
     * one is no larger. */
    cairo_surface_t *s = draw_dot_plot();
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_buf fast = ORGFIG_BUF_INIT(NULL), small = ORGFIG_BUF_INIT(NULL),
               l1 = ORGFIG_BUF_INIT(NULL);
    const orgfig_png_opts plain = {1, ORGFIG_PNG_FILTER_NONE, Z_DEFAULT_STRATEGY};
    REQUIRE(encode_surface(s, &orgfig_png_fast, &fast, &err) == ORGFIG_OK);
    REQUIRE(encode_surface(s, &orgfig_png_small, &small, &err) == ORGFIG_OK);
    REQUIRE(encode_surface(s, &plain, &l1, &err) == ORGFIG_OK);
    const orgfig_png_opts rle = {1, ORGFIG_PNG_FILTER_NONE, Z_RLE};
    orgfig_buf r = ORGFIG_BUF_INIT(NULL);
    REQUIRE(encode_surface(s, &rle, &r, &err) == ORGFIG_OK);
    if (getenv("ORGFIG_TEST_VERBOSE"))
        fprintf(stderr, "  fast %zu small %zu level 1 %zu rle %zu\n", fast.len, small.len,
                l1.len, r.len);
    /* The trial chose NONE + Z_RLE: byte for byte what asking for it gives. */
    CHECK(fast.len == r.len && memcmp(fast.data, r.data, r.len) == 0);
    CHECK(fast.data[25] == 3 && l1.data[25] == 3); /* indexed colour */
    CHECK(fast.len <= l1.len);
    CHECK(small.len <= fast.len);
    orgfig_buf_free(&r);
    CHECK(rgb_mismatches(s, &fast) == 0);
    CHECK(rgb_mismatches(s, &small) == 0);
    CHECK(rgb_mismatches(s, &l1) == 0);
    orgfig_buf_free(&fast);
    orgfig_buf_free(&small);
    orgfig_buf_free(&l1);
    cairo_surface_destroy(s);
}

TEST(png_tiny_images_round_trip)
{
    /* One row, one column, one pixel: the trial's sample is the whole
     * image and libpng drops UP on one-row images; all must still be
     * exact, palette or RGB. */
    int sizes[][2] = {{1, 1}, {5, 1}, {1, 7}, {300, 1}, {1, 300}, {2, 2}};
    const orgfig_png_opts *presets[] = {&orgfig_png_fast, &orgfig_png_small};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (int many = 0; many < 2; many++) {
            int w = sizes[i][0], h = sizes[i][1];
            cairo_surface_t *s = draw_n_colors(w, h, w * h < 3 ? w * h : 3);
            if (many)
                add_many_colors(s, 0, 0, w, h);
            for (int k = 0; k < 2; k++) {
                orgfig_err err = ORGFIG_ERR_INIT;
                orgfig_buf out = ORGFIG_BUF_INIT(NULL);
                REQUIRE(encode_surface(s, presets[k], &out, &err) == ORGFIG_OK);
                CHECK(out.len > 25 && out.data[25] == (many && w * h > 256 ? 2 : 3));
                CHECK(rgb_mismatches(s, &out) == 0);
                orgfig_buf_free(&out);
            }
            cairo_surface_destroy(s);
        }
}

/* The number of chunks of TYPE in the PNG at DATA. */
static int
chunk_count(const unsigned char *data, size_t len, const char *type)
{
    size_t at = 8;
    int n = 0;
    while (at + 12 <= len) {
        unsigned long k = (unsigned long)data[at] << 24 |
                          (unsigned long)data[at + 1] << 16 |
                          (unsigned long)data[at + 2] << 8 | data[at + 3];
        n += memcmp(data + at + 4, type, 4) == 0;
        at += 12 + k;
    }
    return n;
}

TEST(png_threads_bands_decode_to_the_same_pixels)
{
    /* Large images are deflated in bands on several threads (png.c,
     * "Parallel deflate"): an RGB line plot, a noisy heatmap (RGB), an
     * indexed image and a translucent (RGBA) one, with both presets, in
     * 1, 2, 3 and 8 bands, must decode (libpng checks the zlib stream's
     * adler32) to exactly the pixels of the one-stream encoding, which the
     * other tests check against the source; with N > 1 threads each band
     * is its own IDAT chunk. */
    cairo_surface_t *noise = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 600, 400);
    cairo_surface_flush(noise);
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 600; x++)
            set_pixel(noise, x, y, 0xff000000u | ((uint32_t)(test_urand() * 16777216.0)));
    cairo_surface_mark_dirty(noise);
    /* The last, random noise, does not compress to half its size: its
     * bands overflow and it is written as one stream (several IDAT chunks
     * of libpng's buffer size), still the same pixels. */
    cairo_surface_t *imgs[] = {draw_line_plot(), draw_noisy_heatmap(),
                               draw_n_colors(800, 600, 200), draw_translucent(600, 400),
                               noise};
    const orgfig_png_opts *presets[] = {&orgfig_png_fast, &orgfig_png_small};
    int saved = orgfig_png_threads;
    for (int i = 0; i < 5; i++) {
        for (int k = 0; k < 2; k++) {
            unsigned char *ref = NULL;
            png_image rimg;
            memset(&rimg, 0, sizeof rimg);
            static const int threads[] = {1, 2, 3, 8};
            for (int t = 0; t < 4; t++) {
                orgfig_png_threads = threads[t];
                orgfig_err err = ORGFIG_ERR_INIT;
                orgfig_buf out = ORGFIG_BUF_INIT(NULL);
                REQUIRE(encode_surface(imgs[i], presets[k], &out, &err) == ORGFIG_OK);
                if (threads[t] > 1 && i < 4)
                    CHECK(chunk_count(out.data, out.len, "IDAT") == threads[t]);
                if (i == 4)
                    CHECK(out.len > 600 * 400 * 3); /* really incompressible */
                CHECK(chunk_count(out.data, out.len, "IEND") == 1);
                png_image img;
                unsigned char *px = NULL;
                bool ok = decode(out.data, out.len, &img, PNG_FORMAT_RGBA, &px);
                CHECK(ok);
                if (ok && t == 0) {
                    ref = px;
                    rimg = img;
                    px = NULL;
                } else if (ok && ref) {
                    CHECK(img.width == rimg.width && img.height == rimg.height &&
                          img.format == rimg.format);
                    CHECK(memcmp(px, ref, PNG_IMAGE_SIZE(img)) == 0);
                }
                free(px);
                orgfig_buf_free(&out);
            }
            free(ref);
        }
        if (i < 2) {
            orgfig_png_threads = 2;
            orgfig_buf out = ORGFIG_BUF_INIT(NULL);
            orgfig_err err = ORGFIG_ERR_INIT;
            REQUIRE(encode_surface(imgs[i], NULL, &out, &err) == ORGFIG_OK);
            CHECK(rgb_mismatches(imgs[i], &out) == 0);
            orgfig_buf_free(&out);
        }
        cairo_surface_destroy(imgs[i]);
    }
    orgfig_png_threads = saved;
}

TEST(png_threads_fault_injection_every_allocation)
{
    /* The bands' buffers and zlib states are allocated before the threads
     * start: failing each allocation in turn reports ORGFIG_E_NOMEM and
     * frees everything (fault_every_allocation checks both). */
    int saved = orgfig_png_threads;
    orgfig_png_threads = 2;
    cairo_surface_t *s = draw_line_plot();
    /* Colour table, 2 trial encodings, then per band rows + row pair +
     * zlib state (4 blocks) + output, and the final libpng structs. */
    CHECK(fault_every_allocation(s, &orgfig_png_fast) >= 15);
    cairo_surface_destroy(s);
    orgfig_png_threads = saved;
}
