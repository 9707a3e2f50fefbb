/*
 * The work conservation checker (issue 8 item 7; the invariant of Lozi et
 * al., "The Linux Scheduler: a Decade of Wasted Cores", EuroSys 2016): no
 * CPU stays idle while another has two or more runnable tasks of which one
 * may run on the idle CPU, for longer than wc_bound_ns().
 *
 * A tickless idle CPU cannot check itself, but the CPU holding the surplus
 * is busy and therefore ticks: the check runs on its tick, looking at the
 * other CPUs' idle_since stamps (set by the idle loop, cleared when it
 * switches to a task, nohz.c).
 *
 * The bound runs from the first check that saw the idle CPU with work it
 * could take (rq->wc_window), not from the start of its idle period: a CPU
 * idle for a second before the work appeared has had no chance to take it
 * yet.  The window closes when the CPU runs a task (a new idle period), or
 * when no check has seen the condition for WC_GAP_TICKS ticks (the surplus
 * went away; a new one starts a new window).  A violation is counted once
 * per window, on the idle CPU (rq->wc_violations), by whichever CPU sees
 * it first.
 *
 * Cost: only on the tick of a CPU with two or more runnable tasks; one
 * pass over its queue under its lock (OR of the affinity masks) and one
 * load per allowed, active CPU.  rq->wc_check_ns_max records the worst.
 */
#include "rq.h"
#include "kernel.h"

/* Checks run every tick of a busy CPU: a window not seen for this many
 * ticks has ended (its surplus was spread or finished). */
#define WC_GAP_TICKS 3

/*
 * The bound: 100 ms, or 10 ticks at a slow tick rate.  Several periodic
 * balance intervals, and several NOHZ kick periods: a working balancer
 * spreads the surplus well before it.
 */
u64 wc_bound_ns(void)
{
	return MAX(100 * 1000000ULL, 10 * (1000000000ULL / tick_hz));
}

/* Where the runnable tasks of rq (running one included) may run; empty
 * unless there are two or more. */
static void surplus_allowed(struct rq *rq, cpumask_t *allowed)
{
	struct task_struct *p;

	cpumask_clear(allowed);
	arch_spin_lock(&rq->lock);
	if (rq->nr_running >= 2) {
		if (task_is_fair(rq->curr))
			cpumask_or(allowed, allowed, &rq->curr->cpus_allowed);
		list_for_each_entry(p, &rq->queue, run_node)
			cpumask_or(allowed, allowed, &p->cpus_allowed);
	}
	arch_spin_unlock(&rq->lock);
}

/* From sched_balance_trigger on a busy CPU's tick: IRQs masked, rq
 * unlocked.  'now' is the tick's sched_clock(). */
void wc_check_tick(struct rq *rq, u64 now)
{
	u64 bound = wc_bound_ns(), gap = WC_GAP_TICKS * (1000000000ULL / tick_hz), t0, cost;
	cpumask_t allowed;
	unsigned int cpu;

	if (READ_ONCE(rq->nr_running) < 2)
		return;
	t0 = sched_clock();
	surplus_allowed(rq, &allowed);
	cpumask_and(&allowed, &allowed, cpu_active_mask);
	cpumask_clear_cpu(rq->cpu, &allowed);
	for_each_cpu(cpu, &allowed) {
		struct rq *idle = cpu_rq(cpu);
		u64 since = READ_ONCE(idle->idle_since), window, flagged;

		if (!since || READ_ONCE(idle->nr_running))
			continue;
		window = READ_ONCE(idle->wc_window);
		/* Several busy CPUs may race here: each writes a window start
		 * from its own tick, all of them within a tick of the truth. */
		if (window < since || (s64)(now - READ_ONCE(idle->wc_window_seen)) > (s64)gap) {
			WRITE_ONCE(idle->wc_window, now);
			WRITE_ONCE(idle->wc_window_seen, now);
			continue;
		}
		WRITE_ONCE(idle->wc_window_seen, now);
		if (now < window + bound)
			continue;
		flagged = READ_ONCE(idle->wc_flagged);
		if (flagged == window)
			continue;	/* this window is counted already */
		if (__atomic_compare_exchange_n(&idle->wc_flagged, &flagged, window, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			__atomic_fetch_add(&idle->wc_violations, 1, __ATOMIC_RELAXED);
	}
	rq->wc_checks++;
	cost = sched_clock() - t0;
	if (cost > rq->wc_check_ns_max)
		WRITE_ONCE(rq->wc_check_ns_max, cost);
}
