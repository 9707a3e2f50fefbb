#!/usr/bin/python3
"""Host tests of scripts/trace2json and scripts/timeline on the trace kept
in tests/host/data/trace-demo.txt, recorded from our kernel by `make demo`
(scripts/demo.cmds: every event type, migrations of every reason but
`active`, CPU 2 taken offline and brought back).  The facts checked below
(times, pids, the hotplug callbacks) are that recording's: record it again
and they change with it.  TAP output.

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
    seen = {e["event"] for e in demo.events}
    ok(seen >= ALL_EVENTS, "every event type is parsed from the recorded trace",
       [f"missing: {sorted(ALL_EVENTS - seen)}"])
    sw = next(e for e in demo.events
              if e["event"] == "sched_switch" and e["fields"]["next_comm"] == "migration/1")
    ok(sw["fields"] == {"prev_comm": "spin", "prev_pid": 6, "prev_prio": 120, "prev_state": "R+",
                        "next_comm": "migration/1", "next_pid": 2, "next_prio": 0},
       "sched_switch fields", [str(sw["fields"])])
    ok(sw["comm"] == "spin" and sw["pid"] == 6 and sw["cpu"] == 1 and sw["ts"] == 204301
       and sw["flags"] == "d..1.", "context columns: comm-pid, [cpu], flags, secs.usecs",
       [str(sw)])
    enter = next(e for e in demo.events if e["event"] == "cpuhp_enter")
    ok(enter["fields"] == {"cpu": 2, "target": 0, "step": 12, "name": "online"},
       "cpuhp_enter fields", [str(enter["fields"])])
    ex = next(e for e in demo.events if e["event"] == "cpuhp_exit")
    ok(ex["fields"] == {"cpu": 2, "state": 11, "step": 12, "ret": 0}, "cpuhp_exit fields",
       [str(ex["fields"])])
    raise_ = next(e for e in demo.events if e["event"] == "ipi_raise")
    ok(raise_["fields"]["cpus"] == [1] and raise_["fields"]["reason"] == "Rescheduling interrupts",
       "ipi_raise: target mask and reason", [str(raise_["fields"])])
    bal = next(e for e in demo.events
               if e["event"] == "sched_balance" and e["fields"]["idle"] == "idle")
    ok(bal["fields"] == {"cpu": 2, "domain": "MC", "level": 0, "idle": "idle", "busiest": 1,
                         "imbalance": 0, "moved": 1}, "sched_balance fields",
       [str(bal["fields"])])
    kick = [e["fields"] for e in demo.events if e["event"] == "sched_kick_ilb"]
    ok({"ilb_cpu": 2, "flags": "BALANCE|STATS"} in kick and {"ilb_cpu": 3, "flags": "STATS"} in kick,
       "sched_kick_ilb fields", [str(kick)])
    mig = [e for e in demo.events if e["event"] == "sched_migrate_task"]
    ok(all(e["fields"].get("reason") for e in mig) and
       {e["fields"]["reason"] for e in mig} >= {"new", "wakeup", "affinity", "hotplug",
                                                 "periodic", "newidle", "nohz"},
       "recorded migrations carry reasons new, wakeup, affinity, hotplug, periodic, newidle, nohz",
       [str(sorted({e["fields"].get("reason") for e in mig}))])
    # Values the recording happens not to print: no busiest CPU, an imbalance overshot.
    e = rondo_trace.parse_line("          <idle>-0       [002] d..2.     1.000000: sched_balance: "
                               "cpu=2 domain=MC level=0 idle=newidle busiest=-1 imbalance=-1 "
                               "moved=0")
    ok(e["fields"]["busiest"] == -1 and e["fields"]["imbalance"] == -1,
       "sched_balance: negative busiest and imbalance parse", [str(e["fields"])])
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
    spans = [(e["name"], e["tid"], e["dur"]) for e in ev if e["ph"] == "X" and e["pid"] == 1
             and e["name"] in ("offline", "changing")]
    ok(spans == [("changing", 2, 348540 - 336093), ("offline", 2, 659202 - 348540),
                 ("changing", 2, 679163 - 659202)],
       "cpuhp: CPU 2's way down, offline time and way up are slices on its hotplug track",
       [str(spans)])
    calls = [(e["name"], e["tid"], e["args"]["ret"]) for e in ev if e["ph"] == "X"
             and e["pid"] == 1 and e["name"] not in ("offline", "changing")]
    down = ["online", "sched:active", "sched:wait_empty", "smpboot:threads", "ap:counter_sync",
            "ap:online", "ap:smpcfd", "ap:timer", "ap:irq", "cpu:bringup", "sched:dead",
            "timers:prepare"]
    up = ["timers:prepare", "sched:dead", "ap:irq", "ap:timer", "ap:smpcfd", "ap:online",
          "ap:counter_sync", "cpu:bringup", "smpboot:threads", "sched:wait_empty",
          "sched:active", "online"]
    ok(calls == [(name, 2, 0) for name in down + up],
       "cpuhp: each callback of the cycle is a slice named by its state, in the order they "
       "returned", [str(calls)])
    bal = [e for e in ev if e["pid"] == 2 and e["name"] in ("sched_balance", "sched_kick_ilb")]
    ok(len(bal) == 11 + 3, "balancing events on the balancing tracks", [str(len(bal))])


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
                  "task run in that task's colour", "CPU 2's lane is shaded while it is offline, "
                  "not after it is back"):
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
    def shaded_offline(ts_us):
        # The shade is drawn translucent over the lane, hence the wide
        # tolerance; it is grey, which tells it from a dark task colour
        # such as spinner 7's.
        x = lay["x0"] + (ts_us - lay["t0_us"]) * lay["px_per_us"]
        y = lay["lanes"]["2"] + lay["lane_height_px"] * 0.3
        rgb = [float(c) for c in img[int(y)][int(x)][:3]]
        return pixel_matches(img, x, y, lay["offline_color"], tol=0.25) and \
            max(rgb) - min(rgb) < 0.03
    # CPU 2 is offline from 0.348540 to 0.659202 in the recording and runs
    # spinner 7 at 0.8 s.
    ok(shaded_offline(500000) and not shaded_offline(800000),
       f"{label}: CPU 2's lane is shaded while it is offline, not after it is back")


def main():
    skip_png = None if importlib.util.find_spec("matplotlib") else \
        "python3-matplotlib is not installed (scripts/setup.sh installs it)"
    check_parsing()
    with tempfile.TemporaryDirectory() as tmp:
        got = check_json(DEMO, tmp, "demo")
        if got:
            check_flows(*got, "demo")
            check_hotplug_json(got[0])
        check_png(DEMO, tmp, "demo", skip_png)
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
