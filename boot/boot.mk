# Boot artifacts: SD cards for a Raspberry Pi 4 and U-Boot images for the
# Pi and for QEMU virt.  Included by the top-level Makefile; paths are
# relative to the repository root.  docs/rpi4.md explains what each file is.
#
#   make sdcard     build/sdcard/
#                     boot/, boot.img, sdcard.img              kernel8.img started by the firmware
#                     boot-tfa/, boot-tfa.img, sdcard-tfa.img  the same behind TF-A (armstub=bl31.bin)
#   make uboot      build/uboot/
#                     uImage-rpi4, uImage-virt, boot.scr       mkimage outputs
#                     rpi4/, boot-rpi4.img, sdcard-rpi4.img    Pi card: firmware -> u-boot.bin -> boot.scr
#                     virt/, boot-virt.img, disk-virt.img      virtio disk for u-boot-qemu on virt
#   make firmware   cache/fw/ from Debian's packages (scripts/fetch-firmware.sh)
#
# The dir/ next to each image holds exactly the files of its FAT partition
# (to copy onto a card by hand); boot*.img is that partition, sdcard*.img and
# disk-virt.img are whole disks (MBR + partition) for dd or QEMU.
# CMDLINE="ktest=all" puts a kernel command line into cmdline.txt.

SD_OUT := build/sdcard
UB_OUT := build/uboot
FW_DIR := cache/fw
RPI4_DTB := cache/dtb/bcm2711-rpi-4-b.dtb
RPI4_FW := $(FW_DIR)/raspi-firmware/start4.elf $(FW_DIR)/raspi-firmware/fixup4.dat
CMDLINE ?=

# mkimage stamps its headers with the time; pin it to the last commit so
# two builds of the same tree give the same uImage and boot.scr.
MKIMAGE := SOURCE_DATE_EPOCH=$(shell git log -1 --format=%ct 2>/dev/null || echo 0) mkimage

# Load addresses for `bootm`: RAM start + 2 MiB, where QEMU and the Linux
# boot protocol put an Image with text_offset 0.  Rondo relocates itself, so
# any address would do; these keep clear of the Pi's spin table page and
# of the DTB QEMU leaves at the start of virt's RAM.
UIMAGE_ADDR_rpi4 := 0x00200000
UIMAGE_ADDR_virt := 0x40200000

.PHONY: sdcard uboot sdcard-images uboot-images firmware FORCE

# setup first (it installs mtools and friends), then the images: a second
# make, so that -j cannot start building before the tools are there.
sdcard: setup
	$(MAKE) --no-print-directory sdcard-images
uboot: setup
	$(MAKE) --no-print-directory uboot-images

sdcard-images: $(SD_OUT)/sdcard.img $(SD_OUT)/sdcard-tfa.img
uboot-images: $(UB_OUT)/sdcard-rpi4.img $(UB_OUT)/disk-virt.img

# The script does nothing when every file is present.
firmware:
	bash scripts/fetch-firmware.sh

$(FW_DIR)/VERSIONS:
	bash scripts/fetch-firmware.sh

$(RPI4_DTB):
	bash scripts/fetch-dtbs.sh

# Rewritten only when CMDLINE changes, so the cards are not rebuilt for nothing.
$(SD_OUT)/cmdline.txt: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(CMDLINE)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

# TF-A's BL31 sets stdout-path = "serial0" in the DT it passes on.  Upstream's
# serial0 is the PL011, which a Pi 4 with Bluetooth wires to the Bluetooth
# chip, not to GPIO14/15.  Swapping the aliases (as Raspberry Pi's own DTs
# do) keeps the console on the header pins, through the mini UART.
$(SD_OUT)/rondo-rpi4-tfa.dtb: $(RPI4_DTB)
	@mkdir -p $(@D)
	cp $< $@.tmp
	fdtput -t s $@.tmp /aliases serial0 /soc/serial@7e215040
	fdtput -t s $@.tmp /aliases serial1 /soc/serial@7e201000
	fdtput -t s $@.tmp /chosen stdout-path serial0:115200n8
	mv $@.tmp $@

# $(call stage,DIR,FILE[=NAME] ...): DIR holds exactly these files afterwards.
define stage
	@echo "  STAGE   $(1)/"
	@rm -rf $(1) && mkdir -p $(1)
	@for f in $(2); do src=$${f%%=*}; name=$${f#*=}; \
		[ "$$name" != "$$f" ] || name=$$(basename "$$src"); \
		cp "$$src" "$(1)/$$name" || exit 1; done
endef

# What every Pi card carries: the VideoCore firmware (with its licence),
# the DT and the kernel command line.
PI_COMMON = $(RPI4_FW) $(FW_DIR)/raspi-firmware/copyright=LICENCE.raspi-firmware \
	$(SD_OUT)/cmdline.txt

$(SD_OUT)/boot.img $(SD_OUT)/sdcard.img &: $(B)/Image $(FW_DIR)/VERSIONS $(RPI4_DTB) \
		boot/rpi4/config.txt $(SD_OUT)/cmdline.txt boot/mkcard.sh
	$(call stage,$(SD_OUT)/boot,$(PI_COMMON) $(RPI4_DTB) boot/rpi4/config.txt \
		$(B)/Image=kernel8.img)
	boot/mkcard.sh $(SD_OUT)/boot.img $(SD_OUT)/sdcard.img $(SD_OUT)/boot/*

$(SD_OUT)/boot-tfa.img $(SD_OUT)/sdcard-tfa.img &: $(B)/Image $(FW_DIR)/VERSIONS \
		$(SD_OUT)/rondo-rpi4-tfa.dtb boot/rpi4/config-tfa.txt $(SD_OUT)/cmdline.txt boot/mkcard.sh
	$(call stage,$(SD_OUT)/boot-tfa,$(PI_COMMON) $(SD_OUT)/rondo-rpi4-tfa.dtb \
		boot/rpi4/config-tfa.txt=config.txt $(FW_DIR)/tf-a/bl31.bin $(B)/Image=kernel8.img)
	boot/mkcard.sh $(SD_OUT)/boot-tfa.img $(SD_OUT)/sdcard-tfa.img $(SD_OUT)/boot-tfa/*

$(UB_OUT)/boot.scr: boot/uboot/boot.cmd
	@mkdir -p $(@D)
	$(MKIMAGE) -A arm64 -O linux -T script -C none -n "Rondo boot script" -d $< $@ >/dev/null

$(UB_OUT)/uImage-%: $(B)/Image
	@mkdir -p $(@D)
	$(MKIMAGE) -A arm64 -O linux -T kernel -C none -a $(UIMAGE_ADDR_$*) -e $(UIMAGE_ADDR_$*) \
		-n "Rondo ($*)" -d $< $@ >/dev/null

$(UB_OUT)/boot-rpi4.img $(UB_OUT)/sdcard-rpi4.img &: $(UB_OUT)/uImage-rpi4 $(UB_OUT)/boot.scr \
		$(FW_DIR)/VERSIONS $(RPI4_DTB) boot/rpi4/config-uboot.txt $(SD_OUT)/cmdline.txt boot/mkcard.sh
	$(call stage,$(UB_OUT)/rpi4,$(PI_COMMON) $(RPI4_DTB) boot/rpi4/config-uboot.txt=config.txt \
		$(FW_DIR)/u-boot-rpi/u-boot.bin $(UB_OUT)/boot.scr $(UB_OUT)/uImage-rpi4=uImage)
	boot/mkcard.sh $(UB_OUT)/boot-rpi4.img $(UB_OUT)/sdcard-rpi4.img $(UB_OUT)/rpi4/*

$(UB_OUT)/boot-virt.img $(UB_OUT)/disk-virt.img &: $(UB_OUT)/uImage-virt $(UB_OUT)/boot.scr boot/mkcard.sh
	$(call stage,$(UB_OUT)/virt,$(UB_OUT)/boot.scr $(UB_OUT)/uImage-virt=uImage)
	boot/mkcard.sh $(UB_OUT)/boot-virt.img $(UB_OUT)/disk-virt.img $(UB_OUT)/virt/*
