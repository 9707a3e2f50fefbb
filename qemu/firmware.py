"""Boot paths of qemu/run that go through firmware instead of -kernel.

--uboot    Debian's U-Boot boots our boot.scr and uImage from a disk image:
           raspi4b: u-boot-rpi started the way the Pi firmware starts it
           (as kernel8.img, with the DTB), the card on the SD controller;
           virt:    u-boot-qemu as -bios, the disk on virtio-blk.
--armstub  The hand-off the Pi 4 firmware performs with `armstub=bl31.bin`,
           done here in its place: the armstub at address 0 with the
           header words filled in, the kernel at 0x80000, the DTB at
           0x8000000 with memory and command line filled in, all four
           cores started at address 0 in EL3.

Each function returns the QEMU arguments that load the boot chain; files it
has to make go into tmpdir, which the caller removes.
"""

import os
import shutil
import struct
import subprocess

UBOOT_RPI = os.path.join("cache", "fw", "u-boot-rpi", "u-boot.bin")
UBOOT_QEMU = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
DISKS = {"rpi4": os.path.join("build", "uboot", "sdcard-rpi4.img"),
         "virt": os.path.join("build", "uboot", "disk-virt.img")}
TFA_DTB = os.path.join("build", "sdcard", "rondo-rpi4-tfa.dtb")

# The words start4.elf fills in at the start of a 64-bit armstub: it checks
# the magic, clears it to say "filled in", then writes the DTB address and
# the kernel entry (TF-A: plat/rpi/rpi4, stub_magic/dtb_ptr32/kernel_entry32).
STUB_MAGIC_OFF, DTB_PTR_OFF, KERNEL_ENTRY_OFF = 0xf0, 0xf8, 0xfc
STUB_MAGIC = 0x5afe570b
FW_DTB_ADDR = 0x08000000     # where QEMU's own raspi boot puts the DTB too
FW_KERNEL_ADDR = 0x80000     # kernel8.img's classic load address
# RAM below the VideoCore's share, as QEMU's raspi4b and the firmware report it.
FW_RAM_SIZE = 0x3c000000


class SetupError(Exception):
    pass


def check_options(p, args):
    """qemu/run's firmware and real-board options (p: its argparse parser)
    exclude what cannot apply."""
    if args.banner_timeout < 0:
        p.error("--banner-timeout must be >= 0")
    if args.serial is not None:
        qemu_only = [o for o, v in (("--append", args.append), ("--dtb", args.dtb),
                     ("--kernel", args.kernel), ("--uboot", args.uboot or None),
                     ("--sdcard", args.sdcard), ("--bios", args.bios),
                     ("--armstub", args.armstub), ("--icount", args.icount or None),
                     ("--qemu-arg", args.qemu_arg or None)) if v is not None]
        if qemu_only:
            p.error(f"--serial talks to a real board; {', '.join(qemu_only)} only apply to QEMU "
                    "(the board's command line is cmdline.txt on its SD card)")
        return
    if args.uboot and args.armstub:
        p.error("--uboot and --armstub are two different boot chains; pick one")
    if args.bios is not None and not args.uboot:
        p.error("--bios needs --uboot")
    if args.uboot and args.kernel is not None:
        p.error("--uboot boots the uImage on the disk; rebuild it with make uboot, not --kernel")
    if args.uboot and args.board == "virt" and args.dtb is not None:
        p.error("--uboot on virt: U-Boot and the kernel use QEMU's own DTB")
    if args.armstub and args.board != "rpi4":
        p.error("--armstub is the Raspberry Pi firmware's hand-off; use --board rpi4")


def _need_file(path, hint):
    if not os.path.isfile(path):
        raise SetupError(f"{path} not found; {hint}")
    return path


def _drive(path, writable):
    """A raw disk; snapshot=on keeps U-Boot from changing the caller's file."""
    opts = f"format=raw,file={path}"
    return opts if writable else opts + ",snapshot=on"


def uboot_args(args, repo, dtb, tmpdir):
    disk = args.sdcard or os.path.join(repo, DISKS[args.board])
    _need_file(disk, "run make uboot first")
    writable = False
    if args.board == "virt" and args.append is not None:
        # No firmware passes a command line on virt: boot.scr imports
        # rondo.env from the disk instead, so give it a copy with one.
        disk = _disk_with_env(disk, {"bootargs": args.append}, tmpdir)
        writable = True

    if args.board == "rpi4":
        uboot = args.bios or os.path.join(repo, UBOOT_RPI)
        _need_file(uboot, "run scripts/fetch-firmware.sh (or make firmware)")
        # The firmware starts U-Boot exactly as it would start kernel8.img;
        # -append plays the part of cmdline.txt (it lands in the DTB's
        # /chosen/bootargs, which U-Boot passes on untouched).
        cmd = ["-kernel", uboot, "-dtb", dtb]
        if args.append is not None:
            cmd += ["-append", args.append]
        return cmd + ["-drive", "if=sd," + _drive(disk, writable)]

    uboot = args.bios or UBOOT_QEMU
    _need_file(uboot, "install Debian's u-boot-qemu (scripts/setup.sh)")
    return ["-bios", uboot,
            "-drive", "if=none,id=disk0," + _drive(disk, writable),
            "-device", "virtio-blk-device,drive=disk0"]


def disk_args(args):
    """--sdcard without --uboot: attach the disk anyway (the kernel ignores it)."""
    _need_file(args.sdcard, "run make sdcard or make uboot first")
    if args.board == "rpi4":
        return ["-drive", "if=sd," + _drive(args.sdcard, False)]
    return ["-drive", "if=none,id=disk0," + _drive(args.sdcard, False),
            "-device", "virtio-blk-device,drive=disk0"]


def _disk_with_env(disk, env, tmpdir):
    copy = os.path.join(tmpdir, "disk.img")
    shutil.copyfile(disk, copy)
    env_file = os.path.join(tmpdir, "rondo.env")
    with open(env_file, "w") as f:
        for name, value in env.items():
            f.write(f"{name}={value}\n")
    # The FAT partition starts 1 MiB into the disk (boot/mkcard.sh).
    _run(["mcopy", "-o", "-i", f"{copy}@@1M", env_file, "::/rondo.env"],
         "mcopy (mtools) could not add rondo.env to the disk")
    return copy


def _run(argv, what):
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    try:
        p = subprocess.run(argv, capture_output=True, text=True, env=env)
    except OSError as e:
        raise SetupError(f"{what}: {e}")
    if p.returncode != 0:
        raise SetupError(f"{what}: {(p.stdout + p.stderr).strip()}")


def armstub_args(args, repo, kernel, dtb, tmpdir):
    stub = _need_file(args.armstub, "(Debian's TF-A: cache/fw/tf-a/bl31.bin, "
                      "from scripts/fetch-firmware.sh)")
    with open(stub, "rb") as f:
        blob = bytearray(f.read())
    if len(blob) < 0x100 or struct.unpack_from("<I", blob, STUB_MAGIC_OFF)[0] != STUB_MAGIC:
        raise SetupError(f"{stub} has no armstub magic 0x{STUB_MAGIC:x} at 0x{STUB_MAGIC_OFF:x}")
    struct.pack_into("<I", blob, STUB_MAGIC_OFF, 0)
    struct.pack_into("<I", blob, DTB_PTR_OFF, FW_DTB_ADDR)
    struct.pack_into("<I", blob, KERNEL_ENTRY_OFF, FW_KERNEL_ADDR)
    stub_out = os.path.join(tmpdir, "armstub.bin")
    with open(stub_out, "wb") as f:
        f.write(blob)

    # What start4.elf does to the DTB before it starts the armstub.
    dtb_out = os.path.join(tmpdir, "fw.dtb")
    shutil.copyfile(dtb, dtb_out)
    _run(["fdtput", "-t", "x", dtb_out, "/memory@0", "reg", "0", "0", f"{FW_RAM_SIZE:x}"],
         "fdtput could not set /memory@0 reg")
    _run(["fdtput", "-t", "s", dtb_out, "/chosen", "bootargs", args.append or ""],
         "fdtput could not set /chosen/bootargs")

    def load(path, addr):
        return ["-device", f"loader,file={path},addr=0x{addr:x},force-raw=on"]

    # QEMU models the GIC-400 without its security extensions, so the
    # secure firmware's group setup would leave the kernel without
    # interrupts; the real GIC-400 has them, so turn them on.
    return (["-global", "arm_gic.has-security-extensions=on"]
            + load(stub_out, 0) + load(kernel, FW_KERNEL_ADDR) + load(dtb_out, FW_DTB_ADDR))


def default_armstub_dtb(repo):
    return os.path.join(repo, TFA_DTB)
