/*
 * Timers: callbacks run from the tick of the CPU they were added on, once
 * the counter passes their expiry.  Resolution is one tick (exact on a
 * tickless idle CPU, whose timer is programmed for the first expiry).
 * Used for schedule_timeout() and msleep().
 *
 * Timers are only ever added to the calling CPU's own list.  That is what
 * lets a tickless idle CPU program its timer once and sleep: nobody else
 * can put an earlier expiry on its list behind its back.  A remote add
 * would have to wake the target so that it reprograms (Linux's
 * wake_up_nohz_cpu: an IPI_RESCHEDULE is enough, its idle loop then
 * programs the new first expiry).
 */
#include "wait.h"
#include "kernel.h"
#include "timer.h"

static struct timer_base {
	spinlock_t lock;			/* irqsave: the tick takes it */
	struct list_head pending;		/* sorted by expiry */
	struct timer_list *running;		/* callback in progress */
} timer_bases[NR_CPUS];

static bool bases_ready;

void timers_init(void)
{
	for (int i = 0; i < NR_CPUS; i++) {
		spin_lock_init(&timer_bases[i].lock);
		INIT_LIST_HEAD(&timer_bases[i].pending);
	}
	bases_ready = true;
}

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *))
{
	INIT_LIST_HEAD(&t->entry);
	t->fn = fn;
	t->pending = false;
}

void add_timer_ns(struct timer_list *t, u64 ns)
{
	unsigned long flags = local_irq_save();
	struct timer_base *b = &timer_bases[smp_processor_id()];
	struct timer_list *pos;

	t->expires = read_cntvct() + ns_to_cycles(ns);
	t->cpu = smp_processor_id();
	arch_spin_lock(&b->lock);
	list_for_each_entry(pos, &b->pending, entry)
		if (pos->expires > t->expires)
			break;
	list_add_tail(&t->entry, &pos->entry);
	t->pending = true;
	arch_spin_unlock(&b->lock);
	local_irq_restore(flags);
}

void del_timer_sync(struct timer_list *t)
{
	unsigned long flags = local_irq_save();
	struct timer_base *b;

	/* The timer may be moved to another CPU's list (timers_migrate_from)
	 * until we hold the lock of the list it is on: lock, recheck, retry. */
	for (;;) {
		b = &timer_bases[READ_ONCE(t->cpu)];
		arch_spin_lock(&b->lock);
		if (b == &timer_bases[t->cpu])
			break;
		arch_spin_unlock(&b->lock);
	}
	if (t->pending) {
		list_del_init(&t->entry);
		t->pending = false;
	}
	arch_spin_unlock(&b->lock);
	local_irq_restore(flags);
	/* Its callback may be running on its CPU right now. */
	while (READ_ONCE(b->running) == t)
		cpu_relax();
}

/*
 * The counter value at which this CPU's first timer expires, UINT64_MAX
 * if it has none.  This CPU, IRQs masked (tickless idle entry).
 */
u64 timer_next_expiry(void)
{
	struct timer_base *b;
	u64 next = UINT64_MAX;

	if (!bases_ready)
		return next;
	b = &timer_bases[smp_processor_id()];
	arch_spin_lock(&b->lock);
	if (!list_empty(&b->pending))
		next = list_first_entry(&b->pending, struct timer_list, entry)->expires;
	arch_spin_unlock(&b->lock);
	return next;
}

/* Timers pending on cpu (tests and diagnostics), any context. */
unsigned int timers_pending_on(unsigned int cpu)
{
	struct timer_base *b = &timer_bases[cpu];
	unsigned long flags = local_irq_save();
	struct timer_list *t;
	unsigned int n = 0;

	arch_spin_lock(&b->lock);
	list_for_each_entry(t, &b->pending, entry)
		n++;
	arch_spin_unlock(&b->lock);
	local_irq_restore(flags);
	return n;
}

/*
 * CPU hotplug, on a surviving CPU once 'dead' has stopped (Linux's
 * timers_dead_cpu): its pending timers move to this CPU's list, in expiry
 * order, and fire from our tick.  IRQs are masked for both locks (the
 * tick takes ours); the dead CPU takes neither any more.
 */
void timers_migrate_from(unsigned int dead)
{
	struct timer_base *from = &timer_bases[dead];
	struct timer_base *to = &timer_bases[smp_processor_id()];
	unsigned long flags = local_irq_save();

	arch_spin_lock(&from->lock);
	arch_spin_lock(&to->lock);
	while (!list_empty(&from->pending)) {
		struct timer_list *t = list_first_entry(&from->pending, struct timer_list, entry);
		struct timer_list *pos;

		list_del_init(&t->entry);
		list_for_each_entry(pos, &to->pending, entry)
			if (pos->expires > t->expires)
				break;
		list_add_tail(&t->entry, &pos->entry);
		/* del_timer_sync finds the timer through t->cpu: it now
		 * needs our lock, which we hold. */
		WRITE_ONCE(t->cpu, smp_processor_id());
	}
	arch_spin_unlock(&to->lock);
	arch_spin_unlock(&from->lock);
	local_irq_restore(flags);
}

void run_local_timers(void)
{
	struct timer_base *b;
	u64 now = read_cntvct();

	if (!bases_ready)
		return;
	b = &timer_bases[smp_processor_id()];
	arch_spin_lock(&b->lock);
	while (!list_empty(&b->pending)) {
		struct timer_list *t = list_first_entry(&b->pending, struct timer_list, entry);

		if (t->expires > now)
			break;
		list_del_init(&t->entry);
		t->pending = false;
		b->running = t;
		arch_spin_unlock(&b->lock);
		t->fn(t);
		arch_spin_lock(&b->lock);
		smp_store_release(&b->running, NULL);
	}
	arch_spin_unlock(&b->lock);
}

struct sleeper {
	struct timer_list timer;
	struct task_struct *task;
};

static void wake_sleeper(struct timer_list *t)
{
	wake_up_process(container_of(t, struct sleeper, timer)->task);
}

u64 schedule_timeout(u64 ns)
{
	struct sleeper s = { .task = current };
	u64 end = read_cntvct() + ns_to_cycles(ns), now;

	timer_setup(&s.timer, wake_sleeper);
	add_timer_ns(&s.timer, ns);
	schedule();
	del_timer_sync(&s.timer);
	now = read_cntvct();
	return now >= end ? 0 : cycles_to_ns(end - now);
}

void msleep(unsigned int ms)
{
	u64 left = (u64)ms * 1000000;

	while (left) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		left = schedule_timeout(left);
	}
}
