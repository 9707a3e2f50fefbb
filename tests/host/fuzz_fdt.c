/*
 * libFuzzer target for lib/fdt*.c: any input must come back with answers
 * or error codes, never an out-of-bounds access (ASan), undefined
 * behaviour (UBSan) or a hang (libFuzzer's -timeout).  On trees that pass
 * fdt_check_full, a few invariants are asserted as well.
 *
 * Each input is tried twice: as it is, which mostly exercises the header
 * checks, and with the header's totalsize set to the input's size, so a
 * truncated or mutated tree still reaches the structure walkers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fdt.h"

#define MAX_NODES 3000

#define REQUIRE(cond)					\
	do {						\
		if (!(cond))				\
			__builtin_trap();		\
	} while (0)

static volatile u64 sink;	/* keeps results from being optimised away */

/*
 * Questions about one node.  The ones that walk the whole tree (paths,
 * parents, translation) are asked of the first nodes only, to keep the
 * fuzzer fast on big trees.
 */
static void poke_node(const struct fdt *f, int node, bool checked, bool thorough)
{
	char path[512];
	int len, child, parent;
	u64 a, s;
	u32 v;

	sink += (u64)(uintptr_t)fdt_node_name(f, node);
	for (int p = fdt_first_prop(f, node), n = 0; p >= 0 && n < 1000;
	     p = fdt_next_prop(f, p), n++) {
		const char *name;
		const void *val = fdt_prop_info(f, p, &name, &len);

		REQUIRE(val && name);
		sink += (u64)(uintptr_t)fdt_getprop(f, node, name, &len);
		sink += (u64)(uintptr_t)fdt_prop_string(f, node, name);
		sink += fdt_prop_has_string(f, node, name, "okay");
	}
	sink += (u64)fdt_address_cells(f, node) + (u64)fdt_size_cells(f, node);
	sink += fdt_node_enabled(f, node);
	sink += fdt_is_compatible(f, node, "arm,pl011");
	if (fdt_prop_u64(f, node, "cpu-release-addr", &a) == 0)
		sink += a;
	if (!thorough)
		return;

	len = fdt_get_path(f, node, path, sizeof(path));
	if (len >= 0) {
		REQUIRE((size_t)len == strlen(path));
		sink += (u64)fdt_path_offset(f, path);
	}
	parent = fdt_parent(f, node);
	child = fdt_first_child(f, node);
	if (checked && child >= 0)
		REQUIRE(fdt_parent(f, child) == node);
	if (checked && parent >= 0) {
		/* The node is among its parent's children. */
		int c = fdt_first_child(f, parent), n = 0;

		while (c >= 0 && c != node && n++ < MAX_NODES)
			c = fdt_next_sibling(f, c);
		REQUIRE(c == node);
	}
	for (int i = 0; i < 3; i++)
		if (fdt_reg_cpu(f, node, i, &a, &s) == 0)
			sink += a + s;
	sink += (u64)fdt_translate(f, node, 0x7e201000, &a);
	if (fdt_prop_u32(f, node, "phandle", &v) == 0) {
		int found = fdt_node_by_phandle(f, v);

		sink += (u64)found;
		if (checked && v != 0 && v != 0xffffffffu)
			REQUIRE(found >= 0);
	}
}

/* Depth-first by first-child/next-sibling; *budget bounds the node count. */
static void walk(const struct fdt *f, int node, int depth, bool checked, int *budget)
{
	if (depth > 70 || --*budget < 0)
		return;
	poke_node(f, node, checked, *budget > MAX_NODES - 16);
	for (int c = fdt_first_child(f, node); c >= 0 && *budget > 0; c = fdt_next_sibling(f, c))
		walk(f, c, depth + 1, checked, budget);
}

static void run(const u8 *blob, size_t size)
{
	static const char *const paths[] = {
		"/", "/cpus", "/chosen", "/psci", "/soc/serial", "serial0", "serial1:115200n8",
		"/aliases", "//cpus//cpu@0", "nosuch", "/a/b/c/d/e/f/g",
	};
	struct fdt f;
	bool checked;
	const char *stdout_path;
	u64 a, s;
	int node, n;

	if (fdt_init(&f, blob, size) != 0)
		return;
	checked = fdt_check_full(&f) == 0;
	n = MAX_NODES;
	node = fdt_root(&f);
	if (node >= 0)
		walk(&f, node, 0, checked, &n);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		sink += (u64)fdt_path_offset(&f, paths[i]);
	stdout_path = fdt_prop_string(&f, fdt_path_offset(&f, "/chosen"), "stdout-path");
	if (stdout_path)
		sink += (u64)fdt_reg_cpu(&f, fdt_path_offset(&f, stdout_path), 0, &a, &s);
	for (node = fdt_next_compatible(&f, -1, "arm,cortex-a15-gic"), n = 0;
	     node >= 0 && n < MAX_NODES; n++)
		node = fdt_next_compatible(&f, node, "arm,cortex-a15-gic");
	for (int i = 0; fdt_mem_rsv(&f, i, &a, &s) == 0 && i < 1000; i++)
		sink += a + s;
	sink += (u64)(uintptr_t)fdt_strerror(fdt_check_full(&f));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 *copy;

	run(data, size);
	if (size < 8)
		return 0;
	/* An exact-size copy, so ASan sees any read past its end. */
	copy = malloc(size);
	memcpy(copy, data, size);
	copy[4] = (u8)(size >> 24);
	copy[5] = (u8)(size >> 16);
	copy[6] = (u8)(size >> 8);
	copy[7] = (u8)size;
	run(copy, size);
	free(copy);
	return 0;
}
