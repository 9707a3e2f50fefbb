/*
 * Interrupt dispatch: pick the GIC driver the device tree asks for, keep a
 * handler per INTID, and run the acknowledge / handle / end-of-interrupt
 * loop for every IRQ exception.  IPI n travels as SGI n (include/irq.h).
 */
#include "irq.h"
#include "cpuhp.h"
#include "kernel.h"
#include "sched.h"
#include "smp.h"
#include "trace.h"
#include "softirq.h"
#include "asm/percpu.h"
#include "asm/ptregs.h"

extern struct irqchip gic_v2_chip, gic_v3_chip;

struct irqchip *irqchip;

/* Whoever measures with IPI_PING (the bench command) says what a ping
 * does; without a hook it is only counted. */
static void (*ipi_ping_hook)(void);

void set_ipi_ping_hook(void (*fn)(void))
{
	WRITE_ONCE(ipi_ping_hook, fn);
}

static struct {
	irq_handler_t fn;
	void *arg;
	u8 target;		/* SPIs: the logical CPU they are routed to */
} handlers[NR_IRQS];

static const struct {
	const char *compatible;
	struct irqchip *chip;
} gic_matches[] = {
	{ "arm,gic-400", &gic_v2_chip },
	{ "arm,cortex-a15-gic", &gic_v2_chip },
	{ "arm,cortex-a9-gic", &gic_v2_chip },
	{ "arm,gic-v3", &gic_v3_chip },
};

int irqchip_probe(const struct fdt *f)
{
	for (size_t i = 0; i < ARRAY_SIZE(gic_matches); i++) {
		int node = fdt_next_compatible(f, -1, gic_matches[i].compatible);

		if (node < 0)
			continue;
		int err = gic_matches[i].chip->probe(f, node);

		if (err)
			return err;
		irqchip = gic_matches[i].chip;
		return 0;
	}
	return -ENODEV;
}

/* GIC binding: <type number flags>; type 0 = SPI (INTID 32 + n), 1 = PPI
 * (INTID 16 + n); flags bits 0-3 are the trigger (1/2 = edge). */
int dt_irq_to_intid(const u32 *cells_be, bool *edge)
{
	u32 type = fdt_be32(&cells_be[0]);
	u32 num = fdt_be32(&cells_be[1]);
	u32 flags = fdt_be32(&cells_be[2]);

	if (edge)
		*edge = (flags & 0xf) == 1 || (flags & 0xf) == 2;
	if (type == 0 && num < 988)
		return (int)(32 + num);
	if (type == 1 && num < 16)
		return (int)(16 + num);
	return -EINVAL;
}

int request_irq(unsigned int intid, irq_handler_t fn, void *arg, bool edge)
{
	if (intid >= NR_IRQS || !irqchip)
		return -EINVAL;
	handlers[intid].arg = arg;
	handlers[intid].fn = fn;
	if (intid >= 32) {
		/* Route it here explicitly: the CPU it was routed to at boot
		 * may have been taken offline since. */
		irqchip->set_affinity(intid, smp_processor_id());
		handlers[intid].target = (u8)smp_processor_id();
	}
	irqchip->enable(intid, edge);
	return 0;
}

unsigned int irq_target_cpu(unsigned int intid)
{
	return intid < NR_IRQS ? READ_ONCE(handlers[intid].target) : 0;
}

/*
 * Runs under stop_machine on the CPU going down, IRQs masked everywhere,
 * after it has left cpu_online_mask: nobody requests or moves an IRQ
 * meanwhile, so the table needs no lock.  An SPI that fires while it is
 * being moved stays pending in the distributor and is delivered to its
 * new target (the GIC keeps the pending state across a retarget).
 */
void irq_migrate_all_off_this_cpu(void)
{
	unsigned int self = smp_processor_id(), to = cpumask_first(cpu_online_mask);

	if (to >= NR_CPUS || to == self)
		return;		/* the last CPU: nowhere to go (never offlined) */
	for (unsigned int intid = 32; intid < NR_IRQS; intid++) {
		if (!handlers[intid].fn || handlers[intid].target != self)
			continue;
		irqchip->set_affinity(intid, to);
		handlers[intid].target = (u8)to;
		printk("irq: INTID %u moved from CPU%u to CPU%u\n", intid, self, to);
	}
}

void irq_cpu_disable(void)
{
	irqchip->cpu_disable();
}

void irq_enable_local(unsigned int intid)
{
	irqchip->enable(intid, false);
}

static void enable_ipis(void)
{
	/* SGIs are enabled per CPU on GICv3 (fixed on for GICv2). */
	for (unsigned int i = 0; i < NR_IPIS; i++)
		irqchip->enable(i, true);
}

void irq_init(void)
{
	irqchip->init();
	irqchip->cpu_init();
	/* The boot CPU too: without this, no IPI ever reached CPU 0 on
	 * GICv3 (cpu_init leaves every SGI disabled). */
	enable_ipis();
}

void irq_cpu_init(void)
{
	irqchip->cpu_init();
	enable_ipis();
}

static void handle_ipi(unsigned int ipi)
{
	/* One check of the flag for both events: the IRQ path stays cheap. */
	bool traced = READ_ONCE(tracing_on);

	this_cpu()->ipis[ipi]++;
	if (traced)
		__trace_ipi_handler(true, ipi);
	switch (ipi) {
	case IPI_CALL_FUNC:
		generic_smp_call_function_interrupt();
		break;
	case IPI_STOP:
		cpu_halt();
	case IPI_PING: {
		void (*hook)(void) = READ_ONCE(ipi_ping_hook);

		if (hook)
			hook();
		break;
	}
	case IPI_NOHZ_KICK:
		nohz_kick_ipi();
		break;
	case IPI_RESCHEDULE:
	default:
		break;
	}
	if (traced)
		__trace_ipi_handler(false, ipi);
}

void irq_handle(struct pt_regs *regs)
{
	struct cpu_data *cd = this_cpu();

	cd->irq_nesting++;
	for (;;) {
		unsigned int intid;
		u32 raw = irqchip->ack(&intid);

		if (intid >= SPURIOUS_INTID)
			break;
		cd->irqs++;
		if (intid < 16) {
			/* EOI first: an IPI_STOP handler does not come back. */
			irqchip->eoi(raw);
			/* What the sender stored before its IPI is read after
			 * the acknowledge: pairs with the DSB in send_sgi. */
			smp_rmb();
			handle_ipi(intid);
			continue;
		}
		if (intid < NR_IRQS && handlers[intid].fn)
			handlers[intid].fn(intid, handlers[intid].arg);
		else
			printk("irq: unexpected INTID %u\n", intid);
		irqchip->eoi(raw);
	}
	/* Deferred actions raised by the handlers run now, with IRQs on,
	 * still counted as interrupt context (kernel/softirq.c). */
	if (cd->irq_nesting == 1)
		do_softirq();
	cd->irq_nesting--;
	/* Back to task context: a reschedule asked for by the tick or an
	 * IPI happens now (preemption), on the interrupted task's stack. */
	if (!cd->irq_nesting)
		preempt_schedule_irq();
}

void send_ipi(unsigned int cpu, enum ipi_type ipi)
{
	if (READ_ONCE(tracing_on)) {
		cpumask_t one;

		cpumask_clear(&one);
		cpumask_set_cpu(cpu, &one);
		__trace_ipi_raise(&one, ipi);
	}
	cpuhp_wait_hint();	/* the target's turn comes sooner under -icount */
	irqchip->send_sgi(ipi, cpu);
}

void send_ipi_mask(const cpumask_t *mask, enum ipi_type ipi)
{
	unsigned int cpu;

	trace_ipi_raise(mask, ipi);
	cpuhp_wait_hint();
	for_each_cpu(cpu, mask)
		irqchip->send_sgi(ipi, cpu);
}
