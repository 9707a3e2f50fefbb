#!/usr/bin/env bash
# Cross-checks lib/fdt*.c (through build/host/fdtquery) with the real
# fdtget from dtc, on every DTB in cache/dtb/: the subnode and property
# lists of every node, and every property's bytes and words.  fdtget takes
# many node/property pairs per call, so each comparison is one run of each.
# TAP output; exit status non-zero when any check fails.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
query=$root/build/host/fdtquery
dtbdir=${RONDO_DTB_DIR:-$root/cache/dtb}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }

# Run both tools with the same arguments; pass when output and status agree.
same() {
    local what=$1
    shift
    fdtget "$@" >"$tmp/ref" 2>/dev/null
    local rs=$?
    "$query" "$@" >"$tmp/ours" 2>/dev/null
    local qs=$?
    if [ "$rs" = 0 ] && [ "$qs" = 0 ] && cmp -s "$tmp/ref" "$tmp/ours"; then
        ok "$what"
    else
        not_ok "$what"
        echo "# fdtget exit $rs, fdtquery exit $qs"
        diff "$tmp/ref" "$tmp/ours" | head -5 | sed 's/^/# /'
    fi
}

expect() {
    local what=$1 want=$2
    shift 2
    local got
    got=$("$query" "$@" 2>&1)
    if [ "$got" = "$want" ]; then ok "$what"; else not_ok "$what"; echo "# got: $got"; fi
}

shopt -s nullglob
dtbs=("$dtbdir"/*.dtb)
echo "1..$((2 + ${#dtbs[@]} * 5 + 4))"

if [ -x "$query" ]; then ok "fdtquery is built"; else not_ok "fdtquery is built (make host-build)"; fi
if command -v fdtget >/dev/null; then ok "fdtget is installed"; else not_ok "fdtget is installed"; fi

for dtb in "${dtbs[@]}"; do
    name=$(basename "$dtb")
    mapfile -t nodes < <("$query" -a "$dtb" 2>/dev/null)
    if [ "${#nodes[@]}" -lt 10 ]; then
        not_ok "$name: fdtquery -a lists only ${#nodes[@]} nodes"
    else
        same "$name: subnodes of all ${#nodes[@]} nodes" -l "$dtb" "${nodes[@]}"
    fi
    same "$name: property names of all nodes" -p "$dtb" "${nodes[@]}"

    # Every (node, property) pair, from fdtget's own listing.
    pairs=()
    strings=()
    for node in "${nodes[@]}"; do
        while IFS= read -r prop; do
            pairs+=("$node" "$prop")
            case $prop in
                compatible|status|device_type|model|stdout-path|method|enable-method)
                    strings+=("$node" "$prop") ;;
            esac
        done < <(fdtget -p "$dtb" "$node" 2>/dev/null)
    done
    same "$name: bytes of all $((${#pairs[@]} / 2)) properties" -t bx "$dtb" "${pairs[@]}"
    same "$name: words of all properties" -t x "$dtb" "${pairs[@]}"
    same "$name: $((${#strings[@]} / 2)) string properties" -t s "$dtb" "${strings[@]}"
done

# Lookups fdtget cannot make: aliases with options and translated "reg".
rpi=$dtbdir/bcm2711-rpi-4-b.dtb
virt=$dtbdir/virt-gic2-smp4.dtb
expect "rpi4 console via stdout-path alias" "0xfe215040 0x40" -r "$rpi" serial1:115200n8
expect "rpi4 GIC-400 distributor and CPU interface" \
    "$(printf '0xff841000 0x1000\n0xff842000 0x2000\n0xff844000 0x2000\n0xff846000 0x2000')" \
    -r "$rpi" /soc/interrupt-controller@40041000
expect "virt PL011" "0x9000000 0x1000" -r "$virt" /pl011@9000000
expect "missing node is an error" "Error at '/nope': not found" -r "$virt" /nope

if [ "$failed" -gt 0 ]; then
    echo "# $failed of $n failed"
    exit 1
fi
exit 0
