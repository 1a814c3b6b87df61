#!/bin/sh
# bench/peers-deps.sh - install the peers `make bench-peers' compares
# orgfig with (Debian's matplotlib, numpy and gnuplot) and GNU time, but
# only the missing ones, and say what is installed.  Uses sudo when not
# root.  orgfig's own dependencies are tools/deps.sh's business.
set -eu
want="python3-matplotlib python3-numpy gnuplot-nox time"
missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    echo "bench-peers: peers installed ($want)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "bench-peers: please install:$missing" >&2
    exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "bench-peers: installing:$missing"
$sudo apt-get install -y --no-install-recommends $missing
