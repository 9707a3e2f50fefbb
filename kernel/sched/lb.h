/*
 * The load balancer proper (docs/balance.md): load_balance() and active
 * balance (balance.c), the periodic, NOHZ and newidle entry points
 * (balance_domains.c).  The machinery that calls them (the tick's
 * trigger, the ILB kick) is balance_trigger.c and nohz.c.
 */
#ifndef KERNEL_SCHED_LB_H
#define KERNEL_SCHED_LB_H

#include "types.h"
#include "topology.h"

struct rq;

/* Why a balancer moved a task (the trace's reason= and schedstat). */
enum lb_reason {
	LB_PERIODIC,		/* this CPU's own periodic pass */
	LB_NOHZ,		/* a pass on behalf of a tickless idle CPU (ILB) */
	LB_NEWIDLE,		/* about to go idle */
	LB_ACTIVE,		/* pushed by the busiest CPU's stopper */
	LB_NR_REASONS,
};
extern const char *const lb_reason_names[LB_NR_REASONS];

/* Linux's sysctl_sched_migration_cost: a task that ran this recently
 * still has its data in the source CPU's cache. */
#define LB_MIGRATION_COST_NS 500000ULL

/* An idle CPU never waits longer than this between two passes of a
 * domain, all-pinned back-off included (Linux's max_load_balance_interval
 * before any CPU is online, HZ/10); work conservation is counted against
 * it (wc_check.c).  A busy CPU waits at most this per active CPU (Linux's
 * max_load_balance_interval, HZ * online CPUs / 10): its busy interval,
 * balance_interval x busy_factor, grows with the domain's span, and so
 * does the cost of a pass, so that the cost per tick does not. */
#define LB_MAX_INTERVAL_NS (100 * 1000000ULL)

/*
 * Balance domain sd for this_rq's CPU: pull from the busiest group of sd
 * into this_rq.  Caller: inside sd_read_begin()/sd_read_end(), no
 * runqueue lock held, IRQs on or off (it masks them around its locks).
 * Returns the number of tasks moved; *continue_balancing becomes false
 * when this CPU is not the one to balance sd (should_we_balance), so the
 * caller stops walking up.
 */
int load_balance(struct rq *this_rq, struct sched_domain *sd, enum cpu_idle_type idle,
		 enum lb_reason reason, bool *continue_balancing);

/* Both runqueue locks held: are both CPUs still active?  (Counts an
 * abort in lb_stats when not.)  The check every move makes last. */
bool lb_both_active(const struct rq *a, const struct rq *b);

/*
 * active_balance.c, from load_balance after a pass that moved nothing,
 * inside a domain read section, no runqueue lock held.
 * need_active_balance: has balancing sd by task count (by_count) failed
 * often enough, and may busiest's running task run on dst_cpu?
 * start_active_balance: queue the push on busiest's stopper (one at a
 * time per runqueue); false if one is in flight or the stopper refused.
 */
bool need_active_balance(const struct sched_domain *sd, const struct rq *busiest,
			 unsigned int dst_cpu, enum cpu_idle_type idle, bool by_count);
bool start_active_balance(struct sched_domain *sd, struct rq *busiest, unsigned int dst_cpu);

/* The periodic and NOHZ pass (Linux's sched_balance_domains), and the
 * newidle one (sched_balance_newidle); contexts at the definitions. */
void sched_balance_domains(struct rq *rq, enum cpu_idle_type idle, enum lb_reason reason);
int sched_balance_newidle(struct rq *this_rq);
/* set_cpus_allowed_ptr: p may now run on 'added' too (context at the
 * definition). */
void sched_balance_affinity_widened(const cpumask_t *added);
/* __schedule leaving the idle task: account the idle period (avg_idle). */
void sched_idle_exit(struct rq *rq);

/* Counters for schedstat and the tests (any context, lock-free). */
struct lb_global_stats {
	u64 moved[LB_NR_REASONS];	/* tasks moved per mechanism */
	u64 inactive_violations;	/* a move to/from an inactive CPU: must stay 0 */
	u64 inactive_aborts;		/* a decision dropped: a CPU went inactive meanwhile */
	u64 alb_started;		/* pushes queued on a stopper */
	u64 alb_refused;		/* stop_one_cpu_nowait said no */
	u64 src_busy;			/* passes given up: a line at busiest's lock */
};
extern struct lb_global_stats lb_stats;
/* The periodic/NOHZ balance hook's cost, per CPU it ran on (bench):
 * the counter cycles of its last LB_HOOK_SAMPLES passes (passes counts
 * them all; pass i is samples[i % LB_HOOK_SAMPLES]).
 * Written by that CPU only, in SCHED_SOFTIRQ; read racily. */
#define LB_HOOK_SAMPLES 64
struct lb_hook_cost {
	u64 passes;
	u32 samples[LB_HOOK_SAMPLES];
};
extern struct lb_hook_cost lb_hook_cost[NR_CPUS];
static inline void lb_stat_add(u64 *c, u64 n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}
#define schedstat_inc(x) lb_stat_add(&(x), 1)

#endif
