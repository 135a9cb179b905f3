// SPDX-License-Identifier: MIT
/*
 * alloc/vmstat.c - the allocator's statistics, in the formats of Linux's
 * /proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo and debugfs
 * extfrag/{unusable_index,extfrag_index}, so the same tools read both, and
 * the sums /proc/meminfo and /proc/vmstat take from the zones (vm/vmstat.c
 * writes those two, with the virtual memory's own counters). Writers take
 * a buffer; kernel/procfs.c serves them as files.
 */
#include <stdarg.h>
#include <stdio.h>

#include "alloc/internal.h"

#define for_each_populated_zone(z)                           \
	for (unsigned int __n = 0; __n < nr_nodes; __n++)    \
		for (int __t = 0; __t < MAX_NR_ZONES; __t++) \
			if (((z) = &nodes[__n].zones[__t])->managed_pages)

size_t buddyinfo_show(char *buf, size_t size)
{
	struct strbuf o = strbuf_init(buf, size);
	const struct zone *z;

	for_each_populated_zone (z) {
		strbuf_printf(&o, "Node %u, zone %8s ", z->node, z->name);
		for (unsigned int i = 0; i < NR_ORDERS; i++)
			strbuf_printf(&o, "%6lu ", z->free_area[i].nr_free);
		strbuf_printf(&o, "\n");
	}
	return o.len;
}

/*
 * Whether pageblock b of z's span holds memory of z's node. Holes and other
 * nodes' memory inside the span are no blocks of the zone (Linux skips
 * them too); memblock still describes the memory after it retired.
 */
static bool pageblock_has_memory(const struct zone *z, unsigned long b)
{
	uint64_t start = ((z->start_pfn >> PAGEBLOCK_ORDER) + b)
			 << PAGEBLOCK_ORDER;
	uint64_t end = start + PAGEBLOCK_NR_PAGES;

	for (unsigned int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (r->node == z->node && r->base >> PAGE_SHIFT < end &&
		    (r->base + r->size) >> PAGE_SHIFT > start)
			return true;
	}
	return false;
}

size_t pagetypeinfo_show(char *buf, size_t size)
{
	struct strbuf o = strbuf_init(buf, size);
	const struct zone *z;

	strbuf_printf(&o, "Page block order: %d\n", PAGEBLOCK_ORDER);
	strbuf_printf(&o, "Pages per block:  %lu\n\n", PAGEBLOCK_NR_PAGES);
	strbuf_printf(&o, "%-43s ",
		      "Free pages count per migrate type at order");
	for (unsigned int i = 0; i < NR_ORDERS; i++)
		strbuf_printf(&o, "%6u ", i);
	strbuf_printf(&o, "\n");
	for_each_populated_zone (z) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			strbuf_printf(&o, "Node %4u, zone %8s, type %12s ",
				      z->node, z->name, migratetype_names[mt]);
			for (unsigned int i = 0; i < NR_ORDERS; i++) {
				unsigned long n = 0;
				const struct list_head *h =
					&z->free_area[i].free_list[mt];

				for (const struct list_head *l = h->next;
				     l != h; l = l->next)
					n++;
				strbuf_printf(&o, "%6lu ", n);
			}
			strbuf_printf(&o, "\n");
		}
	}
	strbuf_printf(&o, "\n%-23s", "Number of blocks type ");
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		strbuf_printf(&o, "%12s ", migratetype_names[mt]);
	strbuf_printf(&o, "\n");
	for_each_populated_zone (z) {
		unsigned long count[MIGRATE_TYPES] = { 0 };
		unsigned long blocks =
			pageblock_index(z,
					z->start_pfn + z->spanned_pages - 1) +
			1;

		for (unsigned long b = 0; b < blocks; b++)
			if (pageblock_has_memory(z, b))
				count[z->pageblock_mt[b]]++;
		strbuf_printf(&o, "Node %u, zone %8s ", z->node, z->name);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			strbuf_printf(&o, "%12lu ", count[mt]);
		strbuf_printf(&o, "\n");
	}
	return o.len;
}

size_t zoneinfo_show(char *buf, size_t size)
{
	struct strbuf o = strbuf_init(buf, size);
	const struct zone *z;

	for_each_populated_zone (z) {
		strbuf_printf(&o, "Node %u, zone %8s\n", z->node, z->name);
		strbuf_printf(&o, "  pages free     %lu\n", z->free_pages);
		strbuf_printf(&o, "        min      %lu\n",
			      z->watermark[WMARK_MIN]);
		strbuf_printf(&o, "        low      %lu\n",
			      z->watermark[WMARK_LOW]);
		strbuf_printf(&o, "        high     %lu\n",
			      z->watermark[WMARK_HIGH]);
		strbuf_printf(&o, "        spanned  %lu\n", z->spanned_pages);
		strbuf_printf(&o, "        present  %lu\n", z->present_pages);
		strbuf_printf(&o, "        managed  %lu\n", z->managed_pages);
		strbuf_printf(&o, "  start_pfn:           %lu\n", z->start_pfn);
	}
	return o.len;
}

/*
 * Pages in the zones' free lists: Linux's NR_FREE_PAGES, which does not
 * count pcp pages either. With managed, also the zones' managed pages.
 */
unsigned long zone_free_pages(unsigned long *managed)
{
	const struct zone *z;
	unsigned long free = 0, total = 0;

	for_each_populated_zone (z) {
		total += z->managed_pages;
		free += z->free_pages;
	}
	if (managed)
		*managed = total;
	return free;
}

/*
 * Linux's si_mem_available(): what could be allocated without swapping,
 * free pages above the reserves plus the reclaimable half of the page
 * cache (none here) and of reclaimable slab. totalreserve_pages is the
 * sum of the zones' high watermarks (no lowmem_reserve here), each capped
 * at the zone's size.
 */
unsigned long mem_available(unsigned long free)
{
	unsigned long reserve = 0, wmark_low = 0, reclaimable, half;
	const struct zone *z;
	long avail;

	for_each_populated_zone (z) {
		unsigned long high = z->watermark[WMARK_HIGH];

		reserve += high < z->managed_pages ? high : z->managed_pages;
		wmark_low += z->watermark[WMARK_LOW];
	}
	reclaimable = slab_pages(true);
	half = reclaimable / 2 < wmark_low ? reclaimable / 2 : wmark_low;
	avail = (long)free - (long)reserve + (long)(reclaimable - half);
	return avail < 0 ? 0 : (unsigned long)avail;
}

/* Linux's contig_page_info: free blocks and pages, and those of >= order. */
static void contig_info(const struct zone *z, unsigned int order,
			unsigned long *pages, unsigned long *blocks,
			unsigned long *suitable)
{
	*pages = *blocks = *suitable = 0;
	for (unsigned int i = 0; i < NR_ORDERS; i++) {
		unsigned long n = z->free_area[i].nr_free;

		*blocks += n;
		*pages += n << i;
		if (i >= order)
			*suitable += n << (i - order);
	}
}

/* 0: every free page is in blocks of at least order; 1000: none is. */
int unusable_free_index(const struct zone *z, unsigned int order)
{
	unsigned long pages, blocks, suitable;

	contig_info(z, order, &pages, &blocks, &suitable);
	if (!pages)
		return 1000;
	return (int)((pages - (suitable << order)) * 1000 / pages);
}

/*
 * For a request of 2^order that would fail: towards 0 it fails for lack of
 * memory, towards 1000 for fragmentation. -1000: it would succeed.
 */
int fragmentation_index(const struct zone *z, unsigned int order)
{
	unsigned long pages, blocks, suitable;

	contig_info(z, order, &pages, &blocks, &suitable);
	if (!blocks)
		return 0;
	if (suitable)
		return -1000;
	return 1000 - (int)((1000 + pages * 1000 / (1UL << order)) / blocks);
}

static void put_index(struct strbuf *o, int v)
{
	strbuf_printf(o, "%s%d.%03d ", v < 0 ? "-" : "",
		      (v < 0 ? -v : v) / 1000, (v < 0 ? -v : v) % 1000);
}

size_t fragmentation_show(char *buf, size_t size)
{
	struct strbuf o = strbuf_init(buf, size);
	const struct zone *z;

	strbuf_printf(&o, "unusable_index:\n");
	for_each_populated_zone (z) {
		strbuf_printf(&o, "Node %u, zone %8s ", z->node, z->name);
		for (unsigned int i = 0; i < NR_ORDERS; i++)
			put_index(&o, unusable_free_index(z, i));
		strbuf_printf(&o, "\n");
	}
	strbuf_printf(&o, "extfrag_index:\n");
	for_each_populated_zone (z) {
		strbuf_printf(&o, "Node %u, zone %8s ", z->node, z->name);
		for (unsigned int i = 0; i < NR_ORDERS; i++)
			put_index(&o, fragmentation_index(z, i));
		strbuf_printf(&o, "\n");
	}
	return o.len;
}

/*
 * The zones' part of Linux's show_free_areas() (the OOM report's, and
 * SysRq-m's): per zone, its free memory, watermarks, sizes and per-hart
 * pages in kB; lowmem_reserve (none here); then free blocks per order,
 * with the migrate types that have one (U unmovable, M movable, E
 * reclaimable), and their sum. The LRU columns are 0: no LRU lists yet.
 */
size_t show_free_areas(char *buf, size_t size)
{
	static const char type_letter[MIGRATE_TYPES] = { 'U', 'M', 'E' };
	struct strbuf o = strbuf_init(buf, size);
	const unsigned long kb = PAGE_SIZE / 1024;
	const struct zone *z;

	for_each_populated_zone (z) {
		unsigned long pcp = 0;

		for (unsigned int h = 0; h < MAX_HARTS; h++)
			pcp += (unsigned long)z->pcp[h].count;
		strbuf_printf(
			&o,
			"Node %u %s free:%lukB boost:0kB min:%lukB low:%lukB high:%lukB reserved_highatomic:0KB active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB present:%lukB managed:%lukB mlocked:0kB bounce:0kB free_pcp:%lukB local_pcp:%lukB free_cma:0kB\n",
			z->node, z->name, z->free_pages * kb,
			z->watermark[WMARK_MIN] * kb,
			z->watermark[WMARK_LOW] * kb,
			z->watermark[WMARK_HIGH] * kb, z->present_pages * kb,
			z->managed_pages * kb, pcp * kb,
			(unsigned long)z->pcp[this_hart()].count * kb);
		strbuf_printf(&o, "lowmem_reserve[]:");
		for (int t = 0; t < MAX_NR_ZONES; t++)
			strbuf_printf(&o, " 0");
		strbuf_printf(&o, "\n");
	}
	for_each_populated_zone (z) {
		unsigned long total = 0;

		strbuf_printf(&o, "Node %u %s:", z->node, z->name);
		for (unsigned int i = 0; i < NR_ORDERS; i++) {
			unsigned long n = z->free_area[i].nr_free;

			strbuf_printf(&o, " %lu*%lukB", n, kb << i);
			total += n << i;
			if (!n)
				continue;
			strbuf_printf(&o, " (");
			for (int mt = 0; mt < MIGRATE_TYPES; mt++)
				if (!list_empty(&z->free_area[i].free_list[mt]))
					strbuf_printf(&o, "%c",
						      type_letter[mt]);
			strbuf_printf(&o, ")");
		}
		strbuf_printf(&o, " = %lukB\n", total * kb);
	}
	return o.len;
}
