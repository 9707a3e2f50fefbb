/*
 * Workload threads for `spawn`: each counts its progress in
 * task->progress so `ps` and the tests can see who got CPU time.
 *   spin   - burns CPU, never sleeps (preemption alone shares the CPU)
 *   sleepy - sleeps 10 ms, runs briefly, repeats (wake-ups, placement)
 *   yield  - gives the CPU away after every loop (yield())
 */
#include "workloads.h"
#include "kernel.h"
#include "kthread.h"
#include "wait.h"

static int spin_fn(void *arg)
{
	(void)arg;
	while (!kthread_should_stop()) {
		for (int i = 0; i < 1000; i++)
			__asm__ volatile("" ::: "memory");
		WRITE_ONCE(current->progress, current->progress + 1);
	}
	return 0;
}

static int sleepy_fn(void *arg)
{
	(void)arg;
	while (!kthread_should_stop()) {
		msleep(10);
		WRITE_ONCE(current->progress, current->progress + 1);
	}
	return 0;
}

static int yield_fn(void *arg)
{
	(void)arg;
	while (!kthread_should_stop()) {
		WRITE_ONCE(current->progress, current->progress + 1);
		yield();
	}
	return 0;
}

static const struct workload workloads[] = {
	{ "spin", spin_fn },
	{ "sleepy", sleepy_fn },
	{ "yield", yield_fn },
};

const struct workload *find_workload(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(workloads); i++)
		if (!strcmp(workloads[i].name, name))
			return &workloads[i];
	return NULL;
}

bool is_workload_task(const struct task_struct *p)
{
	for (size_t i = 0; i < ARRAY_SIZE(workloads); i++)
		if (p->fn == workloads[i].fn)
			return true;
	return false;
}

struct task_struct *spawn_workload(const struct workload *w, const cpumask_t *cpus, int nice)
{
	struct task_struct *p = kthread_create(w->fn, NULL, w->name);

	if (!p)
		return NULL;
	if (cpus)
		cpumask_copy(&p->cpus_allowed, cpus);	/* not running yet: no move needed */
	set_user_nice(p, nice);
	wake_up_process(p);
	return p;
}
