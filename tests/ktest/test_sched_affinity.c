/*
 * Affinity: pinned tasks never run elsewhere (the switch path counts any
 * violation in task->affinity_violations and per CPU), set_cpus_allowed_ptr()
 * moves running and queued tasks at once, refuses what it must, a task in
 * transit between runqueues (TASK_ON_RQ_MIGRATING) holds off whoever wants
 * to lock it, and select_fallback_rq() widens a mask with nothing active
 * left in it.
 */
#include "sched_util.h"
#include "console.h"
#include "stop_machine.h"
#include "../../kernel/sched/rq.h"

static void one_cpu(cpumask_t *m, unsigned int cpu)
{
	cpumask_clear(m);
	cpumask_set_cpu(cpu, m);
}

struct yielder {
	int expect;
	u64 loops, stray;
};

static int yielder_fn(void *arg)
{
	struct yielder *y = arg;

	while (!kthread_should_stop()) {
		unsigned int cpu = smp_processor_id();

		if (cpu != (unsigned int)y->expect)
			WRITE_ONCE(y->stray, y->stray + 1);
		WRITE_ONCE(y->loops, y->loops + 1);
		yield();
	}
	return 0;
}

/* A ping-pong through a wait queue: the pong side is pinned and checks
 * where it runs after every cross-CPU wake-up. */
static struct {
	struct wait_queue_head wq;
	int turn;
	int pong_cpu;
	u64 rounds, stray;
} pp;

static int ping_fn(void *arg)
{
	(void)arg;
	while (!kthread_should_stop() && pp.rounds < 3000) {
		WRITE_ONCE(pp.turn, 1);
		wake_up(&pp.wq);
		KT_WAIT_EVENT(pp.wq, READ_ONCE(pp.turn) == 0);
		WRITE_ONCE(pp.rounds, pp.rounds + 1);
	}
	kt_idle_until_stopped();
	return 0;
}

static int pong_fn(void *arg)
{
	(void)arg;
	for (;;) {
		KT_WAIT_EVENT(pp.wq, READ_ONCE(pp.turn) == 1);
		if (kthread_should_stop())
			break;
		if (smp_processor_id() != (unsigned int)pp.pong_cpu)
			pp.stray++;
		WRITE_ONCE(pp.turn, 0);
		wake_up(&pp.wq);
	}
	return 0;
}

/* Counted in __schedule at every switch-in; read it while the task exists. */
static u64 violations(struct task_struct *p)
{
	return READ_ONCE(p->affinity_violations);
}

#define YCPUS 4

static void pinned_tasks_never_run_elsewhere(struct ktest *t)
{
	static struct yielder y[2 * YCPUS];
	struct task_struct *yp[2 * YCPUS], *ping, *pong;
	unsigned int ncpu = MIN(kt_ncpus(), (unsigned int)YCPUS), k = kt_cpu(0);
	cpumask_t others;
	u64 enough;

	for (unsigned int i = 0; i < 2 * ncpu; i++) {
		y[i] = (struct yielder){ .expect = (int)kt_cpu(i / 2) };
		yp[i] = kt_start(yielder_fn, &y[i], "kt-yield", y[i].expect, 0);
		KT_ASSERT(t, yp[i]);
	}
	init_waitqueue_head(&pp.wq);
	pp.turn = 0;
	pp.rounds = pp.stray = 0;
	pp.pong_cpu = (int)k;
	/* The ping side anywhere but the pong's CPU: every wake-up crosses. */
	cpumask_copy(&others, cpu_online_mask);
	if (kt_ncpus() > 1)
		cpumask_clear_cpu(k, &others);
	pong = kt_start(pong_fn, NULL, "kt-pong", (int)k, 0);
	ping = kt_start_mask(ping_fn, NULL, "kt-ping", &others, 0);
	KT_ASSERT(t, ping && pong);
	/* A thousand switches each and some ping-pong rounds (each round is
	 * two cross-CPU wake-ups), or the test is not testing anything. */
	enough = 1000;
	KT_EXPECT(t, KT_WAIT_UNTIL(({
		bool all = READ_ONCE(pp.rounds) >= 20;
		for (unsigned int i = 0; i < 2 * ncpu; i++)
			all = all && READ_ONCE(yp[i]->nr_switches) >= enough;
		all; }), KT_LIVENESS_MS));
	/* The switch path's own count, while the tasks still exist. */
	for (unsigned int i = 0; i < 2 * ncpu; i++) {
		KT_EXPECT_EQ(t, violations(yp[i]), 0);
		KT_EXPECT_EQ(t, task_cpu(yp[i]), (unsigned int)y[i].expect);
	}
	KT_EXPECT_EQ(t, violations(pong), 0);
	KT_EXPECT_EQ(t, violations(ping), 0);
	kt_stop(ping);
	kt_stop(pong);
	for (unsigned int i = 0; i < 2 * ncpu; i++)
		kt_stop(yp[i]);
	KT_NOTE("ping-pong rounds %lu, yielder switches %lu", pp.rounds, yp[0]->nr_switches);
	for (unsigned int i = 0; i < 2 * ncpu; i++) {
		KT_EXPECT(t, y[i].loops >= 100);
		KT_EXPECT_EQ(t, y[i].stray, 0);
	}
	KT_EXPECT(t, pp.rounds >= 10);	/* alive; the rate depends on the host */
	KT_EXPECT_EQ(t, pp.stray, 0);
}

static void pinned_switch_path_check(struct ktest *t)
{
	static struct yielder y[2];
	struct task_struct *p[2];
	unsigned int k = kt_cpu(0);
	u64 migr[2];

	for (int i = 0; i < 2; i++) {
		y[i] = (struct yielder){ .expect = (int)k };
		p[i] = kt_start(yielder_fn, &y[i], "kt-yield", (int)k, 0);
		KT_ASSERT(t, p[i]);
	}
	/* Placed on k when first woken (that may count as a migration from
	 * the creating CPU); from then on it stays. */
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(y[0].loops) && READ_ONCE(y[1].loops), KT_LIVENESS_MS));
	for (int i = 0; i < 2; i++)
		migr[i] = READ_ONCE(p[i]->nr_migrations);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(p[0]->nr_switches) >= 2000 &&
				  READ_ONCE(p[1]->nr_switches) >= 2000, KT_LIVENESS_MS));
	for (int i = 0; i < 2; i++) {
		KT_EXPECT_EQ(t, violations(p[i]), 0);
		KT_EXPECT_EQ(t, task_cpu(p[i]), k);
		KT_EXPECT_EQ(t, p[i]->nr_migrations, migr[i]);
	}
	for (int i = 0; i < 2; i++)
		kt_stop(p[i]);
}

/* taskset on a running task: the stopper pushes it off at once. */
static void taskset_moves_running_task(struct ktest *t)
{
	static struct kt_spinner s;
	unsigned int a = kt_cpu(0), b = kt_cpu(1);
	struct task_struct *p;
	cpumask_t to;
	u64 t0, ticks;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "one CPU: nowhere to move to");
	kt_spinner_init(&s, (int)a);
	p = kt_start(kt_spinner_fn, &s, "kt-move", (int)a, 0);
	KT_ASSERT(t, p);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(s.loops) > 0 && READ_ONCE(p->on_cpu), KT_LIVENESS_MS));
	one_cpu(&to, b);
	WRITE_ONCE(s.expect, -1);	/* in transit: either CPU */
	t0 = kt_now_ns();
	ticks = READ_ONCE(cpu_data[a].ticks);
	KT_EXPECT_EQ(t, set_cpus_allowed_ptr(p, &to), 0);
	/* Moved by the time the call returns, within a tick or two of its
	 * old CPU (its stopper preempts it at once): from now on b only. */
	ticks = READ_ONCE(cpu_data[a].ticks) - ticks;
	KT_EXPECT_EQ(t, task_cpu(p), b);
	WRITE_ONCE(s.expect, (int)b);
	KT_EXPECT(t, KT_SPIN_UNTIL(READ_ONCE(s.cpu) == b, KT_LIVENESS_MS));
	KT_NOTE("running task moved cpu%u -> cpu%u in %lu us, %lu ticks", a, b,
		(kt_now_ns() - t0) / 1000, ticks);
	/* A tick or two on real hardware and under -icount; plain TCG may
	 * stall this vCPU for a few ticks when the host is busy. */
	KT_EXPECT(t, ticks <= 10);
	msleep(30);
	kt_stop(p);
	KT_EXPECT_EQ(t, s.stray, 0);
	KT_EXPECT(t, s.loops_on[b] > 0);
}

static volatile int hold_state;		/* 1: holding the CPU, 2: let go */

static int hold_cpu(void *arg)
{
	/* Bounded, past the test's own waits. */
	u64 end = read_cntvct() + timer_freq / 1000 * (KT_LIVENESS_MS + 2000);

	(void)arg;
	WRITE_ONCE(hold_state, 1);
	while (READ_ONCE(hold_state) == 1 && read_cntvct() < end)
		cpu_relax();
	WRITE_ONCE(hold_state, 3);
	return 0;
}

/* taskset on a queued task: moved directly, without needing its CPU. The
 * old CPU is held by its stopper throughout, so a move that waited for it
 * would not finish before we let go. */
static void taskset_moves_queued_task(struct ktest *t)
{
	static struct kt_spinner s[2];
	static struct cpu_stop_work work;
	unsigned int a = kt_cpu(0), b = kt_cpu(1);
	struct task_struct *p[2];
	cpumask_t to;
	u64 loops;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "one CPU: nowhere to move to");
	for (int i = 0; i < 2; i++) {
		kt_spinner_init(&s[i], -1);
		p[i] = kt_start(kt_spinner_fn, &s[i], "kt-queued", (int)a, 0);
		KT_ASSERT(t, p[i]);
	}
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(s[0].loops) && READ_ONCE(s[1].loops), KT_LIVENESS_MS));
	WRITE_ONCE(hold_state, 0);
	KT_ASSERT(t, stop_one_cpu_nowait(a, hold_cpu, NULL, &work));
	KT_EXPECT(t, KT_SPIN_UNTIL(READ_ONCE(hold_state) == 1, KT_LIVENESS_MS));
	/* Both are runnable, neither is running. */
	KT_EXPECT(t, p[1]->on_rq && !READ_ONCE(p[1]->on_cpu));
	one_cpu(&to, b);
	KT_EXPECT_EQ(t, set_cpus_allowed_ptr(p[1], &to), 0);
	KT_EXPECT_EQ(t, task_cpu(p[1]), b);
	WRITE_ONCE(s[1].expect, (int)b);
	loops = READ_ONCE(s[1].loops);
	KT_EXPECT(t, KT_SPIN_UNTIL(READ_ONCE(s[1].loops) > loops, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, READ_ONCE(hold_state), 1);	/* a still held */
	WRITE_ONCE(hold_state, 2);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(hold_state) == 3, KT_LIVENESS_MS));
	/* The other one carries on where it was. */
	loops = READ_ONCE(s[0].loops);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(s[0].loops) > loops, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, task_cpu(p[0]), a);
	for (int i = 0; i < 2; i++)
		kt_stop(p[i]);
	KT_EXPECT_EQ(t, s[1].stray, 0);
}

/* A task narrowing its own mask is moved before the call returns. */
static void taskset_self(struct ktest *t)
{
	cpumask_t saved, to;
	unsigned int here, b;
	int ret;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "one CPU: nowhere to move to");
	cpumask_copy(&saved, &current->cpus_allowed);
	preempt_disable();
	here = smp_processor_id();
	preempt_enable();
	b = kt_cpu(0) == here ? kt_cpu(1) : kt_cpu(0);
	one_cpu(&to, b);
	ret = set_cpus_allowed_ptr(current, &to);
	preempt_disable();
	here = smp_processor_id();
	preempt_enable();
	KT_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &saved), 0);
	KT_EXPECT_EQ(t, ret, 0);
	KT_EXPECT_EQ(t, here, b);
	KT_EXPECT(t, cpumask_equal(&current->cpus_allowed, &saved));
}

struct bound_to { unsigned int cpu; unsigned int n; };

static void count_bound_to(struct task_struct *p, void *arg)
{
	struct bound_to *b = arg;

	if (!(p->flags & (PF_IDLE | PF_STOPPER | PF_NO_SETAFFINITY)) &&
	    cpumask_test_cpu(b->cpu, &p->cpus_allowed) && cpumask_weight(&p->cpus_allowed) == 1)
		b->n++;
}

/* An online CPU other than 'not' and the caller's, idle, that no task is
 * bound to alone; NR_CPUS if there is none. */
static unsigned int quiet_cpu(unsigned int not)
{
	unsigned int cpu, here;

	preempt_disable();
	here = smp_processor_id();
	preempt_enable();
	for_each_online_cpu(cpu) {
		struct bound_to b = { cpu, 0 };

		if (cpu == not || cpu == here || !idle_cpu(cpu))
			continue;
		for_each_task(count_bound_to, &b);
		if (!b.n)
			return cpu;
	}
	return NR_CPUS;
}

/*
 * No active CPU in the mask: -EINVAL, and nothing changes.  The inactive
 * CPU is a real one, taken out of cpu_active_mask for the moment of the
 * calls (hotplug will do this for real).  That is safe: it stays online
 * and keeps taking interrupts; nothing is queued there (it is idle) and
 * nothing can be placed there while it is inactive, since wake-ups choose
 * active CPUs only and no task is bound to it alone (such a one would
 * have its mask widened by the fallback on a wake-up meanwhile).  So it
 * just idles, and the switch path's inactive count there stays 0.
 */
static void taskset_inactive_mask_fails(struct ktest *t)
{
	static struct kt_spinner s;
	unsigned int a = kt_cpu(0), x;
	cpumask_t before, bad;
	struct task_struct *p;
	u64 migr, inactive;
	int ret;

	kt_spinner_init(&s, (int)a);
	p = kt_start(kt_spinner_fn, &s, "kt-einval", (int)a, 0);
	KT_ASSERT(t, p);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(s.loops) > 0, KT_LIVENESS_MS));
	cpumask_copy(&before, &p->cpus_allowed);
	migr = p->nr_migrations;
	cpumask_clear(&bad);
	KT_EXPECT_EQ(t, set_cpus_allowed_ptr(p, &bad), -EINVAL);
	x = kt_ncpus() >= 3 ? quiet_cpu(a) : NR_CPUS;
	if (x < NR_CPUS) {
		inactive = sched_inactive_violations(x);
		one_cpu(&bad, x);
		set_cpu_active(x, false);
		ret = set_cpus_allowed_ptr(p, &bad);
		set_cpu_active(x, true);
		KT_EXPECT_EQ(t, ret, -EINVAL);
		KT_EXPECT_EQ(t, sched_inactive_violations(x), inactive);
	} else {
		KT_NOTE("no quiet third CPU: only the empty mask was tried");
	}
	KT_EXPECT(t, cpumask_equal(&p->cpus_allowed, &before));
	KT_EXPECT_EQ(t, task_cpu(p), a);
	KT_EXPECT_EQ(t, p->nr_migrations, migr);
	msleep(20);
	kt_stop(p);
	KT_EXPECT_EQ(t, s.stray, 0);
}

static struct {
	struct task_struct *p;
	int go, done;
} nice_while_moving;

static int renice_fn(void *arg)
{
	(void)arg;
	while (!READ_ONCE(nice_while_moving.go) && !kthread_should_stop())
		cpu_relax();
	if (READ_ONCE(nice_while_moving.go))
		set_user_nice(nice_while_moving.p, 5);
	smp_store_release(&nice_while_moving.done, 1);
	kt_idle_until_stopped();
	return 0;
}

/*
 * A mover holding only runqueue locks (the load balancer's way:
 * detach_task, then attach_task) leaves the task TASK_ON_RQ_MIGRATING
 * between them; task_rq_lock() (here under set_user_nice) waits until it
 * is put down, then finds it on its new runqueue.  The old CPU is held by
 * its stopper so the task is queued, not running, when we take it.
 */
static void migrating_task_holds_off_task_rq_lock(struct ktest *t)
{
	static struct kt_spinner s[2];
	static struct cpu_stop_work work;
	unsigned int a = kt_cpu(0), b = kt_cpu(1), c = kt_cpu(2);
	struct task_struct *p[2], *helper;
	cpumask_t saved, ab, here;
	unsigned long flags;
	struct rq *rq;
	bool waited;
	u64 loops;

	if (kt_ncpus() < 3)
		KT_SKIP(t, "needs the old CPU, the new one and one for the mover");
	cpumask_copy(&saved, &current->cpus_allowed);
	one_cpu(&here, c);
	KT_ASSERT(t, set_cpus_allowed_ptr(current, &here) == 0);
	cpumask_clear(&ab);
	cpumask_set_cpu(a, &ab);
	cpumask_set_cpu(b, &ab);
	for (int i = 0; i < 2; i++) {
		kt_spinner_init(&s[i], -1);
		p[i] = kt_start(kt_spinner_fn, &s[i], "kt-detach", (int)a, 0);
		KT_ASSERT(t, p[i]);
	}
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(s[0].loops) && READ_ONCE(s[1].loops), KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, set_cpus_allowed_ptr(p[1], &ab), 0);
	memset(&nice_while_moving, 0, sizeof(nice_while_moving));
	nice_while_moving.p = p[1];
	helper = kt_start(renice_fn, NULL, "kt-renice", (int)b, 0);
	KT_ASSERT(t, helper);
	WRITE_ONCE(hold_state, 0);
	KT_ASSERT(t, stop_one_cpu_nowait(a, hold_cpu, NULL, &work));
	KT_EXPECT(t, KT_SPIN_UNTIL(READ_ONCE(hold_state) == 1, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, task_cpu(p[1]), a);

	flags = local_irq_save();
	rq = cpu_rq(a);
	arch_spin_lock(&rq->lock);
	waited = task_on_rq_queued(p[1]) && !READ_ONCE(p[1]->on_cpu);
	if (waited)
		detach_task(rq, p[1], b, "test");
	arch_spin_unlock(&rq->lock);
	if (waited) {
		/* In transit: the helper's set_user_nice must wait for us. */
		smp_store_release(&nice_while_moving.go, 1);
		waited = !KT_SPIN_UNTIL(smp_load_acquire(&nice_while_moving.done), 2) &&
			 task_on_rq_migrating(p[1]) && task_cpu(p[1]) == b;
		rq = cpu_rq(b);
		arch_spin_lock(&rq->lock);
		attach_task(rq, p[1]);
		arch_spin_unlock(&rq->lock);
	}
	local_irq_restore(flags);
	KT_EXPECT(t, waited);
	WRITE_ONCE(nice_while_moving.go, 1);
	KT_EXPECT(t, KT_WAIT_UNTIL(smp_load_acquire(&nice_while_moving.done), KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, p[1]->nice, 5);
	KT_EXPECT(t, task_on_rq_queued(p[1]));
	KT_EXPECT_EQ(t, task_cpu(p[1]), b);
	loops = READ_ONCE(s[1].loops);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(s[1].loops) > loops, KT_LIVENESS_MS));
	WRITE_ONCE(hold_state, 2);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(hold_state) == 3, KT_LIVENESS_MS));
	kt_stop(helper);
	for (int i = 0; i < 2; i++) {
		kt_stop(p[i]);
		KT_EXPECT_EQ(t, p[i]->affinity_violations, 0);
	}
	set_cpus_allowed_ptr(current, &saved);
}

struct find_stopper { unsigned int cpu; struct task_struct *p; };

static void match_stopper(struct task_struct *p, void *arg)
{
	struct find_stopper *f = arg;

	if ((p->flags & PF_STOPPER) && task_cpu(p) == f->cpu)
		f->p = p;
}

/* Bound per-CPU threads (stoppers, idle tasks) refuse any new mask. */
static void per_cpu_threads_refuse_taskset(struct ktest *t)
{
	struct find_stopper f = { kt_cpu(0), NULL };
	cpumask_t before, all;

	for_each_task(match_stopper, &f);
	KT_ASSERT(t, f.p);
	cpumask_copy(&all, cpu_online_mask);
	cpumask_copy(&before, &f.p->cpus_allowed);
	KT_EXPECT_EQ(t, set_cpus_allowed_ptr(f.p, &all), -EINVAL);
	KT_EXPECT(t, cpumask_equal(&f.p->cpus_allowed, &before));
	KT_EXPECT_EQ(t, task_cpu(f.p), f.cpu);
}

struct waker {
	struct wait_queue_head wq;
	int kick, seen;
	unsigned int woke_on;
};

static int report_wake_cpu(void *arg)
{
	struct waker *w = arg;

	while (!kthread_should_stop()) {
		KT_WAIT_EVENT(w->wq, READ_ONCE(w->kick) != READ_ONCE(w->seen));
		w->woke_on = smp_processor_id();
		smp_store_release(&w->seen, READ_ONCE(w->kick));
	}
	return 0;
}

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return true;
	return false;
}

/* A sleeper whose only allowed CPU is not active when it is woken: the
 * fallback widens its mask to the active CPUs, with a notice.  Hotplug
 * does not exist yet, so the CPU is marked inactive by hand for the
 * moment of the wake-up (it stays online and keeps running its tasks). */
static void fallback_widens_mask(struct ktest *t)
{
	static struct waker w;
	static char cap[512];
	char want[48];
	size_t cap_len;
	unsigned int k, here;
	struct task_struct *p;
	cpumask_t active_then;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "one CPU: it cannot be made inactive");
	memset(&w, 0, sizeof(w));
	init_waitqueue_head(&w.wq);
	preempt_disable();
	here = smp_processor_id();
	preempt_enable();
	k = kt_cpu(0) == here ? kt_cpu(1) : kt_cpu(0);
	p = kt_start(report_wake_cpu, &w, "kt-fallback", (int)k, 0);
	KT_ASSERT(t, p);
	KT_EXPECT(t, KT_WAIT_UNTIL(kt_is_asleep(p), KT_LIVENESS_MS));
	snprintf(want, sizeof(want), "no longer affine to cpu%u", k);
	/* Stay here while k is inactive: the runner is not to be moved. */
	preempt_disable();
	console_capture(cap, sizeof(cap), &cap_len);
	set_cpu_active(k, false);
	cpumask_copy(&active_then, cpu_active_mask);
	w.kick++;
	wake_up(&w.wq);
	set_cpu_active(k, true);
	console_capture(NULL, 0, NULL);
	preempt_enable();
	KT_EXPECT(t, KT_WAIT_UNTIL(smp_load_acquire(&w.seen) == w.kick, KT_LIVENESS_MS));
	KT_EXPECT(t, w.woke_on != k);
	KT_EXPECT(t, cpumask_test_cpu(w.woke_on, &active_then));
	/* Widened as Linux widens it: to every possible CPU. */
	KT_EXPECT(t, cpumask_equal(&p->cpus_allowed, cpu_possible_mask));
	KT_EXPECT(t, contains(cap, want));
	kt_stop(p);
}

/* Every helper thread is gone, every CPU still takes interrupts, and no
 * CPU ever switched a task in outside its mask or while inactive. */
static void cleanup(struct ktest *t)
{
	unsigned int cpu;

	KT_EXPECT_EQ(t, kt_stop_all(), 0);
	KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);
	for_each_possible_cpu(cpu) {
		KT_EXPECT_EQ(t, sched_affinity_violations(cpu), 0);
		KT_EXPECT_EQ(t, sched_inactive_violations(cpu), 0);
	}
}

KTEST_SUITE(sched_affinity,
	KT_CASE(pinned_tasks_never_run_elsewhere),
	KT_CASE(pinned_switch_path_check),
	KT_CASE(taskset_moves_running_task),
	KT_CASE(taskset_moves_queued_task),
	KT_CASE(taskset_self),
	KT_CASE(taskset_inactive_mask_fails),
	KT_CASE(migrating_task_holds_off_task_rq_lock),
	KT_CASE(per_cpu_threads_refuse_taskset),
	KT_CASE(fallback_widens_mask),
	KT_CASE(cleanup));
