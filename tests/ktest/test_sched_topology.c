/*
 * Sched domains and load tracking on the target (docs/balance.md):
 * - every active CPU has domains that span only active CPUs, nest, follow
 *   the topology, and whose groups partition them;
 * - a rebuild with a CPU made inactive leaves it out, and brings it back;
 * - a reader inside sd_read_begin/end holds up the writer's free;
 * - PELT: a spinner's utilisation rises no faster than its run time allows
 *   and reaches ~1024; its blocked load decays, no faster than y^t.
 */
#include "sched_util.h"
#include "kernel.h"
#include "topology.h"
#include "../../kernel/sched/rq.h"
#include "../../kernel/sched/pelt.h"

static bool same(enum sd_level level, unsigned int a, unsigned int b)
{
	if (level == SD_LV_MC)
		return cpu_topology[a].cluster_id == cpu_topology[b].cluster_id;
	if (level == SD_LV_PKG)
		return cpu_topology[a].package_id == cpu_topology[b].package_id;
	return true;
}

/* One domain of cpu: everything a balancer relies on.  Returns failures. */
static int check_domain(struct ktest *t, unsigned int cpu, struct sched_domain *sd)
{
	const struct sched_group *sg;
	cpumask_t covered, expect;
	unsigned int c, groups = 0;
	int before = t->failures;

	cpumask_clear(&covered);
	KT_EXPECT(t, cpumask_test_cpu(cpu, &sd->span));
	KT_EXPECT(t, cpumask_subset(&sd->span, cpu_active_mask));
	KT_EXPECT_EQ(t, sd->span_weight, cpumask_weight(&sd->span));
	KT_EXPECT(t, sd->span_weight > 1);
	cpumask_clear(&expect);
	for_each_cpu(c, cpu_active_mask)
		if (same(sd->level, cpu, c))
			cpumask_set_cpu(c, &expect);
	KT_EXPECT(t, cpumask_equal(&sd->span, &expect));
	if (sd->child) {
		KT_EXPECT(t, sd->child->parent == sd);
		KT_EXPECT(t, cpumask_subset(&sd->child->span, &sd->span));
		KT_EXPECT(t, !cpumask_equal(&sd->child->span, &sd->span));	/* degenerated */
	}
	KT_EXPECT(t, cpumask_test_cpu(cpu, &sd->groups->span));
	for_each_sd_group(sd, sg) {
		KT_EXPECT(t, !cpumask_empty(&sg->span));
		KT_EXPECT(t, !cpumask_intersects(&sg->span, &covered));
		KT_EXPECT(t, cpumask_subset(&sg->span, &sd->span));
		KT_EXPECT_EQ(t, sg->group_weight, cpumask_weight(&sg->span));
		cpumask_or(&covered, &covered, &sg->span);
		if (++groups > NR_CPUS)
			break;	/* not a ring */
	}
	KT_EXPECT(t, groups >= 2);
	KT_EXPECT(t, cpumask_equal(&covered, &sd->span));
	return t->failures - before;
}

/* Every CPU's domains against the current active mask. */
static void check_all(struct ktest *t)
{
	unsigned int cpu, nactive = cpumask_weight(cpu_active_mask);

	sd_read_begin();
	for_each_possible_cpu(cpu) {
		struct sched_domain *sd, *top = NULL;

		if (!cpu_active(cpu)) {
			KT_EXPECT(t, sd_cpu_base(cpu) == NULL);
			continue;
		}
		for_each_domain(cpu, sd) {
			if (check_domain(t, cpu, sd))
				break;
			top = sd;
		}
		/* The widest level always spans every active CPU. */
		if (nactive > 1) {
			KT_EXPECT(t, top != NULL);
			if (top)
				KT_EXPECT(t, cpumask_equal(&top->span, cpu_active_mask));
		} else {
			KT_EXPECT(t, top == NULL);
		}
	}
	sd_read_end();
}

static void domains_cover_active_cpus(struct ktest *t)
{
	KT_EXPECT(t, sd_rebuild_stats.rebuilds >= 1);	/* the boot's */
	check_all(t);
}

/* A CPU other than the caller's that runs only its idle task. */
static int idle_victim(void)
{
	for (unsigned int n = 0; n < kt_ncpus(); n++) {
		unsigned int c = kt_cpu(n);

		if (c != smp_processor_id() && idle_cpu(c))
			return (int)c;
	}
	return -1;
}

static void rebuild_follows_active_mask(struct ktest *t)
{
	u64 rebuilds = sd_rebuild_stats.rebuilds, max_grace = 0, sum_grace = 0;
	int victim;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "needs two CPUs");
	victim = idle_victim();
	if (victim < 0)
		KT_SKIP(t, "no idle CPU");
	set_cpu_active((unsigned int)victim, false);
	KT_ASSERT_EQ(t, rebuild_sched_domains(), 0);
	check_all(t);
	sd_read_begin();
	KT_EXPECT(t, sd_cpu_base((unsigned int)victim) == NULL);
	sd_read_end();
	set_cpu_active((unsigned int)victim, true);
	KT_ASSERT_EQ(t, rebuild_sched_domains(), 0);
	check_all(t);
	sd_read_begin();
	KT_EXPECT(t, sd_cpu_base((unsigned int)victim) != NULL);
	sd_read_end();
	KT_EXPECT_EQ(t, sd_rebuild_stats.rebuilds, rebuilds + 2);
	/* What hotplug will pay per step (a number, not a check). */
	for (int i = 0; i < 10; i++) {
		KT_ASSERT_EQ(t, rebuild_sched_domains(), 0);
		sum_grace += sd_rebuild_stats.last_grace_ns;
		if (sd_rebuild_stats.last_grace_ns > max_grace)
			max_grace = sd_rebuild_stats.last_grace_ns;
	}
	KT_NOTE("rebuild at %u CPUs: build %lu us, publish+grace mean %lu ns, max %lu ns",
		kt_ncpus(), sd_rebuild_stats.last_build_ns / 1000, sum_grace / 10, max_grace);
}

/* The reader/writer hand-shake of the grace-period case. */
static struct {
	struct sched_domain *seen;	/* what the reader holds */
	int inside, release, writer_done;
	int freed;			/* the old set was handed to kfree */
	int freed_while_inside;		/* ... while the reader still held it */
	int freed_held_set;		/* ... and it was the one the reader held */
} gp;

static void note_free(struct sd_set *old)
{
	const char *p = (const char *)READ_ONCE(gp.seen);

	if (READ_ONCE(gp.inside))
		WRITE_ONCE(gp.freed_while_inside, 1);
	if (p >= (const char *)old && p < (const char *)(old + 1))
		WRITE_ONCE(gp.freed_held_set, 1);
	WRITE_ONCE(gp.freed, 1);
}

static int reader_fn(void *arg)
{
	u64 end = kt_now_ns() + (u64)KT_LIVENESS_MS * 1000000;

	(void)arg;
	sd_read_begin();
	WRITE_ONCE(gp.seen, sd_cpu_base(smp_processor_id()));
	WRITE_ONCE(gp.inside, 1);
	/* Hold the section until told (bounded: never wedge the writer). */
	while (!READ_ONCE(gp.release) && kt_now_ns() < end)
		cpu_relax();
	/* Still inside: what we hold must still be there. */
	if (READ_ONCE(gp.freed))
		WRITE_ONCE(gp.freed_while_inside, 1);
	WRITE_ONCE(gp.inside, 0);
	sd_read_end();
	kt_idle_until_stopped();
	return 0;
}

static int writer_fn(void *arg)
{
	(void)arg;
	rebuild_sched_domains();
	WRITE_ONCE(gp.writer_done, 1);
	kt_idle_until_stopped();
	return 0;
}

static void reader_holds_grace_period(struct ktest *t)
{
	struct task_struct *reader, *writer;
	unsigned int rcpu, wcpu;
	u64 waits = sd_rebuild_stats.grace_waits;

	if (kt_ncpus() < 2)
		KT_SKIP(t, "needs two CPUs");
	memset(&gp, 0, sizeof(gp));
	/* The reader spins with preemption off: not on our CPU, or we would
	 * not run until it gives up. */
	rcpu = kt_cpu(0) == smp_processor_id() ? kt_cpu(1) : kt_cpu(0);
	wcpu = kt_cpu(0) == rcpu ? kt_cpu(1) : kt_cpu(0);
	reader = kt_start(reader_fn, NULL, "sd_reader", (int)rcpu, 0);
	KT_ASSERT(t, reader);
	KT_ASSERT(t, KT_WAIT_UNTIL(READ_ONCE(gp.inside), KT_LIVENESS_MS));
	KT_EXPECT(t, gp.seen != NULL);
	sd_before_free_hook = note_free;
	writer = kt_start(writer_fn, NULL, "sd_writer", (int)wcpu, 0);
	KT_ASSERT(t, writer);
	/* Give the writer a few of its CPU's ticks: it must still be waiting. */
	{
		u64 t0 = READ_ONCE(cpu_data[wcpu].ticks);

		KT_WAIT_UNTIL(READ_ONCE(cpu_data[wcpu].ticks) >= t0 + 5, KT_LIVENESS_MS);
	}
	KT_EXPECT(t, !READ_ONCE(gp.writer_done));
	KT_EXPECT(t, !READ_ONCE(gp.freed));
	WRITE_ONCE(gp.release, 1);
	KT_EXPECT(t, KT_WAIT_UNTIL(READ_ONCE(gp.writer_done), KT_LIVENESS_MS));
	sd_before_free_hook = NULL;
	KT_EXPECT(t, gp.freed);
	KT_EXPECT(t, gp.freed_held_set);
	KT_EXPECT_EQ(t, gp.freed_while_inside, 0);
	KT_EXPECT(t, sd_rebuild_stats.grace_waits > waits);
	kt_stop(writer);
	kt_stop(reader);
}

/* ---- PELT ---- */

static struct {
	int stop_spinning;
	u64 loops;
	struct wait_queue_head wq;
} sp;

/* Spins until told, then sleeps (its load is blocked) until stopped. */
static int pelt_spinner_fn(void *arg)
{
	(void)arg;
	while (!READ_ONCE(sp.stop_spinning) && !kthread_should_stop())
		WRITE_ONCE(sp.loops, sp.loops + 1);
	KT_WAIT_EVENT(sp.wq, false);
	return 0;
}

static u64 periods_since(u64 t0_ns)
{
	return (kt_now_ns() - t0_ns) >> (PELT_UNIT_SHIFT + 10);
}

static void pelt_spinner_util(struct ktest *t)
{
	struct task_struct *p;
	unsigned int cpu = kt_cpu(0);
	unsigned long util, before;
	u64 ran_ns, t0, periods;

	if (cpu == smp_processor_id() && kt_ncpus() > 1)
		cpu = kt_cpu(1);
	memset(&sp, 0, sizeof(sp));
	init_waitqueue_head(&sp.wq);
	p = kt_start(pelt_spinner_fn, NULL, "pelt_spin", (int)cpu, 0);
	KT_ASSERT(t, p);
	/* Rises to ~1024 ... */
	KT_EXPECT(t, KT_WAIT_UNTIL(task_util(p) >= 900 && cpu_util(cpu) >= 900, KT_LIVENESS_MS));
	/* ... but no faster than running allows: 900 takes ~98 periods of
	 * running (1024 (1 - y^n) >= 900), i.e. ~102 ms of run time. */
	ran_ns = READ_ONCE(p->sum_exec_runtime);
	KT_NOTE("util %lu (cpu%u %lu) after %lu ms of run time", task_util(p), cpu,
		cpu_util(cpu), ran_ns / 1000000);
	KT_EXPECT(t, ran_ns >= 80000000ULL);
	KT_EXPECT(t, task_util(p) <= SCHED_CAPACITY_SCALE && cpu_util(cpu) <= SCHED_CAPACITY_SCALE);
	KT_EXPECT(t, task_load(p) > 0 && cpu_load(cpu) >= task_load(p) / 2);

	/* Asleep: the load stays on the CPU as blocked load, decaying. */
	update_blocked_averages(cpu);
	before = cpu_util(cpu);
	t0 = kt_now_ns();
	WRITE_ONCE(sp.stop_spinning, 1);
	KT_EXPECT(t, KT_WAIT_UNTIL(kt_is_asleep(p), KT_LIVENESS_MS));
	update_blocked_averages(cpu);
	util = cpu_util(cpu);
	periods = periods_since(t0) + 1;
	KT_NOTE("blocked util %lu -> %lu after %lu periods", before, util, periods);
	/* Not dropped: at least what decay alone leaves (less rounding). */
	KT_EXPECT(t, util + 16 >= pelt_decay(before, periods));
	/* Halves, but not before a half-life has passed. */
	KT_EXPECT(t, KT_WAIT_UNTIL((update_blocked_averages(cpu), cpu_util(cpu) <= before / 2),
				   KT_LIVENESS_MS));
	periods = periods_since(t0);
	KT_NOTE("halved after %lu periods", periods);
	KT_EXPECT(t, periods >= PELT_HALFLIFE - 4);
	kt_stop(p);
}

KTEST_SUITE(sched_topology,
	    KT_CASE(domains_cover_active_cpus),
	    KT_CASE(rebuild_follows_active_mask),
	    KT_CASE(reader_holds_grace_period),
	    KT_CASE(pelt_spinner_util));
