/* Shell commands that show and steer the machine: cpus, irqs, poweroff... */
#include "shell.h"
#include "cpu_ops.h"
#include "irq.h"
#include "kernel.h"
#include "params.h"
#include "smp.h"
#include "timer.h"
#include "../sched/rq.h"

extern u64 cpu_bringup_cycles[NR_CPUS];

void machine_poweroff(void);
void machine_reboot(void);

static void print_mask(const char *name, const cpumask_t *m)
{
	char buf[256];

	cpumask_print_list(buf, sizeof(buf), m);
	kprintf("%s: %s\n", name, buf);
}

static const char *cpu_state(unsigned int cpu)
{
	if (cpu_active(cpu))
		return "active";
	if (cpu_online(cpu))
		return "online";
	if (cpu_present(cpu))
		return "offline";
	return "absent";
}

static int cmd_cpus(int argc, char **argv)
{
	unsigned int cpu;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "-v"))) {
		kprintf("usage: cpus [-v]\n");
		return -EINVAL;
	}
	print_mask("possible", cpu_possible_mask);
	print_mask("present", cpu_present_mask);
	print_mask("online", cpu_online_mask);
	print_mask("active", cpu_active_mask);
	if (argc == 1)
		return 0;
	kprintf("%-4s %-12s %-11s %-8s %10s %10s %12s\n", "cpu", "mpidr", "method", "state",
		"ticks", "irqs", "bringup_us");
	for_each_possible_cpu(cpu) {
		kprintf("%-4u 0x%-10lx %-11s %-8s %10lu %10lu %12lu\n", cpu, cpu_logical_map[cpu],
			cpu_ops[cpu] ? cpu_ops[cpu]->name : "-", cpu_state(cpu), cpu_data[cpu].ticks,
			cpu_data[cpu].irqs, cycles_to_ns(cpu_bringup_cycles[cpu]) / 1000);
	}
	return 0;
}
SHELL_CMD(cpus, cmd_cpus, "[-v]", "the possible/present/online/active masks; -v per CPU");

static int cmd_irqs(int argc, char **argv)
{
	unsigned int cpu;

	(void)argv;
	if (argc != 1) {
		kprintf("usage: irqs\n");
		return -EINVAL;
	}
	/* idle_ticks: the ticks counted in 'ticks' that found the CPU idle
	 * (few with tickless idle, tick_hz a second each with nohz=off). */
	kprintf("%-4s %10s %10s %10s %10s %10s %10s %10s %10s\n", "cpu", "irqs", "ticks",
		"ipi_resched", "ipi_call", "ipi_stop", "ipi_ping", "ipi_nohz", "idle_ticks");
	for_each_online_cpu(cpu) {
		struct cpu_data *cd = &cpu_data[cpu];

		kprintf("%-4u %10lu %10lu %10lu %10lu %10lu %10lu %10lu %10lu\n", cpu, cd->irqs,
			cd->ticks, cd->ipis[IPI_RESCHEDULE], cd->ipis[IPI_CALL_FUNC], cd->ipis[IPI_STOP],
			cd->ipis[IPI_PING], cd->ipis[IPI_NOHZ_KICK], READ_ONCE(cpu_rq(cpu)->idle_ticks));
	}
	return 0;
}
SHELL_CMD(irqs, cmd_irqs, "", "interrupts, ticks and IPIs taken per CPU");

static int cmd_bootargs(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	kprintf("%s\n", boot_params.cmdline);
	kprintf("maxcpus=%u hz=%u ktest=%s nohz=%s\n", boot_params.maxcpus, boot_params.hz,
		boot_params.ktest ? boot_params.ktest : "(none)", boot_params.nohz ? "on" : "off");
	return 0;
}
SHELL_CMD(bootargs, cmd_bootargs, "", "the kernel command line and what it set");

static int cmd_poweroff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	machine_poweroff();
	return 0;
}
SHELL_CMD(poweroff, cmd_poweroff, "", "stop all CPUs and power off (PSCI SYSTEM_OFF)");

static int cmd_reboot(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	machine_reboot();
	return 0;
}
SHELL_CMD(reboot, cmd_reboot, "", "reset the machine (PSCI SYSTEM_RESET)");
