/* test_color.c - color parsing, the default cycle and colormaps.
 *
 * Expected values come from the CSS Color Module and matplotlib's published
 * tab10 palette, not from the implementation; the name table itself was
 * checked against X.Org's rgb.txt (which differs from CSS only for gray,
 * green, maroon and purple, and lacks the CSS-only names). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../../module/core/alloc.h"
#include "../../module/core/color.h"
#include "harness.h"

static bool
parses(const char *s, uint32_t rgb, double alpha)
{
    orgfig_rgba c;
    orgfig_err err = ORGFIG_ERR_INIT;
    if (orgfig_color_parse(s, strlen(s), &c, "orgfig-line", ":color", &err) !=
        ORGFIG_OK) {
        fprintf(stderr, "  %s: %s\n", s, err.msg);
        return false;
    }
    double want[4] = {((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                      (rgb & 0xff) / 255.0, alpha};
    double got[4] = {c.r, c.g, c.b, c.a};
    for (int i = 0; i < 4; i++)
        if (fabs(want[i] - got[i]) > 1e-9) {
            fprintf(stderr, "  %s: channel %d is %g, want %g\n", s, i, got[i], want[i]);
            return false;
        }
    return true;
}

/* Parse S[0..LEN), expecting ORGFIG_E_INVALID with a message naming the
 * function and the argument. */
static bool
rejects(const char *s, size_t len)
{
    orgfig_rgba c = {0.5, 0.5, 0.5, 0.5};
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_status st = orgfig_color_parse(s, len, &c, "orgfig-line", ":color", &err);
    bool ok = st == ORGFIG_E_INVALID && err.status == ORGFIG_E_INVALID &&
              strstr(err.msg, "orgfig-line") && strstr(err.msg, ":color") &&
              strstr(err.msg, "is not a color") && c.r == 0.5;
    if (!ok)
        fprintf(stderr, "  rejecting \"%.*s\": status %d, message \"%s\"\n", (int)len, s,
                (int)st, err.msg);
    return ok;
}

TEST(color_hex_forms)
{
    CHECK(parses("#ff8000", 0xff8000, 1));
    CHECK(parses("#FF8000", 0xff8000, 1));
    CHECK(parses("#f80", 0xff8800, 1));
    CHECK(parses("#f808", 0xff8800, 0x88 / 255.0));
    CHECK(parses("#12345678", 0x123456, 0x78 / 255.0));
    CHECK(parses("#000", 0x000000, 1));
}

TEST(color_css_names_in_any_spelling)
{
    CHECK(parses("steelblue", 0x4682b4, 1));
    CHECK(parses("Steel Blue", 0x4682b4, 1));
    CHECK(parses("steel_blue", 0x4682b4, 1));
    CHECK(parses("STEEL-BLUE", 0x4682b4, 1));
    CHECK(parses("rebeccapurple", 0x663399, 1));
    CHECK(parses("gray", 0x808080, 1));
    CHECK(parses("grey", 0x808080, 1));
    CHECK(parses("dark slate grey", 0x2f4f4f, 1));
    CHECK(parses("lightgoldenrodyellow", 0xfafad2, 1));
    CHECK(parses("green", 0x008000, 1)); /* CSS, not X11's #00ff00 */
    CHECK(parses("lime", 0x00ff00, 1));
    CHECK(parses("aliceblue", 0xf0f8ff, 1));
    CHECK(parses("yellowgreen", 0x9acd32, 1));
    CHECK(parses("white", 0xffffff, 1));
    CHECK(parses("black", 0x000000, 1));
    CHECK(parses("none", 0, 0));
    CHECK(parses("Transparent", 0, 0));
}

/* All 148 CSS names (including the seven "grey" spellings) are known. */
TEST(color_all_css_names)
{
    static const char *names[] = {"aliceblue",
                                  "antiquewhite",
                                  "aqua",
                                  "aquamarine",
                                  "azure",
                                  "beige",
                                  "bisque",
                                  "black",
                                  "blanchedalmond",
                                  "blue",
                                  "blueviolet",
                                  "brown",
                                  "burlywood",
                                  "cadetblue",
                                  "chartreuse",
                                  "chocolate",
                                  "coral",
                                  "cornflowerblue",
                                  "cornsilk",
                                  "crimson",
                                  "cyan",
                                  "darkblue",
                                  "darkcyan",
                                  "darkgoldenrod",
                                  "darkgray",
                                  "darkgreen",
                                  "darkgrey",
                                  "darkkhaki",
                                  "darkmagenta",
                                  "darkolivegreen",
                                  "darkorange",
                                  "darkorchid",
                                  "darkred",
                                  "darksalmon",
                                  "darkseagreen",
                                  "darkslateblue",
                                  "darkslategray",
                                  "darkslategrey",
                                  "darkturquoise",
                                  "darkviolet",
                                  "deeppink",
                                  "deepskyblue",
                                  "dimgray",
                                  "dimgrey",
                                  "dodgerblue",
                                  "firebrick",
                                  "floralwhite",
                                  "forestgreen",
                                  "fuchsia",
                                  "gainsboro",
                                  "ghostwhite",
                                  "gold",
                                  "goldenrod",
                                  "gray",
                                  "green",
                                  "greenyellow",
                                  "grey",
                                  "honeydew",
                                  "hotpink",
                                  "indianred",
                                  "indigo",
                                  "ivory",
                                  "khaki",
                                  "lavender",
                                  "lavenderblush",
                                  "lawngreen",
                                  "lemonchiffon",
                                  "lightblue",
                                  "lightcoral",
                                  "lightcyan",
                                  "lightgoldenrodyellow",
                                  "lightgray",
                                  "lightgreen",
                                  "lightgrey",
                                  "lightpink",
                                  "lightsalmon",
                                  "lightseagreen",
                                  "lightskyblue",
                                  "lightslategray",
                                  "lightslategrey",
                                  "lightsteelblue",
                                  "lightyellow",
                                  "lime",
                                  "limegreen",
                                  "linen",
                                  "magenta",
                                  "maroon",
                                  "mediumaquamarine",
                                  "mediumblue",
                                  "mediumorchid",
                                  "mediumpurple",
                                  "mediumseagreen",
                                  "mediumslateblue",
                                  "mediumspringgreen",
                                  "mediumturquoise",
                                  "mediumvioletred",
                                  "midnightblue",
                                  "mintcream",
                                  "mistyrose",
                                  "moccasin",
                                  "navajowhite",
                                  "navy",
                                  "oldlace",
                                  "olive",
                                  "olivedrab",
                                  "orange",
                                  "orangered",
                                  "orchid",
                                  "palegoldenrod",
                                  "palegreen",
                                  "paleturquoise",
                                  "palevioletred",
                                  "papayawhip",
                                  "peachpuff",
                                  "peru",
                                  "pink",
                                  "plum",
                                  "powderblue",
                                  "purple",
                                  "rebeccapurple",
                                  "red",
                                  "rosybrown",
                                  "royalblue",
                                  "saddlebrown",
                                  "salmon",
                                  "sandybrown",
                                  "seagreen",
                                  "seashell",
                                  "sienna",
                                  "silver",
                                  "skyblue",
                                  "slateblue",
                                  "slategray",
                                  "slategrey",
                                  "snow",
                                  "springgreen",
                                  "steelblue",
                                  "tan",
                                  "teal",
                                  "thistle",
                                  "tomato",
                                  "turquoise",
                                  "violet",
                                  "wheat",
                                  "white",
                                  "whitesmoke",
                                  "yellow",
                                  "yellowgreen"};
    CHECK(sizeof names / sizeof names[0] == 148);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        orgfig_rgba c;
        orgfig_err err = ORGFIG_ERR_INIT;
        if (orgfig_color_parse(names[i], strlen(names[i]), &c, "f", "a", &err) !=
            ORGFIG_OK) {
            fprintf(stderr, "  unknown: %s\n", names[i]);
            harness_failures++;
        }
    }
}

TEST(color_tab10_and_cycle)
{
    CHECK(parses("tab:blue", 0x1f77b4, 1));
    CHECK(parses("tab:orange", 0xff7f0e, 1));
    CHECK(parses("TAB:Green", 0x2ca02c, 1));
    CHECK(parses("tab:red", 0xd62728, 1));
    CHECK(parses("tab:purple", 0x9467bd, 1));
    CHECK(parses("tab:brown", 0x8c564b, 1));
    CHECK(parses("tab:pink", 0xe377c2, 1));
    CHECK(parses("tab:gray", 0x7f7f7f, 1));
    CHECK(parses("tab:grey", 0x7f7f7f, 1));
    CHECK(parses("tab:olive", 0xbcbd22, 1));
    CHECK(parses("tab:cyan", 0x17becf, 1));
    CHECK(parses("C0", 0x1f77b4, 1));
    CHECK(parses("C1", 0xff7f0e, 1));
    CHECK(parses("C9", 0x17becf, 1));
    CHECK(parses("C10", 0x1f77b4, 1)); /* wraps around */
    orgfig_rgba c3 = orgfig_cycle_color(3), c13 = orgfig_cycle_color(13);
    CHECK(fabs(c3.r - 0xd6 / 255.0) < 1e-12 && c3.r == c13.r && c3.g == c13.g);
    CHECK(orgfig_cycle_color(7).a == 1);
}

TEST(color_bad_inputs_are_invalid)
{
    CHECK(rejects("", 0));
    CHECK(rejects("#12", 3));
    CHECK(rejects("#12345", 6));
    CHECK(rejects("#gggggg", 7));
    CHECK(rejects("#", 1));
    CHECK(rejects("nosuchcolor", 11));
    CHECK(rejects("blu", 3));
    CHECK(rejects("red\0", 4)); /* embedded NUL */
    CHECK(rejects("re\0d", 4));
    CHECK(rejects("r\xc3\xa9"
                  "d",
                  4)); /* non-ASCII */
    CHECK(rejects("tab:", 4));
    CHECK(rejects("tab:black", 9));
    CHECK(rejects("C", 1));
    CHECK(rejects("C1x", 3));
    CHECK(rejects("   ", 3));
    /* A typo gets a suggestion. */
    orgfig_rgba c;
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_color_parse("blu", 3, &c, "orgfig-line", ":color", &err);
    CHECK(strstr(err.msg, "\"blu\"") != NULL);
    CHECK(strstr(err.msg, "did you mean \"blue\"") != NULL);
    /* Only LEN bytes are read: "red" inside a longer buffer. */
    CHECK(orgfig_color_parse("redx", 3, &c, "f", "a", &err) == ORGFIG_OK);
    CHECK(orgfig_color_parse("#ff0000ff", 7, &c, "f", "a", &err) == ORGFIG_OK &&
          c.a == 1);
    /* A very long input is cut short in the message. */
    char longbuf[1000];
    memset(longbuf, 'x', sizeof longbuf);
    orgfig_err err2 = ORGFIG_ERR_INIT;
    CHECK(orgfig_color_parse(longbuf, sizeof longbuf, &c, "orgfig-line", ":color",
                             &err2) == ORGFIG_E_INVALID);
    CHECK(strlen(err2.msg) < 300 && strstr(err2.msg, "...") != NULL);
}

TEST(color_luminance_is_wcag)
{
    CHECK(fabs(orgfig_luminance((orgfig_rgba){1, 1, 1, 1}) - 1) < 1e-12);
    CHECK(fabs(orgfig_luminance((orgfig_rgba){0, 0, 0, 1})) < 1e-12);
    /* Pure green is 0.7152, mid gray #808080 about 0.2159 (WCAG formula). */
    CHECK(fabs(orgfig_luminance((orgfig_rgba){0, 1, 0, 1}) - 0.7152) < 1e-9);
    CHECK(fabs(orgfig_luminance((orgfig_rgba){128 / 255.0, 128 / 255.0, 128 / 255.0, 1}) -
               0.2159) < 1e-3);
}

static orgfig_cmap
cmap(const char *name)
{
    orgfig_cmap cm = {-1, false};
    orgfig_err err = ORGFIG_ERR_INIT;
    if (orgfig_cmap_parse(name, strlen(name), &cm, "orgfig-heatmap", ":cmap", &err) !=
        ORGFIG_OK)
        fprintf(stderr, "  %s\n", err.msg);
    return cm;
}

static bool
near_hex(orgfig_rgba c, uint32_t rgb)
{
    double tol = 1.0 / 255 + 1e-9;
    return fabs(c.r - ((rgb >> 16) & 0xff) / 255.0) <= tol &&
           fabs(c.g - ((rgb >> 8) & 0xff) / 255.0) <= tol &&
           fabs(c.b - (rgb & 0xff) / 255.0) <= tol && c.a == 1;
}

TEST(cmap_names_and_errors)
{
    CHECK(cmap("viridis").id >= 0);
    CHECK(cmap("Viridis").id == cmap("viridis").id);
    CHECK(cmap("rdbu").id == cmap("RdBu").id && cmap("RdBu").id >= 0);
    CHECK(cmap("coolwarm_r").reversed && !cmap("coolwarm").reversed);
    CHECK(cmap("grey").id == cmap("gray").id);
    CHECK(orgfig_cmap_default().id == cmap("viridis").id);
    const char *bad[] = {"", "jet", "viridis_", "_r", "viridis_rr", "vir\0dis"};
    size_t lens[] = {0, 3, 8, 2, 10, 7};
    for (size_t i = 0; i < 6; i++) {
        orgfig_cmap cm;
        orgfig_err err = ORGFIG_ERR_INIT;
        CHECK(orgfig_cmap_parse(bad[i], lens[i], &cm, "orgfig-heatmap", ":cmap", &err) ==
              ORGFIG_E_INVALID);
        CHECK(strstr(err.msg, "orgfig-heatmap") && strstr(err.msg, ":cmap") &&
              strstr(err.msg, "viridis") && strstr(err.msg, "coolwarm"));
    }
}

TEST(cmap_endpoints_are_the_anchors)
{
    struct {
        const char *name;
        uint32_t lo, mid, hi;
    } maps[] = {
        {"viridis", 0x440154, 0, 0xfde725},
        {"plasma", 0x0d0887, 0, 0xf0f921},
        {"inferno", 0x000004, 0, 0xfcffa4},
        {"magma", 0x000004, 0, 0xfcfdbf},
        {"cividis", 0x00224e, 0, 0xfee838},
        {"gray", 0x000000, 0x808080, 0xffffff},
        {"RdBu", 0x67001f, 0xf7f7f7, 0x053061},
        {"coolwarm", 0x3b4cc0, 0xdddddd, 0xb40426},
    };
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        orgfig_cmap cm = cmap(maps[i].name);
        CHECK(near_hex(orgfig_cmap_at(cm, 0), maps[i].lo));
        CHECK(near_hex(orgfig_cmap_at(cm, 1), maps[i].hi));
        if (maps[i].mid)
            CHECK(near_hex(orgfig_cmap_at(cm, 0.5), maps[i].mid));
        /* Clamping. */
        CHECK(near_hex(orgfig_cmap_at(cm, -3), maps[i].lo));
        CHECK(near_hex(orgfig_cmap_at(cm, 1e300), maps[i].hi));
        CHECK(orgfig_cmap_at(cm, NAN).a == 0);
    }
    /* Published viridis samples between the anchors: 0.25 is #3b528b and
     * 0.75 is #5ec962 (within a few units of 255). */
    orgfig_rgba q1 = orgfig_cmap_at(cmap("viridis"), 0.25);
    orgfig_rgba q3 = orgfig_cmap_at(cmap("viridis"), 0.75);
    CHECK(fabs(q1.r * 255 - 0x3b) < 4 && fabs(q1.g * 255 - 0x52) < 4 &&
          fabs(q1.b * 255 - 0x8b) < 4);
    CHECK(fabs(q3.r * 255 - 0x5e) < 6 && fabs(q3.g * 255 - 0xc9) < 4 &&
          fabs(q3.b * 255 - 0x62) < 6);
}

TEST(cmap_sequential_maps_rise_in_luminance)
{
    const char *names[] = {"viridis", "plasma", "inferno", "magma", "cividis", "gray"};
    for (size_t i = 0; i < 6; i++) {
        orgfig_cmap cm = cmap(names[i]);
        double prev = -1;
        int bad = 0;
        for (int k = 0; k <= 1000; k++) {
            double y = orgfig_luminance(orgfig_cmap_at(cm, k / 1000.0));
            if (y < prev - 1e-6)
                bad++;
            prev = y;
        }
        if (bad)
            fprintf(stderr, "  %s: luminance falls %d times\n", names[i], bad);
        CHECK(bad == 0);
    }
}

TEST(cmap_reversed_and_lut)
{
    const char *names[] = {"viridis", "plasma", "inferno", "magma",
                           "cividis", "gray",   "RdBu",    "coolwarm"};
    for (size_t i = 0; i < 8; i++) {
        char rname[32];
        snprintf(rname, sizeof rname, "%s_r", names[i]);
        orgfig_cmap cm = cmap(names[i]), rm = cmap(rname);
        uint32_t lut[256], rlut[256];
        orgfig_cmap_lut(cm, lut);
        orgfig_cmap_lut(rm, rlut);
        for (int k = 0; k < 256; k++) {
            orgfig_rgba a = orgfig_cmap_at(cm, k / 255.0);
            orgfig_rgba b = orgfig_cmap_at(rm, 1 - k / 255.0);
            CHECK(fabs(a.r - b.r) < 1e-6 && fabs(a.g - b.g) < 1e-6 &&
                  fabs(a.b - b.b) < 1e-6);
            CHECK(rlut[k] == lut[255 - k]);
            CHECK((lut[k] >> 24) == 0xff);
            CHECK(near_hex(a, lut[k] & 0xffffff));
        }
    }
}

TEST(cmap_diverging_midpoint_is_light)
{
    orgfig_cmap maps[] = {cmap("RdBu"), cmap("coolwarm")};
    for (int i = 0; i < 2; i++) {
        orgfig_rgba mid = orgfig_cmap_at(maps[i], 0.5);
        orgfig_rgba lo = orgfig_cmap_at(maps[i], 0), hi = orgfig_cmap_at(maps[i], 1);
        CHECK(orgfig_luminance(mid) > 0.7);
        CHECK(fabs(mid.r - mid.g) < 0.05 && fabs(mid.g - mid.b) < 0.05); /* neutral */
        CHECK(orgfig_luminance(mid) > orgfig_luminance(lo) + 0.3);
        CHECK(orgfig_luminance(mid) > orgfig_luminance(hi) + 0.3);
        /* Ends: one reddish, one bluish. */
        CHECK((lo.r > lo.b) != (hi.r > hi.b));
    }
}
