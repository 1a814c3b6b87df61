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
result="$work/result"
log="$work/log"

if ! command -v Xvfb >/dev/null 2>&1; then
    echo "tests/gui: Xvfb not found (Debian package xvfb)" >&2
    echo "gui: 0 passed, 1 failed"
    exit 1
fi

# Start Xvfb on a display no other server uses: try numbers from a
# per-process start, skip those with a lock file or socket, and keep the
# first server that stays up (one that finds its display busy exits).
xvfb=
trap : USR1
n=$((200 + $$ % 500))
tries=0
while [ -z "$xvfb" ] && [ $tries -lt 20 ]; do
    tries=$((tries + 1)); n=$((n + 1))
    if [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; then continue; fi
    # Like xvfb-run: an Xvfb started with SIGUSR1 ignored sends SIGUSR1
    # to its parent once it accepts connections; `wait' returns then (or
    # when Xvfb exits, or after 10 s thanks to the sleeper).  -noreset:
    # without it the server resets when its last client leaves, and a
    # client connecting during the reset fails or hangs.
    (trap '' USR1; exec Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp -noreset \
        >"$work/xvfb.log" 2>&1) &
    pid=$!
    (sleep 10; kill -USR1 $$ 2>/dev/null) &
    sleeper=$!
    wait $pid
    kill $sleeper 2>/dev/null
    if kill -0 $pid 2>/dev/null && [ -e "/tmp/.X11-unix/X$n" ]; then
        xvfb=$pid
    else
        kill $pid 2>/dev/null
    fi
done
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT INT TERM
if [ -z "$xvfb" ]; then
    echo "tests/gui: Xvfb did not start:" >&2
    cat "$work/xvfb.log" >&2
    echo "gui: 0 passed, 1 failed"
    exit 1
fi
echo "$n" >"$work/display"
DISPLAY=:$(cat "$work/display"); export DISPLAY
unset WAYLAND_DISPLAY

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
    echo "tests/gui: no result (exit status $rc); Xvfb log:" >&2
    cat "$work/xvfb.log" >&2
    echo "tests/gui: Emacs output:" >&2
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
