/*
 * The fair policy, a small CFS.  Each task accumulates virtual runtime:
 * real CPU time scaled by NICE_0_WEIGHT / weight, so a heavier (lower
 * nice) task's clock runs slower.  The runqueue always runs the task with
 * the smallest vruntime; over time every task gets CPU in proportion to its
 * weight.  The queue is a sorted list (Linux uses a red-black tree: same
 * order, better complexity; a list is easier to read and we have few tasks).
 *
 * While a task is off every runqueue (asleep, or being moved) its vruntime
 * is kept relative to the min_vruntime of the queue it left, so it can
 * join any other queue at the same relative position.
 */
#include "rq.h"
#include "pelt.h"
#include "kernel.h"

/* Each nice step is worth about 10% CPU against a nice-0 task: weights
 * differ by a factor of 1.25 per step.  Computed, not tabulated. */
static u32 weights[NICE_MAX - NICE_MIN + 1];

u32 nice_to_weight(int nice)
{
	if (!weights[0]) {
		u64 w = NICE_0_WEIGHT * 1000;	/* in thousandths, for rounding */

		weights[-NICE_MIN] = NICE_0_WEIGHT;
		for (int n = 1; n <= NICE_MAX; n++) {
			w = w * 4 / 5;
			weights[n - NICE_MIN] = (u32)((w + 500) / 1000);
		}
		w = NICE_0_WEIGHT * 1000;
		for (int n = -1; n >= NICE_MIN; n--) {
			w = w * 5 / 4;
			weights[n - NICE_MIN] = (u32)((w + 500) / 1000);
		}
	}
	if (nice < NICE_MIN)
		nice = NICE_MIN;
	if (nice > NICE_MAX)
		nice = NICE_MAX;
	return weights[nice - NICE_MIN];
}

static u64 weighted(u64 delta_ns, u32 weight)
{
	return delta_ns * NICE_0_WEIGHT / weight;
}

static s64 vdiff(u64 a, u64 b)
{
	return (s64)(a - b);
}

static void update_min_vruntime(struct rq *rq)
{
	struct task_struct *curr = rq->curr;
	u64 v = rq->min_vruntime;
	bool have = false;

	if (curr && task_is_fair(curr) && curr->on_rq) {
		v = curr->vruntime;
		have = true;
	}
	if (!list_empty(&rq->queue)) {
		u64 first = list_first_entry(&rq->queue, struct task_struct, run_node)->vruntime;

		if (!have || vdiff(first, v) < 0)
			v = first;
		have = true;
	}
	/* Only ever forward: a queue's clock never runs backwards. */
	if (have && vdiff(v, rq->min_vruntime) > 0)
		rq->min_vruntime = v;
}

void update_curr(struct rq *rq)
{
	struct task_struct *curr = rq->curr;
	u64 now = sched_clock(), delta;

	rq->clock = now;
	pelt_update_curr(rq);
	if (!curr || now <= curr->exec_start) {
		if (curr)
			curr->exec_start = now;
		return;
	}
	delta = now - curr->exec_start;
	curr->exec_start = now;
	curr->sum_exec_runtime += delta;
	if (task_is_fair(curr)) {
		curr->vruntime += weighted(delta, curr->weight);
		update_min_vruntime(rq);
	}
}

static void queue_insert(struct rq *rq, struct task_struct *p)
{
	struct task_struct *pos;

	/* After every task with the same or smaller vruntime: FIFO on ties. */
	list_for_each_entry(pos, &rq->queue, run_node)
		if (vdiff(p->vruntime, pos->vruntime) < 0)
			break;
	list_add_tail(&p->run_node, &pos->run_node);
}

void enqueue_fair(struct rq *rq, struct task_struct *p)
{
	pelt_enqueue(rq, p);
	if (p != rq->curr)
		queue_insert(rq, p);
	rq->nr_running++;
	rq->load += p->weight;
}

void dequeue_fair(struct rq *rq, struct task_struct *p)
{
	pelt_dequeue(rq, p);
	if (!list_empty(&p->run_node))
		list_del_init(&p->run_node);
	rq->nr_running--;
	rq->load -= p->weight;
	update_min_vruntime(rq);
}

/* The running task gives up the CPU but stays runnable. */
void put_prev_fair(struct rq *rq, struct task_struct *p)
{
	pelt_put_prev(rq, p);
	queue_insert(rq, p);
}

/* A CPU going offline (rq->balance_push) runs only the per-CPU threads
 * bound to it: the first of those in the queue, or nobody. */
struct task_struct *pick_next_fair_pinned(struct rq *rq)
{
	struct task_struct *p;

	list_for_each_entry(p, &rq->queue, run_node)
		if (p->flags & PF_NO_SETAFFINITY) {
			list_del_init(&p->run_node);
			return p;
		}
	return NULL;
}

struct task_struct *pick_next_fair(struct rq *rq)
{
	struct task_struct *p;

	if (list_empty(&rq->queue))
		return NULL;
	p = list_first_entry(&rq->queue, struct task_struct, run_node);
	list_del_init(&p->run_node);
	pelt_pick(rq, p);
	return p;
}

/* Leaving the queue: remember the position relative to it. */
void make_relative(struct rq *rq, struct task_struct *p)
{
	p->vruntime -= rq->min_vruntime;
}

/*
 * Joining a queue.  A new task starts at the queue's min_vruntime (it
 * neither jumps ahead nor waits behind everyone).  A sleeper keeps its lag
 * but is credited at most half a latency period, so sleeping cannot bank
 * unlimited CPU time.  A task moved from another queue (the balancer,
 * an affinity change, CPU hotplug) keeps its place relative to the queue's
 * clock, ahead or behind, as on Linux: it was already credited where it
 * came from, and moving must neither take its turn away (a task woken a
 * moment ago, the task driving a hotplug operation) nor give it one.
 */
void place_on_rq(struct rq *rq, struct task_struct *p, enum place_how how)
{
	u64 floor = rq->min_vruntime - (how == PLACE_WAKEUP ? SCHED_LATENCY_NS / 2 : 0);

	p->vruntime += rq->min_vruntime;
	if (how != PLACE_MIGRATED && vdiff(p->vruntime, floor) < 0)
		p->vruntime = floor;
}

static u64 slice_of(struct rq *rq, struct task_struct *p)
{
	u64 slice = rq->load ? SCHED_LATENCY_NS * p->weight / rq->load : SCHED_LATENCY_NS;

	return slice < SCHED_MIN_GRANULARITY_NS ? SCHED_MIN_GRANULARITY_NS : slice;
}

/* From the tick: has the running task had its share? */
void check_preempt_tick(struct rq *rq)
{
	struct task_struct *curr = rq->curr, *first;

	if (list_empty(&rq->queue))
		return;
	if (!task_is_fair(curr)) {
		if (curr->flags & PF_IDLE)
			resched_curr(rq);
		return;
	}
	if (curr->sum_exec_runtime - curr->slice_start >= slice_of(rq, curr)) {
		resched_curr(rq);
		return;
	}
	first = list_first_entry(&rq->queue, struct task_struct, run_node);
	if (vdiff(curr->vruntime, first->vruntime) > (s64)slice_of(rq, curr))
		resched_curr(rq);
}

/* Should waking p take the CPU from the running task right away? */
bool wakeup_preempts(struct rq *rq, struct task_struct *p)
{
	struct task_struct *curr = rq->curr;

	if (curr->flags & PF_IDLE)
		return true;
	if (!task_is_fair(curr))
		return false;
	return vdiff(curr->vruntime, p->vruntime) > (s64)weighted(SCHED_WAKEUP_GRANULARITY_NS, p->weight);
}

/* yield(): go behind every task that is waiting now. */
void yield_fair(struct rq *rq)
{
	struct task_struct *curr = rq->curr, *last;

	if (!task_is_fair(curr) || list_empty(&rq->queue))
		return;
	last = list_entry(rq->queue.prev, struct task_struct, run_node);
	if (vdiff(last->vruntime, curr->vruntime) >= 0)
		curr->vruntime = last->vruntime + 1;
}
