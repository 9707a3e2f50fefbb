/* Device register access.  Device memory is mapped nGnRE, so accesses are
 * not merged or reordered with each other; the barriers order them against
 * normal memory (a DMA buffer, a flag another CPU reads). */
#ifndef RONDO_MMIO_H
#define RONDO_MMIO_H

#include "types.h"

static inline u32 mmio_read32(u64 addr)
{
	u32 v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(u64 addr, u32 v)
{
	__asm__ volatile("str %w0, [%1]" :: "rZ"(v), "r"(addr) : "memory");
}

static inline u64 mmio_read64(u64 addr)
{
	u64 v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write64(u64 addr, u64 v)
{
	__asm__ volatile("str %0, [%1]" :: "rZ"(v), "r"(addr) : "memory");
}

static inline void mmio_write8(u64 addr, u8 v)
{
	__asm__ volatile("strb %w0, [%1]" :: "rZ"(v), "r"(addr) : "memory");
}

#endif
