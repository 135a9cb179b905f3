// SPDX-License-Identifier: MIT
/*
 * tests/host/test_slab_churn.c - random allocations and frees across eight
 * caches of varied size, alignment, flags and constructors and kmalloc of
 * random sizes (1 B .. 256 KiB), under ASan, on a roomy machine with and
 * without debugging and on a small one where memory runs out (the reclaim
 * hook shrinking caches in the middle of allocations).
 *
 * Every object is filled with a pattern of its own and checked before it
 * is freed (two live objects never overlap, nobody writes into a free
 * one); objects of constructor caches must come back constructed;
 * __GFP_ZERO objects zeroed. Caches are shrunk now and then, krealloc
 * moves objects around. Every CHECK_EVERY operations: buddy_is_valid(),
 * every cache's invariants (slab_test.h) and the count of objects in use.
 * At the end everything is freed, the caches destroyed and shrunk, and the
 * objects in use and the free pages are exactly what they were.
 *
 * The seed is fixed and printed; PAGODA_SEED=<n> runs another one,
 * PAGODA_STRESS_OPS=<n> changes the length.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/slab_test.h"

#define DEFAULT_SEED 0x51ab5eed2024ULL
#define DEFAULT_OPS  20000
#define MAX_LIVE     1500
#define CHECK_EVERY  64
#define NR_CACHES    8
#define CTOR_MAGIC   0xc7000000c7c7c7c7ULL

struct spec {
	const char *name;
	size_t size, align;
	unsigned int flags;
	bool ctor;
};

static const struct spec specs[NR_CACHES] = {
	{ "churn-8", 8, 0, 0, false },
	{ "churn-24-a16", 24, 16, 0, false },
	{ "churn-40-hw", 40, 0, SLAB_HWCACHE_ALIGN, false },
	{ "churn-100-ctor", 100, 0, 0, true },
	{ "churn-256-a256", 256, 256, SLAB_RECLAIM_ACCOUNT, false },
	{ "churn-1000", 1000, 0, SLAB_RECLAIM_ACCOUNT, false },
	{ "churn-3000-ctor", 3000, 64, 0, true },
	{ "churn-4096-a4k", 4096, 4096, 0, false },
};

struct config {
	const char *name;
	uint64_t mem;
	bool debug;
};

struct live {
	uint8_t *p;
	size_t size;
	int cache; /* index in caches[], or -1: kmalloc */
	uint64_t tag;
};

static struct kmem_cache *caches[NR_CACHES];
static struct live live[MAX_LIVE];
static unsigned int nlive;
static uint64_t rng;

static uint64_t rnd(void)
{
	return xorshift64s(&rng);
}

static size_t below(size_t n)
{
	return (size_t)(rnd() % n);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

/* A constructed object starts with a word only its address gives. */
static uint64_t ctor_word(const void *obj)
{
	return CTOR_MAGIC ^ (uint64_t)(uintptr_t)obj;
}

static void churn_ctor(void *obj)
{
	*(uint64_t *)obj = ctor_word(obj);
}

/* Where the pattern starts: after the constructed word, if any. */
static size_t first(const struct live *l)
{
	return l->cache >= 0 && specs[l->cache].ctor ? 8 : 0;
}

/* Word i of an object: its tag and the index. */
static uint64_t word(uint64_t tag, size_t i)
{
	return tag * 0x9e3779b97f4a7c15ULL + i;
}

static void fill(const struct live *l, size_t from)
{
	size_t i = from / 8, n = l->size / 8;

	for (; i < n; i++)
		((uint64_t *)l->p)[i] = word(l->tag, i);
	for (size_t b = n * 8; b < l->size; b++)
		l->p[b] = (uint8_t)word(l->tag, b);
}

/* Byte b as fill() wrote it: in a word, or in the tail. */
static uint8_t byte_at(const struct live *l, size_t b)
{
	uint64_t w = word(l->tag, b / 8);
	uint8_t bytes[8];

	if (b >= l->size / 8 * 8)
		return (uint8_t)word(l->tag, b);
	memcpy(bytes, &w, sizeof(bytes));
	return bytes[b % 8];
}

static void check(const struct live *l, size_t upto, uint64_t seed,
		  unsigned long op)
{
	size_t n = upto / 8;

	for (size_t i = first(l) / 8; i < n; i++)
		if (((uint64_t *)l->p)[i] != word(l->tag, i))
			fail_msg(
				"op %lu (seed 0x%llx): object %p (%zu bytes, %s) word %zu overwritten",
				op, (unsigned long long)seed, (void *)l->p,
				l->size,
				l->cache < 0 ? "kmalloc" : specs[l->cache].name,
				i);
	for (size_t b = n * 8; b < upto; b++)
		if (l->p[b] != byte_at(l, b))
			fail_msg(
				"op %lu (seed 0x%llx): object %p byte %zu overwritten",
				op, (unsigned long long)seed, (void *)l->p, b);
	if (first(l) && *(uint64_t *)l->p != ctor_word(l->p))
		fail_msg("op %lu: constructed word of %p overwritten", op,
			 (void *)l->p);
}

/* Mostly small, some pages, a few past the classes. */
static size_t random_size(void)
{
	size_t r = below(100);

	if (r < 60)
		return 1 + below(256);
	if (r < 85)
		return 257 + below(4096 - 256);
	if (r < 95)
		return 4097 + below(KMALLOC_MAX_CACHE_SIZE - 4096);
	return KMALLOC_MAX_CACHE_SIZE + 1 + below(128 * KiB);
}

static gfp_t random_gfp(void)
{
	gfp_t gfp = below(4) ? GFP_KERNEL : GFP_ATOMIC;

	if (below(6) == 0)
		gfp |= __GFP_ZERO;
	return gfp | __GFP_NOWARN;
}

/*
 * Objects in slabs that the test holds: kmalloc's up to the classes, but
 * krealloc keeps a block that still fits, pages included: ask the page.
 */
static unsigned long slab_objects_held(void)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < nlive; i++)
		n += !!(virt_to_page(live[i].p)->flags & PG_slab);
	return n;
}

static void new_object(uint64_t *tag, unsigned long *fails)
{
	struct live l = { .tag = ++*tag };
	gfp_t gfp = random_gfp();

	if (below(10) < 6) {
		l.cache = (int)below(NR_CACHES);
		if (specs[l.cache].ctor)
			gfp &= ~__GFP_ZERO; /* a constructed object stays so */
		l.size = specs[l.cache].size;
		l.p = kmem_cache_alloc(caches[l.cache], gfp);
		if (l.p &&
		    (uintptr_t)l.p %
			    (specs[l.cache].align ? specs[l.cache].align : 8))
			fail_msg("%s: %p misaligned", specs[l.cache].name,
				 (void *)l.p);
		if (l.p && specs[l.cache].ctor &&
		    *(uint64_t *)l.p != ctor_word(l.p))
			fail_msg("%s: %p handed out unconstructed",
				 specs[l.cache].name, (void *)l.p);
	} else {
		l.cache = -1;
		l.size = random_size();
		l.p = kmalloc(l.size, gfp);
		if (l.p && ksize(l.p) < l.size)
			fail_msg("ksize %zu < %zu", ksize(l.p), l.size);
	}
	if (!l.p) {
		(*fails)++;
		return;
	}
	if (gfp & __GFP_ZERO)
		for (size_t b = 0; b < l.size; b++)
			if (l.p[b])
				fail_msg("__GFP_ZERO: byte %zu of %p is 0x%x",
					 b, (void *)l.p, l.p[b]);
	fill(&l, first(&l));
	live[nlive++] = l;
}

static void free_object(unsigned int i, uint64_t seed, unsigned long op)
{
	struct live l = live[i];

	live[i] = live[--nlive];
	check(&l, l.size, seed, op);
	if (l.cache >= 0)
		kmem_cache_free(caches[l.cache], l.p);
	else
		kfree(l.p);
}

/* krealloc a kmalloc object: what fits is kept, the rest refilled. */
static void reallocate(uint64_t *tag, uint64_t seed, unsigned long op)
{
	unsigned int i = (unsigned int)below(nlive);
	struct live *l = &live[i];
	size_t size = random_size();
	uint8_t *q;

	if (l->cache >= 0)
		return;
	check(l, l->size, seed, op);
	q = krealloc(l->p, size, GFP_KERNEL | __GFP_NOWARN);
	if (!q) {
		check(l, l->size, seed, op); /* untouched */
		return;
	}
	l->p = q;
	check(l, size < l->size ? size : l->size, seed, op);
	l->size = size;
	l->tag = ++*tag;
	fill(l, 0);
}

static void check_all(uint64_t seed, unsigned long op, unsigned long active0)
{
	if (!buddy_is_valid())
		fail_msg("op %lu (seed 0x%llx): %s", op,
			 (unsigned long long)seed, host_log_last());
	assert_true(host_irq_enabled);
	for (int k = 0; k < NR_CACHES; k++)
		t_check_cache(caches[k]);
	if (slab_active_objects() != active0 + slab_objects_held())
		fail_msg(
			"op %lu (seed 0x%llx): %lu objects in use, %lu + %lu held",
			op, (unsigned long long)seed, slab_active_objects(),
			active0, slab_objects_held());
}

static void run(const struct config *cfg)
{
	const uint64_t seed = env_u64("PAGODA_SEED", DEFAULT_SEED);
	const unsigned long ops = env_u64("PAGODA_STRESS_OPS", DEFAULT_OPS);
	const struct sim_mem mem[] = { { 0x80000000, cfg->mem, 0 } };
	unsigned long start, active0, fails = 0, allocs = 0, shrinks = 0;
	uint64_t tag = 0;

	machine_reset();
	assert_int_equal(machine_add(mem, 1), 0);
	assert_int_equal(machine_start(0), 0);
	machine_slab_init(cfg->debug);
	slab_shrink_all();
	drain_local_pages();
	start = nr_free_pages();
	rng = seed ? seed : 1;
	nlive = 0;
	print_message("# churn %s: seed 0x%llx, %lu operations\n", cfg->name,
		      (unsigned long long)seed, ops);
	for (int k = 0; k < NR_CACHES; k++) {
		caches[k] = kmem_cache_create(
			specs[k].name, specs[k].size, specs[k].align,
			specs[k].flags, specs[k].ctor ? churn_ctor : NULL);
		assert_non_null(caches[k]);
	}
	active0 = slab_active_objects();

	for (unsigned long op = 0; op < ops; op++) {
		size_t what = below(100);

		if (what < 50 && nlive < MAX_LIVE) {
			unsigned long before = fails;

			new_object(&tag, &fails);
			allocs += fails == before;
		} else if (what < 94 && nlive) {
			free_object((unsigned int)below(nlive), seed, op);
		} else if (what < 97 && nlive) {
			reallocate(&tag, seed, op);
		} else if (what < 99) {
			kmem_cache_shrink(caches[below(NR_CACHES)]);
			shrinks++;
		} else {
			slab_shrink_all();
			shrinks++;
		}
		if (op % CHECK_EVERY == 0)
			check_all(seed, op, active0);
	}
	check_all(seed, ops, active0);
	print_message(
		"# churn %s: %lu allocated, %lu refused, %lu shrinks, %u live at the end, %lu reclaim wakeups\n",
		cfg->name, allocs, fails, shrinks, nlive, reclaim_wakeups);
	assert_true(allocs > ops / 4);

	while (nlive)
		free_object(nlive - 1, seed, ops);
	assert_int_equal(slab_active_objects(), active0);
	for (int k = 0; k < NR_CACHES; k++) {
		t_check_cache(caches[k]);
		kmem_cache_destroy(caches[k]);
	}
	slab_shrink_all();
	drain_local_pages();
	assert_buddy_valid();
	assert_int_equal(nr_free_pages(), start);
	assert_int_equal(slab_pages(true), 0);
	assert_int_equal(slab_errors, 0);
	assert_int_equal(alloc_misuse, 0);
}

static void churn_debug(void **state)
{
	static const struct config cfg = { "debug", 64 * MiB, true };

	run(&cfg);
}

static void churn_plain(void **state)
{
	static const struct config cfg = { "plain", 64 * MiB, false };

	run(&cfg);
}

/* 10 MiB: allocations fail, the slab shrinker shrinks caches meanwhile */
static void churn_pressure(void **state)
{
	static const struct config cfg = { "pressure", 10 * MiB, true };

	run(&cfg);
	assert_true(reclaim_wakeups > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(churn_debug),
		cmocka_unit_test(churn_plain),
		cmocka_unit_test(churn_pressure),
	};

	return cmocka_run_group_tests_name("slab_churn", tests, NULL, NULL);
}
