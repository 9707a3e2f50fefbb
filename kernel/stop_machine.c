/*
 * Stopper threads ("migration/N"): the highest-priority task of each CPU.
 * Work queued to a stopper runs as soon as its CPU can switch, with every
 * other task on that CPU held off.  The scheduler uses it to push a
 * running task off its CPU (migration_cpu_stop); stop_machine() uses all
 * of them at once to bring every CPU to a halt with IRQs masked.
 */
#include "stop_machine.h"
#include "cpu.h"
#include "cpuhp.h"
#include "kernel.h"
#include "kthread.h"
#include "smp.h"
#include "trace.h"
#include "wait.h"
#include "sched/rq.h"

struct cpu_stop_done {
	atomic_t nr_todo;
	int ret;			/* first non-zero result */
	bool polled;			/* the owner busy-waits on nr_todo */
	struct completion completion;
};

static struct cpu_stopper {
	spinlock_t lock;
	bool enabled;
	struct list_head works;
	struct task_struct *thread;
} stoppers[NR_CPUS];

static DEFINE_MUTEX(stop_cpus_mutex);	/* one multi-CPU stop at a time */

static void done_init(struct cpu_stop_done *d, int n)
{
	atomic_set(&d->nr_todo, n);
	d->ret = 0;
	d->polled = false;
	init_completion(&d->completion);
}

static void done_signal(struct cpu_stop_done *d, int ret)
{
	/* Read before the count drops: once it is 0, a polling owner may
	 * return and d (on its stack) be gone. */
	bool polled = d->polled;

	if (ret)
		__atomic_compare_exchange_n(&d->ret, &(int){ 0 }, ret, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
	/* A full barrier (atomic.h): our result and everything the work did
	 * are visible before the count that the owner polls. */
	if (atomic_dec_return(&d->nr_todo) == 0 && !polled)
		complete(&d->completion);
}

static bool queue_work(unsigned int cpu, struct cpu_stop_work *w)
{
	struct cpu_stopper *s = &stoppers[cpu];
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&s->lock, flags);
	ok = s->enabled;
	if (ok)
		list_add_tail(&w->list, &s->works);
	spin_unlock_irqrestore(&s->lock, flags);
	if (ok)
		wake_up_process(s->thread);
	return ok;
}

static int cpu_stopper_thread(void *arg)
{
	struct cpu_stopper *s = arg;

	for (;;) {
		struct cpu_stop_work *w = NULL;
		struct cpu_stop_done *done;
		unsigned long flags;
		int ret;

		set_current_state(TASK_INTERRUPTIBLE);
		spin_lock_irqsave(&s->lock, flags);
		if (!list_empty(&s->works)) {
			w = list_first_entry(&s->works, struct cpu_stop_work, list);
			list_del_init(&w->list);
		}
		spin_unlock_irqrestore(&s->lock, flags);
		if (!w) {
			/* Park only with nothing queued: the _nowait items left
			 * behind by stop_machine_park run first. */
			if (kthread_should_park()) {
				__set_current_state(TASK_RUNNING);
				kthread_parkme();
			} else {
				schedule();
			}
			continue;
		}
		__set_current_state(TASK_RUNNING);
		trace_stop_work(w->fn);
		/* Once fn has run, a _nowait work item may already be gone (fn
		 * itself may have told its owner it is done): touch it no more. */
		done = w->done;
		ret = w->fn(w->arg);
		if (done)
			done_signal(done, ret);
	}
	return 0;
}

/*
 * cpu_stop_create - make cpu's stopper: created, disabled (work is refused),
 * not started.  stop_machine_unpark() starts it, on the CPU itself before
 * the CPU becomes active.
 * Context: task or the boot flow, may sleep (allocates).  Idempotent.
 * Returns 0, or -ENOMEM.
 */
int cpu_stop_create(unsigned int cpu)
{
	struct cpu_stopper *s = &stoppers[cpu];
	char name[TASK_COMM_LEN];

	if (s->thread)
		return 0;
	spin_lock_init(&s->lock);
	INIT_LIST_HEAD(&s->works);
	snprintf(name, sizeof(name), "migration/%u", cpu);
	s->thread = kthread_create_on_cpu(cpu_stopper_thread, s, cpu, name);
	if (!s->thread)
		return -ENOMEM;
	s->thread->flags |= PF_STOPPER;
	cpu_rq(cpu)->stop = s->thread;
	return 0;
}

/* The boot CPU's stopper, enabled before the boot CPU becomes active
 * (main.c); the secondaries' are made by smp_init. */
void cpu_stop_init(void)
{
	if (cpu_stop_create(0))
		panic("cannot create the stopper thread of CPU0");
	stop_machine_unpark(0);
}

/*
 * stop_machine_park - disable cpu's stopper and park its thread (hotplug,
 * on the way down).  From here on new work for cpu is refused (-ENOENT /
 * false); work already queued with a waiter (stop_one_cpu, stop_cpus) is
 * failed with -ENOENT and its waiter woken; _nowait items already queued
 * have nobody to tell, so the stopper runs them before it parks.
 * Context: either the caller holds cpus_write_lock() (so no stop_machine
 * or stop_cpus is queueing meanwhile) and may sleep: returns once the
 * thread is parked and off its CPU; or the caller is cpu's own stopper,
 * inside its work (stop_machine's dying step, IRQs masked): then the
 * thread parks as soon as that work returns, and nothing here sleeps.
 */
void stop_machine_park(unsigned int cpu)
{
	struct cpu_stopper *s = &stoppers[cpu];
	struct cpu_stop_work *w, *next;
	unsigned long flags;
	LIST_HEAD(refused);

	if (cpu >= NR_CPUS || !s->thread)
		return;
	if (current != s->thread)
		lockdep_assert_cpus_write_held();
	spin_lock_irqsave(&s->lock, flags);
	s->enabled = false;
	list_for_each_entry_safe(w, next, &s->works, list)
		if (w->done) {
			list_del_init(&w->list);
			list_add_tail(&w->list, &refused);
		}
	spin_unlock_irqrestore(&s->lock, flags);
	/* 'next' is read before w's waiter can return and free w. */
	list_for_each_entry_safe(w, next, &refused, list) {
		list_del_init(&w->list);
		done_signal(w->done, -ENOENT);
	}
	if (READ_ONCE(s->thread->state) != TASK_NEW)	/* never started: nothing to park */
		kthread_park(s->thread);
}

/*
 * stop_machine_unpark - enable cpu's stopper and let its thread run: the
 * first time, this starts it.  Call it on an online cpu (the thread is
 * bound there), before the CPU becomes active.
 * Context: any, IRQs on or off (the bring-up path runs it with IRQs
 * masked on the incoming CPU); does not sleep.
 */
void stop_machine_unpark(unsigned int cpu)
{
	struct cpu_stopper *s = &stoppers[cpu];
	unsigned long flags;

	if (cpu >= NR_CPUS || !s->thread)
		return;
	spin_lock_irqsave(&s->lock, flags);
	s->enabled = true;
	spin_unlock_irqrestore(&s->lock, flags);
	if (READ_ONCE(s->thread->state) == TASK_NEW)
		wake_up_process(s->thread);
	else
		kthread_unpark(s->thread);
}

/*
 * stop_one_cpu - run fn(arg) on cpu's stopper, ahead of every task there,
 * and wait for it.
 * Context: task, may sleep; not from cpu's own stopper (it would wait for
 * itself).  No lock needed: a stopper that is parked meanwhile fails the
 * work instead of leaving us waiting.
 * Returns fn's result, or -ENOENT if cpu has no enabled stopper (out of
 * range, never brought up, or parked), also when it was parked after the
 * work was queued but before it ran.
 */
int stop_one_cpu(unsigned int cpu, cpu_stop_fn_t fn, void *arg)
{
	struct cpu_stop_done done;
	struct cpu_stop_work work = { .fn = fn, .arg = arg, .done = &done };

	done_init(&done, 1);
	if (cpu >= NR_CPUS || !queue_work(cpu, &work))
		return -ENOENT;
	wait_for_completion(&done.completion);
	return done.ret;
}

/*
 * stop_one_cpu_nowait - queue fn(arg) on cpu's stopper and return at once.
 * 'work' must stay valid until fn has started (the stopper does not touch
 * it once fn runs); fn's result is dropped.
 * Context: any, IRQs on or off; does not sleep.
 * Returns true if queued (fn will run, even if the stopper is parked
 * before it gets to it: parking runs such items first); false if cpu has
 * no enabled stopper (fn will not run).
 */
bool stop_one_cpu_nowait(unsigned int cpu, cpu_stop_fn_t fn, void *arg, struct cpu_stop_work *work)
{
	work->fn = fn;
	work->arg = arg;
	work->done = NULL;
	return cpu < NR_CPUS && queue_work(cpu, work);
}

/*
 * Queue fn on every CPU of mask, in CPU order; a refusal counts as an
 * -ENOENT result.  The caller holds stop_cpus_mutex (the work items are
 * shared) and has preemption off: waking our own CPU's stopper would
 * otherwise switch to it at once, and a multi_cpu_stop there would spin
 * before the works for the CPUs after ours were queued.
 * Returns true if every stopper took its work.
 */
static bool queue_on_each(const cpumask_t *mask, cpu_stop_fn_t fn, void *arg,
			  struct cpu_stop_done *done)
{
	static struct cpu_stop_work works[NR_CPUS];	/* guarded by stop_cpus_mutex */
	unsigned int cpu;
	bool all = true;

	for_each_cpu(cpu, mask) {
		works[cpu] = (struct cpu_stop_work){ .fn = fn, .arg = arg, .done = done };
		if (!queue_work(cpu, &works[cpu])) {
			done_signal(done, -ENOENT);
			all = false;
		}
	}
	return all;
}

/*
 * stop_cpus - run fn(arg) on the stopper of each CPU in mask (each on its
 * own, not in lockstep) and wait for all of them.
 * Context: task, may sleep; takes cpus_read_lock() (so not from the
 * hotplug writer, nor with the read side already held) and serialises
 * with stop_machine.
 * Returns 0, or the first non-zero result: fn's, or -ENOENT for a CPU of
 * the mask whose stopper is disabled (fn still ran on the others).
 */
int stop_cpus(const cpumask_t *mask, cpu_stop_fn_t fn, void *arg)
{
	struct cpu_stop_done done;
	unsigned int n = cpumask_weight(mask);

	cpus_read_lock();
	mutex_lock(&stop_cpus_mutex);
	done_init(&done, (int)n);
	preempt_disable();
	queue_on_each(mask, fn, arg, &done);
	preempt_enable();
	if (n)
		wait_for_completion(&done.completion);
	mutex_unlock(&stop_cpus_mutex);
	cpus_read_unlock();
	return done.ret;
}

/*
 * stop_machine's rendezvous: every stopper walks the same states in
 * lockstep.  Nobody enters a state before all have acknowledged the
 * previous one, so when fn runs every other CPU has already masked IRQs
 * and is spinning here.  The stoppers wait in MS_NONE until the caller
 * has queued all of them: then MS_PREPARE starts the walk, or, if one
 * refused, MS_ABORT sends the others home before any of them masked IRQs.
 */
enum multi_stop_state { MS_ABORT = -1, MS_NONE, MS_PREPARE, MS_DISABLE_IRQ, MS_RUN, MS_EXIT };

struct multi_stop_data {
	cpu_stop_fn_t fn;
	void *data;
	const cpumask_t *active_cpus;
	int num_threads;
	int state;
	atomic_t thread_ack;
};

static void set_state(struct multi_stop_data *m, int state)
{
	atomic_set(&m->thread_ack, m->num_threads);
	/* The ack count before the state that starts the round: pairs with
	 * the load-acquire of the state in multi_cpu_stop. */
	smp_wmb();
	WRITE_ONCE(m->state, state);
}

static void ack_state(struct multi_stop_data *m)
{
	if (atomic_dec_return(&m->thread_ack) == 0)
		set_state(m, m->state + 1);
}

static int multi_cpu_stop(void *arg)
{
	struct multi_stop_data *m = arg;
	unsigned int cpu = smp_processor_id();
	bool runs_fn = m->active_cpus ? cpumask_test_cpu(cpu, m->active_cpus)
				       : cpu == cpumask_first(cpu_online_mask);
	unsigned long flags = local_save_flags();
	int cur = MS_NONE, err = 0;

	do {
		int st = smp_load_acquire(&m->state);

		if (st == cur) {
			cpuhp_spin_relax();
			continue;
		}
		cur = st;
		if (cur == MS_ABORT)
			return 0;	/* IRQs untouched; the caller reports the refusal */
		if (cur == MS_DISABLE_IRQ) {
			local_irq_disable();
			WRITE_ONCE(this_cpu()->in_stop_machine, true);
		} else if (cur == MS_RUN && runs_fn) {
			err = m->fn(m->data);
		} else if (cur == MS_EXIT) {
			WRITE_ONCE(this_cpu()->in_stop_machine, false);
		}
		ack_state(m);
	} while (cur != MS_EXIT);
	local_irq_restore(flags);
	return err;
}

/*
 * stop_machine_cpuslocked - stop_machine() for a caller that already holds
 * the CPU-hotplug lock (for reading, or for writing: hotplug's dying step).
 * Context: task, may sleep; the hotplug lock held; not from a stopper.
 * Returns as stop_machine().
 */
int stop_machine_cpuslocked(cpu_stop_fn_t fn, void *data, const cpumask_t *cpus)
{
	struct multi_stop_data m = { .fn = fn, .data = data, .active_cpus = cpus };
	struct cpu_stop_done done;
	bool all;

	lockdep_assert_cpus_held();
	mutex_lock(&stop_cpus_mutex);
	m.num_threads = (int)num_online_cpus();
	m.state = MS_NONE;
	done_init(&done, m.num_threads);
	preempt_disable();
	all = queue_on_each(cpu_online_mask, multi_cpu_stop, &m, &done);
	/* Still unpreemptible: our own stopper, if queued, is waiting in
	 * MS_NONE and must not take this CPU before the others are told. */
	set_state(&m, all ? MS_PREPARE : MS_ABORT);
	preempt_enable();
	wait_for_completion(&done.completion);
	mutex_unlock(&stop_cpus_mutex);
	return done.ret;
}

/*
 * stop_machine - every online CPU stops with IRQs masked; fn(data) runs on
 * the CPUs in 'cpus' (NULL: the first online CPU) while the rest spin; all
 * leave together.  Callers are serialised.
 * Context: task, may sleep; takes cpus_read_lock(), so the CPUs stopped
 * are exactly the online ones (not with the read side already held: use
 * stop_machine_cpuslocked()).
 * Returns 0, or the first non-zero result of fn; -ENOENT, without fn
 * having run anywhere, if an online CPU's stopper is parked or disabled.
 */
int stop_machine(cpu_stop_fn_t fn, void *data, const cpumask_t *cpus)
{
	int ret;

	cpus_read_lock();
	ret = stop_machine_cpuslocked(fn, data, cpus);
	cpus_read_unlock();
	return ret;
}

/*
 * stop_machine_from_inactive_cpu - stop_machine() for a CPU that is online
 * but not yet active and may not sleep: a CPU coming up, in its AP states
 * (Linux's name; there it sets up MTRRs).  The other online CPUs' stoppers
 * rendezvous as usual; this CPU takes part by running the rendezvous
 * itself, and busy-waits where stop_machine() would sleep.
 * Context: IRQs masked; the calling CPU is in cpu_online_mask and not in
 * cpu_active_mask; CPU hotplug is held off by the caller (cpu_up() holds
 * cpus_write_lock() for the whole bring-up).  Does not sleep.
 * Returns as stop_machine(); -EINVAL if called from an active CPU.
 */
int stop_machine_from_inactive_cpu(cpu_stop_fn_t fn, void *data, const cpumask_t *cpus)
{
	struct multi_stop_data m = { .fn = fn, .data = data, .active_cpus = cpus };
	unsigned int self = smp_processor_id();
	struct cpu_stop_done done;
	cpumask_t others;
	int ret = 0;
	bool all;

	if (cpu_active(self) || !cpu_online(self) || !irqs_disabled())
		return -EINVAL;
	/* The mutex only orders us against other stop_machine callers,
	 * which hotplug's write lock already keeps out: spinning is short. */
	while (!mutex_trylock(&stop_cpus_mutex))
		cpu_relax();
	cpumask_copy(&others, cpu_online_mask);
	cpumask_clear_cpu(self, &others);
	m.num_threads = (int)num_online_cpus();
	m.state = MS_NONE;
	done_init(&done, (int)cpumask_weight(&others));
	done.polled = true;
	all = queue_on_each(&others, multi_cpu_stop, &m, &done);
	set_state(&m, all ? MS_PREPARE : MS_ABORT);
	if (all)
		ret = multi_cpu_stop(&m);
	/* Their last touch of m and done is the count's decrement (polled):
	 * wait for 0; acquire pairs with it, so their results are read after. */
	while (smp_load_acquire(&done.nr_todo.counter) > 0)
		cpuhp_spin_relax();
	mutex_unlock(&stop_cpus_mutex);
	return ret ? ret : done.ret;
}

