/*
 * Scheduler event trace (kernel/trace.c records, kernel/trace_output.c
 * prints): a ring buffer per CPU, written only by its own CPU with IRQs
 * masked, so recording takes no lock.  Shell: trace on|off|dump|clear.
 * `trace dump` prints Linux's ftrace text format (docs/trace.md):
 *
 *   <comm>-<pid> [<cpu>] <flags> <secs>.<usecs>: <event>: <fields>
 *
 * Every trace_*() below costs one load and branch while tracing is off.
 * When on, it records the event on the calling CPU; callable from any
 * context (task, IRQ, IRQs masked, locks held), never sleeps.  String
 * arguments (reasons, state and domain names) are stored as pointers:
 * they must be static (string literals or static tables).
 */
#ifndef RONDO_TRACE_H
#define RONDO_TRACE_H

#include "types.h"
#include "cpumask.h"

struct task_struct;

extern bool tracing_on;

#define __trace_if_on(call) do { if (READ_ONCE(tracing_on)) call; } while (0)

void __trace_switch(bool preempt, struct task_struct *prev, struct task_struct *next);
void __trace_wakeup(struct task_struct *p, bool new_task);
void __trace_migrate(struct task_struct *p, unsigned int from, unsigned int to, const char *reason);
void __trace_stop(void *fn);
void __trace_cpuhp(bool enter, unsigned int cpu, int target_or_state, int idx, const char *name,
		   int ret);
void __trace_ipi_raise(const cpumask_t *mask, unsigned int ipi);
void __trace_ipi_handler(bool entry, unsigned int ipi);
void __trace_balance(unsigned int cpu, int level, const char *domain, const char *idle,
		     int busiest, long imbalance, unsigned int moved);
void __trace_kick_ilb(unsigned int ilb_cpu, const char *flags);

/* sched_switch: from __schedule, rq lock held; 'preempt' as __schedule's
 * (the task was interrupted, so a runnable prev prints as R+). */
#define trace_sched_switch(preempt, prev, next) __trace_if_on(__trace_switch(preempt, prev, next))
/* sched_wakeup / sched_wakeup_new: p was made runnable on task_cpu(p). */
#define trace_sched_wakeup(p) __trace_if_on(__trace_wakeup(p, false))
#define trace_sched_wakeup_new(p) __trace_if_on(__trace_wakeup(p, true))
/* sched_migrate_task: p moves from runqueue f to t; r is why ("wakeup",
 * "new", "affinity", "periodic", "newidle", "nohz", "active", "hotplug"...). */
#define trace_sched_migrate(p, f, t, r) __trace_if_on(__trace_migrate(p, f, t, r))
/* cpu_stop: a stopper thread runs work function fn. */
#define trace_stop_work(fn) __trace_if_on(__trace_stop((void *)(fn)))

/*
 * cpuhp_enter: a hotplug callback of state 'idx' (named 'name') starts for
 * 'cpu', whose operation goes towards state 'target'.  cpuhp_exit: it
 * returned 'ret'; 'state' is the CPU's state afterwards.  State 0 is
 * offline; the highest index is fully online (as Linux's CPUHP_OFFLINE
 * and CPUHP_ONLINE).
 */
#define trace_cpuhp_enter(cpu, target, idx, name) \
	__trace_if_on(__trace_cpuhp(true, cpu, target, idx, name, 0))
#define trace_cpuhp_exit(cpu, state, idx, ret) \
	__trace_if_on(__trace_cpuhp(false, cpu, state, idx, NULL, ret))

/* ipi_raise: IPI 'ipi' (enum ipi_type) sent to 'mask'; ipi_entry/exit:
 * its handler starts/ends on this CPU (drivers/irqchip/irq.c). */
#define trace_ipi_raise(mask, ipi) __trace_if_on(__trace_ipi_raise(mask, ipi))
#define trace_ipi_entry(ipi) __trace_if_on(__trace_ipi_handler(true, ipi))
#define trace_ipi_exit(ipi) __trace_if_on(__trace_ipi_handler(false, ipi))

/*
 * sched_balance: one load_balance() pass of 'cpu' at domain 'level' (named
 * 'domain', e.g. "MC"), idle type 'idle' ("idle", "busy" or "newidle": Linux's
 * CPU_IDLE, CPU_NOT_IDLE, CPU_NEWLY_IDLE), busiest CPU found (-1: none),
 * the imbalance computed (load units) and the number of tasks moved.
 */
#define trace_sched_balance(cpu, level, domain, idle, busiest, imbalance, moved) \
	__trace_if_on(__trace_balance(cpu, level, domain, idle, busiest, imbalance, moved))
/* sched_kick_ilb: this CPU kicks 'ilb_cpu' to balance for the tickless
 * idle CPUs; 'flags' says what for ("BALANCE", "STATS", "BALANCE|STATS"). */
#define trace_sched_kick_ilb(ilb_cpu, flags) __trace_if_on(__trace_kick_ilb(ilb_cpu, flags))

/* Start (allocating the buffers on first use) or stop recording.  Task
 * context; returns 0 or -ENOMEM. */
int trace_enable(bool on);
/* Stop recording, wait until no CPU is still writing an event, empty the
 * buffers, and resume recording if it was on.  Task context, IRQs on. */
void trace_clear(void);
/* Stop recording and print every recorded event, oldest first, in ftrace
 * text format through kprintf.  Task context, IRQs on.  Returns the number
 * of events printed. */
unsigned int trace_dump(void);

#endif
