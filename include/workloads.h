/* Workload threads for the shell's `spawn` and for tests (kernel/shell/workloads.c). */
#ifndef RONDO_WORKLOADS_H
#define RONDO_WORKLOADS_H

#include "sched.h"

struct workload {
	const char *name;
	int (*fn)(void *);
};

const struct workload *find_workload(const char *name);
/* Create and start one; the caller owns a reference (put_task_struct or
 * kthread_stop).  cpus NULL = every CPU. */
struct task_struct *spawn_workload(const struct workload *w, const cpumask_t *cpus, int nice);

/* Was p started by spawn_workload()?  (`taskset all`) */
bool is_workload_task(const struct task_struct *p);

#endif
