/* SPDX-License-Identifier: MIT */
/*
 * alloc/internal.h - free-list and pageblock helpers shared by the files of
 * the page allocator. Callers hold the zone (interrupts off).
 */
#ifndef PAGODA_ALLOC_INTERNAL_H
#define PAGODA_ALLOC_INTERNAL_H

#include "alloc/alloc.h"

/* Pageblock i of the zone's span holds pfn; its migrate type is one byte. */
static inline unsigned long pageblock_index(const struct zone *z,
					    uint64_t pfn)
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

#endif
