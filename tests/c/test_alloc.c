/* test_alloc.c - accounting, limits, overflow checks and fault injection. */
#include <stdint.h>

#include "../../module/core/alloc.h"
#include "../../module/core/buf.h"
#include "../../module/core/column.h"
#include "harness.h"

TEST(alloc_counts_per_meter_and_globally)
{
    orgfig_meter m = {0};
    orgfig_err err = ORGFIG_ERR_INIT;
    size_t before = orgfig_memory_stats().bytes;
    void *a = orgfig_alloc(&m, 100, "a", &err);
    void *b = orgfig_alloc_array(&m, 10, 8, true, "b", &err);
    REQUIRE(a && b);
    CHECK(m.bytes == 180);
    CHECK(orgfig_memory_stats().bytes == before + 180);
    b = orgfig_realloc_array(&m, b, 20, 8, "b", &err);
    REQUIRE(b != NULL);
    CHECK(m.bytes == 260);
    orgfig_free(a);
    orgfig_free(b);
    CHECK(m.bytes == 0);
    CHECK(orgfig_memory_stats().bytes == before);
}

TEST(alloc_limit_fails_cleanly)
{
    orgfig_meter m = {0};
    orgfig_err err = ORGFIG_ERR_INIT;
    size_t held = orgfig_memory_stats().bytes;
    orgfig_memory_set_limit(held + 1000);
    void *a = orgfig_alloc(&m, 900, "a", &err);
    REQUIRE(a != NULL);
    void *b = orgfig_alloc(&m, 200, "b", &err);
    CHECK(b == NULL);
    CHECK(err.status == ORGFIG_E_LIMIT);
    CHECK(m.bytes == 900);
    /* A failed realloc leaves the block as it was. */
    orgfig_err_clear(&err);
    void *c = orgfig_realloc_array(&m, a, 2000, 1, "grow", &err);
    CHECK(c == NULL && err.status == ORGFIG_E_LIMIT);
    CHECK(orgfig_alloc_size(a) == 900);
    orgfig_memory_set_limit(0);
    orgfig_free(a);
}

TEST(alloc_overflow_is_an_error)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    void *p = orgfig_alloc_array(NULL, SIZE_MAX / 2, 4, false, "huge", &err);
    CHECK(p == NULL);
    CHECK(err.status == ORGFIG_E_NOMEM);
    size_t out = 7;
    CHECK(!orgfig_size_mul(SIZE_MAX, 2, &out));
    CHECK(out == 7);
    CHECK(orgfig_size_add(1, 2, &out) && out == 3);
}

TEST(alloc_fault_injection_hits_the_nth)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_alloc_fail_at(2);
    void *a = orgfig_alloc(NULL, 8, "first", &err);
    void *b = orgfig_alloc(NULL, 8, "second", &err);
    CHECK(a != NULL);
    CHECK(b == NULL && err.status == ORGFIG_E_NOMEM);
    CHECK(!orgfig_alloc_fail_pending());
    orgfig_free(a);
}

TEST(first_error_wins)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_fail(&err, ORGFIG_E_INVALID, "first %d", 1);
    orgfig_fail(&err, ORGFIG_E_NOMEM, "second");
    CHECK(err.status == ORGFIG_E_INVALID);
    CHECK(err.msg[0] == 'f');
}

TEST(column_refcount_and_summary)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    double v[] = {3, 1, 2, 0.0 / 0.0, 5};
    orgfig_column *c = orgfig_column_from_doubles(v, 5, &err);
    REQUIRE(c != NULL);
    CHECK(orgfig_column_bytes(c) > 5 * sizeof(double));
    orgfig_column_summary(c);
    CHECK(c->min == 1 && c->max == 5 && c->nfinite == 4 && !c->sorted);
    orgfig_column_ref(c);
    orgfig_column_unref(c);
    CHECK(orgfig_column_check(c));
    orgfig_column_unref(c);
}

TEST(buf_grows_and_frees)
{
    orgfig_meter m = {0};
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_buf b = ORGFIG_BUF_INIT(&m);
    char chunk[1000] = {0};
    for (int i = 0; i < 100; i++)
        REQUIRE(orgfig_buf_append(&b, chunk, sizeof chunk, &err) == ORGFIG_OK);
    CHECK(b.len == 100000);
    CHECK(m.bytes >= 100000);
    orgfig_buf_free(&b);
    CHECK(m.bytes == 0);
}
