/*
 * The scheduler trace: recording.  Events carry a timestamp from the
 * generic counter, which all CPUs share, so the per-CPU buffers merge into
 * one timeline when dumped (kernel/trace_output.c prints them the way
 * Linux's /sys/kernel/tracing/trace does).  Linux's counterpart is ftrace
 * with the sched, cpuhp and ipi event groups.
 */
#include "trace.h"
#include "trace_entry.h"
#include "irq.h"
#include "kernel.h"
#include "page_alloc.h"
#include "sched.h"
#include "smp.h"
#include "timer.h"
#include "asm/irqflags.h"

/* Per CPU; the oldest are overwritten.  Sized to fill the power-of-two
 * block that kzalloc takes from the page allocator anyway (7281 events). */
#define TRACE_BUF_BYTES (512u << 10)
#define TRACE_ENTRIES (TRACE_BUF_BYTES / (u32)sizeof(struct trace_entry))

struct trace_buf {
	struct trace_entry *e;
	u32 head;		/* next slot */
	u32 count;		/* valid entries, at most TRACE_ENTRIES */
	u64 written;		/* entries ever written, overwritten ones too */
};

bool tracing_on;
static struct trace_buf bufs[NR_CPUS];

int trace_task_prio(const struct task_struct *p)
{
	if (p->flags & PF_STOPPER)
		return 0;
	return 120 + p->nice;
}

static void set_task(struct trace_task *t, const struct task_struct *p)
{
	memcpy(t->comm, p->comm, TASK_COMM_LEN);
	t->pid = p->pid;
	t->prio = trace_task_prio(p);
}

/* The next slot in this CPU's ring (the oldest entry once it is full), or
 * NULL while tracing is off.  IRQs masked. */
static struct trace_entry *slot(struct trace_buf *b)
{
	struct trace_entry *e;

	if (!READ_ONCE(tracing_on) || !b->e)
		return NULL;
	e = &b->e[b->head];
	b->head = (b->head + 1) % TRACE_ENTRIES;
	if (b->count < TRACE_ENTRIES)
		b->count++;
	b->written++;
	return e;
}

/*
 * Record one event: its type and payload come filled in *ev; the time,
 * the running task and the context are taken here.  The ring is written
 * with IRQs masked, which is what makes it ours alone and what
 * trace_quiesce() waits out.  tracing_on is read again (slot()) under the
 * mask: the caller's unmasked check may be stale by the time IRQs went
 * off.  The payload is built before the mask: it holds the caller's
 * arguments, and the events that read a task's fields (switch, wake-up,
 * migration) are recorded under its locks with IRQs masked already.
 */
static void record(const struct trace_entry *ev)
{
	unsigned long flags = local_irq_save();
	struct cpu_data *cd = this_cpu();
	struct task_struct *cur = current;
	struct trace_entry *e = slot(&bufs[cd->cpu]);

	if (e) {
		*e = *ev;	/* type and payload; the rest is filled below */
		e->ts = read_cntvct();
		e->pid = cur->pid;
		memcpy(e->comm, cur->comm, TASK_COMM_LEN);
		e->flags = (arch_irqs_disabled_flags(flags) ? TF_IRQS_OFF : 0) |
			   (cd->need_resched ? TF_NEED_RESCHED : 0) |
			   (cd->irq_nesting ? TF_HARDIRQ : 0);
		/* The running task's count (it is per task, asm/preempt.h). */
		e->preempt_count = (u8)MIN(preempt_count(), 15);
	}
	local_irq_restore(flags);
}

/* Linux's letters: R runnable (R+ preempted), S sleeping, D uninterruptible,
 * P parked, X dead. */
static void state_letters(char *out, const struct task_struct *p, bool preempt)
{
	long s = READ_ONCE(p->state);
	char c = 'R';

	/* The idle task is never "preempted": it gives way (Linux: R). */
	if (p->flags & PF_IDLE) {
		s = TASK_RUNNING;
		preempt = false;
	}
	if (s & TASK_DEAD)
		c = 'X';
	else if (s & TASK_PARKED)
		c = 'P';
	else if (s & TASK_UNINTERRUPTIBLE)
		c = 'D';
	else if (s & TASK_INTERRUPTIBLE)
		c = 'S';
	out[0] = c;
	out[1] = c == 'R' && preempt ? '+' : '\0';
	out[2] = '\0';
}

/* From __schedule: IRQs masked, rq lock held, current == prev. */
void __trace_switch(bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct trace_entry ev = { .type = EV_SWITCH, .sw.prev_prio = trace_task_prio(prev) };

	state_letters(ev.sw.prev_state, prev, preempt);
	set_task(&ev.sw.next, next);
	record(&ev);
}

void __trace_wakeup(struct task_struct *p, bool new_task)
{
	struct trace_entry ev = { .type = new_task ? EV_WAKEUP_NEW : EV_WAKEUP,
				  .wake.cpu = task_cpu(p) };

	set_task(&ev.wake.t, p);
	record(&ev);
}

void __trace_migrate(struct task_struct *p, unsigned int from, unsigned int to, const char *reason)
{
	struct trace_entry ev = { .type = EV_MIGRATE,
				  .mig = { .from = from, .to = to, .reason = reason } };

	set_task(&ev.mig.t, p);
	record(&ev);
}

void __trace_stop(void *fn)
{
	record(&(struct trace_entry){ .type = EV_STOP, .stop_fn = fn });
}

void __trace_cpuhp(bool enter, unsigned int cpu, int target_or_state, int idx, const char *name,
		   int ret)
{
	record(&(struct trace_entry){
		.type = enter ? EV_CPUHP_ENTER : EV_CPUHP_EXIT,
		.hp = { .cpu = cpu, .target_or_state = target_or_state, .idx = idx,
			.name = name, .ret = ret },
	});
}

void __trace_ipi_raise(const cpumask_t *mask, unsigned int ipi)
{
	record(&(struct trace_entry){ .type = EV_IPI_RAISE, .ipi = { .mask = *mask, .ipi = ipi } });
}

void __trace_ipi_handler(bool entry, unsigned int ipi)
{
	record(&(struct trace_entry){ .type = entry ? EV_IPI_ENTRY : EV_IPI_EXIT, .ipi.ipi = ipi });
}

void __trace_balance(unsigned int cpu, int level, const char *domain, const char *idle,
		     int busiest, long imbalance, unsigned int moved)
{
	record(&(struct trace_entry){
		.type = EV_BALANCE,
		.bal = { .cpu = cpu, .level = level, .domain = domain, .idle = idle,
			 .busiest = busiest, .imbalance = imbalance, .moved = moved },
	});
}

void __trace_kick_ilb(unsigned int ilb_cpu, const char *kick_flags)
{
	record(&(struct trace_entry){ .type = EV_KICK_ILB,
				      .ilb = { .cpu = ilb_cpu, .flags = kick_flags } });
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
	/* Publish the buffers before the flag that lets CPUs write them. */
	smp_mb();
	WRITE_ONCE(tracing_on, on);
	smp_mb();
	return 0;
}

static void quiesce_one(void *arg)
{
	(void)arg;
}

/*
 * Stop recording and wait until no CPU is still inside a recording
 * function.  Writers run with IRQs masked from their second check of
 * tracing_on to the end of the entry, so once every other online CPU has
 * taken an IPI after our store of 'false' (the smp_mb in trace_enable
 * orders the store before the IPI is sent), no write is in flight and
 * every later one sees 'false'.
 */
static void trace_quiesce(void)
{
	trace_enable(false);
	smp_call_function_many(cpu_online_mask, quiesce_one, NULL, true);
}

void trace_clear(void)
{
	bool was = READ_ONCE(tracing_on);
	unsigned int cpu;

	trace_quiesce();
	for_each_possible_cpu(cpu) {
		bufs[cpu].head = 0;
		bufs[cpu].count = 0;
		bufs[cpu].written = 0;
	}
	if (was)
		trace_enable(true);
}

/* Merge the per-CPU rings by timestamp; recording is off while we read. */
unsigned int trace_dump(void)
{
	u32 pos[NR_CPUS], left[NR_CPUS];
	u64 entries = 0, written = 0;
	unsigned int cpu, n = 0;

	trace_quiesce();
	for_each_possible_cpu(cpu) {
		left[cpu] = bufs[cpu].count;
		pos[cpu] = (bufs[cpu].head + TRACE_ENTRIES - bufs[cpu].count) % TRACE_ENTRIES;
		entries += bufs[cpu].count;
		written += bufs[cpu].written;
	}
	trace_print_header(entries, written, cpumask_weight(cpu_online_mask));
	for (;;) {
		unsigned int best = NR_CPUS;

		for_each_possible_cpu(cpu)
			if (left[cpu] && (best == NR_CPUS ||
					  bufs[cpu].e[pos[cpu]].ts < bufs[best].e[pos[best]].ts))
				best = cpu;
		if (best == NR_CPUS)
			break;
		trace_print_entry(best, &bufs[best].e[pos[best]]);
		pos[best] = (pos[best] + 1) % TRACE_ENTRIES;
		left[best]--;
		n++;
	}
	return n;
}
