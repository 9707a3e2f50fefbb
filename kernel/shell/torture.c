/*
 * `torture hotplug OPS [SEED]`: random offline/online of random CPUs while
 * workload tasks run and a thread keeps changing their affinities (Linux:
 * rcutorture's onoff, kernel/torture.c).  Prints what it tried, what
 * worked, the time of each kind, and checks at the end that every task is
 * alive and moved on during the run.
 */
#include "shell.h"
#include "cpu_ops.h"
#include "cpuhp.h"
#include "kernel.h"
#include "kthread.h"
#include "smp.h"
#include "timer.h"
#include "wait.h"
#include "workloads.h"
#include "../bench/bench.h"

#define TORTURE_TASKS_PER_CPU 2
#define TORTURE_MAX_TASKS 64
#define TORTURE_MAX_OPS 10000

static struct torture {
	struct task_struct *tasks[TORTURE_MAX_TASKS];
	u64 progress0[TORTURE_MAX_TASKS];
	unsigned int nr_tasks;
	u64 seed;
	bool stop_shuffle;
	u64 shuffles;
	u64 down_ns[TORTURE_MAX_OPS], up_ns[TORTURE_MAX_OPS];
	unsigned int downs, ups, down_tries, up_tries;
} T;

static u64 next_rand(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Any non-empty subset of the possible CPUs: tasks whose whole mask goes
 * offline exercise select_fallback_rq too. */
static void random_mask(cpumask_t *m, u64 *seed)
{
	unsigned int cpu;

	cpumask_clear(m);
	while (cpumask_empty(m))
		for_each_possible_cpu(cpu)
			if (next_rand(seed) % 3 == 0)
				cpumask_set_cpu(cpu, m);
}

static int shuffler_fn(void *arg)
{
	u64 seed = T.seed ^ 0xabcdef;

	while (!READ_ONCE(T.stop_shuffle)) {
		cpumask_t m;

		random_mask(&m, &seed);
		if (set_cpus_allowed_ptr(T.tasks[next_rand(&seed) % T.nr_tasks], &m) == 0)
			T.shuffles++;
		msleep(2);
	}
	return 0;
}

static void start_tasks(void)
{
	const struct workload *spin = find_workload("spin"), *sleepy = find_workload("sleepy");
	unsigned int n = num_online_cpus() * TORTURE_TASKS_PER_CPU;

	T.nr_tasks = 0;
	for (unsigned int i = 0; i < n && i < TORTURE_MAX_TASKS; i++) {
		struct task_struct *p = spawn_workload(i % 2 ? sleepy : spin, NULL, 0);

		if (!p)
			break;
		T.tasks[T.nr_tasks++] = p;
	}
}

static void print_times(const char *what, u64 *ns, unsigned int n, unsigned int tries)
{
	if (!n) {
		kprintf("%-8s %u tried, 0 done\n", what, tries);
		return;
	}
	bench_sort(ns, (int)n);
	kprintf("%-8s %u tried, %u done, min %lu us, median %lu us, max %lu us\n", what, tries, n,
		ns[0] / 1000, ns[n / 2] / 1000, ns[n - 1] / 1000);
}

static void one_op(unsigned int cpu)
{
	u64 t0 = read_cntvct();

	if (cpu_online(cpu)) {
		T.down_tries++;
		if (cpu_down(cpu) == 0 && T.downs < TORTURE_MAX_OPS)
			T.down_ns[T.downs++] = cycles_to_ns(read_cntvct() - t0);
	} else {
		T.up_tries++;
		if (cpu_up(cpu) == 0 && T.ups < TORTURE_MAX_OPS)
			T.up_ns[T.ups++] = cycles_to_ns(read_cntvct() - t0);
	}
}

/* Every task alive and moved on since the start (sleepers too: they wake
 * every 10 ms).  Returns how many did not. */
static unsigned int check_tasks(void)
{
	unsigned int bad = 0;

	msleep(100);	/* time for the last moved tasks to run once more */
	for (unsigned int i = 0; i < T.nr_tasks; i++) {
		struct task_struct *p = T.tasks[i];

		if (READ_ONCE(p->state) == TASK_DEAD || READ_ONCE(p->progress) <= T.progress0[i]) {
			kprintf("torture: task %d (%s) %s\n", p->pid, p->comm,
				READ_ONCE(p->state) == TASK_DEAD ? "is dead" : "made no progress");
			bad++;
		}
	}
	return bad;
}

static int torture_hotplug(unsigned int ops, u64 seed)
{
	unsigned int cpus[NR_CPUS], n = 0, cpu, bad;
	struct task_struct *shuffler;
	cpumask_t before;

	for_each_online_cpu(cpu)
		if (cpu_ops[cpu] && cpu_ops[cpu]->cpu_die)
			cpus[n++] = cpu;
	if (n < 2) {
		kprintf("torture: needs two CPUs that can go offline\n");
		return -EINVAL;
	}
	memset(&T, 0, sizeof(T));
	T.seed = seed ? seed : 1;
	cpumask_copy(&before, cpu_online_mask);
	start_tasks();
	shuffler = kthread_run(shuffler_fn, NULL, "torture-shuffle");
	for (unsigned int i = 0; i < T.nr_tasks; i++)
		T.progress0[i] = READ_ONCE(T.tasks[i]->progress);
	for (unsigned int i = 0; i < ops; i++)
		one_op(cpus[next_rand(&T.seed) % n]);
	WRITE_ONCE(T.stop_shuffle, true);
	if (shuffler)
		kthread_stop(shuffler);
	for_each_cpu(cpu, &before)
		if (!cpu_online(cpu))
			one_op(cpu);
	print_times("offline", T.down_ns, T.downs, T.down_tries);
	print_times("online", T.up_ns, T.ups, T.up_tries);
	kprintf("affinity changes: %lu\n", T.shuffles);
	bad = check_tasks();
	for (unsigned int i = 0; i < T.nr_tasks; i++)
		kthread_stop(T.tasks[i]);
	kprintf("torture: %u tasks, %u lost or stuck: %s\n", T.nr_tasks, bad, bad ? "FAIL" : "PASS");
	return bad ? -EIO : 0;
}

static int cmd_torture(int argc, char **argv)
{
	unsigned long ops, seed = 1;

	if (argc < 3 || argc > 4 || strcmp(argv[1], "hotplug") || kstrtoul(argv[2], 10, &ops) ||
	    !ops || ops > TORTURE_MAX_OPS || (argc == 4 && kstrtoul(argv[3], 0, &seed))) {
		kprintf("usage: torture hotplug OPS [SEED]   (OPS 1..%d)\n", TORTURE_MAX_OPS);
		return -EINVAL;
	}
	return torture_hotplug((unsigned int)ops, seed);
}
SHELL_CMD(torture, cmd_torture, "hotplug OPS [SEED]", "random offline/online under load, then check every task");
