#!/usr/bin/env python3
"""Every on-target KTAP suite on QEMU virt, GICv3, 64 CPUs."""
import sys
sys.dont_write_bytecode = True
import targetlib

# Every suite but hotplug: each CPU coming up compares clocks with all the
# others under stop_machine, which with 64 vCPUs on two host cores takes
# seconds per operation.  Hotplug's matrix is smp 2, 4, 8, gic3 16, rpi4,
# icount (docs/hotplug.md).
targetlib.ktest_main(['--gic', '3', '--smp', '64'], timeout=300,
                     suites=targetlib.all_suites_but("hotplug"))
