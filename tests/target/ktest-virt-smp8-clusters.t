#!/usr/bin/env python3
"""The balancer across clusters: QEMU virt, 8 CPUs as two clusters of four
(-smp 8,clusters=2: QEMU's DT cpu-map), so every CPU has two domain levels
(MC inside its cluster, one across both) and the spread must cross them."""
import re
import sys
sys.dont_write_bytecode = True
import targetlib

SUITES = "balance,sched_topology,nohz,sched"


def two_levels(tap, run):
    m = re.search(r"# cpu\d+ sched domain levels: (\d+) \(([^)]*)\)", run.output)
    tap.ok(m is not None and m.group(1) == "2",
           "balance: two sched domain levels with clusters=2",
           diag=[m.group(0) if m else "no 'sched domain levels' note in the output"])
    m = re.search(r"# spread of (\d+) spinners over (\d+) CPUs", run.output)
    tap.ok(m is not None and m.group(2) == "8", "balance: the spread ran over all 8 CPUs",
           diag=[m.group(0) if m else "no 'spread of' note in the output"])


targetlib.ktest_main(['--smp', '8', '--smp-topo', 'clusters=2'], timeout=180,
                     extra=two_levels, suites=SUITES)
