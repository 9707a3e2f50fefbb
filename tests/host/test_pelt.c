/*
 * PELT (kernel/sched/pelt.c) against a reference computed in double
 * precision, unit by unit, straight from the definition:
 *
 *	sum = sum of (active units) * y^(age in periods),  y = 2^(-1/32)
 *	avg = scale * sum / (M - 1024 + units into the current period)
 *
 * Tolerances: the integer code rounds down at every period boundary and
 * recomputes averages only when a boundary passes, so an average may lag
 * the reference by up to one period's worth and a few units of rounding:
 * we allow 1% of the scale plus 2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include "../../kernel/sched/rq.h"
#include "../../kernel/sched/pelt.h"
#include "topology.h"

u64 host_cntvct;		/* ns: timer_freq is 1 GHz */
u64 timer_freq = 1000000000ULL;
struct cpu_data cpu_data[NR_CPUS];
struct rq runqueues[NR_CPUS];
struct cpu_topology cpu_topology[NR_CPUS];

void resched_curr(struct rq *rq)
{
	(void)rq;
}

#define UNIT_NS 1024ULL
#define PERIOD_NS (UNIT_NS * PELT_PERIOD)
#define TOL(scale) ((scale) / 100.0 + 2.0)

static double y(void) { return pow(0.5, 1.0 / 32); }

/* The reference: one unit at a time. */
struct ref {
	double sum;
	u64 pos;		/* units into the current period */
};

static void ref_step(struct ref *r, u64 units, bool active)
{
	for (u64 i = 0; i < units; i++) {
		r->sum += active ? 1 : 0;
		if (++r->pos == PELT_PERIOD) {
			/* A boundary: everything so far ages by one period. */
			r->sum *= y();
			r->pos = 0;
		}
	}
}

static double ref_avg(const struct ref *r, double scale)
{
	double max = PELT_PERIOD / (1 - y());

	return scale * r->sum / (max - PELT_PERIOD + (double)r->pos);
}

static int setup(void **state)
{
	(void)state;
	pelt_init();
	host_cntvct = 1000000;
	return 0;
}

static void decay_matches_reference(void **state)
{
	const u64 vals[] = { 1, 1000, 47742, 1ULL << 32, 123456789012345ULL };

	(void)state;
	for (unsigned int i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		for (u64 n = 0; n < 2100; n++) {
			double want = (double)vals[i] * pow(y(), (double)n);
			double got = (double)pelt_decay(vals[i], n);

			/* Below by less than 2: the halving shift and the product
			 * each round down once; y^i itself, built by 31 rounded
			 * products, is off by a few 1e-9 relative. */
			assert_true(got <= want + want * 2e-8 && got > want - 2.0 - want * 2e-8);
		}
	}
	/* The half-life: exactly one halving per 32 periods. */
	assert_int_equal(pelt_decay(1 << 20, 32), 1 << 19);
	assert_int_equal(pelt_decay(1 << 20, 64), 1 << 18);
	assert_int_equal(pelt_decay(~0ULL, 64 * 32), 0);
}

static void max_sum_and_closed_form(void **state)
{
	double max = PELT_PERIOD / (1 - y());

	(void)state;
	/* Rounded down at each step, so a little below 1024 / (1 - y). */
	assert_true(pelt_max_sum <= (u64)max && pelt_max_sum > (u64)max - 64);
	for (u64 p = 1; p < 1000; p++) {
		double want = 0;

		for (u64 i = 1; i < p; i++)
			want += PELT_PERIOD * pow(y(), (double)i);
		assert_true(fabs((double)pelt_full_periods(p) - want) <= 48);
	}
}

/* Drive an entity through on/off segments (ns), checking every step. */
static void run_segments(const u64 *seg_ns, unsigned int nseg, unsigned int rounds,
			 struct sched_avg *sa, struct ref *rl)
{
	u64 now = 1ULL << 30;

	memset(sa, 0, sizeof(*sa));
	sa->last_update_time = now;
	memset(rl, 0, sizeof(*rl));
	for (unsigned int r = 0; r < rounds; r++) {
		for (unsigned int s = 0; s < nseg; s++) {
			bool on = !(s & 1);

			now += seg_ns[s];
			if (pelt_update_sums(sa, now, on, on, on ? SCHED_CAPACITY_SCALE : 0))
				pelt_update_avgs(sa, NICE_0_WEIGHT);
			ref_step(rl, seg_ns[s] / UNIT_NS, on);
			/* Only compare right after a boundary: avgs are fresh then. */
			if (sa->period_contrib < seg_ns[s] / UNIT_NS) {
				assert_true(fabs((double)sa->util_avg - ref_avg(rl, 1024)) <= TOL(1024));
				assert_true(fabs((double)sa->load_avg - ref_avg(rl, NICE_0_WEIGHT)) <=
					    TOL(NICE_0_WEIGHT));
			}
		}
	}
}

static void always_running_converges_to_1024(void **state)
{
	const u64 seg[] = { 1000000 };	/* 1 ms on, for ever */
	struct sched_avg sa;
	struct ref r;

	(void)state;
	run_segments(seg, 1, 400, &sa, &r);
	assert_true(sa.util_avg >= 1010 && sa.util_avg <= 1024);
	assert_true(sa.runnable_avg >= 1010 && sa.runnable_avg <= 1024);
	/* 32 periods in, the average has covered half the way. */
	run_segments(seg, 1, (unsigned int)(32 * PERIOD_NS / 1000000), &sa, &r);
	assert_true(fabs((double)sa.util_avg - 512) <= TOL(1024));
}

static void half_duty_converges_to_512(void **state)
{
	const u64 seg[] = { 1000000, 1000000 };	/* 1 ms on, 1 ms off */
	struct sched_avg sa;
	struct ref r;

	(void)state;
	run_segments(seg, 2, 300, &sa, &r);
	assert_true(sa.util_avg >= 490 && sa.util_avg <= 534);
}

static void blocked_load_halves_in_32_periods(void **state)
{
	const u64 seg[] = { 1000000 };
	struct sched_avg sa;
	struct ref r;
	unsigned long full;
	u64 now;

	(void)state;
	run_segments(seg, 1, 500, &sa, &r);
	full = sa.util_avg;
	now = sa.last_update_time;
	/* Asleep: not runnable, not running, for exactly 32 periods. */
	for (int i = 0; i < 32; i++) {
		now += PERIOD_NS;
		if (pelt_update_sums(&sa, now, 0, 0, 0))
			pelt_update_avgs(&sa, NICE_0_WEIGHT);
	}
	assert_true(fabs((double)sa.util_avg - full / 2.0) <= TOL(1024) / 2);
	assert_true(fabs((double)sa.load_avg - full / 2.0) <= TOL(1024) / 2);
}

/* One long step and many short ones end in the same sums. */
static void segments_sum_like_one_step(void **state)
{
	struct sched_avg one, many;
	u64 start = 1ULL << 30, end = start + 200 * PERIOD_NS + 12345 * UNIT_NS;
	u64 seed = 12345;

	(void)state;
	memset(&one, 0, sizeof(one));
	memset(&many, 0, sizeof(many));
	one.last_update_time = many.last_update_time = start;
	pelt_update_sums(&one, end, 1, 1, 1024);
	for (u64 now = start; now < end;) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		now += (seed >> 33) % (3 * PERIOD_NS);
		if (now > end)
			now = end;
		pelt_update_sums(&many, now, 1, 1, 1024);
	}
	assert_int_equal(one.period_contrib, many.period_contrib);
	/* Each boundary rounds down once in each: they differ by rounding only. */
	assert_true(fabs((double)one.util_sum - (double)many.util_sum) <= 0.002 * (double)one.util_sum);
	assert_true(fabs((double)one.load_sum - (double)many.load_sum) <= 0.002 * (double)one.load_sum);
}

/* ---- the runqueue side: blocked load, removal, attach ---- */

static struct task_struct task;

static void rq_init(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	memset(rq, 0, sizeof(*rq));
	rq->cpu = cpu;
	INIT_LIST_HEAD(&rq->queue);
	cpu_topology[cpu].capacity = SCHED_CAPACITY_SCALE;
}

static void advance(struct rq *rq, u64 ns)
{
	host_cntvct += ns;
	update_curr(rq);
}

static void rq_blocked_load_and_migration(void **state)
{
	struct rq *a = cpu_rq(0), *b = cpu_rq(1);
	struct task_struct *p = &task;
	unsigned long before;

	(void)state;
	rq_init(0);
	rq_init(1);
	memset(p, 0, sizeof(*p));
	p->weight = NICE_0_WEIGHT;
	INIT_LIST_HEAD(&p->run_node);
	init_entity_runnable_average(p);
	assert_int_equal(task_load(p), NICE_0_WEIGHT);	/* new: fully loaded */
	assert_int_equal(task_util(p), 0);

	/* Runs alone on CPU 0 for 300 ms. */
	advance(a, 0);
	enqueue_fair(a, p);
	p->on_rq = 1;
	assert_ptr_equal(pick_next_fair(a), p);
	a->curr = p;
	p->exec_start = host_cntvct;
	for (int i = 0; i < 300; i++)
		advance(a, 1000000);
	assert_true(task_util(p) > 1000 && cpu_util(0) > 1000);
	assert_true(cpu_load(0) > 1000 && cpu_runnable(0) > 1000);

	/* Sleeps: dequeued, but its load stays on CPU 0 and decays. */
	p->on_rq = 0;
	dequeue_fair(a, p);
	a->curr = NULL;
	before = cpu_util(0);
	advance(a, 32 * PERIOD_NS);
	update_blocked_averages(0);
	assert_true(fabs((double)cpu_util(0) - before / 2.0) <= TOL(1024));

	/* Wakes on CPU 1: removed from 0 at 0's next update, added to 1. */
	migrate_task_rq_fair(p, 1);
	assert_int_equal(p->avg.last_update_time, 0);
	p->cpu = 1;
	advance(b, 0);
	advance(b, 1000000);
	enqueue_fair(b, p);
	assert_true(fabs((double)cpu_util(1) - task_util(p)) <= 2);
	assert_true(task_util(p) > 400);
	advance(a, 1000000);
	assert_true(cpu_util(0) <= 8);
	assert_true(cpu_load(0) <= 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(decay_matches_reference, setup),
		cmocka_unit_test_setup(max_sum_and_closed_form, setup),
		cmocka_unit_test_setup(always_running_converges_to_1024, setup),
		cmocka_unit_test_setup(half_duty_converges_to_512, setup),
		cmocka_unit_test_setup(blocked_load_halves_in_32_periods, setup),
		cmocka_unit_test_setup(segments_sum_like_one_step, setup),
		cmocka_unit_test_setup(rq_blocked_load_and_migration, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
