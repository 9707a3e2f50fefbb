/* Kernel threads: start, stop and its exit code, park/unpark, binding to a
 * CPU, and that a finished thread gives every page back. */
#include "sched_util.h"
#include "page_alloc.h"
#include "asm/irqflags.h"
#include "../../kernel/sched/rq.h"

static atomic_t nr_started;

/* A thread stopped before its function started returns -EINTR instead
 * (Linux's rule): the cases that check exit codes wait for this count. */
static int returns_arg(void *arg)
{
	atomic_inc(&nr_started);
	kt_idle_until_stopped();
	return (int)(long)arg;
}

static void stop_returns_exit_code(struct ktest *t)
{
	struct task_struct *a, *b;

	atomic_set(&nr_started, 0);
	a = kt_start(returns_arg, (void *)42L, "kt-42", -1, 0);
	b = kt_start(returns_arg, (void *)-7L, "kt-neg", -1, 0);
	KT_ASSERT(t, a && b);
	KT_EXPECT(t, KT_WAIT_UNTIL(atomic_read(&nr_started) == 2, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, kt_stop(a), 42);
	KT_EXPECT_EQ(t, kt_stop(b), -7);
}

static int exits_at_once(void *arg)
{
	return (int)(long)arg;
}

static int flags_ran(void *arg)
{
	WRITE_ONCE(*(int *)arg, 1);
	kt_idle_until_stopped();
	return 5;
}

/* Never woken by its creator: kthread_stop starts it only to exit, its
 * function never runs, and the creator learns that (-EINTR). */
static void stop_before_first_run(struct ktest *t)
{
	static int ran;
	struct task_struct *p;

	ran = 0;
	p = kthread_create(flags_ran, &ran, "kt-new");
	KT_ASSERT(t, p);
	KT_EXPECT_STREQ(t, task_state_name(p), "new");
	KT_EXPECT_EQ(t, kthread_stop(p), -EINTR);
	KT_EXPECT_EQ(t, READ_ONCE(ran), 0);
}

/* Parked before its first run: it parks before its function starts, and
 * the function runs only once it is unparked. */
static void park_before_first_run(struct ktest *t)
{
	static int ran;
	struct task_struct *p;

	ran = 0;
	p = kthread_create(flags_ran, &ran, "kt-newpark");
	KT_ASSERT(t, p);
	KT_EXPECT_EQ(t, kthread_park(p), 0);
	KT_EXPECT_STREQ(t, task_state_name(p), "parked");
	msleep(20);
	KT_EXPECT_EQ(t, READ_ONCE(ran), 0);
	kthread_unpark(p);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(ran), KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, kthread_stop(p), 5);
}

/* Memory held by one thread: its task_struct, its struct kthread and a
 * stack.  A case measures after one warm-up thread, which leaves the page
 * tables of a stack slot and the slab pages behind it in place. */
static void warm_up(void)
{
	struct task_struct *p = kthread_create(exits_at_once, NULL, "kt-warm");

	if (p)
		kthread_stop(p);
	msleep(20);
}

static void self_exit_is_reaped(struct ktest *t)
{
	struct task_struct *p[8];
	unsigned long before;
	int pids[8];

	warm_up();
	before = nr_free_pages();
	for (int i = 0; i < 8; i++) {
		p[i] = kthread_run(exits_at_once, (void *)(long)i, "kt-exit");
		KT_ASSERT(t, p[i]);
		pids[i] = p[i]->pid;
	}
	/* Each exits on its own; dropping our reference lets it go as soon
	 * as it has switched away for the last time. */
	for (int i = 0; i < 8; i++) {
		KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(p[i]->state) == TASK_DEAD, KT_LIVENESS_MS));
		KT_EXPECT_EQ(t, p[i]->exit_code, i);
		put_task_struct(p[i]);
	}
	for (int i = 0; i < 8; i++)
		KT_EXPECT(t, KT_WAIT_UNTIL(kt_tasks_with_pid(pids[i]) == 0, KT_LIVENESS_MS));
	KT_EXPECT(t, KT_WAIT_UNTIL(nr_free_pages() == before, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

/* kthread_stop on a thread that already returned: no hang, its code. */
static void stop_after_self_exit(struct ktest *t)
{
	struct task_struct *p = kthread_run(exits_at_once, (void *)9L, "kt-early");
	int pid;

	KT_ASSERT(t, p);
	pid = p->pid;
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(p->state) == TASK_DEAD, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, kthread_stop(p), 9);
	KT_EXPECT(t, KT_WAIT_UNTIL(kt_tasks_with_pid(pid) == 0, KT_LIVENESS_MS));
}

/* The documented contract: kthread_stop() drops the creator's reference,
 * so create + stop, many times over, leaks nothing. */
static void stop_leaks_nothing(struct ktest *t)
{
	struct task_struct *p[16];
	unsigned long before;
	int pids[16];

	warm_up();
	before = nr_free_pages();
	for (int round = 0; round < 3; round++) {
		atomic_set(&nr_started, 0);
		for (int i = 0; i < 16; i++) {
			p[i] = kthread_run(returns_arg, (void *)(long)i, "kt-leak");
			KT_ASSERT(t, p[i]);
			pids[i] = p[i]->pid;
		}
		KT_EXPECT(t, KT_WAIT_UNTIL(atomic_read(&nr_started) == 16, KT_LIVENESS_MS));
		for (int i = 0; i < 16; i++)
			KT_EXPECT_EQ(t, kthread_stop(p[i]), i);
		for (int i = 0; i < 16; i++)
			KT_EXPECT(t, KT_WAIT_UNTIL(kt_tasks_with_pid(pids[i]) == 0, KT_LIVENESS_MS));
	}
	KT_EXPECT(t, KT_WAIT_UNTIL(nr_free_pages() == before, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

struct parkable {
	u64 loops;
	unsigned int last_cpu;
};

static int parkable_fn(void *arg)
{
	struct parkable *pk = arg;

	while (!kthread_should_stop()) {
		if (kthread_should_park())
			kthread_parkme();
		WRITE_ONCE(pk->loops, pk->loops + 1);
		WRITE_ONCE(pk->last_cpu, smp_processor_id());
		msleep(1);
	}
	return 3;
}

static bool kt_is_parked(struct task_struct *p)
{
	return !READ_ONCE(p->on_rq) && !READ_ONCE(p->on_cpu);
}

/* Start parkable_fn(pk) as 'name' and wait until it has looped 'loops'
 * times.  A thread that cannot be started aborts the case. */
static struct task_struct *start_parkable(struct ktest *t, struct parkable *pk, const char *name,
					  u64 loops)
{
	struct task_struct *p;

	pk->loops = 0;
	p = kt_start(parkable_fn, pk, name, -1, 0);
	KT_ASSERT(t, p);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(pk->loops) >= loops, KT_LIVENESS_MS));
	return p;
}

static void park_unpark_stop(struct ktest *t)
{
	static struct parkable pk;
	struct task_struct *p = start_parkable(t, &pk, "kt-park", 2);
	u64 loops;

	for (int round = 0; round < 3; round++) {
		KT_EXPECT_EQ(t, kthread_park(p), 0);
		KT_EXPECT_STREQ(t, task_state_name(p), "parked");
		/* It completes 'parked' just before it calls schedule(). */
		KT_EXPECT(t, KT_WAIT_UNTIL(kt_is_parked(p), KT_LIVENESS_MS));
		/* Parked means not running: a plain wake-up does not revive
		 * it, and its loop count stands still. */
		loops = READ_ONCE(pk.loops);
		KT_EXPECT_EQ(t, wake_up_process(p), 0);
		msleep(50);
		KT_EXPECT_EQ(t, READ_ONCE(pk.loops), loops);
		KT_EXPECT_STREQ(t, task_state_name(p), "parked");
		kthread_unpark(p);
		KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(pk.loops) >= loops + 2, KT_LIVENESS_MS));
	}
	/* Stopping a parked thread unparks it so that it can return. */
	KT_EXPECT_EQ(t, kthread_park(p), 0);
	KT_EXPECT_EQ(t, kt_stop(p), 3);
}

/* A second park of a parked thread is refused, and changes nothing. */
static void double_park_is_busy(struct ktest *t)
{
	static struct parkable pk;
	struct task_struct *p = start_parkable(t, &pk, "kt-park2", 1);
	u64 loops;

	KT_EXPECT_EQ(t, kthread_park(p), 0);
	KT_EXPECT_EQ(t, kthread_park(p), -EBUSY);
	KT_EXPECT_STREQ(t, task_state_name(p), "parked");
	/* One unpark undoes the one park that happened. */
	loops = READ_ONCE(pk.loops);
	kthread_unpark(p);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(pk.loops) > loops, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, kthread_park(p), 0);
	KT_EXPECT_EQ(t, kt_stop(p), 3);
}

static int parks_itself(void *arg)
{
	int *ret = arg;

	WRITE_ONCE(*ret, kthread_park(current));	/* only the request */
	while (!kthread_should_stop()) {
		if (kthread_should_park())
			kthread_parkme();
		msleep(1);
	}
	return 0;
}

static void park_errors(struct ktest *t)
{
	static int self_ret;
	struct task_struct *p = kthread_run(exits_at_once, NULL, "kt-dead");

	KT_ASSERT(t, p);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(p->state) == TASK_DEAD, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, kthread_park(p), -ESRCH);
	kthread_stop(p);
	/* A thread may ask itself to park: no wait, it parks at its next
	 * check (a stopper parks itself that way inside its own work). */
	self_ret = 1;
	p = kt_start(parks_itself, &self_ret, "kt-selfpark", -1, 0);
	KT_ASSERT(t, p);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(p->state) == TASK_PARKED, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, self_ret, 0);
	KT_EXPECT_EQ(t, kthread_park(p), -EBUSY);
	KT_EXPECT_EQ(t, kt_stop(p), 0);
}

/*
 * kthread_park returns only once the thread is off its CPU and off its
 * runqueue, the way it parked.  Two ways it could return early:
 * - parker on the same CPU: the woken parker preempts the thread between
 *   "parked" and schedule() (it is nice 19, the parker nice 0), and runs
 *   while the thread is still queued;
 * - parker on another CPU: the thread's CPU is slow to switch away (we
 *   hold its runqueue lock for a while), and the parker does not wait.
 */
static struct {
	struct task_struct *target;
	int ret;
	int on_cpu, on_rq;
	long state;
	volatile int arm, ready, held, done;
	u64 released_at, returned_at;
} pk_off;

static int busy_until_parked(void *arg)
{
	bool irqs_off = arg != NULL;

	while (!READ_ONCE(pk_off.arm) && !kthread_should_stop())
		cpu_relax();
	/* With IRQs masked from the park request to schedule(), the tick
	 * cannot get in between (it would wait for the held runqueue lock
	 * before we even saw the request). */
	if (irqs_off)
		local_irq_disable();
	WRITE_ONCE(pk_off.ready, 1);
	while (!kthread_should_park() && !kthread_should_stop())
		cpu_relax();
	if (kthread_should_park())
		kthread_parkme();
	if (irqs_off)
		local_irq_enable();
	kt_idle_until_stopped();
	return 0;
}

static int parker(void *arg)
{
	struct task_struct *p = pk_off.target;
	bool wait_for_holder = arg != NULL;

	while (wait_for_holder && !READ_ONCE(pk_off.held) && !kthread_should_stop())
		msleep(1);
	if (!kthread_should_stop()) {
		pk_off.ret = kthread_park(p);
		/* Right after: nothing may have changed since it returned. */
		pk_off.on_cpu = READ_ONCE(p->on_cpu);
		pk_off.on_rq = READ_ONCE(p->on_rq);
		pk_off.state = READ_ONCE(p->state);
		pk_off.returned_at = read_cntvct();
		WRITE_ONCE(pk_off.done, 1);
	}
	kt_idle_until_stopped();
	return 0;
}

static void expect_parked_when_returned(struct ktest *t)
{
	KT_EXPECT_EQ(t, pk_off.ret, 0);
	KT_EXPECT_EQ(t, pk_off.on_cpu, 0);
	KT_EXPECT_EQ(t, pk_off.on_rq, 0);
	KT_EXPECT_EQ(t, pk_off.state, TASK_PARKED);
}

static void park_returns_off_cpu_same_cpu(struct ktest *t)
{
	unsigned int cpu = kt_cpu(0);
	struct task_struct *p, *pp;

	memset((void *)&pk_off, 0, sizeof(pk_off));
	pk_off.arm = 1;
	p = kt_start(busy_until_parked, NULL, "kt-busypark", (int)cpu, 19);
	KT_ASSERT(t, p);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(pk_off.ready), KT_LIVENESS_MS));
	pk_off.target = p;
	pp = kt_start(parker, NULL, "kt-parker", (int)cpu, 0);
	KT_ASSERT(t, pp);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(pk_off.done), KT_LIVENESS_MS));
	expect_parked_when_returned(t);
	kt_stop(pp);
	kt_stop(p);
}

static int hold_rq_lock(void *arg)
{
	unsigned int cpu = (unsigned int)(long)arg;
	spinlock_t *lock = &cpu_rq(cpu)->lock;
	unsigned long flags;
	u64 end;

	while (!READ_ONCE(pk_off.ready) && !kthread_should_stop())
		cpu_relax();
	if (!kthread_should_stop()) {
		flags = local_irq_save();
		arch_spin_lock(lock);
		WRITE_ONCE(pk_off.held, 1);
		/* 20 ms of counter time: the thread gets the request,
		 * announces "parked" and reaches schedule() well before. */
		end = read_cntvct() + timer_freq / 50;
		while (read_cntvct() < end)
			cpu_relax();
		pk_off.released_at = read_cntvct();
		arch_spin_unlock(lock);
		local_irq_restore(flags);
	}
	kt_idle_until_stopped();
	return 0;
}

/* Three threads on three CPUs, which hand over to each other without us
 * (we may be stuck behind one of them): the thread waits with IRQs
 * masked, the holder takes the thread's runqueue lock, the parker parks. */
static void park_returns_off_cpu_other_cpu(struct ktest *t)
{
	unsigned int cpu = kt_cpu(0), holder_cpu = kt_cpu(1), parker_cpu = kt_cpu(2);
	struct task_struct *p, *h = NULL, *pp = NULL;

	if (kt_ncpus() < 3)
		KT_SKIP(t, "needs the thread, the lock holder and the parker on three CPUs");
	memset((void *)&pk_off, 0, sizeof(pk_off));
	p = kt_start(busy_until_parked, (void *)1L, "kt-busypark", (int)cpu, 0);
	KT_ASSERT(t, p);
	pk_off.target = p;
	h = kt_start(hold_rq_lock, (void *)(long)cpu, "kt-rqhold", (int)holder_cpu, 0);
	if (h)
		pp = kt_start(parker, (void *)1L, "kt-parker", (int)parker_cpu, 0);
	KT_EXPECT(t, h && pp);
	WRITE_ONCE(pk_off.arm, 1);
	if (pp) {
		KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(pk_off.done), KT_LIVENESS_MS));
		KT_EXPECT(t, pk_off.held);
		expect_parked_when_returned(t);
		KT_EXPECT(t, pk_off.returned_at > pk_off.released_at);
	}
	if (pp)
		kt_stop(pp);
	if (h)
		kt_stop(h);
	kt_stop(p);
}

static int reports_cpu(void *arg)
{
	struct parkable *pk = arg;

	while (!kthread_should_stop()) {
		unsigned int cpu = smp_processor_id();

		if (cpu != READ_ONCE(pk->last_cpu))
			WRITE_ONCE(pk->loops, pk->loops + 1000000);	/* a stray run */
		WRITE_ONCE(pk->loops, pk->loops + 1);
		msleep(1);
	}
	return 0;
}

/* A per-CPU thread runs on its CPU only and refuses new affinity. */
static void on_cpu_thread_is_bound(struct ktest *t)
{
	static struct parkable pk;
	unsigned int cpu = kt_cpu(0);
	cpumask_t all, before;
	struct task_struct *p;

	pk.loops = 0;
	pk.last_cpu = cpu;
	p = kthread_create_on_cpu(reports_cpu, &pk, cpu, "kt-bound");
	KT_ASSERT(t, p);
	KT_EXPECT(t, p->flags & PF_NO_SETAFFINITY);
	wake_up_process(p);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(pk.loops) >= 10, KT_LIVENESS_MS));
	cpumask_copy(&before, &p->cpus_allowed);
	cpumask_copy(&all, cpu_online_mask);
	KT_EXPECT_EQ(t, set_cpus_allowed_ptr(p, &all), -EINVAL);
	KT_EXPECT(t, cpumask_equal(&p->cpus_allowed, &before));
	msleep(30);
	KT_EXPECT_EQ(t, task_cpu(p), cpu);
	KT_EXPECT(t, READ_ONCE(pk.loops) < 1000000);
	KT_EXPECT_EQ(t, p->affinity_violations, 0);
	kthread_stop(p);
}

/* Every helper thread is gone and every CPU still takes interrupts. */
/*
 * A wake-up that checked a thread's state while it was still waiting, and
 * is slow to finish, must not undo the thread's exit: its late write of
 * TASK_RUNNING landing on TASK_DEAD would leave the dead thread queued
 * ("dead task was scheduled again").  We make the wake-up slow on purpose
 * by holding the runqueue lock it needs, let the thread exit meanwhile,
 * and then let go.  (The stress suites found this by chance.)
 */
static struct {
	volatile int armed, go, fire, woke;
} dr;

static int exits_while_woken(void *arg)
{
	(void)arg;
	set_current_state(TASK_UNINTERRUPTIBLE);	/* as if about to wait */
	WRITE_ONCE(dr.armed, 1);
	while (!READ_ONCE(dr.go))
		cpu_relax();
	__set_current_state(TASK_RUNNING);
	return 0;	/* straight into kthread_exit() */
}

static int late_waker(void *arg)
{
	while (!READ_ONCE(dr.fire) && !kthread_should_stop())
		cpu_relax();
	if (READ_ONCE(dr.fire))
		wake_up_process(arg);
	WRITE_ONCE(dr.woke, 1);
	kt_idle_until_stopped();
	return 0;
}

static void exit_survives_a_late_wakeup(struct ktest *t)
{
	unsigned int a = kt_cpu(0), w = kt_cpu(1), lined_up = 0;

	if (kt_ncpus() < 3)
		KT_SKIP(t, "needs the thread, the waker and us on three CPUs");
	for (int round = 0; round < 10; round++) {
		struct task_struct *p, *waker;
		spinlock_t *rq_lock = &cpu_rq(a)->lock;
		unsigned long flags;
		u64 ticks;
		bool waker_in, exit_in;

		memset((void *)&dr, 0, sizeof(dr));
		p = kt_start(exits_while_woken, NULL, "kt-exiting", (int)a, 0);
		KT_ASSERT(t, p);
		waker = kt_start(late_waker, p, "kt-late", (int)w, 0);
		KT_ASSERT(t, waker);
		KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(dr.armed), KT_LIVENESS_MS));
		/* Start just after a tick of CPU a: its next tick would need
		 * the lock we are about to hold. */
		ticks = READ_ONCE(cpu_data[a].ticks);
		KT_SPIN_UNTIL(READ_ONCE(cpu_data[a].ticks) != ticks, 100);
		flags = local_irq_save();
		arch_spin_lock(rq_lock);
		WRITE_ONCE(dr.fire, 1);
		/* The waker has checked the state and holds p->pi_lock. */
		waker_in = KT_SPIN_UNTIL(kt_lock_waiters(rq_lock) >= 1, 3);
		WRITE_ONCE(dr.go, 1);
		/* The thread is exiting: queued for pi_lock (fixed) or for our
		 * lock from schedule() (not fixed: the waker goes first). */
		exit_in = KT_SPIN_UNTIL(kt_lock_waiters(&p->pi_lock) >= 1 ||
					kt_lock_waiters(rq_lock) >= 2, 3);
		arch_spin_unlock(rq_lock);
		local_irq_restore(flags);
		if (waker_in && exit_in)
			lined_up++;
		KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(p->state) == TASK_DEAD &&
					  !READ_ONCE(p->on_rq), KT_LIVENESS_MS));
		KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(dr.woke), KT_LIVENESS_MS));
		kt_stop(waker);
		KT_EXPECT_EQ(t, kt_stop(p), 0);
	}
	KT_NOTE("the race lined up in %u of 10 rounds", lined_up);
	if (!lined_up)
		KT_SKIP(t, "the host never let the race line up");
}

static void cleanup(struct ktest *t)
{
	KT_EXPECT_EQ(t, kt_stop_all(), 0);
	KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);
}

KTEST_SUITE(kthread,
	KT_CASE(stop_returns_exit_code),
	KT_CASE(stop_before_first_run),
	KT_CASE(park_before_first_run),
	KT_CASE(self_exit_is_reaped),
	KT_CASE(stop_after_self_exit),
	KT_CASE(stop_leaks_nothing),
	KT_CASE(park_unpark_stop),
	KT_CASE(double_park_is_busy),
	KT_CASE(park_errors),
	KT_CASE(park_returns_off_cpu_same_cpu),
	KT_CASE(park_returns_off_cpu_other_cpu),
	KT_CASE(on_cpu_thread_is_bound),
	KT_CASE(exit_survives_a_late_wakeup),
	KT_CASE(cleanup));
