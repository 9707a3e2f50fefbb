/*
 * Bringing the secondary CPUs up, and calling functions on other CPUs.
 *
 * Logical ids are dense: the boot CPU is 0 whatever its MPIDR, the others
 * follow in device-tree order.  A CPU is possible if the DT lists it,
 * present once its boot method is usable, online once it runs and takes
 * interrupts, active once the scheduler may send it work.
 */
#include "smp.h"
#include "cpu_ops.h"
#include "irq.h"
#include "kernel.h"
#include "params.h"
#include "sched.h"
#include "stop_machine.h"
#include "timer.h"
#include "cpuhp.h"
#include "asm/atomic.h"
#include "asm/irqflags.h"
#include "asm/sysreg.h"

struct cpu_data cpu_data[NR_CPUS];
u64 cpu_logical_map[NR_CPUS] = { [0 ... NR_CPUS - 1] = INVALID_HWID };
static int cpu_dt_node[NR_CPUS];

/* Bring-up timing, in counter cycles, for `cpus -v` and the benchmarks. */
u64 cpu_bringup_cycles[NR_CPUS];
u64 boot_all_active_cycles;

extern struct { u64 ttbr0, tcr, mair, sctlr; } mmu_boot_regs;
void dcache_clean_inval_range(u64 start, u64 end);

int get_logical_index(u64 mpidr)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_logical_map[cpu] == (mpidr & MPIDR_HWID_MASK))
			return cpu;
	return -ENOENT;
}

static int read_cpu_reg(const struct fdt *f, int cpus, int node, u64 *mpidr)
{
	int ac = fdt_address_cells(f, cpus);
	const void *reg;
	int len;

	reg = fdt_getprop(f, node, "reg", &len);
	if (ac < 1 || ac > 2 || !reg || len < ac * 4)
		return -EINVAL;
	*mpidr = fdt_read_cells(reg, ac);
	if (*mpidr & ~MPIDR_HWID_MASK)
		return -EINVAL;
	return 0;
}

static bool is_cpu_node(const struct fdt *f, int node)
{
	const char *type = fdt_prop_string(f, node, "device_type");

	return type && !strcmp(type, "cpu");
}

/*
 * Fill possible, cpu_logical_map and (through cpu_ops) present.  Runs on
 * the boot CPU with the MMU off: the masks are built here with plain bit
 * operations and published with init_cpu_possible/present, since the
 * set_cpu_*() helpers use exclusives (see asm/atomic.h).
 */
void smp_setup_cpus(const struct fdt *f)
{
	u64 boot_mpidr = read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
	int cpus = fdt_path_offset(f, "/cpus");
	unsigned int next = 1;
	bool boot_seen = false;
	cpumask_t possible, present;

	cpu_logical_map[0] = boot_mpidr;
	cpu_dt_node[0] = -1;
	cpumask_clear(&possible);
	cpumask_set_cpu(0, &possible);		/* plain, not atomic (cpumask.h) */
	cpumask_copy(&present, &possible);
	if (cpus < 0) {
		printk("smp: no /cpus node in the device tree; running on the boot CPU only\n");
		goto publish;
	}
	for (int node = fdt_first_child(f, cpus); node >= 0; node = fdt_next_sibling(f, node)) {
		u64 mpidr;

		if (!is_cpu_node(f, node))
			continue;
		if (read_cpu_reg(f, cpus, node, &mpidr)) {
			printk("smp: %s: bad or missing reg; skipping it\n", fdt_node_name(f, node));
			continue;
		}
		/* A second node with an MPIDR already seen, the boot CPU's
		 * included: the first node wins, the others are reported. */
		if (get_logical_index(mpidr) >= 0 && (mpidr != boot_mpidr || boot_seen)) {
			printk("smp: %s: duplicate MPIDR 0x%lx; skipping it\n", fdt_node_name(f, node), mpidr);
			continue;
		}
		if (mpidr == boot_mpidr) {
			boot_seen = true;
			cpu_dt_node[0] = node;
			continue;
		}
		if (next >= NR_CPUS) {
			printk("smp: more CPUs in the device tree than NR_CPUS=%d; ignoring %s\n",
			       NR_CPUS, fdt_node_name(f, node));
			continue;
		}
		if (!fdt_node_enabled(f, node)) {
			printk("smp: %s is disabled in the device tree\n", fdt_node_name(f, node));
			continue;
		}
		cpu_logical_map[next] = mpidr;
		cpu_dt_node[next] = node;
		cpumask_set_cpu(next, &possible);
		next++;
	}
	if (!boot_seen)
		printk("smp: boot CPU (MPIDR 0x%lx) is not in the device tree\n", boot_mpidr);
	for (unsigned int cpu = 1; cpu < next; cpu++)
		if (init_cpu_ops(cpu, f, cpu_dt_node[cpu]) == 0)
			cpumask_set_cpu(cpu, &present);
	/* The boot CPU needs a method only to be restarted after hotplug. */
	if (cpu_dt_node[0] >= 0 && fdt_getprop(f, cpu_dt_node[0], "enable-method", NULL))
		init_cpu_ops(0, f, cpu_dt_node[0]);
publish:
	init_cpu_possible(&possible);
	init_cpu_present(&present);
}

/* Start 'cpu' at secondary_entry; cpuhp's bringup_cpu waits for it. */
int boot_secondary(unsigned int cpu)
{
	cpu_data[cpu].park_on_arrival = false;
	/* The new CPU reads these with its MMU and caches off. */
	dcache_clean_inval_range((u64)cpu_logical_map, (u64)(cpu_logical_map + NR_CPUS));
	dcache_clean_inval_range((u64)&mmu_boot_regs, (u64)(&mmu_boot_regs + 1));
	dcache_clean_inval_range((u64)&cpu_data[cpu], (u64)(&cpu_data[cpu] + 1));
	return cpu_ops[cpu]->cpu_boot(cpu) ? -EIO : 0;
}

void smp_init(void)
{
	cpuhp_bringup_secondaries();
}

/* C entry of a secondary CPU, on its own stack with the MMU on: at boot,
 * and again every time CPU hotplug brings it back. */
void secondary_start_kernel(unsigned int cpu)
{
	struct cpu_data *cd = &cpu_data[cpu];

	write_sysreg(tpidr_el1, cd);
	init_cpu_task(cpu);
	cd->cpu = cpu;
	cd->mpidr = read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
	cd->arrivals++;
	/* Our count, then the BP's flag; it writes the flag, then reads our
	 * count (bringup_cpu): it never gives up on us once we are in. */
	smp_mb();
	if (READ_ONCE(cd->park_on_arrival)) {
		/* The boot CPU gave up on us: do not appear half-way.  Leave
		 * the way cpu_ops says, so that we can be started again. */
		local_irq_disable();
		cpu_ops[cpu]->cpu_die(cpu);
	}
	sched_init_secondary(cpu);	/* this flow becomes the idle task */
	if (cpuhp_ap_startup(cpu))
		cpuhp_idle_dead();	/* it undid its states; leave again */
	local_irq_enable();
	cpu_idle();
}

void cpu_halt(void)
{
	unsigned int cpu = smp_processor_id();

	local_irq_disable();
	/* The masks are changed with exclusives: not with the MMU off. */
	if (mmu_on_this_cpu()) {
		set_cpu_active(cpu, false);
		set_cpu_online(cpu, false);
	}
	for (;;)
		wfi();
}

void smp_stop_others(void)
{
	cpumask_t others;
	u64 deadline = read_cntvct() + timer_freq / 10;

	cpumask_copy(&others, cpu_online_mask);
	cpumask_clear_cpu(smp_processor_id(), &others);
	send_ipi_mask(&others, IPI_STOP);
	while (read_cntvct() < deadline) {
		cpumask_t still;

		if (!cpumask_and(&still, cpu_online_mask, &others))
			return;
		cpu_relax();
	}
}
