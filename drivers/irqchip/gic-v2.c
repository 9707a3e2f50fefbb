/*
 * GICv2 (QEMU virt's default, and the Pi 4's GIC-400): a distributor
 * shared by all CPUs and a memory-mapped CPU interface banked per CPU.
 * SGIs are sent through GICD_SGIR with an 8-bit target list, so each CPU
 * records its own bit, read from the banked GICD_ITARGETSR0.
 */
#include "irq.h"
#include "kernel.h"
#include "mmio.h"
#include "smp.h"
#include "asm/sysreg.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00

#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

#define DEFAULT_PRIO 0xa0

static u64 gicd, gicc;
static unsigned int nr_lines;

static int gic_v2_probe(const struct fdt *f, int node);

static void gic_v2_init(void)
{
	nr_lines = ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1) * 32;
	if (nr_lines > NR_IRQS)
		nr_lines = NR_IRQS;
	mmio_write32(gicd + GICD_CTLR, 0);
	this_cpu()->gic_cpu_mask = mmio_read32(gicd + GICD_ITARGETSR) & 0xff;
	for (unsigned int i = 32; i < nr_lines; i += 32) {
		mmio_write32(gicd + GICD_ICENABLER + i / 8, ~0u);
		mmio_write32(gicd + GICD_ICPENDR + i / 8, ~0u);
	}
	for (unsigned int i = 32; i < nr_lines; i += 4) {
		mmio_write32(gicd + GICD_IPRIORITYR + i, DEFAULT_PRIO * 0x01010101u);
		mmio_write32(gicd + GICD_ITARGETSR + i, this_cpu()->gic_cpu_mask * 0x01010101u);
	}
	mmio_write32(gicd + GICD_CTLR, 1);
}

static void gic_v2_cpu_init(void)
{
	/* The banked ITARGETSR0 reads back this CPU's own target bit. */
	this_cpu()->gic_cpu_mask = mmio_read32(gicd + GICD_ITARGETSR) & 0xff;
	mmio_write32(gicd + GICD_ICENABLER, 0xffff0000u);	/* PPIs off until asked */
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(gicd + GICD_IPRIORITYR + i, DEFAULT_PRIO * 0x01010101u);
	mmio_write32(gicc + GICC_PMR, 0xf0);
	mmio_write32(gicc + GICC_BPR, 0);
	mmio_write32(gicc + GICC_CTLR, 1);
}

static void gic_v2_enable(unsigned int intid, bool edge)
{
	if (intid >= 16) {
		u32 shift = (intid % 16) * 2 + 1;
		u64 cfg = gicd + GICD_ICFGR + (intid / 16) * 4;

		/* SPI trigger mode is programmable; PPIs' is fixed on most GICs. */
		if (intid >= 32)
			mmio_write32(cfg, (mmio_read32(cfg) & ~(1u << shift)) | ((u32)edge << shift));
	}
	mmio_write32(gicd + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static void gic_v2_disable(unsigned int intid)
{
	mmio_write32(gicd + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static u32 gic_v2_ack(unsigned int *intid)
{
	u32 raw = mmio_read32(gicc + GICC_IAR);

	*intid = raw & 0x3ff;
	return raw;
}

static void gic_v2_eoi(u32 raw)
{
	mmio_write32(gicc + GICC_EOIR, raw);
}

static void gic_v2_send_sgi(unsigned int sgi, unsigned int cpu)
{
	/* Our stores (the work the IPI announces) must be visible before the
	 * distributor sees the request. */
	dsb(ishst);
	mmio_write32(gicd + GICD_SGIR, (cpu_data[cpu].gic_cpu_mask << 16) | sgi);
}

/* ITARGETSR is byte-addressable: one byte of CPU-interface bits per INTID. */
static void gic_v2_set_affinity(unsigned int intid, unsigned int cpu)
{
	mmio_write8(gicd + GICD_ITARGETSR + intid, (u8)cpu_data[cpu].gic_cpu_mask);
}

/* Group 0/1 signalling off: this interface raises no more IRQs, and what
 * is pending for it stays in the distributor (SGIs sent to it are lost
 * with it, which is why cross-CPU calls to an offline CPU are refused). */
static void gic_v2_cpu_disable(void)
{
	mmio_write32(gicc + GICC_CTLR, 0);
}

struct irqchip gic_v2_chip = {
	.name = "GICv2",
	.probe = gic_v2_probe,
	.init = gic_v2_init,
	.cpu_init = gic_v2_cpu_init,
	.enable = gic_v2_enable,
	.disable = gic_v2_disable,
	.ack = gic_v2_ack,
	.eoi = gic_v2_eoi,
	.send_sgi = gic_v2_send_sgi,
	.set_affinity = gic_v2_set_affinity,
	.cpu_disable = gic_v2_cpu_disable,
};

static int gic_v2_probe(const struct fdt *f, int node)
{
	u64 dsize, csize;
	int err = fdt_reg_cpu(f, node, 0, &gicd, &dsize);

	if (!err)
		err = fdt_reg_cpu(f, node, 1, &gicc, &csize);
	if (err) {
		printk("gic: cannot read the GICv2 registers from the DT: %s\n", fdt_strerror(err));
		return -EINVAL;
	}
	gic_v2_chip.regions[0].base = gicd;
	gic_v2_chip.regions[0].size = dsize;
	gic_v2_chip.regions[1].base = gicc;
	gic_v2_chip.regions[1].size = csize;
	gic_v2_chip.nr_regions = 2;
	return 0;
}
