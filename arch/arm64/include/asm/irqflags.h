/* Masking IRQs on the local CPU (the I bit of DAIF). */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include "types.h"

static inline unsigned long local_save_flags(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif" : "=r"(flags) :: "memory");
	return flags;
}

static inline unsigned long local_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(flags) :: "memory");
	return flags;
}

static inline void local_irq_restore(unsigned long flags)
{
	__asm__ volatile("msr daif, %0" :: "r"(flags) : "memory");
}

static inline void local_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline void local_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

/* Were IRQs masked when 'flags' was saved? (DAIF.I, bit 7) */
static inline bool arch_irqs_disabled_flags(unsigned long flags)
{
	return flags & (1UL << 7);
}

static inline bool irqs_disabled(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif" : "=r"(flags));
	return flags & (1UL << 7);
}

#endif
