/* Kernel threads (kernel/kthread.c), with Linux's names and semantics. */
#ifndef RONDO_KTHREAD_H
#define RONDO_KTHREAD_H

#include "sched.h"

/* A new thread, not yet running: wake_up_process() starts it.  The caller
 * holds a reference, dropped by kthread_stop() or put_task_struct(). */
struct task_struct *kthread_create(int (*fn)(void *), void *arg, const char *name);
/* Bound to one CPU for its whole life (per-CPU threads such as stoppers). */
struct task_struct *kthread_create_on_cpu(int (*fn)(void *), void *arg, unsigned int cpu,
					  const char *name);
struct task_struct *kthread_run(int (*fn)(void *), void *arg, const char *name);

/* Ask the thread to stop, wait for it to return; its return value, or
 * -EINTR if it was stopped before it ever ran (its fn is never called).
 * Contracts in full at the definitions (kernel/kthread.c). */
int kthread_stop(struct task_struct *p);
bool kthread_should_stop(void);
bool kthread_should_park(void);
/* Park: the thread stops in kthread_parkme() until unparked.  0 once it is
 * parked and off its CPU; -EBUSY if already parked, -ESRCH if it exited. */
int kthread_park(struct task_struct *p);
void kthread_unpark(struct task_struct *p);
void kthread_parkme(void);
void __noreturn kthread_exit(int code);

#endif
