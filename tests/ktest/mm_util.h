/* Shared by the mm test files (test_mm*.c); the suite is in test_mm.c. */
#ifndef TESTS_MM_UTIL_H
#define TESTS_MM_UTIL_H

#include "ktest.h"

#define EC(esr) (((esr) >> 26) & 0x3f)
#define FSC(esr) ((esr) & 0x3f)
#define PAR_FAULT 1UL
#define EC_DATA_ABORT 0x25
#define FSC_TRANSLATION 0x04

static inline void read_from(void *addr)
{
	(void)*(volatile u64 *)addr;
}

static inline void fill_words(u32 *p, size_t size, u32 v)
{
	for (size_t i = 0; i < size / 4; i++)
		p[i] = v;
}

static inline bool words_are(const u32 *p, size_t size, u32 v)
{
	for (size_t i = 0; i < size / 4; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* test_mm_churn.c */
void concurrent_alloc_free_all_cpus(struct ktest *t);
/* test_mm_stack.c */
void stack_is_usable_and_guarded(struct ktest *t);
void stack_free_unmaps_on_every_cpu(struct ktest *t);
void remap_is_seen_by_other_cpus(struct ktest *t);
void stacks_are_reused_and_counted(struct ktest *t);

#endif
