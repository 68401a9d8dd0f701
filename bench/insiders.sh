#!/usr/bin/env bash
# Must-show 3 of issue 14 (docs/security.md, "Insiders"): 50 members for 10 minutes with
# no, one and three Byzantine members (sim/experiments/insiders_*_10min.toml), a real
# crash of honest member 10 at 300 s, over five seeds. Prints per run and per variant:
# failed events about honest members (false dead), the most suspected events one honest
# member raised about another, accusations dropped, and the crash's detection median
# over honest observers, with its ratio to the run without Byzantine members.
#
#   bench/insiders.sh                 # SEEDS="501 502 503 504 505"
#   SEEDS="7 8" JOBS=1 bench/insiders.sh
#
# Environment: SEEDS, JOBS (parallel runs, default 2), SIM (default build/sim/swell-sim).
# Build first: meson compile -C build sim/swell-sim. Runs `nice -n 19`.
set -euo pipefail
cd "$(dirname "$0")/.."
export SIM=${SIM:-build/sim/swell-sim}
export JOBS=${JOBS:-2}
export SEEDS=${SEEDS:-501 502 503 504 505}
[ -x "$SIM" ] || { echo "build $SIM first (see the header of $0)" >&2; exit 2; }
exec python3 - <<'PY'
import json, os, statistics, subprocess, time
from concurrent.futures import ThreadPoolExecutor

SIM, JOBS, SEEDS = os.environ["SIM"], int(os.environ["JOBS"]), [int(s) for s in os.environ["SEEDS"].split()]
VARIANTS = {  # name: (file, Byzantine members)
    "none": ("sim/experiments/insiders_none_10min.toml", []),
    "one": ("sim/experiments/insiders_one_10min.toml", [49]),
    "three": ("sim/experiments/insiders_three_10min.toml", [47, 48, 49]),
}
VICTIM, CRASH_AT_S = 10, 300.0

def run(variant, seed):
    path, liars = VARIANTS[variant]
    start = time.time()
    out = subprocess.run(["nice", "-n", "19", SIM, "--scenario", path, "--seed", str(seed), "--no-wall-time"],
                         capture_output=True, text=True)
    report = json.loads(out.stdout)
    honest = lambda i: i not in liars
    detections, false_dead, pairs = {}, 0, {}
    for t_us, observer, kind, subject, _inc in report["transcript"]:
        if not honest(observer) or not honest(subject):
            continue
        if subject == VICTIM:
            if kind == "failed" and t_us / 1e6 >= CRASH_AT_S and observer not in detections:
                detections[observer] = t_us / 1e6 - CRASH_AT_S
            continue
        if kind == "failed":
            false_dead += 1
        if kind == "suspected":
            pairs[(observer, subject)] = pairs.get((observer, subject), 0) + 1
    honest_observers = [i for i in range(report["nodes"]) if honest(i) and i != VICTIM]
    return {
        "variant": variant, "seed": seed, "ok": report["ok"],
        "false_dead_honest": false_dead,
        "max_suspected_per_pair": max(pairs.values(), default=0),
        "suspected_per_honest_observer": sum(pairs.values()) / len(honest_observers),
        "accusations_dropped": report["node_stats_of_up_members"].get("accusations_dropped", 0),
        "detected_by": f"{len(detections)}/{len(honest_observers)}",
        "detect_median_s": statistics.median(detections.values()) if detections else None,
        "wall_s": round(time.time() - start, 1),
    }

jobs = [(v, s) for v in VARIANTS for s in SEEDS]
with ThreadPoolExecutor(JOBS) as pool:
    rows = list(pool.map(lambda j: run(*j), jobs))
cols = ["variant", "seed", "ok", "false_dead_honest", "max_suspected_per_pair", "suspected_per_honest_observer",
        "accusations_dropped", "detected_by", "detect_median_s", "wall_s"]
print("| " + " | ".join(cols) + " |")
print("|" + "---|" * len(cols))
for r in rows:
    print("| " + " | ".join(f"{r[c]:.3f}" if isinstance(r[c], float) else str(r[c]) for c in cols) + " |")
base = {r["seed"]: r["detect_median_s"] for r in rows if r["variant"] == "none"}
print()
print("| variant | runs ok | false dead (sum) | max suspected per pair | detect median, median over seeds (s) | worst ratio to none, same seed |")
print("|---|---|---|---|---|---|")
for v in VARIANTS:
    rs = [r for r in rows if r["variant"] == v]
    meds = [r["detect_median_s"] for r in rs if r["detect_median_s"] is not None]
    ratios = [r["detect_median_s"] / base[r["seed"]] for r in rs if r["detect_median_s"] and base.get(r["seed"])]
    print(f"| {v} | {sum(r['ok'] for r in rs)}/{len(rs)} | {sum(r['false_dead_honest'] for r in rs)} | "
          f"{max(r['max_suspected_per_pair'] for r in rs)} | "
          f"{statistics.median(meds) if meds else float('nan'):.3f} | {max(ratios) if ratios else float('nan'):.2f} |")
PY
