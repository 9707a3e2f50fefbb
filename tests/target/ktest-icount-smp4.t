#!/usr/bin/env python3
"""Every on-target KTAP suite on QEMU virt, GICv2, 4 CPUs under -icount (deterministic time)."""
import sys
sys.dont_write_bytecode = True
import targetlib

targetlib.ktest_main(['--smp', '4', '--icount'], timeout=400)
