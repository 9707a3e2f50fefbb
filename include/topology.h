/*
 * CPU topology and scheduler domains (docs/balance.md).
 *
 * - CPU topology (arch/arm64/kernel/topology.c): per logical CPU its
 *   package, cluster and core, and its capacity, read once at boot from the
 *   device tree's /cpus/cpu-map (else from the MPIDR affinity levels) and
 *   capacity-dmips-mhz.
 * - Sched domains (kernel/sched/topology.c, kernel/sched/sd_grace.c): per
 *   active CPU a chain of domains from its cluster (MC) outwards, each with a
 *   ring of sched groups, rebuilt whenever cpu_active_mask changes.  Linux's
 *   names: struct sched_domain, struct sched_group, SD_* flags,
 *   build_sched_domains(), for_each_domain().
 *
 * Readers (the balancer) walk a CPU's domains only inside
 * sd_read_begin()/sd_read_end(); rebuild_sched_domains() frees the old
 * domains only after every such section that could have seen them ended.
 */
#ifndef RONDO_TOPOLOGY_H
#define RONDO_TOPOLOGY_H

#include "types.h"
#include "cpumask.h"

struct fdt;

/* ---- CPU topology ---- */

#define SCHED_CAPACITY_SHIFT 10
#define SCHED_CAPACITY_SCALE (1UL << SCHED_CAPACITY_SHIFT)	/* the biggest CPU */

struct cpu_topology {
	int package_id;		/* socket */
	int cluster_id;		/* unique in the system, not only in the package */
	int core_id;		/* index inside its cluster */
	unsigned long capacity;	/* 1..SCHED_CAPACITY_SCALE */
};

extern struct cpu_topology cpu_topology[NR_CPUS];
/* Where it came from: "cpu-map", "mpidr" (printed by `topology`). */
extern const char *cpu_topology_source;

/* Boot CPU, after smp_setup_cpus() filled cpu_logical_map. */
void init_cpu_topology(const struct fdt *f);

/*
 * The pure parts, host-tested (tests/host/test_topology.c).  'hwid' is the
 * logical -> MPIDR map, 'nr' its used length.
 * parse_dt_topology: 0, or -ENOENT without a cpu-map, or -EINVAL for a
 * cpu-map that is malformed or leaves a CPU out (a message says which).
 * topology_from_mpidr: always succeeds.
 * parse_dt_capacity: 0 when every CPU has capacity-dmips-mhz (normalised so
 * the biggest is SCHED_CAPACITY_SCALE), else -ENOENT and all stay 1024.
 */
int parse_dt_topology(const struct fdt *f, const u64 *hwid, unsigned int nr,
		      struct cpu_topology *topo);
void topology_from_mpidr(const u64 *hwid, unsigned int nr, struct cpu_topology *topo);
int parse_dt_capacity(const struct fdt *f, const u64 *hwid, unsigned int nr,
		      struct cpu_topology *topo);

static inline unsigned long arch_scale_cpu_capacity(unsigned int cpu)
{
	return cpu_topology[cpu].capacity;
}

/* ---- sched domains ---- */

/* Flags, as Linux's include/linux/sched/sd_flags.h names them. */
#define SD_BALANCE_NEWIDLE	(1u << 0)	/* balance when about to go idle */
#define SD_BALANCE_EXEC		(1u << 1)
#define SD_BALANCE_FORK		(1u << 2)
#define SD_BALANCE_WAKE		(1u << 3)
#define SD_WAKE_AFFINE		(1u << 4)	/* wake-ups may pull towards the waker */
#define SD_ASYM_CPUCAPACITY	(1u << 5)	/* the span mixes CPU capacities */
#define SD_SHARE_LLC		(1u << 6)	/* the span shares a last-level cache */
#define SD_SERIALIZE		(1u << 7)	/* one CPU at a time balances this level */
#define SD_PREFER_SIBLING	(1u << 8)	/* spread to the child groups first */

enum sd_level {
	SD_LV_MC,	/* the CPUs of one cluster */
	SD_LV_PKG,	/* the clusters of one package */
	SD_LV_SYS,	/* every active CPU */
	SD_NR_LEVELS,
};
extern const char *const sd_level_names[SD_NR_LEVELS];

/* Linux's enum cpu_idle_type: which kind of balance pass. */
enum cpu_idle_type {
	CPU_IDLE,
	CPU_NOT_IDLE,
	CPU_NEWLY_IDLE,
	CPU_MAX_IDLE_TYPES,
};

/* Per-domain counters in the spirit of /proc/schedstat, filled by the
 * balancer; zero after every rebuild (the domains are new objects). */
struct sd_stats {
	u64 lb_count[CPU_MAX_IDLE_TYPES];	/* load_balance() calls */
	u64 lb_balanced[CPU_MAX_IDLE_TYPES];	/* found nothing to do */
	u64 lb_failed[CPU_MAX_IDLE_TYPES];	/* imbalance, but nothing moved */
	u64 lb_imbalance[CPU_MAX_IDLE_TYPES];	/* sum of the imbalances found */
	u64 lb_gained[CPU_MAX_IDLE_TYPES];	/* tasks pulled */
	u64 lb_nobusyg[CPU_MAX_IDLE_TYPES];	/* no busiest group */
	u64 lb_nobusyq[CPU_MAX_IDLE_TYPES];	/* no busiest queue in it */
	u64 lb_all_pinned;
	u64 alb_count, alb_failed, alb_pushed;	/* active balance */
	u64 newidle_tries, newidle_pulls;
	u64 ilb_kicks;
};

/*
 * A ring of groups per domain: one group per child-level span (per CPU at
 * the lowest level), so balancing a domain compares its groups.  Groups of a
 * level are shared by every CPU whose domain has the same span; each CPU's
 * sd->groups is the group holding that CPU, so the ring starts "at home".
 */
struct sched_group {
	struct sched_group *next;	/* circular */
	cpumask_t span;			/* active CPUs only */
	unsigned int group_weight;	/* CPUs in span */
	unsigned long capacity;		/* sum of their capacities (Linux: sgc->capacity) */
	unsigned long min_capacity, max_capacity;
	int imbalance;			/* balancer: affinity kept us from fixing it */
	u64 next_update;		/* balancer: capacity refresh, ns */
};

struct sched_domain {
	struct sched_domain *parent;	/* NULL at the top */
	struct sched_domain *child;	/* NULL at the bottom */
	struct sched_group *groups;	/* the group holding this CPU */
	cpumask_t span;			/* active CPUs only */
	unsigned int span_weight;
	unsigned int flags;		/* SD_* */
	enum sd_level level;
	const char *name;		/* "MC", "PKG", "SYS" */

	/* Balancing interval, ms: balance_interval moves between min and
	 * max (doubling on a balanced pass, reset on a pull); a busy CPU
	 * waits busy_factor times longer. */
	unsigned int min_interval, max_interval;
	unsigned int balance_interval;
	unsigned int busy_factor;
	unsigned int imbalance_pct;	/* 117: act at a 17% difference */
	unsigned int cache_nice_tries;	/* failures before cache-hot tasks may go */
	u64 last_balance, next_balance;	/* sched_clock() ns */
	unsigned int nr_balance_failed;
	u64 max_newidle_lb_cost;	/* ns, decayed by the balancer */

	struct sd_stats stats;
};

/*
 * A complete set of domains and groups for one active mask, allocated and
 * freed as one object.  base[cpu] is the lowest remaining domain of an
 * active CPU, NULL for an inactive CPU or where every level degenerated.
 */
struct sd_set {
	cpumask_t active;
	struct sched_domain *base[NR_CPUS];
	struct sched_domain domains[NR_CPUS][SD_NR_LEVELS];
	struct sched_group groups[SD_NR_LEVELS][NR_CPUS];
	unsigned int nr_groups[SD_NR_LEVELS];
};

/* kernel/sched/topology.c, pure (host-tested): build for 'active' over
 * 'topo'; NULL when out of memory.  May sleep (kmalloc). */
struct sd_set *build_sched_domains(const cpumask_t *active, const struct cpu_topology *topo);
void free_sched_domains(struct sd_set *set);

/*
 * kernel/sched/sd_grace.c.
 * rebuild_sched_domains(): build domains for the current cpu_active_mask,
 * publish them in every rq->sd, wait for the grace period, free the old
 * set.  Task context, may sleep (takes sched_domains_mutex, allocates), not
 * inside a read section.  Returns 0, or -ENOMEM (the old domains stay).
 */
int rebuild_sched_domains(void);
/*
 * The same for a CPU becoming active: the new set is built with 'cpu'
 * counted active, and activate(cpu) makes it so just before the set is
 * published (under sched_domains_mutex, preemption off; it must not
 * sleep), before the grace period for the old set.  So the CPU
 * is never active without domains to balance with: a build takes long
 * on a big machine, and from the moment a CPU is active, it counts as
 * idle with work waiting (the work conservation check).  Same context
 * and returns; on -ENOMEM activate() is not called.
 */
int rebuild_sched_domains_activating(unsigned int cpu, void (*activate)(unsigned int cpu));

/*
 * The read side.  Between sd_read_begin() and sd_read_end() the domains
 * returned by sd_cpu_base() stay allocated.  Any context (task, IRQ,
 * IRQs masked); sections nest; the section disables preemption, so it
 * must not sleep.  Cost: two IRQ mask toggles and one full barrier.
 */
void sd_read_begin(void);
void sd_read_end(void);
/* cpu's lowest domain, or NULL; only inside a read section. */
struct sched_domain *sd_cpu_base(unsigned int cpu);

#define for_each_domain(cpu, sd) \
	for ((sd) = sd_cpu_base(cpu); (sd); (sd) = (sd)->parent)
/* Every group of sd once, starting with the one holding sd's CPU. */
#define for_each_sd_group(sd, sg) \
	for (const struct sched_group *__first = (sg) = (sd)->groups; (sg); \
	     (sg) = ((sg)->next == __first ? NULL : (sg)->next))

/* Statistics of rebuild_sched_domains(), for `domains` and the tests. */
struct sd_rebuild_stats {
	u64 rebuilds;
	u64 last_build_ns, last_grace_ns, max_grace_ns;
	u64 grace_waits;		/* CPUs found inside a section */
};
extern struct sd_rebuild_stats sd_rebuild_stats;

/* Test hook (tests/ktest/test_sched_topology.c): called with the old set
 * after the grace period, just before it is freed. */
extern void (*sd_before_free_hook)(struct sd_set *old);

#endif
