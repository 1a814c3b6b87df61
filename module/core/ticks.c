/* ticks.c - tick positions and labels for linear, log and time axes.
 *
 * Linear axes.  The caller fixes the view range; ticks are the multiples of
 * a step inside it.  The step is chosen by the scoring of the extended
 * Wilkinson algorithm (Talbot, Lin and Hanrahan 2010): each candidate step
 * q * 10^z (q from Q = 1, 5, 2, 2.5; the paper's 4 and 3 give steps such as
 * 0.3 and 4 that matplotlib never shows and that read badly) is scored on
 * simplicity (earlier q, zero among the ticks), coverage (how close the
 * outer ticks come to the ends of the range, measured against a quarter of
 * the range rather than the paper's tenth, since our ticks cannot extend
 * past the view), density (how close the ticks per unit of the whole range
 * come to the target of 0.5 * MAX_TICKS, but at least 3 when 3 fit) and
 * legibility (0 for a 2.5 step that adds a decimal, "-2.5 0.0 2.5" against
 * "-2 0 2"; else 1), with weights 0.25, 0.2, 0.5 and 0.2.  Unlike the paper
 * the ticks never extend the range, a candidate with more than MAX_TICKS
 * ticks (clamped to [2, 100]) is never taken, and the skip factor j is
 * fixed at 1 (see MAX_SKIP).  A view whose ends both lie halfway between
 * integers ([-0.5, 2.5]: heatmap cells and categories centred on integers)
 * only takes whole-number steps, so cells are ticked "0 1 2", never
 * "-0.5 0.0 0.5".  The search runs on the range scaled by a power of ten
 * to a span between 1 and 20, so huge and tiny ranges behave exactly like
 * ordinary ones, and it tries a fixed set of 28 candidates, so it always
 * ends quickly.  A range too narrow for two distinct ticks (LO == HI, or a
 * span below about 1e-13 of its magnitude) gets one tick in the middle.
 *
 * Tick values are computed as (integer * mantissa) / 10^k, which yields
 * the double nearest the decimal tick (3 * 0.1 would not), and labels are
 * printed with exactly the decimals the step needs.
 *
 * Label rule (in the spirit of matplotlib's ScalarFormatter):
 *   1. Offset: when the range does not contain zero and its labels would
 *      need 6 or more significant digits (the largest magnitude is at least
 *      10^5 times the step), labels show V - OFFSET, where OFFSET is the
 *      range's low end (high end for a negative range) rounded to a
 *      multiple of a power of ten just above the span; ticks.offset reads
 *      "+1e6" or "+1234567" or "-0.614332079" (the shorter spelling).
 *   2. Multiplier: when the numbers to print (after any offset) reach 1e5
 *      in magnitude or stay below 1e-4, or a label would still be longer
 *      than 8 characters, they are divided by 10^P, P the decimal exponent
 *      of the largest, and ticks.offset reads "×1e6" (UTF-8 U+00D7); with
 *      both it reads "×1e3 +1e9".  The value of a tick is then
 *      label * 10^P + OFFSET.
 * Labels therefore stay short (at most about 8 characters).
 *
 * Log axes tick at powers of ten, labelled "0.001" ... "1000" for
 * exponents -3..3 and "10⁴", "10⁻⁵" (Unicode superscripts, which DejaVu
 * renders) beyond; an axis whose majors reach beyond 10^±3 writes them all
 * as powers ("10⁰ 10² 10⁴"), never a mix such as "1 100 10⁴", with minor ticks (empty
 * labels) at 2..9 times each power.  When the range holds more than min(9, MAX_TICKS)
 * powers only every k-th power is a major tick (k in 1, 2, 3, 4, 5, 10, 20, 25, 50, ...)
 * and the other powers become minor ticks.  A range holding a single power
 * ticks at 1, 2 and 5 times powers of ten ("2×10⁵" beyond 10^±3); a range
 * holding none (less than a decade) falls back to linear ticks.
 *
 * Time axes (Unix seconds, UTC) tick at the first of the calendar steps
 * 1 2 5 10 15 30 s, 1 2 5 10 15 30 min, 1 2 3 6 12 h, 1 2 days, weeks (on
 * Mondays), 1 2 3 6 months and 1 2 5 10 20 50 ... years that gives at most
 * MAX_TICKS ticks, scaled down for the wider labels of seconds (1/2), hours
 * and minutes (3/4), and days and weeks (2/3).  Labels are concise: "2024" for years (and
 * for January on month ticks), "Mar" for months, "Mar 15" for days, "14:30" or "14:30:15"
 * for times of day with "Mar 15" at midnight; ticks.offset carries the date
 * ("2024-03-15") or year the labels leave out.  Ranges shorter than two seconds get
 * linear ticks in seconds, with the offset "s after 2024-03-15 14:30:15".  Calendar
 * arithmetic is done on 64-bit day counts, valid for |t| <= 1e13 s; larger times are
 * invalid.
 *
 * View ranges (orgfig_view_range) are always finite with VLO < VHI, and
 * contain the finite data.  Non-finite ends are replaced by the other end;
 * with no finite end the range is [0, 1] ([1, 10] on log axes).  LO > HI
 * is swapped.  MARGIN is clamped to [0, 1] (NaN means 0).
 *   Linear: MARGIN * span added on both sides; LO == HI widens to [-1, 1]
 *     around 0, else by 10% of |V| on each side, rounded outward.
 *   Log: a non-positive LO becomes HI / 1000, and a range with no positive
 *     value becomes [1, 10].  The range expands to whole decades when that
 *     adds at most one decade of empty space in total, else gets MARGIN of
 *     its width in log space on both sides.
 *   Time: like linear, but LO == HI widens by one day on each side, a
 *     range starting at t >= 0 is not extended below 0 (durations would
 *     otherwise gain a 1969), and the result is clamped to |t| <= 1e13. */
#include "ticks.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MAJOR 100 /* MAX_TICKS is clamped to [2, MAX_MAJOR] */
#define MAX_TIME 1e13 /* |t| limit of time axes, in seconds */
#define EDGE_EPS 1e-9 /* relative slack when testing "inside the range" */
#define M_LOG10_2 0.30102999566398120
/* The density term of the linear search aims at this fraction of
 * MAX_TICKS; more ticks are allowed up to MAX_TICKS itself when they score
 * better on simplicity or coverage.  Aiming at MAX_TICKS itself crowds the
 * axis.  Density counts ticks per unit of the whole view, as in the paper:
 * counting over the ticked part alone rewarded lopsided sparse picks such
 * as "0 20" on [-19, 22]. */
#define TARGET_FRACTION 0.5
/* The paper's skip factor j lets steps such as 0.12 or 0.16 (3 or 4 times
 * 0.04) win on coverage when the ticks cannot extend past the range; such
 * steps are hard to read, so only j = 1 is searched. */
#define MAX_SKIP 1

/* ---- a growable tick list ---- */

typedef struct tick_list {
    orgfig_tick *v;
    size_t n, cap;
    orgfig_meter *meter;
} tick_list;

static orgfig_status
list_push(tick_list *l, double value, bool minor, const char *label, orgfig_err *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        orgfig_tick *nv =
            orgfig_realloc_array(l->meter, l->v, cap, sizeof *nv, "axis ticks", err);
        if (nv == NULL)
            return err ? err->status : ORGFIG_E_NOMEM;
        l->v = nv;
        l->cap = cap;
    }
    orgfig_tick *t = &l->v[l->n++];
    t->value = value;
    t->minor = minor;
    snprintf(t->label, sizeof t->label, "%s", label ? label : "");
    return ORGFIG_OK;
}

static int
cmp_tick(const void *a, const void *b)
{
    double x = ((const orgfig_tick *)a)->value, y = ((const orgfig_tick *)b)->value;
    return (x > y) - (x < y);
}

static void
list_finish(tick_list *l, orgfig_ticks *out)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_tick);
    out->ticks = l->v;
    out->n = l->n;
}

void
orgfig_ticks_free(orgfig_ticks *t)
{
    if (t == NULL)
        return;
    orgfig_free(t->ticks);
    t->ticks = NULL;
    t->n = 0;
    t->offset[0] = '\0';
}

static double
clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* ---- powers of ten and number formatting ---- */

static const double exact_p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* 10^K as an integer for 0 <= K <= 18, else 0 (K out of range). */
static long long
p10i(int k)
{
    long long v = 1;
    if (k < 0 || k > 18)
        return 0;
    while (k-- > 0)
        v *= 10;
    return v;
}

static double
p10(int k)
{
    if (k >= 0 && k <= 22)
        return exact_p10[k];
    return pow(10.0, k);
}

/* X * 10^K, rounded once when X is an integer and |K| <= 22 (both factors
 * exact), so that 3 * 10^-1 gives the double nearest 0.3. */
static double
scale_p10(double x, int k)
{
    if (k > 300)
        return (x * 1e22) * p10(k - 22); /* X is tiny: keep 10^K finite */
    if (k >= 0)
        return x * p10(k);
    if (k >= -22)
        return x / p10(-k);
    /* Split the scaling so the intermediate neither under- nor overflows. */
    return (x / 1e22) / p10(-k - 22);
}

/* The fewest decimals that write STEP exactly (up to noise), or -1 when
 * more than 17 would be needed. */
static int
step_decimals(double step)
{
    if (!(step > 0) || !isfinite(step))
        return 0;
    int d0 = (int)-floor(log10(step));
    if (d0 < 0)
        d0 = 0;
    for (int d = d0; d <= d0 + 3; d++) {
        if (d > 17)
            return -1;
        double s = scale_p10(step, d);
        if (fabs(s - nearbyint(s)) <= 1e-6 * s)
            return d;
    }
    return d0 + 3 > 17 ? -1 : d0 + 3;
}

/* Rewrite printf's exponent "e+06" / "e-05" as "e6" / "e-5", in place. */
static void
tidy_exponent(char *buf)
{
    char *e = strchr(buf, 'e');
    if (e == NULL)
        return;
    char *src = e + 1, *dst = e + 1;
    if (*src == '+')
        src++;
    else if (*src == '-')
        *dst++ = *src++;
    while (*src == '0' && src[1] != '\0')
        src++;
    memmove(dst, src, strlen(src) + 1);
}

/* Drop a leading minus from a label that reads as zero ("-0", "-0.00"). */
static void
drop_negative_zero(char *buf)
{
    if (buf[0] != '-')
        return;
    for (const char *p = buf + 1; *p; p++)
        if (*p != '0' && *p != '.')
            return;
    memmove(buf, buf + 1, strlen(buf));
}

int
orgfig_format_number(double v, double step, char *buf, size_t size)
{
    char tmp[64];
    if (buf == NULL || size == 0)
        return 0;
    if (isnan(v)) {
        snprintf(tmp, sizeof tmp, "nan");
    } else if (isinf(v)) {
        snprintf(tmp, sizeof tmp, v > 0 ? "inf" : "-inf");
    } else {
        if (!(step > 0) || !isfinite(step))
            step = fabs(v) > 0 ? fabs(v) : 1;
        int d = step_decimals(step);
        if (d >= 0 && d <= 12 && fabs(v) < 1e15) {
            snprintf(tmp, sizeof tmp, "%.*f", d, v);
        } else {
            /* Too many digits for fixed notation: as many significant
             * digits as the step resolves, in scientific notation. */
            double av = fabs(v) > step ? fabs(v) : step;
            int sig = (int)(floor(log10(av)) - floor(log10(step))) + 1;
            if (d >= 0 && step_decimals(step / p10((int)floor(log10(step)))) > 0)
                sig++;
            if (sig < 1)
                sig = 1;
            if (sig > 17)
                sig = 17;
            snprintf(tmp, sizeof tmp, "%.*g", sig, v);
            tidy_exponent(tmp);
        }
        drop_negative_zero(tmp);
    }
    return snprintf(buf, size, "%s", tmp);
}

/* Write the decimal N * 10^P (N a nonzero integer below 1e15 in
 * magnitude) in the shorter of its plain ("1000000", "0.25") and its
 * scientific ("1e6", "1.2345e-20") spellings, without any binary noise:
 * the text is built from N's digits, and strtod of it gives the double
 * nearest the decimal. */
static void
decimal_text(double n, int p, char *buf, size_t size)
{
    static const char zeros[] = "0000000000000000000000000000000000000000"; /* 40 */
    char d[32], plain[128], sci[64];
    int len = snprintf(d, sizeof d, "%.0f", fabs(n));
    const char *sign = n < 0 ? "-" : "";
    while (len > 1 && d[len - 1] == '0') {
        d[--len] = '\0';
        p++;
    }
    /* The value is 0.DDD * 10^(P + LEN), i.e. D.DD * 10^(P + LEN - 1). */
    if (len > 1)
        snprintf(sci, sizeof sci, "%s%c.%se%d", sign, d[0], d + 1, p + len - 1);
    else
        snprintf(sci, sizeof sci, "%s%ce%d", sign, d[0], p + len - 1);
    plain[0] = '\0';
    if (p >= 0 && len + p <= 40)
        snprintf(plain, sizeof plain, "%s%s%.*s", sign, d, p, zeros);
    else if (p < 0 && len > -p)
        snprintf(plain, sizeof plain, "%s%.*s.%s", sign, len + p, d, d + len + p);
    else if (p < 0 && -p - len <= 40)
        snprintf(plain, sizeof plain, "%s0.%.*s%s", sign, -p - len, zeros, d);
    if (plain[0] && strlen(plain) <= strlen(sci))
        snprintf(buf, size, "%s", plain);
    else
        snprintf(buf, size, "%s", sci);
}

/* Append SRC to the string DST of SIZE bytes, cutting it short if need be. */
static void
append(char *dst, size_t size, const char *src)
{
    size_t o = strlen(dst), n = strlen(src);
    if (o + 1 >= size)
        return;
    if (n > size - 1 - o)
        n = size - 1 - o;
    memcpy(dst + o, src, n);
    dst[o + n] = '\0';
}

/* ---- linear ticks ---- */

/* Q times 10.  The paper's 4 and 3 are left out: steps such as 0.3, 0.4
 * or 3 ("-0.9 -0.6 -0.3 0.0", "0.0 0.4", "0 3 6 9") read worse than their
 * neighbours and matplotlib's defaults never use them. */
static const int q_tenths[] = {10, 50, 20, 25};
#define NQ 4
/* Coverage is measured against this fraction of the range.  The paper
 * uses 0.1, but its ticks may extend past the data; ours never leave the
 * view, so the outer ticks are often a good part of a step inside it and
 * 0.1 would favour odd steps that happen to reach the ends ("-3 0 3" over
 * "-2 0 2"). */
#define COVERAGE_SCALE 0.25
/* Weight of the legibility term, which here only marks steps of 2.5 times
 * a power of ten that add a decimal ("-2.5 0.0 2.5" against "-2 0 2").
 * The paper's 0.05 is too weak to matter once Q holds 2 and 2.5. */
#define LEGIBILITY_WEIGHT 0.2

typedef struct lin_choice {
    bool found;
    double score;
    int mant; /* step = mant * 10^exp10, mant = j * q * 10 */
    int exp10;
    double first, last; /* tick indices: ticks are n * step, first <= n <= last */
} lin_choice;

/* True when LO and HI both lie halfway between integers (-0.5 and 2.5):
 * the view of image cells or categories centred on integers, where only
 * integer ticks mean anything. */
static bool
half_integer_view(double lo, double hi)
{
    double a = lo + 0.5, b = hi + 0.5;
    return fabs(a) < 4503599627370496.0 && fabs(b) < 4503599627370496.0 &&
           a == floor(a) && b == floor(b);
}

/* Pick the step for [LO, HI] (LO < HI, finite, span not negligible). */
static lin_choice
choose_linear(double lo, double hi, int m)
{
    bool integer_only = half_integer_view(lo, hi);
    lin_choice best = {false, -1e300, 0, 0, 0, 0};
    lin_choice fallback = best; /* the candidate with the fewest ticks >= 1 */
    double span_half = hi / 2 - lo / 2;
    int E = (int)floor(log10(span_half) + M_LOG10_2);
    double s = p10(E);
    double L = lo / s, H = hi / s, R = H - L;
    if (!(R > 0) || !isfinite(R)) {
        /* S is subnormal or the division overflowed; use unscaled units. */
        E = 0;
        L = lo;
        H = hi;
        R = span_half * 2;
    }
    double fallback_k = 1e300;
    /* At least three ticks when three fit: "0 2 4" reads better than "0 5". */
    double tmin = m < 3 ? m : 3;
    double target = m * TARGET_FRACTION < tmin ? tmin : m * TARGET_FRACTION;
    for (int j = 1; j <= MAX_SKIP; j++) {
        for (int qi = 0; qi < NQ; qi++) {
            for (int z = -4; z <= 2; z++) {
                double step = scale_p10(j * q_tenths[qi], z - 1); /* j * q * 10^z */
                int exp10 = z + E - 1; /* the real step is j * q_tenths * 10^exp10 */
                /* 2.5 times 10^z needs one more decimal than its
                 * neighbours 2 and 5 whenever it is not a whole number. */
                bool extra_decimal = q_tenths[qi] == 25 && exp10 < 0;
                if (integer_only && exp10 < 0 &&
                    (-exp10 > 18 || (j * q_tenths[qi]) % p10i(-exp10) != 0))
                    continue;
                double first = ceil(L / step - EDGE_EPS);
                double last = floor(H / step + EDGE_EPS);
                double k = last - first + 1;
                if (k < 1)
                    continue;
                if (k < fallback_k) {
                    fallback_k = k;
                    fallback =
                        (lin_choice){true, 0, j * q_tenths[qi], z + E - 1, first, last};
                }
                if (k < 2 || k > m)
                    continue;
                double lmin = first * step, lmax = last * step;
                double simp = 1 - qi / (double)(NQ - 1) - j + (first <= 0 && last >= 0);
                double cov = 1 - 0.5 *
                                     ((H - lmax) * (H - lmax) + (L - lmin) * (L - lmin)) /
                                     ((COVERAGE_SCALE * R) * (COVERAGE_SCALE * R));
                double r =
                    (k - 1) / R; /* the paper's density: ticks over the whole view */
                double rt = (target - 1) / R;
                double dens = 2 - fmax(r / rt, rt / r);
                double leg = extra_decimal ? 0 : 1;
                double score =
                    0.25 * simp + 0.2 * cov + 0.5 * dens + LEGIBILITY_WEIGHT * leg;
                if (score > best.score)
                    best =
                        (lin_choice){true, score, j * q_tenths[qi], exp10, first, last};
            }
        }
    }
    return best.found ? best : fallback;
}

/* The label format shared by all ticks of a linear axis. */
typedef struct lin_format {
    double offset; /* subtracted before printing */
    int mult;      /* labels are divided by 10^mult */
    double lstep;  /* the step in label units (for the decimals) */
} lin_format;

static void format_linear_label(const lin_format *f, double v, char *buf, size_t size);

/* Choose the offset and multiplier for ticks from VFIRST to VLAST with
 * step STEP on the view [LO, HI] (see the label rule at the top). */
static lin_format
choose_format(double lo, double hi, double step, double vfirst, double vlast,
              char offset_text[ORGFIG_TICK_LABEL_SIZE])
{
    lin_format f = {0, 0, step};
    double mag = fmax(fabs(lo), fabs(hi));
    char off[144] = "", mul[32] = "";
    offset_text[0] = '\0';
    if (hi > lo && (lo > 0 || hi < 0) && floor(log10(mag)) - floor(log10(step)) >= 5) {
        /* OFFSET = N * 10^P, computed so that it is the double nearest that
         * decimal and prints without noise. */
        int p = (int)floor(log10(hi - lo)) + 1;
        double unit = p10(p);
        double n = lo > 0 ? floor(lo / unit) : ceil(hi / unit);
        if (isfinite(n) && n != 0 && fabs(n) < 1e15) {
            char num[128];
            decimal_text(n, p, num, sizeof num);
            f.offset = strtod(num, NULL);
            snprintf(off, sizeof off, "%s%s", n > 0 ? "+" : "", num);
        }
    }
    double lmag = fmax(fabs(lo - f.offset), fabs(hi - f.offset));
    bool use_mult = lmag > 0 && isfinite(lmag) && (lmag >= 1e5 || lmag < 1e-4);
    if (!use_mult && lmag > 0 && isfinite(lmag)) {
        /* Labels longer than 8 characters ("-0.00013380") read better
         * with a multiplier. */
        char a[64], b[64];
        format_linear_label(&f, vfirst, a, sizeof a);
        format_linear_label(&f, vlast, b, sizeof b);
        use_mult = strlen(a) > 8 || strlen(b) > 8;
    }
    if (use_mult) {
        f.mult = (int)floor(log10(lmag));
        f.lstep = step / p10(f.mult);
        snprintf(mul, sizeof mul,
                 "\xc3\x97"
                 "1e%d",
                 f.mult); /* "×1eP" */
    }
    append(offset_text, ORGFIG_TICK_LABEL_SIZE, mul);
    if (mul[0] && off[0])
        append(offset_text, ORGFIG_TICK_LABEL_SIZE, " ");
    append(offset_text, ORGFIG_TICK_LABEL_SIZE, off);
    return f;
}

static void
format_linear_label(const lin_format *f, double v, char *buf, size_t size)
{
    double w = v - f->offset;
    if (f->mult != 0)
        w = scale_p10(w, -f->mult);
    orgfig_format_number(w, f->lstep, buf, size);
}

/* One tick at V, for a range too narrow to hold two distinct ticks. */
static orgfig_status
single_tick(double v, tick_list *l, orgfig_ticks *out, orgfig_err *err)
{
    /* A lone value is shown whole (no offset) to at most 6 significant
     * digits, with a multiplier when very large or small. */
    char label[ORGFIG_TICK_LABEL_SIZE];
    double a = fabs(v), w = v;
    out->offset[0] = '\0';
    if (a > 0 && (a >= 1e5 || a < 1e-4)) {
        int pw = (int)floor(log10(a));
        w = scale_p10(v, -pw);
        snprintf(out->offset, sizeof out->offset,
                 "\xc3\x97"
                 "1e%d",
                 pw);
    }
    snprintf(label, sizeof label, "%.6g", w);
    if (strlen(label) > 8 && a > 0 && w == v) {
        /* "-0.000143334": a multiplier keeps the digits and is shorter. */
        int pw = (int)floor(log10(a));
        w = scale_p10(v, -pw);
        snprintf(out->offset, sizeof out->offset,
                 "\xc3\x97"
                 "1e%d",
                 pw);
        snprintf(label, sizeof label, "%.6g", w);
    }
    tidy_exponent(label);
    drop_negative_zero(label);
    orgfig_status st = list_push(l, v, false, label, err);
    if (st != ORGFIG_OK)
        return st;
    list_finish(l, out);
    return ORGFIG_OK;
}

static orgfig_status
linear_ticks(double lo, double hi, int m, tick_list *l, orgfig_ticks *out,
             orgfig_err *err)
{
    double span_half = hi / 2 - lo / 2;
    double mag = fmax(fabs(lo), fabs(hi));
    if (lo == hi || !(span_half > DBL_MIN * 1e3) || span_half < mag * 5e-14)
        return single_tick(clampd(lo / 2 + hi / 2, lo, hi), l, out, err);
    lin_choice c = choose_linear(lo, hi, m);
    if (!c.found)
        return single_tick(clampd(lo / 2 + hi / 2, lo, hi), l, out, err);
    double step = scale_p10(c.mant, c.exp10);
    lin_format f = choose_format(lo, hi, step, scale_p10(c.first * c.mant, c.exp10),
                                 scale_p10(c.last * c.mant, c.exp10), out->offset);
    for (double n = c.first; n <= c.last; n++) {
        double v = scale_p10(n * c.mant, c.exp10);
        if (v < lo)
            v = lo; /* within EDGE_EPS of the edge: rounding only */
        if (v > hi)
            v = hi;
        char label[ORGFIG_TICK_LABEL_SIZE];
        format_linear_label(&f, v, label, sizeof label);
        orgfig_status st = list_push(l, v, false, label, err);
        if (st != ORGFIG_OK)
            return st;
    }
    list_finish(l, out);
    return ORGFIG_OK;
}

/* ---- log ticks ---- */

/* "0.001" .. "1000" for |K| <= 3 when PLAIN, else "10" followed by
 * superscripts. */
static void
power_label(int k, bool plain, char *buf, size_t size)
{
    static const char *const sup[10] = {
        "\xe2\x81\xb0", "\xc2\xb9",     "\xc2\xb2",     "\xc2\xb3",     "\xe2\x81\xb4",
        "\xe2\x81\xb5", "\xe2\x81\xb6", "\xe2\x81\xb7", "\xe2\x81\xb8", "\xe2\x81\xb9"};
    if (plain && k >= -3 && k <= 3) {
        orgfig_format_number(p10(k), p10(k), buf, size);
        return;
    }
    char digits[16];
    size_t o = 0;
    snprintf(digits, sizeof digits, "%d", k < 0 ? -k : k);
    o = (size_t)snprintf(buf, size, "10%s", k < 0 ? "\xe2\x81\xbb" : ""); /* "⁻" */
    for (const char *d = digits; *d && o < size; d++)
        o += (size_t)snprintf(buf + o, size - o, "%s", sup[*d - '0']);
}

static bool
inside(double v, double lo, double hi)
{
    return v >= lo * (1 - EDGE_EPS) && v <= hi * (1 + EDGE_EPS);
}

static orgfig_status
log_ticks(double lo, double hi, int m, tick_list *l, orgfig_ticks *out, orgfig_err *err)
{
    orgfig_status st;
    char label[ORGFIG_TICK_LABEL_SIZE];
    int a = (int)ceil(log10(lo) - EDGE_EPS);
    int b = (int)floor(log10(hi) + EDGE_EPS);
    int npow = b - a + 1;
    if (npow < 2) {
        /* At most one power of ten: majors at 1, 2 and 5 times powers of
         * ten if that gives two or more, else linear ticks. */
        int k0 = (int)floor(log10(lo)) - 1, k1 = (int)ceil(log10(hi));
        int nmaj = 0;
        for (int k = k0; k <= k1; k++)
            for (int d = 1; d <= 9; d++)
                if ((d == 1 || d == 2 || d == 5) && inside(d * p10(k), lo, hi))
                    nmaj++;
        if (nmaj < 2 || nmaj > m)
            return linear_ticks(lo, hi, m, l, out, err);
        for (int k = k0; k <= k1; k++) {
            for (int d = 1; d <= 9; d++) {
                double v = d * p10(k);
                if (!inside(v, lo, hi))
                    continue;
                bool major = d == 1 || d == 2 || d == 5;
                label[0] = '\0';
                if (major && k >= -3 && k <= 3)
                    orgfig_format_number(v, p10(k), label, sizeof label);
                else if (major && d == 1)
                    power_label(k, true, label, sizeof label);
                else if (major) {
                    char pw[32];
                    power_label(k, true, pw, sizeof pw);
                    snprintf(label, sizeof label, "%d\xc3\x97%s", d, pw); /* "2×10⁵" */
                }
                if ((st = list_push(l, clampd(v, lo, hi), !major, label, err)) !=
                    ORGFIG_OK)
                    return st;
            }
        }
        list_finish(l, out);
        return ORGFIG_OK;
    }
    /* Thin the majors to every STRIDE-th power. */
    int limit = m < 9 ? m : 9;
    static const int strides[] = {1,  2,  3,   4,   5,   10,  20,
                                  25, 50, 100, 200, 250, 500, 1000};
    int stride = 1;
    for (size_t i = 0; i < sizeof strides / sizeof strides[0]; i++) {
        stride = strides[i];
        int cnt = (int)(floor((double)b / stride) - ceil((double)a / stride) + 1);
        if (cnt <= limit)
            break;
    }
    bool few_skipped = (double)npow <= 200;
    /* One style for the whole axis: "0.01 0.1 1 10 100" when every major
     * power is within 10^-3..10^3, else "10⁻² 10⁰ 10² 10⁴" rather than a
     * mix such as "1 100 10⁴ 10⁶". */
    bool plain = true;
    for (int k = a; k <= b; k++)
        if (k % stride == 0 && (k < -3 || k > 3))
            plain = false;
    for (int k = a; k <= b; k++) {
        bool major = k % stride == 0;
        if (!major && !few_skipped)
            continue;
        label[0] = '\0';
        if (major)
            power_label(k, plain, label, sizeof label);
        if ((st = list_push(l, clampd(p10(k), lo, hi), !major, label, err)) != ORGFIG_OK)
            return st;
    }
    if (stride == 1) {
        for (int k = a - 1; k <= b; k++)
            for (int d = 2; d <= 9; d++) {
                double v = d * p10(k);
                if (inside(v, lo, hi) &&
                    (st = list_push(l, clampd(v, lo, hi), true, "", err)) != ORGFIG_OK)
                    return st;
            }
    }
    list_finish(l, out);
    return ORGFIG_OK;
}

/* ---- time ticks ---- */

/* Days since 1970-01-01 of the proleptic Gregorian date Y-M-D, and back
 * (the era-based method: 400-year eras of 146097 days). */
static int64_t
days_from_civil(int64_t y, int mo, int d)
{
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

typedef struct civil {
    int64_t year;
    int month; /* 1..12 */
    int day;   /* 1..31 */
    int hour, min, sec;
} civil;

static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static civil
civil_from_seconds(int64_t t)
{
    civil c;
    int64_t z = floor_div(t, 86400);
    int64_t sod = t - z * 86400;
    c.hour = (int)(sod / 3600);
    c.min = (int)(sod / 60 % 60);
    c.sec = (int)(sod % 60);
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    c.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c.year = yoe + era * 400 + (c.month <= 2);
    return c;
}

enum time_unit { T_SEC, T_MIN, T_HOUR, T_DAY, T_WEEK, T_MONTH, T_YEAR };

typedef struct time_step {
    enum time_unit unit;
    int64_t n;
    double approx; /* seconds, for estimating the count */
} time_step;

static const time_step time_steps[] = {
    {T_SEC, 1, 1},
    {T_SEC, 2, 2},
    {T_SEC, 5, 5},
    {T_SEC, 10, 10},
    {T_SEC, 15, 15},
    {T_SEC, 30, 30},
    {T_MIN, 1, 60},
    {T_MIN, 2, 120},
    {T_MIN, 5, 300},
    {T_MIN, 10, 600},
    {T_MIN, 15, 900},
    {T_MIN, 30, 1800},
    {T_HOUR, 1, 3600},
    {T_HOUR, 2, 7200},
    {T_HOUR, 3, 10800},
    {T_HOUR, 6, 21600},
    {T_HOUR, 12, 43200},
    {T_DAY, 1, 86400},
    {T_DAY, 2, 172800},
    {T_WEEK, 1, 604800},
    {T_MONTH, 1, 2629746},
    {T_MONTH, 2, 5259492},
    {T_MONTH, 3, 7889238},
    {T_MONTH, 6, 15778476},
    {T_YEAR, 1, 31556952},
    {T_YEAR, 2, 63113904},
    {T_YEAR, 5, 157784760},
    {T_YEAR, 10, 3.16e8},
    {T_YEAR, 20, 6.31e8},
    {T_YEAR, 50, 1.58e9},
    {T_YEAR, 100, 3.16e9},
    {T_YEAR, 200, 6.31e9},
    {T_YEAR, 500, 1.58e10},
    {T_YEAR, 1000, 3.16e10},
    {T_YEAR, 2000, 6.31e10},
    {T_YEAR, 5000, 1.58e11},
    {T_YEAR, 10000, 3.16e11},
    {T_YEAR, 20000, 6.31e11},
    {T_YEAR, 50000, 1.58e12},
    {T_YEAR, 100000, 3.16e12},
    {T_YEAR, 200000, 6.31e12},
    {T_YEAR, 500000, 1.58e13},
};

#define NTIME_STEPS (sizeof time_steps / sizeof time_steps[0])

/* Write the ticks of step TS in [LO, HI] to T (at most CAP of them);
 * returns the count, or CAP + 1 when there are more. */
static int
time_candidates(const time_step *ts, int64_t lo, int64_t hi, int64_t *t, int cap)
{
    int n = 0;
    if (ts->unit <= T_DAY || ts->unit == T_WEEK) {
        int64_t unit = ts->unit == T_SEC    ? 1
                       : ts->unit == T_MIN  ? 60
                       : ts->unit == T_HOUR ? 3600
                                            : 86400;
        int64_t step = unit * (ts->unit == T_WEEK ? 7 : ts->n);
        /* Weeks start on Mondays; day 4 after the epoch (a Thursday) is one. */
        int64_t phase = ts->unit == T_WEEK ? 4 * 86400 : 0;
        int64_t v = (floor_div(lo - phase - 1, step) + 1) * step + phase;
        for (; v <= hi; v += step) {
            if (n >= cap)
                return cap + 1;
            t[n++] = v;
        }
        return n;
    }
    civil c = civil_from_seconds(lo);
    if (ts->unit == T_MONTH) {
        int64_t mi = c.year * 12 + (c.month - 1);
        mi = floor_div(mi, ts->n) * ts->n;
        for (;; mi += ts->n) {
            int64_t y = floor_div(mi, 12);
            int mo = (int)(mi - y * 12) + 1;
            int64_t v = days_from_civil(y, mo, 1) * 86400;
            if (v < lo)
                continue;
            if (v > hi)
                break;
            if (n >= cap)
                return cap + 1;
            t[n++] = v;
        }
        return n;
    }
    int64_t y = floor_div(c.year, ts->n) * ts->n;
    for (;; y += ts->n) {
        int64_t v = days_from_civil(y, 1, 1) * 86400;
        if (v < lo)
            continue;
        if (v > hi)
            break;
        if (n >= cap)
            return cap + 1;
        t[n++] = v;
    }
    return n;
}

static const char *const month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Ticks for a time range too short for whole seconds: linear ticks in
 * seconds after the whole second BASE at or below LO, whose date and time
 * the offset text gives: "s after 2024-03-15 14:30:15". */
static orgfig_status
subsecond_ticks(double lo, double hi, int m, tick_list *l, orgfig_ticks *out,
                orgfig_err *err)
{
    double base = floor(lo);
    orgfig_status st = linear_ticks(lo - base, hi - base, m, l, out, err);
    if (st != ORGFIG_OK)
        return st;
    for (size_t i = 0; i < out->n; i++)
        out->ticks[i].value = clampd(out->ticks[i].value + base, lo, hi);
    civil c = civil_from_seconds((int64_t)base);
    char date[64];
    snprintf(date, sizeof date, "s after %04lld-%02d-%02d %02d:%02d:%02d",
             (long long)c.year, c.month, c.day, c.hour, c.min, c.sec);
    if (out->offset[0])
        append(out->offset, sizeof out->offset, " ");
    append(out->offset, sizeof out->offset, date);
    return ORGFIG_OK;
}

/* The most ticks of UNIT on an axis that takes M numeric ticks.  The
 * caller sizes M for short numbers; "Nov 15" and "14:30:15" are wider,
 * and at M of them the labels would touch ("Nov 15 Nov 16 Nov 17 ..."). */
static int
time_budget(enum time_unit unit, int m)
{
    int b = m;
    switch (unit) {
    case T_SEC:
        b = m / 2; /* "14:30:15" */
        break;
    case T_MIN:
    case T_HOUR:
        b = m * 3 / 4; /* "14:30", "Mar 15" at midnight */
        break;
    case T_DAY:
    case T_WEEK:
        b = m * 2 / 3; /* "Mar 15" */
        break;
    case T_MONTH:
    case T_YEAR:
        break; /* "Mar", "2024" */
    }
    return b < 2 ? 2 : b;
}

static orgfig_status
time_ticks(double lo, double hi, int m, tick_list *l, orgfig_ticks *out, orgfig_err *err)
{
    int64_t ilo = (int64_t)ceil(lo), ihi = (int64_t)floor(hi);
    int64_t t[MAX_MAJOR + 1];
    const time_step *ts = NULL;
    int n = 0;
    for (size_t i = 0; i < NTIME_STEPS && ilo <= ihi; i++) {
        int mu = time_budget(time_steps[i].unit, m);
        if ((hi - lo) / time_steps[i].approx > 1.5 * mu + 2)
            continue;
        n = time_candidates(&time_steps[i], ilo, ihi, t, mu);
        if (n <= mu) {
            ts = &time_steps[i];
            break;
        }
    }
    if ((ts == NULL || n < 2) && hi - lo < 60)
        return subsecond_ticks(lo, hi, m, l, out, err);
    if (ts == NULL || n < 2)
        return linear_ticks(lo, hi, m, l, out, err);
    civil first = civil_from_seconds(t[0]), last = civil_from_seconds(t[n - 1]);
    bool same_year = first.year == last.year;
    bool same_day = same_year && first.month == last.month && first.day == last.day;
    out->offset[0] = '\0';
    if (ts->unit <= T_HOUR) {
        if (same_day)
            snprintf(out->offset, sizeof out->offset, "%04lld-%02d-%02d",
                     (long long)first.year, first.month, first.day);
        else if (same_year)
            snprintf(out->offset, sizeof out->offset, "%lld", (long long)first.year);
    } else if (ts->unit <= T_MONTH && same_year) {
        snprintf(out->offset, sizeof out->offset, "%lld", (long long)first.year);
    }
    for (int i = 0; i < n; i++) {
        civil c = civil_from_seconds(t[i]);
        char label[ORGFIG_TICK_LABEL_SIZE];
        bool midnight = c.hour == 0 && c.min == 0 && c.sec == 0;
        bool new_year = midnight && c.month == 1 && c.day == 1;
        switch (ts->unit) {
        case T_SEC:
        case T_MIN:
        case T_HOUR:
            if (midnight && !same_day)
                snprintf(label, sizeof label, "%s %d", month_abbr[c.month - 1], c.day);
            else if (ts->unit == T_SEC)
                snprintf(label, sizeof label, "%02d:%02d:%02d", c.hour, c.min, c.sec);
            else
                snprintf(label, sizeof label, "%02d:%02d", c.hour, c.min);
            break;
        case T_DAY:
        case T_WEEK:
            if (new_year && !same_year)
                snprintf(label, sizeof label, "%lld", (long long)c.year);
            else
                snprintf(label, sizeof label, "%s %d", month_abbr[c.month - 1], c.day);
            break;
        case T_MONTH:
            if (new_year && !same_year)
                snprintf(label, sizeof label, "%lld", (long long)c.year);
            else
                snprintf(label, sizeof label, "%s", month_abbr[c.month - 1]);
            break;
        case T_YEAR:
            snprintf(label, sizeof label, "%lld", (long long)c.year);
            break;
        }
        orgfig_status st = list_push(l, (double)t[i], false, label, err);
        if (st != ORGFIG_OK)
            return st;
    }
    list_finish(l, out);
    return ORGFIG_OK;
}

/* ---- entry points ---- */

orgfig_status
orgfig_ticks_compute(orgfig_scale scale, double lo, double hi, int max_ticks,
                     orgfig_meter *meter, orgfig_ticks *out, orgfig_err *err)
{
    out->ticks = NULL;
    out->n = 0;
    out->offset[0] = '\0';
    if (!isfinite(lo) || !isfinite(hi))
        return orgfig_fail(err, ORGFIG_E_INVALID,
                           "orgfig-render: the axis range [%g, %g] is not finite", lo,
                           hi);
    if (lo > hi) {
        double tmp = lo;
        lo = hi;
        hi = tmp;
    }
    int m = max_ticks < 2 ? 2 : max_ticks > MAX_MAJOR ? MAX_MAJOR : max_ticks;
    tick_list l = {NULL, 0, 0, meter};
    orgfig_status st;
    switch (scale) {
    case ORGFIG_SCALE_LOG:
        if (!(lo > 0))
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "orgfig-render: a log axis needs a positive range, got "
                               "[%g, %g]",
                               lo, hi);
        st =
            lo == hi ? single_tick(lo, &l, out, err) : log_ticks(lo, hi, m, &l, out, err);
        break;
    case ORGFIG_SCALE_TIME:
        if (fabs(lo) > MAX_TIME || fabs(hi) > MAX_TIME)
            return orgfig_fail(err, ORGFIG_E_INVALID,
                               "orgfig-render: the time axis range [%g, %g] lies beyond "
                               "1e13 seconds from 1970",
                               lo, hi);
        st = time_ticks(lo, hi, m, &l, out, err);
        break;
    case ORGFIG_SCALE_LINEAR:
    default:
        st = linear_ticks(lo, hi, m, &l, out, err);
        break;
    }
    if (st != ORGFIG_OK) {
        orgfig_free(l.v);
        out->ticks = NULL;
        out->n = 0;
        out->offset[0] = '\0';
    }
    return st;
}

/* Widen [*LO, *HI] outward to multiples of a power of ten a tenth of its
 * width, so a range made up around a single value reads well. */
static void
round_outward(double *lo, double *hi)
{
    double w = *hi - *lo;
    if (!(w > 0) || !isfinite(w))
        return;
    double unit = p10((int)floor(log10(w)) - 1);
    double a = floor(*lo / unit) * unit, b = ceil(*hi / unit) * unit;
    if (isfinite(a) && isfinite(b) && a < b) {
        *lo = a;
        *hi = b;
    }
}

void
orgfig_view_range(orgfig_scale scale, double lo, double hi, double margin, double *vlo,
                  double *vhi)
{
    if (!isfinite(lo) && !isfinite(hi)) {
        lo = scale == ORGFIG_SCALE_LOG ? 1 : 0;
        hi = scale == ORGFIG_SCALE_LOG ? 10 : 1;
        margin = 0;
    } else if (!isfinite(lo)) {
        lo = hi;
    } else if (!isfinite(hi)) {
        hi = lo;
    }
    if (lo > hi) {
        double tmp = lo;
        lo = hi;
        hi = tmp;
    }
    if (!(margin >= 0) || !isfinite(margin))
        margin = 0;
    if (margin > 1)
        margin = 1;

    if (scale == ORGFIG_SCALE_LOG) {
        /* Documented fallbacks: a non-positive low end becomes HI / 1000;
         * a range with no positive value becomes [1, 10]. */
        if (!(hi > 0)) {
            *vlo = 1;
            *vhi = 10;
            return;
        }
        if (!(lo > 0))
            lo = hi / 1e3;
        if (!(lo > 0)) /* HI / 1000 underflowed */
            lo = hi;
        double llo = log10(lo), lhi = log10(hi);
        double a = floor(llo), b = ceil(lhi);
        if (a == b) {
            a -= 1;
            b += 1;
        }
        double waste = (llo - a) + (b - lhi);
        double dlo, dhi;
        if (waste <= 1.0 + 1e-9 || lhi - llo < 1e-12) {
            dlo = a;
            dhi = b;
        } else {
            double pad = margin * (lhi - llo);
            dlo = llo - pad;
            dhi = lhi + pad;
        }
        /* Keep 10^DLO positive and 10^DHI finite, the data inside. */
        if (dlo < -323)
            dlo = -323;
        if (dhi > 308.25)
            dhi = 308.25;
        *vlo = fmin(pow(10, dlo), lo);
        *vhi = fmax(fmin(pow(10, dhi), DBL_MAX), hi);
        if (!(*vlo < *vhi)) {
            *vlo = lo / 10 > 0 ? lo / 10 : lo;
            *vhi = hi < DBL_MAX / 10 ? hi * 10 : DBL_MAX;
        }
        return;
    }

    double a, b;
    if (lo == hi) {
        if (scale == ORGFIG_SCALE_TIME) {
            a = lo - 86400;
            b = hi + 86400;
        } else if (lo == 0) {
            a = -1;
            b = 1;
        } else {
            a = lo - fabs(lo) * 0.1;
            b = hi + fabs(hi) * 0.1;
            round_outward(&a, &b);
            if (!(a < b)) { /* |LO| * 0.1 underflowed: LO is all but 0 */
                a = lo - 1;
                b = hi + 1;
            }
        }
    } else {
        /* MARGIN * (HI - LO), without overflowing when the span does. */
        double pad = margin * hi - margin * lo;
        a = lo - pad;
        b = hi + pad;
        if (!(a < b)) { /* the margin vanished in rounding */
            a = lo;
            b = hi;
        }
    }
    if (!isfinite(a))
        a = -DBL_MAX;
    if (!isfinite(b))
        b = DBL_MAX;
    if (scale == ORGFIG_SCALE_TIME) {
        /* Durations and timestamps starting at 0 should not gain a 1969. */
        if (lo >= 0 && a < 0)
            a = 0;
        a = clampd(a, -MAX_TIME, MAX_TIME);
        b = clampd(b, -MAX_TIME, MAX_TIME);
        if (!(a < b)) { /* the data lie wholly beyond the limit */
            a = clampd(a, -MAX_TIME, MAX_TIME - 86400);
            b = a + 86400;
        }
    }
    *vlo = a;
    *vhi = b;
}
