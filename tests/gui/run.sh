#!/bin/sh
# tests/gui/run.sh [EMACS] - run tests/gui/test-gui-*.el in a graphical
# Emacs on a private Xvfb display.  The GUI Emacs writes its results to a
# file (its stdout goes nowhere useful); this script prints the details
# and, last, exactly one line "gui: N passed, N failed".  It exits
# non-zero when a test fails, when Emacs crashes or when it hangs: after
# $ORGFIG_GUI_TIMEOUT seconds (default 300) Emacs is killed and the run
# counts as one failure.
EMACS=${1:-emacs}
TIMEOUT=${ORGFIG_GUI_TIMEOUT:-300}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/orgfig-gui.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
result="$work/result"
log="$work/log"

if ! command -v xvfb-run >/dev/null 2>&1; then
    echo "tests/gui: xvfb-run not found (Debian package xvfb)" >&2
    echo "gui: 0 passed, 1 failed"
    exit 1
fi

# timeout runs inside xvfb-run so the killed process is Emacs itself and
# xvfb-run then stops its Xvfb; the outer timeout is a last resort.
timeout -k 10 $((TIMEOUT + 30)) \
  xvfb-run -a -s "-screen 0 1280x1024x24" \
  timeout -k 5 "$TIMEOUT" \
  "$EMACS" -Q -L "$root/lisp" -L "$root/tests/lisp" -L "$root/tests/gui" \
  -l "$root/tests/gui/gui-run.el" \
  --eval "(orgfig-gui-run \"$root/tests/gui\" \"$result\" \"$log\")" \
  >"$work/stdout" 2>&1
rc=$?

[ -s "$log" ] && cat "$log"
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "tests/gui: Emacs did not finish within ${TIMEOUT}s and was killed" >&2
fi
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$result" 2>/dev/null | tail -n 1)
if [ -z "$line" ]; then
    echo "tests/gui: no result (exit status $rc); Emacs output:" >&2
    tail -n 30 "$work/stdout" >&2
    echo "gui: 0 passed, 1 failed"
    exit 1
fi
if [ "$rc" != 0 ] && echo "$line" | grep -q ' 0 failed$'; then
    echo "tests/gui: Emacs exited $rc although no test failed" >&2
    line=$(echo "$line" | sed 's/ 0 failed$/ 1 failed/')
fi
echo "gui: $line"
[ "$rc" = 0 ] && echo "$line" | grep -q ' 0 failed$'
