#!/bin/sh
# tools/format-check.sh - each C file must already be formatted by
# clang-format with the repo's .clang-format.  Prints "format: N passed,
# N failed".
passed=0; failed=0
for f in module/*.c module/core/*.[ch] tests/c/*.[ch] tests/fuzz/*.c bench/*.c; do
    [ -f "$f" ] || continue
    if clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); echo "FAIL format $f (run: make format)"
    fi
done
echo "format: $passed passed, $failed failed"
[ "$failed" = 0 ]
