/* test_data.c - the number parser, the CSV/TSV reader, streaming scans,
 * the binary reader and datasets' life cycle. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../module/core/alloc.h"
#include "../../module/core/data.h"
#include "harness.h"

/* ---- helpers ---- */

/* A scratch directory under /tmp, created on first use and removed (with
 * the files the tests wrote) by an atexit handler. */
static char tmpdir[64];
static char written[64][128];
static int nwritten;

static void
cleanup_tmp(void)
{
    for (int i = 0; i < nwritten; i++)
        unlink(written[i]);
    if (tmpdir[0])
        rmdir(tmpdir);
}

/* Write LEN bytes to a new file NAME in the scratch dir; return its path
 * (static storage, one per NAME). */
static const char *
write_file(const char *name, const void *data, size_t len)
{
    if (!tmpdir[0]) {
        strcpy(tmpdir, "/tmp/orgfig-data-XXXXXX");
        if (!mkdtemp(tmpdir))
            return NULL;
        atexit(cleanup_tmp);
    }
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    int slot = -1;
    for (int i = 0; i < nwritten; i++)
        if (strcmp(written[i], path) == 0)
            slot = i;
    if (slot < 0) {
        if (nwritten == 64)
            return NULL;
        slot = nwritten++;
        strcpy(written[slot], path);
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    if (len && fwrite(data, 1, len, f) != len) {
        fclose(f);
        return NULL;
    }
    fclose(f);
    return written[slot];
}

static orgfig_dataset *
parse(const char *text, const orgfig_csv_opts *o, orgfig_err *err)
{
    return orgfig_parse_csv_buffer(text, strlen(text), "test.csv", o, NULL, err);
}

static double
col(const orgfig_dataset *ds, size_t c, size_t r)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *k = orgfig_dataset_column_at(ds, (int64_t)c, "test", &err);
    return k && r < k->n ? orgfig_column_get(k, r) : -12345.0;
}

/* Whether A and B are the same double or neighbours. */
static bool
within_ulp(double a, double b)
{
    if (a == b)
        return true;
    return nextafter(a, b) == b;
}

/* Significant digits in the decimal number TEXT. */
static int
sig_digits(const char *text)
{
    int n = 0;
    bool started = false;
    int trailing_zeros = 0;
    for (const char *p = text; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p < '0' || *p > '9')
            continue;
        if (*p != '0')
            started = true;
        if (started) {
            n++;
            trailing_zeros = *p == '0' ? trailing_zeros + 1 : 0;
        }
    }
    return n - trailing_zeros;
}

static bool
num(const char *s, double *v)
{
    return orgfig_parse_number(s, strlen(s), v);
}

/* ---- numbers ---- */

TEST(number_parser_edge_cases)
{
    double v;
    CHECK(num(".5", &v) && v == 0.5);
    CHECK(num("5.", &v) && v == 5.0);
    CHECK(num("-.25", &v) && v == -0.25);
    CHECK(num("+3", &v) && v == 3.0);
    CHECK(num("  42\t", &v) && v == 42.0);
    CHECK(num("1e308", &v) && v == 1e308);
    CHECK(num("1.7976931348623157e308", &v) && v == 1.7976931348623157e308);
    CHECK(num("1e309", &v) && isinf(v) && v > 0);
    CHECK(num("-1e400", &v) && isinf(v) && v < 0);
    CHECK(num("-0", &v) && v == 0 && signbit(v));
    CHECK(num("0", &v) && v == 0 && !signbit(v));
    CHECK(num("1e-320", &v) && v == strtod("1e-320", NULL) && v > 0 && v < 2.3e-308);
    CHECK(num("4.9406564584124654e-324", &v) && v == nextafter(0.0, 1.0));
    CHECK(num("1e-400", &v) && v == 0);
    CHECK(num("1.5E-3", &v) && v == 0.0015);
    CHECK(num("1e+2", &v) && v == 100);
    CHECK(num("0.1000000000000000055511151231257827", &v) && v == 0.1);
    CHECK(num("123456789012345678901234567890", &v) &&
          within_ulp(v, 123456789012345678901234567890.0));
    CHECK(num("0.000000000000000000000000000000000001234", &v) &&
          within_ulp(v, 1.234e-36));
    CHECK(num("nan", &v) && isnan(v));
    CHECK(num("NaN", &v) && isnan(v));
    CHECK(num("-inf", &v) && isinf(v) && v < 0);
    CHECK(num("Infinity", &v) && isinf(v) && v > 0);
    CHECK(num("+INF", &v) && isinf(v) && v > 0);
    const char *bad[] = {"",   " ",    "-",    "+",   ".",     "e5",
                         "1e", "1e+",  "0x10", "1,5", "1.2.3", "12abc",
                         "in", "nana", "--1",  "1 2", "1e5x",  "\"1\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 7;
        CHECK(!num(bad[i], &v));
        CHECK(isnan(v));
    }
    /* Not NUL-terminated: only LEN bytes are read. */
    CHECK(orgfig_parse_number("12345", 3, &v) && v == 123);
}

TEST(number_parser_agrees_with_strtod)
{
    /* Random doubles printed in several formats, read back: correctly
     * rounded where promised, within one ulp everywhere. */
    uint64_t s = 0x9E3779B97F4A7C15ull;
    int bad = 0, inexact = 0;
    char text[64];
    for (int i = 0; i < 200000; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        double x;
        if (i % 3 == 0) {
            uint64_t bits = s & 0x7fefffffffffffffull; /* any finite double */
            memcpy(&x, &bits, sizeof x);
        } else {
            x = (double)(s >> 11) / 9007199254740992.0 *
                pow(10, (double)(int)(s % 40) - 20);
        }
        if (s & 1)
            x = -x;
        switch (i % 7) {
        case 0:
            snprintf(text, sizeof text, "%.17g", x);
            break;
        case 1:
            snprintf(text, sizeof text, "%.15g", x);
            break;
        case 2:
            snprintf(text, sizeof text, "%.6e", x);
            break;
        case 3:
            snprintf(text, sizeof text, "%g", x);
            break;
        case 4:
            snprintf(text, sizeof text, "%.3f", x);
            break;
        case 5:
            snprintf(text, sizeof text, "%.19g", x);
            break;
        default:
            snprintf(text, sizeof text, "%.25g", x);
            break;
        }
        double want = strtod(text, NULL), got;
        /* Up to 19 digits: correctly rounded; more: within one ulp. */
        bool ok = num(text, &got) &&
                  (sig_digits(text) > 19 ? within_ulp(got, want) : got == want);
        if (!ok && bad++ < 5)
            fprintf(stderr, "  %s: got %.17g want %.17g\n", text, got, want);
        inexact += got != want;
    }
    CHECK(bad == 0);
    CHECK(inexact < 1000);
    /* Short inputs in the exact range are always exact. */
    for (int i = 0; i < 100000; i++) {
        snprintf(text, sizeof text, "%d.%03de%d", i % 9973, i % 1000, i % 40 - 20);
        double want = strtod(text, NULL), got;
        CHECK(num(text, &got) && got == want);
    }
}

/* ---- dates and times ---- */

static bool
tim(const char *s, double *v)
{
    return orgfig_parse_time(s, strlen(s), v);
}

/* Unix seconds of a UTC calendar time, by glibc. */
static double
utc(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = s};
    return (double)timegm(&tm);
}

TEST(time_parser_reads_iso_8601)
{
    double v;
    CHECK(tim("1970-01-01", &v) && v == 0);
    CHECK(tim("1969-12-31", &v) && v == -86400);
    CHECK(tim("2026-11-22", &v) && v == utc(2026, 11, 22, 0, 0, 0));
    CHECK(tim("2026-11-22 10:05", &v) && v == utc(2026, 11, 22, 10, 5, 0));
    CHECK(tim("2026-11-22T10:05:07", &v) && v == utc(2026, 11, 22, 10, 5, 7));
    CHECK(tim("2026-11-22t10:05:07z", &v) && v == utc(2026, 11, 22, 10, 5, 7));
    CHECK(tim("  2026-11-22T10:05:07Z\t", &v) && v == utc(2026, 11, 22, 10, 5, 7));
    CHECK(tim("2026-11-22T10:05:07.25", &v) && v == utc(2026, 11, 22, 10, 5, 7) + 0.25);
    CHECK(tim("2026-11-22T10:05:07,5Z", &v) && v == utc(2026, 11, 22, 10, 5, 7) + 0.5);
    CHECK(tim("2026-11-22T10:05+01:00", &v) && v == utc(2026, 11, 22, 9, 5, 0));
    CHECK(tim("2026-11-22T10:05+0530", &v) && v == utc(2026, 11, 22, 4, 35, 0));
    CHECK(tim("2026-11-22T01:05-05", &v) && v == utc(2026, 11, 22, 6, 5, 0));
    CHECK(tim("2026-12-31T23:59:60Z", &v) && v == utc(2027, 1, 1, 0, 0, 0));
    CHECK(tim("2000-02-29", &v) && v == utc(2000, 2, 29, 0, 0, 0));
    CHECK(tim("2024-02-29", &v) && v == utc(2024, 2, 29, 0, 0, 0));
    CHECK(tim("0001-01-01", &v) && v == -62135596800.0);
    CHECK(tim("9999-12-31T23:59:59", &v) && v == 253402300799.0);
    const char *bad[] = {"",
                         "2026",
                         "2026-11",
                         "2026-1-05",
                         "26-11-22",
                         "20261122",
                         "2026/11/22",
                         "2026-13-01",
                         "2026-00-10",
                         "2026-11-00",
                         "2026-11-31",
                         "2025-02-29",
                         "1900-02-29",
                         "2026-11-22T",
                         "2026-11-22T10",
                         "2026-11-22T10:5",
                         "2026-11-22T24:00",
                         "2026-11-22T10:60",
                         "2026-11-22T10:00:61",
                         "2026-11-22T10:00:00.",
                         "2026-11-22T10:00+1",
                         "2026-11-22T10:00+01:",
                         "2026-11-22T10:00+01:0",
                         "2026-11-22T10:00+24:00",
                         "2026-11-22T10:00+01:60",
                         "2026-11-22T10:00Zx",
                         "2026-11-22x",
                         "2026-11-22  10:00",
                         "-2026-11-22",
                         "12.5",
                         "nan"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 7;
        bool ok = tim(bad[i], &v);
        if (ok)
            fprintf(stderr, "  accepted \"%s\"\n", bad[i]);
        CHECK(!ok);
        CHECK(isnan(v));
    }
    /* Not NUL-terminated: only LEN bytes are read. */
    CHECK(orgfig_parse_time("2026-11-22T10:00", 10, &v) &&
          v == utc(2026, 11, 22, 0, 0, 0));
    /* Every date of four centuries, and random times, agree with timegm. */
    int64_t day = (int64_t)(utc(1900, 1, 1, 0, 0, 0) / 86400);
    int bad_days = 0;
    for (int y = 1900; y < 2300; y++)
        for (int mo = 1; mo <= 12; mo++)
            for (int d = 1; d <= 31; d++) {
                char text[48];
                snprintf(text, sizeof text, "%04d-%02d-%02d", y, mo, d);
                struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d};
                time_t t = timegm(&tm);
                bool real = tm.tm_mday == d; /* timegm normalises Feb 30 to Mar 2 */
                bool ok = tim(text, &v);
                if (ok != real || (ok && (v != (double)t || v != (double)(day * 86400))))
                    bad_days++;
                day += ok;
            }
    CHECK(bad_days == 0);
    uint64_t r = 42;
    for (int i = 0; i < 100000; i++) {
        int y = 1 + (int)(test_xorshift(&r) * 9999),
            mo = 1 + (int)(test_xorshift(&r) * 12);
        int d = 1 + (int)(test_xorshift(&r) * 28), h = (int)(test_xorshift(&r) * 24);
        int mi = (int)(test_xorshift(&r) * 60), sec = (int)(test_xorshift(&r) * 60);
        int zh = (int)(test_xorshift(&r) * 15), zm = (int)(test_xorshift(&r) * 4) * 15;
        bool east = test_xorshift(&r) < 0.5;
        char text[96];
        snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, mo, d,
                 h, mi, sec, east ? '+' : '-', zh, zm);
        double want = utc(y, mo, d, h, mi, sec) - (east ? 1 : -1) * (zh * 3600 + zm * 60);
        if (!tim(text, &v) || v != want) {
            fprintf(stderr, "  %s: got %.0f want %.0f\n", text, v, want);
            CHECK(!"a time agrees with timegm");
            break;
        }
    }
}

/* ---- CSV: features ---- */

TEST(csv_basic_header_and_values)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_dataset *ds = parse("x,y,z\n1,2,3\n4.5,-6,7e2\n", NULL, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_ncols(ds) == 3 && orgfig_dataset_nrows(ds) == 2);
    CHECK(strcmp(orgfig_dataset_colname(ds, 0), "x") == 0);
    CHECK(strcmp(orgfig_dataset_colname(ds, 2), "z") == 0);
    CHECK(col(ds, 0, 0) == 1 && col(ds, 1, 0) == 2 && col(ds, 2, 0) == 3);
    CHECK(col(ds, 0, 1) == 4.5 && col(ds, 1, 1) == -6 && col(ds, 2, 1) == 700);
    orgfig_column *y = orgfig_dataset_column(ds, "y", 1, "orgfig-column", &err);
    REQUIRE(y != NULL);
    CHECK(y->n == 2 && y->dtype == ORGFIG_F64 && orgfig_column_get(y, 1) == -6);
    orgfig_dataset_free(ds);
}

TEST(csv_quotes_crlf_bom_blank_lines)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    const char *text = "\xef\xbb\xbf"
                       "\"a,b\",\"say \"\"hi\"\"\",  c  ,\"\"\r\n"
                       "\"1.5\",2,\" 3 \",4\r\n"
                       "\r\n"
                       "   \r\n"
                       "5,\"6\",7,8\r\n"
                       "\r\n\r\n\n";
    orgfig_dataset *ds = parse(text, NULL, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_ncols(ds) == 4);
    CHECK(orgfig_dataset_nrows(ds) == 2);
    CHECK(strcmp(orgfig_dataset_colname(ds, 0), "a,b") == 0);
    CHECK(strcmp(orgfig_dataset_colname(ds, 1), "say \"hi\"") == 0);
    CHECK(strcmp(orgfig_dataset_colname(ds, 2), "c") == 0);
    CHECK(strcmp(orgfig_dataset_colname(ds, 3), "4") == 0); /* empty name: position */
    CHECK(col(ds, 0, 0) == 1.5 && col(ds, 1, 0) == 2 && col(ds, 2, 0) == 3);
    CHECK(col(ds, 3, 0) == 4);
    CHECK(col(ds, 0, 1) == 5 && col(ds, 1, 1) == 6 && col(ds, 2, 1) == 7);
    CHECK(col(ds, 3, 1) == 8);
    orgfig_dataset_free(ds);
}

TEST(csv_quoted_newline_and_cr_only_lines)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_dataset *ds = parse("\"two\nlines\",b\r1,2\r3,4", NULL, &err);
    REQUIRE(ds != NULL);
    CHECK(strcmp(orgfig_dataset_colname(ds, 0), "two\nlines") == 0);
    CHECK(orgfig_dataset_nrows(ds) == 2);
    CHECK(col(ds, 0, 0) == 1 && col(ds, 1, 0) == 2 && col(ds, 0, 1) == 3 &&
          col(ds, 1, 1) == 4);
    orgfig_dataset_free(ds);
}

TEST(csv_ragged_empty_and_bad_cells_are_nan)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_dataset *ds = parse("a,b,c\n"
                               "1\n"             /* missing b, c */
                               "2,3,4,5,6\n"     /* extra cells ignored */
                               ",,\n"            /* all empty */
                               "x, 7 ,0x10\n"    /* unparsable, spaced, hex */
                               "\"1\"\"\",8,\n", /* a quote inside: NaN */
                               NULL, &err);
    REQUIRE(ds != NULL);
    REQUIRE(orgfig_dataset_nrows(ds) == 5 && orgfig_dataset_ncols(ds) == 3);
    double want[5][3] = {
        {1, NAN, NAN}, {2, 3, 4}, {NAN, NAN, NAN}, {NAN, 7, NAN}, {NAN, 8, NAN}};
    for (int r = 0; r < 5; r++)
        for (int c = 0; c < 3; c++) {
            double v = col(ds, (size_t)c, (size_t)r);
            if (isnan(want[r][c]))
                CHECK(isnan(v));
            else
                CHECK(v == want[r][c]);
        }
    orgfig_dataset_free(ds);
}

TEST(csv_comments_skip_rows_max_rows)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    const char *text = "generated by a tool\n"
                       "second preamble line, with, commas\n"
                       "# a comment before the header\n"
                       "t;v\n"
                       "# a comment\n"
                       "1;10\n"
                       "2;20\n"
                       "3;30\n";
    orgfig_csv_opts o = ORGFIG_CSV_OPTS_INIT;
    o.skip_rows = 2;
    orgfig_dataset *ds = parse(text, &o, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_ncols(ds) == 2 && orgfig_dataset_nrows(ds) == 3);
    CHECK(strcmp(orgfig_dataset_colname(ds, 1), "v") == 0);
    CHECK(col(ds, 1, 2) == 30);
    orgfig_dataset_free(ds);

    o.max_rows = 2;
    ds = parse(text, &o, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_nrows(ds) == 2 && col(ds, 0, 1) == 2);
    orgfig_dataset_free(ds);

    /* Without the comment character the comment lines are data. */
    o.max_rows = 0;
    o.comment = 0;
    ds = parse(text, &o, &err);
    REQUIRE(ds != NULL);
    CHECK(strcmp(orgfig_dataset_colname(ds, 0), "# a comment before the header") == 0);
    orgfig_dataset_free(ds);
}

TEST(csv_delimiter_detection)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_dataset *ds = parse("a\tb,c\td\n1\t2,5\t3\n", NULL, &err);
    REQUIRE(ds != NULL);
    /* Two tabs beat one comma: "b,c" is one name and "2,5" one (bad) cell. */
    CHECK(orgfig_dataset_ncols(ds) == 3);
    CHECK(strcmp(orgfig_dataset_colname(ds, 1), "b,c") == 0);
    CHECK(col(ds, 0, 0) == 1 && isnan(col(ds, 1, 0)) && col(ds, 2, 0) == 3);
    orgfig_dataset_free(ds);

    /* Semicolons with decimal commas: "1,5" is NaN, not split. */
    ds = parse("p;q\n1,5;2\n", NULL, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_ncols(ds) == 2 && isnan(col(ds, 0, 0)) && col(ds, 1, 0) == 2);
    orgfig_dataset_free(ds);

    /* Separators inside quotes do not count. */
    ds = parse("\"a;b;c\",d\n1,2\n", NULL, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_ncols(ds) == 2 && col(ds, 1, 0) == 2);
    orgfig_dataset_free(ds);

    /* No separator at all: one column. */
    ds = parse("value\n1\n2\n", NULL, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_ncols(ds) == 1 && orgfig_dataset_nrows(ds) == 2);
    orgfig_dataset_free(ds);

    /* An explicit delimiter wins over detection. */
    orgfig_csv_opts o = ORGFIG_CSV_OPTS_INIT;
    o.delimiter = ' ';
    ds = parse("a b,c\n1 2\n", &o, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_ncols(ds) == 2 &&
          strcmp(orgfig_dataset_colname(ds, 1), "b,c") == 0);
    orgfig_dataset_free(ds);
}

TEST(csv_without_header_names_by_position)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_csv_opts o = ORGFIG_CSV_OPTS_INIT;
    o.header = false;
    orgfig_dataset *ds = parse("1,2,3\n4,5,6\n", &o, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_nrows(ds) == 2 && orgfig_dataset_ncols(ds) == 3);
    CHECK(strcmp(orgfig_dataset_colname(ds, 0), "1") == 0);
    CHECK(strcmp(orgfig_dataset_colname(ds, 2), "3") == 0);
    CHECK(col(ds, 0, 0) == 1 && col(ds, 2, 1) == 6);
    orgfig_dataset_free(ds);
}

TEST(csv_column_subset)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_csv_select sel[] = {{"c", 1, 0}, {NULL, 0, 0}};
    orgfig_csv_opts o = ORGFIG_CSV_OPTS_INIT;
    o.select = sel;
    o.nselect = 2;
    const char *text = "a,b,c\n1,2,3\n4,5,6\n";
    orgfig_dataset *ds = parse(text, &o, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_ncols(ds) == 2);
    CHECK(strcmp(orgfig_dataset_colname(ds, 0), "c") == 0);
    CHECK(strcmp(orgfig_dataset_colname(ds, 1), "a") == 0);
    CHECK(col(ds, 0, 0) == 3 && col(ds, 1, 0) == 1 && col(ds, 0, 1) == 6);
    orgfig_dataset_free(ds);

    orgfig_csv_select unknown[] = {{"zz", 2, 0}};
    o.select = unknown;
    o.nselect = 1;
    CHECK(parse(text, &o, &err) == NULL);
    CHECK(err.status == ORGFIG_E_INVALID);
    CHECK(strcmp(err.msg,
                 "orgfig-read-csv: no column \"zz\" in test.csv (columns: a, b, c)") ==
          0);
    orgfig_err_clear(&err);
    orgfig_csv_select range[] = {{NULL, 0, 3}};
    o.select = range;
    CHECK(parse(text, &o, &err) == NULL && err.status == ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "index 3 out of range") != NULL);
    orgfig_err_clear(&err);
    orgfig_csv_select twice[] = {{"b", 1, 0}, {NULL, 0, 1}};
    o.select = twice;
    o.nselect = 2;
    CHECK(parse(text, &o, &err) == NULL && err.status == ORGFIG_E_INVALID);
    CHECK(strstr(err.msg, "\"b\" selected twice") != NULL);
}

TEST(csv_float32_halves_data)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    char *text = malloc(200000);
    REQUIRE(text != NULL);
    size_t n = (size_t)sprintf(text, "a,b\n");
    for (int i = 0; i < 10000; i++)
        n += (size_t)sprintf(text + n, "%d,%g\n", i, i * 0.5);
    orgfig_dataset *d64 = orgfig_parse_csv_buffer(text, n, NULL, NULL, NULL, &err);
    orgfig_csv_opts o = ORGFIG_CSV_OPTS_INIT;
    o.dtype = ORGFIG_F32;
    orgfig_dataset *d32 = orgfig_parse_csv_buffer(text, n, NULL, &o, NULL, &err);
    free(text);
    REQUIRE(d64 && d32);
    orgfig_column *c64 = orgfig_dataset_column_at(d64, 1, "t", &err);
    orgfig_column *c32 = orgfig_dataset_column_at(d32, 1, "t", &err);
    REQUIRE(c64 && c32);
    CHECK(c32->dtype == ORGFIG_F32 && c32->n == 10000);
    CHECK(orgfig_alloc_size(c64->data) == 80000);
    CHECK(orgfig_alloc_size(c32->data) == 40000);
    CHECK(orgfig_column_get(c32, 9999) == 4999.5);
    CHECK(orgfig_dataset_bytes(d32) < orgfig_dataset_bytes(d64));
    orgfig_dataset_free(d64);
    orgfig_dataset_free(d32);
}

TEST(csv_dates_become_unix_seconds)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_dataset *ds =
        parse("when,v,mixed\n2026-11-22 10:00,1.5,3\n\"2026-11-22T11:30Z\",2,"
              "2026-01-01\n,3,x\n2026-11-22T12:00+02:00,4,\n",
              NULL, &err);
    REQUIRE(ds != NULL);
    orgfig_column *when = orgfig_dataset_column_at(ds, 0, "t", &err);
    orgfig_column *v = orgfig_dataset_column_at(ds, 1, "t", &err);
    orgfig_column *mixed = orgfig_dataset_column_at(ds, 2, "t", &err);
    REQUIRE(when && v && mixed);
    CHECK(when->time && !v->time && mixed->time);
    CHECK(orgfig_column_get(when, 0) == utc(2026, 11, 22, 10, 0, 0));
    CHECK(orgfig_column_get(when, 1) == utc(2026, 11, 22, 11, 30, 0));
    CHECK(isnan(orgfig_column_get(when, 2)));
    CHECK(orgfig_column_get(when, 3) == utc(2026, 11, 22, 10, 0, 0));
    CHECK(orgfig_column_get(v, 3) == 4);
    CHECK(orgfig_column_get(mixed, 0) == 3);
    CHECK(orgfig_column_get(mixed, 1) == utc(2026, 1, 1, 0, 0, 0));
    CHECK(isnan(orgfig_column_get(mixed, 2)) && isnan(orgfig_column_get(mixed, 3)));
    orgfig_dataset_free(ds);

    /* float32 storage: a date column stays float64 (float32 would round
     * these seconds to 128 s), even when its first date comes after
     * thousands of float32 rows, whose values survive the widening. */
    char *text = malloc(400000);
    REQUIRE(text != NULL);
    size_t n = (size_t)sprintf(text, "t,y\n");
    for (int i = 0; i < 10000; i++) {
        if (i < 5000)
            n += (size_t)sprintf(text + n, "%g,%d\n", i * 0.25, i);
        else
            n += (size_t)sprintf(text + n, "2026-11-22T%02d:%02d:%02d,%d\n",
                                 (i / 3600) % 24, (i / 60) % 60, i % 60, i);
    }
    orgfig_csv_opts o = ORGFIG_CSV_OPTS_INIT;
    o.dtype = ORGFIG_F32;
    ds = orgfig_parse_csv_buffer(text, n, NULL, &o, NULL, &err);
    free(text);
    REQUIRE(ds != NULL);
    orgfig_column *t = orgfig_dataset_column_at(ds, 0, "t", &err);
    orgfig_column *y = orgfig_dataset_column_at(ds, 1, "t", &err);
    REQUIRE(t && y);
    CHECK(t->time && t->dtype == ORGFIG_F64 && t->n == 10000);
    CHECK(!y->time && y->dtype == ORGFIG_F32);
    CHECK(orgfig_alloc_size(t->data) == 80000 && orgfig_alloc_size(y->data) == 40000);
    int wrong = 0;
    for (int i = 0; i < 10000; i++) {
        double want = i < 5000
                          ? i * 0.25
                          : utc(2026, 11, 22, (i / 3600) % 24, (i / 60) % 60, i % 60);
        wrong += orgfig_column_get(t, (size_t)i) != want;
    }
    CHECK(wrong == 0);
    orgfig_dataset_free(ds);
}

TEST(csv_decimal_comma)
{
    double v;
    CHECK(orgfig_parse_decimal("1,5", 3, ',', &v) && v == 1.5);
    CHECK(orgfig_parse_decimal("-,25e2", 6, ',', &v) && v == -25);
    CHECK(!orgfig_parse_decimal("1.5", 3, ',', &v) && isnan(v));
    CHECK(!orgfig_parse_decimal("1,5", 3, '.', &v) && isnan(v));
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_csv_opts o = ORGFIG_CSV_OPTS_INIT;
    o.decimal = ',';
    /* The delimiter is detected among tab and ';', never the comma. */
    orgfig_dataset *ds =
        parse("t;Wert, kg\n2026-11-22;1,5\n3;\"2,25\"\n4;1.5\n5;-0,5e1\n", &o, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_ncols(ds) == 2);
    CHECK(strcmp(orgfig_dataset_colname(ds, 1), "Wert, kg") == 0);
    CHECK(col(ds, 1, 0) == 1.5 && col(ds, 1, 1) == 2.25 && isnan(col(ds, 1, 2)) &&
          col(ds, 1, 3) == -5);
    CHECK(col(ds, 0, 0) == utc(2026, 11, 22, 0, 0, 0) && col(ds, 0, 1) == 3);
    orgfig_dataset_free(ds);
    ds = parse("a\t b\n1,5\t2\n", &o, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_ncols(ds) == 2 && col(ds, 0, 0) == 1.5);
    orgfig_dataset_free(ds);
    /* Without the option, "1,5" is two cells of a comma-separated file. */
    ds = parse("a,b\n1,5\n", NULL, &err);
    REQUIRE(ds != NULL);
    CHECK(col(ds, 0, 0) == 1 && col(ds, 1, 0) == 5);
    orgfig_dataset_free(ds);
    o.delimiter = ',';
    CHECK(parse("a,b\n1,5\n", &o, &err) == NULL);
    CHECK(err.status == ORGFIG_E_INVALID &&
          strstr(err.msg, "with the decimal comma the delimiter cannot be \",\""));
    o.delimiter = 0;
    o.decimal = ':';
    err = (orgfig_err)ORGFIG_ERR_INIT;
    CHECK(parse("a\n1\n", &o, &err) == NULL);
    CHECK(strstr(err.msg, "the decimal point must be \".\" or \",\"") != NULL);
}

TEST(csv_header_only_and_empty)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_dataset *ds = parse("a,b\n", NULL, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_ncols(ds) == 2 && orgfig_dataset_nrows(ds) == 0);
    orgfig_dataset_free(ds);
    const char *empties[] = {"", "\n\n", "# only a comment\n", "\xef\xbb\xbf",
                             "  \t \r\n"};
    for (size_t i = 0; i < sizeof empties / sizeof empties[0]; i++) {
        orgfig_err_clear(&err);
        CHECK(parse(empties[i], NULL, &err) == NULL);
        CHECK(err.status == ORGFIG_E_INVALID && strstr(err.msg, "no header line"));
    }
    orgfig_err_clear(&err);
    orgfig_csv_opts o = ORGFIG_CSV_OPTS_INIT;
    o.delimiter = '"';
    CHECK(parse("a\n", &o, &err) == NULL && err.status == ORGFIG_E_INVALID);
}

/* ---- CSV: files ---- */

/* A file of NROWS rows "i,i/4,-i" (exact in binary), some rows quoted or
 * CRLF-terminated, so chunk boundaries fall everywhere. */
static char *
make_rows(size_t nrows, size_t *len)
{
    char *t = malloc(nrows * 48 + 64);
    if (!t)
        return NULL;
    size_t n = (size_t)sprintf(t, "i,\"quarter\",neg\n");
    for (size_t i = 0; i < nrows; i++) {
        if (i % 7 == 3)
            n += (size_t)sprintf(t + n, "\"%zu\",%.2f,\"-%zu\"\r\n", i, i / 4.0, i);
        else
            n += (size_t)sprintf(t + n, "%zu,%.2f,-%zu\n", i, i / 4.0, i);
    }
    *len = n;
    return t;
}

TEST(csv_file_large_matches_values)
{
    size_t len, nrows = 200000;
    char *t = make_rows(nrows, &len);
    REQUIRE(t != NULL);
    REQUIRE(len > 3 * (1 << 20));
    const char *path = write_file("large.csv", t, len);
    free(t);
    REQUIRE(path != NULL);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_dataset *ds = orgfig_read_csv(path, NULL, NULL, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_nrows(ds) == nrows);
    CHECK(strcmp(orgfig_dataset_colname(ds, 1), "quarter") == 0);
    CHECK(strcmp(orgfig_dataset_source(ds), path) == 0);
    int bad = 0;
    for (size_t i = 0; i < nrows; i++)
        if (col(ds, 0, i) != (double)i || col(ds, 1, i) != i / 4.0 ||
            col(ds, 2, i) != -(double)i)
            bad++;
    CHECK(bad == 0);
    orgfig_dataset_free(ds);
}

TEST(csv_file_record_longer_than_buffer)
{
    /* A header cell of 3 MiB of spaces (trimmed away: named "1"). */
    size_t pad = 3u << 20;
    char *t = malloc(pad + 64);
    REQUIRE(t != NULL);
    memset(t, ' ', pad);
    size_t n = pad + (size_t)sprintf(t + pad, ",b\n1,2\n");
    const char *path = write_file("long.csv", t, n);
    free(t);
    REQUIRE(path != NULL);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_dataset *ds = orgfig_read_csv(path, NULL, NULL, &err);
    REQUIRE(ds != NULL);
    CHECK(strcmp(orgfig_dataset_colname(ds, 0), "1") == 0);
    CHECK(orgfig_dataset_nrows(ds) == 1 && col(ds, 1, 0) == 2);
    orgfig_dataset_free(ds);
}

TEST(csv_file_errors)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    CHECK(orgfig_read_csv("/nonexistent/orgfig/x.csv", NULL, NULL, &err) == NULL);
    CHECK(err.status == ORGFIG_E_IO);
    CHECK(strstr(err.msg, "/nonexistent/orgfig/x.csv") &&
          strstr(err.msg, strerror(ENOENT)));
    orgfig_err_clear(&err);
    CHECK(orgfig_read_csv("/tmp", NULL, NULL, &err) == NULL);
    CHECK(err.status == ORGFIG_E_IO && strstr(err.msg, strerror(EISDIR)));
    orgfig_err_clear(&err);
    const char *empty = write_file("empty.csv", "", 0);
    REQUIRE(empty != NULL);
    CHECK(orgfig_read_csv(empty, NULL, NULL, &err) == NULL);
    CHECK(err.status == ORGFIG_E_INVALID && strstr(err.msg, "no header line"));
    if (geteuid() != 0) {
        const char *locked = write_file("locked.csv", "a\n1\n", 4);
        REQUIRE(locked != NULL);
        chmod(locked, 0);
        orgfig_err_clear(&err);
        CHECK(orgfig_read_csv(locked, NULL, NULL, &err) == NULL);
        CHECK(err.status == ORGFIG_E_IO && strstr(err.msg, strerror(EACCES)));
    }
}

typedef struct {
    int polls, stop_at;
    double last;
    int progress_calls;
    bool monotonic;
} hook_state;

static bool
poll_fn(void *ctx)
{
    hook_state *h = ctx;
    return ++h->polls == h->stop_at;
}

static void
progress_fn(void *ctx, double f)
{
    hook_state *h = ctx;
    if (f < h->last || f > 1)
        h->monotonic = false;
    h->last = f;
    h->progress_calls++;
}

TEST(csv_poll_and_progress)
{
    size_t len;
    char *t = make_rows(150000, &len);
    REQUIRE(t != NULL);
    const char *path = write_file("poll.csv", t, len);
    free(t);
    REQUIRE(path != NULL);
    size_t held = orgfig_memory_stats().bytes;
    hook_state h = {0, 0, 0, 0, true};
    orgfig_hooks hooks = {poll_fn, progress_fn, &h};
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_dataset *ds = orgfig_read_csv(path, NULL, &hooks, &err);
    REQUIRE(ds != NULL);
    CHECK(h.polls >= 3); /* ~2.7 MiB: one poll per MiB read */
    CHECK(h.monotonic && h.last == 1.0 && h.progress_calls >= 2);
    orgfig_dataset_free(ds);
    for (int stop = 1; stop <= 3; stop++) {
        hook_state q = {0, stop, 0, 0, true};
        orgfig_hooks qh = {poll_fn, NULL, &q};
        orgfig_err_clear(&err);
        CHECK(orgfig_read_csv(path, NULL, &qh, &err) == NULL);
        CHECK(err.status == ORGFIG_E_QUIT);
        CHECK(orgfig_memory_stats().bytes == held);
    }
    CHECK(orgfig_datasets_open() == 0);
}

TEST(csv_memory_limit)
{
    size_t len;
    char *t = make_rows(100000, &len);
    REQUIRE(t != NULL);
    const char *path = write_file("limit.csv", t, len);
    free(t);
    REQUIRE(path != NULL);
    size_t held = orgfig_memory_stats().bytes;
    size_t cols_before = orgfig_columns_live();
    orgfig_err err = ORGFIG_ERR_INIT;
    /* Enough for the read buffer, not for 3 x 100000 doubles. */
    orgfig_memory_set_limit(held + (1u << 20) + 1000000);
    CHECK(orgfig_read_csv(path, NULL, NULL, &err) == NULL);
    CHECK(err.status == ORGFIG_E_LIMIT);
    orgfig_memory_set_limit(0);
    CHECK(orgfig_memory_stats().bytes == held);
    CHECK(orgfig_columns_live() == cols_before);
}

TEST(csv_fault_injection_every_allocation)
{
    /* Variants: all columns; a selection; float32 storage widened by a
     * date (its realloc fails cleanly too). */
    const char *text = "a,\"b\"\"q\",c\n1,2,3\n4,5,6\n7,8\n";
    const char *path = write_file("small.csv", text, strlen(text));
    const char *dated = "a,b\n1,2\n2026-11-22,3\n";
    const char *dpath = write_file("dated.csv", dated, strlen(dated));
    REQUIRE(path != NULL && dpath != NULL);
    orgfig_csv_select sel[] = {{"c", 1, 0}, {NULL, 0, 0}};
    orgfig_csv_opts o = ORGFIG_CSV_OPTS_INIT, o32 = ORGFIG_CSV_OPTS_INIT;
    o.select = sel;
    o.nselect = 2;
    o32.dtype = ORGFIG_F32;
    for (int variant = 0; variant < 3; variant++) {
        bool done = false;
        int failures = 0;
        for (uint64_t n = 1; n < 200 && !done; n++) {
            size_t held = orgfig_memory_stats().bytes;
            orgfig_err err = ORGFIG_ERR_INIT;
            orgfig_alloc_fail_at(n);
            orgfig_dataset *ds =
                variant < 2 ? orgfig_read_csv(path, variant ? &o : NULL, NULL, &err)
                            : orgfig_read_csv(dpath, &o32, NULL, &err);
            orgfig_alloc_fail_at(0);
            if (ds && variant < 2) {
                CHECK(orgfig_dataset_nrows(ds) == 3);
                CHECK(isnan(col(ds, variant ? 0 : 2, 2)));
            } else if (ds) {
                CHECK(col(ds, 0, 0) == 1 && col(ds, 0, 1) == utc(2026, 11, 22, 0, 0, 0));
            } else {
                failures++;
                CHECK(err.status == ORGFIG_E_NOMEM && strstr(err.msg, "injected"));
            }
            orgfig_dataset_free(ds);
            done = ds != NULL;
            CHECK(orgfig_memory_stats().bytes == held);
            CHECK(orgfig_datasets_open() == 0);
        }
        CHECK(done);
        CHECK(failures >= (variant < 2 ? 8 : 6));
    }
}

/* ---- streaming ---- */

typedef struct {
    size_t ncols, rows;
    double lo, hi;
    size_t bins[10];
    int pass;
    bool names_ok;
} scan_state;

static bool
scan_columns(void *ctx, const char *const *names, size_t ncols, orgfig_err *err)
{
    (void)err;
    scan_state *s = ctx;
    s->ncols = ncols;
    s->names_ok = ncols == 1 && strcmp(names[0], "quarter") == 0;
    return true;
}

static bool
scan_row(void *ctx, const double *row, size_t ncols, orgfig_err *err)
{
    (void)err;
    scan_state *s = ctx;
    if (ncols != 1)
        return false;
    s->rows++;
    if (s->pass == 0) {
        s->lo = row[0] < s->lo ? row[0] : s->lo;
        s->hi = row[0] > s->hi ? row[0] : s->hi;
    } else {
        int b = (int)((row[0] - s->lo) / (s->hi - s->lo) * 10);
        s->bins[b > 9 ? 9 : b]++;
    }
    return true;
}

static bool
scan_stop(void *ctx, const double *row, size_t ncols, orgfig_err *err)
{
    (void)row;
    (void)ncols;
    (void)err;
    return ++((scan_state *)ctx)->rows < 10;
}

TEST(csv_scan_two_passes_bounded_memory)
{
    size_t len, nrows = 200000;
    char *t = make_rows(nrows, &len);
    REQUIRE(t != NULL);
    const char *path = write_file("scan.csv", t, len);
    free(t);
    REQUIRE(path != NULL);
    orgfig_csv_select sel[] = {{"quarter", 7, 0}};
    orgfig_csv_opts o = ORGFIG_CSV_OPTS_INIT;
    o.select = sel;
    o.nselect = 1;
    scan_state s = {0, 0, INFINITY, -INFINITY, {0}, 0, false};
    orgfig_csv_sink sink = {scan_columns, scan_row, &s};
    orgfig_err err = ORGFIG_ERR_INIT;
    size_t held = orgfig_memory_stats().bytes, n = 0;
    orgfig_memory_reset_peak();
    REQUIRE(orgfig_csv_scan(path, &o, &sink, NULL, &n, &err) == ORGFIG_OK);
    /* Bounded memory: the 1 MiB buffer and small tables, not the file. */
    CHECK(orgfig_memory_stats().peak - held < (1u << 20) + 4096);
    CHECK(n == nrows && s.rows == nrows && s.names_ok);
    CHECK(s.lo == 0 && s.hi == (nrows - 1) / 4.0);
    s.pass = 1;
    s.rows = 0;
    REQUIRE(orgfig_csv_scan(path, &o, &sink, NULL, &n, &err) == ORGFIG_OK);
    size_t total = 0;
    for (int b = 0; b < 10; b++) {
        total += s.bins[b];
        /* Evenly spread values: 20000 per bin, give or take the edges. */
        CHECK(s.bins[b] >= 19999 && s.bins[b] <= 20001);
    }
    CHECK(total == nrows);
    CHECK(orgfig_memory_stats().bytes == held);

    /* A sink that stops: ORGFIG_E_QUIT, nothing held. */
    scan_state st = {0};
    orgfig_csv_sink stop = {NULL, scan_stop, &st};
    CHECK(orgfig_csv_scan(path, NULL, &stop, NULL, &n, &err) == ORGFIG_E_QUIT);
    CHECK(n == 9 && st.rows == 10);
    CHECK(orgfig_memory_stats().bytes == held);
}

/* ---- binary ---- */

TEST(binary_reader)
{
    double v[6] = {1, 10, 2, 20, 3, 30};
    const char *p64 = write_file("xy.f64", v, sizeof v);
    REQUIRE(p64 != NULL);
    orgfig_err err = ORGFIG_ERR_INIT;
    const char *names[] = {"x", "y"};
    orgfig_binary_opts o = ORGFIG_BINARY_OPTS_INIT;
    o.ncols = 2;
    o.names = names;
    orgfig_dataset *ds = orgfig_read_binary(p64, &o, NULL, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_ncols(ds) == 2 && orgfig_dataset_nrows(ds) == 3);
    CHECK(strcmp(orgfig_dataset_colname(ds, 1), "y") == 0);
    CHECK(col(ds, 0, 2) == 3 && col(ds, 1, 2) == 30 && col(ds, 1, 0) == 10);
    orgfig_dataset_free(ds);

    /* One column, default names. */
    ds = orgfig_read_binary(p64, NULL, NULL, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_dataset_nrows(ds) == 6 && col(ds, 0, 5) == 30);
    CHECK(strcmp(orgfig_dataset_colname(ds, 0), "1") == 0);
    orgfig_dataset_free(ds);

    /* Big-endian float32, built byte by byte. */
    float f[3] = {1.5f, -2.25f, 1e30f};
    unsigned char be[12];
    for (int i = 0; i < 3; i++) {
        uint32_t bits;
        memcpy(&bits, &f[i], 4);
        for (int k = 0; k < 4; k++)
            be[4 * i + k] = (unsigned char)(bits >> (24 - 8 * k));
    }
    const char *p32 = write_file("be.f32", be, sizeof be);
    REQUIRE(p32 != NULL);
    orgfig_binary_opts b = {ORGFIG_F32, 1, true, NULL};
    ds = orgfig_read_binary(p32, &b, NULL, &err);
    REQUIRE(ds != NULL);
    orgfig_column *c = orgfig_dataset_column_at(ds, 0, "t", &err);
    REQUIRE(c != NULL);
    CHECK(c->dtype == ORGFIG_F32 && c->n == 3);
    CHECK(orgfig_column_get(c, 0) == 1.5 && orgfig_column_get(c, 1) == -2.25);
    CHECK(orgfig_column_get(c, 2) == (double)1e30f);
    orgfig_dataset_free(ds);

    /* 48 bytes are not a whole number of 5-column float64 rows. */
    orgfig_binary_opts bad = {ORGFIG_F64, 5, false, NULL};
    CHECK(orgfig_read_binary(p64, &bad, NULL, &err) == NULL);
    CHECK(err.status == ORGFIG_E_INVALID && strstr(err.msg, "not a multiple of 40"));
    orgfig_err_clear(&err);
    CHECK(orgfig_read_binary("/nonexistent/x.bin", NULL, NULL, &err) == NULL);
    CHECK(err.status == ORGFIG_E_IO);
}

TEST(binary_fault_injection)
{
    double v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const char *path = write_file("fi.f64", v, sizeof v);
    REQUIRE(path != NULL);
    orgfig_binary_opts o = ORGFIG_BINARY_OPTS_INIT;
    o.ncols = 2;
    bool done = false;
    for (uint64_t n = 1; n < 100 && !done; n++) {
        size_t held = orgfig_memory_stats().bytes;
        orgfig_err err = ORGFIG_ERR_INIT;
        orgfig_alloc_fail_at(n);
        orgfig_dataset *ds = orgfig_read_binary(path, &o, NULL, &err);
        orgfig_alloc_fail_at(0);
        if (ds) {
            CHECK(col(ds, 1, 3) == 8);
            orgfig_dataset_free(ds);
            done = true;
        } else {
            CHECK(err.status == ORGFIG_E_NOMEM);
        }
        CHECK(orgfig_memory_stats().bytes == held);
    }
    CHECK(done);
}

/* ---- datasets ---- */

TEST(dataset_lookup_messages_and_close)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    size_t open0 = orgfig_datasets_open();
    size_t live0 = orgfig_columns_live();
    orgfig_dataset *ds = parse("a,b,c\n1,2,3\n", NULL, &err);
    REQUIRE(ds != NULL);
    CHECK(orgfig_datasets_open() == open0 + 1);
    CHECK(orgfig_dataset_check(ds) && orgfig_dataset_is_open(ds));
    CHECK(orgfig_dataset_column(ds, "foo", 3, "orgfig-column", &err) == NULL);
    CHECK(err.status == ORGFIG_E_INVALID);
    CHECK(strcmp(err.msg,
                 "orgfig-column: no column \"foo\" in dataset (columns: a, b, c)") == 0);
    orgfig_err_clear(&err);
    CHECK(orgfig_dataset_column_at(ds, 7, "orgfig-column", &err) == NULL);
    CHECK(strcmp(err.msg,
                 "orgfig-column: index 7 out of range (dataset has 3 columns)") == 0);
    orgfig_err_clear(&err);
    CHECK(orgfig_dataset_column_at(ds, -1, "orgfig-column", &err) == NULL);
    CHECK(err.status == ORGFIG_E_INVALID);
    /* A prefix is not a match. */
    orgfig_err_clear(&err);
    CHECK(orgfig_dataset_column(ds, "ab", 1, "orgfig-column", &err) != NULL);
    CHECK(orgfig_dataset_column(ds, "a", 0, "orgfig-column", &err) == NULL);

    /* Keep column b past the dataset's close. */
    orgfig_err_clear(&err);
    orgfig_column *b = orgfig_dataset_column(ds, "b", 1, "orgfig-column", &err);
    REQUIRE(b != NULL);
    orgfig_column_ref(b);
    orgfig_dataset_close(ds);
    orgfig_dataset_close(ds); /* idempotent */
    CHECK(!orgfig_dataset_is_open(ds) && orgfig_dataset_check(ds));
    CHECK(orgfig_datasets_open() == open0);
    CHECK(orgfig_columns_live() == live0 + 1);
    CHECK(orgfig_column_check(b) && b->n == 1 && orgfig_column_get(b, 0) == 2);
    CHECK(strcmp(b->name, "b") == 0);
    CHECK(orgfig_dataset_ncols(ds) == 0 && orgfig_dataset_colname(ds, 0) == NULL);
    CHECK(orgfig_dataset_column(ds, "b", 1, "orgfig-column", &err) == NULL);
    CHECK(err.status == ORGFIG_E_CLOSED && strstr(err.msg, "orgfig-column"));
    orgfig_err_clear(&err);
    CHECK(orgfig_dataset_usable(ds, "orgfig-dataset-names", &err) == ORGFIG_E_CLOSED);
    CHECK(strstr(err.msg, "orgfig-dataset-names") != NULL);
    orgfig_dataset_free(ds);
    orgfig_column_unref(b);
    CHECK(orgfig_columns_live() == live0);
    orgfig_dataset_free(NULL);
}

TEST(dataset_add_columns_by_hand)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_dataset *ds = orgfig_dataset_new("by hand", &err);
    REQUIRE(ds != NULL);
    for (int i = 0; i < 20; i++) {
        double v[2] = {i, -i};
        orgfig_column *c = orgfig_column_from_doubles(v, 2, &err);
        REQUIRE(c != NULL);
        char name[16];
        snprintf(name, sizeof name, "c%d", i);
        REQUIRE(orgfig_column_set_name(c, name, strlen(name), &err) == ORGFIG_OK);
        REQUIRE(orgfig_dataset_add(ds, c, &err) == ORGFIG_OK);
    }
    CHECK(orgfig_dataset_ncols(ds) == 20 && orgfig_dataset_nrows(ds) == 2);
    orgfig_column *c = orgfig_dataset_column(ds, "c17", 3, "t", &err);
    CHECK(c && orgfig_column_get(c, 1) == -17);
    CHECK(strcmp(orgfig_dataset_source(ds), "by hand") == 0);
    orgfig_dataset_free(ds);
}

/* Whether two datasets hold the same names and the same values bit for
 * bit (NaN equal to NaN). */
static bool
same_dataset(const orgfig_dataset *a, const orgfig_dataset *b)
{
    if (orgfig_dataset_ncols(a) != orgfig_dataset_ncols(b) ||
        orgfig_dataset_nrows(a) != orgfig_dataset_nrows(b))
        return false;
    for (size_t c = 0; c < orgfig_dataset_ncols(a); c++) {
        if (strcmp(orgfig_dataset_colname(a, c), orgfig_dataset_colname(b, c)) != 0)
            return false;
        for (size_t r = 0; r < orgfig_dataset_nrows(a); r++) {
            double x = col(a, c, r), y = col(b, c, r);
            if (memcmp(&x, &y, sizeof x) != 0)
                return false;
        }
    }
    return true;
}

TEST(csv_chunk_boundaries_do_not_matter)
{
    /* Every feature in a few lines, read with buffers of 1..40 bytes so
     * that every record, quote, CRLF and the BOM is cut somewhere. */
    const char *text = "\xef\xbb\xbfskipped line\n"
                       "# comment\n"
                       "\"na,me\"\"1\";b;  c \r\n"
                       "1;\"2\"\"\";3\r\n"
                       "\r\n"
                       "  4.5e1 ;\"x\ny\";-inf\n"
                       "   \n"
                       "7\n"
                       "8;9;10;11\r"
                       "\"12\";;\"";
    orgfig_csv_opts o = ORGFIG_CSV_OPTS_INIT;
    o.skip_rows = 1;
    const char *path = write_file("chunks.csv", text, strlen(text));
    REQUIRE(path != NULL);
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_dataset *whole = parse(text, &o, &err);
    REQUIRE(whole != NULL);
    CHECK(orgfig_dataset_nrows(whole) == 5 && orgfig_dataset_ncols(whole) == 3);
    CHECK(strcmp(orgfig_dataset_colname(whole, 0), "na,me\"1") == 0);
    CHECK(col(whole, 0, 1) == 45 && isinf(col(whole, 2, 1)) && col(whole, 0, 3) == 8);
    CHECK(col(whole, 0, 4) == 12 && isnan(col(whole, 1, 4)) && isnan(col(whole, 2, 4)));
    for (size_t n = 1; n <= 40; n++) {
        orgfig_csv_set_read_size(n);
        orgfig_dataset *ds = orgfig_read_csv(path, &o, NULL, &err);
        CHECK(ds != NULL && same_dataset(ds, whole));
        orgfig_dataset_free(ds);
    }
    orgfig_csv_set_read_size(0);
    orgfig_dataset_free(whole);
}
