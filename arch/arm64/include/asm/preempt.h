/*
 * Preemption count.  A task must not be switched out while it holds a
 * spinlock (another task on the same CPU could spin on it for ever), so
 * the lock functions count how many it holds; when the count drops to zero
 * and a reschedule is pending, the switch happens right there.
 *
 * The count is the running task's (thread_info, asm/thread_info.h), not
 * the CPU's: the increment is a plain load-add-store, and an interrupt
 * between the load and the store can preempt the task and move it to
 * another CPU.  With a per-task count the late store lands in the task's
 * own count, which nothing else changed meanwhile (interrupt handlers
 * leave it as they found it).  Whether a reschedule is pending is per CPU
 * (cpu_data.need_resched): it is about whatever that CPU runs.
 */
#ifndef ASM_PREEMPT_H
#define ASM_PREEMPT_H

#include "thread_info.h"
#include "percpu.h"
#include "irqflags.h"

/* What __schedule holds across a switch, and what a new task starts with
 * (dropped by schedule_tail), as Linux's FORK_PREEMPT_COUNT. */
#define PREEMPT_DISABLE_OFFSET 1
#define FORK_PREEMPT_COUNT PREEMPT_DISABLE_OFFSET

void preempt_schedule(void);

static inline int preempt_count(void)
{
	return *(volatile int *)&current_thread_info()->preempt_count;
}

static inline void preempt_disable(void)
{
	current_thread_info()->preempt_count++;
	__asm__ volatile("" ::: "memory");
}

static inline void preempt_enable_no_resched(void)
{
	__asm__ volatile("" ::: "memory");
	current_thread_info()->preempt_count--;
}

/* Once the count is zero we may already be on another CPU before we read
 * need_resched: then we may call preempt_schedule() for nothing, which
 * checks again with IRQs masked. */
static inline void preempt_enable(void)
{
	__asm__ volatile("" ::: "memory");
	if (--current_thread_info()->preempt_count == 0 &&
	    *(volatile int *)&this_cpu()->need_resched && !irqs_disabled())
		preempt_schedule();
}

#endif
