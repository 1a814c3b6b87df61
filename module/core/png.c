/* png.c - PNG encoding of cairo ARGB32 pixels into memory, with libpng.
 *
 * libpng reports errors by longjmp to png_jmpbuf.  The only setjmp is in
 * write_png below, which orgfig_png_encode calls after every object that
 * outlives a jump (the libpng structs, the row buffer, the context) has
 * been created; those are never modified between the setjmp and a
 * possible longjmp, so no local needs to be volatile.  After a jump
 * orgfig_png_encode destroys the libpng structs, frees the row buffer and
 * truncates OUT back to its length on entry, then reports the first
 * failure: the allocator's status when an allocation inside libpng or a
 * growth of OUT failed, else ORGFIG_E_ENCODE with libpng's message.
 *
 * libpng's own memory goes through orgfig_alloc (png_create_write_struct_2
 * with our malloc/free), so it is counted, capped by the memory limit and
 * reached by fault injection like everything else. */
#include "png.h"

/* libpng's header, by a name that cannot find our png.h even when
 * module/core is on the include path. */
#if defined(__has_include)
#if __has_include(<libpng16/png.h>)
#define ORGFIG_LIBPNG16_DIR 1
#endif
#endif
#ifdef ORGFIG_LIBPNG16_DIR
#include <libpng16/png.h>
#else
#include <png.h>
#endif
#include <string.h>
#include <zlib.h>

/* Presets, measured with bench/png_presets.c (see there for how to run
 * it) on the 2-core build machine (gcc 12 -O2, libpng 1.6.39, zlib 1.2.13),
 * best of 3-15 runs, other jobs sharing the machine (times +-20%):
 *
 * ms / KB        line1k      line5x1k    heatfig      heat1000
 * l0 (copy+CRC)   1.4 /       1.4 /       1.4 /        2.8 /
 * l1 NONE def     3.7 / 81.1  4.1 / 84.8  9.3 / 355.8   32 / 1417
 * l1 NONE RLE     3.3 / 94.2  3.7 / 94.5  7.3 / 527.0   25 / 2290
 * l1 UP RLE       4.0 / 75.8  4.7 / 101.8 8.5 / 363.6   28 / 2104
 * l1 UP def       4.5 / 77.2  5.1 / 98.8  10.1 / 371.6  44 / 1921
 * l6 UP def       9.1 / 64.6  10.0 / 95.5 41.7 / 349.0 139 / 1979
 * l6 adaptive    14.0 / 64.7  15.4 / 95.6 47.7 / 349.8 155 / 1908
 * l9 UP def      51.4 / 62.6  68.3 / 93.2 83.5 / 346.3 145 / 1979
 * l9 adaptive    57.3 / 62.8  73.6 / 93.6 93.6 / 347.4 155 / 1908
 *
 * line1k and line5x1k: 800x600 axes with labels and one or five
 * anti-aliased 1000-point random walks; heatfig: an 800x600 figure showing
 * a noisy 1000x1000 field (matplotlib's heatmap_1000 is 387 KB); heat1000:
 * the noisy field itself.  Level 1 costs ~2-3 ms above the bare copy;
 * NONE with the default strategy is about as fast as anything and the
 * smallest level-1 output on the realistic images, so it is FAST.  For
 * SMALL, UP matches adaptive filtering in size at less time, and level 9
 * saves 2-3% over level 6 for files on disk. */
const orgfig_png_opts orgfig_png_fast = {1, ORGFIG_PNG_FILTER_NONE, Z_DEFAULT_STRATEGY};
const orgfig_png_opts orgfig_png_small = {9, ORGFIG_PNG_FILTER_UP, Z_DEFAULT_STRATEGY};

/* The largest side cairo's image surfaces allow. */
#define PNG_MAX_SIDE 32767

/* State shared with libpng's callbacks through its error/io/mem pointers. */
typedef struct png_ctx {
    orgfig_buf *out;
    orgfig_err e; /* the first failure inside libpng or its callbacks */
} png_ctx;

static png_voidp
png_ctx_malloc(png_structp png, png_alloc_size_t n)
{
    png_ctx *ctx = png_get_mem_ptr(png);
    /* NULL tells libpng the allocation failed; it then calls png_error (or,
     * while creating the struct, returns NULL), and our error function
     * keeps the allocator's status recorded here. */
    return orgfig_alloc(NULL, n, "PNG encoder state", &ctx->e);
}

static void
png_ctx_free(png_structp png, png_voidp p)
{
    (void)png;
    orgfig_free(p);
}

static void
png_ctx_error(png_structp png, png_const_charp msg)
{
    png_ctx *ctx = png_get_error_ptr(png);
    orgfig_fail(&ctx->e, ORGFIG_E_ENCODE, "PNG encoding failed: %s", msg);
    png_longjmp(png, 1);
}

static void
png_ctx_warning(png_structp png, png_const_charp msg)
{
    /* Warnings (e.g. about unusual but valid settings) are not failures. */
    (void)png;
    (void)msg;
}

static void
png_ctx_write(png_structp png, png_bytep data, png_size_t n)
{
    png_ctx *ctx = png_get_io_ptr(png);
    if (orgfig_buf_append(ctx->out, data, n, &ctx->e) != ORGFIG_OK)
        png_error(png, "no memory for the output");
}

static void
png_ctx_flush(png_structp png)
{
    (void)png;
}

/* Whether every pixel of the image has alpha 255. */
static bool
all_opaque(const unsigned char *pixels, int width, int height, int stride)
{
    for (int y = 0; y < height; y++) {
        const unsigned char *row = pixels + (size_t)y * (size_t)stride;
        uint32_t acc = 0xff000000u;
        for (int x = 0; x < width; x++) {
            uint32_t p;
            memcpy(&p, row + 4 * (size_t)x, 4);
            acc &= p;
        }
        if ((acc & 0xff000000u) != 0xff000000u)
            return false;
    }
    return true;
}

/* Convert one row of premultiplied ARGB32 words into RGB bytes. */
static void
row_to_rgb(const unsigned char *src, unsigned char *dst, int width)
{
    for (int x = 0; x < width; x++) {
        uint32_t p;
        memcpy(&p, src + 4 * (size_t)x, 4);
        dst[0] = (unsigned char)(p >> 16);
        dst[1] = (unsigned char)(p >> 8);
        dst[2] = (unsigned char)p;
        dst += 3;
    }
}

/* Un-premultiply one channel C under alpha A (1..254), rounding to nearest
 * as cairo's own PNG writer does. */
static inline unsigned char
unpremultiply(uint32_t c, uint32_t a)
{
    uint32_t v = (c * 255 + a / 2) / a;
    return (unsigned char)(v > 255 ? 255 : v);
}

/* Convert one row of premultiplied ARGB32 words into straight RGBA bytes. */
static void
row_to_rgba(const unsigned char *src, unsigned char *dst, int width)
{
    for (int x = 0; x < width; x++) {
        uint32_t p;
        memcpy(&p, src + 4 * (size_t)x, 4);
        uint32_t a = p >> 24;
        uint32_t r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
        if (a == 255) {
            dst[0] = (unsigned char)r;
            dst[1] = (unsigned char)g;
            dst[2] = (unsigned char)b;
        } else if (a == 0) {
            dst[0] = dst[1] = dst[2] = 0;
        } else {
            dst[0] = unpremultiply(r, a);
            dst[1] = unpremultiply(g, a);
            dst[2] = unpremultiply(b, a);
        }
        dst[3] = (unsigned char)a;
        dst += 4;
    }
}

/* Everything that may longjmp.  Returns false after a libpng error (the
 * reason is in the context's err). */
static bool
write_png(png_structp png, png_infop info, const unsigned char *pixels, int width,
          int height, int stride, bool opaque, const orgfig_png_opts *opts,
          unsigned char *row)
{
    if (setjmp(png_jmpbuf(png)))
        return false;
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    int filter = opts->filter == ORGFIG_PNG_FILTER_NONE ? PNG_FILTER_NONE
                 : opts->filter == ORGFIG_PNG_FILTER_UP ? PNG_FILTER_UP
                                                        : PNG_ALL_FILTERS;
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filter);
    png_set_compression_level(png, opts->level);
    png_set_compression_strategy(png, opts->strategy);
    /* Larger IDAT chunks mean fewer callbacks and chunk headers. */
    png_set_compression_buffer_size(png, 65536);
    png_write_info(png, info);
    for (int y = 0; y < height; y++) {
        const unsigned char *src = pixels + (size_t)y * (size_t)stride;
        if (opaque)
            row_to_rgb(src, row, width);
        else
            row_to_rgba(src, row, width);
        png_write_row(png, row);
    }
    png_write_end(png, info);
    return true;
}

orgfig_status
orgfig_png_encode(const unsigned char *pixels, int width, int height, int stride,
                  const orgfig_png_opts *opts, orgfig_buf *out, orgfig_err *err)
{
    if (opts == NULL)
        opts = &orgfig_png_fast;
    if (pixels == NULL || out == NULL)
        return orgfig_fail(err, ORGFIG_E_INVALID, "PNG encoding: no %s",
                           pixels == NULL ? "pixels" : "output buffer");
    if (width < 1 || width > PNG_MAX_SIDE || height < 1 || height > PNG_MAX_SIDE)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "PNG encoding: size %dx%d is outside 1..%d on a side", width,
                           height, PNG_MAX_SIDE);
    if (stride < 4 * width)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "PNG encoding: stride %d is less than 4 * width %d", stride,
                           width);
    size_t total;
    if (!orgfig_size_mul((size_t)stride, (size_t)height, &total))
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "PNG encoding: stride %d * height %d overflows", stride,
                           height);
    if (opts->level < 0 || opts->level > 9 || opts->strategy < 0 ||
        opts->strategy > Z_FIXED || opts->filter < ORGFIG_PNG_FILTER_NONE ||
        opts->filter > ORGFIG_PNG_FILTER_ADAPTIVE)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "PNG encoding: bad options (level %d, filter %d, strategy %d)",
                           opts->level, (int)opts->filter, opts->strategy);

    bool opaque = all_opaque(pixels, width, height, stride);
    size_t start_len = out->len;
    png_ctx ctx = {out, ORGFIG_ERR_INIT};
    unsigned char *row = orgfig_alloc_array(NULL, (size_t)width, opaque ? 3 : 4, false,
                                            "a PNG row", &ctx.e);
    png_structp png = NULL;
    png_infop info = NULL;
    if (row != NULL)
        png = png_create_write_struct_2(PNG_LIBPNG_VER_STRING, &ctx, png_ctx_error,
                                        png_ctx_warning, &ctx, png_ctx_malloc,
                                        png_ctx_free);
    if (png != NULL)
        info = png_create_info_struct(png);
    bool ok = false;
    if (info != NULL) {
        png_set_write_fn(png, &ctx, png_ctx_write, png_ctx_flush);
        ok = write_png(png, info, pixels, width, height, stride, opaque, opts, row);
    }
    if (png != NULL)
        png_destroy_write_struct(&png, info ? &info : NULL);
    orgfig_free(row);
    if (ok)
        return ORGFIG_OK;
    out->len = start_len;
    if (ctx.e.status == ORGFIG_OK)
        orgfig_fail(&ctx.e, ORGFIG_E_ENCODE,
                    "PNG encoding failed: libpng could not start");
    return orgfig_fail(err, ctx.e.status, "%s", ctx.e.msg);
}
