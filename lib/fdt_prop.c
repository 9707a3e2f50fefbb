/*
 * Device tree properties, and the lookups built on them: paths, aliases,
 * phandles, compatible strings and status (include/fdt.h).  Everything here
 * reads the blob through the checked primitives of lib/fdt.c.
 */
#include "types.h"
#include "string.h"
#include "fdt_private.h"

/* The first property at or after 'off', skipping NOPs. */
static int prop_from(const struct fdt *f, int off)
{
	int at, next, tag = fdt_skip_nops(f, off, &at, &next);

	if (tag == FDT_PROP)
		return at;
	if (tag == FDT_BEGIN_NODE || tag == FDT_END_NODE)
		return -FDT_ERR_NOTFOUND;
	return tag < 0 ? tag : -FDT_ERR_BADSTRUCTURE;
}

int fdt_first_prop(const struct fdt *f, int node)
{
	int off = fdt_node_body(f, node);

	return off < 0 ? off : prop_from(f, off);
}

int fdt_next_prop(const struct fdt *f, int prop)
{
	int next;

	if (fdt_next_token(f, prop, &next) != FDT_PROP)
		return -FDT_ERR_BADOFFSET;
	return prop_from(f, next);
}

const void *fdt_prop_info(const struct fdt *f, int prop, const char **name, int *lenp)
{
	const u8 *p;
	int next;

	if (fdt_next_token(f, prop, &next) != FDT_PROP) {
		if (lenp)
			*lenp = -FDT_ERR_BADOFFSET;
		return NULL;
	}
	/* fdt_next_token has checked both the name and the value's extent. */
	p = fdt_struct_base(f) + prop;
	if (name)
		*name = fdt_string_at(f, fdt_be32(p + 8));
	if (lenp)
		*lenp = (int)fdt_be32(p + 4);
	return p + 12;
}

const void *fdt_getprop(const struct fdt *f, int node, const char *name, int *lenp)
{
	int p = fdt_first_prop(f, node);

	for (; p >= 0; p = fdt_next_prop(f, p)) {
		const char *pname;
		const void *val = fdt_prop_info(f, p, &pname, lenp);

		if (val && strcmp(pname, name) == 0)
			return val;
	}
	if (lenp)
		*lenp = p;
	return NULL;
}

int fdt_prop_u32(const struct fdt *f, int node, const char *name, u32 *val)
{
	int len;
	const void *p = fdt_getprop(f, node, name, &len);

	if (!p)
		return len;
	if (len != 4)
		return -FDT_ERR_BADVALUE;
	*val = fdt_be32(p);
	return 0;
}

int fdt_prop_u64(const struct fdt *f, int node, const char *name, u64 *val)
{
	int len;
	const void *p = fdt_getprop(f, node, name, &len);

	if (!p)
		return len;
	if (len != 4 && len != 8)
		return -FDT_ERR_BADVALUE;
	*val = fdt_read_cells(p, len / 4);
	return 0;
}

const char *fdt_prop_string(const struct fdt *f, int node, const char *name)
{
	int len;
	const char *p = fdt_getprop(f, node, name, &len);

	if (!p || len < 1 || strnlen(p, (size_t)len) == (size_t)len)
		return NULL;
	return p;
}

bool fdt_prop_has_string(const struct fdt *f, int node, const char *name, const char *str)
{
	int len;
	const char *p = fdt_getprop(f, node, name, &len);
	size_t want = strlen(str) + 1;

	if (!p)
		return false;
	/* Each string must end inside the value; a ragged tail never matches. */
	while (len > 0) {
		size_t n = strnlen(p, (size_t)len);

		if (n == (size_t)len)
			return false;
		if (n + 1 == want && memcmp(p, str, want) == 0)
			return true;
		p += n + 1;
		len -= (int)(n + 1);
	}
	return false;
}

/* ---- finding nodes ------------------------------------------------------ */

static bool has_char(const char *s, char c, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == c)
			return true;
	return false;
}

/* Does a node called 'nname' answer to the first 'len' bytes of 'name'? */
static bool name_matches(const char *nname, const char *name, size_t len)
{
	if (strncmp(nname, name, len) != 0)
		return false;
	if (nname[len] == '\0')
		return true;
	/* "serial" finds "serial@7e201000" unless a unit address was given. */
	return nname[len] == '@' && !has_char(name, '@', len);
}

static int subnode_n(const struct fdt *f, int parent, const char *name, size_t len)
{
	int child = fdt_first_child(f, parent);

	for (; child >= 0; child = fdt_next_sibling(f, child)) {
		const char *nname = fdt_node_name(f, child);

		if (nname && name_matches(nname, name, len))
			return child;
	}
	return child;
}

int fdt_subnode(const struct fdt *f, int parent, const char *name)
{
	return subnode_n(f, parent, name, strlen(name));
}

/* Walk the '/'-separated components of path[0..len) down from 'node'. */
static int walk_path(const struct fdt *f, int node, const char *path, size_t len)
{
	size_t i = 0;

	while (i < len && node >= 0) {
		size_t start;

		while (i < len && path[i] == '/')
			i++;
		start = i;
		while (i < len && path[i] != '/')
			i++;
		if (i > start)
			node = subnode_n(f, node, path + start, i - start);
	}
	return node;
}

int fdt_path_offset(const struct fdt *f, const char *path)
{
	size_t len, alias_len;
	const char *target;
	int aliases, vlen, node;

	if (!path || !*path)
		return -FDT_ERR_BADVALUE;
	/* stdout-path style "serial1:115200n8": the options are not ours. */
	for (len = 0; path[len] && path[len] != ':'; len++)
		;
	if (path[0] == '/')
		return walk_path(f, fdt_root(f), path, len);

	for (alias_len = 0; alias_len < len && path[alias_len] != '/'; alias_len++)
		;
	aliases = fdt_subnode(f, fdt_root(f), "aliases");
	if (aliases < 0)
		return aliases;
	for (int p = fdt_first_prop(f, aliases); p >= 0; p = fdt_next_prop(f, p)) {
		const char *pname;

		target = fdt_prop_info(f, p, &pname, &vlen);
		if (!target || strncmp(pname, path, alias_len) != 0 || pname[alias_len])
			continue;
		/* An alias names a full path; aliases of aliases are not allowed. */
		if (vlen < 2 || target[0] != '/' || strnlen(target, (size_t)vlen) != (size_t)vlen - 1)
			return -FDT_ERR_BADVALUE;
		node = walk_path(f, fdt_root(f), target, (size_t)vlen - 1);
		return walk_path(f, node, path + alias_len, len - alias_len);
	}
	return -FDT_ERR_NOTFOUND;
}

int fdt_node_by_phandle(const struct fdt *f, u32 phandle)
{
	int node;

	if (phandle == 0 || phandle == 0xffffffffu)
		return -FDT_ERR_BADVALUE;
	for (node = fdt_root(f); node >= 0; node = fdt_next_node(f, node)) {
		u32 v = 0;

		if ((fdt_prop_u32(f, node, "phandle", &v) == 0 ||
		     fdt_prop_u32(f, node, "linux,phandle", &v) == 0) && v == phandle)
			return node;
	}
	return node;
}

bool fdt_is_compatible(const struct fdt *f, int node, const char *compat)
{
	return fdt_prop_has_string(f, node, "compatible", compat);
}

int fdt_next_compatible(const struct fdt *f, int from, const char *compat)
{
	int node = from < 0 ? fdt_root(f) : fdt_next_node(f, from);

	for (; node >= 0; node = fdt_next_node(f, node))
		if (fdt_is_compatible(f, node, compat))
			return node;
	return node;
}

bool fdt_node_enabled(const struct fdt *f, int node)
{
	int len;
	const char *status;

	if (fdt_node_body(f, node) < 0)
		return false;
	if (!fdt_getprop(f, node, "status", &len))
		return len == -FDT_ERR_NOTFOUND;
	status = fdt_prop_string(f, node, "status");
	return status && (strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0);
}

