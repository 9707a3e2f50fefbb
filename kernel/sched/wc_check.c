/*
 * The work conservation checker (issue 8 item 7; the invariant of Lozi et
 * al., "The Linux Scheduler: a Decade of Wasted Cores", EuroSys 2016): no
 * CPU stays idle while another has two or more runnable tasks of which one
 * may run on the idle CPU, for longer than wc_bound_cpu_ns() of that CPU.
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
 * The window's length is counted in ticks of the CPUs that hold the
 * surplus, not read off the clock: each check adds the time since the
 * previous one, at most a tick (rq->wc_window_ns).  A vCPU that the host
 * does not run takes no ticks, and a host stall of the busy CPUs is no
 * time in which the balancer could have done anything.  Nor is the time
 * an ILB balancing pass is under way (nohz_ilb_pass_running; a stats-only
 * pass does not stop the clock): the balancer is at
 * work then, and how long a pass takes depends on the host.  A kick that
 * is never served, or a guard never released, runs no pass: that time
 * counts.
 *
 * Cost: only on the tick of a CPU with two or more runnable tasks; one
 * pass over its queue under its lock (OR of the affinity masks) and one
 * load per allowed, active CPU.  rq->wc_check_ns_max records the worst.
 */
#include "rq.h"
#include "lb.h"
#include "kernel.h"

/* Checks run every tick of a busy CPU: a window not seen for this many
 * ticks has ended (its surplus was spread or finished). */
#define WC_GAP_TICKS 3
/* Never below this many ticks (a slow tick rate, or tiny domains). */
#define WC_MIN_TICKS 10


/*
 * The bound for an idle CPU: the passes its balancer may legitimately
 * need, at its longest interval.  A task that only a push can move waits
 * for cache_nice_tries + 3 failed passes before active balance starts,
 * and the push itself; each pass comes at most one interval (the top
 * level's max_interval, capped at LB_MAX_INTERVAL_NS) plus the tick that
 * kicks the NOHZ idle balancer after the last one.  One pass to spare.
 * At 4 CPUs that is 100 ms (the floor), at 16 CPUs 210 ms, at 64 CPUs
 * 550 ms.  Any context; reads the domains in a read section.
 */
u64 wc_bound_cpu_ns(unsigned int cpu)
{
	u64 interval = 0, passes = 0, bound;
	struct sched_domain *sd;

	sd_read_begin();
	for_each_domain(cpu, sd) {
		interval = MAX(interval, MIN((u64)sd->max_interval * 1000000ULL, LB_MAX_INTERVAL_NS));
		passes = MAX(passes, (u64)sd->cache_nice_tries + 4);
	}
	sd_read_end();
	bound = passes * (interval + tick_ns());
	return MAX(bound, WC_MIN_TICKS * tick_ns());
}

/* The largest bound over the active CPUs (schedstat, the tests' waits). */
u64 wc_bound_ns(void)
{
	u64 bound = WC_MIN_TICKS * tick_ns();
	unsigned int cpu;

	for_each_cpu(cpu, cpu_active_mask)
		bound = MAX(bound, wc_bound_cpu_ns(cpu));
	return bound;
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
	u64 gap = WC_GAP_TICKS * tick_ns(), t0, cost;
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
		u64 since = READ_ONCE(idle->idle_since), window, seen, covered, flagged;

		if (!since || READ_ONCE(idle->nr_running))
			continue;
		window = READ_ONCE(idle->wc_window);
		seen = READ_ONCE(idle->wc_window_seen);
		/* Several busy CPUs may race here: each writes a window start
		 * from its own tick, all of them within a tick of the truth. */
		if (window < since || (s64)(now - seen) > (s64)gap) {
			WRITE_ONCE(idle->wc_window_ns, 0);
			WRITE_ONCE(idle->wc_window, now);
			WRITE_ONCE(idle->wc_window_seen, now);
			continue;
		}
		/* One checker per step: the one that moves 'seen' on adds
		 * the step, at most a tick, to what the window covered. */
		if ((s64)(now - seen) <= 0 ||
		    !__atomic_compare_exchange_n(&idle->wc_window_seen, &seen, now, false,
						 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			continue;
		/* While an ILB pass runs, the balancer is at work for the
		 * tickless CPUs: how long that takes is the emulator's speed
		 * (a pass over 63 CPUs took 150 ms with 64 vCPUs on two host
		 * cores), not a decision to leave them idle. */
		if (nohz_ilb_pass_running())
			continue;
		covered = __atomic_add_fetch(&idle->wc_window_ns, MIN(now - seen, tick_ns()),
					     __ATOMIC_RELAXED);
		/* The floor first: the per-CPU bound walks the domains, work
		 * this tick path does only for a window already that long. */
		if (covered < WC_MIN_TICKS * tick_ns() || covered < wc_bound_cpu_ns(cpu))
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
