/*
 * Kernel stacks for threads (mm/stack_alloc.c).  Each one gets a slot
 * in a virtual area of its own, laid out like the boot stacks
 * (asm/stack.h): a 32 KiB slot, lower half an unmapped guard, upper half
 * the stack, mapped to pages from the page allocator.  An overflow runs
 * into the guard and the exception entry reports it.
 */
#ifndef RONDO_STACK_ALLOC_H
#define RONDO_STACK_ALLOC_H

#include "types.h"
#include "asm/stack.h"

/* Above any RAM we expect and inside the 39-bit address space. */
#define STACK_AREA_BASE 0x6000000000UL
#define STACK_AREA_SLOTS 8192		/* 256 MiB of address space */
#define STACK_AREA_END (STACK_AREA_BASE + (u64)STACK_AREA_SLOTS * STACK_SLOT)

/* The top (initial SP) of a fresh, zeroed STACK_SIZE stack, or NULL. */
void *stack_alloc(void);
/* Unmap the stack everywhere, then free its pages and its slot. */
void stack_free(void *top);
/* Is 'addr' in the usable half of a boot stack or of a live stack from
 * stack_alloc?  (For backtraces: no fault when following it.) */
bool stack_addr_valid(u64 addr);

#endif
