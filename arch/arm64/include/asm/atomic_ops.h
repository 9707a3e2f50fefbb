/*
 * The atomic operations themselves, on the compiler's builtins.  Not
 * included directly: asm/atomic.h includes it once it has defined
 * exclusive_check() (why a read-modify-write checks first is said there),
 * and so do the host tests' stand-in (tests/host/sched_stubs/asm/atomic.h)
 * with an empty check, so that host and target run the same operations.
 */
#ifndef ASM_ATOMIC_OPS_H
#define ASM_ATOMIC_OPS_H

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
