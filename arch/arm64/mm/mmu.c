/*
 * Page tables.  Rondo runs with virtual == physical addresses (it relocated
 * itself in head.S), so one set of tables serves every CPU: 4 KiB granule,
 * 39-bit addresses, three levels (L1 1 GiB, L2 2 MiB blocks, L3 4 KiB
 * pages).  RAM is mapped with 2 MiB blocks, split into pages where the
 * kernel image needs finer permissions: text read-only and executable,
 * everything else never executable, stack guards unmapped.
 */
#include "mmu.h"
#include "kernel.h"
#include "page_alloc.h"
#include "asm/atomic.h"
#include "asm/spinlock.h"
#include "asm/stack.h"
#include "asm/sysreg.h"

#define PAGE_SIZE 4096UL
#define BLOCK_SIZE (2UL << 20)
#define VA_BITS 39
#define POOL_PAGES 160

#define PTE_VALID (1UL << 0)
#define PTE_TYPE_TABLE (3UL << 0)	/* table at L1/L2, page at L3 */
#define PTE_TYPE_BLOCK (1UL << 0)
#define PTE_ATTR(i) ((u64)(i) << 2)
#define PTE_AP_RO (1UL << 7)
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF (1UL << 10)
#define PTE_PXN (1UL << 53)
#define PTE_UXN (1UL << 54)
#define PTE_ADDR 0x0000fffffffff000UL

/* MAIR_EL1 slots. */
#define MT_DEVICE_nGnRE 0
#define MT_NORMAL 1
#define MT_NORMAL_NC 2
#define MAIR_VALUE (0x04UL << (8 * MT_DEVICE_nGnRE) | 0xffUL << (8 * MT_NORMAL) | \
		    0x44UL << (8 * MT_NORMAL_NC))

struct mem_region mem_regions[MAX_MEM_REGIONS];
int nr_mem_regions;

static u64 pool[POOL_PAGES][512] __aligned(PAGE_SIZE);
static int pool_used;
static u64 *root;	/* the L1 table */

/* Read by secondaries with their MMU off (head.S __cpu_enable_mmu). */
struct { u64 ttbr0, tcr, mair, sctlr; } mmu_boot_regs;

extern char _head[], _etext[], __rodata_start[], __rodata_end[], __data_start[], _end[];
extern char __stacks_start[], __stacks_end[];
void __cpu_enable_mmu(void);
void dcache_inval_range(u64 start, u64 end);

static u64 *alloc_table(void)
{
	if (pool_used == POOL_PAGES)
		panic("mmu: page-table pool (%d pages) exhausted", POOL_PAGES);
	/* .bss is zero, so a fresh table is all invalid entries. */
	return pool[pool_used++];
}

static unsigned int level_shift(int level)
{
	return 12 + 9 * (3 - level);
}

/* Entry for 'va' at 'level', creating tables and splitting blocks above. */
static u64 *walk(u64 va, int level)
{
	u64 *table = root;

	for (int l = 1; l < level; l++) {
		u64 *e = &table[(va >> level_shift(l)) & 511];

		if (!(*e & PTE_VALID)) {
			*e = (u64)alloc_table() | PTE_TYPE_TABLE;
		} else if ((*e & 3) == PTE_TYPE_BLOCK) {
			/* Keep the block's attributes on every smaller entry. */
			u64 *t = alloc_table(), base = *e & PTE_ADDR;
			u64 attrs = *e & ~PTE_ADDR & ~3UL;
			u64 step = 1UL << level_shift(l + 1);
			u64 type = l + 1 == 3 ? PTE_TYPE_TABLE : PTE_TYPE_BLOCK;

			for (int i = 0; i < 512; i++)
				t[i] = (base + i * step) | attrs | type;
			*e = (u64)t | PTE_TYPE_TABLE;
		}
		table = (u64 *)(*e & PTE_ADDR);
	}
	return &table[(va >> level_shift(level)) & 511];
}

static u64 type_attrs(enum map_type type)
{
	u64 normal = PTE_ATTR(MT_NORMAL) | PTE_AF | PTE_SH_INNER;

	switch (type) {
	case MAP_DEVICE:
		return PTE_ATTR(MT_DEVICE_nGnRE) | PTE_AF | PTE_PXN | PTE_UXN;
	case MAP_TEXT:
		return normal | PTE_AP_RO | PTE_UXN;
	case MAP_RODATA:
		return normal | PTE_AP_RO | PTE_PXN | PTE_UXN;
	case MAP_NORMAL:
	default:
		return normal | PTE_PXN | PTE_UXN;
	}
}

/* Is the L2 slot for 'va' free to hold a block (not already a table)? */
static bool l2_block_ok(u64 va)
{
	u64 e = root[(va >> 30) & 511];

	if ((e & 3) != PTE_TYPE_TABLE)
		return true;
	e = ((u64 *)(e & PTE_ADDR))[(va >> 21) & 511];
	return (e & 3) != PTE_TYPE_TABLE;
}

void mmu_map(u64 pa, u64 size, enum map_type type)
{
	u64 a = ALIGN_DOWN(pa, PAGE_SIZE), end = ALIGN_UP(pa + size, PAGE_SIZE);
	u64 attrs = type_attrs(type);

	if (end > (1UL << VA_BITS))
		panic("mmu: 0x%lx-0x%lx is beyond the %d-bit address space", pa, pa + size, VA_BITS);
	while (a < end) {
		if (!(a & (BLOCK_SIZE - 1)) && end - a >= BLOCK_SIZE && l2_block_ok(a)) {
			*walk(a, 2) = a | attrs | PTE_TYPE_BLOCK;
			a += BLOCK_SIZE;
		} else {
			*walk(a, 3) = a | attrs | PTE_TYPE_TABLE;
			a += PAGE_SIZE;
		}
	}
}

static void unmap_page(u64 va)
{
	*walk(va, 3) = 0;
}

bool addr_is_ram(u64 pa, u64 size)
{
	for (int i = 0; i < nr_mem_regions; i++)
		if (pa >= mem_regions[i].base && pa + size <= mem_regions[i].base + mem_regions[i].size)
			return true;
	return false;
}

static u64 pa_range_bits(void)
{
	/* ID_AA64MMFR0_EL1.PARange, capped at 48 bits (no LPA). */
	u64 r = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return r > 5 ? 5 : r;
}

void mmu_init(void)
{
	root = alloc_table();
	for (int i = 0; i < nr_mem_regions; i++)
		mmu_map(mem_regions[i].base, mem_regions[i].size, MAP_NORMAL);
	mmu_map((u64)_head, _etext - _head, MAP_TEXT);
	mmu_map((u64)__rodata_start, __rodata_end - __rodata_start, MAP_RODATA);
	mmu_map((u64)__data_start, _end - __data_start, MAP_NORMAL);
	for (u64 s = (u64)__stacks_start; s < (u64)__stacks_end; s += STACK_SLOT)
		for (u64 g = s; g < s + STACK_SIZE; g += PAGE_SIZE)
			unmap_page(g);

	mmu_boot_regs.ttbr0 = (u64)root;
	mmu_boot_regs.tcr = (64 - VA_BITS) |		/* T0SZ */
			    (1UL << 8) | (1UL << 10) |	/* walks: inner/outer WBWA */
			    (3UL << 12) |		/* inner shareable */
			    (0UL << 14) |		/* 4 KiB granule */
			    (1UL << 23) |		/* EPD1: no TTBR1 walks */
			    (pa_range_bits() << 32);	/* IPS */
	mmu_boot_regs.mair = MAIR_VALUE;
	mmu_boot_regs.sctlr = read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA;
}

void mmu_enable_boot_cpu(void)
{
	/* Everything written so far went to memory around the (off) cache;
	 * drop any stale lines a boot loader left for the image before the
	 * cache starts answering for these addresses. */
	dcache_inval_range((u64)_head, (u64)_end);
	__cpu_enable_mmu();
}

u64 mmu_probe(u64 va, bool write)
{
	if (write)
		__asm__ volatile("at s1e1w, %0" :: "r"(va));
	else
		__asm__ volatile("at s1e1r, %0" :: "r"(va));
	isb();
	return read_sysreg(par_el1);
}

/*
 * Runtime changes (stacks, later anything vmalloc-like).  Every CPU walks
 * these tables, so: a new table is zeroed and made visible before the
 * entry that points to it; a new leaf needs no TLB work, since an invalid
 * entry is never cached; a cleared leaf is followed by a broadcast TLBI
 * and only then may the caller reuse the page.  Live blocks are never
 * split here (that would need break-before-make), and a valid entry is
 * never rewritten.
 */
static DEFINE_SPINLOCK(mmu_lock);

/* The boot pool while it lasts, then the page allocator. */
static u64 *alloc_table_runtime(void)
{
	u64 *t;

	if (pool_used < POOL_PAGES)
		return pool[pool_used++];
	t = alloc_page();
	if (t)
		memset(t, 0, PAGE_SIZE);
	return t;
}

/* The L3 entry for 'va' in *pte; 0, -ENOENT (no table and !create),
 * -ENOMEM or -EINVAL (a block maps va). */
static int walk_runtime(u64 va, bool create, u64 **pte)
{
	u64 *table = root;

	for (int l = 1; l < 3; l++) {
		u64 *e = &table[(va >> level_shift(l)) & 511];

		if (!(*e & PTE_VALID)) {
			u64 *t;

			if (!create)
				return -ENOENT;
			t = alloc_table_runtime();
			if (!t)
				return -ENOMEM;
			dsb(ishst);	/* zeroes before the pointer to them */
			WRITE_ONCE(*e, (u64)t | PTE_TYPE_TABLE);
		} else if ((*e & 3) == PTE_TYPE_BLOCK) {
			return -EINVAL;
		}
		table = (u64 *)(*e & PTE_ADDR);
	}
	*pte = &table[(va >> level_shift(3)) & 511];
	return 0;
}

int mmu_map_page(u64 va, u64 pa, enum map_type type)
{
	unsigned long flags;
	u64 *pte;
	int err;

	if ((va | pa) & (PAGE_SIZE - 1) || va >= (1UL << VA_BITS))
		return -EINVAL;
	spin_lock_irqsave(&mmu_lock, flags);
	err = walk_runtime(va, true, &pte);
	if (!err && (*pte & PTE_VALID))
		err = -EEXIST;
	if (!err) {
		WRITE_ONCE(*pte, pa | type_attrs(type) | PTE_TYPE_TABLE);
		/* Visible to every walker before anyone is told of the page. */
		dsb(ishst);
		isb();
	}
	spin_unlock_irqrestore(&mmu_lock, flags);
	return err;
}

void mmu_unmap_range(u64 va, u64 size)
{
	u64 start = ALIGN_DOWN(va, PAGE_SIZE), end = ALIGN_UP(va + size, PAGE_SIZE);
	unsigned long flags;
	u64 *pte;

	spin_lock_irqsave(&mmu_lock, flags);
	for (u64 a = start; a < end; a += PAGE_SIZE) {
		int err = walk_runtime(a, false, &pte);

		WARN_ON(err == -EINVAL);	/* block: not ours to take apart */
		if (!err)
			WRITE_ONCE(*pte, 0);
	}
	/* Entries cleared before the invalidation, which is broadcast to
	 * the inner-shareable domain; the DSB waits for every CPU.  No need
	 * to hold the lock for that: an entry mapped here meanwhile would
	 * merely be looked up again. */
	dsb(ishst);
	spin_unlock_irqrestore(&mmu_lock, flags);
	for (u64 a = start; a < end; a += PAGE_SIZE)
		__asm__ volatile("tlbi vaae1is, %0" :: "r"(a >> 12) : "memory");
	dsb(ish);
	isb();
}

bool mmu_virt_to_phys(u64 va, phys_addr_t *pa)
{
	u64 *table = root, e = 0;
	int l;

	for (l = 1; l <= 3; l++) {
		e = READ_ONCE(table[(va >> level_shift(l)) & 511]);
		if (!(e & PTE_VALID))
			return false;
		if (l == 3 || (e & 3) == PTE_TYPE_BLOCK)
			break;
		table = (u64 *)(e & PTE_ADDR);
	}
	*pa = (e & PTE_ADDR & ~((1UL << level_shift(l)) - 1)) | (va & ((1UL << level_shift(l)) - 1));
	return true;
}
