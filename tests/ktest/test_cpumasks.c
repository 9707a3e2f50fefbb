/* The four masks keep Linux's meaning, and each online CPU is who the
 * masks say it is. */
#include "ktest.h"
#include "params.h"
#include "smp.h"
#include "asm/sysreg.h"

static void masks_nest(struct ktest *t)
{
	KT_EXPECT(t, cpumask_subset(cpu_active_mask, cpu_online_mask));
	KT_EXPECT(t, cpumask_subset(cpu_online_mask, cpu_present_mask));
	KT_EXPECT(t, cpumask_subset(cpu_present_mask, cpu_possible_mask));
}

static void boot_cpu_is_zero(struct ktest *t)
{
	KT_EXPECT(t, cpu_online(0));
	KT_EXPECT(t, cpu_active(0));
	KT_EXPECT_EQ(t, cpu_logical_map[0], cpu_data[0].mpidr);
}

static void online_count_obeys_maxcpus(struct ktest *t)
{
	unsigned int present = cpumask_weight(cpu_present_mask);
	unsigned int want = present < boot_params.maxcpus ? present : boot_params.maxcpus;

	KT_EXPECT_EQ(t, num_online_cpus(), want);
	KT_EXPECT_EQ(t, cpumask_weight(cpu_active_mask), want);
}

static void ids_are_dense_and_unique(struct ktest *t)
{
	unsigned int cpu, expect = 0;

	for_each_possible_cpu(cpu) {
		KT_EXPECT_EQ(t, cpu, expect);
		expect++;
		KT_EXPECT(t, cpu_logical_map[cpu] != INVALID_HWID);
		for (unsigned int other = 0; other < cpu; other++)
			KT_EXPECT(t, cpu_logical_map[other] != cpu_logical_map[cpu]);
	}
}

struct whoami {
	unsigned int cpu;
	u64 mpidr;
	u64 tpidr;
	u64 sp;
};

static void report_self(void *arg)
{
	struct whoami *w = arg;
	u64 sp;

	__asm__ volatile("mov %0, sp" : "=r"(sp));
	w->cpu = smp_processor_id();
	w->mpidr = read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
	w->tpidr = read_sysreg(tpidr_el1);
	w->sp = sp;
}

static void each_cpu_knows_itself(struct ktest *t)
{
	static struct whoami seen[NR_CPUS];
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		KT_ASSERT_EQ(t, smp_call_function_single(cpu, report_self, &seen[cpu], true), 0);
		KT_EXPECT_EQ(t, seen[cpu].cpu, cpu);
		KT_EXPECT_EQ(t, seen[cpu].mpidr, cpu_logical_map[cpu]);
		KT_EXPECT_EQ(t, seen[cpu].tpidr, (u64)&cpu_data[cpu]);
	}
	/* Every CPU runs on a stack of its own. */
	for_each_online_cpu(cpu)
		for (unsigned int other = 0; other < cpu; other++)
			if (cpu_online(other))
				KT_EXPECT(t, seen[cpu].sp >> 15 != seen[other].sp >> 15);
}

static void offline_cpus_take_no_ticks(struct ktest *t)
{
	unsigned int cpu, checked = 0;

	for_each_cpu(cpu, cpu_present_mask) {
		if (cpu_online(cpu))
			continue;
		KT_EXPECT_EQ(t, cpu_data[cpu].ticks, 0);
		checked++;
	}
	if (!checked)
		KT_SKIP(t, "every present CPU is online (boot with maxcpus= to test)");
}

KTEST_SUITE(cpumasks,
	KTEST_CASE(masks_nest),
	KTEST_CASE(boot_cpu_is_zero),
	KTEST_CASE(online_count_obeys_maxcpus),
	KTEST_CASE(ids_are_dense_and_unique),
	KTEST_CASE(each_cpu_knows_itself),
	KTEST_CASE(offline_cpus_take_no_ticks));
