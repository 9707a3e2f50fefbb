/*
 * Stopper threads (kernel/stop_machine.c): one per CPU, above every other
 * task on it.  Work given to a CPU's stopper runs as soon as that CPU can
 * switch, with nothing else running there.
 */
#ifndef RONDO_STOP_MACHINE_H
#define RONDO_STOP_MACHINE_H

#include "cpumask.h"
#include "list.h"

typedef int (*cpu_stop_fn_t)(void *arg);
struct cpu_stop_done;

struct cpu_stop_work {
	struct list_head list;
	cpu_stop_fn_t fn;
	void *arg;
	struct cpu_stop_done *done;
};

/* Contexts and return values in full at the definitions. */
void cpu_stop_init(void);			/* the boot CPU's, before it is active */
int cpu_stop_create(unsigned int cpu);		/* created disabled, not started */
/* Hotplug: disable cpu's stopper (queued waiters get -ENOENT) and park its
 * thread; enable and unpark (the first time: start) it. */
void stop_machine_park(unsigned int cpu);
void stop_machine_unpark(unsigned int cpu);
/* Run fn(arg) on cpu's stopper and wait; its result, or -ENOENT if that
 * CPU's stopper is not enabled. */
int stop_one_cpu(unsigned int cpu, cpu_stop_fn_t fn, void *arg);
/* Queue and return at once; 'work' must live until fn has started (the
 * stopper does not touch it once fn runs).  false: not queued. */
bool stop_one_cpu_nowait(unsigned int cpu, cpu_stop_fn_t fn, void *arg, struct cpu_stop_work *work);
/* fn on every CPU in mask (each on its own), wait; first non-zero result. */
int stop_cpus(const cpumask_t *mask, cpu_stop_fn_t fn, void *arg);
/* Every online CPU stops with IRQs masked; fn runs on the CPUs in 'cpus'
 * (NULL: the first online CPU) while the rest spin; all leave together.
 * Returns the first non-zero result, -ENOENT if a stopper refused.
 * Callers are serialised; stop_machine takes cpus_read_lock(), the
 * _cpuslocked variant expects the caller to hold the hotplug lock. */
int stop_machine(cpu_stop_fn_t fn, void *data, const cpumask_t *cpus);
int stop_machine_cpuslocked(cpu_stop_fn_t fn, void *data, const cpumask_t *cpus);

/* From a CPU that is online, not active and cannot sleep (IRQs masked):
 * stop_machine() by busy-waiting (kernel/stop_machine.c). */
int stop_machine_from_inactive_cpu(cpu_stop_fn_t fn, void *data, const cpumask_t *cpus);

#endif
