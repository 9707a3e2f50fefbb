/* The register frame the exception entry code saves (vectors.S). */
#ifndef ASM_PTREGS_H
#define ASM_PTREGS_H

#define S_X0 0
#define S_X29 (29 * 8)
#define S_LR (30 * 8)
#define S_SP (31 * 8)
#define S_PC (32 * 8)
#define S_PSTATE (33 * 8)
#define S_ESR (34 * 8)
#define S_FAR (35 * 8)
#define S_FRAME_SIZE (36 * 8)

#ifndef __ASSEMBLER__
#include "types.h"

struct pt_regs {
	u64 regs[31];
	u64 sp;
	u64 pc;
	u64 pstate;
	u64 esr;
	u64 far;
};

_Static_assert(sizeof(struct pt_regs) == S_FRAME_SIZE, "pt_regs layout");
#endif

#endif
