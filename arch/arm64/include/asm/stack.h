/*
 * Kernel stacks.  Every stack lives in a slot of STACK_SLOT bytes aligned
 * to STACK_SLOT: the lower half is a guard that is left unmapped, the upper
 * half is the stack.  So an address in a stack has bit STACK_GUARD_BIT set
 * and one in its guard has it clear, which lets the exception entry code
 * spot an overflow with a single TBZ before it pushes anything.
 */
#ifndef ASM_STACK_H
#define ASM_STACK_H

#define STACK_SIZE 16384
#define STACK_SLOT (2 * STACK_SIZE)
#define STACK_GUARD_BIT 14	/* log2(STACK_SIZE) */

#ifndef __ASSEMBLER__
#include "types.h"

struct stack_slot {
	u8 guard[STACK_SIZE];
	u8 stack[STACK_SIZE];
} __aligned(STACK_SLOT);

static inline bool addr_in_guard(u64 addr)
{
	return !(addr & (1UL << STACK_GUARD_BIT));
}

/* Bounds of the usable stack that contains 'sp'. */
static inline u64 stack_base_of(u64 sp) { return (sp & ~(u64)(STACK_SLOT - 1)) + STACK_SIZE; }
static inline u64 stack_top_of(u64 sp) { return (sp & ~(u64)(STACK_SLOT - 1)) + STACK_SLOT; }
#endif

#endif
