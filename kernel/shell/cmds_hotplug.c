/* Shell commands for CPU hotplug: offline, online, hotplug (docs/hotplug.md). */
#include "shell.h"
#include "cpu_ops.h"
#include "cpuhp.h"
#include "kernel.h"
#include "smp.h"

/* A CPU number from the shell, with the error printed on bad input. */
static int parse_cpu(const char *cmd, const char *arg, unsigned int *cpu)
{
	unsigned long v;

	if (kstrtoul(arg, 10, &v) || v >= NR_CPUS) {
		kprintf("%s: '%s' is not a CPU number (0..%d)\n", cmd, arg, NR_CPUS - 1);
		return -EINVAL;
	}
	if (!cpu_present((unsigned int)v)) {
		kprintf("%s: CPU%lu is not present\n", cmd, v);
		return -ENODEV;
	}
	*cpu = (unsigned int)v;
	return 0;
}

static void report(const char *cmd, unsigned int cpu, int err)
{
	switch (err) {
	case -EALREADY:
		kprintf("%s: CPU%u is already %s\n", cmd, cpu, !strcmp(cmd, "offline") ? "offline" : "online");
		break;
	case -EBUSY:
		kprintf("%s: CPU%u is the last active CPU\n", cmd, cpu);
		break;
	case -EOPNOTSUPP:
		kprintf("%s: CPU%u has no enable-method (PSCI or spin-table): it cannot be stopped or started\n",
			cmd, cpu);
		break;
	default:
		kprintf("%s: CPU%u: failed (%d); it is back in state %s\n", cmd, cpu, err,
			cpuhp_state_name(cpuhp_state_of(cpu)));
	}
}

/* offline CPU / online CPU: one shape, the operation and its timer differ. */
static int change_cmd(int argc, char **argv, int (*op)(unsigned int),
		      u64 (*last_ns)(unsigned int), const char *done)
{
	unsigned int cpu;
	int err;

	if (argc != 2) {
		kprintf("usage: %s CPU\n", argv[0]);
		return -EINVAL;
	}
	err = parse_cpu(argv[0], argv[1], &cpu);
	if (err)
		return err;
	err = op(cpu);
	if (err)
		report(argv[0], cpu, err);
	else
		kprintf("CPU%u %s in %lu us\n", cpu, done, last_ns(cpu) / 1000);
	return err;
}

static int cmd_offline(int argc, char **argv)
{
	return change_cmd(argc, argv, cpu_down, cpuhp_last_down_ns, "offline");
}
SHELL_CMD(offline, cmd_offline, "CPU", "take a CPU offline (deactivate, migrate, park, power off)");

static int cmd_online(int argc, char **argv)
{
	return change_cmd(argc, argv, cpu_up, cpuhp_last_up_ns, "online");
}
SHELL_CMD(online, cmd_online, "CPU", "bring a CPU back online");

static void show_cpu(unsigned int cpu)
{
	int st = cpuhp_state_of(cpu);

	kprintf("cpu%u: %-18s (%d)%s%s\n", cpu, cpuhp_state_name(st), st,
		cpu_active(cpu) ? " active" : "", cpu_online(cpu) ? " online" : "");
}

static int cmd_hotplug_fail(int argc, char **argv)
{
	unsigned int cpu;
	int state;

	if (argc != 4) {
		kprintf("usage: hotplug fail CPU STATE|none\n");
		return -EINVAL;
	}
	if (parse_cpu("hotplug", argv[2], &cpu))
		return -EINVAL;
	state = strcmp(argv[3], "none") ? cpuhp_state_by_name(argv[3]) : -1;
	if ((state < 0 && strcmp(argv[3], "none")) || cpuhp_set_fail(cpu, state)) {
		kprintf("hotplug: '%s' is not a state that can fail (see 'hotplug states')\n", argv[3]);
		return -EINVAL;
	}
	kprintf("cpu%u: the next callback of %s fails\n", cpu, argv[3]);
	return 0;
}

static int cmd_hotplug(int argc, char **argv)
{
	unsigned int cpu;

	if (argc >= 2 && !strcmp(argv[1], "fail"))
		return cmd_hotplug_fail(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "states")) {
		for (int s = 0; s < CPUHP_NR_STATES; s++)
			kprintf("%2d %s\n", s, cpuhp_state_name(s));
		return 0;
	}
	if (argc > 2) {
		kprintf("usage: hotplug [CPU | states | fail CPU STATE|none]\n");
		return -EINVAL;
	}
	if (argc == 2) {
		if (parse_cpu(argv[0], argv[1], &cpu))
			return -EINVAL;
		show_cpu(cpu);
		return 0;
	}
	for_each_possible_cpu(cpu)
		show_cpu(cpu);
	return 0;
}
SHELL_CMD(hotplug, cmd_hotplug, "[CPU|states|fail CPU STATE]", "each CPU's hotplug state; fault injection");
