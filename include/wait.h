/*
 * Wait queues and completions (kernel/sched/wait.c).
 *
 * The sleeping side always follows the same pattern, which cannot lose a
 * wake-up: mark yourself sleeping, then test the condition, then
 * schedule().  A waker that makes the condition true after the test also
 * finds the state already set, and makes the task runnable again; schedule()
 * then returns at once.
 */
#ifndef RONDO_WAIT_H
#define RONDO_WAIT_H

#include "sched.h"

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};

struct wait_queue_entry {
	struct task_struct *task;
	struct list_head entry;
};

#define WAIT_QUEUE_HEAD_INIT(name) { SPINLOCK_INIT, LIST_HEAD_INIT((name).head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) struct wait_queue_head name = WAIT_QUEUE_HEAD_INIT(name)

void init_waitqueue_head(struct wait_queue_head *wq);
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w, long state);
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
void wake_up(struct wait_queue_head *wq);		/* wakes every waiter */

#define wait_event(wq, cond) do {						\
	struct wait_queue_entry __w = { .task = current };			\
	INIT_LIST_HEAD(&__w.entry);						\
	for (;;) {								\
		prepare_to_wait(&(wq), &__w, TASK_UNINTERRUPTIBLE);		\
		if (cond)							\
			break;							\
		schedule();							\
	}									\
	finish_wait(&(wq), &__w);						\
} while (0)

/* Returns the remaining ns (at least 1) if cond came true, 0 on timeout. */
#define wait_event_timeout(wq, cond, timeout_ns) ({				\
	struct wait_queue_entry __w = { .task = current };			\
	u64 __left = (timeout_ns);						\
	INIT_LIST_HEAD(&__w.entry);						\
	for (;;) {								\
		prepare_to_wait(&(wq), &__w, TASK_UNINTERRUPTIBLE);		\
		if (cond) {							\
			if (!__left) __left = 1;				\
			break;							\
		}								\
		if (!__left)							\
			break;							\
		__left = schedule_timeout(__left);				\
	}									\
	finish_wait(&(wq), &__w);						\
	__left;									\
})

/* Completions: "this happened" for one or many waiters. */
struct completion {
	unsigned int done;
	struct wait_queue_head wait;
};

void init_completion(struct completion *c);
void reinit_completion(struct completion *c);
void complete(struct completion *c);
void complete_all(struct completion *c);
void wait_for_completion(struct completion *c);
/* 0 on timeout, else the ns left. */
u64 wait_for_completion_timeout(struct completion *c, u64 timeout_ns);
bool completion_done(struct completion *c);

/* Timers and sleeping (kernel/sched/timer_list.c). */
struct timer_list {
	struct list_head entry;
	u64 expires;			/* counter value */
	void (*fn)(struct timer_list *t);
	unsigned int cpu;
	bool pending;
};

void timers_init(void);
void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *));
void add_timer_ns(struct timer_list *t, u64 ns_from_now);
/* Remove, and wait until a handler running on another CPU finished. */
void del_timer_sync(struct timer_list *t);
/* CPU hotplug: move a dead CPU's pending timers to this CPU. */
void timers_migrate_from(unsigned int dead);
void run_local_timers(void);		/* from the tick */
u64 timer_next_expiry(void);		/* this CPU's first expiry, UINT64_MAX: none */
unsigned int timers_pending_on(unsigned int cpu);
/* Sleep (state already set by the caller) for up to ns; returns ns left. */
u64 schedule_timeout(u64 ns);
void msleep(unsigned int ms);

/* A sleeping mutex (kernel/sched/mutex.c): the holder may sleep, waiters
 * sleep instead of spinning, and unlock hands the mutex to the oldest
 * waiter so nobody starves. */
struct mutex {
	spinlock_t wait_lock;
	struct task_struct *owner;
	struct list_head waiters;
};

#define MUTEX_INIT(name) { SPINLOCK_INIT, NULL, LIST_HEAD_INIT((name).waiters) }
#define DEFINE_MUTEX(name) struct mutex name = MUTEX_INIT(name)

void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_is_locked(struct mutex *m);

#endif
