/*
 * Per-CPU kernel threads that follow their CPU through hotplug (Linux:
 * kernel/smpboot.c).  A thread is created the first time its CPU comes
 * online, parked (kthread_park, not killed) when the CPU goes down and
 * unparked when it comes back, so it keeps its identity, its pid and its
 * state across offline/online.  The stopper is the one per-CPU thread that
 * is special: it parks itself last, inside the takedown (kernel/cpuhp.c).
 */
#include "smpboot.h"
#include "cpu.h"
#include "kernel.h"
#include "kthread.h"
#include "smp.h"
#include "stop_machine.h"
#include "wait.h"
#include "sched/hotplug.h"

static LIST_HEAD(hotplug_threads);
static DEFINE_MUTEX(smpboot_lock);	/* the list, and the threads' creation */

static int smpboot_thread_fn(void *arg)
{
	struct smp_hotplug_thread *ht = arg;
	unsigned int cpu = smp_processor_id();

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			return 0;
		}
		if (kthread_should_park()) {
			__set_current_state(TASK_RUNNING);
			kthread_parkme();
			continue;
		}
		if (!ht->thread_should_run(cpu)) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		ht->thread_fn(cpu);
	}
}

/* Create (first time) or unpark ht's thread for cpu; smpboot_lock held. */
static int unpark_one(struct smp_hotplug_thread *ht, unsigned int cpu)
{
	struct task_struct *t = ht->tasks[cpu];
	char name[TASK_COMM_LEN];

	if (t) {
		kthread_unpark(t);
		return 0;
	}
	snprintf(name, sizeof(name), "%s/%u", ht->name, cpu);
	t = kthread_create_on_cpu(smpboot_thread_fn, ht, cpu, name);
	if (!t)
		return -ENOMEM;
	ht->tasks[cpu] = t;
	wake_up_process(t);
	return 0;
}

int smpboot_register_percpu_thread(struct smp_hotplug_thread *ht)
{
	unsigned int cpu;
	int ret = 0;

	cpus_read_lock();
	mutex_lock(&smpboot_lock);
	for_each_online_cpu(cpu) {
		ret = unpark_one(ht, cpu);
		if (ret)
			break;
	}
	if (!ret)
		list_add_tail(&ht->list, &hotplug_threads);
	mutex_unlock(&smpboot_lock);
	cpus_read_unlock();
	if (ret)
		smpboot_unregister_percpu_thread(ht);
	return ret;
}

void smpboot_unregister_percpu_thread(struct smp_hotplug_thread *ht)
{
	cpus_read_lock();
	mutex_lock(&smpboot_lock);
	if (!list_empty(&ht->list))
		list_del_init(&ht->list);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!ht->tasks[cpu])
			continue;
		kthread_stop(ht->tasks[cpu]);	/* unparks a parked one first */
		ht->tasks[cpu] = NULL;
	}
	mutex_unlock(&smpboot_lock);
	cpus_read_unlock();
}

int smpboot_unpark_threads(unsigned int cpu)
{
	struct smp_hotplug_thread *ht;
	int ret = 0;

	mutex_lock(&smpboot_lock);
	list_for_each_entry(ht, &hotplug_threads, list) {
		ret = unpark_one(ht, cpu);
		if (ret)
			break;
	}
	mutex_unlock(&smpboot_lock);
	return ret;
}

int smpboot_park_threads(unsigned int cpu)
{
	struct smp_hotplug_thread *ht;

	mutex_lock(&smpboot_lock);
	list_for_each_entry(ht, &hotplug_threads, list)
		if (ht->tasks[cpu])
			kthread_park(ht->tasks[cpu]);
	mutex_unlock(&smpboot_lock);
	return 0;
}
