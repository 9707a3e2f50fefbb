/*
 * Per-entity load tracking, PELT (kernel/sched/pelt.h, docs/balance.md).
 *
 * Time is cut into periods of 1024 units of 1024 ns (about 1.05 ms).  A
 * sum adds, for every unit in which the tracked state held, a contribution
 * that shrinks by y per period of age, with y^32 = 1/2: what happened 32
 * periods (about 33.5 ms) ago counts half as much as what happens now.
 *
 *	sum(now) = u_0 + u_1 y + u_2 y^2 + ...	(u_i: units active i periods ago)
 *
 * Updating it needs no history: when p period boundaries have passed since
 * the last update, the old sum ages by y^p, and the new interval adds
 *	d1 y^p			the rest of the period that was current,
 *	1024 (y + ... + y^(p-1))	the periods that passed whole,
 *	d3			the start of the period current now.
 * With M = 1024 (1 + y + y^2 + ...) = 1024 / (1 - y), the middle term is
 * M (1 - y^p) - 1024, so no loop over periods is needed either.  A sum is
 * at most M - 1024 + (units into the current period); dividing by that
 * gives an average between 0 and 1, scaled by whatever the sum counted:
 * a task's weight for load, 1024 per runnable task, the CPU's capacity
 * while running for utilisation.  Linux's ___update_load_sum() and
 * ___update_load_avg() in kernel/sched/pelt.c do the same; the code and
 * the table here are computed independently (we derive y by square roots).
 *
 * A runqueue's sums are kept as if they were the sum of its tasks': its
 * load is the weight queued on it, so a task that sleeps stops adding but
 * its past stays in the runqueue's sums and decays there ("blocked load").
 * When a task moves, its share is taken out of the old runqueue and put
 * into the new one (migrate_task_rq_fair, attach_entity_load_avg).
 */
#include "rq.h"
#include "pelt.h"
#include "topology.h"
#include "asm/irqflags.h"

static u64 y_pow[PELT_HALFLIFE];	/* y^i in 32.32 fixed point, i < 32 */
u64 pelt_max_sum;

/* floor(sqrt(x)), bit by bit. */
static u64 isqrt(u64 x)
{
	u64 root = 0, bit = 1ULL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= root + bit) {
			x -= root + bit;
			root = (root >> 1) + bit;
		} else {
			root >>= 1;
		}
		bit >>= 2;
	}
	return root;
}

void pelt_init(void)
{
	/* y = (1/2)^(1/32): five square roots of one half, in 0.32 fixed
	 * point (sqrt(v / 2^32) * 2^32 = sqrt(v * 2^32)). */
	u64 y = 1ULL << 31, sum = 0, prev;

	for (int i = 0; i < 5; i++)
		y = isqrt(y << 32);
	y_pow[0] = 1ULL << 32;
	for (int i = 1; i < PELT_HALFLIFE; i++)
		y_pow[i] = (y_pow[i - 1] * y + (1ULL << 31)) >> 32;
	/* M as the sums reach it: add a full period, age by one, repeat. */
	do {
		prev = sum;
		sum = PELT_PERIOD + pelt_decay(sum, 1);
	} while (sum != prev);
	pelt_max_sum = sum;
}

u64 pelt_decay(u64 val, u64 periods)
{
	/* y^periods = (1/2)^(periods / 32) * y^(periods % 32); after 64
	 * half-lives any 64-bit value is gone. */
	if (periods >= 64 * PELT_HALFLIFE)
		return 0;
	val >>= periods / PELT_HALFLIFE;
	return (u64)(((unsigned __int128)val * y_pow[periods % PELT_HALFLIFE]) >> 32);
}

u64 pelt_full_periods(u64 periods)
{
	u64 all = pelt_max_sum - pelt_decay(pelt_max_sum, periods);	/* M (1 - y^p) */

	return all > PELT_PERIOD ? all - PELT_PERIOD : 0;
}

bool pelt_update_sums(struct sched_avg *sa, u64 now, unsigned long load,
		      unsigned long runnable, unsigned long running)
{
	u64 units, pos, periods, contrib;

	if (now < sa->last_update_time) {
		/* Another CPU's clock, read a little behind ours. */
		sa->last_update_time = now;
		return false;
	}
	units = (now - sa->last_update_time) >> PELT_UNIT_SHIFT;
	if (!units)
		return false;
	/* Whole units only; the rest counts next time. */
	sa->last_update_time += units << PELT_UNIT_SHIFT;
	pos = sa->period_contrib + units;
	periods = pos / PELT_PERIOD;
	contrib = units;
	if (periods) {
		sa->load_sum = pelt_decay(sa->load_sum, periods);
		sa->runnable_sum = pelt_decay(sa->runnable_sum, periods);
		sa->util_sum = pelt_decay(sa->util_sum, periods);
		contrib = pelt_decay(PELT_PERIOD - sa->period_contrib, periods) +
			  pelt_full_periods(periods) + pos % PELT_PERIOD;
	}
	sa->period_contrib = (u32)(pos % PELT_PERIOD);
	sa->load_sum += (u64)load * contrib;
	sa->runnable_sum += ((u64)runnable * contrib) << SCHED_CAPACITY_SHIFT;
	sa->util_sum += (u64)running * contrib;
	return periods != 0;
}

void pelt_update_avgs(struct sched_avg *sa, unsigned long weight)
{
	u64 div = pelt_divider(sa);

	sa->load_avg = (unsigned long)(weight * sa->load_sum / div);
	sa->runnable_avg = (unsigned long)(sa->runnable_sum / div);
	sa->util_avg = (unsigned long)(sa->util_sum / div);
}

/* ---- the scheduler's side ---- */

void init_entity_runnable_average(struct task_struct *p)
{
	struct sched_avg *sa = &p->avg;

	memset(sa, 0, sizeof(*sa));
	/* As if it had always been runnable: a burst of new tasks weighs on
	 * the balancer at once.  Utilisation starts at zero and is earned. */
	sa->load_sum = pelt_max_sum - PELT_PERIOD;
	sa->runnable_sum = sa->load_sum << SCHED_CAPACITY_SHIFT;
	sa->load_avg = p->weight;
	sa->runnable_avg = SCHED_CAPACITY_SCALE;
}

static void sub_floor(unsigned long *v, unsigned long d)
{
	*v = *v > d ? *v - d : 0;
}

static void sub_floor64(u64 *v, u64 d)
{
	*v = *v > d ? *v - d : 0;
}

/* Take a task's averages out of rq's; rq locked. */
static void rq_sub(struct rq *rq, unsigned long load, unsigned long runnable, unsigned long util)
{
	struct sched_avg *sa = &rq->avg;
	u64 div = pelt_divider(sa), least = pelt_max_sum - PELT_PERIOD;

	sub_floor(&sa->load_avg, load);
	sub_floor(&sa->runnable_avg, runnable);
	sub_floor(&sa->util_avg, util);
	sub_floor64(&sa->load_sum, (u64)load * div);
	sub_floor64(&sa->runnable_sum, (u64)runnable * div);
	sub_floor64(&sa->util_sum, (u64)util * div);
	/* Rounding must not leave a sum below what its average claims, or
	 * the average would drop at the next period for no reason. */
	if (sa->load_sum < sa->load_avg * least)
		sa->load_sum = sa->load_avg * least;
	if (sa->runnable_sum < sa->runnable_avg * least)
		sa->runnable_sum = sa->runnable_avg * least;
	if (sa->util_sum < sa->util_avg * least)
		sa->util_sum = sa->util_avg * least;
}

/* What tasks that moved away left behind; rq locked. */
static void apply_removed(struct rq *rq)
{
	unsigned long load, runnable, util;

	if (!READ_ONCE(rq->removed.load_avg) && !READ_ONCE(rq->removed.runnable_avg) &&
	    !READ_ONCE(rq->removed.util_avg))
		return;
	arch_spin_lock(&rq->removed.lock);
	load = rq->removed.load_avg;
	runnable = rq->removed.runnable_avg;
	util = rq->removed.util_avg;
	rq->removed.load_avg = rq->removed.runnable_avg = rq->removed.util_avg = 0;
	arch_spin_unlock(&rq->removed.lock);
	rq_sub(rq, load, runnable, util);
}

static void update_rq_avg(struct rq *rq)
{
	struct task_struct *curr = rq->curr;
	bool running = curr && task_is_fair(curr);

	if (!rq->avg.last_update_time) {
		rq->avg.last_update_time = rq->clock;	/* first update: no past */
		return;
	}
	apply_removed(rq);
	if (pelt_update_sums(&rq->avg, rq->clock, (unsigned long)rq->load, rq->nr_running,
			     running ? arch_scale_cpu_capacity(rq->cpu) : 0))
		pelt_update_avgs(&rq->avg, 1);
}

static void update_task_avg(struct rq *rq, struct task_struct *p, bool runnable)
{
	bool running = rq->curr == p;

	if (pelt_update_sums(&p->avg, rq->clock, runnable, runnable,
			     running ? arch_scale_cpu_capacity(rq->cpu) : 0))
		pelt_update_avgs(&p->avg, p->weight);
}

void attach_entity_load_avg(struct rq *rq, struct task_struct *p)
{
	struct sched_avg *sa = &p->avg, *rsa = &rq->avg;
	u64 div = pelt_divider(rsa);

	/* Decay in step with the runqueue from now on: same period phase,
	 * and sums that give the same averages over the rq's divider. */
	sa->last_update_time = rsa->last_update_time;
	sa->period_contrib = rsa->period_contrib;
	sa->util_sum = (u64)sa->util_avg * div;
	sa->runnable_sum = (u64)sa->runnable_avg * div;
	sa->load_sum = p->weight ? (u64)sa->load_avg * div / p->weight : 0;
	rsa->load_avg += sa->load_avg;
	rsa->load_sum += (u64)p->weight * sa->load_sum;
	rsa->runnable_avg += sa->runnable_avg;
	rsa->runnable_sum += sa->runnable_sum;
	rsa->util_avg += sa->util_avg;
	rsa->util_sum += sa->util_sum;
}

void detach_entity_load_avg(struct rq *rq, struct task_struct *p)
{
	rq_sub(rq, p->avg.load_avg, p->avg.runnable_avg, p->avg.util_avg);
	p->avg.last_update_time = 0;
}

void pelt_update_curr(struct rq *rq)
{
	struct task_struct *curr = rq->curr;

	update_rq_avg(rq);
	if (curr && task_is_fair(curr) && curr->avg.last_update_time)
		update_task_avg(rq, curr, curr->on_rq);
}

void pelt_enqueue(struct rq *rq, struct task_struct *p)
{
	update_rq_avg(rq);
	if (!p->avg.last_update_time) {
		attach_entity_load_avg(rq, p);	/* new, or arrived from another CPU */
		return;
	}
	/* Off the queue until now (asleep), unless re-queued in place. */
	update_task_avg(rq, p, p->on_rq);
}

void pelt_dequeue(struct rq *rq, struct task_struct *p)
{
	update_rq_avg(rq);
	if (!p->avg.last_update_time)
		return;
	update_task_avg(rq, p, true);	/* it was queued until now */
	/* A dead task never wakes: its blocked load goes now. */
	if (READ_ONCE(p->state) & TASK_DEAD)
		detach_entity_load_avg(rq, p);
}

void pelt_put_prev(struct rq *rq, struct task_struct *p)
{
	if (p->avg.last_update_time)
		update_task_avg(rq, p, true);
}

void pelt_pick(struct rq *rq, struct task_struct *p)
{
	/* Waiting until now, running from now: close the waiting part. */
	if (p->avg.last_update_time)
		update_task_avg(rq, p, true);
}

/*
 * p is not queued (asleep, or just dequeued with its averages brought up to
 * date); its old runqueue may be unlocked.  IRQs are masked by the caller
 * (pi_lock or a runqueue lock is held), as removed.lock requires.
 */
void migrate_task_rq_fair(struct task_struct *p, unsigned int new_cpu)
{
	struct rq *src = cpu_rq(task_cpu(p));

	(void)new_cpu;
	if (!task_is_fair(p) || !p->avg.last_update_time)
		return;
	/* Asleep since its last update: age it to the old rq's last update,
	 * the time at which its share in that rq's sums is measured. */
	if (pelt_update_sums(&p->avg, READ_ONCE(src->avg.last_update_time), 0, 0, 0))
		pelt_update_avgs(&p->avg, p->weight);
	arch_spin_lock(&src->removed.lock);
	src->removed.load_avg += p->avg.load_avg;
	src->removed.runnable_avg += p->avg.runnable_avg;
	src->removed.util_avg += p->avg.util_avg;
	arch_spin_unlock(&src->removed.lock);
	p->avg.last_update_time = 0;	/* attach where it is enqueued next */
}

void update_blocked_averages(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);
	unsigned long flags = local_irq_save();

	arch_spin_lock(&rq->lock);
	update_curr(rq);	/* the clock, then pelt_update_curr() */
	arch_spin_unlock(&rq->lock);
	local_irq_restore(flags);
}

unsigned long cpu_util(unsigned int cpu)
{
	unsigned long util = READ_ONCE(cpu_rq(cpu)->avg.util_avg);
	unsigned long cap = arch_scale_cpu_capacity(cpu);

	return util < cap ? util : cap;
}

unsigned long cpu_load(unsigned int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->avg.load_avg);
}

unsigned long cpu_runnable(unsigned int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->avg.runnable_avg);
}

unsigned long task_util(const struct task_struct *p)
{
	return READ_ONCE(p->avg.util_avg);
}

unsigned long task_load(const struct task_struct *p)
{
	return READ_ONCE(p->avg.load_avg);
}
