/*
 * Ticket spinlocks: fair (CPUs get the lock in arrival order), and waiters
 * sleep in WFE instead of hammering the bus.  The unlocking store-release
 * clears the waiters' exclusive monitors, which is the event that wakes
 * them.  Only usable once the MMU and caches are on: lock and trylock
 * check that first (exclusive_check(), atomic.h).
 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include "types.h"
#include "irqflags.h"
#include "percpu.h"
#include "atomic.h"
#include "preempt.h"

typedef struct spinlock {
	u16 owner;
	u16 next;
} __aligned(4) spinlock_t;

#define SPINLOCK_INIT { 0, 0 }
#define DEFINE_SPINLOCK(x) spinlock_t x = SPINLOCK_INIT

static inline void spin_lock_init(spinlock_t *l)
{
	l->owner = 0;
	l->next = 0;
}

static inline void arch_spin_lock(spinlock_t *l)
{
	u16 ticket, now;

	exclusive_check();
	ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);
	/* Free already (the common case): no WFE at all.  The acquire pairs
	 * with the previous holder's release in arch_spin_unlock, as the
	 * LDAXRH below does.  Besides sparing a pipeline hint, this matters
	 * under QEMU, whose WFE always ends the vCPU's turn: every lock taken
	 * cost a round of the other vCPUs' time slices (Linux's arm64 ticket
	 * lock also tested its ticket before waiting). */
	if (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) == ticket)
		return;

	/* LDAXRH arms the monitor so that the owner's STLRH wakes our WFE. */
	__asm__ volatile(
		"	sevl\n"
		"1:	wfe\n"
		"	ldaxrh	%w0, [%1]\n"
		"	cmp	%w0, %w2\n"
		"	b.ne	1b\n"
		: "=&r"(now)
		: "r"(&l->owner), "r"(ticket)
		: "memory", "cc");
}

static inline bool arch_spin_trylock(spinlock_t *l)
{
	u32 old = __atomic_load_n((u32 *)l, __ATOMIC_RELAXED);
	u16 owner = old & 0xffff, next = old >> 16;
	u32 want;

	exclusive_check();
	if (owner != next)
		return false;
	want = (u32)owner | ((u32)(u16)(next + 1) << 16);
	return __atomic_compare_exchange_n((u32 *)l, &old, want, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * Take the lock, waiting for its holder and at most one CPU already queued
 * behind it; with a longer line, false, without the lock.  For a caller
 * that would rather give up than join a convoy (the load balancer and a
 * busy runqueue).  CPUs can still slip into the line together; what it
 * bounds is its length, not exactly.
 */
static inline bool arch_spin_lock_unless_queued(spinlock_t *l)
{
	/* Relaxed: only a guess at the line's length, stale at once; the
	 * ordering that guards the data is arch_spin_lock's acquire. */
	u32 v = __atomic_load_n((u32 *)l, __ATOMIC_RELAXED);
	u16 owner = v & 0xffff, next = v >> 16;

	if ((u16)(next - owner) >= 3)
		return false;
	arch_spin_lock(l);
	return true;
}

static inline void arch_spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (u16)(l->owner + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *l)
{
	u32 v = __atomic_load_n((u32 *)l, __ATOMIC_RELAXED);

	return (v & 0xffff) != (v >> 16);
}

static inline void spin_lock(spinlock_t *l)
{
	preempt_disable();
	arch_spin_lock(l);
}

static inline bool spin_trylock(spinlock_t *l)
{
	preempt_disable();
	if (arch_spin_trylock(l))
		return true;
	preempt_enable_no_resched();
	return false;
}

static inline void spin_unlock(spinlock_t *l)
{
	arch_spin_unlock(l);
	preempt_enable();
}

#define spin_lock_irqsave(l, flags) do { (flags) = local_irq_save(); spin_lock(l); } while (0)
/* Unmask first, then allow preemption: a reschedule that became due while
 * we held the lock happens here, not at the next tick. */
#define spin_unlock_irqrestore(l, flags) do {						arch_spin_unlock(l); local_irq_restore(flags); preempt_enable();	} while (0)

#endif
