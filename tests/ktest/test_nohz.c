/*
 * Tickless idle, NOHZ idle balancing, the balance trigger and the work
 * conservation checker (kernel/sched/nohz.c, balance_trigger.c,
 * wc_check.c, docs/balance.md).  Every case checks the expectation of the
 * mode the kernel runs in: NOHZ on (default) or nohz=off (the
 * ktest-nohz-off-smp4 matrix entry).
 */
#include "sched_util.h"
#include "irq.h"
#include "params.h"
#include "softirq.h"
#include "asm/irqflags.h"
#include "../../kernel/sched/rq.h"

static u64 ms_ticks(u64 ms) { return ms * tick_hz / 1000; }

static void mode_follows_boot_argument(struct ktest *t)
{
	KT_EXPECT_EQ(t, tick_nohz_enabled(), boot_params.nohz);
}

/* Idle CPUs with no timer of their own take no tick in 200 ms while we
 * sleep (NOHZ), or about one per period (nohz=off). */
static void idle_cpus_take_no_ticks(struct ktest *t)
{
	static u64 ticks[NR_CPUS], since[NR_CPUS];
	static bool watched[NR_CPUS];
	unsigned int cpu, self = smp_processor_id(), n = 0;

	cpumask_t mine, where;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "needs a second CPU to watch");
	/* Sit on a CPU that has timers anyway (at -smp 2 the other CPU
	 * usually holds the ktest runner's watchdog): then every other CPU
	 * is free of timers and can be watched, ours included in none. */
	cpumask_copy(&mine, &current->cpus_allowed);
	for_each_online_cpu(cpu) {
		if (cpu == self || !timers_pending_on(cpu))
			continue;
		cpumask_clear(&where);
		cpumask_set_cpu(cpu, &where);
		if (!set_cpus_allowed_ptr(current, &where))
			self = smp_processor_id();
		break;
	}
	/* A moment for CPUs that just finished something to go idle. */
	msleep(30);
	for_each_online_cpu(cpu) {
		struct rq *rq = cpu_rq(cpu);

		since[cpu] = READ_ONCE(rq->idle_since);
		watched[cpu] = cpu != self && since[cpu] && !timers_pending_on(cpu);
		ticks[cpu] = READ_ONCE(cpu_data[cpu].ticks);
	}
	msleep(200);
	for_each_online_cpu(cpu) {
		u64 d = READ_ONCE(cpu_data[cpu].ticks) - ticks[cpu];

		/* Only CPUs idle all along (same idle period), timer-free. */
		if (!watched[cpu] || READ_ONCE(cpu_rq(cpu)->idle_since) != since[cpu] ||
		    timers_pending_on(cpu))
			continue;
		n++;
		if (tick_nohz_enabled()) {
			if (d)
				ktest_fail(t, __FILE__, __LINE__, "idle cpu%u took %lu ticks in 200 ms",
					   cpu, d);
			KT_EXPECT(t, READ_ONCE(cpu_rq(cpu)->nohz_tick_stopped));
		} else if (!d) {
			/* Any tick at all: plain TCG with many vCPUs may
			 * not run a vCPU for 200 ms, not for all of them. */
			ktest_fail(t, __FILE__, __LINE__, "cpu%u took no tick with nohz=off", cpu);
		}
	}
	KT_NOTE("%u idle CPUs watched (the test on cpu%u)", n, self);
	set_cpus_allowed_ptr(current, &mine);
	/* With the test on the timer-holding CPU, some other CPU is idle
	 * and timer-free all along, at -smp 2 too: watching none means a
	 * CPU was woken, or kept a timer, that should not have. */
	KT_EXPECT(t, n >= 1);
}

struct sleeper {
	u64 t0, t1, ticks0, ticks1;
	unsigned int cpu;
	int done;
};

static int sleep20_fn(void *arg)
{
	struct sleeper *s = arg;

	preempt_disable();
	s->cpu = smp_processor_id();
	s->ticks0 = READ_ONCE(cpu_data[s->cpu].ticks);
	s->t0 = kt_now_ns();
	preempt_enable();
	msleep(20);
	preempt_disable();
	s->t1 = kt_now_ns();
	s->ticks1 = READ_ONCE(cpu_data[s->cpu].ticks);
	preempt_enable();
	smp_store_release(&s->done, 1);
	kt_idle_until_stopped();
	return 0;
}

/* msleep(20) on an otherwise idle CPU: never early, and its CPU takes the
 * one timer event (NOHZ) or the periodic ticks of 20 ms (nohz=off). */
static void msleep_on_idle_cpu_is_on_time(struct ktest *t)
{
	static struct sleeper s;
	struct task_struct *p;
	unsigned int cpu, quiet = NR_CPUS;
	u64 us, ticks;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "needs a CPU other than the test's");
	/* An idle CPU with no timer of its own, preferring high numbers
	 * (away from the runner and the shell). */
	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id() && idle_cpu(cpu) && !timers_pending_on(cpu))
			quiet = cpu;
	if (quiet == NR_CPUS)
		KT_SKIP(t, "no idle CPU without timers to sleep on");
	memset(&s, 0, sizeof(s));
	p = kt_start(sleep20_fn, &s, "kt-sleep20", (int)quiet, 0);
	KT_ASSERT(t, p);
	KT_EXPECT(t, KT_WAIT_UNTIL(smp_load_acquire(&s.done), KT_LIVENESS_MS));
	kt_stop(p);
	us = (s.t1 - s.t0) / 1000;
	ticks = s.ticks1 - s.ticks0;
	KT_NOTE("msleep(20) on cpu%u: %lu us, %lu ticks of its CPU", s.cpu, us, ticks);
	KT_EXPECT(t, us >= 20000);
	/* The event is programmed for the expiry itself: on time within a
	 * tick or two, where the host runs every vCPU (up to 8). */
	if (kt_ncpus() <= 8)
		KT_EXPECT(t, us <= 20000 + 2 * 1000000 / tick_hz);
	/* Others' timers on that CPU would add events: none expected. */
	if (timers_pending_on(s.cpu))
		KT_NOTE("cpu%u has %u timers of others now", s.cpu, timers_pending_on(s.cpu));
	if (tick_nohz_enabled())
		KT_EXPECT(t, ticks <= 2);	/* the one-shot event, a restarted tick */
	else
		KT_EXPECT(t, ticks <= ms_ticks(20) + 3);
}

/* What the balance action saw, from the observer hook. */
static struct {
	u64 passes, irqs_off, outside_softirq, not_idle, idle, remote;
	int hold;			/* 1: hold the next NOHZ pass; 2: held */
	unsigned int busy_cpu;
	u64 recv_before, recv_after, supp_before, supp_after;
	int held_on;
} obs;

/* The runqueue counter 'field' summed over the online CPUs, leaving out
 * CPU 'except' (-1: none). */
#define rq_total(field, except) ({						\
	unsigned int __cpu;							\
	u64 __n = 0;								\
	for_each_online_cpu(__cpu)						\
		if (__cpu != (unsigned int)(except))				\
			__n += READ_ONCE(cpu_rq(__cpu)->field);			\
	__n;									\
})

static void observe(struct rq *rq, enum cpu_idle_type idle)
{
	struct nohz_info ni;

	WRITE_ONCE(obs.passes, obs.passes + 1);
	if (irqs_disabled())
		WRITE_ONCE(obs.irqs_off, obs.irqs_off + 1);
	if (!in_serving_softirq())
		WRITE_ONCE(obs.outside_softirq, obs.outside_softirq + 1);
	if (idle == CPU_IDLE)
		WRITE_ONCE(obs.idle, obs.idle + 1);
	else
		WRITE_ONCE(obs.not_idle, obs.not_idle + 1);
	if (rq->cpu != smp_processor_id())
		WRITE_ONCE(obs.remote, obs.remote + 1);
	nohz_get_info(&ni, NULL, 0);
	/* Hold one NOHZ pass (we are the kicked CPU holding the guard) for
	 * three ticks of the busy CPU, which keeps wanting to kick. */
	if (ni.ilb_in_flight == (int)smp_processor_id() &&
	    __atomic_compare_exchange_n(&obs.hold, &(int){ 1 }, 2, false, __ATOMIC_ACQ_REL,
					__ATOMIC_RELAXED)) {
		u64 ticks0 = READ_ONCE(cpu_data[obs.busy_cpu].ticks);
		u64 end = kt_now_ns() + 2000000000ULL;

		obs.held_on = (int)smp_processor_id();
		obs.recv_before = rq_total(ilb_kicks_received, -1);
		obs.supp_before = ni.kicks_suppressed;
		while (READ_ONCE(cpu_data[obs.busy_cpu].ticks) < ticks0 + 3 && kt_now_ns() < end)
			cpu_relax();
		nohz_get_info(&ni, NULL, 0);
		obs.recv_after = rq_total(ilb_kicks_received, -1);
		obs.supp_after = ni.kicks_suppressed;
	}
}

static int spin_fn(void *arg)
{
	u64 *loops = arg;

	while (!kthread_should_stop())
		WRITE_ONCE(*loops, *loops + 1);
	return 0;
}

/* Two spinners on one CPU: it has work to spread. */
static unsigned int start_two(struct task_struct **p, u64 *loops, int cpu)
{
	unsigned int ok = 0;

	for (int i = 0; i < 2; i++) {
		loops[i] = 0;
		p[i] = kt_start(spin_fn, &loops[i], "kt-nohz-spin", cpu, 0);
		ok += p[i] != NULL;
	}
	return ok;
}

static void stop_two(struct task_struct **p)
{
	for (int i = 0; i < 2; i++)
		if (p[i])
			kt_stop(p[i]);
}

/* A busy CPU with two runnable tasks kicks one tickless idle CPU: its
 * IPI and balance-run counters move; with nohz=off nobody is kicked. */
static void kick_reaches_idle_cpu(struct ktest *t)
{
	static u64 loops[2];
	static u64 ipis[NR_CPUS], runs[NR_CPUS], busies[NR_CPUS];
	struct task_struct *p[2];
	unsigned int busy = kt_cpu(0), cpu, kicked = 0;
	u64 sent0 = READ_ONCE(cpu_rq(busy)->ilb_kicks_sent);
	u64 passes0 = rq_total(nohz_balance_runs, busy);	/* NOHZ passes, not by busy */
	struct nohz_info ni;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "needs an idle CPU besides the busy one");
	for_each_online_cpu(cpu) {
		ipis[cpu] = READ_ONCE(cpu_data[cpu].ipis[IPI_NOHZ_KICK]);
		runs[cpu] = READ_ONCE(cpu_rq(cpu)->nohz_balance_runs);
		busies[cpu] = READ_ONCE(cpu_rq(cpu)->nohz_kicks_busy);
	}
	KT_ASSERT_EQ(t, start_two(p, loops, (int)busy), 2);
	if (tick_nohz_enabled()) {
		/* A kicked CPU that is busy again by its softirq lets the kick
		 * go (nohz_kicks_busy), so wait for a pass, not just a kick. */
		KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(cpu_rq(busy)->ilb_kicks_sent) > sent0 &&
					   rq_total(nohz_balance_runs, busy) > passes0,
					   KT_LIVENESS_MS));
	} else {
		u64 ticks0 = READ_ONCE(cpu_data[busy].ticks);

		KT_WAIT_UNTIL(READ_ONCE(cpu_data[busy].ticks) >= ticks0 + 10, KT_LIVENESS_MS);
	}
	stop_two(p);
	for_each_online_cpu(cpu) {
		u64 di = READ_ONCE(cpu_data[cpu].ipis[IPI_NOHZ_KICK]) - ipis[cpu];
		u64 dr = READ_ONCE(cpu_rq(cpu)->nohz_balance_runs) - runs[cpu];
		u64 db = READ_ONCE(cpu_rq(cpu)->nohz_kicks_busy) - busies[cpu];

		if (!di)
			continue;
		kicked++;
		KT_NOTE("cpu%u: %lu kicks, %lu NOHZ passes, %lu let go (busy)", cpu, di, dr, db);
		KT_EXPECT(t, cpu != busy);
		KT_EXPECT(t, dr + db > 0);
	}
	if (tick_nohz_enabled())
		KT_EXPECT(t, kicked > 0);
	else
		KT_EXPECT_EQ(t, kicked, 0);
	nohz_get_info(&ni, NULL, 0);
	KT_EXPECT_EQ(t, ni.double_kicks, 0);
}

/* While a kicked CPU holds the guard (its pass held three ticks of the
 * busy CPU by the observer), no other kick is received: the busy CPU's
 * attempts are suppressed. */
static void one_kick_in_flight(struct ktest *t)
{
	static u64 loops[2];
	struct task_struct *p[2];
	unsigned int busy = kt_cpu(0);
	struct nohz_info ni;

	if (!tick_nohz_enabled())
		KT_SKIP(t, "nohz=off: no kicks");
	/* The kicked CPU may be the test's, which stops being idle when our
	 * poll wakes up: suppressed kicks need a third, idle CPU. */
	if (kt_ncpus() < 3)
		KT_SKIP(t, "needs two idle CPUs besides the busy one");
	memset(&obs, 0, sizeof(obs));
	obs.busy_cpu = busy;
	obs.held_on = -1;
	smp_store_release(&obs.hold, 1);
	sched_balance_set_observer(observe);
	KT_ASSERT_EQ(t, start_two(p, loops, (int)busy), 2);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(obs.hold) == 2 && READ_ONCE(obs.recv_after),
				   KT_LIVENESS_MS));
	stop_two(p);
	sched_balance_set_observer(NULL);
	KT_NOTE("held on cpu%d: kicks received %lu -> %lu, suppressed %lu -> %lu", obs.held_on,
		obs.recv_before, obs.recv_after, obs.supp_before, obs.supp_after);
	KT_EXPECT(t, obs.held_on >= 0 && obs.held_on != (int)busy);
	KT_EXPECT_EQ(t, obs.recv_after, obs.recv_before);
	KT_EXPECT(t, obs.supp_after > obs.supp_before);
	nohz_get_info(&ni, NULL, 0);
	KT_EXPECT_EQ(t, ni.double_kicks, 0);
}

/* The deferred action: from a softirq, IRQs on, periodic passes of a busy
 * CPU and (NOHZ) passes on behalf of idle CPUs. */
static void balance_action_runs_with_irqs_on(struct ktest *t)
{
	static u64 loops[2];
	struct task_struct *p[2];
	unsigned int busy = kt_cpu(0), cpu;
	u64 s0 = softirq_runs(busy, SCHED_SOFTIRQ);

	memset(&obs, 0, sizeof(obs));
	sched_balance_set_observer(observe);
	KT_ASSERT_EQ(t, start_two(p, loops, (int)busy), 2);
	/* Busy passes may come from another CPU first (a spinner pulled
	 * there): wait for the busy CPU's own balance softirq too, whose
	 * interval can be tens of ms (busy_factor). */
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(obs.not_idle) >= 2 &&
				   (kt_ncpus() < 2 || READ_ONCE(obs.idle) >= 1) &&
				   softirq_runs(busy, SCHED_SOFTIRQ) > s0, KT_LIVENESS_MS));
	stop_two(p);
	sched_balance_set_observer(NULL);
	KT_NOTE("%lu passes: %lu busy, %lu idle, %lu for another CPU", obs.passes, obs.not_idle,
		obs.idle, obs.remote);
	KT_EXPECT(t, softirq_runs(busy, SCHED_SOFTIRQ) > s0);
	KT_EXPECT_EQ(t, obs.irqs_off, 0);
	KT_EXPECT_EQ(t, obs.outside_softirq, 0);
	for_each_online_cpu(cpu)
		KT_EXPECT_EQ(t, READ_ONCE(cpu_rq(cpu)->balance_irqs_off), 0);
}

/* Waits 3 bounds; the violations counted meanwhile. */
static u64 wc_over_three_bounds(void)
{
	u64 v0 = rq_total(wc_violations, -1);

	msleep((unsigned int)(3 * wc_bound_ns() / 1000000));
	return rq_total(wc_violations, -1) - v0;
}

/* Nothing may move work (balancer off): two spinners that may run
 * anywhere, stuck on one CPU, with another CPU idle, are a violation,
 * counted on an idle CPU. */
static void wc_counts_unfixed_imbalance(struct ktest *t)
{
	static u64 loops[2];
	struct task_struct *p[2];
	unsigned int busy = kt_cpu(0), cpu;
	u64 v0 = rq_total(wc_violations, -1), vbusy = READ_ONCE(cpu_rq(busy)->wc_violations);

	/* The test's own CPU wakes every tick while it polls: it needs a
	 * third CPU that stays idle past the bound. */
	if (kt_ncpus() < 3)
		KT_SKIP(t, "needs a CPU idle beside the busy one and the test's");
	sched_balance_set_disabled(true);
	KT_ASSERT_EQ(t, start_two(p, loops, (int)busy), 2);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(loops[0]) && READ_ONCE(loops[1]), KT_LIVENESS_MS));
	for (int i = 0; i < 2; i++)
		KT_EXPECT_EQ(t, set_cpus_allowed_ptr(p[i], cpu_active_mask), 0);
	/* The checker counts its window in ticks, not wall time (wc_check.c);
	 * so does this wait, or 64 vCPUs on two host cores could outlast it. */
	KT_EXPECT(t, KT_WAIT_TICKED(rq_total(wc_violations, -1) > v0, KT_LIVENESS_MS));
	stop_two(p);
	sched_balance_set_disabled(false);
	for_each_online_cpu(cpu)
		if (READ_ONCE(cpu_rq(cpu)->wc_violations))
			KT_NOTE("cpu%u: %lu violations", cpu, READ_ONCE(cpu_rq(cpu)->wc_violations));
	KT_EXPECT_EQ(t, READ_ONCE(cpu_rq(busy)->wc_violations), vbusy);
}

/* No violation: on an idle system, with two tasks pinned to one CPU
 * (nothing may move them), or with one task per CPU. */
static void wc_quiet_when_nothing_to_fix(struct ktest *t)
{
	static u64 loops[NR_CPUS];
	static struct task_struct *p[NR_CPUS];
	unsigned int cpu, n = 0;

	KT_EXPECT_EQ(t, wc_over_three_bounds(), 0);
	KT_ASSERT_EQ(t, start_two(p, loops, (int)kt_cpu(0)), 2);
	KT_EXPECT_EQ(t, wc_over_three_bounds(), 0);
	stop_two(p);
	/* One per CPU: spinners everywhere are heavy on a plain-TCG host
	 * with many vCPUs, so up to 8 CPUs. */
	if (kt_ncpus() > 8)
		return;
	for_each_online_cpu(cpu) {
		loops[n] = 0;
		p[n] = kt_start(spin_fn, &loops[n], "kt-nohz-one", (int)cpu, 0);
		KT_EXPECT(t, p[n]);
		n++;
	}
	KT_EXPECT_EQ(t, wc_over_three_bounds(), 0);
	for (unsigned int i = 0; i < n; i++)
		if (p[i])
			kt_stop(p[i]);
}

/* account_migration: a move from a CPU no busier than the destination is
 * useless, one from a busier CPU is not. */
static void useless_migrations_counted(struct ktest *t)
{
	static u64 loops[2];
	struct task_struct *p[2];
	unsigned int busy = kt_cpu(0), idle = kt_cpu(1);
	struct rq *b = cpu_rq(busy), *i = cpu_rq(idle);
	u64 bm, bu, im, iu;

	if (kt_ncpus() < 3)
		KT_SKIP(t, "needs an idle CPU besides the busy one and the test's");
	KT_ASSERT_EQ(t, start_two(p, loops, (int)busy), 2);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(b->nr_running) == 2, KT_LIVENESS_MS));
	bm = READ_ONCE(b->balance_migrations);
	bu = READ_ONCE(b->useless_migrations);
	im = READ_ONCE(i->balance_migrations);
	iu = READ_ONCE(i->useless_migrations);
	account_migration(idle, busy);	/* from an empty CPU to a loaded one */
	account_migration(busy, idle);	/* from the loaded one: useful */
	stop_two(p);
	KT_EXPECT_EQ(t, READ_ONCE(b->balance_migrations), bm + 1);
	KT_EXPECT_EQ(t, READ_ONCE(b->useless_migrations), bu + 1);
	KT_EXPECT_EQ(t, READ_ONCE(i->balance_migrations), im + 1);
	KT_EXPECT_EQ(t, READ_ONCE(i->useless_migrations), iu);
}

static void all_stopped(struct ktest *t)
{
	KT_EXPECT_EQ(t, kt_stop_all(), 0);
}

KTEST_SUITE(nohz,
	KT_CASE(mode_follows_boot_argument),
	KT_CASE(idle_cpus_take_no_ticks),
	KT_CASE(msleep_on_idle_cpu_is_on_time),
	KT_CASE(kick_reaches_idle_cpu),
	KT_CASE(one_kick_in_flight),
	KT_CASE(balance_action_runs_with_irqs_on),
	KT_CASE(wc_counts_unfixed_imbalance),
	KT_CASE(wc_quiet_when_nothing_to_fix),
	KT_CASE(useless_migrations_counted),
	KT_CASE(all_stopped));
