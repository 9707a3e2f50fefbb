/*
 * The balance trigger (Linux: sched_balance_trigger, formerly
 * trigger_load_balance, and the SCHED_SOFTIRQ handler
 * run_rebalance_domains / sched_balance_softirq).
 *
 * The tick must stay short and runs with IRQs masked; balancing walks
 * other CPUs' runqueues and takes their locks.  So the tick only decides
 * that a pass is due (rq->next_balance passed) and raises SCHED_SOFTIRQ;
 * the pass runs when the tick's interrupt is done, with IRQs on, before
 * the interrupted task resumes (kernel/softirq.c).  The same action serves
 * a kick from a busy CPU to a tickless idle one (nohz.c).
 */
#include "rq.h"
#include "kernel.h"
#include "softirq.h"
#include "asm/irqflags.h"

static bool balance_disabled;
static void (*balance_observer)(struct rq *rq, enum cpu_idle_type idle);

/*
 * The default action, until the balancer defines its own: it moves
 * nothing.  The books (balance_runs, next_balance) are kept by
 * run_balance_hook, so they stay right whoever fills this in.
 */
__weak void sched_balance_softirq(struct rq *rq, enum cpu_idle_type idle)
{
	(void)rq;
	(void)idle;
}

void sched_balance_set_disabled(bool off)
{
	WRITE_ONCE(balance_disabled, off);
}

bool sched_balance_is_disabled(void)
{
	return READ_ONCE(balance_disabled);
}

void sched_balance_set_observer(void (*fn)(struct rq *rq, enum cpu_idle_type idle))
{
	WRITE_ONCE(balance_observer, fn);
}

/*
 * One balance pass with 'rq' as the destination.  SCHED_SOFTIRQ context:
 * IRQs on, preemption off.  Two passes for one rq can overlap: the NOHZ
 * idle balancer's for a tickless CPU, and that CPU's own when a timer
 * event gives it a tick meanwhile.  Hence atomic counters here, and the
 * balancer must lock what it reads (it does: runqueue locks).
 */
void run_balance_hook(struct rq *rq, enum cpu_idle_type idle)
{
	void (*observer)(struct rq *, enum cpu_idle_type) = READ_ONCE(balance_observer);
	u64 now = sched_clock();

	/* The promise of a deferred action: never with IRQs masked. */
	if (WARN_ON(irqs_disabled()))
		__atomic_fetch_add(&rq->balance_irqs_off, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rq->balance_runs[idle], 1, __ATOMIC_RELAXED);
	/* A fallback the balancer overrides: a pass that forgot to set it
	 * must not make every tick raise the action again. */
	if (now >= READ_ONCE(rq->next_balance))
		WRITE_ONCE(rq->next_balance, now + SCHED_BALANCE_DEFAULT_NS);
	if (observer)
		observer(rq, idle);
	if (!READ_ONCE(balance_disabled))
		sched_balance_softirq(rq, idle);
}

/* SCHED_SOFTIRQ: this CPU's pending kick first (it covers this CPU too),
 * else this CPU's periodic pass if due. */
static void run_rebalance_domains(void)
{
	struct rq *rq = this_cpu()->rq;
	enum cpu_idle_type idle = idle_cpu(rq->cpu) ? CPU_IDLE : CPU_NOT_IDLE;

	if (nohz_idle_balance(rq, idle))
		return;
	if (cpu_active(rq->cpu) && sched_clock() >= READ_ONCE(rq->next_balance))
		run_balance_hook(rq, idle);
}

/*
 * From scheduler_tick, IRQs masked, rq unlocked.  Cheap: a few loads, and
 * the work conservation check when this CPU has work to spare.
 */
void sched_balance_trigger(struct rq *rq)
{
	u64 now = sched_clock();
	bool idle = READ_ONCE(rq->curr) == rq->idle;

	if (idle)
		WRITE_ONCE(rq->idle_ticks, rq->idle_ticks + 1);
	/* Never balance to or from an inactive CPU. */
	if (!cpu_active(rq->cpu))
		return;
	if (now >= READ_ONCE(rq->next_balance))
		raise_softirq_irqoff(SCHED_SOFTIRQ);
	if (!idle) {
		nohz_balancer_kick(rq, now);
		wc_check_tick(rq, now);
	}
}

void account_migration(unsigned int src_cpu, unsigned int dst_cpu)
{
	struct rq *src = cpu_rq(src_cpu), *dst = cpu_rq(dst_cpu);

	__atomic_fetch_add(&dst->balance_migrations, 1, __ATOMIC_RELAXED);
	/* Compared by load (weights), as the balancer decides by load. */
	if (READ_ONCE(src->load) <= READ_ONCE(dst->load))
		__atomic_fetch_add(&dst->useless_migrations, 1, __ATOMIC_RELAXED);
}

void sched_balance_init(void)
{
	nohz_init();
	open_softirq(SCHED_SOFTIRQ, run_rebalance_domains);
}
