#!/usr/bin/env bash
# Fills cache/dtb/ with the device trees the host tests read:
#   - QEMU virt boards, dumped by QEMU itself for several GIC versions and
#     CPU counts (virt-gic<G>-smp<N>.dtb, virt-gic<G>-smp<N>-el2.dtb);
#   - the Raspberry Pi 4 B tree (bcm2711-rpi-4-b.dtb), which QEMU cannot
#     dump for raspi4b, taken from Debian's arm64 kernel package.
# Every output that already exists is left alone, so a second run downloads
# and runs nothing.
#
# The arm64 kernel package is found with a private apt configuration under
# cache/apt/, so the machine's dpkg never has to learn the arm64
# architecture.  The mirror is the one the machine's apt sources already use.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dtbdir=$root/cache/dtb
debdir=$root/cache/deb
aptdir=$root/cache/apt
mkdir -p "$dtbdir" "$debdir"

# ---- QEMU virt -------------------------------------------------------------

# "gic smp extra-machine-options suffix"
virt_boards=(
    "2 1 - -"
    "2 2 - -"
    "2 4 - -"
    "2 8 - -"
    "3 16 - -"
    "3 64 - -"
    "2 4 virtualization=on -el2"
)

for b in "${virt_boards[@]}"; do
    read -r gic smp extra suffix <<<"$b"
    [ "$extra" = - ] && extra="" || extra=",$extra"
    [ "$suffix" = - ] && suffix=""
    out=$dtbdir/virt-gic$gic-smp$smp$suffix.dtb
    [ -s "$out" ] && continue
    # -nic none: the default NIC wants an option ROM that is not always
    # installed, and it does not show up in the tree anyway.
    qemu-system-aarch64 -M "virt,gic-version=$gic$extra,dumpdtb=$out.tmp" \
        -cpu cortex-a72 -m 512 -smp "$smp" -nic none -display none >/dev/null
    mv "$out.tmp" "$out"
    echo "fetch-dtbs: $(basename "$out")"
done

# ---- Raspberry Pi 4 from Debian's arm64 kernel -----------------------------

rpi=$dtbdir/bcm2711-rpi-4-b.dtb
[ -s "$rpi" ] && exit 0

. "$root/scripts/arm64-apt.sh"

deb=$(ls "$debdir"/linux-image-*-arm64_*_arm64.deb 2>/dev/null | head -1 || true)
if [ -z "$deb" ]; then
    arm64_apt_config "$aptdir" fetch-dtbs
    # linux-image-arm64 is the meta package; it depends on the current
    # versioned image, e.g. linux-image-6.1.0-99-arm64.
    image=$(apt-cache depends linux-image-arm64 |
            sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-arm64\)$/\1/p' | head -1)
    if [ -z "$image" ]; then
        echo "fetch-dtbs: no versioned image behind linux-image-arm64" >&2
        exit 1
    fi
    echo "fetch-dtbs: downloading $image"
    (cd "$debdir" && apt-get download -qq "$image:arm64")
    deb=$(ls "$debdir"/"$image"_*_arm64.deb | head -1)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb --fsys-tarfile "$deb" |
    tar -x -C "$tmp" --wildcards '*/broadcom/bcm2711-rpi-4-b.dtb'
found=$(find "$tmp" -name bcm2711-rpi-4-b.dtb | head -1)
if [ -z "$found" ]; then
    echo "fetch-dtbs: $(basename "$deb") has no broadcom/bcm2711-rpi-4-b.dtb" >&2
    exit 1
fi
cp "$found" "$rpi.tmp"
mv "$rpi.tmp" "$rpi"
echo "fetch-dtbs: bcm2711-rpi-4-b.dtb from $(basename "$deb")"
