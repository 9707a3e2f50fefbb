#!/usr/bin/env python3
"""`topology` and `domains`: the levels, spans and groups QEMU's cpu-map
gives (one cluster; two clusters; two sockets; one CPU)."""
import sys
sys.dont_write_bytecode = True
import targetlib as t

CONFIGS = [
    ("smp1", ["--smp", "1"], ["cpu0: no domains"]),
    ("smp4", ["--smp", "4"], ["cpu2: MC span 0-3 groups {2} {3} {0} {1}"]),
    ("smp8-clusters2", ["--smp", "8", "--smp-topo", "clusters=2"],
     ["cpu0: package 0 cluster 0 core 0 capacity 1024",
      "cpu5: package 0 cluster 1 core 1 capacity 1024",
      "cpu2: MC span 0-3 groups {2} {3} {0} {1}",
      "cpu2: PKG span 0-7 groups {0-3} {4-7}",
      "cpu5: PKG span 0-7 groups {4-7} {0-3}"]),
    ("smp8-sockets2", ["--smp", "8", "--smp-topo", "sockets=2"],
     ["cpu6: package 1 cluster 1 core 2 capacity 1024",
      "cpu6: MC span 4-7 groups {6} {7} {4} {5}",
      "cpu6: SYS span 0-7 groups {4-7} {0-3}"]),
]

tap = t.Tap()
for label, args, lines in CONFIGS:
    before = tap.failed
    run = t.run_qemu(f"{t.test_name()}-{label}",
                     args + ["--cmds", "topology; domains; poweroff"], timeout=120)
    out = run.output.replace("\r", "").split("\n")
    for line in lines:
        tap.ok(line in out, f"{label}: '{line}'")
    tap.ok(any(l.startswith("rebuilds 1, ") for l in out), f"{label}: one rebuild at boot")
    tap.ok(run.rc == 0, f"{label}: poweroff, qemu/run {run.outcome()}")
    t.finish_run(tap, run, before)
sys.exit(tap.done())
