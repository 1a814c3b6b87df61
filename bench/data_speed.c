/* data_speed.c - throughput of the CSV reader and of M4 decimation.
 *
 * Build and run from the repository root:
 *   cc -std=c11 -D_GNU_SOURCE -O2 -g -o /tmp/data_speed bench/data_speed.c \
 *      module/core/{alloc,error,column,data}.c -lm
 *   /tmp/data_speed FILE.csv [REPS]
 * FILE.csv can be made with, e.g. (1M rows x 3 columns, ~39 MB):
 *   python3 -c "import random; print('x,y,z'); [print('%d,%.10g,%.17g' %
 *     (i, random.gauss(0, 1), random.random())) for i in range(1000000)]" > /tmp/big.csv
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "../module/core/data.h"

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE.csv [REPS]\n", argv[0]);
        return 2;
    }
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    struct stat st;
    if (stat(argv[1], &st) != 0) {
        perror(argv[1]);
        return 1;
    }
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        orgfig_err err = ORGFIG_ERR_INIT;
        double t0 = now_s();
        orgfig_dataset *ds = orgfig_read_csv(argv[1], NULL, NULL, &err);
        double t = now_s() - t0;
        if (ds == NULL) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        if (r == 0)
            printf("%zu rows x %zu columns\n", orgfig_dataset_nrows(ds),
                   orgfig_dataset_ncols(ds));
        orgfig_dataset_free(ds);
        if (t < best)
            best = t;
    }
    printf("read_csv: best %.1f ms, %.0f MB/s\n", best * 1e3, st.st_size / best / 1e6);
    return 0;
}
