/*
 * The fair policy (kernel/sched/fair.c) on the host, against a fake
 * runqueue and a counter the test moves by hand: weights, virtual time,
 * queue order, placement of new and waking tasks, slices and wake-up
 * preemption.  The asm headers are replaced by tests/host/sched_stubs/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../kernel/sched/rq.h"
#include "../../kernel/sched/pelt.h"
#include "topology.h"

u64 host_cntvct;		/* the counter, in ns: timer_freq is 1 GHz */
u64 timer_freq = 1000000000ULL;
struct cpu_data cpu_data[NR_CPUS];
struct rq runqueues[NR_CPUS];			/* pelt.c's cpu_rq() */
struct cpu_topology cpu_topology[NR_CPUS];	/* capacities, all 0 here: no util */
static int resched_calls;

void resched_curr(struct rq *rq)
{
	(void)rq;
	resched_calls++;
}

/* Linux's sched_prio_to_weight[], nice -20 .. 19 (kernel/sched/core.c). */
static const u32 linux_weights[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
	1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
	110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
};

static void weights_follow_linux(void **state)
{
	(void)state;
	assert_int_equal(nice_to_weight(0), NICE_0_WEIGHT);
	for (int nice = NICE_MIN; nice <= NICE_MAX; nice++) {
		u32 ours = nice_to_weight(nice), theirs = linux_weights[nice - NICE_MIN];
		/* Computed, not tabulated: within 2%, or 1 for the smallest. */
		u32 slack = theirs / 50 > 1 ? theirs / 50 : 1;

		assert_in_range(ours, theirs - slack, theirs + slack);
		if (nice > NICE_MIN)
			assert_true(ours < nice_to_weight(nice - 1));
	}
	/* Out of range clamps. */
	assert_int_equal(nice_to_weight(-100), nice_to_weight(NICE_MIN));
	assert_int_equal(nice_to_weight(100), nice_to_weight(NICE_MAX));
}

static struct rq rq;
static struct task_struct tasks[4];

static struct task_struct *task(int i, int nice, u64 vruntime)
{
	struct task_struct *p = &tasks[i];

	memset(p, 0, sizeof(*p));
	p->pid = i + 1;
	p->nice = nice;
	p->weight = nice_to_weight(nice);
	p->vruntime = vruntime;
	INIT_LIST_HEAD(&p->run_node);
	return p;
}

static int setup(void **state)
{
	(void)state;
	pelt_init();
	memset(&rq, 0, sizeof(rq));
	INIT_LIST_HEAD(&rq.queue);
	rq.idle = task(3, 0, 0);
	rq.idle->flags = PF_IDLE;
	rq.curr = rq.idle;
	host_cntvct = 1000000;
	resched_calls = 0;
	return 0;
}

/* Make p the running task, as __schedule would. */
static void run(struct task_struct *p)
{
	p->on_rq = 1;
	rq.curr = p;
	p->exec_start = host_cntvct;
	p->slice_start = p->sum_exec_runtime;
}

static void vruntime_is_weighted(void **state)
{
	struct task_struct *a = task(0, 0, 0), *b = task(1, 5, 0);

	(void)state;
	enqueue_fair(&rq, a);
	assert_ptr_equal(pick_next_fair(&rq), a);
	run(a);
	host_cntvct += 1000000;		/* 1 ms */
	update_curr(&rq);
	assert_int_equal(a->sum_exec_runtime, 1000000);
	assert_int_equal(a->vruntime, 1000000);
	rq.curr = rq.idle;
	enqueue_fair(&rq, b);
	assert_ptr_equal(pick_next_fair(&rq), b);
	run(b);
	host_cntvct += 1000000;
	update_curr(&rq);
	/* A lighter task's clock runs faster: 1 ms is worth 1024/weight ms. */
	assert_int_equal(b->vruntime, 1000000ULL * NICE_0_WEIGHT / nice_to_weight(5));
}

static void queue_is_ordered_fifo_on_ties(void **state)
{
	struct task_struct *a = task(0, 0, 30), *b = task(1, 0, 10), *c = task(2, 0, 30);

	(void)state;
	enqueue_fair(&rq, a);
	enqueue_fair(&rq, b);
	enqueue_fair(&rq, c);
	assert_int_equal(rq.nr_running, 3);
	assert_int_equal(rq.load, 3 * NICE_0_WEIGHT);
	assert_ptr_equal(pick_next_fair(&rq), b);
	assert_ptr_equal(pick_next_fair(&rq), a);	/* queued before c */
	assert_ptr_equal(pick_next_fair(&rq), c);
	assert_null(pick_next_fair(&rq));
}

static void placement_of_new_and_waking_tasks(void **state)
{
	struct task_struct *p = task(0, 0, 0);
	u64 min = 50000000;

	(void)state;
	rq.min_vruntime = min;
	/* New: at the queue's clock, no credit. */
	p->vruntime = 0;
	place_on_rq(&rq, p, PLACE_NEW);
	assert_int_equal(p->vruntime, min);
	/* A long sleeper: credited half a latency period, no more. */
	p->vruntime = (u64)-40000000;	/* far behind, relative */
	place_on_rq(&rq, p, PLACE_WAKEUP);
	assert_int_equal(p->vruntime, min - SCHED_LATENCY_NS / 2);
	/* A short sleeper keeps its own position. */
	p->vruntime = (u64)-1000000;
	place_on_rq(&rq, p, PLACE_WAKEUP);
	assert_int_equal(p->vruntime, min - 1000000);
	/* Leaving and joining another queue keeps the relative position. */
	make_relative(&rq, p);
	assert_int_equal((s64)p->vruntime, -1000000);
	/* Moved while runnable: its lead is kept, even beyond a sleeper's
	 * credit (a boosted task), and so is a lag behind the clock. */
	p->vruntime = (u64)-4000000;
	place_on_rq(&rq, p, PLACE_MIGRATED);
	assert_int_equal(p->vruntime, min - 4000000);
	p->vruntime = 2000000;
	place_on_rq(&rq, p, PLACE_MIGRATED);
	assert_int_equal(p->vruntime, min + 2000000);
}

static void tick_preempts_after_the_slice(void **state)
{
	struct task_struct *a = task(0, 0, 0), *b = task(1, 0, 0);

	(void)state;
	enqueue_fair(&rq, a);
	enqueue_fair(&rq, b);
	list_del_init(&a->run_node);
	run(a);
	/* Two equal tasks: a slice is half the latency period. */
	host_cntvct += SCHED_LATENCY_NS / 2 - 100000;
	update_curr(&rq);
	check_preempt_tick(&rq);
	assert_int_equal(resched_calls, 0);
	host_cntvct += 200000;
	update_curr(&rq);
	check_preempt_tick(&rq);
	assert_int_equal(resched_calls, 1);
	/* Alone on the queue: never preempted. */
	resched_calls = 0;
	list_del_init(&b->run_node);
	host_cntvct += 100 * SCHED_LATENCY_NS;
	update_curr(&rq);
	check_preempt_tick(&rq);
	assert_int_equal(resched_calls, 0);
}

static void wakeup_preemption(void **state)
{
	struct task_struct *a = task(0, 0, 10000000), *w = task(1, 0, 0);

	(void)state;
	/* Anything beats the idle task. */
	assert_true(wakeup_preempts(&rq, w));
	run(a);
	w->vruntime = a->vruntime - SCHED_WAKEUP_GRANULARITY_NS / 2;
	assert_false(wakeup_preempts(&rq, w));
	w->vruntime = a->vruntime - 2 * SCHED_WAKEUP_GRANULARITY_NS;
	assert_true(wakeup_preempts(&rq, w));
}

static void yield_goes_behind_everyone(void **state)
{
	struct task_struct *a = task(0, 0, 0), *b = task(1, 0, 100), *c = task(2, 0, 200);

	(void)state;
	enqueue_fair(&rq, b);
	enqueue_fair(&rq, c);
	run(a);
	yield_fair(&rq);
	assert_true(a->vruntime > c->vruntime);
	put_prev_fair(&rq, a);
	assert_ptr_equal(pick_next_fair(&rq), b);
	assert_ptr_equal(pick_next_fair(&rq), c);
	assert_ptr_equal(pick_next_fair(&rq), a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weights_follow_linux),
		cmocka_unit_test_setup(vruntime_is_weighted, setup),
		cmocka_unit_test_setup(queue_is_ordered_fifo_on_ties, setup),
		cmocka_unit_test_setup(placement_of_new_and_waking_tasks, setup),
		cmocka_unit_test_setup(tick_preempts_after_the_slice, setup),
		cmocka_unit_test_setup(wakeup_preemption, setup),
		cmocka_unit_test_setup(yield_goes_behind_everyone, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
