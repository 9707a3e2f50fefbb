/* One recorded trace event: shared by kernel/trace.c (writes) and
 * kernel/trace_output.c (prints).  Private to those two files. */
#ifndef RONDO_TRACE_ENTRY_H
#define RONDO_TRACE_ENTRY_H

#include "cpumask.h"
#include "sched.h"

enum trace_type {
	EV_SWITCH, EV_WAKEUP, EV_WAKEUP_NEW, EV_MIGRATE, EV_STOP,
	EV_CPUHP_ENTER, EV_CPUHP_EXIT, EV_IPI_RAISE, EV_IPI_ENTRY, EV_IPI_EXIT,
	EV_BALANCE, EV_KICK_ILB,
};

/* The context column's inputs, taken when the event is recorded. */
#define TF_IRQS_OFF 0x1
#define TF_NEED_RESCHED 0x2
#define TF_HARDIRQ 0x4

struct trace_task {
	char comm[TASK_COMM_LEN];
	int pid;
	int prio;
};

struct trace_entry {
	u64 ts;			/* generic counter, shared by all CPUs */
	int pid;		/* the task running when it was recorded */
	u8 type;
	u8 flags;		/* TF_* */
	u8 preempt_count;
	char comm[TASK_COMM_LEN];
	union {
		struct {
			int prev_prio;
			char prev_state[4];
			struct trace_task next;
		} sw;
		struct {
			struct trace_task t;
			unsigned int cpu;
		} wake;
		struct {
			struct trace_task t;
			unsigned int from, to;
			const char *reason;
		} mig;
		const void *stop_fn;
		struct {
			unsigned int cpu;
			int target_or_state, idx, ret;
			const char *name;
		} hp;
		struct {
			cpumask_t mask;
			unsigned int ipi;
		} ipi;
		struct {
			unsigned int cpu, moved;
			int level, busiest;
			long imbalance;
			const char *domain, *idle;
		} bal;
		struct {
			unsigned int cpu;
			const char *flags;
		} ilb;
	};
};

/* Linux's priority scale: 120 + nice for fair tasks, 0 for the stoppers. */
int trace_task_prio(const struct task_struct *p);
void trace_print_header(u64 entries, u64 written, unsigned int nr_cpus);
void trace_print_entry(unsigned int cpu, const struct trace_entry *e);

#endif
