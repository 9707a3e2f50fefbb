#!/usr/bin/env bash
# `make bench`: boot under -icount (virtual time = instructions executed, so
# the figures repeat run to run) and print the kernel's "name value unit"
# lines for -smp 4 and 8.  docs/benchmarks.md explains each figure.
set -euo pipefail
cd "$(dirname "$0")/.."
for smp in ${BENCH_SMP:-4 8}; do
	echo "# qemu/run --smp $smp --icount --cmds \"bench; poweroff\""
	qemu/run --smp "$smp" --icount --timeout 120 --cmds "bench; poweroff" 2>/dev/null |
		tr -d '\r' | grep -E '^[a-z_0-9]+ [0-9.]+ [a-z]+$'
done
