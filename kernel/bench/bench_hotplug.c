/*
 * Hotplug figures for `bench`: offline and online of the highest CPU, on an
 * idle system and with two spinners per CPU, and how long the balancer
 * then takes to put work back on the CPU that came back.  Medians of a few
 * rounds; read under -icount (docs/benchmarks.md compares them with Linux).
 */
#include "bench.h"
#include "cpuhp.h"
#include "cpu_ops.h"
#include "kernel.h"
#include "kthread.h"
#include "smp.h"
#include "timer.h"
#include "wait.h"
#include "workloads.h"
#include "../sched/rq.h"

#define ROUNDS 5		/* the default; bench hotplug N takes N */
#define MAX_ROUNDS 64
#define SPINNERS_PER_CPU 2
#define REFILL_WAIT_MS 3000

static void print_us(const char *name, u64 ns)
{
	kprintf("%s_smp%u %lu.%03lu us\n", name, cpumask_weight(cpu_possible_mask), ns / 1000,
		ns % 1000);
}

/* Median time of cpu_down (down) or cpu_up of 'cpu' over 'rounds'; the
 * other operation runs in between, untimed.  0 if any failed. */
static u64 median_op(unsigned int cpu, bool down, int rounds)
{
	u64 t[MAX_ROUNDS];

	for (int r = 0; r < rounds; r++) {
		u64 t0;
		int err;

		if (down != cpu_online(cpu) && (down ? cpu_up(cpu) : cpu_down(cpu)))
			return 0;
		t0 = read_cntvct();
		err = down ? cpu_down(cpu) : cpu_up(cpu);
		t[r] = cycles_to_ns(read_cntvct() - t0);
		if (err)
			return 0;
	}
	bench_sort(t, rounds);
	return t[rounds / 2];
}

/* After 'cpu' came back under load: until it runs a spinner again. */
static u64 refill_ns(unsigned int cpu)
{
	u64 t0 = read_cntvct(), end = t0 + ns_to_cycles(REFILL_WAIT_MS * 1000000ULL);

	while (read_cntvct() < end) {
		if (READ_ONCE(cpu_rq(cpu)->nr_running) > 0)
			return cycles_to_ns(read_cntvct() - t0);
		msleep(1);
	}
	return 0;
}

/* rounds: operations per median, 1..MAX_ROUNDS (0: the default, 5). */
void bench_hotplug(int rounds)
{
	const struct workload *spin = find_workload("spin");
	struct task_struct *tasks[NR_CPUS * SPINNERS_PER_CPU];
	unsigned int cpu = 0, c, n = 0;
	u64 ns;

	for_each_online_cpu(c)
		if (c && cpu_ops[c] && cpu_ops[c]->cpu_die)
			cpu = c;
	if (!cpu) {
		kprintf("# no secondary CPU can go offline: no hotplug figures\n");
		return;
	}
	if (rounds <= 0 || rounds > MAX_ROUNDS)
		rounds = ROUNDS;
	print_us("hotplug_offline_idle", median_op(cpu, true, rounds));
	print_us("hotplug_online_idle", median_op(cpu, false, rounds));
	for (unsigned int i = 0; i < num_online_cpus() * SPINNERS_PER_CPU; i++) {
		tasks[n] = spawn_workload(spin, NULL, 0);
		if (tasks[n])
			n++;
	}
	msleep(50);
	print_us("hotplug_offline_busy", median_op(cpu, true, rounds));
	print_us("hotplug_online_busy", median_op(cpu, false, rounds));
	/* Down and up once more under load: the CPU comes back empty, and
	 * the balancer alone moves work onto it.  Time until it has some. */
	ns = cpu_down(cpu) ? 0 : (cpu_up(cpu) ? 0 : refill_ns(cpu));
	if (ns)
		print_us("hotplug_refill_busy", ns);
	else
		kprintf("# hotplug_refill_busy: CPU%u got no work back within %d ms\n", cpu, REFILL_WAIT_MS);
	for (unsigned int i = 0; i < n; i++)
		kthread_stop(tasks[i]);
}
