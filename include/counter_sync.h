/* Counter synchronisation check for a CPU coming up (arch/arm64/kernel/counter_sync.c). */
#ifndef RONDO_COUNTER_SYNC_H
#define RONDO_COUNTER_SYNC_H

#include "types.h"

struct counter_sync_stats {
	u64 checks;			/* rounds run */
	u64 out_of_step;		/* rounds that found a CPU behind another */
	unsigned int cpus_in_last;	/* CPUs that took part in the last round */
};
extern struct counter_sync_stats counter_sync_stats;

/* On the CPU coming up, online but not active, IRQs masked: every online
 * CPU reads its counter in turn under stop_machine_from_inactive_cpu();
 * a CPU found behind another is reported.  0, or the error of the
 * rendezvous (the CPU still comes up either way: the caller decides). */
int counter_sync_check(unsigned int cpu);

#endif
