#!/usr/bin/env python3
"""Every on-target KTAP suite on QEMU virt, GICv2, 4 CPUs entered at EL2 (virtualization=on)."""
import sys
sys.dont_write_bytecode = True
import targetlib

targetlib.ktest_main(['--smp', '4', '--el2'], timeout=120)
