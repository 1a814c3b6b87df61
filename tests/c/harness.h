/* harness.h - a tiny test harness for the C core.
 *
 * TEST(name) { ... } defines and registers a test.  CHECK(cond) records a
 * failure with file and line and goes on; REQUIRE(cond) also ends the
 * test.  main.c runs every registered test (or those whose names contain
 * argv[1]) and prints "core: N passed, N failed". */
#ifndef ORGFIG_HARNESS_H
#define ORGFIG_HARNESS_H

#include <stdint.h>
#include <stdio.h>

typedef void (*test_fn)(void);
void harness_register(const char *name, test_fn fn);
extern int harness_failures; /* failures in the running test */

#define TEST(name)                                                                       \
    static void test_##name(void);                                                       \
    __attribute__((constructor)) static void register_##name(void)                       \
    {                                                                                    \
        harness_register(#name, test_##name);                                            \
    }                                                                                    \
    static void test_##name(void)

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
            harness_failures++;                                                          \
        }                                                                                \
    } while (0)

#define REQUIRE(cond)                                                                    \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "  %s:%d: REQUIRE failed: %s\n", __FILE__, __LINE__, #cond); \
            harness_failures++;                                                          \
            return;                                                                      \
        }                                                                                \
    } while (0)

/* A uniform double in [0, 1) drawn from the xorshift64 state *S (never
 * 0): the tests' seeded, reproducible noise. */
static inline double
test_xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (double)(*s >> 11) / 9007199254740992.0;
}

#endif
