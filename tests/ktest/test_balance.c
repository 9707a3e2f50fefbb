/*
 * The load balancer on the target (kernel/sched/balance*.c, docs/balance.md):
 * - spread: 2 x N spinners pinned to one CPU, unpinned at once, end 2 per
 *   CPU within a bounded number of balance intervals and stay there;
 * - weighted: nice levels end balanced by load, not by count;
 * - affinity: tasks pinned to a subset balance inside it, free tasks go
 *   elsewhere, the pinned never leave it;
 * - newidle: a CPU whose only task exits pulls a waiting one at once;
 * - NOHZ: work on a busy CPU reaches a tickless idle CPU through a kick;
 * - active: a running task that only a push can move is pushed;
 * - inactive: a CPU made inactive during balancing receives nothing.
 * The work conservation checker's counters must stay zero throughout
 * every case; no move may touch an inactive CPU.  Bounds on how fast
 * are counted in ticks of the test's CPU (KT_WAIT_TICKED, sized in
 * balance intervals); the measured times are printed as notes.  Each
 * case first puts back what an earlier one that ended early left behind,
 * and the last case checks that nothing was.
 */
#include "sched_util.h"
#include "kernel.h"
#include "topology.h"
#include "../../kernel/sched/rq.h"
#include "../../kernel/sched/hotplug.h"
#include "../../kernel/sched/lb.h"
#include "../../kernel/sched/pelt.h"

#define MAX_SPIN (2 * NR_CPUS)
_Static_assert(MAX_SPIN <= KT_MAX_THREADS, "the registry must hold every spinner");

/* Balance cases wait up to 4 x settle_ms(), which is 59 s at 64 CPUs,
 * and up to KT_TICKED_WALL times that in wall time (stalls do not count):
 * 240 s covers that with a margin. */
#define BAL_CASE(fn) KTEST_CASE_TIMEOUT(fn, 240000)

static struct task_struct *spin[MAX_SPIN];
static unsigned int nspin;
/* Set to end every spinner at once; kthread_stop() then only reaps. */
static int spin_quit;
/* A CPU a case made inactive and has not made active again; -1: none. */
static int left_inactive = -1;

static int spin_fn(void *arg)
{
	(void)arg;
	/* A plain flag: no data is handed over with it. */
	while (!kthread_should_stop() && !READ_ONCE(spin_quit))
		WRITE_ONCE(current->progress, current->progress + 1);
	return 0;
}

/* Bound for reaching a balanced state: balance intervals at the top level
 * grow with the CPU count (Linux's sd_init), and so does TCG's slowness.
 * Waited for with KT_WAIT_TICKED: host stalls of the test's CPU do not
 * count (with 64 vCPUs on two host cores, most of the wall time). */
static u64 settle_ms(void)
{
	return (200 + 20 * (u64)kt_ncpus()) * 1000 / tick_hz;
}

static u64 wc_total(void)
{
	u64 sum = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(cpu_rq(cpu)->wc_violations);
	return sum;
}

static void start_spinners(unsigned int n, const cpumask_t *mask, int nice)
{
	for (unsigned int i = 0; i < n && nspin < MAX_SPIN; i++) {
		struct task_struct *p = kt_start_mask(spin_fn, NULL, "bal_spin", mask, nice);

		if (p)
			spin[nspin++] = p;
	}
}

/*
 * All spinners quit together, then are reaped one by one: stopping them
 * one at a time would make each stop wait for its turn on a CPU still
 * shared with all the others (128 pinned to one CPU when a case failed
 * before unpinning them at 64 CPUs: minutes).
 */
static void stop_spinners(void)
{
	/* A nice 19 task next to a nice -20 one may wait seconds for the
	 * CPU time it needs to see the stop request. */
	for (unsigned int i = 0; i < nspin; i++)
		set_user_nice(spin[i], 0);
	WRITE_ONCE(spin_quit, 1);
	kt_stop_all();
	WRITE_ONCE(spin_quit, 0);
	nspin = 0;
}

/* Made inactive under its runqueue lock, as hotplug does (without its
 * balance_push: the CPU stays up, only "active" keeps work off it). */
static void deactivate_locked(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);
	unsigned long flags = local_irq_save();

	arch_spin_lock(&rq->lock);
	set_cpu_active(cpu, false);
	arch_spin_unlock(&rq->lock);
	local_irq_restore(flags);
}

/*
 * What a case that ended early (a failed assertion, a timeout) left
 * behind: its spinners, a CPU it made inactive.  Put back at the start of
 * every case and by the last one, so that one failure stays one failure
 * (the registry full or a CPU missing for the suites after). Returns
 * whether anything was left.
 */
static bool put_back(void)
{
	bool left = nspin || left_inactive >= 0;

	if (left)
		KT_NOTE("an earlier case left %u spinners, cpu%d inactive", nspin, left_inactive);
	if (nspin)
		stop_spinners();
	if (left_inactive >= 0) {
		if (sched_cpu_activate((unsigned int)left_inactive))
			KT_NOTE("sched_cpu_activate failed: the next cases will fail");
		left_inactive = -1;
	}
	return left;
}

/* Work conservation violations since the case began (begin_case): every
 * case requires none, the push of the active case included (the bound
 * covers the failed passes before it, wc_check.c). */
static u64 case_wc0;

static void begin_case(void)
{
	put_back();
	case_wc0 = wc_total();
}

static u64 wc_in_case(void)
{
	return wc_total() - case_wc0;
}

/* Our spinners per CPU; returns max - min over the CPUs in 'over'. */
static unsigned int spread_of(const cpumask_t *over, unsigned int *count)
{
	unsigned int cpu, lo = ~0u, hi = 0;

	memset(count, 0, sizeof(unsigned int) * NR_CPUS);
	for (unsigned int i = 0; i < nspin; i++)
		count[task_cpu(spin[i])]++;
	for_each_cpu(cpu, over) {
		lo = MIN(lo, count[cpu]);
		hi = MAX(hi, count[cpu]);
	}
	return hi - lo;
}

static u64 spinner_migrations(void)
{
	u64 sum = 0;

	for (unsigned int i = 0; i < nspin; i++)
		sum += READ_ONCE(spin[i]->nr_migrations);
	return sum;
}

static void set_all_masks(const cpumask_t *mask)
{
	for (unsigned int i = 0; i < nspin; i++)
		set_cpus_allowed_ptr(spin[i], mask);
}

/* The levels the spread has to cross, for the log (the clusters=2 matrix
 * entry checks there are two: MC inside a cluster, then across). */
static void note_levels(unsigned int cpu)
{
	char names[64] = "";
	size_t len = 0;
	unsigned int levels = 0;
	struct sched_domain *sd;

	sd_read_begin();
	for_each_domain(cpu, sd) {
		len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", levels ? " " : "",
					sd->name);
		levels++;
		if (len >= sizeof(names))
			break;
	}
	sd_read_end();
	KT_NOTE("cpu%u sched domain levels: %u (%s)", cpu, levels, names);
}

/* Balancer moves from a CPU no busier than the destination, everywhere. */
static u64 useless_total(void)
{
	unsigned int cpu;
	u64 n = 0;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(cpu_rq(cpu)->useless_migrations);
	return n;
}

/* The longest busy interval of this CPU's domains, ms: the least a busy
 * CPU waits between two passes at its top level (min_interval times
 * busy_factor). */
static unsigned int top_busy_interval_ms(void)
{
	struct sched_domain *sd;
	unsigned int ms = 0;

	sd_read_begin();
	for_each_domain(smp_processor_id(), sd)
		ms = MAX(ms, sd->min_interval * sd->busy_factor);
	sd_read_end();
	return ms;
}

static void spread_pinned_then_unpinned(struct ktest *t)
{
	unsigned int window;
	static unsigned int count[NR_CPUS];
	unsigned int n = cpumask_weight(cpu_active_mask), cpu;
	cpumask_t one;
	u64 t0, m0, u0;
	struct kt_ticked took;
	bool ok;

	begin_case();

	if (n < 2)
		KT_SKIP(t, "needs two CPUs");
	note_levels(cpumask_first(cpu_active_mask));
	cpumask_clear(&one);
	cpumask_set_cpu(cpumask_first(cpu_active_mask), &one);
	start_spinners(2 * n, &one, 0);
	KT_ASSERT_EQ(t, nspin, 2 * n);
	msleep(20);
	t0 = kt_now_ns();
	kt_ticked_start(&took);
	set_all_masks(cpu_active_mask);
	while (!(ok = spread_of(cpu_active_mask, count) <= 1) && kt_ticked_ms(&took) < settle_ms() &&
	       kt_ms_since(t0) < KT_TICKED_WALL * settle_ms())
		msleep(1);
	KT_NOTE("spread of %u spinners over %u CPUs after %lu ms, %lu ms in ticks (bound %lu ms)",
		nspin, n, kt_ms_since(t0), kt_ticked_ms(&took), settle_ms());
	KT_EXPECT(t, ok);
	for_each_cpu(cpu, cpu_active_mask)
		KT_EXPECT_EQ(t, count[cpu], 2u);
	/* It stays spread over 160 ticks and at least three busy passes of
	 * the top level: no ping-pong.  A move that this very test causes
	 * is allowed: its thread waking on a CPU makes that CPU the busiest
	 * for a moment (and, counted by load at that moment, a move can
	 * even look useless: noted, not judged). */
	m0 = spinner_migrations();
	u0 = useless_total();
	window = MAX(160 * 1000 / tick_hz, 3 * top_busy_interval_ms());
	msleep(window);
	KT_NOTE("%lu spinner moves over %u ms of busy balancing, %lu counted useless",
		spinner_migrations() - m0, window, useless_total() - u0);
	KT_EXPECT(t, spinner_migrations() - m0 <= 2 * (u64)n);
	KT_EXPECT(t, KT_WAIT_UNTIL(spread_of(cpu_active_mask, count) <= 1, settle_ms()));
	KT_EXPECT_EQ(t, wc_in_case(), 0ul);
	KT_EXPECT_EQ(t, lb_stats.inactive_violations, 0ul);
	stop_spinners();
}

/*
 * N/2 tasks of nice -5 (weight 3125) and 3N/2 of nice 0 on N CPUs: by
 * load each heavy one is alone on its CPU and the others run three per
 * CPU (3125 against 3072); by count all would run two per CPU.
 */
static unsigned int heavy_alone(unsigned int heavies)
{
	unsigned int alone = 0;

	for (unsigned int h = 0; h < heavies; h++) {
		unsigned int c = task_cpu(spin[h]), with = 0;

		for (unsigned int i = 0; i < nspin; i++)
			with += i != h && task_cpu(spin[i]) == c;
		alone += with == 0;
	}
	return alone;
}

static void weighted_by_load(struct ktest *t)
{
	unsigned int n = kt_ncpus(), heavies = n / 2;
	u64 t0;
	cpumask_t one;
	bool ok;

	begin_case();

	if (n < 2 || n % 2 || 2 * n > MAX_SPIN)
		KT_SKIP(t, "needs an even number of CPUs, at most %u", MAX_SPIN / 2);
	cpumask_clear(&one);
	cpumask_set_cpu(cpumask_first(cpu_active_mask), &one);
	start_spinners(heavies, &one, -5);
	start_spinners(3 * heavies, &one, 0);
	KT_ASSERT_EQ(t, nspin, 4 * heavies);
	msleep(20);
	t0 = kt_now_ns();
	set_all_masks(cpu_active_mask);
	ok = KT_WAIT_TICKED(heavy_alone(heavies) == heavies, settle_ms() * 4);
	KT_NOTE("%u of %u heavy tasks alone after %lu ms", heavy_alone(heavies), heavies,
		kt_ms_since(t0));
	KT_EXPECT(t, ok);
	msleep(200);
	KT_EXPECT_EQ(t, heavy_alone(heavies), heavies);
	KT_EXPECT_EQ(t, wc_in_case(), 0ul);
	stop_spinners();
}

/* Four tasks pinned to two CPUs, 2 x (N - 2) free ones: the pinned end
 * two per CPU of their pair, the free ones spread over the rest. */
static void affinity_constrained(struct ktest *t)
{
	static unsigned int count[NR_CPUS];
	unsigned int n = kt_ncpus(), a = kt_cpu(0), b = kt_cpu(1), stray = 0;
	cpumask_t pair, one, rest;
	u64 t0;
	bool ok;

	begin_case();
	if (n < 4)
		KT_SKIP(t, "needs four CPUs");
	cpumask_clear(&pair);
	cpumask_set_cpu(a, &pair);
	cpumask_set_cpu(b, &pair);
	cpumask_clear(&one);
	cpumask_set_cpu(a, &one);
	cpumask_andnot(&rest, cpu_active_mask, &pair);
	start_spinners(4, &pair, 0);
	start_spinners(2 * (n - 2), &one, 0);
	KT_ASSERT_EQ(t, nspin, 4 + 2 * (n - 2));
	msleep(20);
	t0 = kt_now_ns();
	for (unsigned int i = 4; i < nspin; i++)
		set_cpus_allowed_ptr(spin[i], cpu_active_mask);
	ok = KT_WAIT_TICKED(spread_of(cpu_active_mask, count) == 0, settle_ms() * 2);
	KT_EXPECT(t, ok);
	for (int k = 0; k < 50; k++) {
		for (unsigned int i = 0; i < 4; i++)
			stray += !cpumask_test_cpu(task_cpu(spin[i]), &pair);
		msleep(2);
	}
	KT_EXPECT_EQ(t, stray, 0u);
	for (unsigned int i = 0; i < 4; i++)
		KT_EXPECT_EQ(t, spin[i]->affinity_violations, 0ul);
	KT_EXPECT_EQ(t, wc_in_case(), 0ul);
	KT_NOTE("per CPU after %s (%lu ms): cpu%u %u, cpu%u %u", ok ? "settling" : "the bound",
		kt_ms_since(t0), a, count[a], b, count[b]);
	stop_spinners();
}

/* The exiting task of the newidle case: spins until told, then returns. */
static int exit_flag;
static u64 exit_ns;

static int exiter_fn(void *arg)
{
	(void)arg;
	while (!READ_ONCE(exit_flag) && !kthread_should_stop())
		cpu_relax();
	WRITE_ONCE(exit_ns, kt_now_ns());
	return 0;
}

/* Two CPUs other than ours, a and b; false if there are not. */
static bool two_others(unsigned int *a, unsigned int *b)
{
	unsigned int me = smp_processor_id(), found = 0;

	for (unsigned int i = 0; i < kt_ncpus() && found < 2; i++) {
		unsigned int c = kt_cpu(i);

		if (c == me || !cpu_active(c))
			continue;
		if (found++ == 0)
			*a = c;
		else
			*b = c;
	}
	return found == 2;
}

/* Newidle passes with cpu as the destination, over all its levels. */
static u64 newidle_tries(unsigned int cpu)
{
	struct sched_domain *sd;
	u64 n = 0;

	sd_read_begin();
	for_each_domain(cpu, sd)
		n += READ_ONCE(sd->stats.newidle_tries);
	sd_read_end();
	return n;
}

static void newidle_pulls_on_exit(struct ktest *t)
{
	unsigned int a, b;
	cpumask_t pair, onlyb;
	u64 pulls0, t_exit, t_pull = 0, idle_in, avg_idle, tries0;
	struct task_struct *x;
	bool ok;

	begin_case();
	pulls0 = lb_stats.moved[LB_NEWIDLE];

	if (!two_others(&a, &b))
		KT_SKIP(t, "needs three CPUs");
	cpumask_clear(&pair);
	cpumask_set_cpu(a, &pair);
	cpumask_set_cpu(b, &pair);
	cpumask_clear(&onlyb);
	cpumask_set_cpu(b, &onlyb);
	WRITE_ONCE(exit_flag, 0);
	/* Newidle only runs where idle periods are long enough to pay for
	 * it (avg_idle, which moves an eighth of the way to each idle
	 * period): b's last idle period, before x, is made long enough
	 * to fill avg_idle whatever the earlier cases left in it. */
	KT_ASSERT(t, KT_WAIT_UNTIL(idle_cpu(b), KT_LIVENESS_MS));
	msleep(40);
	x = kt_start_mask(exiter_fn, NULL, "bal_exit", &onlyb, 0);
	KT_ASSERT(t, x != NULL);
	KT_ASSERT(t, KT_WAIT_UNTIL(READ_ONCE(cpu_rq(b)->curr) == x, KT_LIVENESS_MS));
	/* Three on a, allowed a and b.  The one a preempted last may be
	 * cache hot (ran within LB_MIGRATION_COST_NS), which newidle
	 * leaves alone; with three, one has waited a whole tick. */
	cpumask_clear_cpu(b, &pair);
	start_spinners(3, &pair, 0);
	cpumask_set_cpu(b, &pair);
	KT_ASSERT_EQ(t, nspin, 3u);
	set_all_masks(&pair);
	msleep(30);
	/* The exit: b's only task goes, two wait on a. */
	idle_in = READ_ONCE(cpu_rq(b)->idle->nr_switches);
	avg_idle = READ_ONCE(cpu_rq(b)->avg_idle);
	tries0 = newidle_tries(b);
	WRITE_ONCE(exit_flag, 1);
	ok = KT_WAIT_UNTIL(task_cpu(spin[0]) == b || task_cpu(spin[1]) == b ||
			   task_cpu(spin[2]) == b, KT_LIVENESS_MS);
	if (ok)
		t_pull = kt_now_ns();
	t_exit = READ_ONCE(exit_ns);
	KT_NOTE("pulled %s, %lu us after the exit (a tick is %lu us); cpu%u avg_idle %lu us at the "
		"exit, newidle cost %lu us, %lu newidle passes", ok ? "yes" : "no",
		ok && t_exit ? (t_pull - t_exit) / 1000 : 0, kt_tick_ns() / 1000, b, avg_idle / 1000,
		cpu_rq(b)->max_idle_balance_cost / 1000, newidle_tries(b) - tries0);
	KT_EXPECT(t, ok);
	KT_EXPECT(t, lb_stats.moved[LB_NEWIDLE] > pulls0);
	/* Before its next tick, indeed before it ever ran its idle task:
	 * the pull happened in the exit's own schedule(). */
	KT_EXPECT_EQ(t, READ_ONCE(cpu_rq(b)->idle->nr_switches), idle_in);
	KT_EXPECT_EQ(t, wc_in_case(), 0ul);
	stop_spinners();
}

/* Two spinners on busy a; b idle (tickless when NOHZ is on): only a
 * balance pass for b can move one, and b has no tick: the kick does it. */
static void nohz_kick_spreads(struct ktest *t)
{
	unsigned int a, b;
	cpumask_t pair, one;
	u64 kicks0 = 0, moved0, per0, new0, act0;
	unsigned int cpu;
	bool ok, tickless;

	begin_case();
	moved0 = lb_stats.moved[LB_NOHZ];
	per0 = lb_stats.moved[LB_PERIODIC];
	new0 = lb_stats.moved[LB_NEWIDLE];
	act0 = lb_stats.moved[LB_ACTIVE];

	if (!two_others(&a, &b))
		KT_SKIP(t, "needs three CPUs");
	for_each_possible_cpu(cpu)
		kicks0 += READ_ONCE(cpu_rq(cpu)->ilb_kicks_sent);
	cpumask_clear(&one);
	cpumask_set_cpu(a, &one);
	cpumask_copy(&pair, &one);
	cpumask_set_cpu(b, &pair);
	start_spinners(2, &one, 0);
	KT_ASSERT_EQ(t, nspin, 2u);
	/* b asleep without a tick: nothing but a kick can make it balance. */
	tickless = tick_nohz_enabled() &&
		   KT_WAIT_UNTIL(READ_ONCE(cpu_rq(b)->nohz_tick_stopped), KT_LIVENESS_MS);
	set_all_masks(&pair);
	ok = KT_WAIT_TICKED(task_cpu(spin[0]) != task_cpu(spin[1]), settle_ms());
	KT_EXPECT(t, ok);
	KT_NOTE("b tickless: %s; moved nohz %lu periodic %lu newidle %lu active %lu",
		tickless ? "yes" : "no", lb_stats.moved[LB_NOHZ] - moved0,
		lb_stats.moved[LB_PERIODIC] - per0, lb_stats.moved[LB_NEWIDLE] - new0,
		lb_stats.moved[LB_ACTIVE] - act0);
	/* Both may run on a and b only; a is busy (its passes pull to a),
	 * and b, tickless, runs no periodic pass of its own: only a pass
	 * on b's behalf, the ILB's (reason nohz), can move one.  With the
	 * tick on (nohz=off), b's own periodic pass does it. */
	if (tickless) {
		u64 kicks = 0;

		/* The counter follows the move (after both locks are let
		 * go): a liveness wait, not a second chance. */
		KT_EXPECT(t, KT_WAIT_UNTIL(lb_stats.moved[LB_NOHZ] > moved0, KT_LIVENESS_MS));
		for_each_possible_cpu(cpu)
			kicks += READ_ONCE(cpu_rq(cpu)->ilb_kicks_sent);
		KT_EXPECT(t, kicks > kicks0);
	} else {
		KT_EXPECT(t, KT_WAIT_UNTIL(lb_stats.moved[LB_PERIODIC] > per0, KT_LIVENESS_MS));
	}
	KT_EXPECT_EQ(t, wc_in_case(), 0ul);
	stop_spinners();
}

/* a runs a nice -20 task allowed on a and b, and a nice 19 task pinned
 * to a, which almost never runs.  Nothing queued on a may go to b; the
 * running task may, but only a push moves a running task. */
static void active_balance_pushes(struct ktest *t)
{
	unsigned int a, b;
	cpumask_t one, pair;
	u64 act0, moved0;
	struct task_struct *hog;
	bool ok;

	begin_case();
	act0 = lb_stats.alb_started;
	moved0 = lb_stats.moved[LB_ACTIVE];

	if (!two_others(&a, &b))
		KT_SKIP(t, "needs three CPUs");
	cpumask_clear(&one);
	cpumask_set_cpu(a, &one);
	cpumask_copy(&pair, &one);
	cpumask_set_cpu(b, &pair);
	start_spinners(1, &one, 19);
	start_spinners(1, &one, -20);
	KT_ASSERT_EQ(t, nspin, 2u);
	hog = spin[1];
	KT_ASSERT(t, KT_WAIT_UNTIL(READ_ONCE(cpu_rq(a)->curr) == hog, KT_LIVENESS_MS));
	/* hog runs on a, which the new mask keeps: no move, just the mask. */
	KT_ASSERT_EQ(t, set_cpus_allowed_ptr(hog, &pair), 0);
	ok = KT_WAIT_TICKED(task_cpu(hog) == b, settle_ms() * 4);
	/* The push preempts hog, so it is queued for a moment; pulls leave
	 * a runqueue with a push in flight alone (find_busiest_queue), so
	 * the stopper is what moves it. */
	KT_NOTE("hog on cpu%u; pushes started %lu, moved by a push %lu", task_cpu(hog),
		lb_stats.alb_started - act0, lb_stats.moved[LB_ACTIVE] - moved0);
	KT_EXPECT(t, ok);
	/* Counted by the starter after queueing, by the stopper under the
	 * locks: both may trail the move by a moment. */
	KT_EXPECT(t, KT_WAIT_UNTIL(lb_stats.alb_started > act0, KT_LIVENESS_MS));
	KT_EXPECT(t, KT_WAIT_UNTIL(lb_stats.moved[LB_ACTIVE] > moved0, KT_LIVENESS_MS));
	KT_EXPECT_EQ(t, task_cpu(spin[0]), a);
	KT_EXPECT_EQ(t, wc_in_case(), 0ul);
	stop_spinners();
}

static void inactive_cpu_gets_nothing(struct ktest *t)
{
	static unsigned int count[NR_CPUS];
	unsigned int v, other, n = kt_ncpus(), onv = 0;
	cpumask_t one, all;
	u64 inact0, t0, busy0, kicks0, wc_inactive;
	bool ok;

	begin_case();
	if (!two_others(&v, &other))
		KT_SKIP(t, "needs three CPUs");
	KT_ASSERT(t, KT_WAIT_UNTIL(idle_cpu(v), KT_LIVENESS_MS));
	inact0 = sched_inactive_violations(v);
	cpumask_copy(&all, cpu_active_mask);
	deactivate_locked(v);
	left_inactive = (int)v;
	KT_ASSERT_EQ(t, rebuild_sched_domains(), 0);
	cpumask_clear(&one);
	cpumask_set_cpu(other, &one);
	start_spinners(2 * n, &one, 0);
	KT_ASSERT_EQ(t, nspin, 2 * n);
	msleep(10);
	/* Allowed everywhere, v included: only "active" keeps them off v. */
	set_all_masks(&all);
	for (int k = 0; k < 100; k++) {
		onv += nr_running_on(v);
		for (unsigned int i = 0; i < nspin; i++)
			onv += task_cpu(spin[i]) == v;
		msleep(2);
	}
	KT_EXPECT_EQ(t, onv, 0u);
	KT_EXPECT_EQ(t, lb_stats.inactive_violations, 0ul);
	KT_EXPECT_EQ(t, sched_inactive_violations(v) - inact0, 0ul);
	/* While v was inactive, nothing waited for it: no violation. */
	KT_EXPECT_EQ(t, wc_in_case(), 0ul);
	wc_inactive = wc_in_case();
	/* Active again, the way hotplug's online does it: the balancer
	 * uses it, from the moment its domains are out. */
	left_inactive = -1;
	KT_ASSERT_EQ(t, sched_cpu_activate(v), 0);
	t0 = kt_now_ns();
	busy0 = lb_stats.src_busy;
	kicks0 = cpu_rq(v)->ilb_kicks_received;
	ok = KT_WAIT_TICKED(spread_of(cpu_active_mask, count) <= 1, settle_ms() * 2);
	KT_NOTE("cpu%u active again: spread after %lu ms, %u spinners on it", v, kt_ms_since(t0),
		count[v]);
	KT_NOTE("cpu%u: %lu kicks received, %lu passes given up at a busy lock meanwhile", v,
		cpu_rq(v)->ilb_kicks_received - kicks0, lb_stats.src_busy - busy0);
	KT_EXPECT(t, ok);
	KT_EXPECT(t, count[v] >= 1);
	/* Refilled within the work-conservation bound. */
	KT_EXPECT_EQ(t, wc_in_case() - wc_inactive, 0ul);
	stop_spinners();
}

/* Last: nothing may be left for the suites after (fails if a case that
 * ended early left something, which is then put back). */
static void cleanup(struct ktest *t)
{
	KT_EXPECT(t, !put_back());
	KT_EXPECT_EQ(t, kt_stop_all(), 0);
}

KTEST_SUITE(balance,
	    BAL_CASE(spread_pinned_then_unpinned),
	    BAL_CASE(weighted_by_load),
	    BAL_CASE(affinity_constrained),
	    BAL_CASE(newidle_pulls_on_exit),
	    BAL_CASE(nohz_kick_spreads),
	    BAL_CASE(active_balance_pushes),
	    BAL_CASE(inactive_cpu_gets_nothing),
	    KT_CASE(cleanup));
