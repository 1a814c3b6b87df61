#!/bin/sh
# tools/run-suite.sh NAME RESULTS-DIR COMMAND... - run one test suite and
# record its "N passed, N failed" line in RESULTS-DIR/NAME.  A suite that
# crashes or prints no such line is recorded as one failure, so a broken
# suite can never pass silently.
name=$1; dir=$2; shift 2
log="$dir/$name.log"
"$@" >"$log" 2>&1
rc=$?
cat "$log"
line=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 | sed 's/^[a-z-]*: //')
if [ -z "$line" ]; then
    echo "$name: suite exited $rc without a result line" >&2
    line="0 passed, 1 failed"
elif [ "$rc" != 0 ] && echo "$line" | grep -q ' 0 failed'; then
    echo "$name: suite exited $rc although no test failed" >&2
    line=$(echo "$line" | sed 's/ 0 failed/ 1 failed/')
fi
echo "$name: $line" >"$dir/$name"
[ "$rc" = 0 ]
