/*
 * Physical memory: the page allocator (mm/page_alloc.c) and kmalloc
 * (mm/kmalloc.c).  RAM is identity-mapped (VA == PA), so a physical
 * address returned here is also a usable pointer.  See docs/memory.md.
 *
 * Everything here may be called from any CPU and from interrupt context,
 * once page_alloc_init() has run.
 */
#ifndef RONDO_PAGE_ALLOC_H
#define RONDO_PAGE_ALLOC_H

#include "types.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE 4096UL	/* spelled as in mmu.c, so both may be seen */
#define MAX_PAGE_ORDER 10	/* largest block: 2^10 pages = 4 MiB */

/*
 * One per page of RAM, kept in an array the allocator carves out of RAM at
 * boot.  A page is in exactly one state: reserved (never handed out), the
 * first page of a free block (PG_buddy) or of an allocated block
 * (PG_head), or a later page of a block (no flag).
 */
struct page {
	u8 flags;
	u8 order;	/* of the block, in its first page */
	u8 slab_class;	/* kmalloc: size class + 1 on every page of a slab */
	u8 unused;
};

#define PG_reserved 0x01
#define PG_buddy 0x02
#define PG_head 0x04

/* Boot CPU, MMU on, before anything allocates.  Prints one summary line. */
void page_alloc_init(void);

/* 2^order contiguous pages aligned to their size, or 0 when there are none
 * (physical address 0 is never handed out). */
phys_addr_t alloc_pages(unsigned int order);
/* Give back a block from alloc_pages with the same order.  A bad address
 * or a double free is reported with a WARNING and changes nothing. */
void free_pages(phys_addr_t pa, unsigned int order);
static inline void *alloc_page(void) { return (void *)alloc_pages(0); }
static inline void free_page(void *addr) { free_pages((phys_addr_t)addr, 0); }
unsigned long nr_free_pages(void);
unsigned long nr_total_pages(void);	/* pages the allocator manages */

/* The struct page of a RAM page, or NULL for an address outside RAM. */
struct page *phys_to_page(phys_addr_t pa);

/* Smallest order whose block holds 'size' bytes. */
static inline unsigned int get_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/*
 * Small objects: power-of-two size classes from 16 to 2048 bytes, carved
 * from pages; bigger requests get whole pages (up to 4 MiB).  Objects are
 * aligned to their size class (at least 16 bytes), bigger ones to a page.
 * kmalloc(0) returns NULL; kfree(NULL) does nothing.
 */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

/* For the allocators themselves: report a bad free (one WARNING line and a
 * backtrace) and count it; the count is what tests look at. */
void mm_report_bad_free(const char *fn, u64 addr, const char *why);
unsigned long mm_bad_frees(void);

#endif
