// SPDX-License-Identifier: MIT
/*
 * tests/host/test_zones.c - from memblock to the buddy allocator
 * (alloc/memmap.c, alloc/zone.c): zone spans, present and managed pages and
 * the first free lists for several memory sizes, holes (whose struct pages
 * must never be touched: the machine makes them fault), two nodes, memory
 * above 4 GiB, zonelist order, GFP_DMA32, node-local allocation,
 * watermarks and per-hart list sizes, and a boot from a platform.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "tests/host/mm_test.h"

#define PFN(pa) ((uint64_t)(pa) >> PAGE_SHIFT)

/* free_area[o].nr_free for o = 0..MAX_ORDER */
static void assert_free_area(const struct zone *z,
			     const unsigned long want[NR_ORDERS])
{
	for (unsigned int o = 0; o < NR_ORDERS; o++)
		if (z->free_area[o].nr_free != want[o])
			fail_msg(
				"node %u %s order %u: %lu free blocks, want %lu",
				z->node, z->name, o, z->free_area[o].nr_free,
				want[o]);
}

static void assert_zone(const struct zone *z, uint64_t start_pfn,
			unsigned long spanned, unsigned long present,
			unsigned long managed)
{
	assert_int_equal(z->start_pfn, start_pfn);
	assert_int_equal(z->spanned_pages, spanned);
	assert_int_equal(z->present_pages, present);
	assert_int_equal(z->managed_pages, managed);
}

static unsigned long pageblocks(const struct zone *z)
{
	return ((z->start_pfn + z->spanned_pages - 1) >> PAGEBLOCK_ORDER) -
	       (z->start_pfn >> PAGEBLOCK_ORDER) + 1;
}

/* The pages holding the pageblock types of z are not free memory. */
static void assert_pageblock_array_reserved(const struct zone *z)
{
	phys_addr_t pa = virt_to_phys(z->pageblock_mt);

	assert_true(phys_to_page(pa)->flags & PG_reserved);
	assert_true(phys_to_page(pa + pageblocks(z) - 1)->flags & PG_reserved);
	for (unsigned long b = 0; b < pageblocks(z); b++)
		assert_true(z->pageblock_mt[b] < MIGRATE_TYPES);
}

/* At boot every pageblock is movable, as in Linux. */
static void assert_all_movable(const struct zone *z)
{
	for (unsigned long b = 0; b < pageblocks(z); b++)
		assert_int_equal(z->pageblock_mt[b], MIGRATE_MOVABLE);
}

/* Take everything (order 0, down to half the min watermark), give it back. */
static unsigned long churn_all(void)
{
	const gfp_t gfp = __GFP_HIGH | __GFP_NOWARN;
	unsigned long before = nr_free_pages(), n = 0;
	struct list_head taken;
	struct page *page;

	list_init(&taken);
	while ((page = alloc_pages(gfp, 0))) {
		memset(page_address(page), 0x5a, PAGE_SIZE);
		list_add(&page->lru, &taken);
		n++;
	}
	assert_buddy_valid();
	/* every zone is down to half its min watermark, its pcp drained */
	for (unsigned int id = 0; id < nr_nodes; id++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			const struct zone *z = zone_of(id, t);
			unsigned long min = z->watermark[WMARK_MIN];

			assert_true(z->free_pages <= min - min / 2);
			assert_int_equal(z->pcp[0].count, 0);
		}
	while (!list_empty(&taken)) {
		page = list_first_entry(&taken, struct page, lru);
		list_del(&page->lru);
		free_pages(page, 0);
	}
	drain_local_pages();
	assert_buddy_valid();
	assert_int_equal(nr_free_pages(), before);
	assert_int_equal(alloc_misuse, 0);
	return n;
}

/*
 * One range at the usual QEMU base: all DMA32, the pageblock types in the
 * last page, and everything else free in the largest blocks; Linux's
 * default min_free_kbytes and watermarks, and the per-hart batch.
 */
static void one_range(uint64_t size, unsigned long min, unsigned long low,
		      unsigned long high, int batch)
{
	const struct sim_mem mem[] = { { 0x80000000, size, 0 } };
	unsigned long pages = size >> PAGE_SHIFT, want[NR_ORDERS];
	struct zone *z = zone_of(0, ZONE_DMA32);

	boot_ok(mem, 0);
	assert_int_equal(nr_nodes, 1);
	assert_true(nodes[0].online);
	assert_int_equal(nodes[0].start_pfn, PFN(0x80000000));
	assert_int_equal(nodes[0].end_pfn, PFN(0x80000000 + size));
	assert_zone(z, PFN(0x80000000), pages, pages, pages - 1);
	assert_zone(zone_of(0, ZONE_NORMAL), PFN(4 * GiB), 0, 0, 0);
	assert_int_equal(virt_to_phys(z->pageblock_mt),
			 0x80000000 + size - pages / PAGEBLOCK_NR_PAGES);
	assert_pageblock_array_reserved(z);
	assert_all_movable(z);
	/* one block of each order below the last 4 MiB, which lost a page */
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		want[o] = 1;
	want[MAX_ORDER] = pages / MAX_ORDER_NR_PAGES - 1;
	assert_free_area(z, want);
	assert_int_equal(z->free_pages, pages - 1);
	assert_int_equal(nr_free_pages(), pages - 1);
	assert_int_equal(z->watermark[WMARK_MIN], min);
	assert_int_equal(z->watermark[WMARK_LOW], low);
	assert_int_equal(z->watermark[WMARK_HIGH], high);
	assert_int_equal(z->pcp[0].batch, batch);
	assert_int_equal(z->pcp[0].high, 6 * batch);
	assert_int_equal(z->pcp[MAX_HARTS - 1].batch, batch);
	assert_int_equal(z->pcp[0].count, 0);
	assert_ptr_equal(nodes[0].zonelist[0], z);
	assert_null(nodes[0].zonelist[1]);
	assert_true(memblock.retired);
	assert_buddy_valid();
}

/*
 * default_min_free_kbytes = 4 * isqrt(KiB managed); min = that in pages,
 * low/high = min + 1x/2x max(min / 4, managed / 1000).
 */
static void range_16m(void **state)
{
	/* 4095 pages: isqrt(16380) = 127, 508 KiB = 127 pages, gap 31 */
	one_range(16 * MiB, 127, 158, 189, 1);
}

static void range_64m(void **state)
{
	/* 16383 pages: isqrt(65532) = 255, 1020 KiB = 255 pages, gap 63 */
	one_range(64 * MiB, 255, 318, 381, 3);
}

static void range_1g(void **state)
{
	/* 262143 pages: isqrt(1048572) = 1023, 4092 KiB = 1023 pages, gap 262 */
	one_range(1 * GiB, 1023, 1285, 1547, 31);
	assert_true(churn_all() >= 262143 - 512);
}

/*
 * 18 MiB has 9 pageblocks: a 9-byte type array, which does not end on the
 * 8-byte boundary memblock_alloc() aligns to. The page it sits in must
 * still not be handed to the buddy allocator.
 */
static void pageblock_array_not_a_multiple_of_8(void **state)
{
	const struct sim_mem mem[] = { { 0x80000000, 18 * MiB, 0 } };
	struct zone *z = zone_of(0, ZONE_DMA32);

	boot_ok(mem, 0);
	assert_int_equal(pageblocks(z), 9);
	assert_zone(z, PFN(0x80000000), 4608, 4608, 4607);
	assert_pageblock_array_reserved(z);
	assert_int_equal(nr_free_pages(), 4607);
	churn_all();
	/* the types survived everyone writing to every free page */
	assert_pageblock_array_reserved(z);
}

/*
 * A 1 MiB hole inside a MAX_ORDER block: its struct pages exist, stay
 * reserved, and no block merges across it.
 */
static void small_hole(void **state)
{
	const struct sim_mem mem[] = {
		{ 2 * GiB, 5 * MiB, 0 },
		{ 2 * GiB + 6 * MiB, 10 * MiB, 0 },
	};
	/* [0,4M) 10; [4M,5M) 8; [6M,8M) 9; [8M,12M) 10; [12M,16M-4K) 9..0 */
	static const unsigned long want[NR_ORDERS] = { 1, 1, 1, 1, 1, 1,
						       1, 1, 2, 2, 2 };
	struct zone *z = zone_of(0, ZONE_DMA32);
	unsigned int cursor = 0, spans = 0;
	uint64_t start, end;
	uint32_t node;

	boot_ok(mem, 0);
	while (memmap_next_span(&memblock, &cursor, &start, &end, &node))
		spans++;
	assert_int_equal(spans, 1);
	assert_zone(z, PFN(2 * GiB), 4096, 3840, 3839);
	assert_free_area(z, want);
	for (uint64_t pa = 2 * GiB + 5 * MiB; pa < 2 * GiB + 6 * MiB;
	     pa += PAGE_SIZE)
		assert_int_equal(phys_to_page(pa)->flags, PG_reserved);
	assert_true(churn_all() >= 3839 - 62);
	assert_free_area(z, want);
}

/*
 * A hole of almost 1 GiB costs no struct pages: there is no span for it,
 * and its part of the vmemmap is PROT_NONE the whole time (setting up,
 * allocating everything, freeing everything).
 */
static void big_hole(void **state)
{
	const struct sim_mem mem[] = {
		{ 2 * GiB, 64 * MiB, 0 },
		{ 3 * GiB, 64 * MiB, 0 },
	};
	struct zone *z = zone_of(0, ZONE_DMA32);
	unsigned int cursor = 0;
	uint64_t start, end;
	uint32_t node;

	assert_true(memmap_next_span(&(struct memblock){ 0 }, &cursor, &start,
				     &end, &node) == false);
	boot_ok(mem, 0);
	assert_true(memmap_next_span(&memblock, &cursor, &start, &end, &node));
	assert_int_equal(start, PFN(2 * GiB));
	assert_int_equal(end, PFN(2 * GiB + 64 * MiB));
	assert_true(memmap_next_span(&memblock, &cursor, &start, &end, &node));
	assert_int_equal(start, PFN(3 * GiB));
	assert_int_equal(end, PFN(3 * GiB + 64 * MiB));
	assert_false(memmap_next_span(&memblock, &cursor, &start, &end, &node));
	assert_zone(z, PFN(2 * GiB), PFN(GiB + 64 * MiB), PFN(128 * MiB),
		    PFN(128 * MiB) - 1);
	assert_int_equal(z->free_area[MAX_ORDER].nr_free, 16 + 15);
	churn_all();
}

/* Spans are MAX_ORDER blocks: unaligned ranges are widened, close ones join. */
static void spans_widen_and_join(void **state)
{
	const struct sim_mem mem[] = {
		{ 2 * GiB + 1 * MiB, 2 * MiB, 0 },  /* [2G, 2G+4M) */
		{ 2 * GiB + 5 * MiB, 4 * MiB, 0 },  /* joins: [2G+4M, 2G+12M) */
		{ 2 * GiB + 13 * MiB, 1 * MiB, 1 }, /* touches it: joins */
		{ 2 * GiB + 20 * MiB, 12 * KiB, 1 },
	};
	unsigned int cursor = 0;
	uint64_t start, end;
	uint32_t node;

	machine_reset();
	assert_int_equal(machine_add(mem, 4), 0);
	assert_true(memmap_next_span(&memblock, &cursor, &start, &end, &node));
	assert_int_equal(start, PFN(2 * GiB));
	assert_int_equal(end, PFN(2 * GiB + 16 * MiB));
	assert_int_equal(node, 0);
	assert_true(memmap_next_span(&memblock, &cursor, &start, &end, &node));
	assert_int_equal(start, PFN(2 * GiB + 20 * MiB));
	assert_int_equal(end, PFN(2 * GiB + 24 * MiB));
	assert_int_equal(node, 1);
	assert_false(memmap_next_span(&memblock, &cursor, &start, &end, &node));
	assert_int_equal(machine_start(0), 0);
	/* pages take the node of the range at or below them */
	assert_int_equal(phys_to_page(2 * GiB)->node, 0);
	assert_int_equal(phys_to_page(2 * GiB + 13 * MiB - PAGE_SIZE)->node, 0);
	assert_int_equal(phys_to_page(2 * GiB + 13 * MiB)->node, 1);
	assert_int_equal(phys_to_page(2 * GiB + 20 * MiB + 8 * KiB)->node, 1);
	assert_int_equal(zone_of(1, ZONE_DMA32)->present_pages, 256 + 3);
	churn_all();
}

/*
 * Two nodes touching inside a MAX_ORDER block (at 62 MiB), the two halves
 * of [60M, 64M) free order-9 blocks of different nodes: they never merge.
 * Node 0 has more memory higher up, so its type array is not in the way.
 * Each zonelist starts at home; node-local allocation.
 */
static void two_nodes(void **state)
{
	const struct sim_mem mem[] = {
		{ 2 * GiB, 62 * MiB, 0 },
		{ 2 * GiB + 62 * MiB, 66 * MiB, 1 },
		{ 2 * GiB + 192 * MiB, 4 * MiB, 0 },
	};
	/* [0,60M) 15 x 10; [60M,62M) 9; [192M, 196M-4K) 9..0 */
	static const unsigned long want0[NR_ORDERS] = { 1, 1, 1, 1, 1, 1,
							1, 1, 1, 2, 15 };
	/* [62M,64M) 9; [64M,128M-4K) 15 x 10 and 9..0 */
	static const unsigned long want1[NR_ORDERS] = { 1, 1, 1, 1, 1, 1,
							1, 1, 1, 2, 15 };
	struct zone *z0 = zone_of(0, ZONE_DMA32), *z1 = zone_of(1, ZONE_DMA32);
	struct list_head taken;
	struct page *page;

	boot_ok(mem, 0);
	assert_int_equal(nr_nodes, 2);
	assert_zone(z0, PFN(2 * GiB), PFN(196 * MiB), PFN(66 * MiB),
		    PFN(66 * MiB) - 1);
	assert_zone(z1, PFN(2 * GiB + 62 * MiB), PFN(66 * MiB), PFN(66 * MiB),
		    PFN(66 * MiB) - 1);
	assert_pageblock_array_reserved(z0);
	assert_pageblock_array_reserved(z1);
	assert_all_movable(z0);
	assert_all_movable(z1);
	assert_free_area(z0, want0);
	assert_free_area(z1, want1);
	assert_int_equal(phys_to_page(2 * GiB + 62 * MiB - PAGE_SIZE)->node, 0);
	assert_int_equal(phys_to_page(2 * GiB + 62 * MiB)->node, 1);
	assert_true(phys_to_page(2 * GiB + 60 * MiB)->flags & PG_buddy);
	assert_int_equal(phys_to_page(2 * GiB + 60 * MiB)->order, 9);
	assert_true(phys_to_page(2 * GiB + 62 * MiB)->flags & PG_buddy);
	assert_int_equal(phys_to_page(2 * GiB + 62 * MiB)->order, 9);
	assert_ptr_equal(nodes[0].zonelist[0], z0);
	assert_ptr_equal(nodes[0].zonelist[1], z1);
	assert_null(nodes[0].zonelist[2]);
	assert_ptr_equal(nodes[1].zonelist[0], z1);
	assert_ptr_equal(nodes[1].zonelist[1], z0);
	assert_null(nodes[1].zonelist[2]);

	/* node-local, by node and by local_node */
	page = alloc_pages_node(1, GFP_KERNEL, 3);
	assert_non_null(page);
	assert_int_equal(page->node, 1);
	assert_ptr_equal(page_zone(page), z1);
	free_pages(page, 3);
	page = alloc_pages(GFP_KERNEL, 3);
	assert_int_equal(page->node, 0);
	free_pages(page, 3);
	local_node = 1;
	page = alloc_pages(GFP_KERNEL, 0);
	assert_int_equal(page->node, 1);
	free_pages(page, 0);
	local_node = 0;
	/* no such node */
	assert_null(alloc_pages_node(2, GFP_KERNEL | __GFP_NOWARN, 0));
	assert_null(alloc_pages_node(-1, GFP_KERNEL | __GFP_NOWARN, 0));
	assert_int_equal(alloc_failures, 2);

	/* node 1 runs down to its low watermark, then node 0 serves */
	list_init(&taken);
	while ((page = alloc_pages_node(1, GFP_KERNEL | __GFP_NOWARN, 2))) {
		list_add(&page->lru, &taken);
		if (page->node != 1)
			break;
	}
	assert_non_null(page);
	assert_int_equal(page->node, 0);
	assert_true(z1->free_pages - 3 <= z1->watermark[WMARK_LOW]);
	assert_true(z1->free_pages + 4 - 3 > z1->watermark[WMARK_LOW]);
	assert_int_equal(reclaim_wakeups, 0); /* the fast path found node 0 */
	assert_buddy_valid();
	while (!list_empty(&taken)) {
		page = list_first_entry(&taken, struct page, lru);
		list_del(&page->lru);
		free_pages(page, 2);
	}
	drain_local_pages();
	assert_free_area(z0, want0);
	assert_free_area(z1, want1);
	churn_all();
	assert_free_area(z0, want0);
}

/*
 * One node across 4 GiB and one above it: DMA32 and Normal zones, the
 * watermarks shared out by size, zonelists Normal before DMA32 before the
 * other node, and GFP_DMA32 never above 4 GiB.
 */
static void above_4g(void **state)
{
	const struct sim_mem mem[] = {
		{ 4 * GiB - 64 * MiB, 128 * MiB, 0 },
		{ 8 * GiB, 128 * MiB, 1 },
	};
	struct zone *d0 = zone_of(0, ZONE_DMA32), *n0 = zone_of(0, ZONE_NORMAL);
	struct zone *d1 = zone_of(1, ZONE_DMA32), *n1 = zone_of(1, ZONE_NORMAL);
	struct page *page;
	unsigned long n = 0;

	boot_ok(mem, 4096);
	assert_int_equal(nr_nodes, 2);
	/* both type arrays of node 0 at its top, in Normal memory */
	assert_zone(d0, PFN(4 * GiB - 64 * MiB), 16384, 16384, 16384);
	assert_zone(n0, PFN(4 * GiB), 16384, 16384, 16383);
	assert_zone(d1, PFN(8 * GiB), 0, 0, 0);
	assert_zone(n1, PFN(8 * GiB), 32768, 32768, 32767);
	assert_pageblock_array_reserved(d0);
	assert_pageblock_array_reserved(n0);
	assert_pageblock_array_reserved(n1);
	assert_int_equal(virt_to_phys(d0->pageblock_mt),
			 4 * GiB + 64 * MiB - 32);
	/* 1024 pages of min shared by managed pages: 16384/16383/32767 of 65534 */
	assert_int_equal(d0->watermark[WMARK_MIN], 256);
	assert_int_equal(n0->watermark[WMARK_MIN], 255);
	assert_int_equal(n1->watermark[WMARK_MIN], 512);
	assert_int_equal(n1->watermark[WMARK_LOW], 512 + 128);
	assert_int_equal(n1->watermark[WMARK_HIGH], 512 + 2 * 128);
	assert_int_equal(d1->watermark[WMARK_MIN], 0);

	assert_ptr_equal(nodes[0].zonelist[0], n0);
	assert_ptr_equal(nodes[0].zonelist[1], d0);
	assert_ptr_equal(nodes[0].zonelist[2], n1);
	assert_null(nodes[0].zonelist[3]);
	assert_ptr_equal(nodes[1].zonelist[0], n1);
	assert_ptr_equal(nodes[1].zonelist[1], n0);
	assert_ptr_equal(nodes[1].zonelist[2], d0);
	assert_null(nodes[1].zonelist[3]);

	/* Normal first */
	page = alloc_pages(GFP_KERNEL, 0);
	assert_ptr_equal(page_zone(page), n0);
	assert_true(page_to_pfn(page) >= DMA32_LIMIT_PFN);
	free_pages(page, 0);
	/* DMA32 from a node without any: node 0's */
	page = alloc_pages_node(1, GFP_DMA32, 4);
	assert_ptr_equal(page_zone(page), d0);
	free_pages(page, 4);
	/* every GFP_DMA32 block lies below 4 GiB, until DMA32 runs out */
	while ((page = alloc_pages(GFP_DMA32 | __GFP_NOWARN, 3))) {
		assert_true(page_to_pfn(page) + 8 <= DMA32_LIMIT_PFN);
		assert_ptr_equal(page_zone(page), d0);
		n++;
	}
	assert_true(d0->free_pages - 7 <= d0->watermark[WMARK_MIN]);
	assert_int_equal(n, (16384 - d0->free_pages) / 8);
	assert_int_equal(direct_reclaims, 1);
	/* Normal memory is still there for everyone else */
	page = alloc_pages(GFP_KERNEL, 3);
	assert_non_null(page);
	assert_ptr_equal(page_zone(page), n0);
	assert_buddy_valid();
}

/* What memory_init() does with the platform of a 256 MiB virt machine. */
static void boot_from_platform(void **state)
{
	struct platform *p = calloc(1, sizeof(*p));
	struct zone *z = zone_of(0, ZONE_DMA32);

	assert_non_null(p);
	p->nr_memory = 1;
	p->memory[0] = (struct mem_range){ 0x80000000, 256 * MiB, 0 };
	p->nr_reserved = 2;
	p->reserved[0] = (struct reserved_range){ 0x80000000, 0x200000, true,
						  "mmode_resv0@80000000" };
	p->reserved[1] = (struct reserved_range){ 0x8f000010, 0x10, false,
						  "memreserve" };
	p->fdt_size = 0x2001;
	p->initrd_start = 0x88000000;
	p->initrd_end = 0x88100800;
	machine_reset();
	assert_int_equal(memblock_from_platform(&memblock, p, 0x80200000,
						0x123456, 0x8fe00000, 0),
			 0);
	assert_int_equal(machine_start(0), 0);
	/* reserved: 512 firmware + 292 image + 257 initrd + 1 + 3 tree + 1 types */
	assert_zone(z, PFN(0x80000000), 65536, 65536, 65536 - 1066);
	assert_int_equal(nr_free_pages(), 65536 - 1066);
	assert_int_equal(phys_to_page(0x80200000 + 0x123000)->flags,
			 PG_reserved);
	assert_int_equal(phys_to_page(0x80200000 + 0x124000)->flags, PG_buddy);
	assert_int_equal(phys_to_page(0x88100000)->flags, PG_reserved);
	assert_int_equal(phys_to_page(0x8f000000)->flags, PG_reserved);
	assert_int_equal(phys_to_page(0x8fe02000)->flags, PG_reserved);
	assert_int_equal(phys_to_page(0x8fe03000)->flags, PG_buddy);
	churn_all();
	free(p);
}

static void default_min_free(void **state)
{
	assert_int_equal(default_min_free_kbytes(0), 128);
	assert_int_equal(default_min_free_kbytes(8), 128);    /* 4 * 5 */
	assert_int_equal(default_min_free_kbytes(1000), 252); /* 4 * 63 */
	assert_int_equal(default_min_free_kbytes(4096), 512);
	/* 64 GiB: 4 * sqrt(64 Mi KiB) */
	assert_int_equal(default_min_free_kbytes(16UL << 20), 32768);
	/* 16 TiB would want 524288 */
	assert_int_equal(default_min_free_kbytes(4UL << 30), 262144);
}

/* Nothing left for the buddy allocator, or nowhere to put the types. */
static void no_free_memory(void **state)
{
	machine_reset();
	assert_int_equal(memblock_add(&memblock, 2 * GiB, 16 * MiB, 0), 0);
	assert_int_equal(memblock_reserve(&memblock, 2 * GiB, 16 * MiB), 0);
	assert_int_equal(machine_start(0), -ENOMEM);

	machine_reset();
	assert_int_equal(memblock_add(&memblock, 2 * GiB, 16 * MiB, 0), 0);
	assert_int_equal(
		memblock_reserve(&memblock, 2 * GiB, 16 * MiB - PAGE_SIZE), 0);
	assert_int_equal(machine_start(0), -ENOMEM);
	assert_int_equal(zone_of(0, ZONE_DMA32)->managed_pages, 0);
}

static void node_id_out_of_range(void **state)
{
	machine_reset();
	assert_int_equal(memblock_add(&memblock, 2 * GiB, 16 * MiB, 0), 0);
	assert_int_equal(
		memblock_add(&memblock, 3 * GiB, 16 * MiB, MAX_NUMNODES), 0);
	assert_int_equal(machine_start(0), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(range_16m),
		cmocka_unit_test(range_64m),
		cmocka_unit_test(range_1g),
		cmocka_unit_test(pageblock_array_not_a_multiple_of_8),
		cmocka_unit_test(small_hole),
		cmocka_unit_test(big_hole),
		cmocka_unit_test(spans_widen_and_join),
		cmocka_unit_test(two_nodes),
		cmocka_unit_test(above_4g),
		cmocka_unit_test(boot_from_platform),
		cmocka_unit_test(default_min_free),
		cmocka_unit_test(no_free_memory),
		cmocka_unit_test(node_id_out_of_range),
	};

	return cmocka_run_group_tests_name("zones", tests, NULL, NULL);
}
