// SPDX-License-Identifier: MIT
/*
 * tests/host/test_kmalloc.c - kmalloc and friends (alloc/kmalloc.c) and
 * mempool (alloc/mempool.c) on a simulated machine, debugging on and off:
 * every size class boundary, ksize, the buddy path above 128 KiB, the
 * no-op pointers, overflow, zeroing of recycled objects, krealloc in all
 * directions; a mempool's reserve under memory pressure, for a plain, a
 * slab and a kmalloc pool.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/slab_test.h"

#define BASE 0x80000000UL

static const struct sim_mem mem16[] = { { BASE, 16 * MiB, 0 } };
static const struct sim_mem mem64[] = { { BASE, 64 * MiB, 0 } };

static const unsigned int classes[] = { 8,    16,    32,    64,	   96,	  128,
					192,  256,   512,   1024,  2048,  4096,
					8192, 16384, 32768, 65536, 131072 };
#define NR_CLASSES (sizeof(classes) / sizeof(classes[0]))

static unsigned long start_free, start_active;

static void boot(const struct sim_mem *mem, unsigned int n, bool debug)
{
	int err;

	machine_reset();
	if ((err = machine_add(mem, n)) || (err = machine_start(0)))
		fail_msg("machine: %d", err);
	machine_slab_init(debug);
	slab_shrink_all();
	drain_local_pages();
	start_free = nr_free_pages();
	start_active = slab_active_objects();
}

/* Every object back, every page back. */
static void assert_all_back(void)
{
	slab_shrink_all();
	drain_local_pages();
	assert_int_equal(slab_active_objects(), start_active);
	assert_int_equal(nr_free_pages(), start_free);
	assert_buddy_valid();
}

static unsigned int class_of(size_t size)
{
	for (unsigned int i = 0; i < NR_CLASSES; i++)
		if (classes[i] >= size)
			return classes[i];
	return 0;
}

static const char *cache_name(const void *p)
{
	const struct page *page = virt_to_page(p);

	return page->flags & PG_slab
		       ? ((const struct kmem_cache *)page->owner)->name
		       : "(pages)";
}

/* ---- size classes ---- */

static void check_size(size_t size)
{
	unsigned int want = class_of(size);
	uint8_t *p = kmalloc(size, GFP_KERNEL);
	char name[32];

	if (!p)
		fail_msg("kmalloc(%zu) failed", size);
	if (ksize(p) != want)
		fail_msg("ksize(kmalloc(%zu)) = %zu, want %u", size, ksize(p),
			 want);
	if (want < 1024)
		snprintf(name, sizeof(name), "kmalloc-%u", want);
	else
		snprintf(name, sizeof(name), "kmalloc-%uk", want >> 10);
	if (strcmp(cache_name(p), name))
		fail_msg("kmalloc(%zu) from %s, want %s", size, cache_name(p),
			 name);
	memset(p, 0x5c, size);
	kfree(p);
}

static void every_size_class(void **state)
{
	for (int debug = 1; debug >= 0; debug--) {
		boot(mem64, 1, debug);
		/* every size up to 4 KiB, then each boundary: n, n + 1 */
		for (size_t size = 1; size <= 4096; size++)
			check_size(size);
		for (unsigned int i = 11; i < NR_CLASSES; i++) {
			check_size(classes[i]);
			if (i + 1 < NR_CLASSES)
				check_size(classes[i] + 1);
		}
		assert_int_equal(slab_errors, 0);
		assert_all_back();
	}
}

/* Without debugging, a power-of-two class is aligned to its size. */
static void natural_alignment(void **state)
{
	boot(mem64, 1, false);
	for (unsigned int i = 0; i < NR_CLASSES; i++) {
		void *p[3];
		size_t align = classes[i] & (classes[i] - 1) ? 8 : classes[i];

		for (int k = 0; k < 3; k++) {
			p[k] = kmalloc(classes[i], GFP_KERNEL);
			if ((uintptr_t)p[k] % align)
				fail_msg("kmalloc(%u) = %p", classes[i], p[k]);
		}
		for (int k = 0; k < 3; k++)
			kfree(p[k]);
	}
	assert_all_back();
}

/* Past 128 KiB: whole pages, freed by kfree through their struct page. */
static void large_allocations(void **state)
{
	static const struct {
		size_t size;
		unsigned int order;
	} cases[] = {
		{ 131073, 6 },	      { 200 * KiB, 6 }, { 256 * KiB, 6 },
		{ 256 * KiB + 1, 7 }, { 4 * MiB, 10 },
	};

	for (int debug = 1; debug >= 0; debug--) {
		boot(mem64, 1, debug);
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			uint8_t *p = kmalloc(cases[i].size, GFP_KERNEL);
			struct page *page;

			assert_non_null(p);
			page = virt_to_page(p);
			assert_ptr_equal(p, page_address(page));
			assert_int_equal(page->flags & PG_slab, 0);
			assert_int_equal(page->refcount, 1);
			assert_int_equal(page->order, cases[i].order);
			assert_int_equal(ksize(p), PAGE_SIZE << cases[i].order);
			assert_string_equal(cache_name(p), "(pages)");
			assert_int_equal(nr_free_pages(),
					 start_free - (1UL << cases[i].order));
			memset(p, 0xff, cases[i].size);
			kfree(p);
			assert_int_equal(nr_free_pages(), start_free);
		}
		assert_null(kmalloc(4 * MiB + 1, GFP_KERNEL));
		assert_null(kmalloc(SIZE_MAX, GFP_KERNEL));
		/* dirty pages come back zeroed from kzalloc */
		for (int k = 0; k < 2; k++) {
			uint8_t *p = k ? kzalloc(300 * KiB, GFP_KERNEL)
				       : kmalloc(300 * KiB, GFP_KERNEL);

			assert_non_null(p);
			for (size_t b = 0; k && b < 300 * KiB; b++)
				if (p[b])
					fail_msg("kzalloc: byte %zu is 0x%x", b,
						 p[b]);
			memset(p, 0xee, 300 * KiB);
			kfree(p);
		}
		assert_int_equal(slab_errors, 0);
		assert_int_equal(alloc_misuse, 0);
		assert_all_back();
	}
}

/* kfree of something kmalloc did not return: reported, refused. */
static void kfree_of_a_bad_pointer(void **state)
{
	uint8_t *p;
	char want[128];

	boot(mem16, 1, true);
	p = kmalloc(200 * KiB, GFP_KERNEL);
	kfree(p + 100);
	snprintf(want, sizeof(want),
		 "kfree: 0x%lx is neither a slab object nor the start of pages",
		 (unsigned long)(uintptr_t)(p + 100));
	assert_string_equal(host_log_last(), want);
	assert_int_equal(slab_errors, 1);
	assert_int_equal(nr_free_pages(), start_free - 64);
	/* a page inside the block: free_pages refuses it */
	kfree(p + PAGE_SIZE);
	assert_int_equal(alloc_misuse, 1);
	assert_int_equal(nr_free_pages(), start_free - 64);
	kfree(p);
	assert_all_back();
}

static void null_and_zero_size(void **state)
{
	boot(mem16, 1, true);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	assert_ptr_equal(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_ptr_equal(kzalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_ptr_equal(kcalloc(0, 8, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_ptr_equal(kmalloc_array(8, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_int_equal(ksize(NULL), 0);
	assert_int_equal(ksize(ZERO_SIZE_PTR), 0);
	assert_string_equal(host_log(), "");
	assert_int_equal(slab_errors, 0);
	assert_all_back();
}

static void array_overflow(void **state)
{
	uint8_t *p, *q;

	for (int debug = 1; debug >= 0; debug--) {
		boot(mem16, 1, debug);
		assert_null(kmalloc_array(SIZE_MAX / 2 + 1, 2, GFP_KERNEL));
		assert_null(kmalloc_array(1UL << 32, 1UL << 32, GFP_KERNEL));
		assert_null(kmalloc_array(3, SIZE_MAX / 3 + 1, GFP_KERNEL));
		assert_null(kcalloc(SIZE_MAX, SIZE_MAX, GFP_KERNEL));
		assert_null(kcalloc(2, SIZE_MAX / 2 + 1, GFP_KERNEL));
		/* no overflow, but more than the largest block */
		assert_null(kmalloc_array(1 << 20, 8, GFP_KERNEL));
		/* an object dirtied, freed, and handed out again by kcalloc */
		p = kmalloc_array(10, 24, GFP_KERNEL);
		assert_int_equal(ksize(p), 256);
		memset(p, 0xff, 240);
		kfree(p);
		q = kcalloc(10, 24, GFP_KERNEL);
		assert_ptr_equal(q, p); /* the hot object */
		for (size_t b = 0; b < ksize(q); b++)
			assert_int_equal(q[b], 0);
		kfree(q);
		assert_int_equal(slab_errors, 0);
		assert_all_back();
	}
}

static void kzalloc_zeroes_a_recycled_object(void **state)
{
	for (int debug = 1; debug >= 0; debug--) {
		uint8_t *p, *q;

		boot(mem16, 1, debug);
		p = kmalloc(100, GFP_KERNEL);
		memset(p, 0xff, 100);
		kfree(p);
		q = kzalloc(100, GFP_KERNEL);
		assert_ptr_equal(q, p);
		for (size_t b = 0; b < ksize(q); b++)
			assert_int_equal(q[b], 0);
		kfree(q);
		assert_int_equal(slab_errors, 0);
		assert_all_back();
	}
}

static void fill_pattern(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 13);
}

static void check_pattern(const uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)(seed + i * 13))
			fail_msg("byte %zu of %p: 0x%x, want 0x%x", i,
				 (const void *)p, p[i],
				 (uint8_t)(seed + i * 13));
}

static void krealloc_every_way(void **state)
{
	for (int debug = 1; debug >= 0; debug--) {
		uint8_t *p, *q, *big, *r;

		boot(mem16, 1, debug);
		/* from NULL: kmalloc */
		p = krealloc(NULL, 50, GFP_KERNEL);
		assert_non_null(p);
		assert_int_equal(ksize(p), 64);
		fill_pattern(p, 50, 1);
		/* fits the class: in place, growing or shrinking */
		assert_ptr_equal(krealloc(p, 64, GFP_KERNEL), p);
		assert_ptr_equal(krealloc(p, 10, GFP_KERNEL), p);
		check_pattern(p, 50, 1);
		/* grows: moved, the contents with it, the old object freed */
		q = krealloc(p, 100, GFP_KERNEL);
		assert_ptr_not_equal(q, p);
		assert_int_equal(ksize(q), 128);
		check_pattern(q, 50, 1);
		if (debug) {
			const struct kmem_cache *k64 =
				(struct kmem_cache *)virt_to_page(p)->owner;

			assert_int_equal(t_track_of(k64, p)->state, T_OBJ_FREE);
		} else {
			assert_ptr_equal(kmalloc(64, GFP_KERNEL), p); /* hot */
			kfree(p);
		}
		fill_pattern(q, 128, 2);
		/* past the classes: pages */
		big = krealloc(q, 200 * KiB, GFP_KERNEL);
		assert_int_equal(ksize(big), 256 * KiB);
		check_pattern(big, 128, 2);
		fill_pattern(big, 200 * KiB, 3);
		/* smaller, but still fits: kept */
		assert_ptr_equal(krealloc(big, 100 * KiB, GFP_KERNEL), big);
		/* too large: NULL, the old block untouched and still owned */
		assert_null(krealloc(big, 5 * MiB, GFP_KERNEL));
		check_pattern(big, 200 * KiB, 3);
		/* pages back to a small object */
		r = krealloc(big, 0, GFP_KERNEL);
		assert_ptr_equal(r, ZERO_SIZE_PTR);
		/* from ZERO_SIZE_PTR */
		r = krealloc(ZERO_SIZE_PTR, 8, GFP_KERNEL);
		assert_non_null(r);
		assert_int_equal(ksize(r), 8);
		assert_ptr_equal(krealloc(r, 0, GFP_KERNEL), ZERO_SIZE_PTR);
		assert_ptr_equal(krealloc(ZERO_SIZE_PTR, 0, GFP_KERNEL),
				 ZERO_SIZE_PTR);
		assert_ptr_equal(krealloc(NULL, 0, GFP_KERNEL), ZERO_SIZE_PTR);
		assert_int_equal(slab_errors, 0);
		assert_all_back();
	}
}

/* ---- mempool ---- */

static struct {
	bool fail;
	unsigned int fail_after; /* allocations before failing, 0: never */
	unsigned int allocs, frees;
	gfp_t last_gfp;
} pa;

static void *counting_alloc(gfp_t gfp, void *data)
{
	pa.last_gfp = gfp;
	if (pa.fail || (pa.fail_after && pa.allocs >= pa.fail_after))
		return NULL;
	pa.allocs++;
	return kmalloc((size_t)(uintptr_t)data, gfp);
}

static void counting_free(void *e, void *data)
{
	(void)data;
	pa.frees++;
	kfree(e);
}

static void mempool_reserve(void **state)
{
	struct mempool *pool;
	void *e[5];

	boot(mem16, 1, true);
	memset(&pa, 0, sizeof(pa));
	pool = mempool_create(3, counting_alloc, counting_free, (void *)100);
	assert_non_null(pool);
	assert_int_equal(pool->nr, 3);
	assert_int_equal(pa.allocs, 3);
	/* the allocator first, while it works */
	e[0] = mempool_alloc(pool, GFP_KERNEL);
	assert_non_null(e[0]);
	assert_int_equal(pa.allocs, 4);
	assert_int_equal(pool->nr, 3);
	assert_true(pa.last_gfp & __GFP_NOWARN);
	/* then the reserve, then nothing */
	pa.fail = true;
	for (int i = 1; i <= 3; i++) {
		e[i] = mempool_alloc(pool, GFP_KERNEL);
		assert_non_null(e[i]);
		assert_int_equal(pool->nr, 3 - i);
	}
	assert_null(mempool_alloc(pool, GFP_KERNEL));
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < i; j++)
			assert_ptr_not_equal(e[i], e[j]);
	/* frees refill the reserve before anything goes back */
	for (int i = 0; i < 3; i++) {
		mempool_free(e[i], pool);
		assert_int_equal(pool->nr, i + 1);
		assert_int_equal(pa.frees, 0);
	}
	mempool_free(e[3], pool);
	assert_int_equal(pool->nr, 3);
	assert_int_equal(pa.frees, 1);
	mempool_free(NULL, pool);
	assert_int_equal(pa.frees, 1);
	/* destroy: the reserve goes back */
	mempool_destroy(pool);
	assert_int_equal(pa.frees, 4);
	mempool_destroy(NULL);
	assert_int_equal(slab_errors, 0);
	assert_all_back();
}

static void mempool_create_failures(void **state)
{
	boot(mem16, 1, true);
	memset(&pa, 0, sizeof(pa));
	assert_null(mempool_create(0, counting_alloc, counting_free, NULL));
	assert_null(mempool_create(-1, counting_alloc, counting_free, NULL));
	assert_null(mempool_create(2, NULL, counting_free, NULL));
	assert_null(mempool_create(2, counting_alloc, NULL, NULL));
	assert_int_equal(pa.allocs, 0);
	/* the allocator gives 2 of 5: nothing kept */
	pa.fail_after = 2;
	assert_null(
		mempool_create(5, counting_alloc, counting_free, (void *)64));
	assert_int_equal(pa.allocs, 2);
	assert_int_equal(pa.frees, 2);
	assert_all_back();
}

/* Every page taken (no reclaim); onto list. */
static void exhaust(struct list_head *list)
{
	struct page *page;

	while ((page = alloc_pages(__GFP_HIGH | __GFP_NOWARN, 0)))
		list_add(&page->lru, list);
}

static void give_back(struct list_head *list)
{
	while (!list_empty(list)) {
		struct page *page = list_first_entry(list, struct page, lru);

		list_del(&page->lru);
		free_pages(page, 0);
	}
}

/*
 * A slab pool under memory pressure: the cache hands out what it has, then
 * the reserve serves, and NULL comes only when both are empty.
 */
static void mempool_slab_pool(void **state)
{
	static void *e[4096];
	struct kmem_cache *c;
	struct mempool *pool;
	struct list_head held;
	unsigned int n = 0, from_cache = 0, from_reserve = 0;

	boot(mem16, 1, true);
	list_init(&held);
	c = kmem_cache_create("pooled", 512, 0, 0, NULL);
	assert_non_null(c);
	pool = mempool_create_slab_pool(4, c);
	assert_non_null(pool);
	assert_int_equal(t_active(c), 4);
	exhaust(&held);
	while ((e[n] = mempool_alloc(pool, GFP_ATOMIC))) {
		if (pool->nr == 4) {
			assert_int_equal(from_reserve, 0);
			from_cache++;
		} else {
			assert_int_equal(pool->nr, 4 - ++from_reserve);
		}
		assert_true(++n < 4096);
	}
	/* all of the cache's free objects, then the whole reserve */
	assert_int_equal(pool->nr, 0);
	assert_int_equal(n, from_cache + 4);
	assert_true(from_cache > 0);
	assert_null(kmem_cache_alloc(c, GFP_ATOMIC | __GFP_NOWARN));
	assert_int_equal(t_active(c), n);
	t_check_cache(c);
	for (unsigned int i = 0; i < n; i++) {
		mempool_free(e[i], pool);
		assert_int_equal(pool->nr, i < 4 ? (int)i + 1 : 4);
	}
	assert_int_equal(t_active(c), 4);
	mempool_destroy(pool);
	assert_int_equal(t_active(c), 0);
	give_back(&held);
	kmem_cache_destroy(c);
	assert_int_equal(slab_errors, 0);
	assert_all_back();
}

/* A kmalloc pool of blocks past the classes: the reserve is pages. */
static void mempool_kmalloc_pool(void **state)
{
	struct mempool *pool;
	struct list_head held;
	void *a, *b;

	boot(mem16, 1, true);
	list_init(&held);
	pool = mempool_create_kmalloc_pool(2, 300 * KiB);
	assert_non_null(pool);
	assert_true(nr_free_pages() <= start_free - 2 * 128);
	exhaust(&held);
	a = mempool_alloc(pool, GFP_ATOMIC);
	b = mempool_alloc(pool, GFP_ATOMIC);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(ksize(a), 512 * KiB);
	assert_int_equal(pool->nr, 0);
	assert_null(mempool_alloc(pool, GFP_ATOMIC));
	memset(a, 1, 300 * KiB);
	memset(b, 2, 300 * KiB);
	mempool_free(a, pool);
	mempool_free(b, pool);
	assert_int_equal(pool->nr, 2);
	give_back(&held);
	mempool_destroy(pool);
	assert_int_equal(slab_errors, 0);
	assert_all_back();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_size_class),
		cmocka_unit_test(natural_alignment),
		cmocka_unit_test(large_allocations),
		cmocka_unit_test(kfree_of_a_bad_pointer),
		cmocka_unit_test(null_and_zero_size),
		cmocka_unit_test(array_overflow),
		cmocka_unit_test(kzalloc_zeroes_a_recycled_object),
		cmocka_unit_test(krealloc_every_way),
		cmocka_unit_test(mempool_reserve),
		cmocka_unit_test(mempool_create_failures),
		cmocka_unit_test(mempool_slab_pool),
		cmocka_unit_test(mempool_kmalloc_pool),
	};

	return cmocka_run_group_tests_name("kmalloc", tests, NULL, NULL);
}
