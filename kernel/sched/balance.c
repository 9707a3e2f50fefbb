/*
 * load_balance(): pulling tasks from the busiest group of one sched domain
 * (Linux: kernel/sched/fair.c, load_balance and its helpers; the
 * arithmetic is in lb_calc.c; the push by busiest's stopper, active
 * balance, in active_balance.c).
 *
 * One pass, for destination CPU 'dst' and domain sd:
 *   should_we_balance   only one CPU of the local group works for it
 *   update_sd_lb_stats  statistics of every group (PELT load, util, tasks)
 *   lb_decide           busiest group; how much to move (lb_calc.c)
 *   find_busiest_queue  the CPU in that group to pull from
 *   detach_tasks        under both runqueue locks: what may go, and go
 *   attach_tasks        ... and arrive
 * then the escalations when nothing could move: another destination CPU
 * of the local group (some tasks pinned away from dst), another busiest
 * CPU (all pinned), and after repeated failures active balance.
 *
 * Locking.  Both runqueues are held together (lower CPU first, IRQs
 * masked; never at the end of a long line for busiest's, see
 * lock_dst_try_src) while tasks are detached and attached; Linux detaches
 * under the source's lock and attaches under the destination's, which keeps each
 * lock shorter but needs a second check of the destination.  With both
 * held, cpu_active() of both is final: hotplug clears it under the CPU's
 * runqueue lock, so it cannot change until we let go.
 */
#include "rq.h"
#include "lb.h"
#include "lb_calc.h"
#include "pelt.h"
#include "kernel.h"
#include "trace.h"
#include "asm/irqflags.h"

/* env->flags, Linux's LBF_* */
#define LBF_ALL_PINNED	0x1	/* no task of busiest may run on dst */
#define LBF_NEED_BREAK	0x2	/* (unused: our loops are short) */
#define LBF_DST_PINNED	0x4	/* some may, on new_dst_cpu instead */
#define LBF_SOME_PINNED	0x8	/* some task could not go to dst */
#define LBF_SRC_BUSY	0x10	/* a line at busiest's lock: pass given up */
#define LBF_EVEN_COUNT	0x20	/* spreading by count to a CPU alone in its
				 * group: never leave busiest with fewer
				 * tasks than dst (ours, not Linux's) */
#define LBF_EVEN_STOP	0x40	/* ... and the counts were even already */

/* At most this many tasks per pass: bounds the time both locks are held. */
#define LB_LOOP_MAX 32

const char *const lb_reason_names[LB_NR_REASONS] = { "periodic", "nohz", "newidle", "active" };
static const char *const idle_names[CPU_MAX_IDLE_TYPES] = { "idle", "busy", "newidle" };

struct lb_global_stats lb_stats;

struct lb_env {
	struct sched_domain *sd;
	struct rq *src_rq, *dst_rq;
	unsigned int dst_cpu;
	int new_dst_cpu;
	cpumask_t cpus;			/* where busiest may still be looked for */
	cpumask_t dst_grpmask;		/* the local group: other destinations */
	enum cpu_idle_type idle;
	enum lb_reason reason;
	enum migration_type type;
	long imbalance;
	unsigned int flags;
	struct list_head tasks;		/* detached, to attach */
	u64 now;
};

/* Linux's should_we_balance: the first idle CPU of the local group, or
 * if none is idle its first CPU; newidle always may. */
static bool should_we_balance(struct lb_env *env)
{
	const struct sched_group *sg = env->sd->groups;
	unsigned int cpu;

	if (env->idle == CPU_NEWLY_IDLE)
		return true;
	for_each_cpu(cpu, &sg->span)
		if (cpu_active(cpu) && idle_cpu(cpu))
			return cpu == env->dst_cpu;
	return cpumask_first(&sg->span) == env->dst_cpu;
}

/* Over the CPUs still considered (env->cpus: active ones, less those whose
 * tasks all proved pinned away in this pass), as Linux does: a CPU left
 * out must also leave the domain's average, or after a pinned busiest is
 * left out the others all look average and a CPU short of a task stays
 * short for good. */
static void update_sg_lb_stats(const struct lb_env *env, const struct sched_group *sg, bool local,
			       struct sg_lb_stats *sgs)
{
	unsigned int cpu;

	memset(sgs, 0, sizeof(*sgs));
	for_each_cpu(cpu, &sg->span) {
		if (!cpu_active(cpu) || !cpumask_test_cpu(cpu, &env->cpus))
			continue;
		sgs->group_load += cpu_load(cpu);
		sgs->group_util += cpu_util(cpu);
		sgs->group_capacity += arch_scale_cpu_capacity(cpu);
		sgs->sum_nr_running += nr_running_on(cpu);
		sgs->group_weight++;
		if (idle_cpu(cpu))
			sgs->idle_cpus++;
	}
	/* Only another group can be "imbalanced": ours is what we fix. */
	sgs->imbalanced = !local && READ_ONCE(sg->imbalance);
	group_classify(sgs);
}

/* Linux's update_sd_lb_stats: the local group and the busiest other one. */
static void update_sd_lb_stats(struct lb_env *env, struct sd_lb_stats *sds,
			       const struct sched_group **busiest)
{
	const struct sched_group *sg;
	struct sg_lb_stats tmp;

	memset(sds, 0, sizeof(*sds));
	*busiest = NULL;
	for_each_sd_group(env->sd, sg) {
		bool local = sg == env->sd->groups;
		struct sg_lb_stats *sgs = local ? &sds->local : &tmp;

		update_sg_lb_stats(env, sg, local, sgs);
		sds->total_load += sgs->group_load;
		sds->total_capacity += sgs->group_capacity;
		if (local || !cpumask_intersects(&sg->span, &env->cpus))
			continue;
		if (!sds->have_busiest || sg_busier(sgs, &sds->busiest)) {
			sds->busiest = *sgs;
			sds->have_busiest = true;
			*busiest = sg;
		}
	}
}

/* Linux's find_busiest_queue: the CPU of the group with the most load per
 * capacity (or the most tasks, when counting tasks) that has a task to
 * spare.  A CPU with one task has nothing a pull could take (its task
 * runs); active balance handles that case from this CPU's failures. */
static struct rq *find_busiest_queue(struct lb_env *env, const struct sched_group *group)
{
	unsigned long best = 0;
	struct rq *busiest = NULL;
	unsigned int cpu;

	for_each_cpu(cpu, &group->span) {
		unsigned int nr = nr_running_on(cpu);
		unsigned long v;

		if (!cpumask_test_cpu(cpu, &env->cpus) || !cpu_active(cpu) || nr < 2)
			continue;
		/* A push is queued on its stopper: that CPU is being dealt
		 * with.  A pull now could only race the push for the task it
		 * preempts (queued for a moment), and the push would fail. */
		if (READ_ONCE(cpu_rq(cpu)->active_balance))
			continue;
		v = env->type == migrate_task ? nr
			: cpu_load(cpu) * SCHED_CAPACITY_SCALE / arch_scale_cpu_capacity(cpu);
		if (v > best) {
			best = v;
			busiest = cpu_rq(cpu);
		}
	}
	return busiest;
}

/* Cache hot: ran on its CPU within the migration cost (Linux's task_hot). */
static bool task_hot(const struct task_struct *p, const struct lb_env *env)
{
	return env->now - READ_ONCE(p->exec_start) < LB_MIGRATION_COST_NS;
}

/* Linux's can_migrate_task.  Both runqueue locks held. */
static bool can_migrate_task(struct task_struct *p, struct lb_env *env)
{
	unsigned int cpu;

	if (!task_is_fair(p) || (p->flags & PF_NO_SETAFFINITY))
		return false;
	if (!cpumask_test_cpu(env->dst_cpu, &p->cpus_allowed)) {
		env->flags |= LBF_SOME_PINNED;
		/* Newidle looks for work for itself only; and one retry. */
		if (env->idle == CPU_NEWLY_IDLE || (env->flags & LBF_DST_PINNED))
			return false;
		for_each_cpu(cpu, &env->dst_grpmask) {
			if (cpu != env->dst_cpu && cpu_active(cpu) &&
			    cpumask_test_cpu(cpu, &p->cpus_allowed)) {
				env->flags |= LBF_DST_PINNED;
				env->new_dst_cpu = (int)cpu;
				break;
			}
		}
		return false;
	}
	env->flags &= ~LBF_ALL_PINNED;
	if (p == env->src_rq->curr || READ_ONCE(p->on_cpu))
		return false;
	/* Hot tasks stay, until balancing here has failed often enough. */
	if (task_hot(p, env) && env->sd->nr_balance_failed <= env->sd->cache_nice_tries)
		return false;
	return true;
}

/*
 * Linux's detach_tasks.  From the tail of busiest's queue: ours is sorted
 * by vruntime, so the tail holds the tasks that would run there last and
 * lose least by moving.  Stops when the imbalance is covered or busiest
 * would be left with one task.  Both runqueue locks held, IRQs masked.
 * Returns the number detached (on env->tasks, MIGRATING).
 */
static int detach_tasks(struct lb_env *env)
{
	struct rq *src = env->src_rq;
	struct list_head *pos, *prev;
	int detached = 0, loops = 0;
	unsigned int dst_nr = env->dst_rq->nr_running;

	/* Emptied by another CPU since we looked (63 idle CPUs pulling from
	 * one): nothing was tested, so nothing proved pinned.  Left set, the
	 * flag would drop src from the statistics of a retry, as if its
	 * tasks could never come here (Linux's detach_tasks does the same). */
	if (src->nr_running <= 1) {
		env->flags &= ~LBF_ALL_PINNED;
		return 0;
	}
	/* Our queue holds the waiting tasks only; the running one counts for
	 * the pinning verdict (it could go, by a push: active balance). */
	if (task_is_fair(src->curr))
		can_migrate_task(src->curr, env);

	for (pos = src->queue.prev; pos != &src->queue; pos = prev) {
		struct task_struct *p = list_entry(pos, struct task_struct, run_node);
		unsigned long load;

		prev = pos->prev;	/* before p may leave the queue */

		if (env->imbalance <= 0 || src->nr_running <= 1 || ++loops > LB_LOOP_MAX)
			break;
		/* The imbalance came from lockless statistics, which another
		 * CPU's pull may have made stale (seen at smp 4: an idle CPU
		 * counted 8 tasks on CPU 0 after another had taken 4 of them,
		 * and took 3 of the 4 left): under the locks, take only while
		 * busiest keeps more than dst will have. */
		if ((env->flags & LBF_EVEN_COUNT) && src->nr_running <= dst_nr + (unsigned int)detached + 1) {
			/* Stopped by the counts, not by affinity: nothing
			 * untested may count as pinned (which would back the
			 * interval off), nor the pass as failed (which leads to
			 * a push that unevens the queues again). */
			if (!detached)
				env->flags = (env->flags & ~LBF_ALL_PINNED) | LBF_EVEN_STOP;
			break;
		}
		if (!can_migrate_task(p, env))
			continue;
		if (env->type == migrate_load) {
			load = task_load(p);
			if (!load)
				load = 1;
			/* Too heavy for the gap: it would only move the imbalance,
			 * unless we keep failing (then halve the bar each time). */
			if ((load >> MIN(env->sd->nr_balance_failed, 16u)) > (unsigned long)env->imbalance)
				continue;
			env->imbalance -= (long)load;
		} else {
			env->imbalance--;
		}
		account_migration(src->cpu, env->dst_cpu);
		detach_task(src, p, env->dst_cpu, lb_reason_names[env->reason]);
		list_add_tail(&p->run_node, &env->tasks);
		detached++;
	}
	return detached;
}

/* Both locks held; dst is active (checked under them). */
static void attach_tasks(struct lb_env *env)
{
	struct task_struct *p, *n;

	list_for_each_entry_safe(p, n, &env->tasks, run_node) {
		list_del_init(&p->run_node);
		attach_task(env->dst_rq, p);
	}
}

/* Both runqueue locks held, IRQs masked: the only place a decision to move
 * becomes final.  True if both CPUs are active; else counts an abort. */
bool lb_both_active(const struct rq *a, const struct rq *b)
{
	if (cpu_active(a->cpu) && cpu_active(b->cpu))
		return true;
	schedstat_inc(lb_stats.inactive_aborts);
	return false;
}

/*
 * Both locks, lower CPU first, but never at the end of a long line for
 * busiest's: with its holder and two more CPUs waiting, give this pass up
 * (false).  Several CPUs often pick the same busiest runqueue at once
 * (idle CPUs' passes, newidle passes, the NOHZ balancer); queued behind
 * each other on its lock, IRQs masked, they form a convoy that also holds
 * up that CPU's own tick and wake-ups (on an emulator running more vCPUs
 * than it has host CPUs, for seconds).  Waiting in a short line is fine:
 * busiest often holds its own lock just when we come (its tick), and
 * another balancer may be there too.
 */
static bool lock_dst_try_src(struct rq *dst, struct rq *src)
{
	if (dst->cpu < src->cpu) {
		arch_spin_lock(&dst->lock);
		if (arch_spin_lock_unless_queued(&src->lock))
			return true;
		arch_spin_unlock(&dst->lock);
		return false;
	}
	if (!arch_spin_lock_unless_queued(&src->lock))
		return false;
	arch_spin_lock(&dst->lock);
	return true;
}

/* Detach and attach under both locks.  Returns tasks moved. */
static int move_tasks(struct lb_env *env)
{
	unsigned long flags = local_irq_save();
	int moved = 0;

	if (!lock_dst_try_src(env->dst_rq, env->src_rq)) {
		local_irq_restore(flags);
		env->flags |= LBF_SRC_BUSY;
		schedstat_inc(lb_stats.src_busy);
		return 0;
	}
	if (lb_both_active(env->dst_rq, env->src_rq)) {
		env->now = sched_clock();
		moved = detach_tasks(env);
		/* The assertion behind the check above: nothing may have
		 * made either CPU inactive while we hold their locks. */
		if (moved && !(cpu_active(env->dst_cpu) && cpu_active(env->src_rq->cpu)))
			schedstat_inc(lb_stats.inactive_violations);
		attach_tasks(env);
	}
	double_rq_unlock(env->dst_rq, env->src_rq);
	local_irq_restore(flags);
	return moved;
}

/* The balance interval doubles (up to max_interval) while there is
 * nothing to do, and while everything is pinned. */
static void relax_interval(struct sched_domain *sd, bool all_pinned, enum cpu_idle_type idle)
{
	/* A newidle pass says nothing about the periodic rhythm. */
	if (idle == CPU_NEWLY_IDLE)
		return;
	if (sd->balance_interval < sd->max_interval || (all_pinned && sd->balance_interval < 512))
		sd->balance_interval *= 2;
}

static void trace_decision(struct lb_env *env, int busiest, unsigned int moved)
{
	trace_sched_balance(env->dst_cpu, (int)env->sd->level, env->sd->name, idle_names[env->idle],
			    busiest, env->imbalance, moved);
}

int load_balance(struct rq *this_rq, struct sched_domain *sd, enum cpu_idle_type idle,
		 enum lb_reason reason, bool *continue_balancing)
{
	struct sched_group *parent_group = sd->parent ? sd->parent->groups : NULL;
	struct lb_env env = {
		.sd = sd, .dst_rq = this_rq, .dst_cpu = this_rq->cpu, .idle = idle,
		.reason = reason, .new_dst_cpu = -1,
	};
	const struct sched_group *group;
	struct sd_lb_stats sds;
	struct lb_result res;
	int moved = 0, busiest_cpu = -1;

	INIT_LIST_HEAD(&env.tasks);
	cpumask_and(&env.cpus, &sd->span, cpu_active_mask);
	cpumask_and(&env.dst_grpmask, &sd->groups->span, cpu_active_mask);
	schedstat_inc(sd->stats.lb_count[idle]);
	if (!cpu_active(env.dst_cpu))
		return 0;
	if (!should_we_balance(&env)) {
		*continue_balancing = false;
		return 0;
	}
redo:
	update_sd_lb_stats(&env, &sds, &group);
	res = lb_decide(&sds, idle != CPU_NOT_IDLE, sd->imbalance_pct);
	if (res.balanced || !group) {
		if (!group)
			schedstat_inc(sd->stats.lb_nobusyg[idle]);
		goto out_balanced;
	}
	env.type = res.type;
	env.imbalance = res.imbalance;
	if (res.type == migrate_task && sds.local.group_type == group_has_spare &&
	    env.sd->groups->group_weight == 1)
		env.flags |= LBF_EVEN_COUNT;
	lb_stat_add(&sd->stats.lb_imbalance[idle], (u64)res.imbalance);
	env.src_rq = find_busiest_queue(&env, group);
	if (!env.src_rq) {
		schedstat_inc(sd->stats.lb_nobusyq[idle]);
		goto out_balanced;
	}
	busiest_cpu = (int)env.src_rq->cpu;
more_balance:
	env.flags |= LBF_ALL_PINNED;
	moved += move_tasks(&env);
	if ((env.flags & (LBF_SRC_BUSY | LBF_EVEN_STOP)) && !moved) {
		/* Given up at busiest's lock, or found even under the locks
		 * (the statistics were stale): neither failed nor balanced,
		 * the interval stays. */
		trace_decision(&env, busiest_cpu, 0);
		return 0;
	}
	/* A retry (below) that found the lock busy after a first move
	 * that worked: count it as the pull it was. */
	env.flags &= ~(LBF_SRC_BUSY | LBF_EVEN_STOP);
	/* Some tasks could only go to another CPU of our group: retry with
	 * that one as the destination (Linux's LBF_DST_PINNED). */
	if ((env.flags & LBF_DST_PINNED) && env.imbalance > 0 && env.new_dst_cpu >= 0) {
		cpumask_clear_cpu(env.dst_cpu, &env.dst_grpmask);
		env.dst_cpu = (unsigned int)env.new_dst_cpu;
		env.dst_rq = cpu_rq(env.dst_cpu);
		env.new_dst_cpu = -1;
		env.flags &= ~(LBF_DST_PINNED | LBF_ALL_PINNED);
		goto more_balance;
	}
	/* Our group as a whole could not take what it should have: tell
	 * the level above (its balancer sees our group "imbalanced"). */
	if (parent_group && (env.flags & LBF_SOME_PINNED) && env.imbalance > 0)
		WRITE_ONCE(parent_group->imbalance, 1);
	if ((env.flags & LBF_ALL_PINNED) && !moved) {
		/* Nothing of busiest may come here: try the next busiest. */
		cpumask_clear_cpu(env.src_rq->cpu, &env.cpus);
		if (!cpumask_subset(&env.cpus, &env.dst_grpmask)) {
			env.flags = 0;
			env.dst_cpu = this_rq->cpu;
			env.dst_rq = this_rq;
			goto redo;
		}
		schedstat_inc(sd->stats.lb_all_pinned);
		relax_interval(sd, true, idle);
		trace_decision(&env, busiest_cpu, 0);
		return 0;
	}
	if (moved) {
		if (idle == CPU_NEWLY_IDLE)
			nohz_kick_after_pull(this_rq, env.src_rq, env.now);
		lb_stat_add(&sd->stats.lb_gained[idle], (u64)moved);
		lb_stat_add(&lb_stats.moved[reason], (u64)moved);
		sd->nr_balance_failed = 0;
		sd->balance_interval = sd->min_interval;
	} else {
		schedstat_inc(sd->stats.lb_failed[idle]);
		if (idle != CPU_NEWLY_IDLE)
			sd->nr_balance_failed++;
		if (need_active_balance(sd, env.src_rq, env.dst_cpu, idle, env.type == migrate_task) &&
		    start_active_balance(sd, env.src_rq, env.dst_cpu)) {
			/* Give the push time before failing again. */
			sd->nr_balance_failed = sd->cache_nice_tries + 1;
		}
		/* Unbalanced: look again soon, as Linux does (it backs off
		 * only when balanced or when everything is pinned). */
		sd->balance_interval = sd->min_interval;
	}
	trace_decision(&env, busiest_cpu, (unsigned int)moved);
	return moved;

out_balanced:
	schedstat_inc(sd->stats.lb_balanced[idle]);
	sd->nr_balance_failed = 0;
	/* Balanced at this level: whatever pinned us before is gone. */
	if (parent_group && READ_ONCE(parent_group->imbalance) && !(env.flags & LBF_SOME_PINNED))
		WRITE_ONCE(parent_group->imbalance, 0);
	relax_interval(sd, false, idle);
	/* Balanced passes are only counted (lb_balanced): traced, they
	 * would fill the buffer at every tick of every CPU. */
	if (!res.balanced)
		trace_decision(&env, busiest_cpu, 0);
	return 0;
}
