/*
 * CPU masks with Linux's names: inline wrappers over lib/bitmap.c.  The
 * four global masks (possible, present, online, active) live in
 * kernel/cpumasks.c.
 */
#ifndef RONDO_CPUMASK_H
#define RONDO_CPUMASK_H

#include "bitmap.h"

#ifndef NR_CPUS
#define NR_CPUS 64
#endif

typedef struct cpumask {
	unsigned long bits[BITS_TO_LONGS(NR_CPUS)];
} cpumask_t;

static inline void cpumask_set_cpu(unsigned int cpu, cpumask_t *m) { __set_bit(cpu, m->bits); }
static inline void cpumask_clear_cpu(unsigned int cpu, cpumask_t *m) { __clear_bit(cpu, m->bits); }
static inline bool cpumask_test_cpu(unsigned int cpu, const cpumask_t *m)
{
	return cpu < NR_CPUS && test_bit(cpu, m->bits);
}
static inline void cpumask_clear(cpumask_t *m) { bitmap_zero(m->bits, NR_CPUS); }
static inline void cpumask_setall(cpumask_t *m) { bitmap_fill(m->bits, NR_CPUS); }
static inline void cpumask_copy(cpumask_t *d, const cpumask_t *s) { bitmap_copy(d->bits, s->bits, NR_CPUS); }
static inline bool cpumask_and(cpumask_t *d, const cpumask_t *a, const cpumask_t *b)
{
	return bitmap_and(d->bits, a->bits, b->bits, NR_CPUS);
}
static inline void cpumask_or(cpumask_t *d, const cpumask_t *a, const cpumask_t *b)
{
	bitmap_or(d->bits, a->bits, b->bits, NR_CPUS);
}
static inline bool cpumask_andnot(cpumask_t *d, const cpumask_t *a, const cpumask_t *b)
{
	return bitmap_andnot(d->bits, a->bits, b->bits, NR_CPUS);
}
static inline bool cpumask_equal(const cpumask_t *a, const cpumask_t *b) { return bitmap_equal(a->bits, b->bits, NR_CPUS); }
static inline bool cpumask_empty(const cpumask_t *a) { return bitmap_empty(a->bits, NR_CPUS); }
static inline bool cpumask_subset(const cpumask_t *a, const cpumask_t *b) { return bitmap_subset(a->bits, b->bits, NR_CPUS); }
static inline bool cpumask_intersects(const cpumask_t *a, const cpumask_t *b) { return bitmap_intersects(a->bits, b->bits, NR_CPUS); }
static inline unsigned int cpumask_weight(const cpumask_t *a) { return bitmap_weight(a->bits, NR_CPUS); }
/* Next set cpu strictly after n (n = -1 to start); NR_CPUS when none. */
static inline unsigned int cpumask_next(int n, const cpumask_t *m)
{
	return find_next_bit(m->bits, NR_CPUS, (unsigned int)(n + 1));
}
static inline unsigned int cpumask_first(const cpumask_t *m) { return cpumask_next(-1, m); }

#define for_each_cpu(cpu, mask) \
	for ((cpu) = cpumask_first(mask); (cpu) < NR_CPUS; (cpu) = cpumask_next((cpu), (mask)))

static inline int cpumask_print_list(char *buf, size_t size, const cpumask_t *m)
{
	return bitmap_print_list(buf, size, m->bits, NR_CPUS);
}
static inline int cpulist_parse(const char *s, cpumask_t *m)
{
	return bitmap_parse_list(s, m->bits, NR_CPUS);
}

#endif
