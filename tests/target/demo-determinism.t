#!/usr/bin/env python3
"""`make demo`'s scenario (scripts/demo.cmds through rondo.run, under
qemu/run --icount-nosleep) run twice: both runs must dump the same trace
byte for byte, so a student's trace matches the one in docs/trace.md, and
the trace must hold the scheduler events the scenario makes."""
import filecmp
import os
import re
import subprocess
import sys
sys.dont_write_bytecode = True
import targetlib as t

tap = t.Tap()
outs = [os.path.join(t.REPO, "build", "demo-check", tag) for tag in ("run1", "run2")]
for out in outs:
    p = subprocess.run([os.path.join(t.REPO, "scripts", "demo"), "--no-render", "--out", out,
                        "--timeout", "300"], stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=400)
    tap.ok(p.returncode == 0, f"scripts/demo --no-render ({os.path.basename(out)}) exits 0",
           diag=p.stderr.splitlines()[-15:])
traces = [os.path.join(o, "trace.txt") for o in outs]
if all(os.path.isfile(f) for f in traces):
    same = filecmp.cmp(traces[0], traces[1], shallow=False)
    diag = []
    if not same:
        a, b = (open(f).read().splitlines() for f in traces)
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        diag = [f"first difference at line {first + 1}:",
                "run1: " + (a[first] if first < len(a) else "(end)"),
                "run2: " + (b[first] if first < len(b) else "(end)")]
    tap.ok(same, "the two traces are byte-identical", diag=diag)
    text = open(traces[0]).read()
    tap.ok(text.startswith("# tracer: nop\n"), "the trace starts with ftrace's header")
    for ev in ("sched_switch", "sched_wakeup", "sched_wakeup_new", "sched_migrate_task",
               "ipi_raise", "ipi_entry", "cpuhp_enter", "cpuhp_exit"):
        tap.ok(re.search(rf"\] \S{{5}} +\d+\.\d{{6}}: {ev}: ", text) is not None,
               f"the trace has {ev} events")
    for reason in ("hotplug", "periodic|newidle|nohz|active"):
        tap.ok(re.search(rf"sched_migrate_task: .* reason=({reason})$", text, re.M) is not None,
               f"the trace has a migration with reason {reason}")
    tap.ok(re.search(r"cpuhp_exit: +cpu: 0002 +state: +0 ", text) is not None
           and re.search(r"cpuhp_exit: +cpu: 0002 +state: +12 ", text) is not None,
           "the trace shows CPU 2 reaching offline (0) and online (12) again")
else:
    tap.ok(False, "both runs wrote out/trace.txt", diag=[str(traces)])
sys.exit(tap.done())
