#!/usr/bin/env bash
# Fills cache/fw/ with the Raspberry Pi 4 boot firmware that Debian ships
# only for arm64, so it cannot simply be apt-get installed on an amd64 host:
#
#   cache/fw/raspi-firmware/   start4.elf, fixup4.dat, copyright  (raspi-firmware,
#                              component non-free-firmware)
#   cache/fw/u-boot-rpi/       u-boot.bin, the rpi_arm64 build    (u-boot-rpi)
#   cache/fw/tf-a/             bl31.bin, TF-A BL31 for rpi4       (arm-trusted-firmware)
#   cache/fw/VERSIONS          which package version each file came from
#
# Like fetch-dtbs.sh it uses a private apt configuration (cache/apt-fw/),
# so the machine's dpkg never learns the arm64 architecture, and the mirror
# is the one the machine's own apt sources already name.  When every file
# is there the script does nothing at all, so a second run downloads nothing.
# Any failure is fatal: tests that need these files must not skip quietly.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
fw=$root/cache/fw
debdir=$root/cache/deb
aptdir=$root/cache/apt-fw

# "package  path-in-package  destination" for every file we keep.
wanted=(
    "raspi-firmware       usr/lib/raspi-firmware/start4.elf              raspi-firmware/start4.elf"
    "raspi-firmware       usr/lib/raspi-firmware/fixup4.dat              raspi-firmware/fixup4.dat"
    "raspi-firmware       usr/share/doc/raspi-firmware/copyright         raspi-firmware/copyright"
    "u-boot-rpi           usr/lib/u-boot/rpi_arm64/u-boot.bin            u-boot-rpi/u-boot.bin"
    "arm-trusted-firmware usr/lib/arm-trusted-firmware/rpi4/bl31.bin     tf-a/bl31.bin"
)

missing=0
for w in "${wanted[@]}"; do
    read -r _ _ dest <<<"$w"
    [ -s "$fw/$dest" ] || missing=1
done
[ "$missing" = 0 ] && exit 0

die() { echo "fetch-firmware: $*" >&2; exit 1; }

. "$root/scripts/arm64-apt.sh"

command -v dpkg-deb >/dev/null || die "dpkg-deb is missing (a Debian host is needed)"
mkdir -p "$fw" "$debdir"

# The .deb of a package, downloaded once into cache/deb/ (raspi-firmware
# is Architecture: all, the others arm64).
pkgs=$(for w in "${wanted[@]}"; do read -r p _ <<<"$w"; echo "$p"; done | sort -u)
need_download=()
for p in $pkgs; do
    ls "$debdir/${p}"_*.deb >/dev/null 2>&1 || need_download+=("$p")
done

if [ ${#need_download[@]} -gt 0 ]; then
    arm64_apt_config "$aptdir" fetch-firmware || die "apt-get update failed for the arm64 lists"
    for p in "${need_download[@]}"; do
        echo "fetch-firmware: downloading $p"
        (cd "$debdir" && apt-get download -qq "$p:arm64") || die "cannot download $p:arm64"
    done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/VERSIONS"
for p in $pkgs; do
    deb=$(ls "$debdir/${p}"_*.deb | sort -V | tail -1)
    mkdir -p "$tmp/$p"
    dpkg-deb -x "$deb" "$tmp/$p"
    echo "$p $(dpkg-deb -f "$deb" Version)" >>"$tmp/VERSIONS"
done
for w in "${wanted[@]}"; do
    read -r p src dest <<<"$w"
    [ -s "$tmp/$p/$src" ] || die "$p has no /$src"
    mkdir -p "$(dirname "$fw/$dest")"
    cp "$tmp/$p/$src" "$fw/$dest.tmp"
    mv "$fw/$dest.tmp" "$fw/$dest"
done
cp "$tmp/VERSIONS" "$fw/VERSIONS"
echo "fetch-firmware: done:" $(tr '\n' ';' <"$fw/VERSIONS")
