/* SPDX-License-Identifier: MIT */
/*
 * tests/host/slab_test.h - what the slab's host tests share on top of
 * mm_test.h: the debug slot layout of alloc/slab_debug.c as the tests see
 * it, a walk that checks every invariant of a cache (alloc/internal.h), and
 * the parsing of the debug reports' addresses.
 */
#ifndef PAGODA_TESTS_HOST_SLAB_TEST_H
#define PAGODA_TESTS_HOST_SLAB_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "alloc/internal.h"
#include "tests/host/mm_test.h"

/*
 * The debug slot, as alloc/slab_debug.c lays it out (private there):
 * [red zone: red_left][object][red zone ... offset][free pointer][track],
 * red zones 0xbb, free objects without a constructor 0x6b ending in 0xa5,
 * the track {caller, state} right after the free pointer.
 */
/* clang-format off */
#define T_RED_BYTE     0xbb
#define T_POISON_FREE  0x6b
#define T_POISON_END   0xa5
#define T_OBJ_FREE     0x46524545u /* "FREE" */
#define T_OBJ_ALLOC    0x414c4c4fu /* "ALLO" */
/* clang-format on */

struct t_track {
	uintptr_t caller;
	uint32_t state;
	uint32_t unused;
};

static inline struct t_track *t_track_of(const struct kmem_cache *c,
					 const void *obj)
{
	return (struct t_track *)((char *)obj + c->offset + sizeof(void *));
}

/* The first object of a slab (after its colour and left red zone). */
static inline char *t_slab_base(const struct kmem_cache *c,
				const struct page *slab)
{
	return (char *)page_address(slab) + slab->private + c->red_left;
}

/* obj is the start of a slot of c: its slab, else NULL (and why in why). */
static inline const struct page *t_slot_of(const struct kmem_cache *c,
					   const void *obj, const char **why)
{
	const struct page *page = virt_to_page(obj), *slab;
	uintptr_t base, va = (uintptr_t)obj;

	if (!(page->flags & PG_slab) || page->owner != (uintptr_t)c) {
		*why = "not on a page of the cache";
		return NULL;
	}
	slab = slab_head(c, obj);
	base = (uintptr_t)t_slab_base(c, slab);
	if (va < base || (va - base) % c->size ||
	    (va - base) / c->size >= c->objects) {
		*why = "not at the start of a slot";
		return NULL;
	}
	return slab;
}

/*
 * Every invariant of internal.h: each slab on the list its count says,
 * nr_* matching the lists, all pages of a slab marked with the cache, the
 * colour a step within the slack, the free list exactly objects - inuse
 * slots of that slab, the magazines holding slots of the cache; in debug
 * caches every free object (free list or magazine) tracked FREE. Returns
 * objects in use in slabs (magazines included).
 */
static inline unsigned long t_check_cache(const struct kmem_cache *c)
{
	const struct list_head *heads[3] = { &c->full, &c->partial, &c->empty };
	const unsigned long nr[3] = { c->nr_full, c->nr_partial, c->nr_empty };
	static const char *const names[3] = { "full", "partial", "empty" };
	size_t slab_bytes = PAGE_SIZE << c->order;
	unsigned long inuse = 0;
	const char *why;

	if (c->objects == 0 || (size_t)c->objects * c->size > slab_bytes ||
	    c->size % c->align || c->colour_next >= c->colour_count ||
	    (size_t)(c->colour_count - 1) * c->colour_step >
		    slab_bytes - (size_t)c->objects * c->size)
		fail_msg(
			"%s: bad geometry: size %u align %u objects %u order %u colours %u x %u",
			c->name, c->size, c->align, c->objects, c->order,
			c->colour_count, c->colour_step);
	for (int l = 0; l < 3; l++) {
		unsigned long n = 0;

		for (const struct list_head *e = heads[l]->next; e != heads[l];
		     e = e->next, n++) {
			const struct page *slab =
				list_entry(e, struct page, lru);
			uint64_t pfn = page_to_pfn(slab);
			unsigned long free = 0;

			if (n > (1UL << 24))
				fail_msg("%s: %s list loops", c->name,
					 names[l]);
			if (pfn & ((1UL << c->order) - 1))
				fail_msg("%s: slab pfn 0x%" PRIx64
					 " not aligned to order %u",
					 c->name, pfn, c->order);
			for (unsigned int i = 0; i < 1u << c->order; i++)
				if (!(slab[i].flags & PG_slab) ||
				    slab[i].owner != (uintptr_t)c)
					fail_msg(
						"%s: page %u of slab 0x%" PRIx64
						" not marked",
						c->name, i, pfn);
			if (slab->private % c->colour_step ||
			    slab->private / c->colour_step >= c->colour_count)
				fail_msg("%s: colour %" PRIu64, c->name,
					 slab->private);
			if ((l == 0 && slab->counters != c->objects) ||
			    (l == 1 && (slab->counters == 0 ||
					slab->counters >= c->objects)) ||
			    (l == 2 && slab->counters != 0))
				fail_msg("%s: slab with %" PRIu64
					 " of %u in use on the %s list",
					 c->name, slab->counters, c->objects,
					 names[l]);
			for (void *o = slab->freelist; o;
			     o = slab_free_ptr(c, o)) {
				why = NULL;
				if (t_slot_of(c, o, &why) != slab)
					fail_msg(
						"%s: free list of slab 0x%" PRIx64
						": %p %s",
						c->name, pfn, o,
						why ? why : "in another slab");
				if (c->flags & SLAB_DEBUG &&
				    t_track_of(c, o)->state != T_OBJ_FREE)
					fail_msg(
						"%s: %p on a free list, tracked 0x%x",
						c->name, o,
						t_track_of(c, o)->state);
				if (++free > c->objects)
					fail_msg(
						"%s: free list of slab 0x%" PRIx64
						" too long",
						c->name, pfn);
			}
			if (free != c->objects - slab->counters)
				fail_msg("%s: slab 0x%" PRIx64
					 ": %lu free, %" PRIu64 " of %u in use",
					 c->name, pfn, free, slab->counters,
					 c->objects);
			inuse += slab->counters;
		}
		if (n != nr[l])
			fail_msg("%s: %lu slabs on the %s list, nr_%s %lu",
				 c->name, n, names[l], names[l], nr[l]);
	}
	for (unsigned int h = 0; h < SLAB_MAX_HARTS; h++) {
		const struct array_cache *ac = &c->magazine[h];

		if (ac->avail > SLAB_MAGAZINE)
			fail_msg("%s: magazine %u holds %lu", c->name, h,
				 ac->avail);
		for (unsigned int i = 0; i < ac->avail; i++) {
			why = NULL;
			if (!t_slot_of(c, ac->entry[i], &why))
				fail_msg("%s: magazine %u entry %u: %p %s",
					 c->name, h, i, ac->entry[i], why);
			if (c->flags & SLAB_DEBUG &&
			    t_track_of(c, ac->entry[i])->state != T_OBJ_FREE)
				fail_msg("%s: %p in a magazine, tracked 0x%x",
					 c->name, ac->entry[i],
					 t_track_of(c, ac->entry[i])->state);
			for (unsigned int j = 0; j < i; j++)
				if (ac->entry[j] == ac->entry[i])
					fail_msg("%s: %p twice in magazine %u",
						 c->name, ac->entry[i], h);
		}
	}
	return inuse;
}

/* Objects handed out to callers: in use in slabs, less the magazines. */
static inline unsigned long t_active(const struct kmem_cache *c)
{
	unsigned long n = t_check_cache(c);

	for (unsigned int h = 0; h < SLAB_MAX_HARTS; h++)
		n -= c->magazine[h].avail;
	return n;
}

static inline unsigned long t_slabs(const struct kmem_cache *c)
{
	return c->nr_full + c->nr_partial + c->nr_empty;
}

/* The address after `key` in the log ("caller 0x..."), 0 if none. */
static inline uintptr_t t_logged_addr(const char *key)
{
	const char *p = strstr(host_log(), key);
	unsigned long v = 0;
	char end = 0;

	if (!p)
		fail_msg("no \"%s\" in the log:\n%s", key, host_log());
	p += strlen(key);
	if (sscanf(p, "0x%lx%c", &v, &end) < 1)
		fail_msg("\"%s\" is not followed by an address: %s", key, p);
	return (uintptr_t)v;
}

/* The cache is valid and has this many full, partial and empty slabs. */
static inline void assert_lists(const struct kmem_cache *c, unsigned long full,
				unsigned long partial, unsigned long empty)
{
	t_check_cache(c);
	if (c->nr_full != full || c->nr_partial != partial ||
	    c->nr_empty != empty)
		fail_msg("%s: full/partial/empty %lu/%lu/%lu, want %lu/%lu/%lu",
			 c->name, c->nr_full, c->nr_partial, c->nr_empty, full,
			 partial, empty);
}

/* qsort order of object addresses. */
static inline int by_address(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

#endif /* PAGODA_TESTS_HOST_SLAB_TEST_H */
