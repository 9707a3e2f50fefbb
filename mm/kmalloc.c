/*
 * kmalloc: small objects carved from pages.
 *
 * Requests are rounded up to a power of two from 16 to 2048 bytes; each
 * size class has its own cache of slabs.  A slab is a block from the page
 * allocator (one page, or up to four for the big classes so that no more
 * than about an eighth is lost) that starts with a header and is followed
 * by equal-sized objects.  Requests above 2048 bytes get whole pages.
 *
 * kfree finds its way back through the struct page of the address: a slab
 * page carries its size class, which gives the slab's alignment and so its
 * header; any other page must be the first page of an allocated block,
 * whose order the page allocator recorded.
 */
#include "page_alloc.h"
#include "kernel.h"
#include "bitmap.h"
#include "asm/atomic.h"
#include "asm/spinlock.h"

#define MIN_SHIFT 4
#define MAX_SHIFT 11
#define NR_CLASSES (MAX_SHIFT - MIN_SHIFT + 1)
#define MAX_OBJS 256
#define SLAB_MAGIC 0x51ab0b1eU
#define NO_OBJ 0xffff

/*
 * At the start of every slab.  Objects that were never handed out sit
 * above next_unused, so a new slab needs no free list built; freed
 * objects are chained through their first two bytes.  The 'used' bitmap
 * is what catches a double free.
 */
struct slab {
	u32 magic;
	u16 nr_objs;
	u16 inuse;
	u16 free_head;		/* index of the last freed object, or NO_OBJ */
	u16 next_unused;
	u32 unused;
	struct slab *next, *prev;	/* on the cache's partial list */
	unsigned long used[BITS_TO_LONGS(MAX_OBJS)];
};

struct kmem_cache {
	spinlock_t lock;	/* irqsave: kmalloc may be called from IRQs */
	unsigned int size;	/* object size, a power of two */
	unsigned int order;	/* of each slab */
	unsigned int offset;	/* of the first object */
	unsigned int nr_objs;
	struct slab partial;	/* list head: slabs with free objects */
};

static struct kmem_cache caches[NR_CLASSES];
static bool caches_ready;
static DEFINE_SPINLOCK(setup_lock);

/* ---- caches ---- */

static void cache_setup(struct kmem_cache *c, unsigned int shift)
{
	unsigned long bytes;

	spin_lock_init(&c->lock);
	c->size = 1U << shift;
	/* At least eight objects' worth per slab, one of which pays for
	 * the header in the worst case (2048-byte objects). */
	c->order = get_order(8UL * c->size);
	c->offset = ALIGN_UP(sizeof(struct slab), c->size);
	bytes = PAGE_SIZE << c->order;
	c->nr_objs = (bytes - c->offset) / c->size;
	if (c->nr_objs > MAX_OBJS)
		c->nr_objs = MAX_OBJS;
	c->partial.next = c->partial.prev = &c->partial;
}

/* The caches are set up on first use: no init call to forget. */
static void caches_init(void)
{
	unsigned long flags;

	spin_lock_irqsave(&setup_lock, flags);
	if (!caches_ready) {
		for (int i = 0; i < NR_CLASSES; i++)
			cache_setup(&caches[i], MIN_SHIFT + i);
		smp_store_release(&caches_ready, true);
	}
	spin_unlock_irqrestore(&setup_lock, flags);
}

static unsigned int class_of(size_t size)
{
	unsigned int c = 0;

	while ((1UL << (MIN_SHIFT + c)) < size)
		c++;
	return c;
}

static void partial_add(struct kmem_cache *c, struct slab *s)
{
	s->next = c->partial.next;
	s->prev = &c->partial;
	c->partial.next->prev = s;
	c->partial.next = s;
}

static void partial_del(struct slab *s)
{
	s->prev->next = s->next;
	s->next->prev = s->prev;
}

/* ---- slabs ---- */

static void mark_slab_pages(struct slab *s, unsigned int order, u8 tag)
{
	for (unsigned long i = 0; i < (1UL << order); i++)
		phys_to_page((phys_addr_t)s + i * PAGE_SIZE)->slab_class = tag;
}

/* Pages for a new slab, got without the cache lock held: the page
 * allocator has its own, and nesting them only makes waiters queue up
 * behind each other. */
static struct slab *slab_create(struct kmem_cache *c, unsigned int class)
{
	struct slab *s = (struct slab *)alloc_pages(c->order);

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->magic = SLAB_MAGIC;
	s->nr_objs = c->nr_objs;
	s->free_head = NO_OBJ;
	mark_slab_pages(s, c->order, class + 1);
	return s;
}

static void slab_destroy(struct kmem_cache *c, struct slab *s)
{
	s->magic = 0;
	mark_slab_pages(s, c->order, 0);
	free_pages((phys_addr_t)s, c->order);
}

static void *obj_at(struct kmem_cache *c, struct slab *s, unsigned int i)
{
	return (u8 *)s + c->offset + i * c->size;
}

/* Cache lock held. */
static void *slab_take(struct kmem_cache *c, struct slab *s)
{
	unsigned int i;

	if (s->free_head != NO_OBJ) {
		i = s->free_head;
		s->free_head = *(u16 *)obj_at(c, s, i);
	} else {
		i = s->next_unused++;
	}
	__set_bit(i, s->used);
	if (++s->inuse == s->nr_objs)
		partial_del(s);
	return obj_at(c, s, i);
}

/* ---- kmalloc ---- */

/* An object from a partial slab, else from *fresh, which then joins the
 * cache (and *fresh becomes NULL); NULL if there is neither. */
static void *cache_take(struct kmem_cache *c, struct slab **fresh)
{
	unsigned long flags;
	struct slab *s;
	void *obj = NULL;

	spin_lock_irqsave(&c->lock, flags);
	s = c->partial.next;
	if (s == &c->partial && *fresh) {
		s = *fresh;
		*fresh = NULL;
		partial_add(c, s);
	}
	if (s != &c->partial)
		obj = slab_take(c, s);
	spin_unlock_irqrestore(&c->lock, flags);
	return obj;
}

void *kmalloc(size_t size)
{
	struct slab *fresh = NULL;
	struct kmem_cache *c;
	unsigned int class;
	void *obj;

	if (!size)
		return NULL;
	if (size > (1UL << MAX_SHIFT))
		return size > (PAGE_SIZE << MAX_PAGE_ORDER) ? NULL
			: (void *)alloc_pages(get_order(size));
	if (!smp_load_acquire(&caches_ready))
		caches_init();
	class = class_of(size);
	c = &caches[class];
	obj = cache_take(c, &fresh);
	if (obj)
		return obj;
	fresh = slab_create(c, class);
	if (!fresh)
		return NULL;
	obj = cache_take(c, &fresh);
	/* Another CPU made room meanwhile: ours is not needed. */
	if (fresh)
		slab_destroy(c, fresh);
	return obj;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* ---- kfree ---- */

/* Why 'p' is not a live object of slab 's', or NULL if it is one. */
static const char *check_obj(struct kmem_cache *c, struct slab *s, u64 p, unsigned int *index)
{
	u64 first = (u64)s + c->offset;

	if (s->magic != SLAB_MAGIC)
		return "slab header is corrupt";
	if (p < first || (p - first) % c->size || (p - first) / c->size >= s->nr_objs)
		return "not the start of an object";
	*index = (p - first) / c->size;
	if (!test_bit(*index, s->used))
		return "double free";
	return NULL;
}

/* Cache lock held.  Returns the slab if it became empty and must go
 * back to the page allocator. */
static struct slab *slab_put(struct kmem_cache *c, struct slab *s, unsigned int i)
{
	__clear_bit(i, s->used);
	*(u16 *)obj_at(c, s, i) = s->free_head;
	s->free_head = i;
	if (s->inuse-- == s->nr_objs)
		partial_add(c, s);
	if (s->inuse)
		return NULL;
	/* Empty slabs are returned at once, so kfree really gives memory
	 * back; the next kmalloc of this class pays for a fresh page. */
	partial_del(s);
	return s;
}

static void kfree_slab(struct page *pg, void *p)
{
	struct kmem_cache *c = &caches[pg->slab_class - 1];
	struct slab *s = (struct slab *)ALIGN_DOWN((u64)p, PAGE_SIZE << c->order);
	struct slab *empty = NULL;
	const char *why;
	unsigned long flags;
	unsigned int i = 0;

	spin_lock_irqsave(&c->lock, flags);
	why = check_obj(c, s, (u64)p, &i);
	if (!why)
		empty = slab_put(c, s, i);
	spin_unlock_irqrestore(&c->lock, flags);
	if (why)
		mm_report_bad_free("kfree", (u64)p, why);
	if (empty)
		slab_destroy(c, empty);
}

void kfree(void *p)
{
	struct page *pg;

	if (!p)
		return;
	pg = phys_to_page((phys_addr_t)p);
	if (!pg) {
		mm_report_bad_free("kfree", (u64)p, "not in RAM");
		return;
	}
	if (pg->slab_class) {
		kfree_slab(pg, p);
		return;
	}
	/* A big object: free_pages checks that p starts a block. */
	free_pages((phys_addr_t)p, (pg->flags & PG_head) ? pg->order : 0);
}
