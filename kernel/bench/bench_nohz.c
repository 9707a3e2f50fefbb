/*
 * `bench` figure for tickless idle: the ticks an idle CPU takes per
 * second, with NOHZ on and with it off (switched at run time, so both come
 * from one boot).  The other CPUs are idle while we sleep; ours is not
 * counted (its timer wakes it).
 */
#include "bench.h"
#include "kernel.h"
#include "smp.h"
#include "timer.h"
#include "wait.h"
#include "../sched/balance.h"

#define WINDOW_MS 500

/* Ticks per second per idle CPU, in tenths; 0 with one CPU. */
u64 bench_idle_ticks_per_s_x10(bool nohz)
{
	static u64 before[NR_CPUS];
	bool was = tick_nohz_enabled();
	unsigned int cpu, self, n = 0;
	u64 sum = 0;

	tick_nohz_set_enabled(nohz);
	msleep(50);	/* every idle CPU has switched mode */
	self = smp_processor_id();
	for_each_online_cpu(cpu)
		before[cpu] = READ_ONCE(cpu_data[cpu].ticks);
	msleep(WINDOW_MS);
	for_each_online_cpu(cpu) {
		/* Our CPU: where we slept (we may have moved meanwhile). */
		if (cpu == self || cpu == smp_processor_id())
			continue;
		sum += READ_ONCE(cpu_data[cpu].ticks) - before[cpu];
		n++;
	}
	tick_nohz_set_enabled(was);
	return n ? sum * 10 * 1000 / WINDOW_MS / n : 0;
}
