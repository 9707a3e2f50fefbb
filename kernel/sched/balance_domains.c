/*
 * When load_balance() runs (docs/balance.md):
 *
 * - periodic and NOHZ: sched_balance_softirq(), the hook that the tick's
 *   SCHED_SOFTIRQ (balance_trigger.c) calls for this CPU, and that the
 *   NOHZ idle balancer (nohz.c) calls for each tickless idle CPU.  It walks
 *   the CPU's domains bottom-up, each at its own interval (Linux's
 *   sched_balance_domains, formerly rebalance_domains);
 * - newidle: sched_balance_newidle(), from __schedule when this CPU is
 *   about to run its idle task, if its idle periods are long enough to be
 *   worth the pull (Linux's sched_balance_newidle, formerly newidle_balance).
 */
#include "rq.h"
#include "lb.h"
#include "kernel.h"
#include "asm/irqflags.h"
#include "asm/sysreg.h"

/* Newidle cost estimates lose 1% a second (Linux: 253/256 per second). */
#define NEWIDLE_DECAY_NS 1000000000ULL

struct lb_hook_cost lb_hook_cost[NR_CPUS];

/* The SD_SERIALIZE level: one CPU at a time (Linux's sched_balance_running). */
static int serialize_balancing;

/* The longest wait between two passes of a domain (lb.h). */
static u64 max_interval_ns(bool cpu_busy)
{
	return cpu_busy ? LB_MAX_INTERVAL_NS * cpumask_weight(cpu_active_mask) : LB_MAX_INTERVAL_NS;
}

/* Linux's get_sd_balance_interval, in ns. */
static u64 sd_interval_ns(const struct sched_domain *sd, bool cpu_busy)
{
	u64 ms = sd->balance_interval;

	if (cpu_busy)
		ms *= sd->busy_factor;
	return MIN(MAX(ms, 1ULL) * 1000000ULL, max_interval_ns(cpu_busy));
}

/* A newidle pass costs tens of microseconds here; a sample above this is
 * the emulator's doing (TCG runs vCPUs in turn, and a pass that waits for
 * another CPU's lock waits out its quantum), and must not switch newidle
 * off for the seconds it takes the estimate to decay. */
#define NEWIDLE_COST_CAP_NS (2 * LB_MIGRATION_COST_NS)

/* Linux's update_newidle_cost: remember the dearest pass. */
static void update_newidle_cost(struct sched_domain *sd, u64 cost)
{
	cost = MIN(cost, NEWIDLE_COST_CAP_NS);
	if (cost > sd->max_newidle_lb_cost)
		sd->max_newidle_lb_cost = cost;
}

/* ... and forget slowly: 1% a second, from the periodic pass. */
static bool newidle_decay_due(unsigned int cpu, u64 now)
{
	static u64 next_decay[NR_CPUS];

	if (now < next_decay[cpu])
		return false;
	next_decay[cpu] = now + NEWIDLE_DECAY_NS;
	return true;
}

/*
 * rq's periodic pass.  Context: SCHED_SOFTIRQ (IRQs on, preemption off),
 * no lock held; rq is this CPU's runqueue, or a tickless idle CPU's when
 * the NOHZ idle balancer works for it (reason LB_NOHZ).  Sets
 * rq->next_balance to the earliest domain due next.
 */
void sched_balance_domains(struct rq *rq, enum cpu_idle_type idle, enum lb_reason reason)
{
	bool cont = true, busy = idle != CPU_IDLE;
	u64 now = sched_clock(), next = now + max_interval_ns(busy), max_cost = 0;
	bool decay = newidle_decay_due(rq->cpu, now);
	struct sched_domain *sd;

	sd_read_begin();
	for_each_domain(rq->cpu, sd) {
		u64 interval = sd_interval_ns(sd, busy);
		bool serialize = sd->flags & SD_SERIALIZE;

		if (decay) {
			sd->max_newidle_lb_cost = sd->max_newidle_lb_cost * 99 / 100;
			max_cost = MAX(max_cost, sd->max_newidle_lb_cost);
		}
		if (!cont)
			continue;	/* only the decay above, for the levels left */
		if (now < sd->last_balance + interval)
			goto next_domain;
		/* Only a pass that is due competes for the top level: taking
		 * the flag on every pass would make a due CPU skip the level
		 * whenever a CPU with nothing to do held it for a moment. */
		if (serialize && __atomic_exchange_n(&serialize_balancing, 1, __ATOMIC_ACQUIRE))
			goto next_domain;	/* another CPU balances the top level now */
		if (load_balance(rq, sd, idle, reason, &cont)) {
			/* We pulled: no longer idle for the levels above. */
			idle = idle_cpu(rq->cpu) ? CPU_IDLE : CPU_NOT_IDLE;
			busy = idle != CPU_IDLE;
		}
		sd->last_balance = now;
		interval = sd_interval_ns(sd, busy);
		/* Release: our domain updates are done before the next CPU
		 * takes the level (pairs with the acquire exchange above). */
		if (serialize)
			__atomic_store_n(&serialize_balancing, 0, __ATOMIC_RELEASE);
next_domain:
		next = MIN(next, sd->last_balance + interval);
	}
	sd_read_end();
	/* Linux's rebalance_domains: the CPU's newidle budget follows its
	 * domains' decaying costs, never below the migration cost. */
	if (decay)
		WRITE_ONCE(rq->max_idle_balance_cost, MAX(max_cost, LB_MIGRATION_COST_NS));
	WRITE_ONCE(rq->next_balance, next);
}

/*
 * The hook of the balance trigger (balance.h): rq's periodic pass, or one
 * on its behalf by the NOHZ idle balancer (another CPU, or this one while
 * its tick is stopped: it was kicked while tickless).
 */
void sched_balance_softirq(struct rq *rq, enum cpu_idle_type idle)
{
	bool for_nohz = rq->cpu != smp_processor_id() || READ_ONCE(rq->nohz_tick_stopped);
	struct lb_hook_cost *c = &lb_hook_cost[smp_processor_id()];
	u64 t0 = read_cntvct(), dt;

	sched_balance_domains(rq, idle, for_nohz ? LB_NOHZ : LB_PERIODIC);
	/* The balancer's cost, for `bench balance`, on the CPU that ran the
	 * pass (the ILB's passes for others are its cost, not theirs).
	 * Preemption is off in SCHED_SOFTIRQ, and an interrupt does not run
	 * this hook, so only this CPU writes c. */
	dt = read_cntvct() - t0;
	WRITE_ONCE(c->samples[c->passes % LB_HOOK_SAMPLES], (u32)MIN(dt, 0xffffffffULL));
	WRITE_ONCE(c->passes, c->passes + 1);
}

/*
 * A task may now also run on the CPUs in 'added' (set_cpus_allowed_ptr
 * widened its mask).  Their all-pinned back-off (balance_interval doubled
 * past max_interval, up to 512 ms, while nothing could come to them) was
 * earned under the old mask: end it.  The idle ones are made due (their
 * domains too, however recent their last pass), and so is the idle
 * balancer, so that they pull at the next kick (a busy CPU's tick, or a
 * newidle pull's) rather than up to LB_MAX_INTERVAL_NS later;
 * a busy one (the caller's own CPU, say) keeps its next date, and its
 * next newidle or periodic pass uses the shorter interval.  Linux keeps
 * the back-off: after a taskset widens a crowd of pinned tasks, its idle
 * CPUs wait it out.  Context: task, no lock held; the fields are hints,
 * which balancers of those CPUs may overwrite meanwhile.
 */
void sched_balance_affinity_widened(const cpumask_t *added)
{
	u64 now = sched_clock();
	struct sched_domain *sd;
	unsigned int cpu;

	sd_read_begin();
	for_each_cpu(cpu, added) {
		bool idle = idle_cpu(cpu);

		if (!cpu_active(cpu))
			continue;
		for_each_domain(cpu, sd) {
			/* Other CPUs' domains, which their own passes write:
			 * single stores, raced as every balance date is. */
			if (READ_ONCE(sd->balance_interval) > sd->max_interval)
				WRITE_ONCE(sd->balance_interval, sd->min_interval);
			/* Due now, however recent its last pass: that pass
			 * saw the old mask. */
			if (idle)
				WRITE_ONCE(sd->last_balance, now - MIN(now, sd_interval_ns(sd, false)));
		}
		if (idle && READ_ONCE(cpu_rq(cpu)->next_balance) > now)
			WRITE_ONCE(cpu_rq(cpu)->next_balance, now);
	}
	sd_read_end();
	nohz_balance_due(now);
}

/* Linux's update_avg: an eighth of the way towards each new sample. */
static void update_avg(u64 *avg, u64 sample)
{
	s64 diff = (s64)(sample - *avg);

	*avg = (u64)((s64)*avg + diff / 8);
}

/* __schedule switching away from the idle task, rq locked, IRQs masked. */
void sched_idle_exit(struct rq *rq)
{
	u64 delta;

	if (!rq->idle_stamp)
		return;
	delta = rq->clock > rq->idle_stamp ? rq->clock - rq->idle_stamp : 0;
	update_avg(&rq->avg_idle, delta);
	/* Capped, as Linux does, so one long sleep does not make every
	 * later newidle pass look affordable for seconds. */
	rq->avg_idle = MIN(rq->avg_idle, 2 * MAX(rq->max_idle_balance_cost, LB_MIGRATION_COST_NS));
	rq->idle_stamp = 0;
}

/*
 * Linux's update_next_balance in sched_balance_newidle: a CPU going idle
 * is due at each level after that level's idle interval, not after the
 * busy one its last pass set (up to LB_MAX_INTERVAL_NS per active CPU
 * away).  Without
 * this, the NOHZ idle balancer skips the CPU until then, and if it is the
 * CPU that should_we_balance() designates for its group at a higher
 * level, no CPU of that group balances the level meanwhile.  Inside a
 * read section.
 */
static void newidle_next_balance(struct rq *rq)
{
	u64 next = READ_ONCE(rq->next_balance);
	struct sched_domain *sd;

	for_each_domain(rq->cpu, sd)
		next = MIN(next, sd->last_balance + sd_interval_ns(sd, false));
	WRITE_ONCE(rq->next_balance, next);
}

/*
 * this_rq is about to run its idle task (__schedule found nothing):
 * pull something first, domain by domain, while the expected idle time
 * (rq->avg_idle) exceeds what balancing the domains has cost so far.
 * Context: __schedule, this_rq locked, IRQs masked; the lock is dropped
 * while balancing (as Linux does) and held again on return, so the caller
 * must look at the runqueue afresh.  Returns the tasks pulled (> 0), or 0.
 */
int sched_balance_newidle(struct rq *this_rq)
{
	unsigned int cpu = this_rq->cpu;
	u64 t0, cost, curr_cost = 0;
	struct sched_domain *sd;
	bool cont = true;
	int pulled = 0;

	if (!this_rq->idle_stamp)
		this_rq->idle_stamp = this_rq->clock | 1;
	/* A CPU going down (or not yet up) takes nothing (hotplug's
	 * balance_push); nor do we when a test switched balancing off. */
	if (!cpu_active(cpu) || sched_balance_is_disabled())
		return 0;
	sd_read_begin();
	newidle_next_balance(this_rq);
	sd = sd_cpu_base(cpu);
	if (!sd || this_rq->avg_idle < sd->max_newidle_lb_cost) {
		sd_read_end();
		return 0;
	}
	arch_spin_unlock(&this_rq->lock);
	/* Lowest level first (the cheapest pull, and the closest cache);
	 * a level is tried only while what the levels tried so far cost,
	 * plus its own cost, still fits in the expected idle time. */
	for_each_domain(cpu, sd) {
		if (this_rq->avg_idle < curr_cost + sd->max_newidle_lb_cost)
			break;
		if (sd->flags & SD_BALANCE_NEWIDLE) {
			t0 = sched_clock();
			schedstat_inc(sd->stats.newidle_tries);
			pulled = load_balance(this_rq, sd, CPU_NEWLY_IDLE, LB_NEWIDLE, &cont);
			/* Capped as the estimate is: a vCPU stall during the
			 * lowest level must not cancel the level above. */
			cost = MIN(sched_clock() - t0, NEWIDLE_COST_CAP_NS);
			update_newidle_cost(sd, cost);
			curr_cost += cost;
			if (pulled)
				lb_stat_add(&sd->stats.newidle_pulls, (u64)pulled);
		}
		/* Got something, or a wake-up brought something meanwhile. */
		if (pulled || READ_ONCE(this_rq->nr_running))
			break;
	}
	/* The whole walk (each level's part capped): avg_idle is capped at
	 * twice this, so a CPU whose idle periods are long keeps room for
	 * every level. */
	if (curr_cost > READ_ONCE(this_rq->max_idle_balance_cost))
		WRITE_ONCE(this_rq->max_idle_balance_cost, curr_cost);
	arch_spin_lock(&this_rq->lock);
	sd_read_end();
	if (this_rq->nr_running)
		this_rq->idle_stamp = 0;	/* not going idle after all */
	return pulled;
}
