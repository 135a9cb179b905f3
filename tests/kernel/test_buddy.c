// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_buddy.c - the live buddy allocator: every order, the
 * GFP flags, the per-hart lists, watermarks and the shrinkers, migrate
 * types and stealing, misuse reports. The first case notes the number of
 * free pages, the last one checks it is back and that every invariant
 * holds (buddy_is_valid()), so a leak or a corruption anywhere in the
 * suite fails it.
 *
 * Works on any machine the image boots on: one zone or several, one node
 * or several, the boot hart on any node (the zone and node tests use the
 * local node's zonelist, not fixed zones).
 */
#include <string.h>

#include "alloc/internal.h"
#include "hal/riscv/riscv.h"
#include "tests/kernel/ktest.h"

extern char _start[];

#define for_each_zone(z)                                  \
	for (unsigned int _n = 0; _n < nr_nodes; _n++)    \
		for (int _t = 0; _t < MAX_NR_ZONES; _t++) \
			if (((z) = &nodes[_n].zones[_t])->managed_pages)

static unsigned long suite_free; /* free pages when the suite started */

/*
 * The cases that run memory out set the registered shrinkers aside
 * (slab's, which shrinks its caches) and register their own, if any: what
 * is freed and counted must be theirs. restore_shrinkers() puts the
 * registered ones back, in their order.
 */
#define MAX_SET_ASIDE 8
static struct shrinker *set_aside[MAX_SET_ASIDE];
static unsigned int nr_set_aside;

/* The registered shrinkers, in order, into list[max]; how many. */
static unsigned int registered(struct shrinker **list, unsigned int max)
{
	unsigned int n = 0;

	for (struct list_head *l = shrinker_list.next; l != &shrinker_list;
	     l = l->next, n++)
		if (n < max)
			list[n] = list_entry(l, struct shrinker, list);
	return n;
}

/* Unregister every shrinker; the first call of a case keeps them aside. */
static void unregister_all(bool keep)
{
	while (!list_empty(&shrinker_list)) {
		struct shrinker *s =
			list_first_entry(&shrinker_list, struct shrinker, list);

		unregister_shrinker(s);
		if (keep && nr_set_aside < MAX_SET_ASIDE)
			set_aside[nr_set_aside++] = s;
	}
}

/* own (NULL: none) the only shrinker, until restore_shrinkers(). */
static void only_shrinker(struct shrinker *own)
{
	unregister_all(nr_set_aside == 0);
	if (own)
		register_shrinker(own);
}

static void restore_shrinkers(void)
{
	unregister_all(false);
	for (unsigned int i = 0; i < nr_set_aside; i++)
		register_shrinker(set_aside[i]);
	nr_set_aside = 0;
}

/* The shrinkers registered when the suite started, and how many. */
static struct shrinker *suite_shrinkers[MAX_SET_ASIDE];
static unsigned int nr_suite_shrinkers;

/* Free pages, with this hart's lists given back first: comparable. */
static unsigned long free_now(void)
{
	drain_local_pages();
	return nr_free_pages();
}

/* ---- helpers ---- */

/* Fill a block with a pattern of its own pfn and offset; check it back. */
static void fill(struct page *page, unsigned int order)
{
	uint64_t *w = page_address(page), tag = page_to_pfn(page) << 32;

	for (size_t i = 0; i < (PAGE_SIZE << order) / 8; i++)
		w[i] = tag ^ i;
}

static bool filled(const struct page *page, unsigned int order)
{
	const uint64_t *w = page_address(page);
	uint64_t tag = page_to_pfn(page) << 32;

	for (size_t i = 0; i < (PAGE_SIZE << order) / 8; i++)
		if (w[i] != (tag ^ i))
			return false;
	return true;
}

static bool all_zero(const void *p, size_t size)
{
	const uint64_t *w = p;

	for (size_t i = 0; i < size / 8; i++)
		if (w[i])
			return false;
	return true;
}

/* An allocated block as the allocator promises it. */
static bool block_ok(const struct page *page, unsigned int order)
{
	uint64_t pfn = page_to_pfn(page);

	if (page->refcount != 1 || page->order != order ||
	    (pfn & ((1UL << order) - 1)) ||
	    (page->flags & (PG_buddy | PG_pcp | PG_reserved)))
		return false;
	for (uint64_t i = 1; i < 1UL << order; i++)
		if (page[i].refcount ||
		    (page[i].flags & (PG_buddy | PG_pcp | PG_reserved)) ||
		    page_zone(&page[i]) != page_zone(page))
			return false;
	return true;
}

/* Blocks held by a test, chained through their lru (ours while allocated). */
static void hold(struct list_head *held, struct page *page)
{
	list_add(&page->lru, held);
}

static unsigned long release(struct list_head *held, unsigned long max_pages)
{
	unsigned long n = 0;

	while (!list_empty(held) && n < max_pages) {
		struct page *page = list_first_entry(held, struct page, lru);

		list_del(&page->lru);
		n += 1UL << page->order;
		free_pages(page, page->order);
	}
	return n;
}

/* Allocate with gfp until nothing is left: the largest blocks first. */
static unsigned long exhaust(gfp_t gfp, struct list_head *held)
{
	unsigned long pages = 0;

	for (int order = MAX_ORDER; order >= 0; order--) {
		struct page *page;

		while ((page = alloc_pages(gfp | __GFP_NOWARN,
					   (unsigned int)order))) {
			hold(held, page);
			pages += 1UL << order;
		}
	}
	return pages;
}

/*
 * Bypass the per-hart lists (high 0, batch 1): an order-0 allocation then
 * takes exactly one page from the free lists, a free gives it straight
 * back. Makes order-0 free-list behaviour observable.
 */
static struct {
	int high, batch;
} saved_pcp[MAX_NUMNODES][MAX_NR_ZONES];

static void pcp_bypass(bool on)
{
	drain_local_pages();
	for (unsigned int n = 0; n < nr_nodes; n++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct per_hart_pages *pcp =
				&nodes[n].zones[t].pcp[this_hart()];

			if (on) {
				saved_pcp[n][t].high = pcp->high;
				saved_pcp[n][t].batch = pcp->batch;
				pcp->high = 0;
				pcp->batch = 1;
			} else {
				pcp->high = saved_pcp[n][t].high;
				pcp->batch = saved_pcp[n][t].batch;
			}
		}
}

/* Free pages on the zone's lists of one migrate type. */
static unsigned long free_of_type(const struct zone *z, int mt)
{
	unsigned long n = 0;

	for (unsigned int o = 0; o < NR_ORDERS; o++) {
		const struct list_head *h = &z->free_area[o].free_list[mt];

		for (const struct list_head *l = h->next; l != h; l = l->next)
			n += 1UL << o;
	}
	return n;
}

static unsigned long blocks_of_type(const struct zone *z, int mt)
{
	unsigned long n = 0,
		      blocks = pageblock_index(
				       z, z->start_pfn + z->spanned_pages - 1) +
			       1;

	for (unsigned long b = 0; b < blocks; b++)
		n += z->pageblock_mt[b] == mt;
	return n;
}

static int block_type(const struct page *page)
{
	return get_pageblock_mt(page_zone(page), page_to_pfn(page));
}

/* ---- cases ---- */

static void starts_valid(struct ktest *t)
{
	suite_free = free_now();
	nr_suite_shrinkers = registered(suite_shrinkers, MAX_SET_ASIDE);
	EXPECT_TRUE(t, nr_suite_shrinkers >= 1); /* slab's, at least */
	EXPECT_TRUE(t, nr_suite_shrinkers <= MAX_SET_ASIDE);
	EXPECT_TRUE(t, suite_free > 0);
	EXPECT_TRUE(t, buddy_is_valid());
}

/* Every order, one at a time and all held at once: written, read back. */
static void every_order(struct ktest *t)
{
	struct page *held[NR_ORDERS];

	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		struct page *page = alloc_pages(GFP_KERNEL, o);

		ASSERT_TRUE(t, page != NULL);
		EXPECT_TRUE(t, block_ok(page, o));
		fill(page, o);
		EXPECT_TRUE(t, filled(page, o));
		free_pages(page, o);
	}
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		held[o] = alloc_pages(GFP_KERNEL, o);
		ASSERT_TRUE(t, held[o] != NULL);
		fill(held[o], o);
	}
	/* no two blocks overlap, and no write reached another block */
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		uint64_t s = page_to_pfn(held[o]), e = s + (1UL << o);

		EXPECT_TRUE(t, filled(held[o], o));
		EXPECT_TRUE(t, block_ok(held[o], o));
		for (unsigned int p = o + 1; p <= MAX_ORDER; p++) {
			uint64_t s2 = page_to_pfn(held[p]),
				 e2 = s2 + (1UL << p);

			EXPECT_TRUE(t, e <= s2 || e2 <= s);
		}
	}
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		free_pages(held[o], o);
	EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER + 1) ==
			       NULL);
	EXPECT_TRUE(t, buddy_is_valid());
}

static void gfp_zero(struct ktest *t)
{
	for (unsigned int o = 0; o <= 4; o += 2) {
		struct page *page = alloc_pages(GFP_KERNEL, o), *again;

		ASSERT_TRUE(t, page != NULL);
		memset(page_address(page), 0xa5, PAGE_SIZE << o);
		free_pages(page, o);
		again = alloc_pages(GFP_KERNEL | __GFP_ZERO, o);
		ASSERT_TRUE(t, again != NULL);
		if (o ==
		    0) /* the dirty page itself: the per-hart list is LIFO */
			EXPECT_TRUE(t, again == page);
		EXPECT_TRUE(t, all_zero(page_address(again), PAGE_SIZE << o));
		free_pages(again, o);
	}
}

static void pages_exact(struct ktest *t)
{
	unsigned long before = free_now();
	size_t size = 5 * PAGE_SIZE - 100; /* 5 pages of an order-3 block */
	uint8_t *va = alloc_pages_exact(size, GFP_KERNEL);
	struct page *page;

	ASSERT_TRUE(t, va != NULL);
	EXPECT_EQ(t, (uintptr_t)va & (PAGE_SIZE - 1), 0);
	page = virt_to_page(va);
	EXPECT_EQ(t, page_to_pfn(page) & 7, 0);
	for (int i = 0; i < 5; i++)
		EXPECT_TRUE(t, page[i].refcount == 1 && page[i].order == 0);
	for (int i = 5; i < 8; i++) /* the tail went back */
		EXPECT_TRUE(t, page[i].refcount == 0 &&
				       (page[i].flags & (PG_buddy | PG_pcp)));
	memset(va, 0x5a, size);
	EXPECT_EQ(t, va[size - 1], 0x5a);
	EXPECT_EQ(t, free_now(), before - 5);
	free_pages_exact(va, size);
	EXPECT_EQ(t, free_now(), before);
	EXPECT_TRUE(t, alloc_pages_exact(0, GFP_KERNEL) == NULL);
	EXPECT_TRUE(t, alloc_pages_exact((PAGE_SIZE << MAX_ORDER) + 1,
					 GFP_KERNEL | __GFP_NOWARN) == NULL);
	EXPECT_TRUE(t, buddy_is_valid());
}

static void dma32_below_4g(struct ktest *t)
{
	bool has_dma32 = false;
	struct zone *z;

	for_each_zone(z) has_dma32 |= z->type == ZONE_DMA32;
	ASSERT_TRUE(t, has_dma32); /* RAM below 4 GiB: every board has some */
	for (unsigned int o = 0; o <= MAX_ORDER; o += 5) {
		struct page *held[8];

		for (int i = 0; i < 8; i++) {
			held[i] = alloc_pages(GFP_DMA32, o);
			ASSERT_TRUE(t, held[i] != NULL);
			EXPECT_TRUE(t, page_to_pfn(held[i]) + (1UL << o) <=
					       DMA32_LIMIT_PFN);
			EXPECT_EQ(t, held[i]->zone, ZONE_DMA32);
			EXPECT_TRUE(t,
				    page_to_phys(held[i]) + (PAGE_SIZE << o) <=
					    (UL(4) << 30));
		}
		for (int i = 0; i < 8; i++)
			free_pages(held[i], o);
	}
}

/* Each node's allocations come from its own memory while it has some. */
static void node_local(struct ktest *t)
{
	for (unsigned int n = 0; n < nr_nodes; n++) {
		struct page *page;

		if (!nodes[n].online)
			continue;
		page = alloc_pages_node((int)n, GFP_KERNEL, 3);
		ASSERT_TRUE(t, page != NULL);
		EXPECT_EQ(t, page->node, n);
		EXPECT_TRUE(t, page_zone(page) == nodes[n].zonelist[0]);
		free_pages(page, 3);
	}
	unsigned long failures = alloc_failures;

	EXPECT_TRUE(t,
		    alloc_pages_node(-1, GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	EXPECT_TRUE(t, alloc_pages_node((int)nr_nodes,
					GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	EXPECT_EQ(t, alloc_failures, failures + 2);
}

static void address_round_trips(struct ktest *t)
{
	struct zone *z;

	for (unsigned int o = 0; o <= MAX_ORDER; o += 2) {
		struct page *page = alloc_pages(GFP_KERNEL, o);
		uint64_t pfn;
		uint8_t *va;

		ASSERT_TRUE(t, page != NULL);
		pfn = page_to_pfn(page);
		va = page_address(page);
		EXPECT_TRUE(t, pfn_to_page(pfn) == page);
		EXPECT_EQ(t, page_to_phys(page), pfn << PAGE_SHIFT);
		EXPECT_TRUE(t, phys_to_page(page_to_phys(page)) == page);
		EXPECT_TRUE(t, va == phys_to_virt(pfn << PAGE_SHIFT));
		EXPECT_EQ(t, virt_to_phys(va), pfn << PAGE_SHIFT);
		EXPECT_TRUE(t, virt_to_page(va) == page);
		EXPECT_TRUE(t, virt_to_page(va + PAGE_SIZE - 1) == page);
		EXPECT_TRUE(t, virt_to_page(va + (PAGE_SIZE << o) - 1) ==
				       page + (1UL << o) - 1);
		free_pages(page, o);
	}
	/* the first and last pfn of every zone */
	for_each_zone(z)
	{
		uint64_t ends[2] = { z->start_pfn,
				     z->start_pfn + z->spanned_pages - 1 };

		for (int i = 0; i < 2; i++) {
			struct page *page = pfn_to_page(ends[i]);

			EXPECT_EQ(t, page_to_pfn(page), ends[i]);
			EXPECT_TRUE(t,
				    virt_to_page(page_address(page)) == page);
			EXPECT_TRUE(t, page_zone(page) == z);
		}
	}
	/* the image: its kernel-half address and the direct map agree */
	EXPECT_TRUE(t, virt_to_page(_start) == phys_to_page(kernel_load_pa));
	EXPECT_TRUE(t, virt_to_page(_start)->flags & PG_reserved);
}

/* An order-0 free goes to the front of the hart's list; the next alloc takes it. */
static void pcp_returns_hot_page(struct ktest *t)
{
	struct page *page, *again;
	struct per_hart_pages *pcp;
	int count;

	drain_local_pages();
	page = alloc_pages(GFP_KERNEL, 0);
	ASSERT_TRUE(t, page != NULL);
	pcp = &page_zone(page)->pcp[this_hart()];
	count = pcp->count;
	EXPECT_TRUE(t, count < pcp->batch); /* the rest of the batch */
	free_pages(page, 0);
	EXPECT_TRUE(t, page->flags & PG_pcp);
	EXPECT_EQ(t, page->refcount, 0);
	EXPECT_EQ(t, pcp->count, count + 1);
	again = alloc_pages(GFP_KERNEL, 0);
	EXPECT_TRUE(t, again == page);
	EXPECT_EQ(t, again->flags & PG_pcp, 0);
	EXPECT_EQ(t, pcp->count, count);
	free_pages(again, 0);
	drain_local_pages();
	EXPECT_EQ(t, pcp->count, 0);
	EXPECT_TRUE(t, !(page->flags & PG_pcp));
}

/* Freeing many order-0 pages never leaves more than high on the list. */
static void pcp_stays_under_high(struct ktest *t)
{
	struct list_head held;
	struct zone *z = nodes[local_node].zonelist[0];
	struct per_hart_pages *pcp = &z->pcp[this_hart()];
	int n = 2 * pcp->high + pcp->batch;
	bool under = true;

	list_init(&held);
	for (int i = 0; i < n; i++) {
		struct page *page = alloc_pages(GFP_KERNEL, 0);

		ASSERT_TRUE(t, page != NULL);
		hold(&held, page);
	}
	while (!list_empty(&held)) {
		release(&held, 1);
		under &= pcp->count <= pcp->high;
	}
	EXPECT_TRUE(t, under);
	EXPECT_TRUE(t, pcp->count > 0);
	EXPECT_TRUE(t, buddy_is_valid());
}

/*
 * Allocating until failure stops at the min watermark of every zone
 * (within one pcp batch: a refill may take a batch while above it);
 * __GFP_HIGH may go half of min further. Everything is given back.
 */
static void watermarks_hold(struct ktest *t)
{
	unsigned long before = free_now(), failures = alloc_failures;
	unsigned long wakeups = reclaim_wakeups, direct = direct_reclaims;
	struct list_head held;
	struct zone *z;

	list_init(&held);
	only_shrinker(NULL);
	EXPECT_TRUE(t, exhaust(GFP_KERNEL, &held) > 0);
	drain_local_pages();
	for_each_zone(z)
	{
		unsigned long min = z->watermark[WMARK_MIN];

		EXPECT_TRUE(t, z->free_pages <= min);
		EXPECT_TRUE(t,
			    z->free_pages + (unsigned long)z->pcp[this_hart()]
						    .batch >
				    min);
	}
	EXPECT_TRUE(t, alloc_failures > failures);
	EXPECT_TRUE(t, reclaim_wakeups > wakeups); /* GFP_KERNEL may reclaim */
	EXPECT_TRUE(t, direct_reclaims > direct);
	EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);

	EXPECT_TRUE(t, exhaust(GFP_KERNEL | __GFP_HIGH, &held) > 0);
	drain_local_pages();
	for_each_zone(z)
	{
		unsigned long min = z->watermark[WMARK_MIN],
			      high_min = min - min / 2;

		EXPECT_TRUE(t, z->free_pages <= high_min);
		EXPECT_TRUE(t,
			    z->free_pages + (unsigned long)z->pcp[this_hart()]
						    .batch >
				    high_min);
	}
	EXPECT_TRUE(t, buddy_is_valid());
	release(&held, ~0UL);
	restore_shrinkers();
	EXPECT_EQ(t, free_now(), before);
	EXPECT_TRUE(t, buddy_is_valid());
}

/*
 * A shrinker: asked below low (the wake), asked again directly when
 * nothing is left; what its direct scan frees is used.
 */
static struct list_head *shrinker_held;
static unsigned long counted[2], scanned[2]; /* [direct] */

static unsigned long test_count(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	counted[sc->direct]++;
	return list_empty(shrinker_held) ? 0 : 2 * MAX_ORDER_NR_PAGES;
}

static unsigned long test_scan(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	scanned[sc->direct]++;
	/* direct reclaim "frees" what the test held: 2 blocks' worth */
	return sc->direct ? release(shrinker_held, sc->nr_to_scan) : 0;
}

static struct shrinker test_shrinker = {
	.count_objects = test_count,
	.scan_objects = test_scan,
};

static void shrinker_runs(struct ktest *t)
{
	unsigned long before = free_now(), direct;
	struct list_head held;
	struct page *page;

	list_init(&held);
	/* fill up without a shrinker: one that frees would never let it fail */
	only_shrinker(NULL);
	exhaust(GFP_KERNEL, &held);
	shrinker_held = &held;
	counted[0] = counted[1] = scanned[0] = scanned[1] = 0;
	direct = direct_reclaims;
	only_shrinker(&test_shrinker);

	/* no __GFP_RECLAIM: not asked at all */
	EXPECT_TRUE(t, alloc_pages(__GFP_NOWARN, 0) == NULL);
	EXPECT_EQ(t, counted[0] + counted[1] + scanned[0] + scanned[1], 0);
	/* GFP_KERNEL: woken, then asked directly, and its pages are used */
	page = alloc_pages(GFP_KERNEL, 0);
	restore_shrinkers();
	EXPECT_TRUE(t, page != NULL);
	EXPECT_EQ(t, counted[0], 1);
	EXPECT_EQ(t, scanned[0], 1);
	EXPECT_EQ(t, counted[1], 1);
	EXPECT_EQ(t, scanned[1], 1);
	EXPECT_EQ(t, direct_reclaims, direct + 1);
	if (page)
		free_pages(page, 0);
	release(&held, ~0UL);
	EXPECT_EQ(t, free_now(), before);
}

/*
 * An allocation takes from its own migrate type's lists while they have a
 * block big enough: the other types' free pages and every pageblock's type
 * stay as they were. (Orders >= 1: no per-hart list in between.)
 */
static void own_type_first(struct ktest *t)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_USER };
	static const int mts[] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE };
	struct zone *z = nodes[local_node].zonelist[0];

	for (int i = 0; i < 2; i++) {
		unsigned long other[MIGRATE_TYPES], blocks[MIGRATE_TYPES], own;
		struct page *page;

		/* make sure the type has a free pageblock of its own */
		page = alloc_pages(gfps[i], PAGEBLOCK_ORDER);
		ASSERT_TRUE(t, page != NULL);
		EXPECT_EQ(t, block_type(page), mts[i]);
		free_pages(page, PAGEBLOCK_ORDER);

		drain_local_pages();
		own = free_of_type(z, mts[i]);
		ASSERT_TRUE(t, own >= PAGEBLOCK_NR_PAGES);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			other[mt] = free_of_type(z, mt);
			blocks[mt] = blocks_of_type(z, mt);
		}
		page = alloc_pages(gfps[i], 1);
		ASSERT_TRUE(t, page != NULL);
		EXPECT_TRUE(t, page_zone(page) == z);
		EXPECT_EQ(t, free_of_type(z, mts[i]), own - 2);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			if (mt != mts[i])
				EXPECT_EQ(t, free_of_type(z, mt), other[mt]);
			EXPECT_EQ(t, blocks_of_type(z, mt), blocks[mt]);
		}
		free_pages(page, 1);
	}
}

/*
 * With no free page of its own type, an allocation steals: the largest
 * free block of another type, whole pageblocks and all, becomes its type.
 * Reclaimable is the type nothing else here uses; its lists are emptied
 * first (held), with the per-hart lists bypassed so order 0 takes one page.
 */
static void steals_whole_pageblocks(struct ktest *t)
{
	gfp_t gfp = GFP_KERNEL | __GFP_RECLAIMABLE | __GFP_NOWARN;
	struct zone *z = nodes[local_node].zonelist[0];
	unsigned long before = free_now(), blocks, others;
	struct page *page, *second;
	struct list_head held;
	int guard = 100000;

	list_init(&held);
	pcp_bypass(true);
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		while (!list_empty(&z->free_area[o]
					    .free_list[MIGRATE_RECLAIMABLE]) &&
		       guard-- > 0) {
			page = alloc_pages(gfp, o);
			if (!page)
				break;
			hold(&held, page);
		}
	EXPECT_EQ(t, free_of_type(z, MIGRATE_RECLAIMABLE), 0);
	blocks = blocks_of_type(z, MIGRATE_RECLAIMABLE);
	others = free_of_type(z, MIGRATE_UNMOVABLE) +
		 free_of_type(z, MIGRATE_MOVABLE);

	page = alloc_pages(gfp, 0);
	ASSERT_TRUE(t, page != NULL);
	hold(&held, page);
	EXPECT_TRUE(t, page_zone(page) == z);
	EXPECT_EQ(t, block_type(page), MIGRATE_RECLAIMABLE);
	/* a whole free 4 MiB block changed hands: two pageblocks */
	EXPECT_EQ(t, blocks_of_type(z, MIGRATE_RECLAIMABLE), blocks + 2);
	EXPECT_EQ(t, free_of_type(z, MIGRATE_RECLAIMABLE),
		  MAX_ORDER_NR_PAGES - 1);
	EXPECT_EQ(t,
		  free_of_type(z, MIGRATE_UNMOVABLE) +
			  free_of_type(z, MIGRATE_MOVABLE),
		  others - MAX_ORDER_NR_PAGES);
	/* the next one comes from what was stolen: nothing more changes hands */
	second = alloc_pages(gfp, 0);
	ASSERT_TRUE(t, second != NULL);
	hold(&held, second);
	EXPECT_EQ(t, block_type(second), MIGRATE_RECLAIMABLE);
	EXPECT_EQ(t, page_to_pfn(second) >> MAX_ORDER,
		  page_to_pfn(page) >> MAX_ORDER);
	EXPECT_EQ(t, blocks_of_type(z, MIGRATE_RECLAIMABLE), blocks + 2);

	release(&held, ~0UL);
	pcp_bypass(false);
	EXPECT_EQ(t, free_now(), before);
	EXPECT_TRUE(t, buddy_is_valid());
}

/* One refused free: the report names the problem, nothing is corrupted. */
static void expect_refused(struct ktest *t, struct page *page,
			   unsigned int order, const char *why)
{
	unsigned long misuse = alloc_misuse, free = nr_free_pages();

	const char *report;

	ktest_capture_start();
	free_pages(page, order);
	report = ktest_capture_stop();
	EXPECT_EQ(t, alloc_misuse, misuse + 1);
	EXPECT_EQ(t, nr_free_pages(), free);
	if (!EXPECT_TRUE(t, strstr(report, why) != NULL) ||
	    !EXPECT_TRUE(t, strstr(report, "backtrace:") != NULL))
		ktest_check(t, false, __FILE__, __LINE__, "report: %.120s",
			    report);
	EXPECT_TRUE(t, buddy_is_valid());
}

static void misuse_double_free(struct ktest *t)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	ASSERT_TRUE(t, page != NULL);
	free_pages(page, 0);
	expect_refused(t, page, 0, "free_pages: double free of pfn 0x");
	EXPECT_TRUE(t, page->flags & PG_pcp); /* still once on its list */

	page = alloc_pages(GFP_KERNEL, 3);
	ASSERT_TRUE(t, page != NULL);
	free_pages(page, 3);
	/* merged or not, a freed block is never freed again */
	expect_refused(t, page, 3, "free_pages: ");
}

static void misuse_wrong_order(struct ktest *t)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	unsigned long misuse;

	ASSERT_TRUE(t, page != NULL);
	expect_refused(t, page, 1,
		       "was allocated with order 2, freed with order 1");
	expect_refused(t, page, MAX_ORDER + 1, "is not aligned to order 11");
	misuse = alloc_misuse;
	free_pages(page, 2);
	EXPECT_EQ(t, alloc_misuse, misuse);
}

static void misuse_misaligned_and_tail(struct ktest *t)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	ASSERT_TRUE(t, page != NULL);
	expect_refused(t, page + 1, 1, "is not aligned to order 1");
	expect_refused(t, page + 2, 1, "is not allocated");
	expect_refused(t, page + 3, 0, "is not allocated");
	free_pages(page, 2);
}

static void misuse_reserved_and_shared(struct ktest *t)
{
	struct page *page;

	expect_refused(t, phys_to_page(kernel_load_pa), 0,
		       "is reserved, never allocated");
	page = alloc_pages(GFP_KERNEL, 0);
	ASSERT_TRUE(t, page != NULL);
	page->refcount = 2;
	expect_refused(t, page, 0, "still has 2 references");
	page->refcount = 1;
	free_pages(page, 0);
	EXPECT_EQ(t, page->refcount, 0);
}

static void ends_where_it_started(struct ktest *t)
{
	EXPECT_EQ(t, free_now(), suite_free);
	EXPECT_TRUE(t, buddy_is_valid());
	struct shrinker *now[MAX_SET_ASIDE];

	EXPECT_EQ(t, registered(now, MAX_SET_ASIDE), nr_suite_shrinkers);
	for (unsigned int i = 0; i < nr_suite_shrinkers; i++)
		EXPECT_TRUE(t, now[i] == suite_shrinkers[i]);
}

KTEST_SUITE(buddy, KTEST_CASE(starts_valid), KTEST_CASE(every_order),
	    KTEST_CASE(gfp_zero), KTEST_CASE(pages_exact),
	    KTEST_CASE(dma32_below_4g), KTEST_CASE(node_local),
	    KTEST_CASE(address_round_trips), KTEST_CASE(pcp_returns_hot_page),
	    KTEST_CASE(pcp_stays_under_high), KTEST_CASE(watermarks_hold),
	    KTEST_CASE(shrinker_runs), KTEST_CASE(own_type_first),
	    KTEST_CASE(steals_whole_pageblocks), KTEST_CASE(misuse_double_free),
	    KTEST_CASE(misuse_wrong_order),
	    KTEST_CASE(misuse_misaligned_and_tail),
	    KTEST_CASE(misuse_reserved_and_shared),
	    KTEST_CASE(ends_where_it_started));
