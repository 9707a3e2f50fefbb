/*
 * The tick: each CPU programs its own EL1 virtual timer (CNTV) to fire
 * tick_hz times a second.  The counter frequency comes from CNTFRQ_EL0
 * (62.5 MHz under QEMU, 54 MHz on a real Pi 4), never from a constant.
 *
 * An idle CPU may stop its tick (kernel/sched/nohz.c): the timer is then
 * programmed once, for the next timer_list expiry (timer_program_oneshot),
 * or switched off, and the periodic tick is restarted when the CPU gets
 * work (timer_restart_tick).
 */
#include "timer.h"
#include "asm/atomic.h"
#include "irq.h"
#include "kernel.h"
#include "params.h"
#include "sched.h"
#include "wait.h"
#include "asm/percpu.h"
#include "asm/sysreg.h"

u64 timer_freq;
u32 tick_hz;
static unsigned int timer_intid;
static u64 tick_cycles;

static void timer_reload(void)
{
	write_sysreg(cntv_tval_el0, tick_cycles);
	write_sysreg(cntv_ctl_el0, 1);	/* enabled, not masked */
	isb();
}

static void timer_irq(unsigned int intid, void *arg)
{
	(void)intid;
	(void)arg;
	this_cpu()->ticks++;
	/* A one-shot event of a tickless idle CPU lands here too: the CPU
	 * ticks periodically until its idle loop stops the tick again. */
	timer_reload();
	scheduler_tick();
	run_local_timers();
}

/* The DT lists the PPIs as: secure phys, non-secure phys, virtual, hyp. */
int timer_dt_init(const struct fdt *f)
{
	int node = fdt_next_compatible(f, -1, "arm,armv8-timer");
	const u32 *irqs;
	int len, intid;

	if (node < 0)
		node = fdt_next_compatible(f, -1, "arm,armv7-timer");
	if (node < 0) {
		printk("timer: no arm,armv8-timer node in the device tree\n");
		return -ENODEV;
	}
	irqs = fdt_getprop(f, node, "interrupts", &len);
	if (!irqs || len < 36) {
		printk("timer: the timer node has no virtual timer interrupt\n");
		return -EINVAL;
	}
	intid = dt_irq_to_intid(irqs + 6, NULL);
	if (intid < 16 || intid >= 32) {
		printk("timer: virtual timer interrupt is not a PPI\n");
		return -EINVAL;
	}
	timer_intid = (unsigned int)intid;
	timer_freq = read_cntfrq();
	if (!timer_freq) {
		printk("timer: CNTFRQ_EL0 is 0 (firmware did not set it)\n");
		return -EINVAL;
	}
	tick_hz = boot_params.hz;
	tick_cycles = timer_freq / tick_hz;
	return request_irq(timer_intid, timer_irq, NULL, false);
}

void timer_cpu_init(void)
{
	/* CNTP is only ever the hotplug hint's (timer_hint_deadline); its
	 * control register is UNKNOWN after a reset: start it off. */
	write_sysreg(cntp_ctl_el0, 0);
	irq_enable_local(timer_intid);
	timer_reload();
}

/*
 * Tickless idle, this CPU, IRQs masked.  Fire once when the counter
 * reaches 'cval' (an absolute CNTVCT value; one already past fires at
 * once), or never if cval is UINT64_MAX.  CVAL rather than TVAL: TVAL is a
 * signed 32-bit down-counter, about 34 s at 62.5 MHz, too short for a
 * far-away timer.
 */
void timer_program_oneshot(u64 cval)
{
	if (cval == UINT64_MAX) {
		write_sysreg(cntv_ctl_el0, 0);	/* disabled: no interrupt */
	} else {
		write_sysreg(cntv_cval_el0, cval);
		write_sysreg(cntv_ctl_el0, 1);
	}
	isb();
}

/* Back to the periodic tick, this CPU, IRQs masked: the next tick is one
 * period from now. */
void timer_restart_tick(void)
{
	timer_reload();
}

/* CPU hotplug, on the CPU going down, IRQs masked: no more ticks here. */
void timer_cpu_stop(void)
{
	write_sysreg(cntv_ctl_el0, 0);	/* disabled */
	write_sysreg(cntp_ctl_el0, 0);	/* the hotplug hint's too (timer_hint_deadline) */
	isb();
}

/* Deadlines armed by timer_hint_deadline() since boot, all CPUs (the
 * tests check that none is armed outside a hotplug operation). */
static u64 hint_arms;

u64 timer_hint_count(void)
{
	return __atomic_load_n(&hint_arms, __ATOMIC_RELAXED);
}

/*
 * A deadline that nothing waits for: CNTP is enabled with its output
 * masked, so on hardware it only sets its ISTATUS bit when it expires.
 * QEMU still schedules a timer event for it (a masked timer keeps its
 * deadline), and under -icount the round-robin vCPU turns are cut to end
 * by the earliest deadline of any vCPU: see cpuhp_wait_hint().  One still
 * pending (enabled, ISTATUS clear) is left alone: a spin-wait calls this
 * on every turn of its loop, and each write makes QEMU reprogram a timer
 * (with many vCPUs on few host threads, plain TCG pays for that).
 * Any context, this CPU.
 */
void timer_hint_deadline(u64 cycles)
{
	if ((read_sysreg(cntp_ctl_el0) & 5) == 1)	/* ENABLE, not ISTATUS */
		return;
	write_sysreg(cntp_cval_el0, read_sysreg(cntpct_el0) + cycles);
	write_sysreg(cntp_ctl_el0, 3);	/* ENABLE | IMASK */
	isb();
	exclusive_check();	/* an exclusive pair: never before the MMU is on */
	__atomic_fetch_add(&hint_arms, 1, __ATOMIC_RELAXED);
}

void udelay(u64 us)
{
	u64 end = read_cntvct() + us * timer_freq / 1000000;

	while (read_cntvct() < end)
		cpu_relax();
}

void mdelay(u64 ms)
{
	udelay(ms * 1000);
}
