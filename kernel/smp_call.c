/*
 * smp_call_function_single / _many: run a function on other CPUs.
 *
 * Each (caller, target) pair owns one call slot, so no allocation is
 * needed: a caller reuses its slot for a target only after the previous
 * call through it finished.  Targets keep a locked FIFO of pending slots
 * and drain it from the IPI_CALL_FUNC interrupt.
 */
#include "smp.h"
#include "irq.h"
#include "kernel.h"
#include "asm/atomic.h"
#include "asm/irqflags.h"
#include "asm/spinlock.h"

struct call_single_data {
	struct call_single_data *next;
	smp_call_func_t func;
	void *info;
	int busy;
};

static struct call_single_data csd_slots[NR_CPUS][NR_CPUS];	/* [caller][target] */

static struct call_queue {
	spinlock_t lock;	/* taken from IRQ context too: always irqsave */
	struct call_single_data *head, *tail;
} call_queues[NR_CPUS];

static void csd_wait(struct call_single_data *csd)
{
	while (smp_load_acquire(&csd->busy)) {
		/* With IRQs off our own queue would never drain, and a CPU
		 * calling us would wait forever: serve it by hand. */
		if (irqs_disabled())
			generic_smp_call_function_interrupt();
		cpu_relax();
	}
}

static void csd_queue(unsigned int target, smp_call_func_t func, void *info)
{
	struct call_single_data *csd = &csd_slots[smp_processor_id()][target];
	struct call_queue *q = &call_queues[target];
	unsigned long flags;

	csd_wait(csd);
	csd->func = func;
	csd->info = info;
	csd->next = NULL;
	csd->busy = 1;
	spin_lock_irqsave(&q->lock, flags);
	if (q->tail)
		q->tail->next = csd;
	else
		q->head = csd;
	q->tail = csd;
	spin_unlock_irqrestore(&q->lock, flags);
}

void generic_smp_call_function_interrupt(void)
{
	struct call_queue *q = &call_queues[smp_processor_id()];
	struct call_single_data *csd;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	csd = q->head;
	q->head = q->tail = NULL;
	spin_unlock_irqrestore(&q->lock, flags);
	while (csd) {
		struct call_single_data *next = csd->next;

		csd->func(csd->info);
		/* After this store the caller may reuse the slot. */
		smp_store_release(&csd->busy, 0);
		csd = next;
	}
}

/*
 * CPU hotplug: the CPU going down runs what is still queued for it, under
 * stop_machine after it left cpu_online_mask (Linux's smpcfd_dying_cpu).
 * Nothing new can arrive: callers test cpu_online() with preemption off,
 * and no CPU can be inside such a section while stop_machine runs.
 */
void smp_call_flush_this_cpu(void)
{
	generic_smp_call_function_interrupt();
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, bool wait)
{
	unsigned long flags;

	if (cpu >= NR_CPUS)
		return -ENXIO;
	/* Our call slots are per CPU: stay on this one until done.  With
	 * preemption off, 'cpu' cannot go offline (that needs stop_machine,
	 * which needs our CPU too) between the test and the queueing. */
	preempt_disable();
	if (!cpu_online(cpu)) {
		preempt_enable();
		return -ENXIO;
	}
	if (cpu == smp_processor_id()) {
		flags = local_irq_save();
		func(info);
		local_irq_restore(flags);
	} else {
		csd_queue(cpu, func, info);
		send_ipi(cpu, IPI_CALL_FUNC);
		if (wait)
			csd_wait(&csd_slots[smp_processor_id()][cpu]);
	}
	preempt_enable();
	return 0;
}

void smp_call_function_many(const cpumask_t *mask, smp_call_func_t func, void *info, bool wait)
{
	unsigned int self, cpu;
	cpumask_t targets;

	preempt_disable();
	self = smp_processor_id();
	cpumask_and(&targets, mask, cpu_online_mask);
	cpumask_clear_cpu(self, &targets);
	for_each_cpu(cpu, &targets)
		csd_queue(cpu, func, info);
	send_ipi_mask(&targets, IPI_CALL_FUNC);
	if (wait)
		for_each_cpu(cpu, &targets)
			csd_wait(&csd_slots[self][cpu]);
	preempt_enable();
}
