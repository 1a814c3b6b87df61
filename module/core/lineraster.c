/* lineraster.c - wide anti-aliased polylines into a coverage mask (see
 * lineraster.h for the model). */
#include "lineraster.h"

#include <math.h>
#include <string.h>

orgfig_status
orgfig_lmask_init(orgfig_lmask *m, orgfig_meter *meter, int x0, int y0, int x1, int y1,
                  double width, orgfig_err *err)
{
    memset(m, 0, sizeof *m);
    m->x0 = x0;
    m->y0 = y0;
    m->w = x1 > x0 ? x1 - x0 : 0;
    m->h = y1 > y0 ? y1 - y0 : 0;
    m->r = (float)(width / 2);
    m->jmin = m->h;
    m->jmax = -1;
    if (m->w == 0 || m->h == 0 || !(width > 0)) {
        m->w = m->h = 0;
        return ORGFIG_OK;
    }
    /* Rows padded to a multiple of 4 bytes, as cairo wants for A8. */
    m->stride = (m->w + 3) & ~3;
    m->cov = orgfig_alloc_array(meter, (size_t)m->stride, (size_t)m->h, true,
                                "a line coverage mask", err);
    if (m->cov == NULL) {
        m->w = m->h = 0;
        return err->status;
    }
    return ORGFIG_OK;
}

void
orgfig_lmask_free(orgfig_lmask *m)
{
    orgfig_free(m->cov);
    m->cov = NULL;
    m->w = m->h = 0;
}

bool
orgfig_clip_segment(double lx, double ly, double hx, double hy, double *ax, double *ay,
                    double *bx, double *by)
{
    double t0 = 0, t1 = 1, dx = *bx - *ax, dy = *by - *ay;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {*ax - lx, hx - *ax, *ay - ly, hy - *ay};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0) {
            if (t > t1)
                return false;
            if (t > t0)
                t0 = t;
        } else {
            if (t < t0)
                return false;
            if (t < t1)
                t1 = t;
        }
    }
    double nax = *ax + t0 * dx, nay = *ay + t0 * dy;
    *bx = *ax + t1 * dx;
    *by = *ay + t1 * dy;
    *ax = nax;
    *ay = nay;
    return true;
}

void
orgfig_lmask_segment(orgfig_lmask *m, double ax, double ay, double bx, double by)
{
    if (m->cov == NULL || !isfinite(ax) || !isfinite(ay) || !isfinite(bx) ||
        !isfinite(by))
        return;
    const float r = m->r, reach = r + 0.5f, cap = 2 * r;
    /* Mask-local coordinates; the part of the segment farther than REACH
     * (plus a pixel) outside the mask cannot ink it.  Clipping moves the
     * ends only where they are outside, so the capsule inside is the
     * same. */
    ax -= m->x0;
    bx -= m->x0;
    ay -= m->y0;
    by -= m->y0;
    double g = (double)reach + 1;
    if (!orgfig_clip_segment(-g, -g, m->w + g, m->h + g, &ax, &ay, &bx, &by))
        return;
    const float fax = (float)ax, fay = (float)ay;
    const float dx = (float)(bx - ax), dy = (float)(by - ay);
    const float len2 = dx * dx + dy * dy;
    const float inv = len2 > 0 ? 1 / len2 : 0;
    const float reach2 = reach * reach;
    int j0 = (int)floor(fmin(ay, by) - reach), j1 = (int)floor(fmax(ay, by) + reach);
    j0 = j0 < 0 ? 0 : j0;
    j1 = j1 > m->h - 1 ? m->h - 1 : j1;
    if (j0 > j1)
        return;
    m->jmin = j0 < m->jmin ? j0 : m->jmin;
    m->jmax = j1 > m->jmax ? j1 : m->jmax;
    for (int j = j0; j <= j1; j++) {
        float yc = (float)j + 0.5f;
        /* The x extent of the capsule on this row: the segment's part
         * within REACH of the row, grown by REACH. */
        float xl, xr;
        if (dy == 0) {
            xl = dx < 0 ? fax + dx : fax;
            xr = dx < 0 ? fax : fax + dx;
        } else {
            float ta = (yc - reach - fay) / dy, tb = (yc + reach - fay) / dy;
            if (ta > tb) {
                float t = ta;
                ta = tb;
                tb = t;
            }
            ta = ta < 0 ? 0 : ta > 1 ? 1 : ta;
            tb = tb < 0 ? 0 : tb > 1 ? 1 : tb;
            float xa = fax + ta * dx, xb = fax + tb * dx;
            xl = xa < xb ? xa : xb;
            xr = xa < xb ? xb : xa;
        }
        int i0 = (int)floorf(xl - reach), i1 = (int)floorf(xr + reach);
        i0 = i0 < 0 ? 0 : i0;
        i1 = i1 > m->w - 1 ? m->w - 1 : i1;
        unsigned char *row = m->cov + (size_t)j * (size_t)m->stride;
        float py = yc - fay;
        for (int i = i0; i <= i1; i++) {
            float px = (float)i + 0.5f - fax;
            float t = (px * dx + py * dy) * inv;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            float ex = px - t * dx, ey = py - t * dy;
            float d2 = ex * ex + ey * ey;
            if (d2 >= reach2)
                continue;
            float c = reach - sqrtf(d2);
            c = c > cap ? cap : c;
            c = c > 1 ? 1 : c;
            unsigned v = ((unsigned)(c * ORGFIG_LMASK_LEVELS + 0.5f) * 255 +
                          ORGFIG_LMASK_LEVELS / 2) /
                         ORGFIG_LMASK_LEVELS;
            if (v > row[i])
                row[i] = (unsigned char)v;
        }
    }
}
