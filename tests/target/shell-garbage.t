#!/usr/bin/env python3
"""The shell survives junk: an unknown command, an over-long line and a line
of control and high bytes; `cpus` still answers after each."""
import sys
sys.dont_write_bytecode = True
import targetlib as t

LONG = b"x" * 4000
# Every byte 0x01-0x1f and 0x7f-0xff except the line ends CR and LF.
BINARY = bytes(b for b in list(range(0x01, 0x20)) + list(range(0x7f, 0x100))
               if b not in (0x0a, 0x0d))

tap = t.Tap()
run = t.run_qemu(t.test_name(), ["--smp", "2"], timeout=120, cmds_bytes=[
    b"xyzzy", b"cpus", LONG, b"cpus", BINARY, b"cpus", b"poweroff"])

unknown = t.first_line(run, r"unknown command: xyzzy")
tap.ok(unknown is not None, "unknown command gives 'unknown command: xyzzy'")
answers = t.cpus_answers(run, after=unknown or 0)
tap.ok(len(answers) >= 1, "`cpus` answers after the unknown command")
after_first = answers[0]["line"] + 1 if answers else 0
too_long = t.first_line(run, r"line too long", after=after_first)
tap.ok(too_long is not None, "a 4000-character line gives 'line too long'")
later = t.cpus_answers(run, after=too_long or after_first)
tap.ok(len(later) >= 1, "`cpus` answers after the long line")
tap.ok(len(later) >= 2, "`cpus` answers after the line of binary bytes")
if later:
    tap.ok(later[-1]["online"] == "0-1", "online mask unchanged by the junk",
           diag=[f"got 'online: {later[-1]['online']}'"])
tap.ok(run.rc == 0, f"poweroff, qemu/run {run.outcome()}")
t.finish_run(tap, run, 0)
sys.exit(tap.done())
