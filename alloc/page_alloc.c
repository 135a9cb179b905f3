// SPDX-License-Identifier: MIT
/*
 * alloc/page_alloc.c - the buddy allocator.
 *
 * Free memory is kept as blocks of 2^order pages, order 0..MAX_ORDER, each
 * aligned to its size. A block of order k at pfn p has one buddy, the other
 * half of the order k+1 block containing it:
 *
 *     buddy_pfn  = p ^ (1 << k)          flip bit k
 *     parent_pfn = p & ~(1 << k)         clear bit k (= p & buddy_pfn)
 *
 * e.g. order 2 at pfn 0x104: buddy 0x100, parent 0x100 (order 3);
 *      order 2 at pfn 0x100: buddy 0x104, parent 0x100.
 *
 * Allocation takes the smallest block of at least the order asked for and
 * splits it, putting the upper halves back (expand). Freeing merges with
 * the buddy while the buddy is a free block of the same order.
 *
 * Free lists are per zone, per order, per migrate type; each 2 MiB pageblock
 * has a type, and an allocation that finds none of its own type falls back
 * to another and may take over the whole pageblock (Linux's anti-
 * fragmentation: movable and unmovable pages end up in different blocks).
 * Order-0 pages go through per-hart lists first (pcp), and alloc_pages()
 * and free_pages() have fast paths for that case. A fast path is not a
 * second copy of the rules: it is made of the same inline functions as the
 * general path (zone_alloc() and what it uses, free_check()), with the
 * common case's constants folded in, so the two cannot decide differently.
 * Their cost is measured by tests/kernel/bench_buddy.c (make bench,
 * docs/memory.md).
 *
 * Context: any, including trap context; zone state is changed with
 * interrupts off (one hart runs; with more, the zone lock goes here).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc/internal.h"

unsigned long reclaim_wakeups, direct_reclaims, alloc_failures, alloc_misuse;
int alloc_debug;

static void debug_check(const struct zone *z, const char *fn)
{
	if (alloc_debug >= 1 && !buddy_zone_is_valid(z))
		panic("%s: the free lists are corrupt", fn);
}

const char *const migratetype_names[MIGRATE_TYPES] = {
	[MIGRATE_UNMOVABLE] = "Unmovable",
	[MIGRATE_MOVABLE] = "Movable",
	[MIGRATE_RECLAIMABLE] = "Reclaimable",
};

/* Where each type looks when its own lists are empty, in order. */
static const uint8_t fallbacks[MIGRATE_TYPES][2] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

/* ---- freeing ---- */

void __free_one_page(struct page *page, uint64_t pfn, struct zone *z,
		     unsigned int order, int mt)
{
	/* page is pfn_to_page(pfn); every block merged into is in its zone */
	const uint8_t zone = page->zone, node = page->node;

	z->free_pages += 1UL << order;
	while (order < MAX_ORDER) {
		uint64_t buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = pfn_to_page(buddy_pfn);

		/* the buddy's struct page exists: spans are MAX_ORDER blocks */
		if (!(buddy->flags & PG_buddy) || buddy->order != order ||
		    buddy->zone != zone || buddy->node != node)
			break;
		del_from_free_list(buddy, z, order);
		pfn &= buddy_pfn; /* the parent starts at the lower of the two */
		order++;
	}
	add_to_free_list(pfn_to_page(pfn), z, order, mt);
}

__attribute__((format(printf, 1, 2))) static void misuse(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	alloc_misuse++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("%s\n", msg);
	backtrace_print(0, (unsigned long)__builtin_frame_address(0));
}

/*
 * What free_pages() accepts, one definition for its fast path and its
 * checked path: the head of an allocated block of this order, held once.
 * Anything else is a caller's bug that would corrupt the free lists; the
 * answer says which (always inlined: with order 0 the fast path folds it
 * to one test of the flags, the refcount and the order).
 */
enum free_fault {
	FREE_OK,
	FREE_MISALIGNED,
	FREE_DOUBLE,
	FREE_RESERVED,
	FREE_UNALLOCATED,
	FREE_SHARED,
	FREE_WRONG_ORDER,
};

static inline __attribute__((always_inline)) enum free_fault
free_check(const struct page *page, uint64_t pfn, unsigned int order)
{
	if (order > MAX_ORDER || pfn & ((1UL << order) - 1))
		return FREE_MISALIGNED;
	if (page->flags & (PG_buddy | PG_pcp))
		return FREE_DOUBLE;
	if (page->flags & PG_reserved)
		return FREE_RESERVED;
	if (page->refcount != 1)
		return page->refcount ? FREE_SHARED : FREE_UNALLOCATED;
	if (page->order != order)
		return FREE_WRONG_ORDER;
	return FREE_OK;
}

/* Name the fault free_check() found. */
static void free_report(const struct page *page, uint64_t pfn,
			unsigned int order, enum free_fault fault)
{
	unsigned long long p = pfn;

	switch (fault) {
	case FREE_MISALIGNED:
		misuse("free_pages: pfn 0x%llx is not aligned to order %u", p,
		       order);
		break;
	case FREE_DOUBLE:
		misuse("free_pages: double free of pfn 0x%llx", p);
		break;
	case FREE_RESERVED:
		misuse("free_pages: pfn 0x%llx is reserved, never allocated",
		       p);
		break;
	case FREE_UNALLOCATED:
		misuse("free_pages: pfn 0x%llx is not allocated (double free?)",
		       p);
		break;
	case FREE_SHARED:
		misuse("free_pages: pfn 0x%llx still has %d references", p,
		       page->refcount);
		break;
	case FREE_WRONG_ORDER:
		misuse("free_pages: pfn 0x%llx was allocated with order %u, freed with order %u",
		       p, page->order, order);
		break;
	case FREE_OK:
		break;
	}
}

/* Give batch pages from the pcp lists back to the zone, oldest first. */
static void drain_pcp(struct zone *z, struct per_hart_pages *pcp, int count)
{
	int mt = 0;

	while (count > 0 && pcp->count > 0) {
		struct list_head *list = &pcp->lists[mt];

		mt = (mt + 1) % MIGRATE_TYPES;
		if (list_empty(list))
			continue;
		struct page *page = list_entry(list->prev, struct page, lru);

		list_del(&page->lru);
		page->flags &= ~PG_pcp;
		pcp->count--;
		count--;
		__free_one_page(page, page_to_pfn(page), z, 0,
				page->migratetype);
	}
}

/*
 * The rare end of an order-0 free: the list went over high (drain a batch),
 * or alloc_debug wants the zone checked. Interrupts are still off.
 */
static __attribute__((noinline)) void
free_pcp_tail(struct zone *z, struct per_hart_pages *pcp, unsigned long irq)
{
	if (pcp->count > pcp->high)
		drain_pcp(z, pcp, pcp->batch);
	irq_restore(irq);
	debug_check(z, "free_pages");
}

/*
 * An order-0 page goes to the front of this hart's list (it is cache-hot).
 * Inlined into the fast path of free_pages(), where it makes no call
 * except the tail call for the rare case.
 */
static inline __attribute__((always_inline)) void
free_to_pcp(struct page *page, uint64_t pfn, struct zone *z)
{
	struct per_hart_pages *pcp = &z->pcp[this_hart()];
	int mt = get_pageblock_mt(z, pfn);
	struct list_head *list = &pcp->lists[mt];
	unsigned long irq;

	page->refcount = 0;
	page->migratetype = (uint8_t)mt;
	irq = irq_save();
	page->flags |= PG_pcp;
	list_add(&page->lru, list);
	if (++pcp->count > pcp->high || alloc_debug) {
		free_pcp_tail(z, pcp, irq);
		return;
	}
	irq_restore(irq);
}

/* Every free that is not the common case, and every misuse. */
static __attribute__((noinline)) void free_pages_checked(struct page *page,
							 unsigned int order)
{
	uint64_t pfn = page_to_pfn(page);
	struct zone *z = page_zone(page);
	enum free_fault fault = free_check(page, pfn, order);
	unsigned long irq;

	if (fault != FREE_OK) {
		free_report(page, pfn, order, fault);
		return;
	}
	if (order == 0) {
		free_to_pcp(page, pfn, z);
		return;
	}
	page->refcount = 0;
	irq = irq_save();
	__free_one_page(page, pfn, z, order, get_pageblock_mt(z, pfn));
	irq_restore(irq);
	debug_check(z, "free_pages");
}

/*
 * A leaf without a frame (FAST_PATH): free_to_pcp() and the checked path
 * are tail calls. (Check with nm that there is no free_pages.part.0: GCC's
 * partial inlining would add a call and a frame.)
 */
FAST_PATH void free_pages(struct page *page, unsigned int order)
{
	/* the common case: an order-0 page that passes every check */
	if (likely(order == 0) &&
	    likely(free_check(page, page_to_pfn(page), 0) == FREE_OK)) {
		free_to_pcp(page, page_to_pfn(page), page_zone(page));
		return;
	}
	free_pages_checked(page, order);
}

void drain_local_pages(void)
{
	unsigned long irq = irq_save();

	for (unsigned int id = 0; id < nr_nodes; id++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &nodes[id].zones[t];
			struct per_hart_pages *pcp = &z->pcp[this_hart()];

			drain_pcp(z, pcp, pcp->count);
		}
	irq_restore(irq);
}

/* ---- allocating ---- */

/* Split the order-high block at page down to order low: upper halves go back. */
static void expand(struct zone *z, struct page *page, unsigned int low,
		   unsigned int high, int mt)
{
	while (high > low) {
		high--;
		add_to_free_list(page + (1UL << high), z, high, mt);
	}
}

static struct page *rmqueue_smallest(struct zone *z, unsigned int order, int mt)
{
	for (unsigned int o = order; o <= MAX_ORDER; o++) {
		struct list_head *list = &z->free_area[o].free_list[mt];
		struct page *page;

		if (list_empty(list))
			continue;
		page = list_first_entry(list, struct page, lru);
		del_from_free_list(page, z, o);
		expand(z, page, order, o, mt);
		z->free_pages -= 1UL << order;
		return page;
	}
	return NULL;
}

/*
 * Move every free block of page's pageblock onto mt's lists; returns the
 * pages moved.
 */
static unsigned long move_freepages_block(struct zone *z, struct page *page,
					  int mt)
{
	uint64_t pfn = page_to_pfn(page) & ~(PAGEBLOCK_NR_PAGES - 1);
	uint64_t end = pfn + PAGEBLOCK_NR_PAGES;
	unsigned long moved = 0;

	while (pfn < end) {
		struct page *p = pfn_to_page(pfn);

		if (!(p->flags & PG_buddy) || page_zone(p) != z) {
			pfn++;
			continue;
		}
		list_move(&p->lru, &z->free_area[p->order].free_list[mt]);
		moved += 1UL << p->order;
		pfn += 1UL << p->order;
	}
	return moved;
}

/*
 * Linux's steal_suitable_fallback: take the free pages of the block's
 * pageblock for start_mt, and the pageblock itself when at least half of it
 * was free (or when the block covers whole pageblocks).
 */
static void steal_fallback(struct zone *z, struct page *page,
			   unsigned int order, int start_mt)
{
	uint64_t pfn = page_to_pfn(page);

	if (order >= PAGEBLOCK_ORDER) {
		for (uint64_t i = 0; i < 1UL << order; i += PAGEBLOCK_NR_PAGES)
			set_pageblock_mt(z, pfn + i, start_mt);
		list_move(&page->lru, &z->free_area[order].free_list[start_mt]);
		return;
	}
	if (move_freepages_block(z, page, start_mt) >= PAGEBLOCK_NR_PAGES / 2 ||
	    page_group_by_mobility_disabled)
		set_pageblock_mt(z, pfn, start_mt);
}

static bool can_steal(unsigned int order, int start_mt)
{
	return order >= PAGEBLOCK_ORDER / 2 || start_mt != MIGRATE_MOVABLE ||
	       page_group_by_mobility_disabled;
}

static struct page *rmqueue_fallback(struct zone *z, unsigned int order,
				     int start_mt)
{
	/* largest block first: stealing it keeps pageblocks unmixed */
	for (int o = MAX_ORDER; o >= (int)order; o--) {
		for (int i = 0; i < 2; i++) {
			int mt = fallbacks[start_mt][i];
			struct list_head *list = &z->free_area[o].free_list[mt];

			if (list_empty(list))
				continue;
			if (!can_steal((unsigned int)o, start_mt))
				goto smallest;
			steal_fallback(z,
				       list_first_entry(list, struct page, lru),
				       (unsigned int)o, start_mt);
			return rmqueue_smallest(z, order, start_mt);
		}
	}
	return NULL;

smallest:
	/* too small to take over a pageblock: borrow the smallest fit */
	for (int i = 0; i < 2; i++) {
		struct page *page =
			rmqueue_smallest(z, order, fallbacks[start_mt][i]);

		if (page)
			return page;
	}
	return NULL;
}

static struct page *rmqueue(struct zone *z, unsigned int order, int mt)
{
	struct page *page = rmqueue_smallest(z, order, mt);

	return page ? page : rmqueue_fallback(z, order, mt);
}

/* Fill an empty pcp list with a batch of order-0 pages. */
static bool pcp_refill(struct zone *z, struct per_hart_pages *pcp, int mt)
{
	for (int i = 0; i < pcp->batch; i++) {
		struct page *page = rmqueue(z, 0, mt);

		if (!page)
			break;
		page->migratetype = (uint8_t)mt;
		page->flags |= PG_pcp;
		list_add_tail(&page->lru, &pcp->lists[mt]);
		pcp->count++;
	}
	return !list_empty(&pcp->lists[mt]);
}

/*
 * ---- the rules of an allocation, one definition each ----
 *
 * get_page_from_freelist() and the fast path of alloc_pages_node() are
 * both made of these (always inlined: with order 0 and the low mark as
 * constants the compiler folds them to the few tests the fast path needs),
 * so the two cannot decide differently.
 */

/* GFP_DMA32 allows the DMA32 zones only; any other allocation every zone. */
static inline __attribute__((always_inline)) bool
zone_allowed(const struct zone *z, gfp_t gfp)
{
	return likely(!(gfp & __GFP_DMA32)) || z->type <= ZONE_DMA32;
}

/* The mark the allocation must stay above in z: __GFP_HIGH halves min. */
static inline __attribute__((always_inline)) unsigned long
wmark_pages(const struct zone *z, gfp_t gfp, int wmark)
{
	unsigned long mark = z->watermark[wmark];

	if (wmark == WMARK_MIN && (gfp & __GFP_HIGH))
		mark -= mark / 2;
	return mark;
}

/* A free block of order at least order, of any migrate type. */
static bool has_free_block(const struct zone *z, unsigned int order)
{
	for (unsigned int o = order; o <= MAX_ORDER; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

/*
 * z passes mark for 2^order pages: free_pages - (2^order - 1) > mark, and
 * a free block of at least that order exists (for order 0 any free page
 * will do, or one on the pcp lists).
 */
static inline __attribute__((always_inline)) bool
watermark_ok(const struct zone *z, unsigned int order, unsigned long mark)
{
	long free = (long)z->free_pages - ((1L << order) - 1);

	if (free <= (long)mark)
		return false;
	if (likely(order == 0))
		return true;
	return has_free_block(z, order);
}

/* This hart's hottest page of type mt, or NULL. Interrupts off. */
static inline __attribute__((always_inline)) struct page *
pcp_take(struct per_hart_pages *pcp, int mt)
{
	struct list_head *list = &pcp->lists[mt];
	struct page *page;

	if (unlikely(list_empty(list)))
		return NULL;
	page = list_first_entry(list, struct page, lru);
	list_del(&page->lru);
	page->flags &= ~PG_pcp;
	pcp->count--;
	return page;
}

/*
 * One zone of the zonelist walk: 2^order pages of z, if the allocation may
 * use z and z stays above its wmark. Order 0 comes from this hart's list,
 * refilled from the free lists when it is empty (if refill), larger orders
 * from the free lists. The fast path is this with order 0, WMARK_LOW and
 * no refill: when that finds nothing, the general path asks again.
 */
static inline __attribute__((always_inline)) struct page *
zone_alloc(struct zone *z, gfp_t gfp, unsigned int order, int mt, int wmark,
	   bool refill)
{
	struct page *page;
	unsigned long irq;

	if (unlikely(!zone_allowed(z, gfp)) ||
	    unlikely(!watermark_ok(z, order, wmark_pages(z, gfp, wmark))))
		return NULL;
	irq = irq_save();
	if (likely(order == 0)) {
		struct per_hart_pages *pcp = &z->pcp[this_hart()];

		page = pcp_take(pcp, mt);
		if (unlikely(!page) && refill && pcp_refill(z, pcp, mt))
			page = pcp_take(pcp, mt);
	} else {
		page = rmqueue(z, order, mt);
	}
	irq_restore(irq);
	return page;
}

/* The first zone of the list that can give the block, in list order. */
static struct page *get_page_from_freelist(struct zone *const *zl, gfp_t gfp,
					   unsigned int order, int mt,
					   int wmark)
{
	for (; *zl; zl++) {
		struct page *page =
			zone_alloc(*zl, gfp, order, mt, wmark, true);

		if (page)
			return page;
	}
	return NULL;
}

/* ---- reclaim: the shrinkers (alloc/alloc.h) ---- */

struct list_head shrinker_list = { &shrinker_list, &shrinker_list };

static bool shrinker_registered(const struct shrinker *s)
{
	for (const struct list_head *l = shrinker_list.next;
	     l != &shrinker_list; l = l->next)
		if (l == &s->list)
			return true;
	return false;
}

int register_shrinker(struct shrinker *s)
{
	int err = 0;
	unsigned long irq;

	if (!s || !s->count_objects || !s->scan_objects)
		return -EINVAL;
	irq = irq_save();
	if (shrinker_registered(s))
		err = -EEXIST;
	else
		list_add_tail(&s->list, &shrinker_list);
	irq_restore(irq);
	return err;
}

void unregister_shrinker(struct shrinker *s)
{
	unsigned long irq = irq_save();

	if (s && shrinker_registered(s))
		list_del(&s->list);
	irq_restore(irq);
}

unsigned long shrink_slab(struct zone *zone, unsigned int order, bool direct)
{
	struct shrink_control sc = { zone, order, direct, 0, 0 };
	unsigned long freed = 0;

	for (struct list_head *l = shrinker_list.next; l != &shrinker_list;
	     l = l->next) {
		struct shrinker *s = list_entry(l, struct shrinker, list);
		unsigned long n;

		sc.nr_to_scan = s->count_objects(s, &sc);
		if (!sc.nr_to_scan)
			continue;
		n = s->scan_objects(s, &sc);
		if (n != SHRINK_STOP)
			sc.freed = freed += n;
	}
	return freed;
}

#define MAX_RECLAIM_RETRIES 16 /* Linux's */

/*
 * Nothing above the low watermark: wake the reclaimer, go down to min,
 * give this hart's lists back, reclaim directly (docs/memory.md).
 */
static struct page *alloc_slowpath(struct zone *const *zl, gfp_t gfp,
				   unsigned int order, int mt)
{
	struct page *page;

	/* below low: the background reclaimer is woken */
	if (gfp & __GFP_RECLAIM) {
		reclaim_wakeups++;
		shrink_slab(zl[0], order, false);
	}
	page = get_page_from_freelist(zl, gfp, order, mt, WMARK_MIN);
	if (page)
		return page;
	drain_local_pages();
	page = get_page_from_freelist(zl, gfp, order, mt, WMARK_MIN);
	if (page || !(gfp & __GFP_RECLAIM))
		return page;
	/*
	 * Direct reclaim: each walk frees a batch (the swap shrinker's is 32
	 * pages); try again while walks free something, as Linux's
	 * should_reclaim_retry() does, but a bounded number of times so a
	 * system whose reclaim keeps freeing pages someone else takes ends in
	 * the OOM report instead of a livelock.
	 */
	for (int tries = 0; !page && tries < MAX_RECLAIM_RETRIES; tries++) {
		direct_reclaims++;
		if (!shrink_slab(zl[0], order, true))
			break;
		page = get_page_from_freelist(zl, gfp, order, mt, WMARK_MIN);
	}
	return page;
}

/*
 * Zero a block 64 bytes a round: page-aligned memory needs none of
 * memset's head and tail work, and this is most of a page fault's cost.
 * GCC must not turn the loop back into a memset call.
 */
static __attribute__((optimize("no-tree-loop-distribute-patterns"))) void
clear_pages(void *addr, unsigned int order)
{
	uint64_t *p = addr, *end = p + (PAGE_SIZE << order) / sizeof(*p);

	for (; p < end; p += 8) {
		p[0] = 0;
		p[1] = 0;
		p[2] = 0;
		p[3] = 0;
		p[4] = 0;
		p[5] = 0;
		p[6] = 0;
		p[7] = 0;
	}
}

/* The rare part of handing out a block: zeroing it, alloc_debug. */
static __attribute__((noinline)) struct page *
prep_new_page_tail(struct page *page, gfp_t gfp, unsigned int order)
{
	debug_check(page_zone(page), "alloc_pages");
	if (gfp & __GFP_ZERO)
		clear_pages(page_address(page), order);
	return page;
}

/* What every allocated block gets before it is handed out. */
static inline __attribute__((always_inline)) struct page *
prep_new_page(struct page *page, gfp_t gfp, unsigned int order)
{
	page->refcount = 1;
	page->order = (uint8_t)order;
	if ((gfp & __GFP_ZERO) || alloc_debug)
		return prep_new_page_tail(page, gfp, order);
	return page;
}

/* A node alloc_pages_node() may be asked for: one with memory. */
static inline __attribute__((always_inline)) bool node_ok(int node)
{
	return likely((unsigned int)node < nr_nodes);
}

/* Any order, any zone, through the watermarks and the slow path. */
static __attribute__((noinline)) struct page *
alloc_pages_general(int node, gfp_t gfp, unsigned int order)
{
	struct zone *const *zl;
	int mt = gfp_migratetype(gfp);
	struct page *page;

	if (order > MAX_ORDER || !node_ok(node))
		goto fail;
	zl = nodes[node].zonelist;
	page = get_page_from_freelist(zl, gfp, order, mt, WMARK_LOW);
	if (!page)
		page = alloc_slowpath(zl, gfp, order, mt);
	if (!page)
		goto fail;
	return prep_new_page(page, gfp, order);

fail:
	alloc_failures++;
	if (!(gfp & __GFP_NOWARN)) {
		static bool warned;

		if (!warned) {
			warned = true;
			pr_warn("alloc_pages: order %u failed (gfp 0x%x, %lu pages free); warning once\n",
				order, gfp, nr_free_pages());
		}
	}
	return NULL;
}

/*
 * alloc_pages_node(), inlined into both entry points. The common case,
 * order 0 from the first zone of the node's list through this hart's list,
 * is the first step of get_page_from_freelist() (zone_alloc() on the low
 * mark) without the refill; when it finds nothing (the zone not allowed,
 * below low, or the list empty) the general path decides, starting over
 * with that zone.
 */
static inline __attribute__((always_inline)) struct page *
__alloc_pages_node(int node, gfp_t gfp, unsigned int order)
{
	if (likely(order == 0) && node_ok(node)) {
		struct page *page =
			zone_alloc(nodes[node].zonelist[0], gfp, 0,
				   gfp_migratetype(gfp), WMARK_LOW, false);

		if (likely(page))
			return prep_new_page(page, gfp, 0);
	}
	return alloc_pages_general(node, gfp, order);
}

/* Both leaves without a frame (FAST_PATH): the rest are tail calls. */
FAST_PATH struct page *alloc_pages_node(int node, gfp_t gfp, unsigned int order)
{
	return __alloc_pages_node(node, gfp, order);
}

FAST_PATH struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return __alloc_pages_node((int)local_node, gfp, order);
}

/* ---- sizes that are not a power of two ---- */

void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	unsigned int order;
	size_t used = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	struct page *page;

	/* before get_order(), which would shift past 64 bits for huge sizes */
	if (!size || size > PAGE_SIZE << MAX_ORDER)
		return NULL;
	order = get_order(size);
	page = alloc_pages(gfp, order);
	if (!page)
		return NULL;
	/* split into order-0 pages and give back the tail */
	for (size_t i = 0; i < 1UL << order; i++) {
		page[i].refcount = 1;
		page[i].order = 0;
	}
	for (size_t i = used; i < 1UL << order; i++)
		free_pages(&page[i], 0);
	return page_address(page);
}

void free_pages_exact(void *addr, size_t size)
{
	struct page *page = virt_to_page(addr);
	size_t n = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	for (size_t i = 0; i < n; i++)
		free_pages(&page[i], 0);
}
