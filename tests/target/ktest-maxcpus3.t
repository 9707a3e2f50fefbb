#!/usr/bin/env python3
"""CPUs that are present but not online, on both boot methods: boot with
maxcpus=3, so CPU 3 stays offline, and run the suites that need such a CPU
(cpu_ops starts and stops it repeatedly: PSCI CPU_ON/CPU_OFF on virt, the
spin-table release and the kernel's holding loop on raspi4b)."""
import os
import sys
sys.dont_write_bytecode = True
import targetlib as t

SUITES = "cpu_ops,cpumasks,psci,smp_call"
DTB = os.path.join(t.REPO, "cache", "dtb", "bcm2711-rpi-4-b.dtb")

board = os.environ.get("MAXCPUS3_BOARD", "virt")
if board == "rpi4" and not os.path.isfile(DTB):
    t.skip_all("cache/dtb/bcm2711-rpi-4-b.dtb missing (scripts/fetch-dtbs.sh)")
args = ["--board", "rpi4"] if board == "rpi4" else ["--smp", "4"]
t.ktest_main(args, timeout=180, suites=SUITES, cmdline="maxcpus=3")
