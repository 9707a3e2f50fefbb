/*
 * CPU hotplug (kernel/cpuhp.c): a CPU walks an ordered list of states on
 * its way up, each with a startup callback, and back down through the
 * teardown callbacks in exactly the reverse order.  Linux's model
 * (kernel/cpu.c, include/linux/cpuhotplug.h), at teaching scale.
 */
#ifndef RONDO_CPUHP_H
#define RONDO_CPUHP_H

#include "types.h"
#include "timer.h"
#include "asm/atomic.h"
#include "asm/sysreg.h"

/*
 * In bring-up order.  Where each runs:
 *   BP:  on the CPU that drives the operation (a sleeping task)
 *   AP:  on the CPU coming up (startup, IRQs masked, before it is online)
 *        or going down (teardown, inside stop_machine, IRQs masked on
 *        every CPU): Linux's STARTING / DYING states
 */
enum cpuhp_state {
	CPUHP_OFFLINE,
	CPUHP_TIMERS_PREPARE,	/* BP  down: move the dead CPU's timers */
	CPUHP_SCHED_DEAD,	/* BP  down: its runqueue must be empty */
	CPUHP_BRINGUP_CPU,	/* BP  up: CPU_ON, wait for it; down: wait until it is off */
	CPUHP_AP_IRQ_STARTING,	/* AP  GIC CPU interface; down: SPIs move away */
	CPUHP_AP_TIMER_STARTING,	/* AP  its tick (a PPI: needs the GIC first) */
	CPUHP_AP_SMPCFD_DYING,	/* AP  down: run cross-CPU calls still queued */
	CPUHP_AP_ONLINE,	/* AP  cpu_online_mask */
	CPUHP_AP_COUNTER_SYNC,	/* AP  up: its counter in step with the others' */
	CPUHP_AP_SMPBOOT_THREADS,	/* BP  per-CPU threads unparked / parked */
	CPUHP_AP_SCHED_WAIT_EMPTY,	/* BP  down: push every task away */
	CPUHP_AP_ACTIVE,	/* BP  cpu_active_mask and the sched domains */
	CPUHP_ONLINE,
	CPUHP_NR_STATES,
	CPUHP_AP_LAST = CPUHP_AP_COUNTER_SYNC,	/* the top of the AP block */
};

/* Take 'cpu' offline / bring it online.  Context: task, may sleep; takes
 * cpus_write_lock().  0 on success; -EINVAL for a CPU that is not present,
 * -EALREADY if it already is in the wanted state, -EBUSY for the last
 * active CPU, -EOPNOTSUPP for a CPU with no enable-method, -ETIMEDOUT/-EIO
 * if the CPU did not come or go, or the error of the state that failed
 * (after a full rollback to where it started). */
int cpu_down(unsigned int cpu);
int cpu_up(unsigned int cpu);

/* Boot: bring every present secondary up to CPUHP_ONLINE (maxcpus= cap). */
void cpuhp_bringup_secondaries(void);
/* Boot CPU: its states are reached by start_kernel itself. */
void cpuhp_boot_cpu_online(void);
/* On a secondary in secondary_start_kernel, IRQs masked: run the AP
 * startup states; returns 0, or the error after undoing them. */
int cpuhp_ap_startup(unsigned int cpu);
/* From the idle loop of a CPU that is no longer online: report to the BP
 * and power off (cpu_ops die).  Never returns. */
void __noreturn cpuhp_idle_dead(void);

int cpuhp_state_of(unsigned int cpu);
const char *cpuhp_state_name(int state);
/* Fault injection (Linux: /sys/devices/system/cpu/cpuN/hotplug/fail): the
 * next callback of 'state' on 'cpu' (startup or teardown) fails with
 * -EAGAIN.  state -1 clears it.  0, or -EINVAL. */
int cpuhp_set_fail(unsigned int cpu, int state);
int cpuhp_state_by_name(const char *name);

/*
 * An emulator accommodation; Linux has nothing like it.  Under QEMU's
 * -icount all vCPUs run in turn in one host thread, and a turn lasts
 * until it gives up the CPU (WFI, WFE, YIELD) or until its share of the
 * time left to the earliest timer deadline of any vCPU: with every CPU
 * busy and 100 Hz ticks, up to milliseconds.  So a CPU that hands work to
 * another CPU (an IPI), or spins until another CPU has done something,
 * waits for every busy vCPU before that one in the ring to finish its
 * turn.  While a hotplug operation is in progress, cpuhp_hint_cycles holds
 * the boot argument cpuhp.poll_us (default 50; 0 turns all this off) in
 * counter cycles, and such a CPU arms a masked timer deadline that close
 * (timer_hint_deadline), which cuts the turns that follow short.  Nothing
 * waits for the deadline and no interrupt comes of it: on hardware it
 * changes a timer register and nothing else.  Outside an operation
 * cpuhp_hint_cycles is 0 and the hint costs a load and a branch.
 * Context: any.
 */
extern u64 cpuhp_hint_cycles;

static inline void cpuhp_wait_hint(void)
{
	u64 cycles = READ_ONCE(cpuhp_hint_cycles);

	if (unlikely(cycles))
		timer_hint_deadline(cycles);
}

/* One turn of a spin-wait for another CPU on the hotplug path: the hint,
 * then cpu_relax().  Context: any. */
static inline void cpuhp_spin_relax(void)
{
	cpuhp_wait_hint();
	cpu_relax();
}

/* Last operation's duration per CPU, ns (for the shell and benchmarks). */
u64 cpuhp_last_down_ns(unsigned int cpu);
u64 cpuhp_last_up_ns(unsigned int cpu);

#endif
