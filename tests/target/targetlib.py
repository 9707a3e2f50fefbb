"""Shared code of the on-target .t scripts: boot through qemu/run, judge the
serial output, print TAP for prove.

Each .t exits 0 once it has printed its plan; failures are `not ok` lines.
A non-zero exit means the script itself broke.  Logs go to build/logs/.
"""

import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "qemu"))
import ktap  # noqa: E402

RUNNER = os.path.join(REPO, "qemu", "run")
LOG_DIR = os.path.join(REPO, "build", "logs")
TAIL_LINES = 40

EXIT_MEANING = {0: "exit 0", 1: "QEMU error (exit 1)", 2: "usage error (exit 2)",
                3: "kernel panic (exit 3)", 124: "timeout (exit 124)"}
KLOG_RE = re.compile(r"^\[C\d+\] ")
CPUS_RE = re.compile(r"^(possible|present|online|active): (.*)$")


def test_name():
    return os.path.splitext(os.path.basename(sys.argv[0]))[0]


class Run:
    """One qemu/run invocation and what it printed."""

    def __init__(self, tag, rc, output, stderr, log):
        self.tag = tag
        self.rc = rc
        self.output = output.decode("utf-8", "replace")
        self.stderr = stderr
        self.log = log

    def lines(self):
        return [l.rstrip("\r") for l in self.output.split("\n")]

    def kernel_log(self):
        return [l for l in self.lines() if KLOG_RE.match(l)]

    def outcome(self):
        return EXIT_MEANING.get(self.rc, f"exit {self.rc}")

    def tail(self):
        out = [f"--- {self.tag}: qemu/run {self.outcome()}; last serial lines "
               f"(full log {os.path.relpath(self.log, REPO)}):"]
        out += self.lines()[-TAIL_LINES:]
        err = [l for l in self.stderr.splitlines() if l.strip()]
        if err:
            out += ["--- qemu/run stderr:"] + err[-10:]
        return out


def run_qemu(tag, args, timeout, cmds_bytes=None):
    """Boot with qemu/run; tag names the log files under build/logs/."""
    os.makedirs(LOG_DIR, exist_ok=True)
    log = os.path.join(LOG_DIR, f"{tag}.log")
    argv = [sys.executable, RUNNER, "--timeout", str(timeout), "--log", log] + list(args)
    if cmds_bytes is not None:
        cmds_file = os.path.join(LOG_DIR, f"{tag}.cmds")
        with open(cmds_file, "wb") as f:
            f.write(b"\n".join(cmds_bytes) + b"\n")
        argv += ["--cmds-file", cmds_file]
    try:
        # The runner has its own timeout; this one only guards against a
        # runner that itself hangs.
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout + 60 if timeout else None)
        rc, out, err = p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        rc, out = 124, e.stdout or b""
        err = (e.stderr or b"").decode("utf-8", "replace") + "\nqemu/run itself hung"
    with open(os.path.join(LOG_DIR, f"{tag}.stderr"), "w") as f:
        f.write(err)
    return Run(tag, rc, out, err, log)


class Tap:
    """Numbered TAP lines; the plan is printed last, when the count is known."""

    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, cond, desc, directive="", diag=()):
        self.count += 1
        if not cond:
            self.failed += 1
        line = f"{'ok' if cond else 'not ok'} {self.count} - {desc.replace('#', chr(92) + '#')}"
        if directive:
            line += f" # {directive}"
        print(line)
        if not cond:
            self.diag(diag)
        sys.stdout.flush()
        return cond

    def diag(self, lines):
        for l in lines:
            print("# " + l)

    def done(self):
        print(f"1..{self.count}")
        sys.stdout.flush()
        return 0


def finish_run(tap, run, failed_before):
    """After a run's checks: show its serial tail if any of them failed."""
    if tap.failed > failed_before:
        tap.diag(run.tail())


def skip_all(reason):
    print(f"1..0 # SKIP {reason}")
    sys.exit(0)


SUITES_FILE = os.path.join(REPO, "tests", "target", "suites.txt")


def function_at(offset_hex):
    """The function of build/rondo.elf at image offset 0x<offset_hex> (the
    ELF is linked at 0), or None."""
    try:
        p = subprocess.run(["aarch64-linux-gnu-addr2line", "-f", "-e",
                            os.path.join(REPO, "build", "rondo.elf"), "0x" + offset_hex],
                           capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    fn = p.stdout.split("\n", 1)[0].strip()
    return fn if p.returncode == 0 and fn != "??" else None


def known_suites():
    """tests/target/suites.txt as {name: "all" | "explicit"}."""
    suites = {}
    with open(SUITES_FILE) as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if words:
                suites[words[0]] = words[1]
    return suites


def all_suites_but(*left_out):
    """A ktest= list: every suite `ktest=all` runs, less these (for an
    entry where one cannot run: say why at the call)."""
    return ",".join(n for n, kind in known_suites().items()
                    if kind == "all" and n not in left_out)


def check_suites(tap, doc, suites):
    """The suites that ran are exactly the ones asked for: every suite
    listed for `ktest=all` (or each one named), and none other."""
    known = known_suites()
    want = ([n for n, kind in known.items() if kind == "all"] if suites == "all"
            else suites.split(","))
    ran = [r.name for r in doc.root.results] if doc.root else []
    for name in want:
        tap.ok(name in known, f"suites: {name} is listed in tests/target/suites.txt")
        tap.ok(ran.count(name) == 1, f"suites: {name} ran once",
               diag=[f"suites that ran: {' '.join(ran) or 'none'}"])
    extra = [n for n in ran if n not in want]
    tap.ok(not extra, "suites: nothing ran that tests/target/suites.txt does not list here",
           diag=[f"unexpected: {' '.join(extra)} (add new suites to tests/target/suites.txt)"])


# What each case of ktest_selftest must report, in order: (case, ok, pattern
# its directive must match (None: no directive), pattern one of its
# diagnostics must match, pattern no diagnostic may match).
SELFTEST_VERDICTS = [
    ("passes", True, None, None, None),
    ("fails_expectation", False, None, r"expected 2 \+ 2 == 5, got 4 ", None),
    ("fails_assertion", False, None, r"assertion 1 == 2$", r"not reached"),
    ("takes_exception", False, r"^ERROR exception at image\+0x[0-9a-f]+: data abort .*"
     r"translation fault .*on read, FAR 0x7ff0000000$", None, None),
    ("expects_fault", True, None, None, None),
    ("hangs", False, r"^TIMEOUT still running at image\+0x[0-9a-f]+$", None, None),
    ("blocks_forever", False, r"^TIMEOUT blocked \(task state 0x2\)", None, r"not reached"),
    ("skips", True, r"^SKIP skipping on purpose$", None, None),
    ("skips_without_reason", False, None, r"^KT_SKIP without a reason$", None),
    ("passes", True, None, None, None),
]


def check_selftest(tap, run):
    """The harness's own suite: each case's verdict is exactly the intended
    one, so its intended failures pass here and a wrong verdict fails."""
    doc = ktap.parse(run.output)
    for c in ktap.checks(doc):      # structure: plans, numbering, summary
        if c.desc.startswith("ktap:"):
            tap.ok(c.ok, f"selftest {c.desc}", c.directive, c.diagnostics)
    suite = doc.root.results[0] if doc.root and doc.root.results else None
    tap.ok(suite is not None and suite.name == "ktest_selftest" and not suite.ok,
           "selftest: the suite ran and reports not ok")
    cases = suite.subtest.results if suite and suite.subtest else []
    tap.ok(len(cases) == len(SELFTEST_VERDICTS),
           f"selftest: {len(SELFTEST_VERDICTS)} cases ran, the run went on after each",
           diag=[f"got {len(cases)}"])
    for i, (name, ok, directive, diag, not_diag) in enumerate(SELFTEST_VERDICTS):
        res = cases[i] if i < len(cases) else None
        label = f"selftest: {i + 1} {name} is {'ok' if ok else 'not ok'}"
        if directive:
            label += " (" + re.match(r"\^?([A-Z]+)", directive).group(1) + ")"
        good = (res is not None and res.name == name and res.ok == ok
                and (re.search(directive, res.directive) if directive else not res.directive)
                and (diag is None or any(re.search(diag, d) for d in res.diagnostics))
                and not (not_diag and any(re.search(not_diag, d) for d in res.diagnostics)))
        tap.ok(bool(good), label, diag=[] if res is None else
               [f"got: {'ok' if res.ok else 'not ok'} {res.name}"
                f"{' # ' + res.directive if res.directive else ''}"] + res.diagnostics)
    # Where they stopped: the unwound spin in its own function, the blocked
    # case's call trace in wait_for_completion called from blocks_forever.
    # (From the --log file: qemu/run's own notes are only in what it echoes,
    # anywhere between lines.)
    with open(run.log, "rb") as f:
        out = f.read().decode("utf-8", "replace").replace("\r", "")
    m = re.search(r"not ok 6 hangs # TIMEOUT still running at image\+0x([0-9a-f]+)", out)
    where = function_at(m.group(1)) if m else None
    tap.ok(where == "hangs", "selftest: the hang is stopped inside hangs()",
           diag=[f"stopped in {where}"])
    m = re.search(r"ktest: blocks_forever is blocked; its call trace:\n"
                  r"(?:\[C\d+\] Call trace.*\n)?((?:\[C\d+\]   image\+0x[0-9a-f]+\s*\n)+)", out)
    frames = [function_at(a) for a in re.findall(r"image\+0x([0-9a-f]+)", m.group(1))] if m else []
    tap.ok(frames[:1] == ["schedule"] and "wait_for_completion" in frames
           and "blocks_forever" in frames,
           "selftest: the blocked case's call trace: schedule, wait_for_completion, blocks_forever",
           diag=[f"frames: {frames}"])
    tap.ok(doc.summary == (3, 6, 1), "selftest: summary 3 passed, 6 failed, 1 skipped",
           diag=[f"got {doc.summary}"])


def ktest_main(args, timeout, extra=None, suites="all", cmdline="", selftest=False):
    """A matrix entry: run the KTAP suites (all by default) once and report
    each case, and check that exactly the expected suites ran.  extra(tap,
    run) may add checks of its own; cmdline adds boot arguments; selftest
    adds a second boot that runs ktest_selftest and checks its verdicts."""
    tap = Tap()
    name = test_name()
    run = run_qemu(name, list(args) + ["--append", f"ktest={suites} {cmdline}".strip()], timeout)
    doc = ktap.parse(run.output)
    for c in ktap.checks(doc):
        tap.ok(c.ok, c.desc, c.directive, c.diagnostics)
    check_suites(tap, doc, suites)
    if extra:
        extra(tap, run)
    tap.ok(run.rc == 0, f"qemu/run finished: {run.outcome()}")
    finish_run(tap, run, 0)
    if selftest:
        before = tap.failed
        run = run_qemu(f"{name}-selftest", list(args) + ["--append", "ktest=ktest_selftest"], 120)
        check_selftest(tap, run)
        tap.ok(run.rc == 0, f"selftest: qemu/run finished: {run.outcome()}")
        finish_run(tap, run, before)
    sys.exit(tap.done())


def parse_cpulist(text):
    """Linux cpulist ("0-1,3", "" for none) to a set; None if malformed."""
    cpus = set()
    if text == "":
        return cpus
    for part in text.split(","):
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            return None
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        if hi < lo:
            return None
        cpus.update(range(lo, hi + 1))
    return cpus


def cpus_answers(run, after=0):
    """Each complete `cpus` answer as {key: text}, with its line index;
    kernel log lines in between are ignored."""
    answers, current = [], None
    for i, line in enumerate(run.lines()):
        if i < after or KLOG_RE.match(line):
            continue
        m = CPUS_RE.match(line)
        if not m:
            continue
        key, value = m.groups()
        if key == "possible":
            current = {"line": i}
        if current is None:
            continue
        current[key] = value
        if key == "active":
            if len(current) == 5:
                answers.append(current)
            current = None
    return answers


def first_line(run, pattern, after=0):
    """Index of the first output line at or after `after` matching pattern."""
    rx = re.compile(pattern)
    for i, line in enumerate(run.lines()):
        if i >= after and rx.search(line):
            return i
    return None


def check_cpus(tap, run, label, expect):
    """expect maps keys (possible, ...) to the exact text after 'key: '."""
    answers = cpus_answers(run)
    if not tap.ok(bool(answers), f"{label}: `cpus` answered"):
        return None
    got = answers[0]
    for key, want in expect.items():
        tap.ok(got[key] == want, f"{label}: {key}: {want}",
               diag=[f"got '{key}: {got[key]}'"])
    return got
