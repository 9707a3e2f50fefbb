/*
 * The canonical tree dump (see fdt_host.h) made with Rondo's reader, by
 * first-child/next-sibling recursion, so it exercises a different walk
 * from the one libfdt_ref.c uses.
 */
#include <stdbool.h>

#include "fdt.h"
#include "fdt_host.h"

static int dump_node(const struct fdt *f, int node, int depth, struct strbuf *out)
{
	char path[1024];
	int p, c, err;

	/* fdt_check_full bounds real depth; this guards unchecked blobs. */
	if (depth >= 64)
		return -FDT_ERR_BADSTRUCTURE;
	err = fdt_get_path(f, node, path, sizeof(path));
	if (err < 0)
		return err;
	sb_printf(out, "node %d %d %s\n", node, depth, path);
	for (p = fdt_first_prop(f, node); p >= 0; p = fdt_next_prop(f, p)) {
		const char *name;
		int len;
		const void *val = fdt_prop_info(f, p, &name, &len);

		if (!val)
			return len;
		sb_printf(out, "prop %d %s %d ", p, name, len);
		sb_hex(out, val, (size_t)len);
		sb_printf(out, "\n");
	}
	if (p != -FDT_ERR_NOTFOUND)
		return p;
	for (c = fdt_first_child(f, node); c >= 0; c = fdt_next_sibling(f, c)) {
		err = dump_node(f, c, depth + 1, out);
		if (err)
			return err;
	}
	return c == -FDT_ERR_NOTFOUND ? 0 : c;
}

int rondo_dump(const struct fdt *f, struct strbuf *out)
{
	int root = fdt_root(f), err;
	u64 a, s;

	if (root < 0)
		return root;
	err = dump_node(f, root, 0, out);
	if (err)
		return err;
	for (int i = 0; (err = fdt_mem_rsv(f, i, &a, &s)) == 0; i++)
		sb_printf(out, "rsv %d %llx %llx\n", i, (unsigned long long)a,
			  (unsigned long long)s);
	return err == -FDT_ERR_NOTFOUND ? 0 : err;
}
