/*
 * The page allocator: a binary buddy allocator over the RAM the device
 * tree's /memory nodes describe.
 *
 * Free memory is kept as blocks of 2^order pages, each aligned to its own
 * size, on one free list per order.  An allocation takes the smallest
 * block that fits and splits it, putting the unused halves back; a free
 * merges the block with its "buddy" (the other half of the block twice its
 * size) for as long as that buddy is free too, so memory does not crumble
 * into single pages.  The list links live inside the free blocks
 * themselves; the state of every page lives in a struct page array, which
 * is what lets a double free or a bad address be caught before it can
 * corrupt anything.
 */
#include "page_alloc.h"
#include "kernel.h"
#include "fdt.h"
#include "mmu.h"
#include "asm/atomic.h"
#include "asm/spinlock.h"

#define MAX_RESERVED 32

struct range {
	u64 start, end;
};

/* A run of RAM with its own struct page array; buddies never cross areas. */
struct mem_area {
	phys_addr_t base, end;
	struct page *pages;
};

struct free_block {
	struct free_block *next, *prev;
};

extern char _head[], _end[];
extern struct fdt boot_fdt;
extern u64 boot_dtb_pa;

static struct range reserved[MAX_RESERVED];
static int nr_reserved;
static struct mem_area areas[MAX_MEM_REGIONS];
static int nr_areas;

/* Taken from interrupt context too (kmalloc in an IRQ handler): irqsave. */
static DEFINE_SPINLOCK(zone_lock);
static struct free_block free_list[MAX_PAGE_ORDER + 1];
static unsigned long nr_free, nr_total;
static atomic_t bad_frees;

/* ---- reporting ---- */

void mm_report_bad_free(const char *fn, u64 addr, const char *why)
{
	printk("WARNING: %s(0x%lx): %s; ignored\n", fn, addr, why);
	dump_backtrace((u64)__builtin_frame_address(0), 0);
	/* Last, so the call above is not a tail call, which would pop the
	 * frame record it is given. */
	atomic_inc(&bad_frees);
}

unsigned long mm_bad_frees(void)
{
	return (unsigned long)atomic_read(&bad_frees);
}

/* ---- struct page lookup ---- */

static struct mem_area *area_of(phys_addr_t pa)
{
	for (int i = 0; i < nr_areas; i++)
		if (pa >= areas[i].base && pa < areas[i].end)
			return &areas[i];
	return NULL;
}

static struct page *page_in(struct mem_area *a, phys_addr_t pa)
{
	return &a->pages[(pa - a->base) >> PAGE_SHIFT];
}

struct page *phys_to_page(phys_addr_t pa)
{
	struct mem_area *a = area_of(pa);

	return a ? page_in(a, pa) : NULL;
}

/* ---- free lists (zone_lock held) ---- */

static void list_add_block(phys_addr_t pa, unsigned int order)
{
	struct free_block *b = (struct free_block *)pa, *head = &free_list[order];

	b->next = head->next;
	b->prev = head;
	head->next->prev = b;
	head->next = b;
}

static void list_del_block(phys_addr_t pa)
{
	struct free_block *b = (struct free_block *)pa;

	b->prev->next = b->next;
	b->next->prev = b->prev;
}

static void mark_free(struct mem_area *a, phys_addr_t pa, unsigned int order)
{
	struct page *p = page_in(a, pa);

	p->flags = PG_buddy;
	p->order = order;
	list_add_block(pa, order);
}

/* ---- allocation ---- */

static phys_addr_t take_block(unsigned int order)
{
	unsigned int o = order;
	struct mem_area *a;
	phys_addr_t pa;

	while (o <= MAX_PAGE_ORDER && free_list[o].next == &free_list[o])
		o++;
	if (o > MAX_PAGE_ORDER)
		return 0;
	pa = (phys_addr_t)free_list[o].next;
	list_del_block(pa);
	a = area_of(pa);
	/* Keep the lower half each time; the upper halves go back. */
	while (o > order) {
		o--;
		mark_free(a, pa + (PAGE_SIZE << o), o);
	}
	page_in(a, pa)->flags = PG_head;
	page_in(a, pa)->order = order;
	return pa;
}

phys_addr_t alloc_pages(unsigned int order)
{
	unsigned long flags;
	phys_addr_t pa;

	if (order > MAX_PAGE_ORDER || WARN_ON(!nr_total))
		return 0;
	spin_lock_irqsave(&zone_lock, flags);
	pa = take_block(order);
	if (pa)
		nr_free -= 1UL << order;
	spin_unlock_irqrestore(&zone_lock, flags);
	return pa;
}

/* ---- freeing ---- */

/* Why freeing (pa, order) would be wrong, or NULL if it is fine. */
static const char *check_free(struct mem_area *a, phys_addr_t pa, unsigned int order)
{
	struct page *p;

	if (!a)
		return "not in RAM";
	if (order > MAX_PAGE_ORDER || (pa & ((PAGE_SIZE << order) - 1)))
		return "not aligned to the block size";
	p = page_in(a, pa);
	if (p->flags & PG_reserved)
		return "reserved memory";
	if (p->flags & PG_buddy)
		return "double free";
	if (!(p->flags & PG_head))
		return "not the start of an allocated block";
	if (p->order != order)
		return "order differs from the allocation's";
	if (p->slab_class)
		return "the block is a kmalloc slab";
	return NULL;
}

/* Merge with free buddies as far as they go, then list the result. */
static void give_back(struct mem_area *a, phys_addr_t pa, unsigned int order)
{
	page_in(a, pa)->flags = 0;
	while (order < MAX_PAGE_ORDER) {
		phys_addr_t buddy = pa ^ (PAGE_SIZE << order);
		struct page *bp;

		if (buddy < a->base || buddy + (PAGE_SIZE << order) > a->end)
			break;
		bp = page_in(a, buddy);
		if (!(bp->flags & PG_buddy) || bp->order != order)
			break;
		list_del_block(buddy);
		bp->flags = 0;
		pa = MIN(pa, buddy);
		order++;
	}
	mark_free(a, pa, order);
}

void free_pages(phys_addr_t pa, unsigned int order)
{
	unsigned long flags;
	const char *why;

	spin_lock_irqsave(&zone_lock, flags);
	why = check_free(area_of(pa), pa, order);
	if (!why) {
		give_back(area_of(pa), pa, order);
		nr_free += 1UL << order;
	}
	spin_unlock_irqrestore(&zone_lock, flags);
	/* Reported outside the lock: printing is slow. */
	if (why)
		mm_report_bad_free("free_pages", pa, why);
}

unsigned long nr_free_pages(void)
{
	return READ_ONCE(nr_free);
}

unsigned long nr_total_pages(void)
{
	return nr_total;
}

/* ---- boot: what must never be handed out ---- */

static void reserve(u64 start, u64 size, const char *what)
{
	u64 end = start + size;

	if (!size)
		return;
	if (nr_reserved == MAX_RESERVED)
		panic("page_alloc: more than %d reserved ranges (at %s)", MAX_RESERVED, what);
	/* Whole pages: a page that is partly reserved is not free. */
	if (end < start || end > ~0UL - PAGE_SIZE)
		end = ~0UL;
	else
		end = ALIGN_UP(end, PAGE_SIZE);
	reserved[nr_reserved].start = ALIGN_DOWN(start, PAGE_SIZE);
	reserved[nr_reserved].end = end;
	nr_reserved++;
}

/* Static /reserved-memory regions belong to firmware; "reusable" ones (a
 * CMA pool) are only a hint for Linux's DMA code, so they stay usable. */
static void reserve_dt_regions(const struct fdt *f)
{
	int parent = fdt_path_offset(f, "/reserved-memory");
	u64 base, size;

	for (int i = 0; fdt_mem_rsv(f, i, &base, &size) == 0; i++)
		reserve(base, size, "/memreserve/");
	if (parent < 0)
		return;
	for (int n = fdt_first_child(f, parent); n >= 0; n = fdt_next_sibling(f, n)) {
		if (!fdt_node_enabled(f, n) || fdt_getprop(f, n, "reusable", NULL))
			continue;
		for (int i = 0; fdt_reg_cpu(f, n, i, &base, &size) == 0; i++)
			reserve(base, size, "/reserved-memory");
	}
}

/* First reserved range overlapping [start, end), or NULL. */
static const struct range *overlap(u64 start, u64 end)
{
	for (int i = 0; i < nr_reserved; i++)
		if (start < reserved[i].end && reserved[i].start < end)
			return &reserved[i];
	return NULL;
}

/* Room for 'size' bytes of page-aligned RAM that nothing else uses. */
static phys_addr_t find_free_run(u64 size)
{
	for (int i = 0; i < nr_areas; i++) {
		u64 at = areas[i].base;
		const struct range *r;

		while (at + size <= areas[i].end) {
			r = overlap(at, at + size);
			if (!r)
				return at;
			if (r->end >= areas[i].end)
				break;
			at = r->end;
		}
	}
	return 0;
}

/* ---- boot: building the free lists ---- */

static void setup_areas(void)
{
	for (int i = 0; i < nr_mem_regions; i++) {
		u64 base = ALIGN_UP(mem_regions[i].base, PAGE_SIZE);
		u64 end = ALIGN_DOWN(mem_regions[i].base + mem_regions[i].size, PAGE_SIZE);

		if (end > base) {
			areas[nr_areas].base = base;
			areas[nr_areas].end = end;
			nr_areas++;
		}
	}
}

static void place_page_arrays(void)
{
	u64 bytes = 0;
	phys_addr_t at;

	for (int i = 0; i < nr_areas; i++)
		bytes += ((areas[i].end - areas[i].base) >> PAGE_SHIFT) * sizeof(struct page);
	bytes = ALIGN_UP(bytes, PAGE_SIZE);
	at = find_free_run(bytes);
	if (!at)
		panic("page_alloc: no room for %lu KiB of page descriptors", bytes >> 10);
	reserve(at, bytes, "struct page arrays");
	for (int i = 0; i < nr_areas; i++) {
		u64 n = (areas[i].end - areas[i].base) >> PAGE_SHIFT;

		areas[i].pages = (struct page *)at;
		memset(areas[i].pages, 0, n * sizeof(struct page));
		for (u64 p = 0; p < n; p++)
			areas[i].pages[p].flags = PG_reserved;
		at += n * sizeof(struct page);
	}
}

/* Hand [start, end) to the free lists as the largest aligned blocks. */
static void add_free_range(struct mem_area *a, u64 start, u64 end)
{
	while (start < end) {
		unsigned int order = 0;

		while (order < MAX_PAGE_ORDER && !(start & ((PAGE_SIZE << (order + 1)) - 1)) &&
		       start + (PAGE_SIZE << (order + 1)) <= end)
			order++;
		for (u64 p = start; p < start + (PAGE_SIZE << order); p += PAGE_SIZE)
			page_in(a, p)->flags = 0;
		mark_free(a, start, order);
		nr_free += 1UL << order;
		start += PAGE_SIZE << order;
	}
}

static const struct range *reserved_at(u64 pa)
{
	for (int i = 0; i < nr_reserved; i++)
		if (reserved[i].start <= pa && pa < reserved[i].end)
			return &reserved[i];
	return NULL;
}

/* Where the next reservation at or above 'from' starts, or 'limit'. */
static u64 next_reserved(u64 from, u64 limit)
{
	for (int i = 0; i < nr_reserved; i++)
		if (reserved[i].start >= from && reserved[i].start < limit)
			limit = reserved[i].start;
	return limit;
}

/* Everything in the area except the reserved ranges. */
static void free_area(struct mem_area *a)
{
	u64 at = a->base;

	while (at < a->end) {
		const struct range *r = reserved_at(at);
		u64 stop;

		if (r) {
			at = r->end;
			continue;
		}
		stop = next_reserved(at, a->end);
		add_free_range(a, at, stop);
		at = stop;
	}
	nr_total += (a->end - a->base) >> PAGE_SHIFT;
}

void page_alloc_init(void)
{
	for (int o = 0; o <= MAX_PAGE_ORDER; o++)
		free_list[o].next = free_list[o].prev = &free_list[o];
	setup_areas();
	/* Address 0 means "no memory" to callers, so it is never a page. */
	reserve(0, PAGE_SIZE, "page 0");
	/* The image includes the boot page-table pool and boot stacks. */
	reserve((u64)_head, _end - _head, "kernel image");
	reserve(boot_dtb_pa, boot_fdt.totalsize, "device tree");
	reserve_dt_regions(&boot_fdt);
	place_page_arrays();
	for (int i = 0; i < nr_areas; i++)
		free_area(&areas[i]);
	printk("page_alloc: %lu MiB of RAM, %lu MiB free (%lu pages), %d reserved ranges\n",
	       nr_total >> (20 - PAGE_SHIFT), nr_free >> (20 - PAGE_SHIFT), nr_free, nr_reserved);
}
