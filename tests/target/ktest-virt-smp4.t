#!/usr/bin/env python3
"""Every on-target KTAP suite on QEMU virt, GICv2, 4 CPUs."""
import sys
sys.dont_write_bytecode = True
import targetlib

targetlib.ktest_main(['--smp', '4'], timeout=120, selftest=True)
