/* thread.c - worker threads (see thread.h). */
#include "thread.h"

#include <signal.h>

bool
orgfig_thread_start(pthread_t *tid, void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    sigfillset(&all);
    if (pthread_sigmask(SIG_SETMASK, &all, &old) != 0)
        return false;
    bool started = pthread_create(tid, NULL, fn, arg) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return started;
}
