/* alloc.h - counted, capped, overflow-checked allocation.
 *
 * Every byte the core allocates goes through these functions.  Each block
 * carries a small header that records its size and the meter it is charged
 * to, so `orgfig_free` needs no size argument and the per-object and global
 * counts can never drift.  Objects (figures, columns, datasets) embed an
 * orgfig_meter; `orgfig_memory_stats` gives the process-wide totals.
 *
 * The global limit (0 = none) is checked before every allocation: one that
 * would pass it fails with ORGFIG_E_LIMIT and changes nothing.
 *
 * Emacs runs module code under its global lock, so no atomics are needed;
 * the C tests are single-threaded too.
 *
 * Fault injection: `orgfig_alloc_fail_at (N)` makes the Nth counted
 * allocation from now fail with ORGFIG_E_NOMEM, so tests can drive every
 * failure path of a full render. */
#ifndef ORGFIG_ALLOC_H
#define ORGFIG_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct orgfig_meter {
    size_t bytes; /* bytes currently charged to this meter */
} orgfig_meter;

typedef struct orgfig_memstats {
    size_t bytes;       /* bytes held now, over all meters */
    size_t peak;        /* the most ever held at once (see orgfig_memory_reset_peak) */
    size_t limit;       /* 0 means no limit */
    uint64_t allocs;    /* allocations made so far */
    size_t live_blocks; /* blocks not yet freed */
} orgfig_memstats;

/* Checked size arithmetic: return false on overflow (and leave *OUT alone). */
bool orgfig_size_mul(size_t a, size_t b, size_t *out);
bool orgfig_size_add(size_t a, size_t b, size_t *out);

/* Allocate N bytes charged to METER (which may be NULL: charged only to the
 * global count).  On failure return NULL and record ORGFIG_E_NOMEM or
 * ORGFIG_E_LIMIT in ERR.  WHAT names the purpose for the message. */
void *orgfig_alloc(orgfig_meter *meter, size_t n, const char *what, orgfig_err *err);
/* As orgfig_alloc, zero-filled. */
void *orgfig_zalloc(orgfig_meter *meter, size_t n, const char *what, orgfig_err *err);
/* COUNT * SIZE bytes, overflow-checked; zero-filled when ZERO. */
void *orgfig_alloc_array(orgfig_meter *meter, size_t count, size_t size, bool zero,
                         const char *what, orgfig_err *err);
/* Resize P (from this allocator, or NULL) to COUNT * SIZE bytes, staying on
 * P's meter (METER is used when P is NULL).  On failure return NULL, record
 * the error and leave P valid and unchanged. */
void *orgfig_realloc_array(orgfig_meter *meter, void *p, size_t count, size_t size,
                           const char *what, orgfig_err *err);
/* Copy N bytes of S and add a NUL. */
char *orgfig_strndup(orgfig_meter *meter, const char *s, size_t n, orgfig_err *err);
/* Free P (NULL is fine) and uncharge its meter. */
void orgfig_free(void *p);
/* Move the charge of block P to meter TO (NULL: the global count only).
 * Used by objects whose meter lives inside their own first block. */
void orgfig_alloc_move(void *p, orgfig_meter *to);
/* The usable size of P, as requested. */
size_t orgfig_alloc_size(const void *p);

orgfig_memstats orgfig_memory_stats(void);
void orgfig_memory_set_limit(size_t limit);
void orgfig_memory_reset_peak(void);

/* Fault injection: make the Nth allocation from now fail (1 = the next one);
 * 0 disables.  `orgfig_alloc_fail_pending` is true while armed. */
void orgfig_alloc_fail_at(uint64_t n);
bool orgfig_alloc_fail_pending(void);

#endif
