/* color.c - color names, the default cycle and colormaps.
 *
 * Colors arrive from Lisp as strings, often one per data point, so parsing
 * must be cheap and must never read past LEN: the string may be a slice of
 * a larger buffer.  Names are matched after folding case and dropping
 * spaces, underscores and hyphens, so "Steel Blue", "steel_blue" and
 * "steelblue" are the same color.
 *
 * Colormaps are not copied from any other program.  Each map is a short
 * list of anchor colors, evenly spaced over [0, 1] and stated in the table
 * below, from which a 256-entry table is built once, on first use.  Between
 * anchors the map follows a monotone cubic (Fritsch-Carlson) curve through
 * the anchors' OKLab coordinates: OKLab is close to perceptually uniform, so
 * the steps between neighbouring entries look even, and the monotone cubic
 * never overshoots, so a map whose anchors rise in lightness rises in
 * lightness everywhere.  The gray map is interpolated directly in sRGB
 * (equal steps of the stored value), as gray ramps conventionally are. */
#include "color.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- small helpers ---- */

static int
hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static unsigned char
ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

static orgfig_rgba
rgb24(uint32_t hex)
{
    return (orgfig_rgba){((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0,
                         (hex & 0xff) / 255.0, 1.0};
}

/* Write S[0..LEN) into OUT (of SIZE bytes) as a readable excerpt for an
 * error message: at most 40 bytes, with control bytes, quotes, backslashes
 * and non-ASCII bytes escaped, and "..." when cut short.  The result is
 * always NUL-terminated. */
static void
excerpt(const char *s, size_t len, char *out, size_t size)
{
    size_t o = 0, i;
    if (size == 0)
        return;
    for (i = 0; i < len && i < 40; i++) {
        unsigned char c = (unsigned char)s[i];
        char tmp[8];
        int n;
        if (c == '"' || c == '\\')
            n = snprintf(tmp, sizeof tmp, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            n = snprintf(tmp, sizeof tmp, "\\x%02x", c);
        else
            n = snprintf(tmp, sizeof tmp, "%c", c);
        if (n < 0 || o + (size_t)n + 4 >= size)
            break;
        memcpy(out + o, tmp, (size_t)n);
        o += (size_t)n;
    }
    if (i < len && o + 4 < size) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

/* ---- names ---- */

typedef struct named_color {
    const char *name; /* folded: lower case, no spaces */
    uint32_t rgb;
} named_color;

/* The 148 CSS Color Module Level 4 named colors, sorted by name for binary
 * search (tests check that every one of them is found). */
static const named_color css_colors[] = {
    {"aliceblue", 0xf0f8ff},
    {"antiquewhite", 0xfaebd7},
    {"aqua", 0x00ffff},
    {"aquamarine", 0x7fffd4},
    {"azure", 0xf0ffff},
    {"beige", 0xf5f5dc},
    {"bisque", 0xffe4c4},
    {"black", 0x000000},
    {"blanchedalmond", 0xffebcd},
    {"blue", 0x0000ff},
    {"blueviolet", 0x8a2be2},
    {"brown", 0xa52a2a},
    {"burlywood", 0xdeb887},
    {"cadetblue", 0x5f9ea0},
    {"chartreuse", 0x7fff00},
    {"chocolate", 0xd2691e},
    {"coral", 0xff7f50},
    {"cornflowerblue", 0x6495ed},
    {"cornsilk", 0xfff8dc},
    {"crimson", 0xdc143c},
    {"cyan", 0x00ffff},
    {"darkblue", 0x00008b},
    {"darkcyan", 0x008b8b},
    {"darkgoldenrod", 0xb8860b},
    {"darkgray", 0xa9a9a9},
    {"darkgreen", 0x006400},
    {"darkgrey", 0xa9a9a9},
    {"darkkhaki", 0xbdb76b},
    {"darkmagenta", 0x8b008b},
    {"darkolivegreen", 0x556b2f},
    {"darkorange", 0xff8c00},
    {"darkorchid", 0x9932cc},
    {"darkred", 0x8b0000},
    {"darksalmon", 0xe9967a},
    {"darkseagreen", 0x8fbc8f},
    {"darkslateblue", 0x483d8b},
    {"darkslategray", 0x2f4f4f},
    {"darkslategrey", 0x2f4f4f},
    {"darkturquoise", 0x00ced1},
    {"darkviolet", 0x9400d3},
    {"deeppink", 0xff1493},
    {"deepskyblue", 0x00bfff},
    {"dimgray", 0x696969},
    {"dimgrey", 0x696969},
    {"dodgerblue", 0x1e90ff},
    {"firebrick", 0xb22222},
    {"floralwhite", 0xfffaf0},
    {"forestgreen", 0x228b22},
    {"fuchsia", 0xff00ff},
    {"gainsboro", 0xdcdcdc},
    {"ghostwhite", 0xf8f8ff},
    {"gold", 0xffd700},
    {"goldenrod", 0xdaa520},
    {"gray", 0x808080},
    {"green", 0x008000},
    {"greenyellow", 0xadff2f},
    {"grey", 0x808080},
    {"honeydew", 0xf0fff0},
    {"hotpink", 0xff69b4},
    {"indianred", 0xcd5c5c},
    {"indigo", 0x4b0082},
    {"ivory", 0xfffff0},
    {"khaki", 0xf0e68c},
    {"lavender", 0xe6e6fa},
    {"lavenderblush", 0xfff0f5},
    {"lawngreen", 0x7cfc00},
    {"lemonchiffon", 0xfffacd},
    {"lightblue", 0xadd8e6},
    {"lightcoral", 0xf08080},
    {"lightcyan", 0xe0ffff},
    {"lightgoldenrodyellow", 0xfafad2},
    {"lightgray", 0xd3d3d3},
    {"lightgreen", 0x90ee90},
    {"lightgrey", 0xd3d3d3},
    {"lightpink", 0xffb6c1},
    {"lightsalmon", 0xffa07a},
    {"lightseagreen", 0x20b2aa},
    {"lightskyblue", 0x87cefa},
    {"lightslategray", 0x778899},
    {"lightslategrey", 0x778899},
    {"lightsteelblue", 0xb0c4de},
    {"lightyellow", 0xffffe0},
    {"lime", 0x00ff00},
    {"limegreen", 0x32cd32},
    {"linen", 0xfaf0e6},
    {"magenta", 0xff00ff},
    {"maroon", 0x800000},
    {"mediumaquamarine", 0x66cdaa},
    {"mediumblue", 0x0000cd},
    {"mediumorchid", 0xba55d3},
    {"mediumpurple", 0x9370db},
    {"mediumseagreen", 0x3cb371},
    {"mediumslateblue", 0x7b68ee},
    {"mediumspringgreen", 0x00fa9a},
    {"mediumturquoise", 0x48d1cc},
    {"mediumvioletred", 0xc71585},
    {"midnightblue", 0x191970},
    {"mintcream", 0xf5fffa},
    {"mistyrose", 0xffe4e1},
    {"moccasin", 0xffe4b5},
    {"navajowhite", 0xffdead},
    {"navy", 0x000080},
    {"oldlace", 0xfdf5e6},
    {"olive", 0x808000},
    {"olivedrab", 0x6b8e23},
    {"orange", 0xffa500},
    {"orangered", 0xff4500},
    {"orchid", 0xda70d6},
    {"palegoldenrod", 0xeee8aa},
    {"palegreen", 0x98fb98},
    {"paleturquoise", 0xafeeee},
    {"palevioletred", 0xdb7093},
    {"papayawhip", 0xffefd5},
    {"peachpuff", 0xffdab9},
    {"peru", 0xcd853f},
    {"pink", 0xffc0cb},
    {"plum", 0xdda0dd},
    {"powderblue", 0xb0e0e6},
    {"purple", 0x800080},
    {"rebeccapurple", 0x663399},
    {"red", 0xff0000},
    {"rosybrown", 0xbc8f8f},
    {"royalblue", 0x4169e1},
    {"saddlebrown", 0x8b4513},
    {"salmon", 0xfa8072},
    {"sandybrown", 0xf4a460},
    {"seagreen", 0x2e8b57},
    {"seashell", 0xfff5ee},
    {"sienna", 0xa0522d},
    {"silver", 0xc0c0c0},
    {"skyblue", 0x87ceeb},
    {"slateblue", 0x6a5acd},
    {"slategray", 0x708090},
    {"slategrey", 0x708090},
    {"snow", 0xfffafa},
    {"springgreen", 0x00ff7f},
    {"steelblue", 0x4682b4},
    {"tan", 0xd2b48c},
    {"teal", 0x008080},
    {"thistle", 0xd8bfd8},
    {"tomato", 0xff6347},
    {"turquoise", 0x40e0d0},
    {"violet", 0xee82ee},
    {"wheat", 0xf5deb3},
    {"white", 0xffffff},
    {"whitesmoke", 0xf5f5f5},
    {"yellow", 0xffff00},
    {"yellowgreen", 0x9acd32},
};

#define NCSS (sizeof css_colors / sizeof css_colors[0])

/* The tab10 palette, in the order of the default cycle.  "grey" is
 * accepted for "gray" by the lookup below. */
static const named_color tab10[] = {
    {"blue", 0x1f77b4},   {"orange", 0xff7f0e}, {"green", 0x2ca02c}, {"red", 0xd62728},
    {"purple", 0x9467bd}, {"brown", 0x8c564b},  {"pink", 0xe377c2},  {"gray", 0x7f7f7f},
    {"olive", 0xbcbd22},  {"cyan", 0x17becf},
};

#define NTAB (sizeof tab10 / sizeof tab10[0])

/* The longest folded name is "lightgoldenrodyellow" (20 bytes). */
#define NAME_MAX_LEN 24

/* Fold S[0..LEN) into OUT: lower case, without spaces, underscores and
 * hyphens.  Returns the folded length, or -1 if the result would not fit or
 * S holds anything but ASCII letters, digits and the dropped separators. */
static int
fold_name(const char *s, size_t len, char out[NAME_MAX_LEN + 1])
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '_' || c == '-' || c == '\t')
            continue;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return -1;
        if (o >= NAME_MAX_LEN)
            return -1;
        out[o++] = (char)ascii_lower(c);
    }
    out[o] = '\0';
    return (int)o;
}

static const named_color *
find_css(const char *folded)
{
    size_t lo = 0, hi = NCSS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(folded, css_colors[mid].name);
        if (c == 0)
            return &css_colors[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static const named_color *
find_tab(const char *folded)
{
    if (strcmp(folded, "grey") == 0)
        folded = "gray";
    for (size_t i = 0; i < NTAB; i++)
        if (strcmp(folded, tab10[i].name) == 0)
            return &tab10[i];
    return NULL;
}

static bool
parse_hex(const char *s, size_t len, orgfig_rgba *out)
{
    /* S[0] is '#'. */
    size_t n = len - 1;
    int d[8];
    if (n != 3 && n != 4 && n != 6 && n != 8)
        return false;
    for (size_t i = 0; i < n; i++) {
        d[i] = hex_digit((unsigned char)s[i + 1]);
        if (d[i] < 0)
            return false;
    }
    double ch[4] = {0, 0, 0, 1};
    if (n == 3 || n == 4) {
        for (size_t i = 0; i < n; i++)
            ch[i] = (d[i] * 17) / 255.0;
    } else {
        for (size_t i = 0; i < n / 2; i++)
            ch[i] = (d[2 * i] * 16 + d[2 * i + 1]) / 255.0;
    }
    *out = (orgfig_rgba){ch[0], ch[1], ch[2], ch[3]};
    return true;
}

/* Case-insensitive prefix test on a slice. */
static bool
has_prefix(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    if (len < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower((unsigned char)s[i]) != (unsigned char)prefix[i])
            return false;
    return true;
}

/* The edit distance between A and B, both short folded names, capped at
 * CAP + 1 (enough to answer "within CAP?"). */
static int
edit_distance(const char *a, const char *b, int cap)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    int row[NAME_MAX_LEN + 2];
    if (la > NAME_MAX_LEN || lb > NAME_MAX_LEN)
        return cap + 1;
    if (la - lb > cap || lb - la > cap)
        return cap + 1;
    for (int j = 0; j <= lb; j++)
        row[j] = j;
    for (int i = 1; i <= la; i++) {
        int diag = row[0], best = i;
        row[0] = i;
        for (int j = 1; j <= lb; j++) {
            int up = row[j];
            int v = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < v)
                v = row[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > cap)
            return cap + 1;
    }
    return row[lb];
}

static orgfig_status
color_error(const char *s, size_t len, const char *fn, const char *arg, orgfig_err *err)
{
    char shown[200];
    char folded[NAME_MAX_LEN + 1];
    char hint[64] = "";
    excerpt(s, len, shown, sizeof shown);
    /* Suggest a close name for a likely typo ("blu" -> "blue"). */
    int flen = fold_name(s, len, folded);
    if (flen >= 3) {
        int best = 3;
        const char *best_name = NULL;
        for (size_t i = 0; i < NCSS; i++) {
            int dist = edit_distance(folded, css_colors[i].name, 2);
            if (dist < best) {
                best = dist;
                best_name = css_colors[i].name;
            }
        }
        if (best_name)
            snprintf(hint, sizeof hint, "; did you mean \"%s\"?", best_name);
    }
    return orgfig_fail(err, ORGFIG_E_INVALID,
                       "%s: %s \"%s\" is not a color (use a CSS name, \"#rrggbb\", "
                       "\"#rgb\" or \"tab:NAME\")%s",
                       fn ? fn : "orgfig", arg ? arg : "color", shown, hint);
}

orgfig_status
orgfig_color_parse(const char *s, size_t len, orgfig_rgba *out, const char *fn,
                   const char *arg, orgfig_err *err)
{
    char folded[NAME_MAX_LEN + 1];
    if (s == NULL || len == 0)
        return color_error("", 0, fn, arg, err);
    if (s[0] == '#') {
        if (parse_hex(s, len, out))
            return ORGFIG_OK;
        return color_error(s, len, fn, arg, err);
    }
    if (has_prefix(s, len, "tab:")) {
        if (fold_name(s + 4, len - 4, folded) > 0) {
            const named_color *c = find_tab(folded);
            if (c) {
                *out = rgb24(c->rgb);
                return ORGFIG_OK;
            }
        }
        return color_error(s, len, fn, arg, err);
    }
    /* "CN": the Nth color of the default cycle, wrapping. */
    if ((s[0] == 'C' || s[0] == 'c') && len >= 2 && len <= 10) {
        size_t n = 0, i;
        for (i = 1; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            n = n * 10 + (size_t)(s[i] - '0');
        if (i == len) {
            *out = orgfig_cycle_color(n);
            return ORGFIG_OK;
        }
    }
    if (fold_name(s, len, folded) > 0) {
        if (strcmp(folded, "none") == 0 || strcmp(folded, "transparent") == 0) {
            *out = (orgfig_rgba){0, 0, 0, 0};
            return ORGFIG_OK;
        }
        const named_color *c = find_css(folded);
        if (c) {
            *out = rgb24(c->rgb);
            return ORGFIG_OK;
        }
    }
    return color_error(s, len, fn, arg, err);
}

orgfig_rgba
orgfig_cycle_color(size_t i)
{
    return rgb24(tab10[i % NTAB].rgb);
}

double
orgfig_luminance(orgfig_rgba c)
{
    /* WCAG 2 relative luminance of the sRGB color (alpha ignored). */
    double ch[3] = {c.r, c.g, c.b};
    for (int i = 0; i < 3; i++) {
        double v = ch[i];
        if (!(v > 0))
            v = 0;
        if (v > 1)
            v = 1;
        ch[i] = v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

/* ---- colormaps ---- */

enum { SPACE_OKLAB, SPACE_SRGB };

#define MAX_ANCHORS 11
#define LUT_SIZE 256

typedef struct cmap_def {
    const char *name; /* as shown in messages; matched case-insensitively */
    int space;
    int n;
    uint32_t anchors[MAX_ANCHORS]; /* evenly spaced from t = 0 to t = 1 */
} cmap_def;

/* Anchor colors.  viridis, plasma, inferno, magma and cividis: ten evenly
 * spaced samples of the published maps (the values widely listed for these
 * maps, e.g. by R's viridisLite).  RdBu: the eleven-class ColorBrewer RdBu
 * scheme, red at 0, near-white #f7f7f7 in the middle, blue at 1.  coolwarm:
 * Moreland's cool-to-warm diverging map, sampled at 0, 1/4, 1/2, 3/4 and 1
 * (light gray #dddddd in the middle).  gray: black to white. */
static const cmap_def cmaps[] = {
    {"viridis",
     SPACE_OKLAB,
     10,
     {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58,
      0xb5de2b, 0xfde725}},
    {"plasma",
     SPACE_OKLAB,
     10,
     {0x0d0887, 0x46039f, 0x7201a8, 0x9c179e, 0xbd3786, 0xd8576b, 0xed7953, 0xfb9f3a,
      0xfdca26, 0xf0f921}},
    {"inferno",
     SPACE_OKLAB,
     10,
     {0x000004, 0x1b0c41, 0x4a0c6b, 0x781c6d, 0xa52c60, 0xcf4446, 0xed6925, 0xfb9b06,
      0xf7d13d, 0xfcffa4}},
    {"magma",
     SPACE_OKLAB,
     10,
     {0x000004, 0x180f3d, 0x440f76, 0x721f81, 0x9e2f7f, 0xcd4071, 0xf1605d, 0xfd9668,
      0xfeca8d, 0xfcfdbf}},
    {"cividis",
     SPACE_OKLAB,
     10,
     {0x00224e, 0x123570, 0x3b496c, 0x575d6d, 0x707173, 0x8a8678, 0xa59c74, 0xc3b369,
      0xe1cc55, 0xfee838}},
    {"gray", SPACE_SRGB, 2, {0x000000, 0xffffff}},
    {"RdBu",
     SPACE_OKLAB,
     11,
     {0x67001f, 0xb2182b, 0xd6604d, 0xf4a582, 0xfddbc7, 0xf7f7f7, 0xd1e5f0, 0x92c5de,
      0x4393c3, 0x2166ac, 0x053061}},
    {"coolwarm", SPACE_OKLAB, 5, {0x3b4cc0, 0x8db0fe, 0xdddddd, 0xf4987a, 0xb40426}},
};

#define NCMAPS ((int)(sizeof cmaps / sizeof cmaps[0]))

/* Built lazily by build_table; Emacs calls module code from one thread. */
static float cmap_tables[sizeof cmaps / sizeof cmaps[0]][LUT_SIZE][3];
static bool cmap_built[sizeof cmaps / sizeof cmaps[0]];

static double
srgb_to_linear(double v)
{
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double
linear_to_srgb(double v)
{
    if (v <= 0)
        return 0;
    if (v >= 1)
        return 1;
    return v <= 0.0031308 ? v * 12.92 : 1.055 * pow(v, 1 / 2.4) - 0.055;
}

/* Björn Ottosson's OKLab, from and to linear-light sRGB. */
static void
linear_to_oklab(const double rgb[3], double lab[3])
{
    double l = 0.4122214708 * rgb[0] + 0.5363325363 * rgb[1] + 0.0514459929 * rgb[2];
    double m = 0.2119034982 * rgb[0] + 0.6806995451 * rgb[1] + 0.1073969566 * rgb[2];
    double s = 0.0883024619 * rgb[0] + 0.2817188376 * rgb[1] + 0.6299787005 * rgb[2];
    l = cbrt(l);
    m = cbrt(m);
    s = cbrt(s);
    lab[0] = 0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s;
    lab[1] = 1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s;
    lab[2] = 0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s;
}

static void
oklab_to_linear(const double lab[3], double rgb[3])
{
    double l = lab[0] + 0.3963377774 * lab[1] + 0.2158037573 * lab[2];
    double m = lab[0] - 0.1055613458 * lab[1] - 0.0638541728 * lab[2];
    double s = lab[0] - 0.0894841775 * lab[1] - 1.2914855480 * lab[2];
    l = l * l * l;
    m = m * m * m;
    s = s * s * s;
    rgb[0] = 4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s;
    rgb[1] = -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s;
    rgb[2] = -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s;
}

/* Fritsch-Carlson tangents for N evenly spaced values Y (spacing 1):
 * the cubic Hermite curve through Y with these tangents is monotone on
 * every interval where the data are. */
static void
monotone_tangents(const double *y, int n, double *m)
{
    double d[MAX_ANCHORS] = {0};
    for (int k = 0; k + 1 < n; k++)
        d[k] = y[k + 1] - y[k];
    m[0] = d[0];
    m[n - 1] = d[n - 2];
    for (int k = 1; k + 1 < n; k++)
        m[k] = (d[k - 1] * d[k] <= 0) ? 0 : (d[k - 1] + d[k]) / 2;
    for (int k = 0; k + 1 < n; k++) {
        if (d[k] == 0) {
            m[k] = m[k + 1] = 0;
            continue;
        }
        double a = m[k] / d[k], b = m[k + 1] / d[k];
        double h = a * a + b * b;
        if (h > 9) {
            double tau = 3 / sqrt(h);
            m[k] = tau * a * d[k];
            m[k + 1] = tau * b * d[k];
        }
    }
}

static void
build_table(int id)
{
    const cmap_def *def = &cmaps[id];
    int n = def->n;
    double y[3][MAX_ANCHORS], tan_[3][MAX_ANCHORS];
    for (int k = 0; k < n; k++) {
        orgfig_rgba c = rgb24(def->anchors[k]);
        double srgb[3] = {c.r, c.g, c.b};
        if (def->space == SPACE_OKLAB) {
            double lin[3], lab[3];
            for (int ch = 0; ch < 3; ch++)
                lin[ch] = srgb_to_linear(srgb[ch]);
            linear_to_oklab(lin, lab);
            for (int ch = 0; ch < 3; ch++)
                y[ch][k] = lab[ch];
        } else {
            for (int ch = 0; ch < 3; ch++)
                y[ch][k] = srgb[ch];
        }
    }
    for (int ch = 0; ch < 3; ch++)
        monotone_tangents(y[ch], n, tan_[ch]);
    for (int i = 0; i < LUT_SIZE; i++) {
        double x = (double)i / (LUT_SIZE - 1) * (n - 1);
        int k = (int)x;
        if (k > n - 2)
            k = n - 2;
        double t = x - k, t2 = t * t, t3 = t2 * t;
        double h00 = 2 * t3 - 3 * t2 + 1, h10 = t3 - 2 * t2 + t;
        double h01 = -2 * t3 + 3 * t2, h11 = t3 - t2;
        double v[3], out[3];
        for (int ch = 0; ch < 3; ch++)
            v[ch] = h00 * y[ch][k] + h10 * tan_[ch][k] + h01 * y[ch][k + 1] +
                    h11 * tan_[ch][k + 1];
        if (def->space == SPACE_OKLAB) {
            double lin[3];
            oklab_to_linear(v, lin);
            for (int ch = 0; ch < 3; ch++)
                out[ch] = linear_to_srgb(lin[ch]);
        } else {
            for (int ch = 0; ch < 3; ch++)
                out[ch] = v[ch] < 0 ? 0 : v[ch] > 1 ? 1 : v[ch];
        }
        for (int ch = 0; ch < 3; ch++)
            cmap_tables[id][i][ch] = (float)out[ch];
    }
    cmap_built[id] = true;
}

static const float (*table_of(int id))[3]
{
    if (id < 0 || id >= NCMAPS)
        id = 0;
    if (!cmap_built[id])
        build_table(id);
    return (const float(*)[3])cmap_tables[id];
}

orgfig_status
orgfig_cmap_parse(const char *name, size_t len, orgfig_cmap *out, const char *fn,
                  const char *arg, orgfig_err *err)
{
    char folded[NAME_MAX_LEN + 1];
    bool reversed = false;
    size_t n = len;
    if (name != NULL && n > 2 && name[n - 2] == '_' &&
        ascii_lower((unsigned char)name[n - 1]) == 'r') {
        reversed = true;
        n -= 2;
    }
    if (name != NULL && n > 0 && n <= NAME_MAX_LEN) {
        size_t i;
        for (i = 0; i < n; i++) {
            unsigned char c = (unsigned char)name[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
                break;
            folded[i] = (char)ascii_lower(c);
        }
        folded[i] = '\0';
        if (i == n) {
            const char *key = strcmp(folded, "grey") == 0 ? "gray" : folded;
            for (int id = 0; id < NCMAPS; id++) {
                char lname[NAME_MAX_LEN + 1];
                size_t j;
                for (j = 0; cmaps[id].name[j]; j++)
                    lname[j] = (char)ascii_lower((unsigned char)cmaps[id].name[j]);
                lname[j] = '\0';
                if (strcmp(key, lname) == 0) {
                    *out = (orgfig_cmap){id, reversed};
                    return ORGFIG_OK;
                }
            }
        }
    }
    char shown[200];
    excerpt(name ? name : "", name ? len : 0, shown, sizeof shown);
    return orgfig_fail(
        err, ORGFIG_E_INVALID,
        "%s: %s \"%s\" is not a colormap (known: viridis, plasma, inferno, "
        "magma, cividis, gray, RdBu, coolwarm; add \"_r\" to reverse)",
        fn ? fn : "orgfig", arg ? arg : ":cmap", shown);
}

orgfig_cmap
orgfig_cmap_default(void)
{
    return (orgfig_cmap){0, false};
}

orgfig_rgba
orgfig_cmap_at(orgfig_cmap cm, double t)
{
    if (isnan(t))
        return (orgfig_rgba){0, 0, 0, 0};
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    if (cm.reversed)
        t = 1 - t;
    const float(*tab)[3] = table_of(cm.id);
    double x = t * (LUT_SIZE - 1);
    int i = (int)x;
    if (i > LUT_SIZE - 2)
        i = LUT_SIZE - 2;
    double f = x - i;
    orgfig_rgba c;
    c.r = tab[i][0] + (tab[i + 1][0] - tab[i][0]) * f;
    c.g = tab[i][1] + (tab[i + 1][1] - tab[i][1]) * f;
    c.b = tab[i][2] + (tab[i + 1][2] - tab[i][2]) * f;
    c.a = 1;
    return c;
}

static uint32_t
channel8(double v)
{
    long q = lround(v * 255);
    return (uint32_t)(q < 0 ? 0 : q > 255 ? 255 : q);
}

void
orgfig_cmap_lut(orgfig_cmap cm, uint32_t lut[256])
{
    const float(*tab)[3] = table_of(cm.id);
    for (int i = 0; i < LUT_SIZE; i++) {
        int k = cm.reversed ? LUT_SIZE - 1 - i : i;
        lut[i] = 0xff000000u | channel8(tab[k][0]) << 16 | channel8(tab[k][1]) << 8 |
                 channel8(tab[k][2]);
    }
}
