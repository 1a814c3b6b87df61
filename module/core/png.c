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

#include "thread.h"

/* Presets, measured with bench/png_presets.c (see there for how to run
 * it) on the 2-core build machine (gcc 12 -O2, libpng 1.6.39, zlib 1.2.13),
 * other jobs sharing it (load ~2, times +-20%).
 *
 * First, fixed filters on synthetic images (best of 3-15 runs):
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
 * a noisy 1000x1000 field; heat1000: the noisy field itself.
 *
 * No single filter suits every plot: UP wins on bars and histograms,
 * NONE on noisy content, and libpng's adaptive choice is poor on noise.
 * Then, on the 800x600 figures `make bench' draws (saved as PNG and passed
 * to png_presets; median of 41 runs, 9 for SMALL, old and new encoder
 * interleaved in one process), before (FAST l1 NONE, SMALL l9 UP) and
 * after (both ORGFIG_PNG_FILTER_AUTO; SMALL drops to level 3 on noisy
 * content), with matplotlib's bytes for the same workload:
 *
 * ms / bytes    FAST before     FAST now        SMALL before     SMALL now     mpl
 * line_1k       3.2 / 55344     3.7 / 55344     43 / 43480       47 / 43480    41860
 * line_100k     3.4 / 64429     4.0 / 64429     62 / 51174       65 / 51174    35090
 * hist_1m       2.5 / 18303     2.9 / 18303     14 / 7838        17 / 7838     15336
 * bar_20        4.1 / 27752     6.4 / 16765     19 / 9100        23 / 9100     12201
 * scatter_100k  6.3 / 211179    7.3 / 211179    86 / 274225      16 / 202876   63423
 * heatmap_1000 13.5 / 564670   15.7 / 564670   117 / 825369      59 / 539230  387086
 *
 * The trial costs ~15% of FAST's time (0.5 ms on line_1k) and UP another
 * ~1-2 ms where it wins by 40% (bar_20).  Levels 4-6 (lazy matching)
 * would shrink line_1k to 45 KB and bar_20 to 10 KB but take 3x FAST's
 * time, so they are left to SMALL.  On noisy images level 9 gains <= 5%
 * over 3 at 2-5x the time and can lose to level 1 (scatter_100k: l9 NONE
 * 211969 > l1 NONE 211179 bytes), hence SMALL's level 3 there.
 *
 * These figures had 277-2691 colours (anti-aliased lines and text), so
 * they kept RGB.  Since then lines and markers keep 32 coverage levels and
 * PNG output snaps markers and bar edges to pixels (plot_scatter.c,
 * plotutil.h), so all the bench figures but the heatmap have at most 256
 * colours and take the palette path, 1 byte per pixel instead of 3; on
 * those the trial also weighs Z_RLE (choose_encoding), which the display
 * preset usually takes: see bench/RESULTS.md for today's bytes. */
const orgfig_png_opts orgfig_png_fast = {1, ORGFIG_PNG_FILTER_AUTO, Z_DEFAULT_STRATEGY};
const orgfig_png_opts orgfig_png_small = {9, ORGFIG_PNG_FILTER_AUTO, Z_DEFAULT_STRATEGY};

/* The largest side cairo's image surfaces allow. */
#define PNG_MAX_SIDE 32767

/* State shared with libpng's callbacks through its error/io/mem pointers. */
typedef struct png_ctx {
    orgfig_buf *out; /* NULL: only count the bytes (the filter trial) */
    orgfig_err e;    /* the first failure inside libpng or its callbacks */
    size_t counted;  /* bytes written while OUT is NULL */
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
    if (ctx->out == NULL)
        ctx->counted += n;
    else if (orgfig_buf_append(ctx->out, data, n, &ctx->e) != ORGFIG_OK)
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

/* Colour counting for the palette path.  An open-addressing hash over
 * the 32-bit pixels with linear probing; PAL_SLOTS is four times the most
 * colours it ever holds, so probe chains stay short.  Only opaque images
 * are counted, so every key has alpha 0xff and 0 can mark an empty slot.
 * Invariant: color[0..n) are the distinct pixels in order of first
 * appearance, and each is in exactly one slot whose index is its position
 * in color. */
#define PAL_MAX 256
#define PAL_SLOTS 1024

typedef struct palette {
    uint32_t key[PAL_SLOTS];
    unsigned char index[PAL_SLOTS];
    uint32_t color[PAL_MAX];
    int n;
} palette;

static inline uint32_t
pal_slot(const palette *pal, uint32_t p)
{
    uint32_t h = (p * 0x9e3779b1u) >> 22; /* top 10 bits: PAL_SLOTS */
    while (pal->key[h] != p && pal->key[h] != 0)
        h = (h + 1) & (PAL_SLOTS - 1);
    return h;
}

/* Fill PAL (zeroed by the caller) with the colours of an opaque image.
 * Return false as soon as a 257th distinct colour appears, so images with
 * many colours pay only for the pixels up to that one.  A row equal to the
 * row above and a pixel equal to its left neighbour (the common cases in
 * plots) skip the hash. */
static bool
count_colors(const unsigned char *pixels, int width, int height, int stride, palette *pal)
{
    for (int y = 0; y < height; y++) {
        const unsigned char *row = pixels + (size_t)y * (size_t)stride;
        if (y > 0 && memcmp(row, row - stride, 4 * (size_t)width) == 0)
            continue;
        uint32_t last = 0;
        for (int x = 0; x < width; x++) {
            uint32_t p;
            memcpy(&p, row + 4 * (size_t)x, 4);
            if (p == last)
                continue;
            last = p;
            uint32_t h = pal_slot(pal, p);
            if (pal->key[h] == 0) {
                if (pal->n == PAL_MAX)
                    return false;
                pal->key[h] = p;
                pal->index[h] = (unsigned char)pal->n;
                pal->color[pal->n++] = p;
            }
        }
    }
    return true;
}

/* The smallest PNG bit depth for N palette entries. */
static int
palette_depth(int n)
{
    return n <= 2 ? 1 : n <= 4 ? 2 : n <= 16 ? 4 : 8;
}

/* How the rows of one image are written. */
typedef enum row_kind { ROW_RGB, ROW_RGBA, ROW_INDEXED } row_kind;

typedef struct plan {
    const unsigned char *pixels;
    int width, height, stride;
    row_kind kind;
    int depth;       /* bits per sample (per index for ROW_INDEXED) */
    size_t rowbytes; /* bytes of one converted row, without the filter byte */
    const palette *pal;
} plan;

/* Convert one row of opaque ARGB32 words into palette indices packed at
 * DEPTH bits, most significant bits first as PNG stores them. */
static void
row_to_indexed(const unsigned char *src, unsigned char *dst, int width, int depth,
               const palette *pal)
{
    uint32_t last = 0;
    unsigned idx = 0;
    if (depth == 8) {
        for (int x = 0; x < width; x++) {
            uint32_t p;
            memcpy(&p, src + 4 * (size_t)x, 4);
            if (p != last || x == 0) {
                last = p;
                idx = pal->index[pal_slot(pal, p)];
            }
            dst[x] = (unsigned char)idx;
        }
        return;
    }
    int per_byte = 8 / depth;
    unsigned acc = 0;
    int filled = 0;
    for (int x = 0; x < width; x++) {
        uint32_t p;
        memcpy(&p, src + 4 * (size_t)x, 4);
        if (p != last || x == 0) {
            last = p;
            idx = pal->index[pal_slot(pal, p)];
        }
        acc = (acc << depth) | idx;
        if (++filled == per_byte) {
            *dst++ = (unsigned char)acc;
            acc = 0;
            filled = 0;
        }
    }
    if (filled > 0)
        *dst = (unsigned char)(acc << (depth * (per_byte - filled)));
}

/* Convert one row of premultiplied ARGB32 words into RGB bytes. */
static void
row_to_rgb(const unsigned char *src, unsigned char *dst, int width)
{
    int x = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Four pixels into three 32-bit words: Q = the pixel's R, G, B bytes
     * in memory order (the word 0xAARRGGBB byte-swapped, alpha dropped). */
    for (; x + 4 <= width; x += 4) {
        uint32_t p[4];
        memcpy(p, src + 4 * (size_t)x, 16);
        uint32_t q0 = __builtin_bswap32(p[0]) >> 8, q1 = __builtin_bswap32(p[1]) >> 8,
                 q2 = __builtin_bswap32(p[2]) >> 8, q3 = __builtin_bswap32(p[3]) >> 8;
        uint32_t w[3] = {q0 | q1 << 24, q1 >> 8 | q2 << 16, q2 >> 16 | q3 << 8};
        memcpy(dst, w, 12);
        dst += 12;
    }
#endif
    for (; x < width; x++) {
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

/* Convert row Y of the image as PLAN says into ROWBYTES bytes at DST. */
static void
convert_row(const plan *pl, int y, unsigned char *dst)
{
    const unsigned char *src = pl->pixels + (size_t)y * (size_t)pl->stride;
    if (pl->kind == ROW_INDEXED)
        row_to_indexed(src, dst, pl->width, pl->depth, pl->pal);
    else if (pl->kind == ROW_RGB)
        row_to_rgb(src, dst, pl->width);
    else
        row_to_rgba(src, dst, pl->width);
}

/* The filter trial's sample: bands of TRIAL_BAND rows, one every PERIOD
 * rows (TRIAL_BAND * 16 at the fast levels 1-3, where the trial must stay
 * cheap, else TRIAL_BAND * 4), so deflate sees the real row-to-row
 * repetition within a band.  Each band after the first is preceded by the
 * image row above it, written unfiltered in both trial encodings, so that
 * UP on the band's first row sees its true predecessor and the lead row
 * costs both encodings about the same. */
#define TRIAL_BAND 8

/* The number of rows in the sample of an image of HEIGHT rows. */
static int
sample_rows(int height, int period)
{
    int n = 0;
    for (int y0 = 0; y0 < height; y0 += period)
        n += (y0 > 0) + (height - y0 < TRIAL_BAND ? height - y0 : TRIAL_BAND);
    return n;
}

/* Everything that may longjmp.  FILTER is libpng's filter mask.  Returns
 * false after a libpng error (the reason is in the context's err). */
/* One horizontal band of the image, filtered and deflated on its own
 * (see encode_parallel). */
typedef struct part {
    const plan *pl;
    int y0, y1;         /* its rows */
    int filter;         /* PNG_FILTER_NONE or PNG_FILTER_UP */
    bool last;          /* the band that ends the zlib stream */
    unsigned char *raw; /* BATCH rows of rowbytes + 1: filter byte + row */
    int batch;
    unsigned char *rows; /* 2 * rowbytes: the current and the previous row */
    z_stream zs;         /* set up (and its memory allocated) by the caller */
    bool zs_ready;
    unsigned char *out; /* cap bytes: LEAD reserved, the deflate output, TAIL */
    size_t cap, len;    /* LEN: the bytes used, LEAD included */
    uLong adler;        /* adler32 of the band's filtered rows */
    bool ok;
    bool full; /* the output ran out of room: not an error, see the caller */
} part;

static bool
write_png(png_structp png, png_infop info, const plan *pl, int period, int height,
          int filter, int level, int strategy, unsigned char *row, const part *parts,
          int nparts)
{
    if (setjmp(png_jmpbuf(png)))
        return false;
    int color_type = pl->kind == ROW_INDEXED ? PNG_COLOR_TYPE_PALETTE
                     : pl->kind == ROW_RGB   ? PNG_COLOR_TYPE_RGB
                                             : PNG_COLOR_TYPE_RGB_ALPHA;
    png_set_IHDR(png, info, (png_uint_32)pl->width, (png_uint_32)height, pl->depth,
                 color_type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (pl->kind == ROW_INDEXED) {
        png_color plte[PAL_MAX];
        for (int i = 0; i < pl->pal->n; i++) {
            uint32_t p = pl->pal->color[i];
            plte[i].red = (png_byte)(p >> 16);
            plte[i].green = (png_byte)(p >> 8);
            plte[i].blue = (png_byte)p;
        }
        png_set_PLTE(png, info, plte, pl->pal->n);
    }
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filter);
    png_set_compression_level(png, level);
    png_set_compression_strategy(png, strategy);
    /* Larger IDAT chunks mean fewer callbacks and chunk headers. */
    png_set_compression_buffer_size(png, 65536);
    png_write_info(png, info);
    if (nparts > 0) {
        /* The zlib stream is already made: one IDAT chunk per band (chunk
         * boundaries are arbitrary in PNG), then IEND.  png_write_end
         * would refuse, as libpng wrote no IDAT itself. */
        for (int k = 0; k < nparts; k++)
            png_write_chunk(png, (png_const_bytep) "IDAT", parts[k].out, parts[k].len);
        png_write_chunk(png, (png_const_bytep) "IEND", NULL, 0);
        return true;
    }
    for (int y = 0; y < pl->height; y++) {
        if (period > 0 && y % period >= TRIAL_BAND)
            continue;
        if (period > 0 && y > 0 && y % period == 0) {
            /* The band's lead row (see TRIAL_BAND).  libpng 1.6 reads the
             * filter mask per row; png_set_filter after the first row only
             * needs the previous row buffer for UP, which libpng allocated
             * because the encoding started with FILTER (NONE needs none). */
            png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
            convert_row(pl, y - 1, row);
            png_write_row(png, row);
            png_set_filter(png, PNG_FILTER_TYPE_BASE, filter);
        }
        convert_row(pl, y, row);
        png_write_row(png, row);
    }
    png_write_end(png, info);
    return true;
}

/* Write the image PL describes (or, when PERIOD > 0, the trial's sample of
 * its rows with that period) with libpng into CTX's output, or when CTX
 * has none only count the bytes.  Returns false after any failure (the
 * reason is in CTX's err). */
static bool
encode_plan(const plan *pl, int period, int filter, int level, int strategy, png_ctx *ctx)
{
    unsigned char *row = orgfig_alloc(NULL, pl->rowbytes, "a PNG row", &ctx->e);
    png_structp png = NULL;
    png_infop info = NULL;
    if (row != NULL)
        png =
            png_create_write_struct_2(PNG_LIBPNG_VER_STRING, ctx, png_ctx_error,
                                      png_ctx_warning, ctx, png_ctx_malloc, png_ctx_free);
    if (png != NULL)
        info = png_create_info_struct(png);
    bool ok = false;
    if (info != NULL) {
        png_set_write_fn(png, ctx, png_ctx_write, png_ctx_flush);
        ok = write_png(png, info, pl, period,
                       period > 0 ? sample_rows(pl->height, period) : pl->height, filter,
                       level, strategy, row, NULL, 0);
    }
    if (png != NULL)
        png_destroy_write_struct(&png, info ? &info : NULL);
    orgfig_free(row);
    return ok;
}

/* ---- Parallel deflate ----
 *
 * zlib deflates at a few hundred MB/s, so on an 800x600 plot it takes
 * most of a render's time.  Images of at least PAR_MIN raw bytes are cut
 * into orgfig_png_threads horizontal bands which are filtered and
 * deflated at the same time, each band a raw deflate stream; all but the
 * last end with a sync flush (an empty stored block, so the next band's
 * blocks follow on a byte boundary) and the last with the final block.
 * Their concatenation behind a zlib header, with the adler32 of all the
 * filtered rows (adler32_combine of the bands') after it, is one valid
 * zlib stream: the same pixels, a few bytes larger (no match may reach
 * back across a band's start).  UP on a band's first row uses the image
 * row above it, as in one stream.
 *
 * Threads: every allocation (the bands' buffers, zlib's state through
 * deflateInit2, which allocates all deflate needs) happens before the
 * threads start and is freed after they are joined, on the calling
 * thread, so the allocator is never entered concurrently.  The threads
 * only read the pixels and write their own band's buffers; they block
 * every signal, so the host (Emacs) keeps receiving its signals on its
 * own thread.  If a thread cannot be started its band runs on the calling
 * thread. */
int orgfig_png_threads = 2;

#define PAR_MIN ((size_t)256 * 1024)        /* raw bytes: below, one stream */
#define PAR_MAX ((size_t)256 * 1024 * 1024) /* raw bytes: above, one stream */
#define PAR_BANDS 8
#define ZLIB_LEAD 2 /* the zlib header, in the first band's output */
#define ZLIB_TAIL 4 /* the adler32, after the last band's output */

static voidpf
zs_alloc(voidpf opaque, uInt items, uInt size)
{
    return orgfig_alloc_array(NULL, items, size, false, "PNG deflate state",
                              (orgfig_err *)opaque);
}

static void
zs_free(voidpf opaque, voidpf p)
{
    (void)opaque;
    orgfig_free(p);
}

/* Filter and deflate band P (runs on any thread; allocates nothing):
 * rows are filtered into RAW a batch at a time and fed to deflate. */
static void *
part_run(void *arg)
{
    part *p = arg;
    const plan *pl = p->pl;
    size_t rb = pl->rowbytes;
    unsigned char *cur = p->rows, *prev = p->rows + rb;
    if (p->filter == PNG_FILTER_UP && p->y0 > 0)
        convert_row(pl, p->y0 - 1, prev);
    else
        memset(prev, 0, rb); /* PNG: the row above the first is zeros */
    size_t lead = p->y0 == 0 ? ZLIB_LEAD : 0, tail = p->last ? ZLIB_TAIL : 0;
    p->zs.next_out = p->out + lead;
    p->zs.avail_out = (uInt)(p->cap - lead - tail);
    p->adler = adler32(0, NULL, 0);
    p->ok = true;
    for (int y = p->y0; y < p->y1 && p->ok; y += p->batch) {
        int n = p->y1 - y < p->batch ? p->y1 - y : p->batch;
        unsigned char *dst = p->raw;
        for (int k = 0; k < n; k++, dst += rb + 1) {
            if (p->filter == PNG_FILTER_UP) {
                convert_row(pl, y + k, cur);
                dst[0] = 2; /* UP */
                for (size_t i = 0; i < rb; i++)
                    dst[1 + i] = (unsigned char)(cur[i] - prev[i]);
                unsigned char *t = cur;
                cur = prev;
                prev = t;
            } else {
                dst[0] = 0; /* NONE */
                convert_row(pl, y + k, dst + 1);
            }
        }
        uInt len = (uInt)((size_t)n * (rb + 1));
        p->adler = adler32(p->adler, p->raw, len);
        p->zs.next_in = p->raw;
        p->zs.avail_in = len;
        /* The output has room for the whole band (deflateBound), so
         * deflate takes all the input at once. */
        int r = deflate(&p->zs, Z_NO_FLUSH);
        p->full = (r == Z_OK || r == Z_BUF_ERROR) && p->zs.avail_out == 0;
        p->ok = r == Z_OK && p->zs.avail_in == 0 && !p->full;
    }
    if (p->ok) {
        int r = deflate(&p->zs, p->last ? Z_FINISH : Z_SYNC_FLUSH);
        /* A flush that filled the output might have more to give. */
        p->full = p->zs.avail_out == 0;
        p->ok = !p->full && (p->last ? r == Z_STREAM_END : r == Z_OK);
    }
    p->len = p->cap - tail - p->zs.avail_out;
    return NULL;
}

/* Write the image PL describes with FILTER (NONE or UP) in NBANDS bands
 * deflated in parallel, into CTX's output.  False after any failure (the
 * reason is in CTX's err), or with *INCOMPRESSIBLE set and nothing
 * written when a band did not fit in half its raw size. */
static bool
encode_parallel(const plan *pl, int nbands, int filter, int level, int strategy,
                png_ctx *ctx, bool *incompressible)
{
    *incompressible = false;
    part parts[PAR_BANDS];
    memset(parts, 0, sizeof parts);
    size_t rb = pl->rowbytes;
    bool ok = true;
    for (int k = 0; k < nbands && ok; k++) {
        part *p = &parts[k];
        p->pl = pl;
        p->y0 = (int)((long long)pl->height * k / nbands);
        p->y1 = (int)((long long)pl->height * (k + 1) / nbands);
        p->filter = filter;
        p->last = k == nbands - 1;
        /* The image is at most PAR_MAX raw bytes here: no overflow.  Rows
         * go to deflate in batches of about 64 KB. */
        size_t rawlen = (size_t)(p->y1 - p->y0) * (rb + 1);
        size_t batch = 65536 / (rb + 1);
        p->batch = batch < 1                         ? 1
                   : batch > (size_t)(p->y1 - p->y0) ? p->y1 - p->y0
                                                     : (int)batch;
        p->raw = orgfig_alloc_array(NULL, (size_t)p->batch, rb + 1, false, "PNG rows",
                                    &ctx->e);
        p->rows =
            p->raw ? orgfig_alloc_array(NULL, rb, 2, false, "PNG rows", &ctx->e) : NULL;
        p->zs.zalloc = zs_alloc;
        p->zs.zfree = zs_free;
        p->zs.opaque = &ctx->e;
        if (p->rows == NULL) {
            ok = false;
        } else if (deflateInit2(&p->zs, level, Z_DEFLATED, -15, 8, strategy) != Z_OK) {
            if (ctx->e.status == ORGFIG_OK)
                orgfig_fail(&ctx->e, ORGFIG_E_ENCODE,
                            "PNG encoding: deflate failed to start");
            ok = false;
        } else {
            p->zs_ready = true;
            /* Room for the band compressed to half its size: plots
             * compress far better, and a band that does not fit sends
             * the whole image to the one-stream path (deflateBound's room
             * for incompressible data would double the memory). */
            p->cap = rawlen / 2 + 4096 + ZLIB_LEAD + ZLIB_TAIL;
            p->out = orgfig_alloc(NULL, p->cap, "PNG compressed rows", &ctx->e);
            ok = p->out != NULL;
        }
    }
    if (ok) {
        pthread_t tid[PAR_BANDS];
        bool started[PAR_BANDS] = {false};
        for (int k = 0; k < nbands - 1; k++)
            started[k] = orgfig_thread_start(&tid[k], part_run, &parts[k]);
        for (int k = 0; k < nbands; k++)
            if (k == nbands - 1 || !started[k])
                part_run(&parts[k]);
        for (int k = 0; k < nbands - 1; k++)
            if (started[k])
                pthread_join(tid[k], NULL);
        for (int k = 0; k < nbands; k++)
            *incompressible |= parts[k].full;
        for (int k = 0; k < nbands && ok; k++)
            ok = parts[k].ok;
        if (!ok && !*incompressible)
            orgfig_fail(&ctx->e, ORGFIG_E_ENCODE, "PNG encoding: deflate failed");
    }
    if (ok) {
        /* zlib header: deflate with a 32 KB window, the level class, and
         * the check bits making the 16-bit header a multiple of 31. */
        unsigned flevel = level <= 1 ? 0 : level <= 5 ? 1 : level == 6 ? 2 : 3;
        unsigned hdr = 0x7800u | flevel << 6;
        hdr += (31 - hdr % 31) % 31;
        parts[0].out[0] = (unsigned char)(hdr >> 8);
        parts[0].out[1] = (unsigned char)hdr;
        uLong adler = parts[0].adler;
        for (int k = 1; k < nbands; k++)
            adler = adler32_combine(
                adler, parts[k].adler,
                (z_off_t)((size_t)(parts[k].y1 - parts[k].y0) * (rb + 1)));
        part *t = &parts[nbands - 1];
        for (int i = 0; i < 4; i++)
            t->out[t->len++] = (unsigned char)(adler >> (24 - 8 * i));
        png_structp png =
            png_create_write_struct_2(PNG_LIBPNG_VER_STRING, ctx, png_ctx_error,
                                      png_ctx_warning, ctx, png_ctx_malloc, png_ctx_free);
        png_infop info = png ? png_create_info_struct(png) : NULL;
        ok = false;
        if (info != NULL) {
            png_set_write_fn(png, ctx, png_ctx_write, png_ctx_flush);
            ok = write_png(png, info, pl, 0, pl->height, filter, level, strategy, NULL,
                           parts, nbands);
        }
        if (png != NULL)
            png_destroy_write_struct(&png, info ? &info : NULL);
    }
    for (int k = 0; k < nbands; k++) {
        if (parts[k].zs_ready)
            deflateEnd(&parts[k].zs);
        orgfig_free(parts[k].out);
        orgfig_free(parts[k].rows);
        orgfig_free(parts[k].raw);
    }
    return ok;
}

/* How many bands to deflate an image of PL in with FILTER: 1 (one
 * stream, through libpng) unless the image is large enough to gain. */
static int
bands_for(const plan *pl, int filter)
{
    int n = orgfig_png_threads < PAR_BANDS ? orgfig_png_threads : PAR_BANDS;
    size_t raw = (size_t)pl->height * (pl->rowbytes + 1); /* < 2^32 * 2^17 */
    if (n < 2 || (filter != PNG_FILTER_NONE && filter != PNG_FILTER_UP) ||
        raw < PAR_MIN || raw > PAR_MAX || pl->height < 2 * n)
        return 1;
    return n;
}

/* ORGFIG_PNG_FILTER_AUTO: choose the filter (NONE or UP, for the whole
 * image), the deflate strategy and the level of PL's encoding from trial
 * encodings of a sample of its rows that only count bytes.  *LEVEL and
 * *STRATEGY come in as the preset's; on return all three hold the choice.
 *
 * - The filter: the sample is deflated with each at the preset's level (at
 *   most 4, zlib's cheapest lazy-matching level: on the bench images the
 *   ranking is the same as at 9, which would cost too much).  At the fast
 *   levels (1-3) UP must win by 12%: computing UP costs ~1 ms for
 *   800x600, 30% of the time, and near-ties are noise of the sample.
 *   Ties go to NONE.
 * - Z_RLE (matches at distance 1 only, the previous pixel's bytes), when
 *   the preset uses the default strategy: it is faster than level 1 and,
 *   on palette images of plots (runs of one colour between anti-aliased
 *   edges), 15-25% smaller (bench images: line_1k 28.9 -> 22.6 KB,
 *   scatter_1m 55.8 -> 44.3 KB).  It is taken when it does no worse than
 *   the preset's strategy where the final level is at most 6 (the fast
 *   presets, and noisy images, below: level 6 gains little over the
 *   trial's 4 there), and where it is 9 (which beats 4 by 5-10%) when it
 *   wins by 10%.  On RGB images it loses badly unless UP-filtered.
 * - Noisy content (the sample compresses to more than a tenth: heatmaps of
 *   noisy data, dense scatter plots): on RGB levels above 3 gain at most 5%
 *   on the bench images and lazy matching can even lose to level 1, while
 *   costing 2-4 times level 3's time, so such images drop to level 3; on
 *   palette images level 6 still gains 15% over 3 (scatter_100k 62 -> 53
 *   KB) at a fifth of level 9's time, so they drop to 6.
 * Returns false after a libpng error, with the reason in *E. */
static bool
choose_encoding(const plan *pl, int *filter, int *level, int *strategy, orgfig_err *e)
{
    static const int filters[2] = {PNG_FILTER_NONE, PNG_FILTER_UP};
    int lv = *level;
    bool fast = lv <= 3;
    bool try_rle = *strategy == Z_DEFAULT_STRATEGY && lv > 0;
    int period = TRIAL_BAND * (fast ? 16 : 4);
    int trial_level = lv > 4 ? 4 : lv;
    size_t bytes[2][2] = {{0, 0}, {0, 0}}; /* [NONE, UP][preset, Z_RLE] */
    for (int r = 0; r < (try_rle ? 2 : 1); r++)
        for (int f = 0; f < 2; f++) {
            png_ctx trial = {NULL, ORGFIG_ERR_INIT, 0};
            if (!encode_plan(pl, period, filters[f], trial_level, r ? Z_RLE : *strategy,
                             &trial)) {
                *e = trial.e;
                return false;
            }
            bytes[f][r] = trial.counted;
        }
    int pick[2];
    for (int r = 0; r < 2; r++) {
        size_t margin = fast ? bytes[0][r] / 8 : 0;
        pick[r] = bytes[1][r] < bytes[0][r] - margin;
    }
    size_t best = bytes[pick[0]][0], rle = bytes[pick[1]][1];
    size_t raw = (size_t)sample_rows(pl->height, period) * (pl->rowbytes + 1);
    if (lv > 3 && best > raw / 10)
        lv = pl->kind == ROW_INDEXED ? (lv < 6 ? lv : 6) : 3;
    if (try_rle && (lv <= 6 ? rle <= best : rle < best - best / 10)) {
        *filter = filters[pick[1]];
        *strategy = Z_RLE;
    } else {
        *filter = filters[pick[0]];
        *level = lv;
    }
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
        opts->filter > ORGFIG_PNG_FILTER_AUTO)
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "PNG encoding: bad options (level %d, filter %d, strategy %d)",
                           opts->level, (int)opts->filter, opts->strategy);

    size_t start_len = out->len;
    png_ctx ctx = {out, ORGFIG_ERR_INIT, 0};
    plan pl = {pixels, width, height, stride, ROW_RGBA, 8, 0, NULL};
    palette *pal = NULL;
    bool ok = true;
    if (all_opaque(pixels, width, height, stride)) {
        pl.kind = ROW_RGB;
        pal = orgfig_zalloc(NULL, sizeof *pal, "the PNG colour table", &ctx.e);
        ok = pal != NULL;
        if (ok && count_colors(pixels, width, height, stride, pal)) {
            pl.kind = ROW_INDEXED;
            pl.depth = palette_depth(pal->n);
            pl.pal = pal;
        }
    }
    /* Width is at most PNG_MAX_SIDE, so none of these overflow. */
    pl.rowbytes = pl.kind == ROW_INDEXED ? ((size_t)width * (size_t)pl.depth + 7) / 8
                  : pl.kind == ROW_RGB   ? (size_t)width * 3
                                         : (size_t)width * 4;
    int filter = opts->filter == ORGFIG_PNG_FILTER_NONE ? PNG_FILTER_NONE
                 : opts->filter == ORGFIG_PNG_FILTER_UP ? PNG_FILTER_UP
                                                        : PNG_ALL_FILTERS;
    int level = opts->level;
    int strategy = opts->strategy;
    if (ok && opts->filter == ORGFIG_PNG_FILTER_AUTO)
        ok = choose_encoding(&pl, &filter, &level, &strategy, &ctx.e);
    if (ok) {
        int nbands = bands_for(&pl, filter);
        bool incompressible = false;
        if (nbands > 1)
            ok = encode_parallel(&pl, nbands, filter, level, strategy, &ctx,
                                 &incompressible);
        /* A band that compressed to more than half its size: one stream. */
        if (nbands == 1 || incompressible)
            ok = encode_plan(&pl, 0, filter, level, strategy, &ctx);
    }
    orgfig_free(pal);
    if (ok)
        return ORGFIG_OK;
    out->len = start_len;
    if (ctx.e.status == ORGFIG_OK)
        orgfig_fail(&ctx.e, ORGFIG_E_ENCODE,
                    "PNG encoding failed: libpng could not start");
    return orgfig_fail(err, ctx.e.status, "%s", ctx.e.msg);
}
