#!/bin/sh
# The image relocates itself with R_AARCH64_RELATIVE entries only (head.S);
# anything else would be silently wrong at run time, so refuse it here.
set -e
elf=$1
bad=$(${CROSS:-aarch64-linux-gnu-}readelf -rW "$elf" | awk '/^[0-9a-f]+ +[0-9a-f]+ +R_AARCH64_/ && $3 != "R_AARCH64_RELATIVE" && $3 != "R_AARCH64_NONE" {print $3}' | sort -u)
if [ -n "$bad" ]; then
	echo "check-elf: $elf has relocations head.S cannot apply: $bad" >&2
	exit 1
fi
