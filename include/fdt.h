/*
 * A read-only flattened device tree reader (lib/fdt.c), written to survive
 * any input: every offset and length is checked against the blob before it
 * is used, so a corrupt or truncated DTB yields an error code, never a fault
 * or an endless loop.
 *
 * Nodes and properties are named by their byte offset inside the structure
 * block, as in libfdt.  Negative return values are -FDT_ERR_* codes;
 * fdt_strerror() turns them into text.
 */
#ifndef RONDO_FDT_H
#define RONDO_FDT_H

#include "types.h"

#define FDT_MAGIC 0xd00dfeedu

enum {
	FDT_ERR_NOTFOUND = 1,	/* no such node or property */
	FDT_ERR_BADMAGIC,	/* not a DTB */
	FDT_ERR_BADVERSION,	/* version < 16 or last_comp_version > 17 */
	FDT_ERR_TRUNCATED,	/* header sizes exceed the buffer */
	FDT_ERR_BADLAYOUT,	/* blocks overlap or point outside totalsize */
	FDT_ERR_BADSTRUCTURE,	/* bad token, unterminated name, bad nesting */
	FDT_ERR_BADOFFSET,	/* offset does not name a node or property */
	FDT_ERR_BADVALUE,	/* property has the wrong length or content */
	FDT_ERR_BADCELLS,	/* #address-cells / #size-cells out of range */
	FDT_ERR_NOTRANSLATION,	/* address not covered by a parent's ranges */
	FDT_ERR_NOSPACE,	/* caller's buffer too small (fdt_get_path) */
};

struct fdt {
	const u8 *blob;
	u32 totalsize;
	u32 off_struct, size_struct;
	u32 off_strings, size_strings;
	u32 off_rsvmap;
};

/* Validate the header and remember the blob.  buflen bounds every access
 * (pass totalsize if unknown beyond the header; the reader rejects a
 * totalsize larger than buflen). */
int fdt_init(struct fdt *f, const void *blob, size_t buflen);
const char *fdt_strerror(int err);
/* Read the header's totalsize without validating the rest (needs 8 bytes). */
u32 fdt_header_totalsize(const void *blob);

/* Walk the structure block once and check its whole grammar. */
int fdt_check_full(const struct fdt *f);

/* Nodes */
int fdt_root(const struct fdt *f);			/* offset of "/" */
int fdt_first_child(const struct fdt *f, int node);	/* -FDT_ERR_NOTFOUND if none */
int fdt_next_sibling(const struct fdt *f, int node);	/* -FDT_ERR_NOTFOUND if last */
int fdt_parent(const struct fdt *f, int node);		/* -FDT_ERR_NOTFOUND for root */
const char *fdt_node_name(const struct fdt *f, int node); /* "" for root, NULL on error */
/* Absolute path "/a/b@1" or an alias name (looked up in /aliases); a path
 * may carry a ":options" suffix, which is ignored (stdout-path style). */
int fdt_path_offset(const struct fdt *f, const char *path);
/* Child of 'parent' whose name matches exactly, or whose name before '@'
 * matches when 'name' has no '@'. */
int fdt_subnode(const struct fdt *f, int parent, const char *name);
int fdt_node_by_phandle(const struct fdt *f, u32 phandle);
/* Next node after 'from' (depth-first order; from = -1 starts at the root)
 * whose "compatible" list contains 'compat'. */
int fdt_next_compatible(const struct fdt *f, int from, const char *compat);
bool fdt_is_compatible(const struct fdt *f, int node, const char *compat);
/* status absent, "okay" or "ok". */
bool fdt_node_enabled(const struct fdt *f, int node);
/* Write the node's full path into buf; returns length or negative error. */
int fdt_get_path(const struct fdt *f, int node, char *buf, size_t size);

/* Properties */
const void *fdt_getprop(const struct fdt *f, int node, const char *name, int *lenp);
int fdt_first_prop(const struct fdt *f, int node);	/* property offset */
int fdt_next_prop(const struct fdt *f, int prop);
const void *fdt_prop_info(const struct fdt *f, int prop, const char **name, int *lenp);
/* Typed getters return 0 or a negative error (NOTFOUND, BADVALUE). */
int fdt_prop_u32(const struct fdt *f, int node, const char *name, u32 *val);
int fdt_prop_u64(const struct fdt *f, int node, const char *name, u64 *val); /* 1 or 2 cells */
/* A NUL-terminated string property (the first string of a list). */
const char *fdt_prop_string(const struct fdt *f, int node, const char *name);
/* Is 'str' one of the strings of a string-list property? */
bool fdt_prop_has_string(const struct fdt *f, int node, const char *name, const char *str);

/* Big-endian cell access (no alignment needed). */
u32 fdt_be32(const void *p);
u64 fdt_read_cells(const void *p, int ncells);		/* ncells 1 or 2 */

/* Addresses */
/* #address-cells / #size-cells that apply to the children of 'node'
 * (defaults 2 and 1 when absent, as the spec says); checked to be <= 2. */
int fdt_address_cells(const struct fdt *f, int node);
int fdt_size_cells(const struct fdt *f, int node);
/* Entry 'index' of the node's "reg", as the parent bus sees it. */
int fdt_reg(const struct fdt *f, int node, int index, u64 *addr, u64 *size);
/* Translate a bus address of 'node''s parent bus up through every ancestor's
 * "ranges" to a CPU physical address (empty ranges = identity). */
int fdt_translate(const struct fdt *f, int node, u64 bus_addr, u64 *cpu_addr);
/* fdt_reg followed by fdt_translate. */
int fdt_reg_cpu(const struct fdt *f, int node, int index, u64 *addr, u64 *size);

/* Memory reservation block: entry 'index'; -FDT_ERR_NOTFOUND past the end,
 * which is the first entry of size 0 (libfdt's and Linux's reading). */
int fdt_mem_rsv(const struct fdt *f, int index, u64 *addr, u64 *size);

#endif
