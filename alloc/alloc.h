/* SPDX-License-Identifier: MIT */
/*
 * alloc/alloc.h - physical memory: memblock, struct page, nodes and zones,
 * and the buddy page allocator.
 *
 * Boot order: memblock_init() from the device tree -> memmap_init() backs
 * the vmemmap -> zones_init() sizes nodes and zones and retires memblock
 * into the buddy allocator -> alloc_pages()/free_pages() from then on.
 */
#ifndef PAGODA_ALLOC_H
#define PAGODA_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc/machine.h"
#include "lib/lib.h"

/* clang-format off */
#define MAX_ORDER           10                      /* largest block: 4 MiB */
#define NR_ORDERS           (MAX_ORDER + 1)
#define MAX_ORDER_NR_PAGES  (1UL << MAX_ORDER)
#define PAGEBLOCK_ORDER     9                       /* 2 MiB of one migrate type */
#define PAGEBLOCK_NR_PAGES  (1UL << PAGEBLOCK_ORDER)
#define MAX_NUMNODES        MACHINE_MAX_NODES
#define MAX_HARTS           MACHINE_MAX_HARTS
#define DMA32_LIMIT_PFN     ((UL(4) << 30) >> PAGE_SHIFT) /* first pfn above 4 GiB */
/* clang-format on */

/* ---- memblock (memblock.c): the boot-time allocator ---- */
/* clang-format off */
#define MEMBLOCK_MAX_REGIONS 64
/* clang-format on */

/* Invariant: regions sorted by base, non-empty, neither overlapping nor
 * touching when they could merge (same node). */
struct memblock_type {
	struct memblock_region {
		phys_addr_t base;
		uint64_t size; /* bytes */
		uint32_t node;
	} regions[MEMBLOCK_MAX_REGIONS];
	unsigned int cnt;
};

struct memblock {
	/* RAM the runtime may use */
	struct memblock_type memory;
	/* in use: firmware, image, tree, early allocations */
	struct memblock_type reserved;
	/* handed to the buddy allocator */
	bool retired;
};

extern struct memblock memblock;

int memblock_add(struct memblock *mb, phys_addr_t base, uint64_t size,
		 uint32_t node);
int memblock_reserve(struct memblock *mb, phys_addr_t base, uint64_t size);
/* Drop memory above the first limit bytes of RAM (mem=). */
void memblock_cap(struct memblock *mb, uint64_t limit);
/*
 * Allocate size bytes aligned to align (a power of two) from free memory,
 * top-down, preferring node (or any node if none). Returns the physical
 * address of zeroed-on-request memory, or 0.
 */
phys_addr_t memblock_alloc(struct memblock *mb, uint64_t size, uint64_t align,
			   int node);
uint64_t memblock_total(const struct memblock_type *type);
/*
 * Iterate the free ranges (memory minus reserved), in address order:
 * start with *cursor = 0; returns false at the end.
 */
bool memblock_next_free(const struct memblock *mb, uint64_t *cursor,
			phys_addr_t *base, uint64_t *size, uint32_t *node);
/* A range of physical memory, in bytes; never empty, never wraps. */
struct mem_range {
	uint64_t base;
	uint64_t size;
	uint32_t node; /* numa-node-id, 0 without one (and for reservations) */
};

/*
 * Fill memblock: the memory ranges (in pages, cut at the end of the direct
 * map), capped at mem_limit bytes of RAM (0: no cap), minus the reserved
 * ranges (whole pages covering each). 0, -ENOMEM without usable memory, or
 * memblock_add's error.
 */
int memblock_init(struct memblock *mb, const struct mem_range *memory,
		  unsigned int nr_memory, const struct mem_range *reserved,
		  unsigned int nr_reserved, uint64_t mem_limit);

/* ---- struct page ---- */
/* clang-format off */
#define PG_reserved  (1u << 0)  /* not managed by the buddy allocator */
#define PG_buddy     (1u << 1)  /* head of a free block on a free list; order valid */
#define PG_pcp       (1u << 2)  /* free order-0 page on a per-hart list */
#define PG_slab      (1u << 3)  /* part of a slab: owner is the kmem_cache */
/* The app's anonymous pages (vm/, docs/swap.md); clear when freed. */
#define PG_lru       (1u << 4)  /* on an LRU list (lru is that list's link) */
#define PG_active    (1u << 5)  /* on the active list, else the inactive */
#define PG_swapcache (1u << 6)  /* in the swap cache: private is its swap entry */
#define PG_writeback (1u << 7)  /* being written to swap */
#define PG_mlocked   (1u << 8)  /* in a VM_LOCKED mapping: never reclaimed */
#define PG_anon      (1u << 9)  /* the app's: mapping is its mm, owner its VA */
#define PG_readahead (1u << 10) /* read ahead into the swap cache, not yet asked for */
/* clang-format on */

/*
 * One per page frame, in the vmemmap (vm/vm.h), so pfn_to_page() is
 * arithmetic. Invariants:
 *  - refcount == 0 for every free page and every tail of an allocated
 *    block; the head of an allocated block has refcount >= 1 and order set
 *    to the order it was allocated with;
 *  - PG_buddy: the page heads a free block of 2^order pages, aligned to
 *    2^order, all in one zone, on exactly one free list;
 *  - node and zone never change after memmap_init().
 */
struct page {
	uint32_t flags; /* PG_* */
	uint8_t order;	/* block order: free (PG_buddy) or allocated head */
	uint8_t zone;	/* enum zone_type within node */
	uint8_t node;	/* NUMA node id */
	uint8_t migratetype;  /* of the list it was taken from (pcp frees) */
	int32_t refcount;     /* users of the block; 0 when free */
	int32_t mapcount;     /* page-table mappings (virtual memory) */
	struct list_head lru; /* free list, pcp list, later the LRU */
	uint64_t private;     /* owner's word (swap entry, slab data) */
	uintptr_t owner;      /* owner's word (anon VA, slab cache) */
	union {
		void *freelist; /* slab: first free object */
		void *mapping;	/* PG_anon: the address space (vm's mm) */
	};
	union {
		uint64_t counters;	/* slab: in use / total objects */
		struct page *hash_next; /* PG_swapcache: the cache's chain */
	};
};

_Static_assert(sizeof(struct page) <= 64, "struct page budget is 64 bytes");
_Static_assert((sizeof(struct page) & (sizeof(struct page) - 1)) == 0,
	       "a page of vmemmap must hold whole struct pages");

#define vmemmap ((struct page *)machine_vmemmap)

static inline struct page *pfn_to_page(uint64_t pfn)
{
	return vmemmap + pfn;
}

static inline uint64_t page_to_pfn(const struct page *page)
{
	return (uint64_t)(page - vmemmap);
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return page_to_pfn(page) << PAGE_SHIFT;
}

static inline struct page *phys_to_page(phys_addr_t pa)
{
	return pfn_to_page(pa >> PAGE_SHIFT);
}

/* The direct-map address of the page's memory. */
static inline void *page_address(const struct page *page)
{
	return phys_to_virt(page_to_phys(page));
}

static inline struct page *virt_to_page(const void *va)
{
	return phys_to_page(virt_to_phys(va));
}

/* The smallest order whose block holds size bytes; size <= 4 MiB. */
static inline unsigned int get_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* ---- GFP flags: how an allocation may be satisfied ---- */
typedef unsigned int gfp_t;
/* clang-format off */
#define __GFP_DMA32        (1u << 0)  /* below 4 GiB */
#define __GFP_MOVABLE      (1u << 1)  /* the page could move (app memory) */
#define __GFP_RECLAIMABLE  (1u << 2)  /* the page can be freed on demand (caches) */
#define __GFP_HIGH         (1u << 3)  /* may use half the min reserve */
#define __GFP_ZERO         (1u << 4)  /* return zeroed memory */
#define __GFP_NOWARN       (1u << 5)  /* no warning on failure */
#define __GFP_RECLAIM      (1u << 6)  /* may wake and run reclaim */

#define GFP_ATOMIC   (__GFP_HIGH)
#define GFP_KERNEL   (__GFP_RECLAIM)
#define GFP_DMA32    (GFP_KERNEL | __GFP_DMA32)
/* App memory: Linux's GFP_HIGHUSER_MOVABLE (there is no highmem here). */
#define GFP_USER     (GFP_KERNEL | __GFP_MOVABLE)
/* clang-format on */

/* ---- nodes and zones ---- */
enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_TYPES
};

enum zone_type { ZONE_DMA32, ZONE_NORMAL, MAX_NR_ZONES };
enum zone_watermark { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

/* Blocks of one order; nr_free counts them over all migrate types. */
struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;
};

/*
 * Order-0 pages kept per hart so the common case touches no zone list.
 * Invariant: count == pages on the lists; count <= high after each free.
 */
struct per_hart_pages {
	int count; /* pages */
	int high;  /* drain to the zone above this */
	int batch; /* pages moved at once */
	struct list_head lists[MIGRATE_TYPES];
};

/*
 * A zone: the pages of one node in one address class. Invariants:
 *  - free_pages == sum over orders of nr_free << order (pcp pages are not
 *    free pages: they were taken out in batches);
 *  - every page in [start_pfn, start_pfn + spanned_pages) that is present
 *    has this zone in its struct page; managed <= present <= spanned;
 *  - pageblock_mt[i] is the migrate type of pageblock i of the span.
 */
struct zone {
	unsigned long free_pages; /* in the free lists */
	unsigned long watermark[NR_WMARK];
	struct free_area free_area[NR_ORDERS];
	struct per_hart_pages pcp[MAX_HARTS];
	uint8_t *pageblock_mt;
	unsigned long start_pfn;
	unsigned long spanned_pages; /* first to last pfn, with holes */
	unsigned long present_pages; /* RAM in the span */
	unsigned long managed_pages; /* given to the buddy allocator */
	uint8_t node;
	uint8_t type;
	const char *name;
	/* counters */
	unsigned long alloc_fail; /* allocations that found nothing here */
};

struct node {
	unsigned int id;
	bool online; /* has memory */
	struct zone zones[MAX_NR_ZONES];
	/* fallback order: local NORMAL, local DMA32, then other nodes; NULL ends */
	struct zone *zonelist[MAX_NUMNODES * MAX_NR_ZONES + 1];
	unsigned long start_pfn, end_pfn;
};

extern struct node nodes[MAX_NUMNODES];
extern unsigned int nr_nodes;
/* The boot hart's node: where alloc_pages() starts looking. */
extern unsigned int local_node;

static inline struct zone *page_zone(const struct page *page)
{
	return &nodes[page->node].zones[page->zone];
}

/* Set before zones_init(): every allocation is treated as unmovable. */
extern bool page_group_by_mobility_disabled;

/* ---- setting up (memmap.c, zone.c) ---- */
/*
 * The pfn spans that have struct pages: each memory range widened to
 * MAX_ORDER-aligned blocks (so a buddy's struct page always exists) and
 * merged. Start with *cursor = 0; returns false at the end.
 */
bool memmap_next_span(const struct memblock *mb, unsigned int *cursor,
		      uint64_t *start_pfn, uint64_t *end_pfn, uint32_t *node);
/* Initialise every struct page of every span: reserved, node and zone. */
void memmap_init(const struct memblock *mb);
/* Size nodes and zones, give memblock's free memory to the buddy. */
int zones_init(struct memblock *mb, unsigned long min_free_kbytes);
/* Linux's default: 4 * sqrt(lowmem in KiB), clamped to [128, 262144]. */
unsigned long default_min_free_kbytes(unsigned long managed_pages);
void setup_watermarks(unsigned long min_free_kbytes);
/*
 * The sysctls behind the watermarks (/proc/sys/vm, Linux's): the reserve in
 * KiB (after zones_init() the value in use, Linux's rule's when none was
 * given) and the gap between the marks in ten-thousandths of a zone
 * (1..3000, default 10). Write them, then call setup_per_zone_wmarks().
 */
extern int min_free_kbytes;
extern int watermark_scale_factor;
void setup_per_zone_wmarks(void);
/* Pages given to the buddy allocator, over every zone (Linux's name). */
unsigned long totalram_pages(void);

/* ---- the page allocator (page_alloc.c) ---- */
/* 2^order contiguous pages, or NULL. */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
struct page *alloc_pages_node(int node, gfp_t gfp, unsigned int order);
void free_pages(struct page *page, unsigned int order);
/* size bytes, not necessarily a power of two; the tail beyond is freed. */
void *alloc_pages_exact(size_t size, gfp_t gfp);
void free_pages_exact(void *addr, size_t size);
/* Return pages held on this hart's lists to the zones. */
void drain_local_pages(void);

/*
 * ---- reclaim: shrinkers (Linux's include/linux/shrinker.h, smaller) ----
 *
 * A shrinker holds memory it can give back on demand. The allocator's slow
 * path, for an allocation that may reclaim (__GFP_RECLAIM), walks every
 * registered shrinker in registration order (shrink_slab()): once when the
 * zones are below their low watermark (direct == false: the wake of the
 * background reclaimer; the swap shrinker wakes kswapd then), and when
 * the allocation cannot succeed at all (direct == true: direct reclaim;
 * the allocation is tried again after each walk that freed pages, up to
 * MAX_RECLAIM_RETRIES walks).
 *
 * Each shrinker is asked count_objects() first: how many pages it could
 * free now (cheap; an estimate, 0 when it has nothing). When that is not
 * 0, scan_objects() with nr_to_scan = the count and freed = what the
 * shrinkers before it freed in this walk: it frees what it can (a shrinker
 * whose work is dear, swap's, sets its own target) and returns the pages
 * freed, or SHRINK_STOP when it cannot work now (counted as nothing; the
 * walk goes on). Every shrinker is asked on every walk, however much the
 * ones before it freed (as Linux's shrink_slab()).
 *
 * The slab allocator registers one (kmem_cache_init(): empty slabs back to
 * the buddy allocator), swap another after it (vm/vmscan.c: the app's
 * pages written out), so the cheap one is asked first. Smaller than
 * Linux's: units are pages, not objects; no seeks or priority rounds.
 * Rules: scan_objects must not allocate with __GFP_RECLAIM (that walks
 * the shrinkers again, itself
 * included); register and unregister outside a walk. Invariant: a
 * shrinker is on shrinker_list at most once, from register_shrinker() to
 * unregister_shrinker().
 */
struct shrink_control {
	struct zone *zone;	  /* first zone of the allocation's zonelist */
	unsigned int order;	  /* of the allocation */
	bool direct;		  /* direct reclaim, or the background wake */
	unsigned long nr_to_scan; /* pages to try to free: what count said */
	unsigned long freed; /* by the shrinkers before this one, this walk */
};

#define SHRINK_STOP (~0UL) /* scan_objects: cannot work now */

struct shrinker {
	unsigned long (*count_objects)(struct shrinker *s,
				       struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *s,
				      struct shrink_control *sc);
	struct list_head list; /* on shrinker_list while registered */
};

/* The registered shrinkers, in registration order: the walk's order. */
extern struct list_head shrinker_list;
/* 0; -EINVAL without both callbacks; -EEXIST when already registered. */
int register_shrinker(struct shrinker *s);
/* Off the list; one not registered is left alone. */
void unregister_shrinker(struct shrinker *s);
/* Ask every registered shrinker, in order (above). Returns pages freed. */
unsigned long shrink_slab(struct zone *zone, unsigned int order, bool direct);
/* How often the slow path woke the reclaimer, reclaimed directly, failed. */
extern unsigned long reclaim_wakeups, direct_reclaims, alloc_failures;

/*
 * Misuse found by free_pages (double free, never allocated, wrong order,
 * misaligned): reported as "fn: reason" and the free is refused, so a bug
 * leaks a page rather than corrupting the lists. Counted here.
 */
extern unsigned long alloc_misuse;

/*
 * Debug level (bootarg alloc_debug=N): 0 checks only what free_pages always
 * checks; 1 also validates the touched zone after every allocation and free
 * (slow: it walks every free page) and panics on the first violation.
 */
extern int alloc_debug;

/* ---- checking (validate.c) ---- */
/*
 * Walk every free list and pcp list of the zone and check every invariant
 * above. Returns true, or prints the first violation and returns false.
 */
bool buddy_zone_is_valid(const struct zone *zone);
bool buddy_is_valid(void);
unsigned long nr_free_pages(void); /* free lists + pcp lists, all zones */

/* ---- statistics in Linux's formats (vmstat.c) ---- */
/* Each writes text to buf (at most size bytes) and returns its length. */
size_t buddyinfo_show(char *buf, size_t size);
size_t pagetypeinfo_show(char *buf, size_t size);
size_t zoneinfo_show(char *buf, size_t size);
size_t fragmentation_show(char *buf, size_t size);
/* Per mm/vmstat.c, in thousandths: 0..1000, and -1000 = "would succeed". */
int unusable_free_index(const struct zone *zone, unsigned int order);
int fragmentation_index(const struct zone *zone, unsigned int order);

/* The free pages of every zone (and their managed pages, if asked). */
/* Linux's show_free_areas(), the zones' lines: the OOM report's. */
size_t show_free_areas(char *buf, size_t size);
unsigned long zone_free_pages(unsigned long *managed);
/* Linux's si_mem_available() given the free pages: what could be had. */
unsigned long mem_available(unsigned long free);

/* ---- slab caches (slab.c, slab_debug.c) ---- */
/* clang-format off */
#define SLAB_HWCACHE_ALIGN    (1u << 0)  /* align objects to 64-byte cache lines */
#define SLAB_RECLAIM_ACCOUNT  (1u << 1)  /* slabs are reclaimable (shrinkable caches) */
#define SLAB_DEBUG            (1u << 2)  /* red zones, poison, tracking (or bootarg slab_debug) */
#define SLAB_MAX_HARTS        8          /* magazines per cache; the boards have 4-5 harts */
#define SLAB_MAGAZINE         16         /* objects a hart keeps per cache */
/* clang-format on */

struct kmem_cache;

/* Bootarg slab_debug: every cache created afterwards is a debug cache. */
extern bool slab_debug;
/* Misuse found (double free, wrong cache, overflow, use after free). */
extern unsigned long slab_errors;

/*
 * A cache of objects of one size. align is a power of two (0: 8 bytes);
 * ctor, if any, runs once when an object is created in a new slab, not on
 * every allocation: a freed object must be returned in constructed state.
 * Returns NULL (and prints why) on bad arguments or no memory.
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned int flags,
				     void (*ctor)(void *));
void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *cache, void *obj);
/* Give the cache's empty slabs back to the buddy allocator; returns pages. */
unsigned long kmem_cache_shrink(struct kmem_cache *cache);
/* Destroy an empty cache; refuses (and reports) while objects are in use. */
void kmem_cache_destroy(struct kmem_cache *cache);
/* Shrink every cache (what the slab shrinker's scan does); returns pages. */
unsigned long slab_shrink_all(void);
/* Objects in use and slab pages held, over all caches. */
unsigned long slab_active_objects(void);
unsigned long slab_pages(bool reclaimable);
size_t slabinfo_show(char *buf, size_t size);
/* Create the kmalloc caches; after zones_init(). */
void kmem_cache_init(void);

/* ---- kmalloc (kmalloc.c) ---- */
/* clang-format off */
#define KMALLOC_MAX_CACHE_SIZE  (128UL << 10)  /* larger goes to the buddy */
#define ZERO_SIZE_PTR           ((void *)16)   /* kmalloc(0): not NULL, not usable */
/* clang-format on */

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *kmalloc_array(size_t n, size_t size, gfp_t gfp); /* NULL on overflow */
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void *krealloc(void *p, size_t size, gfp_t gfp);
void kfree(const void *p); /* NULL and ZERO_SIZE_PTR are no-ops */
size_t ksize(const void *p);

/* ---- mempool (mempool.c) ---- */
typedef void *(*mempool_alloc_t)(gfp_t gfp, void *data);
typedef void (*mempool_free_t)(void *element, void *data);

/*
 * A reserve of min_nr elements for callers that must not fail (the swap
 * path under memory pressure). Invariant: nr <= min_nr; elements in
 * reserve[0..nr) are owned by the pool.
 */
struct mempool {
	int min_nr, nr;
	void **reserve;
	mempool_alloc_t alloc;
	mempool_free_t free;
	void *data;
};

struct mempool *mempool_create(int min_nr, mempool_alloc_t alloc,
			       mempool_free_t free, void *data);
struct mempool *mempool_create_slab_pool(int min_nr, struct kmem_cache *c);
struct mempool *mempool_create_kmalloc_pool(int min_nr, size_t size);
/* From the allocator first, the reserve when that fails; NULL only when both are empty. */
void *mempool_alloc(struct mempool *pool, gfp_t gfp);
/* Refills the reserve before giving anything back to the allocator. */
void mempool_free(void *element, struct mempool *pool);
void mempool_destroy(struct mempool *pool);

#endif /* PAGODA_ALLOC_H */
