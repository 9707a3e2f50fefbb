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

# The first mirror URI that the machine's apt sources use for the release's
# main component (deb822 .sources files first, then one-line .list files).
debian_mirror() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v rel="$1" 'BEGIN { RS = ""; FS = "\n" }
             $0 ~ ("Suites:[^\n]*[ ]" rel "([ \n]|$)") && /Components:[^\n]*main/ {
                 for (i = 1; i <= NF; i++)
                     if ($i ~ /^URIs:/) { sub(/^URIs: */, "", $i); split($i, u, " "); print u[1]; exit }
             }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk -v rel="$1" '$1 == "deb" && $3 == rel && / main/ { print $2; exit }' "$f"
    done
}

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
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    mirror=$(debian_mirror "$codename" | head -1)
    [ -n "$codename" ] && [ -n "$mirror" ] ||
        die "cannot find a Debian release and mirror in the apt setup"
    mkdir -p "$aptdir/lists/partial" "$aptdir/archives/partial" "$aptdir/parts" "$aptdir/prefs"
    : >"$aptdir/status"
    # raspi-firmware lives in non-free-firmware, the rest in main.
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main non-free-firmware\nArchitectures: arm64\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$mirror" "$codename" >"$aptdir/parts/debian-arm64.sources"
    cat >"$aptdir/apt.conf" <<EOF
APT::Architecture "arm64";
APT::Architectures { "arm64"; };
APT::Sandbox::User "root";
Dir::State "$aptdir";
Dir::State::Lists "$aptdir/lists";
Dir::State::status "$aptdir/status";
Dir::Cache "$aptdir";
Dir::Cache::archives "$aptdir/archives";
Dir::Etc::sourcelist "/dev/null";
Dir::Etc::sourceparts "$aptdir/parts";
Dir::Etc::preferences "/dev/null";
Dir::Etc::preferencesparts "$aptdir/prefs";
EOF
    export APT_CONFIG=$aptdir/apt.conf
    echo "fetch-firmware: reading the arm64 package lists of $codename"
    apt-get update -qq || die "apt-get update failed for the arm64 lists"
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
