/*
 * Memory management: the page allocator, kmalloc and guarded thread
 * stacks.  The "never hand out" ranges are recomputed here from the image
 * symbols and the device tree rather than taken from page_alloc.c.
 */
#include "ktest.h"
#include "fdt.h"
#include "mmu.h"
#include "page_alloc.h"
#include "smp.h"
#include "stack_alloc.h"
#include "timer.h"
#include "asm/atomic.h"
#include "asm/stack.h"
#include "asm/sysreg.h"

#define EC(esr) (((esr) >> 26) & 0x3f)
#define FSC(esr) ((esr) & 0x3f)
#define PAR_FAULT 1UL
#define EC_DATA_ABORT 0x25
#define FSC_TRANSLATION 0x04

/* An address that is neither RAM nor stack area, for mapping tests. */
#define TEST_VA 0x7000000000UL

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

static void read_from(void *addr)
{
	(void)*(volatile u64 *)addr;
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

static void fill_words(u32 *p, size_t size, u32 v)
{
	for (size_t i = 0; i < size / 4; i++)
		p[i] = v;
}

static bool words_are(const u32 *p, size_t size, u32 v)
{
	for (size_t i = 0; i < size / 4; i++)
		if (p[i] != v)
			return false;
	return true;
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

/* ---- all CPUs at once ---- */

#define CHURN_OBJS 8

/* Rounds per CPU shrink as CPUs grow: with many vCPUs on few host cores
 * every contended lock hand-over can cost a host time slice. */
static unsigned int churn_rounds;
static atomic_t churn_errors, churn_done;
static bool churn_stop;

static void churn_round(unsigned int cpu, unsigned int round)
{
	static const size_t sizes[] = { 16, 24, 40, 100, 256, 700, 2048, 3000, 4096 };
	u32 *obj[CHURN_OBJS];

	for (unsigned int i = 0; i < CHURN_OBJS; i++) {
		size_t size = sizes[(round + i + cpu) % ARRAY_SIZE(sizes)];

		obj[i] = kmalloc(size);
		if (obj[i])
			fill_words(obj[i], size, (cpu << 24) | (round << 8) | i);
		else
			atomic_inc(&churn_errors);
	}
	for (unsigned int i = 0; i < CHURN_OBJS; i++) {
		size_t size = sizes[(round + i + cpu) % ARRAY_SIZE(sizes)];

		if (obj[i] && !words_are(obj[i], size, (cpu << 24) | (round << 8) | i))
			atomic_inc(&churn_errors);
		kfree(obj[i]);
	}
}

static void churn_stack(void)
{
	u64 top = (u64)stack_alloc();

	if (!top) {
		atomic_inc(&churn_errors);
		return;
	}
	*(volatile u64 *)(top - 8) = top;
	*(volatile u64 *)(top - STACK_SIZE) = top;
	if (*(volatile u64 *)(top - 8) != top)
		atomic_inc(&churn_errors);
	stack_free((void *)top);
}

static void churn(void *unused)
{
	unsigned int cpu = smp_processor_id();

	for (unsigned int round = 0; round < churn_rounds && !READ_ONCE(churn_stop); round++) {
		churn_round(cpu, round);
		if (round % 16 == cpu % 16)
			churn_stack();
		if (round % 4 == 0) {
			phys_addr_t pa = alloc_pages(round % 3);

			if (pa)
				free_pages(pa, round % 3);
			else
				atomic_inc(&churn_errors);
		}
	}
	atomic_inc(&churn_done);
}

static void concurrent_alloc_free_all_cpus(struct ktest *t)
{
	unsigned int n = num_online_cpus();
	unsigned long before, warned = mm_bad_frees();
	u64 deadline;

	/* Page tables for the stack slots first, so the count is exact. */
	for (unsigned int i = 0; i < n; i++)
		churn_stack();
	before = nr_free_pages();
	churn_rounds = MAX(8U, 512 / n);
	churn_stop = false;
	atomic_set(&churn_errors, 0);
	atomic_set(&churn_done, 0);
	smp_call_function_many(cpu_online_mask, churn, NULL, false);
	churn(NULL);
	deadline = read_cntvct() + 20 * timer_freq;
	while (atomic_read(&churn_done) < (int)n && read_cntvct() < deadline)
		cpu_relax();
	if (atomic_read(&churn_done) < (int)n) {
		/* Too slow: stop the others before failing, or they would
		 * still be busy in their IPI handler during later tests. */
		WRITE_ONCE(churn_stop, true);
		while (atomic_read(&churn_done) < (int)n)
			cpu_relax();
		KT_ASSERT(t, !"all CPUs finished within 20 s");
	}
	KT_EXPECT_EQ(t, atomic_read(&churn_errors), 0);
	KT_EXPECT_EQ(t, mm_bad_frees(), warned);
	KT_EXPECT_EQ(t, nr_free_pages(), before);
}

/* ---- stacks ---- */

/* Switch to 'top', call fn(arg) there, switch back. */
static u64 call_on_stack(u64 top, u64 (*fn)(u64), u64 arg)
{
	register u64 x0 __asm__("x0") = arg;
	register u64 x1 __asm__("x1") = (u64)fn;
	register u64 x2 __asm__("x2") = top;

	__asm__ volatile("mov	x19, sp\n\tmov	sp, x2\n\tblr	x1\n\tmov	sp, x19"
			 : "+r"(x0), "+r"(x1), "+r"(x2)
			 :
			 : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			   "x14", "x15", "x16", "x17", "x18", "x19", "x30", "memory", "cc");
	return x0;
}

/* Recurse 'depth' frames of some 250 bytes; returns the lowest frame. */
static u64 __attribute__((noinline)) dig(u64 depth)
{
	volatile u8 buf[200];
	u64 fp = (u64)__builtin_frame_address(0), lowest;

	buf[0] = (u8)depth;
	buf[199] = buf[0];
	if (!depth)
		return fp;
	lowest = dig(depth - 1);
	return MIN(lowest, fp) + (u8)(buf[199] - (u8)depth);
}

static void stack_is_usable_and_guarded(struct ktest *t)
{
	u64 top = (u64)stack_alloc(), guard, lowest, esr;
	u64 *w;
	unsigned int bad = 0;

	KT_ASSERT(t, top);
	guard = top - STACK_SIZE - 8;
	KT_EXPECT_EQ(t, top & (STACK_SLOT - 1), 0);
	KT_EXPECT(t, top > STACK_AREA_BASE && top <= STACK_AREA_END);
	KT_EXPECT(t, !addr_in_guard(top - STACK_SIZE) && addr_in_guard(guard));
	KT_EXPECT(t, stack_addr_valid(top - 8) && !stack_addr_valid(guard));

	/* Zeroed, then writable over its whole length. */
	w = (u64 *)(top - STACK_SIZE);
	for (unsigned int i = 0; i < STACK_SIZE / 8; i++) {
		bad += w[i] != 0;
		w[i] = i * 0x9e3779b97f4a7c15UL;
	}
	for (unsigned int i = 0; i < STACK_SIZE / 8; i++)
		bad += w[i] != i * 0x9e3779b97f4a7c15UL;
	KT_EXPECT_EQ(t, bad, 0);

	/* Code runs on it, some 10 KiB deep. */
	lowest = call_on_stack(top, dig, 40);
	KT_EXPECT(t, lowest >= top - STACK_SIZE && lowest < top - 8192);

	KT_EXPECT(t, mmu_probe(guard, false) & PAR_FAULT);
	esr = ktest_expect_fault(read_from, (void *)guard);
	KT_EXPECT_EQ(t, EC(esr), EC_DATA_ABORT);
	KT_EXPECT_EQ(t, FSC(esr) & 0x3c, FSC_TRANSLATION);
	stack_free((void *)top);
	KT_EXPECT(t, !stack_addr_valid(top - 8));
}

struct remote_req {
	u64 va;
	u64 value;
	u64 par;
};

static void remote_read(void *arg)
{
	struct remote_req *r = arg;

	r->value = *(volatile u64 *)r->va;
}

static void remote_probe(void *arg)
{
	struct remote_req *r = arg;

	r->par = mmu_probe(r->va, false);
}

static int other_cpu(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			return (int)cpu;
	return -1;
}

static void expect_unmapped_here(struct ktest *t, u64 va)
{
	u64 esr = ktest_expect_fault(read_from, (void *)va);

	KT_EXPECT_EQ(t, EC(esr), EC_DATA_ABORT);
	KT_EXPECT_EQ(t, FSC(esr) & 0x3c, FSC_TRANSLATION);
}

static void stack_free_unmaps_on_every_cpu(struct ktest *t)
{
	u64 top = (u64)stack_alloc();
	struct remote_req r;
	int other = other_cpu();

	KT_ASSERT(t, top);
	r.va = top - 8;
	*(volatile u64 *)r.va = 0x57ac4ed0feedUL;
	/* Both CPUs use the translation, so both may have it cached. */
	KT_EXPECT_EQ(t, *(volatile u64 *)r.va, 0x57ac4ed0feedUL);
	if (other >= 0) {
		smp_call_function_single(other, remote_read, &r, true);
		KT_EXPECT_EQ(t, r.value, 0x57ac4ed0feedUL);
	}
	stack_free((void *)top);
	expect_unmapped_here(t, r.va);
	expect_unmapped_here(t, top - STACK_SIZE);
	if (other < 0)
		KT_SKIP(t, "one CPU online: checked on this CPU only");
	smp_call_function_single(other, remote_probe, &r, true);
	KT_EXPECT(t, r.par & PAR_FAULT);
}

/*
 * The remote CPU caches VA -> page A; we unmap and map VA -> page B.  If
 * the unmap's TLB invalidation did not reach that CPU, it still reads A.
 */
static void remap_is_seen_by_other_cpus(struct ktest *t)
{
	u64 *a = alloc_page(), *b = alloc_page();
	struct remote_req r = { .va = TEST_VA };
	int other = other_cpu();
	phys_addr_t pa;

	KT_ASSERT(t, a && b && !addr_is_ram(TEST_VA, PAGE_SIZE));
	*a = 0xaaaa;
	*b = 0xbbbb;
	KT_ASSERT_EQ(t, mmu_map_page(TEST_VA, (u64)a, MAP_NORMAL), 0);
	KT_EXPECT_EQ(t, mmu_map_page(TEST_VA, (u64)b, MAP_NORMAL), -EEXIST);
	KT_EXPECT(t, mmu_map_page((u64)a, (u64)a, MAP_NORMAL) != 0);	/* RAM is mapped */
	KT_EXPECT(t, mmu_virt_to_phys(TEST_VA, &pa) && pa == (u64)a);
	KT_EXPECT_EQ(t, *(volatile u64 *)TEST_VA, 0xaaaa);
	if (other >= 0) {
		smp_call_function_single(other, remote_read, &r, true);
		KT_EXPECT_EQ(t, r.value, 0xaaaa);
	}
	mmu_unmap_range(TEST_VA, PAGE_SIZE);
	KT_EXPECT(t, !mmu_virt_to_phys(TEST_VA, &pa));
	expect_unmapped_here(t, TEST_VA);
	KT_ASSERT_EQ(t, mmu_map_page(TEST_VA, (u64)b, MAP_NORMAL), 0);
	KT_EXPECT_EQ(t, *(volatile u64 *)TEST_VA, 0xbbbb);
	if (other >= 0) {
		smp_call_function_single(other, remote_read, &r, true);
		KT_EXPECT_EQ(t, r.value, 0xbbbb);
	}
	mmu_unmap_range(TEST_VA, PAGE_SIZE);
	free_page(a);
	free_page(b);
	if (other < 0)
		KT_SKIP(t, "one CPU online: checked on this CPU only");
}

#define MANY_STACKS 70	/* more than one L3 table's worth (64 slots) */

static void stacks_are_reused_and_counted(struct ktest *t)
{
	static u64 first[MANY_STACKS], again[MANY_STACKS];
	unsigned long before, warned;

	for (int i = 0; i < MANY_STACKS; i++)
		KT_ASSERT(t, (first[i] = (u64)stack_alloc()));
	for (int i = 0; i < MANY_STACKS; i++)
		stack_free((void *)first[i]);
	before = nr_free_pages();
	for (int i = 0; i < MANY_STACKS; i++) {
		KT_ASSERT(t, (again[i] = (u64)stack_alloc()));
		KT_EXPECT_EQ(t, again[i], first[i]);	/* lowest free slot first */
		for (int j = 0; j < i; j++)
			KT_EXPECT(t, again[j] != again[i]);
	}
	KT_EXPECT_EQ(t, nr_free_pages(), before - MANY_STACKS * (STACK_SIZE / PAGE_SIZE));
	for (int i = 0; i < MANY_STACKS; i++)
		stack_free((void *)again[i]);
	KT_EXPECT_EQ(t, nr_free_pages(), before);

	warned = mm_bad_frees();
	stack_free((void *)again[0]);			/* double */
	stack_free((void *)(again[0] - 16));		/* not a top */
	stack_free(_head);				/* not a stack */
	KT_EXPECT_EQ(t, mm_bad_frees() - warned, 3);
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
