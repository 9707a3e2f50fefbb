/*
 * Per-CPU threads that survive CPU hotplug by parking (kernel/smpboot.c;
 * Linux: include/linux/smpboot.h, same names).
 */
#ifndef RONDO_SMPBOOT_H
#define RONDO_SMPBOOT_H

#include "sched.h"

struct smp_hotplug_thread {
	const char *name;			/* threads are "name/cpu" */
	/* Called with the thread's state already TASK_INTERRUPTIBLE: true
	 * if thread_fn has work; false sends the thread to sleep until
	 * someone wakes ht->tasks[cpu]. */
	int (*thread_should_run)(unsigned int cpu);
	void (*thread_fn)(unsigned int cpu);	/* one piece of work */
	struct task_struct *tasks[NR_CPUS];	/* filled in by the core */
	struct list_head list;
};

/* Create the thread on every online CPU now and on every CPU that comes
 * online later.  Context: task, may sleep.  0 or -ENOMEM (then nothing is
 * left registered).  ht->list must be initialised (LIST_HEAD_INIT). */
int smpboot_register_percpu_thread(struct smp_hotplug_thread *ht);
/* Stop and free every thread of ht.  Context: task, may sleep. */
void smpboot_unregister_percpu_thread(struct smp_hotplug_thread *ht);

#endif
