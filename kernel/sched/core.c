/*
 * The scheduler core: per-CPU runqueues, schedule(), the tick.  Wake-ups
 * (try_to_wake_up, wake_up_new_task) are in wakeup.c and follow the rules
 * below.
 *
 * Locks, and who may change what.  The balancer and CPU hotplug rely on
 * these rules; every path in kernel/sched/ follows them.
 *
 * - Order: p->pi_lock, then a runqueue lock; two runqueue locks only
 *   through double_rq_lock() (lower CPU first).  Runqueue locks are raw
 *   (they do not count towards preemption: __schedule manages the count
 *   itself) and are only taken with IRQs masked, because the tick takes
 *   them.
 * - p->on_rq changes only under the lock of runqueue task_cpu(p):
 *   TASK_ON_RQ_QUEUED while p is runnable there (queued, or running as its
 *   curr), 0 once it went to sleep, TASK_ON_RQ_MIGRATING while it is on
 *   its way to another runqueue (detach_task .. attach_task).
 * - p->cpu changes (set_task_cpu) only
 *     (a) under p->pi_lock while p is on no runqueue and on no CPU (a
 *         wake-up, a first wake-up, the affinity change of a sleeper), or
 *     (b) under the lock of p's runqueue while p is queued there, not
 *         running, and marked TASK_ON_RQ_MIGRATING (detach_task()).  The
 *         mover keeps IRQs masked until it has put p down on the new
 *         runqueue under that one's lock (attach_task()); it needs no
 *         pi_lock, which is how the load balancer moves tasks.
 *   So pi_lock alone does not pin a queued task to its runqueue: lock that
 *   with task_rq_lock(), which rechecks task_cpu(p) once it holds the
 *   lock and waits while p is MIGRATING.
 * - p->cpus_allowed is written under pi_lock and p's runqueue lock, at a
 *   moment p is not running outside the new mask (migrate.c), or under
 *   pi_lock alone for a task on no runqueue (select_fallback_rq()).
 * - p->on_cpu is set under the runqueue lock by the CPU that switches p in
 *   and cleared, with a release, by that CPU once it has completely
 *   switched away (finish_task_switch).  Under the lock of p's runqueue,
 *   p->on_cpu is the same as rq->curr == p.  A waker never places a task
 *   on another CPU while it is still on_cpu: its stack is still in use.
 *
 * Preemption is counted per task (thread_info, asm/preempt.h): the count
 * travels with the task when it is switched out or moved.
 */
#include "rq.h"
#include "pelt.h"
#include "lb.h"
#include "irq.h"
#include "kernel.h"
#include "trace.h"
#include "softirq.h"
#include "wait.h"
#include "cpuhp.h"
#include "asm/irqflags.h"

struct rq runqueues[NR_CPUS];
static struct task_struct idle_tasks[NR_CPUS];

struct task_struct *cpu_switch_to(struct task_struct *prev, struct task_struct *next);
int task_list_add(struct task_struct *p);

_Static_assert(__builtin_offsetof(struct task_struct, thread_info) == 0,
	       "current_thread_info() expects thread_info first in the task");
_Static_assert(__builtin_offsetof(struct task_struct, ctx) == TASK_CTX_OFFSET,
	       "switch.S expects ctx at TASK_CTX_OFFSET");

/* Caller holds rq->lock (need_resched is cleared under it, in __schedule). */
void resched_curr(struct rq *rq)
{
	WRITE_ONCE(cpu_data[rq->cpu].need_resched, 1);
	if (rq->cpu != smp_processor_id()) {
		/* The flag before the IPI: the target reads it after taking
		 * the interrupt (preempt_schedule_irq, or its idle loop once
		 * WFI returns).  send_sgi adds a DSB, which also orders it
		 * against the GIC register write itself. */
		smp_mb();
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

/*
 * Lock the runqueue p belongs to.  Caller holds p->pi_lock (so no wake-up
 * or affinity change moves p) with IRQs masked; a mover holding only
 * runqueue locks still can, so: lock, recheck, retry, and wait while p is
 * between runqueues.  Returns with that runqueue locked, p not MIGRATING.
 */
struct rq *__task_rq_lock(struct task_struct *p)
{
	for (;;) {
		struct rq *rq = cpu_rq(task_cpu(p));

		arch_spin_lock(&rq->lock);
		/* Pairs with the smp_wmb() in set_task_cpu(): the lock we took
		 * depends on the p->cpu we read, and its acquire orders our
		 * on_rq load after that, so having read a new CPU we also see
		 * the MIGRATING stored before it.  Having read the old CPU, the
		 * mover's unlock of it shows us the new p->cpu. */
		if (rq == cpu_rq(task_cpu(p)) && !task_on_rq_migrating(p))
			return rq;
		arch_spin_unlock(&rq->lock);
		while (task_on_rq_migrating(p))
			cpu_relax();
	}
}

/*
 * Lock p->pi_lock and p's runqueue, IRQs saved in *flags and masked.
 * Context: may spin, never sleeps; no runqueue lock held.  Returns the
 * locked runqueue; undo with task_rq_unlock().  Nobody can move p, wake
 * it, or change its mask until then.
 */
struct rq *task_rq_lock(struct task_struct *p, unsigned long *flags)
{
	spin_lock_irqsave(&p->pi_lock, *flags);
	return __task_rq_lock(p);
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

/* Point p at another runqueue.  Only under the rules at the top of this
 * file: (a) pi_lock, p on no runqueue and no CPU; (b) the lock of p's
 * runqueue with p MIGRATING.  Anything else is a bug the balancer and
 * hotplug would hit, so it stops the kernel here. */
void set_task_cpu(struct task_struct *p, unsigned int cpu, const char *reason)
{
	if (p->cpu == cpu)
		return;
	if (READ_ONCE(p->on_rq) == TASK_ON_RQ_QUEUED || READ_ONCE(p->on_cpu))
		panic("set_task_cpu: %s/%d is %s (on_rq %d, on_cpu %d)", p->comm, p->pid,
		      p->on_cpu ? "running" : "queued", p->on_rq, p->on_cpu);
	migrate_task_rq_fair(p, cpu);	/* its load leaves the old rq (pelt.c) */
	trace_sched_migrate(p, p->cpu, cpu, reason);
	p->nr_migrations++;
	WRITE_ONCE(p->migrated_at, sched_clock());
	/* Pairs with __task_rq_lock(): on_rq = MIGRATING (detach_task) is
	 * visible to whoever reads the new p->cpu. */
	smp_wmb();
	WRITE_ONCE(p->cpu, cpu);
}

/* Caller holds rq->lock; p becomes TASK_ON_RQ_QUEUED there. */
void activate_task(struct rq *rq, struct task_struct *p, enum place_how how)
{
	if (task_is_fair(p)) {
		update_curr(rq);
		place_on_rq(rq, p, how);
		enqueue_fair(rq, p);
	}
	WRITE_ONCE(p->on_rq, TASK_ON_RQ_QUEUED);
}

/* Caller holds rq->lock.  sleep: p leaves for good (on_rq 0); else it is
 * on its way to another runqueue (TASK_ON_RQ_MIGRATING, see detach_task). */
void deactivate_task(struct rq *rq, struct task_struct *p, bool sleep)
{
	WRITE_ONCE(p->on_rq, sleep ? 0 : TASK_ON_RQ_MIGRATING);
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

/* Lock-free, so a hint for placement only (as on Linux): by the time the
 * caller acts on it the CPU may be busy; the enqueue itself is done under
 * that CPU's runqueue lock. */
bool idle_cpu(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	return READ_ONCE(rq->curr) == rq->idle && READ_ONCE(rq->nr_running) == 0;
}

unsigned int nr_running_on(unsigned int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->nr_running);
}

u64 sched_affinity_violations(unsigned int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->affinity_violations);
}

u64 sched_inactive_violations(unsigned int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->inactive_violations);
}

static struct task_struct *pick_next_task(struct rq *rq, struct task_struct *prev)
{
	struct task_struct *next;

	if (task_is_fair(prev) && prev->on_rq)
		put_prev_fair(rq, prev);
	if (rq->stop && rq->stop->on_rq)
		return rq->stop;
	next = unlikely(rq->balance_push) ? pick_next_fair_pinned(rq) : pick_next_fair(rq);
	return next ? next : rq->idle;
}

/* On the stack of the task switched to, IRQs masked, rq lock held. */
static void finish_task_switch(struct task_struct *prev)
{
	struct rq *rq = this_cpu()->rq;
	struct thread_info *ti = current_thread_info();
	bool dead = prev->state == TASK_DEAD;

	/* From here another CPU may run prev.  Release: everything this CPU
	 * did with prev (its registers saved on its stack, its state) is
	 * visible before on_cpu reads 0.  Pairs with the acquire loop in
	 * try_to_wake_up(). */
	smp_store_release(&prev->on_cpu, 0);
	arch_spin_unlock(&rq->lock);
	if (unlikely(rq->push_pending))
		balance_push_queue(rq);	/* wakes our stopper: needs the lock free */
	/* We hold what our own __schedule took, or what a new task starts
	 * with: exactly one level, nothing else. */
	if (unlikely(ti->preempt_count != PREEMPT_DISABLE_OFFSET))
		panic("preempt count %d across a switch into %s/%d", ti->preempt_count,
		      current->comm, current->pid);
	ti->preempt_count = 0;
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
/* The two switch-in invariants, counted per task and per CPU. */
static void check_switch_in(struct rq *rq, struct task_struct *next)
{
	if (next->flags & PF_IDLE)
		return;
	if (!cpumask_test_cpu(rq->cpu, &next->cpus_allowed)) {
		next->affinity_violations++;
		rq->affinity_violations++;
	}
	/* Only bound per-CPU threads run on a CPU that is not active (one
	 * going down, or not yet up). */
	if (!(next->flags & (PF_STOPPER | PF_NO_SETAFFINITY)) && !cpu_active(rq->cpu))
		rq->inactive_violations++;
}

static void __schedule(bool preempt)
{
	struct cpu_data *cd = this_cpu();
	struct rq *rq = cd->rq;
	struct task_struct *prev = rq->curr, *next;
	struct thread_info *ti = &prev->thread_info;

	if (unlikely(ti->preempt_count || cd->irq_nesting))
		panic("scheduling while atomic: %s/%d, preempt count %d, irq nesting %lu",
		      prev->comm, prev->pid, ti->preempt_count, cd->irq_nesting);
	/* Held across the switch; the task we switch to drops its own. */
	ti->preempt_count = PREEMPT_DISABLE_OFFSET;
	arch_spin_lock(&rq->lock);
	update_curr(rq);
	if (!preempt && prev->state != TASK_RUNNING)
		deactivate_task(rq, prev, true);
	next = pick_next_task(rq, prev);
	/* Nothing to run: try to pull some (the lock is dropped meanwhile,
	 * so pick again; prev cannot have come back: a wake-up of a task
	 * still on_cpu waits for us to switch away). */
	if (unlikely(next == rq->idle) && prev != rq->idle) {
		sched_balance_newidle(rq);
		/* prev is already back in the queue if it stays runnable (a CPU
		 * going offline may have refused it: rq->balance_push), so pick
		 * without putting it back a second time. */
		next = pick_next_task(rq, rq->idle);
	}
	if (unlikely(rq->balance_push))
		balance_push_check(rq);
	cd->need_resched = 0;
	if (next == prev) {
		arch_spin_unlock(&rq->lock);
		if (unlikely(rq->push_pending))
			balance_push_queue(rq);
		ti->preempt_count = 0;
		return;
	}
	if (prev == rq->idle) {
		tick_nohz_idle_exit(rq);	/* the tick back on (nohz.c) */
		sched_idle_exit(rq);		/* avg_idle, for newidle balancing */
	}
	rq->curr = next;
	WRITE_ONCE(next->on_cpu, 1);
	next->exec_start = rq->clock;
	next->slice_start = next->sum_exec_runtime;
	next->nr_switches++;
	rq->nr_switches++;
	check_switch_in(rq, next);
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

/*
 * For a caller that turned preemption off to close the window between
 * announcing something and going to sleep (kthread_parkme): sleep with no
 * preemption point in between, and come back with preemption off again.
 */
void schedule_preempt_disabled(void)
{
	unsigned long flags = local_irq_save();

	preempt_enable_no_resched();
	__schedule(false);
	preempt_disable();
	local_irq_restore(flags);
}

/* A reschedule became due while preemption was off (preempt_enable).
 * Checked again with IRQs masked: the caller may have been moved to a CPU
 * with nothing pending since it looked. */
void preempt_schedule(void)
{
	unsigned long flags = local_irq_save();
	struct cpu_data *cd = this_cpu();

	if (!preempt_count() && cd->rq && cd->need_resched)
		__schedule(true);
	local_irq_restore(flags);
}

/* From the IRQ return path (irq_nesting back to 0), IRQs masked, on the
 * interrupted task's stack; its own preemption count decides. */
void preempt_schedule_irq(void)
{
	struct cpu_data *cd = this_cpu();

	if (cd->rq && !preempt_count() && cd->need_resched)
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

/* A new weight for p; its runqueue locked.  Returns whether p is queued
 * there (then the caller decides about preemption). */
static bool reweight_locked(struct rq *rq, struct task_struct *p, int nice)
{
	bool queued = task_on_rq_queued(p);

	if (queued) {
		update_curr(rq);
		dequeue_fair(rq, p);
	}
	p->nice = nice;
	p->weight = nice_to_weight(nice);
	if (queued)
		enqueue_fair(rq, p);
	return queued;
}

/* Context: may spin, never sleeps; takes p->pi_lock and its runqueue
 * lock.  Returns 0, -EINVAL (nice out of range) or -EPERM (not a fair
 * task: idle, stopper). */
int set_user_nice(struct task_struct *p, int nice)
{
	unsigned long flags;
	struct rq *rq;

	if (nice < NICE_MIN || nice > NICE_MAX)
		return -EINVAL;
	if (!task_is_fair(p))
		return -EPERM;
	rq = task_rq_lock(p, &flags);
	if (reweight_locked(rq, p, nice))
		resched_curr(rq);
	task_rq_unlock(rq, p, flags);
	return 0;
}

/*
 * For the task driving a CPU hotplug operation (kernel/cpuhp.c), which
 * waits for other CPUs several times and must get its CPU back at once
 * each time it is woken or a stopper is done with it.  Linux runs those
 * steps in SCHED_FIFO threads; we have one fair class, so the task gets
 * the heaviest weight (nice -20) and, once, the place in the queue of a
 * task that has just woken from a long sleep (half a latency period
 * before min_vruntime).  Both in one hold of the lock, with no reschedule
 * in between: preempted after the new weight but before the new place,
 * it would wait a whole turn of the others first.  Context: task, may
 * sleep.  Returns the nice level to give back to sched_unboost_current().
 */
int sched_boost_current(void)
{
	struct task_struct *p = current;
	int nice = p->nice;
	unsigned long flags;
	struct rq *rq;

	if (!task_is_fair(p))
		return nice;
	rq = task_rq_lock(p, &flags);
	reweight_locked(rq, p, NICE_MIN);
	/* p is rq->curr, so not in the queue: its key may change. */
	if ((s64)(p->vruntime - (rq->min_vruntime - SCHED_LATENCY_NS / 2)) > 0)
		p->vruntime = rq->min_vruntime - SCHED_LATENCY_NS / 2;
	task_rq_unlock(rq, p, flags);
	return nice;
}

void sched_unboost_current(int nice)
{
	if (task_is_fair(current))
		set_user_nice(current, nice);
}

void __noreturn cpu_idle(void)
{
	for (;;) {
		/* Taken offline: everything has left, our stopper has parked,
		 * only this loop is left to switch the CPU off (cpuhp.c). */
		if (unlikely(!cpu_online(smp_processor_id())) && system_state == SYSTEM_SMP)
			cpuhp_idle_dead();
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

/* First thing each CPU does in C (start_kernel, secondary_start_kernel):
 * current becomes its idle task, whose preemption count the locks taken
 * during bring-up use.  Only the address is used yet: sched_init fills in
 * the task before anything schedules. */
void init_cpu_task(unsigned int cpu)
{
	__asm__ volatile("msr sp_el0, %0" :: "r"(&idle_tasks[cpu]));
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
		rq->avg_idle = 2 * LB_MIGRATION_COST_NS;	/* Linux's start */
		init_idle(cpu);
	}
	task_list_add(&idle_tasks[0]);
	adopt_idle(0);
}

/* At boot, and again each time hotplug brings the CPU back: the idle task
 * is reused (it was switched out of nothing: it was running when the CPU
 * went off), so it joins the task list only once. */
void sched_init_secondary(unsigned int cpu)
{
	static bool listed[NR_CPUS];

	adopt_idle(cpu);
	if (!listed[cpu]) {
		listed[cpu] = true;
		task_list_add(&idle_tasks[cpu]);
	}
}
