/* Sleeping and waking: completions, wait queues, timers, msleep and
 * wait_event_timeout, measured against the counter. */
#include "sched_util.h"

/*
 * Timed sleeps are checked twice: against the counter (never shorter than
 * asked) and in ticks of the CPU whose timer ends them (never longer than
 * the one-tick timer resolution allows: a tick to reach the expiry and one
 * to find it, plus one for luck).  A vCPU the host does not run takes no
 * ticks, so an overloaded host cannot make the second check fail, while a
 * lost wake-up that only a later event repairs still does.
 */
struct span {
	u64 t0, ticks0;
	unsigned int cpu;
};

static void span_start(struct span *s)
{
	preempt_disable();
	s->cpu = smp_processor_id();
	s->ticks0 = READ_ONCE(cpu_data[s->cpu].ticks);
	s->t0 = kt_now_ns();
	preempt_enable();
}

static void span_check(struct ktest *t, const struct span *s, u64 ms, const char *what)
{
	u64 ns = kt_now_ns() - s->t0, ticks = READ_ONCE(cpu_data[s->cpu].ticks) - s->ticks0;
	u64 most = (ms * tick_hz + 999) / 1000 + 3;

	if (ns < ms * 1000000 || ticks > most)
		ktest_fail(t, __FILE__, __LINE__, "%s for %lu ms took %lu us and %lu ticks (at most %lu)",
			   what, ms, ns / 1000, ticks, most);
}

static void complete_before_wait(struct ktest *t)
{
	struct completion c;
	u64 switches;

	init_completion(&c);
	KT_EXPECT(t, !completion_done(&c));
	complete(&c);
	KT_EXPECT(t, completion_done(&c));
	switches = current->nr_switches;
	wait_for_completion(&c);		/* must not sleep */
	KT_EXPECT_EQ(t, current->nr_switches, switches);
	KT_EXPECT(t, !completion_done(&c));	/* the one 'done' was used up */
	/* complete() counts: three calls let three waits through. */
	complete(&c);
	complete(&c);
	complete(&c);
	for (int i = 0; i < 3; i++)
		KT_EXPECT(t, wait_for_completion_timeout(&c, 1000000) != 0);
	KT_EXPECT_EQ(t, wait_for_completion_timeout(&c, 1000000), 0);
}

static void completion_timeout_returns_zero(struct ktest *t)
{
	struct completion c;
	struct span sp;

	init_completion(&c);
	span_start(&sp);
	KT_EXPECT_EQ(t, wait_for_completion_timeout(&c, 30 * 1000000ULL), 0);
	span_check(t, &sp, 30, "wait_for_completion_timeout");
}

struct waiter_arg {
	struct completion *c;
	atomic_t *released;
};

static int completion_waiter(void *arg)
{
	struct waiter_arg *w = arg;

	/* Bounded, so that a lost wake-up fails the case instead of
	 * hanging kthread_stop. */
	if (wait_for_completion_timeout(w->c, 10000 * 1000000ULL))
		atomic_inc(w->released);
	kt_idle_until_stopped();
	return 0;
}

/* complete_all() lets every waiter go, on every CPU, and every later one. */
static void complete_all_releases_everyone(struct ktest *t)
{
	static struct completion c;
	static atomic_t released;
	struct waiter_arg w = { &c, &released };
	struct task_struct *p[16];
	unsigned int n = MIN(16U, 2 * kt_ncpus());
	u64 t0;

	init_completion(&c);
	atomic_set(&released, 0);
	for (unsigned int i = 0; i < n; i++) {
		p[i] = kt_start(completion_waiter, &w, "kt-cwait", (int)kt_cpu(i), 0);
		KT_ASSERT(t, p[i]);
	}
	/* All asleep on the completion before it fires. */
	for (unsigned int i = 0; i < n; i++)
		KT_EXPECT(t, KT_WAIT_UNTIL(kt_is_asleep(p[i]), KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, atomic_read(&released), 0);
	t0 = kt_now_ns();
	complete_all(&c);
	KT_EXPECT(t, KT_WAIT_UNTIL(atomic_read(&released) == (int)n, KT_LIVENESS_MS));
	KT_NOTE("%u waiters released in %lu ms", n, kt_ms_since(t0));
	KT_EXPECT_EQ(t, atomic_read(&released), n);
	wait_for_completion(&c);		/* stays done */
	KT_EXPECT(t, wait_for_completion_timeout(&c, 1000000) != 0);
	reinit_completion(&c);
	KT_EXPECT(t, !completion_done(&c));
	for (unsigned int i = 0; i < n; i++)
		kt_stop(p[i]);
}

/* One complete() wakes one of several waiters, not all. */
static void complete_releases_one(struct ktest *t)
{
	static struct completion c;
	static atomic_t released;
	struct waiter_arg w = { &c, &released };
	struct task_struct *p[4];

	init_completion(&c);
	atomic_set(&released, 0);
	for (int i = 0; i < 4; i++) {
		p[i] = kt_start(completion_waiter, &w, "kt-cone", (int)kt_cpu((unsigned int)i), 0);
		KT_ASSERT(t, p[i]);
	}
	for (int i = 0; i < 4; i++)
		KT_EXPECT(t, KT_WAIT_UNTIL(kt_is_asleep(p[i]), KT_LIVENESS_MS));
	complete(&c);
	KT_EXPECT(t, KT_WAIT_UNTIL(atomic_read(&released) == 1, KT_LIVENESS_MS));
	msleep(30);
	KT_EXPECT_EQ(t, atomic_read(&released), 1);
	complete(&c);
	complete(&c);
	complete(&c);
	KT_EXPECT(t, KT_WAIT_UNTIL(atomic_read(&released) == 4, KT_LIVENESS_MS));
	for (int i = 0; i < 4; i++)
		kt_stop(p[i]);
}

static void msleep_duration(struct ktest *t)
{
	static const unsigned int ms[] = { 1, 5, 10, 25, 60 };
	struct span sp;

	for (size_t i = 0; i < ARRAY_SIZE(ms); i++) {
		span_start(&sp);
		msleep(ms[i]);
		span_check(t, &sp, ms[i], "msleep");
	}
}

static DECLARE_WAIT_QUEUE_HEAD(wq);
static volatile int flag;

static int set_flag_later(void *arg)
{
	msleep((unsigned int)(long)arg);
	WRITE_ONCE(flag, 1);
	wake_up(&wq);
	kt_idle_until_stopped();
	return 0;
}

static void wait_event_timeout_cases(struct ktest *t)
{
	struct task_struct *p;
	u64 t0, t1, left, ms, switches;
	struct span sp;

	/* Already true: no sleep, at least 1 left. */
	WRITE_ONCE(flag, 1);
	switches = current->nr_switches;
	left = wait_event_timeout(wq, READ_ONCE(flag), 50 * 1000000ULL);
	KT_EXPECT(t, left >= 1);
	KT_EXPECT_EQ(t, current->nr_switches, switches);
	/* Never true: 0, after the timeout. */
	WRITE_ONCE(flag, 0);
	span_start(&sp);
	left = wait_event_timeout(wq, READ_ONCE(flag), 40 * 1000000ULL);
	KT_EXPECT_EQ(t, left, 0);
	span_check(t, &sp, 40, "wait_event_timeout");
	/* Made true by another CPU 20 ms on: returns early, and what is
	 * left plus what passed is the timeout (2% for clock rounding). */
	t0 = kt_now_ns();
	p = kt_start(set_flag_later, (void *)20L, "kt-flag", (int)kt_cpu(0), 0);
	KT_ASSERT(t, p);
	/* The wait starts here: kt_start may have lost time to the host. */
	t1 = kt_now_ns();
	left = wait_event_timeout(wq, READ_ONCE(flag), 2000 * 1000000ULL);
	ms = kt_ms_since(t1);
	KT_EXPECT(t, READ_ONCE(flag));
	KT_EXPECT(t, kt_ms_since(t0) >= 20 && ms < 2000);
	KT_EXPECT(t, left > 0);
	if (left / 1000000 + ms < 1960 || left / 1000000 + ms > 2040)
		ktest_fail(t, __FILE__, __LINE__, "%lu ms passed, %lu ms left of 2000", ms,
			   left / 1000000);
	kt_stop(p);
}

struct wq_waiter {
	struct wait_queue_head *wq;
	volatile int *go;
	atomic_t *woken;
};

static int wq_waiter_fn(void *arg)
{
	struct wq_waiter *w = arg;

	KT_WAIT_EVENT(*w->wq, READ_ONCE(*w->go));
	if (READ_ONCE(*w->go))
		atomic_inc(w->woken);
	kt_idle_until_stopped();
	return 0;
}

/* wake_up() wakes every waiter on the queue, whatever CPU they sleep on. */
static void wake_up_wakes_all(struct ktest *t)
{
	static DECLARE_WAIT_QUEUE_HEAD(q);
	static volatile int go;
	static atomic_t woken;
	struct wq_waiter w = { &q, &go, &woken };
	struct task_struct *p[12];
	unsigned int n = MIN(12U, kt_ncpus() + 2);

	go = 0;
	atomic_set(&woken, 0);
	for (unsigned int i = 0; i < n; i++) {
		p[i] = kt_start(wq_waiter_fn, &w, "kt-wq", (int)kt_cpu(i), 0);
		KT_ASSERT(t, p[i]);
	}
	for (unsigned int i = 0; i < n; i++)
		KT_EXPECT(t, KT_WAIT_UNTIL(kt_is_asleep(p[i]), KT_LIVENESS_MS));
	WRITE_ONCE(go, 1);
	wake_up(&q);
	KT_EXPECT(t, KT_WAIT_UNTIL(atomic_read(&woken) == (int)n, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, atomic_read(&woken), n);
	for (unsigned int i = 0; i < n; i++)
		kt_stop(p[i]);
}

static atomic_t timer_runs;

static void count_timer(struct timer_list *tl)
{
	(void)tl;
	atomic_inc(&timer_runs);
}

static void timers_fire_once_and_cancel(struct ktest *t)
{
	struct timer_list a, b;
	u64 t0 = kt_now_ns();

	atomic_set(&timer_runs, 0);
	timer_setup(&a, count_timer);
	timer_setup(&b, count_timer);
	add_timer_ns(&a, 15 * 1000000ULL);
	add_timer_ns(&b, 30 * 1000000ULL);
	del_timer_sync(&b);			/* cancelled before it expires */
	KT_EXPECT(t, KT_SPIN_UNTIL(atomic_read(&timer_runs) == 1, KT_LIVENESS_MS));
	KT_EXPECT(t, kt_ms_since(t0) >= 15);
	msleep(60);
	KT_EXPECT_EQ(t, atomic_read(&timer_runs), 1);
	KT_EXPECT(t, !a.pending && !b.pending);
	del_timer_sync(&a);			/* already ran: harmless */
}

/*
 * A waiter may free its completion (it is often on its stack) as soon as
 * wait_for_completion() returns, so complete() must be done with it by
 * then.  The waiter here "frees" it by overwriting its lock with a marker
 * in the unlocked state; a completer still at work on it would take and
 * release that lock, and the marker would change.
 */
#define FREE_MARK 0x12341234u

static struct {
	struct completion c;
	volatile int round;		/* the completer goes when this changes */
	volatile int busy;		/* completer inside complete() */
	volatile int ready;		/* waiter about to wait */
	u64 seed;
} cf;

static int completer_fn(void *arg)
{
	int seen = 0;

	(void)arg;
	while (!kthread_should_stop()) {
		int r = READ_ONCE(cf.round);

		if (r == seen) {
			cpu_relax();
			continue;
		}
		seen = r;
		WRITE_ONCE(cf.busy, 1);
		KT_SPIN_UNTIL(READ_ONCE(cf.ready) == r, 100);
		udelay(kt_rand(&cf.seed) % 3);	/* land anywhere in the waiter's path */
		complete(&cf.c);
		WRITE_ONCE(cf.busy, 0);
	}
	return 0;
}

static void completion_done_with_before_waiter_returns(struct ktest *t)
{
	struct task_struct *p;
	unsigned int late = 0, rounds = 0;
	u64 end = kt_now_ns() + 1500 * 1000000ULL;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "needs the completer on another CPU");
	cf.round = cf.ready = 0;
	cf.seed = 42;
	p = kt_start(completer_fn, NULL, "kt-completer", (int)kt_cpu(0), 0);
	KT_ASSERT(t, p);
	for (int r = 1; r <= 3000 && kt_now_ns() < end; r++, rounds++) {
		init_completion(&cf.c);
		WRITE_ONCE(cf.round, r);
		/* Awake and checking while complete() runs: the dangerous case
		 * (a sleeping waiter is only woken from inside it). */
		KT_SPIN_UNTIL(READ_ONCE(cf.busy), 100);
		WRITE_ONCE(cf.ready, r);
		udelay(kt_rand(&cf.seed) % 3);
		wait_for_completion(&cf.c);
		/* "Free" it, then let the completer finish whatever it does. */
		__atomic_store_n((u32 *)&cf.c.wait.lock, FREE_MARK, __ATOMIC_SEQ_CST);
		KT_SPIN_UNTIL(!READ_ONCE(cf.busy), 100);
		if (__atomic_load_n((u32 *)&cf.c.wait.lock, __ATOMIC_SEQ_CST) != FREE_MARK)
			late++;
	}
	kt_stop(p);
	KT_NOTE("%u rounds", rounds);
	if (late)
		ktest_fail(t, __FILE__, __LINE__, "complete() used the completion after its waiter returned, %u of %u times",
			   late, rounds);
}

/* Every helper thread is gone and every CPU still takes interrupts. */
static void cleanup(struct ktest *t)
{
	KT_EXPECT_EQ(t, kt_stop_all(), 0);
	KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);
}

KTEST_SUITE(wait,
	KT_CASE(complete_before_wait),
	KT_CASE(completion_timeout_returns_zero),
	KT_CASE(complete_all_releases_everyone),
	KT_CASE(complete_releases_one),
	KT_CASE(msleep_duration),
	KT_CASE(wait_event_timeout_cases),
	KT_CASE(wake_up_wakes_all),
	KT_CASE(timers_fire_once_and_cancel),
	KT_CASE(completion_done_with_before_waiter_returns),
	KT_CASE(cleanup));
