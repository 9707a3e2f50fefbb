/* Host stand-in for asm/sysreg.h, for compiling kernel/sched/fair.c into
 * tests/host/test_fair.c: the counter is a variable the test sets. */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#include "types.h"

extern u64 host_cntvct;

static inline u64 read_cntvct(void) { return host_cntvct; }
#define barrier() __asm__ volatile("" ::: "memory")
#define smp_mb() __sync_synchronize()
#define smp_rmb() __sync_synchronize()
#define smp_wmb() __sync_synchronize()
#define cpu_relax() barrier()

#endif
