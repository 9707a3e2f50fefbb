/* The sleeping mutex: mutual exclusion under contention from every CPU,
 * hand-off to the oldest waiter (so nobody starves), trylock. */
#include "sched_util.h"

static DEFINE_MUTEX(m);

static void trylock_and_is_locked(struct ktest *t)
{
	KT_EXPECT(t, !mutex_is_locked(&m));
	KT_EXPECT(t, mutex_trylock(&m));
	KT_EXPECT(t, mutex_is_locked(&m));
	KT_EXPECT(t, !mutex_trylock(&m));
	mutex_unlock(&m);
	KT_EXPECT(t, !mutex_is_locked(&m));
	mutex_lock(&m);
	KT_EXPECT(t, m.owner == current);
	mutex_unlock(&m);
}

#define COUNT_LOOPS 200

static struct {
	u64 counter;			/* protected by m, updated non-atomically */
	atomic_t inside;		/* holders right now: must never exceed 1 */
	atomic_t overlaps;
	u64 deadline;
	u64 done[NR_CPUS];		/* per thread: completed critical sections */
} cnt;

static int counter_fn(void *arg)
{
	unsigned int me = (unsigned int)(long)arg;

	for (int i = 0; i < COUNT_LOOPS && kt_now_ns() < cnt.deadline; i++) {
		u64 v;

		mutex_lock(&m);
		if (atomic_inc_return(&cnt.inside) != 1)
			atomic_inc(&cnt.overlaps);
		/* Read, wait a little, write: another holder would lose an
		 * update here. */
		v = READ_ONCE(cnt.counter);
		for (int k = 0; k < 50; k++)
			cpu_relax();
		WRITE_ONCE(cnt.counter, v + 1);
		if (i == 1 && me < 4)
			msleep(1);	/* sleeping while holding it is allowed */
		atomic_add_return(-1, &cnt.inside);
		mutex_unlock(&m);
		WRITE_ONCE(cnt.done[me], cnt.done[me] + 1);
	}
	kt_idle_until_stopped();
	return 0;
}

/* One thread per CPU hammering one mutex: the counter adds up. */
static void counter_adds_up_all_cpus(struct ktest *t)
{
	struct task_struct *p[NR_CPUS];
	unsigned int n = kt_ncpus();
	u64 sum = 0;

	cnt.counter = 0;
	atomic_set(&cnt.inside, 0);
	atomic_set(&cnt.overlaps, 0);
	cnt.deadline = kt_now_ns() + 1500 * 1000000ULL;
	for (unsigned int i = 0; i < n; i++) {
		cnt.done[i] = 0;
		p[i] = kt_start(counter_fn, (void *)(long)i, "kt-mutex", (int)kt_cpu(i), 0);
		KT_ASSERT(t, p[i]);
	}
	for (unsigned int i = 0; i < n; i++)
		KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(cnt.done[i]) == COUNT_LOOPS ||
					  kt_now_ns() > cnt.deadline, KT_LIVENESS_MS));
	/* Stopped first: past the deadline a thread still finishes the
	 * round it is in, and only then is its count final. */
	for (unsigned int i = 0; i < n; i++)
		kt_stop(p[i]);
	for (unsigned int i = 0; i < n; i++) {
		sum += cnt.done[i];
		KT_EXPECT(t, cnt.done[i] > 0);
	}
	KT_EXPECT_EQ(t, cnt.counter, sum);
	KT_EXPECT_EQ(t, atomic_read(&cnt.overlaps), 0);
	KT_EXPECT(t, !mutex_is_locked(&m));
}

#define HANDOFF_ROUNDS 40

/* All fields but 'stop' are written only by the mutex holder. */
static struct {
	u64 hammer_count;		/* the hammer's acquisitions */
	unsigned int got;		/* the waiter's acquisitions */
	bool waiter_was_queued;		/* at the hammer's last unlock */
	unsigned int got_then;		/* 'got' at that unlock */
	unsigned int unfair;		/* hammer re-took it over a queued waiter */
	volatile bool stop;
} ho;

static int hammer_fn(void *arg)
{
	(void)arg;
	while (!READ_ONCE(ho.stop) && !kthread_should_stop()) {
		mutex_lock(&m);
		/* With hand-off, our unlock gave a queued waiter the mutex,
		 * so it must have had its turn before this one of ours. */
		if (ho.waiter_was_queued && ho.got == ho.got_then)
			ho.unfair++;
		ho.hammer_count++;
		for (int k = 0; k < 20; k++)
			cpu_relax();
		/* Waiters leave the list only by being handed the mutex, so a
		 * waiter seen here is still queued at the unlock. */
		ho.waiter_was_queued = !list_empty(&m.waiters);
		ho.got_then = ho.got;
		mutex_unlock(&m);	/* and straight back to mutex_lock */
	}
	kt_idle_until_stopped();
	return 0;
}

static int waiter_fn(void *arg)
{
	u64 end = kt_now_ns() + 3000 * 1000000ULL;

	(void)arg;
	for (int i = 0; i < HANDOFF_ROUNDS && kt_now_ns() < end; i++) {
		u64 h;

		mutex_lock(&m);
		ho.got++;
		h = ho.hammer_count;
		mutex_unlock(&m);
		/* Let the hammer have it again before we queue up. */
		KT_SPIN_UNTIL(READ_ONCE(ho.hammer_count) > h, 50);
	}
	WRITE_ONCE(ho.stop, true);
	kt_idle_until_stopped();
	return 0;
}

/* A thread that re-locks at once cannot keep a waiter out: each unlock
 * with a waiter queued hands the mutex over. */
static void handoff_prevents_starvation(struct ktest *t)
{
	struct task_struct *h, *w;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "needs two CPUs (the hammer must run while the waiter waits)");
	memset(&ho, 0, sizeof(ho));
	h = kt_start(hammer_fn, NULL, "kt-hammer", (int)kt_cpu(0), 0);
	KT_ASSERT(t, h);
	/* Hammering before the waiter comes. */
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(ho.hammer_count) > 100, KT_LIVENESS_MS));
	w = kt_start(waiter_fn, NULL, "kt-waiter", (int)kt_cpu(1), 0);
	KT_ASSERT(t, w);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(ho.stop), KT_LIVENESS_MS));
	kt_stop(w);
	kt_stop(h);
	KT_NOTE("waiter %u times, hammer %lu times", ho.got, ho.hammer_count);
	KT_EXPECT_EQ(t, ho.got, HANDOFF_ROUNDS);
	KT_EXPECT(t, ho.hammer_count > 0);
	KT_EXPECT_EQ(t, ho.unfair, 0);
}

static struct {
	atomic_t arrived_order;
	int order[8];
} fifo;

static int fifo_fn(void *arg)
{
	int me = (int)(long)arg;

	mutex_lock(&m);
	fifo.order[atomic_inc_return(&fifo.arrived_order) - 1] = me;
	mutex_unlock(&m);
	kt_idle_until_stopped();
	return 0;
}

/* Waiters get the mutex in the order they started waiting. */
static void waiters_served_in_order(struct ktest *t)
{
	struct task_struct *p[6];
	int n = 6;

	atomic_set(&fifo.arrived_order, 0);
	mutex_lock(&m);
	for (int i = 0; i < n; i++) {
		fifo.order[i] = -1;
		p[i] = kt_start(fifo_fn, (void *)(long)i, "kt-fifo", (int)kt_cpu((unsigned int)i), 0);
		KT_ASSERT(t, p[i]);
		/* Asleep in mutex_lock before the next one starts. */
		KT_EXPECT(t, KT_WAIT_UNTIL(kt_is_asleep(p[i]), KT_LIVENESS_MS));
	}
	mutex_unlock(&m);
	KT_EXPECT(t, KT_WAIT_UNTIL(atomic_read(&fifo.arrived_order) == n, KT_LIVENESS_MS));
	for (int i = 0; i < n; i++) {
		KT_EXPECT_EQ(t, fifo.order[i], i);
		kt_stop(p[i]);
	}
	KT_EXPECT(t, !mutex_is_locked(&m));
}

/* Every helper thread is gone and every CPU still takes interrupts. */
static void cleanup(struct ktest *t)
{
	KT_EXPECT_EQ(t, kt_stop_all(), 0);
	KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);
}

KTEST_SUITE(mutex,
	KT_CASE(trylock_and_is_locked),
	KT_CASE(counter_adds_up_all_cpus),
	KT_CASE(handoff_prevents_starvation),
	KT_CASE(waiters_served_in_order),
	KT_CASE(cleanup));
