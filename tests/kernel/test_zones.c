// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_zones.c - the memory this boot set up, against the
 * device tree it was given (boot_platform) and the boot arguments:
 *
 *   memblock  its tables after boot: memory is the tree's (capped by mem=),
 *             reserved covers the firmware, the image, the tree and the
 *             initrd; retired. And its API on a scratch instance.
 *   zones     present pages per node are the tree's memory ranges,
 *             DMA32/Normal split at 4 GiB, every struct page names its
 *             node and zone, every reservation is PG_reserved, managed
 *             is memory minus reservations, zonelists local first,
 *             watermarks from min_free_kbytes.
 *
 * Both suites end by checking that the free page count is where it began.
 */
#include <errno.h>
#include <string.h>

#include "alloc/internal.h"
#include "boot/boot.h"
#include "hal/riscv/riscv.h"
#include "tests/kernel/ktest.h"

extern char _start[], _end[];

static unsigned long suite_free;

static unsigned long free_now(void)
{
	drain_local_pages();
	return nr_free_pages();
}

static void free_pages_unchanged_start(struct ktest *t)
{
	suite_free = free_now();
	EXPECT_TRUE(t, suite_free > 0);
}

static void free_pages_unchanged_end(struct ktest *t)
{
	EXPECT_EQ(t, free_now(), suite_free);
	EXPECT_TRUE(t, buddy_is_valid());
}

static uint64_t pfn_up(uint64_t pa)
{
	return (pa + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

static uint64_t pfn_down(uint64_t pa)
{
	return pa >> PAGE_SHIFT;
}

/* mem= as boot/main.c reads it; 0 without one. */
static uint64_t mem_limit(void)
{
	uint64_t limit = 0;

	if (bootargs_get_size(&boot_args, "mem", &limit))
		return 0;
	return limit;
}

/* The tree's memory, page-aligned and within the direct map, in bytes. */
static uint64_t tree_memory(int node)
{
	const struct platform *p = &boot_platform;
	uint64_t total = 0;

	for (unsigned int i = 0; i < p->nr_memory; i++) {
		uint64_t s = pfn_up(p->memory[i].base) << PAGE_SHIFT;
		uint64_t e = pfn_down(p->memory[i].base + p->memory[i].size)
			     << PAGE_SHIFT;

		if (e > DIRECT_MAP_SIZE)
			e = DIRECT_MAP_SIZE;
		if (e > s && (node < 0 || p->memory[i].node == (uint32_t)node))
			total += e - s;
	}
	return total;
}

static uint64_t memblock_memory(int node)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < memblock.memory.cnt; i++)
		if (node < 0 ||
		    memblock.memory.regions[i].node == (uint32_t)node)
			total += memblock.memory.regions[i].size;
	return total;
}

static bool in_memblock_memory(uint64_t pfn)
{
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (pfn >= pfn_down(r->base) &&
		    pfn < pfn_down(r->base + r->size))
			return true;
	}
	return false;
}

/* Is [base, base + size) inside one region of the type? */
static bool covered(const struct memblock_type *type, uint64_t base,
		    uint64_t size)
{
	for (unsigned int i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (base >= r->base && base + size <= r->base + r->size)
			return true;
	}
	return false;
}

/* Every page overlapping [base, base + size) that is memory: PG_reserved. */
static bool pages_reserved(uint64_t base, uint64_t size)
{
	for (uint64_t pfn = pfn_down(base); pfn < pfn_up(base + size); pfn++) {
		const struct page *page = pfn_to_page(pfn);

		if (!in_memblock_memory(pfn))
			continue;
		if (!(page->flags & PG_reserved) ||
		    (page->flags & (PG_buddy | PG_pcp)) || page->refcount)
			return false;
	}
	return true;
}

/* ---- memblock ---- */

static void memory_matches_device_tree(struct ktest *t)
{
	const struct memblock_type *m = &memblock.memory;
	const struct platform *p = &boot_platform;
	uint64_t limit = mem_limit(), tree = tree_memory(-1);

	ASSERT_TRUE(t, m->cnt >= 1);
	for (unsigned int i = 0; i < m->cnt; i++) {
		const struct memblock_region *r = &m->regions[i];
		bool inside = false;

		EXPECT_TRUE(t, r->size > 0);
		EXPECT_EQ(t, (r->base | r->size) & (PAGE_SIZE - 1), 0);
		if (i)
			EXPECT_TRUE(t, m->regions[i - 1].base +
						       m->regions[i - 1].size <=
					       r->base);
		/* within one range of the tree, on that range's node */
		for (unsigned int j = 0; j < p->nr_memory; j++)
			inside |=
				r->base >= p->memory[j].base &&
				r->base + r->size <=
					p->memory[j].base + p->memory[j].size &&
				r->node == p->memory[j].node;
		EXPECT_TRUE(t, inside);
	}
	/* all of it, or the first mem= bytes of it */
	EXPECT_EQ(t, memblock_memory(-1), limit && limit < tree ? limit : tree);
	if (!limit)
		for (unsigned int n = 0; n < p->nr_nodes && n < MAX_NUMNODES;
		     n++)
			EXPECT_EQ(t, memblock_memory((int)n),
				  tree_memory((int)n));
}

static void reserved_covers_boot_ranges(struct ktest *t)
{
	const struct memblock_type *r = &memblock.reserved;
	const struct platform *p = &boot_platform;

	EXPECT_TRUE(t, covered(r, kernel_load_pa, (uint64_t)(_end - _start)));
	EXPECT_TRUE(t, covered(r, virt_to_phys(p->fdt), p->fdt_size));
	for (unsigned int i = 0; i < p->nr_reserved; i++)
		EXPECT_TRUE(t, covered(r, p->reserved[i].base,
				       p->reserved[i].size));
	if (p->initrd_end > p->initrd_start)
		EXPECT_TRUE(t, covered(r, p->initrd_start,
				       p->initrd_end - p->initrd_start));
	for (unsigned int i = 1; i < r->cnt; i++)
		EXPECT_TRUE(t, r->regions[i - 1].base + r->regions[i - 1].size <
				       r->regions[i].base);
}

static void retired_after_boot(struct ktest *t)
{
	EXPECT_TRUE(t, memblock.retired);
	EXPECT_EQ(t, memblock_alloc(&memblock, PAGE_SIZE, PAGE_SIZE, -1), 0);
}

/* The API on a scratch instance (the host tests go through every corner). */
static struct memblock scratch;

static void scratch_add_reserve_alloc(struct ktest *t)
{
	const uint64_t M = 1UL << 20;
	phys_addr_t base;
	uint64_t cursor = 0, size, free;
	uint32_t node;

	memset(&scratch, 0, sizeof(scratch));
	EXPECT_EQ(t, memblock_add(&scratch, 1 * M, M, 0), 0);
	EXPECT_EQ(t, memblock_add(&scratch, 2 * M, M, 0),
		  0); /* touches: merges */
	EXPECT_EQ(t, memblock_add(&scratch, 3 * M, M, 1), 0); /* other node */
	ASSERT_EQ(t, scratch.memory.cnt, 2);
	EXPECT_EQ(t, scratch.memory.regions[0].size, 2 * M);
	EXPECT_EQ(t, memblock_add(&scratch, 3 * M + 4096, 4096, 0), -EEXIST);
	EXPECT_EQ(t, scratch.memory.cnt, 2);

	EXPECT_EQ(t, memblock_reserve(&scratch, 3 * M + M / 2, M / 2), 0);
	/* top-down, aligned, on the node asked for, or any node */
	EXPECT_EQ(t, memblock_alloc(&scratch, 4096, 4096, 1),
		  3 * M + M / 2 - 4096);
	EXPECT_EQ(t, memblock_alloc(&scratch, 8192, 8192, -1),
		  (3 * M + M / 2 - 4096 - 8192) & ~8191UL);
	EXPECT_EQ(t, memblock_alloc(&scratch, 4096, 4096, 0), 3 * M - 4096);
	EXPECT_EQ(t, memblock_alloc(&scratch, 4 * M, 4096, -1), 0);
	EXPECT_EQ(t, memblock_alloc(&scratch, 4096, 3000, -1),
		  0); /* not a power of 2 */
	EXPECT_EQ(t, memblock_total(&scratch.memory), 3 * M);

	/* free ranges: memory minus reserved, in address order */
	EXPECT_TRUE(t,
		    memblock_next_free(&scratch, &cursor, &base, &size, &node));
	EXPECT_TRUE(t, base == 1 * M && size == 2 * M - 4096 && node == 0);
	EXPECT_TRUE(t,
		    memblock_next_free(&scratch, &cursor, &base, &size, &node));
	EXPECT_TRUE(t, base == 3 * M && node == 1);
	free = size;
	while (memblock_next_free(&scratch, &cursor, &base, &size, &node)) {
		EXPECT_TRUE(t, base >= 3 * M && node == 1);
		free += size;
	}
	EXPECT_EQ(t, 2 * M - 4096 + free,
		  memblock_total(&scratch.memory) -
			  memblock_total(&scratch.reserved));

	/* mem=: the first bytes of memory, in address order */
	memblock_cap(&scratch, 2 * M + M / 2);
	EXPECT_EQ(t, scratch.memory.cnt, 2);
	EXPECT_EQ(t, memblock_total(&scratch.memory), 2 * M + M / 2);
	EXPECT_EQ(t, scratch.memory.regions[1].size, M / 2);
	scratch.retired = true;
	EXPECT_EQ(t, memblock_alloc(&scratch, 4096, 4096, -1), 0);
}

KTEST_SUITE(memblock, KTEST_CASE(free_pages_unchanged_start),
	    KTEST_CASE(memory_matches_device_tree),
	    KTEST_CASE(reserved_covers_boot_ranges),
	    KTEST_CASE(retired_after_boot),
	    KTEST_CASE(scratch_add_reserve_alloc),
	    KTEST_CASE(free_pages_unchanged_end));

/* ---- zones ---- */

static void present_is_device_tree_memory(struct ktest *t)
{
	uint64_t limit = mem_limit();

	for (unsigned int n = 0; n < nr_nodes; n++) {
		unsigned long present = 0;

		for (int z = 0; z < MAX_NR_ZONES; z++)
			present += nodes[n].zones[z].present_pages;
		/* the ranges the tree gives the node, minus nothing */
		EXPECT_EQ(t, present, memblock_memory((int)n) >> PAGE_SHIFT);
		if (!limit)
			EXPECT_EQ(t, present,
				  tree_memory((int)n) >> PAGE_SHIFT);
		EXPECT_EQ(t, nodes[n].online, present > 0);
		EXPECT_EQ(t, nodes[n].id, n);
	}
	EXPECT_TRUE(t, nr_nodes >= 1 && nr_nodes <= boot_platform.nr_nodes);
	EXPECT_TRUE(t, local_node < nr_nodes);
}

static void dma32_normal_split_at_4g(struct ktest *t)
{
	for (unsigned int n = 0; n < nr_nodes; n++) {
		const struct node *node = &nodes[n];
		const struct zone *d = &node->zones[ZONE_DMA32];
		const struct zone *z = &node->zones[ZONE_NORMAL];

		if (!node->online)
			continue;
		EXPECT_TRUE(t, d->node == n && d->type == ZONE_DMA32);
		EXPECT_TRUE(t, z->node == n && z->type == ZONE_NORMAL);
		EXPECT_STREQ(t, d->name, "DMA32");
		EXPECT_STREQ(t, z->name, "Normal");
		if (d->spanned_pages) {
			EXPECT_EQ(t, d->start_pfn, node->start_pfn);
			EXPECT_TRUE(t, d->start_pfn + d->spanned_pages <=
					       DMA32_LIMIT_PFN);
		}
		if (z->spanned_pages) {
			EXPECT_TRUE(t, z->start_pfn >= DMA32_LIMIT_PFN);
			EXPECT_EQ(t, z->start_pfn + z->spanned_pages,
				  node->end_pfn);
		}
		if (node->start_pfn < DMA32_LIMIT_PFN &&
		    node->end_pfn > DMA32_LIMIT_PFN) {
			/* a node across 4 GiB: both zones, meeting there */
			EXPECT_EQ(t, d->start_pfn + d->spanned_pages,
				  DMA32_LIMIT_PFN);
			EXPECT_EQ(t, z->start_pfn, DMA32_LIMIT_PFN);
		} else {
			EXPECT_EQ(t, d->spanned_pages + z->spanned_pages,
				  node->end_pfn - node->start_pfn);
		}
		for (int t2 = 0; t2 < MAX_NR_ZONES; t2++) {
			const struct zone *x = &node->zones[t2];

			EXPECT_TRUE(t, x->managed_pages <= x->present_pages &&
					       x->present_pages <=
						       x->spanned_pages);
		}
	}
}

static void struct_pages_name_their_zone(struct ktest *t)
{
	unsigned long wrong = 0;

	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		for (uint64_t pfn = pfn_down(r->base);
		     pfn < pfn_down(r->base + r->size); pfn++) {
			const struct page *page = pfn_to_page(pfn);
			const struct zone *z = page_zone(page);

			wrong += page->node != r->node ||
				 page->zone != (pfn < DMA32_LIMIT_PFN
							? ZONE_DMA32
							: ZONE_NORMAL) ||
				 pfn < z->start_pfn ||
				 pfn >= z->start_pfn + z->spanned_pages;
		}
	}
	EXPECT_EQ(t, wrong, 0);
}

static void reservations_are_reserved(struct ktest *t)
{
	const struct platform *p = &boot_platform;

	EXPECT_TRUE(t,
		    pages_reserved(kernel_load_pa, (uint64_t)(_end - _start)));
	EXPECT_TRUE(t, pages_reserved(virt_to_phys(p->fdt), p->fdt_size));
	for (unsigned int i = 0; i < p->nr_reserved; i++)
		EXPECT_TRUE(t, pages_reserved(p->reserved[i].base,
					      p->reserved[i].size));
	if (p->initrd_end > p->initrd_start)
		EXPECT_TRUE(t, pages_reserved(p->initrd_start,
					      p->initrd_end - p->initrd_start));
	/* and everything memblock handed out: struct pages, page tables... */
	for (unsigned int i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];

		if (!EXPECT_TRUE(t, pages_reserved(r->base, r->size)))
			ktest_check(
				t, false, __FILE__, __LINE__,
				"reserved 0x%llx+0x%llx has a page the buddy allocator owns",
				(unsigned long long)r->base,
				(unsigned long long)r->size);
	}
	/* ...the zones' pageblock arrays among them */
	for (unsigned int n = 0; n < nr_nodes; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zone = &nodes[n].zones[z];

			if (zone->spanned_pages)
				EXPECT_TRUE(t,
					    pages_reserved(
						    virt_to_phys(
							    zone->pageblock_mt),
						    1));
		}
}

/* Managed: every page of memory that no reservation touches, nothing else. */
static unsigned long unreserved[MAX_NUMNODES][MAX_NR_ZONES];

static void managed_is_memory_minus_reserved(struct ktest *t)
{
	unsigned long managed = 0, touched = 0;
	uint64_t counted_up_to = 0; /* pfns below were counted as touched */

	memset(unreserved, 0, sizeof(unreserved));
	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *m = &memblock.memory.regions[i];

		for (uint64_t pfn = pfn_down(m->base);
		     pfn < pfn_down(m->base + m->size); pfn++) {
			const struct page *page = pfn_to_page(pfn);

			if (!(page->flags & PG_reserved))
				unreserved[page->node][page->zone]++;
		}
	}
	for (unsigned int n = 0; n < nr_nodes; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			EXPECT_EQ(t, unreserved[n][z],
				  nodes[n].zones[z].managed_pages);
			managed += nodes[n].zones[z].managed_pages;
		}
	/* pages of memory a reservation overlaps, rounded outwards, once each */
	for (unsigned int j = 0; j < memblock.reserved.cnt; j++) {
		const struct memblock_region *r = &memblock.reserved.regions[j];
		uint64_t pfn = pfn_down(r->base);

		if (pfn < counted_up_to)
			pfn = counted_up_to;
		for (; pfn < pfn_up(r->base + r->size); pfn++)
			touched += in_memblock_memory(pfn);
		counted_up_to = pfn;
	}
	EXPECT_EQ(t, managed, (memblock_memory(-1) >> PAGE_SHIFT) - touched);
}

static void zonelists_local_first(struct ktest *t)
{
	unsigned int populated = 0;

	for (unsigned int n = 0; n < nr_nodes; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			populated += nodes[n].zones[z].managed_pages > 0;
	for (unsigned int n = 0; n < nr_nodes; n++) {
		struct zone *const *zl = nodes[n].zonelist;
		unsigned int len = 0, own = 0;

		while (zl[len])
			len++;
		EXPECT_EQ(t, len, populated);
		for (unsigned int i = 0; i < len; i++) {
			EXPECT_TRUE(t, zl[i]->managed_pages > 0);
			for (unsigned int j = 0; j < i; j++)
				EXPECT_TRUE(t, zl[i] != zl[j]);
		}
		/* the node's own zones first, Normal before DMA32 */
		for (int z = MAX_NR_ZONES - 1; z >= 0; z--)
			if (nodes[n].zones[z].managed_pages) {
				EXPECT_TRUE(t, zl[own] == &nodes[n].zones[z]);
				own++;
			}
		/* then the other nodes, each Normal before DMA32 */
		for (unsigned int i = own; i + 1 < len; i++)
			if (zl[i]->node == zl[i + 1]->node)
				EXPECT_TRUE(t, zl[i]->type == ZONE_NORMAL &&
						       zl[i + 1]->type ==
							       ZONE_DMA32);
	}
}

/* Linux's __setup_per_zone_wmarks, from min_free_kbytes= or its default. */
static void watermarks_follow_min_free_kbytes(struct ktest *t)
{
	unsigned long total = 0, kbytes;
	long arg = 0;

	for (unsigned int n = 0; n < nr_nodes; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			total += nodes[n].zones[z].managed_pages;
	if (bootargs_get_long(&boot_args, "min_free_kbytes", &arg) || arg <= 0)
		arg = 0;
	kbytes = arg ? (unsigned long)arg : default_min_free_kbytes(total);
	EXPECT_TRUE(t, arg || (kbytes >= 128 && kbytes <= 262144));
	for (unsigned int n = 0; n < nr_nodes; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zone = &nodes[n].zones[z];
			unsigned long min, gap;

			if (!zone->managed_pages)
				continue;
			min = kbytes / (PAGE_SIZE / 1024) *
			      zone->managed_pages / total;
			gap = min / 4 > zone->managed_pages / 1000
				      ? min / 4
				      : zone->managed_pages / 1000;
			EXPECT_EQ(t, zone->watermark[WMARK_MIN], min);
			EXPECT_EQ(t, zone->watermark[WMARK_LOW], min + gap);
			EXPECT_EQ(t, zone->watermark[WMARK_HIGH],
				  min + 2 * gap);
		}
	/* 4 * sqrt(KiB), clamped */
	EXPECT_EQ(t, default_min_free_kbytes(0), 128);
	EXPECT_EQ(t, default_min_free_kbytes(65536), 4 * 512);
	EXPECT_EQ(t, default_min_free_kbytes(1UL << 36), 262144);
}

static void pageblocks_typed(struct ktest *t)
{
	for (unsigned int n = 0; n < nr_nodes; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zone = &nodes[n].zones[z];
			unsigned long blocks, bad = 0;

			if (!zone->spanned_pages)
				continue;
			blocks = pageblock_index(zone,
						 zone->start_pfn +
							 zone->spanned_pages -
							 1) +
				 1;
			for (unsigned long b = 0; b < blocks; b++)
				bad += zone->pageblock_mt[b] >= MIGRATE_TYPES;
			EXPECT_EQ(t, bad, 0);
		}
}

KTEST_SUITE(zones, KTEST_CASE(free_pages_unchanged_start),
	    KTEST_CASE(present_is_device_tree_memory),
	    KTEST_CASE(dma32_normal_split_at_4g),
	    KTEST_CASE(struct_pages_name_their_zone),
	    KTEST_CASE(reservations_are_reserved),
	    KTEST_CASE(managed_is_memory_minus_reserved),
	    KTEST_CASE(zonelists_local_first),
	    KTEST_CASE(watermarks_follow_min_free_kbytes),
	    KTEST_CASE(pageblocks_typed), KTEST_CASE(free_pages_unchanged_end));
