#!/usr/bin/env bash
# Runs the libFuzzer target for lib/fdt*.c for a bounded time and reports
# one TAP result.  FUZZ_SECONDS (default 30) sets the time.  The DTBs in
# cache/dtb/ are the seeds; what the fuzzer finds interesting is kept in
# build/host/fuzz-corpus/ and any crashing input in build/host/fuzz-crash-*.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
fuzzer=$root/build/host/fuzz_fdt
seconds=${FUZZ_SECONDS:-30}
corpus=$root/build/host/fuzz-corpus
log=$root/build/host/fuzz_fdt.log

echo "1..1"
if [ ! -x "$fuzzer" ]; then
    echo "not ok 1 - fuzz_fdt is not built (make host-build)"
    exit 1
fi
mkdir -p "$corpus"
# -max_len 32768: long enough for every tree's header, structure and
# strings (the QEMU DTBs are padded to 1 MiB with zeros); -timeout turns
# an endless loop into a failure.
"$fuzzer" -max_total_time="$seconds" -max_len=32768 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$root/build/host/fuzz-crash-" \
    "$corpus" "${RONDO_DTB_DIR:-$root/cache/dtb}" >"$log" 2>&1
status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
if [ "$status" -eq 0 ] && [ -n "$runs" ] && [ "$runs" -gt 0 ]; then
    echo "ok 1 - fuzz_fdt: $runs inputs in ${seconds}s, no crash"
    exit 0
fi
echo "not ok 1 - fuzz_fdt (exit $status, ${runs:-0} inputs; log in $log)"
grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20 | sed 's/^/# /'
exit 1
