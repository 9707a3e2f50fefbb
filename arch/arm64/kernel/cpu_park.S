/*
 * The kernel's own holding loop for spin-table CPUs.
 *
 * A spin-table CPU cannot be switched off: it can only wait.  The stock
 * firmware's loop is gone once we have released the CPU, so to take a CPU
 * out of service we park it in a loop of ours that works the same way:
 * with the MMU and caches off, wait in WFE for a non-zero entry address in
 * its cpu-release-addr, then jump there (secondary_entry).  Releasing it
 * again is therefore exactly the first release: write the entry, clean it
 * to memory, SEV (cpu_ops.c spin_table_boot).
 *
 * Leaving the caches is the delicate part.  The caller has already made
 * sure nothing it still needs is only in this CPU's cache, and the release
 * word reads 0 in memory.  Here we turn the MMU and D-cache off (we run
 * identity-mapped, so the PC stays valid), then clean and invalidate this
 * CPU's L1 data cache by set/way: its dirty lines go to the shared L2,
 * where the other CPUs see them.  From then on every access of ours goes
 * straight to memory, and anyone who writes something we read must clean
 * it to the point of coherency first.
 */
#include "asm/asm.h"

#define SCTLR_M (1 << 0)
#define SCTLR_C (1 << 2)

/* void __cpu_park(u64 *release, u64 *parked) -- never returns. */
ENTRY(__cpu_park)
	msr	daifset, #0xf
	mov	x19, x0
	mov	x20, x1

	mrs	x9, sctlr_el1
	bic	x9, x9, #SCTLR_M
	bic	x9, x9, #SCTLR_C
	msr	sctlr_el1, x9
	isb

	/* Clean + invalidate L1 D-cache by set/way (CSSELR = level 1, data). */
	msr	csselr_el1, xzr
	isb
	mrs	x9, ccsidr_el1
	and	x10, x9, #7
	add	x10, x10, #4		/* log2(line size in bytes) */
	ubfx	x11, x9, #3, #10	/* ways - 1 */
	ubfx	x12, x9, #13, #15	/* sets - 1 */
	clz	w13, w11		/* way field shift = 32 - log2(ways) */
1:	mov	x14, x11		/* way */
2:	lsl	x15, x14, x13
	lsl	x16, x12, x10
	orr	x15, x15, x16		/* level 0 (L1) in bits [3:1] */
	dc	cisw, x15
	subs	x14, x14, #1
	b.ge	2b
	subs	x12, x12, #1
	b.ge	1b
	dsb	sy
	ic	iallu
	dsb	sy
	isb

	/* Tell the CPU that took us down that we are out of its way. */
	mov	x9, #1
	str	x9, [x20]
	dsb	sy

3:	wfe
	ldr	x9, [x19]
	cbz	x9, 3b
	br	x9
END(__cpu_park)
