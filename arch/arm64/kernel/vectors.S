/*
 * Exception vectors.  The kernel runs at EL1 on SP_EL1, so only the
 * "current EL with SPx" group is expected; anything else is reported.
 *
 * Entry checks for a stack overflow before it pushes the frame: stacks sit
 * in the upper half of a naturally aligned slot whose lower half is an
 * unmapped guard (asm/stack.h), so bit STACK_GUARD_BIT of SP says which
 * half we are in.  On overflow we move to a shared emergency stack, since
 * the guard cannot hold the frame.
 */
#include "asm/asm.h"
#include "asm/ptregs.h"
#include "asm/stack.h"

.macro kernel_entry, kind
	sub	sp, sp, #S_FRAME_SIZE
	msr	tpidrro_el0, x0		/* scratch: no EL0 exists here */
	mov	x0, sp
	tbnz	x0, #STACK_GUARD_BIT, 1f
	/* Overflow: x0 = the faulting SP; everything but x0 is intact. */
	b	stack_overflow_entry
1:	mrs	x0, tpidrro_el0
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x21, sp, #S_FRAME_SIZE
	stp	x30, x21, [sp, #S_LR]	/* lr, sp before the exception */
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	x22, x23, [sp, #S_PC]
	mrs	x24, esr_el1
	mrs	x25, far_el1
	stp	x24, x25, [sp, #S_ESR]
	/* A frame record so backtraces walk through the exception. */
	mov	x29, sp
	mov	x0, sp
	mov	x1, #\kind
.endm

.macro kernel_exit
	ldp	x22, x23, [sp, #S_PC]
	msr	elr_el1, x22
	msr	spsr_el1, x23
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #S_LR]
	add	sp, sp, #S_FRAME_SIZE
	eret
.endm

/* Vector kinds, passed to the C handlers in x1 (see traps.c). */
#define VK_SYNC 0
#define VK_IRQ 1
#define VK_FIQ 2
#define VK_SERROR 3
#define VK_BAD 4

.macro ventry, target
	.balign 0x80
	b	\target
.endm

	.section ".text.vectors", "ax"
	.balign 0x800
	.globl vectors
vectors:
	ventry	el1t_bad		/* current EL, SP_EL0: never used */
	ventry	el1t_bad
	ventry	el1t_bad
	ventry	el1t_bad
	ventry	el1h_sync		/* current EL, SP_EL1 */
	ventry	el1h_irq
	ventry	el1h_fiq
	ventry	el1h_serror
	ventry	el0_bad			/* lower EL: nothing runs there */
	ventry	el0_bad
	ventry	el0_bad
	ventry	el0_bad
	ventry	el0_bad
	ventry	el0_bad
	ventry	el0_bad
	ventry	el0_bad

	.text
el1h_sync:
	kernel_entry VK_SYNC
	bl	el1_sync_handler
	kernel_exit

el1h_irq:
	kernel_entry VK_IRQ
	bl	el1_irq_handler
	kernel_exit

el1h_fiq:
	kernel_entry VK_FIQ
	bl	bad_exception
	kernel_exit

el1h_serror:
	kernel_entry VK_SERROR
	bl	bad_exception
	kernel_exit

el1t_bad:
	kernel_entry VK_BAD
	bl	bad_exception
	kernel_exit

el0_bad:
	kernel_entry VK_BAD
	bl	bad_exception
	kernel_exit

/*
 * The stack overflowed into its guard.  Take the emergency stack (one for
 * the whole system: whoever gets it reports and panics; a second CPU that
 * overflows at the same time waits here forever).
 */
stack_overflow_entry:
	adr_l	x0, overflow_stack_busy
1:	ldaxr	w1, [x0]
	cbnz	w1, 1b
	mov	w1, #1
	stxr	w2, w1, [x0]
	cbnz	w2, 1b
	mov	x1, sp			/* the bad SP */
	adr_l	x0, overflow_stack
	add	x0, x0, #STACK_SLOT
	mov	sp, x0
	mov	x0, x1
	mrs	x1, elr_el1
	mrs	x2, esr_el1
	mrs	x3, far_el1
	bl	handle_stack_overflow	/* does not return */
2:	wfe
	b	2b

/* longjmp-style return used by the test harness after an exception or a
 * watchdog expiry: x0 = jump buffer (see kernel/ktest.c). */
ENTRY(ktest_longjmp)
	ldp	x19, x20, [x0, #0]
	ldp	x21, x22, [x0, #16]
	ldp	x23, x24, [x0, #32]
	ldp	x25, x26, [x0, #48]
	ldp	x27, x28, [x0, #64]
	ldp	x29, x30, [x0, #80]
	ldr	x2, [x0, #96]
	mov	sp, x2
	mov	x0, #1
	ret
END(ktest_longjmp)

/* Returns 0 now, 1 when ktest_longjmp comes back here. */
ENTRY(ktest_setjmp)
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x2, sp
	str	x2, [x0, #96]
	mov	x0, #0
	ret
END(ktest_setjmp)
