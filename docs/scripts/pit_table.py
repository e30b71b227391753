#!/usr/bin/env python3
"""Per-package table of a PIT run: reads core/ and apps/ target/pit-reports/mutations.xml
(written by `mvn -P mutation verify`) and prints mutants, killed %, survived, not covered,
timed out. Killed % counts KILLED, TIMED_OUT and MEMORY_ERROR as killed, as PIT's own score does.
Usage: python3 docs/scripts/pit_table.py [REPORT_XML ...]"""
import collections
import os
import sys
import xml.etree.ElementTree as ET

files = sys.argv[1:] or [p for p in ("core/target/pit-reports/mutations.xml",
                                      "apps/target/pit-reports/mutations.xml") if os.path.exists(p)]
rows = collections.OrderedDict()
for f in files:
    for m in ET.parse(f).getroot():
        cls = m.find("mutatedClass").text
        pkg = cls.rsplit(".", 1)[0].replace("org.bilevel4j.", "")
        st = m.get("status")
        c = rows.setdefault(pkg, collections.Counter())
        c["all"] += 1
        c[st] += 1
print("| package | mutants | killed | survived | not covered | timed out |")
print("|---|---:|---:|---:|---:|---:|")
tot = collections.Counter()
for pkg in sorted(rows):
    c = rows[pkg]
    tot.update(c)
    killed = c["KILLED"] + c["TIMED_OUT"] + c["MEMORY_ERROR"]
    print(f"| {pkg} | {c['all']} | {100 * killed / c['all']:.0f}% | {c['SURVIVED']} | {c['NO_COVERAGE']} | "
          f"{c['TIMED_OUT']} |")
if tot["all"]:
    killed = tot["KILLED"] + tot["TIMED_OUT"] + tot["MEMORY_ERROR"]
    print(f"| all | {tot['all']} | {100 * killed / tot['all']:.0f}% | {tot['SURVIVED']} | {tot['NO_COVERAGE']} | "
          f"{tot['TIMED_OUT']} |")
