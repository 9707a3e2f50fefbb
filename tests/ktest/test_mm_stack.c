/* Guarded stacks and the TLB maintenance behind them (part of the mm
 * suite). */
#include "ktest.h"
#include "mmu.h"
#include "page_alloc.h"
#include "smp.h"
#include "stack_alloc.h"
#include "asm/spinlock.h"
#include "asm/stack.h"
#include "mm_util.h"

/* An address that is neither RAM nor stack area, for mapping tests. */
#define TEST_VA 0x7000000000UL

extern char _head[];

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

void stack_is_usable_and_guarded(struct ktest *t)
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

/* With preemption off, so "here" and "the other CPU" stay what they are. */
static int stack_free_check(struct ktest *t)
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
	if (other >= 0) {
		smp_call_function_single(other, remote_probe, &r, true);
		KT_EXPECT(t, r.par & PAR_FAULT);
	}
	return other;
}

void stack_free_unmaps_on_every_cpu(struct ktest *t)
{
	int other;

	preempt_disable();
	other = stack_free_check(t);
	preempt_enable();
	if (other < 0)
		KT_SKIP(t, "one CPU online: checked on this CPU only");
}

/* Map TEST_VA to 'page' and check both CPUs read 'want' through it. */
static void map_and_read(struct ktest *t, u64 *page, u64 want, int other)
{
	struct remote_req r = { .va = TEST_VA };
	phys_addr_t pa;

	KT_ASSERT_EQ(t, mmu_map_page(TEST_VA, (u64)page, MAP_NORMAL), 0);
	KT_EXPECT(t, mmu_virt_to_phys(TEST_VA, &pa) && pa == (u64)page);
	KT_EXPECT_EQ(t, *(volatile u64 *)TEST_VA, want);
	if (other >= 0) {
		smp_call_function_single(other, remote_read, &r, true);
		KT_EXPECT_EQ(t, r.value, want);
	}
}

/*
 * The other CPU caches TEST_VA -> page A; we unmap and map TEST_VA ->
 * page B.  If the unmap's TLB invalidation did not reach that CPU, it
 * still reads A.
 */
static int remap_check(struct ktest *t, u64 *a, u64 *b)
{
	int other = other_cpu();
	phys_addr_t pa;

	*a = 0xaaaa;
	*b = 0xbbbb;
	map_and_read(t, a, 0xaaaa, other);
	KT_EXPECT_EQ(t, mmu_map_page(TEST_VA, (u64)b, MAP_NORMAL), -EEXIST);
	mmu_unmap_range(TEST_VA, PAGE_SIZE);
	KT_EXPECT(t, !mmu_virt_to_phys(TEST_VA, &pa));
	expect_unmapped_here(t, TEST_VA);
	map_and_read(t, b, 0xbbbb, other);
	mmu_unmap_range(TEST_VA, PAGE_SIZE);
	return other;
}

void remap_is_seen_by_other_cpus(struct ktest *t)
{
	u64 *a = alloc_page(), *b = alloc_page();
	int other;

	KT_ASSERT(t, a && b && !addr_is_ram(TEST_VA, PAGE_SIZE));
	KT_EXPECT(t, mmu_map_page((u64)a, (u64)a, MAP_NORMAL) != 0);	/* RAM is mapped */
	preempt_disable();
	other = remap_check(t, a, b);
	preempt_enable();
	free_page(a);
	free_page(b);
	if (other < 0)
		KT_SKIP(t, "one CPU online: checked on this CPU only");
}

#define MANY_STACKS 70	/* more than one L3 table's worth (64 slots) */

void stacks_are_reused_and_counted(struct ktest *t)
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
