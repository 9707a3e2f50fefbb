#!/usr/bin/env python3
"""Every on-target KTAP suite on QEMU virt booted through Debian's
u-boot-qemu (-bios): distro boot finds boot.scr on the virtio disk that
`make uboot` builds, boot.scr imports rondo.env (qemu/run writes
bootargs=... there for --append, since nothing else gives virt a command
line) and runs `bootm` on the uImage with QEMU's DTB.  A second, short boot
with virtualization=on checks that U-Boot hands over at EL2 and that PSCI
then goes through smc.  Missing images fail; they never skip."""
import os
import re
import sys
sys.dont_write_bytecode = True
import targetlib as t

NEEDS = [("build/uboot/disk-virt.img", "make uboot"),
         ("/usr/lib/u-boot/qemu_arm64/u-boot.bin", "scripts/setup.sh (Debian's u-boot-qemu)")]


def have_inputs(tap):
    ok = True
    for rel, how in NEEDS:
        ok &= tap.ok(os.path.isfile(os.path.join(t.REPO, rel)), f"{rel} exists",
                     diag=[f"missing: run {how} (make test does)"])
    return ok


def boot_chain(tap, run, label, el, conduit):
    out = run.output
    tap.ok(re.search(r"Rondo: boot\.scr on qemu-arm \(virtio \d+:1\)", out) is not None,
           f"{label}: distro boot ran boot.scr from the virtio disk")
    tap.ok(re.search(r"Load Address: 40200000", out) is not None,
           f"{label}: bootm loaded the uImage at 0x40200000")
    tap.ok(re.search(rf"Rondo booting on CPU0 .*entered at EL{el}", out) is not None,
           f"{label}: the kernel was entered at EL{el}")
    tap.ok(re.search(rf"psci: PSCI v\d+\.\d+ via {conduit}", out) is not None,
           f"{label}: QEMU's PSCI is still there, via {conduit}")


tap = t.Tap()
if have_inputs(tap):
    run = t.run_qemu(t.test_name(), ["--board", "virt", "--smp", "4", "--uboot",
                                     "--append", "ktest=all"], timeout=240)
    before = tap.failed
    boot_chain(tap, run, "ktest", 1, "hvc")
    tap.ok("Rondo: rondo.env imported, bootargs: ktest=all" in run.output,
           "ktest: boot.scr imported rondo.env and its bootargs")
    doc = t.ktap.parse(run.output)
    for c in t.ktap.checks(doc):
        tap.ok(c.ok, c.desc, c.directive, c.diagnostics)
    t.check_suites(tap, doc, "all")
    tap.ok(run.rc == 0, f"ktest: qemu/run {run.outcome()}")
    t.finish_run(tap, run, before)

    before = tap.failed
    run = t.run_qemu(f"{t.test_name()}-el2", ["--board", "virt", "--smp", "2", "--el2",
                                              "--uboot", "--cmds", "cpus -v; poweroff"],
                     timeout=120)
    boot_chain(tap, run, "el2", 2, "smc")
    t.check_cpus(tap, run, "el2", {"online": "0-1", "active": "0-1"})
    tap.ok(run.rc == 0, f"el2: poweroff, qemu/run {run.outcome()}")
    t.finish_run(tap, run, before)
sys.exit(tap.done())
