#!/usr/bin/env python3
"""rondo.run="...": the boot script runs through the shell's dispatcher with
nobody typing: each command echoed after a prompt, a bad command gives its
usual error and the script goes on, `sleep` takes fractions and rejects
garbage, and the last command powers off."""
import re
import sys
sys.dont_write_bytecode = True
import targetlib as t

tap = t.Tap()
script = "cpus; bogus; sleep 0.25; sleep x; trace on; trace dump; poweroff"
run = t.run_qemu(t.test_name(), ["--smp", "2", "--append", f'rondo.run="{script}"'], timeout=120)
lines = run.lines()
tap.ok(any("command line: rondo.run=\"" + script + "\"" in l for l in lines),
       "the quotes reach the kernel through QEMU's -append")
last = 0
for cmd in [c.strip() for c in script.split(";")]:
    i = t.first_line(run, "^" + re.escape("rondo> " + cmd) + "$", after=last)
    tap.ok(i is not None, f"'{cmd}' is echoed after a prompt, in order")
    last = i if i is not None else last
t.check_cpus(tap, run, "cpus", {"online": "0-1", "active": "0-1"})
tap.ok(t.first_line(run, r"^unknown command: bogus") is not None,
       "a bad command gives its usual error and the script goes on")
tap.ok(t.first_line(run, r"^usage: sleep SECONDS") is not None, "sleep x is rejected")
tap.ok(t.first_line(run, r"^# tracer: nop$") is not None, "trace dump prints ftrace's header")
tap.ok(run.rc == 0, f"qemu/run finished: {run.outcome()}")
t.finish_run(tap, run, 0)
sys.exit(tap.done())
