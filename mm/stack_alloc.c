/*
 * Thread stacks in their own virtual area, with guard pages.
 *
 * The pages of a stack need not be contiguous in RAM: they are mapped side
 * by side in a slot of the stack area, the way Linux's VMAP_STACK gets its
 * stacks from vmalloc.  The unmapped lower half of the slot is the guard,
 * and because slots are aligned to their size, bit STACK_GUARD_BIT of an
 * address tells stack from guard (asm/stack.h, vectors.S).
 *
 * A slot is "used" from stack_alloc until stack_free has unmapped it; it
 * is also "dying" while stack_free works on it, so that a second
 * stack_free of the same stack is caught instead of freeing pages twice.
 */
#include "stack_alloc.h"
#include "kernel.h"
#include "bitmap.h"
#include "mmu.h"
#include "page_alloc.h"
#include "asm/spinlock.h"

#define STACK_PAGES (STACK_SIZE / PAGE_SIZE)

extern char __stacks_start[], __stacks_end[];

static DEFINE_SPINLOCK(slot_lock);
static unsigned long slot_used[BITS_TO_LONGS(STACK_AREA_SLOTS)];
static unsigned long slot_dying[BITS_TO_LONGS(STACK_AREA_SLOTS)];

static u64 slot_base(long slot)
{
	return STACK_AREA_BASE + (u64)slot * STACK_SLOT;
}

/* Identity-mapped RAM there would collide with our mappings. */
static bool stack_area_clear_of_ram(void)
{
	for (int i = 0; i < nr_mem_regions; i++) {
		u64 b = mem_regions[i].base, e = b + mem_regions[i].size;

		if (b < STACK_AREA_END && STACK_AREA_BASE < e) {
			printk("stack_alloc: RAM at 0x%lx-0x%lx overlaps the stack area\n", b, e - 1);
			return false;
		}
	}
	return true;
}

/* Lowest free slot, so freed slots are reused first; -1 if none. */
static long take_slot(void)
{
	unsigned long flags;
	long slot = -1;

	spin_lock_irqsave(&slot_lock, flags);
	for (unsigned int w = 0; w < ARRAY_SIZE(slot_used); w++) {
		if (~slot_used[w]) {
			slot = w * BITS_PER_LONG + __builtin_ctzl(~slot_used[w]);
			__set_bit(slot, slot_used);
			break;
		}
	}
	spin_unlock_irqrestore(&slot_lock, flags);
	return slot;
}

static void put_slot(long slot)
{
	unsigned long flags;

	spin_lock_irqsave(&slot_lock, flags);
	__clear_bit(slot, slot_used);
	__clear_bit(slot, slot_dying);
	spin_unlock_irqrestore(&slot_lock, flags);
}

/* Unmap the first 'n' pages of a stack on every CPU, then free them. */
static void unmap_and_free(u64 stack, unsigned int n)
{
	phys_addr_t pa[STACK_PAGES];
	bool mapped[STACK_PAGES];

	for (unsigned int i = 0; i < n; i++)
		mapped[i] = mmu_virt_to_phys(stack + i * PAGE_SIZE, &pa[i]);
	mmu_unmap_range(stack, n * PAGE_SIZE);
	for (unsigned int i = 0; i < n; i++)
		if (mapped[i])
			free_pages(pa[i], 0);
}

void *stack_alloc(void)
{
	unsigned int i;
	long slot;
	u64 stack;

	if (!stack_area_clear_of_ram())
		return NULL;
	slot = take_slot();
	if (slot < 0)
		return NULL;
	stack = slot_base(slot) + STACK_SIZE;
	for (i = 0; i < STACK_PAGES; i++) {
		phys_addr_t pa = alloc_pages(0);

		if (!pa)
			break;
		/* Cleared before it is mapped: nothing of its last owner shows. */
		memset((void *)pa, 0, PAGE_SIZE);
		if (mmu_map_page(stack + i * PAGE_SIZE, pa, MAP_NORMAL)) {
			free_pages(pa, 0);
			break;
		}
	}
	if (i < STACK_PAGES) {
		unmap_and_free(stack, i);
		put_slot(slot);
		return NULL;
	}
	return (void *)(stack + STACK_SIZE);
}

/* Mark the slot of 'top' dying; NULL, or why it cannot be freed. */
static const char *claim_for_free(u64 top, long *slot)
{
	unsigned long flags;
	const char *why = NULL;

	if (top <= STACK_AREA_BASE || top > STACK_AREA_END || (top & (STACK_SLOT - 1)))
		return "not the top of a stack from stack_alloc";
	*slot = (top - STACK_AREA_BASE) / STACK_SLOT - 1;
	spin_lock_irqsave(&slot_lock, flags);
	if (!test_bit(*slot, slot_used) || test_bit(*slot, slot_dying))
		why = "double free";
	else
		__set_bit(*slot, slot_dying);
	spin_unlock_irqrestore(&slot_lock, flags);
	return why;
}

void stack_free(void *top)
{
	u64 t = (u64)top, sp = (u64)__builtin_frame_address(0);
	const char *why;
	long slot;

	if (sp < t && sp >= t - STACK_SIZE) {
		mm_report_bad_free("stack_free", t, "that is the stack we are running on");
		return;
	}
	why = claim_for_free(t, &slot);
	if (why) {
		mm_report_bad_free("stack_free", t, why);
		return;
	}
	unmap_and_free(t - STACK_SIZE, STACK_PAGES);
	put_slot(slot);
}

bool stack_addr_valid(u64 addr)
{
	unsigned long slot;

	if (addr_in_guard(addr))
		return false;
	if (addr >= (u64)__stacks_start && addr < (u64)__stacks_end)
		return true;
	if (addr < STACK_AREA_BASE || addr >= STACK_AREA_END)
		return false;
	/* Unlocked: a backtrace on a stack being freed is a bug anyway. */
	slot = (addr - STACK_AREA_BASE) / STACK_SLOT;
	return test_bit(slot, slot_used) && !test_bit(slot, slot_dying);
}
