#!/usr/bin/env bash
# Installs what building and testing Rondo needs on Debian 12, and nothing
# when it is all there already.  Called by `make run`, `make test` and CI.
#
# QEMU >= 9 comes from bookworm-backports (Debian 12's own 7.2 has no
# raspi4b).  The backports line is derived from the machine's existing apt
# sources, so no mirror is named here.
set -euo pipefail

need_pkgs=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu device-tree-compiler
           u-boot-tools libcmocka-dev clang libclang-rt-dev perl make gcc python3 libfdt-dev
           mtools dosfstools fdisk u-boot-qemu python3-matplotlib)
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

qemu_ok() {
    command -v qemu-system-aarch64 >/dev/null 2>&1 || return 1
    local v
    v=$(qemu-system-aarch64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -1)
    [ -n "$v" ] && [ "$v" -ge 9 ]
}

missing=()
for p in "${need_pkgs[@]}"; do have "$p" || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ] && qemu_ok; then
    exit 0
fi

# The first Debian mirror URI the machine already uses for bookworm main.
debian_uri() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk 'BEGIN{RS="";FS="\n"}
             /Suites:[^\n]*bookworm([ \n]|$)/ && /Components:[^\n]*main/ {
               for(i=1;i<=NF;i++) if ($i ~ /^URIs:/) { sub(/^URIs: */,"",$i); split($i,a," "); print a[1]; exit } }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk '$1=="deb" && $3=="bookworm" {print $2; exit}' "$f"
    done
}

bp=/etc/apt/sources.list.d/rondo-backports.sources
if [ ! -f "$bp" ]; then
    uri=$(debian_uri | head -1)
    if [ -z "$uri" ]; then
        echo "setup: cannot find a Debian bookworm mirror in the apt sources" >&2
        exit 1
    fi
    echo "setup: adding bookworm-backports from the machine's own mirror"
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main non-free-firmware\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$uri" | $SUDO tee "$bp" >/dev/null
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ! qemu_ok; then
    $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports \
        qemu-system-arm qemu-utils
fi
qemu_ok || { echo "setup: QEMU >= 9 could not be installed" >&2; exit 1; }
echo "setup: done ($(qemu-system-aarch64 --version | head -1))"
