/* Stopper threads: stop_one_cpu / stop_cpus run where asked, ahead of
 * everything else there; stop_machine holds every other CPU spinning with
 * IRQs masked while fn runs, and its callers never overlap. */
#include "sched_util.h"
#include "cpu.h"
#include "stop_machine.h"
#include "asm/irqflags.h"
#include "../../kernel/sched/rq.h"

static int spin_fn(void *arg)
{
	u64 *loops = arg;

	while (!kthread_should_stop())
		WRITE_ONCE(*loops, *loops + 1);
	return 0;
}

static struct {
	unsigned int ran_on;
	bool irqs_off, is_stopper;
	unsigned int not_stopped;	/* other CPUs not in stop_machine */
	unsigned int ticked;		/* other CPUs whose tick moved */
	unsigned int own_ticked;
	unsigned int spinners_ran;	/* fair tasks that got CPU meanwhile */
	u64 spin_loops[2];
} sm;

/* Runs with the machine stopped: look at every other CPU twice, 3 ticks
 * apart. */
static int check_stopped(void *arg)
{
	static u64 ticks[NR_CPUS];
	unsigned int self = smp_processor_id(), cpu;
	u64 loops[2], end;

	(void)arg;
	sm.ran_on = self;
	sm.irqs_off = irqs_disabled();
	sm.is_stopper = current->flags & PF_STOPPER;
	for (int i = 0; i < 2; i++)
		loops[i] = READ_ONCE(sm.spin_loops[i]);
	for_each_online_cpu(cpu) {
		ticks[cpu] = READ_ONCE(cpu_data[cpu].ticks);
		if (cpu != self && !READ_ONCE(cpu_data[cpu].in_stop_machine))
			sm.not_stopped++;
	}
	end = read_cntvct() + 3 * timer_freq / tick_hz;
	while (read_cntvct() < end)
		cpu_relax();
	for_each_online_cpu(cpu) {
		if (cpu != self && !READ_ONCE(cpu_data[cpu].in_stop_machine))
			sm.not_stopped++;
		if (READ_ONCE(cpu_data[cpu].ticks) != ticks[cpu]) {
			if (cpu == self)
				sm.own_ticked++;
			else
				sm.ticked++;
		}
	}
	for (int i = 0; i < 2; i++)
		if (READ_ONCE(sm.spin_loops[i]) != loops[i])
			sm.spinners_ran++;
	return 0;
}

static void machine_stops_while_fn_runs(struct ktest *t)
{
	struct task_struct *sp[2] = { NULL, NULL };
	unsigned int cpu;
	int ret;

	memset(&sm, 0, sizeof(sm));
	/* Busy fair tasks elsewhere: they must be held off too. */
	for (int i = 0; i < 2 && kt_ncpus() > 1; i++) {
		sp[i] = kt_start(spin_fn, &sm.spin_loops[i], "kt-smspin", (int)kt_cpu((unsigned int)i), 0);
		KT_ASSERT(t, sp[i]);
	}
	KT_EXPECT(t, KT_WAIT_UNTIL(!sp[0] || READ_ONCE(sm.spin_loops[0]) > 0, KT_LIVENESS_MS));
	ret = stop_machine(check_stopped, NULL, NULL);
	KT_EXPECT_EQ(t, ret, 0);
	KT_EXPECT_EQ(t, sm.ran_on, cpumask_first(cpu_online_mask));
	KT_EXPECT(t, sm.irqs_off);
	KT_EXPECT(t, sm.is_stopper);
	KT_EXPECT_EQ(t, sm.not_stopped, 0);
	KT_EXPECT_EQ(t, sm.ticked, 0);
	KT_EXPECT_EQ(t, sm.own_ticked, 0);
	KT_EXPECT_EQ(t, sm.spinners_ran, 0);
	for_each_online_cpu(cpu)
		KT_EXPECT(t, !READ_ONCE(cpu_data[cpu].in_stop_machine));
	/* And the machine runs again: the spinners go on. */
	for (int i = 0; i < 2; i++)
		if (sp[i]) {
			u64 before = READ_ONCE(sm.spin_loops[i]);

			KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(sm.spin_loops[i]) > before, KT_LIVENESS_MS));
			kt_stop(sp[i]);
		}
}

static struct {
	atomic_t ran_on[NR_CPUS];
	atomic_t not_stopped;		/* CPUs seen outside stop_machine meanwhile */
	int fail_cpu;
} all;

/* On each CPU of the mask: every online CPU, ours included, must be held
 * in the stopped machine from before fn starts anywhere until it ended
 * everywhere. */
static int on_each(void *arg)
{
	unsigned int cpu;

	(void)arg;
	atomic_inc(&all.ran_on[smp_processor_id()]);
	for (int pass = 0; pass < 2; pass++) {
		for_each_online_cpu(cpu)
			if (!READ_ONCE(cpu_data[cpu].in_stop_machine))
				atomic_inc(&all.not_stopped);
		udelay(100);
	}
	return (int)smp_processor_id() == all.fail_cpu ? -EBUSY : 0;
}

/* fn on each CPU of the mask, inside one stop; one failure is the result. */
static void fn_runs_on_every_cpu_of_mask(struct ktest *t)
{
	unsigned int cpu;
	cpumask_t mask;

	/* Every CPU up to 8; beyond, 8 of them (the rest still stop). */
	cpumask_clear(&mask);
	for (unsigned int i = 0; i < MIN(kt_ncpus(), 8U); i++)
		cpumask_set_cpu(kt_cpu(i), &mask);
	memset(&all, 0, sizeof(all));
	all.fail_cpu = (int)kt_cpu(0);
	KT_EXPECT_EQ(t, stop_machine(on_each, NULL, &mask), -EBUSY);
	for_each_online_cpu(cpu)
		KT_EXPECT_EQ(t, atomic_read(&all.ran_on[cpu]), cpumask_test_cpu(cpu, &mask) ? 1 : 0);
	KT_EXPECT_EQ(t, atomic_read(&all.not_stopped), 0);
	/* Everyone is released afterwards. */
	for_each_online_cpu(cpu)
		KT_EXPECT(t, !READ_ONCE(cpu_data[cpu].in_stop_machine));
}

static struct {
	atomic_t inside;
	atomic_t overlaps;
	atomic_t calls;
	int rounds;
	u64 deadline;
} ser;

static int exclusive_fn(void *arg)
{
	(void)arg;
	if (atomic_inc_return(&ser.inside) != 1)
		atomic_inc(&ser.overlaps);
	udelay(200);
	atomic_add_return(-1, &ser.inside);
	atomic_inc(&ser.calls);
	return 0;
}

static int caller_fn(void *arg)
{
	int *made = arg;

	/* At least once each, however slow the machine: the point is
	 * several callers at the same time. */
	do {
		if (stop_machine(exclusive_fn, NULL, NULL) == 0)
			(*made)++;
	} while (*made < ser.rounds && kt_now_ns() < ser.deadline);
	kt_idle_until_stopped();
	return 0;
}

/* Three callers on different CPUs at once: fn invocations never overlap. */
static void concurrent_callers_serialise(struct ktest *t)
{
	static int made[3];
	struct task_struct *p[2];

	memset(&ser, 0, sizeof(ser));
	memset(made, 0, sizeof(made));
	/* Each call stops every CPU: fewer on a big machine. */
	ser.rounds = kt_ncpus() > 8 ? 5 : 20;
	ser.deadline = kt_now_ns() + 1000 * 1000000ULL;
	for (int i = 0; i < 2; i++) {
		p[i] = kt_start(caller_fn, &made[i], "kt-smcall", (int)kt_cpu((unsigned int)i), 0);
		KT_ASSERT(t, p[i]);
	}
	/* ... and the runner itself is the third. */
	do {
		if (stop_machine(exclusive_fn, NULL, NULL) == 0)
			made[2]++;
	} while (made[2] < ser.rounds && kt_now_ns() < ser.deadline);
	for (int i = 0; i < 2; i++)
		KT_EXPECT(t, KT_WAIT_UNTIL(made[i] == ser.rounds ||
					  (made[i] && kt_now_ns() > ser.deadline), 15000));
	for (int i = 0; i < 2; i++)
		kt_stop(p[i]);
	KT_EXPECT_EQ(t, atomic_read(&ser.overlaps), 0);
	KT_EXPECT_EQ(t, atomic_read(&ser.calls), made[0] + made[1] + made[2]);
	for (int i = 0; i < 3; i++)
		KT_EXPECT(t, made[i] > 0);
}

static int whoami(void *arg)
{
	unsigned int *bad = arg;

	if (!(current->flags & PF_STOPPER))
		(*bad)++;
	return (int)smp_processor_id() + 1000;
}

static void stop_one_cpu_runs_there(struct ktest *t)
{
	unsigned int cpu, bad = 0, step = MAX(1U, kt_ncpus() / 16);

	for_each_online_cpu(cpu)
		if (cpu % step == 0)
			KT_EXPECT_EQ(t, stop_one_cpu(cpu, whoami, &bad), (int)cpu + 1000);
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, stop_one_cpu(NR_CPUS, whoami, &bad), -ENOENT);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (!cpu_online(cpu)) {
			KT_EXPECT_EQ(t, stop_one_cpu(cpu, whoami, &bad), -ENOENT);
			break;
		}
}

static struct {
	u64 loops;
	u64 before, after;
} pre;

static int watch_spinner(void *arg)
{
	u64 end = read_cntvct() + 2 * timer_freq / tick_hz;

	(void)arg;
	pre.before = READ_ONCE(pre.loops);
	while (read_cntvct() < end)
		cpu_relax();
	pre.after = READ_ONCE(pre.loops);
	return 0;
}

/* The stopper takes a CPU from a busy fair task at once, and nothing else
 * runs there while it works (its IRQs stay on: ticks go on). */
static void stopper_preempts_fair_task(struct ktest *t)
{
	unsigned int cpu = kt_cpu(0);
	struct task_struct *p;
	u64 ticks;

	pre.loops = 0;
	p = kt_start(spin_fn, &pre.loops, "kt-prespin", (int)cpu, 0);
	KT_ASSERT(t, p);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(pre.loops) > 0, KT_LIVENESS_MS));
	/* Counted in ticks of that CPU: the stopper gets it at once, then
	 * watches for two ticks. */
	ticks = READ_ONCE(cpu_data[cpu].ticks);
	KT_EXPECT_EQ(t, stop_one_cpu(cpu, watch_spinner, NULL), 0);
	ticks = READ_ONCE(cpu_data[cpu].ticks) - ticks;
	KT_EXPECT(t, ticks <= 4);
	KT_EXPECT_EQ(t, pre.after, pre.before);
	kt_stop(p);
}

static atomic_t ran_on_cpu[NR_CPUS];

static int mark_cpu(void *arg)
{
	(void)arg;
	atomic_inc(&ran_on_cpu[smp_processor_id()]);
	return smp_processor_id() == kt_cpu(0) ? -EAGAIN : 0;
}

static void stop_cpus_and_nowait(struct ktest *t)
{
	static struct cpu_stop_work work;
	cpumask_t mask;
	unsigned int cpu;

	for (int i = 0; i < NR_CPUS; i++)
		atomic_set(&ran_on_cpu[i], 0);
	cpumask_clear(&mask);
	cpumask_set_cpu(kt_cpu(0), &mask);
	cpumask_set_cpu(kt_cpu(1), &mask);
	KT_EXPECT_EQ(t, stop_cpus(&mask, mark_cpu, NULL), -EAGAIN);
	for_each_online_cpu(cpu)
		KT_EXPECT_EQ(t, atomic_read(&ran_on_cpu[cpu]), cpumask_test_cpu(cpu, &mask) ? 1 : 0);
	cpu = kt_cpu(1);
	KT_EXPECT(t, stop_one_cpu_nowait(cpu, mark_cpu, NULL, &work));
	KT_EXPECT(t, KT_WAIT_UNTIL(atomic_read(&ran_on_cpu[cpu]) == 2, KT_LIVENESS_MS));
}

/*
 * Parked stoppers.  Only an idle secondary CPU's stopper is parked (never
 * the runner's CPU), under the hotplug lock as hotplug will, and every case
 * unparks it on every path: a stopper left parked would hang every later
 * stop_machine.  Checks between park and unpark are EXPECTs, never ASSERTs.
 */
static unsigned int park_target(void)
{
	unsigned int cpu = kt_cpu(0);

	return cpu == smp_processor_id() ? kt_cpu(1) : cpu;
}

static void park_stopper(unsigned int cpu)
{
	cpus_write_lock();
	stop_machine_park(cpu);
	cpus_write_unlock();
}

static void unpark_stopper(unsigned int cpu)
{
	cpus_write_lock();
	stop_machine_unpark(cpu);
	cpus_write_unlock();
}

static bool stopper_parked(unsigned int cpu)
{
	struct task_struct *s = cpu_rq(cpu)->stop;

	return READ_ONCE(s->state) == TASK_PARKED && !READ_ONCE(s->on_rq) && !READ_ONCE(s->on_cpu);
}

static atomic_t marks;

static int mark(void *arg)
{
	(void)arg;
	atomic_inc(&marks);
	return 0;
}

/* A parked stopper refuses work at once, and takes it again once unparked. */
static void parked_stopper_refuses_work(struct ktest *t)
{
	static struct cpu_stop_work work;
	unsigned int cpu = park_target(), bad = 0;
	u64 t0;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "never parks the stopper of the only CPU");
	atomic_set(&marks, 0);
	park_stopper(cpu);
	KT_EXPECT(t, stopper_parked(cpu));
	t0 = kt_now_ns();
	KT_EXPECT_EQ(t, stop_one_cpu(cpu, mark, NULL), -ENOENT);
	KT_EXPECT(t, !stop_one_cpu_nowait(cpu, mark, NULL, &work));
	/* Refused without waiting for anything: well under a tick. */
	KT_EXPECT(t, kt_now_ns() - t0 < kt_tick_ns());
	msleep(20);
	KT_EXPECT_EQ(t, atomic_read(&marks), 0);
	KT_EXPECT(t, stopper_parked(cpu));
	unpark_stopper(cpu);
	KT_EXPECT_EQ(t, stop_one_cpu(cpu, whoami, &bad), (int)cpu + 1000);
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, atomic_read(&marks), 0);
}

static struct {
	volatile int busy, release;
	volatile int waiter_in, waiter_ret, waiter_done;
	volatile int parked;
	unsigned int cpu;
} pq;

/* Keeps the stopper busy, so that the next work item stays queued. */
static int occupy_stopper(void *arg)
{
	u64 end = read_cntvct() + 10 * timer_freq;	/* a bound, if the case fails */

	(void)arg;
	WRITE_ONCE(pq.busy, 1);
	while (!READ_ONCE(pq.release) && read_cntvct() < end)
		cpu_relax();
	return 0;
}

static int queued_waiter(void *arg)
{
	(void)arg;
	WRITE_ONCE(pq.waiter_in, 1);
	WRITE_ONCE(pq.waiter_ret, stop_one_cpu(pq.cpu, mark, NULL));
	WRITE_ONCE(pq.waiter_done, 1);
	kt_idle_until_stopped();
	return 0;
}

static int parks_stopper(void *arg)
{
	(void)arg;
	park_stopper(pq.cpu);
	WRITE_ONCE(pq.parked, 1);
	kt_idle_until_stopped();
	return 0;
}

/* Work already queued when the stopper is parked fails with -ENOENT, and
 * its waiter is woken at once (not when the stopper gets round to it). */
static void park_fails_queued_work(struct ktest *t)
{
	static struct cpu_stop_work work;
	struct task_struct *w = NULL, *pk = NULL;
	unsigned int other;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "never parks the stopper of the only CPU");
	memset((void *)&pq, 0, sizeof(pq));
	pq.cpu = park_target();
	other = kt_cpu(0) == pq.cpu ? kt_cpu(1) : kt_cpu(0);
	atomic_set(&marks, 0);
	KT_ASSERT(t, stop_one_cpu_nowait(pq.cpu, occupy_stopper, NULL, &work));
	KT_EXPECT(t, KT_SPIN_UNTIL(READ_ONCE(pq.busy), KT_LIVENESS_MS));
	w = kt_start(queued_waiter, NULL, "kt-stopwait", (int)other, 0);
	if (w) {
		KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(pq.waiter_in) && kt_is_asleep(w), KT_LIVENESS_MS));
		pk = kt_start(parks_stopper, NULL, "kt-stoppark", (int)other, 0);
	}
	KT_EXPECT(t, w && pk);
	/* The stopper is still busy: only the refusal can wake the waiter. */
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(pq.waiter_done), KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, pq.waiter_ret, -ENOENT);
	KT_EXPECT(t, !READ_ONCE(pq.release) && !READ_ONCE(pq.parked));
	WRITE_ONCE(pq.release, 1);
	if (pk)
		KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(pq.parked), KT_LIVENESS_MS));
	KT_EXPECT(t, stopper_parked(pq.cpu));
	KT_EXPECT_EQ(t, atomic_read(&marks), 0);
	if (pk)
		kt_stop(pk);
	if (w)
		kt_stop(w);
	unpark_stopper(pq.cpu);
	KT_EXPECT_EQ(t, stop_one_cpu(pq.cpu, mark, NULL), 0);
	KT_EXPECT_EQ(t, atomic_read(&marks), 1);
}

static int stm_ran;

static int note_run(void *arg)
{
	(void)arg;
	stm_ran++;
	return 0;
}

/*
 * stop_machine with one stopper parked: refused (-ENOENT) before anyone
 * masked IRQs, fn never runs, no CPU is left spinning in the rendezvous.
 * stop_cpus over a mask with that CPU: -ENOENT, fn still ran on the rest.
 * After the unpark a stop_machine works again and every CPU answers.
 */
static void stop_machine_with_parked_stopper_fails(struct ktest *t)
{
	unsigned int cpu = park_target(), c;
	cpumask_t mask;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "never parks the stopper of the only CPU");
	stm_ran = 0;
	atomic_set(&marks, 0);
	park_stopper(cpu);
	KT_EXPECT_EQ(t, stop_machine(note_run, NULL, NULL), -ENOENT);
	KT_EXPECT_EQ(t, stm_ran, 0);
	for_each_online_cpu(c)
		KT_EXPECT(t, !READ_ONCE(cpu_data[c].in_stop_machine));
	/* Every other stopper went home: each takes new work (a CPU left
	 * spinning in the rendezvous would not). */
	for_each_online_cpu(c)
		if (c != cpu && c % MAX(1U, kt_ncpus() / 16) == 0)
			KT_EXPECT_EQ(t, stop_one_cpu(c, mark, NULL), 0);
	cpumask_copy(&mask, cpu_online_mask);
	cpumask_clear_cpu(cpu, &mask);
	c = cpumask_first(&mask);
	cpumask_clear(&mask);
	cpumask_set_cpu(cpu, &mask);
	cpumask_set_cpu(c, &mask);
	atomic_set(&marks, 0);
	KT_EXPECT_EQ(t, stop_cpus(&mask, mark, NULL), -ENOENT);
	KT_EXPECT_EQ(t, atomic_read(&marks), 1);
	KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);
	unpark_stopper(cpu);
	KT_EXPECT_EQ(t, stop_machine(note_run, NULL, NULL), 0);
	KT_EXPECT_EQ(t, stm_ran, 1);
	KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);
}

static int park_own_stopper(void *arg)
{
	(void)arg;
	stop_machine_park(smp_processor_id());
	return 7;
}

/* A stopper parks itself from inside its own work (what hotplug's dying
 * step will do): the work finishes, then the thread parks. */
static void stopper_parks_itself(struct ktest *t)
{
	unsigned int cpu = park_target();

	if (kt_ncpus() < 2)
		KT_SKIP(t, "never parks the stopper of the only CPU");
	KT_EXPECT_EQ(t, stop_one_cpu(cpu, park_own_stopper, NULL), 7);
	KT_EXPECT(t, KT_WAIT_UNTIL(stopper_parked(cpu), KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, stop_one_cpu(cpu, mark, NULL), -ENOENT);
	unpark_stopper(cpu);
	KT_EXPECT_EQ(t, stop_one_cpu(cpu, park_own_stopper, NULL), 7);
	KT_EXPECT(t, KT_WAIT_UNTIL(stopper_parked(cpu), KT_LIVENESS_MS));
	unpark_stopper(cpu);
	KT_EXPECT_EQ(t, stop_one_cpu(cpu, mark, NULL), 0);
}

/* Every helper thread is gone, every stopper is running (a failed case
 * must not leave one parked), and every CPU still takes interrupts. */
static void cleanup(struct ktest *t)
{
	unsigned int cpu;

	KT_EXPECT_EQ(t, kt_stop_all(), 0);
	for_each_online_cpu(cpu) {
		if (stopper_parked(cpu)) {
			KT_NOTE("cpu%u's stopper was left parked", cpu);
			KT_EXPECT(t, false);
		}
		unpark_stopper(cpu);
	}
	KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);
}

KTEST_SUITE(stop_machine,
	KT_CASE(machine_stops_while_fn_runs),
	KT_CASE(fn_runs_on_every_cpu_of_mask),
	KTEST_CASE_TIMEOUT(concurrent_callers_serialise, 30000),
	KT_CASE(stop_one_cpu_runs_there),
	KT_CASE(stopper_preempts_fair_task),
	KT_CASE(stop_cpus_and_nowait),
	KT_CASE(parked_stopper_refuses_work),
	KT_CASE(park_fails_queued_work),
	KT_CASE(stop_machine_with_parked_stopper_fails),
	KT_CASE(stopper_parks_itself),
	KT_CASE(cleanup));
