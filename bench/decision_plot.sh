#!/bin/sh
# Regenerates docs/images/decision.png from the JSON line of `swell-sim compare`
# (docs/decision.md). Needs python3 and gnuplot-nox (Debian).
#
#   build/sim/swell-sim compare --sizes 5,10,20,25,50,100,200 --loss 0,0.2 --seeds 3 \
#       --format json > docs/decision.json
#   bench/decision_plot.sh docs/decision.json docs/images/decision.png
set -eu
json=${1:-docs/decision.json}
png=${2:-docs/images/decision.png}
data=$(mktemp)
trap 'rm -f "$data"' EXIT
# One row per (nodes, loss, mode): nodes, detect median, bytes/node/s.
python3 - "$json" > "$data" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
for loss in sorted({r["loss"] for r in rows}):
    for mode in ("majority", "swim"):
        print(f'"{mode}, loss {loss:g}"')
        for r in rows:
            if r["loss"] == loss and r["mode"] == mode:
                d = r["detect_median_s"]
                print(r["nodes"], "nan" if d is None else d, r["bytes_per_node_per_s"])
        print(); print()
PY
blocks=$(grep -c '^"' "$data")
gnuplot <<GP
set terminal pngcairo size 1100,450 font ",10" noenhanced
set output "$png"
set multiplot layout 1,2 title "swell-sim compare: majority mode vs SWIM mode (median over seeds)"
set logscale x
set xlabel "cluster size (members)"
set key top left
set grid
set ylabel "crash detection, median observer (s)"
plot for [i=0:$blocks-1] "$data" index i using 1:2 with linespoints title columnheader(1)
set ylabel "bytes sent per member per second"
set logscale y
plot for [i=0:$blocks-1] "$data" index i using 1:3 with linespoints title columnheader(1)
unset multiplot
GP
echo "wrote $png"
