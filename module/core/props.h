/* props.h - reading and validating orgfig_value and orgfig_prop.
 *
 * Every reader takes an orgfig_loc that says which Lisp function is being
 * called and which value is read (a positional argument by index and name,
 * or a property by index and key), so messages read like
 * "orgfig-line: :width must be a number in [0, 100], got -1" and type
 * errors carry the Lisp predicate and the position for the adapter's
 * (wrong-type-argument PREDICATE VALUE).
 *
 * Readers never allocate except the string readers (charged to METER). */
#ifndef ORGFIG_PROPS_H
#define ORGFIG_PROPS_H

#include <stdbool.h>
#include <stddef.h>

#include "color.h"
#include "value.h"

typedef struct orgfig_loc {
    const char *fn;     /* "orgfig-line" */
    char name[64];      /* "X" or ":width" */
    orgfig_where where; /* ORGFIG_WHERE_ARG or ORGFIG_WHERE_PROP */
    size_t index;
} orgfig_loc;

orgfig_loc orgfig_loc_arg(const char *fn, const char *name, size_t index);
orgfig_loc orgfig_loc_prop(const char *fn, const orgfig_prop *props, size_t index);

/* The index of the LAST property named KEY (later keys override earlier
 * ones, as in plist-get on a reversed list), or -1. */
long orgfig_prop_find(const orgfig_prop *props, size_t n, const char *key);

/* Reject keys not in COMMON or SPECIFIC (NULL-terminated arrays, either may
 * be NULL) with ORGFIG_E_INVALID listing the known keys. */
orgfig_status orgfig_props_check(const char *fn, const orgfig_prop *props, size_t n,
                                 const char *const *common, const char *const *specific,
                                 orgfig_err *err);

/* A short English name of V's type ("a string", "a list", ...). */
const char *orgfig_value_kind(const orgfig_value *v);

/* A finite number in [LO, HI]. */
orgfig_status orgfig_val_number(const orgfig_value *v, const orgfig_loc *l, double lo,
                                double hi, double *out, orgfig_err *err);
/* An integer in [LO, HI] (a float with an integral value is accepted). */
orgfig_status orgfig_val_int(const orgfig_value *v, const orgfig_loc *l, long lo, long hi,
                             long *out, orgfig_err *err);
/* nil is false; t or any symbol, number or string is true. */
orgfig_status orgfig_val_bool(const orgfig_value *v, const orgfig_loc *l, bool *out,
                              orgfig_err *err);
/* A symbol (or string) among NAMES (NULL-terminated); nil matches "nil"
 * and t matches "t" when listed.  *OUT is the index. */
orgfig_status orgfig_val_enum(const orgfig_value *v, const orgfig_loc *l,
                              const char *const *names, int *out, orgfig_err *err);
/* A string (valid UTF-8, no NUL), copied to *OUT on METER; a symbol's name
 * is accepted too when ALLOW_SYM.  A number is formatted when ALLOW_NUM. */
orgfig_status orgfig_val_string(const orgfig_value *v, const orgfig_loc *l,
                                orgfig_meter *meter, bool allow_sym, bool allow_num,
                                char **out, orgfig_err *err);
/* Validate a UTF-8 string of LEN bytes (no NUL). */
bool orgfig_utf8_valid(const char *s, size_t len);
/* A color: a string or symbol through orgfig_color_parse. */
orgfig_status orgfig_val_color(const orgfig_value *v, const orgfig_loc *l,
                               orgfig_rgba *out, orgfig_err *err);
/* A sequence of numbers (borrowed column).  When NONEMPTY, an empty or
 * all-NaN/inf sequence is ORGFIG_E_INVALID. */
orgfig_status orgfig_val_column(const orgfig_value *v, const orgfig_loc *l, bool nonempty,
                                orgfig_column **out, orgfig_err *err);
/* (LO HI): two finite numbers with LO != HI (LO < HI when ORDERED). */
orgfig_status orgfig_val_pair(const orgfig_value *v, const orgfig_loc *l, bool ordered,
                              double *lo, double *hi, orgfig_err *err);
/* A sequence of strings (V_LIST of V_STR; numbers are formatted; an empty
 * V_COL is an empty list).  *OUT is an owned array of owned strings. */
orgfig_status orgfig_val_strings(const orgfig_value *v, const orgfig_loc *l,
                                 orgfig_meter *meter, char ***out, size_t *n,
                                 orgfig_err *err);
void orgfig_strings_free(char **s, size_t n);

#endif
