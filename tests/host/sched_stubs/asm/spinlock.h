/* Host stand-in for asm/spinlock.h (tests/host/test_fair.c): the fair
 * policy's functions run single-threaded there, so locks are empty. */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include "types.h"

typedef struct spinlock { int unused; } spinlock_t;

#define SPINLOCK_INIT { 0 }
#define DEFINE_SPINLOCK(x) spinlock_t x = SPINLOCK_INIT

static inline void spin_lock_init(spinlock_t *l) { (void)l; }
static inline void arch_spin_lock(spinlock_t *l) { (void)l; }
static inline void arch_spin_unlock(spinlock_t *l) { (void)l; }

#endif
