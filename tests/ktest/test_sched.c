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
 * scheduler pays it back (the other task runs until their vruntimes meet
 * again), so the share is right over any stretch of time that does not
 * end with a debt outstanding.  A window that ends just after a stall
 * measures the debt, not the share: so both ends of a measurement are
 * taken at a moment when the two vruntimes are within one tick of the
 * lighter task's vruntime (vr_close), read under the runqueue lock with
 * the run times, and the error that leaves is at most two ticks of each
 * task's run time, whatever the host did.
 */
struct pair_sample {
	u64 run[2];
	s64 gap;			/* vruntime[0] - vruntime[1] */
};

static void pair_read(unsigned int cpu, struct task_struct *const p[2], struct pair_sample *ps)
{
	struct rq *rq = cpu_rq(cpu);
	unsigned long flags = local_irq_save();

	arch_spin_lock(&rq->lock);
	for (int i = 0; i < 2; i++)
		ps->run[i] = p[i]->sum_exec_runtime;
	ps->gap = (s64)(p[0]->vruntime - p[1]->vruntime);
	arch_spin_unlock(&rq->lock);
	local_irq_restore(flags);
}

/* One tick of run time of the lighter task, in vruntime. */
static s64 vr_tick(struct task_struct *const p[2])
{
	u64 w = MIN(p[0]->weight, p[1]->weight);

	return (s64)(kt_tick_ns() * NICE_0_WEIGHT / (w ? w : 1));
}

static bool vr_close(unsigned int cpu, struct task_struct *const p[2], struct pair_sample *ps)
{
	pair_read(cpu, p, ps);
	return ps->gap <= vr_tick(p) && ps->gap >= -vr_tick(p);
}

/*
 * Run time of p[0] and p[1] (both on cpu) over at least 'ticks' ticks of
 * cpu, from one moment without debt to another (above).  The waits are
 * liveness bounds.  Returns false if no such moment came.
 */
static bool measure_shares(unsigned int cpu, struct task_struct *const p[2], u64 ticks, u64 d[2])
{
	struct pair_sample a, b;
	u64 ticks0;

	if (!KT_WAIT_UNTIL(vr_close(cpu, p, &a), KT_LIVENESS_MS))
		return false;
	ticks0 = READ_ONCE(cpu_data[cpu].ticks);
	if (!KT_WAIT_UNTIL(READ_ONCE(cpu_data[cpu].ticks) - ticks0 >= ticks, 10000))
		return false;
	if (!KT_WAIT_UNTIL(vr_close(cpu, p, &b), KT_LIVENESS_MS))
		return false;
	for (int i = 0; i < 2; i++)
		d[i] = b.run[i] - a.run[i];
	return true;
}

/* Ticks cpu missed over [t0, now] (time the host did not run it): the
 * most a debt can come to, so the most extra waiting it can cause. */
static u64 ticks_missed(unsigned int cpu, u64 t0, u64 ticks0)
{
	u64 expected = (kt_now_ns() - t0) / kt_tick_ns(), got = READ_ONCE(cpu_data[cpu].ticks) - ticks0;

	return expected > got ? expected - got : 0;
}

/* Two CPU hogs pinned to one CPU: both keep running, turn about. */
static void two_spinners_share_one_cpu(struct ktest *t)
{
	static struct kt_spinner s[2];
	unsigned int cpu = kt_cpu(0);
	struct task_struct *p[2];
	u64 run[2], switches[2], ticks0, t0, missed, ticked, turns;
	bool ok;

	for (int i = 0; i < 2; i++) {
		kt_spinner_init(&s[i], (int)cpu);
		p[i] = kt_start(kt_spinner_fn, &s[i], "kt-share", (int)cpu, 0);
		KT_ASSERT(t, p[i]);
	}
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(s[0].loops) && READ_ONCE(s[1].loops), KT_LIVENESS_MS));
	for (int i = 0; i < 2; i++) {
		WRITE_ONCE(s[i].max_gap, 0);
		switches[i] = READ_ONCE(p[i]->nr_switches);
	}
	t0 = kt_now_ns();
	ticks0 = READ_ONCE(cpu_data[cpu].ticks);
	ok = measure_shares(cpu, p, 30, run);
	KT_EXPECT(t, ok);
	missed = ticks_missed(cpu, t0, ticks0);
	ticked = READ_ONCE(cpu_data[cpu].ticks) - ticks0;
	/* Each gets the CPU about every other tick; a host stall is paid
	 * back by the other one in a run of up to 'missed' ticks. */
	turns = ticked > 2 * missed + 8 ? (ticked - 2 * missed) / 4 : 1;
	KT_NOTE("30+ ticks: ran %lu : %lu us, longest waits %lu and %lu ticks, %lu ticks missed, switched in %lu and %lu times in %lu ticks",
		run[0] / 1000, run[1] / 1000, s[0].max_gap, s[1].max_gap, missed,
		READ_ONCE(p[0]->nr_switches) - switches[0], READ_ONCE(p[1]->nr_switches) - switches[1], ticked);
	for (int i = 0; i < 2; i++) {
		/* The slice is under a tick, so about every tick switches: a
		 * task waits a tick or two, plus the pay-back of a host stall
		 * charged to the other one (at most the ticks the CPU missed). */
		if (READ_ONCE(s[i].max_gap) > 4 + missed)
			ktest_fail(t, __FILE__, __LINE__, "spinner %d waited %lu ticks (%lu missed)", i,
				   s[i].max_gap, missed);
		KT_EXPECT(t, READ_ONCE(p[i]->nr_switches) - switches[i] >= turns);
		/* Equal weights: an even split, within the two ticks each
		 * way that the end points allow (of 30 or more). */
		KT_EXPECT(t, run[i] * 10 >= (run[0] + run[1]) * 4);
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
	u64 d[2] = { 0, 0 }, ticks0;

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
	KT_EXPECT(t, measure_shares(cpu, p, ticks, d));
	*da = d[0];
	*db = d[1];
	kt_stop(p[0]);
	kt_stop(p[1]);
}

/* Shares follow the weights: run(a)/run(b) ~ weight(a)/weight(b). */
static void check_ratio(struct ktest *t, int nice_a, int nice_b)
{
	u64 da, db, want, got;

	nice_split(t, nice_a, nice_b, 100, &da, &db);
	if (!db) {
		ktest_fail(t, __FILE__, __LINE__, "nice %d got no CPU at all", nice_b);
		return;
	}
	/* In hundredths.  The end points differ by at most two ticks of
	 * the lighter task's vruntime, under 10% of what 100 ticks give
	 * either pair here; an equal split (weights ignored) is far out. */
	want = 100ULL * nice_to_weight(nice_a) / nice_to_weight(nice_b);
	got = 100 * da / db;
	KT_NOTE("nice %d : %d ran %lu : %lu us, ratio %lu.%02lu (weights: %lu.%02lu)", nice_a, nice_b,
		da / 1000, db / 1000, got / 100, got % 100, want / 100, want % 100);
	if (got * 100 < want * 80 || got * 100 > want * 120)
		ktest_fail(t, __FILE__, __LINE__, "nice %d : %d ran %lu : %lu us, ratio %lu.%02lu, want %lu.%02lu +-20%%",
			   nice_a, nice_b, da / 1000, db / 1000, got / 100, got % 100, want / 100,
			   want % 100);
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
		mig0[i] = READ_ONCE(p[i]->nr_migrations);	/* placed: moves count from here */
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
			mig0[total] = READ_ONCE(p[total]->nr_migrations);
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
	 * moved it since it was placed (its nr_migrations says so: counted
	 * from right after kt_start, before the balancer could move it). */
	for (unsigned int i = 0; i < total; i++)
		KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(s[i].loops) > 0, KT_LIVENESS_MS));
	for (unsigned int i = 0; i < total; i++) {
		cpu = task_cpu(p[i]);
		kt_stop(p[i]);
		/* Whether it moved, as the task saw it when it stopped: asked
		 * before the stop, a pull between the question and the stop
		 * (balancers are busy as the CPUs empty) left one loop
		 * elsewhere.  Not moved: task_cpu() was its only CPU. */
		if (s[i].migrations_at_exit == mig0[i])
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
