/*
 * Task switch.  Only the callee-saved registers, the frame pointer, SP and
 * the return address need saving: everything else is dead across a call
 * to cpu_switch_to(), by the procedure call standard.  The interrupted
 * state of a preempted task is already in its pt_regs frame on its stack.
 */
#include "asm/asm.h"
#include "asm/thread_info.h"

#define CTX TASK_CTX_OFFSET

/* struct task_struct *cpu_switch_to(prev, next): returns, in next, the
 * task that switched to it (prev, from next's point of view). */
ENTRY(cpu_switch_to)
	mov	x9, sp
	stp	x19, x20, [x0, #CTX + 0]
	stp	x21, x22, [x0, #CTX + 16]
	stp	x23, x24, [x0, #CTX + 32]
	stp	x25, x26, [x0, #CTX + 48]
	stp	x27, x28, [x0, #CTX + 64]
	stp	x29, x9, [x0, #CTX + 80]
	str	x30, [x0, #CTX + 96]
	ldp	x19, x20, [x1, #CTX + 0]
	ldp	x21, x22, [x1, #CTX + 16]
	ldp	x23, x24, [x1, #CTX + 32]
	ldp	x25, x26, [x1, #CTX + 48]
	ldp	x27, x28, [x1, #CTX + 64]
	ldp	x29, x9, [x1, #CTX + 80]
	ldr	x30, [x1, #CTX + 96]
	mov	sp, x9
	msr	sp_el0, x1		/* current = next */
	ret
END(cpu_switch_to)

/* A new task's first instructions: x0 = the task we switched from.  It
 * starts with FORK_PREEMPT_COUNT, which schedule_tail drops. */
ENTRY(ret_from_fork)
	bl	schedule_tail
	bl	kthread_main		/* runs fn(arg), never returns */
1:	b	1b
END(ret_from_fork)
