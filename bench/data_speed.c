/* data_speed.c - throughput of the CSV reader and of M4 decimation.
 *
 * Build and run from the repository root:
 *   cc -std=c11 -D_GNU_SOURCE -O2 -g -o /tmp/data_speed bench/data_speed.c \
 *      module/core/{alloc,error,column,data,decimate}.c -lm
 *   /tmp/data_speed [FILE.csv [REPS]]
 * Without a file only decimation is measured (random walks of 1M and 10M
 * points into 800 columns, x implicit and x as a float64 column).
 * FILE.csv can be made with, e.g. (1M rows x 3 columns, ~39 MB):
 *   python3 -c "import random; print('x,y,z'); [print('%d,%.10g,%.17g' %
 *     (i, random.gauss(0, 1), random.random())) for i in range(1000000)]" > /tmp/big.csv
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "../module/core/data.h"
#include "../module/core/decimate.h"

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
bench_m4(size_t n)
{
    orgfig_err err = ORGFIG_ERR_INIT;
    orgfig_column *x = orgfig_column_new(n, ORGFIG_F64, &err);
    orgfig_column *y = orgfig_column_new(n, ORGFIG_F64, &err);
    if (!x || !y) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    uint64_t s = 88172645463325252ull;
    double v = 0;
    for (size_t i = 0; i < n; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        v += (double)(s >> 11) / 9007199254740992.0 - 0.5;
        ((double *)y->data)[i] = v;
        ((double *)x->data)[i] = (double)i * 0.001;
    }
    orgfig_column_summary(x); /* cached, as it is for a figure's column */
    orgfig_m4_out out = ORGFIG_M4_OUT_INIT(NULL);
    for (int withx = 0; withx < 2; withx++) {
        orgfig_m4_opts o = {0, withx ? (double)(n - 1) * 0.001 : (double)(n - 1), 800,
                            false};
        double best = 1e30;
        for (int r = 0; r < 5; r++) {
            double t0 = now_s();
            if (orgfig_m4_decimate(withx ? x : NULL, y, &o, NULL, &out, "bench", &err) !=
                ORGFIG_OK) {
                fprintf(stderr, "%s\n", err.msg);
                exit(1);
            }
            double t = now_s() - t0;
            best = t < best ? t : best;
        }
        printf("m4 %5.1fM points, x %s: %.2f ms, %.2f ns/point, %zu points out\n",
               n / 1e6, withx ? "float64" : "implicit", best * 1e3, best * 1e9 / n,
               out.n);
    }
    orgfig_m4_out_free(&out);
    orgfig_column_unref(x);
    orgfig_column_unref(y);
}

int
main(int argc, char **argv)
{
    bench_m4(1000000);
    bench_m4(10000000);
    if (argc < 2)
        return 0;
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
