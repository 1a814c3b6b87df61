/* main.c - runs the registered C tests of the core (see harness.h). */
#include <stdlib.h>
#include <string.h>

#include "../../module/core/alloc.h"
#include "harness.h"

typedef struct {
    const char *name;
    test_fn fn;
} entry;

static entry tests[1024];
static size_t ntests;
int harness_failures;

void
harness_register(const char *name, test_fn fn)
{
    if (ntests < sizeof tests / sizeof tests[0])
        tests[ntests++] = (entry){name, fn};
}

int
main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;
    for (size_t i = 0; i < ntests; i++) {
        if (filter && !strstr(tests[i].name, filter))
            continue;
        harness_failures = 0;
        size_t before = orgfig_memory_stats().bytes;
        tests[i].fn();
        orgfig_alloc_fail_at(0);
        orgfig_memory_set_limit(0);
        size_t after = orgfig_memory_stats().bytes;
        if (after != before) {
            fprintf(stderr, "  %s: leaked %zu counted bytes\n", tests[i].name,
                    after - before);
            harness_failures++;
        }
        if (harness_failures) {
            failed++;
            fprintf(stderr, "FAIL %s\n", tests[i].name);
        } else {
            passed++;
            if (getenv("ORGFIG_TEST_VERBOSE"))
                fprintf(stderr, "ok   %s\n", tests[i].name);
        }
    }
    printf("core: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
