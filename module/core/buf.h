/* buf.h - a growable, counted byte buffer (rendered PNG/SVG/PDF bytes). */
#ifndef ORGFIG_BUF_H
#define ORGFIG_BUF_H

#include <stddef.h>

#include "alloc.h"

typedef struct orgfig_buf {
    unsigned char *data; /* from orgfig_alloc; NULL while empty */
    size_t len;
    size_t cap;
    orgfig_meter *meter; /* charged with the buffer; may be NULL */
} orgfig_buf;

#define ORGFIG_BUF_INIT(meter_)                                                          \
    {                                                                                    \
        NULL, 0, 0, (meter_)                                                             \
    }

/* Append N bytes; grows geometrically.  On failure the buffer is unchanged. */
orgfig_status orgfig_buf_append(orgfig_buf *b, const void *p, size_t n, orgfig_err *err);
/* Make room for N more bytes without changing len. */
orgfig_status orgfig_buf_reserve(orgfig_buf *b, size_t n, orgfig_err *err);
void orgfig_buf_free(orgfig_buf *b);

#endif
