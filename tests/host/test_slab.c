// SPDX-License-Identifier: MIT
/*
 * tests/host/test_slab.c - object caches (alloc/slab.c) on a simulated
 * 16 or 64 MiB machine, debugging on (the default of the host tests) and,
 * where the layout differs, off: alignment and slab geometry, colouring,
 * constructors, the full/partial/empty lists, the magazines, shrinking by
 * hand and through the reclaim hook, destroying, reclaimable slabs, bad
 * arguments and /proc/slabinfo. Every cache is walked for its invariants
 * (slab_test.h) at each step that changes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/slab_test.h"

#define BASE 0x80000000UL

static const struct sim_mem mem16[] = { { BASE, 16 * MiB, 0 } };
static const struct sim_mem mem64[] = { { BASE, 64 * MiB, 0 } };

static void *objs[4096];

/* The smallest order wasting at most an eighth, else the smallest fit. */
static void assert_sensible_order(const struct kmem_cache *c)
{
	size_t slab = PAGE_SIZE << c->order;
	bool fits_eighth = (slab % c->size) * 8 <= slab;

	assert_true(c->order <= MAX_ORDER);
	assert_int_equal(c->objects, slab / c->size);
	for (unsigned int o = 0; o < c->order; o++) {
		size_t smaller = PAGE_SIZE << o;

		if (smaller >= c->size && fits_eighth)
			assert_true((smaller % c->size) * 8 > smaller);
	}
	if (!fits_eighth)
		for (unsigned int o = c->order + 1; o <= MAX_ORDER; o++)
			assert_true(((PAGE_SIZE << o) % c->size) * 8 >
				    PAGE_SIZE << o);
	if (c->order)
		assert_true(PAGE_SIZE << (c->order - 1) < c->size ||
			    fits_eighth);
}

/* Fill n objects of size bytes with their index, check none overlaps. */
static void fill(void **v, unsigned int n, size_t size)
{
	for (unsigned int i = 0; i < n; i++)
		memset(v[i], (int)(i * 7 + 1), size);
}

static void check_fill(void **v, unsigned int n, size_t size)
{
	for (unsigned int i = 0; i < n; i++)
		for (size_t b = 0; b < size; b++)
			if (((uint8_t *)v[i])[b] != (uint8_t)(i * 7 + 1))
				fail_msg(
					"object %u (%p) byte %zu: 0x%x, want 0x%x: objects overlap",
					i, v[i], b, ((uint8_t *)v[i])[b],
					(uint8_t)(i * 7 + 1));
}

/* ---- geometry ---- */

static void alignment_honoured(void **state)
{
	static const size_t aligns[] = { 0, 8, 16, 64, 4096 };
	static const size_t sizes[] = { 1, 8, 24, 100, 1000, 4096, 5000 };

	for (int debug = 1; debug >= 0; debug--) {
		slab_boot_ok(mem64, 0, debug);
		for (size_t a = 0; a < sizeof(aligns) / sizeof(aligns[0]); a++)
			for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]);
			     s++) {
				size_t want = aligns[a] < 8 ? 8 : aligns[a];
				struct kmem_cache *c = kmem_cache_create(
					"align", sizes[s], aligns[a], 0, NULL);
				unsigned int n;

				assert_non_null(c);
				assert_int_equal(c->align, want);
				assert_int_equal(c->size % want, 0);
				assert_int_equal(!!(c->flags & SLAB_DEBUG),
						 debug);
				/* room for the object, and debug's red zones */
				assert_true(c->size >=
					    sizes[s] + (debug ? want + 8 : 0));
				assert_sensible_order(c);
				n = 2 * c->objects + 1;
				if (n > 64)
					n = 64;
				for (unsigned int i = 0; i < n; i++) {
					objs[i] =
						kmem_cache_alloc(c, GFP_KERNEL);
					assert_non_null(objs[i]);
					if ((uintptr_t)objs[i] % want)
						fail_msg(
							"size %zu align %zu: object %p",
							sizes[s], want,
							objs[i]);
				}
				fill(objs, n, sizes[s]);
				t_check_cache(c);
				check_fill(objs, n, sizes[s]);
				for (unsigned int i = 0; i < n; i++)
					kmem_cache_free(c, objs[i]);
				assert_int_equal(t_active(c), 0);
				kmem_cache_destroy(c);
			}
		assert_buddy_valid();
		assert_int_equal(slab_errors, 0);
	}
}

static void hwcache_align(void **state)
{
	struct kmem_cache *c, *big;

	for (int debug = 1; debug >= 0; debug--) {
		slab_boot_ok(mem16, 0, debug);
		c = kmem_cache_create("hw-24", 24, 0, SLAB_HWCACHE_ALIGN, NULL);
		big = kmem_cache_create("hw-24-256", 24, 256,
					SLAB_HWCACHE_ALIGN, NULL);
		assert_non_null(c);
		assert_non_null(big);
		assert_int_equal(c->align, 64);
		assert_int_equal(big->align, 256); /* the larger of the two */
		if (!debug)
			assert_int_equal(c->size, 64); /* one per cache line */
		for (unsigned int i = 0; i < 40; i++) {
			objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
			objs[40 + i] = kmem_cache_alloc(big, GFP_KERNEL);
			assert_int_equal((uintptr_t)objs[i] % 64, 0);
			assert_int_equal((uintptr_t)objs[40 + i] % 256, 0);
		}
		t_check_cache(c);
		t_check_cache(big);
		for (unsigned int i = 0; i < 40; i++) {
			kmem_cache_free(c, objs[i]);
			kmem_cache_free(big, objs[40 + i]);
		}
		kmem_cache_destroy(c);
		kmem_cache_destroy(big);
		assert_int_equal(slab_errors, 0);
	}
}

static unsigned int ctor_calls;

static void nop_ctor(void *obj)
{
	(void)obj;
	ctor_calls++;
}

/* Slot size, pages per slab and objects per slab, worked out by hand. */
static void objects_per_slab(void **state)
{
	static const struct {
		size_t size, align;
		unsigned int flags;
		bool ctor, debug;
		unsigned int slot, order, objects, offset;
	} cases[] = {
		/* without debugging: the object, the free pointer inside */
		{ 8, 0, 0, false, false, 8, 0, 512, 0 },
		{ 4, 0, 0, false, false, 8, 0, 512,
		  0 }, /* room for the pointer */
		{ 24, 16, 0, false, false, 32, 0, 128, 0 },
		{ 64, 0, 0, false, false, 64, 0, 64, 0 },
		{ 96, 0, 0, false, false, 96, 0, 42, 0 }, /* 64 B left */
		{ 1000, 0, 0, false, false, 1000, 0, 4, 0 },
		{ 2000, 0, 0, false, false, 2000, 0, 2, 0 },
		/* 4 KiB: 1096 left (> 1/8), 8 KiB: 2192 (> 1/8), 16 KiB: 1384 */
		{ 3000, 0, 0, false, false, 3000, 2, 5, 0 },
		{ 4096, 0, 0, false, false, 4096, 0, 1, 0 },
		{ 5000, 0, 0, false, false, 5000, 2, 3, 0 },
		{ 131072, 0, 0, false, false, 131072, 5, 1, 0 },
		{ 2UL << 20, 0, 0, false, false, 2U << 20, 9, 1, 0 },
		/* a constructor keeps the free pointer out of the object */
		{ 24, 0, 0, true, false, 32, 0, 128, 24 },
		{ 20, 0, 0, true, false, 32, 0, 128, 24 },
		{ 24, 0, SLAB_HWCACHE_ALIGN, false, false, 64, 0, 64, 0 },
		/* debug: [8 red][24][8 red][pointer][16 track] */
		{ 24, 0, 0, false, true, 64, 0, 64, 32 },
		{ 1, 0, 0, false, true, 48, 0, 85, 16 },
		{ 984, 0, 0, false, true, 1024, 0, 4, 992 },
		/* [64 red][64][8 red][pointer][16 track] = 160, 64-aligned */
		{ 64, 64, 0, false, true, 192, 0, 21, 72 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kmem_cache *c;

		if (i == 0 || cases[i].debug != cases[i - 1].debug)
			slab_boot_ok(mem16, 0, cases[i].debug);
		c = kmem_cache_create("geometry", cases[i].size, cases[i].align,
				      cases[i].flags,
				      cases[i].ctor ? nop_ctor : NULL);
		assert_non_null(c);
		if (c->size != cases[i].slot || c->order != cases[i].order ||
		    c->objects != cases[i].objects ||
		    c->offset != cases[i].offset)
			fail_msg(
				"size %zu: slot %u order %u objects %u offset %u, want %u %u %u %u",
				cases[i].size, c->size, c->order, c->objects,
				c->offset, cases[i].slot, cases[i].order,
				cases[i].objects, cases[i].offset);
		assert_int_equal(c->red_left, cases[i].debug ? c->align : 0);
		assert_sensible_order(c);
		objs[0] = kmem_cache_alloc(c, GFP_KERNEL);
		assert_non_null(objs[0]);
		memset(objs[0], 0x33, cases[i].size);
		kmem_cache_free(c, objs[0]);
		kmem_cache_destroy(c);
		assert_int_equal(slab_errors, 0);
	}
}

/*
 * The slabs of a cache in the order they were made: after an allocation
 * that refilled the magazine, its entries are the objects taken from the
 * slabs in order, and the object returned the last of them.
 */
static unsigned int slabs_in_order(struct kmem_cache *c, unsigned int want,
				   struct page **order, unsigned int *nobjs)
{
	unsigned int n = 0;

	while (n < want) {
		struct array_cache *ac = &c->magazine[0];
		void *obj;

		assert_int_equal(ac->avail, 0); /* each allocation refills */
		obj = kmem_cache_alloc(c, GFP_KERNEL);
		assert_non_null(obj);
		objs[(*nobjs)++] = obj;
		for (unsigned int i = 0; i <= ac->avail; i++) {
			void *o = i < ac->avail ? ac->entry[i] : obj;
			struct page *slab = slab_head(c, o);

			if (!n || order[n - 1] != slab)
				order[n++] = slab;
		}
		/* the rest of the magazine: handed out, no new slab */
		while (ac->avail)
			objs[(*nobjs)++] = kmem_cache_alloc(c, GFP_KERNEL);
	}
	return n;
}

static void colouring(void **state)
{
	static const struct {
		size_t size, align;
		bool debug;
		unsigned int colours, step;
	} cases[] = {
		{ 1000, 0, false, 2,
		  64 }, /* 4 x 1000: 96 B left, offsets 0, 64 */
		{ 1000, 0, true, 15, 64 }, /* 8 KiB slabs, 7 x 1040: 912 left */
		{ 700, 128, false, 3,
		  128 }, /* 5 x 768: 256 left, steps of 128 */
		{ 3000, 0, false, 22,
		  64 }, /* 16 KiB slabs, 5 x 3000: 1384 left */
	};
	struct page *order[64];

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct kmem_cache *c;
		unsigned int n, nobjs = 0, colours;

		slab_boot_ok(mem16, 0, cases[k].debug);
		c = kmem_cache_create("colour", cases[k].size, cases[k].align,
				      0, NULL);
		assert_non_null(c);
		colours = (unsigned int)(((PAGE_SIZE << c->order) -
					  (size_t)c->objects * c->size) /
					 c->colour_step) +
			  1;
		assert_int_equal(c->colour_count, colours);
		assert_int_equal(c->colour_step, cases[k].step);
		assert_int_equal(c->colour_count, cases[k].colours);
		n = slabs_in_order(c, 2 * colours + 1, order, &nobjs);
		assert_true(n >= 2 * colours + 1);
		for (unsigned int i = 0; i < n; i++) {
			uint64_t want = (i % colours) * c->colour_step;

			if (order[i]->private != want)
				fail_msg(
					"slab %u of %s: colour %llu, want %llu",
					i, c->name,
					(unsigned long long)order[i]->private,
					(unsigned long long)want);
			/* successive slabs start at different offsets */
			if (colours > 1 && i)
				assert_true(order[i]->private !=
					    order[i - 1]->private);
		}
		assert_int_equal(c->colour_next, n % colours);
		/* the first object of each slab sits at its colour */
		for (unsigned int i = 0; i < nobjs; i++) {
			struct page *slab = slab_head(c, objs[i]);
			uintptr_t off = (uintptr_t)objs[i] -
					(uintptr_t)page_address(slab);

			assert_int_equal((off - slab->private - c->red_left) %
						 c->size,
					 0);
			assert_int_equal((uintptr_t)objs[i] % c->align, 0);
		}
		t_check_cache(c);
		for (unsigned int i = 0; i < nobjs; i++)
			kmem_cache_free(c, objs[i]);
		kmem_cache_destroy(c);
		assert_int_equal(slab_errors, 0);
	}
}

/* ---- constructors ---- */

#define THING_MAGIC 0xc0ffee11u

struct thing {
	uint32_t magic;
	uint32_t serial; /* which constructor call made it */
	uint32_t uses;	 /* the callers' state, kept across free/alloc */
	uint8_t pad[52];
};

static void thing_ctor(void *obj)
{
	struct thing *t = obj;

	t->magic = THING_MAGIC;
	t->serial = ++ctor_calls;
	t->uses = 0;
	memset(t->pad, 0x5a, sizeof(t->pad));
}

/* How often each object (by constructor serial) was handed out. */
static uint32_t uses_of[4096];

/* An object handed out: constructed, its state as its last user left it. */
static void use_thing(struct thing *t)
{
	if (t->magic != THING_MAGIC || t->serial == 0 ||
	    t->serial >= sizeof(uses_of) / sizeof(uses_of[0]) ||
	    t->uses != uses_of[t->serial])
		fail_msg("thing %p: magic 0x%x serial %u uses %u, want 0x%x %u",
			 (void *)t, t->magic, t->serial, t->uses, THING_MAGIC,
			 t->serial < 4096 ? uses_of[t->serial] : 0);
	for (size_t i = 0; i < sizeof(t->pad); i++)
		assert_int_equal(t->pad[i], 0x5a);
	t->uses = ++uses_of[t->serial];
}

static void constructor_once_per_object(void **state)
{
	const unsigned int n = 100;

	for (int debug = 1; debug >= 0; debug--) {
		struct kmem_cache *c;
		unsigned long slabs, calls;

		slab_boot_ok(mem16, 0, debug);
		c = kmem_cache_create("thing", sizeof(struct thing), 0, 0,
				      thing_ctor);
		assert_non_null(c);
		ctor_calls = 0;
		memset(uses_of, 0, sizeof(uses_of));
		for (unsigned int i = 0; i < n; i++) {
			objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
			assert_non_null(objs[i]);
			assert_int_equal(((struct thing *)objs[i])->uses, 0);
			use_thing(objs[i]);
		}
		/* every object of every slab, once, when the slab was made */
		slabs = t_slabs(c);
		assert_int_equal(ctor_calls, slabs * c->objects);
		t_check_cache(c);
		/* round trips: no constructor, the callers' state kept */
		for (int round = 1; round <= 3; round++) {
			for (unsigned int i = 0; i < n; i++)
				kmem_cache_free(c, objs[i]);
			t_check_cache(c);
			for (unsigned int i = 0; i < n; i++) {
				objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
				use_thing(objs[i]);
			}
			assert_int_equal(ctor_calls, slabs * c->objects);
			assert_int_equal(t_slabs(c), slabs);
		}
		/* a new slab is a new lifetime: constructed afresh */
		for (unsigned int i = 0; i < n; i++)
			kmem_cache_free(c, objs[i]);
		assert_int_equal(kmem_cache_shrink(c), slabs << c->order);
		calls = ctor_calls;
		objs[0] = kmem_cache_alloc(c, GFP_KERNEL);
		assert_true(((struct thing *)objs[0])->serial > calls);
		use_thing(objs[0]);
		assert_int_equal(ctor_calls, calls + t_slabs(c) * c->objects);
		kmem_cache_free(c, objs[0]);
		kmem_cache_destroy(c);
		assert_int_equal(slab_errors, 0);
	}
}

/* ---- lists and magazines ---- */

static void assert_lists(const struct kmem_cache *c, unsigned long full,
			 unsigned long partial, unsigned long empty)
{
	t_check_cache(c);
	if (c->nr_full != full || c->nr_partial != partial ||
	    c->nr_empty != empty)
		fail_msg("%s: full/partial/empty %lu/%lu/%lu, want %lu/%lu/%lu",
			 c->name, c->nr_full, c->nr_partial, c->nr_empty, full,
			 partial, empty);
}

static int by_address(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * 984-byte debug objects: 1024-byte slots, 4 to a page. Slabs S0..S7,
 * objects S[k][0..3]; the magazine holds 16 and moves 8 at a time.
 */
static void list_transitions(void **state)
{
	struct kmem_cache *c;
	void *s[8][4], *x;
	unsigned long free0;

	slab_boot_ok(mem16, 0, true);
	c = kmem_cache_create("lists", 984, 0, 0, NULL);
	assert_non_null(c);
	assert_int_equal(c->objects, 4);
	assert_int_equal(c->order, 0);
	assert_lists(c, 0, 0, 0);

	/* 32 objects, four refills of 8: eight full slabs, nothing left over */
	for (int i = 0; i < 32; i++)
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
	assert_lists(c, 8, 0, 0);
	assert_int_equal(c->magazine[0].avail, 0);
	assert_int_equal(t_active(c), 32);
	/* grouped by slab: sorted by address, slabs being whole pages */
	qsort(objs, 32, sizeof(void *), by_address);
	for (int k = 0; k < 8; k++)
		for (int j = 0; j < 4; j++) {
			s[k][j] = objs[k * 4 + j];
			assert_ptr_equal(slab_head(c, s[k][j]),
					 slab_head(c, s[k][0]));
		}

	/* frees go to the magazine: no list changes until it is full */
	for (int k = 0; k < 4; k++)
		for (int j = 0; j < 4; j++)
			kmem_cache_free(c, s[k][j]);
	assert_int_equal(c->magazine[0].avail, SLAB_MAGAZINE);
	assert_lists(c, 8, 0, 0);
	assert_int_equal(t_active(c), 16);

	/* one more: the 8 oldest (S0 and S1) go back, emptying two slabs */
	kmem_cache_free(c, s[4][0]);
	assert_int_equal(c->magazine[0].avail, SLAB_MAGAZINE / 2 + 1);
	assert_lists(c, 6, 0, 2);
	/* the hot object comes back first, touching no list */
	assert_ptr_equal(kmem_cache_alloc(c, GFP_KERNEL), s[4][0]);
	assert_lists(c, 6, 0, 2);
	kmem_cache_free(c, s[4][0]);

	/* shrink: the magazine back to the slabs (S2, S3 empty, S4 partial),
	 * then the four empty slabs back to the buddy allocator */
	drain_local_pages();
	free0 = nr_free_pages();
	assert_int_equal(kmem_cache_shrink(c), 4);
	assert_int_equal(nr_free_pages(), free0 + 4);
	assert_int_equal(c->magazine[0].avail, 0);
	assert_lists(c, 3, 1, 0);
	assert_int_equal(slab_head(c, s[4][1])->counters, 3);

	/* a refill takes the partial slab first (S4 full again), then new
	 * slabs: one full, one with 3 of its 4 handed out */
	x = kmem_cache_alloc(c, GFP_KERNEL);
	assert_lists(c, 5, 1, 0);
	assert_int_equal(slab_head(c, s[4][1])->counters, 4);
	assert_ptr_equal(c->magazine[0].entry[0], s[4][0]);
	assert_int_equal(c->magazine[0].avail, 7);

	/* everything back: all slabs empty, then gone */
	kmem_cache_free(c, x);
	for (int k = 4; k < 8; k++)
		for (int j = k == 4 ? 1 : 0; j < 4; j++)
			kmem_cache_free(c, s[k][j]);
	assert_int_equal(t_active(c), 0);
	assert_int_equal(kmem_cache_shrink(c), 6);
	assert_lists(c, 0, 0, 0);
	kmem_cache_destroy(c);
	assert_int_equal(slab_errors, 0);
	assert_buddy_valid();
}

static void magazine_keeps_hot_objects(void **state)
{
	struct kmem_cache *c;
	unsigned long active;
	void *a, *b, *x, *y;

	slab_boot_ok(mem16, 0, true);
	c = kmem_cache_create("hot", 128, 0, 0, NULL);
	assert_non_null(c);
	active = slab_active_objects();
	a = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(c->magazine[0].avail, SLAB_MAGAZINE / 2 - 1);
	assert_int_equal(slab_active_objects(), active + 1);
	kmem_cache_free(c, a);
	/* in the magazine: still in use in its slab, not active */
	assert_int_equal(c->magazine[0].avail, SLAB_MAGAZINE / 2);
	assert_int_equal(slab_active_objects(), active);
	assert_int_equal(slab_head(c, a)->counters, SLAB_MAGAZINE / 2);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	assert_ptr_equal(b, a);
	/* last in, first out */
	x = kmem_cache_alloc(c, GFP_KERNEL);
	y = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, x);
	kmem_cache_free(c, y);
	assert_ptr_equal(kmem_cache_alloc(c, GFP_KERNEL), y);
	assert_ptr_equal(kmem_cache_alloc(c, GFP_KERNEL), x);
	/* interrupts were off inside and are back on */
	assert_true(host_irq_enabled);
	kmem_cache_free(c, a);
	kmem_cache_free(c, x);
	kmem_cache_free(c, y);
	t_check_cache(c);
	assert_int_equal(slab_active_objects(), active);
	kmem_cache_destroy(c);
	assert_int_equal(slab_errors, 0);
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
 * may reclaim runs the reclaim hook, the slab shrinker, and succeeds on
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
 * Objects of a megabyte or two, taken until memory runs out: each new slab
 * runs the reclaim hook, which shrinks this very cache while a refill is
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
		cmocka_unit_test(alignment_honoured),
		cmocka_unit_test(hwcache_align),
		cmocka_unit_test(objects_per_slab),
		cmocka_unit_test(colouring),
		cmocka_unit_test(constructor_once_per_object),
		cmocka_unit_test(list_transitions),
		cmocka_unit_test(magazine_keeps_hot_objects),
		cmocka_unit_test(shrink_gives_pages_back),
		cmocka_unit_test(reclaim_shrinks_caches),
		cmocka_unit_test(slab_allocation_reclaims),
		cmocka_unit_test(big_objects_under_pressure),
		cmocka_unit_test(destroy_refuses_objects_in_use),
		cmocka_unit_test(reclaimable_slabs),
		cmocka_unit_test(layout_without_debug),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(slabinfo),
		cmocka_unit_test(slabinfo_truncates),
	};

	return cmocka_run_group_tests_name("slab", tests, NULL, NULL);
}
