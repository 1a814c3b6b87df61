#!/bin/sh
# tools/asan.sh core|ert - run orgfig's tests under AddressSanitizer and
# UndefinedBehaviorSanitizer (issue 6).
#
#   core  builds build/asan/test-core (every tests/c/*.c and module/core/*.c,
#         sanitized) and runs it: prints the C runner's "core: N passed,
#         N failed" line.
#   ert   builds build/asan/lisp/orgfig-module.so, copies lisp/*.el next to
#         it (orgfig.el loads the module from its own directory, so the
#         copy loads the sanitized module and nothing in lisp/ changes) and
#         runs the whole ERT suite (tests/lisp) in an Emacs with the ASan
#         runtime preloaded: prints "ert: N passed, N failed".
#
# Any sanitizer report ends the process with a non-zero status (UBSan with
# -fno-sanitize-recover, ASan with halt_on_error), which tools/run-suite.sh
# counts as a failure even when every test had passed: zero reports is the
# only way to pass.
#
# Leak detection is on for the C tests and off in Emacs, which does not
# free its heap at exit; orgfig's own leaks are caught there by the byte
# counters the tests check.  The compiler is gcc (ASAN_CC) because the
# runtime preloaded into Emacs is gcc's libasan: a clang-built module would
# need clang's runtime instead.
set -u
cd "$(dirname "$0")/.." || exit 2

what=${1:-}
dir=${ASAN_DIR:-build/asan}
cc=${ASAN_CC:-gcc}
emacs=${EMACS:-emacs}
# float-cast-overflow (a double out of an integer type's range, cast) is not
# part of gcc's -fsanitize=undefined; it is added, recoverable, and any
# report of it still fails the run through the log check below.
san="-fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=undefined -fsanitize-recover=float-cast-overflow"
cflags="-std=c11 -D_GNU_SOURCE -O1 -g $san -Wall -Wextra -Wshadow -Wvla -Wformat=2"
# The Makefile passes its PKGS, so a library added there is linked here too.
pkgs=${ORGFIG_PKGS:-cairo libpng}
# shellcheck disable=SC2086
pkg_cflags=$(pkg-config --cflags $pkgs)
# shellcheck disable=SC2086
pkg_libs="$(pkg-config --libs $pkgs) -lm -pthread"
core_src=$(ls module/core/*.c | sort)

# Sanitizer settings shared by both runs.  allocator_may_return_null makes
# an impossible malloc return NULL as glibc's does, so orgfig's "out of
# memory" paths are exercised instead of ASan aborting.
asan_common="halt_on_error=1:abort_on_error=0:allocator_may_return_null=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:exitcode=86"
# halt_on_error=0 lets only the recoverable check (float-cast-overflow)
# continue; every other UBSan check is compiled not to recover and stops.
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=0:exitcode=87"
LSAN_OPTIONS="suppressions=$(pwd)/tools/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS LSAN_OPTIONS

# Run "$@", show its output, and fail if any sanitizer reported anything
# (also a recovered report, or one in a child process such as the
# -module-assertions Emacs) even when the exit status says success.
run_checked() {
    log=$(mktemp)
    "$@" >"$log" 2>&1
    rc=$?
    cat "$log"
    if grep -qE 'runtime error:|ERROR: (AddressSanitizer|LeakSanitizer)' "$log"; then
        echo "asan: sanitizer reports above (exit status $rc)"
        [ "$rc" = 0 ] && rc=1
    fi
    rm -f "$log"
    return "$rc"
}

case "$what" in
core)
    mkdir -p "$dir"
    # shellcheck disable=SC2086
    $cc $cflags $pkg_cflags -o "$dir/test-core" tests/c/*.c $core_src $pkg_libs || {
        echo "asan: building $dir/test-core failed"
        exit 2
    }
    # Fault injection runs every allocation; ASan is fast enough for that.
    ASAN_OPTIONS="$asan_common:detect_leaks=1" run_checked "$dir/test-core"
    ;;
ert)
    mkdir -p "$dir/lisp"
    # shellcheck disable=SC2086
    $cc $cflags -fPIC -shared -fvisibility=hidden $pkg_cflags \
        -o "$dir/lisp/orgfig-module.so" module/orgfig-module.c $core_src $pkg_libs || {
        echo "asan: building $dir/lisp/orgfig-module.so failed"
        exit 2
    }
    rm -f "$dir"/lisp/*.el "$dir"/lisp/*.elc
    cp lisp/*.el "$dir/lisp/"
    runtime=$($cc -print-file-name=libasan.so)
    if [ ! -f "$runtime" ]; then
        echo "asan: no ASan runtime ($runtime); install gcc's libasan"
        exit 2
    fi
    # Emacs is not built with ASan, so only the module is instrumented;
    # its leaks at exit are Emacs's, hence detect_leaks=0.  Children that
    # the tests start (emacs -module-assertions) inherit the preload.
    ASAN_OPTIONS="$asan_common:detect_leaks=0" LD_PRELOAD="$runtime" \
        ORGFIG_TEST_SANITIZED=1 \
        run_checked "$emacs" -Q --batch -L "$dir/lisp" -L tests/lisp -l tests/run-tests.el \
        -f orgfig-test-run-batch tests/lisp ${ORGFIG_TEST_SELECTOR:-}
    ;;
*)
    echo "usage: tools/asan.sh core|ert" >&2
    exit 2
    ;;
esac
