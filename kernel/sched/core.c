/*
 * The scheduler core: per-CPU runqueues, schedule(), wake-ups, the tick.
 *
 * Lock order: p->pi_lock, then a runqueue lock (two only through
 * double_rq_lock).  Runqueue locks are raw (they do not count towards
 * preemption: __schedule manages the count itself) and are only taken
 * with IRQs masked, because the tick takes them.
 *
 * A task is "on_rq" while it is runnable on its runqueue (queued, or
 * running as rq->curr) and "on_cpu" from the moment a CPU picks it until
 * that CPU has completely switched away from it.  A waker must not place a
 * task on another CPU while it is still on_cpu somewhere: its stack is
 * still in use.
 */
#include "rq.h"
#include "pelt.h"
#include "irq.h"
#include "kernel.h"
#include "trace.h"
#include "softirq.h"
#include "wait.h"
#include "asm/irqflags.h"

struct rq runqueues[NR_CPUS];
static struct task_struct idle_tasks[NR_CPUS];

struct task_struct *cpu_switch_to(struct task_struct *prev, struct task_struct *next);
int task_list_add(struct task_struct *p);

void resched_curr(struct rq *rq)
{
	WRITE_ONCE(cpu_data[rq->cpu].need_resched, 1);
	if (rq->cpu != smp_processor_id()) {
		smp_mb();	/* the flag before the IPI that makes them look */
		send_ipi(rq->cpu, IPI_RESCHEDULE);
	}
}

void resched_cpu(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);
	unsigned long flags = local_irq_save();

	arch_spin_lock(&rq->lock);
	resched_curr(rq);
	arch_spin_unlock(&rq->lock);
	local_irq_restore(flags);
}

/* Lock the runqueue p belongs to (and p->pi_lock, so it cannot move). */
struct rq *task_rq_lock(struct task_struct *p, unsigned long *flags)
{
	spin_lock_irqsave(&p->pi_lock, *flags);
	for (;;) {
		struct rq *rq = cpu_rq(task_cpu(p));

		arch_spin_lock(&rq->lock);
		if (rq == cpu_rq(task_cpu(p)))
			return rq;
		arch_spin_unlock(&rq->lock);
	}
}

void task_rq_unlock(struct rq *rq, struct task_struct *p, unsigned long flags)
{
	arch_spin_unlock(&rq->lock);
	spin_unlock_irqrestore(&p->pi_lock, flags);
}

/* Always lower CPU first, so two CPUs locking the same pair cannot each
 * hold one lock and wait for the other (ABBA). */
void double_rq_lock(struct rq *a, struct rq *b)
{
	if (a == b) {
		arch_spin_lock(&a->lock);
	} else if (a->cpu < b->cpu) {
		arch_spin_lock(&a->lock);
		arch_spin_lock(&b->lock);
	} else {
		arch_spin_lock(&b->lock);
		arch_spin_lock(&a->lock);
	}
}

void double_rq_unlock(struct rq *a, struct rq *b)
{
	arch_spin_unlock(&a->lock);
	if (a != b)
		arch_spin_unlock(&b->lock);
}

void set_task_cpu(struct task_struct *p, unsigned int cpu, const char *reason)
{
	if (p->cpu != cpu) {
		migrate_task_rq_fair(p, cpu);	/* its load leaves the old rq (pelt.c) */
		trace_sched_migrate(p, p->cpu, cpu, reason);
		p->nr_migrations++;
		WRITE_ONCE(p->cpu, cpu);
	}
}

void activate_task(struct rq *rq, struct task_struct *p, bool sleeper)
{
	if (task_is_fair(p)) {
		update_curr(rq);
		place_on_rq(rq, p, sleeper);
		enqueue_fair(rq, p);
	}
	WRITE_ONCE(p->on_rq, 1);
}

void deactivate_task(struct rq *rq, struct task_struct *p)
{
	WRITE_ONCE(p->on_rq, 0);
	if (task_is_fair(p)) {
		dequeue_fair(rq, p);
		make_relative(rq, p);
	}
}

void check_preempt_curr(struct rq *rq, struct task_struct *p)
{
	if (p->flags & PF_STOPPER || wakeup_preempts(rq, p))
		resched_curr(rq);
}

bool idle_cpu(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	return READ_ONCE(rq->curr) == rq->idle && READ_ONCE(rq->nr_running) == 0;
}

unsigned int nr_running_on(unsigned int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->nr_running);
}

static struct task_struct *pick_next_task(struct rq *rq, struct task_struct *prev)
{
	struct task_struct *next;

	if (task_is_fair(prev) && prev->on_rq)
		put_prev_fair(rq, prev);
	if (rq->stop && rq->stop->on_rq)
		return rq->stop;
	next = pick_next_fair(rq);
	return next ? next : rq->idle;
}

static void finish_task_switch(struct task_struct *prev)
{
	struct rq *rq = this_cpu()->rq;
	bool dead = prev->state == TASK_DEAD;

	/* From here another CPU may run prev (release pairs with the waker's
	 * acquire in try_to_wake_up). */
	smp_store_release(&prev->on_cpu, 0);
	arch_spin_unlock(&rq->lock);
	this_cpu()->preempt_count = 0;
	if (dead)
		put_task_struct(prev);	/* the reference it ran on */
}

/* First code of a new task (switch.S ret_from_fork). */
void schedule_tail(struct task_struct *prev)
{
	finish_task_switch(prev);
	local_irq_enable();
}

/*
 * Pick the next task and switch to it.  'preempt' means the current task
 * is being interrupted, not giving up the CPU: it stays on the runqueue
 * even if it had already marked itself sleeping.
 */
static void __schedule(bool preempt)
{
	struct cpu_data *cd = this_cpu();
	struct rq *rq = cd->rq;
	struct task_struct *prev = rq->curr, *next;

	if (unlikely(cd->preempt_count))
		panic("scheduling while atomic: %s/%d, preempt count %d",
		      prev->comm, prev->pid, cd->preempt_count);
	cd->preempt_count = 1;
	arch_spin_lock(&rq->lock);
	update_curr(rq);
	if (!preempt && prev->state != TASK_RUNNING)
		deactivate_task(rq, prev);
	next = pick_next_task(rq, prev);
	cd->need_resched = 0;
	if (next == prev) {
		arch_spin_unlock(&rq->lock);
		cd->preempt_count = 0;
		return;
	}
	if (prev == rq->idle)
		tick_nohz_idle_exit(rq);	/* the tick back on (nohz.c) */
	rq->curr = next;
	WRITE_ONCE(next->on_cpu, 1);
	next->exec_start = rq->clock;
	next->slice_start = next->sum_exec_runtime;
	next->nr_switches++;
	rq->nr_switches++;
	/* The affinity promise, checked where it matters: at switch-in. */
	if (!(next->flags & PF_IDLE) && !cpumask_test_cpu(rq->cpu, &next->cpus_allowed))
		next->affinity_violations++;
	trace_sched_switch(preempt, prev, next);
	prev = cpu_switch_to(prev, next);
	finish_task_switch(prev);
}

/*
 * The last switch of an exiting task.
 * - IRQs stay masked from setting TASK_DEAD to the switch: were it
 *   preempted in between, the CPU that switched away from it would take it
 *   for dead (finish_task_switch) and free its stack while it is still
 *   queued to run.
 * - TASK_DEAD is written under pi_lock (Linux's set_special_state): a
 *   wake-up that saw us in a wait a moment ago holds pi_lock until it has
 *   written TASK_RUNNING, and that late write must not land on TASK_DEAD.
 */
void __noreturn do_task_dead(void)
{
	struct task_struct *p = current;

	local_irq_disable();
	arch_spin_lock(&p->pi_lock);
	WRITE_ONCE(p->state, TASK_DEAD);
	arch_spin_unlock(&p->pi_lock);
	__schedule(false);
	panic("dead task %d (%s) was scheduled again", current->pid, current->comm);
}

void schedule(void)
{
	unsigned long flags = local_irq_save();

	__schedule(false);
	local_irq_restore(flags);
}

/* A reschedule became due while preemption was off (spin_unlock). */
void preempt_schedule(void)
{
	unsigned long flags = local_irq_save();

	if (!this_cpu()->preempt_count && this_cpu()->rq)
		__schedule(true);
	local_irq_restore(flags);
}

/* From the IRQ return path, IRQs masked, on the interrupted task's stack. */
void preempt_schedule_irq(void)
{
	struct cpu_data *cd = this_cpu();

	if (cd->rq && !cd->preempt_count && cd->need_resched)
		__schedule(true);
}

void yield(void)
{
	unsigned long flags = local_irq_save();
	struct rq *rq = this_cpu()->rq;

	arch_spin_lock(&rq->lock);
	update_curr(rq);
	yield_fair(rq);
	arch_spin_unlock(&rq->lock);
	__schedule(true);
	local_irq_restore(flags);
}

void scheduler_tick(void)
{
	struct rq *rq = this_cpu()->rq;

	if (!rq)
		return;
	arch_spin_lock(&rq->lock);
	update_curr(rq);
	check_preempt_tick(rq);
	arch_spin_unlock(&rq->lock);
	sched_balance_trigger(rq);
}

static int try_to_wake_up(struct task_struct *p, unsigned int state)
{
	unsigned long flags;
	struct rq *rq;
	int cpu;

	spin_lock_irqsave(&p->pi_lock, flags);
	smp_mb();	/* the caller's condition store before our state load */
	if (!(READ_ONCE(p->state) & state)) {
		spin_unlock_irqrestore(&p->pi_lock, flags);
		return 0;
	}
	if (READ_ONCE(p->on_rq)) {
		/* Still queued: it had not got as far as schedule(). */
		rq = cpu_rq(task_cpu(p));
		arch_spin_lock(&rq->lock);
		if (p->on_rq) {
			WRITE_ONCE(p->state, TASK_RUNNING);
			trace_sched_wakeup(p);
			arch_spin_unlock(&rq->lock);
			spin_unlock_irqrestore(&p->pi_lock, flags);
			return 1;
		}
		arch_spin_unlock(&rq->lock);
	}
	/* Its old CPU may still be switching away from it. */
	while (smp_load_acquire(&p->on_cpu))
		cpu_relax();
	cpu = select_task_rq(p, task_cpu(p));
	rq = cpu_rq(cpu);
	arch_spin_lock(&rq->lock);
	set_task_cpu(p, (unsigned int)cpu, "wakeup");
	WRITE_ONCE(p->state, TASK_RUNNING);
	trace_sched_wakeup(p);
	activate_task(rq, p, true);
	check_preempt_curr(rq, p);
	arch_spin_unlock(&rq->lock);
	spin_unlock_irqrestore(&p->pi_lock, flags);
	return 1;
}

void wake_up_new_task(struct task_struct *p)
{
	unsigned long flags;
	struct rq *rq;
	int cpu;

	spin_lock_irqsave(&p->pi_lock, flags);
	if (p->state != TASK_NEW) {	/* someone else started it first */
		spin_unlock_irqrestore(&p->pi_lock, flags);
		return;
	}
	cpu = select_task_rq(p, smp_processor_id());
	rq = cpu_rq(cpu);
	arch_spin_lock(&rq->lock);
	set_task_cpu(p, (unsigned int)cpu, "new");
	WRITE_ONCE(p->state, TASK_RUNNING);
	activate_task(rq, p, false);
	trace_sched_wakeup_new(p);
	check_preempt_curr(rq, p);
	arch_spin_unlock(&rq->lock);
	spin_unlock_irqrestore(&p->pi_lock, flags);
}

int wake_up_state(struct task_struct *p, unsigned int state)
{
	if (READ_ONCE(p->state) == TASK_NEW) {
		wake_up_new_task(p);
		return 1;
	}
	return try_to_wake_up(p, state);
}

int wake_up_process(struct task_struct *p)
{
	return wake_up_state(p, TASK_NORMAL);
}

int set_user_nice(struct task_struct *p, int nice)
{
	unsigned long flags;
	struct rq *rq;
	bool queued;

	if (nice < NICE_MIN || nice > NICE_MAX)
		return -EINVAL;
	if (!task_is_fair(p))
		return -EPERM;
	rq = task_rq_lock(p, &flags);
	queued = p->on_rq;
	if (queued) {
		update_curr(rq);
		dequeue_fair(rq, p);
	}
	p->nice = nice;
	p->weight = nice_to_weight(nice);
	if (queued) {
		enqueue_fair(rq, p);
		resched_curr(rq);
	}
	task_rq_unlock(rq, p, flags);
	return 0;
}

void __noreturn cpu_idle(void)
{
	for (;;) {
		local_irq_disable();
		/* Deferred actions an interrupt left over (kernel/softirq.c). */
		if (local_softirq_pending())
			do_softirq();
		/* WFI with IRQs masked still wakes on an interrupt; it is taken
		 * once they are unmasked, so no wake-up slips past.  The tick
		 * stops first (nohz.c); __schedule restarts it. */
		if (!READ_ONCE(this_cpu()->need_resched) && !local_softirq_pending()) {
			tick_nohz_idle_stop_tick();
			wfi();
		}
		local_irq_enable();
		if (READ_ONCE(this_cpu()->need_resched))
			schedule();
	}
}

static void init_idle(unsigned int cpu)
{
	struct task_struct *idle = &idle_tasks[cpu];
	struct rq *rq = cpu_rq(cpu);

	idle->state = TASK_RUNNING;
	idle->flags = PF_IDLE | PF_NO_SETAFFINITY;
	idle->pid = 0;
	snprintf(idle->comm, sizeof(idle->comm), "idle/%u", cpu);
	idle->refcount = 1 << 30;	/* never freed */
	idle->cpu = cpu;
	idle->weight = NICE_0_WEIGHT;
	cpumask_clear(&idle->cpus_allowed);
	cpumask_set_cpu(cpu, &idle->cpus_allowed);
	spin_lock_init(&idle->pi_lock);
	INIT_LIST_HEAD(&idle->run_node);
	INIT_LIST_HEAD(&idle->tasks);
	rq->idle = idle;
	rq->curr = idle;
}

/* This CPU's boot flow becomes its idle task. */
static void adopt_idle(unsigned int cpu)
{
	struct task_struct *idle = &idle_tasks[cpu];

	idle->on_cpu = 1;
	idle->exec_start = sched_clock();
	cpu_data[cpu].rq = cpu_rq(cpu);
	__asm__ volatile("msr sp_el0, %0" :: "r"(idle));
}

void sched_init(void)
{
	timers_init();
	pelt_init();
	sched_balance_init();
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct rq *rq = cpu_rq(cpu);

		spin_lock_init(&rq->lock);
		spin_lock_init(&rq->removed.lock);
		rq->cpu = cpu;
		INIT_LIST_HEAD(&rq->queue);
		init_idle(cpu);
	}
	task_list_add(&idle_tasks[0]);
	adopt_idle(0);
}

void sched_init_secondary(unsigned int cpu)
{
	adopt_idle(cpu);
	task_list_add(&idle_tasks[cpu]);
}
