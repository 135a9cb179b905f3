// SPDX-License-Identifier: MIT
/*
 * tests/host/test_slab.c - object caches (alloc/slab.c) on a simulated
 * 16 or 64 MiB machine, debugging on (the default of the host tests) and,
 * where the layout differs, off: alignment and slab geometry, colouring,
 * constructors, the full/partial/empty lists and the magazines. Shrinking,
 * reclaim, destroying and /proc/slabinfo are in test_slab_reclaim.c. Every
 * cache is walked for its invariants (slab_test.h) at each step that
 * changes it.
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
	};

	return cmocka_run_group_tests_name("slab", tests, NULL, NULL);
}
