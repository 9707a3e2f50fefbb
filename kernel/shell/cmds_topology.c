/*
 * Shell commands for the CPU topology and the sched domains (docs/balance.md
 * documents the output):
 *   topology     one line per possible CPU: package, cluster, core, capacity
 *   domains [-v] one line per CPU and domain level: span and groups
 */
#include "shell.h"
#include "kernel.h"
#include "page_alloc.h"
#include "smp.h"
#include "topology.h"

#define DOMAINS_BUF 4096	/* one CPU's lines: 3 levels of up to 64 groups */

static int cmd_topology(int argc, char **argv)
{
	unsigned int cpu;

	(void)argv;
	if (argc != 1) {
		kprintf("usage: topology\n");
		return -EINVAL;
	}
	kprintf("topology from %s\n", cpu_topology_source);
	for_each_possible_cpu(cpu) {
		const struct cpu_topology *t = &cpu_topology[cpu];

		kprintf("cpu%u: package %d cluster %d core %d capacity %lu\n", cpu, t->package_id,
			t->cluster_id, t->core_id, t->capacity);
	}
	return 0;
}
SHELL_CMD(topology, cmd_topology, "", "per CPU: package, cluster, core and capacity");

static const struct { unsigned int flag; const char *name; } sd_flag_names[] = {
	{ SD_BALANCE_NEWIDLE, "NEWIDLE" }, { SD_BALANCE_EXEC, "EXEC" },
	{ SD_BALANCE_FORK, "FORK" }, { SD_BALANCE_WAKE, "WAKE" },
	{ SD_WAKE_AFFINE, "WAKE_AFFINE" }, { SD_ASYM_CPUCAPACITY, "ASYM_CPUCAPACITY" },
	{ SD_SHARE_LLC, "SHARE_LLC" }, { SD_SERIALIZE, "SERIALIZE" },
	{ SD_PREFER_SIBLING, "PREFER_SIBLING" },
};

static size_t put_domain(char *buf, size_t size, unsigned int cpu,
			 const struct sched_domain *sd, bool verbose)
{
	const struct sched_group *sg;
	char list[256];
	size_t n;

	cpumask_print_list(list, sizeof(list), &sd->span);
	n = (size_t)scnprintf(buf, size, "cpu%u: %s span %s groups", cpu, sd->name, list);
	for_each_sd_group(sd, sg) {
		cpumask_print_list(list, sizeof(list), &sg->span);
		n += (size_t)scnprintf(buf + n, size - n, " {%s}", list);
	}
	n += (size_t)scnprintf(buf + n, size - n, "\n");
	if (!verbose)
		return n;
	n += (size_t)scnprintf(buf + n, size - n, "      flags");
	for (unsigned int i = 0; i < ARRAY_SIZE(sd_flag_names); i++)
		if (sd->flags & sd_flag_names[i].flag)
			n += (size_t)scnprintf(buf + n, size - n, " %s", sd_flag_names[i].name);
	n += (size_t)scnprintf(buf + n, size - n,
			       "\n      interval %u ms (%u-%u) busy_factor %u imbalance_pct %u capacity",
			       sd->balance_interval, sd->min_interval, sd->max_interval,
			       sd->busy_factor, sd->imbalance_pct);
	for_each_sd_group(sd, sg)
		n += (size_t)scnprintf(buf + n, size - n, " %lu", sg->capacity);
	n += (size_t)scnprintf(buf + n, size - n, "\n");
	return n;
}

/* Format cpu's domains inside a read section; print after it, so that
 * the console never holds up a rebuild's grace period. */
static void show_cpu(char *buf, unsigned int cpu, bool verbose)
{
	struct sched_domain *sd;
	size_t n = 0;

	sd_read_begin();
	for_each_domain(cpu, sd)
		n += put_domain(buf + n, DOMAINS_BUF - n, cpu, sd, verbose);
	sd_read_end();
	if (!n)
		scnprintf(buf, DOMAINS_BUF, "cpu%u: %s\n", cpu,
			  cpu_active(cpu) ? "no domains" : "inactive");
	/* Line by line: kprintf writes at most LINE_MAX per line. */
	for (char *line = buf, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = 0;
		kprintf("%s\n", line);
	}
}

static int cmd_domains(int argc, char **argv)
{
	bool verbose = argc == 2 && !strcmp(argv[1], "-v");
	const struct sd_rebuild_stats *st = &sd_rebuild_stats;
	unsigned int cpu;
	char *buf;

	if (argc > 2 || (argc == 2 && !verbose)) {
		kprintf("usage: domains [-v]\n");
		return -EINVAL;
	}
	buf = kmalloc(DOMAINS_BUF);
	if (!buf) {
		kprintf("error: out of memory\n");
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu)
		show_cpu(buf, cpu, verbose);
	kfree(buf);
	kprintf("rebuilds %lu, last: build %lu us, publish and grace period %lu ns (max %lu ns); "
		"waited for %lu sections\n", st->rebuilds, st->last_build_ns / 1000,
		st->last_grace_ns, st->max_grace_ns, st->grace_waits);
	return 0;
}
SHELL_CMD(domains, cmd_domains, "[-v]",
	  "per CPU its sched domain levels, spans and groups (-v: flags, intervals, capacities)");
