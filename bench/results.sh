#!/bin/sh
# bench/results.sh - run `make bench' and `make bench-peers' and write
# bench/RESULTS.md from their output: the date, the machine (nproc,
# free -h, load average before each run), the commands and the tables
# exactly as the runs printed them.  Usage: sh bench/results.sh
set -u
cd "$(dirname "$0")/.." || exit 1
out=bench/RESULTS.md
tmp=$(mktemp -d)
# Other processes often share the machine; as root, run the benchmarks at
# a higher CPU priority (both orgfig and the peers inherit it).
nice=""
if [ "$(id -u)" -eq 0 ] && [ "${ORGFIG_BENCH_NICE:-yes}" = yes ]; then
    nice="nice -n -10"
fi
machine() {
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- memory (free -h):"
    echo
    echo '```'
    free -h
    echo '```'
}
{
    echo "# orgfig benchmark results"
    echo
    echo "Written by \`sh bench/results.sh\` from the output of the two runs below;"
    echo "the tables are the runs' own output, unedited.  Other processes may share"
    echo "the machine: compare wall ms with the CPU ms column and the load average."
    echo
    echo "Kernel: $(uname -r); $(emacs --version | head -1)"
    echo
    echo "## make bench"
    echo
    machine
    echo
    echo "Command: \`${nice:+$nice }make bench\` ="
    echo "\`emacs -Q --batch -L lisp -l bench/bench.el -f orgfig-bench-batch\`"
    echo
} > "$tmp/head"
$nice make --no-print-directory bench > "$tmp/bench.out" 2> "$tmp/bench.err"
rc1=$?
{
    echo
    echo "## make bench-peers"
    echo
    machine
    echo
    echo "Command: \`${nice:+$nice }make bench-peers\` ="
    echo "\`sh bench/peers-deps.sh\` then"
    echo "\`emacs -Q --batch -L lisp -l bench/bench.el -f orgfig-bench-peers-batch\`"
    echo
} > "$tmp/head2"
if [ "${ORGFIG_BENCH_NO_PEERS:-}" = "" ]; then
    $nice make --no-print-directory bench-peers > "$tmp/peers.out" 2> "$tmp/peers.err"
    rc2=$?
else
    echo "(skipped)" > "$tmp/peers.out"; rc2=0
fi
{
    cat "$tmp/head"
    grep -v '^emacs -Q\|^make\[' "$tmp/bench.out" | sed -n '/^## /,$p'
    [ $rc1 -eq 0 ] || { echo; echo "make bench exited with $rc1:"; tail -20 "$tmp/bench.err"; }
    cat "$tmp/head2"
    grep -v '^emacs -Q\|^make\[' "$tmp/peers.out" | sed -n '/^## /,$p'
    [ $rc2 -eq 0 ] || { echo; echo "make bench-peers exited with $rc2:"; tail -20 "$tmp/peers.err"; }
} > "$out"
echo "wrote $out (make bench: $rc1, make bench-peers: $rc2)"
rm -rf "$tmp"
