/*
 * The scheduler's side of CPU hotplug (kernel/sched/hotplug.h).
 *
 * Going down, in the order kernel/cpuhp.c calls them:
 *   sched_cpu_deactivate  the CPU leaves cpu_active_mask under its own
 *                         runqueue lock and its runqueue starts refusing
 *                         work (rq->balance_push); then the sched domains
 *                         are rebuilt without it.
 *   sched_cpu_wait_empty  its stopper pushes every movable task away.
 *   sched_cpu_dying       once the CPU is off: nothing may be left.
 * Coming up, sched_cpu_activate undoes the first; the balancer then moves
 * work onto the CPU by itself.
 *
 * Why nothing can slip back in between: every path that puts a task on a
 * runqueue other than its own checks is_cpu_allowed() (active, or online
 * for per-CPU threads) while holding that runqueue's lock, and the CPU
 * leaves the active mask while we hold the same lock.  A placement either
 * finished before (the task is queued there and the sweep moves it), or
 * sees the CPU inactive and goes elsewhere.  And with rq->balance_push set,
 * the CPU itself no longer switches to a movable task (pick_next_task), so
 * nothing runs anew on an inactive CPU.
 */
#include "rq.h"
#include "hotplug.h"
#include "kernel.h"
#include "stop_machine.h"
#include "topology.h"
#include "asm/irqflags.h"

/* Under the CPU's runqueue lock: see the comment at the top. */
static void set_rq_online(unsigned int cpu, bool on)
{
	struct rq *rq = cpu_rq(cpu);
	unsigned long flags = local_irq_save();

	arch_spin_lock(&rq->lock);
	WRITE_ONCE(rq->balance_push, !on);
	set_cpu_active(cpu, on);
	arch_spin_unlock(&rq->lock);
	local_irq_restore(flags);
}

/* Boot brings every CPU up before the first domains exist: building them
 * once at the end (sched_init_domains) beats rebuilding per CPU. */
static bool domains_ready;

int sched_init_domains(void)
{
	int ret = rebuild_sched_domains();

	domains_ready = true;
	return ret;
}

/* From the rebuild, preemption off, just before the domains that span
 * the CPU go out, a few stores later: its idle loop, woken by the IPI
 * below, almost always finds them out; if not, its first NOHZ pass
 * walks no domain and the next one does. */
static void activate_rq(unsigned int cpu)
{
	set_rq_online(cpu, true);
	/* Due for balancing at once: whatever date it had was set before it
	 * went inactive, possibly backed off far ahead. */
	WRITE_ONCE(cpu_rq(cpu)->next_balance, sched_clock());
	/* Its idle loop may have stopped the tick while the CPU was not
	 * active, and so not listed itself for NOHZ idle balancing: a pass
	 * through that loop lists it now (tick_nohz_idle_stop_tick). */
	resched_cpu(cpu);
}

/* CPUHP_AP_ACTIVE startup: task context, may sleep, cpus_write_lock() held
 * (hotplug.h).  0, or -ENOMEM with the CPU left inactive. */
int sched_cpu_activate(unsigned int cpu)
{
	int ret = 0;

	/* Active only once its domains are built (a build over 64 CPUs
	 * takes a while): active without them, it would sit idle with
	 * nothing able to balance for it. */
	if (domains_ready)
		ret = rebuild_sched_domains_activating(cpu, activate_rq);
	else
		activate_rq(cpu);
	return ret;
}

int sched_cpu_deactivate(unsigned int cpu)
{
	int ret;

	set_rq_online(cpu, false);
	/* Returns once no CPU can still be walking the old domains, which
	 * still span this CPU (the grace period, docs/balance.md).  If no
	 * new set can be built, the rollback makes the CPU active again. */
	ret = rebuild_sched_domains();
	return ret;
}

/* The first queued task that may leave (not a per-CPU thread); rq locked. */
static struct task_struct *first_movable(struct rq *rq)
{
	struct task_struct *p;

	list_for_each_entry(p, &rq->queue, run_node)
		if (!(p->flags & PF_NO_SETAFFINITY))
			return p;
	return NULL;
}

#define PUSH_ATTEMPTS 100000	/* a bug guard, far above any real load */

/*
 * On the stopper of the CPU going down: it preempted whatever ran, so every
 * task there is merely queued now.  Move each to an allowed active CPU, or
 * through select_fallback_rq() if it has none (which may widen its mask:
 * that needs p->pi_lock, so each task is locked the task_rq_lock() way).
 */
static int push_all_away(void *arg)
{
	unsigned int cpu = smp_processor_id();
	struct rq *rq = cpu_rq(cpu);
	int attempts = 0;

	(void)arg;
	for (;;) {
		struct task_struct *p;
		unsigned long flags;
		struct rq *prq;

		flags = local_irq_save();
		arch_spin_lock(&rq->lock);
		p = first_movable(rq);
		if (p)
			get_task_struct(p);
		arch_spin_unlock(&rq->lock);
		local_irq_restore(flags);
		if (!p)
			return 0;
		prq = task_rq_lock(p, &flags);
		if (prq == rq && task_on_rq_queued(p) && prq->curr != p)
			prq = move_queued_task(prq, p, (unsigned int)select_task_rq(p, cpu), "hotplug");
		task_rq_unlock(prq, p, flags);
		put_task_struct(p);
		if (++attempts > PUSH_ATTEMPTS)
			return -EBUSY;
	}
}

/*
 * balance_push: the CPU has left cpu_active_mask and picks only its per-CPU
 * threads (pick_next_fair_pinned), but a movable task that was running
 * when it did is still there, and once preempted it would only be queued,
 * never run, until sched_cpu_wait_empty sweeps the queue.  That sweep is
 * started by the task driving the hotplug operation, which may be that very
 * task.  So each time __schedule leaves a movable task queued here it asks
 * (balance_push_check) for this stopper work: it runs next, being pinned,
 * and moves them all away.
 */
static int balance_push_stop(void *arg)
{
	struct rq *rq = arg;
	unsigned long flags = local_irq_save();
	bool pushing;

	arch_spin_lock(&rq->lock);
	/* From here a task left behind asks for a new run. */
	rq->push_queued = false;
	pushing = rq->balance_push;	/* false: brought back up meanwhile */
	arch_spin_unlock(&rq->lock);
	local_irq_restore(flags);
	return pushing ? push_all_away(NULL) : 0;
}

/* __schedule, rq locked, IRQs masked. */
void balance_push_check(struct rq *rq)
{
	if (!rq->push_queued && first_movable(rq)) {
		rq->push_queued = true;
		rq->push_pending = true;
	}
}

/* The tail of __schedule on this CPU: rq unlocked, IRQs still masked. */
void balance_push_queue(struct rq *rq)
{
	unsigned long flags;

	rq->push_pending = false;
	if (stop_one_cpu_nowait(rq->cpu, balance_push_stop, rq, &rq->push_work))
		return;
	/* The stopper is parked only after sched_cpu_wait_empty, which
	 * left nothing movable here; sched_cpu_dying reports it if not. */
	flags = local_irq_save();
	arch_spin_lock(&rq->lock);
	rq->push_queued = false;
	arch_spin_unlock(&rq->lock);
	local_irq_restore(flags);
}

int sched_cpu_wait_empty(unsigned int cpu)
{
	return stop_one_cpu(cpu, push_all_away, NULL);
}

int sched_cpu_dying(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);
	unsigned long flags = local_irq_save();
	struct task_struct *left;
	unsigned int nr;

	arch_spin_lock(&rq->lock);
	nr = rq->nr_running;
	left = first_movable(rq);
	arch_spin_unlock(&rq->lock);
	local_irq_restore(flags);
	if (nr || left) {
		printk("cpuhp: CPU%u went off with %u task(s) on its runqueue (first: %d %s)\n",
		       cpu, nr, left ? left->pid : -1, left ? left->comm : "-");
		return -EBUSY;	/* the rollback brings it back up to run them */
	}
	return 0;
}
