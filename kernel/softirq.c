/*
 * Deferred actions after an interrupt (Linux's softirqs, reduced to what
 * the scheduler needs).  An interrupt handler raises one with
 * raise_softirq_irqoff(); irq_handle calls do_softirq() when the outermost
 * interrupt is done, still at irq_nesting 1, and the actions run there
 * with IRQs unmasked.  So:
 *
 * - they run after the handler that raised them, before the interrupted
 *   task resumes, on that task's stack (no thread, no extra stack);
 * - an interrupt taken meanwhile (the tick, an IPI) is handled at once,
 *   but as a nested one (irq_nesting 2): it does not run actions itself
 *   (no recursion), it does not preempt and the ktest watchdog leaves
 *   it alone.  What it raises is picked up by our loop below;
 * - preemption is off while they run (preempt_disable): a spin_unlock in
 *   an action must not switch tasks in the middle of an interrupt return;
 * - a lock they take must be taken with IRQs masked everywhere else (as
 *   the runqueue locks are), since they may interrupt its holder.
 *
 * Linux also defers to a ksoftirqd thread when actions keep coming back;
 * here, after MAX_RESTARTS rounds, what is still pending waits for the
 * next interrupt on this CPU (the idle loop does not sleep with actions
 * pending, see cpu_idle).
 */
#include "softirq.h"
#include "kernel.h"
#include "smp.h"
#include "asm/atomic.h"
#include "asm/irqflags.h"
#include "asm/percpu.h"
#include "asm/spinlock.h"

#define MAX_RESTARTS 10

static void (*actions[NR_SOFTIRQS])(void);

/* Only its own CPU touches an entry, with IRQs masked (raise) or from the
 * outermost interrupt level (run): no atomics needed.  Others read the
 * counters for statistics. */
static struct softirq_cpu {
	u32 pending;
	bool running;
	u64 runs[NR_SOFTIRQS];
} softirq_cpus[NR_CPUS] __aligned(64);

void open_softirq(unsigned int nr, void (*action)(void))
{
	BUG_ON(nr >= NR_SOFTIRQS);
	actions[nr] = action;
}

void raise_softirq_irqoff(unsigned int nr)
{
	softirq_cpus[smp_processor_id()].pending |= 1u << nr;
}

bool local_softirq_pending(void)
{
	return READ_ONCE(softirq_cpus[smp_processor_id()].pending) != 0;
}

bool in_serving_softirq(void)
{
	return READ_ONCE(softirq_cpus[smp_processor_id()].running);
}

u64 softirq_runs(unsigned int cpu, unsigned int nr)
{
	return cpu < NR_CPUS && nr < NR_SOFTIRQS ? READ_ONCE(softirq_cpus[cpu].runs[nr]) : 0;
}

void do_softirq(void)
{
	struct softirq_cpu *sc = &softirq_cpus[smp_processor_id()];
	int restarts = MAX_RESTARTS;

	if (sc->running || !sc->pending)
		return;		/* never nested: the outer level loops */
	sc->running = true;
	preempt_disable();
	while (sc->pending && restarts--) {
		u32 pending = sc->pending;

		sc->pending = 0;	/* IRQs masked: nothing raises meanwhile */
		local_irq_enable();
		for (unsigned int nr = 0; nr < NR_SOFTIRQS; nr++) {
			if (!(pending & (1u << nr)) || !actions[nr])
				continue;
			actions[nr]();
			WRITE_ONCE(sc->runs[nr], sc->runs[nr] + 1);
		}
		local_irq_disable();
	}
	preempt_enable_no_resched();
	sc->running = false;
}
