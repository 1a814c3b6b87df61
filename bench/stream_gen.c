/* stream_gen.c - write the file bench/stream_bench.el streams: ROWS
 * little-endian float64 values of a seeded random walk with a NaN every
 * 100003 rows, in 1 MiB writes.  Usage: stream_gen PATH ROWS */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s PATH ROWS\n", argv[0]);
        return 2;
    }
    FILE *fp = fopen(argv[1], "wb");
    if (fp == NULL) {
        perror(argv[1]);
        return 1;
    }
    unsigned long long rows = strtoull(argv[2], NULL, 10);
    static double buf[131072];
    uint64_t s = 88172645463325252ULL;
    double walk = 0;
    size_t k = 0;
    for (unsigned long long i = 0; i < rows; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        walk += ((double)(s >> 11) / 9007199254740992.0 - 0.5);
        buf[k++] = i % 100003 == 50000 ? NAN : walk;
        if (k == sizeof buf / sizeof buf[0]) {
            if (fwrite(buf, sizeof buf[0], k, fp) != k)
                return 1;
            k = 0;
        }
    }
    if (fwrite(buf, sizeof buf[0], k, fp) != k || fclose(fp) != 0)
        return 1;
    return 0;
}
