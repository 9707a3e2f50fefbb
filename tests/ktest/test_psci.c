/* PSCI, where the firmware has it: the calls answer as the spec says. */
#include "ktest.h"
#include "psci.h"
#include "smp.h"

static void version_is_at_least_0_2(struct ktest *t)
{
	if (!psci_available())
		KT_SKIP(t, "no PSCI on this board");
	KT_EXPECT(t, psci.version >= 0x2);
}

static void affinity_info_matches_online(struct ktest *t)
{
	unsigned int cpu;

	if (!psci_available())
		KT_SKIP(t, "no PSCI on this board");
	for_each_cpu(cpu, cpu_present_mask) {
		int state = psci_affinity_info(cpu_logical_map[cpu]);

		KT_EXPECT_EQ(t, state, cpu_online(cpu) ? 0 : 1);	/* ON : OFF */
	}
}

static void cpu_on_twice_is_refused(struct ktest *t)
{
	extern void secondary_entry(void);

	if (!psci_available())
		KT_SKIP(t, "no PSCI on this board");
	/* The boot CPU is certainly on: the firmware must say so. */
	KT_EXPECT_EQ(t, psci_cpu_on(cpu_logical_map[0], (u64)secondary_entry, 0), PSCI_RET_ALREADY_ON);
	KT_EXPECT_STREQ(t, psci_strerror(PSCI_RET_ALREADY_ON), "ALREADY_ON");
}

static void unknown_mpidr_is_invalid(struct ktest *t)
{
	extern void secondary_entry(void);

	if (!psci_available())
		KT_SKIP(t, "no PSCI on this board");
	KT_EXPECT_EQ(t, psci_cpu_on(0xff00fefe, (u64)secondary_entry, 0), PSCI_RET_INVALID_PARAMS);
}

KTEST_SUITE(psci,
	KTEST_CASE(version_is_at_least_0_2),
	KTEST_CASE(affinity_info_matches_online),
	KTEST_CASE(cpu_on_twice_is_refused),
	KTEST_CASE(unknown_mpidr_is_invalid));
