/*
 * panic(): stop every other CPU, say why, show how we got here, halt.
 * The last line is a fixed marker the runner scripts look for.
 */
#include "kernel.h"
#include "smp.h"
#include "asm/atomic.h"
#include "asm/irqflags.h"
#include "asm/stack.h"
#include "asm/sysreg.h"

enum system_state system_state = SYSTEM_EARLY;
extern char _head[], _etext[];

static atomic_t panicking = { -1 };

static bool text_addr(u64 a)
{
	return a >= (u64)_head && a < (u64)_etext;
}

/*
 * Walk the frame records (x29 -> {previous x29, return address}).  Every
 * record must lie in the same stack as the first one and move upwards, so
 * a corrupt chain ends the walk instead of faulting.
 */
void dump_backtrace(u64 fp, u64 pc)
{
	u64 lo = stack_base_of(fp), hi = stack_top_of(fp);

	printk("Call trace (addr2line -e build/rondo.elf <image offset>):\n");
	if (text_addr(pc))
		printk("  image+0x%lx\n", pc - (u64)_head);
	for (int depth = 0; depth < 32; depth++) {
		u64 next, lr;

		if (fp < lo || fp + 16 > hi || (fp & 15))
			break;
		next = ((u64 *)fp)[0];
		lr = ((u64 *)fp)[1];
		if (!text_addr(lr))
			break;
		printk("  image+0x%lx\n", lr - 4 - (u64)_head);
		if (next <= fp)
			break;
		fp = next;
	}
}

void panic(const char *fmt, ...)
{
	unsigned int cpu = smp_processor_id();
	char msg[200];
	va_list ap;

	local_irq_disable();
	/* No exclusives with the MMU off (atomic.h): with it off on this CPU
	 * we are in early boot, and only one CPU runs anyway. */
	if (!mmu_on_this_cpu()) {
		if (panicking.counter != -1)
			cpu_halt();
		panicking.counter = (int)cpu;
	} else if (atomic_cmpxchg(&panicking, -1, (int)cpu) != -1) {
		/* Someone else is already panicking (or we recursed): stop. */
		cpu_halt();
	}
	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (system_state >= SYSTEM_SMP)
		smp_stop_others();
	if (mmu_on_this_cpu())
		system_state = SYSTEM_HALTING;
	printk("Kernel panic - not syncing: %s\n", msg);
	dump_backtrace((u64)__builtin_frame_address(0), 0);
	printk("---[ end Kernel panic ]---\n");
	cpu_halt();
}
