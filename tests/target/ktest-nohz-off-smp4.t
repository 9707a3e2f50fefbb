#!/usr/bin/env python3
"""The periodic tick on idle CPUs too (nohz=off), QEMU virt, 4 CPUs: the
nohz suite checks the nohz=off expectations (idle CPUs tick, nobody is
kicked), and the suites that count ticks or sleep run in that mode too."""
import sys
sys.dont_write_bytecode = True
import targetlib

SUITES = "nohz,irq,wait,sched,kthread"
targetlib.ktest_main(['--smp', '4'], timeout=180, suites=SUITES, cmdline="nohz=off")
