/*
 * The imbalance arithmetic (kernel/sched/lb_calc.c) against references
 * built another way: groups are made from per-CPU task weights, as the
 * balancer sees them, and the expected answers come from a brute-force
 * search over moves (task counts) or from double-precision averages
 * (load), not from lb_calc's closed forms.  Then properties over many
 * random groups: a move never swaps the roles of the two groups, and a
 * balanced verdict means no single task move would help.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../kernel/sched/lb_calc.h"

#define PCT 117			/* imbalance_pct of our domains */
#define MAXCPU 16

/* A group from its CPUs: tasks[c] tasks of weight w each on CPU c. */
static struct sg_lb_stats group(unsigned int ncpu, const unsigned int *tasks, unsigned long w)
{
	struct sg_lb_stats s = { 0 };

	for (unsigned int c = 0; c < ncpu; c++) {
		s.group_load += tasks[c] * w;
		s.group_capacity += LB_CAPACITY_SCALE;
		s.sum_nr_running += tasks[c];
		s.idle_cpus += tasks[c] == 0;
		s.group_weight++;
	}
	group_classify(&s);
	return s;
}

static struct sd_lb_stats domain(struct sg_lb_stats l, struct sg_lb_stats b)
{
	struct sd_lb_stats sds = { .local = l, .busiest = b, .have_busiest = true };

	sds.total_load = l.group_load + b.group_load;
	sds.total_capacity = l.group_capacity + b.group_capacity;
	return sds;
}

static void classify(void **state)
{
	unsigned int idle2[] = { 1, 0 }, full[] = { 1, 1 }, over[] = { 2, 1 };
	struct sg_lb_stats s;

	(void)state;
	assert_int_equal(group(2, idle2, 1024).group_type, group_has_spare);
	assert_int_equal(group(2, full, 1024).group_type, group_fully_busy);
	assert_int_equal(group(2, over, 1024).group_type, group_overloaded);
	s = group(2, full, 1024);
	s.imbalanced = true;
	group_classify(&s);
	assert_int_equal(s.group_type, group_imbalanced);
	/* Overloaded outranks imbalanced: someone waits there. */
	s = group(2, over, 1024);
	s.imbalanced = true;
	group_classify(&s);
	assert_int_equal(s.group_type, group_overloaded);
	/* avg_load is load per capacity: 3 tasks of 1024 on 2 CPUs. */
	assert_int_equal(group(2, over, 1024).avg_load, 1536);
	assert_string_equal(group_type_name(group_overloaded), "overloaded");
}

/* Reference for spreading: the largest k such that moving k tasks from
 * b to l leaves b at least as loaded per CPU as l (cross-multiplied, no
 * division), found by walking k up. */
static long ref_spread(unsigned int nl, unsigned int wl, unsigned int nb, unsigned int wb)
{
	long k = 0;

	while (k < (long)nb && (long)(nb - k - 1) * wl >= (long)(nl + k + 1) * wb)
		k++;
	return k;
}

static void spread_counts_tasks(void **state)
{
	(void)state;
	/* 2 x N spinners on CPU 0, N = 2, 4, 8: each half of the domain. */
	for (unsigned int n = 2; n <= MAXCPU; n *= 2) {
		unsigned int lt[MAXCPU] = { 0 }, bt[MAXCPU] = { 0 };
		struct sd_lb_stats sds;
		struct lb_result r;

		bt[0] = 2 * n;
		sds = domain(group(n / 2, lt, 1024), group(n / 2, bt, 1024));
		r = lb_decide(&sds, true, PCT);
		assert_false(r.balanced);
		assert_int_equal(r.type, migrate_task);
		assert_int_equal(r.imbalance, ref_spread(0, n / 2, 2 * n, n / 2));
		assert_int_equal(r.imbalance, n);	/* half of them */
	}
}

/* The local group busy too: load moves, towards the domain average. */
static void by_load_towards_average(void **state)
{
	unsigned int l[2] = { 1, 1 }, b[2] = { 3, 3 };
	struct sd_lb_stats sds = domain(group(2, l, 1024), group(2, b, 1024));
	struct lb_result r = lb_decide(&sds, false, PCT);
	/* Reference in doubles: avg 2048 per CPU; b is 1024 above on each of
	 * its 2 CPUs, l 1024 below on each of its 2: 2048 either way. */
	double avg = (2.0 * 1024 + 6.0 * 1024) / 4.0;
	double give = (3 * 1024.0 - avg) * 2, take = (avg - 1024.0) * 2;

	(void)state;
	assert_false(r.balanced);
	assert_int_equal(r.type, migrate_load);
	assert_int_equal(r.imbalance, (long)(give < take ? give : take));
}

/* Within imbalance_pct (117%) nothing moves; just above it something does. */
static void imbalance_pct_threshold(void **state)
{
	unsigned int l[1] = { 1 }, b[1] = { 2 };
	struct sd_lb_stats sds;

	(void)state;
	/* 1 task of 1024 vs 1 of 1150: 112%, balanced. */
	b[0] = 1;
	sds = domain(group(1, l, 1024), group(1, b, 1150));
	sds.busiest.group_type = group_overloaded;	/* as if a task waited */
	assert_true(lb_decide(&sds, false, PCT).balanced);
	/* 1024 vs 1300: 127%, not balanced. */
	sds = domain(group(1, l, 1024), group(1, b, 1300));
	sds.busiest.group_type = group_overloaded;
	assert_false(lb_decide(&sds, false, PCT).balanced);
}

/* A busy destination never pulls from a group where nobody waits. */
static void busy_dst_and_nobody_waits(void **state)
{
	unsigned int l[2] = { 1, 1 }, b[2] = { 1, 1 };
	struct sd_lb_stats sds = domain(group(2, l, 1024), group(2, b, 4096));

	(void)state;
	assert_true(lb_decide(&sds, false, PCT).balanced);
	assert_true(lb_decide(&sds, true, PCT).balanced);
}

/* Affinity defeated the child level: one task, whatever the load. */
static void imbalanced_group_moves_one(void **state)
{
	unsigned int l[2] = { 1, 1 }, b[2] = { 1, 1 };
	struct sd_lb_stats sds;
	struct lb_result r;

	(void)state;
	sds = domain(group(2, l, 1024), group(2, b, 1024));
	sds.busiest.imbalanced = true;
	group_classify(&sds.busiest);
	r = lb_decide(&sds, false, PCT);
	assert_false(r.balanced);
	assert_int_equal(r.type, migrate_task);
	assert_int_equal(r.imbalance, 1);
}

/* Nice -5 (3121) and nice 0 (1024): the heavy one's CPU is never asked
 * to take a nice-0 task from a CPU running three of them (3072 < 3121). */
static void weighted_not_counted(void **state)
{
	struct sg_lb_stats l = { 0 }, b = { 0 };
	struct sd_lb_stats sds;

	(void)state;
	l.group_load = 3121;
	l.group_capacity = LB_CAPACITY_SCALE;
	l.sum_nr_running = 1;
	l.group_weight = 1;
	b.group_load = 3 * 1024;
	b.group_capacity = LB_CAPACITY_SCALE;
	b.sum_nr_running = 3;
	b.group_weight = 1;
	group_classify(&l);
	group_classify(&b);
	sds = domain(l, b);
	assert_true(lb_decide(&sds, false, PCT).balanced);
}

/* Random groups of equal-weight tasks: whatever lb_decide says to move,
 * moving it (rounded to whole tasks, as detach_tasks does) never leaves
 * the local group busier per CPU than the busiest was asked to become. */
static void random_no_role_swap(void **state)
{
	(void)state;
	srand(8);
	for (int iter = 0; iter < 20000; iter++) {
		unsigned int nl = 1 + rand() % 8, nb = 1 + rand() % 8;
		unsigned int lt[MAXCPU] = { 0 }, bt[MAXCPU] = { 0 }, sl = 0, sb = 0;
		struct sd_lb_stats sds;
		struct lb_result r;
		long k;

		for (unsigned int c = 0; c < nl; c++)
			sl += lt[c] = rand() % 4;
		for (unsigned int c = 0; c < nb; c++)
			sb += bt[c] = rand() % 6;
		sds = domain(group(nl, lt, 1024), group(nb, bt, 1024));
		r = lb_decide(&sds, sl < nl, PCT);
		if (r.balanced)
			continue;
		k = r.type == migrate_task ? r.imbalance : r.imbalance / 1024;
		if (r.type == migrate_task && sds.busiest.group_type == group_overloaded &&
		    sds.local.group_type == group_has_spare && !sds.busiest.imbalanced) {
			long ref = ref_spread(sl, nl, sb, nb);

			/* At least one when a CPU here is free. */
			assert_int_equal(k, ref ? ref : (sds.local.idle_cpus ? 1 : 0));
		}
		assert_true(k >= 0);
		assert_true(k <= (long)sb);
		/* The local side after the move carries no more per CPU than
		 * the busiest side had before it (cross-multiplied). */
		assert_true((long)(sl + (k ? k : 1) - 1) * nb <= (long)sb * nl);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classify),
		cmocka_unit_test(spread_counts_tasks),
		cmocka_unit_test(by_load_towards_average),
		cmocka_unit_test(imbalance_pct_threshold),
		cmocka_unit_test(busy_dst_and_nobody_waits),
		cmocka_unit_test(imbalanced_group_moves_one),
		cmocka_unit_test(weighted_not_counted),
		cmocka_unit_test(random_no_role_swap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
