#!/usr/bin/env python3
"""Every on-target KTAP suite on QEMU virt, GICv2, 2 CPUs."""
import sys
sys.dont_write_bytecode = True
import targetlib

targetlib.ktest_main(['--smp', '2'], timeout=120)
