/*
 * Stress across CPUs: producer/consumer pairs that lose no message and no
 * wake-up, tasks bounced between CPUs by concurrent tasksets while they
 * run (never once switched in outside their mask), tasks moved while they
 * sit in preempt-disabled windows (the count they see is their own), and
 * simultaneous first wake-ups of one new task.
 */
#include "sched_util.h"

#define RING 8
#define MESSAGES 2000
#define MIN_MESSAGES 100
#define MAX_PAIRS 8

struct pair {
	struct wait_queue_head wq;
	u32 ring[RING];
	u32 head, tail;			/* head: next to write, tail: next to read */
	u32 produced, consumed;
	u32 out_of_order;
	u64 sum_sent, sum_got;
	bool producer_done;
	u64 deadline;
};

static int producer_fn(void *arg)
{
	struct pair *pr = arg;

	/* The first MIN_MESSAGES whatever the time (a slow host only makes
	 * them slower), then until the deadline. */
	for (u32 v = 1; v <= MESSAGES && (v <= MIN_MESSAGES || kt_now_ns() < pr->deadline); v++) {
		KT_WAIT_EVENT(pr->wq, READ_ONCE(pr->head) - smp_load_acquire(&pr->tail) < RING);
		if (kthread_should_stop())
			break;
		pr->ring[pr->head % RING] = v;
		pr->sum_sent += v;
		smp_store_release(&pr->head, pr->head + 1);
		WRITE_ONCE(pr->produced, v);
		wake_up(&pr->wq);
	}
	smp_store_release(&pr->producer_done, true);
	wake_up(&pr->wq);
	kt_idle_until_stopped();
	return 0;
}

static int consumer_fn(void *arg)
{
	struct pair *pr = arg;

	for (;;) {
		u32 v;

		KT_WAIT_EVENT(pr->wq, smp_load_acquire(&pr->head) != READ_ONCE(pr->tail) ||
				      smp_load_acquire(&pr->producer_done));
		if (smp_load_acquire(&pr->head) == pr->tail) {
			/* Empty: finished only if the producer is, else a stop. */
			if (smp_load_acquire(&pr->producer_done) || kthread_should_stop())
				break;
			continue;
		}
		v = pr->ring[pr->tail % RING];
		if (v != pr->consumed + 1)
			pr->out_of_order++;
		pr->sum_got += v;
		WRITE_ONCE(pr->consumed, pr->consumed + 1);
		smp_store_release(&pr->tail, pr->tail + 1);
		wake_up(&pr->wq);
	}
	kt_idle_until_stopped();
	return 0;
}

/* N pairs, producer and consumer on different CPUs where there are two:
 * every message arrives, in order, and no side is left asleep. */
static void producer_consumer_pairs(struct ktest *t)
{
	static struct pair pairs[MAX_PAIRS];
	struct task_struct *p[2 * MAX_PAIRS];
	unsigned int n = MAX(2U, MIN(kt_ncpus(), (unsigned int)MAX_PAIRS));
	u64 deadline = kt_now_ns() + 2000 * 1000000ULL;
	u64 total = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct pair *pr = &pairs[i];
		/* The last pair is free to go anywhere. */
		int pc = i + 1 < n ? (int)kt_cpu(2 * i) : -1;
		int cc = i + 1 < n ? (int)kt_cpu(2 * i + 1) : -1;

		memset(pr, 0, sizeof(*pr));
		init_waitqueue_head(&pr->wq);
		pr->deadline = deadline;
		p[2 * i] = kt_start(consumer_fn, pr, "kt-cons", cc, 0);
		p[2 * i + 1] = kt_start(producer_fn, pr, "kt-prod", pc, 0);
		KT_ASSERT(t, p[2 * i] && p[2 * i + 1]);
	}
	for (unsigned int i = 0; i < n; i++) {
		struct pair *pr = &pairs[i];
		bool done = KT_WAIT_UNTIL(smp_load_acquire(&pr->producer_done) &&
					  READ_ONCE(pr->consumed) == READ_ONCE(pr->produced),
					  KT_LIVENESS_MS);

		if (!done)
			ktest_fail(t, __FILE__, __LINE__, "pair %u stuck: produced %u, consumed %u",
				   i, pr->produced, pr->consumed);
	}
	for (unsigned int i = 0; i < 2 * n; i++)
		kt_stop(p[i]);
	for (unsigned int i = 0; i < n; i++) {
		struct pair *pr = &pairs[i];

		KT_EXPECT_EQ(t, pr->consumed, pr->produced);
		KT_EXPECT_EQ(t, pr->out_of_order, 0);
		KT_EXPECT_EQ(t, pr->sum_got, pr->sum_sent);
		/* Made real progress: not just the first few before a hang. */
		KT_EXPECT(t, pr->produced >= MIN_MESSAGES);
		total += pr->produced;
	}
	KT_NOTE("%u pairs passed %lu messages", n, total);
}

/* ---- migration stress ---- */

#define MAX_WORKERS 16
#define MAX_SETTERS 4

struct worker {
	int kind;			/* 0 spin, 1 yield now and then, 2 sleep now and then,
					 * 3 preempt-disabled windows */
	cpumask_t universe;		/* every mask it is ever given is inside this */
	struct kt_spinner s;		/* loops and loops_on[] */
	u64 bad_count;			/* kind 3: a count that was not its own */
	u64 moved_inside;		/* kind 3: changed CPU inside a window */
};

static struct worker workers[MAX_WORKERS];
static struct task_struct *worker_tasks[MAX_WORKERS];
static unsigned int nr_workers, nr_setters;

static struct {
	u64 deadline;
	u64 hard_deadline;		/* ... or later, until min_calls were made */
	int min_calls;
	bool owned;			/* phase 1: setter s owns workers i % nr_setters == s */
	atomic_t calls, errors;
	atomic_t stranded;		/* returned 0, but the task is not on an allowed CPU */
} mig;

/*
 * Kind 3.  Inside preempt_disable() .. preempt_enable() the task must see
 * a count of exactly 1 (its own, holding nothing else) and stay on one
 * CPU, while tasksets push it around: the stopper's IPI preempts it
 * whenever its count is 0, including in the middle of the increment.  With
 * a per-CPU count, a task preempted between loading and storing it wrote
 * the old CPU's count from its new CPU: that CPU was left counting one
 * more (it panics "scheduling while atomic" or never preempts again), and
 * the task itself then ran a window that could be preempted and moved.
 */
static void preempt_window(struct worker *w)
{
	unsigned int cpu;

	preempt_disable();
	cpu = smp_processor_id();
	if (preempt_count() != 1)
		WRITE_ONCE(w->bad_count, w->bad_count + 1);
	for (int i = 0; i < 100; i++)
		__asm__ volatile("" ::: "memory");
	if (smp_processor_id() != cpu)
		WRITE_ONCE(w->moved_inside, w->moved_inside + 1);
	if (preempt_count() != 1)
		WRITE_ONCE(w->bad_count, w->bad_count + 1);
	WRITE_ONCE(w->s.loops_on[cpu], w->s.loops_on[cpu] + 1);
	preempt_enable();
	if (preempt_count() != 0)
		WRITE_ONCE(w->bad_count, w->bad_count + 1);
	WRITE_ONCE(w->s.loops, w->s.loops + 1);
}

static int worker_fn(void *arg)
{
	struct worker *w = arg;
	u64 n = 0;

	while (!kthread_should_stop()) {
		if (w->kind == 3) {
			preempt_window(w);
			continue;
		}
		unsigned int cpu = smp_processor_id();

		for (int i = 0; i < 100; i++)
			__asm__ volatile("" ::: "memory");
		WRITE_ONCE(w->s.loops_on[cpu], w->s.loops_on[cpu] + 1);
		WRITE_ONCE(w->s.loops, w->s.loops + 1);
		n++;
		if (w->kind == 1 && n % 4 == 0)
			yield();
		else if (w->kind == 2 && n % 256 == 0)
			msleep(1);
	}
	return 0;
}

/* A random part of w's universe: often one CPU (a forced move), sometimes
 * several. */
static void random_mask(struct worker *w, cpumask_t *m, u64 *seed)
{
	unsigned int cpu;

	cpumask_clear(m);
	if (kt_rand(seed) % 2)
		for_each_cpu(cpu, &w->universe)
			if (kt_rand(seed) % 2)
				cpumask_set_cpu(cpu, m);
	if (cpumask_empty(m)) {
		unsigned int pick = (unsigned int)(kt_rand(seed) % cpumask_weight(&w->universe));

		for_each_cpu(cpu, &w->universe)
			if (pick-- == 0)
				cpumask_set_cpu(cpu, m);
	}
}

/* Until the deadline, and on a slow host on until a phase has made its
 * calls (the checks need some), within a liveness bound. */
#define PHASE_CALLS 25

static bool storm_going(void)
{
	u64 now = kt_now_ns();

	return now < READ_ONCE(mig.deadline) ||
	       (atomic_read(&mig.calls) < READ_ONCE(mig.min_calls) && now < READ_ONCE(mig.hard_deadline));
}

static int setter_fn(void *arg)
{
	unsigned int me = (unsigned int)(long)arg;
	u64 seed = 0x1234567ULL * (me + 1);

	while (!kthread_should_stop() && storm_going()) {
		unsigned int i = (unsigned int)(kt_rand(&seed) % nr_workers);
		struct task_struct *p;
		cpumask_t m;

		if (READ_ONCE(mig.owned))
			i = i - i % nr_setters + me;
		if (i >= nr_workers)
			continue;
		p = worker_tasks[i];
		random_mask(&workers[i], &m, &seed);
		if (set_cpus_allowed_ptr(p, &m))
			atomic_inc(&mig.errors);
		/* Nobody else changes an owned task's mask: it must be on an
		 * allowed CPU by now, running, queued or asleep. */
		else if (READ_ONCE(mig.owned) && !cpumask_test_cpu(task_cpu(p), &m))
			atomic_inc(&mig.stranded);
		atomic_inc(&mig.calls);
		if (atomic_read(&mig.calls) % 8 == 0)
			yield();	/* let the workers on our CPU run too */
	}
	kt_idle_until_stopped();
	return 0;
}

static bool all_progressed(const u64 *loops)
{
	for (unsigned int i = 0; i < nr_workers; i++)
		if (READ_ONCE(workers[i].s.loops) == loops[i])
			return false;
	return true;
}

/* Switch-ins outside a mask or on an inactive CPU, on any CPU since boot:
 * invariants, so 0. */
static u64 cpu_violations(void)
{
	unsigned int cpu;
	u64 n = 0;

	for_each_possible_cpu(cpu)
		n += sched_affinity_violations(cpu) + sched_inactive_violations(cpu);
	return n;
}

/* After a storm: every worker still counts, sits on an allowed CPU, and
 * was never switched in anywhere else. */
static void check_settled(struct ktest *t, const char *phase)
{
	u64 loops[MAX_WORKERS];

	for (unsigned int i = 0; i < nr_workers; i++)
		loops[i] = READ_ONCE(workers[i].s.loops);
	msleep(100);
	/* Generous: a sleeping worker needs its timer's CPU and then its own
	 * to get host time, and on an overloaded host that can take long. */
	KT_WAIT_UNTIL(all_progressed(loops), KT_LIVENESS_MS);
	for (unsigned int i = 0; i < nr_workers; i++) {
		struct task_struct *p = worker_tasks[i];

		if (READ_ONCE(workers[i].s.loops) == loops[i]) {
			unsigned int c = task_cpu(p);

			ktest_fail(t, __FILE__, __LINE__, "%s: worker %u (kind %d) stopped counting: %s on cpu%u (on_rq %d, on_cpu %d), cpu%u nr_running %u",
				   phase, i, workers[i].kind, task_state_name(p), c, p->on_rq, p->on_cpu,
				   c, nr_running_on(c));
			kt_dump_cpus();
		}
		if (READ_ONCE(p->affinity_violations) ||
		    !cpumask_test_cpu(task_cpu(p), &p->cpus_allowed))
			ktest_fail(t, __FILE__, __LINE__, "%s: worker %u on cpu%u, %lu switch-ins outside its mask",
				   phase, i, task_cpu(p), p->affinity_violations);
	}
	KT_EXPECT_EQ(t, cpu_violations(), 0);
}

static bool storm(struct ktest *t, bool owned, u64 ms)
{
	struct task_struct *setters[MAX_SETTERS];

	mig.owned = owned;
	mig.deadline = kt_now_ns() + ms * 1000000ULL;
	mig.hard_deadline = mig.deadline + KT_LIVENESS_MS * 1000000ULL;
	mig.min_calls = atomic_read(&mig.calls) + PHASE_CALLS;
	for (unsigned int i = 0; i < nr_setters; i++)
		setters[i] = kt_start(setter_fn, (void *)(long)i, "kt-taskset", -1, 0);
	KT_WAIT_UNTIL(!storm_going(), ms + KT_LIVENESS_MS + 1000);
	/* Each finishes the call it is in, then idles: a setter that does
	 * not is stuck in set_cpus_allowed_ptr(), and kt_stop would hang. */
	for (unsigned int i = 0; i < nr_setters; i++)
		if (setters[i] && !KT_WAIT_UNTIL(kt_is_asleep(setters[i]), KT_LIVENESS_MS)) {
			ktest_fail(t, __FILE__, __LINE__, "taskset thread %u stuck", i);
			kt_dump_task("stuck", setters[i]);
			kt_dump_cpus();
			kt_backtrace_cpu(task_cpu(setters[i]));
			return false;
		}
	for (unsigned int i = 0; i < nr_setters; i++)
		if (setters[i])
			kt_stop(setters[i]);
	return true;
}

/*
 * Workers (spinning, yielding, sleeping) bounced between CPUs by several
 * concurrent tasksets.  Phase 1: each worker has one setter, which checks
 * after every call that the worker is on a CPU of the new mask.  Phase 2:
 * every setter hits every worker.  A new mask becomes visible only where
 * it holds (migrate.c), so no worker is ever switched in outside the mask
 * it has at that moment: the switch path's counts must stay 0 throughout.
 */
static void migration_stress(struct ktest *t)
{
	unsigned int ncpu = kt_ncpus();
	u64 migrations = 0, outside = 0;

	if (ncpu < 2)
		KT_SKIP(t, "one CPU: nowhere to migrate to");
	nr_workers = MIN(2 * ncpu, (unsigned int)MAX_WORKERS);
	nr_setters = MIN(MAX(ncpu, 2U), (unsigned int)MAX_SETTERS);
	/* Many busy vCPUs on few host cores make every spinlock hand-over
	 * wait for the host to run the next vCPU in line: on big machines
	 * keep the storm to ten busy CPUs. */
	if (ncpu > 8) {
		nr_workers = 8;
		nr_setters = 2;
	}
	atomic_set(&mig.calls, 0);
	atomic_set(&mig.errors, 0);
	atomic_set(&mig.stranded, 0);
	for (unsigned int i = 0; i < nr_workers; i++) {
		struct worker *w = &workers[i];
		unsigned int cpu, k = 0;

		memset(w, 0, sizeof(*w));
		w->kind = (int)(i % 3);
		/* Every other CPU (alternating by worker), at most 8, so that
		 * moves stay between few CPUs and collide often. */
		for_each_online_cpu(cpu)
			if ((k++ + i) % 2 == 0 && cpumask_weight(&w->universe) < 8)
				cpumask_set_cpu(cpu, &w->universe);
		worker_tasks[i] = kt_start_mask(worker_fn, w, "kt-worker", &w->universe, 0);
		KT_ASSERT(t, worker_tasks[i]);
	}
	if (!storm(t, true, ncpu > 8 ? 600 : 1000))
		return;
	check_settled(t, "owned");
	if (!storm(t, false, ncpu > 8 ? 400 : 500))
		return;
	check_settled(t, "shared");
	for (unsigned int i = 0; i < nr_workers; i++) {
		migrations += worker_tasks[i]->nr_migrations;
		outside += worker_tasks[i]->affinity_violations;
	}
	for (unsigned int i = 0; i < nr_workers; i++) {
		struct worker *w = &workers[i];
		u64 sum = 0;

		kt_stop(worker_tasks[i]);
		for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
			sum += w->s.loops_on[cpu];
			if (w->s.loops_on[cpu] && !cpumask_test_cpu(cpu, &w->universe))
				ktest_fail(t, __FILE__, __LINE__, "worker %u ran on cpu%u, never allowed", i, cpu);
		}
		KT_EXPECT_EQ(t, sum, w->s.loops);
	}
	KT_NOTE("%d tasksets on %u tasks, %lu migrations, %lu switch-ins outside the mask",
		atomic_read(&mig.calls), nr_workers, migrations, outside);
	KT_EXPECT_EQ(t, outside, 0);
	KT_EXPECT_EQ(t, atomic_read(&mig.errors), 0);
	KT_EXPECT_EQ(t, atomic_read(&mig.stranded), 0);
	KT_EXPECT(t, atomic_read(&mig.calls) >= 2 * PHASE_CALLS);
	KT_EXPECT(t, migrations > 0);
}

/*
 * Tasks that spend their time in preempt-disabled windows, moved around
 * by concurrent tasksets (each move preempts them through the stopper's
 * IPI).  Every window sees the task's own count and one CPU; no CPU is
 * left with a count that is not its task's (it would panic or stop
 * preempting: the cleanup case checks every CPU still answers).
 */
static void preempt_windows_under_tasksets(struct ktest *t)
{
	unsigned int ncpu = kt_ncpus(), cpu;
	u64 windows = 0, migrations = 0;

	if (ncpu < 2)
		KT_SKIP(t, "one CPU: nowhere to move to");
	nr_workers = MIN(2 * ncpu, 8U);
	nr_setters = MIN(ncpu, 2U);
	atomic_set(&mig.calls, 0);
	atomic_set(&mig.errors, 0);
	atomic_set(&mig.stranded, 0);
	for (unsigned int i = 0; i < nr_workers; i++) {
		struct worker *w = &workers[i];
		unsigned int k = 0;

		memset(w, 0, sizeof(*w));
		w->kind = 3;
		for_each_online_cpu(cpu)
			if ((k++ + i) % 2 == 0 && cpumask_weight(&w->universe) < 8)
				cpumask_set_cpu(cpu, &w->universe);
		if (cpumask_weight(&w->universe) < 2)
			cpumask_copy(&w->universe, cpu_online_mask);
		/* Nice 10: the tasksets, not the busy windows, get the CPU
		 * time when they want it, so moves come thick and fast. */
		worker_tasks[i] = kt_start_mask(worker_fn, w, "kt-preempt", &w->universe, 10);
		KT_ASSERT(t, worker_tasks[i]);
	}
	if (!storm(t, true, ncpu > 8 ? 600 : 800))
		return;
	check_settled(t, "preempt");
	for (unsigned int i = 0; i < nr_workers; i++) {
		struct worker *w = &workers[i];

		migrations += worker_tasks[i]->nr_migrations;
		kt_stop(worker_tasks[i]);
		windows += w->s.loops;
		KT_EXPECT(t, w->s.loops > 0);
		KT_EXPECT_EQ(t, w->bad_count, 0);
		KT_EXPECT_EQ(t, w->moved_inside, 0);
	}
	KT_NOTE("%lu preempt-disabled windows, %d tasksets, %lu migrations", windows,
		atomic_read(&mig.calls), migrations);
	KT_EXPECT_EQ(t, atomic_read(&mig.errors), 0);
	KT_EXPECT_EQ(t, atomic_read(&mig.stranded), 0);
	KT_EXPECT(t, migrations > 0);
	/* The runner's own count is intact too. */
	KT_EXPECT_EQ(t, preempt_count(), 0);
}

/* ---- simultaneous first wake-ups ---- */

#define WAKE_ROUNDS 20
#define WAKERS 2

static struct {
	struct task_struct *target;
	int round;			/* wakers go when this changes */
	atomic_t woken;			/* wake_up_process() calls that returned */
	atomic_t runs;			/* times a target started */
} nw;

static int waker_fn(void *arg)
{
	int seen = 0;

	(void)arg;
	while (!kthread_should_stop()) {
		int r = smp_load_acquire(&nw.round);

		if (r == seen) {
			cpu_relax();	/* spinning: the next round starts at once */
			continue;
		}
		seen = r;
		wake_up_process(READ_ONCE(nw.target));
		atomic_inc(&nw.woken);
	}
	return 0;
}

static int count_run(void *arg)
{
	(void)arg;
	atomic_inc(&nw.runs);
	kt_idle_until_stopped();
	return 0;
}

/*
 * Two CPUs wake the same never-run task at once: it must be queued
 * exactly once.  To make "at once" certain rather than lucky, we hold the
 * task's pi_lock until both wakers have seen TASK_NEW and are spinning on
 * it, as if the first waker were slow.
 */
static void simultaneous_new_task_wakeups(struct ktest *t)
{
	struct task_struct *wakers[WAKERS] = { NULL };
	cpumask_t saved, here;
	unsigned int cpu;

	if (kt_ncpus() < 3)
		KT_SKIP(t, "needs two wakers and a CPU for the holder");
	nw.round = 0;
	atomic_set(&nw.runs, 0);
	/* We spin with IRQs masked below: stay off the wakers' CPUs. */
	cpumask_copy(&saved, &current->cpus_allowed);
	cpumask_clear(&here);
	cpumask_set_cpu(kt_cpu(WAKERS), &here);
	KT_ASSERT(t, set_cpus_allowed_ptr(current, &here) == 0);
	for (unsigned int i = 0; i < WAKERS; i++) {
		wakers[i] = kt_start(waker_fn, NULL, "kt-waker", (int)kt_cpu(i), 0);
		if (!wakers[i])
			break;
	}
	for (int r = 1; r <= WAKE_ROUNDS && wakers[WAKERS - 1]; r++) {
		struct task_struct *p = kthread_create(count_run, NULL, "kt-newborn");
		unsigned long flags;
		bool both;

		if (!p)
			break;
		atomic_set(&nw.woken, 0);
		WRITE_ONCE(nw.target, p);
		spin_lock_irqsave(&p->pi_lock, flags);
		smp_store_release(&nw.round, r);
		both = KT_SPIN_UNTIL(kt_lock_waiters(&p->pi_lock) == WAKERS, 3000);
		spin_unlock_irqrestore(&p->pi_lock, flags);
		KT_EXPECT(t, both);
		KT_EXPECT(t, KT_SPIN_UNTIL(atomic_read(&nw.woken) == WAKERS, KT_LIVENESS_MS));
		KT_EXPECT(t, KT_SPIN_UNTIL(atomic_read(&nw.runs) == r, KT_LIVENESS_MS));
		kthread_stop(p);
		if (t->failures)
			break;
	}
	for (unsigned int i = 0; i < WAKERS; i++)
		if (wakers[i])
			kt_stop(wakers[i]);
	set_cpus_allowed_ptr(current, &saved);
	KT_EXPECT_EQ(t, atomic_read(&nw.runs), WAKE_ROUNDS);
	/* Nothing left queued: a task queued twice would leave a count. */
	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			KT_EXPECT(t, KT_WAIT_UNTIL(nr_running_on(cpu) == 0, KT_LIVENESS_MS));
}

/* Every helper thread is gone and every CPU still takes interrupts. */
static void cleanup(struct ktest *t)
{
	KT_EXPECT_EQ(t, kt_stop_all(), 0);
	KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);
	KT_EXPECT_EQ(t, cpu_violations(), 0);
}

KTEST_SUITE(sched_stress,
	KT_CASE(producer_consumer_pairs),
	KT_CASE(migration_stress),
	KT_CASE(preempt_windows_under_tasksets),
	KT_CASE(simultaneous_new_task_wakeups),
	KT_CASE(cleanup));
