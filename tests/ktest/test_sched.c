/*
 * The fair scheduler on one CPU and wake-up placement across CPUs:
 * preemption shares a CPU, nice levels divide it by weight, a woken
 * sleeper preempts a busy task, and wake-ups go to an idle CPU, the
 * previous one if it is idle.
 */
#include "sched_util.h"
#include "../../kernel/sched/rq.h"

/*
 * The scheduler shares out wall-clock run time (sum_exec_runtime, from the
 * counter), so shares are judged in that.  Under TCG a host that stops
 * running a vCPU charges the stall to whichever task was current; the
 * scheduler then evens it out, so shares stay right while a single wait
 * can stretch by the length of the stall.
 */

/* Two CPU hogs pinned to one CPU: both keep running, turn about. */
static void two_spinners_share_one_cpu(struct ktest *t)
{
	static struct kt_spinner s[2];
	unsigned int cpu = kt_cpu(0);
	struct task_struct *p[2];
	u64 run[2], switches[2], ticks0;

	for (int i = 0; i < 2; i++) {
		kt_spinner_init(&s[i], (int)cpu);
		p[i] = kt_start(kt_spinner_fn, &s[i], "kt-share", (int)cpu, 0);
		KT_ASSERT(t, p[i]);
	}
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(s[0].loops) && READ_ONCE(s[1].loops), KT_LIVENESS_MS));
	for (int i = 0; i < 2; i++) {
		WRITE_ONCE(s[i].max_gap, 0);
		run[i] = READ_ONCE(p[i]->sum_exec_runtime);
		switches[i] = READ_ONCE(p[i]->nr_switches);
	}
	ticks0 = READ_ONCE(cpu_data[cpu].ticks);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(cpu_data[cpu].ticks) - ticks0 >= 30, KT_LIVENESS_MS));
	for (int i = 0; i < 2; i++)
		run[i] = READ_ONCE(p[i]->sum_exec_runtime) - run[i];
	KT_NOTE("30 ticks: ran %lu : %lu us, longest waits %lu and %lu ticks", run[0] / 1000,
		run[1] / 1000, s[0].max_gap, s[1].max_gap);
	for (int i = 0; i < 2; i++) {
		/* The slice is under a tick, so about every tick switches: a
		 * task waits a tick or two, more only after a host stall. */
		if (READ_ONCE(s[i].max_gap) > 10)
			ktest_fail(t, __FILE__, __LINE__, "spinner %d waited %lu ticks", i,
				   s[i].max_gap);
		KT_EXPECT(t, READ_ONCE(p[i]->nr_switches) - switches[i] >= 8);
		/* Equal weights: an even split, give or take a few ticks. */
		KT_EXPECT(t, run[i] * 10 >= (run[0] + run[1]) * 3);
		KT_EXPECT_EQ(t, s[i].stray, 0);
	}
	for (int i = 0; i < 2; i++)
		kt_stop(p[i]);
}

/* Run time of two pinned spinners of different nice over 'ticks' ticks. */
static void nice_split(struct ktest *t, int nice_a, int nice_b, u64 ticks, u64 *da, u64 *db)
{
	static struct kt_spinner s[2];
	unsigned int cpu = kt_cpu(0);
	struct task_struct *p[2];
	u64 r0[2], ticks0;

	kt_spinner_init(&s[0], -1);
	kt_spinner_init(&s[1], -1);
	p[0] = kt_start(kt_spinner_fn, &s[0], "kt-nice-a", (int)cpu, nice_a);
	p[1] = kt_start(kt_spinner_fn, &s[1], "kt-nice-b", (int)cpu, nice_b);
	*da = *db = 0;
	if (!p[0] || !p[1]) {
		ktest_fail(t, __FILE__, __LINE__, "out of memory");
		return;
	}
	KT_EXPECT_EQ(t, p[0]->nice, nice_a);
	KT_EXPECT_EQ(t, p[1]->nice, nice_b);
	/* Let the start-up placement settle, then measure. */
	ticks0 = READ_ONCE(cpu_data[cpu].ticks);
	KT_WAIT_UNTIL(READ_ONCE(cpu_data[cpu].ticks) - ticks0 >= 5, KT_LIVENESS_MS);
	r0[0] = READ_ONCE(p[0]->sum_exec_runtime);
	r0[1] = READ_ONCE(p[1]->sum_exec_runtime);
	ticks0 = READ_ONCE(cpu_data[cpu].ticks);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(cpu_data[cpu].ticks) - ticks0 >= ticks, 10000));
	*da = READ_ONCE(p[0]->sum_exec_runtime) - r0[0];
	*db = READ_ONCE(p[1]->sum_exec_runtime) - r0[1];
	kt_stop(p[0]);
	kt_stop(p[1]);
}

/* Shares follow the weights: run(a)/run(b) ~ weight(a)/weight(b). */
static void check_ratio(struct ktest *t, int nice_a, int nice_b)
{
	u64 da, db, want, got;

	nice_split(t, nice_a, nice_b, 60, &da, &db);
	if (!db) {
		ktest_fail(t, __FILE__, __LINE__, "nice %d got no CPU at all", nice_b);
		return;
	}
	/* In hundredths; 25% either way is a few ticks of 60. */
	want = 100ULL * nice_to_weight(nice_a) / nice_to_weight(nice_b);
	got = 100 * da / db;
	KT_NOTE("nice %d : %d ran %lu : %lu us, ratio %lu.%02lu (weights: %lu.%02lu)", nice_a, nice_b,
		da / 1000, db / 1000, got / 100, got % 100, want / 100, want % 100);
	/* Run time is wall time of the counter: with far more vCPUs than
	 * host cores (plain TCG, -smp 16 and up), a vCPU stalled by the host
	 * charges its stall to whoever runs, so there only the direction is
	 * checked.  -icount and real CPUs give the ratio within a few %. */
	if (num_online_cpus() > 8) {
		if (got * 2 < want)
			ktest_fail(t, __FILE__, __LINE__, "nice %d : %d ratio %lu.%02lu, want above %lu.%02lu",
				   nice_a, nice_b, got / 100, got % 100, want / 200, want / 2 % 100);
	} else if (got * 4 < want * 3 || got * 4 > want * 5) {
		ktest_fail(t, __FILE__, __LINE__, "nice %d : %d ran %lu : %lu us, ratio %lu.%02lu, want %lu.%02lu +-25%%",
			   nice_a, nice_b, da / 1000, db / 1000, got / 100, got % 100, want / 100,
			   want % 100);
	}
}

static void nice_divides_cpu_time(struct ktest *t)
{
	/* Linux's weights: 1024 for nice 0, about x1.25 per step. */
	KT_EXPECT_EQ(t, nice_to_weight(0), 1024);
	KT_EXPECT(t, nice_to_weight(5) >= 330 && nice_to_weight(5) <= 340);
	KT_EXPECT(t, nice_to_weight(-5) >= 3100 && nice_to_weight(-5) <= 3140);
	check_ratio(t, 0, 5);
	check_ratio(t, -3, 2);
}

static void set_user_nice_checks(struct ktest *t)
{
	static struct kt_spinner sp;
	struct task_struct *p, *stopper = NULL;

	kt_spinner_init(&sp, -1);
	p = kt_start(kt_spinner_fn, &sp, "kt-nice", -1, 3);
	KT_ASSERT(t, p);
	KT_EXPECT_EQ(t, set_user_nice(p, NICE_MAX + 1), -EINVAL);
	KT_EXPECT_EQ(t, set_user_nice(p, NICE_MIN - 1), -EINVAL);
	KT_EXPECT_EQ(t, p->nice, 3);
	KT_EXPECT_EQ(t, p->weight, nice_to_weight(3));
	/* While it runs: the new weight applies at once. */
	KT_EXPECT_EQ(t, set_user_nice(p, -2), 0);
	KT_EXPECT_EQ(t, p->weight, nice_to_weight(-2));
	kt_stop(p);
	/* The stopper and idle tasks have no nice level. */
	stopper = cpu_rq(0)->stop;
	KT_EXPECT_EQ(t, set_user_nice(stopper, 0), -EPERM);
	KT_EXPECT_EQ(t, set_user_nice(cpu_rq(0)->idle, 0), -EPERM);
}

/* A sleeper woken onto a busy CPU preempts the hog there at once,
 * rather than waiting for the hog's tick. */
struct sleeper {
	struct wait_queue_head wq;
	int kick, seen;
	unsigned int woke_on;
	u64 woke_ticks;			/* of the CPU it woke on, when it ran */
	u64 woke_at;
};

static int sleeper_fn(void *arg)
{
	struct sleeper *s = arg;

	while (!kthread_should_stop()) {
		KT_WAIT_EVENT(s->wq, READ_ONCE(s->kick) != READ_ONCE(s->seen));
		s->woke_on = smp_processor_id();
		s->woke_ticks = READ_ONCE(cpu_data[s->woke_on].ticks);
		s->woke_at = read_cntvct();
		smp_store_release(&s->seen, READ_ONCE(s->kick));
	}
	return 0;
}

/* Wake the sleeper; the CPU it ran on, or -1 if it did not run at all.
 * *waker_cpu: where the waker stood (busy, so never a target).
 * *ticks: ticks of 'cpu' from the wake-up until it ran. */
static int kick(struct sleeper *s, unsigned int *waker_cpu, unsigned int cpu, u64 *ticks)
{
	u64 ticks0 = READ_ONCE(cpu_data[cpu].ticks);
	int want;

	preempt_disable();
	if (waker_cpu)
		*waker_cpu = smp_processor_id();
	want = ++s->kick;
	wake_up(&s->wq);
	preempt_enable();
	if (!KT_WAIT_UNTIL(smp_load_acquire(&s->seen) == want, KT_LIVENESS_MS))
		return -1;
	if (ticks)
		*ticks = s->woke_ticks - ticks0;
	return (int)s->woke_on;
}

static void sleeper_init(struct sleeper *s)
{
	memset(s, 0, sizeof(*s));
	init_waitqueue_head(&s->wq);
}

static void woken_task_preempts_hog(struct ktest *t)
{
	static struct sleeper s;
	static struct kt_spinner hog;
	unsigned int cpu = kt_cpu(0), fast = 0;
	struct task_struct *sp, *hp;
	u64 ticks;

	sleeper_init(&s);
	kt_spinner_init(&hog, -1);
	sp = kt_start(sleeper_fn, &s, "kt-sleeper", (int)cpu, 0);
	hp = kt_start(kt_spinner_fn, &hog, "kt-hog", (int)cpu, 0);
	KT_ASSERT(t, sp && hp);
	KT_EXPECT(t, KT_WAIT_UNTIL(kt_is_asleep(sp) && READ_ONCE(hog.loops), KT_LIVENESS_MS));
	/* A new task starts level with the hog (no sleeper credit), so the
	 * first wake-up need not preempt: warm up with one. */
	kick(&s, NULL, cpu, NULL);
	KT_WAIT_UNTIL(kt_is_asleep(sp), KT_LIVENESS_MS);
	for (int i = 0; i < 10; i++) {
		u64 c0 = read_cntvct(), ns;

		KT_EXPECT_EQ(t, kick(&s, NULL, cpu, &ticks), (int)cpu);
		ns = cycles_to_ns(s.woke_at - c0);
		/* Before the hog's CPU took a tick, or well within one: a
		 * late tick (the host ran that vCPU late) and a slow vCPU
		 * (the host ran it late) each spoil one measure, rarely both. */
		if (ticks == 0 || ns < kt_tick_ns() / 2)
			fast++;
		KT_WAIT_UNTIL(kt_is_asleep(sp), KT_LIVENESS_MS);
	}
	KT_NOTE("%u of 10 wake-ups onto a busy CPU preempted it at once", fast);
	/* Waiting for the hog's slice to end would take a tick. */
	if (fast < 8)
		ktest_fail(t, __FILE__, __LINE__, "only %u of 10 wake-ups preempted at once", fast);
	kt_stop(hp);
	kt_stop(sp);
}

static void wakeup_prefers_previous_then_idle_cpu(struct ktest *t)
{
	static struct sleeper s;
	static struct kt_spinner hog;
	unsigned int k, waker;
	struct task_struct *sp, *hp;
	cpumask_t one;
	int cpu;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "one CPU: nowhere else to go");
	k = kt_cpu(0) == smp_processor_id() ? kt_cpu(1) : kt_cpu(0);
	sleeper_init(&s);
	sp = kt_start(sleeper_fn, &s, "kt-sleeper", (int)k, 0);
	KT_ASSERT(t, sp);
	KT_EXPECT(t, KT_WAIT_UNTIL(kt_is_asleep(sp), KT_LIVENESS_MS));
	/* Free to go anywhere now, but its old CPU is idle: it goes back. */
	KT_EXPECT_EQ(t, set_cpus_allowed_ptr(sp, cpu_online_mask), 0);
	for (int i = 0; i < 5; i++) {
		KT_EXPECT_EQ(t, kick(&s, &waker, k, NULL), (int)k);
		KT_EXPECT(t, KT_WAIT_UNTIL(kt_is_asleep(sp), KT_LIVENESS_MS));
	}
	if (kt_ncpus() < 3) {
		kt_stop(sp);
		return;
	}
	/* Its old CPU busy: an idle one instead (not the waker's, which is
	 * busy too, and there is a third). */
	kt_spinner_init(&hog, -1);
	hp = kt_start(kt_spinner_fn, &hog, "kt-hog", (int)k, 0);
	KT_ASSERT(t, hp);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(hog.loops), KT_LIVENESS_MS));
	cpu = kick(&s, &waker, k, NULL);
	KT_EXPECT(t, cpu >= 0 && cpu != (int)k && cpu != (int)waker);
	KT_EXPECT(t, KT_WAIT_UNTIL(kt_is_asleep(sp), KT_LIVENESS_MS));
	/* Allowed only on the busy CPU: it goes there all the same. */
	cpumask_clear(&one);
	cpumask_set_cpu(k, &one);
	KT_EXPECT_EQ(t, set_cpus_allowed_ptr(sp, &one), 0);
	KT_EXPECT_EQ(t, kick(&s, NULL, k, NULL), (int)k);
	kt_stop(hp);
	kt_stop(sp);
}

/* New tasks go to idle CPUs first, one each; then to the least loaded. */
static void new_tasks_spread_over_cpus(struct ktest *t)
{
	static struct kt_spinner s[16];
	struct task_struct *p[16];
	u64 mig0[16];
	unsigned int n = kt_ncpus(), first = MIN(n - 1, 8U), total, count[NR_CPUS] = { 0 };
	unsigned int cpu, lo = ~0u, hi = 0;
	cpumask_t used;

	if (n < 2)
		KT_SKIP(t, "one CPU: nothing to spread over");
	cpumask_clear(&used);
	for (unsigned int i = 0; i < first; i++) {
		unsigned int here;

		kt_spinner_init(&s[i], -1);
		preempt_disable();
		here = smp_processor_id();
		preempt_enable();
		cpumask_set_cpu(here, &used);
		p[i] = kt_start(kt_spinner_fn, &s[i], "kt-spread", -1, 0);
		KT_ASSERT(t, p[i]);
		cpu = task_cpu(p[i]);
		if (cpumask_test_cpu(cpu, &used))
			ktest_fail(t, __FILE__, __LINE__, "task %u placed on busy cpu%u", i, cpu);
		cpumask_set_cpu(cpu, &used);
	}
	total = first;
	/* At most 8 CPUs: twice as many tasks as CPUs, then count. */
	if (n <= 8) {
		for (; total < 2 * n; total++) {
			kt_spinner_init(&s[total], -1);
			p[total] = kt_start(kt_spinner_fn, &s[total], "kt-spread", -1, 0);
			KT_ASSERT(t, p[total]);
		}
		for (unsigned int i = 0; i < total; i++)
			count[task_cpu(p[i])]++;
		for_each_online_cpu(cpu) {
			lo = MIN(lo, count[cpu]);
			hi = MAX(hi, count[cpu]);
		}
		if (hi - lo > 1)
			ktest_fail(t, __FILE__, __LINE__, "%u tasks on %u CPUs: %u to %u per CPU",
				   total, n, lo, hi);
	}
	/* Each really runs where it was put, unless the load balancer
	 * moved it since (its nr_migrations says so). */
	for (unsigned int i = 0; i < total; i++)
		mig0[i] = READ_ONCE(p[i]->nr_migrations);
	for (unsigned int i = 0; i < total; i++)
		KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(s[i].loops) > 0, KT_LIVENESS_MS));
	for (unsigned int i = 0; i < total; i++) {
		bool stayed;

		cpu = task_cpu(p[i]);
		stayed = READ_ONCE(p[i]->nr_migrations) == mig0[i];
		kt_stop(p[i]);
		if (stayed)
			KT_EXPECT_EQ(t, s[i].loops_on[cpu], s[i].loops);
	}
}

/* Every helper thread is gone and every CPU still takes interrupts. */
static int count_unresponsive(void *arg)
{
	WRITE_ONCE(*(unsigned int *)arg, kt_unresponsive_cpus());
	kt_idle_until_stopped();
	return 0;
}

/* Wake-ups onto an idle CPU and taskset's stopper both need an IPI to
 * get there; the runner usually sits on CPU 0 and calls itself, so ask
 * from the other end. */
static void every_cpu_takes_ipis(struct ktest *t)
{
	static unsigned int bad;
	struct task_struct *p;

	bad = ~0u;
	p = kt_start(count_unresponsive, &bad, "kt-ipi", (int)kt_cpu(0), 0);
	KT_ASSERT(t, p);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(bad) != ~0u, 30000));
	kt_stop(p);
	KT_EXPECT_EQ(t, bad, 0);
}

static void cleanup(struct ktest *t)
{
	KT_EXPECT_EQ(t, kt_stop_all(), 0);
	KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);
}

KTEST_SUITE(sched,
	KTEST_CASE_TIMEOUT(every_cpu_takes_ipis, 40000),
	KT_CASE(two_spinners_share_one_cpu),
	KT_CASE(nice_divides_cpu_time),
	KT_CASE(set_user_nice_checks),
	KT_CASE(woken_task_preempts_hog),
	KT_CASE(wakeup_prefers_previous_then_idle_cpu),
	KT_CASE(new_tasks_spread_over_cpus),
	KT_CASE(cleanup));
