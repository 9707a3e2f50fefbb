/* Host stand-in for asm/atomic.h (tests/host/test_fair.c, test_pelt.c): the
 * real one reads SCTLR_EL1 before every exclusive and pulls in the real
 * sysreg.h, which the host cannot assemble.  Same names, plain builtins. */
#ifndef ASM_ATOMIC_H
#define ASM_ATOMIC_H

#include "types.h"
#include "bitmap.h"
#include "asm/sysreg.h"

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

#endif
