/* The per-CPU tick from the ARM generic timer (arch/arm64/kernel/timer.c). */
#ifndef RONDO_TIMER_H
#define RONDO_TIMER_H

#include "types.h"
#include "fdt.h"

extern u64 timer_freq;		/* CNTFRQ, Hz */
extern u32 tick_hz;

int timer_dt_init(const struct fdt *f);
void timer_cpu_init(void);	/* start this CPU's tick */
/* Tickless idle (kernel/sched/nohz.c), this CPU, IRQs masked: one event
 * at counter value cval (UINT64_MAX: none), or the periodic tick again. */
void timer_program_oneshot(u64 cval);
void timer_restart_tick(void);
void timer_cpu_stop(void);	/* stop it: this CPU is going offline */
/* The emulator accommodation of CPU hotplug (cpuhp_wait_hint, cpuhp.h):
 * this CPU's EL1 physical timer, otherwise unused, armed masked to expire
 * 'cycles' from now.  Masked, it never interrupts anything; any context. */
void timer_hint_deadline(u64 cycles);
u64 timer_hint_count(void);	/* hints armed since boot, all CPUs; any context */

/* Both split into whole seconds and the rest, so that neither the MHz
 * rounding (62.5 MHz is not whole) nor the multiplication (ns * 62.5e6
 * and c * 10^9 overflow after about 5 minutes) costs accuracy. */
static inline u64 ns_to_cycles(u64 ns)
{
	return ns / 1000000000ULL * timer_freq + ns % 1000000000ULL * timer_freq / 1000000000ULL;
}
static inline u64 cycles_to_ns(u64 c)
{
	return c / timer_freq * 1000000000ULL + c % timer_freq * 1000000000ULL / timer_freq;
}
/* The tick period in ns (tick_hz: the hz= boot argument, timer.c). */
static inline u64 tick_ns(void) { return 1000000000ULL / tick_hz; }
void udelay(u64 us);
void mdelay(u64 ms);

#endif
