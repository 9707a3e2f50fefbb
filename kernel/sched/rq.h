/* Scheduler internals (runqueues) shared by the files of kernel/sched/. */
#ifndef KERNEL_SCHED_SCHED_H
#define KERNEL_SCHED_SCHED_H

#include "sched.h"
#include "smp.h"
#include "timer.h"
#include "balance.h"
#include "stop_machine.h"
#include "asm/atomic.h"

/* One per CPU.  The lock is taken with IRQs masked (the tick takes it)
 * and never together with another runqueue's lock except through
 * double_rq_lock(), which orders them by CPU number. */
struct rq {
	spinlock_t lock;
	unsigned int cpu;
	struct task_struct *curr, *idle, *stop;
	struct list_head queue;		/* runnable fair tasks by vruntime, not curr */
	unsigned int nr_running;	/* fair tasks, curr included */
	u64 load;			/* sum of their weights */
	u64 min_vruntime;
	u64 clock;			/* ns, updated under the lock */
	u64 nr_switches;

	struct sched_avg avg;		/* PELT of the fair tasks here, blocked ones too */
	struct {			/* left by tasks that moved away (pelt.c) */
		spinlock_t lock;
		unsigned long load_avg, runnable_avg, util_avg;
	} removed;
	struct sched_domain *sd;	/* lowest domain; see include/topology.h */

	/* Balance trigger, tickless idle, work conservation (balance.h).
	 * Written by this CPU unless said otherwise; others read them. */
	u64 next_balance;		/* ns: the tick raises SCHED_SOFTIRQ from then on;
					 * written by whoever balances for this rq */
	atomic_t nohz_flags;		/* NOHZ_*_KICK: set by the kicker, cleared by us */
	unsigned int nohz_idle_balance;	/* the kick being served (IPI -> softirq) */
	bool nohz_tick_stopped;		/* tickless idle */
	bool nohz_listed;		/* in nohz.idle_cpus_mask */
	bool has_blocked_load;		/* idle with load left to decay (PELT) */
	u64 idle_since;			/* ns, when the idle loop began; 0: not idle */
	u64 wc_window;			/* ns: first seen idle with work to take; 0: not */
	u64 wc_window_seen;		/* ns: last check that saw it so */
	u64 wc_window_ns;		/* of the window, what its checks covered */
	u64 wc_flagged;			/* wc_window already counted */
	/* Counters (schedstat, irqs) */
	u64 balance_runs[CPU_MAX_IDLE_TYPES];	/* balance passes with this rq as dst */
	u64 balance_irqs_off;		/* passes entered with IRQs masked: must stay 0 */
	u64 idle_ticks;			/* ticks taken while the idle task ran */
	u64 ilb_kicks_sent;
	u64 ilb_kicks_received;
	u64 nohz_balance_runs;		/* ILB passes this CPU ran for the idle CPUs */
	u64 nohz_kicks_busy;		/* kicks it released unserved: busy again by then */
	u64 wc_violations;		/* idle here past the bound while work waited elsewhere */
	u64 wc_checks;			/* checks this CPU's tick ran */
	u64 wc_check_ns_max;		/* the most one took */
	u64 balance_migrations;		/* moves with this rq as destination */
	u64 useless_migrations;		/* ... of which from a CPU no busier than us */

	/* Invariants, counted at switch-in (__schedule); both must stay 0. */
	u64 affinity_violations;	/* a task outside its cpus_allowed */
	u64 inactive_violations;	/* an unbound task while this CPU is not active */

	/* The load balancer (balance.c, balance_domains.c). */
	int active_balance;		/* a push is queued on our stopper; under our lock */
	unsigned int push_cpu;		/* ... towards this CPU */
	struct cpu_stop_work active_balance_work;
	u64 idle_stamp;			/* ns: went idle (newidle), 0: not idle; our lock */
	u64 avg_idle;			/* ns: smoothed length of our idle periods */
	u64 max_idle_balance_cost;	/* ns: the dearest newidle pass, decaying */
	bool balance_push;		/* going offline: run no movable task (hotplug.c) */
	bool push_queued;		/* balance_push work on our stopper; our lock */
	bool push_pending;		/* ... to queue once __schedule drops our lock;
					 * this CPU only, IRQs masked */
	struct cpu_stop_work push_work;
};

extern struct rq runqueues[NR_CPUS];
#define cpu_rq(c) (&runqueues[(c)])
#define this_rq() cpu_rq(smp_processor_id())

#define SCHED_LATENCY_NS 6000000ULL		/* every runnable task runs within this */
#define SCHED_MIN_GRANULARITY_NS 750000ULL	/* never slice thinner than this */
#define SCHED_WAKEUP_GRANULARITY_NS 1000000ULL
#define NICE_0_WEIGHT 1024

static inline u64 sched_clock(void) { return cycles_to_ns(read_cntvct()); }
static inline bool task_is_fair(const struct task_struct *p)
{
	return !(p->flags & (PF_IDLE | PF_STOPPER));
}

/* fair.c */
u32 nice_to_weight(int nice);
void update_curr(struct rq *rq);
void enqueue_fair(struct rq *rq, struct task_struct *p);
void dequeue_fair(struct rq *rq, struct task_struct *p);
void put_prev_fair(struct rq *rq, struct task_struct *p);
struct task_struct *pick_next_fair(struct rq *rq);
/* How a task joins a queue (place_on_rq). */
enum place_how {
	PLACE_NEW,		/* first wake-up */
	PLACE_WAKEUP,		/* from a sleep */
	PLACE_MIGRATED,		/* moved from another queue while runnable */
};
void place_on_rq(struct rq *rq, struct task_struct *p, enum place_how how);
void make_relative(struct rq *rq, struct task_struct *p);
void check_preempt_tick(struct rq *rq);
bool wakeup_preempts(struct rq *rq, struct task_struct *p);
void yield_fair(struct rq *rq);
struct task_struct *pick_next_fair_pinned(struct rq *rq);

/* core.c */
void resched_curr(struct rq *rq);
void activate_task(struct rq *rq, struct task_struct *p, enum place_how how);
void deactivate_task(struct rq *rq, struct task_struct *p, bool sleep);
void check_preempt_curr(struct rq *rq, struct task_struct *p);
struct rq *__task_rq_lock(struct task_struct *p);
struct rq *task_rq_lock(struct task_struct *p, unsigned long *flags);
void task_rq_unlock(struct rq *rq, struct task_struct *p, unsigned long flags);
void double_rq_lock(struct rq *a, struct rq *b);
void double_rq_unlock(struct rq *a, struct rq *b);
void set_task_cpu(struct task_struct *p, unsigned int cpu, const char *reason);
void sched_trace_switch(struct task_struct *prev, struct task_struct *next);

/* migrate.c */
int select_task_rq(struct task_struct *p, unsigned int prev_cpu);
/* p may run on cpu now: in its mask, and active (per-CPU threads: online). */
bool is_cpu_allowed(struct task_struct *p, unsigned int cpu);
void detach_task(struct rq *src, struct task_struct *p, unsigned int dst_cpu, const char *reason);
void attach_task(struct rq *dst, struct task_struct *p);
struct rq *move_queued_task(struct rq *src, struct task_struct *p, unsigned int dst_cpu,
			    const char *reason);

/* hotplug.c: a CPU going down (rq->balance_push) pushes away the movable
 * tasks __schedule leaves queued.  check: rq locked; queue: after. */
void balance_push_check(struct rq *rq);
void balance_push_queue(struct rq *rq);

#endif
