#!/usr/bin/env python3
"""Every on-target KTAP suite on QEMU virt, GICv3, 16 CPUs."""
import sys
sys.dont_write_bytecode = True
import targetlib

targetlib.ktest_main(['--gic', '3', '--smp', '16'], timeout=420, selftest=True)
