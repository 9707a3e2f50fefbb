#!/usr/bin/env python3
"""Every on-target KTAP suite on QEMU raspi4b with the stock Raspberry Pi 4
DTB: 4 CPUs started by spin-table, no PSCI, console on the mini UART."""
import os
import re
import sys
sys.dont_write_bytecode = True
import targetlib as t

DTB = os.path.join(t.REPO, "cache", "dtb", "bcm2711-rpi-4-b.dtb")


def no_psci_reported(tap, run):
    said = [l for l in run.kernel_log() if re.search(r"psci.*\bno\b|\bno\b.*psci", l, re.I)]
    tap.ok(bool(said), "the kernel log says the board has no PSCI")


if not os.path.isfile(DTB):
    t.skip_all("cache/dtb/bcm2711-rpi-4-b.dtb missing (scripts/fetch-dtbs.sh)")
t.ktest_main(["--board", "rpi4"], timeout=180, extra=no_psci_reported)
