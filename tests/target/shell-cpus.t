#!/usr/bin/env python3
"""`cpus` after a normal boot lists every CPU in all four masks."""
import sys
sys.dont_write_bytecode = True
import targetlib as t

CONFIGS = [
    ("smp1", ["--smp", "1"], "0"),
    ("smp4", ["--smp", "4"], "0-3"),
    ("smp8", ["--smp", "8"], "0-7"),
    ("gic3-smp64", ["--gic", "3", "--smp", "64"], "0-63"),
]

tap = t.Tap()
for label, args, cpulist in CONFIGS:
    before = tap.failed
    run = t.run_qemu(f"{t.test_name()}-{label}", args + ["--cmds", "cpus; poweroff"],
                     timeout=120)
    t.check_cpus(tap, run, label, {k: cpulist for k in
                                   ("possible", "present", "online", "active")})
    tap.ok(run.rc == 0, f"{label}: poweroff, qemu/run {run.outcome()}")
    t.finish_run(tap, run, before)
sys.exit(tap.done())
