// SPDX-License-Identifier: MIT
/*
 * alloc/validate.c - checking every invariant of the buddy allocator.
 *
 * Expensive (it visits every free page): run after each operation by the
 * host stress test, and in the image by the KTAP suite and the memstat
 * bootarg. Reports the first violation it finds.
 */
#include <stdarg.h>
#include <stdio.h>

#include "alloc/internal.h"

__attribute__((format(printf, 2, 3))) static bool bad(const struct zone *z,
						      const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("buddy_zone_is_valid: node %u zone %s: %s\n", z->node, z->name,
	       msg);
	return false;
}

static bool in_span(const struct zone *z, uint64_t pfn)
{
	return pfn >= z->start_pfn && pfn - z->start_pfn < z->spanned_pages;
}

static bool check_block(const struct zone *z, const struct page *page,
			unsigned int order)
{
	uint64_t pfn = page_to_pfn(page);

	if (!in_span(z, pfn) || page_zone(page) != z)
		return bad(z, "pfn 0x%llx on a free list of another zone",
			   (unsigned long long)pfn);
	if ((page->flags & (PG_buddy | PG_pcp | PG_reserved)) != PG_buddy)
		return bad(z, "pfn 0x%llx on a free list has flags 0x%x",
			   (unsigned long long)pfn, page->flags);
	if (page->order != order || pfn & ((1UL << order) - 1))
		return bad(z, "pfn 0x%llx has order %u on the order %u list",
			   (unsigned long long)pfn, page->order, order);
	if (page->refcount)
		return bad(z, "free pfn 0x%llx has refcount %d",
			   (unsigned long long)pfn, page->refcount);
	/* tails belong to this block only: no flags, no references */
	for (uint64_t i = 1; i < 1UL << order; i++)
		if (page[i].flags || page[i].refcount)
			return bad(z,
				   "pfn 0x%llx inside a free block is in use",
				   (unsigned long long)(pfn + i));
	if (order < MAX_ORDER) {
		uint64_t buddy_pfn = pfn ^ (1UL << order);
		const struct page *buddy = pfn_to_page(buddy_pfn);

		if (buddy->flags & PG_buddy && buddy->order == order &&
		    page_zone(buddy) == z)
			return bad(
				z,
				"buddies 0x%llx and 0x%llx both free at order %u",
				(unsigned long long)pfn,
				(unsigned long long)buddy_pfn, order);
	}
	return true;
}

bool buddy_zone_is_valid(const struct zone *z)
{
	unsigned long counted = 0, limit = z->spanned_pages + 1;

	for (unsigned int o = 0; o < NR_ORDERS; o++) {
		unsigned long blocks = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			const struct list_head *head =
				&z->free_area[o].free_list[mt];

			for (const struct list_head *l = head->next; l != head;
			     l = l->next) {
				if (blocks++ > limit)
					return bad(z, "order %u list loops", o);
				if (!check_block(
					    z, list_entry(l, struct page, lru),
					    o))
					return false;
			}
		}
		if (blocks != z->free_area[o].nr_free)
			return bad(z,
				   "order %u: %lu blocks listed, nr_free %lu",
				   o, blocks, z->free_area[o].nr_free);
		counted += blocks << o;
	}
	if (counted != z->free_pages)
		return bad(z, "%lu pages on free lists, free_pages %lu",
			   counted, z->free_pages);

	for (unsigned int h = 0; h < MAX_HARTS; h++) {
		const struct per_hart_pages *pcp = &z->pcp[h];
		long n = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			const struct list_head *head = &pcp->lists[mt];

			for (const struct list_head *l = head->next; l != head;
			     l = l->next) {
				const struct page *page =
					list_entry(l, struct page, lru);

				if (n++ > (long)limit)
					return bad(z, "pcp list loops");
				if ((page->flags & (PG_buddy | PG_pcp |
						    PG_reserved)) != PG_pcp ||
				    page->refcount || page_zone(page) != z)
					return bad(
						z,
						"pfn 0x%llx on a pcp list is in use",
						(unsigned long long)page_to_pfn(
							page));
			}
		}
		if (n != pcp->count)
			return bad(z, "hart %u: %ld pcp pages, count %d", h, n,
				   pcp->count);
	}
	if (z->managed_pages > z->present_pages ||
	    z->present_pages > z->spanned_pages)
		return bad(z, "managed %lu, present %lu, spanned %lu",
			   z->managed_pages, z->present_pages,
			   z->spanned_pages);
	return true;
}

bool buddy_is_valid(void)
{
	for (unsigned int id = 0; id < nr_nodes; id++)
		for (int t = 0; t < MAX_NR_ZONES; t++)
			if (!buddy_zone_is_valid(&nodes[id].zones[t]))
				return false;
	return true;
}

unsigned long nr_free_pages(void)
{
	unsigned long n = 0;

	for (unsigned int id = 0; id < nr_nodes; id++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			const struct zone *z = &nodes[id].zones[t];

			n += z->free_pages;
			for (unsigned int h = 0; h < MAX_HARTS; h++)
				n += (unsigned long)z->pcp[h].count;
		}
	return n;
}
