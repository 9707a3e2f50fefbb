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

deb=$(ls "$debdir"/linux-image-*-arm64_*_arm64.deb 2>/dev/null | head -1 || true)
if [ -z "$deb" ]; then
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    mirror=$(debian_mirror "$codename" | head -1)
    if [ -z "$codename" ] || [ -z "$mirror" ]; then
        echo "fetch-dtbs: cannot find a Debian release and mirror in the apt setup" >&2
        exit 1
    fi
    mkdir -p "$aptdir/lists/partial" "$aptdir/archives/partial" "$aptdir/parts" "$aptdir/prefs"
    : >"$aptdir/status"
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nArchitectures: arm64\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
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
    echo "fetch-dtbs: reading the arm64 package list of $codename"
    apt-get update -qq
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
