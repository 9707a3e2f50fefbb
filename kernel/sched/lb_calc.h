/*
 * The arithmetic of load balancing, pure (kernel/sched/lb_calc.c, host-
 * tested by tests/host/test_balance.c): classifying a sched group,
 * deciding whether a domain is out of balance, and how much to move.
 * Linux's names (kernel/sched/fair.c): struct sg_lb_stats, struct
 * sd_lb_stats, group_classify(), find_busiest_group()'s checks,
 * calculate_imbalance().  The balancer (balance.c) fills the statistics
 * from the runqueues and PELT; everything here is numbers in, numbers out.
 */
#ifndef KERNEL_SCHED_LB_CALC_H
#define KERNEL_SCHED_LB_CALC_H

#include "types.h"

#define LB_CAPACITY_SCALE 1024UL	/* SCHED_CAPACITY_SCALE */

/* Ordered: a higher type is in more need of help (Linux's order, minus
 * the capacity-asymmetry types we do not have). */
enum group_type {
	group_has_spare,	/* an idle CPU, or fewer tasks than CPUs */
	group_fully_busy,	/* one task per CPU: nothing to gain by pulling */
	group_imbalanced,	/* affinity kept a lower level from balancing */
	group_overloaded,	/* more tasks than CPUs: someone waits */
};

/* What the imbalance counts. */
enum migration_type {
	migrate_load,		/* PELT load (weights) */
	migrate_task,		/* number of tasks */
};

struct sg_lb_stats {
	unsigned long group_load;	/* sum of cpu_load() */
	unsigned long group_util;	/* sum of cpu_util() */
	unsigned long group_capacity;
	unsigned long avg_load;		/* group_load scaled by capacity; set by classify */
	unsigned int sum_nr_running;	/* fair tasks, running ones included */
	unsigned int idle_cpus;
	unsigned int group_weight;	/* CPUs */
	bool imbalanced;		/* sg->imbalance: affinity defeated the child level */
	enum group_type group_type;
};

struct sd_lb_stats {
	struct sg_lb_stats local, busiest;
	bool have_busiest;
	unsigned long total_load, total_capacity;
	unsigned long avg_load;		/* domain-wide, when the load path needs it */
};

/* The decision for one domain. */
struct lb_result {
	bool balanced;			/* nothing to do (then the rest is unset) */
	enum migration_type type;
	long imbalance;			/* load units or tasks */
};

const char *group_type_name(enum group_type t);
/* Sets sgs->group_type and sgs->avg_load. */
void group_classify(struct sg_lb_stats *sgs);
/* Is candidate a busier group than the current busiest?  (Linux's
 * update_sd_pick_busiest, reduced.) */
bool sg_busier(const struct sg_lb_stats *cand, const struct sg_lb_stats *busiest);
/*
 * find_busiest_group()'s verdict and calculate_imbalance(): both groups
 * classified, sds totals filled.  'this_idle': the destination CPU is idle
 * (CPU_IDLE or CPU_NEWLY_IDLE).  imbalance_pct: the domain's (117).
 */
struct lb_result lb_decide(struct sd_lb_stats *sds, bool this_idle, unsigned int imbalance_pct);

#endif
