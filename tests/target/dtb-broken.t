#!/usr/bin/env python3
"""Boot with deliberately broken device trees made from QEMU's own:
(a) CPUs 1-3 name an enable-method nobody implements: they stay possible but
    not present, only CPU 0 comes up, and the log says why;
(b) cpu@2 with an MPIDR no CPU has: PSCI refuses it, CPU 2 stays present
    but offline, the others come up;
(c) two nodes that repeat an MPIDR (cpu@1 says it is the boot CPU, cpu@3
    says it is cpu@2): each is reported and skipped, the first node wins,
    so 2 CPUs are possible and both come up.

(QEMU 10's virt writes a fresh /psci node into any -dtb it boots a kernel
with, so "no /psci" cannot be shown on virt; the Raspberry Pi 4 run covers a
board without PSCI.)"""
import os
import re
import subprocess
import sys
sys.dont_write_bytecode = True
import targetlib as t

DTB_DIR = os.path.join(t.REPO, "build", "dtb")
SMP = ["--smp", "4"]
# The broken trees are edits layered over the decompiled dump by dtc itself.
EDITS = {
    "virt-badmethod": "/ {\n\tcpus {\n" + "".join(
        f"\t\tcpu@{n} {{\n\t\t\tenable-method = \"acme,warp-drive\";\n\t\t}};\n"
        for n in (1, 2, 3)) + "\t};\n};\n",
    "virt-badcpu2": "/ {\n\tcpus {\n\t\tcpu@2 {\n\t\t\treg = <0xff>;\n\t\t};\n\t};\n};\n",
    "virt-dupcpu": "/ {\n\tcpus {\n\t\tcpu@1 {\n\t\t\treg = <0x0>;\n\t\t};\n"
                   "\t\tcpu@3 {\n\t\t\treg = <0x2>;\n\t\t};\n\t};\n};\n",
}


def sh(argv):
    p = subprocess.run(argv, capture_output=True, text=True)
    return p.returncode, (p.stdout + p.stderr).strip()


def make_dtbs(tap):
    """Dump the virt DTB for exactly the machine the runs use, then edit it."""
    os.makedirs(DTB_DIR, exist_ok=True)
    base = os.path.join(DTB_DIR, "virt-smp4")
    run = t.run_qemu(f"{t.test_name()}-dumpdtb", SMP + [
        "--qemu-arg", "-machine", "--qemu-arg", f"dumpdtb={base}.dtb"], timeout=60)
    if not tap.ok(run.rc == 0 and os.path.isfile(base + ".dtb"),
                  "QEMU dumps the virt DTB", diag=run.tail()):
        return False
    rc, out = sh(["dtc", "-q", "-I", "dtb", "-O", "dts", "-o", base + ".dts", base + ".dtb"])
    if not tap.ok(rc == 0, "dtc decompiles it", diag=[out]):
        return False
    for name, edit in EDITS.items():
        src = os.path.join(DTB_DIR, name + ".dts")
        with open(src, "w") as f:
            f.write(f'/include/ "virt-smp4.dts"\n\n{edit}')
        rc, out = sh(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o",
                      os.path.join(DTB_DIR, name + ".dtb"), src])
        if not tap.ok(rc == 0, f"dtc builds {name}.dtb", diag=[out]):
            return False
    rc, out = sh(["fdtget", os.path.join(DTB_DIR, "virt-badmethod.dtb"),
                  "/cpus/cpu@3", "enable-method"])
    tap.ok(rc == 0 and out == "acme,warp-drive", "virt-badmethod.dtb has the bad method",
           diag=[f"fdtget said: {out}"])
    rc, out = sh(["fdtget", "-t", "x", os.path.join(DTB_DIR, "virt-badcpu2.dtb"),
                  "/cpus/cpu@2", "reg"])
    tap.ok(rc == 0 and out == "ff", "virt-badcpu2.dtb has cpu@2 reg 0xff",
           diag=[f"fdtget said: {out}"])
    rc, out = sh(["fdtget", "-t", "x", os.path.join(DTB_DIR, "virt-dupcpu.dtb"),
                  "/cpus/cpu@1", "reg"])
    tap.ok(rc == 0 and out == "0", "virt-dupcpu.dtb has cpu@1 reg 0 (the boot CPU's)",
           diag=[f"fdtget said: {out}"])
    return True


def boot(name):
    return t.run_qemu(f"{t.test_name()}-{name}", SMP + [
        "--dtb", os.path.join(DTB_DIR, name + ".dtb"), "--cmds", "cpus; poweroff"],
        timeout=120)


def cpuset(answer, key):
    return t.parse_cpulist(answer[key]) if answer else None


def bad_method(tap):
    before = tap.failed
    run = boot("virt-badmethod")
    said = [l for l in run.kernel_log() if "unsupported enable-method" in l]
    tap.ok(len(said) == 3, "bad method: the log names the unsupported method for CPUs 1-3",
           diag=said[:4])
    got = t.check_cpus(tap, run, "bad method", {
        "possible": "0-3", "present": "0", "online": "0", "active": "0"})
    tap.ok(run.rc == 0, f"bad method: poweroff, qemu/run {run.outcome()}")
    t.finish_run(tap, run, before)
    return got


def bad_cpu2(tap):
    before = tap.failed
    run = boot("virt-badcpu2")
    cpu2 = re.compile(r"\bCPU ?2\b.*(fail|did not|not come|error|timed? ?out)"
                      r"|(fail|error).*\bCPU ?2\b", re.I)
    said = [l for l in run.kernel_log() if cpu2.search(l)]
    tap.ok(bool(said), "bad cpu@2: the kernel log says CPU 2 failed to come up")
    tap.diag(said[:3])
    answers = t.cpus_answers(run)
    got = answers[0] if answers else None
    tap.ok(got is not None, "bad cpu@2: `cpus` answered")
    present, online, active = (cpuset(got, k) for k in ("present", "online", "active"))
    show = [f"{k}: {got[k]}" for k in ("present", "online", "active")] if got else []
    tap.ok(present is not None and 2 in present, "bad cpu@2: present includes 2", diag=show)
    tap.ok(online is not None and online == {0, 1, 3}, "bad cpu@2: online is 0-1,3", diag=show)
    tap.ok(active is not None and 2 not in active, "bad cpu@2: active lacks 2", diag=show)
    tap.ok(run.rc == 0, f"bad cpu@2: poweroff, qemu/run {run.outcome()}")
    t.finish_run(tap, run, before)


def dup_mpidr(tap):
    before = tap.failed
    run = boot("virt-dupcpu")
    log = run.kernel_log()
    for node, mpidr in (("cpu@1", "0x0"), ("cpu@3", "0x2")):
        want = f"smp: {node}: duplicate MPIDR {mpidr}; skipping it"
        tap.ok(any(l.endswith(want) for l in log),
               f"duplicate MPIDR: the log says '{want}'",
               diag=[l for l in log if "smp:" in l][:6])
    t.check_cpus(tap, run, "duplicate MPIDR", {
        "possible": "0-1", "present": "0-1", "online": "0-1", "active": "0-1"})
    tap.ok(run.rc == 0, f"duplicate MPIDR: poweroff, qemu/run {run.outcome()}")
    t.finish_run(tap, run, before)


tap = t.Tap()
if make_dtbs(tap):
    bad_method(tap)
    bad_cpu2(tap)
    dup_mpidr(tap)
sys.exit(tap.done())
