/* SPDX-License-Identifier: MIT */
/*
 * alloc/internal.h - free-list and pageblock helpers shared by the files of
 * the page allocator. Callers hold the zone (interrupts off).
 */
#ifndef PAGODA_ALLOC_INTERNAL_H
#define PAGODA_ALLOC_INTERNAL_H

#include "alloc/alloc.h"

/* Pageblock i of the zone's span holds pfn; its migrate type is one byte. */
static inline unsigned long pageblock_index(const struct zone *z, uint64_t pfn)
{
	return (pfn >> PAGEBLOCK_ORDER) - (z->start_pfn >> PAGEBLOCK_ORDER);
}

static inline int get_pageblock_mt(const struct zone *z, uint64_t pfn)
{
	return z->pageblock_mt[pageblock_index(z, pfn)];
}

static inline void set_pageblock_mt(struct zone *z, uint64_t pfn, int mt)
{
	z->pageblock_mt[pageblock_index(z, pfn)] = (uint8_t)mt;
}

static inline void add_to_free_list(struct page *page, struct zone *z,
				    unsigned int order, int mt)
{
	page->flags |= PG_buddy;
	page->order = (uint8_t)order;
	list_add(&page->lru, &z->free_area[order].free_list[mt]);
	z->free_area[order].nr_free++;
}

static inline void del_from_free_list(struct page *page, struct zone *z,
				      unsigned int order)
{
	list_del(&page->lru);
	page->flags &= ~PG_buddy;
	z->free_area[order].nr_free--;
}

/* Give 2^order pages starting at page (free, aligned, one zone) back. */
void __free_one_page(struct page *page, uint64_t pfn, struct zone *z,
		     unsigned int order, int mt);

static inline int gfp_migratetype(gfp_t gfp)
{
	if (page_group_by_mobility_disabled)
		return MIGRATE_UNMOVABLE;
	if (gfp & __GFP_MOVABLE)
		return MIGRATE_MOVABLE;
	if (gfp & __GFP_RECLAIMABLE)
		return MIGRATE_RECLAIMABLE;
	return MIGRATE_UNMOVABLE;
}

extern const char *const migratetype_names[MIGRATE_TYPES];

/* ---- slab internals (slab.c, slab_debug.c, kmalloc.c) ---- */

/* A hart's magazine: objects ready to hand out, most recently freed last. */
struct array_cache {
	/* entries in entry[]; a whole register: no extension in the fast path */
	unsigned long avail;
	void *entry[SLAB_MAGAZINE];
};

/*
 * A cache. Its slabs are blocks of 2^order pages; the struct page of a
 * slab's first page is the slab descriptor (freelist, counters = objects in
 * use, private = colour offset, lru = the list it is on), and every page of
 * the slab has PG_slab and owner = the cache. An object lives in a slot of
 * `size` bytes:
 *
 *   [red zone: red_left][object: object_size][red zone][free pointer][track]
 *    '-- debug only --'                        '---- debug only -----'
 *
 * and without debugging the free pointer sits at offset 0 of a free
 * object, or right after the object when a constructor must keep its state.
 * Invariants: every slab is on exactly one of full (inuse == objects),
 * partial (0 < inuse < objects), empty (inuse == 0); nr_* count them;
 * active == objects handed to callers (not counting magazines).
 */
struct kmem_cache {
	const char *name;
	unsigned int object_size; /* bytes the caller asked for */
	unsigned int size;	  /* slot stride, bytes */
	unsigned int align;	  /* bytes, power of two */
	unsigned int offset;	  /* free pointer, from the object start */
	unsigned int red_left;	  /* bytes before the object (debug) */
	unsigned int flags;	  /* SLAB_* */
	void (*ctor)(void *obj);
	unsigned int order;   /* pages per slab: 2^order */
	unsigned int objects; /* per slab */
	unsigned int colour_step, colour_count, colour_next;
	gfp_t gfp; /* migrate type of slab pages */
	struct list_head full, partial, empty;
	unsigned long nr_full, nr_partial, nr_empty;
	unsigned long active;
	struct array_cache magazine[SLAB_MAX_HARTS];
	struct list_head list; /* all caches */
};

/* Fill in a cache's geometry and lists; 0 or -EINVAL. */
int kmem_cache_setup(struct kmem_cache *c, const char *name, size_t size,
		     size_t align, unsigned int flags, void (*ctor)(void *));

static inline void *slab_free_ptr(const struct kmem_cache *c, void *obj)
{
	return *(void **)((char *)obj + c->offset);
}

static inline void slab_set_free_ptr(const struct kmem_cache *c, void *obj,
				     void *next)
{
	*(void **)((char *)obj + c->offset) = next;
}

/* The slab descriptor (first page) of the slab holding obj. */
static inline struct page *slab_head(const struct kmem_cache *c,
				     const void *obj)
{
	uint64_t pfn = page_to_pfn(virt_to_page(obj));

	return pfn_to_page(pfn & ~((1UL << c->order) - 1));
}

/* _RET_IP_, LEAF_RET_IP(): who called the allocator (alloc/machine.h). */

/* FAST_PATH, likely, unlikely: lib/compiler.h, through lib/lib.h. */

/*
 * kmem_cache_alloc/free on behalf of caller (kmalloc and kfree pass their
 * own caller): the debug track and reports name caller.
 */
void *kmem_cache_alloc_caller(struct kmem_cache *c, gfp_t gfp,
			      uintptr_t caller);
void kmem_cache_free_caller(struct kmem_cache *c, void *obj, uintptr_t caller);

/* Create the kmalloc size-class caches (kmalloc.c). */
void kmalloc_init(void);

/* Debug layout and checks (slab_debug.c). */
void slab_debug_layout(struct kmem_cache *c);
void slab_debug_init_object(const struct kmem_cache *c, void *obj);
/* false: the object must not be handed out (report printed). */
bool slab_debug_alloc(const struct kmem_cache *c, void *obj, uintptr_t caller);
/* false: the free must be refused (report printed). */
bool slab_debug_free(const struct kmem_cache *c, void *obj, uintptr_t caller);
__attribute__((format(printf, 4, 5))) void
slab_report(const struct kmem_cache *c, const void *obj, uintptr_t caller,
	    const char *fmt, ...);

#endif
