/*
 * Shared by the lib/fdt*.c files only: the structure block tokens and the
 * checked primitives every walk is built from.
 */
#ifndef RONDO_FDT_PRIVATE_H
#define RONDO_FDT_PRIVATE_H

#include "fdt.h"

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

/* Deeper trees are rejected; real ones stay well under 16 levels. */
#define FDT_MAX_DEPTH 64

/* Does [off, off+len) fit inside a block of 'size' bytes? */
static inline bool fdt_fits(u64 off, u64 len, u64 size)
{
	return off <= size && len <= size - off;
}

static inline const u8 *fdt_struct_base(const struct fdt *f)
{
	return f->blob + f->off_struct;
}

/* A NUL-terminated string in the strings block, or NULL. */
const char *fdt_string_at(const struct fdt *f, u32 nameoff);
/* Decode the token at off; *next = offset past it.  Token or negative. */
int fdt_next_token(const struct fdt *f, int off, int *next);
/* Offset just past a node's BEGIN_NODE and name, or -FDT_ERR_BADOFFSET. */
int fdt_node_body(const struct fdt *f, int node);
/* The first non-NOP token from off: returns it, *at = its offset. */
int fdt_skip_nops(const struct fdt *f, int off, int *at, int *next);
/* Ancestors of node, root first, into stack[FDT_MAX_DEPTH]. */
int fdt_ancestors(const struct fdt *f, int node, int *stack, int *depth);
/* The next node in document order after node. */
int fdt_next_node(const struct fdt *f, int node);

#endif
