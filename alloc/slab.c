// SPDX-License-Identifier: MIT
/*
 * alloc/slab.c - object caches on top of the buddy allocator (Bonwick's
 * slab allocator, with SLUB's habit of keeping the slab descriptor in the
 * struct page and the free list inside free objects).
 *
 * Fast path: each hart has a magazine of free objects per cache; allocation
 * pops one, free pushes one, and no list is touched. The slow path moves
 * half a magazine at a time between the magazine and the slabs, and takes
 * a new slab from the buddy allocator when no slab has a free object.
 * Empty slabs stay on their cache's empty list until a shrink (explicit, or
 * the slab shrinker under memory pressure) gives them back.
 *
 * A constructor runs once per object, when its slab is created; objects
 * come back to the cache constructed, so a free keeps the state (the free
 * pointer then lives after the object, not in it).
 *
 * Context: any, including trap context (interrupts off inside); creating
 * and destroying caches: not from trap context.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc/internal.h"

#define CACHE_LINE 64

bool slab_debug;
unsigned long slab_errors;

static struct list_head cache_list = { &cache_list, &cache_list };
static struct kmem_cache cache_cache; /* the cache of struct kmem_cache */

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* The smallest slab order that wastes at most an eighth of the slab. */
static unsigned int slab_order(size_t size)
{
	unsigned int fit = MAX_ORDER + 1;

	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		size_t slab = PAGE_SIZE << o;

		if (slab < size)
			continue;
		if (fit > MAX_ORDER)
			fit = o;
		if ((slab % size) * 8 <= slab)
			return o;
	}
	return fit;
}

int kmem_cache_setup(struct kmem_cache *c, const char *name, size_t size,
		     size_t align, unsigned int flags, void (*ctor)(void *))
{
	size_t slab;

	if (!name || !size || size > (PAGE_SIZE << MAX_ORDER) / 2 ||
	    (align & (align - 1)) || align > PAGE_SIZE)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->object_size = (unsigned int)size;
	c->align = align < 8 ? 8 : (unsigned int)align;
	if (flags & SLAB_HWCACHE_ALIGN && c->align < CACHE_LINE)
		c->align = CACHE_LINE;
	c->flags = flags | (slab_debug ? SLAB_DEBUG : 0);
	c->ctor = ctor;
	if (c->flags & SLAB_DEBUG) {
		slab_debug_layout(c);
	} else if (ctor) {
		c->offset = (unsigned int)align_up(size, sizeof(void *));
		c->size = (unsigned int)align_up(c->offset + sizeof(void *),
						 c->align);
	} else {
		c->size = (unsigned int)align_up(
			size < sizeof(void *) ? sizeof(void *) : size,
			c->align);
	}
	c->order = slab_order(c->size);
	if (c->order > MAX_ORDER)
		return -EINVAL;
	slab = PAGE_SIZE << c->order;
	c->objects = (unsigned int)(slab / c->size);
	/* colour: shift each new slab's first object by another cache line */
	c->colour_step = c->align > CACHE_LINE ? c->align : CACHE_LINE;
	c->colour_count = (unsigned int)((slab - (size_t)c->objects * c->size) /
					 c->colour_step) +
			  1;
	c->gfp = flags & SLAB_RECLAIM_ACCOUNT ? __GFP_RECLAIMABLE : 0;
	list_init(&c->full);
	list_init(&c->partial);
	list_init(&c->empty);
	list_init(&c->list);
	return 0;
}

/* ---- slabs ---- */

static struct page *new_slab(struct kmem_cache *c, gfp_t gfp)
{
	gfp_t flags = (gfp & (__GFP_HIGH | __GFP_RECLAIM | __GFP_DMA32 |
			      __GFP_NOWARN)) |
		      c->gfp;
	struct page *page = alloc_pages(flags, c->order);
	unsigned int colour;
	char *base;
	void *prev = NULL;

	if (!page)
		return NULL;
	for (unsigned int i = 0; i < 1u << c->order; i++) {
		page[i].flags |= PG_slab;
		page[i].owner = (uintptr_t)c;
	}
	colour = c->colour_next * c->colour_step;
	if (++c->colour_next == c->colour_count)
		c->colour_next = 0;
	base = (char *)page_address(page) + colour + c->red_left;
	/* link the objects in address order: the lowest is handed out first */
	for (unsigned int i = c->objects; i-- > 0;) {
		void *obj = base + (size_t)i * c->size;

		if (c->flags & SLAB_DEBUG)
			slab_debug_init_object(c, obj);
		if (c->ctor)
			c->ctor(obj);
		slab_set_free_ptr(c, obj, prev);
		prev = obj;
	}
	page->freelist = prev;
	page->counters = 0;
	page->private = colour;
	return page;
}

static void free_slab(struct kmem_cache *c, struct page *page)
{
	for (unsigned int i = 0; i < 1u << c->order; i++) {
		page[i].flags &= ~PG_slab;
		page[i].owner = 0;
	}
	page->freelist = NULL;
	page->counters = 0;
	page->private = 0;
	free_pages(page, c->order);
}

/* A slab moved between lists: keep the counts in step. */
static void slab_moved(unsigned long *from, unsigned long *to)
{
	(*from)--;
	(*to)++;
}

static void *get_object(struct kmem_cache *c, gfp_t gfp)
{
	struct page *slab;
	void *obj;

	if (!list_empty(&c->partial)) {
		slab = list_first_entry(&c->partial, struct page, lru);
	} else if (!list_empty(&c->empty)) {
		slab = list_first_entry(&c->empty, struct page, lru);
		list_move(&slab->lru, &c->partial);
		slab_moved(&c->nr_empty, &c->nr_partial);
	} else {
		slab = new_slab(c, gfp);
		if (!slab)
			return NULL;
		list_add(&slab->lru, &c->partial);
		c->nr_partial++;
	}
	obj = slab->freelist;
	slab->freelist = slab_free_ptr(c, obj);
	if (++slab->counters == c->objects) {
		list_move(&slab->lru, &c->full);
		slab_moved(&c->nr_partial, &c->nr_full);
	}
	return obj;
}

static inline __attribute__((always_inline)) void
put_object(struct kmem_cache *c, void *obj)
{
	struct page *slab = slab_head(c, obj);
	bool was_full = slab->counters == c->objects;

	slab_set_free_ptr(c, obj, slab->freelist);
	slab->freelist = obj;
	slab->counters--;
	if (slab->counters == 0) {
		list_move(&slab->lru, &c->empty);
		slab_moved(was_full ? &c->nr_full : &c->nr_partial,
			   &c->nr_empty);
	} else if (was_full) {
		list_move(&slab->lru, &c->partial);
		slab_moved(&c->nr_full, &c->nr_partial);
	}
}

/* ---- magazines ---- */

/*
 * Called with the magazine empty. A new slab may run the slab shrinker
 * (the page allocator's reclaim), which shrinks this very cache and so
 * empties this magazine: the batch is gathered aside and put in the
 * magazine only at the end (else every object just taken would go back,
 * its slab with it, and the loop would start over for as long as memory
 * stays low). Whatever the shrinker did to the magazine meanwhile, what
 * does not fit goes back to its slab.
 */
static void *refill(struct kmem_cache *c, struct array_cache *ac, gfp_t gfp)
{
	void *batch[SLAB_MAGAZINE / 2];
	unsigned int n = 0;

	while (n < SLAB_MAGAZINE / 2) {
		void *obj = get_object(c, gfp);

		if (!obj)
			break;
		batch[n++] = obj;
	}
	if (!n)
		return NULL;
	for (unsigned int i = 0; i + 1 < n; i++) {
		if (ac->avail < SLAB_MAGAZINE)
			ac->entry[ac->avail++] = batch[i];
		else
			put_object(c, batch[i]);
	}
	return batch[n - 1];
}

/* Give the n oldest objects of the magazine back to their slabs. */
static void flush(struct kmem_cache *c, struct array_cache *ac, unsigned int n)
{
	if (n > ac->avail)
		n = ac->avail;
	for (unsigned int i = 0; i < n; i++)
		put_object(c, ac->entry[i]);
	memmove(ac->entry, ac->entry + n, (ac->avail - n) * sizeof(void *));
	ac->avail -= n;
}

/* ---- allocating and freeing ---- */

/*
 * Everything but a plain magazine pop or push: an empty or full magazine,
 * the debug checks, __GFP_ZERO, NULL. Out of line, so that the fast paths
 * below are leaves: no stack frame, a tail call to here when they miss.
 */
static __attribute__((noinline)) void *alloc_slow(struct kmem_cache *c,
						  gfp_t gfp, uintptr_t caller)
{
	struct array_cache *ac;
	void *obj;
	unsigned long irq;

again:
	irq = irq_save();
	ac = &c->magazine[this_hart()];
	obj = ac->avail ? ac->entry[--ac->avail] : refill(c, ac, gfp);
	irq_restore(irq);
	if (!obj)
		return NULL;
	if (c->flags & SLAB_DEBUG && !slab_debug_alloc(c, obj, caller))
		goto again; /* damaged: leave it out of circulation */
	if (gfp & __GFP_ZERO)
		memset(obj, 0, c->object_size);
	return obj;
}

static __attribute__((noinline)) void free_slow(struct kmem_cache *c, void *obj,
						uintptr_t caller)
{
	struct array_cache *ac;
	unsigned long irq;

	if (!obj)
		return;
	if (c->flags & SLAB_DEBUG && !slab_debug_free(c, obj, caller))
		return;
	irq = irq_save();
	ac = &c->magazine[this_hart()];
	if (ac->avail == SLAB_MAGAZINE)
		flush(c, ac, SLAB_MAGAZINE / 2);
	ac->entry[ac->avail++] = obj;
	irq_restore(irq);
}

/*
 * The fast paths: one test for the cases that need more, then a pop or a
 * push on the magazine with interrupts off; leaves without a stack frame
 * (FAST_PATH, LEAF_RET_IP) that tail-call the slow path when they miss.
 * The caller is only looked at there: debug caches always take it. The
 * entries are addressed from the top (one shift, one add, the offset in
 * the load or store).
 */
static inline __attribute__((always_inline)) bool
magazine_pop(struct kmem_cache *c, gfp_t gfp, void **obj)
{
	if (!(c->flags & SLAB_DEBUG) && !(gfp & __GFP_ZERO)) {
		unsigned long irq = irq_save();
		struct array_cache *ac = &c->magazine[this_hart()];
		unsigned long n = ac->avail;

		if (n) {
			void **top = ac->entry + n;

			ac->avail = n - 1;
			*obj = top[-1];
			irq_restore(irq);
			return true;
		}
		irq_restore(irq);
	}
	return false;
}

static inline __attribute__((always_inline)) bool
magazine_push(struct kmem_cache *c, void *obj)
{
	if (!(c->flags & SLAB_DEBUG) && obj) {
		unsigned long irq = irq_save();
		struct array_cache *ac = &c->magazine[this_hart()];
		unsigned long n = ac->avail;

		if (n < SLAB_MAGAZINE) {
			void **top = ac->entry + n;

			*top = obj;
			ac->avail = n + 1;
			irq_restore(irq);
			return true;
		}
		irq_restore(irq);
	}
	return false;
}

FAST_PATH void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	void *obj;

	if (magazine_pop(c, gfp, &obj))
		return obj;
	return alloc_slow(c, gfp, LEAF_RET_IP());
}

FAST_PATH void *kmem_cache_alloc_caller(struct kmem_cache *c, gfp_t gfp,
					uintptr_t caller)
{
	void *obj;

	if (magazine_pop(c, gfp, &obj))
		return obj;
	return alloc_slow(c, gfp, caller);
}

FAST_PATH void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	if (!magazine_push(c, obj))
		free_slow(c, obj, LEAF_RET_IP());
}

FAST_PATH void kmem_cache_free_caller(struct kmem_cache *c, void *obj,
				      uintptr_t caller)
{
	if (!magazine_push(c, obj))
		free_slow(c, obj, caller);
}

unsigned long kmem_cache_shrink(struct kmem_cache *c)
{
	unsigned long pages = 0;
	unsigned long irq = irq_save();

	for (unsigned int h = 0; h < SLAB_MAX_HARTS; h++)
		flush(c, &c->magazine[h], SLAB_MAGAZINE);
	while (!list_empty(&c->empty)) {
		struct page *slab =
			list_first_entry(&c->empty, struct page, lru);

		list_del(&slab->lru);
		c->nr_empty--;
		free_slab(c, slab);
		pages += 1UL << c->order;
	}
	irq_restore(irq);
	return pages;
}

unsigned long slab_shrink_all(void)
{
	unsigned long pages = 0;

	for (struct list_head *l = cache_list.next; l != &cache_list;
	     l = l->next)
		pages += kmem_cache_shrink(
			list_entry(l, struct kmem_cache, list));
	return pages;
}

/* Objects handed out: in use in slabs, less those waiting in magazines. */
static unsigned long cache_active(const struct kmem_cache *c)
{
	unsigned long n = c->nr_full * c->objects;

	for (const struct list_head *l = c->partial.next; l != &c->partial;
	     l = l->next)
		n += list_entry(l, struct page, lru)->counters;
	for (unsigned int h = 0; h < SLAB_MAX_HARTS; h++)
		n -= c->magazine[h].avail;
	return n;
}

/* ---- creating and destroying ---- */

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned int flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *c = kmem_cache_alloc(&cache_cache, GFP_KERNEL);

	if (!c)
		return NULL;
	if (kmem_cache_setup(c, name, size, align, flags, ctor)) {
		pr_err("kmem_cache_create: %s: bad size %zu or align %zu\n",
		       name ? name : "(null)", size, align);
		kmem_cache_free(&cache_cache, c);
		return NULL;
	}
	list_add_tail(&c->list, &cache_list);
	return c;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	unsigned long active;

	if (!c)
		return;
	kmem_cache_shrink(c);
	active = cache_active(c);
	if (active || c->nr_full || c->nr_partial) {
		pr_err("kmem_cache_destroy: %s still has %lu objects in use\n",
		       c->name, active);
		slab_errors++;
		return;
	}
	list_del(&c->list);
	kmem_cache_free(&cache_cache, c);
}

/* ---- statistics ---- */

/* Every cache, the cache of caches first (once kmem_cache_init ran). */
static void for_each_cache(void (*fn)(const struct kmem_cache *c, void *arg),
			   void *arg)
{
	for (struct list_head *l = cache_list.next; l != &cache_list;
	     l = l->next)
		fn(list_entry(l, struct kmem_cache, list), arg);
}

static void add_active(const struct kmem_cache *c, void *arg)
{
	*(unsigned long *)arg += cache_active(c);
}

unsigned long slab_active_objects(void)
{
	unsigned long n = 0;

	for_each_cache(add_active, &n);
	return n;
}

struct pages_arg {
	bool reclaimable;
	unsigned long pages;
};

static void add_pages(const struct kmem_cache *c, void *arg)
{
	struct pages_arg *a = arg;

	if (!!(c->flags & SLAB_RECLAIM_ACCOUNT) == a->reclaimable)
		a->pages += (c->nr_full + c->nr_partial + c->nr_empty)
			    << c->order;
}

unsigned long slab_pages(bool reclaimable)
{
	struct pages_arg a = { reclaimable, 0 };

	for_each_cache(add_pages, &a);
	return a.pages;
}

struct show_arg {
	char *buf;
	size_t size, len;
};

static void show_cache(const struct kmem_cache *c, void *arg)
{
	struct show_arg *a = arg;
	unsigned long slabs = c->nr_full + c->nr_partial + c->nr_empty;
	int n;

	if (a->len + 1 >= a->size)
		return;
	n = snprintf(
		a->buf + a->len, a->size - a->len,
		"%-17s %6lu %6lu %6u %4u %4u : tunables %4u %4u %4u : slabdata %6lu %6lu %6u\n",
		c->name, cache_active(c), slabs * c->objects, c->size,
		c->objects, 1u << c->order, SLAB_MAGAZINE, SLAB_MAGAZINE / 2,
		0u, c->nr_full + c->nr_partial, slabs, 0u);
	if (n > 0)
		a->len += (size_t)n < a->size - a->len ? (size_t)n
						       : a->size - a->len - 1;
}

size_t slabinfo_show(char *buf, size_t size)
{
	struct show_arg a = { buf, size, 0 };
	int n = snprintf(
		buf, size,
		"slabinfo - version: 2.1\n"
		"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");

	if (n < 0 || (size_t)n >= size)
		return size ? strlen(buf) : 0;
	a.len = (size_t)n;
	for_each_cache(show_cache, &a);
	return a.len;
}

/*
 * The slab shrinker (alloc/alloc.h), asked by the page allocator's slow
 * path under memory pressure. Count: the pages a shrink could give back,
 * at most: every empty slab, and a slab for each object in a magazine
 * (flushed, it may be the last in use of its slab), never more than the
 * slabs in use: 0 only when a shrink would free nothing, so the scan the
 * walk then skips is one that would have done nothing. Scan: shrink every
 * cache (slab_shrink_all()), whatever nr_to_scan says: freeing an empty
 * slab costs next to nothing.
 */
static unsigned long slab_count(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long pages = 0;
	unsigned long irq = irq_save();

	(void)s;
	(void)sc;
	for (struct list_head *l = cache_list.next; l != &cache_list;
	     l = l->next) {
		const struct kmem_cache *c =
			list_entry(l, struct kmem_cache, list);
		unsigned long held = 0, in_use = c->nr_full + c->nr_partial;

		for (unsigned int h = 0; h < SLAB_MAX_HARTS; h++)
			held += c->magazine[h].avail;
		pages += (c->nr_empty + (held < in_use ? held : in_use))
			 << c->order;
	}
	irq_restore(irq);
	return pages;
}

static unsigned long slab_scan(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	return slab_shrink_all();
}

static struct shrinker slab_shrinker = {
	.count_objects = slab_count,
	.scan_objects = slab_scan,
};

/*
 * Starts from an empty cache list, so a second call (the host tests, on a
 * fresh simulated machine) forgets every cache of the memory before.
 */
void kmem_cache_init(void)
{
	list_init(&cache_list);
	if (kmem_cache_setup(&cache_cache, "kmem_cache",
			     sizeof(struct kmem_cache), 0, SLAB_HWCACHE_ALIGN,
			     NULL))
		panic("kmem_cache_init: cannot set up the cache of caches");
	list_add(&cache_cache.list, &cache_list);
	kmalloc_init();
	/* -EEXIST on a second call: registered once is enough */
	register_shrinker(&slab_shrinker);
}
