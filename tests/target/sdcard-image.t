#!/usr/bin/env python3
"""What `make sdcard` and `make uboot` produce, checked from the outside:
partition tables (sfdisk), FAT contents (mtools), config.txt's rules,
the TF-A DTB's aliases (fdtget), the uImage and boot.scr headers; then the
direct card is booted on QEMU raspi4b from the kernel8.img and DTB read
back out of its FAT partition, with the card itself on the SD controller.
Missing images or tools fail; they never skip."""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
sys.dont_write_bytecode = True
import targetlib as t

SD = os.path.join(t.REPO, "build", "sdcard")
UB = os.path.join(t.REPO, "build", "uboot")
FW = os.path.join(t.REPO, "cache", "fw")
IMAGE = os.path.join(t.REPO, "build", "Image")
PI_FILES = {"start4.elf", "fixup4.dat", "LICENCE.raspi-firmware", "cmdline.txt", "config.txt"}
# disk -> (its FAT partition image, staging dir, files that must be on it)
DISKS = {
    "sdcard.img": (os.path.join(SD, "boot.img"), os.path.join(SD, "boot"),
                   PI_FILES | {"kernel8.img", "bcm2711-rpi-4-b.dtb"}),
    "sdcard-tfa.img": (os.path.join(SD, "boot-tfa.img"), os.path.join(SD, "boot-tfa"),
                       PI_FILES | {"kernel8.img", "bl31.bin", "rondo-rpi4-tfa.dtb"}),
    "uboot/sdcard-rpi4.img": (os.path.join(UB, "boot-rpi4.img"), os.path.join(UB, "rpi4"),
                              PI_FILES | {"u-boot.bin", "boot.scr", "uImage",
                                          "bcm2711-rpi-4-b.dtb"}),
    "uboot/disk-virt.img": (os.path.join(UB, "boot-virt.img"), os.path.join(UB, "virt"),
                            {"boot.scr", "uImage"}),
}
# Where some of the card's files must come from, byte for byte.
SOURCES = {"start4.elf": os.path.join(FW, "raspi-firmware", "start4.elf"),
           "fixup4.dat": os.path.join(FW, "raspi-firmware", "fixup4.dat"),
           "bl31.bin": os.path.join(FW, "tf-a", "bl31.bin"),
           "u-boot.bin": os.path.join(FW, "u-boot-rpi", "u-boot.bin"),
           "kernel8.img": IMAGE}
MIB = 1 << 20


def sh(argv):
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    try:
        p = subprocess.run(argv, capture_output=True, env=env)
    except OSError as e:
        return 127, str(e).encode()
    return p.returncode, p.stdout + p.stderr


def disk_path(name):
    return os.path.join(UB, name[len("uboot/"):]) if name.startswith("uboot/") \
        else os.path.join(SD, name)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def check_disk(tap, name, part_img, stage, files, tmp):
    disk = disk_path(name)
    if not tap.ok(os.path.isfile(disk) and os.path.isfile(part_img),
                  f"{name}: disk and partition image exist",
                  diag=["run make sdcard and make uboot (make test does)"]):
        return None
    size = os.path.getsize(disk)
    tap.ok(size == 64 * MIB, f"{name}: 64 MiB, a power of two as QEMU wants for SD cards",
           diag=[f"size {size}"])
    rc, out = sh(["sfdisk", "--dump", disk])
    parts = re.findall(rb"start=\s*(\d+), size=\s*(\d+), type=(\w+)(, bootable)?", out)
    tap.ok(rc == 0 and len(parts) == 1, f"{name}: MBR with exactly one partition",
           diag=[out.decode(errors="replace")])
    if parts:
        start, count, ptype, boot = parts[0]
        tap.ok(int(start) == 2048 and int(count) * 512 == os.path.getsize(part_img)
               and ptype == b"c" and boot,
               f"{name}: bootable FAT32-LBA (type c) from 1 MiB to the end",
               diag=[parts[0][0].decode() + " " + parts[0][1].decode() + " " + ptype.decode()])
    with open(disk, "rb") as f:
        f.seek(MIB)
        inside = f.read()
    tap.ok(inside == read(part_img), f"{name}: the partition holds {os.path.basename(part_img)}")

    rc, out = sh(["mdir", "-b", "-i", part_img, "::/"])
    names = {os.path.basename(l.strip()) for l in out.decode(errors="replace").splitlines()
             if l.strip()}
    tap.ok(rc == 0 and names == files, f"{name}: FAT holds exactly {', '.join(sorted(files))}",
           diag=[f"mdir: {sorted(names)}"])
    got = os.path.join(tmp, name.replace("/", "_"))
    os.makedirs(got)
    rc, out = sh(["mcopy", "-s", "-i", part_img, "::/*", got])
    same = rc == 0 and all(os.path.isfile(os.path.join(got, n)) and
                           read(os.path.join(got, n)) == read(os.path.join(stage, n))
                           for n in files)
    tap.ok(same, f"{name}: every file equals its copy in {os.path.relpath(stage, t.REPO)}/",
           diag=[out.decode(errors="replace")])
    for n in sorted(files & SOURCES.keys()):
        tap.ok(os.path.isfile(os.path.join(got, n)) and
               read(os.path.join(got, n)) == read(SOURCES[n]),
               f"{name}: {n} is {os.path.relpath(SOURCES[n], t.REPO)}")
    return got


def check_config(tap, label, text, want):
    """Every setting has a comment line right above it (the firmware takes
    no comments after a value); the settings that matter are there."""
    lines = text.splitlines()
    settings, bare = {}, []
    for i, line in enumerate(lines):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        key, _, value = s.partition("=")
        settings[key.strip()] = value.strip()
        if i == 0 or not lines[i - 1].strip().startswith("#") or "#" in s:
            bare.append(s)
    tap.ok(not bare, f"{label}: each setting has its own comment line above it", diag=bare)
    for key, value in want.items():
        tap.ok(settings.get(key) == value, f"{label}: {key}={value}",
               diag=[f"got {key}={settings.get(key)}"])


def uimage_header(data):
    """Legacy U-Boot image header: big-endian, 64 bytes."""
    magic, _hcrc, _time, size, load, ep, _dcrc, os_, arch, typ, comp = \
        struct.unpack(">7I4B", data[:32])
    return {"magic": magic, "size": size, "load": load, "ep": ep,
            "os": os_, "arch": arch, "type": typ, "comp": comp}


def check_uimages(tap, card_files):
    IH_OS_LINUX, IH_ARCH_ARM64, IH_TYPE_KERNEL, IH_TYPE_SCRIPT = 5, 22, 2, 6
    image = read(IMAGE)
    for board, load, got_dir in (("rpi4", 0x200000, card_files.get("uboot/sdcard-rpi4.img")),
                                 ("virt", 0x40200000, card_files.get("uboot/disk-virt.img"))):
        path = os.path.join(UB, f"uImage-{board}")
        if not tap.ok(os.path.isfile(path), f"uImage-{board} exists"):
            continue
        data = read(path)
        h = uimage_header(data)
        tap.ok(h["magic"] == 0x27051956 and h["os"] == IH_OS_LINUX and h["arch"] == IH_ARCH_ARM64
               and h["type"] == IH_TYPE_KERNEL and h["comp"] == 0,
               f"uImage-{board}: arm64 Linux kernel, uncompressed", diag=[str(h)])
        tap.ok(h["load"] == load and h["ep"] == load,
               f"uImage-{board}: load and entry 0x{load:x}", diag=[str(h)])
        tap.ok(data[64:] == image and h["size"] == len(image),
               f"uImage-{board}: the payload is build/Image")
        if got_dir:
            tap.ok(read(os.path.join(got_dir, "uImage")) == data,
                   f"uImage-{board} is the uImage on its disk")
    path = os.path.join(UB, "boot.scr")
    if tap.ok(os.path.isfile(path), "boot.scr exists"):
        data = read(path)
        h = uimage_header(data)
        cmd = read(os.path.join(t.REPO, "boot", "uboot", "boot.cmd"))
        tap.ok(h["magic"] == 0x27051956 and h["type"] == IH_TYPE_SCRIPT,
               "boot.scr: a U-Boot script image", diag=[str(h)])
        # A script image: header, a table of part lengths ending in 0, the parts.
        tap.ok(data.endswith(cmd) or cmd in data, "boot.scr carries boot/uboot/boot.cmd")


def check_tfa_dtb(tap, got_dir):
    dtb = os.path.join(got_dir, "rondo-rpi4-tfa.dtb")
    want = {("/aliases", "serial0"): "/soc/serial@7e215040",
            ("/aliases", "serial1"): "/soc/serial@7e201000"}
    for (node, prop), value in want.items():
        rc, out = sh(["fdtget", dtb, node, prop])
        tap.ok(rc == 0 and out.decode().strip() == value,
               f"TF-A DTB: {prop} is {value} (BL31's stdout-path serial0 stays on GPIO14/15)",
               diag=[out.decode(errors="replace")])


def boot_card(tap, got_dir):
    """The direct card's own kernel8.img and DTB, with the card attached."""
    before = tap.failed
    run = t.run_qemu(t.test_name(), [
        "--board", "rpi4", "--kernel", os.path.join(got_dir, "kernel8.img"),
        "--dtb", os.path.join(got_dir, "bcm2711-rpi-4-b.dtb"),
        "--sdcard", disk_path("sdcard.img"), "--cmds", "cpus; poweroff"], timeout=120)
    t.check_cpus(tap, run, "card boot", {k: "0-3" for k in
                                         ("possible", "present", "online", "active")})
    tap.ok(run.rc == 0, f"card boot: poweroff, qemu/run {run.outcome()}")
    t.finish_run(tap, run, before)


tap = t.Tap()
tools = [x for x in ("sfdisk", "mdir", "mcopy", "fdtget") if not shutil.which(x)]
if tap.ok(not tools, "sfdisk, mtools and fdtget are installed",
          diag=[f"missing {' '.join(tools)}: run scripts/setup.sh"]):
    tmp = tempfile.mkdtemp(prefix="rondo-card-")
    try:
        got = {}
        for name, (part, stage, files) in DISKS.items():
            got[name] = check_disk(tap, name, part, stage, files, tmp)
        configs = {"sdcard.img": {"arm_64bit": "1", "enable_uart": "1", "enable_gic": "1",
                                  "kernel": "kernel8.img",
                                  "device_tree": "bcm2711-rpi-4-b.dtb"},
                   "sdcard-tfa.img": {"arm_64bit": "1", "enable_uart": "1", "enable_gic": "1",
                                      "kernel": "kernel8.img", "armstub": "bl31.bin",
                                      "device_tree": "rondo-rpi4-tfa.dtb"},
                   "uboot/sdcard-rpi4.img": {"arm_64bit": "1", "enable_uart": "1",
                                             "enable_gic": "1", "kernel": "u-boot.bin",
                                             "device_tree": "bcm2711-rpi-4-b.dtb"}}
        for name, want in configs.items():
            if got.get(name):
                text = read(os.path.join(got[name], "config.txt")).decode(errors="replace")
                check_config(tap, f"{name} config.txt", text, want)
        check_uimages(tap, got)
        if got.get("sdcard-tfa.img"):
            check_tfa_dtb(tap, got["sdcard-tfa.img"])
        if got.get("sdcard.img"):
            boot_card(tap, got["sdcard.img"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
sys.exit(tap.done())
