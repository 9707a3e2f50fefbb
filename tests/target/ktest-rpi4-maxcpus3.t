#!/usr/bin/env bash
# The maxcpus=3 entry on raspi4b: spin-table CPUs parked in our own loop.
MAXCPUS3_BOARD=rpi4 exec "$(dirname "$0")/ktest-maxcpus3.t"
