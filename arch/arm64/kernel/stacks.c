/*
 * Boot stacks: one slot per possible CPU (boot CPU = slot 0), each a guard
 * half plus a stack half (asm/stack.h).  They live in .stacks so that the
 * MMU code knows where the guards are.  The idle loop of a CPU keeps using
 * its boot stack.
 */
#include "types.h"
#include "asm/stack.h"

struct stack_slot boot_stacks[NR_CPUS] __section(".stacks");

/* Shared by whichever CPU overflows first (vectors.S). */
struct stack_slot overflow_stack __section(".stacks");
u32 overflow_stack_busy;
