/* thread.h - worker threads for work split in bands (PNG deflate, sprite
 * stamping).
 *
 * Rules for every worker: it allocates nothing (orgfig's allocator and
 * its counters are not thread-safe: the caller allocates before starting
 * and frees after joining), touches only memory the caller gave it, never
 * calls the host (Emacs), and is joined before the caller returns.  It
 * starts with every signal blocked, so the host's signals keep arriving on
 * the host's own thread. */
#ifndef ORGFIG_THREAD_H
#define ORGFIG_THREAD_H

#include <pthread.h>
#include <stdbool.h>

/* Start FN (ARG) on a new thread with every signal blocked; false when it
 * could not be started (the caller then does the work itself). */
bool orgfig_thread_start(pthread_t *tid, void *(*fn)(void *), void *arg);

#endif
