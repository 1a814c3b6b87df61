/* ticks.h - tick positions and labels for linear, log and time axes.
 *
 * Linear axes use the extended Wilkinson algorithm (Talbot, Lin and
 * Hanrahan 2010): candidates step through the nice numbers Q = 1, 5, 2,
 * 2.5 times powers of ten and are scored on simplicity, coverage, density
 * and legibility; a view ending halfway between integers (heatmap cells)
 * gets integer ticks only.  Labels are formatted from the step's decimal
 * exponent, so 0.1 + 0.2 prints as 0.3; very large or very small ranges
 * switch to an offset ("+1.2345e6") or a common multiplier ("1e-9") shown
 * once at the end of the axis.  Log axes tick at powers of ten with minor
 * ticks at 2..9 times them.  Time axes treat values as Unix seconds (UTC)
 * and tick at calendar units: years, months, days, hours, minutes, seconds. */
#ifndef ORGFIG_TICKS_H
#define ORGFIG_TICKS_H

#include <stdbool.h>
#include <stddef.h>

#include "alloc.h"

typedef enum orgfig_scale {
    ORGFIG_SCALE_LINEAR,
    ORGFIG_SCALE_LOG,
    ORGFIG_SCALE_TIME,
} orgfig_scale;

#define ORGFIG_TICK_LABEL_SIZE 48

typedef struct orgfig_tick {
    double value;
    bool minor; /* minor ticks have empty labels */
    char label[ORGFIG_TICK_LABEL_SIZE];
} orgfig_tick;

typedef struct orgfig_ticks {
    orgfig_tick *ticks; /* from orgfig_alloc; sorted by value */
    size_t n;
    char offset[ORGFIG_TICK_LABEL_SIZE]; /* "" or the offset/multiplier text */
} orgfig_ticks;

/* Choose the view range for data in [LO, HI] on SCALE: linear ranges get a
 * small margin (MARGIN, a fraction, e.g. 0.05); a degenerate range (LO ==
 * HI) widens to a sensible interval around the value; log ranges need
 * LO > 0 and expand to whole decades when that does not waste more than one
 * decade.  Writes the view range to *VLO, *VHI. */
void orgfig_view_range(orgfig_scale scale, double lo, double hi, double margin,
                       double *vlo, double *vhi);

/* Ticks for the view range [LO, HI] with at most about MAX_TICKS major
 * ticks (the caller derives it from the axis length and label size).
 * Only ticks inside [LO, HI] are returned. */
orgfig_status orgfig_ticks_compute(orgfig_scale scale, double lo, double hi,
                                   int max_ticks, orgfig_meter *meter, orgfig_ticks *out,
                                   orgfig_err *err);
void orgfig_ticks_free(orgfig_ticks *t);

/* Format V as the shortest decimal that shows no floating-point noise,
 * given that neighbouring values differ by STEP (> 0); returns the length. */
int orgfig_format_number(double v, double step, char *buf, size_t size);

#endif
