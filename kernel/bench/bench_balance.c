/*
 * `bench` figures for the load balancer (docs/balance.md):
 * - balance_spread: 2 x N spinners pinned to CPU 0 for 200 ms, then
 *   unpinned one after the other; the time from the first unpin until
 *   every CPU holds two or more and max - min <= 1 (Linux's peer figure,
 *   ../shared/peers/linux/RESULTS.md, measures the same condition);
 * - balance_hook_per_tick: with one spinner per CPU (busy, nothing to
 *   move), the time spent in the periodic balance hook per tick per CPU,
 *   averaged over a window.
 */
#include "bench.h"
#include "kernel.h"
#include "smp.h"
#include "timer.h"
#include "wait.h"
#include "kthread.h"
#include "workloads.h"
#include "asm/sysreg.h"
#include "../sched/rq.h"
#include "../sched/lb.h"

#define SPREAD_LIMIT_MS 20000
#define COST_WINDOW_MS 500

static struct task_struct *spinners[2 * NR_CPUS];

static unsigned int start_spinners(unsigned int n, const cpumask_t *where)
{
	const struct workload *w = find_workload("spin");
	unsigned int got = 0;

	for (unsigned int i = 0; w && i < n; i++) {
		spinners[got] = spawn_workload(w, where, 0);
		if (spinners[got])
			got++;
	}
	return got;
}

static void stop_spinners(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		kthread_stop(spinners[i]);
}

/* Every online CPU holds one or more, max - min <= 1. */
static bool spread(unsigned int n)
{
	static unsigned int count[NR_CPUS];
	unsigned int cpu, lo = ~0u, hi = 0;

	memset(count, 0, sizeof(count));
	for (unsigned int i = 0; i < n; i++)
		count[task_cpu(spinners[i])]++;
	for_each_online_cpu(cpu) {
		lo = MIN(lo, count[cpu]);
		hi = MAX(hi, count[cpu]);
	}
	return lo >= 1 && hi - lo <= 1;
}

/*
 * ns from the first unpin to the spread; 0 if it never came.  The poll
 * sleeps 1 ms, but a busy CPU's timers fire on its tick only (10 ms at
 * hz=100), so the poll only notices the spread: the time reported is
 * that of the last spinner move before it noticed (p->migrated_at), the
 * moment the spread it saw was reached.  *seen_ns: when the poll saw
 * it.  *moves: spinner migrations from the unpin to then (2 x N - 2 at
 * best: all but CPU 0's two move once).
 */
u64 bench_balance_spread_ns(u64 *moves, u64 *seen_ns)
{
	unsigned int ncpu = num_online_cpus(), n;
	u64 t0, last, m0 = 0, m = 0, ns = 0;
	cpumask_t one;

	cpumask_clear(&one);
	cpumask_set_cpu(0, &one);
	n = start_spinners(2 * ncpu, &one);
	msleep(200);
	for (unsigned int i = 0; i < n; i++)
		m0 += READ_ONCE(spinners[i]->nr_migrations);
	t0 = sched_clock();
	for (unsigned int i = 0; i < n; i++)
		set_cpus_allowed_ptr(spinners[i], cpu_online_mask);
	while (sched_clock() - t0 < SPREAD_LIMIT_MS * 1000000ULL) {
		if (spread(n)) {
			last = t0;
			for (unsigned int i = 0; i < n; i++) {
				last = MAX(last, READ_ONCE(spinners[i]->migrated_at));
				m += READ_ONCE(spinners[i]->nr_migrations);
			}
			ns = last - t0;
			*seen_ns = sched_clock() - t0;
			*moves = m - m0;
			break;
		}
		msleep(1);
	}
	stop_spinners(n);
	return ns;
}

/* ns in the balance hook per tick per CPU, every CPU busy. */
u64 bench_balance_hook_ns_per_tick(void)
{
	static u64 c0[NR_CPUS], t0[NR_CPUS];
	unsigned int ncpu = num_online_cpus(), n, cpu;
	u64 cycles = 0, ticks = 0;

	n = start_spinners(ncpu, cpu_online_mask);
	msleep(100);
	for_each_online_cpu(cpu) {
		c0[cpu] = READ_ONCE(lb_hook_cycles[cpu]);
		t0[cpu] = READ_ONCE(cpu_data[cpu].ticks);
	}
	msleep(COST_WINDOW_MS);
	for_each_online_cpu(cpu) {
		cycles += READ_ONCE(lb_hook_cycles[cpu]) - c0[cpu];
		ticks += READ_ONCE(cpu_data[cpu].ticks) - t0[cpu];
	}
	stop_spinners(n);
	return ticks ? cycles_to_ns(cycles) / ticks : 0;
}

/* Prints "balance_spread_smpN X ms" and "balance_spread_moves_smpN X
 * moves" (with spread), and "balance_hook_per_tick_smpN X us" (with
 * cost).  Shell context, may sleep. */
void bench_balance(bool spread, bool cost)
{
	unsigned int n = cpumask_weight(cpu_possible_mask);
	u64 ns;

	if (num_online_cpus() < 2)
		return;
	if (spread) {
		u64 moves = 0, seen = 0;

		ns = bench_balance_spread_ns(&moves, &seen);
		if (ns) {
			kprintf("balance_spread_smp%u %lu.%03lu ms\n", n, ns / 1000000, ns / 1000 % 1000);
			kprintf("balance_spread_seen_smp%u %lu.%03lu ms\n", n, seen / 1000000,
				seen / 1000 % 1000);
			kprintf("balance_spread_moves_smp%u %lu moves\n", n, moves);
		} else {
			kprintf("# balance_spread: not spread within %u ms\n", SPREAD_LIMIT_MS);
		}
	}
	if (!cost)
		return;
	ns = bench_balance_hook_ns_per_tick();
	kprintf("balance_hook_per_tick_smp%u %lu.%03lu us\n", n, ns / 1000, ns % 1000);
}
