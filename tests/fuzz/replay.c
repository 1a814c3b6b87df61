/* replay.c - run a libFuzzer target over files, without fuzzing.
 *
 * `make fuzz-regress' links this main with each tests/fuzz/fuzz_*.c, the
 * core and gcc's ASan and UBSan, and runs it over the target's corpus
 * (tests/fuzz/corpus/NAME/), so every input a fuzzer ever kept - and every
 * crash it found, which tools/fuzz.sh copies there - is replayed by
 * `make test' on a machine without clang.
 *
 * Each input runs in a forked child, so one crash is one failed input and
 * the others still run.  An input fails when the child dies (a sanitizer
 * report, a signal), exits non-zero, or leaves orgfig's counted bytes
 * higher than before it ran (a leak LeakSanitizer misses when the block
 * stays reachable, e.g. from a global list).  The empty input always runs
 * first.  The last line is "replay NAME: N passed, N failed". */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../module/core/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static int passed, failed;

/* Run the target on DATA/SIZE in a child; record the outcome under NAME. */
static void
run_one(const char *name, const uint8_t *data, size_t size)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("replay: fork");
        failed++;
        return;
    }
    if (pid == 0) {
        /* An exact-size copy, so reading past the end is caught. */
        uint8_t *copy = malloc(size ? size : 1);
        if (copy == NULL)
            _exit(70);
        if (size)
            memcpy(copy, data, size);
        size_t before = orgfig_memory_stats().bytes;
        LLVMFuzzerTestOneInput(copy, size);
        free(copy);
        size_t after = orgfig_memory_stats().bytes;
        if (after != before) {
            fprintf(stderr, "replay: %s leaked %zu counted bytes\n", name,
                    after - before);
            exit(71);
        }
        exit(0); /* exit, not _exit: LeakSanitizer runs at exit */
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) {
        perror("replay: waitpid");
        failed++;
        return;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        passed++;
        return;
    }
    failed++;
    if (WIFSIGNALED(status))
        fprintf(stderr, "FAIL %s: killed by signal %d\n", name, WTERMSIG(status));
    else
        fprintf(stderr, "FAIL %s: exit status %d\n", name, WEXITSTATUS(status));
}

static void
run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        perror(path);
        failed++;
        return;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(fp);
    if (buf == NULL) {
        fprintf(stderr, "replay: out of memory reading %s\n", path);
        failed++;
        return;
    }
    run_one(path, buf, len);
    free(buf);
}

static int
compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file in DIR, in name order (so logs are stable). */
static void
run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return; /* a target without a corpus yet: only the empty input */
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (nn == NULL)
                break;
            names = nn;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (names[n] == NULL)
            break;
        snprintf(names[n], len, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            run_file(names[i]);
        free(names[i]);
    }
    free(names);
}

int
main(int argc, char **argv)
{
    const char *label = argc > 1 ? argv[1] : "target";
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    run_one("(empty input)", (const uint8_t *)"", 0);
    for (int i = 2; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            run_dir(argv[i]);
        else
            run_file(argv[i]);
    }
    printf("replay %s: %d passed, %d failed\n", label, passed, failed);
    return failed ? 1 : 0;
}
