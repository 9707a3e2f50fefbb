/*
 * Memory management: the page allocator and kmalloc here, all CPUs at
 * once in test_mm_churn.c, guarded stacks and TLB maintenance in
 * test_mm_stack.c.  The "never hand out" ranges are recomputed from the
 * image symbols and the device tree rather than taken from page_alloc.c.
 */
#include "ktest.h"
#include "fdt.h"
#include "mmu.h"
#include "page_alloc.h"
#include "stack_alloc.h"
#include "asm/sysreg.h"
#include "mm_util.h"

extern char _head[], _end[];
extern struct fdt boot_fdt;
extern u64 boot_dtb_pa;

static bool overlaps(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

static bool forbidden(u64 pa, u64 size)
{
	u64 base, rsize;

	if (overlaps(pa, size, (u64)_head, _end - _head) ||
	    overlaps(pa, size, boot_dtb_pa, boot_fdt.totalsize))
		return true;
	for (int i = 0; fdt_mem_rsv(&boot_fdt, i, &base, &rsize) == 0; i++)
		if (overlaps(pa, size, base, rsize))
			return true;
	return false;
}

static bool block_ok(phys_addr_t pa, unsigned int order)
{
	u64 size = PAGE_SIZE << order;

	return pa && !(pa & (size - 1)) && addr_is_ram(pa, size) && !forbidden(pa, size);
}

/* ---- page allocator ---- */

static void summary_is_sane(struct ktest *t)
{
	u64 ram = 0;

	for (int i = 0; i < nr_mem_regions; i++)
		ram += mem_regions[i].size;
	KT_EXPECT(t, nr_total_pages() > 0);
	KT_EXPECT(t, nr_total_pages() <= ram / PAGE_SIZE);
	KT_EXPECT(t, nr_free_pages() > nr_total_pages() / 2);
	KT_EXPECT(t, nr_free_pages() < nr_total_pages());
}

static void orders_0_to_8_aligned_in_ram(struct ktest *t)
{
	unsigned long before = nr_free_pages();

	for (unsigned int order = 0; order <= 8; order++) {
		u64 size = PAGE_SIZE << order;
		phys_addr_t pa = alloc_pages(order);
		u8 *p = (u8 *)pa;

		KT_ASSERT(t, pa);
		KT_EXPECT(t, block_ok(pa, order));
		KT_EXPECT_EQ(t, nr_free_pages(), before - (1UL << order));
		memset(p, 0xa5, size);
		KT_EXPECT_EQ(t, p[0] + p[size - 1], 0xa5 * 2);
		free_pages(pa, order);
		KT_EXPECT_EQ(t, nr_free_pages(), before);
	}
	KT_EXPECT_EQ(t, alloc_pages(MAX_PAGE_ORDER + 1), 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

static void blocks_are_distinct(struct ktest *t)
{
	static phys_addr_t pa[40];
	static unsigned int order[40];
	unsigned long before = nr_free_pages();

	for (unsigned int i = 0; i < ARRAY_SIZE(pa); i++) {
		order[i] = i % 9;
		pa[i] = alloc_pages(order[i]);
		KT_ASSERT(t, block_ok(pa[i], order[i]));
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(pa); i++)
		for (unsigned int j = i + 1; j < ARRAY_SIZE(pa); j++)
			KT_EXPECT(t, !overlaps(pa[i], PAGE_SIZE << order[i], pa[j], PAGE_SIZE << order[j]));
	for (unsigned int i = 0; i < ARRAY_SIZE(pa); i++)
		free_pages(pa[i], order[i]);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

/* Held blocks are chained through their first words; 'stamp' marks this
 * run, so a block handed out twice shows up already stamped. */
struct held {
	struct held *next;
	u64 stamp;
};

static unsigned long drain(unsigned int order, u64 stamp, struct held **list, unsigned long *bad)
{
	unsigned long n = 0;
	phys_addr_t pa;

	while ((pa = alloc_pages(order))) {
		struct held *h = (struct held *)pa;

		if (!block_ok(pa, order) || h->stamp == stamp)
			(*bad)++;
		h->stamp = stamp;
		h->next = *list;
		*list = h;
		n++;
	}
	return n;
}

static void refill(struct held *list, unsigned int order)
{
	while (list) {
		struct held *next = list->next;

		list->stamp = 0;
		free_pages((phys_addr_t)list, order);
		list = next;
	}
}

static void exhaustion_fails_cleanly(struct ktest *t)
{
	unsigned long before = nr_free_pages(), bad = 0, n;
	struct held *list = NULL;
	phys_addr_t pa;

	n = drain(0, read_cntvct() | 1, &list, &bad);
	KT_EXPECT_EQ(t, n, before);
	KT_EXPECT_EQ(t, nr_free_pages(), 0);
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, alloc_pages(0), 0);
	KT_EXPECT(t, kmalloc(4096) == NULL);
	refill(list, 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before);

	/* The single pages merged back: big blocks are there again. */
	list = NULL;
	n = drain(8, read_cntvct() | 1, &list, &bad);
	KT_EXPECT(t, n > 0 && n * 256 <= before);
	KT_EXPECT_EQ(t, bad, 0);
	refill(list, 8);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
	pa = alloc_pages(MAX_PAGE_ORDER);
	KT_EXPECT(t, block_ok(pa, MAX_PAGE_ORDER));
	free_pages(pa, MAX_PAGE_ORDER);
}

static void bad_frees_are_reported(struct ktest *t)
{
	unsigned long before = nr_free_pages(), warned = mm_bad_frees();
	phys_addr_t pa = alloc_pages(1);

	KT_ASSERT(t, pa);
	free_pages(pa + PAGE_SIZE, 0);		/* inside the block */
	free_pages(pa, 0);			/* wrong order */
	free_pages(pa + 8, 1);			/* unaligned */
	free_pages(pa, 1);			/* fine */
	free_pages(pa, 1);			/* double */
	free_pages((phys_addr_t)_head, 0);	/* the kernel */
	free_pages(STACK_AREA_BASE, 0);		/* not RAM */
	KT_EXPECT_EQ(t, mm_bad_frees() - warned, 6);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
	pa = alloc_pages(1);
	KT_EXPECT(t, block_ok(pa, 1));
	free_pages(pa, 1);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

/* ---- kmalloc ---- */

static bool bytes_are(const u8 *p, size_t n, u8 v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* The size rounded up to a power of two, at least 16, at most a page. */
static u64 promised_align(size_t size)
{
	u64 a = 16;

	while (a < size && a < PAGE_SIZE)
		a <<= 1;
	return a;
}

static void kmalloc_sizes_1_to_4096(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	unsigned int bad = 0;

	for (size_t size = 1; size <= 4096; size++) {
		u8 *p = kmalloc(size);
		u64 align = promised_align(size);

		KT_ASSERT(t, p);
		if ((u64)p & (align - 1) || !addr_is_ram((u64)p, size) || forbidden((u64)p, size))
			bad++;
		memset(p, (u8)size, size);
		if (!bytes_are(p, size, (u8)size))
			bad++;
		kfree(p);
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

/* Enough objects of each size to need several slabs, all live at once. */
static void kmalloc_objects_do_not_overlap(struct ktest *t)
{
	static const size_t sizes[] = { 16, 32, 64, 128, 256, 512, 1024, 2048, 3000, 8192 };
	static u32 *obj[600];
	unsigned long before = nr_free_pages();

	for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
		unsigned int n = MIN(ARRAY_SIZE(obj), 2 * (PAGE_SIZE * 4 / sizes[s]) + 3);
		unsigned int bad = 0;

		for (unsigned int i = 0; i < n; i++) {
			obj[i] = kmalloc(sizes[s]);
			KT_ASSERT(t, obj[i]);
			fill_words(obj[i], sizes[s], (s << 16) | i);
		}
		for (unsigned int i = 0; i < n; i++)
			bad += !words_are(obj[i], sizes[s], (s << 16) | i);
		/* Odd ones first, so slabs go from full to partial to empty. */
		for (unsigned int i = 1; i < n; i += 2)
			kfree(obj[i]);
		for (unsigned int i = 0; i < n; i += 2)
			kfree(obj[i]);
		KT_EXPECT_EQ(t, bad, 0);
		KT_EXPECT_EQ(t, nr_free_pages(), before);
	}
}

static void kzalloc_and_edge_cases(struct ktest *t)
{
	u8 *p = kmalloc(100), *q;

	KT_ASSERT(t, p);
	memset(p, 0xff, 100);
	kfree(p);
	q = kzalloc(100);
	KT_ASSERT(t, q);
	KT_EXPECT(t, bytes_are(q, 100, 0));
	kfree(q);
	KT_EXPECT(t, kmalloc(0) == NULL);
	KT_EXPECT(t, kmalloc((PAGE_SIZE << MAX_PAGE_ORDER) + 1) == NULL);
	kfree(NULL);
}

static void kfree_bad_pointers_reported(struct ktest *t)
{
	unsigned long before = nr_free_pages(), warned = mm_bad_frees();
	u8 *keep = kmalloc(64), *p = kmalloc(64), *big = kmalloc(5000);

	KT_ASSERT(t, keep && p && big);
	kfree(p + 8);			/* inside an object */
	kfree(p);
	kfree(p);			/* double; 'keep' holds the slab */
	kfree(big + PAGE_SIZE);		/* inside a big object */
	kfree(_head);			/* the kernel */
	kfree((void *)STACK_AREA_BASE);	/* not RAM */
	KT_EXPECT_EQ(t, mm_bad_frees() - warned, 5);
	kfree(keep);
	kfree(big);
	KT_EXPECT_EQ(t, mm_bad_frees() - warned, 5);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

KTEST_SUITE(mm,
	KTEST_CASE(summary_is_sane),
	KTEST_CASE(orders_0_to_8_aligned_in_ram),
	KTEST_CASE(blocks_are_distinct),
	KTEST_CASE_TIMEOUT(exhaustion_fails_cleanly, 30000),
	KTEST_CASE(bad_frees_are_reported),
	KTEST_CASE_TIMEOUT(kmalloc_sizes_1_to_4096, 10000),
	KTEST_CASE(kmalloc_objects_do_not_overlap),
	KTEST_CASE(kzalloc_and_edge_cases),
	KTEST_CASE(kfree_bad_pointers_reported),
	KTEST_CASE_TIMEOUT(concurrent_alloc_free_all_cpus, 30000),
	KTEST_CASE(stack_is_usable_and_guarded),
	KTEST_CASE(stack_free_unmaps_on_every_cpu),
	KTEST_CASE(remap_is_seen_by_other_cpus),
	KTEST_CASE(stacks_are_reused_and_counted));
