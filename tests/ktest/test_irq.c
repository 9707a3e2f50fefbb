/* The tick runs on every online CPU at the configured rate; IPIs arrive.
 * (Idle CPUs stop their tick, kernel/sched/nohz.c: every_cpu_ticks turns
 * that off while it counts; the nohz suite checks the tickless side.) */
#include "ktest.h"
#include "irq.h"
#include "smp.h"
#include "timer.h"
#include "asm/atomic.h"
#include "asm/sysreg.h"
#include "../../kernel/sched/balance.h"

static void wait_ms(u64 ms)
{
	u64 end = read_cntvct() + timer_freq / 1000 * ms;

	while (read_cntvct() < end)
		cpu_relax();
}

static void every_cpu_ticks(struct ktest *t)
{
	static u64 before[NR_CPUS];
	unsigned int cpu;

	bool nohz = tick_nohz_enabled();
	u64 end;

	/* Periodic ticks everywhere, idle CPUs included, while we count. */
	tick_nohz_set_enabled(false);
	for_each_online_cpu(cpu)
		before[cpu] = READ_ONCE(cpu_data[cpu].ticks);
	wait_ms(100);
	/* Normally all have ticked by now; a vCPU the host has not run for
	 * a while (plain TCG, many vCPUs) gets a few seconds more. */
	end = read_cntvct() + timer_freq * 5;
	for_each_online_cpu(cpu) {
		while (READ_ONCE(cpu_data[cpu].ticks) == before[cpu] && read_cntvct() < end)
			cpu_relax();
		KT_EXPECT(t, READ_ONCE(cpu_data[cpu].ticks) > before[cpu]);
	}
	tick_nohz_set_enabled(nohz);
}

static void tick_rate_matches_hz(struct ktest *t)
{
	u64 ms = 500, expect = tick_hz * ms / 1000;
	u64 start = READ_ONCE(this_cpu()->ticks), got;

	wait_ms(ms);
	got = READ_ONCE(this_cpu()->ticks) - start;
	/* Wide bounds: without -icount the host may stall a vCPU.  With
	 * far more vCPUs than host cores (plain TCG) only "it ticks" holds. */
	if (num_online_cpus() > 8) {
		KT_EXPECT(t, got > 0);
		return;
	}
	if (got < expect / 2 || got > expect * 3 / 2)
		ktest_fail(t, __FILE__, __LINE__, "%lu ticks in %lu ms at %u Hz, expected about %lu",
			   got, ms, tick_hz, expect);
}

/* The counter, read after everything before it and before everything
 * after it (the ISBs), so reads ordered by memory are ordered in time. */
static u64 ordered_counter(void)
{
	u64 v = read_cntvct();	/* ISB first */

	isb();
	return v;
}

static void read_counter_here(void *arg)
{
	/* The value is stored before the caller's acquire of csd->busy can
	 * see the call done (smp_call.c's store-release pairs with it). */
	*(u64 *)arg = ordered_counter();
}

/*
 * One system counter for all CPUs: a reading taken on one CPU after
 * another CPU's reading (ordered by the cross-CPU call's hand-off) is
 * never smaller.  Each online CPU in turn reads it between two readings
 * of ours, for several rounds.
 */
static void counter_is_monotonic_across_cpus(struct ktest *t)
{
	u64 last = ordered_counter();
	unsigned int cpu, calls = 0;

	for (int round = 0; round < 20; round++)
		for_each_online_cpu(cpu) {
			u64 before, there = 0, after;

			before = ordered_counter();
			KT_ASSERT_EQ(t, smp_call_function_single(cpu, read_counter_here, &there, true), 0);
			after = ordered_counter();
			calls++;
			if (!(last <= before && before <= there && there <= after))
				ktest_fail(t, __FILE__, __LINE__,
					   "round %d, CPU%u: previous %lu, before %lu, on CPU%u %lu, after %lu",
					   round, cpu, last, before, cpu, there, after);
			last = after;
		}
	KT_EXPECT_EQ(t, calls, 20 * num_online_cpus());
	KT_EXPECT(t, timer_freq >= 1000000);
}

static void ping_reaches_every_cpu(struct ktest *t)
{
	static u64 before[NR_CPUS];
	unsigned int cpu;
	cpumask_t others;
	u64 deadline;

	cpumask_copy(&others, cpu_online_mask);
	cpumask_clear_cpu(smp_processor_id(), &others);
	if (cpumask_empty(&others))
		KT_SKIP(t, "needs 2 CPUs");
	for_each_cpu(cpu, &others)
		before[cpu] = READ_ONCE(cpu_data[cpu].ipis[IPI_PING]);
	send_ipi_mask(&others, IPI_PING);
	deadline = read_cntvct() + timer_freq / 10;
	for_each_cpu(cpu, &others) {
		while (READ_ONCE(cpu_data[cpu].ipis[IPI_PING]) == before[cpu] && read_cntvct() < deadline)
			cpu_relax();
		KT_EXPECT_EQ(t, READ_ONCE(cpu_data[cpu].ipis[IPI_PING]), before[cpu] + 1);
	}
}

KTEST_SUITE(irq,
	KTEST_CASE(every_cpu_ticks),
	KTEST_CASE(tick_rate_matches_hz),
	KTEST_CASE(counter_is_monotonic_across_cpus),
	KTEST_CASE(ping_reaches_every_cpu));
