// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_slab.c - object caches, kmalloc and mempool on the live
 * allocator, the debug reports (text checked), and a final check that no
 * object and no page is left behind.
 */
#include <string.h>

#include "alloc/alloc.h"
#include "tests/kernel/ktest.h"

#define N 300

static void *objs[N];
static unsigned int ctor_calls;

static void count_ctor(void *obj)
{
	ctor_calls++;
	memset(obj, 0x5a, 40);
}

static unsigned long free_before, active_before;

static void snapshot(void)
{
	slab_shrink_all();
	drain_local_pages();
	free_before = nr_free_pages();
	active_before = slab_active_objects();
}

/* Everything given back: slab objects, then pages. */
static void expect_no_leak(struct ktest *t)
{
	slab_shrink_all();
	drain_local_pages();
	EXPECT_EQ(t, slab_active_objects(), active_before);
	EXPECT_EQ(t, nr_free_pages(), free_before);
	EXPECT_TRUE(t, buddy_is_valid());
}

static void cache_alloc_free(struct ktest *t)
{
	struct kmem_cache *c;

	snapshot();
	c = kmem_cache_create("ktest-48", 48, 16, 0, NULL);
	ASSERT_TRUE(t, c != NULL);
	for (int i = 0; i < N; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		ASSERT_TRUE(t, objs[i] != NULL);
		EXPECT_EQ(t, (uintptr_t)objs[i] % 16, 0);
		memset(objs[i], i & 0xff, 48);
	}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < 48; j++)
			if (((uint8_t *)objs[i])[j] != (i & 0xff)) {
				EXPECT_TRUE(t, !"objects overlap");
				i = N;
				break;
			}
	/* the N objects, and the struct kmem_cache of c itself */
	EXPECT_EQ(t, slab_active_objects(), active_before + N + 1);
	for (int i = 0; i < N; i++)
		kmem_cache_free(c, objs[i]);
	kmem_cache_destroy(c);
	expect_no_leak(t);
}

static void constructor_runs_once_per_object(struct ktest *t)
{
	struct kmem_cache *c;
	unsigned int after_first;
	void *a;

	snapshot();
	c = kmem_cache_create("ktest-ctor", 40, 0, 0, count_ctor);
	ASSERT_TRUE(t, c != NULL);
	ctor_calls = 0;
	a = kmem_cache_alloc(c, GFP_KERNEL);
	ASSERT_TRUE(t, a != NULL);
	after_first = ctor_calls; /* the whole first slab was constructed */
	EXPECT_TRUE(t, after_first >= 1);
	EXPECT_EQ(t, ((uint8_t *)a)[39], 0x5a);
	((uint8_t *)a)[0] = 0x5a; /* the caller returns it constructed */
	kmem_cache_free(c, a);
	for (int i = 0; i < 10; i++) {
		a = kmem_cache_alloc(c, GFP_KERNEL);
		EXPECT_EQ(t, ((uint8_t *)a)[39], 0x5a);
		kmem_cache_free(c, a);
	}
	EXPECT_EQ(t, ctor_calls, after_first);
	kmem_cache_destroy(c);
	expect_no_leak(t);
}

static void slabs_are_coloured(struct ktest *t)
{
	struct kmem_cache *c;
	uintptr_t offsets[4];

	snapshot();
	/* 1000-byte objects: 4 per page, 96 bytes left over for colour */
	c = kmem_cache_create("ktest-colour", 1000, 8, 0, NULL);
	ASSERT_TRUE(t, c != NULL);
	for (int s = 0; s < 4; s++) {
		for (int i = 0; i < 4; i++)
			objs[s * 4 + i] = kmem_cache_alloc(c, GFP_KERNEL);
		offsets[s] = (uintptr_t)objs[s * 4] & (PAGE_SIZE - 1);
	}
	EXPECT_TRUE(t, offsets[0] != offsets[1]); /* successive slabs differ */
	for (int i = 0; i < 16; i++)
		kmem_cache_free(c, objs[i]);
	kmem_cache_destroy(c);
	expect_no_leak(t);
}

static void kmalloc_classes(struct ktest *t)
{
	static const size_t sizes[] = { 1,    8,     9,	     64,     65,
					96,   97,    192,    200,    4096,
					5000, 65536, 131072, 131073, 1 << 20 };
	void *p9;

	snapshot();
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *p = kmalloc(sizes[i], GFP_KERNEL);

		ASSERT_TRUE(t, p != NULL);
		EXPECT_TRUE(t, ksize(p) >= sizes[i]);
		memset(p, 0xee, sizes[i]);
		kfree(p);
	}
	p9 = kmalloc(9, GFP_KERNEL);
	EXPECT_EQ(t, ksize(p9), 16);
	kfree(p9);
	EXPECT_TRUE(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	EXPECT_TRUE(t, kmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL) == NULL);
	expect_no_leak(t);
}

static void kzalloc_and_krealloc(struct ktest *t)
{
	uint8_t *p, *q;
	int zero = 1;

	snapshot();
	p = kmalloc(100, GFP_KERNEL);
	memset(p, 0xff, 100);
	kfree(p);
	p = kzalloc(100, GFP_KERNEL); /* likely the same object */
	for (int i = 0; i < 100; i++)
		zero &= p[i] == 0;
	EXPECT_TRUE(t, zero);
	memset(p, 7, 100);
	q = krealloc(p, 5000, GFP_KERNEL);
	ASSERT_TRUE(t, q != NULL);
	EXPECT_EQ(t, q[99], 7);
	EXPECT_TRUE(t, ksize(q) >= 5000);
	EXPECT_TRUE(t, krealloc(q, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	expect_no_leak(t);
}

static int fail_next;

static void *flaky_alloc(gfp_t gfp, void *data)
{
	if (fail_next)
		return NULL;
	return kmalloc((size_t)(uintptr_t)data, gfp);
}

static void plain_free(void *e, void *data)
{
	(void)data;
	kfree(e);
}

static void mempool_keeps_its_reserve(struct ktest *t)
{
	struct mempool *pool;
	void *e[4];

	snapshot();
	pool = mempool_create(3, flaky_alloc, plain_free, (void *)64);
	ASSERT_TRUE(t, pool != NULL);
	fail_next = 1; /* the allocator fails: the reserve serves */
	for (int i = 0; i < 3; i++)
		EXPECT_TRUE(t,
			    (e[i] = mempool_alloc(pool, GFP_KERNEL)) != NULL);
	EXPECT_TRUE(t, mempool_alloc(pool, GFP_KERNEL) == NULL);
	for (int i = 0; i < 3; i++)
		mempool_free(e[i], pool);
	EXPECT_EQ(t, pool->nr, 3); /* refilled before anything is freed */
	fail_next = 0;
	e[3] = mempool_alloc(pool, GFP_KERNEL);
	EXPECT_EQ(t, pool->nr, 3); /* came from the allocator */
	mempool_free(e[3], pool);
	mempool_destroy(pool);
	expect_no_leak(t);
}

/* Each debug report: provoke it, check the words and that it was refused. */
static void debug_reports(struct ktest *t)
{
	struct kmem_cache *c, *other;
	unsigned long errors = slab_errors;
	const char *out;
	uint8_t *p, *q;

	snapshot();
	c = kmem_cache_create("ktest-debug", 24, 0, SLAB_DEBUG, NULL);
	other = kmem_cache_create("ktest-other", 24, 0, SLAB_DEBUG, NULL);
	ASSERT_TRUE(t, c && other);

	p = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, p);
	ktest_capture_start();
	kmem_cache_free(c, p);
	out = ktest_capture_stop();
	EXPECT_TRUE(t, strstr(out, "slab: double free") != NULL);
	EXPECT_TRUE(t, strstr(out, "cache ktest-debug") != NULL);
	EXPECT_TRUE(t, strstr(out, "caller debug_reports+") != NULL);

	p = kmem_cache_alloc(c, GFP_KERNEL);
	ktest_capture_start();
	kmem_cache_free(other, p);
	out = ktest_capture_stop();
	EXPECT_TRUE(
		t,
		strstr(out, "wrong cache: the object belongs to ktest-debug") !=
			NULL);

	p[24] = 1; /* one byte past the end */
	ktest_capture_start();
	kmem_cache_free(c, p);
	out = ktest_capture_stop();
	EXPECT_TRUE(
		t,
		strstr(out,
		       "red zone overwritten at offset 24 (after the object)") !=
			NULL);

	q = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, q);
	q[3] = 0; /* write after free */
	ktest_capture_start();
	/* the magazine hands q out again: the poison check catches it */
	p = kmem_cache_alloc(c, GFP_KERNEL);
	out = ktest_capture_stop();
	EXPECT_TRUE(
		t,
		strstr(out, "use after free: poison overwritten at offset 3") !=
			NULL);
	EXPECT_TRUE(t, p != q);
	EXPECT_EQ(t, slab_errors, errors + 4);
	kmem_cache_free(c, p);
	(void)kmem_cache_shrink(c);
	/* the damaged objects stay out of circulation: c cannot be destroyed */
	EXPECT_TRUE(t, slab_active_objects() > active_before);
	kmem_cache_destroy(other);
}

static unsigned long suite_free, suite_active;

static void suite_start(struct ktest *t)
{
	snapshot();
	suite_free = free_before;
	suite_active = active_before;
	EXPECT_TRUE(t, buddy_is_valid());
}

/* The suite's last case: not one object or page more than at its start. */
static void nothing_left_behind(struct ktest *t)
{
	free_before = suite_free;
	active_before = suite_active;
	expect_no_leak(t);
}

KTEST_SUITE(slab, KTEST_CASE(suite_start), KTEST_CASE(cache_alloc_free),
	    KTEST_CASE(constructor_runs_once_per_object),
	    KTEST_CASE(slabs_are_coloured), KTEST_CASE(kmalloc_classes),
	    KTEST_CASE(kzalloc_and_krealloc),
	    KTEST_CASE(mempool_keeps_its_reserve),
	    KTEST_CASE(nothing_left_behind));

/*
 * Kept apart: refused frees leave the damaged objects out of circulation
 * on purpose, so this suite cannot end with nothing in use.
 */
KTEST_SUITE(slab_debug, KTEST_CASE(debug_reports));
