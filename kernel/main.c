/*
 * start_kernel: the boot CPU's path from "relocated, .bss clear, MMU off"
 * to the shell.  The order matters: the console first (so every later step
 * can explain a failure), then everything the MMU must map, then the MMU,
 * and only then spinlocks, interrupts and other CPUs.
 */
#include "kernel.h"
#include "console.h"
#include "cpu_ops.h"
#include "fdt.h"
#include "irq.h"
#include "ktest.h"
#include "kthread.h"
#include "mmu.h"
#include "page_alloc.h"
#include "params.h"
#include "psci.h"
#include "sched.h"
#include "shell.h"
#include "smp.h"
#include "cpuhp.h"
#include "stop_machine.h"
#include "timer.h"
#include "topology.h"
#include "sched/hotplug.h"
#include "asm/irqflags.h"
#include "asm/sysreg.h"

#define DTB_MAX_SIZE (2u << 20)

struct fdt boot_fdt;
u64 boot_dtb_pa;
extern char _head[], _end[];

void smp_setup_cpus(const struct fdt *f);
int ktest_thread(void *arg);

static void read_memory(const struct fdt *f)
{
	int root = fdt_root(f);

	for (int node = fdt_first_child(f, root); node >= 0; node = fdt_next_sibling(f, node)) {
		const char *type = fdt_prop_string(f, node, "device_type");
		u64 base, size;

		if (!type || strcmp(type, "memory") || !fdt_node_enabled(f, node))
			continue;
		for (int i = 0; fdt_reg_cpu(f, node, i, &base, &size) == 0; i++) {
			if (!size)
				continue;
			if (nr_mem_regions == MAX_MEM_REGIONS) {
				printk("mem: more than %d memory ranges; ignoring the rest\n", MAX_MEM_REGIONS);
				return;
			}
			mem_regions[nr_mem_regions].base = base;
			mem_regions[nr_mem_regions].size = size;
			nr_mem_regions++;
			printk("mem: 0x%010lx-0x%010lx (%lu MiB)\n", base, base + size - 1, size >> 20);
		}
	}
}

static void map_devices(const struct fdt *f)
{
	u64 base, size;

	console_region(&base, &size);
	mmu_map(base, size, MAP_DEVICE);
	for (int i = 0; i < irqchip->nr_regions; i++)
		mmu_map(irqchip->regions[i].base, irqchip->regions[i].size, MAP_DEVICE);
	if (!addr_is_ram(boot_dtb_pa, f->totalsize))
		mmu_map(boot_dtb_pa, f->totalsize, MAP_RODATA);
}

static int current_el(void)
{
	return (int)((read_sysreg(CurrentEL) >> 2) & 3);
}

/* No console means no way to say anything: wait for a debugger. */
static void __noreturn halt_silently(void)
{
	for (;;)
		wfe();
}

void start_kernel(u64 dtb_pa, u64 entry_el)
{
	struct fdt *f = &boot_fdt;
	int err, chosen;
	const char *bootargs;

	write_sysreg(tpidr_el1, &cpu_data[0]);
	init_cpu_task(0);
	cpu_data[0].cpu = 0;
	cpu_data[0].mpidr = read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
	boot_dtb_pa = dtb_pa;

	if (!dtb_pa || (dtb_pa & 7) || fdt_init(f, (void *)dtb_pa, DTB_MAX_SIZE))
		halt_silently();
	if (console_init(f))
		halt_silently();
	printk("Rondo booting on CPU0 (MPIDR 0x%lx), entered at EL%lu, running at EL%d\n",
	       cpu_data[0].mpidr, entry_el, current_el());
	printk("image at 0x%lx-0x%lx, device tree at 0x%lx (%u bytes)\n",
	       (u64)_head, (u64)_end, dtb_pa, f->totalsize);
	err = fdt_check_full(f);
	if (err)
		panic("the device tree at 0x%lx is corrupt: %s", dtb_pa, fdt_strerror(err));

	chosen = fdt_path_offset(f, "/chosen");
	bootargs = chosen >= 0 ? fdt_prop_string(f, chosen, "bootargs") : NULL;
	printk("command line: %s\n", bootargs ? bootargs : "");
	parse_bootargs(bootargs);

	read_memory(f);
	if (!nr_mem_regions)
		panic("no usable /memory node in the device tree");
	if (irqchip_probe(f))
		panic("no supported interrupt controller (GICv2/GIC-400/GICv3) in the device tree");
	psci_dt_init(f);
	smp_setup_cpus(f);
	init_cpu_topology(f);

	mmu_init();
	map_devices(f);
	mmu_enable_boot_cpu();
	system_state = SYSTEM_MMU_ON;
	page_alloc_init();
	sched_init();		/* this flow becomes CPU 0's idle task */

	irq_init();
	if (timer_dt_init(f))
		panic("cannot set up the timer tick");
	timer_cpu_init();
	console_irq_init();
	set_cpu_online(0, true);
	/* Work may be sent to a CPU's stopper as soon as it is active. */
	cpu_stop_init();
	set_cpu_active(0, true);
	local_irq_enable();
	printk("irq: %s, timer %lu Hz counter, tick %u Hz\n", irqchip->name, timer_freq, tick_hz);

	cpuhp_boot_cpu_online();
	system_state = SYSTEM_SMP;
	smp_init();
	/* Every CPU that came up is active: the first domains.  From here
	 * on every change of cpu_active_mask rebuilds them (hotplug.c). */
	if (sched_init_domains())
		printk("sched: no sched domains; nothing will be balanced\n");

	/* The first real task: the test run asked for on the command line,
	 * or the shell. */
	if (boot_params.ktest && boot_params.run)
		printk("bootargs: ktest= runs the tests instead of the shell; rondo.run is ignored\n");
	if (!(boot_params.ktest ? kthread_run(ktest_thread, (void *)boot_params.ktest, "ktest")
	      : boot_params.run ? kthread_run(shell_script_thread, (void *)boot_params.run, "shell")
				: kthread_run(shell_thread, NULL, "shell")))
		panic("cannot start the first task");
	cpu_idle();
}
