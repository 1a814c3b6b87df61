/* fuzz_csv.c - libFuzzer target: arbitrary bytes as a CSV file.
 *
 * The first two bytes choose the options (delimiter auto or one of , ; tab
 * space, header on/off, comment '#' or none, float32 storage, a column
 * selection, the decimal comma, skip_rows, max_rows); the rest is the file.
 * A column holding a date is float64 whatever the storage asked for.  It is parsed
 * twice: from memory with orgfig_parse_csv_buffer, and from a memfd through
 * the file reader with a tiny read buffer (1..64 bytes, from the input), so
 * records, quotes, CRLFs and the byte order mark are cut at every place.
 * Both must agree exactly (status, names, values bit for bit), every row
 * streamed by orgfig_csv_scan must match too, nothing may crash and no
 * counted byte may stay allocated.
 *
 * Build and run (clang 14):
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -o /tmp/fuzz_csv tests/fuzz/fuzz_csv.c module/core/{alloc,error,column,data}.c -lm
 *   /tmp/fuzz_csv -max_total_time=30 -max_len=4096 /tmp/csv-corpus tests/fuzz/corpus/csv
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../module/core/alloc.h"
#include "../../module/core/data.h"

static void
check(int cond)
{
    if (!cond)
        __builtin_trap();
}

static bool
same_value(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

typedef struct {
    const orgfig_dataset *ref;
    size_t row;
    bool f32; /* float32 storage was asked for */
} scan_ctx;

static bool
on_columns(void *ctx, const char *const *names, size_t ncols, orgfig_err *err)
{
    (void)err;
    scan_ctx *s = ctx;
    check(ncols == orgfig_dataset_ncols(s->ref));
    for (size_t i = 0; i < ncols; i++)
        check(strcmp(names[i], orgfig_dataset_colname(s->ref, i)) == 0);
    return true;
}

static bool
on_row(void *ctx, const double *row, size_t ncols, orgfig_err *err)
{
    scan_ctx *s = ctx;
    check(ncols == orgfig_dataset_ncols(s->ref));
    check(s->row < orgfig_dataset_nrows(s->ref));
    for (size_t i = 0; i < ncols; i++) {
        orgfig_column *c = orgfig_dataset_column_at(s->ref, (int64_t)i, "fuzz", err);
        check(c != NULL);
        double want = orgfig_column_get(c, s->row);
        /* The scan delivers doubles; float32 storage rounds them, and so
         * it did the numbers of a column read before its first date made
         * it float64. */
        check(same_value(row[i], want) || (isnan(row[i]) && isnan(want)) ||
              (s->f32 && same_value((double)(float)row[i], want)));
    }
    s->row++;
    return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t before = orgfig_memory_stats().bytes;
    uint8_t a = size > 0 ? data[0] : 0, b = size > 1 ? data[1] : 0;
    const char *text = (const char *)data + (size > 2 ? 2 : size);
    size_t len = size > 2 ? size - 2 : 0;

    static const char delims[5] = {0, ',', ';', '\t', ' '};
    orgfig_csv_opts o = ORGFIG_CSV_OPTS_INIT;
    o.delimiter = delims[a % 5];
    o.header = !(a & 0x08);
    o.comment = (a & 0x10) ? 0 : '#';
    o.dtype = (a & 0x20) ? ORGFIG_F32 : ORGFIG_F64;
    o.decimal = (a & 0x80) ? ',' : '.';
    orgfig_csv_select sel[2] = {{"b", 1, 0}, {NULL, 0, (int64_t)(b & 3) - 1}};
    if (a & 0x40) {
        o.select = sel + ((b & 4) ? 1 : 0);
        o.nselect = (b & 4) ? 1 : 2;
    }
    o.skip_rows = (b >> 3) & 1;
    o.max_rows = (b >> 4) & 7;

    orgfig_err e1 = ORGFIG_ERR_INIT, e2 = ORGFIG_ERR_INIT, e3 = ORGFIG_ERR_INIT;
    orgfig_dataset *d1 = orgfig_parse_csv_buffer(text, len, "fuzz", &o, NULL, &e1);
    check(d1 != NULL || (e1.status != ORGFIG_OK && memchr(e1.msg, 0, sizeof e1.msg)));
    if (d1) {
        size_t n = orgfig_dataset_nrows(d1);
        for (size_t i = 0; i < orgfig_dataset_ncols(d1); i++) {
            orgfig_column *c = orgfig_dataset_column_at(d1, (int64_t)i, "fuzz", &e1);
            check(c && c->n == n && c->dtype == (c->time ? ORGFIG_F64 : o.dtype));
            check(orgfig_dataset_column(d1, c->name, strlen(c->name), "fuzz", &e1) !=
                  NULL);
        }
        check(o.max_rows == 0 || n <= o.max_rows);
    }

    int fd = memfd_create("fuzz.csv", 0);
    if (fd >= 0) {
        check(len == 0 || write(fd, text, len) == (ssize_t)len);
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        orgfig_csv_set_read_size(1 + (size_t)(b >> 7) * 31 + (size_t)(a >> 7) * 32);
        orgfig_dataset *d2 = orgfig_read_csv(path, &o, NULL, &e2);
        check((d1 == NULL) == (d2 == NULL));
        if (d1 && d2) {
            check(orgfig_dataset_ncols(d1) == orgfig_dataset_ncols(d2));
            check(orgfig_dataset_nrows(d1) == orgfig_dataset_nrows(d2));
            for (size_t i = 0; i < orgfig_dataset_ncols(d1); i++) {
                orgfig_column *c1 = orgfig_dataset_column_at(d1, (int64_t)i, "f", &e2);
                orgfig_column *c2 = orgfig_dataset_column_at(d2, (int64_t)i, "f", &e2);
                check(strcmp(c1->name, c2->name) == 0);
                for (size_t r = 0; r < c1->n; r++)
                    check(same_value(orgfig_column_get(c1, r), orgfig_column_get(c2, r)));
            }
        } else if (!d1) {
            check(e1.status == e2.status);
        }
        if (d1) {
            scan_ctx s = {d1, 0, o.dtype == ORGFIG_F32};
            orgfig_csv_sink sink = {on_columns, on_row, &s};
            size_t nrows = 0;
            check(orgfig_csv_scan(path, &o, &sink, NULL, &nrows, &e3) == ORGFIG_OK);
            check(nrows == orgfig_dataset_nrows(d1) && s.row == nrows);
        }
        orgfig_csv_set_read_size(0);
        orgfig_dataset_free(d2);
        close(fd);
    }
    orgfig_dataset_free(d1);
    check(orgfig_datasets_open() == 0);
    check(orgfig_memory_stats().bytes == before);
    return 0;
}
