# Rondo: build the kernel Image, run it, test it.
#
#   make            build build/Image (and build/rondo.elf for gdb)
#   make run        install what is missing, build, boot QEMU virt into the shell
#                   (SMP=4 GIC=2 BOARD=virt APPEND="...")
#   make test       install, build, run every host and on-target test
#   make bench      benchmarks under -icount
#   make demo       scripted scenario (scripts/demo.cmds) under -icount sleep=off:
#                   out/trace.txt, out/trace.json, out/timeline.png (docs/trace.md)
#   make sdcard     Raspberry Pi 4 SD card images, build/sdcard/ (boot/boot.mk)
#   make uboot      uImage, boot.scr and disks for U-Boot on the Pi and virt
#
# Every tool comes from Debian packages; scripts/setup.sh installs them.

CROSS ?= aarch64-linux-gnu-
CC := $(CROSS)gcc
LD := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
NR_CPUS ?= 64

SMP ?= 4
GIC ?= 2
BOARD ?= virt
APPEND ?=

B := build
KOBJ := $(B)/kernel

CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -nostdlib -fno-builtin -fno-stack-protector \
	-march=armv8-a -mgeneral-regs-only -mno-outline-atomics -mstrict-align \
	-fpie -fvisibility=hidden -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-common -ffunction-sections -fdata-sections -fno-tree-loop-distribute-patterns \
	-DNR_CPUS=$(NR_CPUS) -Iinclude -Iarch/arm64/include -MMD -MP
ASFLAGS := -D__ASSEMBLER__ -DNR_CPUS=$(NR_CPUS) -Iinclude -Iarch/arm64/include -MMD -MP -g
LDFLAGS := -pie --no-dynamic-linker -z notext -z norelro --no-warn-rwx-segments \
	--build-id=none -T linker.ld -Map=$(B)/rondo.map

KSRC := $(wildcard arch/arm64/kernel/*.S arch/arm64/kernel/*.c arch/arm64/mm/*.c mm/*.c \
	drivers/*/*.c kernel/*.c kernel/*/*.c lib/*.c tests/ktest/*.c)
KOBJS := $(patsubst %,$(KOBJ)/%.o,$(basename $(KSRC)))

all: $(B)/Image

$(KOBJ)/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(KOBJ)/%.o: %.S Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -c $< -o $@

$(B)/rondo.elf: $(KOBJS) linker.ld
	$(LD) $(LDFLAGS) $(KOBJS) -o $@
	@scripts/check-elf.sh $@

$(B)/Image: $(B)/rondo.elf
	$(OBJCOPY) -O binary $< $@

-include $(KOBJS:.o=.d)

# Host-side tests (cmocka, fuzzer) and the DTB cache.
-include tests/host/host.mk

# SD cards and U-Boot images (make sdcard, make uboot).
include boot/boot.mk

setup:
	@scripts/setup.sh

run: setup all
	qemu/run --board $(BOARD) --smp $(SMP) --gic $(GIC) $(if $(APPEND),--append "$(APPEND)")

test: setup
	$(MAKE) all host-build sdcard-images uboot-images
	scripts/test.sh

bench: setup all
	scripts/bench.sh

demo: setup all
	scripts/demo

clean:
	rm -rf $(B)

.PHONY: all setup run test bench demo clean
