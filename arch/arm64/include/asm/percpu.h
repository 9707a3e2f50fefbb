/*
 * Per-CPU data.  TPIDR_EL1 holds a pointer to this CPU's struct cpu_data,
 * so smp_processor_id() is one system register read and a load.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include "types.h"
#include "cpumask.h"
#include "sysreg.h"

struct rq;

struct cpu_data {
	unsigned int cpu;		/* logical id, dense, boot CPU = 0 */
	u64 mpidr;			/* hardware id (MPIDR affinity bits) */
	u64 ticks;			/* timer interrupts taken */
	u64 irqs;			/* all interrupts taken */
	u64 ipis[8];			/* IPIs received, by type */
	u32 gic_cpu_mask;		/* GICv2 CPU interface bit */
	u64 gicr_base;			/* GICv3 redistributor of this CPU */
	u64 irq_nesting;
	int need_resched;		/* whatever runs here should yield soon */
	struct rq *rq;			/* this CPU's runqueue */
	bool park_on_arrival;		/* nobody wants us: park at once */
	u64 arrivals;			/* times this CPU entered the kernel */
	bool in_stop_machine;		/* spinning in stop_machine, IRQs masked */
} __aligned(64);

extern struct cpu_data cpu_data[NR_CPUS];

static inline struct cpu_data *this_cpu(void)
{
	return (struct cpu_data *)read_sysreg(tpidr_el1);
}

static inline unsigned int smp_processor_id(void)
{
	return this_cpu()->cpu;
}

#endif
