#!/usr/bin/env bash
# How much of `bilevel4j video`'s wall time is the JVM warming up: the command on the traffic clip
# (demo.avi, all four methods, defaults) as a whole process, twice, then RUNS times in one JVM (VideoRepeat.java),
# where the first run loads the classes and compiles the kernels while it runs and the later ones run on
# compiled code. Prints each run's wall seconds and every method's seconds from its report.json, and the
# JIT's compile time over the repeated runs (-XX:+CITime: C1 and C2, standard and on-stack-replacement
# compilations; wall times of the compile tasks, which stretch when the compiler thread shares the cores).
#
# Usage, from the repository root (needs python3 and ../shared/data/lrslibrary_video/demo.avi, or
# BILEVEL4J_DATA pointing at the data folder):
#   docs/scripts/video_cold_vs_warm.sh [RUNS]        (default: 3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs="${1:-3}"
data="${BILEVEL4J_DATA:-../shared/data}"
input="$data/lrslibrary_video/demo.avi"
[[ -f "$input" ]] || { echo "video_cold_vs_warm.sh: no clip at $input (set BILEVEL4J_DATA)" >&2; exit 2; }
./bilevel4j --version > /dev/null # builds cli/target/bilevel4j.jar when it is missing or stale
jar=cli/target/bilevel4j.jar
tmp="$(mktemp -d "${TMPDIR:-/tmp}/video-warm.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
javac -d "$tmp/classes" -cp "$jar" docs/scripts/VideoRepeat.java
methods() {
  python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print("  ".join("%s %.2f s" % (x["method"], x["seconds"]) for x in r["results"]))' "$1/report.json"
}

# twice as a process, for the spread between processes (with BILEVEL4J_CDS=1 the first run after a build also
# writes the launcher's class-data archive, which the second uses: README, "A command pays for its JVM's
# warm-up")
for p in 1 2; do
  start=$(date +%s.%N)
  ./bilevel4j video --input "$input" --out "$tmp/process$p" --quiet 2> /dev/null
  end=$(date +%s.%N)
  printf 'one process (./bilevel4j video) %d: %s s   %s\n' "$p" \
    "$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.2f", e - s}')" "$(methods "$tmp/process$p")"
done

java --add-modules jdk.incubator.vector -XX:+CITime -cp "$jar:$tmp/classes" VideoRepeat "$runs" "$input" \
  "$tmp/repeat" > "$tmp/repeat.log" 2> /dev/null
for ((i = 1; i <= runs; i++)); do
  wall=$(awk -v r="run $i:" 'index($0, r) == 1 {print $3}' "$tmp/repeat.log")
  printf 'one JVM, run %d:                    %s s   %s\n' "$i" "$wall" "$(methods "$tmp/repeat/run$i")"
done
awk '$1 ~ /^C[12]$/ && $2 == "{speed:" {
  for (i = 1; i <= NF; i++) { if ($i == "standard:") s = $(i + 1); if ($i == "osr:") o = $(i + 1) }
  printf "JIT over the %d runs: %s %s s standard, %s s on-stack replacement\n", runs, $1, s, o }' runs="$runs" "$tmp/repeat.log"
