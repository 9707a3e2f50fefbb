/*
 * Boot methods, per CPU, from the DT's enable-method: "psci" asks the
 * firmware (CPU_ON); "spin-table" writes our entry point to the CPU's
 * cpu-release-addr, where the firmware's holding loop is polling for it.
 */
#include "cpu_ops.h"
#include "kernel.h"
#include "mmu.h"
#include "psci.h"
#include "smp.h"
#include "asm/sysreg.h"

void secondary_entry(void);
void dcache_clean_inval_range(u64 start, u64 end);
void dcache_inval_range(u64 start, u64 end);
void __noreturn __cpu_park(volatile u64 *release, volatile u64 *parked);

#define CPU_KILL_TIMEOUT_US 100000

const struct cpu_operations *cpu_ops[NR_CPUS];
static u64 release_addr[NR_CPUS];

/* Set by a CPU in the holding loop, with its caches off (cpu_park.S).  One
 * cache line each, so invalidating one never discards another's flag. */
static struct { volatile u64 parked; u64 pad[7]; } park_flags[NR_CPUS] __aligned(64);

static void push_to_memory(volatile void *p)
{
	dcache_clean_inval_range((u64)p, (u64)p + 8);
}

/* Poll until ok(cpu) or the timeout; 0 or -ETIMEDOUT. */
static int wait_until(bool (*ok)(unsigned int), unsigned int cpu)
{
	u64 end = read_cntvct() + read_cntfrq() / 1000000 * CPU_KILL_TIMEOUT_US;

	while (!ok(cpu))
		if (read_cntvct() > end)
			return -ETIMEDOUT;
	return 0;
}

static int psci_op_init(unsigned int cpu, const struct fdt *f, int node)
{
	(void)cpu;
	(void)f;
	(void)node;
	if (!psci_available()) {
		printk("smp: CPU%u wants PSCI, but there is no usable /psci node\n", cpu);
		return -ENODEV;
	}
	return 0;
}

static int psci_op_boot(unsigned int cpu)
{
	int err = psci_cpu_on(cpu_logical_map[cpu], (u64)secondary_entry, cpu);

	if (err) {
		printk("smp: PSCI CPU_ON for CPU%u (MPIDR 0x%lx) failed: %s (%d)\n",
		       cpu, cpu_logical_map[cpu], psci_strerror(err), err);
		return -EIO;
	}
	return 0;
}

static void __noreturn psci_op_die(unsigned int cpu)
{
	int err = psci_cpu_off();

	/* CPU_OFF only returns on failure. */
	panic("PSCI CPU_OFF on CPU%u failed: %s (%d)", cpu, psci_strerror(err), err);
}

static bool psci_is_off(unsigned int cpu)
{
	return psci_affinity_info(cpu_logical_map[cpu]) == 1;	/* OFF */
}

static int psci_op_kill(unsigned int cpu)
{
	return wait_until(psci_is_off, cpu);
}

static int spin_table_init(unsigned int cpu, const struct fdt *f, int node)
{
	if (fdt_prop_u64(f, node, "cpu-release-addr", &release_addr[cpu])) {
		printk("smp: CPU%u uses spin-table but has no cpu-release-addr\n", cpu);
		return -EINVAL;
	}
	if (release_addr[cpu] & 7) {
		printk("smp: CPU%u cpu-release-addr 0x%lx is not 8-byte aligned\n", cpu, release_addr[cpu]);
		return -EINVAL;
	}
	return 0;
}

static int spin_table_boot(unsigned int cpu)
{
	u64 addr = release_addr[cpu];
	volatile u64 *slot = (volatile u64 *)addr;

	if (!addr_is_ram(addr, 8)) {
		printk("smp: CPU%u cpu-release-addr 0x%lx is not in RAM\n", cpu, addr);
		return -EINVAL;
	}
	park_flags[cpu].parked = 0;
	push_to_memory(&park_flags[cpu].parked);
	*slot = (u64)secondary_entry;
	/* The waiting CPU reads with its caches off: push the write to
	 * memory, then wake it from WFE. */
	push_to_memory(slot);
	sev();
	return 0;
}

static void __noreturn spin_table_die(unsigned int cpu)
{
	volatile u64 *slot = (volatile u64 *)release_addr[cpu];

	/* The loop must find 0 until someone releases us again. */
	*slot = 0;
	push_to_memory(slot);
	__cpu_park(slot, &park_flags[cpu].parked);
}

static bool spin_table_is_parked(unsigned int cpu)
{
	/* Written around our cache: drop any stale copy before reading. */
	dcache_inval_range((u64)&park_flags[cpu], (u64)&park_flags[cpu] + 64);
	return park_flags[cpu].parked != 0;
}

static int spin_table_kill(unsigned int cpu)
{
	return wait_until(spin_table_is_parked, cpu);
}

static const struct cpu_operations psci_ops = {
	.name = "psci", .cpu_init = psci_op_init, .cpu_boot = psci_op_boot,
	.cpu_die = psci_op_die, .cpu_kill = psci_op_kill,
};
static const struct cpu_operations spin_table_ops = {
	.name = "spin-table", .cpu_init = spin_table_init, .cpu_boot = spin_table_boot,
	.cpu_die = spin_table_die, .cpu_kill = spin_table_kill,
};

int init_cpu_ops(unsigned int cpu, const struct fdt *f, int node)
{
	const char *method = fdt_prop_string(f, node, "enable-method");
	const struct cpu_operations *ops = NULL;

	if (!method) {
		int cpus = fdt_parent(f, node);

		method = cpus >= 0 ? fdt_prop_string(f, cpus, "enable-method") : NULL;
	}
	if (!method) {
		printk("smp: CPU%u has no enable-method\n", cpu);
		return -ENODEV;
	}
	if (!strcmp(method, "psci"))
		ops = &psci_ops;
	else if (!strcmp(method, "spin-table"))
		ops = &spin_table_ops;
	if (!ops) {
		printk("smp: CPU%u has unsupported enable-method \"%s\"\n", cpu, method);
		return -ENODEV;
	}
	if (ops->cpu_init(cpu, f, node))
		return -ENODEV;
	cpu_ops[cpu] = ops;
	return 0;
}
