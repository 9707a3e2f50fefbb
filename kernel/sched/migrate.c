/*
 * Where tasks go, and how they move.
 *
 * - select_task_rq(): on wake-up and creation, an allowed *active* CPU
 *   (per-CPU threads: their online CPU), idle if possible, the previous CPU
 *   if it is idle (its caches still hold the task's data).
 * - set_cpus_allowed_ptr(): change a task's affinity and, if its CPU is no
 *   longer allowed, move it: a queued task under both runqueue locks, a
 *   running one by the stopper of its CPU (migration_cpu_stop), which
 *   preempts it so that it becomes a queued task there.
 * - select_fallback_rq(): where to go when nothing allowed is active.
 */
#include "rq.h"
#include "kernel.h"
#include "stop_machine.h"
#include "wait.h"
#include "trace.h"

static unsigned int cpu_cluster(unsigned int cpu)
{
	/* MPIDR Aff1 is the cluster on both our boards (virt packs every CPU
	 * in one; the Pi 4 has one cluster of four). */
	return (unsigned int)((cpu_logical_map[cpu] >> 8) & 0xff);
}

static bool is_cpu_allowed(struct task_struct *p, unsigned int cpu)
{
	if (!cpumask_test_cpu(cpu, &p->cpus_allowed))
		return false;
	/* Bound per-CPU threads run on online CPUs; everyone else needs the
	 * scheduler's permission: active. */
	return (p->flags & PF_NO_SETAFFINITY) ? cpu_online(cpu) : cpu_active(cpu);
}

/* Caller holds p->pi_lock.  Linux's escalation: same cluster, any allowed
 * active CPU, then give up on the affinity mask. */
int select_fallback_rq(unsigned int cpu, struct task_struct *p)
{
	unsigned int c;

	for_each_cpu(c, cpu_active_mask)
		if (cpu_cluster(c) == cpu_cluster(cpu) && is_cpu_allowed(p, c))
			return (int)c;
	for_each_cpu(c, cpu_active_mask)
		if (is_cpu_allowed(p, c))
			return (int)c;
	if (p->flags & PF_NO_SETAFFINITY)
		return (int)cpu;	/* its CPU is going away with it */
	cpumask_copy(&p->cpus_allowed, cpu_active_mask);
	c = cpumask_first(cpu_active_mask);
	printk("task %d (%s) no longer affine to cpu%u\n", p->pid, p->comm, cpu);
	return (int)c;
}

/* Caller holds p->pi_lock. */
int select_task_rq(struct task_struct *p, unsigned int prev)
{
	unsigned int cpu, best = NR_CPUS, best_nr = ~0u;
	cpumask_t allowed;

	cpumask_and(&allowed, &p->cpus_allowed,
		    (p->flags & PF_NO_SETAFFINITY) ? cpu_online_mask : cpu_active_mask);
	if (cpumask_empty(&allowed))
		return select_fallback_rq(prev, p);
	if (cpumask_test_cpu(prev, &allowed) && idle_cpu(prev))
		return (int)prev;
	/* Scan from the CPU after prev, so simultaneous wake-ups spread. */
	for (unsigned int i = 1; i <= NR_CPUS; i++) {
		cpu = (prev + i) % NR_CPUS;
		if (!cpumask_test_cpu(cpu, &allowed))
			continue;
		if (idle_cpu(cpu))
			return (int)cpu;
		if (nr_running_on(cpu) < best_nr) {
			best = cpu;
			best_nr = nr_running_on(cpu);
		}
	}
	if (cpumask_test_cpu(prev, &allowed) && nr_running_on(prev) <= best_nr)
		return (int)prev;
	return (int)best;
}

/* Move a queued (not running) task from src to dst; both locks held. */
static void move_queued_task(struct rq *src, struct rq *dst, struct task_struct *p,
			     const char *reason)
{
	deactivate_task(src, p);
	set_task_cpu(p, dst->cpu, reason);
	activate_task(dst, p, false);
	check_preempt_curr(dst, p);
}

/*
 * Move p to dst if that is still right: p still on src, still queued
 * and not running, dst still active and allowed.  Caller holds p->pi_lock
 * and IRQs are masked; takes both runqueue locks in order.
 */
static bool __migrate_task(struct task_struct *p, unsigned int dst_cpu, const char *reason)
{
	struct rq *src = cpu_rq(task_cpu(p)), *dst = cpu_rq(dst_cpu);
	bool moved = false;

	double_rq_lock(src, dst);
	if (task_cpu(p) == src->cpu && is_cpu_allowed(p, dst_cpu)) {
		if (p->on_rq && src->curr != p) {
			update_curr(src);
			move_queued_task(src, dst, p, reason);
			moved = true;
		} else if (!p->on_rq && !p->on_cpu) {
			/* Asleep: it will be placed on wake-up; point it there. */
			set_task_cpu(p, dst_cpu, reason);
			moved = true;
		}
	}
	double_rq_unlock(src, dst);
	return moved;
}

struct migration_arg {
	struct task_struct *task;
	unsigned int dest_cpu;
	struct completion done;
};

/* Runs on the stopper of the task's CPU: the task was running there and
 * has just been preempted by us, so it is now merely queued. */
static int migration_cpu_stop(void *data)
{
	struct migration_arg *arg = data;
	struct task_struct *p = arg->task;
	unsigned long flags;

	spin_lock_irqsave(&p->pi_lock, flags);
	if (task_cpu(p) == smp_processor_id())
		__migrate_task(p, arg->dest_cpu, "affinity");
	spin_unlock_irqrestore(&p->pi_lock, flags);
	complete(&arg->done);
	return 0;
}

int set_cpus_allowed_ptr(struct task_struct *p, const cpumask_t *mask)
{
	struct migration_arg arg = { .task = p };
	struct cpu_stop_work work;
	unsigned long flags;
	cpumask_t usable;
	struct rq *rq;
	bool running;
	int dest;

	if (p->flags & PF_NO_SETAFFINITY)
		return -EINVAL;
	rq = task_rq_lock(p, &flags);
	if (!cpumask_and(&usable, mask, cpu_active_mask)) {
		task_rq_unlock(rq, p, flags);
		return -EINVAL;		/* nothing changed */
	}
	cpumask_copy(&p->cpus_allowed, mask);
	if (cpumask_test_cpu(task_cpu(p), mask)) {
		task_rq_unlock(rq, p, flags);
		return 0;
	}
	dest = (int)cpumask_first(&usable);
	running = rq->curr == p || p->on_cpu;
	arch_spin_unlock(&rq->lock);
	/* Its runqueue was unlocked for a moment, so a queued p may have been
	 * picked to run meanwhile: then __migrate_task leaves it, and it
	 * must go the running task's way, or it would stay on a CPU it is
	 * no longer allowed on for as long as it does not sleep. */
	if (!running && __migrate_task(p, (unsigned int)dest, "affinity")) {
		spin_unlock_irqrestore(&p->pi_lock, flags);
		return 0;
	}
	/* No preemption between dropping pi_lock and queueing the stopper:
	 * a caller switched out right here would leave p running, and being
	 * switched in again, on a CPU its new mask excludes. */
	preempt_disable();
	spin_unlock_irqrestore(&p->pi_lock, flags);
	arg.dest_cpu = (unsigned int)dest;
	init_completion(&arg.done);
	if (!stop_one_cpu_nowait(rq->cpu, migration_cpu_stop, &arg, &work))
		complete(&arg.done);	/* no stopper: that CPU runs nothing */
	/* If p is the caller, its stopper takes the CPU here and moves us. */
	preempt_enable();
	wait_for_completion(&arg.done);
	return 0;
}
