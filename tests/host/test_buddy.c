// SPDX-License-Identifier: MIT
/*
 * tests/host/test_buddy.c - the buddy allocator (alloc/page_alloc.c) on a
 * simulated 16 or 64 MiB machine: every order, alloc_pages_exact(),
 * __GFP_ZERO, running out and merging back, the watermarks with
 * __GFP_HIGH, the shrinkers and the warning, migrate-type fallback and
 * pageblock stealing with and without grouping by mobility, the per-hart
 * lists, and every misuse free_pages() refuses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/internal.h"
#include "tests/host/mm_test.h"

#define BASE 0x80000000UL
#define PFN0 (BASE >> PAGE_SHIFT)

static const struct sim_mem mem16[] = { { BASE, 16 * MiB, 0 } };
static const struct sim_mem mem64[] = { { BASE, 64 * MiB, 0 } };

static struct zone *dma32(void)
{
	return zone_of(0, ZONE_DMA32);
}

/* Mark every page of a block with its pfn and a tag; check it back. */
static void stamp(struct page *page, unsigned int order, uint64_t tag)
{
	for (unsigned long i = 0; i < 1UL << order; i++)
		*(uint64_t *)page_address(page + i) =
			tag << 32 | page_to_pfn(page + i);
}

static void check_stamp(struct page *page, unsigned int order, uint64_t tag)
{
	for (unsigned long i = 0; i < 1UL << order; i++) {
		uint64_t want = tag << 32 | page_to_pfn(page + i);
		uint64_t got = *(uint64_t *)page_address(page + i);

		if (got != want)
			fail_msg(
				"pfn 0x%llx: 0x%llx, want 0x%llx: blocks overlap",
				(unsigned long long)page_to_pfn(page + i),
				(unsigned long long)got,
				(unsigned long long)want);
	}
}

/* What every block handed out looks like. */
static void assert_allocated(struct page *page, unsigned int order)
{
	uint64_t pfn = page_to_pfn(page);
	const struct zone *z = page_zone(page);

	assert_non_null(page);
	assert_int_equal(pfn & ((1UL << order) - 1), 0);
	assert_int_equal(page->refcount, 1);
	assert_int_equal(page->order, order);
	assert_true(pfn >= z->start_pfn &&
		    pfn + (1UL << order) <= z->start_pfn + z->spanned_pages);
	for (unsigned long i = 0; i < 1UL << order; i++) {
		assert_int_equal(page[i].flags, 0);
		assert_ptr_equal(page_zone(&page[i]), z);
		if (i)
			assert_int_equal(page[i].refcount, 0);
	}
}

/* "Node 0, zone    DMA32  <u> <m> <r> " in pagetypeinfo: blocks by type. */
static void assert_block_types(unsigned long unmovable, unsigned long movable,
			       unsigned long reclaimable)
{
	static char buf[8192];
	char want[128];

	pagetypeinfo_show(buf, sizeof(buf));
	snprintf(want, sizeof(want), "Node 0, zone %8s %12lu %12lu %12lu \n",
		 "DMA32", unmovable, movable, reclaimable);
	if (!strstr(buf, want))
		fail_msg("no \"%s\" in:\n%s", want, buf);
}

/* Free blocks on the lists of one migrate type, by order. */
static unsigned long listed(int mt, unsigned int order)
{
	const struct list_head *h = &dma32()->free_area[order].free_list[mt];
	unsigned long n = 0;

	for (const struct list_head *l = h->next; l != h; l = l->next)
		n++;
	return n;
}

/* The first test of the program: no allocation has warned yet. */
static void warns_once(void **state)
{
	unsigned int before = host_warned_once;

	boot_ok(mem16, 0);
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER + 1));
	assert_int_equal(host_log_count("alloc_pages"), 0);
	assert_int_equal(host_warned_once, before);
	assert_null(alloc_pages(GFP_KERNEL, MAX_ORDER + 1));
	if (before == 0)
		assert_string_equal(
			host_log_last(),
			"alloc_pages: order 11 failed (gfp 0x40, 4095 pages free); warning once");
	assert_int_equal(host_warned_once, 1);
	assert_null(alloc_pages(GFP_KERNEL, MAX_ORDER + 1));
	assert_int_equal(host_warned_once, 1);
	assert_int_equal(alloc_failures, 3);
	assert_int_equal(reclaim_wakeups, 0); /* refused before any zone */
}

static void every_order(void **state)
{
	struct page *held[NR_ORDERS];
	unsigned long start, used = 0;
	char before[1024], after[1024];

	boot_ok(mem16, 0);
	start = nr_free_pages();
	buddyinfo_show(before, sizeof(before));
	/* one at a time */
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		struct page *page = alloc_pages(GFP_KERNEL, o);

		assert_allocated(page, o);
		assert_int_equal(nr_free_pages(), start - (1UL << o));
		stamp(page, o, o);
		assert_buddy_valid();
		check_stamp(page, o, o);
		free_pages(page, o);
		assert_int_equal(nr_free_pages(), start);
		assert_buddy_valid();
	}
	/* all at once, freed in the same order */
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		held[o] = alloc_pages(GFP_USER, o);
		assert_allocated(held[o], o);
		stamp(held[o], o, 100 + o);
		used += 1UL << o;
		assert_int_equal(nr_free_pages(), start - used);
	}
	assert_buddy_valid();
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		check_stamp(held[o], o, 100 + o);
		free_pages(held[o], o);
		assert_buddy_valid();
	}
	assert_int_equal(nr_free_pages(), start);
	drain_local_pages();
	buddyinfo_show(after, sizeof(after));
	assert_string_equal(after, before);
	assert_int_equal(alloc_misuse, 0);
}

static void exact_sizes(void **state)
{
	static const struct {
		size_t size;
		unsigned int used, order;
	} cases[] = {
		{ 1, 1, 0 },
		{ PAGE_SIZE, 1, 0 },
		{ PAGE_SIZE + 1, 2, 1 },
		{ 3 * PAGE_SIZE, 3, 2 },
		{ 5 * PAGE_SIZE + 1, 6, 3 },
		{ 1000 * PAGE_SIZE, 1000, 10 },
		{ PAGE_SIZE << MAX_ORDER, 1024, 10 },
	};
	unsigned long start;

	boot_ok(mem16, 0);
	start = nr_free_pages();
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		void *va = alloc_pages_exact(cases[c].size, GFP_KERNEL);
		struct page *page;

		assert_non_null(va);
		page = virt_to_page(va);
		assert_int_equal(
			page_to_pfn(page) & ((1UL << cases[c].order) - 1), 0);
		/* exactly the pages asked for are out, as order-0 pages */
		assert_int_equal(nr_free_pages(), start - cases[c].used);
		for (unsigned int i = 0; i < cases[c].used; i++) {
			assert_int_equal(page[i].refcount, 1);
			assert_int_equal(page[i].order, 0);
			assert_int_equal(page[i].flags, 0);
		}
		for (unsigned int i = cases[c].used; i < 1u << cases[c].order;
		     i++)
			assert_int_equal(page[i].refcount, 0);
		memset(va, 0x77, cases[c].size);
		assert_buddy_valid();
		free_pages_exact(va, cases[c].size);
		assert_int_equal(nr_free_pages(), start);
		assert_buddy_valid();
	}
	/* too large, nothing, and absurd */
	assert_null(
		alloc_pages_exact((PAGE_SIZE << MAX_ORDER) + 1, GFP_KERNEL));
	assert_null(alloc_pages_exact(0, GFP_KERNEL));
	assert_null(alloc_pages_exact(SIZE_MAX, GFP_KERNEL));
	assert_null(alloc_pages_exact(SIZE_MAX / 2 + 2, GFP_KERNEL));
	assert_int_equal(nr_free_pages(), start);
	assert_int_equal(alloc_misuse, 0);
}

/* Every free page dirty first, then each order with __GFP_ZERO. */
static void zeroed(void **state)
{
	static const uint8_t zero[PAGE_SIZE];
	struct page *held[NR_ORDERS], *page;
	struct list_head all;
	void *va;

	boot_ok(mem16, 1);
	list_init(&all);
	while ((page = alloc_pages(__GFP_HIGH | __GFP_NOWARN, 0))) {
		memset(page_address(page), 0xa5, PAGE_SIZE);
		list_add(&page->lru, &all);
	}
	assert_int_equal(nr_free_pages(), 0);
	while (!list_empty(&all)) {
		page = list_first_entry(&all, struct page, lru);
		list_del(&page->lru);
		free_pages(page, 0);
	}
	drain_local_pages();
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		held[o] = alloc_pages(GFP_KERNEL | __GFP_ZERO, o);
		assert_allocated(held[o], o);
		for (unsigned long i = 0; i < 1UL << o; i++)
			assert_memory_equal(page_address(held[o] + i), zero,
					    PAGE_SIZE);
	}
	va = alloc_pages_exact(3 * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	assert_non_null(va);
	for (unsigned int i = 0; i < 3; i++)
		assert_memory_equal((char *)va + i * PAGE_SIZE, zero,
				    PAGE_SIZE);
	free_pages_exact(va, 3 * PAGE_SIZE);
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		free_pages(held[o], o);
	assert_buddy_valid();
}

/*
 * Take everything there is, largest blocks first, with every migrate type;
 * free it all in a shuffled order: the buddy lists merge back to exactly
 * where they started.
 */
static void exhaust_and_refill(void **state)
{
	static const gfp_t types[] = { 0, __GFP_MOVABLE, __GFP_RECLAIMABLE };
	struct {
		struct page *page;
		unsigned int order;
		unsigned long tag;
	} * held;
	unsigned long start, n = 0, pages = 0;
	char before[1024], after[1024];
	unsigned int seed = 1;

	boot_ok(mem16, 0);
	start = nr_free_pages();
	buddyinfo_show(before, sizeof(before));
	held = calloc(start, sizeof(*held));
	assert_non_null(held);
	for (int o = MAX_ORDER; o >= 0; o--) {
		struct page *page;

		while ((page = alloc_pages(types[n % 3] | __GFP_HIGH |
						   __GFP_NOWARN,
					   (unsigned int)o))) {
			assert_allocated(page, (unsigned int)o);
			stamp(page, (unsigned int)o, n);
			held[n].page = page;
			held[n].tag = n;
			held[n++].order = (unsigned int)o;
			pages += 1UL << o;
		}
		assert_buddy_valid();
	}
	/* down to half the min watermark: 127 - 63 */
	assert_true(nr_free_pages() <= 64);
	assert_int_equal(nr_free_pages(), start - pages);
	for (unsigned long i = n; i > 1; i--) {
		unsigned long j = (unsigned long)rand_r(&seed) % i;
		__typeof__(*held) t = held[i - 1];

		held[i - 1] = held[j];
		held[j] = t;
	}
	for (unsigned long i = 0; i < n; i++) {
		check_stamp(held[i].page, held[i].order, held[i].tag);
		free_pages(held[i].page, held[i].order);
		if (i % 64 == 0)
			assert_buddy_valid();
	}
	assert_int_equal(nr_free_pages(), start);
	drain_local_pages();
	assert_buddy_valid();
	buddyinfo_show(after, sizeof(after));
	assert_string_equal(after, before);
	assert_int_equal(alloc_misuse, 0);
	free(held);
}

/*
 * min_free_kbytes 512 on 16 MiB: min 128 pages, low 160. Order-1 blocks
 * (no per-hart lists in the way) until refused: an allocation may not take
 * the zone to min or below ("free - (2^order - 1) > min"), and __GFP_HIGH
 * halves min.
 */
static void watermarks(void **state)
{
	struct zone *z = dma32();

	boot_ok(mem16, 512);
	assert_int_equal(z->watermark[WMARK_MIN], 128);
	assert_int_equal(z->watermark[WMARK_LOW], 160);
	assert_int_equal(z->watermark[WMARK_HIGH], 192);
	while (alloc_pages(__GFP_NOWARN, 1))
		;
	/* 4095 - 2k: the last success left 129, and 129 - 1 <= 128 */
	assert_int_equal(z->free_pages, 129);
	assert_int_equal(alloc_failures, 1);
	/* order 0 still fits: 129 > 128 */
	assert_non_null(alloc_pages(__GFP_NOWARN, 0));
	assert_int_equal(z->free_pages, 128);
	while (alloc_pages(__GFP_HIGH | __GFP_NOWARN, 1))
		;
	/* min - min / 2 = 64: 128 - 2k, and 64 - 1 <= 64 */
	assert_int_equal(z->free_pages, 64);
	assert_int_equal(z->pcp[0].count, 0);
	assert_int_equal(reclaim_wakeups, 0); /* nobody asked to reclaim */
	assert_int_equal(direct_reclaims, 0);
	/* a larger order needs its whole block above the mark */
	assert_null(alloc_pages(__GFP_HIGH | __GFP_NOWARN, 6));
	assert_buddy_valid();
}

/*
 * Test shrinkers. Every call goes into one log, two characters a call:
 * the shrinker's name, then c or s (counted, scanned) on the background
 * wake, C or S on direct reclaim; "AcAsBcBs" is a wake that asked A, then
 * B. count_objects answers count; scan_objects answers SHRINK_STOP when
 * stop, else frees up to blocks order-1 blocks of its stash on direct
 * reclaim (scans_left times; nothing on the wake) and returns the pages.
 */
struct tshrinker {
	struct shrinker s;
	char name;
	unsigned long count;
	bool stop;
	unsigned int blocks, scans_left;
	struct page **stash;
	unsigned long stashed, next;
	/* what it was asked */
	unsigned long counts, scans;
	struct shrink_control first, last; /* first count, last scan */
	unsigned long free_at_first;	   /* zone's free pages then */
};

static char calls[1024];
static struct tshrinker ta, tb;

static void log_call(const struct tshrinker *t, bool direct, char what)
{
	size_t n = strlen(calls);

	assert_true(n + 2 < sizeof(calls));
	calls[n] = t->name;
	calls[n + 1] = direct ? (char)(what - 'a' + 'A') : what;
	calls[n + 2] = '\0';
}

static unsigned long t_count(struct shrinker *s, struct shrink_control *sc)
{
	struct tshrinker *t = container_of(s, struct tshrinker, s);

	log_call(t, sc->direct, 'c');
	if (!t->counts++) {
		t->first = *sc;
		t->free_at_first = sc->zone->free_pages;
	}
	/* one allocation's walks: the same zone and order every time */
	assert_ptr_equal(sc->zone, t->first.zone);
	assert_int_equal(sc->order, t->first.order);
	return t->count;
}

static unsigned long t_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct tshrinker *t = container_of(s, struct tshrinker, s);
	unsigned long freed = 0;

	log_call(t, sc->direct, 's');
	t->scans++;
	t->last = *sc;
	if (t->stop)
		return SHRINK_STOP;
	if (!sc->direct || !t->scans_left)
		return 0;
	t->scans_left--;
	for (unsigned int i = 0; i < t->blocks && t->next < t->stashed;
	     i++, freed += 2)
		free_pages(t->stash[t->next++], 1);
	return freed;
}

/* A fresh test shrinker, not registered, with room for 4096 blocks. */
static struct tshrinker *tshrinker(struct tshrinker *t, char name)
{
	free(t->stash);
	memset(t, 0, sizeof(*t));
	t->s.count_objects = t_count;
	t->s.scan_objects = t_scan;
	t->name = name;
	t->stash = calloc(4096, sizeof(*t->stash));
	assert_non_null(t->stash);
	return t;
}

/* Give back what a shrinker still holds. */
static void tshrinker_done(struct tshrinker *t)
{
	while (t->next < t->stashed)
		free_pages(t->stash[t->next++], 1);
	free(t->stash);
	t->stash = NULL;
}

/*
 * One shrinker in the slow path, as the reclaim hook was: asked on every
 * wake and every direct reclaim of an allocation that may reclaim, with
 * the first zone of the list and the order; what it frees is used.
 */
static void shrinker_calls(void **state)
{
	struct tshrinker *a = tshrinker(&ta, 'A');
	struct page *page;

	boot_ok(mem16, 512);
	calls[0] = '\0';
	a->count = 1000;
	a->blocks = 8;
	a->scans_left = 2;
	assert_int_equal(register_shrinker(&a->s), 0);
	while ((page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1)))
		a->stash[a->stashed++] = page;
	/*
	 * Woken first when an allocation found 161 free (161 - 1 <= low),
	 * not directly; then at 129 (129 - 1 <= min) directly, twice given
	 * 16 pages, once nothing: 16 + 1 + 7 + 1 + 7 + 1 slow paths.
	 */
	assert_int_equal(a->free_at_first, 161);
	assert_false(a->first.direct);
	assert_ptr_equal(a->first.zone, dma32());
	assert_int_equal(a->first.order, 1);
	assert_int_equal(a->counts, 33 + 3);
	assert_int_equal(a->scans, 33 + 3);
	assert_int_equal(a->last.nr_to_scan, 1000); /* what it counted */
	assert_true(a->last.direct);
	assert_int_equal(a->scans_left, 0);
	assert_int_equal(reclaim_wakeups, 33);
	assert_int_equal(direct_reclaims, 3);
	assert_int_equal(alloc_failures, 1);
	assert_int_equal(dma32()->free_pages, 129);
	assert_int_equal(a->next, 16);
	/* the last one: a wake, then direct reclaim that freed nothing */
	assert_string_equal(calls + strlen(calls) - 8, "AcAsACAS");
	unregister_shrinker(&a->s);
	tshrinker_done(a);
	assert_buddy_valid();
}

/*
 * The walk itself (shrink_slab()): every registered shrinker, in
 * registration order, counted then scanned, asked for what it counted;
 * none scanned that counted nothing; SHRINK_STOP is nothing freed and the
 * walk goes on; an unregistered one is not asked.
 */
static void shrinkers_in_order(void **state)
{
	struct tshrinker *a = tshrinker(&ta, 'A'), *b = tshrinker(&tb, 'B');
	struct shrinker no_scan = { t_count, NULL, { NULL, NULL } };
	struct zone *z = dma32();
	unsigned long start, free;

	boot_ok(mem16, 0);
	start = nr_free_pages();
	for (int i = 0; i < 8; i++)
		a->stash[a->stashed++] = alloc_pages(GFP_KERNEL, 1);
	for (int i = 0; i < 12; i++)
		b->stash[b->stashed++] = alloc_pages(GFP_KERNEL, 1);
	a->count = 10;
	a->blocks = 2;
	a->scans_left = ~0u;
	b->count = 20;
	b->blocks = 3;
	b->scans_left = ~0u;
	assert_int_equal(register_shrinker(&a->s), 0);
	assert_int_equal(register_shrinker(&b->s), 0);
	assert_int_equal(register_shrinker(&a->s), -EEXIST);
	assert_int_equal(register_shrinker(&no_scan), -EINVAL);
	assert_int_equal(register_shrinker(NULL), -EINVAL);

	/* direct: A then B (once each: A's second registration refused) */
	calls[0] = '\0';
	free = nr_free_pages();
	assert_int_equal(shrink_slab(z, 3, true), 4 + 6);
	assert_string_equal(calls, "ACASBCBS");
	assert_int_equal(nr_free_pages(), free + 10);
	assert_ptr_equal(a->last.zone, z);
	assert_int_equal(a->last.order, 3);
	assert_int_equal(a->last.nr_to_scan, 10);
	assert_int_equal(b->last.nr_to_scan, 20);

	/* the wake: the same walk, direct false (these free nothing then) */
	calls[0] = '\0';
	assert_int_equal(shrink_slab(z, 3, false), 0);
	assert_string_equal(calls, "AcAsBcBs");
	assert_false(b->last.direct);

	/* A counts nothing: not scanned */
	a->count = 0;
	calls[0] = '\0';
	assert_int_equal(shrink_slab(z, 3, true), 6);
	assert_string_equal(calls, "ACBCBS");
	a->count = 10;

	/* A cannot work now: nothing from it, B still asked */
	a->stop = true;
	calls[0] = '\0';
	free = nr_free_pages();
	assert_int_equal(shrink_slab(z, 3, true), 6);
	assert_string_equal(calls, "ACASBCBS");
	assert_int_equal(nr_free_pages(), free + 6);
	assert_int_equal(a->next, 2);
	a->stop = false;

	/* A unregistered (twice: the second changes nothing): B alone */
	unregister_shrinker(&a->s);
	unregister_shrinker(&a->s);
	calls[0] = '\0';
	assert_int_equal(shrink_slab(z, 3, true), 6);
	assert_string_equal(calls, "BCBS");

	/* A again: now after B, registration order */
	assert_int_equal(register_shrinker(&a->s), 0);
	calls[0] = '\0';
	assert_int_equal(shrink_slab(z, 3, true), 0 + 4);
	assert_string_equal(calls, "BCBSACAS"); /* B's stash is empty */

	/* none: nothing asked, nothing freed */
	unregister_shrinker(&a->s);
	unregister_shrinker(&b->s);
	assert_true(list_empty(&shrinker_list));
	calls[0] = '\0';
	assert_int_equal(shrink_slab(z, 3, true), 0);
	assert_string_equal(calls, "");

	tshrinker_done(a);
	tshrinker_done(b);
	assert_int_equal(nr_free_pages(), start);
	assert_buddy_valid();
}

/*
 * Two shrinkers in the slow path (min_free_kbytes 512 on 16 MiB: min 128,
 * low 160): not asked without __GFP_RECLAIM; asked, in order, on the wake
 * and then on direct reclaim, which frees enough for the allocation; then
 * not asked again until the zone is down to low once more.
 */
static void shrinkers_in_slow_path(void **state)
{
	struct tshrinker *a = tshrinker(&ta, 'A'), *b = tshrinker(&tb, 'B');
	struct zone *z = dma32();
	struct page *mine[20];
	unsigned int n = 0;
	struct page *page;

	boot_ok(mem16, 512);
	a->count = 1; /* frees nothing */
	b->count = 64;
	b->blocks = 32; /* 64 pages, on its first direct scan */
	b->scans_left = 1;
	assert_int_equal(register_shrinker(&a->s), 0);
	assert_int_equal(register_shrinker(&b->s), 0);
	calls[0] = '\0';

	/* down to min without reclaim: nobody asked */
	while ((page = alloc_pages(__GFP_NOWARN, 1)))
		b->stash[b->stashed++] = page;
	assert_int_equal(z->free_pages, 129);
	assert_string_equal(calls, "");
	assert_int_equal(reclaim_wakeups, 0);
	assert_int_equal(alloc_failures, 1); /* the one that ended the loop */

	/* may reclaim: the wake asks both, direct reclaim asks both, B frees */
	mine[n++] = page = alloc_pages(GFP_KERNEL, 1);
	assert_non_null(page);
	assert_string_equal(calls, "AcAsBcBsACASBCBS");
	assert_int_equal(reclaim_wakeups, 1);
	assert_int_equal(direct_reclaims, 1);
	assert_int_equal(z->free_pages, 129 + 64 - 2);

	/* enough was freed: above low, 15 allocations ask nobody */
	calls[0] = '\0';
	for (int i = 0; i < 15; i++)
		assert_non_null(mine[n++] = alloc_pages(GFP_KERNEL, 1));
	assert_string_equal(calls, "");
	assert_int_equal(z->free_pages, 161);
	assert_int_equal(reclaim_wakeups, 1);

	/* at low again (161 - 1 <= 160): the wake, and min still holds */
	assert_non_null(mine[n++] = alloc_pages(GFP_KERNEL, 1));
	assert_string_equal(calls, "AcAsBcBs");
	assert_int_equal(reclaim_wakeups, 2);
	assert_int_equal(direct_reclaims, 1);

	/* A unregistered: the next wake asks B alone */
	unregister_shrinker(&a->s);
	calls[0] = '\0';
	assert_non_null(mine[n++] = alloc_pages(GFP_KERNEL, 1));
	assert_string_equal(calls, "BcBs");
	assert_int_equal(reclaim_wakeups, 3);

	unregister_shrinker(&b->s);
	while (n)
		free_pages(mine[--n], 1);
	tshrinker_done(a);
	tshrinker_done(b);
	assert_int_equal(alloc_failures, 1); /* every later one succeeded */
	assert_buddy_valid();
}

/*
 * Fill 16 MiB with movable order-3 blocks, free 320 pages of pageblock 2
 * and 80 of pageblock 5, then ask for unmovable memory: the fallback takes
 * the largest movable block and with it pageblock 2 (at least half free);
 * once that is used up, pageblock 5's free blocks are borrowed (moved to
 * the unmovable lists) but the block stays movable (less than half free).
 */
static void fallback_and_stealing(void **state)
{
	const uint64_t q = PFN0 + 2 * PAGEBLOCK_NR_PAGES;
	const uint64_t r = PFN0 + 5 * PAGEBLOCK_NR_PAGES;
	const gfp_t movable = __GFP_MOVABLE | __GFP_HIGH | __GFP_NOWARN;
	struct zone *z = dma32();
	struct page *page;
	unsigned long n = 0;

	boot_ok(mem16, 1); /* min 0: everything can be taken */
	assert_block_types(0, 8, 0);
	while ((page = alloc_pages(movable, 3)))
		n++;
	assert_int_equal(n, 511);
	assert_int_equal(z->free_pages,
			 7); /* orders 2, 1, 0 of the last block */
	assert_block_types(0, 8, 0);
	for (unsigned int k = 0; k < 40; k++)
		free_pages(pfn_to_page(q + 8 * k), 3);
	for (unsigned int k = 0; k < 10; k++)
		free_pages(pfn_to_page(r + 8 * k), 3);
	assert_int_equal(listed(MIGRATE_MOVABLE, 8), 1);
	assert_int_equal(listed(MIGRATE_MOVABLE, 6), 2);
	assert_int_equal(listed(MIGRATE_MOVABLE, 4), 1);

	/* the order-8 block is the largest: its pageblock changes type */
	page = alloc_pages(__GFP_NOWARN, 1);
	assert_non_null(page);
	assert_int_equal(page_to_pfn(page), q + 256);
	assert_int_equal(get_pageblock_mt(z, q), MIGRATE_UNMOVABLE);
	assert_block_types(1, 7, 0);
	assert_int_equal(listed(MIGRATE_UNMOVABLE, 8), 1);
	for (unsigned int o = 1; o <= 5; o++)
		assert_int_equal(listed(MIGRATE_UNMOVABLE, o), 1);
	assert_int_equal(listed(MIGRATE_MOVABLE, 8), 0);
	assert_buddy_valid();

	/* the rest of pageblock 2 goes to unmovable requests first */
	for (unsigned int i = 0; i < 159; i++) {
		page = alloc_pages(__GFP_NOWARN, 1);
		assert_true(page_to_pfn(page) >= q &&
			    page_to_pfn(page) < q + PAGEBLOCK_NR_PAGES);
	}
	/* then pageblock 5, 80 pages free: borrowed, not taken over */
	page = alloc_pages(__GFP_NOWARN, 1);
	assert_int_equal(page_to_pfn(page), r + 64);
	assert_int_equal(get_pageblock_mt(z, r), MIGRATE_MOVABLE);
	assert_block_types(1, 7, 0);
	assert_int_equal(listed(MIGRATE_UNMOVABLE, 6), 1);
	assert_int_equal(listed(MIGRATE_UNMOVABLE, 3), 1);
	assert_int_equal(listed(MIGRATE_MOVABLE, 6), 0);

	/* a movable order 3 finds only those: it moves them back */
	page = alloc_pages(movable, 3);
	assert_int_equal(page_to_pfn(page), r + 72);
	assert_int_equal(get_pageblock_mt(z, r), MIGRATE_MOVABLE);
	assert_int_equal(listed(MIGRATE_UNMOVABLE, 6), 0);
	assert_int_equal(listed(MIGRATE_MOVABLE, 6), 1);
	assert_block_types(1, 7, 0);
	assert_buddy_valid();
}

/* A first reclaimable page takes a whole free 4 MiB block: 2 pageblocks. */
static void reclaimable_takes_a_max_order_block(void **state)
{
	struct page *page;

	boot_ok(mem16, 0);
	page = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, 0);
	assert_allocated(page, 0);
	assert_int_equal(get_pageblock_mt(dma32(), page_to_pfn(page)),
			 MIGRATE_RECLAIMABLE);
	assert_block_types(0, 6, 2);
	free_pages(page, 0);
	assert_int_equal(dma32()->pcp[0].count, 1);
	assert_int_equal(page->migratetype, MIGRATE_RECLAIMABLE);
	drain_local_pages();
	assert_int_equal(listed(MIGRATE_RECLAIMABLE, MAX_ORDER), 1);
	assert_buddy_valid();
}

/* The same movable fill, grouping by mobility on and off. */
static void fill_movable(bool grouping)
{
	struct page *page;
	unsigned long n = 0;

	machine_reset();
	assert_int_equal(machine_add(mem16, 1), 0);
	page_group_by_mobility_disabled = !grouping;
	assert_int_equal(machine_start(1), 0);
	while ((page = alloc_pages(GFP_USER | __GFP_HIGH | __GFP_NOWARN, 3))) {
		assert_int_equal(get_pageblock_mt(dma32(), page_to_pfn(page)),
				 grouping ? MIGRATE_MOVABLE
					  : MIGRATE_UNMOVABLE);
		n++;
	}
	assert_int_equal(n, 511);
	assert_buddy_valid();
}

static void mobility_grouping_off(void **state)
{
	struct page *page;

	fill_movable(true);
	assert_block_types(0, 8, 0);
	fill_movable(false);
	/* every request is unmovable, and steals whatever it takes from */
	assert_block_types(8, 0, 0);
	/* the leftovers moved to the unmovable lists along with their block */
	assert_int_equal(listed(MIGRATE_UNMOVABLE, 2), 1);
	assert_int_equal(listed(MIGRATE_MOVABLE, 2), 0);
	/* order-0 movable pages come from the unmovable per-hart list */
	page = alloc_pages(GFP_USER | __GFP_HIGH, 0);
	assert_non_null(page);
	free_pages(page, 0);
	assert_int_equal(dma32()->pcp[0].count, 1);
	assert_false(list_empty(&dma32()->pcp[0].lists[MIGRATE_UNMOVABLE]));
	page_group_by_mobility_disabled = false;
}

/*
 * 64 MiB: batch 3, high 18. Freed order-0 pages go to the front of the
 * hart's list (the next allocation gets the last one freed); over high, a
 * batch of the oldest goes back to the zone.
 */
static void per_hart_lists(void **state)
{
	struct per_hart_pages *pcp = &dma32()->pcp[0];
	struct page *held[30], *page;
	int want = 0;

	boot_ok(mem64, 0);
	assert_int_equal(pcp->batch, 3);
	assert_int_equal(pcp->high, 18);
	for (int i = 0; i < 30; i++) {
		held[i] = alloc_pages(GFP_KERNEL, 0);
		assert_allocated(held[i], 0);
		want = (want + 3 - 1) % 3; /* refilled by 3 when empty */
		assert_int_equal(pcp->count, want);
	}
	for (int i = 0; i < 30; i++) {
		free_pages(held[i], 0);
		want = want + 1 > 18 ? want + 1 - 3 : want + 1;
		assert_int_equal(pcp->count, want);
		assert_int_equal(held[i]->refcount, 0);
		assert_false(held[i]->flags & PG_reserved);
		assert_buddy_valid();
	}
	page = alloc_pages(GFP_KERNEL, 0);
	assert_ptr_equal(page, held[29]); /* cache-hot */
	free_pages(page, 0);
	drain_local_pages();
	assert_int_equal(pcp->count, 0);
	for (int i = 0; i < 30; i++)
		assert_false(held[i]->flags & PG_pcp);
	assert_int_equal(nr_free_pages(), dma32()->managed_pages);
}

/* alloc_debug=1 checks the zone after each call; a sane run never panics. */
static void debug_checks(void **state)
{
	struct page *page[NR_ORDERS];

	boot_ok(mem16, 0);
	alloc_debug = 1;
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		page[o] = alloc_pages(GFP_USER, o);
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		free_pages(page[o], o);
	alloc_debug = 0;
	assert_int_equal(nr_free_pages(), 4095);
}

/* ---- misuse: refused, counted, reported, nothing corrupted ---- */

static void assert_refused(unsigned long free_before, const char *msg)
{
	assert_int_equal(alloc_misuse, 1);
	assert_string_equal(host_log_last(), msg);
	assert_int_equal(nr_free_pages(), free_before);
	assert_buddy_valid();
}

static char msg[160];

static void double_free_on_pcp(void **state)
{
	struct page *page;
	unsigned long free;

	boot_ok(mem16, 0);
	page = alloc_pages(GFP_KERNEL, 0);
	free_pages(page, 0);
	assert_true(page->flags & PG_pcp);
	free = nr_free_pages();
	free_pages(page, 0);
	snprintf(msg, sizeof(msg), "free_pages: double free of pfn 0x%llx",
		 (unsigned long long)page_to_pfn(page));
	assert_refused(free, msg);
}

static void double_free_in_buddy(void **state)
{
	struct page *page;
	unsigned long free;

	boot_ok(mem16, 0);
	page = alloc_pages(GFP_KERNEL, 2);
	free_pages(page, 2);
	assert_true(page->flags & PG_buddy); /* merged, still the head */
	free = nr_free_pages();
	free_pages(page, 2);
	snprintf(msg, sizeof(msg), "free_pages: double free of pfn 0x%llx",
		 (unsigned long long)page_to_pfn(page));
	assert_refused(free, msg);
}

static void free_reserved(void **state)
{
	const uint64_t pfn = PFN0 + 4095; /* holds the pageblock types */
	unsigned long free;

	boot_ok(mem16, 0);
	free = nr_free_pages();
	assert_int_equal(pfn_to_page(pfn)->flags, PG_reserved);
	free_pages(pfn_to_page(pfn), 0);
	snprintf(msg, sizeof(msg),
		 "free_pages: pfn 0x%llx is reserved, never allocated",
		 (unsigned long long)pfn);
	assert_refused(free, msg);
}

static void free_never_allocated(void **state)
{
	const uint64_t pfn = PFN0 + 1024 + 8; /* inside a free order-10 block */
	unsigned long free;

	boot_ok(mem16, 0);
	free = nr_free_pages();
	free_pages(pfn_to_page(pfn), 3);
	snprintf(msg, sizeof(msg),
		 "free_pages: pfn 0x%llx is not allocated (double free?)",
		 (unsigned long long)pfn);
	assert_refused(free, msg);
}

static void free_wrong_order(void **state)
{
	struct page *page;
	unsigned long free;

	boot_ok(mem16, 0);
	page = alloc_pages(GFP_KERNEL, 2);
	free = nr_free_pages();
	free_pages(page, 1);
	snprintf(
		msg, sizeof(msg),
		"free_pages: pfn 0x%llx was allocated with order 2, freed with order 1",
		(unsigned long long)page_to_pfn(page));
	assert_refused(free, msg);
	/* a tail of the block, at its own alignment */
	free_pages(page + 2, 1);
	assert_int_equal(alloc_misuse, 2);
	free_pages(page, 2);
	assert_int_equal(nr_free_pages(), free + 4);
	assert_buddy_valid();
}

static void free_misaligned(void **state)
{
	struct page *page;
	unsigned long free;

	boot_ok(mem16, 0);
	page = alloc_pages(GFP_KERNEL, 3);
	free = nr_free_pages();
	free_pages(page + 4, 3);
	snprintf(msg, sizeof(msg),
		 "free_pages: pfn 0x%llx is not aligned to order 3",
		 (unsigned long long)page_to_pfn(page + 4));
	assert_refused(free, msg);
	free_pages(page, MAX_ORDER + 1);
	snprintf(msg, sizeof(msg),
		 "free_pages: pfn 0x%llx is not aligned to order 11",
		 (unsigned long long)page_to_pfn(page));
	assert_string_equal(host_log_last(), msg);
	assert_int_equal(alloc_misuse, 2);
	free_pages(page, 3);
	assert_int_equal(nr_free_pages(), free + 8);
}

static void free_still_referenced(void **state)
{
	struct page *page;
	unsigned long free;

	boot_ok(mem16, 0);
	page = alloc_pages(GFP_KERNEL, 0);
	page->refcount = 2;
	free = nr_free_pages();
	free_pages(page, 0);
	snprintf(msg, sizeof(msg),
		 "free_pages: pfn 0x%llx still has 2 references",
		 (unsigned long long)page_to_pfn(page));
	assert_refused(free, msg);
	page->refcount = 1;
	free_pages(page, 0);
	assert_int_equal(nr_free_pages(), free + 1);
	assert_int_equal(alloc_misuse, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(warns_once), /* first: see there */
		cmocka_unit_test(every_order),
		cmocka_unit_test(exact_sizes),
		cmocka_unit_test(zeroed),
		cmocka_unit_test(exhaust_and_refill),
		cmocka_unit_test(watermarks),
		cmocka_unit_test(shrinker_calls),
		cmocka_unit_test(shrinkers_in_order),
		cmocka_unit_test(shrinkers_in_slow_path),
		cmocka_unit_test(fallback_and_stealing),
		cmocka_unit_test(reclaimable_takes_a_max_order_block),
		cmocka_unit_test(mobility_grouping_off),
		cmocka_unit_test(per_hart_lists),
		cmocka_unit_test(debug_checks),
		cmocka_unit_test(double_free_on_pcp),
		cmocka_unit_test(double_free_in_buddy),
		cmocka_unit_test(free_reserved),
		cmocka_unit_test(free_never_allocated),
		cmocka_unit_test(free_wrong_order),
		cmocka_unit_test(free_misaligned),
		cmocka_unit_test(free_still_referenced),
	};

	return cmocka_run_group_tests_name("buddy", tests, NULL, NULL);
}
