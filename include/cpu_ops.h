/*
 * How a CPU is started (and later stopped): PSCI or spin-table, chosen per
 * CPU from the device tree's enable-method (arch/arm64/kernel/cpu_ops.c).
 */
#ifndef RONDO_CPU_OPS_H
#define RONDO_CPU_OPS_H

#include "types.h"
#include "fdt.h"

struct cpu_operations {
	const char *name;
	/* Read what this method needs from the CPU's DT node. */
	int (*cpu_init)(unsigned int cpu, const struct fdt *f, int node);
	/* Start the CPU at secondary_entry; 0 or a negative errno. */
	int (*cpu_boot)(unsigned int cpu);
	/* On the CPU itself, IRQs masked: leave service for good (PSCI
	 * CPU_OFF, or the spin-table holding loop).  cpu_boot brings it back. */
	void (*cpu_die)(unsigned int cpu) __attribute__((noreturn));
	/* On another CPU: wait until 'cpu' has really gone; 0 or -ETIMEDOUT. */
	int (*cpu_kill)(unsigned int cpu);
};

extern const struct cpu_operations *cpu_ops[];
int init_cpu_ops(unsigned int cpu, const struct fdt *f, int node);

#endif
