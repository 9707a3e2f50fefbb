/*
 * Bit maps of arbitrary length stored in arrays of unsigned long
 * (lib/bitmap.c).  Not atomic: callers serialise, or use the atomic helpers
 * in <asm/atomic.h> for single bits.
 */
#ifndef RONDO_BITMAP_H
#define RONDO_BITMAP_H

#include "types.h"

#define BITS_PER_LONG 64
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

static inline void __set_bit(unsigned int nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline void __clear_bit(unsigned int nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

static inline bool test_bit(unsigned int nr, const unsigned long *map)
{
	return (map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

void bitmap_zero(unsigned long *dst, unsigned int nbits);
void bitmap_fill(unsigned long *dst, unsigned int nbits);
void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits);
bool bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned int nbits);
void bitmap_or(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned int nbits);
bool bitmap_andnot(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned int nbits);
bool bitmap_equal(const unsigned long *a, const unsigned long *b, unsigned int nbits);
bool bitmap_empty(const unsigned long *a, unsigned int nbits);
bool bitmap_subset(const unsigned long *a, const unsigned long *b, unsigned int nbits);
bool bitmap_intersects(const unsigned long *a, const unsigned long *b, unsigned int nbits);
unsigned int bitmap_weight(const unsigned long *a, unsigned int nbits);
/* Index of the first set bit at or after 'start', or nbits when there is none. */
unsigned int find_next_bit(const unsigned long *a, unsigned int nbits, unsigned int start);
/*
 * Linux cpulist format: "0-3,5,7-8"; an empty map prints "".  Writes at most
 * size-1 characters plus NUL and returns the characters written (scnprintf
 * semantics).
 */
int bitmap_print_list(char *buf, size_t size, const unsigned long *a, unsigned int nbits);
/*
 * Parse a cpulist ("0-3,5", "" or whitespace-only = empty; blanks allowed
 * around numbers).  A range may take a stride, "0-7:2" = 0,2,4,6, or
 * Linux's used/group form, "0-7:2/4" = 0,1,4,5.  Returns 0, -EINVAL for
 * malformed text or a reversed range, -ERANGE for a bit >= nbits.  dst is
 * replaced on success and unchanged on error.
 */
int bitmap_parse_list(const char *s, unsigned long *dst, unsigned int nbits);

#endif
