/* TEMPORARY: stand-ins until the stopper/topo branches land. */
#include "cpuhp.h"
#include "kernel.h"
#include "kthread.h"
#include "stop_machine.h"
#include "wait.h"
#include "sched/rq.h"

static DEFINE_MUTEX(hp_lock);
void cpus_read_lock(void) { mutex_lock(&hp_lock); }
void cpus_read_unlock(void) { mutex_unlock(&hp_lock); }
void cpus_write_lock(void) { mutex_lock(&hp_lock); }
void cpus_write_unlock(void) { mutex_unlock(&hp_lock); }
int stop_machine_cpuslocked(cpu_stop_fn_t fn, void *data, const cpumask_t *cpus)
{
	return stop_machine(fn, data, cpus);
}
void stop_machine_park(unsigned int cpu)
{
	__atomic_fetch_or(&current->flags, PF_KTHREAD_SHOULD_PARK, __ATOMIC_SEQ_CST);
}
void stop_machine_unpark(unsigned int cpu)
{
	cpu_stop_start_cpu(cpu);
	if (cpu_rq(cpu)->stop)
		kthread_unpark(cpu_rq(cpu)->stop);
}
