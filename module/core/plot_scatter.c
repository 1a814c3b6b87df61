/* plot_scatter.c - orgfig-scatter.
 *
 * Three ways to draw, chosen per render:
 *  - cairo paths (SVG/PDF, few points, or a size per point);
 *  - sprite stamping (PNG, more than orgfig_scatter_sprite_min points):
 *    one marker is rendered with cairo into a small A8 coverage mask and
 *    composited with premultiplied OVER at each point's device pixel,
 *    centred on it (:snap t, the default, as matplotlib's Agg places
 *    markers), or at its position rounded to 1/8 device pixel (:snap nil:
 *    64 masks, one per sub-pixel offset, moving a marker by at most 1/16
 *    pixel), inside the axes box.  With one colour for all points, their
 *    coverages are united into an A8 image instead, 1 - (1-u)(1-v),
 *    rounded to the sprites' 32 levels, and the colour painted through it
 *    once: the same result.  Tests compare the result with cairo's own
 *    drawing, which snaps the same way in PNG output.  With many points,
 * orgfig_scatter_threads threads stamp at once, each into its own horizontal band of the
 * image (stamp_bands), which leaves exactly the image one thread would;
 *  - :density t: points are counted per device pixel in a uint32 grid and
 *    the log-scaled counts are painted once through the colormap.
 * Both fast paths touch each point once and allocate nothing per point. */
#include <math.h>
#include <stdatomic.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "lineraster.h"
#include "plotutil.h"
#include "props.h"
#include "render.h"
#include "thread.h"

size_t orgfig_scatter_sprite_min = 5000;
int orgfig_scatter_threads = 2;
size_t orgfig_scatter_thread_min = 100000;
#define SCATTER_MAX_BANDS 8

#define PHASE_BITS 3
#define PHASES (1 << PHASE_BITS)
/* The sprite centred on its pixel: the one snapped markers use. */
#define SNAP_PHASE (PHASES / 2 * PHASES + PHASES / 2)

typedef struct scatter_priv {
    double size; /* marker area in points^2 (matplotlib's s) */
    orgfig_marker marker;
    orgfig_cmap cmap;
    double vmin, vmax; /* for a color column */
    bool density;
    bool snap; /* PNG: centre each marker on its device pixel */
    orgfig_points_memo extent;
} scatter_priv;

/* cols: 0 X, 1 Y, 2 sizes (or NULL), 3 color values (or NULL). */

static const char *const scatter_args[] = {"X", "Y", NULL};
static const char *const scatter_props[] = {
    "size", "cmap", "vmin", "vmax", "colorbar", "marker", "density", "snap", NULL};

static orgfig_status
scatter_build(orgfig_artist *a, const orgfig_value *args, const orgfig_prop *props,
              size_t nprops, orgfig_err *err)
{
    const char *fn = "orgfig-scatter";
    orgfig_column *x, *y, *sizes = NULL, *colors = NULL;
    orgfig_loc lx = orgfig_loc_arg(fn, "X", 0), ly = orgfig_loc_arg(fn, "Y", 1);
    if (orgfig_val_column(&args[0], &lx, true, &x, err) != ORGFIG_OK ||
        orgfig_val_column(&args[1], &ly, true, &y, err) != ORGFIG_OK)
        return err->status;
    if (x->n != y->n)
        return orgfig_fail(err, ORGFIG_E_INVALID, "%s: X has %zu values but Y has %zu",
                           fn, x->n, y->n);
    scatter_priv *p = orgfig_fig_alloc(a, sizeof *p, "a scatter", err);
    if (p == NULL)
        return err->status;
    a->priv = p;
    p->size = 36;
    p->marker = ORGFIG_MARKER_CIRCLE;
    p->snap = true;
    p->cmap = orgfig_cmap_default();
    bool has_vmin = false, has_vmax = false, colorbar = false;
    for (size_t i = 0; i < nprops; i++) {
        const char *k = props[i].key;
        const orgfig_value *v = &props[i].val;
        orgfig_loc l = orgfig_loc_prop(fn, props, i);
        orgfig_status st = ORGFIG_OK;
        int e;
        if (strcmp(k, "size") == 0) {
            if (v->type == ORGFIG_V_COL) {
                st = orgfig_val_column(v, &l, true, &sizes, err);
                if (st == ORGFIG_OK && sizes->n != x->n)
                    st = orgfig_fail(err, ORGFIG_E_INVALID,
                                     "%s: :size has %zu values but X has %zu", fn,
                                     sizes->n, x->n);
            } else if (v->type == ORGFIG_V_NUM) {
                st = orgfig_val_number(v, &l, 0, 1e6, &p->size, err);
            } else {
                st = orgfig_fail_type(
                    err, "numberp", ORGFIG_WHERE_PROP, i,
                    "%s: :size must be a number or a sequence of numbers, "
                    "got %s",
                    fn, orgfig_value_kind(v));
            }
        } else if (strcmp(k, "color") == 0 && v->type == ORGFIG_V_COL) {
            st = orgfig_val_column(v, &l, true, &colors, err);
            if (st == ORGFIG_OK && colors->n != x->n)
                st = orgfig_fail(err, ORGFIG_E_INVALID,
                                 "%s: :color has %zu values but X has %zu", fn, colors->n,
                                 x->n);
        } else if (strcmp(k, "cmap") == 0) {
            if (v->type != ORGFIG_V_SYM && v->type != ORGFIG_V_STR)
                st = orgfig_fail_type(err, "symbolp", ORGFIG_WHERE_PROP, i,
                                      "%s: :cmap must be a colormap name, got %s", fn,
                                      orgfig_value_kind(v));
            else
                st = orgfig_cmap_parse(v->str, v->len, &p->cmap, fn, ":cmap", err);
        } else if (strcmp(k, "vmin") == 0) {
            st = orgfig_val_number(v, &l, -1e300, 1e300, &p->vmin, err);
            has_vmin = true;
        } else if (strcmp(k, "vmax") == 0) {
            st = orgfig_val_number(v, &l, -1e300, 1e300, &p->vmax, err);
            has_vmax = true;
        } else if (strcmp(k, "colorbar") == 0) {
            st = orgfig_val_bool(v, &l, &colorbar, err);
        } else if (strcmp(k, "marker") == 0) {
            static const char *const names[] = {"none",    "circle", "square", "triangle",
                                                "diamond", "plus",   "x",      NULL};
            st = orgfig_val_enum(v, &l, names, &e, err);
            p->marker = e == 0 ? ORGFIG_MARKER_CIRCLE : (orgfig_marker)e;
        } else if (strcmp(k, "density") == 0) {
            st = orgfig_val_bool(v, &l, &p->density, err);
        } else if (strcmp(k, "snap") == 0) {
            st = orgfig_val_bool(v, &l, &p->snap, err);
        }
        if (st != ORGFIG_OK)
            return st;
    }
    if (colors) {
        if (!has_vmin)
            p->vmin = colors->min;
        if (!has_vmax)
            p->vmax = colors->max;
    } else if (!has_vmin || !has_vmax) {
        if (!has_vmin)
            p->vmin = 0;
        if (!has_vmax)
            p->vmax = 1;
    }
    if (has_vmin && has_vmax && !(p->vmax > p->vmin))
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "%s: :vmin (%g) must be less than :vmax (%g)", fn, p->vmin,
                           p->vmax);
    if (colorbar && (colors || p->density)) {
        a->colorbar.want = true;
        a->colorbar.cmap = p->cmap;
        a->colorbar.vmin = p->vmin;
        a->colorbar.vmax = p->vmax;
        /* Density: the bar shows counts per pixel on a log axis from 1 to
         * the largest count, which layout asks for (density_range). */
        a->colorbar.log = p->density;
        if (p->density) {
            a->colorbar.vmin = 1;
            a->colorbar.vmax = 10;
        }
    }
    a->cols[0] = orgfig_column_ref(x);
    a->cols[1] = orgfig_column_ref(y);
    a->cols[2] = orgfig_column_ref(sizes);
    a->cols[3] = orgfig_column_ref(colors);
    a->data_colors = colors != NULL || p->density;
    a->ncols = 4;
    return ORGFIG_OK;
}

static bool
scatter_bounds(const orgfig_artist *a, orgfig_scale xs, orgfig_scale ys, orgfig_bounds *b)
{
    scatter_priv *p = a->priv;
    return orgfig_points_extent(a->cols[0], a->cols[1], xs == ORGFIG_SCALE_LOG,
                                ys == ORGFIG_SCALE_LOG, &p->extent, b);
}

static orgfig_rgba
point_color(const orgfig_artist *a, const scatter_priv *p, size_t i, orgfig_rgba base)
{
    if (!a->cols[3])
        return base;
    double v = orgfig_column_get(a->cols[3], i);
    double t = (v - p->vmin) / (p->vmax - p->vmin);
    if (!(p->vmax > p->vmin))
        t = 0.5;
    orgfig_rgba c = orgfig_cmap_at(p->cmap, isnan(v) ? NAN : t);
    c.a *= a->alpha;
    return c;
}

static inline bool
ok(double v, bool log)
{
    return isfinite(v) && (!log || v > 0);
}

static double
diameter_px(const scatter_priv *p, const orgfig_artist *a, size_t i)
{
    double s = a->cols[2] ? orgfig_column_get(a->cols[2], i) : p->size;
    if (!(s > 0) || !isfinite(s))
        return 0;
    return sqrt(s) * ORGFIG_PT;
}

/* The centre of the device pixel that logical coordinate V falls in, in
 * logical units (S device pixels per logical one), as matplotlib's Agg
 * places markers: every marker then looks the same (crisp, where sub-pixel
 * positions would blur small ones in 64 ways) and compresses well.  Values
 * far outside the image are left alone (the caller skips them). */
static inline double
snapped(double v, double s)
{
    double dv = v * s;
    return fabs(dv) < 1e9 ? (floor(dv) + 0.5) / s : v;
}

static orgfig_status
draw_paths(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    const scatter_priv *p = a->priv;
    cairo_t *cr = dc->cr;
    orgfig_column *x = a->cols[0], *y = a->cols[1];
    orgfig_rgba base = orgfig_artist_rgba(a);
    bool stroked = orgfig_marker_stroked(p->marker);
    bool percolor = a->cols[3] != NULL;
    bool each = percolor || base.a < 1;
    bool snap = p->snap && dc->pixels;
    cairo_set_line_width(cr, 1.0 * ORGFIG_PT);
    orgfig_set_source(cr, base);
    size_t batch = 0;
    for (size_t i = 0; i < x->n; i++) {
        double xv = orgfig_column_get(x, i), yv = orgfig_column_get(y, i);
        if (!ok(xv, dc->mx.log) || !ok(yv, dc->my.log))
            continue;
        double d = diameter_px(p, a, i);
        if (d <= 0)
            continue;
        double px = orgfig_map_apply(&dc->mx, xv), py = orgfig_map_apply(&dc->my, yv);
        if (snap) {
            px = snapped(px, dc->scale);
            py = snapped(py, dc->scale);
        }
        if (px < dc->box.x - d || px > dc->box.x + dc->box.w + d || py < dc->box.y - d ||
            py > dc->box.y + dc->box.h + d)
            continue;
        if (percolor) {
            orgfig_rgba c = point_color(a, p, i, base);
            if (c.a <= 0)
                continue;
            orgfig_set_source(cr, c);
        }
        orgfig_marker_path(cr, p->marker, px, py, d);
        /* Translucent markers are filled one by one so overlaps darken,
         * as with sprites and in matplotlib; opaque ones in batches. */
        if (each || ++batch == 2048) {
            if (stroked)
                cairo_stroke(cr);
            else
                cairo_fill(cr);
            batch = 0;
        }
        if ((i & 4095) == 4095 && orgfig_draw_poll(dc, 4096, err) != ORGFIG_OK) {
            cairo_new_path(cr);
            return err->status;
        }
    }
    if (stroked)
        cairo_stroke(cr);
    else
        cairo_fill(cr);
    return ORGFIG_OK;
}

/* The device-pixel clip rectangle of the axes box. */
static void
device_clip(const orgfig_draw_ctx *dc, int *x0, int *y0, int *x1, int *y1)
{
    double s = dc->scale;
    *x0 = (int)fmax(0, floor(dc->box.x * s));
    *y0 = (int)fmax(0, floor(dc->box.y * s));
    *x1 = (int)fmin(dc->dev_w, ceil((dc->box.x + dc->box.w) * s));
    *y1 = (int)fmin(dc->dev_h, ceil((dc->box.y + dc->box.h) * s));
}

/* Rounded division by 255 of two 16-bit lanes at once (bits 0-15 and
 * 16-31), each lane at most 255 * 255: exactly (v + 127) / 255 per lane.
 * The result is left in the low byte of each lane. */
static inline uint32_t
div255x2(uint32_t v)
{
    v += 0x00800080u;
    return ((v + ((v >> 8) & 0x00ff00ffu)) >> 8) & 0x00ff00ffu;
}

/* Premultiplied OVER of the premultiplied ARGB32 source word S onto D.
 * Each channel is S + (D * (255 - S.alpha) + 127) / 255, which never
 * exceeds 255 because every color channel of S is at most its alpha. */
static inline uint32_t
over(uint32_t s, uint32_t d)
{
    uint32_t inv = 255 - (s >> 24);
    uint32_t rb = div255x2((d & 0x00ff00ffu) * inv);
    uint32_t ag = div255x2(((d >> 8) & 0x00ff00ffu) * inv);
    return s + rb + (ag << 8);
}

#if defined(__SSE2__)
/* div255x2 on eight 16-bit lanes. */
static inline __m128i
div255x8(__m128i v)
{
    v = _mm_add_epi16(v, _mm_set1_epi16(0x80));
    return _mm_srli_epi16(_mm_add_epi16(v, _mm_srli_epi16(v, 8)), 8);
}

/* over() on four pixels. */
static inline __m128i
over4(__m128i s, __m128i d)
{
    const __m128i lo = _mm_set1_epi32(0x00ff00ff);
    __m128i inv = _mm_sub_epi32(_mm_set1_epi32(255), _mm_srli_epi32(s, 24));
    inv = _mm_or_si128(inv, _mm_slli_epi32(inv, 16));
    __m128i rb = div255x8(_mm_mullo_epi16(_mm_and_si128(d, lo), inv));
    __m128i ag = div255x8(_mm_mullo_epi16(_mm_and_si128(_mm_srli_epi32(d, 8), lo), inv));
    return _mm_add_epi32(s, _mm_add_epi32(rb, _mm_slli_epi32(ag, 8)));
}
#endif

/* The premultiplied source word of color (SA, SR, SG, SB), each 0..255
 * with SR, SG, SB <= SA, at coverage COV: every channel is
 * (channel * cov + 127) / 255. */
static inline uint32_t
covered(uint32_t sag, uint32_t srb, uint32_t cov)
{
    return div255x2(sag * cov) << 8 | div255x2(srb * cov);
}

/* A color as the two lane pairs covered() takes: alpha and green, red and
 * blue, premultiplied and rounded to 0..255. */
static void
color_lanes(orgfig_rgba c, uint32_t *sag, uint32_t *srb)
{
    uint32_t sa = (uint32_t)(c.a * 255 + 0.5), sr = (uint32_t)(c.r * c.a * 255 + 0.5),
             sg = (uint32_t)(c.g * c.a * 255 + 0.5),
             sb = (uint32_t)(c.b * c.a * 255 + 0.5);
    sa = sa > 255 ? 255 : sa;
    sr = sr > sa ? sa : sr;
    sg = sg > sa ? sa : sg;
    sb = sb > sa ? sa : sb;
    *sag = sa << 16 | sg;
    *srb = sr << 16 | sb;
}

/* One sub-pixel phase of the marker, cut to its inked rectangle: X0, Y0
 * are its offset in the SIDE x SIDE cell (whose pixel HALF, HALF holds
 * the point), W x H its size, and OFF its first pixel in the pools. */
typedef struct sprite {
    int x0, y0, w, h;
    size_t off; /* H rows of WP coverages, zero padded */
    int wp;     /* W rounded up to a multiple of 4 */
} sprite;

/* Stamp sprite SP (coverages COV recolored with SAG, SRB) with its cell's
 * corner at device pixel IX, IY, clipped to [CX0, CX1) x [CY0, CY1). */
static inline void
stamp(const orgfig_draw_ctx *dc, const sprite *sp, const unsigned char *cov, uint32_t sag,
      uint32_t srb, int ix, int iy, int cx0, int cy0, int cx1, int cy1)
{
    int x0 = ix + sp->x0, y0 = iy + sp->y0, x1 = x0 + sp->w, y1 = y0 + sp->h;
    int xs = x0 < cx0 ? cx0 - x0 : 0, ys = y0 < cy0 ? cy0 - y0 : 0;
    int xe = x1 > cx1 ? sp->w - (x1 - cx1) : sp->w,
        ye = y1 > cy1 ? sp->h - (y1 - cy1) : sp->h;
    if (xs >= xe || ys >= ye)
        return;
#if defined(__SSE2__)
    /* A whole sprite, padding included, inside the image: four pixels at
     * a time.  OVER of a zero word (the padding, uncovered pixels) leaves
     * a pixel exactly as it was, so the padding may fall outside the
     * clip box (never outside the image), and an opaque word replaces
     * it, so one branch-free formula serves every pixel. */
    if (xs == 0 && ys == 0 && xe == sp->w && ye == sp->h && x0 + sp->wp <= dc->dev_w) {
        /* Here X0 >= CX0 >= 0 and Y0 >= CY0 >= 0. */
        unsigned char *base =
            dc->pixels + (size_t)y0 * (size_t)dc->stride + (size_t)x0 * 4;
        const __m128i sagv = _mm_set1_epi32((int)sag), srbv = _mm_set1_epi32((int)srb),
                      zero = _mm_setzero_si128();
        for (int r = 0; r < sp->h; r++, base += dc->stride) {
            size_t k = sp->off + (size_t)r * (size_t)sp->wp;
            for (int c = 0; c < sp->wp; c += 4) {
                int32_t c4;
                memcpy(&c4, cov + k + (size_t)c, 4);
                __m128i cv = _mm_unpacklo_epi16(
                    _mm_unpacklo_epi8(_mm_cvtsi32_si128(c4), zero), zero);
                cv = _mm_or_si128(cv, _mm_slli_epi32(cv, 16));
                __m128i sv =
                    _mm_add_epi32(_mm_slli_epi32(div255x8(_mm_mullo_epi16(sagv, cv)), 8),
                                  div255x8(_mm_mullo_epi16(srbv, cv)));
                __m128i *dp = (__m128i *)(base + (size_t)c * 4);
                _mm_storeu_si128(dp, over4(sv, _mm_loadu_si128(dp)));
            }
        }
        return;
    }
#endif
    /* Pixel C of row R is DROW[X0 + C], inside the clip box (X0 + C and
     * Y0 + R are at least 0 there, while X0 and Y0 may be negative). */
    for (int r = ys; r < ye; r++) {
        uint32_t *drow = (uint32_t *)(dc->pixels + (size_t)(y0 + r) * (size_t)dc->stride);
        const unsigned char *crow = cov + sp->off + (size_t)r * (size_t)sp->wp;
        for (int c = xs; c < xe; c++) {
            uint32_t cv = crow[c];
            if (cv != 0) {
                uint32_t w = covered(sag, srb, cv);
                drow[x0 + c] = w >= 0xff000000u ? w : over(w, drow[x0 + c]);
            }
        }
    }
}

/* Stamping the points of one horizontal band of the image: the sprites,
 * colours and map, and the band's clip rectangle. */
typedef struct band {
    const orgfig_artist *a;
    const scatter_priv *p;
    orgfig_draw_ctx *dc; /* read only, except the calling thread's polls */
    const sprite *sp;
    const unsigned char *mask;
    /* One colour: coverages (alpha included) are united into UBUF, an A8
     * image of the clip box at UX0, UY0 (USTRIDE bytes a row), which is
     * painted once afterwards; NULL when each point has its colour. */
    unsigned char *ubuf;
    const unsigned char *acov;
    int ux0, uy0, ustride;
    uint32_t sag, srb;
    orgfig_rgba base;
    bool percolor;
    bool snap;
    int half;
    int cx0, cy0, cx1, cy1;
    double s;
    /* Worker bands only: the flag the calling thread raises to stop it. */
    atomic_bool *stop;
} band;

/* Unite sprite SP's coverage (B->acov) into B->ubuf with its cell's
 * corner at device pixel IX, IY, clipped to the band: u + v - uv, the
 * coverage of OVER-compositing one colour twice, so painting the colour
 * once through the union equals stamping each point with it. */
static inline void
stamp_union(const band *b, const sprite *sp, int ix, int iy)
{
    int x0 = ix + sp->x0, y0 = iy + sp->y0, x1 = x0 + sp->w, y1 = y0 + sp->h;
    int xs = x0 < b->cx0 ? b->cx0 - x0 : 0, ys = y0 < b->cy0 ? b->cy0 - y0 : 0;
    int xe = x1 > b->cx1 ? sp->w - (x1 - b->cx1) : sp->w,
        ye = y1 > b->cy1 ? sp->h - (y1 - b->cy1) : sp->h;
#if defined(__SSE2__)
    /* A whole sprite, padding included, within the buffer's rows: 8 or 4
     * pixels at a time (zero padding leaves a coverage as it was; the
     * band owns these rows, so writing it back races with nobody). */
    if (xs == 0 && ys == 0 && xe == sp->w && ye == sp->h &&
        x0 - b->ux0 + sp->wp <= b->ustride) {
        const __m128i zero = _mm_setzero_si128(), k128 = _mm_set1_epi16(128);
        for (int r = 0; r < sp->h; r++) {
            unsigned char *urow = b->ubuf +
                                  (size_t)(y0 + r - b->uy0) * (size_t)b->ustride +
                                  (size_t)(x0 - b->ux0);
            const unsigned char *crow = b->acov + sp->off + (size_t)r * (size_t)sp->wp;
            for (int c = 0; c < sp->wp; c += 8) {
                bool four = sp->wp - c < 8; /* WP is a multiple of 4 */
                __m128i u, v;
                if (four) {
                    int32_t u4, v4;
                    memcpy(&u4, urow + c, 4);
                    memcpy(&v4, crow + c, 4);
                    u = _mm_cvtsi32_si128(u4);
                    v = _mm_cvtsi32_si128(v4);
                } else {
                    u = _mm_loadl_epi64((const __m128i *)(const void *)(urow + c));
                    v = _mm_loadl_epi64((const __m128i *)(const void *)(crow + c));
                }
                u = _mm_unpacklo_epi8(u, zero);
                v = _mm_unpacklo_epi8(v, zero);
                /* round(u * v / 255): t = uv + 128, (t + (t >> 8)) >> 8. */
                __m128i t = _mm_add_epi16(_mm_mullo_epi16(u, v), k128);
                t = _mm_srli_epi16(_mm_add_epi16(t, _mm_srli_epi16(t, 8)), 8);
                __m128i res =
                    _mm_packus_epi16(_mm_sub_epi16(_mm_add_epi16(u, v), t), zero);
                if (four) {
                    int32_t r4 = _mm_cvtsi128_si32(res);
                    memcpy(urow + c, &r4, 4);
                } else {
                    _mm_storel_epi64((__m128i *)(void *)(urow + c), res);
                }
            }
        }
        return;
    }
#endif
    for (int r = ys; r < ye; r++) {
        /* Inside the clip box here, so the offsets are not negative. */
        unsigned char *urow = b->ubuf + (size_t)(y0 + r - b->uy0) * (size_t)b->ustride +
                              (size_t)(x0 - b->ux0);
        const unsigned char *crow = b->acov + sp->off + (size_t)r * (size_t)sp->wp;
        for (int c = xs; c < xe; c++) {
            unsigned v = crow[c], u = urow[c], t = u * v + 128;
            /* round(u * v / 255), the same arithmetic as the SSE2 path */
            urow[c] = (unsigned char)(u + v - ((t + (t >> 8)) >> 8));
        }
    }
}

/* Stamp points [I0, I1) into band B's rows, in order. */
static void
stamp_points(band *b, size_t i0, size_t i1)
{
    const orgfig_artist *a = b->a;
    const orgfig_draw_ctx *dc = b->dc;
    orgfig_column *x = a->cols[0], *y = a->cols[1];
    int half = b->half;
    double s = b->s;
    uint32_t sag = b->sag, srb = b->srb;
    /* Points whose cell cannot reach the band are skipped at once. */
    double lox = b->cx0 - half - 1, hix = b->cx1 + half + 1, loy = b->cy0 - half - 1,
           hiy = b->cy1 + half + 1;
    const long off = half + 2;
    /* Float64 data on linear axes is read directly; anything else goes
     * through the column and the map (non-finite values fail the range
     * test below either way, as NaN compares false). */
    bool fast =
        !dc->mx.log && !dc->my.log && x->dtype == ORGFIG_F64 && y->dtype == ORGFIG_F64;
    const double *X = x->data, *Y = y->data;
    double kx = dc->mx.k, ox = dc->mx.off, ky = dc->my.k, oy = dc->my.off;
    for (size_t i = i0; i < i1; i++) {
        double px, py;
        if (fast) {
            /* The same arithmetic as orgfig_map_apply, so the same pixels. */
            px = (ox + kx * X[i]) * s;
            py = (oy + ky * Y[i]) * s;
        } else {
            double xv = orgfig_column_get(x, i), yv = orgfig_column_get(y, i);
            if (!ok(xv, dc->mx.log) || !ok(yv, dc->my.log))
                continue;
            px = orgfig_map_apply(&dc->mx, xv) * s;
            py = orgfig_map_apply(&dc->my, yv) * s;
        }
        if (!(px > lox && px < hix && py > loy && py < hiy))
            continue;
        /* Snapped: the pixel the point falls in, with the centred sprite.
         * Else the nearest 1/8 pixel, carrying into the whole part.  Past
         * the test above px, py > -(half + 1), so shifted by OFF they are
         * positive and a truncating cast is floor; PHASES is a power of
         * two, so the whole pixel and the phase are a shift and a mask. */
        long wx, wy;
        int ph = SNAP_PHASE;
        if (b->snap) {
            wx = (long)(px + off) - off;
            wy = (long)(py + off) - off;
        } else {
            long qx = (long)((px + off) * PHASES + 0.5),
                 qy = (long)((py + off) * PHASES + 0.5);
            wx = (qx >> PHASE_BITS) - off;
            wy = (qy >> PHASE_BITS) - off;
            ph = (int)(qy & (PHASES - 1)) * PHASES + (int)(qx & (PHASES - 1));
        }
        if (b->percolor) {
            orgfig_rgba c = point_color(a, b->p, i, b->base);
            if (!(c.a > 0))
                continue;
            color_lanes(c, &sag, &srb);
        }
        if (b->ubuf)
            stamp_union(b, &b->sp[ph], (int)wx - half, (int)wy - half);
        else
            stamp(dc, &b->sp[ph], b->mask, sag, srb, (int)wx - half, (int)wy - half,
                  b->cx0, b->cy0, b->cx1, b->cy1);
    }
}

#define STAMP_CHUNK 65536

/* A worker band: all the points, a chunk at a time, until done or told
 * to stop. */
static void *
band_run(void *arg)
{
    band *b = arg;
    size_t n = b->a->cols[0]->n;
    for (size_t i = 0; i < n; i += STAMP_CHUNK) {
        if (atomic_load_explicit(b->stop, memory_order_relaxed))
            break;
        stamp_points(b, i, n - i < STAMP_CHUNK ? n : i + STAMP_CHUNK);
    }
    return NULL;
}

/* Stamp every point of JOB (whose clip is the whole axes box), on
 * orgfig_scatter_threads threads when there are enough points: each
 * thread owns a horizontal band of the image and stamps, in order, the
 * points whose sprite reaches it, so every pixel sees the same stamps in
 * the same order as with one thread and the image is identical.  Only
 * the calling thread polls (the poll may call into the host); a quit
 * stops the workers at their next chunk.  Workers start with every
 * signal blocked and allocate nothing. */
static orgfig_status
stamp_bands(band *job, orgfig_err *err)
{
    size_t n = job->a->cols[0]->n;
    int rows = job->cy1 - job->cy0;
    int nb = orgfig_scatter_threads < SCATTER_MAX_BANDS ? orgfig_scatter_threads
                                                        : SCATTER_MAX_BANDS;
    if (nb < 1 || n < orgfig_scatter_thread_min || rows < 8 * nb)
        nb = 1;
    band bands[SCATTER_MAX_BANDS];
    pthread_t tid[SCATTER_MAX_BANDS];
    bool started[SCATTER_MAX_BANDS] = {false};
    atomic_bool stop;
    atomic_init(&stop, false);
    for (int k = 0; k < nb; k++) {
        bands[k] = *job;
        bands[k].cy0 = job->cy0 + (int)((long long)rows * k / nb);
        bands[k].cy1 = job->cy0 + (int)((long long)rows * (k + 1) / nb);
        bands[k].stop = &stop;
    }
    /* Bands 1..nb-1 on workers; band 0 here, with the polls. */
    for (int k = 1; k < nb; k++)
        started[k] = orgfig_thread_start(&tid[k], band_run, &bands[k]);
    orgfig_status st = ORGFIG_OK;
    for (size_t i = 0; i < n && st == ORGFIG_OK; i += STAMP_CHUNK) {
        size_t i1 = n - i < STAMP_CHUNK ? n : i + STAMP_CHUNK;
        stamp_points(&bands[0], i, i1);
        for (int k = 1; k < nb; k++)
            if (!started[k])
                stamp_points(&bands[k], i, i1); /* no thread: here */
        if (i1 < n || n >= STAMP_CHUNK)
            st = orgfig_draw_poll(job->dc, i1 - i, err);
    }
    if (st != ORGFIG_OK)
        atomic_store(&stop, true);
    for (int k = 1; k < nb; k++)
        if (started[k])
            pthread_join(tid[k], NULL);
    return st;
}

/* Coverage V (0..255) rounded to one of ORGFIG_LMASK_LEVELS steps, as
 * lines keep theirs (lineraster.h): invisible, and far fewer colours to
 * compress. */
static inline unsigned char
level(unsigned v)
{
    unsigned k = (v * ORGFIG_LMASK_LEVELS + 127) / 255;
    return (unsigned char)((k * 255 + ORGFIG_LMASK_LEVELS / 2) / ORGFIG_LMASK_LEVELS);
}

/* Render the PHASES x PHASES coverage masks of the marker (one per
 * 1/8-pixel offset) into MASK, SIDE x SIDE each at MSTRIDE. */
static orgfig_status
render_masks(const scatter_priv *p, double d, double s, int half, int side, int mstride,
             unsigned char *mask, orgfig_err *err)
{
    size_t one = (size_t)mstride * (size_t)side;
    for (int ph = 0; ph < PHASES * PHASES; ph++) {
        if (p->snap && ph != SNAP_PHASE)
            continue; /* left empty: never stamped */
        cairo_surface_t *ms = cairo_image_surface_create_for_data(
            mask + one * (size_t)ph, CAIRO_FORMAT_A8, side, side, mstride);
        cairo_t *mc = cairo_create(ms);
        cairo_set_line_width(mc, 1.0 * ORGFIG_PT * s);
        cairo_set_source_rgba(mc, 0, 0, 0, 1);
        /* Sprite pixel HALF holds the device pixel the point falls in. */
        orgfig_marker_path(mc, p->marker, half + (double)(ph % PHASES) / PHASES,
                           half + (double)(ph / PHASES) / PHASES, d);
        if (orgfig_marker_stroked(p->marker))
            cairo_stroke(mc);
        else
            cairo_fill(mc);
        cairo_status_t cs = cairo_status(mc);
        cairo_destroy(mc);
        cairo_surface_flush(ms);
        cairo_surface_destroy(ms);
        if (cs != CAIRO_STATUS_SUCCESS)
            return orgfig_fail(err, ORGFIG_E_RENDER,
                               "orgfig-render: cairo failed drawing a marker: %s",
                               cairo_status_to_string(cs));
    }
    return ORGFIG_OK;
}

static orgfig_status
draw_sprites(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    const scatter_priv *p = a->priv;
    double s = dc->scale;
    double d = diameter_px(p, a, 0) * s; /* device pixels */
    int half = (int)ceil(d / 2 + 2);
    int side = 2 * half + 1;
    int mstride = cairo_format_stride_for_width(CAIRO_FORMAT_A8, side);
    if (mstride < 0)
        return orgfig_fail(err, ORGFIG_E_RENDER, "orgfig-render: marker too large");
    /* PHASES x PHASES sprites, one per 1/8-pixel offset, so a marker
     * lands within 1/16 device pixel of where cairo would draw it. */
    size_t one = (size_t)mstride * (size_t)side;
    unsigned char *mask = orgfig_alloc_array(&a->fig->meter, one, PHASES * PHASES, true,
                                             "marker sprites", err);
    if (mask == NULL)
        return err->status;
    if (render_masks(p, d, s, half, side, mstride, mask, err) != ORGFIG_OK) {
        orgfig_free(mask);
        return err->status;
    }
    /* Cut each sprite to its inked rectangle, rows zero padded to WP
     * pixels, and pack them: coverages in place at the front of MASK (and,
     * for one colour, a copy with the alpha folded in, below).  In place is
     * safe: WP <= MSTRIDE (a multiple of 4, at
     * least SIDE), so every byte written, padding included, lies before
     * the sprite bytes not yet read. */
    sprite sp[PHASES * PHASES];
    size_t total = 0;
    for (int ph = 0; ph < PHASES * PHASES; ph++) {
        int t0 = side, t1 = side, t2 = 0, t3 = 0;
        const unsigned char *m = mask + one * (size_t)ph;
        for (int yy = 0; yy < side; yy++)
            for (int xx = 0; xx < side; xx++)
                if (m[(size_t)yy * (size_t)mstride + (size_t)xx]) {
                    t0 = xx < t0 ? xx : t0;
                    t1 = yy < t1 ? yy : t1;
                    t2 = xx + 1 > t2 ? xx + 1 : t2;
                    t3 = yy + 1 > t3 ? yy + 1 : t3;
                }
        if (t2 <= t0 || t3 <= t1)
            t0 = t1 = t2 = t3 = 0; /* nothing inked */
        int wp = (t2 - t0 + 3) & ~3;
        sp[ph] = (sprite){t0, t1, t2 - t0, t3 - t1, total, wp};
        for (int yy = t1; yy < t3; yy++) {
            for (int xx = t0; xx < t0 + wp; xx++)
                mask[total++] =
                    xx < t2 ? level(m[(size_t)yy * (size_t)mstride + (size_t)xx]) : 0;
        }
    }
    orgfig_rgba base = orgfig_artist_rgba(a);
    bool percolor = a->cols[3] != NULL;
    uint32_t sag, srb;
    color_lanes(base, &sag, &srb);
    int cx0, cy0, cx1, cy1;
    device_clip(dc, &cx0, &cy0, &cx1, &cy1);
    if (cx1 <= cx0 || cy1 <= cy0) {
        orgfig_free(mask);
        return ORGFIG_OK;
    }
    /* One colour: coverages with the alpha folded in, united into an A8
     * image of the clip box (the colour is painted through it once). */
    unsigned char *acov = NULL, *ubuf = NULL;
    int ustride = (cx1 - cx0 + 3) & ~3;
    if (!percolor) {
        acov = orgfig_alloc(&a->fig->meter, total ? total : 1, "marker sprites", err);
        ubuf = acov
                   ? orgfig_alloc_array(&a->fig->meter, (size_t)ustride,
                                        (size_t)(cy1 - cy0), true, "marker coverage", err)
                   : NULL;
        if (ubuf == NULL) {
            orgfig_free(acov);
            orgfig_free(mask);
            return err->status;
        }
        unsigned al = (unsigned)lround(fmin(1, fmax(0, base.a)) * 255);
        for (size_t k = 0; k < total; k++)
            acov[k] = (unsigned char)((mask[k] * al + 127) / 255);
    }
    band job = {.a = a,
                .p = p,
                .dc = dc,
                .sp = sp,
                .mask = mask,
                .ubuf = ubuf,
                .acov = acov,
                .ux0 = cx0,
                .uy0 = cy0,
                .ustride = ustride,
                .sag = sag,
                .srb = srb,
                .base = base,
                .percolor = percolor,
                .snap = p->snap,
                .half = half,
                .cx0 = cx0,
                .cy0 = cy0,
                .cx1 = cx1,
                .cy1 = cy1,
                .s = s};
    orgfig_draw_pixels_begin(dc);
    orgfig_status st = stamp_bands(&job, err);
    orgfig_draw_pixels_end(dc);
    if (st == ORGFIG_OK && ubuf) {
        /* The united coverage back onto the sprites' levels: the union
         * u + v - uv leaves values between them (254 where a few faint
         * stamps overlap a solid one), each a colour of its own. */
        unsigned char lut[256];
        for (unsigned v = 0; v < 256; v++)
            lut[v] = level(v);
        for (int yy = 0; yy < cy1 - cy0; yy++) {
            unsigned char *row = ubuf + (size_t)yy * (size_t)ustride;
            for (int xx = 0; xx < cx1 - cx0; xx++)
                row[xx] = lut[row[xx]];
        }
        orgfig_rgba opaque = base;
        opaque.a = 1;
        orgfig_set_source(dc->cr, opaque);
        orgfig_paint_a8(dc->cr, ubuf, cx0, cy0, cx1 - cx0, cy1 - cy0, ustride);
    }
    orgfig_free(ubuf);
    orgfig_free(acov);
    orgfig_free(mask);
    return st;
}

/* Count the points per device pixel of the box (S device pixels per
 * logical pixel) into a new zeroed GW x GH grid (*GRID, on the figure's
 * meter; NULL when the box is empty) and find the largest count.  The
 * same function serves the draw and the colorbar's range, so the two
 * agree exactly. */
static orgfig_status
density_counts(const orgfig_artist *a, orgfig_draw_ctx *dc, double s, uint32_t **grid_out,
               int *gw_out, int *gh_out, uint32_t *max_out, orgfig_err *err)
{
    orgfig_column *x = a->cols[0], *y = a->cols[1];
    *grid_out = NULL;
    *max_out = 0;
    int gw = (int)ceil(dc->box.w * s), gh = (int)ceil(dc->box.h * s);
    *gw_out = gw;
    *gh_out = gh;
    if (gw < 1 || gh < 1)
        return ORGFIG_OK;
    uint32_t *grid = orgfig_alloc_array(&a->fig->meter, (size_t)gw * (size_t)gh,
                                        sizeof(uint32_t), true, "a density grid", err);
    if (grid == NULL)
        return err->status;
    uint32_t maxc = 0;
    double ox = dc->box.x * s, oy = dc->box.y * s;
    orgfig_status st = ORGFIG_OK;
    bool fast =
        !dc->mx.log && !dc->my.log && x->dtype == ORGFIG_F64 && y->dtype == ORGFIG_F64;
    const double *X = x->data, *Y = y->data;
    double kx = dc->mx.k * s, bx = dc->mx.off * s - ox, ky = dc->my.k * s,
           by = dc->my.off * s - oy;
    for (size_t i = 0; i < x->n; i++) {
        if ((i & 1048575) == 1048575 &&
            (st = orgfig_draw_poll(dc, 1048576, err)) != ORGFIG_OK)
            break;
        if (fast) {
            /* Float64 on linear axes: no per-point calls. */
            double fx = bx + kx * X[i], fy = by + ky * Y[i];
            if (!(fx >= 0 && fx < gw && fy >= 0 && fy < gh))
                continue; /* also NaN */
            uint32_t *fc = &grid[(size_t)fy * (size_t)gw + (size_t)fx];
            *fc += *fc < UINT32_MAX;
            maxc = *fc > maxc ? *fc : maxc;
            continue;
        }
        double xv = orgfig_column_get(x, i), yv = orgfig_column_get(y, i);
        if (!ok(xv, dc->mx.log) || !ok(yv, dc->my.log))
            continue;
        double px = orgfig_map_apply(&dc->mx, xv) * s - ox;
        double py = orgfig_map_apply(&dc->my, yv) * s - oy;
        if (!(px >= 0 && px < gw && py >= 0 && py < gh))
            continue;
        uint32_t *c = &grid[(size_t)py * (size_t)gw + (size_t)px];
        if (*c < UINT32_MAX)
            (*c)++;
        if (*c > maxc)
            maxc = *c;
    }
    if (st != ORGFIG_OK) {
        orgfig_free(grid);
        return st;
    }
    *grid_out = grid;
    *max_out = maxc;
    return ORGFIG_OK;
}

/* The colorbar's range: counts 1 .. the largest count per pixel. */
static orgfig_status
density_range(const orgfig_artist *a, const orgfig_draw_ctx *dc, double *lo, double *hi,
              orgfig_err *err)
{
    const scatter_priv *p = a->priv;
    *lo = 1;
    *hi = 10;
    if (!p->density)
        return ORGFIG_OK;
    orgfig_draw_ctx d = *dc;
    d.opts = NULL; /* layout: no poll */
    d.next_poll = UINT64_MAX;
    uint32_t *grid, maxc;
    int gw, gh;
    if (density_counts(a, &d, dc->scale > 0 ? dc->scale : 1, &grid, &gw, &gh, &maxc,
                       err) != ORGFIG_OK)
        return err->status;
    orgfig_free(grid);
    if (maxc > 1)
        *hi = (double)maxc;
    return ORGFIG_OK;
}

static orgfig_status
draw_density(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    const scatter_priv *p = a->priv;
    /* The grid covers the box at device resolution (1 px per logical px
     * for vector output). */
    double s = dc->pixels ? dc->scale : 1;
    uint32_t *grid, maxc;
    int gw, gh;
    if (density_counts(a, dc, s, &grid, &gw, &gh, &maxc, err) != ORGFIG_OK)
        return err->status;
    if (grid == NULL)
        return ORGFIG_OK;
    if (maxc == 0) {
        orgfig_free(grid);
        return ORGFIG_OK;
    }
    uint32_t lut[256];
    orgfig_cmap_lut(p->cmap, lut);
    /* Counts 1 .. maxc on a log scale, as on the colorbar's axis (whose
     * range is [1, 10] when every count is 1: the bottom color). */
    double lm = maxc > 1 ? log((double)maxc) : 0;
    uint32_t alpha = (uint32_t)lround(a->alpha * 255);
    /* Reuse the grid as the ARGB32 image (cairo's stride for ARGB32 is
     * 4 * width, which is the grid's row size). */
    for (size_t k = 0; k < (size_t)gw * (size_t)gh; k++) {
        uint32_t c = grid[k];
        if (c == 0)
            continue;
        int t = lm > 0 ? (int)lround(log((double)c) / lm * 255) : 0;
        uint32_t col = lut[t < 0 ? 0 : t > 255 ? 255 : t];
        uint32_t r = ((col >> 16) & 255) * alpha / 255,
                 g = ((col >> 8) & 255) * alpha / 255, b = (col & 255) * alpha / 255;
        grid[k] = alpha << 24 | r << 16 | g << 8 | b;
    }
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, gw);
    if (stride != gw * 4) {
        orgfig_free(grid);
        return orgfig_fail(err, ORGFIG_E_RENDER,
                           "orgfig-render: unexpected image stride");
    }
    cairo_surface_t *img = cairo_image_surface_create_for_data(
        (unsigned char *)grid, CAIRO_FORMAT_ARGB32, gw, gh, stride);
    cairo_t *cr = dc->cr;
    cairo_save(cr);
    cairo_translate(cr, dc->box.x, dc->box.y);
    cairo_scale(cr, 1 / s, 1 / s);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_restore(cr);
    /* Vector surfaces may keep a reference to the image until finished:
     * flush the surface's use of it by finishing the snapshot now. */
    cairo_surface_finish(img);
    cairo_surface_destroy(img);
    orgfig_free(grid);
    (void)p;
    return ORGFIG_OK;
}

static orgfig_status
scatter_draw(const orgfig_artist *a, orgfig_draw_ctx *dc, orgfig_err *err)
{
    const scatter_priv *p = a->priv;
    if (p->density)
        return draw_density(a, dc, err);
    if (dc->pixels && a->cols[2] == NULL && a->cols[0]->n > orgfig_scatter_sprite_min)
        return draw_sprites(a, dc, err);
    return draw_paths(a, dc, err);
}

static void
scatter_swatch(const orgfig_artist *a, size_t i, cairo_t *cr, orgfig_rect r)
{
    (void)i;
    const scatter_priv *p = a->priv;
    orgfig_rgba c = a->cols[3] ? orgfig_cmap_at(p->cmap, 0.5) : orgfig_artist_rgba(a);
    orgfig_set_source(cr, c);
    cairo_set_line_width(cr, ORGFIG_PT);
    orgfig_marker_path(cr, p->marker, r.x + r.w / 2, r.y + r.h / 2,
                       fmin(sqrt(p->size) * ORGFIG_PT, r.h * 1.2));
    if (orgfig_marker_stroked(p->marker))
        cairo_stroke(cr);
    else
        cairo_fill(cr);
}

static size_t
scatter_sample(const orgfig_artist *a, double *xy, size_t max)
{
    orgfig_column *x = a->cols[0], *y = a->cols[1];
    size_t n = x->n, k = 0, stride = n > max ? n / max : 1;
    for (size_t i = 0; i < n && k < max; i += stride) {
        double xv = orgfig_column_get(x, i), yv = orgfig_column_get(y, i);
        if (isfinite(xv) && isfinite(yv)) {
            xy[2 * k] = xv;
            xy[2 * k + 1] = yv;
            k++;
        }
    }
    return k;
}

const orgfig_plot_class orgfig_plot_scatter = {
    .kind = ORGFIG_SCATTER,
    .fn = "orgfig-scatter",
    .nargs = 2,
    .arg_names = scatter_args,
    .props = scatter_props,
    .uses_cycle = true,
    .color_values = true,
    .build = scatter_build,
    .bounds = scatter_bounds,
    .draw = scatter_draw,
    .legend_swatch = scatter_swatch,
    .sample = scatter_sample,
    .colorbar_range = density_range,
};
