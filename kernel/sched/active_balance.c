/*
 * Active balance (Linux: need_active_balance, active_load_balance_cpu_stop
 * in kernel/sched/fair.c).  A pull can only take tasks that wait in a
 * queue; when the one task that should move is the one running on the
 * busiest CPU, load_balance() keeps failing.  After enough failures it
 * asks busiest's stopper, the highest-priority task there, to push: the
 * stopper preempts the running task, which is then merely queued, and
 * moves it to the CPU that asked (docs/balance.md, "Active balance").
 */
#include "rq.h"
#include "lb.h"
#include "kernel.h"
#include "stop_machine.h"
#include "asm/irqflags.h"

/*
 * On the stopper of busiest (Linux's active_load_balance_cpu_stop): its
 * running task has just been preempted by us, so it is merely queued now.
 * Move one task that may run on push_cpu.  IRQs on, task context.
 */
static int active_load_balance_cpu_stop(void *data)
{
	struct rq *busiest = data, *target;
	unsigned long flags = local_irq_save();
	struct task_struct *p, *found = NULL;
	unsigned int dst;

	arch_spin_lock(&busiest->lock);
	dst = busiest->push_cpu;
	arch_spin_unlock(&busiest->lock);
	target = cpu_rq(dst);
	double_rq_lock(busiest, target);
	if (busiest->cpu != smp_processor_id() || busiest->nr_running < 2 ||
	    !lb_both_active(busiest, target))
		goto out;
	list_for_each_entry(p, &busiest->queue, run_node) {
		if (task_is_fair(p) && !(p->flags & PF_NO_SETAFFINITY) && !READ_ONCE(p->on_cpu) &&
		    cpumask_test_cpu(dst, &p->cpus_allowed)) {
			found = p;
			break;
		}
	}
	if (found) {
		account_migration(busiest->cpu, dst);
		detach_task(busiest, found, dst, lb_reason_names[LB_ACTIVE]);
		attach_task(target, found);
		lb_stat_add(&lb_stats.moved[LB_ACTIVE], 1);
	}
out:
	busiest->active_balance = 0;
	double_rq_unlock(busiest, target);
	local_irq_restore(flags);
	sd_read_begin();
	{
		struct sched_domain *sd;

		/* Count it on the target's lowest domain spanning both. */
		for_each_domain(dst, sd) {
			if (cpumask_test_cpu(busiest->cpu, &sd->span)) {
				if (found)
					schedstat_inc(sd->stats.alb_pushed);
				else
					schedstat_inc(sd->stats.alb_failed);
				break;
			}
		}
	}
	sd_read_end();
	return 0;
}

/*
 * Linux's need_active_balance, reduced (its imbalanced_active_balance):
 * balancing this domain by task count (spreading to idle CPUs, or around
 * pinned tasks) has failed more than cache_nice_tries + 2 times in a row,
 * and busiest's running task may run here.  Not when moving load: then
 * busiest is overloaded, so a task waits there, and detach_tasks takes it
 * once its halving bar is below that task's load.  Pushing the running
 * task instead swaps which CPU is overloaded: with two spinners per CPU
 * and one CPU's PELT load over imbalance_pct above the others, every
 * other CPU failed to pull from it and one pushed, then it pulled one
 * back (Linux 5.12 dropped these pushes for the same reason).
 */
bool need_active_balance(const struct sched_domain *sd, const struct rq *busiest,
			 unsigned int dst_cpu, enum cpu_idle_type idle, bool by_count)
{
	struct task_struct *curr = READ_ONCE(busiest->curr);

	if (idle == CPU_NEWLY_IDLE || !by_count)
		return false;
	if (sd->nr_balance_failed <= sd->cache_nice_tries + 2)
		return false;
	return task_is_fair(curr) && cpumask_test_cpu(dst_cpu, &curr->cpus_allowed);
}

/* Queue the push on busiest's stopper, one at a time per runqueue.  From
 * load_balance, no runqueue lock held.  True if queued; false if a push
 * is in flight there, a CPU is inactive, or the stopper refused. */
bool start_active_balance(struct sched_domain *sd, struct rq *busiest, unsigned int dst_cpu)
{
	unsigned long flags = local_irq_save();
	bool start = false;

	arch_spin_lock(&busiest->lock);
	if (!busiest->active_balance && cpu_active(busiest->cpu) && cpu_active(dst_cpu)) {
		busiest->active_balance = 1;
		busiest->push_cpu = dst_cpu;
		start = true;
	}
	arch_spin_unlock(&busiest->lock);
	local_irq_restore(flags);
	if (!start)
		return false;
	if (!stop_one_cpu_nowait(busiest->cpu, active_load_balance_cpu_stop, busiest,
				 &busiest->active_balance_work)) {
		/* Its stopper takes no work (the CPU is going down): undo. */
		flags = local_irq_save();
		arch_spin_lock(&busiest->lock);
		busiest->active_balance = 0;
		arch_spin_unlock(&busiest->lock);
		local_irq_restore(flags);
		schedstat_inc(lb_stats.alb_refused);
		schedstat_inc(sd->stats.alb_failed);
		return false;
	}
	schedstat_inc(sd->stats.alb_count);
	schedstat_inc(lb_stats.alb_started);
	return true;
}
