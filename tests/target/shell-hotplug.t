#!/usr/bin/env python3
"""CPU hotplug from the shell (issue acceptance), on virt (PSCI CPU_OFF /
CPU_ON) and raspi4b (spin-table: the kernel's own holding loop):
`spawn 8 spin; offline 2; cpus; ps; online 2; sleep 1; cpus; ps`.  After
the offline the masks read 0-1,3 and all eight spinners live on CPUs 0, 1
and 3; after the online the masks read 0-3 and the balancer has put two
spinners on every CPU again.  Then the refusals: bad numbers, CPUs that
are not there, double offline and online, the last active CPU."""
import re
import sys
sys.dont_write_bytecode = True
import targetlib as t

PS_RE = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(-?\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s*$")
ACCEPT = "spawn 8 spin; offline 2; cpus; ps; online 2; sleep 1; cpus; ps; poweroff"


def spinners(run, after):
    """The spin rows of the first `ps` at or after line `after`."""
    lines = run.lines()
    start = t.first_line(run, r"^\s*PID\s+CPU\s+STATE\s+AFFINITY", after)
    rows = []
    if start is None:
        return rows, len(lines)
    for i in range(start + 1, len(lines)):
        m = PS_RE.match(lines[i])
        if not m:
            if lines[i].startswith("rondo>"):
                return rows, i
            continue
        if m.group(9) == "spin":
            rows.append({"pid": int(m.group(1)), "cpu": int(m.group(2)), "state": m.group(3),
                         "progress": int(m.group(8))})
    return rows, len(lines)


def acceptance(tap, board_args, label):
    failed = tap.failed
    run = t.run_qemu(f"{t.test_name()}-{label}", board_args + ["--cmds", ACCEPT], timeout=180)
    answers = t.cpus_answers(run)
    tap.ok(len(answers) == 2, f"{label}: `cpus` answered after the offline and after the online",
           diag=[f"got {len(answers)} answers"])
    if len(answers) == 2:
        for key in ("online", "active"):
            tap.ok(answers[0][key] == "0-1,3", f"{label}: after offline 2, {key}: 0-1,3",
                   diag=[f"got {answers[0][key]}"])
            tap.ok(answers[1][key] == "0-3", f"{label}: after online 2, {key}: 0-3",
                   diag=[f"got {answers[1][key]}"])
    first, end = spinners(run, answers[0]["line"] if answers else 0)
    tap.ok(len(first) == 8 and all(s["state"] in ("running", "runnable") for s in first),
           f"{label}: all 8 spinners alive after the offline", diag=[str(first)])
    tap.ok(all(s["cpu"] in (0, 1, 3) for s in first), f"{label}: none left on CPU 2",
           diag=[f"{s['pid']} on cpu{s['cpu']}" for s in first])
    second, _ = spinners(run, end)
    per_cpu = [sum(1 for s in second if s["cpu"] == c) for c in range(4)]
    tap.ok(len(second) == 8 and per_cpu == [2, 2, 2, 2],
           f"{label}: after the online the balancer put two spinners on every CPU",
           diag=[f"spinners per CPU: {per_cpu}"])
    moved_on = {s["pid"]: s["progress"] for s in first}
    tap.ok(all(s["progress"] > moved_on.get(s["pid"], 0) for s in second),
           f"{label}: every spinner made progress across the online",
           diag=[f"{s['pid']}: {moved_on.get(s['pid'])} -> {s['progress']}" for s in second])
    tap.ok(run.rc == 0, f"{label}: poweroff, qemu/run {run.outcome()}")
    t.finish_run(tap, run, failed)


def refusals(tap):
    failed = tap.failed
    cmds = "offline x; offline 9; online 64; offline 1; offline 1; online 0; offline 0; cpus; online 1; cpus; poweroff"
    run = t.run_qemu(f"{t.test_name()}-refusals", ["--smp", "2", "--cmds", cmds], timeout=120)
    out = run.output
    for pattern, what in [
        (r"offline: 'x' is not a CPU number", "a bad number is refused"),
        (r"offline: CPU9 is not present", "a CPU that is not there is refused"),
        (r"online: '64' is not a CPU number", "a number past NR_CPUS is refused"),
        (r"CPU1 offline in \d+ us", "offline 1 works"),
        (r"offline: CPU1 is already offline", "a double offline is refused"),
        (r"online: CPU0 is already online", "a double online is refused"),
        (r"offline: CPU0 is the last active CPU", "the last active CPU stays"),
        (r"CPU1 online in \d+ us", "online 1 works"),
    ]:
        tap.ok(re.search(pattern, out) is not None, what, diag=[f"no line matching /{pattern}/"])
    answers = t.cpus_answers(run)
    tap.ok(len(answers) == 2 and answers[0]["active"] == "0" and answers[1]["active"] == "0-1",
           "masks: active 0 with CPU1 down, 0-1 after it came back",
           diag=[str(a) for a in answers])
    tap.ok(run.rc == 0, f"refusals: the shell kept answering; qemu/run {run.outcome()}")
    t.finish_run(tap, run, failed)


tap = t.Tap()
acceptance(tap, ["--smp", "4"], "virt")
acceptance(tap, ["--board", "rpi4"], "rpi4")
refusals(tap)
sys.exit(tap.done())
