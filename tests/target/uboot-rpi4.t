#!/usr/bin/env python3
"""Every on-target KTAP suite on QEMU raspi4b, booted the way a Pi 4 with
U-Boot boots: Debian's u-boot-rpi is started as the kernel with the real
Pi 4 DTB (the firmware's job), its distro boot finds boot.scr on the SD
card that `make uboot` builds, and boot.scr runs `bootm` on our uImage with
the firmware's DTB.  The command line goes the board's way too: -append
stands for cmdline.txt and lands in the DTB's /chosen/bootargs, which
U-Boot must pass on.  Missing firmware or images fail; they never skip."""
import os
import re
import sys
sys.dont_write_bytecode = True
import targetlib as t

NEEDS = [("build/uboot/sdcard-rpi4.img", "make uboot"),
         ("cache/fw/u-boot-rpi/u-boot.bin", "scripts/fetch-firmware.sh"),
         ("cache/dtb/bcm2711-rpi-4-b.dtb", "scripts/fetch-dtbs.sh")]


def have_inputs(tap):
    ok = True
    for rel, how in NEEDS:
        ok &= tap.ok(os.path.isfile(os.path.join(t.REPO, rel)), f"{rel} exists",
                     diag=[f"missing: run {how} (make test builds it)"])
    return ok


def boot_chain(tap, run):
    out = run.output
    tap.ok("Found U-Boot script /boot.scr" in out,
           "U-Boot's distro boot found boot.scr on the SD card")
    tap.ok(re.search(r"Rondo: boot\.scr on rpi \(mmc \d+:1\)", out) is not None,
           "boot.scr ran on the Pi board from partition 1 of the card")
    tap.ok(re.search(r"Load Address: 00200000", out) is not None,
           "bootm loaded the uImage at 0x200000")
    tap.ok(re.search(r"Rondo booting on CPU0 .*entered at EL2", out) is not None,
           "the kernel was entered at EL2, where U-Boot runs on the Pi")
    tap.ok(re.search(r"command line: ktest=all\s*$", out, re.M) is not None,
           "the DTB's bootargs (cmdline.txt on a board) survived U-Boot")
    tap.ok(re.search(r"psci: no /psci", out) is not None,
           "no PSCI: the secondaries come up by spin-table, as without U-Boot")


tap = t.Tap()
if have_inputs(tap):
    run = t.run_qemu(t.test_name(), ["--board", "rpi4", "--uboot", "--append", "ktest=all"],
                     timeout=300)
    before = tap.failed
    boot_chain(tap, run)
    doc = t.ktap.parse(run.output)
    for c in t.ktap.checks(doc):
        tap.ok(c.ok, c.desc, c.directive, c.diagnostics)
    t.check_suites(tap, doc, "all")
    tap.ok(run.rc == 0, f"qemu/run finished on the halt marker: {run.outcome()}")
    t.finish_run(tap, run, before)
sys.exit(tap.done())
