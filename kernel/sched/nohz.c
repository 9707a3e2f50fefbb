/*
 * Tickless idle and NOHZ idle balancing (Linux: kernel/time/tick-sched.c
 * tick_nohz_idle_stop_tick, and fair.c nohz_balance_enter_idle,
 * nohz_balancer_kick, kick_ilb, nohz_csd_func, _nohz_idle_balance).
 *
 * An idle CPU with nothing to run stops its periodic tick: its timer is
 * programmed for its first timer_list expiry only, or switched off
 * (timers are only ever added to the caller's own CPU, timer_list.c, so
 * nothing earlier can appear behind its back).  It joins
 * nohz.idle_cpus_mask.  The tick comes back when it leaves idle
 * (tick_nohz_idle_exit, from __schedule switching away from idle).
 *
 * A tickless CPU cannot notice imbalance.  So a busy CPU's tick that sees
 * work to spread (two or more runnable tasks) kicks the first tickless
 * idle CPU with IPI_NOHZ_KICK; that CPU runs SCHED_SOFTIRQ and balances on
 * behalf of every tickless idle CPU (each as the destination), updating
 * their blocked load on the way.
 *
 * One kick in flight at a time: the guard nohz.ilb_cpu is taken by the
 * kicker (cmpxchg 0 -> ilb + 1) and released by the kicked CPU only after
 * its pass, whatever happened (even if it was busy again by then and did
 * not balance).  A kick that is never released would silence NOHZ
 * balancing for good: that was Linux's bug when the kicked CPU cleared its
 * flags only on the path where it balanced.
 */
#include "rq.h"
#include "pelt.h"
#include "irq.h"
#include "kernel.h"
#include "params.h"
#include "softirq.h"
#include "trace.h"
#include "wait.h"
#include "asm/irqflags.h"

/* Stats-only kicks (blocked load of idle CPUs) at most this often: PELT's
 * half-life, so the load seen by the balancer is never much staler. */
#define NOHZ_BLOCKED_PERIOD_NS (32 * 1000000ULL)

static struct {
	cpumask_t idle_cpus_mask;	/* tickless idle and active: set/clear_bit */
	atomic_t nr_cpus;		/* its weight */
	u64 next_balance;		/* ns: no balance kick before */
	int has_blocked;		/* an idle CPU may have load left to decay */
	u64 next_blocked;		/* ns: no stats kick before */
	atomic_t ilb_cpu;		/* the guard: CPU + 1 serving a kick, 0: none */
	int ilb_pass_running;		/* an ILB is inside a balancing nohz_ilb_pass */
	u64 double_kicks;		/* flags found set under a free guard: must stay 0 */
	u64 kicks_suppressed;		/* not sent: a kick was in flight */
} nohz;

static bool nohz_active = true;


bool tick_nohz_enabled(void)
{
	return READ_ONCE(nohz_active);
}

/* This CPU, IRQs masked. */
static void nohz_balance_enter_idle(struct rq *rq)
{
	/* A CPU on its way out must not be picked to balance, nor balanced to. */
	if (!cpu_active(rq->cpu))
		return;
	rq->has_blocked_load = true;
	rq->nohz_listed = true;
	set_bit(rq->cpu, nohz.idle_cpus_mask.bits);
	atomic_inc(&nohz.nr_cpus);
	/* Our bit in the mask before has_blocked: an ILB that cleared
	 * has_blocked and then read the mask (smp_mb in nohz_ilb_pass)
	 * either sees our bit, or sees has_blocked set again by us. */
	smp_mb();
	WRITE_ONCE(nohz.has_blocked, 1);
}

static void nohz_balance_exit_idle(struct rq *rq)
{
	if (!rq->nohz_listed)
		return;
	rq->nohz_listed = false;
	clear_bit(rq->cpu, nohz.idle_cpus_mask.bits);
	atomic_dec_return(&nohz.nr_cpus);
}

/*
 * The idle loop, IRQs masked, nothing to run: note when idle began, and
 * (NOHZ on) stop the tick.  Called before every WFI: an interrupt may
 * have added a timer or restarted the periodic tick meanwhile, so the
 * timer is reprogrammed each time.
 */
void tick_nohz_idle_stop_tick(void)
{
	struct rq *rq = this_cpu()->rq;

	if (!rq->idle_since)
		WRITE_ONCE(rq->idle_since, sched_clock() | 1);	/* never 0 */
	if (!READ_ONCE(nohz_active) || system_state != SYSTEM_SMP) {
		if (rq->nohz_tick_stopped) {	/* switched off at run time */
			rq->nohz_tick_stopped = false;
			timer_restart_tick();
			nohz_balance_exit_idle(rq);
		}
		return;
	}
	timer_program_oneshot(timer_next_expiry());
	if (!rq->nohz_tick_stopped) {
		rq->nohz_tick_stopped = true;
		nohz_balance_enter_idle(rq);
	} else if (!rq->nohz_listed) {
		/* Stopped while inactive (not listed then), active now: from
		 * here the idle balancer may pull for us (sched_cpu_activate
		 * wakes us to get here), and at once: sched_cpu_activate made
		 * us due, so the idle balancer's date comes forward (a hint,
		 * raced like every other writer of it; Linux's
		 * sched_balance_domains does the same for a due idle CPU). */
		nohz_balance_enter_idle(rq);
		if (rq->nohz_listed && READ_ONCE(rq->next_balance) < READ_ONCE(nohz.next_balance))
			WRITE_ONCE(nohz.next_balance, READ_ONCE(rq->next_balance));
	}
}

/*
 * __schedule switching from the idle task to another, rq locked, IRQs
 * masked (every way out of idle passes here, the preemption at interrupt
 * exit included).  __schedule has just brought rq->clock and the idle
 * task's run time up to date.
 */
void tick_nohz_idle_exit(struct rq *rq)
{
	WRITE_ONCE(rq->idle_since, 0);
	if (!rq->nohz_tick_stopped)
		return;
	rq->nohz_tick_stopped = false;
	timer_restart_tick();
	nohz_balance_exit_idle(rq);
}

/* Linux's find_new_ilb: the first tickless idle CPU that is still idle
 * and active, not us; -1 if none. */
static int find_new_ilb(unsigned int self)
{
	cpumask_t idle;
	unsigned int cpu;

	for (size_t i = 0; i < ARRAY_SIZE(idle.bits); i++)
		idle.bits[i] = READ_ONCE(nohz.idle_cpus_mask.bits[i]);
	for_each_cpu(cpu, &idle)
		if (cpu != self && cpu_active(cpu) && idle_cpu(cpu))
			return (int)cpu;
	return -1;
}

static void kick_ilb(struct rq *rq, unsigned int flags, u64 now)
{
	int ilb, old;

	/* No second balance kick before the ILB sets a real date. */
	if (flags & NOHZ_BALANCE_KICK)
		WRITE_ONCE(nohz.next_balance, now + tick_ns());
	ilb = find_new_ilb(rq->cpu);
	if (ilb < 0)
		return;
	/* The guard; the kicked CPU releases it after its pass. */
	if (atomic_cmpxchg(&nohz.ilb_cpu, 0, ilb + 1) != 0) {
		__atomic_fetch_add(&nohz.kicks_suppressed, 1, __ATOMIC_RELAXED);
		return;
	}
	old = atomic_fetch_or((int)flags, &cpu_rq(ilb)->nohz_flags);
	/* Its flags are cleared before the guard is released: finding
	 * them set now means a kick escaped the guard. */
	if (old & NOHZ_KICK_MASK)
		__atomic_fetch_add(&nohz.double_kicks, 1, __ATOMIC_RELAXED);
	WRITE_ONCE(rq->ilb_kicks_sent, rq->ilb_kicks_sent + 1);
	trace_sched_kick_ilb((unsigned int)ilb, (flags & NOHZ_BALANCE_KICK) ? "BALANCE|STATS" : "STATS");
	/* The flags (fetch_or above) before the IPI: send_sgi's DSB makes
	 * them visible before the GIC takes the request; the receiver
	 * reads them after acknowledging it (smp_rmb in irq_handle). */
	send_ipi((unsigned int)ilb, IPI_NOHZ_KICK);
}

/*
 * Linux's nohz_balancer_kick, reduced: from the tick of a busy, active
 * CPU, IRQs masked.  A balance kick when this CPU has two or more
 * runnable tasks (one could run elsewhere) and nohz.next_balance is due;
 * else a stats kick when idle CPUs have blocked load to decay.
 */
void nohz_balancer_kick(struct rq *rq, u64 now)
{
	unsigned int flags = 0;

	if (!atomic_read(&nohz.nr_cpus))
		return;
	if (READ_ONCE(nohz.has_blocked) && now >= READ_ONCE(nohz.next_blocked))
		flags = NOHZ_STATS_KICK;
	if (now >= READ_ONCE(nohz.next_balance) && READ_ONCE(rq->nr_running) >= 2)
		flags = NOHZ_BALANCE_KICK | NOHZ_STATS_KICK;
	if (flags)
		kick_ilb(rq, flags, now);
}

/*
 * A newidle pull on this CPU left two or more runnable tasks on busiest:
 * there is more to spread, and tickless CPUs cannot see it.  Kick the
 * idle balancer now rather than at busiest's next tick (up to a tick
 * away: a burst of work then spreads in one round of passes instead of
 * one per tick).  The same rules as a tick's balance kick: tickless CPUs
 * listed, nohz.next_balance due, one kick in flight.  Not Linux's (its
 * newidle path only kicks for blocked load).  Context: newidle, IRQs
 * masked, no runqueue lock held.
 */
void nohz_kick_after_pull(struct rq *this_rq, const struct rq *busiest, u64 now)
{
	if (!atomic_read(&nohz.nr_cpus) || READ_ONCE(busiest->nr_running) < 2 ||
	    now < READ_ONCE(nohz.next_balance))
		return;
	kick_ilb(this_rq, NOHZ_BALANCE_KICK | NOHZ_STATS_KICK, now);
}

/* Balance dates were brought forward (sched_balance_affinity_widened):
 * let the next balance kick go at once.  Any context; a hint, raced like
 * every other writer of nohz.next_balance. */
void nohz_balance_due(u64 now)
{
	if (READ_ONCE(nohz.next_balance) > now)
		WRITE_ONCE(nohz.next_balance, now);
}

/* IPI_NOHZ_KICK (Linux's nohz_csd_func), IRQ context.  irq_handle's
 * smp_rmb after the acknowledge pairs with the kicker's DSB: the flags
 * read here are the ones set before the IPI. */
void nohz_kick_ipi(void)
{
	struct rq *rq = this_cpu()->rq;
	unsigned int flags = (unsigned int)atomic_read(&rq->nohz_flags) & NOHZ_KICK_MASK;

	WRITE_ONCE(rq->ilb_kicks_received, rq->ilb_kicks_received + 1);
	if (!flags)
		return;
	rq->nohz_idle_balance = flags;
	raise_softirq_irqoff(SCHED_SOFTIRQ);
}

/* One tickless idle CPU's part of the pass. */
static void nohz_balance_one(struct rq *rq, unsigned int flags, u64 now, u64 *next_balance,
			     bool *has_blocked)
{
	if (flags & NOHZ_STATS_KICK) {
		/* PELT decays the load it left; until all of it is gone the
		 * stats kicks go on (Linux's rq->has_blocked_load). */
		update_blocked_averages(rq->cpu);
		WRITE_ONCE(rq->has_blocked_load, READ_ONCE(rq->avg.load_avg) ||
			   READ_ONCE(rq->avg.runnable_avg) || READ_ONCE(rq->avg.util_avg));
		*has_blocked |= rq->has_blocked_load;
	}
	if ((flags & NOHZ_BALANCE_KICK) && now >= READ_ONCE(rq->next_balance))
		run_balance_hook(rq, CPU_IDLE);
	*next_balance = MIN(*next_balance, READ_ONCE(rq->next_balance));
}

/* Linux's _nohz_idle_balance: for every tickless idle CPU, then us. */
static void nohz_ilb_pass(struct rq *this_rq, unsigned int flags)
{
	u64 now = sched_clock(), next_balance = now + 60 * 1000000000ULL;
	bool has_blocked = false, aborted = false;
	unsigned int cpu, self = this_rq->cpu;
	cpumask_t idle;

	WRITE_ONCE(this_rq->nohz_balance_runs, this_rq->nohz_balance_runs + 1);
	/* Only a balancing pass stops the work-conservation clock
	 * (wc_check.c): a stats-only pass moves nothing. */
	if (flags & NOHZ_BALANCE_KICK)
		WRITE_ONCE(nohz.ilb_pass_running, 1);
	if (flags & NOHZ_STATS_KICK) {
		WRITE_ONCE(nohz.has_blocked, 0);
		/* Cleared before the mask is read: pairs with the smp_mb in
		 * nohz_balance_enter_idle. */
		smp_mb();
	}
	for (size_t i = 0; i < ARRAY_SIZE(idle.bits); i++)
		idle.bits[i] = READ_ONCE(nohz.idle_cpus_mask.bits[i]);
	for_each_cpu(cpu, &idle) {
		if (cpu == self || !cpu_active(cpu))
			continue;
		/* Work came for this CPU: the rest waits for the next kick. */
		if (READ_ONCE(this_cpu()->need_resched)) {
			aborted = true;
			break;
		}
		if (idle_cpu(cpu))
			nohz_balance_one(cpu_rq(cpu), flags, now, &next_balance, &has_blocked);
	}
	if (!aborted && cpu_active(self))
		nohz_balance_one(this_rq, flags, now, &next_balance, &has_blocked);
	if ((flags & NOHZ_BALANCE_KICK) && !aborted)
		WRITE_ONCE(nohz.next_balance, next_balance);
	if (flags & NOHZ_STATS_KICK) {
		WRITE_ONCE(nohz.next_blocked, now + NOHZ_BLOCKED_PERIOD_NS);
		if (has_blocked || aborted)
			WRITE_ONCE(nohz.has_blocked, 1);
	}
	WRITE_ONCE(nohz.ilb_pass_running, 0);
}

/*
 * An ILB is balancing for the tickless idle CPUs right now (the work
 * conservation checker does not count that time against them).  Any
 * context; a hint, read without ordering.
 */
bool nohz_ilb_pass_running(void)
{
	return READ_ONCE(nohz.ilb_pass_running);
}

/*
 * SCHED_SOFTIRQ on this CPU: serve a pending kick.  Returns true if the
 * pass ran (it covered this CPU too); false if there was no kick, or this
 * CPU is busy again (then only the kick is released, as Linux does).
 */
bool nohz_idle_balance(struct rq *this_rq, enum cpu_idle_type idle)
{
	unsigned int flags = this_rq->nohz_idle_balance;

	if (!flags)
		return false;
	this_rq->nohz_idle_balance = 0;
	if (idle == CPU_IDLE)
		nohz_ilb_pass(this_rq, flags);
	else
		WRITE_ONCE(this_rq->nohz_kicks_busy, this_rq->nohz_kicks_busy + 1);
	/* Flags first, then the guard, with release: a kicker whose
	 * cmpxchg finds the guard free finds our flags clear too, and our
	 * pass's stores (nohz.next_balance...) done. */
	atomic_fetch_andnot(NOHZ_KICK_MASK, &this_rq->nohz_flags);
	atomic_set_release(&nohz.ilb_cpu, 0);
	return idle == CPU_IDLE;
}

/*
 * CPU hotplug, on the CPU going down, inside stop_machine (IRQs masked
 * everywhere), once it has left cpu_online_mask.  It is active no more, so
 * nobody kicks it again (find_new_ilb) and its idle loop will not list it
 * (nohz_balance_enter_idle); but a kick sent just before may be pending in
 * a GIC interface that is about to be switched off: serve nothing, and
 * hand the guard back as the kicked CPU would, or kicks stop for good.
 */
void nohz_cpu_dying(void)
{
	struct rq *rq = this_cpu()->rq;

	nohz_balance_exit_idle(rq);
	rq->nohz_idle_balance = 0;
	if (atomic_fetch_andnot(NOHZ_KICK_MASK, &rq->nohz_flags) & NOHZ_KICK_MASK) {
		/* Ours to release: the kicker set our flags under it. */
		atomic_set_release(&nohz.ilb_cpu, 0);
	}
}

/* Idle time of cpu so far, the current idle period included (a tickless
 * CPU's idle task has not been charged since it stopped its tick). */
u64 sched_idle_time_ns(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);
	unsigned long flags = local_irq_save();
	u64 t;

	arch_spin_lock(&rq->lock);
	t = rq->idle->sum_exec_runtime;
	if (rq->curr == rq->idle) {
		u64 now = sched_clock();

		if (now > rq->idle->exec_start)
			t += now - rq->idle->exec_start;
	}
	arch_spin_unlock(&rq->lock);
	local_irq_restore(flags);
	return t;
}

/* Any context.  Idle CPUs re-evaluate at once (their idle loop restarts
 * or stops the tick), not at their next event. */
void tick_nohz_set_enabled(bool on)
{
	unsigned int cpu;

	WRITE_ONCE(nohz_active, on);
	/* The switch before the IPIs that make them look (send_sgi's DSB
	 * orders it before the request). */
	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id() && idle_cpu(cpu))
			send_ipi(cpu, IPI_RESCHEDULE);
}

void nohz_get_info(struct nohz_info *info, char *idle_list, size_t size)
{
	cpumask_t idle;

	for (size_t i = 0; i < ARRAY_SIZE(idle.bits); i++)
		idle.bits[i] = READ_ONCE(nohz.idle_cpus_mask.bits[i]);
	info->nr_idle = (unsigned int)atomic_read(&nohz.nr_cpus);
	info->ilb_in_flight = atomic_read(&nohz.ilb_cpu) - 1;
	info->double_kicks = READ_ONCE(nohz.double_kicks);
	info->kicks_suppressed = READ_ONCE(nohz.kicks_suppressed);
	if (idle_list)
		cpumask_print_list(idle_list, size, &idle);
}

void nohz_init(void)
{
	nohz_active = boot_params.nohz;
}
