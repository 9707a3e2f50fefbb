/* Wait queues and completions. */
#include "wait.h"
#include "kernel.h"

void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}

/* Queue first, then set the state, both under the queue lock: a waker
 * either sees us on the queue, or runs before we test the condition. */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w, long state)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	if (list_empty(&w->entry))
		list_add_tail(&w->entry, &wq->head);
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	spin_lock_irqsave(&wq->lock, flags);
	if (!list_empty(&w->entry))
		list_del_init(&w->entry);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* Caller holds wq->lock. */
static void wake_all_locked(struct wait_queue_head *wq)
{
	struct wait_queue_entry *w;

	list_for_each_entry(w, &wq->head, entry)
		wake_up_process(w->task);
}

void wake_up(struct wait_queue_head *wq)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	wake_all_locked(wq);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void init_completion(struct completion *c)
{
	c->done = 0;
	init_waitqueue_head(&c->wait);
}

void reinit_completion(struct completion *c)
{
	WRITE_ONCE(c->done, 0);
}

/*
 * 'done' and the wake-up under one hold of the lock: a waiter sees 'done'
 * only under that lock, so by the time it can return (and free the
 * completion, often on its stack) we have stopped touching it.  Dropping
 * the lock in between would let the waiter go first, and the wake-up
 * would lock and walk freed memory.
 */
void complete(struct completion *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->wait.lock, flags);
	if (c->done != ~0u)
		c->done++;
	wake_all_locked(&c->wait);
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

void complete_all(struct completion *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->wait.lock, flags);
	c->done = ~0u;	/* stays done for every later waiter */
	wake_all_locked(&c->wait);
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

/* Consume one 'done' if there is one. */
static bool try_take(struct completion *c)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&c->wait.lock, flags);
	ok = c->done != 0;
	if (ok && c->done != ~0u)
		c->done--;
	spin_unlock_irqrestore(&c->wait.lock, flags);
	return ok;
}

void wait_for_completion(struct completion *c)
{
	wait_event(c->wait, try_take(c));
}

u64 wait_for_completion_timeout(struct completion *c, u64 timeout_ns)
{
	return wait_event_timeout(c->wait, try_take(c), timeout_ns);
}

bool completion_done(struct completion *c)
{
	return READ_ONCE(c->done) != 0;
}
