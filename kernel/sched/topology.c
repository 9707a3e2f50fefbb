/*
 * Building the sched domains for one active mask (include/topology.h).
 * Pure: no locks, no per-CPU state, so tests/host/test_topology.c runs it
 * as is.  Publishing the result and freeing the previous set safely is
 * kernel/sched/sd_grace.c's job.
 *
 * For each active CPU and each level (MC: its cluster, PKG: its package,
 * SYS: everything) the domain spans the *active* CPUs of that level.  The
 * groups of a level are the spans of the level below (single CPUs at MC),
 * so a balancer comparing the groups of a domain compares its children.
 * Then, as Linux's sd_degenerate()/sd_parent_degenerate() do, a domain is
 * dropped when it has nothing to balance (its span is its CPU alone) or
 * when it spans exactly what its child spans (one group: the same work a
 * second time).  The groups of the kept domains stay those of the full
 * hierarchy, so after dropping MC under PKG, PKG's groups are still
 * clusters.
 */
#include "topology.h"
#include "kernel.h"
#include "page_alloc.h"

const char *const sd_level_names[SD_NR_LEVELS] = { "MC", "PKG", "SYS" };

static bool same_level(const struct cpu_topology *topo, enum sd_level level,
		       unsigned int a, unsigned int b)
{
	switch (level) {
	case SD_LV_MC:
		return topo[a].cluster_id == topo[b].cluster_id;
	case SD_LV_PKG:
		return topo[a].package_id == topo[b].package_id;
	default:
		return true;
	}
}

/* The active CPUs that share 'level' with cpu; level -1 is cpu alone. */
static void level_span(const struct cpu_topology *topo, const cpumask_t *active,
		       int level, unsigned int cpu, cpumask_t *span)
{
	unsigned int c;

	cpumask_clear(span);
	if (level < 0) {
		cpumask_set_cpu(cpu, span);
		return;
	}
	for_each_cpu(c, active)
		if (same_level(topo, (enum sd_level)level, cpu, c))
			cpumask_set_cpu(c, span);
}

/*
 * The groups of one level: one per distinct child span.  group_of[cpu]
 * says which holds each active CPU.  The ring of a domain links the groups
 * inside its span in CPU order; every CPU with that span shares the ring.
 */
static void build_groups(struct sd_set *set, const struct cpu_topology *topo,
			 enum sd_level level, unsigned int *group_of)
{
	struct sched_group *groups = set->groups[level];
	cpumask_t parent[NR_CPUS];	/* the domain span each group lies in */
	unsigned int n = 0, cpu, c;

	for_each_cpu(cpu, &set->active) {
		cpumask_t span;
		unsigned int g;

		level_span(topo, &set->active, (int)level - 1, cpu, &span);
		for (g = 0; g < n; g++)
			if (cpumask_equal(&groups[g].span, &span))
				break;
		if (g == n) {
			struct sched_group *sg = &groups[n++];

			cpumask_copy(&sg->span, &span);
			level_span(topo, &set->active, (int)level, cpu, &parent[g]);
			sg->group_weight = cpumask_weight(&span);
			sg->min_capacity = ~0UL;
			for_each_cpu(c, &span) {
				unsigned long cap = topo[c].capacity;

				sg->capacity += cap;
				if (cap < sg->min_capacity)
					sg->min_capacity = cap;
				if (cap > sg->max_capacity)
					sg->max_capacity = cap;
			}
		}
		group_of[cpu] = g;
	}
	for (unsigned int g = 0; g < n; g++) {
		unsigned int h = g;

		/* The next group in the same domain span, wrapping around. */
		do
			h = (h + 1) % n;
		while (!cpumask_equal(&parent[h], &parent[g]));
		groups[g].next = &groups[h];
	}
	set->nr_groups[level] = n;
}

static void init_domain(struct sched_domain *sd, const struct cpu_topology *topo,
			enum sd_level level)
{
	unsigned int c, w = cpumask_weight(&sd->span);
	unsigned long lo = ~0UL, hi = 0;

	sd->span_weight = w;
	sd->level = level;
	sd->name = sd_level_names[level];
	sd->flags = SD_BALANCE_NEWIDLE | SD_BALANCE_EXEC | SD_BALANCE_FORK | SD_WAKE_AFFINE;
	if (level == SD_LV_MC)
		sd->flags |= SD_SHARE_LLC;	/* a cluster shares its L2 (Pi 4: all four) */
	for_each_cpu(c, &sd->span) {
		if (topo[c].capacity < lo)
			lo = topo[c].capacity;
		if (topo[c].capacity > hi)
			hi = topo[c].capacity;
	}
	/* Linux: big.LITTLE spans are balanced by capacity, not spread. */
	sd->flags |= lo != hi ? SD_ASYM_CPUCAPACITY : SD_PREFER_SIBLING;
	/* Linux's sd_init() defaults: intervals grow with the span. */
	sd->min_interval = w;
	sd->max_interval = 2 * w;
	sd->balance_interval = w;
	sd->busy_factor = 16;
	sd->imbalance_pct = 117;
	sd->cache_nice_tries = 1;
}

/* Drop the levels with nothing of their own to balance; relink the rest. */
static void degenerate(struct sd_set *set, unsigned int cpu)
{
	struct sched_domain *kept = NULL, *sd;

	set->base[cpu] = NULL;
	for (int level = 0; level < SD_NR_LEVELS; level++) {
		sd = &set->domains[cpu][level];
		if (sd->span_weight <= 1)
			continue;
		if (kept && cpumask_equal(&kept->span, &sd->span))
			continue;
		sd->child = kept;
		if (kept)
			kept->parent = sd;
		else
			set->base[cpu] = sd;
		kept = sd;
	}
	/* Only one CPU at a time balances the widest level above the
	 * cluster (Linux serialises its NUMA levels the same way). */
	if (kept && kept->child)
		kept->flags |= SD_SERIALIZE;
}

/*
 * The set is sized for NR_CPUS (77 KB at 64), and clearing all of it was
 * most of the cost of a rebuild, so of every CPU hotplug operation.  Only
 * what this mask uses is cleared: the header with base[] (the only way
 * into the set from outside), the domains of the active CPUs, and at each
 * level as many groups as there are active CPUs (never more groups than
 * CPUs).  The rest is never reached.
 */
static struct sd_set *alloc_sd_set(const cpumask_t *active)
{
	struct sd_set *set = kmalloc(sizeof(*set));
	unsigned int cpu, n = cpumask_weight(active);

	if (!set)
		return NULL;
	memset(set, 0, offsetof(struct sd_set, domains));
	for_each_cpu(cpu, active)
		memset(set->domains[cpu], 0, sizeof(set->domains[cpu]));
	for (int level = 0; level < SD_NR_LEVELS; level++) {
		memset(set->groups[level], 0, n * sizeof(set->groups[level][0]));
		set->nr_groups[level] = 0;
	}
	return set;
}

struct sd_set *build_sched_domains(const cpumask_t *active, const struct cpu_topology *topo)
{
	struct sd_set *set = alloc_sd_set(active);
	unsigned int group_of[NR_CPUS];
	unsigned int cpu;

	if (!set)
		return NULL;
	cpumask_copy(&set->active, active);
	for (int level = 0; level < SD_NR_LEVELS; level++) {
		build_groups(set, topo, (enum sd_level)level, group_of);
		for_each_cpu(cpu, active) {
			struct sched_domain *sd = &set->domains[cpu][level];

			level_span(topo, active, level, cpu, &sd->span);
			init_domain(sd, topo, (enum sd_level)level);
			sd->groups = &set->groups[level][group_of[cpu]];
		}
	}
	for_each_cpu(cpu, active)
		degenerate(set, cpu);
	return set;
}

void free_sched_domains(struct sd_set *set)
{
	kfree(set);
}
