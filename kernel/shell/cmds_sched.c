/* Shell commands for tasks: ps, spawn, kill, taskset, nice, top. */
#include "shell.h"
#include "console.h"
#include "kernel.h"
#include "kthread.h"
#include "smp.h"
#include "wait.h"
#include "workloads.h"
#include "../sched/rq.h"
#include "../sched/pelt.h"

static void ps_line(struct task_struct *p, void *arg)
{
	char aff[64];

	(void)arg;
	cpumask_print_list(aff, sizeof(aff), &p->cpus_allowed);
	kprintf("%5d %3u %-9s %-8s %4d %9lu %6lu %10lu %s\n", p->pid, task_cpu(p),
		task_state_name(p), aff, p->nice, p->nr_switches, p->nr_migrations,
		p->progress, p->comm);
}

static int cmd_ps(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		kprintf("usage: ps\n");
		return -EINVAL;
	}
	kprintf("%5s %3s %-9s %-8s %4s %9s %6s %10s %s\n", "PID", "CPU", "STATE", "AFFINITY",
		"NICE", "SWITCHES", "MIGR", "PROGRESS", "NAME");
	for_each_task(ps_line, NULL);
	return 0;
}
SHELL_CMD(ps, cmd_ps, "", "one line per task: pid cpu state affinity nice switches migrations progress name");

static int parse_pid(const char *s, struct task_struct **out)
{
	long pid;

	if (kstrtol(s, 10, &pid) || pid <= 0) {
		kprintf("error: '%s' is not a pid\n", s);
		return -EINVAL;
	}
	*out = find_get_task_by_pid((int)pid);
	if (!*out) {
		kprintf("error: no task with pid %ld\n", pid);
		return -ESRCH;
	}
	return 0;
}

static int parse_cpulist(const char *s, cpumask_t *m)
{
	int err = cpulist_parse(s, m);

	if (err)
		kprintf("error: '%s' is not a CPU list (like 0-3,5)%s\n", s,
			err == -ERANGE ? ": CPU number too large" : "");
	return err;
}

static int parse_nice(const char *s, int *nice)
{
	long v;

	if (kstrtol(s, 10, &v) || v < NICE_MIN || v > NICE_MAX) {
		kprintf("error: nice must be a number from %d to %d\n", NICE_MIN, NICE_MAX);
		return -EINVAL;
	}
	*nice = (int)v;
	return 0;
}

static int cmd_spawn(int argc, char **argv)
{
	const struct workload *w;
	cpumask_t cpus, *cpusp = NULL;
	unsigned long n;
	int nice = 0;

	if (argc < 3 || kstrtoul(argv[1], 10, &n) || n < 1 || n > 256)
		goto usage;
	w = find_workload(argv[2]);
	if (!w) {
		kprintf("error: unknown workload '%s' (spin, sleepy or yield)\n", argv[2]);
		return -EINVAL;
	}
	for (int i = 3; i < argc; i += 2) {
		if (i + 1 >= argc)
			goto usage;
		if (!strcmp(argv[i], "--cpus")) {
			if (parse_cpulist(argv[i + 1], &cpus))
				return -EINVAL;
			if (!cpumask_intersects(&cpus, cpu_active_mask)) {
				kprintf("error: no active CPU in %s\n", argv[i + 1]);
				return -EINVAL;
			}
			cpusp = &cpus;
		} else if (!strcmp(argv[i], "--nice")) {
			if (parse_nice(argv[i + 1], &nice))
				return -EINVAL;
		} else {
			goto usage;
		}
	}
	for (unsigned long i = 0; i < n; i++) {
		struct task_struct *p = spawn_workload(w, cpusp, nice);

		if (!p) {
			kprintf("error: out of memory after %lu tasks\n", i);
			return -ENOMEM;
		}
		kprintf("spawned %d %s\n", p->pid, p->comm);
		put_task_struct(p);	/* it runs on its own; kill finds it by pid */
	}
	return 0;
usage:
	kprintf("usage: spawn N spin|sleepy|yield [--cpus LIST] [--nice N]\n");
	return -EINVAL;
}
SHELL_CMD(spawn, cmd_spawn, "N spin|sleepy|yield [--cpus L] [--nice N]", "start workload threads");

static int cmd_kill(int argc, char **argv)
{
	struct task_struct *p;
	int err, pid;

	if (argc != 2) {
		kprintf("usage: kill PID\n");
		return -EINVAL;
	}
	err = parse_pid(argv[1], &p);
	if (err)
		return err;
	if (p->flags & (PF_NO_SETAFFINITY | PF_IDLE) || p == current || !p->kthread) {
		kprintf("error: task %d (%s) is a system thread and cannot be killed\n", p->pid, p->comm);
		put_task_struct(p);
		return -EPERM;
	}
	pid = p->pid;
	kthread_stop(p);	/* drops the reference parse_pid took */
	kprintf("killed %d\n", pid);
	return 0;
}
SHELL_CMD(kill, cmd_kill, "PID", "stop a task");

/* `taskset all LIST`: every workload task (started by spawn). */
struct task_batch {
	struct task_struct *tasks[256];
	unsigned int n;
};

static void collect_workload(struct task_struct *p, void *arg)
{
	struct task_batch *b = arg;

	if (b->n < ARRAY_SIZE(b->tasks) && is_workload_task(p) && !(READ_ONCE(p->state) & TASK_DEAD)) {
		get_task_struct(p);
		b->tasks[b->n++] = p;
	}
}

static int taskset_all(const cpumask_t *mask, const char *list)
{
	static struct task_batch batch;	/* the shell runs one command at a time */
	unsigned int changed = 0;
	int err = 0;

	if (!cpumask_intersects(mask, cpu_active_mask)) {
		kprintf("error: %s: no active CPU in that list\n", list);
		return -EINVAL;
	}
	batch.n = 0;
	for_each_task(collect_workload, &batch);
	/* As close together as we can: the balancer sees one change. */
	for (unsigned int i = 0; i < batch.n; i++) {
		int e = set_cpus_allowed_ptr(batch.tasks[i], mask);

		if (e && !err)
			err = e;
		changed += !e;
		put_task_struct(batch.tasks[i]);
	}
	kprintf("taskset: %u workload task%s now on %s\n", changed, changed == 1 ? "" : "s", list);
	return err;
}

static int cmd_taskset(int argc, char **argv)
{
	struct task_struct *p;
	cpumask_t mask;
	int err;

	if (argc != 3) {
		kprintf("usage: taskset PID|all LIST\n");
		return -EINVAL;
	}
	if (parse_cpulist(argv[2], &mask))
		return -EINVAL;
	if (!strcmp(argv[1], "all"))
		return taskset_all(&mask, argv[2]);
	err = parse_pid(argv[1], &p);
	if (err)
		return err;
	err = set_cpus_allowed_ptr(p, &mask);
	if (err == -EINVAL)
		kprintf("error: %s: %s\n", argv[2], (p->flags & PF_NO_SETAFFINITY)
			? "this task is bound to its CPU" : "no active CPU in that list");
	put_task_struct(p);
	return err;
}
SHELL_CMD(taskset, cmd_taskset, "PID|all LIST",
	  "set a task's (all: every spawned task's) allowed CPUs, moving it if needed");

static int cmd_nice(int argc, char **argv)
{
	struct task_struct *p;
	int nice, err;

	if (argc != 3) {
		kprintf("usage: nice PID N\n");
		return -EINVAL;
	}
	if (parse_nice(argv[2], &nice))
		return -EINVAL;
	err = parse_pid(argv[1], &p);
	if (err)
		return err;
	err = set_user_nice(p, nice);
	if (err)
		kprintf("error: task %d (%s) has no nice level\n", p->pid, p->comm);
	put_task_struct(p);
	return err;
}
SHELL_CMD(nice, cmd_nice, "PID N", "set a task's nice level (-20..19)");

/* Busy% over a window: the idle task's run time is the CPU's idle time.
 * 'redraw': start the frame with ANSI "cursor home, erase below". */
static void top_once(unsigned int window_ms, bool redraw)
{
	static u64 idle0[NR_CPUS];
	unsigned int cpu;
	u64 t0, span;

	for_each_possible_cpu(cpu)
		idle0[cpu] = sched_idle_time_ns(cpu);
	t0 = sched_clock();
	msleep(window_ms);
	span = sched_clock() - t0;
	if (redraw)
		kprintf("\033[H\033[J(press any key to stop)\n");
	/* LOAD and UTIL: PELT's cpu_load() (weights) and cpu_util() (0..1024). */
	kprintf("%-4s %-8s %10s %6s %-20s %6s %5s\n", "CPU", "STATE", "NR_RUNNING", "BUSY%",
		"CURRENT", "LOAD", "UTIL");
	for_each_possible_cpu(cpu) {
		struct rq *rq = cpu_rq(cpu);
		u64 idle = sched_idle_time_ns(cpu) - idle0[cpu];
		u64 busy = cpu_online(cpu) && idle < span ? (span - idle) * 100 / span : 0;
		char comm[TASK_COMM_LEN], cur[32];
		unsigned long flags;
		int pid;

		/* Under the runqueue lock: rq->curr cannot switch out (and, if
		 * it was exiting, be freed) while we copy its name. */
		flags = local_irq_save();
		arch_spin_lock(&rq->lock);
		pid = rq->curr->pid;
		memcpy(comm, rq->curr->comm, sizeof(comm));
		arch_spin_unlock(&rq->lock);
		local_irq_restore(flags);
		snprintf(cur, sizeof(cur), "%d:%s", pid, comm);
		kprintf("%-4u %-8s %10u %5lu%% %-20s %6lu %5lu\n", cpu,
			cpu_active(cpu) ? "active" : cpu_online(cpu) ? "online" : "offline",
			READ_ONCE(rq->nr_running), busy, cur, cpu_load(cpu), cpu_util(cpu));
	}
}

static int cmd_top(int argc, char **argv)
{
	bool once = argc == 3 && !strcmp(argv[1], "-n") && !strcmp(argv[2], "1");

	if (argc != 1 && !once) {
		kprintf("usage: top [-n 1]\n");
		return -EINVAL;
	}
	if (once) {
		top_once(200, false);
		return 0;
	}
	/* Like top(1): each frame redraws the screen in place (ANSI "cursor
	 * home, erase below"); -n 1 prints one plain frame for scripts. */
	while (console_getc_nowait() < 0)
		top_once(1000, true);
	return 0;
}
SHELL_CMD(top, cmd_top, "[-n 1]", "per-CPU tasks, busy%, current task, PELT load and util; every second until a key");
