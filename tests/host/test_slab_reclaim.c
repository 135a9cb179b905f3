// SPDX-License-Identifier: MIT
/*
 * tests/host/test_slab_reclaim.c - the other half of the object caches'
 * host tests (test_slab.c has geometry, constructors, lists and
 * magazines): shrinking by hand and through the slab shrinker, slabs under
 * memory pressure, destroying, reclaimable slabs, the layout without
 * debugging, bad arguments and /proc/slabinfo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/slab_test.h"

#define BASE 0x80000000UL

static const struct sim_mem mem16[] = { { BASE, 16 * MiB, 0 } };

static void *objs[4096];

static void nop_ctor(void *obj)
{
	(void)obj;
}

/* ---- shrinking, reclaim, destroying ---- */

static void shrink_gives_pages_back(void **state)
{
	const unsigned int n = 1000;
	struct kmem_cache *c;
	unsigned long start, pages0, pages;

	slab_boot_ok(mem16, 0, true);
	c = kmem_cache_create("shrink-200", 200, 0, 0, NULL);
	assert_non_null(c);
	start = nr_free_pages();
	pages0 = slab_pages(false);
	for (unsigned int i = 0; i < n; i++)
		assert_non_null(objs[i] = kmem_cache_alloc(c, GFP_KERNEL));
	pages = t_slabs(c) << c->order;
	assert_true(pages >= n / c->objects);
	assert_int_equal(nr_free_pages(), start - pages);
	assert_int_equal(slab_pages(false), pages0 + pages);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(c, objs[i]);
	/* the slabs stay with the cache until a shrink */
	assert_int_equal(nr_free_pages(), start - pages);
	assert_true(c->nr_empty > 0);
	assert_int_equal(kmem_cache_shrink(c), pages);
	assert_int_equal(nr_free_pages(), start);
	assert_int_equal(slab_pages(false), pages0);
	assert_lists(c, 0, 0, 0);
	assert_int_equal(kmem_cache_shrink(c), 0);
	kmem_cache_destroy(c);
	assert_buddy_valid();
}

/* Take every page there is without reclaim (onto list); how many. */
static unsigned long exhaust(struct list_head *list)
{
	unsigned long n = 0;
	struct page *page;

	while ((page = alloc_pages(__GFP_HIGH | __GFP_NOWARN, 0))) {
		list_add(&page->lru, list);
		n++;
	}
	return n;
}

static void give_back(struct list_head *list)
{
	while (!list_empty(list)) {
		struct page *page = list_first_entry(list, struct page, lru);

		list_del(&page->lru);
		free_pages(page, 0);
	}
}

/* A cache holding n freed objects' worth of empty slabs. */
static struct kmem_cache *victim(unsigned int n)
{
	struct kmem_cache *v = kmem_cache_create("victim", 500, 0, 0, NULL);

	assert_non_null(v);
	for (unsigned int i = 0; i < n; i++)
		assert_non_null(objs[i] = kmem_cache_alloc(v, GFP_KERNEL));
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(v, objs[i]);
	return v;
}

/*
 * Memory runs out with a cache full of empty slabs: an allocation that
 * may reclaim runs the slab shrinker (the allocator's reclaim) and succeeds on
 * the pages it gave back; one that may not does not touch the caches.
 */
static void reclaim_shrinks_caches(void **state)
{
	struct kmem_cache *v;
	unsigned long wakeups, slabs, start;
	struct list_head held;
	struct page *page;

	slab_boot_ok(mem16, 0, true);
	list_init(&held);
	slab_shrink_all();
	drain_local_pages();
	start = nr_free_pages();
	v = victim(2000);
	slabs = t_slabs(v);
	assert_true(slabs > 200);
	wakeups = reclaim_wakeups;
	assert_true(exhaust(&held) > 1000);
	assert_int_equal(reclaim_wakeups, wakeups);
	assert_int_equal(t_slabs(v), slabs);
	assert_null(alloc_pages(__GFP_HIGH | __GFP_NOWARN, 0));

	page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
	assert_non_null(page);
	assert_true(reclaim_wakeups > wakeups);
	assert_lists(v, 0, 0, 0);
	free_pages(page, 0);
	give_back(&held);
	kmem_cache_destroy(v);
	slab_shrink_all();
	drain_local_pages();
	assert_int_equal(nr_free_pages(), start);
	assert_buddy_valid();
}

/* The same, the allocation being a new slab for another cache. */
static void slab_allocation_reclaims(void **state)
{
	struct kmem_cache *v, *needy, *unlucky;
	unsigned long start, direct;
	struct list_head held;
	void *obj;

	slab_boot_ok(mem16, 0, true);
	list_init(&held);
	slab_shrink_all();
	drain_local_pages();
	start = nr_free_pages();
	needy = kmem_cache_create("needy", 3000, 0, 0, NULL);
	unlucky = kmem_cache_create("unlucky", 3000, 0, 0, NULL);
	assert_non_null(needy);
	assert_non_null(unlucky);
	assert_true(needy->order > 0); /* 16 KiB slabs: past the pcp lists */
	v = victim(2000);
	exhaust(&held);
	direct = direct_reclaims;

	/* without reclaim: no slab, NULL, the cache as it was */
	assert_null(kmem_cache_alloc(unlucky, GFP_ATOMIC | __GFP_NOWARN));
	assert_lists(unlucky, 0, 0, 0);
	assert_true(t_slabs(v) > 0);

	obj = kmem_cache_alloc(needy, GFP_KERNEL);
	assert_non_null(obj);
	assert_lists(v, 0, 0, 0);
	assert_true(t_slabs(needy) > 0);
	assert_true(direct_reclaims >= direct);
	assert_true(host_irq_enabled);
	kmem_cache_free(needy, obj);
	give_back(&held);
	kmem_cache_destroy(needy);
	kmem_cache_destroy(unlucky);
	kmem_cache_destroy(v);
	slab_shrink_all();
	drain_local_pages();
	assert_int_equal(nr_free_pages(), start);
	assert_buddy_valid();
	assert_int_equal(slab_errors, 0);
}

/*
 * The slab shrinker counts the slabs that only objects in magazines keep
 * in use (flushed, they are empty): the reclaim walk shrinks them. A count
 * of the empty slabs alone would say 0 here, and the walk skip the scan.
 */
static void shrinker_counts_magazines(void **state)
{
	struct kmem_cache *c;
	unsigned long start, pages;
	unsigned int n;

	slab_boot_ok(mem16, 0, true);
	c = kmem_cache_create("held", 500, 0, 0, NULL);
	assert_non_null(c);
	slab_shrink_all();
	drain_local_pages();
	start = nr_free_pages();
	n = c->objects < SLAB_MAGAZINE / 2 ? c->objects : SLAB_MAGAZINE / 2;
	for (unsigned int i = 0; i < n; i++)
		assert_non_null(objs[i] = kmem_cache_alloc(c, GFP_KERNEL));
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(c, objs[i]);
	/* every object back in the magazine: no slab is empty */
	assert_int_equal(c->nr_empty, 0);
	assert_true(t_slabs(c) > 0);
	pages = t_slabs(c) << c->order;
	assert_int_equal(nr_free_pages(), start - pages);
	assert_int_equal(shrink_slab(zone_of(0, ZONE_DMA32), 0, true), pages);
	assert_lists(c, 0, 0, 0);
	assert_int_equal(nr_free_pages(), start);
	kmem_cache_destroy(c);
	assert_buddy_valid();
}

/*
 * Objects of a megabyte or two, taken until memory runs out: each new slab
 * runs the slab shrinker, which shrinks this very cache while a refill is
 * filling its magazine. The refill keeps what it took: the allocations
 * end (NULL) instead of giving back and retaking the same slab forever.
 */
static void big_objects_under_pressure(void **state)
{
	static const size_t sizes[] = { 1 << 20, 2 << 20 };

	for (int debug = 1; debug >= 0; debug--)
		for (size_t k = 0; k < 2; k++) {
			struct kmem_cache *c;
			unsigned long start;
			unsigned int n = 0;

			slab_boot_ok(mem16, 0, debug);
			slab_shrink_all();
			drain_local_pages();
			start = nr_free_pages();
			c = kmem_cache_create("big", sizes[k], 0, 0, NULL);
			assert_non_null(c);
			while ((objs[n] = kmem_cache_alloc(
					c, GFP_KERNEL | __GFP_NOWARN))) {
				memset(objs[n], n + 1, sizes[k]);
				assert_true(++n < 64);
			}
			/* the slabs took most of the memory */
			if ((t_slabs(c) << c->order) < start / 2)
				fail_msg(
					"%u objects, %lu slabs of order %u, %lu pages free at the start",
					n, t_slabs(c), c->order, start);
			for (unsigned int i = 0; i < n; i++) {
				assert_int_equal(((uint8_t *)objs[i])[0],
						 (uint8_t)(i + 1));
				assert_int_equal(
					((uint8_t *)objs[i])[sizes[k] - 1],
					(uint8_t)(i + 1));
			}
			t_check_cache(c);
			for (unsigned int i = 0; i < n; i++)
				kmem_cache_free(c, objs[i]);
			kmem_cache_destroy(c);
			slab_shrink_all();
			drain_local_pages();
			assert_int_equal(nr_free_pages(), start);
			assert_buddy_valid();
			assert_int_equal(slab_errors, 0);
		}
}

static void destroy_refuses_objects_in_use(void **state)
{
	static char buf[8192];
	struct kmem_cache *c;
	unsigned long start, active;
	void *p, *q;

	slab_boot_ok(mem16, 0, true);
	slab_shrink_all();
	drain_local_pages();
	start = nr_free_pages();
	active = slab_active_objects();
	c = kmem_cache_create("doomed", 40, 0, 0, NULL);
	assert_non_null(c);
	assert_int_equal(slab_active_objects(), active + 1);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	q = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_destroy(c);
	assert_string_equal(
		host_log_last(),
		"kmem_cache_destroy: doomed still has 2 objects in use");
	assert_int_equal(slab_errors, 1);
	slabinfo_show(buf, sizeof(buf));
	assert_non_null(strstr(buf, "\ndoomed "));
	/* refused, not broken: the cache still works */
	kmem_cache_free(c, p);
	assert_ptr_equal(kmem_cache_alloc(c, GFP_KERNEL), p);
	kmem_cache_free(c, p);
	kmem_cache_free(c, q);
	host_log_clear();
	kmem_cache_destroy(c);
	assert_string_equal(host_log(), "");
	assert_int_equal(slab_errors, 1);
	slabinfo_show(buf, sizeof(buf));
	assert_null(strstr(buf, "\ndoomed "));
	kmem_cache_destroy(NULL);
	assert_int_equal(slab_active_objects(), active);
	slab_shrink_all();
	drain_local_pages();
	assert_int_equal(nr_free_pages(), start);
}

static void reclaimable_slabs(void **state)
{
	struct kmem_cache *r, *u;
	const struct kmem_cache *both[2];
	unsigned long unreclaimable;

	slab_boot_ok(mem16, 0, true);
	assert_int_equal(slab_pages(true), 0);
	r = kmem_cache_create("dentry-like", 256, 0, SLAB_RECLAIM_ACCOUNT,
			      NULL);
	u = kmem_cache_create("task-like", 256, 0, 0, NULL);
	assert_non_null(r);
	assert_non_null(u);
	both[0] = r;
	both[1] = u;
	unreclaimable = slab_pages(false);

	for (unsigned int i = 0; i < 200; i++) {
		objs[i] = kmem_cache_alloc(r, GFP_KERNEL);
		objs[200 + i] = kmem_cache_alloc(u, GFP_KERNEL);
	}
	assert_int_equal(slab_pages(true), t_slabs(r) << r->order);
	assert_int_equal(slab_pages(false),
			 unreclaimable + (t_slabs(u) << u->order));
	/* each slab from a pageblock of its migrate type */
	for (int k = 0; k < 2; k++) {
		const struct list_head *lists[3] = { &both[k]->full,
						     &both[k]->partial,
						     &both[k]->empty };
		int want = k ? MIGRATE_UNMOVABLE : MIGRATE_RECLAIMABLE;

		for (int l = 0; l < 3; l++)
			for (const struct list_head *e = lists[l]->next;
			     e != lists[l]; e = e->next) {
				const struct page *slab =
					list_entry(e, struct page, lru);

				assert_int_equal(
					get_pageblock_mt(page_zone(slab),
							 page_to_pfn(slab)),
					want);
			}
	}
	for (unsigned int i = 0; i < 400; i++)
		kmem_cache_free(i < 200 ? r : u, objs[i]);
	kmem_cache_destroy(r);
	kmem_cache_destroy(u);
	assert_int_equal(slab_pages(true), 0);
	assert_buddy_valid();
}

/* Without slab_debug: the bare layout, and SLAB_DEBUG for one cache. */
static void layout_without_debug(void **state)
{
	struct kmem_cache *c, *ctor, *one;
	uint8_t *a, *b;

	slab_boot_ok(mem16, 0, false);
	c = kmem_cache_create("plain-24", 24, 0, 0, NULL);
	ctor = kmem_cache_create("plain-ctor", 24, 0, 0, nop_ctor);
	one = kmem_cache_create("one-debug", 24, 0, SLAB_DEBUG, NULL);
	assert_non_null(c);
	assert_non_null(ctor);
	assert_non_null(one);
	assert_int_equal(c->flags & SLAB_DEBUG, 0);
	assert_int_equal(c->red_left, 0);
	assert_int_equal(c->offset, 0);
	assert_int_equal(c->size, 24);
	assert_int_equal(ctor->offset, 24);
	assert_true(one->flags & SLAB_DEBUG);
	assert_int_equal(one->size, 64);
	/* slots side by side, nothing hidden between them: the magazine
	 * hands out the highest of 8 consecutive objects first */
	a = kmem_cache_alloc(c, GFP_KERNEL);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	assert_ptr_equal(b, a - 24);
	memset(b, 0xff, 48);
	kmem_cache_free(c, a);
	kmem_cache_free(c, b);
	/* the kmalloc classes too */
	a = kmalloc(64, GFP_KERNEL);
	assert_int_equal(((struct kmem_cache *)virt_to_page(a)->owner)->size,
			 64);
	kfree(a);
	/* the one debug cache still catches a double free */
	a = kmem_cache_alloc(one, GFP_KERNEL);
	kmem_cache_free(one, a);
	kmem_cache_free(one, a);
	assert_int_equal(slab_errors, 1);
	assert_logged("slab: double free");
	t_check_cache(c);
	t_check_cache(ctor);
	t_check_cache(one);
	kmem_cache_destroy(c);
	kmem_cache_destroy(ctor);
	kmem_cache_destroy(one);
}

static void bad_arguments(void **state)
{
	static const struct {
		const char *name;
		size_t size, align;
		const char *log;
	} cases[] = {
		{ "zero", 0, 0,
		  "kmem_cache_create: zero: bad size 0 or align 0" },
		{ "align3", 8, 3,
		  "kmem_cache_create: align3: bad size 8 or align 3" },
		{ "align8k", 8, 8192,
		  "kmem_cache_create: align8k: bad size 8 or align 8192" },
		{ "huge", (2UL << 20) + 1, 0,
		  "kmem_cache_create: huge: bad size 2097153 or align 0" },
		{ NULL, 8, 0,
		  "kmem_cache_create: (null): bad size 8 or align 0" },
	};
	unsigned long active;

	slab_boot_ok(mem16, 0, true);
	active = slab_active_objects();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_null(kmem_cache_create(cases[i].name, cases[i].size,
					      cases[i].align, 0, NULL));
		assert_string_equal(host_log_last(), cases[i].log);
		assert_int_equal(slab_active_objects(), active);
	}
	assert_int_equal(slab_errors, 0);
}

/* ---- /proc/slabinfo ---- */

static const char slabinfo_header[] =
	"slabinfo - version: 2.1\n"
	"# name            <active_objs> <num_objs> <objsize> <objperslab> "
	"<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
	"slabdata <active_slabs> <num_slabs> <sharedavail>\n";

/* The line of cache name in slabinfo (with its newline). */
static const char *slabinfo_line(const char *name, char *line, size_t size)
{
	static char buf[8192];
	char key[64];
	const char *p, *end;

	slabinfo_show(buf, sizeof(buf));
	snprintf(key, sizeof(key), "\n%s ", name);
	p = strstr(buf, key);
	if (!p)
		fail_msg("no %s in slabinfo:\n%s", name, buf);
	end = strchr(p + 1, '\n');
	snprintf(line, size, "%.*s", (int)(end - p), p + 1);
	return line;
}

static void slabinfo(void **state)
{
	static char buf[8192];
	char line[256];
	struct kmem_cache *c;
	void *s[6][4];
	unsigned int lines = 0;

	slab_boot_ok(mem16, 0, true);
	c = kmem_cache_create("info-984", 984, 0, 0, NULL);
	assert_non_null(c);
	slabinfo_show(buf, sizeof(buf));
	assert_memory_equal(buf, slabinfo_header, strlen(slabinfo_header));
	/* a line per cache: kmem_cache, 17 kmalloc classes, ours */
	for (const char *p = buf; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 2 + 1 + 17 + 1);
	assert_non_null(strstr(buf, "\nkmalloc-8 "));
	assert_non_null(strstr(buf, "\nkmalloc-128k "));
	/* the cache of caches: 18 in use */
	assert_int_equal(
		strtoul(slabinfo_line("kmem_cache", line, sizeof(line)) + 17,
			NULL, 10),
		18);
	assert_string_equal(
		slabinfo_line("info-984", line, sizeof(line)),
		"info-984               0      0   1024    4    1 : tunables   16    8    0 : slabdata      0      0      0\n");

	/* 10 out, 16 taken from slabs (two refills): four full slabs */
	for (int i = 0; i < 10; i++)
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
	assert_string_equal(
		slabinfo_line("info-984", line, sizeof(line)),
		"info-984              10     16   1024    4    1 : tunables   16    8    0 : slabdata      4      4      0\n");
	for (int i = 0; i < 10; i++)
		kmem_cache_free(c, objs[i]);
	assert_string_equal(
		slabinfo_line("info-984", line, sizeof(line)),
		"info-984               0     16   1024    4    1 : tunables   16    8    0 : slabdata      4      4      0\n");
	kmem_cache_shrink(c);

	/* 24 out (six full slabs), 17 freed slab by slab: the 17th free
	 * sends S0 and S1 back from the magazine, empty */
	for (int i = 0; i < 24; i++)
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
	qsort(objs, 24, sizeof(void *), by_address);
	memcpy(s, objs, sizeof(s));
	for (int i = 0; i < 17; i++)
		kmem_cache_free(c, s[i / 4][i % 4]);
	assert_lists(c, 4, 0, 2);
	assert_string_equal(
		slabinfo_line("info-984", line, sizeof(line)),
		"info-984               7     24   1024    4    1 : tunables   16    8    0 : slabdata      4      6      0\n");
	/* a partial slab counts as active */
	kmem_cache_shrink(c);
	assert_lists(c, 1, 1, 0);
	assert_string_equal(
		slabinfo_line("info-984", line, sizeof(line)),
		"info-984               7      8   1024    4    1 : tunables   16    8    0 : slabdata      2      2      0\n");
	for (int i = 17; i < 24; i++)
		kmem_cache_free(c, s[i / 4][i % 4]);
	kmem_cache_destroy(c);
	slabinfo_show(buf, sizeof(buf));
	assert_null(strstr(buf, "\ninfo-984 "));
	assert_int_equal(slab_errors, 0);
}

/* Any buffer size: a NUL-terminated prefix, its length returned. */
static void slabinfo_truncates(void **state)
{
	static char full[8192], buf[8192];
	size_t len;

	slab_boot_ok(mem16, 0, true);
	len = slabinfo_show(full, sizeof(full));
	assert_int_equal(len, strlen(full));
	assert_int_equal(slabinfo_show(buf, 0), 0);
	for (size_t size = 1; size <= len + 1; size++) {
		size_t got;

		memset(buf, 'x', sizeof(buf));
		got = slabinfo_show(buf, size);
		if (got != strlen(buf) || got >= size ||
		    got != (size <= len ? size - 1 : len) ||
		    memcmp(buf, full, got))
			fail_msg("size %zu: %zu bytes, \"%s\"", size, got, buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shrink_gives_pages_back),
		cmocka_unit_test(reclaim_shrinks_caches),
		cmocka_unit_test(slab_allocation_reclaims),
		cmocka_unit_test(shrinker_counts_magazines),
		cmocka_unit_test(big_objects_under_pressure),
		cmocka_unit_test(destroy_refuses_objects_in_use),
		cmocka_unit_test(reclaimable_slabs),
		cmocka_unit_test(layout_without_debug),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(slabinfo),
		cmocka_unit_test(slabinfo_truncates),
	};

	return cmocka_run_group_tests_name("slab_reclaim", tests, NULL, NULL);
}
