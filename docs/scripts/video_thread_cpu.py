#!/usr/bin/env python3
"""Where the CPU time of a cold `bilevel4j video` run goes, by thread (Linux only: reads /proc).

Runs `java -jar cli/target/bilevel4j.jar video` on the traffic clip (demo.avi, all four methods, defaults)
RUNS times as a whole process, reads every thread's user + system time from /proc/<pid>/task/<tid>/stat
every 50 ms while it runs (the last reading of each thread counts), and prints per run: the wall seconds,
the CPU seconds of all threads, and the CPU seconds by group: the methods' threads (bilevel4j-video-*),
the kernels' helper threads (bilevel4j-gemm-*), the JIT's compiler threads (C2, C1), the garbage
collector's, and the main thread ("java"). Then each method's seconds from report.json, and from its
trace the seconds of the first 250 iterations against the rest (the warm-up: interpreted and C1 code, the
compiler busy on the other core).

Unlike -XX:+CITime or JFR's compilation events, which time the compile tasks by the wall clock (and so
count the time a compiler thread waits for a core), these are the threads' own CPU seconds.

Usage, from the repository root (needs ../shared/data/lrslibrary_video/demo.avi, or BILEVEL4J_DATA
pointing at the data folder; builds the jar through ./bilevel4j when it is missing or stale):
    python3 docs/scripts/video_thread_cpu.py [RUNS]        (default: 3)
"""
import collections
import csv
import json
import os
import subprocess
import sys
import tempfile
import time


def groups(name):
    if name.startswith("bilevel4j-video"):
        return "methods"
    if name.startswith("bilevel4j-gemm"):
        return "helpers"
    if name.startswith("C2 "):
        return "C2"
    if name.startswith("C1 "):
        return "C1"
    if "GC" in name or name.startswith("G1"):
        return "GC"
    if name == "java":
        return "main"
    return "other"


def run_once(jar, clip, out):
    cmd = ["java", "--add-modules", "jdk.incubator.vector", "-jar", jar, "video", "--input", clip,
           "--out", out, "--quiet"]
    tick = os.sysconf("SC_CLK_TCK")
    last = {}
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while proc.poll() is None:
        try:
            tids = os.listdir("/proc/%d/task" % proc.pid)
        except OSError:
            tids = []
        for tid in tids:
            try:
                with open("/proc/%d/task/%s/stat" % (proc.pid, tid)) as f:
                    s = f.read()
            except OSError:
                continue
            name = s[s.index("(") + 1:s.rindex(")")]
            fields = s[s.rindex(")") + 2:].split()
            last[tid] = (name, (int(fields[11]) + int(fields[12])) / tick)
        time.sleep(0.05)
    wall = time.time() - start
    err = proc.stderr.read().decode(errors="replace")
    if proc.returncode != 0:
        sys.exit("video_thread_cpu.py: the video command exited %d: %s" % (proc.returncode, err.strip()))
    cpu = collections.defaultdict(float)
    for name, seconds in last.values():
        cpu[groups(name)] += seconds
    return wall, cpu


def warmup(out, method):
    with open(os.path.join(out, "trace_%s.csv" % method)) as f:
        rows = [(float(r["iteration"]), float(r["seconds"])) for r in csv.DictReader(f)]
    first = [s for it, s in rows if it <= 250]
    if not first or rows[-1][0] <= 250:
        return "%d iterations" % rows[-1][0]
    return "first 250 iterations %.2f s, the other %d %.2f s" % (first[-1], rows[-1][0] - 250,
                                                                 rows[-1][1] - first[-1])


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    os.chdir(root)
    data = os.environ.get("BILEVEL4J_DATA", "../shared/data")
    clip = os.path.join(data, "lrslibrary_video", "demo.avi")
    if not os.path.isfile(clip):
        sys.exit("video_thread_cpu.py: no clip at %s (set BILEVEL4J_DATA)" % clip)
    if not os.path.isdir("/proc/self/task"):
        sys.exit("video_thread_cpu.py: needs Linux's /proc")
    subprocess.run(["./bilevel4j", "--version"], check=True, stdout=subprocess.DEVNULL)
    jar = "cli/target/bilevel4j.jar"
    order = ["methods", "helpers", "C2", "C1", "GC", "main", "other"]
    with tempfile.TemporaryDirectory(prefix="video-cpu.") as tmp:
        for k in range(runs):
            out = os.path.join(tmp, "run%d" % k)
            wall, cpu = run_once(jar, clip, out)
            print("run %d: wall %.2f s, CPU %.2f s: %s" % (k + 1, wall, sum(cpu.values()),
                  ", ".join("%s %.2f" % (g, cpu[g]) for g in order if cpu.get(g, 0.0) > 0.0)))
            with open(os.path.join(out, "report.json")) as f:
                report = json.load(f)
            for r in report["results"]:
                print("  %-5s %6.2f s, PSNR %.4f dB; %s" % (r["method"], r["seconds"], r["psnr"],
                                                          warmup(out, r["method"])))


if __name__ == "__main__":
    main()
