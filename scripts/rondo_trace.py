"""Read a trace in Linux's ftrace text format (Rondo's `trace dump`, or
Linux's /sys/kernel/tracing/trace) into events and a per-CPU model: which
task ran when on each CPU, wake-ups, migrations, IPIs, balancing and the
hotplug state of each CPU.  Used by scripts/trace2json and scripts/timeline;
docs/trace.md describes the format.  Times are integer microseconds, as
printed (secs.usecs)."""

import re

# "<comm>-<pid> [(<tgid>)] [<cpu>] [<flags>] <secs>.<usecs>: <event>: <args>"
# The comm may itself contain '-', so the pid is the last "-digits" before
# the CPU column.  Linux's optional TGID column and 4-character flags of
# older kernels are accepted too.
LINE_RE = re.compile(
    r"^\s*(?P<comm>.*?)-(?P<pid>\d+)\s+(?:\(\s*[\d-]+\)\s+)?\[(?P<cpu>\d+)\]\s+"
    r"(?:(?P<flags>[a-zA-Z0-9.]{4,5})\s+)?(?P<secs>\d+)\.(?P<usecs>\d{6}):\s+"
    r"(?P<event>\w+):\s?(?P<args>.*)$")

SWITCH_RE = re.compile(
    r"prev_comm=(?P<prev_comm>.*?) prev_pid=(?P<prev_pid>-?\d+) prev_prio=(?P<prev_prio>-?\d+) "
    r"prev_state=(?P<prev_state>\S+) ==> next_comm=(?P<next_comm>.*?) "
    r"next_pid=(?P<next_pid>-?\d+) next_prio=(?P<next_prio>-?\d+)\s*$")
WAKEUP_RE = re.compile(
    r"comm=(?P<comm>.*?) pid=(?P<pid>\d+) prio=(?P<prio>-?\d+)(?: success=\d+)? "
    r"target_cpu=(?P<target_cpu>\d+)")
MIGRATE_RE = re.compile(
    r"comm=(?P<comm>.*?) pid=(?P<pid>\d+) prio=(?P<prio>-?\d+) orig_cpu=(?P<orig_cpu>\d+) "
    r"dest_cpu=(?P<dest_cpu>\d+)(?: reason=(?P<reason>\S+))?")
CPUHP_ENTER_RE = re.compile(
    r"cpu:\s*(?P<cpu>\d+)\s+target:\s*(?P<target>-?\d+)\s+step:\s*(?P<step>-?\d+)\s+"
    r"\((?P<name>.*)\)")
CPUHP_EXIT_RE = re.compile(
    r"cpu:\s*(?P<cpu>\d+)\s+state:\s*(?P<state>-?\d+)\s+step:\s*(?P<step>-?\d+)\s+"
    r"ret:\s*(?P<ret>-?\d+)")
IPI_RAISE_RE = re.compile(r"target_mask=(?P<mask>[0-9a-fA-F,]+) \((?P<reason>.*)\)")
IPI_HANDLER_RE = re.compile(r"\((?P<reason>.*)\)")
KV_RE = re.compile(r"(\w+)=(\S+)")

INT_FIELDS = {"pid", "prio", "target_cpu", "orig_cpu", "dest_cpu", "prev_pid", "prev_prio",
              "next_pid", "next_prio", "cpu", "target", "step", "state", "ret", "level",
              "busiest", "imbalance", "moved", "ilb_cpu"}

EVENT_PATTERNS = {
    "sched_switch": SWITCH_RE,
    "sched_wakeup": WAKEUP_RE,
    "sched_wakeup_new": WAKEUP_RE,
    "sched_waking": WAKEUP_RE,
    "sched_migrate_task": MIGRATE_RE,
    "cpuhp_enter": CPUHP_ENTER_RE,
    "cpuhp_multi_enter": CPUHP_ENTER_RE,
    "cpuhp_exit": CPUHP_EXIT_RE,
    "ipi_raise": IPI_RAISE_RE,
    "ipi_entry": IPI_HANDLER_RE,
    "ipi_exit": IPI_HANDLER_RE,
}


class TraceError(Exception):
    pass


def _convert(fields):
    out = {}
    for k, v in fields.items():
        if v is None:
            continue
        if k in INT_FIELDS:
            try:
                v = int(v)
            except ValueError:
                pass
        out[k] = v
    return out


def mask_cpus(mask):
    """Linux's bitmask text ("00000000,00000006") to a sorted CPU list."""
    value = int(mask.replace(",", ""), 16)
    return [i for i in range(value.bit_length()) if value >> i & 1]


def parse_line(line):
    """One event as a dict (ts in us, cpu, comm, pid, flags, event, fields),
    None for comments and blank lines; TraceError for anything else."""
    line = line.rstrip("\r\n")
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    m = LINE_RE.match(line)
    if not m:
        raise TraceError(f"not a trace line: {line!r}")
    ev = {"ts": int(m["secs"]) * 1000000 + int(m["usecs"]), "cpu": int(m["cpu"]),
          "comm": m["comm"].strip(), "pid": int(m["pid"]), "flags": m["flags"] or "",
          "event": m["event"], "args": m["args"]}
    pat = EVENT_PATTERNS.get(ev["event"])
    if pat is not None:
        fm = pat.search(ev["args"])
        if not fm:
            raise TraceError(f"cannot read the fields of {ev['event']}: {line!r}")
        ev["fields"] = _convert(fm.groupdict())
    else:
        # Our own events (sched_balance, sched_kick_ilb, cpu_stop) and any
        # other: key=value pairs.
        ev["fields"] = _convert(dict(KV_RE.findall(ev["args"])))
    if ev["event"] == "ipi_raise":
        ev["fields"]["cpus"] = mask_cpus(ev["fields"]["mask"])
    return ev


def parse(text):
    """All events of a trace text, in file order (which is time order)."""
    events = []
    for n, line in enumerate(text.splitlines(), 1):
        try:
            ev = parse_line(line)
        except TraceError as e:
            raise TraceError(f"line {n}: {e}") from None
        if ev is not None:
            events.append(ev)
    return events


def task_key(comm, pid):
    return f"{comm}-{pid}"


class Model:
    """What the events say, per CPU:
    slices:      [(cpu, start, end, comm, pid, prio, end_state)] tasks on CPUs (idle left out)
    wakeups:     [(ts, target_cpu, comm, pid, new)]
    migrations:  [(ts, orig, dest, comm, pid, reason, src_ts, dst_ts)] where src_ts/dst_ts
                 are the end of the task's last slice on orig and the start of its next one
                 on dest (None if the trace has none)
    hp_calls:    [(cpu, start, end, name, step, ret)] hotplug callbacks
    hp_spans:    [(cpu, start, end, kind)] kind "offline" (state 0) or "changing"
    balances, ilb_kicks, ipis: the events themselves."""

    def __init__(self, events):
        self.events = events
        self.t0 = events[0]["ts"] if events else 0
        self.t1 = events[-1]["ts"] if events else 0
        self.cpus = sorted({e["cpu"] for e in events} |
                           {e["fields"].get("cpu") for e in events
                            if e["event"].startswith("cpuhp_")} - {None})
        self.slices, self.wakeups, self.migrations = [], [], []
        self.hp_calls, self.hp_spans = [], []
        self.balances = [e for e in events if e["event"] == "sched_balance"]
        self.ilb_kicks = [e for e in events if e["event"] == "sched_kick_ilb"]
        self.ipis = [e for e in events if e["event"].startswith("ipi_")]
        self._build_slices()
        self._build_migrations()
        self._build_hotplug()

    def _build_slices(self):
        running = {}   # cpu -> (start, comm, pid, prio)
        for e in self.events:
            f = e["fields"]
            if e["event"] in ("sched_wakeup", "sched_wakeup_new"):
                self.wakeups.append((e["ts"], f["target_cpu"], f["comm"], f["pid"],
                                     e["event"] == "sched_wakeup_new"))
            if e["event"] != "sched_switch":
                continue
            cpu = e["cpu"]
            start = running[cpu][0] if cpu in running else self.t0
            if f["prev_pid"] != 0:
                self.slices.append((cpu, start, e["ts"], f["prev_comm"], f["prev_pid"],
                                    f["prev_prio"], f["prev_state"]))
            running[cpu] = (e["ts"], f["next_comm"], f["next_pid"], f["next_prio"])
        for cpu, (start, comm, pid, prio) in sorted(running.items()):
            if pid != 0:
                self.slices.append((cpu, start, self.t1, comm, pid, prio, "running"))
        self.slices.sort(key=lambda s: (s[1], s[0]))

    def _build_migrations(self):
        by_task = {}
        for s in self.slices:
            by_task.setdefault(s[4], []).append(s)
        for e in self.events:
            if e["event"] != "sched_migrate_task":
                continue
            f = e["fields"]
            mine = by_task.get(f["pid"], [])
            before = [s for s in mine if s[0] == f["orig_cpu"] and s[2] <= e["ts"]]
            after = [s for s in mine if s[0] == f["dest_cpu"] and s[1] >= e["ts"]]
            src = before[-1][2] if before else None
            dst = after[0][1] if after else None
            self.migrations.append((e["ts"], f["orig_cpu"], f["dest_cpu"], f["comm"],
                                    f["pid"], f.get("reason", "-"), src, dst))

    def _build_hotplug(self):
        open_calls = {}    # (cpu, step) -> (start, name)
        changing = {}      # cpu -> start of the operation in progress
        offline = {}       # cpu -> start of its offline time
        for e in self.events:
            f = e["fields"]
            if e["event"] in ("cpuhp_enter", "cpuhp_multi_enter"):
                cpu = f["cpu"]
                open_calls[(cpu, f["step"])] = (e["ts"], f["name"])
                if cpu in offline:
                    self.hp_spans.append((cpu, offline.pop(cpu), e["ts"], "offline"))
                changing.setdefault(cpu, (e["ts"], f["target"]))
            elif e["event"] == "cpuhp_exit":
                cpu = f["cpu"]
                start, name = open_calls.pop((cpu, f["step"]), (e["ts"], "?"))
                self.hp_calls.append((cpu, start, e["ts"], name, f["step"], f["ret"]))
                if cpu in changing and f["state"] == changing[cpu][1]:
                    self.hp_spans.append((cpu, changing.pop(cpu)[0], e["ts"], "changing"))
                    if f["state"] == 0:
                        offline[cpu] = e["ts"]
        for cpu, (start, _) in changing.items():
            self.hp_spans.append((cpu, start, self.t1, "changing"))
        for cpu, start in offline.items():
            self.hp_spans.append((cpu, start, self.t1, "offline"))
        self.hp_spans.sort(key=lambda s: (s[1], s[0]))


def load(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return Model(parse(f.read()))
