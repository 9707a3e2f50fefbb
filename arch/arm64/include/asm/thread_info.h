/*
 * The part of a task that the lowest layers need without knowing struct
 * task_struct: its preemption count.  As on Linux/arm64 it sits at the
 * start of the task (include/sched.h puts it first), and SP_EL0 holds the
 * running task, so the count of whoever runs is one register read away
 * and travels with the task when it is switched out or moved.
 */
#ifndef ASM_THREAD_INFO_H
#define ASM_THREAD_INFO_H

/* Offset of task_struct.ctx (switch.S); checked in kernel/sched/core.c. */
#define TASK_CTX_OFFSET 8

#ifndef __ASSEMBLER__
#include "types.h"

struct thread_info {
	int preempt_count;	/* > 0: this task must not be switched out */
	int __reserved;		/* keeps ctx 8-byte aligned at TASK_CTX_OFFSET */
};

/* Valid on every CPU from its first C instruction on: init_cpu_task()
 * points SP_EL0 at the CPU's idle task before anything takes a lock. */
static inline struct thread_info *current_thread_info(void)
{
	struct thread_info *ti;

	__asm__ volatile("mrs %0, sp_el0" : "=r"(ti));
	return ti;
}
#endif

#endif
