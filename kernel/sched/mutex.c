/*
 * A sleeping mutex with hand-off: unlock gives the mutex directly to the
 * oldest waiter, so a thread that keeps re-locking cannot starve others
 * (and no waiter has to race for it after waking).
 */
#include "wait.h"
#include "kernel.h"

struct mutex_waiter {
	struct list_head list;
	struct task_struct *task;
};

void mutex_init(struct mutex *m)
{
	spin_lock_init(&m->wait_lock);
	m->owner = NULL;
	INIT_LIST_HEAD(&m->waiters);
}

bool mutex_trylock(struct mutex *m)
{
	unsigned long flags;
	bool got;

	spin_lock_irqsave(&m->wait_lock, flags);
	got = !m->owner;
	if (got)
		m->owner = current;
	spin_unlock_irqrestore(&m->wait_lock, flags);
	return got;
}

void mutex_lock(struct mutex *m)
{
	struct mutex_waiter w = { .task = current };
	unsigned long flags;

	spin_lock_irqsave(&m->wait_lock, flags);
	if (!m->owner) {
		m->owner = current;
		spin_unlock_irqrestore(&m->wait_lock, flags);
		return;
	}
	if (m->owner == current)
		panic("mutex_lock: %s/%d locks a mutex it already holds", current->comm, current->pid);
	list_add_tail(&w.list, &m->waiters);
	for (;;) {
		/* The state is set under wait_lock, so the hand-off in
		 * mutex_unlock cannot slip in between test and sleep. */
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (m->owner == current)
			break;
		spin_unlock_irqrestore(&m->wait_lock, flags);
		schedule();
		spin_lock_irqsave(&m->wait_lock, flags);
	}
	__set_current_state(TASK_RUNNING);
	spin_unlock_irqrestore(&m->wait_lock, flags);
}

void mutex_unlock(struct mutex *m)
{
	struct mutex_waiter *w;
	unsigned long flags;

	spin_lock_irqsave(&m->wait_lock, flags);
	if (m->owner != current)
		panic("mutex_unlock: %s/%d does not hold the mutex", current->comm, current->pid);
	if (list_empty(&m->waiters)) {
		m->owner = NULL;
	} else {
		w = list_first_entry(&m->waiters, struct mutex_waiter, list);
		list_del_init(&w->list);
		m->owner = w->task;
		wake_up_process(w->task);
	}
	spin_unlock_irqrestore(&m->wait_lock, flags);
}

bool mutex_is_locked(struct mutex *m)
{
	return READ_ONCE(m->owner) != NULL;
}
