#!/usr/bin/env python3
"""`spawn 8 spin` on 4 CPUs: wake-up placement spreads the 8 spinners 2 per
CPU and the load balancer keeps them so (it finds nothing to fix);
`top -n 1` shows every CPU busy with PELT load and util columns, and `ps`
shows each spinner making progress on its CPU."""
import re
import sys
sys.dont_write_bytecode = True
import targetlib as t

SPINNERS, CPUS = 8, 4
PS_RE = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(-?\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s*$")
TOP_RE = re.compile(r"^(\d+)\s+(active|online|offline)\s+(\d+)\s+(\d+)%\s+(\S+)\s+(\d+)\s+(\d+)\s*$")

tap = t.Tap()
run = t.run_qemu(t.test_name(), ["--smp", str(CPUS), "--cmds",
                                 f"spawn {SPINNERS} spin; top -n 1; ps; poweroff"], timeout=120)
lines = run.lines()

spawned = [l for l in lines if re.match(r"^spawned \d+ spin$", l)]
tap.ok(len(spawned) == SPINNERS, f"spawn printed {SPINNERS} 'spawned PID spin' lines",
       diag=[f"got {len(spawned)}"])

# top: one row per CPU, after the header.
start = t.first_line(run, r"^CPU\s+STATE\s+NR_RUNNING\s+BUSY%")
top = {}
if start is not None:
    for l in lines[start + 1:start + 1 + CPUS]:
        m = TOP_RE.match(l)
        if m:
            top[int(m.group(1))] = (m.group(2), int(m.group(3)), int(m.group(4)), int(m.group(7)))
tap.ok(sorted(top) == list(range(CPUS)), "top -n 1: a row for each CPU",
       diag=[f"rows for CPUs {sorted(top)}"])
for cpu in range(CPUS):
    state, nr, busy, util = top.get(cpu, ("?", 0, 0, 0))
    # Two spinners each (three where the shell itself sits); PELT util
    # has had the whole spawn + top window to rise towards 1024.
    tap.ok(state == "active" and nr >= 2 and busy >= 90 and util > 256,
           f"top: cpu{cpu} active, at least 2 runnable, busy >= 90%, util > 256",
           diag=[f"got {state}, nr_running {nr}, busy {busy}%, util {util}"])

# ps: the spinners, where they are and whether they ran.
start = t.first_line(run, r"^\s*PID\s+CPU\s+STATE\s+AFFINITY")
spin = []
if start is not None:
    for l in lines[start + 1:]:
        m = PS_RE.match(l)
        if not m:
            if l.startswith("rondo>"):
                break
            continue
        if m.group(9) == "spin":
            spin.append({"pid": int(m.group(1)), "cpu": int(m.group(2)), "state": m.group(3),
                         "aff": m.group(4), "progress": int(m.group(8))})
tap.ok(len(spin) == SPINNERS, f"ps lists {SPINNERS} spin tasks", diag=[f"got {len(spin)}"])
per_cpu = [sum(1 for s in spin if s["cpu"] == c) for c in range(CPUS)]
tap.ok(per_cpu == [SPINNERS // CPUS] * CPUS,
       f"spinners spread {SPINNERS // CPUS} per CPU",
       diag=[f"spinners per CPU: {per_cpu}"])
tap.ok(all(s["state"] in ("running", "runnable") for s in spin), "every spinner is runnable",
       diag=[f"{s['pid']}: {s['state']}" for s in spin])
tap.ok(all(s["aff"] == f"0-{CPUS - 1}" for s in spin), f"every spinner may run on 0-{CPUS - 1}",
       diag=[f"{s['pid']}: {s['aff']}" for s in spin])
tap.ok(all(s["progress"] > 0 for s in spin), "every spinner has made progress",
       diag=[f"{s['pid']}: {s['progress']}" for s in spin])
tap.ok(run.rc == 0, f"poweroff, qemu/run {run.outcome()}")
t.finish_run(tap, run, 0)
sys.exit(tap.done())
