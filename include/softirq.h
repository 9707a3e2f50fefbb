/*
 * Deferred actions ("softirqs", after Linux): work an interrupt handler
 * asks for, run just after it, on the same CPU, with IRQs unmasked, before
 * the interrupted task continues (kernel/softirq.c, run from irq_handle).
 * Used by the scheduler's balance trigger (SCHED_SOFTIRQ).
 */
#ifndef RONDO_SOFTIRQ_H
#define RONDO_SOFTIRQ_H

#include "types.h"

enum {
	SCHED_SOFTIRQ,		/* load balancing: periodic and on behalf of idle CPUs */
	NR_SOFTIRQS,
};

/* Boot, before any CPU can raise nr. */
void open_softirq(unsigned int nr, void (*action)(void));
/* Mark nr pending on this CPU; IRQs masked (from an interrupt handler). */
void raise_softirq_irqoff(unsigned int nr);
/* Pending actions of this CPU (IRQs masked, or racy by nature). */
bool local_softirq_pending(void);
/* True while this CPU is running deferred actions. */
bool in_serving_softirq(void);
/* From irq_handle, outermost level, IRQs masked: run what is pending with
 * IRQs unmasked; returns with them masked again. */
void do_softirq(void);
/* Times each action ran on cpu, and restarts cut short (statistics). */
u64 softirq_runs(unsigned int cpu, unsigned int nr);

#endif
