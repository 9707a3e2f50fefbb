/* Identity-mapped page tables (arch/arm64/mm/mmu.c). */
#ifndef RONDO_MMU_H
#define RONDO_MMU_H

#include "types.h"

struct mem_region {
	u64 base, size;
};

#define MAX_MEM_REGIONS 8
extern struct mem_region mem_regions[MAX_MEM_REGIONS];
extern int nr_mem_regions;

enum map_type { MAP_DEVICE, MAP_NORMAL, MAP_TEXT, MAP_RODATA };

/* Boot CPU: build the tables (MMU still off). */
void mmu_init(void);
void mmu_map(u64 pa, u64 size, enum map_type type);
/* Turn the MMU on for this CPU (the boot CPU first cleans what secondaries
 * read with their MMU off). */
void mmu_enable_boot_cpu(void);
bool addr_is_ram(u64 pa, u64 size);
/*
 * Runtime mappings of single pages outside the boot map (after
 * page_alloc_init; any CPU; irq-safe).  mmu_map_page returns 0, -EEXIST
 * (already mapped), -EINVAL (unaligned, or inside a block) or -ENOMEM (no
 * page for a table).  mmu_unmap_range returns once no CPU can use the old
 * translations any more, so the pages may be freed then.
 */
int mmu_map_page(u64 va, u64 pa, enum map_type type);
void mmu_unmap_range(u64 va, u64 size);
/* Software walk: false when 'va' is not mapped. */
bool mmu_virt_to_phys(u64 va, phys_addr_t *pa);
/* Translate with the AT instruction: PAR_EL1, for tests. */
u64 mmu_probe(u64 va, bool write);

#endif
