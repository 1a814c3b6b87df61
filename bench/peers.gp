# bench/peers.gp - gnuplot side of `make bench-peers'.
#
# Usage: gnuplot -e "dir='/tmp/orgfig-bench/'; wl='line_1m'; reps=5" bench/peers.gp
#
# Renders workload WL REPS times to an 800x600 pngcairo file in DIR, from
# the float64 little-endian files bench/bench.el wrote there (the same
# numbers orgfig and matplotlib plot), and prints one "REP <ms>" line per
# rep on stdout.  As in the peers' notes (peer-bench.md), a rep is timed
# with gnuplot's own time(0.0) around `set output', `plot' and `unset
# output', so it includes reading and parsing the data file.  many_figs
# prints one "TOTAL <ms>" line for 1000 plots in this one process.

set terminal pngcairo size 800,600
set print "-"
out = dir.'gp_'.wl.'.png'
f = dir.wl.'.bin'

# viridis, 9 stops, as in the peers' notes.
set palette defined (0 '#440154', 1 '#472c7a', 2 '#3b518b', 3 '#2c718e', \
                     4 '#21908d', 5 '#27ad81', 6 '#5cc863', 7 '#aadc32', 8 '#fde725')

kind = wl[1:strstrt(wl, '_') - 1]
cmd = ''
if (kind eq 'line') {
    cmd = "plot f binary format='%float64%float64' using 1:2 with lines lw 1 notitle"
}
if (kind eq 'scatter') {
    cmd = "plot f binary format='%float64%float64' using 1:2 with points pt 7 ps 0.2 notitle"
}
if (kind eq 'hist') {
    set style fill solid
    cmd = "plot f binary format='%float64' using 1 bins=50 with boxes notitle"
}
if (kind eq 'heatmap') {
    cmd = "plot f binary array=(1000,1000) flipy format='%float64' with image notitle"
}
if (kind eq 'bar') {
    set style fill solid
    set boxwidth 0.8
    set xtics rotate by 45 right
    f = dir.wl.'.txt'
    cmd = "plot f using 2:xtic(1) with boxes notitle"
}

if (kind eq 'many') {
    t0 = time(0.0)
    do for [i=0:999] {
        set output out
        plot f binary format='%float64' record=100 skip=i*800 using 0:1 with lines lw 1 notitle
        unset output
    }
    t1 = time(0.0)
    print sprintf("TOTAL %.3f", (t1 - t0) * 1000.0)
} else {
    if (cmd eq '') {
        print 'ERROR unknown workload '.wl
        exit status 2
    }
    do for [r=1:reps] {
        t0 = time(0.0)
        set output out
        eval cmd
        unset output
        t1 = time(0.0)
        print sprintf("REP %.3f", (t1 - t0) * 1000.0)
    }
}
