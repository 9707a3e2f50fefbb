/*
 * CPU hotplug (kernel/cpuhp.c): cycles on an idle system, offline under
 * load down to one CPU and back, the fallback for a task pinned to the CPU
 * going away, balance_push moving tasks off a CPU that has just left the
 * active mask, rollback from every state by fault injection, per-CPU threads
 * that park, refusals, and hotplug racing with affinity changes,
 * stop_machine and wake-ups.  Every case leaves every CPU it found online
 * online again, even when it fails.
 */
#include "sched_util.h"
#include "cpuhp.h"
#include "cpu_ops.h"
#include "smpboot.h"
#include "stop_machine.h"
#include "counter_sync.h"
#include "cpu.h"
#include "timer.h"
#include "params.h"
#include "../../kernel/sched/rq.h"
#include "../../kernel/sched/hotplug.h"

#define HP_CASE(fn) KTEST_CASE_TIMEOUT(fn, 120000)

static cpumask_t was_online;

static void remember_online(void)
{
	cpumask_copy(&was_online, cpu_online_mask);
}

/* Bring back every CPU that was online when the case started. */
static void restore_online(struct ktest *t)
{
	unsigned int cpu;

	for_each_cpu(cpu, &was_online)
		if (!cpu_online(cpu) && cpu_up(cpu))
			ktest_fail(t, __FILE__, __LINE__, "cannot bring CPU%u back", cpu);
}

/* Can this CPU be taken down and brought back here? */
static bool pluggable(unsigned int cpu)
{
	return cpu_present(cpu) && cpu_ops[cpu] && cpu_ops[cpu]->cpu_die;
}

static bool masks_say_offline(unsigned int cpu)
{
	return !cpu_online(cpu) && !cpu_active(cpu) && cpuhp_state_of(cpu) == CPUHP_OFFLINE;
}

static bool masks_say_online(unsigned int cpu)
{
	return cpu_online(cpu) && cpu_active(cpu) && cpuhp_state_of(cpu) == CPUHP_ONLINE &&
	       cpumask_subset(cpu_active_mask, cpu_online_mask);
}

static void refusals(struct ktest *t)
{
	unsigned int cpu, last = 0;

	remember_online();
	KT_EXPECT_EQ(t, cpu_down(NR_CPUS), -EINVAL);
	KT_EXPECT_EQ(t, cpu_up(NR_CPUS + 5), -EINVAL);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (!cpu_present(cpu)) {
			KT_EXPECT_EQ(t, cpu_down(cpu), -EINVAL);
			KT_EXPECT_EQ(t, cpu_up(cpu), -EINVAL);
			break;
		}
	KT_EXPECT_EQ(t, cpu_up(smp_processor_id()), -EALREADY);
	/* A CPU with no enable-method (CPU0 on a Pi 4 with spin-table) is
	 * refused for what it is, after the cheaper refusals. */
	for_each_cpu(cpu, &was_online)
		if (!cpu_ops[cpu] && num_online_cpus() > 1 && cpu_active(cpu))
			KT_EXPECT_EQ(t, cpu_down(cpu), -EOPNOTSUPP);
	/* Down to one active CPU: the last one is refused.  With many CPUs
	 * offline_under_load goes down to one anyway; here that would only
	 * cost time. */
	if (num_online_cpus() > 4) {
		KT_NOTE("%u CPUs: the last-active refusal is checked at 4 CPUs or fewer",
			num_online_cpus());
		goto double_offline;
	}
	for_each_cpu(cpu, &was_online) {
		if (cpumask_weight(cpu_active_mask) == 1) {
			last = cpumask_first(cpu_active_mask);
			break;
		}
		if (pluggable(cpu))
			KT_EXPECT_EQ(t, cpu_down(cpu), 0);
	}
	if (cpumask_weight(cpu_active_mask) == 1) {
		last = cpumask_first(cpu_active_mask);
		KT_EXPECT_EQ(t, cpu_down(last), -EBUSY);
		KT_EXPECT(t, masks_say_online(last));
	} else {
		KT_NOTE("no boot method can take CPUs down to one here");
	}
double_offline:
	if (pluggable(kt_cpu(0)) && kt_cpu(0) != smp_processor_id() && cpu_online(kt_cpu(0)))
		KT_EXPECT_EQ(t, cpu_down(kt_cpu(0)), 0);
	for_each_cpu(cpu, &was_online)
		if (!cpu_online(cpu)) {
			KT_EXPECT_EQ(t, cpu_down(cpu), -EALREADY);
			break;
		}
	restore_online(t);
	KT_EXPECT(t, cpumask_equal(cpu_active_mask, &was_online));
}

/*
 * Each secondary, offline and online again 50 times, masks checked at each
 * step.  Round-robin over the CPUs, so that on a slow host (plain TCG, many
 * vCPUs on two cores) a time bound cuts every CPU's rounds evenly; each CPU
 * still does at least a few.
 */
#define CYCLE_ROUNDS 50
#define CYCLE_BUDGET_NS 20000000000ULL

static void cycle_each_cpu_idle(struct ktest *t)
{
	unsigned int cpu, n = 0, round, ops = 0;
	u64 end = kt_now_ns() + CYCLE_BUDGET_NS;
	bool out_of_time = false;

	remember_online();
	for_each_cpu(cpu, &was_online)
		n += pluggable(cpu) && cpu;
	if (!n)
		KT_SKIP(t, "no secondary CPU can be taken offline here");
	for (round = 0; round < CYCLE_ROUNDS && !t->failures && !out_of_time; round++) {
		for_each_cpu(cpu, &was_online) {
			if (!cpu || !pluggable(cpu))
				continue;
			/* Every CPU once; then only while the budget lasts. */
			if (round && kt_now_ns() > end) {
				out_of_time = true;
				break;
			}
			KT_EXPECT_EQ(t, cpu_down(cpu), 0);
			KT_EXPECT(t, masks_say_offline(cpu));
			KT_EXPECT_EQ(t, cpu_up(cpu), 0);
			KT_EXPECT(t, masks_say_online(cpu));
			ops++;
		}
	}
	KT_NOTE("%u offline/online pairs over %u CPUs (%u rounds)", ops, n, round);
	restore_online(t);
	KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);
}

static void boot_cpu_goes_and_comes_back(struct ktest *t)
{
	remember_online();
	if (!pluggable(0) || num_online_cpus() < 2)
		KT_SKIP(t, "CPU0 has no boot method to be restarted with, or it is alone");
	for (int r = 0; r < 3; r++) {
		KT_EXPECT_EQ(t, cpu_down(0), 0);
		KT_EXPECT(t, masks_say_offline(0));
		KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);	/* the others still answer */
		KT_EXPECT_EQ(t, cpu_up(0), 0);
		KT_EXPECT(t, masks_say_online(0));
	}
	restore_online(t);
}

/* ---- under load ---- */

#define LOAD_PER_CPU 4

struct load_task {
	struct task_struct *p;
	u64 last_progress;
	bool sleeper;
};

static int sleeper_fn(void *arg)
{
	while (!kthread_should_stop()) {
		msleep(3);
		WRITE_ONCE(current->progress, current->progress + 1);
	}
	return 0;
}

static int spinner_fn(void *arg)
{
	while (!kthread_should_stop()) {
		for (int i = 0; i < 500; i++)
			__asm__ volatile("" ::: "memory");
		WRITE_ONCE(current->progress, current->progress + 1);
	}
	return 0;
}

static unsigned int start_load(struct load_task *lt, unsigned int n, u64 *seed)
{
	unsigned int started = 0;

	for (unsigned int i = 0; i < n; i++) {
		cpumask_t mask;

		/* Random affinity over the online CPUs, never empty. */
		cpumask_clear(&mask);
		while (cpumask_empty(&mask)) {
			unsigned int cpu;

			for_each_online_cpu(cpu)
				if (kt_rand(seed) & 1)
					cpumask_set_cpu(cpu, &mask);
		}
		lt[i].sleeper = i % 4 == 3;
		lt[i].p = kt_start_mask(lt[i].sleeper ? sleeper_fn : spinner_fn, NULL,
					lt[i].sleeper ? "hp-sleeper" : "hp-spinner", &mask, 0);
		if (!lt[i].p)
			break;
		lt[i].last_progress = 0;
		started++;
	}
	return started;
}

/* Every task alive and moved on since the last check. */
static void check_progress(struct ktest *t, struct load_task *lt, unsigned int n, const char *when)
{
	for (unsigned int i = 0; i < n; i++) {
		struct task_struct *p = lt[i].p;

		if (!KT_WAIT_UNTIL(READ_ONCE(p->progress) > lt[i].last_progress, KT_LIVENESS_MS)) {
			ktest_fail(t, __FILE__, __LINE__, "%s: task %d made no progress", when, p->pid);
			kt_dump_task("stuck", p);
		}
		KT_EXPECT(t, READ_ONCE(p->state) != TASK_DEAD);
		lt[i].last_progress = READ_ONCE(p->progress);
	}
}

static u64 inactive_switch_ins(void)
{
	u64 sum = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		sum += READ_ONCE(cpu_rq(cpu)->inactive_violations);
	return sum;
}

static void offline_under_load(struct ktest *t)
{
	static struct load_task lt[KT_MAX_THREADS];
	unsigned int n, cpu, order[NR_CPUS], down = 0;
	u64 seed = 0x5eed, bad0 = inactive_switch_ins();

	remember_online();
	if (num_online_cpus() < 2)
		KT_SKIP(t, "needs two CPUs");
	n = LOAD_PER_CPU * num_online_cpus();
	if (n > KT_MAX_THREADS - 8)
		n = KT_MAX_THREADS - 8;
	n = start_load(lt, n, &seed);
	KT_ASSERT(t, n > 0);
	check_progress(t, lt, n, "before");
	/* Down to one, highest first (CPU0 too where it can go: it is taken
	 * last, so the last CPU standing is the last in the mask). */
	for (unsigned int i = cpumask_weight(&was_online); i-- > 0;) {
		cpu = 0;
		for (unsigned int c = 0, k = 0; c < NR_CPUS; c++)
			if (cpumask_test_cpu(c, &was_online) && k++ == i)
				cpu = c;
		if (num_online_cpus() == 1)
			break;
		if (!pluggable(cpu))
			continue;
		KT_EXPECT_EQ(t, cpu_down(cpu), 0);
		order[down++] = cpu;
		check_progress(t, lt, n, "after an offline");
	}
	while (down) {
		KT_EXPECT_EQ(t, cpu_up(order[--down]), 0);
		check_progress(t, lt, n, "after an online");
	}
	restore_online(t);
	KT_EXPECT_EQ(t, inactive_switch_ins() - bad0, 0);
	for (unsigned int i = 0; i < n; i++)
		kt_stop(lt[i].p);
}

/* A task allowed only on the CPU going down moves through
 * select_fallback_rq, its mask widened to every possible CPU. */
static void pinned_task_falls_back(struct ktest *t)
{
	struct task_struct *p;
	unsigned int cpu;
	u64 before;

	remember_online();
	cpu = kt_cpu(0);
	if (num_online_cpus() < 2 || !pluggable(cpu))
		KT_SKIP(t, "needs a second CPU that can go offline");
	p = kt_start(spinner_fn, NULL, "hp-pinned", (int)cpu, 0);
	KT_ASSERT(t, p);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(p->progress) > 0, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, cpu_down(cpu), 0);
	KT_EXPECT(t, task_cpu(p) != cpu);
	KT_EXPECT(t, cpumask_equal(&p->cpus_allowed, cpu_possible_mask));
	before = READ_ONCE(p->progress);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(p->progress) > before, KT_LIVENESS_MS));
	restore_online(t);
	kt_stop(p);
}

/*
 * balance_push on its own.  The operation is stopped right after its first
 * teardown step, sched_cpu_deactivate (the CPU inactive, rq->balance_push
 * set), so sched_cpu_wait_empty's sweep never runs.  Two spinners allowed
 * on c and d sit on c, one running and one queued; d runs two spinners of
 * its own, so no balancer had a reason to move them before.  Once c's tick
 * preempts the running one, only balance_push can move them: the balancer
 * never pulls from an inactive CPU and spinners never wake up.  Both must
 * reach d, and neither may be switched in on c meanwhile.
 */
static void balance_push_empties_the_cpu(struct ktest *t)
{
	struct task_struct *p[4];
	unsigned int c = kt_cpu(0), d = kt_cpu(1);
	cpumask_t pair;
	u64 bad0 = inactive_switch_ins(), before;
	bool moved;

	if (num_online_cpus() < 2)
		KT_SKIP(t, "needs two CPUs");
	cpumask_clear(&pair);
	cpumask_set_cpu(c, &pair);
	cpumask_set_cpu(d, &pair);
	p[0] = kt_start(spinner_fn, NULL, "hp-stay", (int)d, 0);
	p[1] = kt_start(spinner_fn, NULL, "hp-stay", (int)d, 0);
	p[2] = kt_start(spinner_fn, NULL, "hp-push", (int)c, 0);
	p[3] = kt_start(spinner_fn, NULL, "hp-push", (int)c, 0);
	for (int i = 0; i < 4; i++)
		KT_ASSERT(t, p[i]);
	KT_ASSERT(t, KT_WAIT_UNTIL(READ_ONCE(p[2]->progress) > 0 && READ_ONCE(p[3]->progress) > 0,
				   KT_LIVENESS_MS));
	/* Both run on c already: a new mask that keeps c moves neither. */
	KT_ASSERT_EQ(t, set_cpus_allowed_ptr(p[2], &pair), 0);
	KT_ASSERT_EQ(t, set_cpus_allowed_ptr(p[3], &pair), 0);
	KT_ASSERT(t, task_cpu(p[2]) == c && task_cpu(p[3]) == c);
	cpus_write_lock();
	KT_EXPECT_EQ(t, sched_cpu_deactivate(c), 0);
	moved = KT_WAIT_UNTIL(task_cpu(p[2]) == d && task_cpu(p[3]) == d && !nr_running_on(c),
			      KT_LIVENESS_MS);
	KT_EXPECT(t, moved);
	if (!moved)
		KT_NOTE("on cpu%u: %u runnable; hp-push on cpu%u and cpu%u", c, nr_running_on(c),
			task_cpu(p[2]), task_cpu(p[3]));
	KT_EXPECT(t, cpu_online(c) && !cpu_active(c));
	before = READ_ONCE(p[2]->progress) + READ_ONCE(p[3]->progress);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(p[2]->progress) + READ_ONCE(p[3]->progress) > before,
				   KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, sched_cpu_activate(c), 0);
	cpus_write_unlock();
	KT_EXPECT_EQ(t, inactive_switch_ins() - bad0, 0);
	for (int i = 0; i < 4; i++)
		kt_stop(p[i]);
}

/* ---- rollback ---- */

static void rollback_from_every_state(struct ktest *t)
{
	unsigned int cpu;

	remember_online();
	cpu = kt_cpu(0);
	if (num_online_cpus() < 2 || !pluggable(cpu))
		KT_SKIP(t, "needs a second CPU that can go offline");
	for (int s = CPUHP_OFFLINE + 1; s < CPUHP_ONLINE && !t->failures; s++) {
		/* Failing on the way down: it must end up as it was. */
		KT_ASSERT_EQ(t, cpuhp_set_fail(cpu, s), 0);
		KT_EXPECT_EQ(t, cpu_down(cpu), -EAGAIN);
		if (!masks_say_online(cpu))
			ktest_fail(t, __FILE__, __LINE__, "down, failed at %s: CPU%u left in %s",
				   cpuhp_state_name(s), cpu, cpuhp_state_name(cpuhp_state_of(cpu)));
		/* ... and a later offline works. */
		KT_EXPECT_EQ(t, cpu_down(cpu), 0);
		KT_EXPECT(t, masks_say_offline(cpu));
		/* Failing on the way up: back to offline, and up later. */
		KT_ASSERT_EQ(t, cpuhp_set_fail(cpu, s), 0);
		KT_EXPECT_EQ(t, cpu_up(cpu), -EAGAIN);
		if (!masks_say_offline(cpu))
			ktest_fail(t, __FILE__, __LINE__, "up, failed at %s: CPU%u left in %s",
				   cpuhp_state_name(s), cpu, cpuhp_state_name(cpuhp_state_of(cpu)));
		KT_EXPECT_EQ(t, cpu_up(cpu), 0);
		KT_EXPECT(t, masks_say_online(cpu));
	}
	cpuhp_set_fail(cpu, -1);
	restore_online(t);
	KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);
}

/* ---- per-CPU threads ---- */

static atomic_t pc_runs[NR_CPUS];
static int pc_pending[NR_CPUS];

static int pc_should_run(unsigned int cpu) { return READ_ONCE(pc_pending[cpu]); }
static void pc_run(unsigned int cpu)
{
	WRITE_ONCE(pc_pending[cpu], 0);
	atomic_inc(&pc_runs[cpu]);
}

static struct smp_hotplug_thread pc_threads = {
	.name = "hp-percpu",
	.thread_should_run = pc_should_run,
	.thread_fn = pc_run,
	.list = LIST_HEAD_INIT(pc_threads.list),
};

static bool kick_percpu(unsigned int cpu)
{
	int before = atomic_read(&pc_runs[cpu]);

	WRITE_ONCE(pc_pending[cpu], 1);
	wake_up_process(pc_threads.tasks[cpu]);
	return KT_WAIT_UNTIL(atomic_read(&pc_runs[cpu]) != before, KT_LIVENESS_MS);
}

static void percpu_threads_park_and_return(struct ktest *t)
{
	struct task_struct *p;
	unsigned int cpu;

	remember_online();
	cpu = kt_cpu(0);
	if (num_online_cpus() < 2 || !pluggable(cpu))
		KT_SKIP(t, "needs a second CPU that can go offline");
	KT_ASSERT_EQ(t, smpboot_register_percpu_thread(&pc_threads), 0);
	p = pc_threads.tasks[cpu];
	KT_EXPECT(t, p && kick_percpu(cpu));
	KT_EXPECT_EQ(t, cpu_down(cpu), 0);
	KT_EXPECT_EQ(t, READ_ONCE(p->state), TASK_PARKED);
	KT_EXPECT(t, !READ_ONCE(p->on_cpu) && !READ_ONCE(p->on_rq));
	KT_EXPECT_EQ(t, READ_ONCE(cpu_rq(cpu)->stop->state), TASK_PARKED);
	KT_EXPECT_EQ(t, cpu_up(cpu), 0);
	KT_EXPECT(t, pc_threads.tasks[cpu] == p);	/* the same thread, not a new one */
	KT_EXPECT(t, kick_percpu(cpu));
	KT_EXPECT_EQ(t, task_cpu(p), cpu);
	smpboot_unregister_percpu_thread(&pc_threads);
	restore_online(t);
}

/* ---- races ---- */

static bool racing;
static atomic_t race_ops[3];

static int race_taskset_fn(void *arg)
{
	struct task_struct *victim = arg;
	u64 seed = 0x7a5;

	while (READ_ONCE(racing)) {
		cpumask_t m;

		cpumask_clear(&m);
		cpumask_set_cpu((unsigned int)(kt_rand(&seed) % NR_CPUS), &m);
		cpumask_and(&m, &m, cpu_possible_mask);
		if (cpumask_empty(&m) || set_cpus_allowed_ptr(victim, &m) == 0)
			atomic_inc(&race_ops[0]);
		if (set_cpus_allowed_ptr(victim, cpu_possible_mask) == 0)
			atomic_inc(&race_ops[0]);
	}
	kt_idle_until_stopped();
	return 0;
}

static int nop_stop(void *arg) { return 0; }

static int race_stop_machine_fn(void *arg)
{
	while (READ_ONCE(racing)) {
		if (stop_machine(nop_stop, NULL, NULL) == 0)
			atomic_inc(&race_ops[1]);
		msleep(1);
	}
	kt_idle_until_stopped();
	return 0;
}

static void hotplug_races(struct ktest *t)
{
	struct task_struct *victim, *helpers[2], *sleepers[4];
	unsigned int ops = 0, cpus[NR_CPUS], n = 0, cpu;
	u64 seed = 0xace, bad0 = inactive_switch_ins(), end;

	remember_online();
	for_each_cpu(cpu, &was_online)
		if (cpu && pluggable(cpu))
			cpus[n++] = cpu;
	if (!n)
		KT_SKIP(t, "no secondary CPU can be taken offline here");
	WRITE_ONCE(racing, true);
	victim = kt_start(spinner_fn, NULL, "hp-victim", -1, 0);
	helpers[0] = kt_start(race_taskset_fn, victim, "hp-taskset", -1, 0);
	helpers[1] = kt_start(race_stop_machine_fn, NULL, "hp-stopmc", -1, 0);
	for (int i = 0; i < 4; i++)
		sleepers[i] = kt_start(sleeper_fn, NULL, "hp-wakeups", -1, 0);
	KT_ASSERT(t, victim && helpers[0] && helpers[1] && sleepers[3]);
	end = kt_now_ns() + 3000000000ULL;
	while (kt_now_ns() < end && ops < 200) {
		cpu = cpus[kt_rand(&seed) % n];
		KT_EXPECT_EQ(t, cpu_down(cpu), 0);
		KT_EXPECT_EQ(t, cpu_up(cpu), 0);
		ops++;
	}
	WRITE_ONCE(racing, false);
	KT_NOTE("%u offline/online pairs against %d affinity changes and %d stop_machines",
		ops, atomic_read(&race_ops[0]), atomic_read(&race_ops[1]));
	for (int i = 0; i < 4; i++) {
		u64 before = READ_ONCE(sleepers[i]->progress);

		KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(sleepers[i]->progress) > before, KT_LIVENESS_MS));
		kt_stop(sleepers[i]);
	}
	kt_stop(helpers[0]);
	kt_stop(helpers[1]);
	KT_EXPECT(t, READ_ONCE(victim->progress) > 0);
	kt_stop(victim);
	restore_online(t);
	KT_EXPECT_EQ(t, inactive_switch_ins() - bad0, 0);
	KT_EXPECT_EQ(t, kt_unresponsive_cpus(), 0);
}

/* A cross-CPU call that does nothing: only its IPI matters. */
static void hint_nop(void *arg)
{
	(void)arg;
}

/* A CPU coming up stops the others from its AP states, where it cannot
 * sleep (stop_machine_from_inactive_cpu), to compare clocks with them:
 * every online CPU took part, and none was found out of step. */
static void incoming_cpu_stops_the_others(struct ktest *t)
{
	struct counter_sync_stats before = counter_sync_stats;
	u64 arms0 = timer_hint_count();
	unsigned int cpu, c;

	remember_online();
	cpu = kt_cpu(0);
	if (num_online_cpus() < 2 || !pluggable(cpu))
		KT_SKIP(t, "needs a second CPU that can go offline");
	KT_EXPECT_EQ(t, cpu_down(cpu), 0);
	KT_EXPECT_EQ(t, cpu_up(cpu), 0);
	KT_EXPECT_EQ(t, counter_sync_stats.checks, before.checks + 1);
	KT_EXPECT_EQ(t, counter_sync_stats.cpus_in_last, num_online_cpus());
	KT_EXPECT_EQ(t, counter_sync_stats.out_of_step, before.out_of_step);
	/* The emulator hint (cpuhp.poll_us): armed during the operation
	 * (where the boot argument leaves it on), and never after it: IPIs
	 * sent now arm nothing. */
	if (boot_params.cpuhp_poll_us)
		KT_EXPECT(t, timer_hint_count() > arms0);
	arms0 = timer_hint_count();
	for_each_online_cpu(c)
		if (c != smp_processor_id())
			smp_call_function_single(c, hint_nop, NULL, true);
	KT_EXPECT_EQ(t, timer_hint_count() - arms0, 0);
	/* From an active CPU, or with IRQs on, it refuses. */
	KT_EXPECT_EQ(t, stop_machine_from_inactive_cpu(NULL, NULL, NULL), -EINVAL);
	restore_online(t);
}

KTEST_SUITE(hotplug,
	HP_CASE(incoming_cpu_stops_the_others),
	HP_CASE(refusals),
	HP_CASE(cycle_each_cpu_idle),
	HP_CASE(boot_cpu_goes_and_comes_back),
	HP_CASE(offline_under_load),
	HP_CASE(pinned_task_falls_back),
	HP_CASE(balance_push_empties_the_cpu),
	HP_CASE(rollback_from_every_state),
	HP_CASE(percpu_threads_park_and_return),
	HP_CASE(hotplug_races));
