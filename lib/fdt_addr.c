/*
 * Addresses in a device tree (include/fdt.h): cell counts, "reg" entries,
 * translation through the "ranges" of every ancestor bus, and the memory
 * reservation block.  Addresses and sizes are at most two cells (64 bits).
 */
#include "types.h"
#include "string.h"
#include "fdt_private.h"

#define RSV_ENTRY_SIZE 16

/*
 * A "#...-cells" property of 'node': 'dflt' when absent, an error when it
 * is malformed or outside [min, 2].
 */
static int cells(const struct fdt *f, int node, const char *name, int dflt, u32 min)
{
	u32 v;
	int err = fdt_prop_u32(f, node, name, &v);

	if (err == -FDT_ERR_NOTFOUND)
		return dflt;
	if (err == -FDT_ERR_BADVALUE)
		return -FDT_ERR_BADCELLS;
	if (err)
		return err;
	if (v < min || v > 2)
		return -FDT_ERR_BADCELLS;
	return (int)v;
}

int fdt_address_cells(const struct fdt *f, int node)
{
	/* Zero address cells would make every "reg" of the children empty. */
	return cells(f, node, "#address-cells", 2, 1);
}

int fdt_size_cells(const struct fdt *f, int node)
{
	return cells(f, node, "#size-cells", 1, 0);
}

int fdt_reg(const struct fdt *f, int node, int index, u64 *addr, u64 *size)
{
	int parent = fdt_parent(f, node), ac, sc, len, entry;
	const u8 *reg;

	if (parent < 0)
		return parent;
	ac = fdt_address_cells(f, parent);
	if (ac < 0)
		return ac;
	sc = fdt_size_cells(f, parent);
	if (sc < 0)
		return sc;
	reg = fdt_getprop(f, node, "reg", &len);
	if (!reg)
		return len;
	entry = (ac + sc) * 4;
	if (len % entry)
		return -FDT_ERR_BADVALUE;
	if (index < 0)
		return -FDT_ERR_BADVALUE;
	if (index >= len / entry)
		return -FDT_ERR_NOTFOUND;
	reg += index * entry;
	if (addr)
		*addr = fdt_read_cells(reg, ac);
	if (size)
		*size = sc ? fdt_read_cells(reg + ac * 4, sc) : 0;
	return 0;
}

/*
 * Map 'addr' from the address space of 'bus''s children to that of
 * 'parent' (bus's own parent) through bus's "ranges".
 */
static int translate_one(const struct fdt *f, int bus, int parent, u64 *addr)
{
	int len, cac, csc, pac, entry;
	const u8 *r = fdt_getprop(f, bus, "ranges", &len);

	if (!r)
		return len == -FDT_ERR_NOTFOUND ? -FDT_ERR_NOTRANSLATION : len;
	/* An empty "ranges" says the two address spaces are the same. */
	if (len == 0)
		return 0;
	cac = fdt_address_cells(f, bus);
	if (cac < 0)
		return cac;
	csc = fdt_size_cells(f, bus);
	if (csc < 0)
		return csc;
	pac = fdt_address_cells(f, parent);
	if (pac < 0)
		return pac;
	entry = (cac + pac + csc) * 4;
	if (len % entry)
		return -FDT_ERR_BADVALUE;
	for (; len > 0; len -= entry, r += entry) {
		u64 child = fdt_read_cells(r, cac);
		u64 pbase = fdt_read_cells(r + cac * 4, pac);
		u64 size = fdt_read_cells(r + (cac + pac) * 4, csc);

		/* Written as a difference so a range ending at 2^64 works. */
		if (*addr >= child && *addr - child < size) {
			*addr = pbase + (*addr - child);
			return 0;
		}
	}
	return -FDT_ERR_NOTRANSLATION;
}

int fdt_translate(const struct fdt *f, int node, u64 bus_addr, u64 *cpu_addr)
{
	int stack[FDT_MAX_DEPTH + 1], depth, err;
	u64 addr = bus_addr;

	err = fdt_ancestors(f, node, stack, &depth);
	if (err)
		return err;
	if (depth == 0)
		return -FDT_ERR_NOTFOUND;	/* the root sits on no bus */
	/*
	 * stack[depth-1] is the bus the address belongs to.  Climb until the
	 * root, whose children's addresses are the CPU's; the root's own
	 * "ranges", if any, mean nothing.
	 */
	for (int i = depth - 1; i >= 1; i--) {
		err = translate_one(f, stack[i], stack[i - 1], &addr);
		if (err)
			return err;
	}
	*cpu_addr = addr;
	return 0;
}

int fdt_reg_cpu(const struct fdt *f, int node, int index, u64 *addr, u64 *size)
{
	u64 a, s;
	int err = fdt_reg(f, node, index, &a, &s);

	if (err)
		return err;
	err = fdt_translate(f, node, a, &a);
	if (err)
		return err;
	if (addr)
		*addr = a;
	if (size)
		*size = s;
	return 0;
}

int fdt_mem_rsv(const struct fdt *f, int index, u64 *addr, u64 *size)
{
	u64 off = f->off_rsvmap;

	if (!f->blob)
		return -FDT_ERR_BADLAYOUT;
	if (index < 0)
		return -FDT_ERR_BADVALUE;
	for (int i = 0;; i++, off += RSV_ENTRY_SIZE) {
		const u8 *e;
		u64 a, s;

		if (!fdt_fits(off, RSV_ENTRY_SIZE, f->totalsize))
			return -FDT_ERR_BADLAYOUT;
		e = f->blob + off;
		a = fdt_read_cells(e, 2);
		s = fdt_read_cells(e + 8, 2);
		/*
		 * The spec ends the list with an all-zero entry; libfdt, and so
		 * Linux, stop at any zero size.  An empty reservation reserves
		 * nothing, so stopping there too loses nothing real.
		 */
		if (s == 0)
			return -FDT_ERR_NOTFOUND;
		if (i == index) {
			if (addr)
				*addr = a;
			if (size)
				*size = s;
			return 0;
		}
	}
}
