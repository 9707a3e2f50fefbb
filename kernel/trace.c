/*
 * The scheduler trace.  Events carry a timestamp from the generic counter,
 * which all CPUs share, so per-CPU buffers merge into one timeline when
 * dumped.  Linux's counterpart is ftrace with the sched_switch,
 * sched_wakeup and sched_migrate_task events.
 */
#include "trace.h"
#include "kernel.h"
#include "page_alloc.h"
#include "sched.h"
#include "shell.h"
#include "smp.h"
#include "timer.h"
#include "asm/irqflags.h"

#define TRACE_ENTRIES 1024

enum trace_type { EV_SWITCH, EV_WAKEUP, EV_MIGRATE, EV_STOP };

struct trace_entry {
	u64 ts;
	u8 type;
	u8 cpu_a, cpu_b;
	char state;
	int pid_a, pid_b;
	const char *reason;
	char comm_a[TASK_COMM_LEN];
	char comm_b[TASK_COMM_LEN];
};

struct trace_buf {
	struct trace_entry *e;
	u32 head;		/* next slot */
	u32 count;
};

bool tracing_on;
static struct trace_buf bufs[NR_CPUS];
extern char _head[];

static struct trace_entry *slot(void)
{
	struct trace_buf *b = &bufs[smp_processor_id()];
	struct trace_entry *e;

	if (!b->e)
		return NULL;
	e = &b->e[b->head];
	b->head = (b->head + 1) % TRACE_ENTRIES;
	if (b->count < TRACE_ENTRIES)
		b->count++;
	e->ts = read_cntvct();
	return e;
}

static void set_task(char *comm, int *pid, struct task_struct *p)
{
	*pid = p->pid;
	memcpy(comm, p->comm, TASK_COMM_LEN);
}

/* Callers run with IRQs masked (scheduler locks held). */
void __trace_switch(struct task_struct *prev, struct task_struct *next)
{
	struct trace_entry *e = slot();

	if (!e)
		return;
	e->type = EV_SWITCH;
	set_task(e->comm_a, &e->pid_a, prev);
	set_task(e->comm_b, &e->pid_b, next);
	e->state = task_state_name(prev)[0];
}

void __trace_wakeup(struct task_struct *p)
{
	unsigned long flags = local_irq_save();
	struct trace_entry *e = slot();

	if (e) {
		e->type = EV_WAKEUP;
		set_task(e->comm_a, &e->pid_a, p);
		e->cpu_a = (u8)p->cpu;
	}
	local_irq_restore(flags);
}

void __trace_migrate(struct task_struct *p, unsigned int from, unsigned int to, const char *reason)
{
	unsigned long flags = local_irq_save();
	struct trace_entry *e = slot();

	if (e) {
		e->type = EV_MIGRATE;
		set_task(e->comm_a, &e->pid_a, p);
		e->cpu_a = (u8)from;
		e->cpu_b = (u8)to;
		e->reason = reason;
	}
	local_irq_restore(flags);
}

void __trace_stop(void *fn)
{
	unsigned long flags = local_irq_save();
	struct trace_entry *e = slot();

	if (e) {
		e->type = EV_STOP;
		e->reason = (const char *)fn;
	}
	local_irq_restore(flags);
}

int trace_enable(bool on)
{
	unsigned int cpu;

	if (on) {
		for_each_possible_cpu(cpu)
			if (!bufs[cpu].e) {
				bufs[cpu].e = kzalloc(sizeof(struct trace_entry) * TRACE_ENTRIES);
				if (!bufs[cpu].e)
					return -ENOMEM;
			}
	}
	WRITE_ONCE(tracing_on, on);
	smp_mb();
	return 0;
}

void trace_clear(void)
{
	bool was = tracing_on;
	unsigned int cpu;

	trace_enable(false);
	for_each_possible_cpu(cpu) {
		bufs[cpu].head = 0;
		bufs[cpu].count = 0;
	}
	if (was)
		trace_enable(true);
}

static void print_entry(unsigned int cpu, const struct trace_entry *e)
{
	u64 ns = cycles_to_ns(e->ts);

	switch (e->type) {
	case EV_SWITCH:
		kprintf("%012lu C%u switch prev=%d:%s next=%d:%s prev_state=%c\n", ns, cpu,
			e->pid_a, e->comm_a, e->pid_b, e->comm_b, e->state);
		break;
	case EV_WAKEUP:
		kprintf("%012lu C%u wakeup pid=%d comm=%s target=%u\n", ns, cpu, e->pid_a,
			e->comm_a, e->cpu_a);
		break;
	case EV_MIGRATE:
		kprintf("%012lu C%u migrate pid=%d comm=%s from=%u to=%u reason=%s\n", ns, cpu,
			e->pid_a, e->comm_a, e->cpu_a, e->cpu_b, e->reason);
		break;
	case EV_STOP:
		kprintf("%012lu C%u stop fn=image+0x%lx\n", ns, cpu, (u64)e->reason - (u64)_head);
		break;
	}
}

/* Merge the per-CPU rings by timestamp; tracing is off while we read. */
unsigned int trace_dump(void)
{
	u32 pos[NR_CPUS], left[NR_CPUS];
	unsigned int cpu, n = 0;

	trace_enable(false);
	for_each_possible_cpu(cpu) {
		left[cpu] = bufs[cpu].count;
		pos[cpu] = (bufs[cpu].head + TRACE_ENTRIES - bufs[cpu].count) % TRACE_ENTRIES;
	}
	for (;;) {
		unsigned int best = NR_CPUS;

		for_each_possible_cpu(cpu)
			if (left[cpu] && (best == NR_CPUS ||
					  bufs[cpu].e[pos[cpu]].ts < bufs[best].e[pos[best]].ts))
				best = cpu;
		if (best == NR_CPUS)
			break;
		print_entry(best, &bufs[best].e[pos[best]]);
		pos[best] = (pos[best] + 1) % TRACE_ENTRIES;
		left[best]--;
		n++;
	}
	return n;
}

static int cmd_trace(int argc, char **argv)
{
	if (argc != 2)
		goto usage;
	if (!strcmp(argv[1], "on"))
		return trace_enable(true);
	if (!strcmp(argv[1], "off"))
		return trace_enable(false);
	if (!strcmp(argv[1], "clear")) {
		trace_clear();
		return 0;
	}
	if (!strcmp(argv[1], "dump")) {
		kprintf("# %u events (tracing is now off)\n", trace_dump());
		return 0;
	}
usage:
	kprintf("usage: trace on|off|dump|clear\n");
	return -EINVAL;
}
SHELL_CMD(trace, cmd_trace, "on|off|dump|clear", "scheduler event trace (docs/trace.md)");
