/*
 * Stopper threads ("migration/N"): the highest-priority task of each CPU.
 * Work queued to a stopper runs as soon as its CPU can switch, with every
 * other task on that CPU held off.  The scheduler uses it to push a
 * running task off its CPU (migration_cpu_stop); stop_machine() uses all
 * of them at once to bring every CPU to a halt with IRQs masked.
 */
#include "stop_machine.h"
#include "kernel.h"
#include "kthread.h"
#include "smp.h"
#include "trace.h"
#include "wait.h"
#include "sched/rq.h"

struct cpu_stop_done {
	atomic_t nr_todo;
	int ret;			/* first non-zero result */
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
	init_completion(&d->completion);
}

static void done_signal(struct cpu_stop_done *d, int ret)
{
	if (ret)
		__atomic_compare_exchange_n(&d->ret, &(int){ 0 }, ret, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
	if (atomic_dec_return(&d->nr_todo) == 0)
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

void cpu_stop_start_cpu(unsigned int cpu)
{
	struct cpu_stopper *s = &stoppers[cpu];
	char name[TASK_COMM_LEN];

	if (!s->thread) {
		spin_lock_init(&s->lock);
		INIT_LIST_HEAD(&s->works);
		snprintf(name, sizeof(name), "migration/%u", cpu);
		s->thread = kthread_create_on_cpu(cpu_stopper_thread, s, cpu, name);
		if (!s->thread)
			panic("cannot create the stopper thread of CPU%u", cpu);
		s->thread->flags |= PF_STOPPER;
		cpu_rq(cpu)->stop = s->thread;
	}
	s->enabled = true;
	wake_up_process(s->thread);
}

void cpu_stop_init(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		cpu_stop_start_cpu(cpu);
}

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

bool stop_one_cpu_nowait(unsigned int cpu, cpu_stop_fn_t fn, void *arg, struct cpu_stop_work *work)
{
	work->fn = fn;
	work->arg = arg;
	work->done = NULL;
	return cpu < NR_CPUS && queue_work(cpu, work);
}

/* Queue fn on every CPU of mask, in CPU order, then wait for all. */
static int queue_and_wait(const cpumask_t *mask, cpu_stop_fn_t fn, void *arg)
{
	static struct cpu_stop_work works[NR_CPUS];	/* guarded by stop_cpus_mutex */
	struct cpu_stop_done done;
	unsigned int cpu, n = cpumask_weight(mask), queued = 0;

	done_init(&done, (int)n);
	/* Waking our own CPU's stopper would switch to it at once, and a
	 * multi_cpu_stop there spins until every CPU has joined: the works
	 * for the CPUs after ours would never be queued.  So queue them all
	 * first, and let our stopper in only then. */
	preempt_disable();
	for_each_cpu(cpu, mask) {
		works[cpu] = (struct cpu_stop_work){ .fn = fn, .arg = arg, .done = &done };
		if (queue_work(cpu, &works[cpu]))
			queued++;
		else
			done_signal(&done, -ENOENT);
	}
	preempt_enable();
	if (n)
		wait_for_completion(&done.completion);
	return queued == n ? done.ret : (done.ret ? done.ret : -ENOENT);
}

int stop_cpus(const cpumask_t *mask, cpu_stop_fn_t fn, void *arg)
{
	int ret;

	mutex_lock(&stop_cpus_mutex);
	ret = queue_and_wait(mask, fn, arg);
	mutex_unlock(&stop_cpus_mutex);
	return ret;
}

/*
 * stop_machine's rendezvous: every stopper walks the same states in
 * lockstep.  Nobody enters a state before all have acknowledged the
 * previous one, so when fn runs every other CPU has already masked IRQs
 * and is spinning here.
 */
enum multi_stop_state { MS_NONE, MS_PREPARE, MS_DISABLE_IRQ, MS_RUN, MS_EXIT };

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
	smp_wmb();	/* the ack count before the state that starts the round */
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
			cpu_relax();
			continue;
		}
		cur = st;
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

int stop_machine(cpu_stop_fn_t fn, void *data, const cpumask_t *cpus)
{
	struct multi_stop_data m = { .fn = fn, .data = data, .active_cpus = cpus };
	int ret;

	mutex_lock(&stop_cpus_mutex);
	m.num_threads = (int)num_online_cpus();
	set_state(&m, MS_PREPARE);
	ret = queue_and_wait(cpu_online_mask, multi_cpu_stop, &m);
	mutex_unlock(&stop_cpus_mutex);
	return ret;
}
