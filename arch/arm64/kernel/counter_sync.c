/*
 * Is the counter of a CPU that comes up in step with everyone else's?
 * Every CPU reads CNTVCT_EL0 through its own CNTVOFF_EL2, which firmware
 * (or our own EL2 drop) sets per CPU; one CPU whose offset differs has a
 * clock that runs behind or ahead, and everything that compares times
 * across CPUs (timers moved by hotplug, the scheduler clock of a task
 * that migrates) quietly goes wrong.  x86 checks its TSC the same way when
 * a CPU comes up (check_tsc_sync_source/target).
 *
 * The check needs the other CPUs quiet: each CPU in turn reads its counter
 * and compares it with the reading of the CPU before it, which must not be
 * later.  An interrupt between two turns would only add time, but a CPU
 * that is not in the round at all could hold a turn up forever; so the
 * round runs under stop_machine, every CPU with IRQs masked.  The CPU
 * coming up is online but not active and cannot sleep, hence
 * stop_machine_from_inactive_cpu() (kernel/stop_machine.c).
 */
#include "counter_sync.h"
#include "cpuhp.h"
#include "kernel.h"
#include "smp.h"
#include "stop_machine.h"
#include "asm/atomic.h"
#include "asm/sysreg.h"

#define ROUNDS 2	/* two passes in CPU order catch a CPU behind any other */

static struct {
	int turn;			/* whose turn it is, counting every pass */
	unsigned int order[NR_CPUS];	/* CPUs in the round, ascending */
	unsigned int n;
	u64 last;			/* the previous turn's reading */
	unsigned int last_cpu;
	int behind_cpu, ahead_cpu;	/* a pair found out of step, or -1 */
	u64 lag;
} sync;

struct counter_sync_stats counter_sync_stats;

static int my_slot(void)
{
	for (unsigned int i = 0; i < sync.n; i++)
		if (sync.order[i] == smp_processor_id())
			return (int)i;
	return -1;
}

static int counter_sync_round(void *arg)
{
	int slot = my_slot();

	(void)arg;
	if (slot < 0)
		return -EINVAL;
	for (int pass = 0; pass < ROUNDS; pass++) {
		int mine = pass * (int)sync.n + slot;
		u64 now;

		/* Acquire: the previous turn's reading is seen; pairs with
		 * the release that handed us the turn. */
		while (smp_load_acquire(&sync.turn) != mine)
			cpuhp_spin_relax();
		now = read_cntvct();
		if (mine > 0 && now < sync.last && sync.behind_cpu < 0) {
			sync.behind_cpu = (int)smp_processor_id();
			sync.ahead_cpu = (int)sync.last_cpu;
			sync.lag = sync.last - now;
		}
		sync.last = now;
		sync.last_cpu = smp_processor_id();
		smp_store_release(&sync.turn, mine + 1);
	}
	return 0;
}

/* Context: the CPU coming up, online, not active, IRQs masked. */
int counter_sync_check(unsigned int cpu)
{
	unsigned int c;
	int ret;

	sync.n = 0;
	for_each_online_cpu(c)
		sync.order[sync.n++] = c;
	sync.turn = 0;
	sync.behind_cpu = sync.ahead_cpu = -1;
	ret = stop_machine_from_inactive_cpu(counter_sync_round, NULL, cpu_online_mask);
	counter_sync_stats.checks++;
	counter_sync_stats.cpus_in_last = sync.n;
	if (ret) {
		printk("counter: cannot check CPU%u against the others (%d)\n", cpu, ret);
		return ret;
	}
	if (sync.behind_cpu >= 0) {
		counter_sync_stats.out_of_step++;
		printk("counter: CPU%d reads %lu cycles behind CPU%d: the CPUs' clocks are not in step (CNTVOFF_EL2?)\n",
		       sync.behind_cpu, sync.lag, sync.ahead_cpu);
	}
	return 0;	/* a warning, as on x86: the CPU still comes up */
}
