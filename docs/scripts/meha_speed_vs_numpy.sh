#!/usr/bin/env bash
# MEHA on FashionMNIST hyper-cleaning: bilevel4j (bench meha, double and single precision) against the
# independent numpy implementation (meha_cleaning_numpy.py, float32 and float64), alternating in rounds
# so that both see the same machine, then the medians and the ratios to numpy's float32 iteration.
#
# Usage, from the repository root (needs numpy):  docs/scripts/meha_speed_vs_numpy.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
rounds="${1:-3}"
log="$(mktemp "${TMPDIR:-/tmp}/meha-speed.XXXXXX")"
reports="$(mktemp -d "${TMPDIR:-/tmp}/meha-speed-reports.XXXXXX")"  # bench meha's report folder
trap 'rm -rf "$log" "$reports"' EXIT
for ((r = 1; r <= rounds; r++)); do
  ./bilevel4j bench meha --dataset fashion-mnist --rounds 3 --out "$reports/meha" 2>/dev/null \
    | awk '/matrix products through/ {p = ($0 ~ /single precision/) ? "single" : "double"}
           /seconds per MEHA iteration/ {gsub(/[()]/, ""); print "bilevel4j-" p, $(NF-1)}' >> "$log"
  for dt in float32 float64; do
    python3 docs/scripts/meha_cleaning_numpy.py --dtype "$dt" --iters 170 \
      | awk -v dt="$dt" '{for (i = 1; i <= NF; i++) if ($(i+1) == "ms") {print "numpy-" dt, $i; exit}}' >> "$log"
  done
  echo "round $r of $rounds done" >&2
done
python3 - "$log" <<'PY'
import sys, statistics
runs = {}
for line in open(sys.argv[1]):
    k, v = line.split()
    runs.setdefault(k, []).append(float(v))
ref = statistics.median(runs['numpy-float32'])
print(f"{'MEHA iteration, FashionMNIST hyper-cleaning':44s} {'median ms':>10s} {'all rounds':>30s} {'/ numpy float32':>16s}")
for k in ('bilevel4j-double', 'bilevel4j-single', 'numpy-float32', 'numpy-float64'):
    v = runs[k]
    print(f"{k:44s} {statistics.median(v):10.2f} {' '.join(f'{x:.1f}' for x in v):>30s} {statistics.median(v) / ref:16.2f}")
PY
