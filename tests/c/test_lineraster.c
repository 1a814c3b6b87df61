/* test_lineraster.c - the coverage mask of wide anti-aliased polylines. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../module/core/lineraster.h"
#include "harness.h"

static unsigned
at(const orgfig_lmask *m, int x, int y)
{
    return m->cov[(size_t)(y - m->y0) * (size_t)m->stride + (size_t)(x - m->x0)];
}

TEST(lineraster_horizontal_segment_has_exact_box_coverage)
{
    /* Width 2 centred on y = 10.5: row 10 fully covered, rows 9 and 11
     * half (the band reaches 0.5 into them), row 8 and 12 not at all;
     * round caps reach 1 pixel past each end. */
    orgfig_lmask m;
    orgfig_err err = ORGFIG_ERR_INIT;
    REQUIRE(orgfig_lmask_init(&m, NULL, 0, 0, 50, 30, 2, &err) == ORGFIG_OK);
    CHECK(m.stride % 4 == 0 && m.stride >= 50);
    orgfig_lmask_segment(&m, 10, 10.5, 30, 10.5);
    CHECK(at(&m, 20, 10) == 255);
    CHECK(at(&m, 20, 9) == 128 && at(&m, 20, 11) == 128);
    CHECK(at(&m, 20, 8) == 0 && at(&m, 20, 12) == 0);
    CHECK(at(&m, 30, 10) == 255); /* the cap: centre 30.5 is 0.5 past the end */
    CHECK(at(&m, 31, 10) == 0);   /* 1.5 past: outside the cap */
    CHECK(at(&m, 9, 10) == 255 && at(&m, 8, 10) == 0);
    CHECK(m.jmin == 9 && m.jmax == 12); /* rows within reach, inked or not */
    /* A thin line (width 0.5) covers its centre pixel by half. */
    orgfig_lmask t;
    REQUIRE(orgfig_lmask_init(&t, NULL, 0, 0, 50, 30, 0.5, &err) == ORGFIG_OK);
    orgfig_lmask_segment(&t, 5, 20.5, 40, 20.5);
    CHECK(at(&t, 20, 20) == 128);
    CHECK(at(&t, 20, 19) == 0 && at(&t, 20, 21) == 0);
    orgfig_lmask_free(&t);
    orgfig_lmask_free(&m);
    CHECK(m.cov == NULL);
}

TEST(lineraster_union_keeps_the_largest_coverage)
{
    /* Two segments meeting at a joint, and the same segment twice: the
     * mask is their union, so drawing a segment again changes nothing
     * and the joint is not darker than the line. */
    orgfig_lmask m;
    orgfig_err err = ORGFIG_ERR_INIT;
    REQUIRE(orgfig_lmask_init(&m, NULL, 0, 0, 60, 60, 3, &err) == ORGFIG_OK);
    orgfig_lmask_segment(&m, 5, 5, 30, 40);
    orgfig_lmask_segment(&m, 30, 40, 55, 7);
    unsigned char *copy = malloc((size_t)m.stride * 60);
    REQUIRE(copy);
    memcpy(copy, m.cov, (size_t)m.stride * 60);
    orgfig_lmask_segment(&m, 5, 5, 30, 40);
    orgfig_lmask_segment(&m, 55, 7, 30, 40); /* reversed: the same capsule */
    CHECK(memcmp(copy, m.cov, (size_t)m.stride * 60) == 0);
    free(copy);
    /* A diagonal's pixel on its axis is fully covered, one 3 px away
     * perpendicular is not covered at all. */
    CHECK(at(&m, 17, 22) >= 250);
    double len = hypot(25, 35), nx = 35 / len, ny = -25 / len;
    CHECK(at(&m, (int)(17.5 + 3 * nx), (int)(22.5 + 3 * ny)) == 0);
    orgfig_lmask_free(&m);
}

TEST(lineraster_dot_clipping_and_hostile_coordinates)
{
    orgfig_lmask m;
    orgfig_err err = ORGFIG_ERR_INIT;
    /* A mask offset in the image: device coordinates are translated. */
    REQUIRE(orgfig_lmask_init(&m, NULL, 100, 200, 140, 230, 2, &err) == ORGFIG_OK);
    /* A zero-length segment is a dot of the line's width. */
    orgfig_lmask_segment(&m, 110.5, 210.5, 110.5, 210.5);
    CHECK(at(&m, 110, 210) == 255);
    CHECK(at(&m, 112, 210) == 0 && at(&m, 110, 212) == 0);
    /* Far outside, NaN and infinities ink nothing and do not crash; a
     * segment from far away across the mask inks only inside it. */
    orgfig_lmask_segment(&m, -1e300, -1e300, -1e299, -1e299);
    orgfig_lmask_segment(&m, NAN, 210, 120, 210);
    orgfig_lmask_segment(&m, 105, INFINITY, 120, 210);
    long inked = 0;
    for (int y = 200; y < 230; y++)
        for (int x = 100; x < 140; x++)
            inked += at(&m, x, y) != 0;
    CHECK(inked > 0 && inked < 20); /* the dot alone */
    orgfig_lmask_segment(&m, -1e12, 220.5, 1e12, 220.5);
    CHECK(at(&m, 100, 220) == 255 && at(&m, 139, 220) == 255);
    CHECK(m.jmin == 9 && m.jmax == 22);
    orgfig_lmask_free(&m);
    /* An empty rectangle or a zero width gives a mask that ignores all. */
    REQUIRE(orgfig_lmask_init(&m, NULL, 10, 10, 10, 50, 2, &err) == ORGFIG_OK);
    CHECK(m.cov == NULL);
    orgfig_lmask_segment(&m, 0, 0, 100, 100);
    orgfig_lmask_free(&m);
    REQUIRE(orgfig_lmask_init(&m, NULL, 0, 0, 10, 10, 0, &err) == ORGFIG_OK);
    CHECK(m.cov == NULL);
    orgfig_lmask_free(&m);
}

TEST(lineraster_coverage_comes_in_levels)
{
    /* Every coverage is one of ORGFIG_LMASK_LEVELS + 1 values, and a
     * diagonal line at any width uses more than a few of them. */
    static const double widths[] = {1.3, 2.08, 5.5};
    for (int w = 0; w < 3; w++) {
        orgfig_lmask m;
        orgfig_err err = ORGFIG_ERR_INIT;
        REQUIRE(orgfig_lmask_init(&m, NULL, 0, 0, 80, 60, widths[w], &err) == ORGFIG_OK);
        orgfig_lmask_segment(&m, 3.3, 4.1, 71.7, 52.9);
        orgfig_lmask_segment(&m, 71.7, 52.9, 77.2, 9.6);
        bool seen[256] = {false};
        long off_level = 0;
        int distinct = 0;
        for (int y = 0; y < 60; y++)
            for (int x = 0; x < 80; x++) {
                unsigned v = at(&m, x, y);
                bool level = false;
                for (int k = 0; k <= ORGFIG_LMASK_LEVELS && !level; k++)
                    level = v == (unsigned)((k * 255 + ORGFIG_LMASK_LEVELS / 2) /
                                            ORGFIG_LMASK_LEVELS);
                off_level += !level;
                distinct += !seen[v];
                seen[v] = true;
            }
        CHECK(off_level == 0);
        CHECK(distinct > 8 && distinct <= ORGFIG_LMASK_LEVELS + 1);
        orgfig_lmask_free(&m);
    }
}
