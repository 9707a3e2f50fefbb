/*
 * The scheduler trace: printing, in the text format of Linux's
 * /sys/kernel/tracing/trace, so that tools made for Linux traces (Perfetto,
 * scripts/trace2json, grep habits) read ours.  Event names and fields
 * follow Linux's where the concept is the same; docs/trace.md lists them.
 */
#include "trace_entry.h"
#include "irq.h"
#include "kernel.h"
#include "timer.h"

extern char _head[];

/* arm64 Linux's names for the same IPIs, so traces compare line by line. */
static const char *const ipi_names[NR_IPIS] = {
	[IPI_RESCHEDULE] = "Rescheduling interrupts",
	[IPI_CALL_FUNC] = "Function call interrupts",
	[IPI_STOP] = "CPU stop interrupts",
	[IPI_PING] = "Ping interrupts",
	/* Ours: Linux kicks the idle load balancer with a function call
	 * (kick_ilb), so its trace says "Function call interrupts" there. */
	[IPI_NOHZ_KICK] = "NOHZ kick interrupts",
};

static const char *ipi_name(unsigned int ipi)
{
	return ipi < NR_IPIS && ipi_names[ipi] ? ipi_names[ipi] : "Unknown interrupts";
}

void trace_print_header(u64 entries, u64 written, unsigned int nr_cpus)
{
	kprintf("# tracer: nop\n#\n");
	kprintf("# entries-in-buffer/entries-written: %lu/%lu   #P:%u\n#\n", entries, written,
		nr_cpus);
	kprintf("#                                _-----=> irqs-off/BH-disabled\n");
	kprintf("#                               / _----=> need-resched\n");
	kprintf("#                              | / _---=> hardirq/softirq\n");
	kprintf("#                              || / _--=> preempt-depth\n");
	kprintf("#                              ||| / _-=> migrate-disable\n");
	kprintf("#                              |||| /     delay\n");
	kprintf("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n");
	kprintf("#              | |         |   |||||     |         |\n");
}

/* "comm-pid [cpu] flags secs.usecs: "; Linux shows pid 0 as <idle>. */
static void print_context(unsigned int cpu, const struct trace_entry *e)
{
	u64 ns = cycles_to_ns(e->ts);
	char fl[6];

	fl[0] = e->flags & TF_IRQS_OFF ? 'd' : '.';
	fl[1] = e->flags & TF_NEED_RESCHED ? 'N' : '.';
	fl[2] = e->flags & TF_HARDIRQ ? 'h' : '.';
	fl[3] = e->preempt_count ? "0123456789abcdef"[e->preempt_count & 15] : '.';
	fl[4] = '.';		/* we have no migrate_disable() */
	fl[5] = '\0';
	kprintf("%16s-%-7d [%03u] %s %5lu.%06lu: ", e->pid ? e->comm : "<idle>", e->pid, cpu, fl,
		ns / 1000000000, ns % 1000000000 / 1000);
}

/* A cpumask as Linux's %*pb prints it: 32-bit hex groups, high first. */
static void print_mask(const cpumask_t *m)
{
	for (int g = (NR_CPUS + 31) / 32 - 1; g >= 0; g--) {
		unsigned long word = m->bits[g * 32 / BITS_PER_LONG];
		unsigned int shift = (unsigned int)(g * 32) % BITS_PER_LONG;

		kprintf("%08lx%s", (word >> shift) & 0xffffffffUL, g ? "," : "");
	}
}

static void print_task(const char *prefix, const struct trace_task *t)
{
	kprintf("%scomm=%s %spid=%d %sprio=%d", prefix, t->comm, prefix, t->pid, prefix, t->prio);
}

void trace_print_entry(unsigned int cpu, const struct trace_entry *e)
{
	print_context(cpu, e);
	switch (e->type) {
	case EV_SWITCH:
		kprintf("sched_switch: prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s ==> ",
			e->comm, e->pid, e->sw.prev_prio, e->sw.prev_state);
		print_task("next_", &e->sw.next);
		break;
	case EV_WAKEUP:
	case EV_WAKEUP_NEW:
		kprintf("%s: ", e->type == EV_WAKEUP ? "sched_wakeup" : "sched_wakeup_new");
		print_task("", &e->wake.t);
		kprintf(" target_cpu=%03u", e->wake.cpu);
		break;
	case EV_MIGRATE:
		kprintf("sched_migrate_task: ");
		print_task("", &e->mig.t);
		kprintf(" orig_cpu=%u dest_cpu=%u reason=%s", e->mig.from, e->mig.to, e->mig.reason);
		break;
	case EV_STOP:
		kprintf("cpu_stop: fn=image+0x%lx", (u64)e->stop_fn - (u64)_head);
		break;
	case EV_CPUHP_ENTER:
		kprintf("cpuhp_enter: cpu: %04u target: %3d step: %3d (%s)", e->hp.cpu,
			e->hp.target_or_state, e->hp.idx, e->hp.name ? e->hp.name : "?");
		break;
	case EV_CPUHP_EXIT:
		kprintf("cpuhp_exit:  cpu: %04u  state: %3d step: %3d ret: %d", e->hp.cpu,
			e->hp.target_or_state, e->hp.idx, e->hp.ret);
		break;
	case EV_IPI_RAISE:
		kprintf("ipi_raise: target_mask=");
		print_mask(&e->ipi.mask);
		kprintf(" (%s)", ipi_name(e->ipi.ipi));
		break;
	case EV_IPI_ENTRY:
	case EV_IPI_EXIT:
		kprintf("%s: (%s)", e->type == EV_IPI_ENTRY ? "ipi_entry" : "ipi_exit",
			ipi_name(e->ipi.ipi));
		break;
	case EV_BALANCE:
		kprintf("sched_balance: cpu=%u domain=%s level=%d idle=%s busiest=%d imbalance=%ld "
			"moved=%u", e->bal.cpu, e->bal.domain ? e->bal.domain : "?", e->bal.level,
			e->bal.idle ? e->bal.idle : "?", e->bal.busiest, e->bal.imbalance,
			e->bal.moved);
		break;
	case EV_KICK_ILB:
		kprintf("sched_kick_ilb: ilb_cpu=%u flags=%s", e->ilb.cpu,
			e->ilb.flags ? e->ilb.flags : "BALANCE");
		break;
	default:
		kprintf("unknown: type=%u", e->type);
		break;
	}
	kprintf("\n");
}
