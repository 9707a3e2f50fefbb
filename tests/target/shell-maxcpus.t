#!/usr/bin/env python3
"""Boot arguments that limit SMP: maxcpus=N and nosmp."""
import sys
sys.dont_write_bytecode = True
import targetlib as t

CONFIGS = [
    ("maxcpus2", ["--smp", "8", "--append", "maxcpus=2"],
     {"possible": "0-7", "present": "0-7", "online": "0-1", "active": "0-1"}),
    ("nosmp", ["--smp", "4", "--append", "nosmp"],
     {"online": "0", "active": "0"}),
]

tap = t.Tap()
for label, args, expect in CONFIGS:
    before = tap.failed
    run = t.run_qemu(f"{t.test_name()}-{label}", args + ["--cmds", "cpus; poweroff"],
                     timeout=120)
    t.check_cpus(tap, run, label, expect)
    tap.ok(run.rc == 0, f"{label}: poweroff, qemu/run {run.outcome()}")
    t.finish_run(tap, run, before)
sys.exit(tap.done())
