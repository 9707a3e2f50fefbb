/*
 * The scheduler's and the per-CPU threads' part in CPU hotplug
 * (kernel/sched/hotplug.c, kernel/smpboot.c), called by the state machine
 * in kernel/cpuhp.c.  Each runs on the CPU driving the operation, as a
 * task that may sleep, with cpus_write_lock() held; each returns 0 or a
 * negative errno.
 */
#ifndef KERNEL_SCHED_HOTPLUG_H
#define KERNEL_SCHED_HOTPLUG_H

/* Boot, once every CPU is up: the first sched domains. */
int sched_init_domains(void);
/* CPUHP_AP_ACTIVE: the CPU joins / leaves cpu_active_mask and the domains. */
int sched_cpu_activate(unsigned int cpu);
int sched_cpu_deactivate(unsigned int cpu);
/* CPUHP_AP_SCHED_WAIT_EMPTY teardown: push every movable task away. */
int sched_cpu_wait_empty(unsigned int cpu);
/* CPUHP_SCHED_DEAD teardown: the CPU is off; its runqueue must be empty. */
int sched_cpu_dying(unsigned int cpu);
/* CPUHP_AP_SMPBOOT_THREADS: per-CPU threads (kernel/smpboot.c). */
int smpboot_unpark_threads(unsigned int cpu);
int smpboot_park_threads(unsigned int cpu);

#endif
