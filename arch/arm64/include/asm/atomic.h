/*
 * Atomics on the compiler's builtins.  Built with -march=armv8-a and
 * -mno-outline-atomics they become LDXR/STXR loops (the Pi 4's Cortex-A72
 * has no LSE), which need the MMU and caches on: exclusives on Device
 * memory are not reliable on that core.
 */
#ifndef ASM_ATOMIC_H
#define ASM_ATOMIC_H

#include "types.h"
#include "bitmap.h"

typedef struct { volatile int counter; } atomic_t;

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

static inline int atomic_read(const atomic_t *a) { return READ_ONCE(a->counter); }
static inline void atomic_set(atomic_t *a, int v) { WRITE_ONCE(a->counter, v); }
static inline int atomic_add_return(int v, atomic_t *a)
{
	return __atomic_add_fetch(&a->counter, v, __ATOMIC_SEQ_CST);
}
static inline void atomic_inc(atomic_t *a) { atomic_add_return(1, a); }
static inline int atomic_inc_return(atomic_t *a) { return atomic_add_return(1, a); }
static inline int atomic_dec_return(atomic_t *a) { return atomic_add_return(-1, a); }
static inline int atomic_cmpxchg(atomic_t *a, int old, int new)
{
	__atomic_compare_exchange_n(&a->counter, &old, new, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}
static inline int atomic_xchg(atomic_t *a, int v)
{
	return __atomic_exchange_n(&a->counter, v, __ATOMIC_SEQ_CST);
}

static inline void set_bit(unsigned int nr, unsigned long *map)
{
	__atomic_fetch_or(&map[nr / BITS_PER_LONG], 1UL << (nr % BITS_PER_LONG), __ATOMIC_SEQ_CST);
}

static inline void clear_bit(unsigned int nr, unsigned long *map)
{
	__atomic_fetch_and(&map[nr / BITS_PER_LONG], ~(1UL << (nr % BITS_PER_LONG)), __ATOMIC_SEQ_CST);
}

static inline bool test_and_set_bit(unsigned int nr, unsigned long *map)
{
	unsigned long bit = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_or(&map[nr / BITS_PER_LONG], bit, __ATOMIC_SEQ_CST) & bit;
}

#endif
