#!/bin/sh
# tools/summary.sh RESULTS-DIR - sum every suite's result and print the
# final "N passed, N failed" line; fail when anything failed.
dir=$1
passed=0; failed=0
for f in "$dir"/*; do
    case "$f" in *.log) continue ;; esac
    [ -f "$f" ] || continue
    line=$(cat "$f")
    echo "  $line"
    p=$(echo "$line" | sed -E 's/^[^:]*: ([0-9]+) passed.*/\1/')
    q=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    passed=$((passed + p)); failed=$((failed + q))
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
