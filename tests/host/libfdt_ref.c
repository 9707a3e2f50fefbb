/*
 * The reference side of the fdt tests: the same questions answered by
 * libfdt (the library behind dtc's fdtget), so Rondo's reader can be
 * checked against an independent implementation.
 */
#include <libfdt.h>
#include <stdio.h>

#include "fdt_host.h"

int lf_dump(const void *blob, size_t len, struct strbuf *out)
{
	int node, depth = 0, err, n;
	char path[1024];

	err = fdt_check_full(blob, len);
	if (err)
		return err;
	for (node = fdt_next_node(blob, -1, &depth); node >= 0;
	     node = fdt_next_node(blob, node, &depth)) {
		int prop;

		if (depth < 0)
			break;
		err = fdt_get_path(blob, node, path, sizeof(path));
		if (err)
			return err;
		/* libfdt counts the root as depth 1. */
		sb_printf(out, "node %d %d %s\n", node, depth - 1, path);
		fdt_for_each_property_offset(prop, blob, node) {
			const char *name;
			int plen;
			const void *val = fdt_getprop_by_offset(blob, prop, &name, &plen);

			if (!val)
				return plen;
			sb_printf(out, "prop %d %s %d ", prop, name, plen);
			sb_hex(out, val, (size_t)plen);
			sb_printf(out, "\n");
		}
	}
	n = fdt_num_mem_rsv(blob);
	for (int i = 0; i < n; i++) {
		uint64_t a, s;

		fdt_get_mem_rsv(blob, i, &a, &s);
		sb_printf(out, "rsv %d %llx %llx\n", i, (unsigned long long)a,
			  (unsigned long long)s);
	}
	return 0;
}

int lf_check_full(const void *blob, size_t len)
{
	return fdt_check_full(blob, len);
}

int lf_path_offset(const void *blob, const char *path)
{
	return fdt_path_offset(blob, path);
}

int lf_node_by_phandle(const void *blob, uint32_t phandle)
{
	return fdt_node_offset_by_phandle(blob, phandle);
}

int lf_next_compatible(const void *blob, int from, const char *compat)
{
	return fdt_node_offset_by_compatible(blob, from, compat);
}

int lf_address_cells(const void *blob, int node)
{
	return fdt_address_cells(blob, node);
}

int lf_size_cells(const void *blob, int node)
{
	return fdt_size_cells(blob, node);
}

int lf_parent(const void *blob, int node)
{
	return fdt_parent_offset(blob, node);
}
