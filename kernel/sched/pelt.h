/*
 * Per-entity load tracking (kernel/sched/pelt.c, docs/balance.md): the
 * load, runnable and utilisation averages of tasks and runqueues.
 */
#ifndef KERNEL_SCHED_PELT_H
#define KERNEL_SCHED_PELT_H

#include "sched.h"

struct rq;

#define PELT_UNIT_SHIFT 10		/* a unit is 1024 ns ("a PELT microsecond") */
#define PELT_PERIOD 1024		/* units per period: 1.048576 ms */
#define PELT_HALFLIFE 32		/* periods: y^32 = 1/2 */

/* ---- the arithmetic, pure ---- */

/* Compute y^0..y^31 and the largest sum; before the first update (sched_init). */
void pelt_init(void);
/* The sum of an always-active history: 1024 (1 + y + y^2 + ...), rounded
 * down at each step as the sums are (Linux: LOAD_AVG_MAX, 47742). */
extern u64 pelt_max_sum;
/* val * y^periods */
u64 pelt_decay(u64 val, u64 periods);
/* The contribution of 'periods' whole periods ending one period ago:
 * 1024 (y + y^2 + ... + y^(periods-1)). */
u64 pelt_full_periods(u64 periods);
/*
 * Account the time from sa->last_update_time to now (ns) with the state
 * that held throughout it: 'load' (task: 0/1, rq: its weight), 'runnable'
 * (tasks), 'running' (CPU capacity if running, else 0).  Returns true when
 * a period boundary was crossed; then call pelt_update_avgs().
 */
bool pelt_update_sums(struct sched_avg *sa, u64 now, unsigned long load,
		      unsigned long runnable, unsigned long running);
/* The averages from the sums; 'weight': task's weight, 1 for a rq. */
void pelt_update_avgs(struct sched_avg *sa, unsigned long weight);
/* The largest sum possible at this point of the period. */
static inline u64 pelt_divider(const struct sched_avg *sa)
{
	return pelt_max_sum - PELT_PERIOD + sa->period_contrib;
}

/* ---- the scheduler's side; rq->lock held unless stated ---- */

/* kthread creation: a new task counts as fully loaded until it shows
 * otherwise (Linux: init_entity_runnable_average). */
void init_entity_runnable_average(struct task_struct *p);
/* From update_curr(): the time since the last update, on rq and curr. */
void pelt_update_curr(struct rq *rq);
/* fair.c's enqueue/dequeue/put_prev/pick, before their counters change. */
void pelt_enqueue(struct rq *rq, struct task_struct *p);
void pelt_dequeue(struct rq *rq, struct task_struct *p);
void pelt_put_prev(struct rq *rq, struct task_struct *p);
void pelt_pick(struct rq *rq, struct task_struct *p);
/* Migration: p leaves its CPU (queued or asleep) for another.  Its
 * contribution goes into the old rq's 'removed' (applied at its next
 * update, so the old rq's lock need not be held: pi_lock or the new rq's
 * lock is enough), and p attaches to the new rq when it is enqueued there.
 * Called by set_task_cpu() before p->cpu changes. */
void migrate_task_rq_fair(struct task_struct *p, unsigned int new_cpu);
/* Direct forms for a caller holding the rq lock (a balancer's detach_task
 * and attach_task between two locked runqueues). */
void detach_entity_load_avg(struct rq *rq, struct task_struct *p);
void attach_entity_load_avg(struct rq *rq, struct task_struct *p);
/* Decay cpu's averages (its blocked load) up to now.  Any context; takes
 * the rq lock with IRQs masked.  For a NOHZ idle CPU, whose tick stopped. */
void update_blocked_averages(unsigned int cpu);

/* Lockless snapshots for the balancer and `top` (may be a tick old). */
unsigned long cpu_util(unsigned int cpu);	/* 0..capacity */
unsigned long cpu_load(unsigned int cpu);	/* weight-scaled */
unsigned long cpu_runnable(unsigned int cpu);
unsigned long task_util(const struct task_struct *p);
unsigned long task_load(const struct task_struct *p);

#endif
