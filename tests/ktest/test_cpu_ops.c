/*
 * Boot methods, both ways: start a present-but-offline CPU, let it enter
 * the kernel and leave again at once (cpu_die), and do it again.  On PSCI
 * boards that is CPU_ON / CPU_OFF; on spin-table boards the first start
 * releases the firmware's loop and every later one the kernel's holding
 * loop (cpu_park.S).  Needs a CPU kept offline: boot with maxcpus=.
 */
#include "ktest.h"
#include "cpu_ops.h"
#include "psci.h"
#include "smp.h"
#include "timer.h"
#include "asm/atomic.h"

#define ROUNDS 3

static int offline_present_cpu(void)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpu_present_mask)
		if (!cpu_online(cpu) && cpu_ops[cpu] && cpu_ops[cpu]->cpu_die)
			return (int)cpu;
	return -1;
}

static bool wait_arrival(unsigned int cpu, u64 before)
{
	u64 end = read_cntvct() + timer_freq;	/* 1 s */

	while (READ_ONCE(cpu_data[cpu].arrivals) == before)
		if (read_cntvct() > end)
			return false;
	return true;
}

static void start_and_park_repeatedly(struct ktest *t)
{
	int cpu = offline_present_cpu();
	const struct cpu_operations *ops;
	u64 first;

	if (cpu < 0)
		KT_SKIP(t, "needs a present, offline CPU (boot with maxcpus=)");
	ops = cpu_ops[cpu];
	first = READ_ONCE(cpu_data[cpu].arrivals);
	for (int round = 0; round < ROUNDS; round++) {
		u64 before = READ_ONCE(cpu_data[cpu].arrivals);

		WRITE_ONCE(cpu_data[cpu].park_on_arrival, true);
		KT_ASSERT_EQ(t, ops->cpu_boot((unsigned int)cpu), 0);
		if (!wait_arrival((unsigned int)cpu, before)) {
			ktest_fail(t, __FILE__, __LINE__, "round %d: CPU%d never entered the kernel", round, cpu);
			return;
		}
		KT_EXPECT_EQ(t, ops->cpu_kill((unsigned int)cpu), 0);
		KT_EXPECT(t, !cpu_online((unsigned int)cpu));
		if (psci_available() && !strcmp(ops->name, "psci"))
			KT_EXPECT_EQ(t, psci_affinity_info(cpu_logical_map[cpu]), 1);	/* OFF */
	}
	KT_EXPECT_EQ(t, READ_ONCE(cpu_data[cpu].arrivals) - first, ROUNDS);
	KT_EXPECT(t, !cpu_online((unsigned int)cpu) && !cpu_active((unsigned int)cpu));
}

static void online_cpus_have_a_way_out(struct ktest *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		if (cpu == 0 && !cpu_ops[0])
			continue;	/* the boot CPU's node may lack a method */
		KT_EXPECT(t, cpu_ops[cpu] && cpu_ops[cpu]->cpu_die && cpu_ops[cpu]->cpu_kill);
	}
}

KTEST_SUITE(cpu_ops,
	KTEST_CASE(start_and_park_repeatedly),
	KTEST_CASE(online_cpus_have_a_way_out));
