/*
 * GICv3 (QEMU virt with gic-version=3, needed beyond 8 CPUs): the
 * distributor routes SPIs by affinity (GICD_IROUTER), each CPU has its own
 * redistributor for SGIs and PPIs, and the CPU interface is a set of
 * system registers.  SGIs are addressed by MPIDR affinity, not by a bit
 * per CPU, so GICv3 scales past GICv2's 8 CPUs.
 */
#include "irq.h"
#include "kernel.h"
#include "mmio.h"
#include "smp.h"
#include "asm/sysreg.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ICPENDR 0x0280
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ENABLE (1u << 0 | 1u << 1 | 1u << 4)	/* G1, G1A, ARE_NS */

#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000	/* the SGI/PPI frame follows the RD frame */
#define GICR_CTLR_RWP (1u << 3)
#define WAKER_PROCESSOR_SLEEP (1u << 1)
#define WAKER_CHILDREN_ASLEEP (1u << 2)

#define DEFAULT_PRIO 0xa0
#define MAX_RDIST_REGIONS 4

static u64 gicd;
static struct { u64 base, size; } rdist[MAX_RDIST_REGIONS];
static int nr_rdist;
static unsigned int nr_lines;

static void wait_rwp(u64 reg, u32 bit)
{
	for (int i = 0; i < 1000000; i++)
		if (!(mmio_read32(reg) & bit))
			return;
	printk("gicv3: register write still pending after a long wait\n");
}

static u64 mpidr_to_irouter(u64 mpidr)
{
	return mpidr & MPIDR_HWID_MASK;	/* Aff3 at 39:32, Aff2..0 at 23:0 */
}

static void gic_v3_init(void)
{
	u64 route = mpidr_to_irouter(this_cpu()->mpidr);

	nr_lines = ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1) * 32;
	if (nr_lines > NR_IRQS)
		nr_lines = NR_IRQS;
	mmio_write32(gicd + GICD_CTLR, 0);
	wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP);
	for (unsigned int i = 32; i < nr_lines; i += 32) {
		mmio_write32(gicd + GICD_IGROUPR + i / 8, ~0u);	/* group 1: IRQ, not FIQ */
		mmio_write32(gicd + GICD_ICENABLER + i / 8, ~0u);
		mmio_write32(gicd + GICD_ICPENDR + i / 8, ~0u);
	}
	for (unsigned int i = 32; i < nr_lines; i += 4)
		mmio_write32(gicd + GICD_IPRIORITYR + i, DEFAULT_PRIO * 0x01010101u);
	wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP);
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ENABLE);
	wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP);
	for (unsigned int i = 32; i < nr_lines; i++)
		mmio_write64(gicd + GICD_IROUTER + 8 * i, route);
}

/* Find this CPU's redistributor by matching GICR_TYPER's affinity. */
static u64 find_rdist(u64 mpidr)
{
	u32 aff = (u32)(((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff));

	for (int r = 0; r < nr_rdist; r++) {
		u64 p = rdist[r].base, end = rdist[r].base + rdist[r].size;

		while (p + 0x20000 <= end) {
			u64 typer = mmio_read64(p + GICR_TYPER);

			if ((u32)(typer >> 32) == aff)
				return p;
			if (typer & (1u << 4))	/* Last */
				break;
			p += (typer & (1u << 1)) ? 0x40000 : 0x20000;	/* VLPIs add 2 frames */
		}
	}
	return 0;
}

static void gic_v3_cpu_init(void)
{
	struct cpu_data *cd = this_cpu();
	u64 rd = find_rdist(cd->mpidr), sgi;

	if (!rd)
		panic("gicv3: no redistributor for CPU%u (MPIDR 0x%lx)", cd->cpu, cd->mpidr);
	cd->gicr_base = rd;
	sgi = rd + GICR_SGI;

	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~WAKER_PROCESSOR_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & WAKER_CHILDREN_ASLEEP)
		cpu_relax();

	mmio_write32(sgi + GICD_IGROUPR, ~0u);
	mmio_write32(sgi + GICD_ICENABLER, ~0u);
	wait_rwp(rd + GICR_CTLR, GICR_CTLR_RWP);
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(sgi + GICD_IPRIORITYR + i, DEFAULT_PRIO * 0x01010101u);

	write_sysreg_s(ICC_SRE_EL1, read_sysreg_s(ICC_SRE_EL1) | 1);
	isb();
	if (!(read_sysreg_s(ICC_SRE_EL1) & 1))
		panic("gicv3: the CPU interface system registers are disabled (ICC_SRE_EL1.SRE)");
	write_sysreg_s(ICC_PMR_EL1, 0xf0);
	write_sysreg_s(ICC_BPR1_EL1, 0);
	write_sysreg_s(ICC_CTLR_EL1, 0);
	write_sysreg_s(ICC_IGRPEN1_EL1, 1);
	isb();
}

static void gic_v3_enable(unsigned int intid, bool edge)
{
	if (intid < 32) {
		u64 sgi = this_cpu()->gicr_base + GICR_SGI;

		mmio_write32(sgi + GICD_ISENABLER, 1u << intid);
		return;
	}
	u64 cfg = gicd + GICD_ICFGR + (intid / 16) * 4;
	u32 shift = (intid % 16) * 2 + 1;

	mmio_write32(cfg, (mmio_read32(cfg) & ~(1u << shift)) | ((u32)edge << shift));
	mmio_write32(gicd + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static void gic_v3_disable(unsigned int intid)
{
	if (intid < 32)
		mmio_write32(this_cpu()->gicr_base + GICR_SGI + GICD_ICENABLER, 1u << intid);
	else
		mmio_write32(gicd + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static u32 gic_v3_ack(unsigned int *intid)
{
	u32 raw = (u32)read_sysreg_s(ICC_IAR1_EL1);

	/* Order the acknowledge before the handler's reads. */
	dsb(sy);
	*intid = raw & 0xffffff;
	return raw;
}

static void gic_v3_eoi(u32 raw)
{
	write_sysreg_s(ICC_EOIR1_EL1, raw);
	isb();
}

static void gic_v3_send_sgi(unsigned int sgi, unsigned int cpu)
{
	u64 mpidr = cpu_logical_map[cpu];
	u64 aff0 = mpidr & 0xff;
	u64 val = ((mpidr >> 32) & 0xff) << 48 |	/* Aff3 */
		  (aff0 >> 4) << 44 |			/* range selector */
		  ((mpidr >> 16) & 0xff) << 32 |	/* Aff2 */
		  (u64)sgi << 24 |
		  ((mpidr >> 8) & 0xff) << 16 |		/* Aff1 */
		  1UL << (aff0 & 15);

	/* A system register write is not ordered after our normal stores
	 * without a DSB, and the target must see them. */
	dsb(ishst);
	write_sysreg_s(ICC_SGI1R_EL1, val);
	isb();
}

/* SPIs are routed by affinity value, not by interface bits. */
static void gic_v3_set_affinity(unsigned int intid, unsigned int cpu)
{
	mmio_write64(gicd + GICD_IROUTER + 8 * intid, mpidr_to_irouter(cpu_logical_map[cpu]));
}

/*
 * Stop taking Group 1 interrupts, then tell the redistributor that this
 * PE is going to sleep (GICR_WAKER.ProcessorSleep) and wait until it has
 * quiesced (ChildrenAsleep): after that it forwards nothing to the CPU
 * interface, and PSCI may power the core down.  gic_v3_cpu_init wakes it.
 */
static void gic_v3_cpu_disable(void)
{
	u64 rd = this_cpu()->gicr_base;

	write_sysreg_s(ICC_IGRPEN1_EL1, 0);
	isb();
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) | WAKER_PROCESSOR_SLEEP);
	for (int i = 0; i < 1000000; i++)
		if (mmio_read32(rd + GICR_WAKER) & WAKER_CHILDREN_ASLEEP)
			return;
	printk("gicv3: redistributor of CPU%u did not go to sleep\n", smp_processor_id());
}

static int gic_v3_probe(const struct fdt *f, int node);

struct irqchip gic_v3_chip = {
	.name = "GICv3",
	.probe = gic_v3_probe,
	.init = gic_v3_init,
	.cpu_init = gic_v3_cpu_init,
	.enable = gic_v3_enable,
	.disable = gic_v3_disable,
	.ack = gic_v3_ack,
	.eoi = gic_v3_eoi,
	.send_sgi = gic_v3_send_sgi,
	.set_affinity = gic_v3_set_affinity,
	.cpu_disable = gic_v3_cpu_disable,
};

static int gic_v3_probe(const struct fdt *f, int node)
{
	u32 nregions = 1;
	u64 size;
	int err;

	fdt_prop_u32(f, node, "#redistributor-regions", &nregions);
	if (nregions < 1 || nregions > MAX_RDIST_REGIONS) {
		printk("gicv3: unsupported #redistributor-regions = %u\n", nregions);
		return -EINVAL;
	}
	err = fdt_reg_cpu(f, node, 0, &gicd, &size);
	gic_v3_chip.regions[0].base = gicd;
	gic_v3_chip.regions[0].size = size;
	for (u32 i = 0; !err && i < nregions; i++) {
		err = fdt_reg_cpu(f, node, 1 + (int)i, &rdist[i].base, &rdist[i].size);
		gic_v3_chip.regions[1 + i].base = rdist[i].base;
		gic_v3_chip.regions[1 + i].size = rdist[i].size;
	}
	if (err) {
		printk("gicv3: cannot read the GICv3 registers from the DT: %s\n", fdt_strerror(err));
		return -EINVAL;
	}
	nr_rdist = (int)nregions;
	gic_v3_chip.nr_regions = 1 + nr_rdist;
	return 0;
}
