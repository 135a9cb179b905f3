// SPDX-License-Identifier: MIT
/*
 * alloc/memmap.c - which struct pages exist, and their first state.
 *
 * Struct pages live in the vmemmap (vm/vm.h), backed only for the spans
 * below (vm/vmemmap.c maps them). A span is a memory range widened to
 * whole MAX_ORDER blocks: the buddy of any page lies in the same 4 MiB
 * block, so its struct page exists even when its frame is a hole (a hole
 * stays PG_reserved and never merges). Between ranges farther apart than
 * that, no struct page is spent.
 */
#include <string.h>

#include "alloc/alloc.h"

bool memmap_next_span(const struct memblock *mb, unsigned int *cursor,
		      uint64_t *start_pfn, uint64_t *end_pfn, uint32_t *node)
{
	const struct memblock_type *t = &mb->memory;
	unsigned int i = *cursor;

	if (i >= t->cnt)
		return false;
	*node = t->regions[i].node;
	*start_pfn =
		(t->regions[i].base >> PAGE_SHIFT) & ~(MAX_ORDER_NR_PAGES - 1);
	*end_pfn = 0;
	/* absorb every following range whose widened block overlaps */
	for (; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];
		uint64_t first =
			(r->base >> PAGE_SHIFT) & ~(MAX_ORDER_NR_PAGES - 1);
		uint64_t last = ((r->base + r->size) >> PAGE_SHIFT) +
				MAX_ORDER_NR_PAGES - 1;

		if (*end_pfn && first > *end_pfn)
			break;
		last &= ~(MAX_ORDER_NR_PAGES - 1);
		if (last > *end_pfn)
			*end_pfn = last;
	}
	*cursor = i;
	return true;
}

void memmap_init(const struct memblock *mb)
{
	const struct memblock_type *t = &mb->memory;
	unsigned int cursor = 0, next = 0;
	uint64_t start, end;
	uint32_t node, span_node;

	if (!t->cnt)
		return;
	node = t->regions[0].node;
	while (memmap_next_span(mb, &cursor, &start, &end, &span_node)) {
		memset(pfn_to_page(start), 0,
		       (end - start) * sizeof(struct page));
		for (uint64_t pfn = start; pfn < end; pfn++) {
			struct page *page = pfn_to_page(pfn);

			/* a page takes the node of the last range starting at or below it */
			while (next < t->cnt &&
			       t->regions[next].base >> PAGE_SHIFT <= pfn)
				node = t->regions[next++].node;
			page->flags = PG_reserved;
			page->node = (uint8_t)node;
			page->zone = pfn < DMA32_LIMIT_PFN ? ZONE_DMA32
							   : ZONE_NORMAL;
		}
	}
}
