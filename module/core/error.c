/* error.c - recording the first failure of a core call. */
#include "error.h"

#include <stdio.h>
#include <string.h>

orgfig_status
orgfig_fail(orgfig_err *err, orgfig_status status, const char *fmt, ...)
{
    if (err == NULL || err->status != ORGFIG_OK)
        return status;
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return status;
}

orgfig_status
orgfig_fail_type(orgfig_err *err, const char *predicate, orgfig_where where, size_t index,
                 const char *fmt, ...)
{
    if (err == NULL || err->status != ORGFIG_OK)
        return ORGFIG_E_TYPE;
    err->status = ORGFIG_E_TYPE;
    err->predicate = predicate;
    err->where = where;
    err->index = index;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return ORGFIG_E_TYPE;
}

void
orgfig_err_clear(orgfig_err *err)
{
    if (err == NULL)
        return;
    *err = (orgfig_err)ORGFIG_ERR_INIT;
}

const char *
orgfig_status_name(orgfig_status status)
{
    switch (status) {
    case ORGFIG_OK:
        return "ok";
    case ORGFIG_E_NOMEM:
        return "nomem";
    case ORGFIG_E_LIMIT:
        return "limit";
    case ORGFIG_E_INVALID:
        return "invalid";
    case ORGFIG_E_CLOSED:
        return "closed";
    case ORGFIG_E_RENDER:
        return "render";
    case ORGFIG_E_ENCODE:
        return "encode";
    case ORGFIG_E_IO:
        return "io";
    case ORGFIG_E_QUIT:
        return "quit";
    case ORGFIG_E_BUSY:
        return "busy";
    case ORGFIG_E_TYPE:
        return "type";
    }
    return "unknown";
}
