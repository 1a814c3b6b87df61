/* color.h - color names, the default cycle and colormaps. */
#ifndef ORGFIG_COLOR_H
#define ORGFIG_COLOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct orgfig_rgba {
    double r, g, b, a; /* each in [0, 1], straight (not premultiplied) alpha */
} orgfig_rgba;

/* Parse a color: a CSS/X11 name ("steelblue", case-insensitive, spaces
 * ignored), "#rgb", "#rrggbb", "#rrggbbaa", "tab:NAME" (the tab10 set:
 * blue orange green red purple brown pink gray olive cyan), or "CN" (the Nth
 * color of the default cycle).  FN and ARG name the caller for the error
 * message ("orgfig-line", ":color"). */
orgfig_status orgfig_color_parse(const char *s, size_t len, orgfig_rgba *out,
                                 const char *fn, const char *arg, orgfig_err *err);

/* The Ith color of the default cycle (tab10, wrapping around). */
orgfig_rgba orgfig_cycle_color(size_t i);

/* Colormaps.  Names: viridis plasma inferno magma cividis gray RdBu coolwarm
 * (case-insensitive), each also with "_r" for the reversed map. */
typedef struct orgfig_cmap {
    int id; /* index into the built-in table */
    bool reversed;
} orgfig_cmap;

/* Look up NAME; on failure record ORGFIG_E_INVALID naming FN and ARG and
 * listing the known names. */
orgfig_status orgfig_cmap_parse(const char *name, size_t len, orgfig_cmap *out,
                                const char *fn, const char *arg, orgfig_err *err);
orgfig_cmap orgfig_cmap_default(void); /* viridis */
/* The color at T in [0, 1] (clamped; NaN gives transparent). */
orgfig_rgba orgfig_cmap_at(orgfig_cmap cm, double t);
/* A 256-entry lookup table of opaque cairo ARGB32 pixels (0xffRRGGBB). */
void orgfig_cmap_lut(orgfig_cmap cm, uint32_t lut[256]);

/* Relative luminance (for choosing black or white annotation text). */
double orgfig_luminance(orgfig_rgba c);

#endif
