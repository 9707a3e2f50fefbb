/* Host stand-in for asm/atomic.h (tests/host/test_fair.c, test_pelt.c): the
 * real one reads SCTLR_EL1 before every exclusive and pulls in the real
 * sysreg.h, which the host cannot assemble.  The check is empty here; the
 * operations are the kernel's own (asm/atomic_ops.h). */
#ifndef ASM_ATOMIC_H
#define ASM_ATOMIC_H

#include "types.h"
#include "asm/sysreg.h"

static inline void exclusive_check(void) { }

#include "asm/atomic_ops.h"

#endif
