/* png.h - PNG encoding of cairo image surfaces, into memory, with libpng.
 *
 * libpng reports errors by longjmp.  The setjmp lives inside
 * orgfig_png_encode and nothing outside png.c ever sees a jump: every
 * libpng failure comes back as ORGFIG_E_ENCODE (or the allocator's status
 * when growing the output failed) with the buffer left as it was. */
#ifndef ORGFIG_PNG_H
#define ORGFIG_PNG_H

#include <stdint.h>

#include "buf.h"

typedef enum orgfig_png_filter {
    ORGFIG_PNG_FILTER_NONE,
    ORGFIG_PNG_FILTER_UP,
    ORGFIG_PNG_FILTER_ADAPTIVE, /* libpng chooses per row among all filters */
    /* NONE or UP for the whole image, whichever compresses a sample of
     * the rows (bands of 8 rows, one in 8) smaller at the same zlib
     * settings: UP wins on plots with long vertical edges, NONE on noisy
     * or photographic content, where libpng's adaptive choice is poor. */
    ORGFIG_PNG_FILTER_AUTO,
} orgfig_png_filter;

typedef struct orgfig_png_opts {
    int level; /* zlib level 0..9 */
    orgfig_png_filter filter;
    int strategy; /* zlib strategy (Z_DEFAULT_STRATEGY, Z_RLE, ...) */
} orgfig_png_opts;

/* Threads deflating one large image at once (default 2; 1 encodes with
 * one zlib stream through libpng).  See png.c, "Parallel deflate". */
extern int orgfig_png_threads;

/* Tuned presets: FAST for on-screen display, SMALL for files on disk. */
extern const orgfig_png_opts orgfig_png_fast;
extern const orgfig_png_opts orgfig_png_small;

/* Encode WIDTH x HEIGHT pixels in cairo's ARGB32 layout (native-endian
 * premultiplied 32-bit words, STRIDE bytes per row) and append the PNG to
 * OUT.  Fully opaque images with at most 256 distinct colours are written
 * as indexed colour (PLTE; 1, 2, 4 or 8 bits per pixel for at most 2, 4,
 * 16 or 256 colours), other fully opaque images as 8-bit RGB, the rest as
 * RGBA (un-premultiplied).  All of these decode to exactly the same
 * pixels.  OPTS NULL means orgfig_png_fast. */
orgfig_status orgfig_png_encode(const unsigned char *pixels, int width, int height,
                                int stride, const orgfig_png_opts *opts, orgfig_buf *out,
                                orgfig_err *err);

#endif
