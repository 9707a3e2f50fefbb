/*
 * The arithmetic of load balancing (lb_calc.h).  Pure: no locks, no
 * per-CPU state; tests/host/test_balance.c runs it as is.
 *
 * Linux decides in three steps, and so do we:
 *   1. classify every group of the domain (group_classify);
 *   2. pick the busiest group, and decide whether the local group (the one
 *      holding the destination CPU) should take anything from it at all
 *      (find_busiest_group's checks);
 *   3. compute how much: a number of tasks while the local group has idle
 *      CPUs (spreading), load in weight units once every CPU is busy
 *      (calculate_imbalance).
 * One simplification against Linux: a group is overloaded when it has
 * more tasks than CPUs, without also asking PELT whether its CPUs' util
 * looks saturated.  Linux's extra test waits for utilisation to build up
 * (tens of ms); ours sees a waiting task at once.
 */
#include "lb_calc.h"

const char *group_type_name(enum group_type t)
{
	static const char *const names[] = { "has_spare", "fully_busy", "imbalanced", "overloaded" };

	return (unsigned int)t < 4 ? names[t] : "?";
}

void group_classify(struct sg_lb_stats *sgs)
{
	sgs->avg_load = sgs->group_capacity ? sgs->group_load * LB_CAPACITY_SCALE / sgs->group_capacity
					    : 0;
	if (sgs->sum_nr_running > sgs->group_weight)
		sgs->group_type = group_overloaded;
	else if (sgs->imbalanced)
		sgs->group_type = group_imbalanced;
	else if (sgs->sum_nr_running < sgs->group_weight || sgs->idle_cpus)
		sgs->group_type = group_has_spare;
	else
		sgs->group_type = group_fully_busy;
}

bool sg_busier(const struct sg_lb_stats *cand, const struct sg_lb_stats *busiest)
{
	if (cand->sum_nr_running == 0)
		return false;
	if (cand->group_type != busiest->group_type)
		return cand->group_type > busiest->group_type;
	if (cand->group_type == group_has_spare) {
		/* Fewer idle CPUs is busier; then more tasks. */
		if (cand->idle_cpus != busiest->idle_cpus)
			return cand->idle_cpus < busiest->idle_cpus;
		return cand->sum_nr_running > busiest->sum_nr_running;
	}
	return cand->avg_load > busiest->avg_load;
}

static struct lb_result balanced(void)
{
	return (struct lb_result){ .balanced = true };
}

static struct lb_result move(enum migration_type type, long imbalance)
{
	if (imbalance <= 0)
		return balanced();
	return (struct lb_result){ .type = type, .imbalance = imbalance };
}

/*
 * The local group has idle CPUs: spread tasks.  Against an overloaded
 * group, share the tasks of both in proportion to their CPUs (Linux's
 * sibling_imbalance); else even out the idle CPUs.
 */
static struct lb_result spread(const struct sd_lb_stats *sds)
{
	const struct sg_lb_stats *l = &sds->local, *b = &sds->busiest;
	long n;

	if (b->group_type == group_overloaded) {
		n = ((long)b->sum_nr_running * l->group_weight -
		     (long)l->sum_nr_running * b->group_weight) /
		    (long)(l->group_weight + b->group_weight);
		/* A task waits there and a CPU is free here: at least one. */
		if (n < 1 && l->idle_cpus)
			n = 1;
		return move(migrate_task, n);
	}
	return move(migrate_task, ((long)l->idle_cpus - (long)b->idle_cpus) / 2);
}

/* Every CPU of the local group is busy: move load (weights), towards the
 * domain's average, no more than either side can take or give. */
static struct lb_result by_load(struct sd_lb_stats *sds, unsigned int pct)
{
	const struct sg_lb_stats *l = &sds->local, *b = &sds->busiest;
	unsigned long give, take;

	if (!sds->total_capacity)
		return balanced();
	sds->avg_load = sds->total_load * LB_CAPACITY_SCALE / sds->total_capacity;
	if (l->avg_load >= b->avg_load || l->avg_load >= sds->avg_load)
		return balanced();
	/* Within imbalance_pct of each other: moving would only swap roles. */
	if (100 * b->avg_load <= pct * l->avg_load)
		return balanced();
	if (b->avg_load <= sds->avg_load)
		return balanced();
	give = (b->avg_load - sds->avg_load) * b->group_capacity;
	take = (sds->avg_load - l->avg_load) * l->group_capacity;
	return move(migrate_load, (long)((give < take ? give : take) / LB_CAPACITY_SCALE));
}

struct lb_result lb_decide(struct sd_lb_stats *sds, bool this_idle, unsigned int pct)
{
	const struct sg_lb_stats *l = &sds->local, *b = &sds->busiest;

	if (!sds->have_busiest || b->sum_nr_running == 0)
		return balanced();
	/* Affinity stopped the level below: move one task, whatever the load. */
	if (b->group_type == group_imbalanced)
		return move(migrate_task, 1);
	if (l->group_type > b->group_type)
		return balanced();
	if (b->group_type != group_overloaded) {
		/* Nobody waits: only an idle CPU pulls, and only if that
		 * evens out the idle CPUs by more than one. */
		if (!this_idle)
			return balanced();
		if (b->group_weight > 1 && l->idle_cpus <= b->idle_cpus + 1)
			return balanced();
		if (b->sum_nr_running <= 1)
			return balanced();
	}
	if (l->group_type == group_has_spare)
		return spread(sds);
	return by_load(sds, pct);
}
