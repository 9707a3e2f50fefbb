/*
 * A read-only flattened device tree reader (include/fdt.h).
 *
 * Trust nothing in the blob.  fdt_init checks that the header's blocks lie
 * inside the buffer; after that every token is decoded by fdt_next_token(), the
 * one place that reads the structure block, and it checks each token,
 * name and length against the block's end before anything uses it.  Every
 * walk moves strictly forwards through a finite block, so none can loop
 * forever, and none recurses: ancestors are found with a bounded stack.
 */
#include "types.h"
#include "string.h"
#include "fdt_private.h"

#define FDT_V16_HEADER 36	/* size_dt_struct arrived with version 17 */
#define FDT_V17_HEADER 40

u32 fdt_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

u64 fdt_read_cells(const void *p, int ncells)
{
	const u8 *b = p;

	if (ncells == 1)
		return fdt_be32(b);
	if (ncells == 2)
		return (u64)fdt_be32(b) << 32 | fdt_be32(b + 4);
	return 0;
}

u32 fdt_header_totalsize(const void *blob)
{
	return fdt_be32((const u8 *)blob + 4);
}

int fdt_init(struct fdt *f, const void *blob, size_t buflen)
{
	const u8 *h = blob;
	u32 version, last_comp, totalsize, hdrsize;
	u32 off_struct, off_strings, off_rsvmap, size_strings, size_struct;

	memset(f, 0, sizeof(*f));
	if (!blob)
		return -FDT_ERR_BADVALUE;
	if (buflen < 4)
		return -FDT_ERR_TRUNCATED;
	if (fdt_be32(h) != FDT_MAGIC)
		return -FDT_ERR_BADMAGIC;
	if (buflen < FDT_V16_HEADER)
		return -FDT_ERR_TRUNCATED;
	version = fdt_be32(h + 20);
	last_comp = fdt_be32(h + 24);
	if (version < 16 || last_comp > 17)
		return -FDT_ERR_BADVERSION;
	hdrsize = version >= 17 ? FDT_V17_HEADER : FDT_V16_HEADER;
	if (buflen < hdrsize)
		return -FDT_ERR_TRUNCATED;

	totalsize = fdt_be32(h + 4);
	off_struct = fdt_be32(h + 8);
	off_strings = fdt_be32(h + 12);
	off_rsvmap = fdt_be32(h + 16);
	size_strings = fdt_be32(h + 32);
	if (totalsize > buflen)
		return -FDT_ERR_TRUNCATED;
	/* Offsets are ints in the API, so the blob must be indexable by one. */
	if (totalsize < hdrsize || totalsize > 0x7fffffffu)
		return -FDT_ERR_BADLAYOUT;
	if (off_struct < hdrsize || off_strings < hdrsize || off_rsvmap < hdrsize)
		return -FDT_ERR_BADLAYOUT;
	if (off_struct > totalsize || off_rsvmap > totalsize)
		return -FDT_ERR_BADLAYOUT;
	/* Before version 17 the structure block's size must be inferred. */
	if (version >= 17)
		size_struct = fdt_be32(h + 36);
	else if (off_strings > off_struct)
		size_struct = off_strings - off_struct;
	else
		size_struct = totalsize - off_struct;
	if (!fdt_fits(off_struct, size_struct, totalsize) ||
	    !fdt_fits(off_strings, size_strings, totalsize))
		return -FDT_ERR_BADLAYOUT;
	/* Overlapping structure and strings blocks cannot both be right. */
	if (size_struct && size_strings &&
	    (u64)off_struct < (u64)off_strings + size_strings &&
	    (u64)off_strings < (u64)off_struct + size_struct)
		return -FDT_ERR_BADLAYOUT;

	f->blob = h;
	f->totalsize = totalsize;
	f->off_struct = off_struct;
	f->size_struct = size_struct;
	f->off_strings = off_strings;
	f->size_strings = size_strings;
	f->off_rsvmap = off_rsvmap;
	return 0;
}

const char *fdt_strerror(int err)
{
	static const char *const text[] = {
		[0] = "no error",
		[FDT_ERR_NOTFOUND] = "not found",
		[FDT_ERR_BADMAGIC] = "bad magic (not a device tree)",
		[FDT_ERR_BADVERSION] = "unsupported version",
		[FDT_ERR_TRUNCATED] = "truncated",
		[FDT_ERR_BADLAYOUT] = "bad block layout",
		[FDT_ERR_BADSTRUCTURE] = "bad structure block",
		[FDT_ERR_BADOFFSET] = "bad node or property offset",
		[FDT_ERR_BADVALUE] = "bad property value",
		[FDT_ERR_BADCELLS] = "bad #address-cells or #size-cells",
		[FDT_ERR_NOTRANSLATION] = "address not translatable",
		[FDT_ERR_NOSPACE] = "buffer too small",
	};
	int e = err < 0 ? -err : err;

	if (e < (int)ARRAY_SIZE(text) && text[e])
		return text[e];
	return "unknown error";
}

/* ---- tokens ------------------------------------------------------------- */

/*
 * A NUL-terminated string inside the strings block, or NULL when the
 * offset or the missing terminator would take it outside.
 */
const char *fdt_string_at(const struct fdt *f, u32 nameoff)
{
	const char *s;

	if (nameoff >= f->size_strings)
		return NULL;
	s = (const char *)f->blob + f->off_strings + nameoff;
	if (strnlen(s, f->size_strings - nameoff) == f->size_strings - nameoff)
		return NULL;
	return s;
}

/*
 * Decode the token at 'off' and set *next to the offset just past it (and
 * past its name or value).  Returns the token, or -FDT_ERR_BADSTRUCTURE for
 * an unknown token or one whose contents would cross the block's end.
 */
int fdt_next_token(const struct fdt *f, int off, int *next)
{
	u32 size = f->size_struct, tag, pos;
	const u8 *s;

	if (!f->blob || off < 0 || (off & 3) || !fdt_fits((u32)off, 4, size))
		return -FDT_ERR_BADSTRUCTURE;
	s = fdt_struct_base(f);
	pos = (u32)off;
	tag = fdt_be32(s + pos);
	pos += 4;
	switch (tag) {
	case FDT_BEGIN_NODE: {
		size_t n = strnlen((const char *)s + pos, size - pos);

		if (n == size - pos)
			return -FDT_ERR_BADSTRUCTURE;
		pos += (u32)n + 1;
		break;
	}
	case FDT_PROP: {
		u32 len;

		if (!fdt_fits(pos, 8, size))
			return -FDT_ERR_BADSTRUCTURE;
		len = fdt_be32(s + pos);
		if (!fdt_string_at(f, fdt_be32(s + pos + 4)))
			return -FDT_ERR_BADSTRUCTURE;
		pos += 8;
		if (!fdt_fits(pos, len, size))
			return -FDT_ERR_BADSTRUCTURE;
		pos += len;
		break;
	}
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return -FDT_ERR_BADSTRUCTURE;
	}
	/* Tokens are 4-byte aligned; the padding may run to the block end. */
	pos = (pos + 3) & ~3u;
	if (pos > size)
		pos = size;
	*next = (int)pos;
	return (int)tag;
}

/* Offset just past the node's BEGIN_NODE token and name. */
int fdt_node_body(const struct fdt *f, int node)
{
	int next;

	if (fdt_next_token(f, node, &next) != FDT_BEGIN_NODE)
		return -FDT_ERR_BADOFFSET;
	return next;
}

/* The first token after 'off' that is not a NOP; *at gets its offset. */
int fdt_skip_nops(const struct fdt *f, int off, int *at, int *next)
{
	for (;;) {
		int tag = fdt_next_token(f, off, next);

		*at = off;
		if (tag != FDT_NOP)
			return tag;
		off = *next;
	}
}

int fdt_root(const struct fdt *f)
{
	int at, next, tag = fdt_skip_nops(f, 0, &at, &next);

	if (tag < 0)
		return tag;
	return tag == FDT_BEGIN_NODE ? at : -FDT_ERR_BADSTRUCTURE;
}

/*
 * Offset just past the END_NODE that closes 'node'.  Properties and NOPs
 * are skipped; nested nodes are counted.
 */
static int node_end(const struct fdt *f, int node)
{
	int off = fdt_node_body(f, node), depth = 1, next, tag;

	if (off < 0)
		return off;
	while (depth) {
		tag = fdt_next_token(f, off, &next);
		if (tag < 0)
			return tag;
		if (tag == FDT_BEGIN_NODE)
			depth++;
		else if (tag == FDT_END_NODE)
			depth--;
		else if (tag == FDT_END)
			return -FDT_ERR_BADSTRUCTURE;
		off = next;
	}
	return off;
}

/* The first child node starting at 'off', after properties and NOPs. */
static int child_from(const struct fdt *f, int off)
{
	int at, next, tag;

	for (;;) {
		tag = fdt_skip_nops(f, off, &at, &next);
		if (tag == FDT_BEGIN_NODE)
			return at;
		if (tag == FDT_END_NODE)
			return -FDT_ERR_NOTFOUND;
		if (tag != FDT_PROP)
			return tag < 0 ? tag : -FDT_ERR_BADSTRUCTURE;
		off = next;
	}
}

int fdt_first_child(const struct fdt *f, int node)
{
	int off = fdt_node_body(f, node);

	return off < 0 ? off : child_from(f, off);
}

int fdt_next_sibling(const struct fdt *f, int node)
{
	int off, at, next, tag;

	if (node == fdt_root(f))
		return node < 0 ? node : -FDT_ERR_NOTFOUND;
	off = node_end(f, node);
	if (off < 0)
		return off;
	tag = fdt_skip_nops(f, off, &at, &next);
	if (tag == FDT_BEGIN_NODE)
		return at;
	if (tag == FDT_END_NODE)
		return -FDT_ERR_NOTFOUND;
	/* Properties after a sibling are as wrong as a missing END_NODE. */
	return tag < 0 ? tag : -FDT_ERR_BADSTRUCTURE;
}

/*
 * Fill stack[0..*depth-1] with the ancestors of 'node', root first, by
 * walking from the root to it.  The node itself is not included.
 */
int fdt_ancestors(const struct fdt *f, int node, int *stack, int *depth)
{
	int off = fdt_root(f), d = 0, next, tag;

	if (off < 0)
		return off;
	if (node < off || (node & 3))
		return -FDT_ERR_BADOFFSET;
	while (off <= node) {
		tag = fdt_next_token(f, off, &next);
		if (tag < 0)
			return tag;
		if (tag == FDT_BEGIN_NODE) {
			if (off == node) {
				*depth = d;
				return 0;
			}
			/* Same limit as fdt_check_full: node and ancestors <= 64. */
			if (d == FDT_MAX_DEPTH - 1)
				return -FDT_ERR_BADSTRUCTURE;
			stack[d++] = off;
		} else if (tag == FDT_END_NODE) {
			if (d == 0)
				return -FDT_ERR_BADOFFSET;
			d--;
		} else if (tag == FDT_END) {
			break;
		}
		off = next;
	}
	return -FDT_ERR_BADOFFSET;
}

int fdt_parent(const struct fdt *f, int node)
{
	int stack[FDT_MAX_DEPTH + 1], depth, err = fdt_ancestors(f, node, stack, &depth);

	if (err)
		return err;
	return depth ? stack[depth - 1] : -FDT_ERR_NOTFOUND;
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	int off = fdt_node_body(f, node);

	return off < 0 ? NULL : (const char *)fdt_struct_base(f) + node + 4;
}

/* The next BEGIN_NODE after 'node' in document (depth-first) order. */
int fdt_next_node(const struct fdt *f, int node)
{
	int off = fdt_node_body(f, node), next, tag;

	if (off < 0)
		return off;
	for (;;) {
		tag = fdt_next_token(f, off, &next);
		if (tag == FDT_BEGIN_NODE)
			return off;
		if (tag == FDT_END)
			return -FDT_ERR_NOTFOUND;
		if (tag < 0)
			return tag;
		off = next;
	}
}

int fdt_get_path(const struct fdt *f, int node, char *buf, size_t size)
{
	int stack[FDT_MAX_DEPTH + 1], depth, err = fdt_ancestors(f, node, stack, &depth);
	size_t len = 0;

	if (err)
		return err;
	if (size < 2)
		return -FDT_ERR_NOSPACE;
	buf[0] = '/';
	buf[1] = '\0';
	if (depth == 0)
		return 1;
	/* The root's own name (normally "") is not part of any path. */
	stack[depth] = node;
	for (int i = 1; i <= depth; i++) {
		const char *name = fdt_node_name(f, stack[i]);
		size_t n = strlen(name);

		if (len + 1 + n + 1 > size)
			return -FDT_ERR_NOSPACE;
		buf[len++] = '/';
		memcpy(buf + len, name, n);
		len += n;
	}
	buf[len] = '\0';
	return (int)len;
}

int fdt_check_full(const struct fdt *f)
{
	int off = 0, next, tag, depth = 0;
	bool seen_root = false, after_child = false;

	for (;; off = next) {
		tag = fdt_next_token(f, off, &next);
		if (tag < 0)
			return tag;
		switch (tag) {
		case FDT_BEGIN_NODE:
			/* Exactly one root, and a bounded depth for the walkers. */
			if (depth == 0 && seen_root)
				return -FDT_ERR_BADSTRUCTURE;
			if (++depth > FDT_MAX_DEPTH)
				return -FDT_ERR_BADSTRUCTURE;
			seen_root = true;
			after_child = false;
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return -FDT_ERR_BADSTRUCTURE;
			depth--;
			after_child = true;
			break;
		case FDT_PROP:
			/*
			 * Properties come before subnodes; one after a subnode
			 * would be invisible to fdt_first_prop.
			 */
			if (depth == 0 || after_child)
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_END:
			if (depth != 0 || !seen_root)
				return -FDT_ERR_BADSTRUCTURE;
			/* The reservation map must end before the blob does. */
			for (u64 r = f->off_rsvmap;; r += 16) {
				const u8 *e;

				if (!fdt_fits(r, 16, f->totalsize))
					return -FDT_ERR_BADLAYOUT;
				e = f->blob + r;
				/* Zero size ends the map, as in fdt_mem_rsv. */
				if (fdt_read_cells(e + 8, 2) == 0)
					return 0;
			}
		}
	}
}
