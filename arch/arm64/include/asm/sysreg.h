/* System register access and the few bit definitions the kernel uses. */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#include "types.h"

#define read_sysreg(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" :: "r"((u64)(v)) : "memory")
/* For registers the assembler may not know by name. */
#define read_sysreg_s(enc) ({ u64 __v; __asm__ volatile("mrs %0, " enc : "=r"(__v)); __v; })
#define write_sysreg_s(enc, v) __asm__ volatile("msr " enc ", %0" :: "r"((u64)(v)) : "memory")

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define cpu_relax() __asm__ volatile("yield" ::: "memory")
#define barrier() __asm__ volatile("" ::: "memory")

#define mb() dsb(sy)
#define smp_mb() dmb(ish)
#define smp_rmb() dmb(ishld)
#define smp_wmb() dmb(ishst)

/* MPIDR: the affinity fields, without the U and MT bits. */
#define MPIDR_HWID_MASK 0xff00ffffffUL
#define INVALID_HWID (~0UL)

/* SCTLR_EL1 */
#define SCTLR_M (1UL << 0)
#define SCTLR_A (1UL << 1)
#define SCTLR_C (1UL << 2)
#define SCTLR_SA (1UL << 3)
#define SCTLR_I (1UL << 12)

/* GICv3 CPU interface registers, by encoding. */
#define ICC_SRE_EL1 "S3_0_C12_C12_5"
#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_BPR1_EL1 "S3_0_C12_C12_3"
#define ICC_CTLR_EL1 "S3_0_C12_C12_4"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define ICC_SGI1R_EL1 "S3_0_C12_C11_5"

static inline u64 read_cntvct(void)
{
	isb();	/* the counter read must not be hoisted above earlier work */
	return read_sysreg(cntvct_el0);
}

static inline u64 read_cntfrq(void)
{
	return read_sysreg(cntfrq_el0);
}

#endif
