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
 * and free_pages() have fast paths for that case (alloc_fast(), the top of
 * free_pages()) that decide exactly as the general path does; their cost
 * is measured by tests/kernel/bench_buddy.c (make bench, docs/memory.md).
 *
 * Context: any, including trap context; zone state is changed with
 * interrupts off (one hart runs; with more, the zone lock goes here).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc/internal.h"
#include "hal/riscv/riscv.h"

unsigned long (*reclaim_hook)(struct zone *zone, unsigned int order,
			      bool direct);
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

/* The checks that keep a caller's bug from corrupting the free lists. */
static bool free_ok(const struct page *page, uint64_t pfn, unsigned int order)
{
	if (order > MAX_ORDER || pfn & ((1UL << order) - 1))
		misuse("free_pages: pfn 0x%llx is not aligned to order %u",
		       (unsigned long long)pfn, order);
	else if (page->flags & (PG_buddy | PG_pcp))
		misuse("free_pages: double free of pfn 0x%llx",
		       (unsigned long long)pfn);
	else if (page->flags & PG_reserved)
		misuse("free_pages: pfn 0x%llx is reserved, never allocated",
		       (unsigned long long)pfn);
	else if (page->refcount == 0)
		misuse("free_pages: pfn 0x%llx is not allocated (double free?)",
		       (unsigned long long)pfn);
	else if (page->refcount != 1)
		misuse("free_pages: pfn 0x%llx still has %d references",
		       (unsigned long long)pfn, page->refcount);
	else if (page->order != order)
		misuse("free_pages: pfn 0x%llx was allocated with order %u, freed with order %u",
		       (unsigned long long)pfn, page->order, order);
	else
		return true;
	return false;
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
free_pcp_tail(struct zone *z, struct per_hart_pages *pcp, bool irq)
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
	bool irq;

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
	bool irq;

	if (!free_ok(page, pfn, order))
		return;
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

/* kept whole: GCC's partial inlining would add a call and a frame */
__attribute__((optimize("no-partial-inlining"))) void
free_pages(struct page *page, unsigned int order)
{
	/*
	 * The common case: an order-0 page, allocated and held once. These
	 * are free_ok()'s checks for order 0 (alignment is trivial), folded
	 * into one test; anything else takes the full checks.
	 */
	if (order == 0 && !(page->flags & (PG_buddy | PG_pcp | PG_reserved)) &&
	    page->refcount == 1 && page->order == 0) {
		free_to_pcp(page, page_to_pfn(page), page_zone(page));
		return;
	}
	free_pages_checked(page, order);
}

void drain_local_pages(void)
{
	bool irq = irq_save();

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

static bool watermark_ok(const struct zone *z, unsigned int order,
			 unsigned long mark)
{
	long free = (long)z->free_pages - ((1L << order) - 1);

	if (free <= (long)mark)
		return false;
	if (order == 0)
		return true; /* a free page, or one on the pcp lists */
	for (unsigned int o = order; o <= MAX_ORDER; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

static struct page *take_from_zone(struct zone *z, unsigned int order, int mt)
{
	struct page *page;
	bool irq = irq_save();

	if (order == 0) {
		struct per_hart_pages *pcp = &z->pcp[this_hart()];
		struct list_head *list = &pcp->lists[mt];

		if (list_empty(list) && !pcp_refill(z, pcp, mt)) {
			irq_restore(irq);
			return NULL;
		}
		page = list_first_entry(list, struct page, lru);
		list_del(&page->lru);
		page->flags &= ~PG_pcp;
		pcp->count--;
	} else {
		page = rmqueue(z, order, mt);
	}
	irq_restore(irq);
	return page;
}

/* Try each allowed zone of the list that stays above the watermark. */
static struct page *get_page_from_freelist(struct zone *const *zl, gfp_t gfp,
					   unsigned int order, int mt,
					   int wmark)
{
	int highest = gfp & __GFP_DMA32 ? ZONE_DMA32 : ZONE_NORMAL;

	for (; *zl; zl++) {
		struct zone *z = *zl;
		unsigned long mark = z->watermark[wmark];
		struct page *page;

		if (z->type > highest)
			continue;
		if (wmark == WMARK_MIN && (gfp & __GFP_HIGH))
			mark -= mark / 2;
		if (!watermark_ok(z, order, mark))
			continue;
		page = take_from_zone(z, order, mt);
		if (page)
			return page;
	}
	return NULL;
}

static struct page *alloc_slowpath(struct zone *const *zl, gfp_t gfp,
				   unsigned int order, int mt)
{
	struct page *page;

	/* below low: the background reclaimer is woken */
	if (gfp & __GFP_RECLAIM) {
		reclaim_wakeups++;
		if (reclaim_hook)
			reclaim_hook(zl[0], order, false);
	}
	page = get_page_from_freelist(zl, gfp, order, mt, WMARK_MIN);
	if (page)
		return page;
	drain_local_pages();
	page = get_page_from_freelist(zl, gfp, order, mt, WMARK_MIN);
	if (page || !(gfp & __GFP_RECLAIM))
		return page;
	direct_reclaims++;
	if (reclaim_hook && reclaim_hook(zl[0], order, true))
		page = get_page_from_freelist(zl, gfp, order, mt, WMARK_MIN);
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

/* Any order, any zone, through the watermarks and the slow path. */
static __attribute__((noinline)) struct page *
alloc_pages_general(int node, gfp_t gfp, unsigned int order)
{
	struct zone *const *zl;
	int mt = gfp_migratetype(gfp);
	struct page *page;

	if (order > MAX_ORDER || node < 0 || (unsigned int)node >= nr_nodes)
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
 * The common case: order 0 from the first zone of the node's list, through
 * this hart's list. Exactly what get_page_from_freelist() would do when
 * that zone is allowed, above its low watermark (for order 0 that is all
 * watermark_ok() asks) and has a page on the list of the migrate type;
 * otherwise NULL, and the general path decides.
 */
static inline __attribute__((always_inline)) struct page *
alloc_fast(unsigned int node, gfp_t gfp)
{
	struct zone *z = nodes[node].zonelist[0];
	struct per_hart_pages *pcp;
	struct list_head *list;
	struct page *page = NULL;
	bool irq;

	if (((gfp & __GFP_DMA32) && z->type != ZONE_DMA32) ||
	    z->free_pages <= z->watermark[WMARK_LOW])
		return NULL;
	pcp = &z->pcp[this_hart()];
	list = &pcp->lists[gfp_migratetype(gfp)];
	irq = irq_save();
	if (!list_empty(list)) {
		page = list_first_entry(list, struct page, lru);
		list_del(&page->lru);
		page->flags &= ~PG_pcp;
		pcp->count--;
	}
	irq_restore(irq);
	return page;
}

struct page *alloc_pages_node(int node, gfp_t gfp, unsigned int order)
{
	if (order == 0 && (unsigned int)node < nr_nodes) {
		struct page *page = alloc_fast((unsigned int)node, gfp);

		if (page)
			return prep_new_page(page, gfp, 0);
	}
	return alloc_pages_general(node, gfp, order);
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	/* alloc_pages_node(local_node, ...), without a call in between */
	if (order == 0 && local_node < nr_nodes) {
		struct page *page = alloc_fast(local_node, gfp);

		if (page)
			return prep_new_page(page, gfp, 0);
	}
	return alloc_pages_general((int)local_node, gfp, order);
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
