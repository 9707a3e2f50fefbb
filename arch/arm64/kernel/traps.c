/*
 * Exception handling: decode and report what went wrong, then panic.
 * The test harness gets first look at a synchronous exception so a
 * faulting test becomes "not ok" instead of a dead system.
 */
#include "kernel.h"
#include "ktest.h"
#include "asm/atomic.h"
#include "asm/ptregs.h"
#include "asm/percpu.h"
#include "asm/stack.h"
#include "asm/sysreg.h"

void irq_handle(struct pt_regs *regs);

static const char *const ec_names[64] = {
	[0x00] = "unknown reason",
	[0x01] = "WFI/WFE trapped",
	[0x07] = "FP/SIMD access trapped",
	[0x0e] = "illegal execution state",
	[0x15] = "SVC",
	[0x16] = "HVC",
	[0x17] = "SMC",
	[0x18] = "system register access trapped",
	[0x20] = "instruction abort from a lower EL",
	[0x21] = "instruction abort",
	[0x22] = "PC alignment fault",
	[0x24] = "data abort from a lower EL",
	[0x25] = "data abort",
	[0x26] = "SP alignment fault",
	[0x2f] = "SError",
	[0x30] = "breakpoint from a lower EL",
	[0x31] = "breakpoint",
	[0x32] = "software step from a lower EL",
	[0x33] = "software step",
	[0x34] = "watchpoint from a lower EL",
	[0x35] = "watchpoint",
	[0x3c] = "BRK instruction",
};

static const char *fault_status_name(u32 fsc)
{
	switch (fsc) {
	case 0x00: case 0x01: case 0x02: case 0x03: return "address size fault";
	case 0x04: case 0x05: case 0x06: case 0x07: return "translation fault";
	case 0x09: case 0x0a: case 0x0b: return "access flag fault";
	case 0x0d: case 0x0e: case 0x0f: return "permission fault";
	case 0x10: return "synchronous external abort";
	case 0x21: return "alignment fault";
	case 0x30: return "TLB conflict abort";
	default: return "other fault";
	}
}

const char *esr_class_name(u64 esr)
{
	const char *n = ec_names[(esr >> 26) & 0x3f];

	return n ? n : "unexpected exception class";
}

/* One line saying what the ESR means, e.g. "data abort: permission fault
 * (level 3) on write". */
int esr_describe(u64 esr, char *buf, size_t size)
{
	u32 ec = (esr >> 26) & 0x3f;
	u32 iss = esr & 0x1ffffff;
	int n = scnprintf(buf, size, "%s (EC 0x%02x, ISS 0x%07x)", esr_class_name(esr), ec, iss);

	if (ec == 0x3c && (iss & 0xffff) == BRK_EXCLUSIVE_MMU_OFF)
		n += scnprintf(buf + n, size - n, ": exclusive access with the MMU off");

	if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25) {
		u32 fsc = iss & 0x3f;

		n += scnprintf(buf + n, size - n, ": %s", fault_status_name(fsc));
		if (fsc < 0x10)
			n += scnprintf(buf + n, size - n, " (level %u)", fsc & 3);
		if (ec == 0x24 || ec == 0x25)
			n += scnprintf(buf + n, size - n, " on %s", (iss & (1 << 6)) ? "write" : "read");
	}
	return n;
}

static bool esr_has_far(u64 esr)
{
	u32 ec = (esr >> 26) & 0x3f;

	return ec == 0x20 || ec == 0x21 || ec == 0x22 || ec == 0x24 || ec == 0x25 ||
	       ec == 0x34 || ec == 0x35;
}

extern char _head[];

void show_regs(const struct pt_regs *regs)
{
	u64 base = (u64)_head;

	printk("pc : 0x%016lx (image+0x%lx)\n", regs->pc, regs->pc - base);
	printk("lr : 0x%016lx (image+0x%lx)\n", regs->regs[30], regs->regs[30] - base);
	printk("sp : 0x%016lx  pstate: 0x%08lx\n", regs->sp, regs->pstate);
	for (int i = 0; i < 30; i += 3) {
		if (i + 2 < 30)
			printk("x%-2d: %016lx x%-2d: %016lx x%-2d: %016lx\n", i, regs->regs[i],
			       i + 1, regs->regs[i + 1], i + 2, regs->regs[i + 2]);
		else
			printk("x%-2d: %016lx x%-2d: %016lx\n", i, regs->regs[i], i + 1, regs->regs[i + 1]);
	}
}

static void __noreturn die(struct pt_regs *regs, const char *what)
{
	char desc[160];

	esr_describe(regs->esr, desc, sizeof(desc));
	printk("Unexpected %s on CPU%u\n", what, smp_processor_id());
	printk("ESR 0x%08lx: %s\n", regs->esr, desc);
	if (esr_has_far(regs->esr))
		printk("FAR 0x%016lx\n", regs->far);
	show_regs(regs);
	dump_backtrace(regs->regs[29], regs->pc);
	panic("Fatal exception");
}

static bool is_exclusive_check(u64 esr)
{
	return ((esr >> 26) & 0x3f) == 0x3c && (esr & 0xffff) == BRK_EXCLUSIVE_MMU_OFF;
}

/* exclusive_check() (asm/atomic.h) found SCTLR_EL1.M or .C clear.  On a
 * Cortex-A72 the LDXR/STXR loop right after it could have spun for ever. */
static void __noreturn exclusive_with_mmu_off(struct pt_regs *regs)
{
	printk("exclusive access with the MMU off at image+0x%lx on CPU%u (SCTLR_EL1 0x%lx)\n",
	       regs->pc - (u64)_head, smp_processor_id(), read_sysreg(sctlr_el1));
	dump_backtrace(regs->regs[29], regs->pc);
	panic("exclusive access with the MMU off at image+0x%lx", regs->pc - (u64)_head);
}

void el1_sync_handler(struct pt_regs *regs)
{
	/* With the MMU off there is no task (SP_EL0 is not set up yet), so
	 * the test harness cannot be asked. */
	if (mmu_on_this_cpu() && ktest_handle_exception(regs, "exception"))
		return;
	if (is_exclusive_check(regs->esr))
		exclusive_with_mmu_off(regs);
	die(regs, "synchronous exception");
}

/* The registers an interrupt handler interrupted (Linux: get_irq_regs),
 * for the test harness's watchdog.  Only meaningful inside a handler.
 * Handlers run with IRQs masked, but the deferred actions after them
 * (kernel/softirq.c) do not: an interrupt taken there nests, and its
 * regs are the action's, not the task's. */
static struct pt_regs *irq_regs[NR_CPUS];

struct pt_regs *get_irq_regs(void)
{
	return irq_regs[smp_processor_id()];
}

void el1_irq_handler(struct pt_regs *regs)
{
	struct pt_regs *outer = irq_regs[smp_processor_id()];

	irq_regs[smp_processor_id()] = regs;
	irq_handle(regs);
	/* Nested (outer set): same CPU, nothing preempts a nested
	 * interrupt.  Outermost (outer NULL): maybe on another CPU now, if
	 * we were preempted and moved; its slot is not in use either. */
	irq_regs[smp_processor_id()] = outer;
}

static const char *const kind_names[] = {
	"synchronous exception", "IRQ", "FIQ", "SError", "exception from an unused vector",
};

void bad_exception(struct pt_regs *regs, int kind)
{
	die(regs, kind_names[kind < 5 ? kind : 4]);
}

void __noreturn handle_stack_overflow(u64 sp, u64 elr, u64 esr, u64 far)
{
	char desc[160];
	u64 base = stack_base_of(sp);	/* sp is in the guard: same slot */

	esr_describe(esr, desc, sizeof(desc));
	printk("Kernel stack overflow on CPU%u: sp 0x%lx is in the guard below the stack 0x%lx-0x%lx\n",
	       smp_processor_id(), sp, base, base + STACK_SIZE);
	printk("while taking: %s at pc 0x%lx (image+0x%lx), FAR 0x%lx\n",
	       desc, elr, elr - (u64)_head, far);
	panic("kernel stack overflow");
}
