/*
 * CPU topology and sched domain building on the host:
 * arch/arm64/kernel/topology.c against the cached DTBs (QEMU virt's
 * cpu-map, the Pi 4 without one) and MPIDR values, and
 * kernel/sched/topology.c over made-up topologies and active masks:
 * levels, spans, groups and degeneration.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fdt.h"
#include "fdt_host.h"
#include "topology.h"
#include "errno.h"
#include "string.h"

/* Stand-ins for what the kernel provides. */
static cpumask_t possible;
const cpumask_t *const cpu_possible_mask = &possible;
u64 cpu_logical_map[NR_CPUS];

int printk(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

/* Not zeroed, as the kernel's: build_sched_domains() clears what it
 * uses, and these tests would read the garbage if it did not. */
void *kmalloc(size_t size)
{
	void *p = malloc(size);

	if (p)
		memset(p, 0xa5, size);
	return p;
}

void kfree(void *p)
{
	free(p);
}

static struct cpu_topology topo[NR_CPUS];

/* ---- the topology readers ---- */

static void *load_dtb(const char *name, struct fdt *f)
{
	char path[512];
	size_t len;
	void *blob;

	snprintf(path, sizeof(path), "%s/%s", dtb_dir(), name);
	blob = load_file(path, &len);
	if (!blob)
		return NULL;
	assert_int_equal(fdt_init(f, blob, len), 0);
	return blob;
}

static void virt_smp64_cpu_map_is_one_cluster(void **state)
{
	struct fdt f;
	u64 hwid[64];
	void *blob = load_dtb("virt-gic3-smp64.dtb", &f);

	(void)state;
	if (!blob)
		skip();
	/* QEMU numbers MPIDRs in Aff1 groups of 16 under GICv3... */
	for (unsigned int i = 0; i < 64; i++)
		hwid[i] = (u64)(i / 16) << 8 | (i % 16);
	topology_from_mpidr(hwid, 64, topo);
	assert_int_equal(topo[15].cluster_id, 0);
	assert_int_equal(topo[16].cluster_id, 1);
	assert_int_equal(topo[63].core_id, 15);
	/* ... but its cpu-map says one socket, one cluster, 64 cores. */
	assert_int_equal(parse_dt_topology(&f, hwid, 64, topo), 0);
	for (unsigned int i = 0; i < 64; i++) {
		assert_int_equal(topo[i].package_id, 0);
		assert_int_equal(topo[i].cluster_id, 0);
		assert_int_equal(topo[i].core_id, i);
	}
	/* No capacity-dmips-mhz: all equal. */
	assert_int_equal(parse_dt_capacity(&f, hwid, 64, topo), -ENOENT);
	assert_int_equal(topo[5].capacity, SCHED_CAPACITY_SCALE);
	/* A map that misses a CPU we run is refused. */
	hwid[3] = 0x40000;
	assert_int_equal(parse_dt_topology(&f, hwid, 64, topo), -EINVAL);
	free(blob);
}

static void rpi4_has_no_cpu_map(void **state)
{
	struct fdt f;
	u64 hwid[4] = { 0, 1, 2, 3 };
	void *blob = load_dtb("bcm2711-rpi-4-b.dtb", &f);

	(void)state;
	if (!blob)
		skip();
	assert_int_equal(parse_dt_topology(&f, hwid, 4, topo), -ENOENT);
	topology_from_mpidr(hwid, 4, topo);
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(topo[i].cluster_id, 0);
		assert_int_equal(topo[i].package_id, 0);
		assert_int_equal(topo[i].core_id, i);
	}
	free(blob);
}

/* ---- domain building ---- */

static void make_topology(unsigned int ncpus, unsigned int per_cluster, unsigned int per_package)
{
	memset(topo, 0, sizeof(topo));
	for (unsigned int c = 0; c < ncpus; c++) {
		topo[c].cluster_id = (int)(c / per_cluster);
		topo[c].package_id = (int)(c / per_package);
		topo[c].core_id = (int)(c % per_cluster);
		topo[c].capacity = SCHED_CAPACITY_SCALE;
	}
}

static void mask_of(cpumask_t *m, const char *list)
{
	assert_int_equal(cpulist_parse(list, m), 0);
}

/* "MC 0-3 {2} {3} {0} {1} | PKG 0-7 {0-3} {4-7}" for cpu's domains. */
static void describe(const struct sd_set *set, unsigned int cpu, char *buf, size_t size)
{
	const struct sched_domain *sd;
	const struct sched_group *sg;
	size_t n = 0;
	char list[256];

	buf[0] = 0;
	for (sd = set->base[cpu]; sd; sd = sd->parent) {
		cpumask_print_list(list, sizeof(list), &sd->span);
		n += (size_t)snprintf(buf + n, size - n, "%s%s %s", n ? " | " : "", sd->name, list);
		for_each_sd_group(sd, sg) {
			cpumask_print_list(list, sizeof(list), &sg->span);
			n += (size_t)snprintf(buf + n, size - n, " {%s}", list);
		}
	}
}

static void expect_domains(const char *active, unsigned int cpu, const char *want)
{
	cpumask_t m;
	struct sd_set *set;
	char got[1024];

	mask_of(&m, active);
	set = build_sched_domains(&m, topo);
	assert_non_null(set);
	describe(set, cpu, got, sizeof(got));
	if (strcmp(got, want))
		print_message("active %s cpu%u:\n  got  '%s'\n  want '%s'\n", active, cpu, got, want);
	assert_string_equal(got, want);
	free_sched_domains(set);
}

static void one_cluster_of_four(void **state)
{
	(void)state;
	make_topology(4, 4, 4);
	expect_domains("0-3", 2, "MC 0-3 {2} {3} {0} {1}");
	expect_domains("0-3", 0, "MC 0-3 {0} {1} {2} {3}");
}

static void two_clusters_of_four(void **state)
{
	(void)state;
	make_topology(8, 4, 8);
	expect_domains("0-7", 2, "MC 0-3 {2} {3} {0} {1} | PKG 0-7 {0-3} {4-7}");
	expect_domains("0-7", 5, "MC 4-7 {5} {6} {7} {4} | PKG 0-7 {4-7} {0-3}");
	/* Two sockets of one cluster: PKG = MC is dropped, SYS spans both. */
	make_topology(8, 4, 4);
	expect_domains("0-7", 6, "MC 4-7 {6} {7} {4} {5} | SYS 0-7 {4-7} {0-3}");
}

static void sixteen_in_aff1_groups(void **state)
{
	u64 hwid[64];

	(void)state;
	for (unsigned int i = 0; i < 64; i++)
		hwid[i] = (u64)(i / 16) << 8 | (i % 16);
	memset(topo, 0, sizeof(topo));
	topology_from_mpidr(hwid, 64, topo);
	for (unsigned int i = 0; i < 64; i++)
		topo[i].capacity = SCHED_CAPACITY_SCALE;
	expect_domains("0-15", 3, "MC 0-15 {3} {4} {5} {6} {7} {8} {9} {10} {11} {12} {13} {14} {15} {0} {1} {2}");
	expect_domains("0-63", 17, "MC 16-31 {17} {18} {19} {20} {21} {22} {23} {24} {25} {26} "
		       "{27} {28} {29} {30} {31} {16} | PKG 0-63 {16-31} {32-47} {48-63} {0-15}");
}

static void inactive_cpus_are_left_out(void **state)
{
	cpumask_t m;
	struct sd_set *set;

	(void)state;
	make_topology(8, 4, 8);
	expect_domains("0-2,4-7", 1, "MC 0-2 {1} {2} {0} | PKG 0-2,4-7 {0-2} {4-7}");
	/* CPU 0 alone in its cluster: MC has nothing to balance. */
	expect_domains("0,4-7", 0, "PKG 0,4-7 {0} {4-7}");
	expect_domains("0,4-7", 4, "MC 4-7 {4} {5} {6} {7} | PKG 0,4-7 {4-7} {0}");
	/* Inactive CPUs have none; nobody's spans or groups include them. */
	mask_of(&m, "0-2,4-7");
	set = build_sched_domains(&m, topo);
	assert_null(set->base[3]);
	for (unsigned int c = 0; c < 8; c++)
		for (const struct sched_domain *sd = set->base[c]; sd; sd = sd->parent)
			assert_false(cpumask_test_cpu(3, &sd->span));
	free_sched_domains(set);
}

static void one_cpu_has_no_domains(void **state)
{
	(void)state;
	make_topology(8, 4, 8);
	expect_domains("5", 5, "");
	make_topology(1, 1, 1);
	expect_domains("0", 0, "");
}

static void serialize_and_capacity(void **state)
{
	cpumask_t m;
	struct sd_set *set;

	(void)state;
	make_topology(8, 4, 8);
	for (unsigned int c = 4; c < 8; c++)
		topo[c].capacity = 512;		/* a little cluster */
	mask_of(&m, "0-7");
	set = build_sched_domains(&m, topo);
	assert_false(set->base[0]->flags & SD_SERIALIZE);
	assert_true(set->base[0]->parent->flags & SD_SERIALIZE);
	assert_true(set->base[0]->parent->flags & SD_ASYM_CPUCAPACITY);
	assert_false(set->base[0]->flags & SD_ASYM_CPUCAPACITY);
	assert_int_equal(set->base[0]->parent->groups->capacity, 4096);
	assert_int_equal(set->base[0]->parent->groups->next->capacity, 2048);
	assert_int_equal(set->base[0]->span_weight, 4);
	assert_int_equal(set->base[0]->min_interval, 4);
	assert_int_equal(set->base[0]->parent->max_interval, 16);
	free_sched_domains(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(virt_smp64_cpu_map_is_one_cluster),
		cmocka_unit_test(rpi4_has_no_cpu_map),
		cmocka_unit_test(one_cluster_of_four),
		cmocka_unit_test(two_clusters_of_four),
		cmocka_unit_test(sixteen_in_aff1_groups),
		cmocka_unit_test(inactive_cpus_are_left_out),
		cmocka_unit_test(one_cpu_has_no_domains),
		cmocka_unit_test(serialize_and_capacity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
