/*
 * `bench` figures for the load balancer (docs/balance.md):
 * - balance_spread: 2 x N spinners pinned to CPU 0 for 200 ms, then
 *   unpinned one after the other; the time from the first unpin until
 *   every CPU holds two or more and max - min <= 1 (Linux's peer figure,
 *   ../shared/peers/linux/RESULTS.md, measures the same condition);
 * - balance_hook_per_tick: with one spinner per CPU (nothing to move),
 *   the time spent in the periodic balance hook per tick per CPU (the
 *   fastest pass times the passes per tick, see below).
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

static unsigned int start_tasks(const char *what, unsigned int n, const cpumask_t *where)
{
	const struct workload *w = find_workload(what);
	unsigned int got = 0;

	for (unsigned int i = 0; w && i < n; i++) {
		spinners[got] = spawn_workload(w, where, 0);
		if (spinners[got])
			got++;
	}
	return got;
}

static void stop_tasks(unsigned int n)
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
	n = start_tasks("spin", 2 * ncpu, &one);
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
	stop_tasks(n);
	return ns;
}

/*
 * The balance hook's cost with every CPU busy (one spinner each, nothing
 * to move), over a window long enough for each CPU to reach its longest
 * busy interval a few times.  Under -icount the counter moves with the
 * instructions of every vCPU, and QEMU runs them in turn, each for a
 * slice of (time to the next timer deadline) / (vCPUs): at 64 CPUs with
 * their ticks spread over the period, a few microseconds.  A pass longer
 * than its vCPU's slice is also charged the other vCPUs' slices (the
 * median 64-CPU pass was 1.4 ms, its fastest 20 us), and a wait at a
 * contended lock or an interrupt inside the pass adds more.  All of that
 * only ever adds: every pass here does the same walk (every domain
 * balanced), so the fastest pass is the one charged its own
 * instructions only.  The figure is that pass times the passes per
 * tick.  *pass_ns: the fastest pass; *median_ns: the median one (the
 * emulator's share shows in the gap); *ticks_per_pass_x10: ticks per
 * pass, in tenths.  Returns ns per tick per CPU.
 */
static u32 hook_samples[NR_CPUS * LB_HOOK_SAMPLES];

u64 bench_balance_hook_ns_per_tick(u64 *pass_ns, u64 *median_ns, u64 *ticks_per_pass_x10)
{
	static u64 p0[NR_CPUS], t0[NR_CPUS];
	unsigned int ncpu = num_online_cpus(), n, cpu;
	u64 passes = 0, ticks = 0, window_ms = COST_WINDOW_MS * MAX(1u, ncpu / 4);
	int got = 0;

	n = start_tasks("spin", ncpu, cpu_online_mask);
	msleep(100);
	for_each_online_cpu(cpu) {
		p0[cpu] = READ_ONCE(lb_hook_cost[cpu].passes);
		t0[cpu] = READ_ONCE(cpu_data[cpu].ticks);
	}
	msleep((unsigned int)window_ms);
	for_each_online_cpu(cpu) {
		const struct lb_hook_cost *c = &lb_hook_cost[cpu];
		u64 p1 = READ_ONCE(c->passes);

		passes += p1 - p0[cpu];
		ticks += READ_ONCE(cpu_data[cpu].ticks) - t0[cpu];
		/* The window's passes still in the ring (the last ones). */
		for (u64 i = MAX(p0[cpu], p1 > LB_HOOK_SAMPLES ? p1 - LB_HOOK_SAMPLES : 0); i < p1; i++)
			hook_samples[got++] = READ_ONCE(c->samples[i % LB_HOOK_SAMPLES]);
	}
	stop_tasks(n);
	if (!got || !passes || !ticks)
		return 0;
	/* Insertion sort: a few thousand samples at most. */
	for (int i = 1; i < got; i++)
		for (int j = i; j > 0 && hook_samples[j - 1] > hook_samples[j]; j--) {
			u32 tmp = hook_samples[j];

			hook_samples[j] = hook_samples[j - 1];
			hook_samples[j - 1] = tmp;
		}
	*pass_ns = cycles_to_ns(hook_samples[0]);
	*median_ns = cycles_to_ns(hook_samples[got / 2]);
	*ticks_per_pass_x10 = ticks * 10 / passes;
	return cycles_to_ns((u64)hook_samples[0] * passes) / ticks;
}

/* Prints the balance_spread_* lines (with spread) and the
 * balance_hook_* lines (with cost).  Shell context, may sleep. */
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
	{
		u64 pass = 0, med = 0, tpp = 0;

		ns = bench_balance_hook_ns_per_tick(&pass, &med, &tpp);
		kprintf("balance_hook_per_tick_smp%u %lu.%03lu us\n", n, ns / 1000, ns % 1000);
		kprintf("balance_hook_pass_smp%u %lu.%03lu us\n", n, pass / 1000, pass % 1000);
		kprintf("balance_hook_pass_median_smp%u %lu.%03lu us\n", n, med / 1000, med % 1000);
		kprintf("balance_hook_ticks_per_pass_smp%u %lu.%lu ticks\n", n, tpp / 10, tpp % 10);
	}
}
