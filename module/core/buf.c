/* buf.c - a growable, counted byte buffer (see buf.h). */
#include "buf.h"

#include <string.h>

orgfig_status
orgfig_buf_reserve(orgfig_buf *b, size_t n, orgfig_err *err)
{
    size_t need;
    if (!orgfig_size_add(b->len, n, &need))
        return orgfig_fail(err, ORGFIG_E_NOMEM, "output of more than %zu bytes", b->len);
    if (need <= b->cap)
        return ORGFIG_OK;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < need) {
        if (!orgfig_size_mul(cap, 2, &cap)) {
            cap = need;
            break;
        }
    }
    unsigned char *d =
        orgfig_realloc_array(b->meter, b->data, cap, 1, "output bytes", err);
    if (d == NULL)
        return err ? err->status : ORGFIG_E_NOMEM;
    b->data = d;
    b->cap = cap;
    return ORGFIG_OK;
}

orgfig_status
orgfig_buf_append(orgfig_buf *b, const void *p, size_t n, orgfig_err *err)
{
    orgfig_status s = orgfig_buf_reserve(b, n, err);
    if (s != ORGFIG_OK)
        return s;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    return ORGFIG_OK;
}

void
orgfig_buf_free(orgfig_buf *b)
{
    orgfig_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
