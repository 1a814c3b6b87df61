/* error.h - status codes and error messages of the orgfig core.
 *
 * Every core function that can fail takes an `orgfig_err *` as its last
 * argument and returns an orgfig_status (or NULL).  The first failure
 * recorded in an orgfig_err wins, as in Emacs: later failures caused by the
 * first one do not overwrite the message that explains it.  The adapter
 * turns each status into one Lisp error symbol (see orgfig-module.c). */
#ifndef ORGFIG_ERROR_H
#define ORGFIG_ERROR_H

#include <stdarg.h>
#include <stddef.h>

typedef enum orgfig_status {
    ORGFIG_OK = 0,
    ORGFIG_E_NOMEM,   /* malloc failed                -> orgfig-out-of-memory */
    ORGFIG_E_LIMIT,   /* orgfig-memory-limit reached  -> orgfig-memory-limit */
    ORGFIG_E_INVALID, /* bad argument or data         -> orgfig-invalid-data */
    ORGFIG_E_CLOSED,  /* use of a closed object       -> orgfig-closed-figure */
    ORGFIG_E_RENDER,  /* cairo reported a failure     -> orgfig-render-error */
    ORGFIG_E_ENCODE,  /* libpng reported a failure    -> orgfig-render-error */
    ORGFIG_E_IO,      /* a file could not be read     -> orgfig-file-error */
    ORGFIG_E_QUIT,    /* the caller's poll said stop  -> quit */
    ORGFIG_E_BUSY,    /* re-entrant use of an object  -> orgfig-busy */
    ORGFIG_E_TYPE,    /* a value of the wrong type    -> wrong-type-argument */
} orgfig_status;

#define ORGFIG_ERR_MSG_SIZE 512

/* For ORGFIG_E_TYPE: which value was wrong, so the adapter can signal
 * (wrong-type-argument PREDICATE VALUE) with the caller's own object. */
typedef enum orgfig_where {
    ORGFIG_WHERE_NONE,
    ORGFIG_WHERE_ARG,  /* positional argument number `index' */
    ORGFIG_WHERE_PROP, /* the value of property number `index' */
} orgfig_where;

typedef struct orgfig_err {
    orgfig_status status;
    char msg[ORGFIG_ERR_MSG_SIZE];
    const char *predicate; /* ORGFIG_E_TYPE: a Lisp predicate name, e.g. "numberp" */
    orgfig_where where;
    size_t index;
} orgfig_err;

#define ORGFIG_ERR_INIT                                                                  \
    {                                                                                    \
        ORGFIG_OK, {0}, NULL, ORGFIG_WHERE_NONE, 0                                       \
    }

/* Record STATUS with a printf-style message in ERR unless ERR already holds
 * a failure.  ERR may be NULL.  Returns STATUS, so callers can write
 * `return orgfig_fail (err, ORGFIG_E_INVALID, "...")`. */
orgfig_status orgfig_fail(orgfig_err *err, orgfig_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record ORGFIG_E_TYPE: the value at WHERE/INDEX does not satisfy the Lisp
 * predicate PREDICATE (a static string); the message explains, naming the
 * function and argument. */
orgfig_status orgfig_fail_type(orgfig_err *err, const char *predicate, orgfig_where where,
                               size_t index, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Reset ERR to ORGFIG_OK with an empty message. */
void orgfig_err_clear(orgfig_err *err);

/* A short stable name for STATUS, for tests and logs ("invalid", ...). */
const char *orgfig_status_name(orgfig_status status);

#endif
