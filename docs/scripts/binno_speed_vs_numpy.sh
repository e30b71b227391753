#!/usr/bin/env bash
# BINNO and the video baselines (NMF, robust PCA, stable PCP): bilevel4j (bench binno, bench rpca) against
# the numpy transcriptions (binno_numpy.py, video_baselines_numpy.py), alternating in rounds so that both
# see the same machine; then the medians and Java / numpy.
#
# numpy runs twice per round, with OpenBLAS's default threads and with OPENBLAS_NUM_THREADS=1 (on two shared
# cores the threaded BLAS is often slower at these thin shapes); the reference is the faster of the two
# medians. "binnogram large" compares the same Java iteration with the numpy transcription run with
# bilevel4j's rule for H (--h gram: no m x n residual at 76800 x 500); "binno" uses the plain transcription
# (H from the m x n residual at every size). OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (set in some environments, they slow numpy down) are unset
# for the numpy runs only.
#
# Usage, from the repository root (needs numpy):
#   docs/scripts/binno_speed_vs_numpy.sh [ROUNDS] [binno|baselines|all]       (default: 3 all)
# BINNO sizes: 100 x 80 r = 5 (demo), 2304 x 51 r = 9 (traffic), 20800 x 198 r = 9 (escalator),
# 76800 x 500 r = 10 (large); baselines at 2304 x 51 and 20800 x 198.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
rounds="${1:-3}"
part="${2:-all}"
log="$(mktemp "${TMPDIR:-/tmp}/binno-speed.XXXXXX")"
reports="$(mktemp -d "${TMPDIR:-/tmp}/binno-speed-reports.XXXXXX")"  # the bench commands' report folders
trap 'rm -rf "$log" "$reports"' EXIT
np() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@"; }
np1() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 "$@"; }
ms() { awk '{for (i = 1; i <= NF; i++) if ($(i+1) == "ms") {print $i; exit}}'; }

declare -A shape=([demo]="100 80 5 2000 200" [traffic]="2304 51 9 400 50" [escalator]="20800 198 9 60 5"
  [large]="76800 500 10 8 2")
declare -A clip=([traffic]="48 48 51 40 10" [escalator]="130 160 198 8 2")

for ((round = 1; round <= rounds; round++)); do
  if [[ "$part" != baselines ]]; then
    # each size in a process of its own, as a run of `bilevel4j factorize` meets it: in one process the first
    # size's calls decide how C2 compiles the kernels that the next sizes run (see performance.md, fourteenth pass)
    for s in demo traffic escalator large; do
      ./bilevel4j bench binno --sizes "$s" --out "$reports/binno" 2>/dev/null \
        | awk '$1 ~ /^(demo|traffic|escalator|large)$/ && NF == 9 {
            print "java-binno-" $1, $5 * 1000; print "floor-ratio-" $1, $9}' >> "$log"
    done
    for s in demo traffic escalator large; do
      read -r m n r it wu <<< "${shape[$s]}"
      echo "numpy-binno-$s $(np python3 docs/scripts/binno_numpy.py --m "$m" --n "$n" --r "$r" --iters "$it" --warmup "$wu" | ms)" >> "$log"
      echo "numpy1-binno-$s $(np1 python3 docs/scripts/binno_numpy.py --m "$m" --n "$n" --r "$r" --iters "$it" --warmup "$wu" | ms)" >> "$log"
    done
    # the large size also with bilevel4j's rule for H (the Gram identity, no m x n temporary)
    read -r m n r it wu <<< "${shape[large]}"
    echo "numpy-binnogram-large $(np python3 docs/scripts/binno_numpy.py --h gram --m "$m" --n "$n" --r "$r" --iters "$it" --warmup "$wu" | ms)" >> "$log"
    echo "numpy1-binnogram-large $(np1 python3 docs/scripts/binno_numpy.py --h gram --m "$m" --n "$n" --r "$r" --iters "$it" --warmup "$wu" | ms)" >> "$log"
  fi
  if [[ "$part" != binno ]]; then
    for s in traffic escalator; do
      read -r h w f it wu <<< "${clip[$s]}"
      for meth in nmf rpca pcp; do
        ./bilevel4j bench rpca --size "$s" --method "$meth" --bandwidth-mib 64 --out "$reports/rpca" 2>/dev/null \
          | awk -v k="java-$meth-$s" -v s="$s" '$1 == s && NF == 8 {print k, $4 * 1000}' >> "$log"
        echo "numpy-$meth-$s $(np python3 docs/scripts/video_baselines_numpy.py --method "$meth" --height "$h" --width "$w" --frames "$f" --iters "$it" --warmup "$wu" | ms)" >> "$log"
        echo "numpy1-$meth-$s $(np1 python3 docs/scripts/video_baselines_numpy.py --method "$meth" --height "$h" --width "$w" --frames "$f" --iters "$it" --warmup "$wu" | ms)" >> "$log"
      done
    done
  fi
  echo "round $round of $rounds done ($(uptime | sed 's/.*load/load/'))" >&2
done
python3 - "$log" <<'PY'
import sys, statistics
runs = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 2:
        runs.setdefault(parts[0], []).append(float(parts[1]))
med = {k: statistics.median(v) for k, v in runs.items()}
print(f"{'iteration':24s} {'Java ms':>10s} {'numpy ms':>10s} {'numpy 1t ms':>12s} {'Java / numpy':>13s}   Java rounds (ms)")
if 'java-binno-large' in runs:
    runs['java-binnogram-large'] = runs['java-binno-large']
    med['java-binnogram-large'] = med['java-binno-large']
for method in ('binno', 'binnogram', 'nmf', 'rpca', 'pcp'):
    for size in ('demo', 'traffic', 'escalator', 'large'):
        j = f"java-{method}-{size}"
        if j not in med:
            continue
        a, b = med.get(f"numpy-{method}-{size}"), med.get(f"numpy1-{method}-{size}")
        ref = min(x for x in (a, b) if x is not None)
        print(f"{method + ' ' + size:24s} {med[j]:10.4g} {a:10.4g} {b:12.4g} {med[j] / ref:13.2f}   "
              + ' '.join(f'{x:.4g}' for x in runs[j]))
for size in ('demo', 'traffic', 'escalator', 'large'):
    k = f"floor-ratio-{size}"
    if k in med:
        print(f"BINNO {size}: iteration / floor of bench binno (median of rounds) {med[k]:.2f}")
PY
