/* pixels.h - decoding rendered PNGs and probing pixels in C tests. */
#ifndef ORGFIG_TEST_PIXELS_H
#define ORGFIG_TEST_PIXELS_H

#include <png.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A decoded image: 8-bit RGBA rows, malloc'd (test-only, not counted). */
typedef struct test_image {
    int w, h;
    unsigned char *rgba;
} test_image;

static inline bool
test_decode_png(const unsigned char *data, size_t len, test_image *img)
{
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&pi, data, len))
        return false;
    pi.format = PNG_FORMAT_RGBA;
    img->w = (int)pi.width;
    img->h = (int)pi.height;
    img->rgba = malloc(PNG_IMAGE_SIZE(pi));
    if (img->rgba == NULL) {
        png_image_free(&pi);
        return false;
    }
    if (!png_image_finish_read(&pi, NULL, img->rgba, 0, NULL)) {
        free(img->rgba);
        img->rgba = NULL;
        return false;
    }
    return true;
}

static inline void
test_image_free(test_image *img)
{
    free(img->rgba);
    img->rgba = NULL;
}

static inline const unsigned char *
test_px(const test_image *img, int x, int y)
{
    return img->rgba + ((size_t)y * (size_t)img->w + (size_t)x) * 4;
}

/* Whether pixel (X, Y) is within TOL of (R, G, B) in every channel. */
static inline bool
test_px_near(const test_image *img, int x, int y, int r, int g, int b, int tol)
{
    if (x < 0 || y < 0 || x >= img->w || y >= img->h)
        return false;
    const unsigned char *p = test_px(img, x, y);
    return abs(p[0] - r) <= tol && abs(p[1] - g) <= tol && abs(p[2] - b) <= tol;
}

/* The pixels of A and B (the same size) whose colours differ by more
 * than TOL in some channel. */
static inline long
test_count_differ(const test_image *a, const test_image *b, int tol)
{
    long differ = 0;
    for (int y = 0; y < a->h; y++)
        for (int x = 0; x < a->w; x++) {
            const unsigned char *p = test_px(a, x, y), *q = test_px(b, x, y);
            int d = 0;
            for (int c = 0; c < 3; c++)
                d = abs(p[c] - q[c]) > d ? abs(p[c] - q[c]) : d;
            differ += d > tol;
        }
    return differ;
}

/* Count the pixels within TOL of (R, G, B) in the rectangle [X0, X1) x [Y0, Y1). */
static inline long
test_count_color(const test_image *img, int x0, int y0, int x1, int y1, int r, int g,
                 int b, int tol)
{
    long n = 0;
    if (x0 < 0)
        x0 = 0;
    if (y0 < 0)
        y0 = 0;
    if (x1 > img->w)
        x1 = img->w;
    if (y1 > img->h)
        y1 = img->h;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            n += test_px_near(img, x, y, r, g, b, tol);
    return n;
}

#endif
