/*
 * Wake-ups: making a sleeping task runnable (try_to_wake_up) and starting
 * a new one (wake_up_new_task), each on a CPU chosen under the lock it
 * will be queued with (lock_placement_rq).
 *
 * A waker runs on any CPU, often while the task it wakes is still
 * switching away somewhere else, and it reads p->state, p->on_rq and
 * p->on_cpu with no lock that orders them against the sleeper's stores.
 * The barriers below put those loads in the order they were stored; the
 * rules they rely on (who changes p->on_rq, p->cpu and p->on_cpu, under
 * which lock) are at the top of core.c.
 */
#include "rq.h"
#include "trace.h"

/* Spin until p is off every CPU; acquire, so that we see all its old
 * CPU wrote while switching away from it (Linux's smp_cond_load_acquire). */
static void wait_task_off_cpu(struct task_struct *p)
{
	/* Pairs with the smp_store_release() in finish_task_switch(). */
	while (smp_load_acquire(&p->on_cpu))
		cpu_relax();
}

/*
 * Choose p's CPU and lock its runqueue.  The choice reads cpu_active_mask
 * without a lock, so it is checked again under the runqueue's lock, which
 * a CPU leaving the active mask holds while it does (kernel/sched/
 * hotplug.c): a placement either lands before the CPU left (and that
 * CPU's sweep moves the task on) or sees it gone and chooses again.
 * Bound per-CPU threads go to their CPU whatever it is doing.  Caller
 * holds p->pi_lock, IRQs masked.
 */
static struct rq *lock_placement_rq(struct task_struct *p, unsigned int prev)
{
	for (;;) {
		unsigned int cpu = (unsigned int)select_task_rq(p, prev);
		struct rq *rq = cpu_rq(cpu);

		arch_spin_lock(&rq->lock);
		if ((p->flags & PF_NO_SETAFFINITY) || is_cpu_allowed(p, cpu))
			return rq;
		arch_spin_unlock(&rq->lock);
	}
}

/*
 * Make p runnable if its state is in 'state'.  Context: any, IRQs on or
 * off (it masks them itself), no runqueue lock held (it takes p->pi_lock
 * and one).  Returns 1 if p was woken, 0 if it was not in such a state.
 */
static int try_to_wake_up(struct task_struct *p, unsigned int state)
{
	unsigned long flags;
	struct rq *rq;

	spin_lock_irqsave(&p->pi_lock, flags);
	/* Full barrier: the caller's store that makes p's wait condition
	 * true is ordered before our load of p->state.  Pairs with the
	 * smp_mb() in set_current_state() between the sleeper's state store
	 * and its condition load: one of us sees the other. */
	smp_mb();
	if (!(READ_ONCE(p->state) & state)) {
		spin_unlock_irqrestore(&p->pi_lock, flags);
		return 0;
	}
	/* on_rq only after state.  p stored its sleeping state after it had
	 * been queued (on_rq set under its runqueue lock before it could run);
	 * read early, on_rq could be 0 from before that, and we would queue a
	 * task that is queued already. */
	smp_rmb();
	if (READ_ONCE(p->on_rq)) {
		/* Still queued (it had not got as far as schedule()), or on
		 * its way between runqueues: under the right lock, settled. */
		rq = __task_rq_lock(p);
		if (task_on_rq_queued(p)) {
			WRITE_ONCE(p->state, TASK_RUNNING);
			trace_sched_wakeup(p);
			arch_spin_unlock(&rq->lock);
			spin_unlock_irqrestore(&p->pi_lock, flags);
			return 1;
		}
		arch_spin_unlock(&rq->lock);
	}
	/* on_cpu only after on_rq == 0 (Linux: smp_acquire__after_ctrl_dep).
	 * __schedule() stored on_rq = 0 while p was still on_cpu; read early,
	 * on_cpu could be the 0 from before p was last switched in, and we
	 * would move a task whose stack its CPU is still using. */
	smp_rmb();
	wait_task_off_cpu(p);
	/* Off every runqueue and every CPU, pi_lock held: rule (a). */
	rq = lock_placement_rq(p, task_cpu(p));
	set_task_cpu(p, rq->cpu, "wakeup");
	WRITE_ONCE(p->state, TASK_RUNNING);
	trace_sched_wakeup(p);
	activate_task(rq, p, PLACE_WAKEUP);
	check_preempt_curr(rq, p);
	arch_spin_unlock(&rq->lock);
	spin_unlock_irqrestore(&p->pi_lock, flags);
	return 1;
}

/* First wake-up of a TASK_NEW task (a second caller finds it started and
 * returns).  Context: any; takes p->pi_lock and a runqueue lock. */
void wake_up_new_task(struct task_struct *p)
{
	unsigned long flags;
	struct rq *rq;

	spin_lock_irqsave(&p->pi_lock, flags);
	if (p->state != TASK_NEW) {	/* someone else started it first */
		spin_unlock_irqrestore(&p->pi_lock, flags);
		return;
	}
	/* Its first switch-in lands in schedule_tail(), which drops what
	 * __schedule would have held (Linux: FORK_PREEMPT_COUNT). */
	p->thread_info.preempt_count = FORK_PREEMPT_COUNT;
	rq = lock_placement_rq(p, smp_processor_id());
	set_task_cpu(p, rq->cpu, "new");
	WRITE_ONCE(p->state, TASK_RUNNING);
	activate_task(rq, p, PLACE_NEW);
	trace_sched_wakeup_new(p);
	check_preempt_curr(rq, p);
	arch_spin_unlock(&rq->lock);
	spin_unlock_irqrestore(&p->pi_lock, flags);
}

/* Wake p if its state is in 'state', or start it if it is TASK_NEW.
 * Context as try_to_wake_up(); returns 1 if p was woken or was new. */
int wake_up_state(struct task_struct *p, unsigned int state)
{
	if (READ_ONCE(p->state) == TASK_NEW) {
		wake_up_new_task(p);
		return 1;
	}
	return try_to_wake_up(p, state);
}

/* Wake p from any sleep (TASK_NORMAL), or start it.  Context: any, no
 * runqueue lock held.  Returns 1 if p was woken or was new, else 0. */
int wake_up_process(struct task_struct *p)
{
	return wake_up_state(p, TASK_NORMAL);
}
