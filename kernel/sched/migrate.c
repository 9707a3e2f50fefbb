/*
 * Where tasks go, and how they move.
 *
 * - select_task_rq(): on wake-up and creation, an allowed *active* CPU
 *   (per-CPU threads: their online CPU), idle if possible, the previous CPU
 *   if it is idle (its caches still hold the task's data).
 * - detach_task() / attach_task() / move_queued_task(): moving a queued,
 *   not running task with runqueue locks alone (the load balancer's way).
 * - set_cpus_allowed_ptr(): change a task's affinity, moving it if its CPU
 *   is no longer allowed (the design is described above the function).
 * - select_fallback_rq(): where to go when nothing allowed is active.
 */
#include "rq.h"
#include "lb.h"
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

bool is_cpu_allowed(struct task_struct *p, unsigned int cpu)
{
	if (!cpumask_test_cpu(cpu, &p->cpus_allowed))
		return false;
	/* Bound per-CPU threads run on online CPUs; everyone else needs the
	 * scheduler's permission: active. */
	return (p->flags & PF_NO_SETAFFINITY) ? cpu_online(cpu) : cpu_active(cpu);
}

/* Caller holds p->pi_lock; p is on no runqueue and on no CPU (a wake-up
 * or first wake-up), so widening its mask here cannot let any CPU switch it
 * in against the mask it had.  Linux's escalation: same cluster, any
 * allowed active CPU, then give up on the affinity mask. */
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
	/* As Linux does: every possible CPU, so that it can return to its
	 * CPU when that comes back; for now the first active one. */
	cpumask_copy(&p->cpus_allowed, cpu_possible_mask);
	c = cpumask_first(cpu_active_mask);
	printk("task %d (%s) no longer affine to cpu%u\n", p->pid, p->comm, cpu);
	return (int)c;
}

/* Caller holds p->pi_lock; p is on no runqueue.  Reads other CPUs' load
 * without their locks: a hint, as on Linux. */
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

/*
 * Take p off src, on its way to dst_cpu.  Caller holds src->lock with IRQs
 * masked; p is queued on src and not running.  p is left MIGRATING,
 * pointing at dst_cpu, on no runqueue: nobody can pick it, and whoever
 * wants it (task_rq_lock, a wake-up, an affinity change) waits until
 * attach_task() has put it down.  The caller must do that next, without
 * unmasking IRQs in between.  No pi_lock needed (rule (b) in core.c).
 */
void detach_task(struct rq *src, struct task_struct *p, unsigned int dst_cpu, const char *reason)
{
	update_curr(src);
	deactivate_task(src, p, false);
	set_task_cpu(p, dst_cpu, reason);
}

/* Put a detached p down on dst.  Caller holds dst->lock, IRQs masked;
 * task_cpu(p) == dst->cpu.  p is QUEUED there from now on. */
void attach_task(struct rq *dst, struct task_struct *p)
{
	activate_task(dst, p, PLACE_MIGRATED);
	check_preempt_curr(dst, p);
}

/*
 * Move a queued, not running p from src to dst_cpu holding one runqueue
 * lock at a time (Linux's move_queued_task).  Caller holds src->lock with
 * IRQs masked (and may hold p->pi_lock).  Returns with dst's lock held
 * instead of src's.
 */
struct rq *move_queued_task(struct rq *src, struct task_struct *p, unsigned int dst_cpu,
			    const char *reason)
{
	struct rq *dst = cpu_rq(dst_cpu);

	detach_task(src, p, dst_cpu, reason);
	arch_spin_unlock(&src->lock);
	arch_spin_lock(&dst->lock);
	attach_task(dst, p);
	return dst;
}

/*
 * Affinity.  The promise: once p->cpus_allowed holds a new mask, p is never
 * switched in on a CPU outside it.  So the mask is written only under
 * p->pi_lock and p's runqueue lock, at a moment p is not running outside
 * the new mask, and in that same lock hold:
 *   - a task queued on a CPU the mask excludes is detached (MIGRATING)
 *     before the lock is dropped, so its old CPU can no longer pick it;
 *   - a sleeping task is pointed at an allowed CPU (its wake-up, which
 *     takes pi_lock, chooses within the new mask anyway);
 *   - a task running on a CPU the mask keeps simply carries on.
 * A task running on a CPU the new mask excludes keeps its old mask: the
 * caller asks that CPU's stopper, which preempts it (so it is merely
 * queued) and then writes the mask and moves it as above
 * (migration_cpu_stop).  The mask becomes visible only once it holds.
 * If p has run off to yet another excluded CPU meanwhile (the balancer
 * may move it), the stopper reports -EAGAIN and the caller goes again.
 */
struct migration_arg {
	struct task_struct *task;
	cpumask_t mask;
};

/* Caller holds task_rq_lock(p) on *rqp, which may change (p moved).
 * Returns 0 (done), -EINVAL (no active CPU in mask: nothing changed) or
 * -EAGAIN (p runs on a CPU outside mask: nothing changed, its stopper must
 * do it). */
static int affine_move_locked(struct rq **rqp, struct task_struct *p, const cpumask_t *mask)
{
	struct rq *rq = *rqp;
	cpumask_t usable;
	unsigned int dest;

	if (!cpumask_and(&usable, mask, cpu_active_mask))
		return -EINVAL;
	if (READ_ONCE(p->on_cpu) && !cpumask_test_cpu(rq->cpu, mask))
		return -EAGAIN;
	cpumask_copy(&p->cpus_allowed, mask);
	if (READ_ONCE(p->on_cpu) || is_cpu_allowed(p, rq->cpu))
		return 0;
	dest = cpumask_first(&usable);
	if (task_on_rq_queued(p))
		*rqp = move_queued_task(rq, p, dest, "affinity");
	else
		set_task_cpu(p, dest, "affinity");	/* asleep: rule (a) */
	return 0;
}

/* On the stopper of the CPU where p was running: p has just been
 * preempted by us, so unless it went elsewhere it is merely queued. */
static int migration_cpu_stop(void *data)
{
	struct migration_arg *arg = data;
	unsigned long flags;
	struct rq *rq = task_rq_lock(arg->task, &flags);
	int ret = affine_move_locked(&rq, arg->task, &arg->mask);

	task_rq_unlock(rq, arg->task, flags);
	return ret;
}

/*
 * Give p the affinity mask 'mask' and move it off a CPU the mask excludes
 * before returning.  Context: task context, may sleep (waits for a
 * stopper), no spinlock held, IRQs on; p may be the caller.
 * Returns
 *   0        the mask is p's, and p is queued, running or (asleep) placed
 *            on a CPU in it;
 *   -EINVAL  p is a bound per-CPU thread, or mask has no active CPU;
 *   -ENOENT  p runs on a CPU whose stopper takes no work (parked, or the
 *            CPU is going down), so it could not be moved.
 * On an error nothing changed: p keeps its old mask.
 */
int set_cpus_allowed_ptr(struct task_struct *p, const cpumask_t *mask)
{
	struct migration_arg arg = { .task = p };
	cpumask_t added;
	unsigned long flags;
	unsigned int cpu;
	struct rq *rq;
	int ret;

	if (p->flags & PF_NO_SETAFFINITY)
		return -EINVAL;
	cpumask_copy(&arg.mask, mask);
	for (;;) {
		rq = task_rq_lock(p, &flags);
		/* What the new mask adds, read where the old one holds. */
		cpumask_andnot(&added, mask, &p->cpus_allowed);
		ret = affine_move_locked(&rq, p, &arg.mask);
		cpu = rq->cpu;
		task_rq_unlock(rq, p, flags);
		if (ret == -EAGAIN) {
			/* p runs on cpu, which the new mask excludes. */
			ret = stop_one_cpu(cpu, migration_cpu_stop, &arg);
		}
		if (ret != -EAGAIN)
			break;
	}
	if (!ret && !cpumask_empty(&added))
		sched_balance_affinity_widened(&added);
	return ret;
}
