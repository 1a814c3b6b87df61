/* alloc.c - counted, capped, overflow-checked allocation (see alloc.h). */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

/* The header keeps the user block aligned for any type. */
typedef union block_header {
    struct {
        size_t size;
        orgfig_meter *meter;
    } h;
    max_align_t align;
} block_header;

static orgfig_memstats stats;
static uint64_t fail_countdown;

bool
orgfig_size_mul(size_t a, size_t b, size_t *out)
{
    size_t r;
    if (__builtin_mul_overflow(a, b, &r))
        return false;
    *out = r;
    return true;
}

bool
orgfig_size_add(size_t a, size_t b, size_t *out)
{
    size_t r;
    if (__builtin_add_overflow(a, b, &r))
        return false;
    *out = r;
    return true;
}

/* Decide whether N more bytes may be allocated; record why not in ERR. */
static bool
admit(size_t n, const char *what, orgfig_err *err)
{
    size_t total;
    if (fail_countdown > 0 && --fail_countdown == 0) {
        orgfig_fail(err, ORGFIG_E_NOMEM,
                    "out of memory allocating %zu bytes for %s "
                    "(injected failure)",
                    n, what);
        return false;
    }
    if (!orgfig_size_add(stats.bytes, n, &total) || n > (size_t)PTRDIFF_MAX) {
        orgfig_fail(err, ORGFIG_E_NOMEM, "%s needs %zu bytes, more than can exist", what,
                    n);
        return false;
    }
    if (stats.limit != 0 && total > stats.limit) {
        orgfig_fail(err, ORGFIG_E_LIMIT,
                    "%s needs %zu bytes; orgfig holds %zu and its limit is %zu "
                    "(orgfig-memory-limit)",
                    what, n, stats.bytes, stats.limit);
        return false;
    }
    return true;
}

static void
charge(block_header *b, size_t n, orgfig_meter *meter)
{
    b->h.size = n;
    b->h.meter = meter;
    stats.bytes += n;
    stats.allocs++;
    stats.live_blocks++;
    if (stats.bytes > stats.peak)
        stats.peak = stats.bytes;
    if (meter)
        meter->bytes += n;
}

static void
uncharge(block_header *b)
{
    stats.bytes -= b->h.size;
    stats.live_blocks--;
    if (b->h.meter)
        b->h.meter->bytes -= b->h.size;
}

static void *
alloc_impl(orgfig_meter *meter, size_t n, bool zero, const char *what, orgfig_err *err)
{
    size_t total;
    if (!admit(n, what, err))
        return NULL;
    if (!orgfig_size_add(n, sizeof(block_header), &total)) {
        orgfig_fail(err, ORGFIG_E_NOMEM, "%s needs %zu bytes, more than can exist", what,
                    n);
        return NULL;
    }
    block_header *b = zero ? calloc(1, total) : malloc(total);
    if (b == NULL) {
        orgfig_fail(err, ORGFIG_E_NOMEM, "out of memory allocating %zu bytes for %s", n,
                    what);
        return NULL;
    }
    charge(b, n, meter);
    return b + 1;
}

void *
orgfig_alloc(orgfig_meter *meter, size_t n, const char *what, orgfig_err *err)
{
    return alloc_impl(meter, n, false, what, err);
}

void *
orgfig_zalloc(orgfig_meter *meter, size_t n, const char *what, orgfig_err *err)
{
    return alloc_impl(meter, n, true, what, err);
}

void *
orgfig_alloc_array(orgfig_meter *meter, size_t count, size_t size, bool zero,
                   const char *what, orgfig_err *err)
{
    size_t n;
    if (!orgfig_size_mul(count, size, &n)) {
        orgfig_fail(err, ORGFIG_E_NOMEM,
                    "%s: %zu items of %zu bytes overflow the address "
                    "space",
                    what, count, size);
        return NULL;
    }
    return alloc_impl(meter, n, zero, what, err);
}

void *
orgfig_realloc_array(orgfig_meter *meter, void *p, size_t count, size_t size,
                     const char *what, orgfig_err *err)
{
    size_t n, total;
    if (p == NULL)
        return orgfig_alloc_array(meter, count, size, false, what, err);
    if (!orgfig_size_mul(count, size, &n) ||
        !orgfig_size_add(n, sizeof(block_header), &total)) {
        orgfig_fail(err, ORGFIG_E_NOMEM,
                    "%s: %zu items of %zu bytes overflow the address "
                    "space",
                    what, count, size);
        return NULL;
    }
    block_header *old = (block_header *)p - 1;
    size_t old_size = old->h.size;
    if (n > old_size && !admit(n - old_size, what, err))
        return NULL;
    orgfig_meter *m = old->h.meter;
    block_header *b = realloc(old, total);
    if (b == NULL) {
        orgfig_fail(err, ORGFIG_E_NOMEM, "out of memory growing %s to %zu bytes", what,
                    n);
        return NULL;
    }
    /* Move the charge from the old size to the new one. */
    stats.bytes = stats.bytes - old_size + n;
    stats.allocs++;
    if (stats.bytes > stats.peak)
        stats.peak = stats.bytes;
    if (m)
        m->bytes = m->bytes - old_size + n;
    b->h.size = n;
    return b + 1;
}

char *
orgfig_strndup(orgfig_meter *meter, const char *s, size_t n, orgfig_err *err)
{
    size_t total;
    if (!orgfig_size_add(n, 1, &total)) {
        orgfig_fail(err, ORGFIG_E_NOMEM, "string of %zu bytes is too long", n);
        return NULL;
    }
    char *d = orgfig_alloc(meter, total, "a string", err);
    if (d == NULL)
        return NULL;
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void
orgfig_free(void *p)
{
    if (p == NULL)
        return;
    block_header *b = (block_header *)p - 1;
    uncharge(b);
    free(b);
}

void
orgfig_alloc_move(void *p, orgfig_meter *to)
{
    if (p == NULL)
        return;
    block_header *b = (block_header *)p - 1;
    if (b->h.meter)
        b->h.meter->bytes -= b->h.size;
    b->h.meter = to;
    if (to)
        to->bytes += b->h.size;
}

size_t
orgfig_alloc_size(const void *p)
{
    return p ? ((const block_header *)p - 1)->h.size : 0;
}

orgfig_memstats
orgfig_memory_stats(void)
{
    return stats;
}

void
orgfig_memory_set_limit(size_t limit)
{
    stats.limit = limit;
}

void
orgfig_memory_reset_peak(void)
{
    stats.peak = stats.bytes;
}

void
orgfig_alloc_fail_at(uint64_t n)
{
    fail_countdown = n;
}

bool
orgfig_alloc_fail_pending(void)
{
    return fail_countdown > 0;
}
