/*
 * `crash`: make the kernel fail on purpose, to see (and test) what a
 * report looks like.  Like Linux's sysrq-c, it is for teaching and for the
 * test suite; every variant ends in panic.
 */
#include "shell.h"
#include "kernel.h"
#include "asm/atomic.h"

static u64 unmapped_addr = 0x7ff0000000UL;	/* above RAM and devices */

static u64 recursion_limit = ~0UL;	/* never reached in practice */

static u64 __attribute__((noinline)) recurse(u64 depth)
{
	volatile u8 pad[512];

	pad[0] = (u8)depth;
	if (depth == READ_ONCE(recursion_limit))
		return 0;
	/* Used after the call, so this is not a tail call. */
	return recurse(depth + 1) + pad[0];
}

static int cmd_crash(int argc, char **argv)
{
	if (argc != 2)
		goto usage;
	if (!strcmp(argv[1], "null")) {
		kprintf("crash: reading unmapped address 0x%lx\n", unmapped_addr);
		return (int)*(volatile u64 *)READ_ONCE(unmapped_addr);
	}
	if (!strcmp(argv[1], "undef")) {
		kprintf("crash: executing an undefined instruction\n");
		__asm__ volatile("udf #0");
		return 0;
	}
	if (!strcmp(argv[1], "overflow")) {
		kprintf("crash: recursing until the stack overflows\n");
		return (int)recurse(0);
	}
	if (!strcmp(argv[1], "panic"))
		panic("requested from the shell");
usage:
	kprintf("usage: crash null|undef|overflow|panic\n");
	return -EINVAL;
}
SHELL_CMD(crash, cmd_crash, "null|undef|overflow|panic", "crash on purpose to show the reports");
