/* Cross-CPU function calls: where they run, how often, and that waiting
 * callers really wait. */
#include "ktest.h"
#include "smp.h"
#include "timer.h"
#include "asm/atomic.h"
#include "asm/irqflags.h"
#include "asm/spinlock.h"
#include "asm/sysreg.h"

static atomic_t ran_on[NR_CPUS];
static atomic_t total;

static void count_here(void *arg)
{
	(void)arg;
	atomic_inc(&ran_on[smp_processor_id()]);
	atomic_inc(&total);
}

static void reset_counts(void)
{
	for (int i = 0; i < NR_CPUS; i++)
		atomic_set(&ran_on[i], 0);
	atomic_set(&total, 0);
}

static void single_runs_on_target(struct ktest *t)
{
	unsigned int cpu;

	reset_counts();
	for_each_online_cpu(cpu) {
		KT_EXPECT_EQ(t, smp_call_function_single(cpu, count_here, NULL, true), 0);
		/* With wait, the effect is visible as soon as we return. */
		KT_EXPECT_EQ(t, atomic_read(&ran_on[cpu]), 1);
	}
	KT_EXPECT_EQ(t, atomic_read(&total), num_online_cpus());
}

static void single_to_nonexistent_cpu_fails(struct ktest *t)
{
	reset_counts();
	KT_EXPECT_EQ(t, smp_call_function_single(NR_CPUS, count_here, NULL, true), -ENXIO);
	KT_EXPECT_EQ(t, smp_call_function_single(~0u, count_here, NULL, true), -ENXIO);
	KT_EXPECT_EQ(t, atomic_read(&total), 0);
}

/* A CPU that exists but is not online: present but never started (the
 * maxcpus= entries of the matrix have one), else possible but not present
 * (a CPU whose boot method is unusable). */
static int offline_cpu(void)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpu_present_mask)
		if (!cpu_online(cpu))
			return (int)cpu;
	for_each_cpu(cpu, cpu_possible_mask)
		if (!cpu_online(cpu))
			return (int)cpu;
	return -1;
}

static void single_to_offline_cpu_fails(struct ktest *t)
{
	int cpu = offline_cpu();

	if (cpu < 0)
		KT_SKIP(t, "every possible CPU is online (no CPU hotplug yet; "
			   "ktest-maxcpus3.t runs this with an offline CPU)");
	reset_counts();
	KT_EXPECT_EQ(t, smp_call_function_single((unsigned int)cpu, count_here, NULL, true), -ENXIO);
	KT_EXPECT_EQ(t, smp_call_function_single((unsigned int)cpu, count_here, NULL, false), -ENXIO);
	KT_EXPECT_EQ(t, atomic_read(&ran_on[cpu]), 0);
	KT_EXPECT_EQ(t, atomic_read(&total), 0);
}

static void many_skips_caller(struct ktest *t)
{
	unsigned int cpu, self;

	reset_counts();
	preempt_disable();	/* so that 'self' stays true */
	self = smp_processor_id();
	smp_call_function_many(cpu_online_mask, count_here, NULL, true);
	preempt_enable();
	for_each_online_cpu(cpu)
		KT_EXPECT_EQ(t, atomic_read(&ran_on[cpu]), cpu == self ? 0 : 1);
	KT_EXPECT_EQ(t, atomic_read(&total), num_online_cpus() - 1);
}

static void async_calls_complete(struct ktest *t)
{
	unsigned int cpu, want = 0;
	u64 deadline;

	reset_counts();
	preempt_disable();
	for (int round = 0; round < 50; round++)
		for_each_online_cpu(cpu)
			if (cpu != smp_processor_id()) {
				smp_call_function_single(cpu, count_here, NULL, false);
				want++;
			}
	preempt_enable();
	deadline = read_cntvct() + timer_freq;	/* 1 s */
	while (atomic_read(&total) != (int)want && read_cntvct() < deadline)
		cpu_relax();
	KT_EXPECT_EQ(t, atomic_read(&total), want);
}

static void stress_round_robin(struct ktest *t)
{
	unsigned int cpu = 0;
	int n = 0;

	reset_counts();
	for (int i = 0; i < 2000; i++) {
		cpu = cpumask_next((int)cpu, cpu_online_mask);
		if (cpu >= NR_CPUS)
			cpu = cpumask_first(cpu_online_mask);
		smp_call_function_single(cpu, count_here, NULL, i % 3 == 0);
		n++;
	}
	/* Drain the asynchronous ones with one waited call per CPU. */
	for_each_online_cpu(cpu)
		smp_call_function_single(cpu, count_here, NULL, true);
	KT_EXPECT_EQ(t, atomic_read(&total), n + (int)num_online_cpus());
}

static void calls_with_irqs_off_do_not_deadlock(struct ktest *t)
{
	unsigned long flags = local_irq_save();

	reset_counts();
	smp_call_function_many(cpu_online_mask, count_here, NULL, true);
	local_irq_restore(flags);
	KT_EXPECT_EQ(t, atomic_read(&total), num_online_cpus() - 1);
}

KTEST_SUITE(smp_call,
	KTEST_CASE(single_runs_on_target),
	KTEST_CASE(single_to_nonexistent_cpu_fails),
	KTEST_CASE(single_to_offline_cpu_fails),
	KTEST_CASE(many_skips_caller),
	KTEST_CASE(async_calls_complete),
	KTEST_CASE(stress_round_robin),
	KTEST_CASE(calls_with_irqs_off_do_not_deadlock));
