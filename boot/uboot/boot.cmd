# U-Boot boot script for Rondo.  `make uboot` compiles it into boot.scr with
#   mkimage -A arm64 -O linux -T script -C none -d boot.cmd boot.scr
# U-Boot's distro boot scans each disk's first FAT partition for boot.scr and
# runs it with ${devtype} ${devnum}:${distro_bootpart} naming that partition.
# The same script serves Debian's u-boot-rpi on a Raspberry Pi 4 (SD card)
# and u-boot-qemu on QEMU virt (virtio disk); each disk carries a uImage
# built for its board's RAM layout.

echo "Rondo: boot.scr on ${board} (${devtype} ${devnum}:${distro_bootpart})"

# Where the uImage file is read to, 64 MiB above the start of RAM: clear of
# U-Boot (relocated to the top of RAM), of the DTB the firmware or QEMU left
# behind (Pi: 0x8000000, virt: 0x40000000) and of the place bootm copies the
# kernel to (the uImage's load address, RAM start + 2 MiB).
if test "${board}" = "rpi"; then
	setenv rondo_uimage 0x04000000
else
	setenv rondo_uimage 0x44000000
fi

# Optional rondo.env on the same partition: "name=value" lines imported into
# the environment.  "bootargs=..." there sets the kernel command line; on
# virt it is the only way to give one, since no firmware reads cmdline.txt.
# On a Pi without it, the DTB keeps the firmware's copy of cmdline.txt.
if load ${devtype} ${devnum}:${distro_bootpart} ${rondo_uimage} rondo.env; then
	env import -t ${rondo_uimage} ${filesize}
	echo "Rondo: rondo.env imported, bootargs: ${bootargs}"
fi

load ${devtype} ${devnum}:${distro_bootpart} ${rondo_uimage} uImage

# ${fdt_addr} is the DTB we were started with: the one the Pi firmware
# patched (memory, cmdline.txt) or the one QEMU generated for virt.  bootm
# copies the kernel to its load address, adds /chosen to the DTB (moving it
# if it must grow) and enters the kernel with x0 = the DTB, at the exception
# level U-Boot runs at (EL2 on the Pi, EL1 or EL2 on virt).
bootm ${rondo_uimage} - ${fdt_addr}

echo "Rondo: bootm returned; is uImage on ${devtype} ${devnum}:${distro_bootpart}?"
