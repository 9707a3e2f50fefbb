/*
 * The first instructions: the arm64 Image header, the boot CPU's entry and
 * the secondary CPUs' entry.  Everything here runs with the MMU off, so it
 * only uses PC-relative addressing; C is entered once .bss is clear, a
 * stack is set and the image has relocated itself.
 */
#include "asm/asm.h"
#include "asm/stack.h"

#define R_AARCH64_RELATIVE 1027

	.section ".head.text", "ax"
ENTRY(_head)
	/* The Image header (Linux Documentation/arch/arm64/booting.rst). */
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: load 2 MiB aligned + 0 */
	.quad	_image_size		/* bytes to reserve, .bss included */
	.quad	0xa			/* LE, 4K pages, may sit anywhere in RAM */
	.quad	0, 0, 0
	.ascii	"ARM\x64"		/* magic */
	.long	0
END(_head)

	.text
/*
 * Boot CPU.  x0 = physical address of the DTB (boot protocol).
 */
ENTRY(primary_entry)
	mov	x19, x0
	mrs	x20, CurrentEL
	bl	el2_to_el1

	/* U-Boot leaves garbage in RAM, so .bss is cleared here (16-byte
	 * aligned by the linker script). */
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:
	/* The boot CPU uses stack slot 0. */
	adr_l	x0, boot_stacks
	add	x0, x0, #STACK_SLOT
	mov	sp, x0
	mov	x29, xzr
	mov	x30, xzr

	/* Apply R_AARCH64_RELATIVE: *(base + offset) = base + addend. */
	adr_l	x0, __rela_start
	adr_l	x1, __rela_end
	adr_l	x2, _head
3:	cmp	x0, x1
	b.hs	5f
	ldp	x3, x4, [x0], #16	/* r_offset, r_info */
	ldr	x5, [x0], #8		/* r_addend */
	cbz	w4, 3b			/* R_AARCH64_NONE: a dropped entry */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	4f
	add	x5, x5, x2
	str	x5, [x2, x3]
	b	3b
4:	b	4b			/* unknown relocation: the build is broken */
5:
	adr_l	x0, vectors
	msr	vbar_el1, x0
	isb

	mov	x0, x19
	lsr	x1, x20, #2		/* the EL we were entered at */
	bl	start_kernel
6:	wfe
	b	6b
END(primary_entry)

/*
 * Secondary CPUs enter here, from PSCI CPU_ON or a spin-table release, at
 * EL2 or EL1 with the MMU off.  They find their logical id by looking their
 * MPIDR up in cpu_logical_map, which the boot CPU cleaned to memory.
 */
ENTRY(secondary_entry)
	bl	el2_to_el1

	mrs	x0, mpidr_el1
	and	x0, x0, #0xffffff
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff00000000
	orr	x0, x0, x1
	adr_l	x1, cpu_logical_map
	mov	x2, #0
1:	ldr	x3, [x1, x2, lsl #3]
	cmp	x3, x0
	b.eq	2f
	add	x2, x2, #1
	cmp	x2, #NR_CPUS
	b.lo	1b
	b	secondary_park		/* not a CPU we know of */
2:
	adr_l	x0, boot_stacks
	mov	x1, #STACK_SLOT
	madd	x0, x1, x2, x0
	add	sp, x0, #STACK_SLOT
	mov	x29, xzr
	mov	x30, xzr

	adr_l	x0, vectors
	msr	vbar_el1, x0

	mov	x20, x2
	bl	__cpu_enable_mmu
	mov	x0, x20
	bl	secondary_start_kernel
secondary_park:
	wfe
	b	secondary_park
END(secondary_entry)

/*
 * Leave EL2 for EL1 (returns to the caller at EL1), or return at once when
 * already at EL1.  EL2 is set up just enough for a kernel that never uses
 * it: EL1 is AArch64, the counters and GICv3 system registers are open to
 * EL1, and EL1 sees the real MIDR/MPIDR.
 */
ENTRY(el2_to_el1)
	msr	spsel, #1		/* EL1 code always runs on SP_EL1 */
	/* A clean EL1 state either way: MMU and caches off, alignment checks
	 * off, FP/SIMD trapped so an accidental use is reported. */
	mov	x9, #0x0800
	movk	x9, #0x30d0, lsl #16	/* SCTLR_EL1 RES1 bits */
	mrs	x10, CurrentEL
	cmp	x10, #(2 << 2)
	b.eq	1f
	msr	sctlr_el1, x9
	msr	cpacr_el1, xzr
	isb
	ret
1:	msr	sctlr_el1, x9
	msr	cpacr_el1, xzr
	mov	x10, #(1 << 31)		/* HCR_EL2.RW: EL1 is AArch64 */
	msr	hcr_el2, x10
	mrs	x10, cnthctl_el2
	orr	x10, x10, #3		/* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x10
	msr	cntvoff_el2, xzr
	mov	x10, #0x33ff		/* CPTR_EL2: trap nothing */
	msr	cptr_el2, x10
	msr	hstr_el2, xzr
	mrs	x10, midr_el1
	msr	vpidr_el2, x10
	mrs	x10, mpidr_el1
	msr	vmpidr_el2, x10
	msr	vttbr_el2, xzr
	/* GICv3: let EL1 use the ICC_* system registers. */
	mrs	x10, id_aa64pfr0_el1
	ubfx	x10, x10, #24, #4
	cbz	x10, 2f
	mrs	x10, S3_4_C12_C9_5	/* ICC_SRE_EL2 */
	orr	x10, x10, #0x1		/* SRE */
	orr	x10, x10, #0x8		/* Enable: EL1 may set its own SRE */
	msr	S3_4_C12_C9_5, x10
	isb
	msr	S3_4_C12_C11_0, xzr	/* ICH_HCR_EL2: no virtual interrupts */
2:	mov	x10, #0x3c5		/* EL1h, DAIF masked */
	msr	spsr_el2, x10
	msr	elr_el2, x30
	isb
	eret
END(el2_to_el1)

/*
 * Turn the MMU on with the configuration the boot CPU left in mmu_boot_regs
 * (ttbr0, tcr, mair, sctlr).  The boot CPU first invalidates the whole
 * image from the data cache: everything it wrote with the MMU off went
 * straight to memory, and stale lines from a boot loader must not be hit
 * once the cache is on.
 */
ENTRY(__cpu_enable_mmu)
	adr_l	x9, mmu_boot_regs
	ldp	x10, x11, [x9]		/* ttbr0, tcr */
	ldp	x12, x13, [x9, #16]	/* mair, sctlr */
	msr	mair_el1, x12
	msr	tcr_el1, x11
	msr	ttbr0_el1, x10
	isb
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb
	msr	sctlr_el1, x13
	isb
	ret
END(__cpu_enable_mmu)

/* Invalidate [x0, x1) from the data cache to the point of coherency. */
ENTRY(dcache_inval_range)
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3		/* line size in bytes */
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret
END(dcache_inval_range)

/* Clean and invalidate [x0, x1) to the point of coherency, for memory a
 * CPU with its MMU off is about to read. */
ENTRY(dcache_clean_inval_range)
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	civac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret
END(dcache_clean_inval_range)
