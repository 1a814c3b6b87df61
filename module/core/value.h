/* value.h - plot arguments and keyword properties, as the core sees them.
 *
 * The adapter turns Lisp arguments into orgfig_value and a Lisp property
 * list (:key value ...) into an array of orgfig_prop.  The core validates
 * every key against the calling function's schema and every value against
 * the key's type, and names the function, the argument and the problem in
 * its error message.  Nothing in these structs is owned by the core: it
 * copies strings and takes references to columns it keeps. */
#ifndef ORGFIG_VALUE_H
#define ORGFIG_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "column.h"

typedef enum orgfig_vtype {
    ORGFIG_V_NIL,   /* nil */
    ORGFIG_V_T,     /* t (any non-nil symbol other than a named one is V_SYM) */
    ORGFIG_V_NUM,   /* integer or float; is_int tells which */
    ORGFIG_V_STR,   /* a string: str/len, UTF-8, NUL-terminated at len */
    ORGFIG_V_SYM,   /* a symbol other than nil and t: its name in str/len */
    ORGFIG_V_COL,   /* a sequence of numbers, or a column object: col (borrowed) */
    ORGFIG_V_LIST,  /* a sequence of other values (strings, nested sequences): items */
    ORGFIG_V_OTHER, /* any other Lisp object (a marker, a hash table...): always a
                     * wrong-type error, with the predicate the reader expects */
} orgfig_vtype;

typedef struct orgfig_value {
    orgfig_vtype type;
    bool is_int;
    double num;
    const char *str;
    size_t len;
    orgfig_column *col;
    const struct orgfig_value *items;
    size_t nitems;
} orgfig_value;

typedef struct orgfig_prop {
    const char *key; /* without the colon: "color" for :color */
    orgfig_value val;
} orgfig_prop;

#endif
