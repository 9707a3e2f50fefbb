/* Helper-thread bookkeeping for the scheduler suites (see sched_util.h). */
#include "sched_util.h"
#include "kernel.h"
#include "../../kernel/sched/rq.h"

static struct task_struct *started[KT_MAX_THREADS];
static DEFINE_SPINLOCK(started_lock);

struct task_struct *kt_start_mask(int (*fn)(void *), void *arg, const char *name,
				  const cpumask_t *mask, int nice)
{
	struct task_struct *p;
	unsigned long flags;
	int slot = -1;

	spin_lock_irqsave(&started_lock, flags);
	for (int i = 0; i < KT_MAX_THREADS; i++)
		if (!started[i]) {
			slot = i;
			started[i] = (struct task_struct *)1;	/* reserved */
			break;
		}
	spin_unlock_irqrestore(&started_lock, flags);
	if (slot < 0)
		return NULL;
	p = kthread_create(fn, arg, name);
	if (!p) {
		WRITE_ONCE(started[slot], NULL);
		return NULL;
	}
	/* Still TASK_NEW: the mask is simply where its first wake-up may
	 * place it (as spawn_workload does). */
	if (mask)
		cpumask_copy(&p->cpus_allowed, mask);
	set_user_nice(p, nice);
	WRITE_ONCE(started[slot], p);
	wake_up_process(p);
	return p;
}

struct task_struct *kt_start(int (*fn)(void *), void *arg, const char *name, int cpu, int nice)
{
	cpumask_t one;

	if (cpu < 0)
		return kt_start_mask(fn, arg, name, NULL, nice);
	cpumask_clear(&one);
	cpumask_set_cpu((unsigned int)cpu, &one);
	return kt_start_mask(fn, arg, name, &one, nice);
}

int kt_stop(struct task_struct *p)
{
	unsigned long flags;

	spin_lock_irqsave(&started_lock, flags);
	for (int i = 0; i < KT_MAX_THREADS; i++)
		if (started[i] == p)
			started[i] = NULL;
	spin_unlock_irqrestore(&started_lock, flags);
	return kthread_stop(p);		/* drops kthread_create's reference */
}

unsigned int kt_stop_all(void)
{
	unsigned int n = 0;

	for (int i = 0; i < KT_MAX_THREADS; i++) {
		struct task_struct *p = READ_ONCE(started[i]);

		if (p && p != (struct task_struct *)1) {
			kt_stop(p);
			n++;
		}
	}
	return n;
}

void kt_ticked_start(struct kt_ticked *c)
{
	c->cpu = smp_processor_id();
	c->ticks = READ_ONCE(cpu_data[c->cpu].ticks);
	c->ns = kt_now_ns();
	c->elapsed_ns = 0;
}

u64 kt_ticked_ms(struct kt_ticked *c)
{
	unsigned int cpu = smp_processor_id();
	u64 ticks = READ_ONCE(cpu_data[cpu].ticks), ns = kt_now_ns();
	/* Moved to another CPU: its counter does not compare; one tick. */
	u64 took = cpu == c->cpu && ticks > c->ticks ? ticks - c->ticks : 1;

	c->elapsed_ns += MIN(ns - c->ns, took * kt_tick_ns());
	c->cpu = cpu;
	c->ticks = ticks;
	c->ns = ns;
	return c->elapsed_ns / 1000000;
}

unsigned int kt_cpu(unsigned int n)
{
	unsigned int cpus[NR_CPUS], count = 0, cpu;

	for_each_online_cpu(cpu)
		cpus[count++] = cpu;
	return cpus[count - 1 - n % count];
}

static DECLARE_WAIT_QUEUE_HEAD(idle_wq);	/* nobody wakes it: only kthread_stop */

void kt_idle_until_stopped(void)
{
	wait_event(idle_wq, kthread_should_stop());
}

int kt_spinner_fn(void *arg)
{
	struct kt_spinner *s = arg;
	unsigned int last_cpu = smp_processor_id();
	u64 last = READ_ONCE(cpu_data[last_cpu].ticks);

	while (!kthread_should_stop()) {
		unsigned int cpu = smp_processor_id();
		u64 now = READ_ONCE(cpu_data[cpu].ticks);
		int expect = READ_ONCE(s->expect);

		/* Ticks of one CPU only: counters of two CPUs do not compare. */
		if (cpu == last_cpu && now - last > READ_ONCE(s->max_gap))
			WRITE_ONCE(s->max_gap, now - last);
		for (int i = 0; i < 200; i++)
			__asm__ volatile("" ::: "memory");
		/* Same CPU before and after reading 'expect': we really ran
		 * on 'cpu' at a moment when 'expect' said otherwise. */
		if (expect >= 0 && cpu != (unsigned int)expect && smp_processor_id() == cpu)
			WRITE_ONCE(s->stray, s->stray + 1);
		WRITE_ONCE(s->loops_on[cpu], s->loops_on[cpu] + 1);
		WRITE_ONCE(s->cpu, cpu);
		WRITE_ONCE(s->loops, s->loops + 1);
		last_cpu = smp_processor_id();
		last = READ_ONCE(cpu_data[last_cpu].ticks);
	}
	/* Read by the task itself: no move can come between its last
	 * counted loop and this (a move after it changes no loop count). */
	WRITE_ONCE(s->migrations_at_exit, READ_ONCE(current->nr_migrations));
	return 0;
}

struct pid_count { int pid; unsigned int n; };

static void count_pid(struct task_struct *p, void *arg)
{
	struct pid_count *pc = arg;

	if (p->pid == pc->pid && !(p->flags & PF_IDLE))
		pc->n++;
}

unsigned int kt_tasks_with_pid(int pid)
{
	struct pid_count pc = { pid, 0 };

	for_each_task(count_pid, &pc);
	return pc.n;
}

void kt_dump_task(const char *what, struct task_struct *p)
{
	KT_NOTE("%s: %d:%s %s cpu%u on_rq %d on_cpu %d flags 0x%lx", what, p->pid, p->comm,
		task_state_name(p), task_cpu(p), READ_ONCE(p->on_rq), READ_ONCE(p->on_cpu), p->flags);
}

void kt_dump_cpus(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct rq *rq = cpu_rq(cpu);
		struct task_struct *curr = READ_ONCE(rq->curr);

		if (curr == rq->idle && !READ_ONCE(rq->nr_running) && !READ_ONCE(rq->stop->on_rq))
			continue;
		KT_NOTE("cpu%u: curr %d:%s nr_running %u stopper %s ticks %lu%s", cpu, curr->pid,
			curr->comm, READ_ONCE(rq->nr_running),
			READ_ONCE(rq->stop->on_rq) ? "queued" : "asleep", READ_ONCE(cpu_data[cpu].ticks),
			READ_ONCE(cpu_data[cpu].in_stop_machine) ? " in stop_machine" : "");
	}
}

static volatile int bt_done[NR_CPUS];

static void backtrace_here(void *arg)
{
	(void)arg;
	printk("backtrace of cpu%u (%s):\n", smp_processor_id(), current->comm);
	dump_backtrace((u64)__builtin_frame_address(0), 0);
	WRITE_ONCE(bt_done[smp_processor_id()], 1);
}

void kt_backtrace_cpu(unsigned int cpu)
{
	WRITE_ONCE(bt_done[cpu], 0);
	smp_call_function_single(cpu, backtrace_here, NULL, false);
	if (!KT_WAIT_UNTIL(READ_ONCE(bt_done[cpu]), 1000))
		KT_NOTE("cpu%u does not take interrupts", cpu);
}

static atomic_t answered[NR_CPUS];

static void answer(void *arg)
{
	(void)arg;
	atomic_inc(&answered[smp_processor_id()]);
}

unsigned int kt_unresponsive_cpus(void)
{
	unsigned int cpu, bad = 0;

	for_each_online_cpu(cpu) {
		int before = atomic_read(&answered[cpu]);

		smp_call_function_single(cpu, answer, NULL, false);
		u64 ticks = READ_ONCE(cpu_data[cpu].ticks), irqs = READ_ONCE(cpu_data[cpu].irqs);

		if (!KT_WAIT_UNTIL(atomic_read(&answered[cpu]) != before, KT_LIVENESS_MS)) {
			KT_NOTE("cpu%u does not answer a cross-CPU call (ticks %lu -> %lu, irqs %lu -> %lu, call IPIs %lu, curr %s)",
				cpu, ticks, READ_ONCE(cpu_data[cpu].ticks), irqs, READ_ONCE(cpu_data[cpu].irqs),
				READ_ONCE(cpu_data[cpu].ipis[1]), READ_ONCE(cpu_rq(cpu)->curr)->comm);
			kt_dump_cpus();
			bad++;
		}
	}
	return bad;
}
