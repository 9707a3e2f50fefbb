/*
 * The CPU hotplug state machine (include/cpuhp.h; Linux: kernel/cpu.c).
 *
 * Each CPU has a current state.  cpu_down() walks it down to OFFLINE by
 * running teardown callbacks from the top; cpu_up() walks it up to ONLINE
 * by running startup callbacks from the bottom.  If a callback fails, the
 * walk turns round and restores the state the CPU started from, so an
 * operation either completes or leaves the CPU as it was.
 *
 * Most states run on the CPU driving the operation (the "BP", a task that
 * may sleep).  The AP states run on the CPU itself: on the way up from
 * secondary_start_kernel before it is online, on the way down inside
 * stop_machine (take_cpu_down) with IRQs masked on every CPU.  Both blocks
 * are entered through CPUHP_BRINGUP_CPU: its startup starts the CPU and
 * waits until the CPU has run its AP states, its teardown stops the CPU
 * and waits until it has powered off.
 */
#include "cpuhp.h"
#include "cpu.h"
#include "cpu_ops.h"
#include "counter_sync.h"
#include "irq.h"
#include "kernel.h"
#include "params.h"
#include "smp.h"
#include "stop_machine.h"
#include "timer.h"
#include "trace.h"
#include "wait.h"
#include "sched/hotplug.h"
#include "sched/balance.h"

#define AP_WAIT_MS 1000		/* how long a CPU may take to come or go */

static struct cpuhp_cpu_state {
	int state;		/* the highest state whose startup has run */
	int target;		/* where the operation in progress goes */
	int ap_failed;		/* the AP state that failed, for the report */
	int fail;		/* fault injection: this state's next callback fails */
	int ap_ret;		/* the AP's verdict on its startup block ... */
	bool ap_done;		/* ... published by this flag (release) */
	bool dead;		/* the dying CPU's last word before CPU_OFF (release) */
	u64 down_ns, up_ns;
} cpuhp[NR_CPUS] = { [0 ... NR_CPUS - 1] = { .fail = -1 } };

/* See cpuhp_wait_hint().  Written under cpus_write_lock(), read by any
 * CPU with no ordering: it is a hint, and a stale value only arms one
 * deadline too many or one too few. */
u64 cpuhp_hint_cycles;

static DEFINE_MUTEX(cpuhp_mutex);	/* one operation at a time (with the write lock) */

static int bringup_cpu(unsigned int cpu);
static int takedown_cpu(unsigned int cpu);

static int ap_timer_startup(unsigned int cpu) { timer_cpu_init(); return 0; }
static int ap_timer_teardown(unsigned int cpu) { timer_cpu_stop(); return 0; }
static int ap_irq_startup(unsigned int cpu) { irq_cpu_init(); return 0; }
static int ap_irq_teardown(unsigned int cpu)
{
	irq_migrate_all_off_this_cpu();
	irq_cpu_disable();
	return 0;
}
static int ap_smpcfd_teardown(unsigned int cpu) { smp_call_flush_this_cpu(); return 0; }
static int ap_online_startup(unsigned int cpu) { set_cpu_online(cpu, true); return 0; }
static int ap_online_teardown(unsigned int cpu)
{
	/* The last online CPU never gets here: cpu_down refuses it. */
	set_cpu_online(cpu, false);
	nohz_cpu_dying();	/* off the idle list, a pending kick handed back */
	return 0;
}
static bool booted;	/* boot's bring-up is over (see cpuhp_bringup_secondaries) */

/* The others must be quiet while we compare clocks: stop_machine from a
 * CPU that is online, not active and cannot sleep (counter_sync.c). */
static int ap_counter_sync(unsigned int cpu)
{
	/* Not at boot (n CPUs would cost n rounds of n), and not when a
	 * failed takedown rolls back inside stop_machine: the CPU never
	 * stopped running there, and a second rendezvous cannot start. */
	if (!booted || READ_ONCE(this_cpu()->in_stop_machine))
		return 0;
	return counter_sync_check(cpu);
}
static int timers_dead(unsigned int cpu) { timers_migrate_from(cpu); return 0; }

static const struct cpuhp_step {
	const char *name;
	int (*startup)(unsigned int cpu);
	int (*teardown)(unsigned int cpu);
} steps[CPUHP_NR_STATES] = {
	[CPUHP_OFFLINE] = { "offline", NULL, NULL },
	[CPUHP_TIMERS_PREPARE] = { "timers:prepare", NULL, timers_dead },
	[CPUHP_SCHED_DEAD] = { "sched:dead", NULL, sched_cpu_dying },
	[CPUHP_BRINGUP_CPU] = { "cpu:bringup", bringup_cpu, takedown_cpu },
	[CPUHP_AP_IRQ_STARTING] = { "ap:irq", ap_irq_startup, ap_irq_teardown },
	[CPUHP_AP_TIMER_STARTING] = { "ap:timer", ap_timer_startup, ap_timer_teardown },
	[CPUHP_AP_SMPCFD_DYING] = { "ap:smpcfd", NULL, ap_smpcfd_teardown },
	[CPUHP_AP_ONLINE] = { "ap:online", ap_online_startup, ap_online_teardown },
	[CPUHP_AP_COUNTER_SYNC] = { "ap:counter_sync", ap_counter_sync, NULL },
	[CPUHP_AP_SMPBOOT_THREADS] = { "smpboot:threads", smpboot_unpark_threads, smpboot_park_threads },
	[CPUHP_AP_SCHED_WAIT_EMPTY] = { "sched:wait_empty", NULL, sched_cpu_wait_empty },
	[CPUHP_AP_ACTIVE] = { "sched:active", sched_cpu_activate, sched_cpu_deactivate },
	[CPUHP_ONLINE] = { "online", NULL, NULL },
};

static bool is_ap_state(int state)
{
	return state > CPUHP_BRINGUP_CPU && state <= CPUHP_AP_LAST;
}

const char *cpuhp_state_name(int state)
{
	return state >= 0 && state < CPUHP_NR_STATES ? steps[state].name : "?";
}

int cpuhp_state_by_name(const char *name)
{
	for (int s = 0; s < CPUHP_NR_STATES; s++)
		if (!strcmp(steps[s].name, name))
			return s;
	return -EINVAL;
}

int cpuhp_state_of(unsigned int cpu)
{
	return cpu < NR_CPUS ? READ_ONCE(cpuhp[cpu].state) : -EINVAL;
}

int cpuhp_set_fail(unsigned int cpu, int state)
{
	if (cpu >= NR_CPUS || !cpu_possible(cpu) || state < -1 || state == CPUHP_OFFLINE ||
	    state >= CPUHP_ONLINE)
		return -EINVAL;
	WRITE_ONCE(cpuhp[cpu].fail, state);
	return 0;
}

u64 cpuhp_last_down_ns(unsigned int cpu) { return cpu < NR_CPUS ? cpuhp[cpu].down_ns : 0; }
u64 cpuhp_last_up_ns(unsigned int cpu) { return cpu < NR_CPUS ? cpuhp[cpu].up_ns : 0; }

/* Run one callback, or fail it on request.  A state without a callback
 * can still be failed, so that the rollback from every state is tested. */
static int cpuhp_invoke(unsigned int cpu, int state, bool up)
{
	const struct cpuhp_step *s = &steps[state];
	int (*cb)(unsigned int) = up ? s->startup : s->teardown;
	int ret = 0;

	trace_cpuhp_enter(cpu, READ_ONCE(cpuhp[cpu].target), state, s->name);
	if (READ_ONCE(cpuhp[cpu].fail) == state) {
		WRITE_ONCE(cpuhp[cpu].fail, -1);
		ret = -EAGAIN;
	} else if (cb) {
		ret = cb(cpu);
	}
	/* Like Linux's, the state the CPU is in once this step is done. */
	trace_cpuhp_exit(cpu, ret ? READ_ONCE(cpuhp[cpu].state) : up ? state : state - 1, state, ret);
	return ret;
}

/* On the AP: run the AP states' callbacks from 'from' towards 'to' (both
 * in the AP block).  On failure undo what this call did; returns 0 or the
 * error.  st->state follows along, so the shell sees each step. */
static int ap_walk(unsigned int cpu, int from, int to, bool up)
{
	struct cpuhp_cpu_state *st = &cpuhp[cpu];
	int step = up ? 1 : -1;

	for (int s = from; up ? s <= to : s >= to; s += step) {
		int ret = cpuhp_invoke(cpu, s, up);

		if (ret) {
			st->ap_failed = s;
			/* Undo, in reverse, the callbacks this walk ran. */
			for (int u = s - step; up ? u >= from : u <= from; u -= step)
				cpuhp_invoke(cpu, u, !up);
			WRITE_ONCE(st->state, up ? from - 1 : from);
			return ret;
		}
		WRITE_ONCE(st->state, up ? s : s - 1);
	}
	return 0;
}

/* On a secondary (secondary_start_kernel), IRQs masked. */
int cpuhp_ap_startup(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp[cpu];
	int ret = ap_walk(cpu, CPUHP_AP_IRQ_STARTING, CPUHP_AP_LAST, true);

	st->ap_ret = ret;
	/* Pairs with the acquire in wait_for_ap(): the verdict and the
	 * masks we set are visible before the flag. */
	smp_store_release(&st->ap_done, true);
	return ret;
}

static int wait_flag(bool *flag)
{
	u64 end = read_cntvct() + timer_freq / 1000 * AP_WAIT_MS;

	while (!smp_load_acquire(flag)) {
		if (read_cntvct() > end)
			return -ETIMEDOUT;
		cpuhp_spin_relax();
	}
	return 0;
}

/* CPUHP_BRINGUP_CPU startup: start the CPU, wait for its AP states. */
static int bringup_cpu(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp[cpu];
	u64 start = read_cntvct(), arrivals;
	int ret;

	st->ap_done = false;
	st->dead = false;
	/* Made on its first bring-up, where we may sleep; unparked below
	 * once the CPU runs, before it can become active. */
	if (cpu_stop_create(cpu)) {
		printk("cpuhp: no memory for the stopper of CPU%u\n", cpu);
		return -ENOMEM;
	}
	arrivals = READ_ONCE(cpu_data[cpu].arrivals);
	ret = boot_secondary(cpu);
	if (ret)
		return ret;
	if (wait_flag(&st->ap_done)) {
		/* If it turns up late it must not join: it parks itself.  Our
		 * flag, then its arrival count; it bumps the count, then reads
		 * the flag (secondary_start_kernel): one of us sees the other. */
		WRITE_ONCE(cpu_data[cpu].park_on_arrival, true);
		smp_mb();
		if (READ_ONCE(cpu_data[cpu].arrivals) == arrivals) {
			printk("cpuhp: CPU%u (MPIDR 0x%lx) did not come online within %d ms\n",
			       cpu, cpu_logical_map[cpu], AP_WAIT_MS);
			return -ETIMEDOUT;
		}
		/* It is in, running our AP states on a slow host: it will
		 * finish them, and then it must not be left half-way. */
		while (!smp_load_acquire(&st->ap_done))
			cpuhp_spin_relax();
	}
	if (st->ap_ret) {
		/* It undid its AP states and is leaving again: wait for that. */
		wait_flag(&st->dead);
		cpu_ops[cpu]->cpu_kill(cpu);
		return st->ap_ret;
	}
	/* Its stopper comes back with it, as it left with it (take_cpu_down):
	 * from here on the CPU can always be taken down again. */
	stop_machine_unpark(cpu);
	cpu_bringup_cycles[cpu] = read_cntvct() - start;
	return 0;
}

/* Under stop_machine, on the CPU going down, IRQs masked on every CPU. */
static int take_cpu_down(void *arg)
{
	unsigned int cpu = smp_processor_id();
	int ret = ap_walk(cpu, CPUHP_AP_LAST, CPUHP_AP_IRQ_STARTING, false);

	if (ret)
		return ret;
	/* Our stopper is running this: it parks as soon as it returns,
	 * without needing an IPI (our GIC interface is off now). */
	stop_machine_park(cpu);
	return 0;
}

/* CPUHP_BRINGUP_CPU teardown: stop the CPU and wait until it is off. */
static int takedown_cpu(unsigned int cpu)
{
	struct cpuhp_cpu_state *st = &cpuhp[cpu];
	cpumask_t only;
	int ret;

	cpumask_clear(&only);
	cpumask_set_cpu(cpu, &only);
	st->dead = false;
	ret = stop_machine_cpuslocked(take_cpu_down, NULL, &only);
	if (ret)
		return ret;	/* the AP restored its states: still online */
	/* Its stopper parks, its idle task sees it is offline and reports
	 * (cpuhp_idle_dead), then the firmware or the park loop has it. */
	if (wait_flag(&st->dead))
		printk("cpuhp: CPU%u did not reach its idle loop to power off\n", cpu);
	ret = cpu_ops[cpu]->cpu_kill(cpu);
	if (ret)
		printk("cpuhp: CPU%u did not power off (%d); it stays offline\n", cpu, ret);
	return 0;	/* it is gone from every mask whatever the firmware says */
}

void __noreturn cpuhp_idle_dead(void)
{
	unsigned int cpu = smp_processor_id();

	local_irq_disable();
	/* Pairs with wait_flag() in takedown_cpu: everything this CPU wrote
	 * (its runqueue, the parked stopper) is visible before the flag. */
	smp_store_release(&cpuhp[cpu].dead, true);
	cpu_ops[cpu]->cpu_die(cpu);
}

/*
 * Walk 'cpu' from its state to 'target'.  On failure walk back to where
 * it started; a failure while walking back is a bug we cannot undo.
 */
static int cpuhp_walk(unsigned int cpu, int target, bool rollback)
{
	struct cpuhp_cpu_state *st = &cpuhp[cpu];
	int start = st->state, ret = 0, s = start;

	WRITE_ONCE(st->target, target);
	st->ap_failed = -1;
	while (!ret && st->state != target) {
		bool up = st->state < target;

		s = up ? st->state + 1 : st->state;

		if (is_ap_state(s))
			s = CPUHP_BRINGUP_CPU;	/* the AP block is inside it */
		ret = cpuhp_invoke(cpu, s, up);
		if (!ret)
			WRITE_ONCE(st->state, up ? (s == CPUHP_BRINGUP_CPU ? CPUHP_AP_LAST : s) : s - 1);
		else if (s == CPUHP_BRINGUP_CPU && up)
			WRITE_ONCE(st->state, CPUHP_BRINGUP_CPU - 1);
	}
	if (ret && rollback) {
		printk("cpuhp: CPU%u %s failed at %s (%d); rolling back to %s\n", cpu,
		       target > start ? "online" : "offline",
		       cpuhp_state_name(s == CPUHP_BRINGUP_CPU && st->ap_failed >= 0 ? st->ap_failed : s), ret,
		       cpuhp_state_name(start));
		if (cpuhp_walk(cpu, start, false))
			panic("cpuhp: CPU%u cannot be restored to %s", cpu, cpuhp_state_name(start));
	}
	return ret;
}

/*
 * One hotplug operation: walk 'cpu' to 'target' (CPUHP_OFFLINE or
 * CPUHP_ONLINE) under cpus_write_lock(), timing the walk into *ns.  The
 * refusals come in the order a user would ask about them: is there such a
 * CPU, is it already there, would it leave no active CPU, can we start or
 * stop it at all (a CPU with no enable-method, such as CPU0 of a board
 * that boots it by hand, is never taken down).
 */
static int cpuhp_change(unsigned int cpu, int target, u64 *ns)
{
	int nice, ret = 0;
	u64 t0;

	if (cpu >= NR_CPUS || !cpu_present(cpu))
		return -EINVAL;
	nice = sched_boost_current();
	cpus_write_lock();
	if (cpuhp[cpu].state == target)
		ret = -EALREADY;
	else if (target == CPUHP_OFFLINE && cpu_active(cpu) && cpumask_weight(cpu_active_mask) == 1)
		ret = -EBUSY;
	else if (!cpu_ops[cpu])
		ret = -EOPNOTSUPP;
	if (!ret) {
		t0 = read_cntvct();
		/* Only for the walk: the rest of the time the hint is off. */
		WRITE_ONCE(cpuhp_hint_cycles, ns_to_cycles(boot_params.cpuhp_poll_us * 1000ULL));
		ret = cpuhp_walk(cpu, target, true);
		WRITE_ONCE(cpuhp_hint_cycles, 0);
		if (!ret)
			*ns = cycles_to_ns(read_cntvct() - t0);
	}
	cpus_write_unlock();
	sched_unboost_current(nice);
	return ret;
}

int cpu_down(unsigned int cpu)
{
	return cpuhp_change(cpu, CPUHP_OFFLINE, &cpuhp[cpu < NR_CPUS ? cpu : 0].down_ns);
}

int cpu_up(unsigned int cpu)
{
	return cpuhp_change(cpu, CPUHP_ONLINE, &cpuhp[cpu < NR_CPUS ? cpu : 0].up_ns);
}

/* cpuhp.fail=CPU:STATE on the command line: as `hotplug fail CPU STATE`. */
static void apply_boot_fail(const char *arg)
{
	char state[32];
	const char *colon = arg ? strchr(arg, ':') : NULL;
	unsigned long cpu;
	char num[8];

	if (!arg)
		return;
	if (colon && (size_t)(colon - arg) < sizeof(num) && strlen(colon + 1) < sizeof(state)) {
		memcpy(num, arg, (size_t)(colon - arg));
		num[colon - arg] = '\0';
		strlcpy(state, colon + 1, sizeof(state));
		if (!kstrtoul(num, 10, &cpu) && cpu < NR_CPUS &&
		    !cpuhp_set_fail((unsigned int)cpu, cpuhp_state_by_name(state))) {
			printk("cpuhp: the next callback of %s on CPU%lu will fail\n", state, cpu);
			return;
		}
	}
	printk("bootargs: cpuhp.fail=%s: want CPU:STATE with a state from 'hotplug states'\n", arg);
}

/* start_kernel brought the boot CPU up by hand, in the same order. */
void cpuhp_boot_cpu_online(void)
{
	cpuhp[0].state = CPUHP_ONLINE;
	apply_boot_fail(boot_params.cpuhp_fail);
}

void cpuhp_bringup_secondaries(void)
{
	unsigned int cpu, up = 1, failed = 0;
	u64 start = read_cntvct();

	for_each_cpu(cpu, cpu_present_mask) {
		if (cpu == 0)
			continue;
		if (up >= boot_params.maxcpus)
			break;
		if (cpu_up(cpu) == 0)
			up++;
		else
			failed++;
	}
	boot_all_active_cycles = read_cntvct();
	/* From now on each CPU that comes up checks its clock against all
	 * the others.  Not at boot: n CPUs would cost n rounds of n. */
	booted = true;
	printk("smp: brought up %u of %u possible CPUs in %lu us%s\n", up,
	       cpumask_weight(cpu_possible_mask), cycles_to_ns(boot_all_active_cycles - start) / 1000,
	       failed ? " (some failed: see above)" : "");
}
