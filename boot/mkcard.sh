#!/usr/bin/env bash
# Builds a FAT boot-partition image and a whole-card image around it.
#
#   boot/mkcard.sh PART.img CARD.img SRC[=NAME]...
#
# Every SRC file is copied into the root of the partition, as NAME if given.
# CARD.img is what `dd` writes to an SD card: an MBR with one bootable
# FAT32 (LBA) partition starting at 1 MiB, then the partition itself.
#
# Sizes: the card is 64 MiB because QEMU only accepts SD cards whose size
# is a power of two; the partition takes the rest after the 1 MiB gap that
# keeps it aligned to flash erase blocks.  63 MiB of 512-byte clusters is
# above FAT32's minimum cluster count, and the Pi firmware reads FAT32.
#
# The volume id, disk id and mkfs.fat's other variable fields are fixed, so
# only file contents (and mtools' copy of their times) vary between builds.
# mtools and mkfs.fat work on plain files: no root, no loop devices.
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 PART.img CARD.img SRC[=NAME]..." >&2; exit 2; }
part=$1
card=$2
shift 2

CARD_MIB=64
START_MIB=1
part_kib=$(( (CARD_MIB - START_MIB) * 1024 ))

for tool in mkfs.fat mcopy sfdisk; do
    command -v "$tool" >/dev/null 2>&1 ||
        { echo "mkcard: $tool is missing (scripts/setup.sh installs dosfstools, mtools, fdisk)" >&2; exit 1; }
done

# mtools refuses images whose geometry does not look like a floppy or disk
# it knows unless told not to check.
export MTOOLS_SKIP_CHECK=1

rm -f "$part.tmp" "$card.tmp"
trap 'rm -f "$part.tmp" "$card.tmp"' EXIT

mkfs.fat -C -F 32 -n RONDO -i 524f4e44 --invariant "$part.tmp" "$part_kib" >/dev/null
for src in "$@"; do
    file=${src%%=*}
    name=${src#*=}
    [ "$name" != "$src" ] || name=$(basename "$file")
    [ -f "$file" ] || { echo "mkcard: $file not found" >&2; exit 1; }
    mcopy -i "$part.tmp" "$file" "::/$name"
done

truncate -s "${CARD_MIB}M" "$card.tmp"
# type c = FAT32 with LBA, the type the Pi's boot ROM and firmware expect.
printf 'label: dos\nlabel-id: 0x524f4e44\nstart=%d, type=c, bootable\n' $((START_MIB * 2048)) |
    sfdisk -q "$card.tmp"
dd if="$part.tmp" of="$card.tmp" bs=1M seek="$START_MIB" conv=notrunc,sparse status=none

mv "$part.tmp" "$part"
mv "$card.tmp" "$card"
