// SPDX-License-Identifier: MIT
/*
 * tests/host/bench_fragmentation.c - how well grouping pages by mobility
 * keeps large blocks available (a benchmark: it prints numbers, it does
 * not judge them).
 *
 * On a simulated 1 GiB machine (one node), fill memory with a 70/30 mix of
 * movable and unmovable allocations of random orders 0..3, then free some
 * of them, then take as many order-9 blocks as possible (and, from the
 * same state, order-10 blocks). Reported per run:
 *
 *   free_pages       free pages before the large allocations
 *   orderN_possible  blocks of order N free memory could hold at most:
 *                    free_pages / 2^N
 *   orderN_free      order-N blocks already free, as the buddy lists hold
 *                    them: the most any allocator gets without moving pages
 *   orderN_success   order-N blocks actually allocated
 *   orderN_rate      success / possible
 *   unusableN        unusable free space index at order N before them
 *   mixed_pageblocks pageblocks holding both movable and unmovable
 *                    allocations, after the fill and after the frees
 *   unmovable_blocks pageblocks of type unmovable (the rest are movable)
 *
 * Two scenarios, each with grouping on (the default) and off
 * (page_group_by_mobility_disabled set before zones_init()), on identical
 * allocation sequences (fixed seeds):
 *
 *   half     free a random half of the allocations
 *   movable  free every movable allocation, keep every unmovable one: what
 *            reclaim and compaction could achieve, if they existed
 *
 * Output: one "bench: fragmentation ..." line per run, and before it two
 * "bench: fragmentation_buddyinfo ..." lines, the zone's free blocks per
 * order as /proc/buddyinfo counts them (order0=N ... order10=N): when=start
 * on the fresh machine, when=after_free once the frees are done, the state
 * the large allocations then meet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/internal.h"
#include "tests/host/machine.h"

#define MEM_BASE   0x80000000UL
#define MEM_SIZE   (1 * GiB)
#define FILL_SEED  0x5eed0001ULL
#define FREE_SEED  0x5eed0002ULL
#define MAX_ALLOCS (MEM_SIZE >> PAGE_SHIFT)

enum scenario { HALF, MOVABLE };

struct alloc {
	struct page *page;
	uint8_t order;
	bool movable;
	bool live;
};

static struct alloc *allocs;
static struct page **big;

static uint64_t rng;

static uint64_t rnd(void)
{
	return xorshift64s(&rng);
}

static void fail(const char *what)
{
	fprintf(stderr, "bench_fragmentation: %s (%s)\n", what,
		host_log_last());
	exit(1);
}

/* Take as many blocks of order as possible; give them back; return how many. */
static unsigned long take_all(unsigned int order)
{
	unsigned long n = 0;
	struct page *page;

	while ((page = alloc_pages(GFP_USER | __GFP_NOWARN, order)))
		big[n++] = page;
	for (unsigned long i = 0; i < n; i++)
		free_pages(big[i], order);
	drain_local_pages();
	return n;
}

/* Pageblocks with live allocations of both kinds. */
static unsigned long mixed_pageblocks(const struct zone *z,
				      unsigned long nr_allocs)
{
	unsigned long blocks = (z->spanned_pages + PAGEBLOCK_NR_PAGES - 1) /
			       PAGEBLOCK_NR_PAGES;
	uint8_t *kinds = calloc(blocks, 1); /* bit 0 unmovable, bit 1 movable */
	unsigned long mixed = 0;

	if (!kinds)
		fail("out of host memory");
	for (unsigned long i = 0; i < nr_allocs; i++)
		if (allocs[i].live)
			kinds[pageblock_index(z,
					      page_to_pfn(allocs[i].page))] |=
				allocs[i].movable ? 2 : 1;
	for (unsigned long b = 0; b < blocks; b++)
		mixed += kinds[b] == 3;
	free(kinds);
	return mixed;
}

static void print_index(const char *name, int v)
{
	printf(" %s=%d.%03d", name, v / 1000, v % 1000);
}

static void print_buddyinfo(const struct zone *z, enum scenario scenario,
			    bool grouping, const char *when)
{
	printf("bench: fragmentation_buddyinfo scenario=%s grouping=%s when=%s",
	       scenario == HALF ? "half" : "movable", grouping ? "on" : "off",
	       when);
	for (unsigned int order = 0; order < NR_ORDERS; order++)
		printf(" order%u=%lu", order, z->free_area[order].nr_free);
	printf("\n");
}

static void run(enum scenario scenario, bool grouping)
{
	const struct sim_mem mem[] = { { MEM_BASE, MEM_SIZE, 0 } };
	struct zone *z = zone_of(0, ZONE_DMA32);
	unsigned long n = 0, filled = 0, freed = 0, nfree, possible9,
		      possible10, ok9, ok10, mixed_fill, unmovable = 0, free9,
		      free10;
	int unusable9, unusable10;

	machine_reset();
	if (machine_add(mem, 1))
		fail("memblock_add");
	page_group_by_mobility_disabled = !grouping;
	if (machine_start(0))
		fail("zones_init");
	print_buddyinfo(z, scenario, grouping, "start");

	/* fill: 70% movable, 30% unmovable, orders 0..3, until one fails */
	rng = FILL_SEED;
	for (;;) {
		uint64_t r = rnd();
		unsigned int order = r & 3;
		bool movable = (r >> 8) % 10 < 7;
		struct page *page = alloc_pages(
			(movable ? GFP_USER : GFP_KERNEL) | __GFP_NOWARN,
			order);

		if (!page)
			break;
		allocs[n++] =
			(struct alloc){ page, (uint8_t)order, movable, true };
		filled += 1UL << order;
	}

	mixed_fill = mixed_pageblocks(z, n);

	/* free: a random half, or every movable allocation */
	rng = FREE_SEED;
	for (unsigned long i = 0; i < n; i++) {
		bool go = scenario == HALF ? rnd() & 1 : allocs[i].movable;

		if (!go)
			continue;
		free_pages(allocs[i].page, allocs[i].order);
		allocs[i].live = false;
		freed += 1UL << allocs[i].order;
	}
	drain_local_pages();
	if (!buddy_is_valid())
		fail("buddy_is_valid");

	print_buddyinfo(z, scenario, grouping, "after_free");
	nfree = z->free_pages;
	possible9 = nfree >> 9;
	possible10 = nfree >> 10;
	unusable9 = unusable_free_index(z, 9);
	unusable10 = unusable_free_index(z, 10);
	printf("bench: fragmentation scenario=%s grouping=%s filled_pages=%lu freed_pages=%lu free_pages=%lu",
	       scenario == HALF ? "half" : "movable", grouping ? "on" : "off",
	       filled, freed, nfree);
	for (unsigned long b = 0; b < z->spanned_pages / PAGEBLOCK_NR_PAGES;
	     b++)
		unmovable += z->pageblock_mt[b] == MIGRATE_UNMOVABLE;
	printf(" pageblocks=%lu unmovable_blocks=%lu mixed_after_fill=%lu mixed_pageblocks=%lu",
	       z->spanned_pages / PAGEBLOCK_NR_PAGES, unmovable, mixed_fill,
	       mixed_pageblocks(z, n));
	print_index("unusable9", unusable9);
	print_index("unusable10", unusable10);
	free9 = z->free_area[9].nr_free + 2 * z->free_area[10].nr_free;
	free10 = z->free_area[10].nr_free;
	ok9 = take_all(9);
	ok10 = take_all(10);
	printf(" order9_possible=%lu order9_free=%lu order9_success=%lu order9_rate=%.2f",
	       possible9, free9, ok9,
	       possible9 ? (double)ok9 / possible9 : 0.0);
	printf(" order10_possible=%lu order10_free=%lu order10_success=%lu order10_rate=%.2f\n",
	       possible10, free10, ok10,
	       possible10 ? (double)ok10 / possible10 : 0.0);

	for (unsigned long i = 0; i < n; i++)
		if (allocs[i].live)
			free_pages(allocs[i].page, allocs[i].order);
	drain_local_pages();
	if (!buddy_is_valid() || nr_free_pages() != z->managed_pages ||
	    alloc_misuse)
		fail("not everything came back");
	page_group_by_mobility_disabled = false;
}

int main(void)
{
	allocs = calloc(MAX_ALLOCS, sizeof(*allocs));
	big = calloc(MAX_ALLOCS >> 9, sizeof(*big));
	if (!allocs || !big)
		fail("out of host memory");
	run(HALF, true);
	run(HALF, false);
	run(MOVABLE, true);
	run(MOVABLE, false);
	free(allocs);
	free(big);
	return 0;
}
