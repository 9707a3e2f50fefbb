#!/usr/bin/python3
"""Host tests of scripts/trace2json and scripts/timeline on traces kept in
tests/host/data/: trace-demo.txt, recorded from our kernel by `make demo`,
and trace-cpuhp.txt, hand-written in the documented format for the hotplug
and balancing events that no code records yet.  TAP output.

Debian's /usr/bin/python3 on purpose: it is the Python that
python3-matplotlib is installed for.  Without matplotlib the PNG checks
are skipped, saying so."""

import importlib.util
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "scripts")
DATA = os.path.join(ROOT, "tests", "host", "data")
sys.path.insert(0, SCRIPTS)
import rondo_trace  # noqa: E402

DEMO = os.path.join(DATA, "trace-demo.txt")
CPUHP = os.path.join(DATA, "trace-cpuhp.txt")
ALL_EVENTS = {"sched_switch", "sched_wakeup", "sched_wakeup_new", "sched_migrate_task",
              "cpu_stop", "ipi_raise", "ipi_entry", "ipi_exit", "cpuhp_enter", "cpuhp_exit",
              "sched_balance", "sched_kick_ilb"}
n = 0
failed = 0


def ok(cond, desc, diag=(), skip=None):
    global n, failed
    n += 1
    if skip:
        print(f"ok {n} - {desc} # SKIP {skip}")
        return True
    print(f"{'ok' if cond else 'not ok'} {n} - {desc}")
    if not cond:
        failed += 1
        for line in diag:
            print(f"# {line}")
    sys.stdout.flush()
    return cond


def tool(name, *args):
    return subprocess.run([os.path.join(SCRIPTS, name)] + list(args), capture_output=True,
                          text=True, timeout=120)


def check_parsing():
    demo = rondo_trace.load(DEMO)
    hp = rondo_trace.load(CPUHP)
    seen = {e["event"] for e in demo.events} | {e["event"] for e in hp.events}
    ok(seen >= ALL_EVENTS, "every event type is parsed from the two traces",
       [f"missing: {sorted(ALL_EVENTS - seen)}"])
    ok({e["event"] for e in demo.events} >= {"sched_switch", "sched_wakeup",
                                               "sched_wakeup_new", "sched_migrate_task",
                                               "ipi_raise", "ipi_entry", "ipi_exit"},
       "the recorded trace has switches, wake-ups, migrations and IPIs")
    sw = next(e for e in hp.events if e["event"] == "sched_switch" and e["fields"]["prev_pid"] == 8)
    ok(sw["fields"] == {"prev_comm": "spin", "prev_pid": 8, "prev_prio": 120, "prev_state": "R+",
                        "next_comm": "migration/2", "next_pid": 3, "next_prio": 0},
       "sched_switch fields", [str(sw["fields"])])
    ok(sw["comm"] == "spin" and sw["pid"] == 8 and sw["cpu"] == 2 and sw["ts"] == 1100050
       and sw["flags"] == "d..1.", "context columns: comm-pid, [cpu], flags, secs.usecs",
       [str(sw)])
    enter = next(e for e in hp.events if e["event"] == "cpuhp_enter")
    ok(enter["fields"] == {"cpu": 2, "target": 0, "step": 6, "name": "sched_cpu_deactivate"},
       "cpuhp_enter fields", [str(enter["fields"])])
    ex = next(e for e in hp.events if e["event"] == "cpuhp_exit")
    ok(ex["fields"] == {"cpu": 2, "state": 5, "step": 6, "ret": 0}, "cpuhp_exit fields",
       [str(ex["fields"])])
    raise_ = next(e for e in hp.events if e["event"] == "ipi_raise")
    ok(raise_["fields"]["cpus"] == [3] and raise_["fields"]["reason"] == "Rescheduling interrupts",
       "ipi_raise: target mask and reason", [str(raise_["fields"])])
    bal = next(e for e in hp.events if e["event"] == "sched_balance")
    ok(bal["fields"] == {"cpu": 2, "domain": "MC", "level": 0, "idle": "idle", "busiest": 3,
                         "imbalance": 1024, "moved": 1}, "sched_balance fields",
       [str(bal["fields"])])
    mig = [e for e in demo.events if e["event"] == "sched_migrate_task"]
    ok(all(e["fields"].get("reason") for e in mig) and
       {e["fields"]["reason"] for e in mig} >= {"new", "wakeup", "affinity"},
       "recorded migrations carry reasons new, wakeup and affinity",
       [str(sorted({e["fields"].get("reason") for e in mig}))])
    linux = ("          <idle>-0       [001] d..2.   123.456789: sched_switch: prev_comm=swapper/1 "
             "prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=kworker/1:1 next_pid=42 "
             "next_prio=120")
    e = rondo_trace.parse_line(linux)
    ok(e["ts"] == 123456789 and e["fields"]["next_comm"] == "kworker/1:1",
       "a Linux sched_switch line parses the same way", [str(e)])
    try:
        rondo_trace.parse("# tracer: nop\nthis is not a trace line\n")
        bad = False
    except rondo_trace.TraceError:
        bad = True
    ok(bad, "a line that is not a trace line is an error")


def check_json(path, tmp, label):
    out = os.path.join(tmp, label + ".json")
    r = tool("trace2json", path, "-o", out)
    if not ok(r.returncode == 0, f"{label}: trace2json exits 0", [r.stderr]):
        return None
    with open(out) as f:
        doc = json.load(f)
    ev = doc.get("traceEvents", [])
    missing = [e for e in ev if not all(k in e for k in ("ph", "ts", "pid", "tid", "name"))]
    ok(ev and not missing, f"{label}: every event has ph, ts, pid, tid, name",
       [str(m) for m in missing[:3]])
    bad_x = [e for e in ev if e["ph"] == "X" and not (isinstance(e.get("dur"), (int, float))
                                                      and e["dur"] >= 0)]
    ok(not bad_x, f"{label}: every complete slice (X) has a dur >= 0", [str(b) for b in bad_x[:3]])
    ok(all(e["ph"] in "XisfMC" for e in ev), f"{label}: only X, i, s, f, M phases",
       [str(sorted({e['ph'] for e in ev}))])
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in ev
             if e["ph"] == "M" and e["name"] == "thread_name"}
    model = rondo_trace.load(path)
    ok(all(names.get((0, c)) == f"CPU {c}" for c in model.cpus),
       f"{label}: a named track (tid) per CPU", [str(names)])
    return doc, model


def check_flows(doc, model, label):
    ev = doc["traceEvents"]
    starts = {e["id"]: e for e in ev if e["ph"] == "s"}
    ends = {e["id"]: e for e in ev if e["ph"] == "f"}
    ok(len(starts) == len(model.migrations) and starts.keys() == ends.keys(),
       f"{label}: each of {len(model.migrations)} migrations is one flow arrow (s -> f)",
       [f"{len(starts)} starts, {len(ends)} ends"])
    wrong = [i for i, s in starts.items()
             if (s["tid"], ends[i]["tid"]) != (s["args"]["orig_cpu"], s["args"]["dest_cpu"])
             or ends[i]["ts"] < s["ts"] or not s["args"].get("reason")]
    ok(not wrong, f"{label}: arrows go from the old CPU's track to the new one's, forward in "
       "time, with the reason", [str(starts[i]) for i in wrong[:3]])


def check_hotplug_json(doc):
    ev = doc["traceEvents"]
    offline = [e for e in ev if e["ph"] == "X" and e["pid"] == 1 and e["name"] == "offline"]
    ok(len(offline) == 1 and offline[0]["tid"] == 2 and offline[0]["dur"] == 1300000 - 1100190,
       "cpuhp: CPU 2's offline time is one slice on its hotplug track", [str(offline)])
    calls = [e["name"] for e in ev if e["ph"] == "X" and e["pid"] == 1
             and e["name"] not in ("offline", "changing")]
    ok(calls == ["sched_cpu_deactivate", "sched_cpu_migrate", "stop_machine_dying",
                 "psci_cpu_off", "psci_cpu_on", "sched_cpu_activate"],
       "cpuhp: each callback is a slice named by its state", [str(calls)])
    bal = [e for e in ev if e["pid"] == 2 and e["name"] in ("sched_balance", "sched_kick_ilb")]
    ok(len(bal) == 3, "balancing events on the balancing tracks", [str(bal)])


def pixel_matches(img, x, y, color, tol=0.08):
    h, w = img.shape[0], img.shape[1]
    if not (0 <= x < w and 0 <= y < h):
        return False
    want = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    got = img[int(y)][int(x)][:3]
    return all(abs(float(g) - c) <= tol for g, c in zip(got, want))


def check_png(path, tmp, label, skip):
    png = os.path.join(tmp, label + ".png")
    layout_path = os.path.join(tmp, label + ".layout.json")
    if skip:
        for d in ("timeline writes a 1280-pixel-wide PNG", "lanes show each CPU's longest "
                  "task run in that task's colour"):
            ok(True, f"{label}: {d}", skip=skip)
        return
    r = tool("timeline", path, "-o", png, "--layout", layout_path)
    if not ok(r.returncode == 0, f"{label}: timeline exits 0", [r.stderr]):
        return
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.image as mpimg
    img = mpimg.imread(png)
    with open(layout_path) as f:
        lay = json.load(f)
    ok(img.shape[1] == 1280 and img.shape[0] == lay["height"] and 200 <= img.shape[0] <= 1000
       and os.path.getsize(png) < 400000,
       f"{label}: a 1280-pixel-wide PNG of sensible height and size",
       [f"shape {img.shape}, {os.path.getsize(png)} bytes"])
    model = rondo_trace.load(path)
    bad = []
    for cpu in model.cpus:
        runs = [s for s in model.slices if s[0] == cpu]
        if not runs:
            continue
        s = max(runs, key=lambda r: r[2] - r[1])
        color = lay["colors"][rondo_trace.task_key(s[3], s[4])]
        y = lay["lanes"][str(cpu)] + lay["lane_height_px"] * 0.3
        xs = [lay["x0"] + (s[1] + (s[2] - s[1]) * f - lay["t0_us"]) * lay["px_per_us"]
              for f in (0.3, 0.4, 0.5, 0.6, 0.7)]
        hits = sum(pixel_matches(img, x, y, color) for x in xs)
        if hits < 3:
            bad.append(f"CPU {cpu}: {s[3]}-{s[4]} expected {color}, {hits}/5 pixels match")
    ok(not bad, f"{label}: lanes show each CPU's longest task run in that task's colour", bad)
    if label == "cpuhp":
        x = lay["x0"] + (1200000 - lay["t0_us"]) * lay["px_per_us"]
        y = lay["lanes"]["2"] + lay["lane_height_px"] * 0.3
        ok(pixel_matches(img, x, y, lay["offline_color"], tol=0.25),
           "cpuhp: CPU 2's lane is shaded while it is offline")


def main():
    skip_png = None if importlib.util.find_spec("matplotlib") else \
        "python3-matplotlib is not installed (scripts/setup.sh installs it)"
    check_parsing()
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in (("demo", DEMO), ("cpuhp", CPUHP)):
            got = check_json(path, tmp, label)
            if got:
                check_flows(*got, label)
                if label == "cpuhp":
                    check_hotplug_json(got[0])
            check_png(path, tmp, label, skip_png)
        a = tool("trace2json", DEMO)
        b = tool("trace2json", DEMO)
        ok(a.returncode == 0 and a.stdout == b.stdout, "trace2json output is reproducible")
        bad = os.path.join(tmp, "bad.txt")
        with open(bad, "w") as f:
            f.write("# tracer: nop\ngarbage\n")
        r = tool("trace2json", bad)
        ok(r.returncode == 1 and "not a trace line" in r.stderr,
           "trace2json: a bad line is a clear error, exit 1", [r.stderr])
    print(f"1..{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
