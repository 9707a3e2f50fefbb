/* Assembler helpers. */
#ifndef ASM_ASM_H
#define ASM_ASM_H

#ifdef __ASSEMBLER__
/* PC-relative address of a symbol: valid with the MMU off, wherever we run. */
.macro adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

#define ENTRY(name) .globl name; .type name, %function; .balign 4; name:
#define END(name) .size name, . - name
#endif

#endif
