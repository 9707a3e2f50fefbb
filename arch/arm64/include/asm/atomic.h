/*
 * Atomics on the compiler's builtins.  Built with -march=armv8-a and
 * -mno-outline-atomics they become LDXR/STXR loops (the Pi 4's Cortex-A72
 * has no LSE), which need the MMU and caches on: with the MMU off every
 * access is Device-nGnRnE, and on that core a store-exclusive to Device
 * memory may never succeed, so the loop spins for ever.  QEMU does not
 * model that, so the read-modify-write helpers (atomic_ops.h) and the
 * spinlocks (spinlock.h) first call exclusive_check(), which traps with
 * BRK #BRK_EXCLUSIVE_MMU_OFF when SCTLR_EL1.M or .C is clear; traps.c
 * turns that into "exclusive access with the MMU off at ...".  Plain loads
 * and stores (atomic_read/set, READ_ONCE, acquire/release) need no check.
 */
#ifndef ASM_ATOMIC_H
#define ASM_ATOMIC_H

#include "types.h"
#include "bitmap.h"
#include "sysreg.h"

#define BRK_EXCLUSIVE_MMU_OFF 0x4d0

/* Would LDXR/STXR work on this CPU with this SCTLR_EL1?  (A separate
 * function so that a test can ask about an SCTLR value it made up.) */
static inline bool exclusives_usable(u64 sctlr)
{
	return (sctlr & (SCTLR_M | SCTLR_C)) == (SCTLR_M | SCTLR_C);
}

static inline bool mmu_on_this_cpu(void)
{
	return exclusives_usable(read_sysreg(sctlr_el1));
}

static inline void exclusive_check_sctlr(u64 sctlr)
{
	if (unlikely(!exclusives_usable(sctlr)))
		__asm__ volatile("brk %0" :: "i"(BRK_EXCLUSIVE_MMU_OFF) : "memory");
}

/*
 * One MRS and a test-and-branch per atomic operation.  A per-CPU "MMU on"
 * flag would need TPIDR_EL1, which is not set up yet where the check
 * matters most (the start of start_kernel), and it would only say what
 * the kernel believes, not what the CPU does.
 */
static inline void exclusive_check(void)
{
	exclusive_check_sctlr(read_sysreg(sctlr_el1));
}

#include "atomic_ops.h"

#endif
