/*
 * lib/fdt*.c against the real device trees in cache/dtb/: the whole tree
 * must read exactly as libfdt reads it, and the facts the kernel relies on
 * (CPUs and their MPIDRs, PSCI, GIC, timer, console UART, memory) must come
 * out right, including addresses translated through bus "ranges".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdt.h"
#include "fdt_host.h"

struct dtb {
	char *name;
	u8 *blob;
	size_t len;
	struct fdt f;
	int gic, smp;		/* virt only */
	bool el2, rpi4;
};

static const char *const expected_dtbs[] = {
	"virt-gic2-smp1.dtb", "virt-gic2-smp2.dtb", "virt-gic2-smp4.dtb",
	"virt-gic2-smp8.dtb", "virt-gic3-smp16.dtb", "virt-gic3-smp64.dtb",
	"virt-gic2-smp4-el2.dtb", "bcm2711-rpi-4-b.dtb",
};

static int load_dtb(void **state)
{
	struct dtb *d = *state;
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dtb_dir(), d->name);
	d->blob = load_file(path, &d->len);
	if (!d->blob) {
		print_error("cannot read %s\n", path);
		return -1;
	}
	return fdt_init(&d->f, d->blob, d->len);
}

static int free_dtb(void **state)
{
	struct dtb *d = *state;

	free(d->blob);
	d->blob = NULL;
	return 0;
}

/* ---- the same tree as libfdt ---- */

static void assert_same_dump(const char *ours, const char *ref)
{
	char msg[1024];

	if (dump_diff(ours, ref, msg, sizeof(msg))) {
		print_error("%s", msg);
		fail();
	}
}

static void same_tree_as_libfdt(void **state)
{
	struct dtb *d = *state;
	struct strbuf ours = { 0 }, ref = { 0 };

	assert_int_equal(fdt_check_full(&d->f), 0);
	assert_int_equal(lf_dump(d->blob, d->len, &ref), 0);
	assert_int_equal(rondo_dump(&d->f, &ours), 0);
	assert_true(ours.len > 1000);
	assert_same_dump(ours.s, ref.s);
	sb_free(&ours);
	sb_free(&ref);
}

/* ---- every lookup agrees with libfdt on every node ---- */

static void check_compatibles(const struct fdt *f, const u8 *blob, int node)
{
	int len;
	const char *c = fdt_getprop(f, node, "compatible", &len);

	/* For each string, the whole chain of matches must be libfdt's. */
	for (int i = 0; c && i < len; i += (int)strlen(c + i) + 1) {
		int ours = -1, ref = -1;

		do {
			ours = fdt_next_compatible(f, ours, c + i);
			ref = lf_next_compatible(blob, ref, c + i);
			assert_int_equal(ours, ref < 0 ? -FDT_ERR_NOTFOUND : ref);
		} while (ours >= 0);
	}
}

/* The node after 'node' in document order, from the public calls only. */
static int next_in_order(const struct fdt *f, int node)
{
	int next = fdt_first_child(f, node);

	while (next < 0 && node >= 0) {
		next = fdt_next_sibling(f, node);
		if (next < 0)
			node = fdt_parent(f, node);
	}
	return next;
}

static void lookups_match_libfdt(void **state)
{
	struct dtb *d = *state;
	const struct fdt *f = &d->f;
	int node, nodes = 0, aliases;
	char path[1024];

	/* Offsets are libfdt's too, so they can be compared directly. */
	for (node = fdt_root(f); node >= 0; node = next_in_order(f, node), nodes++) {
		const char *name = fdt_node_name(f, node), *slash;
		int ref_parent = lf_parent(d->blob, node), ac, sc, ref;
		u32 ph;

		assert_true(fdt_get_path(f, node, path, sizeof(path)) > 0);
		assert_int_equal(fdt_path_offset(f, path), node);
		assert_int_equal(lf_path_offset(d->blob, path), node);
		slash = strrchr(path, '/');
		assert_string_equal(name, slash + 1);
		assert_int_equal(fdt_parent(f, node),
				 ref_parent < 0 ? -FDT_ERR_NOTFOUND : ref_parent);

		/* libfdt allows up to 4 cells; this reader stops at 2. */
		ac = fdt_address_cells(f, node);
		ref = lf_address_cells(d->blob, node);
		assert_int_equal(ac, ref >= 1 && ref <= 2 ? ref : -FDT_ERR_BADCELLS);
		sc = fdt_size_cells(f, node);
		ref = lf_size_cells(d->blob, node);
		assert_int_equal(sc, ref >= 0 && ref <= 2 ? ref : -FDT_ERR_BADCELLS);

		if (fdt_prop_u32(f, node, "phandle", &ph) == 0) {
			assert_int_equal(fdt_node_by_phandle(f, ph), node);
			assert_int_equal(lf_node_by_phandle(d->blob, ph), node);
		}
		check_compatibles(f, d->blob, node);
	}
	assert_true(nodes > 20);

	/* Every alias resolves where libfdt says, with or without options. */
	aliases = fdt_path_offset(f, "/aliases");
	for (int p = fdt_first_prop(f, aliases); aliases >= 0 && p >= 0; p = fdt_next_prop(f, p)) {
		const char *alias;
		char opt[256];

		fdt_prop_info(f, p, &alias, NULL);
		if (strcmp(alias, "name") == 0)
			continue;
		assert_int_equal(fdt_path_offset(f, alias), lf_path_offset(d->blob, alias));
		assert_true(fdt_path_offset(f, alias) >= 0);
		snprintf(opt, sizeof(opt), "%s:115200n8", alias);
		assert_int_equal(fdt_path_offset(f, opt), fdt_path_offset(f, alias));
	}
	assert_int_equal(fdt_path_offset(f, "no-such-alias"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(f, "/no-such-node"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(f, "/"), fdt_root(f));
	assert_int_equal(fdt_path_offset(f, "//cpus/"), fdt_path_offset(f, "/cpus"));
}

/* ---- the facts the kernel reads ---- */

static int find_compatible(const struct fdt *f, const char *compat)
{
	int node = fdt_next_compatible(f, -1, compat);

	assert_true(node >= 0);
	assert_int_equal(fdt_next_compatible(f, node, compat), -FDT_ERR_NOTFOUND);
	return node;
}

static void assert_reg_cpu(const struct fdt *f, int node, int index, u64 addr, u64 size)
{
	u64 a = 0, s = 0;

	assert_int_equal(fdt_reg_cpu(f, node, index, &a, &s), 0);
	assert_int_equal(a, addr);
	assert_int_equal(s, size);
}

/* The architected timer: secure, non-secure, virtual, hypervisor PPIs. */
static void check_timer(const struct fdt *f)
{
	static const u32 ppi[] = { 13, 14, 11, 10 };
	int node = find_compatible(f, "arm,armv8-timer"), len;
	const u8 *irq = fdt_getprop(f, node, "interrupts", &len);

	assert_non_null(irq);
	assert_int_equal(len, 4 * 3 * 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(fdt_be32(irq + 12 * i), 1);	/* GIC_PPI */
		assert_int_equal(fdt_be32(irq + 12 * i + 4), ppi[i]);
		assert_in_set(fdt_be32(irq + 12 * i + 8) & 0xf, ((uintmax_t[]){ 4, 8 }), 2);
	}
}

/* The cpu nodes under /cpus, in order; returns how many. */
static int cpu_nodes(const struct fdt *f, int *out, int max)
{
	int n = 0, cpus = fdt_path_offset(f, "/cpus");

	assert_true(cpus >= 0);
	assert_int_equal(fdt_address_cells(f, cpus), 1);
	assert_int_equal(fdt_size_cells(f, cpus), 0);
	for (int c = fdt_first_child(f, cpus); c >= 0; c = fdt_next_sibling(f, c)) {
		const char *type = fdt_prop_string(f, c, "device_type");

		if (type && strcmp(type, "cpu") == 0 && n < max)
			out[n++] = c;
	}
	return n;
}

static void check_virt(void **state)
{
	struct dtb *d = *state;
	const struct fdt *f = &d->f;
	int cpu[128], n = cpu_nodes(f, cpu, 128), node, chosen;
	const char *s;
	u64 a, sz;

	assert_int_equal(n, d->smp);
	for (int i = 0; i < n; i++) {
		/* QEMU's MPIDR: GICv2 keeps to Aff0, GICv3 puts 16 CPUs per Aff1. */
		u64 mpidr = d->gic == 2 ? (u64)i : (u64)((i / 16) << 8 | (i % 16));
		const char *method = fdt_prop_string(f, cpu[i], "enable-method");
		char name[32];

		/* QEMU names them by index, in order, and puts the MPIDR in reg. */
		snprintf(name, sizeof(name), "cpu@%d", i);
		assert_string_equal(fdt_node_name(f, cpu[i]), name);
		assert_int_equal(fdt_reg(f, cpu[i], 0, &a, &sz), 0);
		assert_int_equal(a, mpidr);
		assert_int_equal(sz, 0);
		/* A lone CPU needs no way to be started. */
		if (d->smp > 1 || method)
			assert_string_equal(method, "psci");
		assert_int_equal(fdt_reg(f, cpu[i], 1, &a, &sz), -FDT_ERR_NOTFOUND);
	}

	node = fdt_path_offset(f, "/psci");
	assert_string_equal(fdt_prop_string(f, node, "method"), d->el2 ? "smc" : "hvc");
	assert_true(fdt_prop_has_string(f, node, "compatible", "arm,psci-0.2"));

	node = find_compatible(f, d->gic == 2 ? "arm,cortex-a15-gic" : "arm,gic-v3");
	assert_reg_cpu(f, node, 0, 0x08000000, 0x10000);
	assert_int_equal(fdt_reg_cpu(f, node, 1, &a, NULL), 0);
	assert_int_equal(a, d->gic == 2 ? 0x08010000 : 0x080a0000);

	check_timer(f);

	chosen = fdt_path_offset(f, "/chosen");
	s = fdt_prop_string(f, chosen, "stdout-path");
	assert_non_null(s);
	node = fdt_path_offset(f, s);
	assert_true(fdt_is_compatible(f, node, "arm,pl011"));
	assert_true(fdt_node_enabled(f, node));
	assert_reg_cpu(f, node, 0, 0x09000000, 0x1000);

	node = fdt_path_offset(f, "/memory");
	assert_string_equal(fdt_prop_string(f, node, "device_type"), "memory");
	assert_reg_cpu(f, node, 0, 0x40000000, 512ull << 20);

	/* PCI addresses need 3 cells: out of this reader's reach, and said so. */
	node = find_compatible(f, "pci-host-ecam-generic");
	assert_int_equal(fdt_address_cells(f, node), -FDT_ERR_BADCELLS);

	assert_int_equal(fdt_mem_rsv(f, 0, &a, &sz), -FDT_ERR_NOTFOUND);
}

static void check_rpi4(void **state)
{
	struct dtb *d = *state;
	const struct fdt *f = &d->f;
	int cpu[8], n = cpu_nodes(f, cpu, 8), node, disabled = 0;
	char path[128];
	u64 a, sz;

	assert_int_equal(n, 4);
	for (int i = 0; i < n; i++) {
		assert_int_equal(fdt_reg(f, cpu[i], 0, &a, NULL), 0);
		assert_int_equal(a, i);
		assert_string_equal(fdt_prop_string(f, cpu[i], "enable-method"), "spin-table");
		assert_int_equal(fdt_prop_u64(f, cpu[i], "cpu-release-addr", &a), 0);
		assert_int_equal(a, 0xd8 + 8 * i);
	}

	node = find_compatible(f, "arm,gic-400");
	assert_reg_cpu(f, node, 0, 0xff841000, 0x1000);
	assert_reg_cpu(f, node, 1, 0xff842000, 0x2000);
	check_timer(f);

	/* The console: an alias with options, to the aux mini UART. */
	assert_string_equal(fdt_prop_string(f, fdt_path_offset(f, "/chosen"), "stdout-path"),
			    "serial1:115200n8");
	node = fdt_path_offset(f, "serial1:115200n8");
	/* libfdt's fdt_path_offset does not take options: compare without. */
	assert_int_equal(node, lf_path_offset(d->blob, "serial1"));
	assert_int_equal(fdt_get_path(f, node, path, sizeof(path)), 20);
	assert_string_equal(path, "/soc/serial@7e215040");
	assert_true(fdt_is_compatible(f, node, "brcm,bcm2835-aux-uart"));
	assert_reg_cpu(f, node, 0, 0xfe215040, 0x40);
	assert_int_equal(fdt_translate(f, node, 0x12345678, &a), -FDT_ERR_NOTRANSLATION);

	node = fdt_path_offset(f, "serial0");
	assert_true(fdt_is_compatible(f, node, "arm,pl011"));
	assert_reg_cpu(f, node, 0, 0xfe201000, 0x200);

	/* Other buses with their own ranges and 2 address cells. */
	assert_reg_cpu(f, fdt_path_offset(f, "/scb/ethernet@7d580000"), 0, 0xfd580000, 0x10000);
	assert_reg_cpu(f, fdt_path_offset(f, "/emmc2bus/mmc"), 0, 0xfe340000, 0x100);

	for (node = fdt_root(f); node >= 0; node = next_in_order(f, node)) {
		const char *st = fdt_prop_string(f, node, "status");

		if (st && strcmp(st, "disabled") == 0) {
			assert_false(fdt_node_enabled(f, node));
			disabled++;
		} else {
			assert_true(fdt_node_enabled(f, node));
		}
	}
	assert_true(disabled > 0);

	assert_int_equal(fdt_mem_rsv(f, 0, &a, &sz), 0);
	assert_int_equal(a, 0);
	assert_int_equal(sz, 0x1000);
	assert_int_equal(fdt_mem_rsv(f, 1, &a, &sz), -FDT_ERR_NOTFOUND);
}

static void all_dtbs_present(void **state)
{
	char **names;
	int n = list_dtbs(dtb_dir(), &names);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(expected_dtbs); i++) {
		bool found = false;

		for (int j = 0; j < n; j++)
			found |= strcmp(names[j], expected_dtbs[i]) == 0;
		if (!found)
			print_error("%s/%s is missing (make dtbs)\n", dtb_dir(), expected_dtbs[i]);
		assert_true(found);
	}
	for (int j = 0; j < n; j++)
		free(names[j]);
	free(names);
}

int main(void)
{
	char **names;
	int n = list_dtbs(dtb_dir(), &names), t = 0, failed;
	struct CMUnitTest *tests = calloc((size_t)(3 * n + 1), sizeof(*tests));
	struct dtb *dtbs = calloc((size_t)n + 1, sizeof(*dtbs));

	tests[t++] = (struct CMUnitTest)cmocka_unit_test(all_dtbs_present);
	for (int i = 0; i < n; i++) {
		struct dtb *d = &dtbs[i];
		char suffix[8] = "";
		char *label;

		d->name = names[i];
		d->rpi4 = strncmp(d->name, "bcm2711-rpi-4-b", 15) == 0;
		if (sscanf(d->name, "virt-gic%d-smp%d%7s", &d->gic, &d->smp, suffix) >= 2)
			d->el2 = strncmp(suffix, "-el2", 4) == 0;

#define ADD(fn)								\
	do {								\
		label = malloc(strlen(#fn) + strlen(d->name) + 4);	\
		sprintf(label, "%s: %s", #fn, d->name);			\
		tests[t++] = (struct CMUnitTest){ label, fn, load_dtb, free_dtb, d }; \
	} while (0)
		ADD(same_tree_as_libfdt);
		ADD(lookups_match_libfdt);
		if (d->rpi4)
			ADD(check_rpi4);
		else if (d->gic)
			ADD(check_virt);
#undef ADD
	}
	cmocka_set_message_output(CM_OUTPUT_TAP);
	failed = _cmocka_run_group_tests("fdt_real", tests, (size_t)t, NULL, NULL);
	for (int i = 1; i < t; i++)
		free((char *)tests[i].name);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	free(dtbs);
	return failed;
}
