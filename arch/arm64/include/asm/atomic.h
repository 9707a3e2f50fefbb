/*
 * Atomics on the compiler's builtins.  Built with -march=armv8-a and
 * -mno-outline-atomics they become LDXR/STXR loops (the Pi 4's Cortex-A72
 * has no LSE), which need the MMU and caches on: with the MMU off every
 * access is Device-nGnRnE, and on that core a store-exclusive to Device
 * memory may never succeed, so the loop spins for ever.  QEMU does not
 * model that, so every read-modify-write helper here (and the spinlocks in
 * spinlock.h) first calls exclusive_check(), which traps with
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

typedef struct { volatile int counter; } atomic_t;

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

static inline int atomic_read(const atomic_t *a) { return READ_ONCE(a->counter); }
static inline void atomic_set(atomic_t *a, int v) { WRITE_ONCE(a->counter, v); }
static inline int atomic_add_return(int v, atomic_t *a)
{
	exclusive_check();
	return __atomic_add_fetch(&a->counter, v, __ATOMIC_SEQ_CST);
}
static inline void atomic_inc(atomic_t *a) { atomic_add_return(1, a); }
static inline int atomic_inc_return(atomic_t *a) { return atomic_add_return(1, a); }
static inline int atomic_dec_return(atomic_t *a) { return atomic_add_return(-1, a); }
static inline int atomic_cmpxchg(atomic_t *a, int old, int new)
{
	exclusive_check();
	__atomic_compare_exchange_n(&a->counter, &old, new, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}
static inline int atomic_fetch_or(int v, atomic_t *a)
{
	return __atomic_fetch_or(&a->counter, v, __ATOMIC_SEQ_CST);
}
static inline int atomic_fetch_andnot(int v, atomic_t *a)
{
	return __atomic_fetch_and(&a->counter, ~v, __ATOMIC_SEQ_CST);
}
static inline void atomic_set_release(atomic_t *a, int v)
{
	__atomic_store_n(&a->counter, v, __ATOMIC_RELEASE);
}
static inline int atomic_xchg(atomic_t *a, int v)
{
	exclusive_check();
	return __atomic_exchange_n(&a->counter, v, __ATOMIC_SEQ_CST);
}

static inline void set_bit(unsigned int nr, unsigned long *map)
{
	exclusive_check();
	__atomic_fetch_or(&map[nr / BITS_PER_LONG], 1UL << (nr % BITS_PER_LONG), __ATOMIC_SEQ_CST);
}

static inline void clear_bit(unsigned int nr, unsigned long *map)
{
	exclusive_check();
	__atomic_fetch_and(&map[nr / BITS_PER_LONG], ~(1UL << (nr % BITS_PER_LONG)), __ATOMIC_SEQ_CST);
}

static inline bool test_and_set_bit(unsigned int nr, unsigned long *map)
{
	unsigned long bit = 1UL << (nr % BITS_PER_LONG);

	exclusive_check();
	return __atomic_fetch_or(&map[nr / BITS_PER_LONG], bit, __ATOMIC_SEQ_CST) & bit;
}

#endif
