#!/usr/bin/env python3
"""Every on-target KTAP suite on QEMU virt, GICv3, 64 CPUs."""
import sys
sys.dont_write_bytecode = True
import targetlib

# Every suite but hotplug: each CPU coming up compares clocks with all the
# others under stop_machine, which with 64 vCPUs on two host cores takes
# seconds per operation.  Hotplug's matrix is smp 2, 4, 8, gic3 16, rpi4,
# icount (docs/hotplug.md).
# The balance suite spreads 128 spinners and waits for each case to settle
# in ticks of the test's CPU: with 64 vCPUs on two busy host cores it takes
# one to four minutes of wall time, the other suites about as long.
targetlib.ktest_main(['--gic', '3', '--smp', '64'], timeout=900,
                     suites=targetlib.all_suites_but("hotplug"))
