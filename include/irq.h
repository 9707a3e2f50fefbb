/*
 * Interrupt controller interface: GICv2 (drivers/irqchip/gic-v2.c) and
 * GICv3 (gic-v3.c) sit behind struct irqchip, chosen from the device tree.
 */
#ifndef RONDO_IRQ_H
#define RONDO_IRQ_H

#include "types.h"
#include "cpumask.h"
#include "fdt.h"

#define NR_IRQS 1024
#define SPURIOUS_INTID 1023

/* IPI n is sent as SGI n: the first NR_IPIS of the 16 SGIs (INTIDs 0..15). */
enum ipi_type {
	IPI_RESCHEDULE,
	IPI_CALL_FUNC,
	IPI_STOP,
	IPI_PING,		/* does nothing but count: for tests and benchmarks */
	IPI_NOHZ_KICK,		/* balance for the tickless idle CPUs (sched/nohz.c) */
	NR_IPIS,
};

struct irqchip {
	const char *name;
	int (*probe)(const struct fdt *f, int node);	/* find registers */
	void (*init)(void);				/* distributor, boot CPU */
	void (*cpu_init)(void);				/* this CPU's interface */
	void (*enable)(unsigned int intid, bool edge);	/* PPI: this CPU; SPI: to boot CPU */
	void (*disable)(unsigned int intid);
	u32 (*ack)(unsigned int *intid);	/* returns the raw value for eoi */
	void (*eoi)(u32 raw);
	void (*send_sgi)(unsigned int sgi, unsigned int cpu);
	/* Route SPI 'intid' to logical CPU 'cpu' (CPU hotplug). */
	void (*set_affinity)(unsigned int intid, unsigned int cpu);
	/* This CPU's interface stops signalling interrupts (it is going
	 * offline); cpu_init turns it on again. */
	void (*cpu_disable)(void);
	/* Physical register windows, for the MMU to map as device memory. */
	struct { u64 base, size; } regions[8];
	int nr_regions;
};

extern struct irqchip *irqchip;

typedef void (*irq_handler_t)(unsigned int intid, void *arg);

int irqchip_probe(const struct fdt *f);	/* picks and probes a driver */
void irq_init(void);
void irq_cpu_init(void);
int request_irq(unsigned int intid, irq_handler_t fn, void *arg, bool edge);
void irq_enable_local(unsigned int intid);	/* for PPIs, on each CPU */

/* Parse an "interrupts" specifier (3 cells, GIC binding) to an INTID. */
int dt_irq_to_intid(const u32 *cells_be, bool *edge);

void send_ipi(unsigned int cpu, enum ipi_type ipi);
void send_ipi_mask(const cpumask_t *mask, enum ipi_type ipi);
/* CPU hotplug, on the CPU going down with IRQs masked: route the SPIs
 * that target it to the first other online CPU (printing each move), then
 * switch its CPU interface off. */
void irq_migrate_all_off_this_cpu(void);
void irq_cpu_disable(void);
/* Which logical CPU SPI 'intid' is routed to (for `irqs` and tests). */
unsigned int irq_target_cpu(unsigned int intid);

/* What a received IPI_PING does besides being counted (NULL: nothing).
 * fn runs in IRQ context on the receiving CPU. */
void set_ipi_ping_hook(void (*fn)(void));

#endif
