/*
 * The machinery around load balancing (docs/balance.md): the deferred
 * balance action and its trigger (balance_trigger.c), tickless idle and
 * NOHZ idle balancing (nohz.c), the work conservation checker
 * (wc_check.c).  The balancer itself fills in sched_balance_softirq().
 */
#ifndef KERNEL_SCHED_BALANCE_H
#define KERNEL_SCHED_BALANCE_H

#include "types.h"
#include "topology.h"	/* enum cpu_idle_type */

struct rq;

/* rq->nohz_flags: what a kicked idle CPU is asked to do (Linux's names). */
#define NOHZ_BALANCE_KICK 0x1	/* balance on behalf of the tickless idle CPUs */
#define NOHZ_STATS_KICK 0x2	/* only update their blocked load */
#define NOHZ_KICK_MASK (NOHZ_BALANCE_KICK | NOHZ_STATS_KICK)

/*
 * The balance action proper, for the balancer to define (a weak default
 * in balance_trigger.c only keeps the books).  Runs from SCHED_SOFTIRQ:
 * IRQs on, preemption off, on some CPU, with 'rq' as the destination: the
 * CPU's own runqueue for the periodic pass, or a tickless idle CPU's when
 * the NOHZ idle balancer runs for it (then rq->cpu != smp_processor_id()).
 * It sets rq->next_balance (ns of sched_clock) to when it wants to run
 * again; the trigger has already pushed it SCHED_BALANCE_DEFAULT_NS ahead.
 * It may only take locks that everyone takes with IRQs masked (runqueue
 * locks, pi_lock).
 */
void sched_balance_softirq(struct rq *rq, enum cpu_idle_type idle);

/* When the fallback interval of the trigger runs out (ns). */
#define SCHED_BALANCE_DEFAULT_NS (4 * 1000000000ULL / tick_hz)

/* balance_trigger.c */
void sched_balance_init(void);			/* boot CPU, sched_init */
void sched_balance_trigger(struct rq *rq);	/* from scheduler_tick, IRQs masked */
void run_balance_hook(struct rq *rq, enum cpu_idle_type idle);
/* Tests: skip the balancer (the trigger still runs and counts), and watch
 * each pass (called before the balancer, same context). */
void sched_balance_set_disabled(bool off);
bool sched_balance_is_disabled(void);	/* the balancer's other paths (newidle) honour it too */
void sched_balance_set_observer(void (*fn)(struct rq *rq, enum cpu_idle_type idle));
/* Every task move by a balancer calls this, before the move: counts the
 * moves, and the useless ones (source not busier than destination). */
void account_migration(unsigned int src_cpu, unsigned int dst_cpu);

/* nohz.c */
void nohz_init(void);				/* sched_balance_init: reads nohz= */
void tick_nohz_idle_stop_tick(void);		/* idle loop, IRQs masked */
void tick_nohz_idle_exit(struct rq *rq);	/* __schedule leaving idle, rq locked */
void nohz_balancer_kick(struct rq *rq, u64 now);	/* busy CPU's tick */
void nohz_kick_after_pull(struct rq *this_rq, const struct rq *busiest, u64 now); /* newidle */
void nohz_balance_due(u64 now);			/* any context */
void nohz_cpu_dying(void);	/* hotplug: the CPU going down, in take_cpu_down */
bool nohz_idle_balance(struct rq *this_rq, enum cpu_idle_type idle);	/* SCHED_SOFTIRQ */
bool tick_nohz_enabled(void);
void tick_nohz_set_enabled(bool on);		/* runtime switch (bench) */
u64 sched_idle_time_ns(unsigned int cpu);	/* idle time so far, tickless included */
struct nohz_info {
	unsigned int nr_idle;		/* CPUs in the idle mask */
	int ilb_in_flight;		/* CPU running a kick, -1: none */
	u64 double_kicks;		/* a kick found one in flight: must stay 0 */
	u64 kicks_suppressed;		/* not sent: one was in flight */
};
void nohz_get_info(struct nohz_info *info, char *idle_list, size_t size);
bool nohz_ilb_pass_running(void);	/* the NOHZ pass is under way (wc_check) */

/* wc_check.c */
void wc_check_tick(struct rq *rq, u64 now);	/* busy CPU's tick, IRQs masked */
u64 wc_bound_ns(void);			/* the largest over the active CPUs */
u64 wc_bound_cpu_ns(unsigned int cpu);	/* an idle CPU's; any context */

#endif
