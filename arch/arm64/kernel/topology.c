/*
 * CPU topology: which CPUs share a cluster and a package, and how big each
 * CPU is (include/topology.h).  Linux splits this between
 * drivers/base/arch_topology.c (the DT cpu-map and capacity-dmips-mhz) and
 * arch/arm64/kernel/topology.c.
 *
 * The device tree's /cpus/cpu-map describes the hierarchy:
 *	cpu-map { socket0 { cluster0 { core0 { cpu = <&cpu0>; }; ... }; }; };
 * socketN may be missing (one package) and clusters may nest (the
 * innermost one is "the cluster" here).  A coreN with threadN children is
 * an SMT core; we have no SMT level, so each thread counts as a core.
 * QEMU 10's virt always writes a cpu-map (-smp 8,clusters=2 gives two
 * clusters of four, -smp 8,sockets=2 two sockets of one cluster each;
 * plain -smp N one cluster of N).
 *
 * Without a cpu-map (the Pi 4's DTB) the MPIDR affinity fields are used:
 * Aff0 core, Aff1 cluster, Aff2 and Aff3 package.  Linux stopped trusting
 * MPIDR for this (v5.10): firmware numbers Aff1 in ways that need not be
 * clusters, e.g. QEMU virt under GICv3 fills Aff1 in groups of 16 CPUs
 * only because a GICv3 target list holds 16.  It is the fallback only.
 */
#include "topology.h"
#include "fdt.h"
#include "kernel.h"
#include "smp.h"

struct cpu_topology cpu_topology[NR_CPUS];
const char *cpu_topology_source = "none";

static int aff(u64 mpidr, int level)
{
	int shift = level == 3 ? 32 : level * 8;

	return (int)((mpidr >> shift) & 0xff);
}

/* cpu_logical_map keeps only the affinity fields (MPIDR_HWID_MASK), not the
 * MT bit: were Aff0 threads, each would count as a core, as in cpu-map. */
void topology_from_mpidr(const u64 *hwid, unsigned int nr, struct cpu_topology *topo)
{
	for (unsigned int cpu = 0; cpu < nr; cpu++) {
		u64 m = hwid[cpu];
		struct cpu_topology *t = &topo[cpu];

		t->core_id = aff(m, 0);
		t->cluster_id = aff(m, 3) << 16 | aff(m, 2) << 8 | aff(m, 1);
		t->package_id = aff(m, 3) << 8 | aff(m, 2);
	}
}

static int logical_of(const u64 *hwid, unsigned int nr, u64 mpidr)
{
	for (unsigned int cpu = 0; cpu < nr; cpu++)
		if (hwid[cpu] == mpidr)
			return (int)cpu;
	return -1;
}

/* The state of one cpu-map walk. */
struct map_walk {
	const struct fdt *f;
	const u64 *hwid;
	unsigned int nr;
	struct cpu_topology *topo;
	cpumask_t seen;
	int package, cluster, core;
	int next_cluster;	/* cluster ids are counted over the whole map */
};

/* Does the node's name start with 'prefix' followed by a number? */
static bool is_named(const struct fdt *f, int node, const char *prefix)
{
	const char *name = fdt_node_name(f, node);
	size_t n = strlen(prefix);

	return name && !strncmp(name, prefix, n) && name[n] >= '0' && name[n] <= '9';
}

/* A leaf (core or thread) names its CPU with a phandle. */
static int map_leaf(struct map_walk *w, int node)
{
	u32 ph;
	int cpu_node, ac, len, cpu;
	const void *reg;

	if (fdt_prop_u32(w->f, node, "cpu", &ph))
		goto bad;
	cpu_node = fdt_node_by_phandle(w->f, ph);
	if (cpu_node < 0)
		goto bad;
	ac = fdt_address_cells(w->f, fdt_parent(w->f, cpu_node));
	reg = fdt_getprop(w->f, cpu_node, "reg", &len);
	if (ac < 1 || ac > 2 || !reg || len < ac * 4)
		goto bad;
	cpu = logical_of(w->hwid, w->nr, fdt_read_cells(reg, ac));
	if (cpu < 0)
		return 0;	/* a CPU we do not use (disabled, over NR_CPUS) */
	if (cpumask_test_cpu((unsigned int)cpu, &w->seen)) {
		printk("topology: cpu-map names CPU%d twice\n", cpu);
		return -EINVAL;
	}
	cpumask_set_cpu((unsigned int)cpu, &w->seen);
	w->topo[cpu].package_id = w->package;
	w->topo[cpu].cluster_id = w->cluster;
	w->topo[cpu].core_id = w->core;
	return 0;
bad:
	printk("topology: cpu-map node %s has no valid cpu phandle\n", fdt_node_name(w->f, node));
	return -EINVAL;
}

static int map_core(struct map_walk *w, int node)
{
	bool threads = false;
	int err;

	for (int t = fdt_first_child(w->f, node); t >= 0; t = fdt_next_sibling(w->f, t)) {
		if (!is_named(w->f, t, "thread"))
			continue;
		threads = true;
		err = map_leaf(w, t);
		if (err)
			return err;
		w->core++;	/* no SMT level: a thread is a core here */
	}
	if (threads)
		return 0;
	err = map_leaf(w, node);
	w->core++;
	return err;
}

/* A cluster holds either clusters or cores. */
static int map_cluster(struct map_walk *w, int node, int depth)
{
	bool inner = false, cores = false;
	int err;

	if (depth > 8) {
		printk("topology: cpu-map clusters nested too deeply\n");
		return -EINVAL;
	}
	for (int c = fdt_first_child(w->f, node); c >= 0; c = fdt_next_sibling(w->f, c)) {
		if (is_named(w->f, c, "cluster")) {
			inner = true;
			err = map_cluster(w, c, depth + 1);
			if (err)
				return err;
		}
	}
	if (inner)
		return 0;
	w->cluster = w->next_cluster++;
	w->core = 0;
	for (int c = fdt_first_child(w->f, node); c >= 0; c = fdt_next_sibling(w->f, c)) {
		if (is_named(w->f, c, "core")) {
			cores = true;
			err = map_core(w, c);
			if (err)
				return err;
		}
	}
	if (!cores) {
		printk("topology: cpu-map %s has neither clusters nor cores\n",
		       fdt_node_name(w->f, node));
		return -EINVAL;
	}
	return 0;
}

static int map_package(struct map_walk *w, int node)
{
	bool any = false;
	int err;

	for (int c = fdt_first_child(w->f, node); c >= 0; c = fdt_next_sibling(w->f, c)) {
		if (is_named(w->f, c, "cluster")) {
			any = true;
			err = map_cluster(w, c, 0);
			if (err)
				return err;
		}
	}
	if (!any) {
		printk("topology: cpu-map %s has no clusters\n", fdt_node_name(w->f, node));
		return -EINVAL;
	}
	return 0;
}

int parse_dt_topology(const struct fdt *f, const u64 *hwid, unsigned int nr,
		      struct cpu_topology *topo)
{
	struct map_walk w = { .f = f, .hwid = hwid, .nr = nr, .topo = topo };
	int cpus = fdt_path_offset(f, "/cpus"), map, err = 0;
	bool sockets = false;

	map = cpus >= 0 ? fdt_subnode(f, cpus, "cpu-map") : -1;
	if (map < 0)
		return -ENOENT;
	cpumask_clear(&w.seen);
	for (int s = fdt_first_child(f, map); s >= 0 && !err; s = fdt_next_sibling(f, s)) {
		if (is_named(f, s, "socket")) {
			sockets = true;
			err = map_package(&w, s);
			w.package++;
		}
	}
	if (!sockets && !err)
		err = map_package(&w, map);	/* clusters straight under cpu-map */
	if (err)
		return err;
	for (unsigned int cpu = 0; cpu < nr; cpu++) {
		if (!cpumask_test_cpu(cpu, &w.seen)) {
			printk("topology: CPU%u is not in the cpu-map; ignoring the map\n", cpu);
			return -EINVAL;
		}
	}
	return 0;
}

static int cpu_node_of(const struct fdt *f, int cpus, u64 mpidr)
{
	int ac = fdt_address_cells(f, cpus);

	for (int n = fdt_first_child(f, cpus); n >= 0; n = fdt_next_sibling(f, n)) {
		int len;
		const void *reg = fdt_getprop(f, n, "reg", &len);

		if (ac >= 1 && ac <= 2 && reg && len >= ac * 4 && fdt_read_cells(reg, ac) == mpidr)
			return n;
	}
	return -1;
}

int parse_dt_capacity(const struct fdt *f, const u64 *hwid, unsigned int nr,
		      struct cpu_topology *topo)
{
	int cpus = fdt_path_offset(f, "/cpus");
	u32 raw[NR_CPUS], max = 0;

	for (unsigned int cpu = 0; cpu < nr; cpu++)
		topo[cpu].capacity = SCHED_CAPACITY_SCALE;
	if (cpus < 0)
		return -ENOENT;
	for (unsigned int cpu = 0; cpu < nr; cpu++) {
		int node = cpu_node_of(f, cpus, hwid[cpu]);

		/* All or nothing, as in Linux: a partial set cannot be scaled. */
		if (node < 0 || fdt_prop_u32(f, node, "capacity-dmips-mhz", &raw[cpu]) || !raw[cpu]) {
			if (cpu > 0)
				printk("topology: CPU%u has no capacity-dmips-mhz; all CPUs count as equal\n", cpu);
			return -ENOENT;
		}
		if (raw[cpu] > max)
			max = raw[cpu];
	}
	for (unsigned int cpu = 0; cpu < nr; cpu++) {
		unsigned long c = (unsigned long)raw[cpu] * SCHED_CAPACITY_SCALE / max;

		topo[cpu].capacity = c ? c : 1;
	}
	return 0;
}

void init_cpu_topology(const struct fdt *f)
{
	unsigned int nr = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_possible(cpu))
			nr = cpu + 1;	/* logical ids are dense */
	if (parse_dt_topology(f, cpu_logical_map, nr, cpu_topology) == 0) {
		cpu_topology_source = "cpu-map";
	} else {
		topology_from_mpidr(cpu_logical_map, nr, cpu_topology);
		cpu_topology_source = "mpidr";
	}
	parse_dt_capacity(f, cpu_logical_map, nr, cpu_topology);
}
