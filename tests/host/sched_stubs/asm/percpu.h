/* Host stand-in for asm/percpu.h (tests/host/test_fair.c): one CPU. */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include "types.h"
#include "cpumask.h"
#include "asm/sysreg.h"

struct rq;

struct cpu_data {
	unsigned int cpu;
	int need_resched;
	struct rq *rq;
};

extern struct cpu_data cpu_data[NR_CPUS];

static inline struct cpu_data *this_cpu(void) { return &cpu_data[0]; }
static inline unsigned int smp_processor_id(void) { return 0; }

#endif
