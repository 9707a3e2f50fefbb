#!/usr/bin/env python3
"""KTAP (version 1) parser and its translation into flat TAP for prove.

Reads a whole serial log: kernel log lines ("[Cn] ...") and anything
before the first top-level "KTAP version" line are ignored.  Only the
first top-level KTAP document is used.

As a command: qemu/ktap.py [LOG] prints the TAP for a saved log.
"""

import re
import sys

INDENT = 4
KLOG_RE = re.compile(r"^\[C\d+\] ")
VERSION_RE = re.compile(r"^K?TAP version \d+$")
PLAN_RE = re.compile(r"^1\.\.(\d+)(?:\s*#\s*(.*))?$")
RESULT_RE = re.compile(r"^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(.*))?$")
SUBTEST_RE = re.compile(r"^#\s*Subtest:\s*(.*)$")
SUMMARY_RE = re.compile(r"^#\s*ktest:\s*(\d+) passed, (\d+) failed, (\d+) skipped\s*$")


class Result:
    def __init__(self, ok, number, name, directive, diagnostics):
        self.ok = ok
        self.number = number
        self.name = name
        self.directive = directive or ""   # e.g. "SKIP why", "TIMEOUT ..."
        self.diagnostics = diagnostics     # "# ..." lines before it, without "#"
        self.subtest = None

    def directive_word(self):
        return self.directive.split(" ", 1)[0].upper() if self.directive else ""

    def directive_reason(self):
        parts = self.directive.split(" ", 1)
        return parts[1].strip() if len(parts) > 1 else ""

    def is_skip(self):
        return self.directive_word() == "SKIP"

    def is_todo(self):
        return self.directive_word() == "TODO"

    def passed(self):
        """Counts as passing: "ok" with no directive, or "ok # SKIP why".
        Everything else fails: any "not ok" (a "not ok # SKIP" or "# TODO"
        too, which plain TAP would forgive), a SKIP that does not say why,
        and an "ok" with any other directive (ktest prints no TODO)."""
        if not self.ok:
            return False
        if not self.directive:
            return True
        return self.is_skip() and self.directive_reason() != ""


class Node:
    """One KTAP (sub)document: its plan and its results."""

    def __init__(self, depth, name=""):
        self.depth = depth
        self.name = name
        self.plan = None
        self.results = []
        self.pending_diag = []    # "# ..." lines not yet followed by a result


class Document:
    def __init__(self):
        self.root = None
        self.summary = None       # (passed, failed, skipped) from "# ktest:"
        self.bail_out = None
        self.errors = []          # structural problems found while parsing


def parse(text):
    """Parse the first top-level KTAP document in text (str or bytes)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    doc = Document()
    stack = []
    finished_child = None     # a subtest waiting for its result line

    for raw in text.splitlines():
        line = raw.rstrip("\r\n \t")
        if KLOG_RE.match(line):
            continue
        body = line.lstrip(" ")
        depth = (len(line) - len(body)) // INDENT
        if doc.root is None:
            if depth == 0 and VERSION_RE.match(body):
                doc.root = Node(0)
                stack = [doc.root]
            continue
        if not body:
            continue
        if depth == 0 and VERSION_RE.match(body):
            break                 # a second document: not ours

        if SUBTEST_RE.match(body) or VERSION_RE.match(body):
            while len(stack) > 1 and depth < stack[-1].depth:
                finished_child = stack.pop()
            top = stack[-1]
            restarted = (depth == top.depth > 0 and VERSION_RE.match(body)
                         and (top.plan is not None or top.results))
            if restarted:         # a new subtest while the last one never closed
                _orphan(doc, stack[-2], stack.pop(), "has no result line")
            if depth > stack[-1].depth:
                if depth != stack[-1].depth + 1:
                    doc.errors.append(f"subtest nested too deep: {body!r}")
                if finished_child is not None and finished_child.depth == stack[-1].depth + 1:
                    _orphan(doc, stack[-1], finished_child, "has no result line")
                    finished_child = None
                stack.append(Node(stack[-1].depth + 1))
            m = SUBTEST_RE.match(body)
            if m and depth == stack[-1].depth:
                stack[-1].name = m.group(1).strip()
            continue

        while len(stack) > 1 and depth < stack[-1].depth:
            finished_child = stack.pop()
        node = stack[-1]
        if depth > node.depth:
            continue              # stray indented text without a header

        m = PLAN_RE.match(body)
        if m:
            if node.plan is not None:
                doc.errors.append(f"second plan in {node.name or 'top level'}")
            node.plan = int(m.group(1))
            continue
        m = RESULT_RE.match(body)
        if m:
            number = int(m.group(2)) if m.group(2) else None
            res = Result(m.group(1) == "ok", number, m.group(3).strip(), m.group(4),
                         node.pending_diag)
            node.pending_diag = []
            if finished_child is not None and finished_child.depth == node.depth + 1:
                res.subtest = finished_child
            finished_child = None
            node.results.append(res)
            continue
        if body.startswith("#"):
            m = SUMMARY_RE.match(body)
            if m and node is doc.root:
                doc.summary = tuple(int(g) for g in m.groups())
            else:
                node.pending_diag.append(body[1:].strip())
            continue
        if body.startswith("Bail out!"):
            doc.bail_out = body
            break

    if doc.root is not None:
        if finished_child is not None:
            _orphan(doc, stack[finished_child.depth - 1], finished_child,
                    "has no result line")
        while len(stack) > 1:
            node = stack.pop()
            _orphan(doc, stack[-1], node, "never finished (output ended)")
    return doc


def _orphan(doc, parent, node, why):
    """Keep the cases of a subtest that has no result line of its own, under
    a stand-in failed result, so a crash mid-suite still shows what ran."""
    doc.errors.append(f"suite {node.name or '?'} {why}")
    res = Result(False, None, node.name, "INCOMPLETE", [])
    res.subtest = node
    parent.results.append(res)


class Check:
    """One line of the flat TAP output."""

    def __init__(self, ok, desc, directive="", diagnostics=()):
        self.ok = ok
        self.desc = desc
        self.directive = directive
        self.diagnostics = list(diagnostics)


def _clean(desc):
    # '#' would start a TAP directive inside a description.
    return desc.replace("#", "\\#")


def _walk(node, prefix, leaves, problems, counts):
    """Append node's leaf cases to leaves and its inconsistencies to
    problems; tally leaf cases into counts.  Returns True when every check
    made for this node passed."""
    label = prefix.rstrip(".")
    first_leaf, first_problem = len(leaves), len(problems)
    if label:                 # the top-level plan is checked by checks()
        if node.plan is None:
            problems.append(Check(False, f"ktap: {label} has a plan line"))
        elif node.plan != len(node.results):
            problems.append(Check(False, f"ktap: {label} plan 1..{node.plan} "
                                         f"but {len(node.results)} results"))
    for i, res in enumerate(node.results, 1):
        if res.number is not None and res.number != i:
            problems.append(Check(False, f"ktap: {label or 'top level'} result {i} "
                                         f"is numbered {res.number}"))
        sub = res.subtest
        name = prefix + (res.name or (sub.name if sub else "") or f"#{i}")
        if sub is None:
            kind = 1 if not res.ok else 2 if res.is_skip() else 0
            counts[kind] += 1
            leaves.append(_leaf(res, name))
            continue
        if res.name and sub.name and sub.name != res.name:
            problems.append(Check(False, f"ktap: subtest {sub.name} reported as {res.name}"))
        if not sub.results:
            leaves.append(_leaf(res, name))
            continue
        inner_ok = _walk(sub, name + ".", leaves, problems, counts)
        if inner_ok and not res.passed():
            problems.append(Check(False, f"{name} (suite reported not ok)", "",
                                  res.diagnostics + sub.pending_diag))
        elif not inner_ok and res.ok and not res.is_skip():
            problems.append(Check(False, f"ktap: {name} reported ok despite failures"))
    return all(c.ok for c in leaves[first_leaf:] + problems[first_problem:])


def _leaf(res, name):
    ok = res.passed()
    directive = res.directive if ok and res.is_skip() else ""
    desc = name if directive or not res.directive else f"{name} [{res.directive}]"
    diagnostics = list(res.diagnostics)
    if res.ok and not ok:
        diagnostics.append(f"'ok' with directive '{res.directive}': a SKIP must say why, "
                           "and no other directive may pass")
    return Check(ok, desc, directive, diagnostics)


def checks(doc):
    """Flatten a parsed document into Checks: one per leaf case, then the
    structural checks (plans, numbering, summary)."""
    if doc.root is None:
        return [Check(False, "ktap: KTAP output found")]
    counts = [0, 0, 0]        # passed, failed, skipped, as the kernel counts
    leaves, problems = [], []
    _walk(doc.root, "", leaves, problems, counts)
    out = leaves + [Check(True, "ktap: KTAP output found")]
    plan = doc.root.plan
    out.append(Check(plan is not None and plan == len(doc.root.results),
                     f"ktap: top-level plan 1..{plan if plan is not None else '?'} "
                     f"matches {len(doc.root.results)} suites"))
    out.extend(problems)
    out.extend(Check(False, f"ktap: {err}") for err in doc.errors)
    if doc.bail_out:
        out.append(Check(False, f"ktap: {doc.bail_out}"))
    out.append(Check(doc.summary is not None, "ktap: ktest summary line present"))
    if doc.summary is not None:
        p, f, s = doc.summary
        out.append(Check(doc.summary == tuple(counts),
                         f"ktap: summary {p} passed, {f} failed, {s} skipped "
                         f"matches results ({counts[0]}/{counts[1]}/{counts[2]})"))
    return out


def tap_lines(items, start=1):
    """TAP lines (without the plan) for a list of Checks."""
    lines = []
    for n, c in enumerate(items, start):
        line = f"{'ok' if c.ok else 'not ok'} {n} - {_clean(c.desc)}"
        if c.directive:
            line += f" # {c.directive}"
        lines.append(line)
        if not c.ok or c.directive:
            lines.extend("# " + d for d in c.diagnostics)
    return lines


def main(argv):
    data = open(argv[1], "rb").read() if len(argv) > 1 else sys.stdin.buffer.read()
    items = checks(parse(data))
    print(f"1..{len(items)}")
    print("\n".join(tap_lines(items)))
    return 0 if all(c.ok for c in items) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
