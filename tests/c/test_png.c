/* test_png.c - PNG encoding: decode what we wrote with libpng's reader and
 * compare pixels with the cairo source; bad input; failure paths. */
#include <cairo.h>
#include <png.h>
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
