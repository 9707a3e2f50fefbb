/* Host stand-in for asm/irqflags.h (tests/host/test_pelt.c): nothing to mask. */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

static inline unsigned long local_irq_save(void) { return 0; }
static inline void local_irq_restore(unsigned long flags) { (void)flags; }

#endif
