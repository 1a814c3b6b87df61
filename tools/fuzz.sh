#!/bin/sh
# tools/fuzz.sh run SECONDS | regress - orgfig's fuzz targets (issue 6).
#
# Targets are every tests/fuzz/fuzz_NAME.c (each defines
# LLVMFuzzerTestOneInput); NAME's seed corpus is tests/fuzz/corpus/NAME/.
# Each target is linked with every module/core/*.c, so a target written
# later needs no change here.
#
#   run SECONDS  builds each target with clang's libFuzzer, ASan and UBSan
#                into build/fuzz/ and fuzzes it for SECONDS, writing new
#                inputs to tests/fuzz/corpus-run/NAME/ (not committed) and
#                reading the seeds.  A crash, leak, timeout or OOM input is
#                copied into tests/fuzz/corpus/NAME/ so that `regress' (and
#                so `make test') replays it from then on: fix the bug, then
#                commit the file.  Prints "fuzz: N passed, N failed", one
#                count per target.
#   regress      builds each target with gcc, ASan and UBSan and
#                tests/fuzz/replay.c into build/fuzz-regress/ and runs it
#                over its corpus without fuzzing: prints
#                "fuzz-regress: N passed, N failed", one count per input.
set -u
cd "$(dirname "$0")/.." || exit 2

mode=${1:-}
# The Makefile passes its PKGS, so a library added there is linked here too.
pkgs=${ORGFIG_PKGS:-cairo libpng}
# shellcheck disable=SC2086
pkg_cflags=$(pkg-config --cflags $pkgs)
# shellcheck disable=SC2086
pkg_libs="$(pkg-config --libs $pkgs) -lm -pthread"
core_src=$(ls module/core/*.c | sort)
targets=$(ls tests/fuzz/fuzz_*.c 2>/dev/null | sort)
# float-cast-overflow is in clang's -fsanitize=undefined but not in gcc's.
san="-fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
LSAN_OPTIONS="suppressions=$(pwd)/tools/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS LSAN_OPTIONS

name_of() {
    n=$(basename "$1" .c)
    echo "${n#fuzz_}"
}

case "$mode" in
run)
    seconds=${2:-30}
    cc=${FUZZ_CC:-clang}
    out=build/fuzz
    mkdir -p "$out"
    passed=0; failed=0
    # ASan's own limits; libFuzzer adds -rss_limit_mb and -timeout.
    ASAN_OPTIONS="halt_on_error=1:allocator_may_return_null=1:detect_leaks=1"
    export ASAN_OPTIONS
    # The core once (instrumented for coverage), then one link per target.
    mkdir -p "$out/obj"
    cflags="-std=c11 -D_GNU_SOURCE -O1 -g $san $pkg_cflags"
    objs=""
    for c in $core_src; do
        o="$out/obj/$(basename "$c" .c).o"
        if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ -n "$(find module/core -name '*.h' -newer "$o")" ]; then
            # shellcheck disable=SC2086
            $cc $cflags -fsanitize=fuzzer-no-link -c -o "$o" "$c" || {
                echo "FAIL fuzz: $c does not build"; echo "fuzz: 0 passed, 1 failed"; exit 1; }
        fi
        objs="$objs $o"
    done
    for t in $targets; do
        name=$(name_of "$t")
        bin="$out/fuzz_$name"
        echo "== fuzz $name ($seconds s)"
        # shellcheck disable=SC2086
        if ! $cc $cflags -fsanitize=fuzzer -o "$bin" "$t" $objs $pkg_libs; then
            echo "FAIL fuzz $name: does not build"
            failed=$((failed + 1))
            continue
        fi
        seeds="tests/fuzz/corpus/$name"
        work="tests/fuzz/corpus-run/$name"
        arts="$out/artifacts/$name"
        mkdir -p "$seeds" "$work" "$arts"
        rm -f "$arts"/*
        "$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$arts/" "$work" "$seeds" \
            >"$out/fuzz_$name.log" 2>&1
        rc=$?
        tail -n 25 "$out/fuzz_$name.log"
        found=$(ls "$arts" 2>/dev/null)
        if [ "$rc" = 0 ] && [ -z "$found" ]; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL fuzz $name: exit $rc; full log $out/fuzz_$name.log"
            for a in $found; do
                cp "$arts/$a" "$seeds/regress-$a"
                echo "  kept $seeds/regress-$a: fix the bug, then commit it"
            done
        fi
    done
    echo "fuzz: $passed passed, $failed failed"
    [ "$failed" = 0 ]
    ;;
regress)
    cc=${ASAN_CC:-gcc}
    out=build/fuzz-regress
    mkdir -p "$out/obj"
    ASAN_OPTIONS="halt_on_error=1:allocator_may_return_null=1:detect_leaks=1"
    export ASAN_OPTIONS
    cflags="-std=c11 -D_GNU_SOURCE -O1 -g $san $pkg_cflags"
    # The core once, then one link per target.
    objs=""
    for c in $core_src; do
        o="$out/obj/$(basename "$c" .c).o"
        # shellcheck disable=SC2086
        if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ -n "$(find module/core -name '*.h' -newer "$o")" ]; then
            $cc $cflags -c -o "$o" "$c" || { echo "FAIL fuzz-regress: $c does not build"; echo "fuzz-regress: 0 passed, 1 failed"; exit 1; }
        fi
        objs="$objs $o"
    done
    passed=0; failed=0
    for t in $targets; do
        name=$(name_of "$t")
        bin="$out/fuzz_$name"
        # shellcheck disable=SC2086
        if ! $cc $cflags -o "$bin" "$t" tests/fuzz/replay.c $objs $pkg_libs; then
            echo "FAIL fuzz-regress $name: does not build"
            failed=$((failed + 1))
            continue
        fi
        "$bin" "$name" "tests/fuzz/corpus/$name" >"$out/$name.log" 2>&1
        rc=$?
        cat "$out/$name.log"
        line=$(grep -E "^replay $name: [0-9]+ passed, [0-9]+ failed" "$out/$name.log" | tail -n 1)
        if [ -z "$line" ]; then
            echo "FAIL fuzz-regress $name: the replay exited $rc without a result"
            failed=$((failed + 1))
            continue
        fi
        p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
        q=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
        passed=$((passed + p)); failed=$((failed + q))
    done
    echo "fuzz-regress: $passed passed, $failed failed"
    [ "$failed" = 0 ]
    ;;
*)
    echo "usage: tools/fuzz.sh run SECONDS | regress" >&2
    exit 2
    ;;
esac
