// SPDX-License-Identifier: MIT
/*
 * tests/host/test_buddy_stress.c - random allocations and frees on several
 * simulated machines (one range, holes, two nodes, memory across and above
 * 4 GiB, grouping by mobility off), with buddy_is_valid() and the page
 * accounting checked after every single operation, every block stamped
 * with its pfn and checked when freed (two live blocks never overlap), and
 * everything given back at the end: the free count and the buddy lists are
 * exactly what they were after boot.
 *
 * The seed is fixed and printed; PAGODA_SEED=<n> runs another one,
 * PAGODA_STRESS_OPS=<n> changes the length.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/mm_test.h"

#define DEFAULT_SEED 0x9a60da5eedULL
#define DEFAULT_OPS  20000
#define MAX_LIVE     4096

struct config {
	const char *name;
	struct sim_mem mem[4];
	unsigned int nr_mem;
	bool no_grouping;
};

struct block {
	struct page *page;
	unsigned int order;
	size_t exact; /* alloc_pages_exact() size, 0 for alloc_pages() */
	uint64_t tag;
};

static uint64_t rng;

static uint64_t rnd(void)
{
	return xorshift64s(&rng);
}

static unsigned int below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

static unsigned long pages_of(const struct block *b)
{
	return b->exact ? (b->exact + PAGE_SIZE - 1) >> PAGE_SHIFT
			: 1UL << b->order;
}

static void stamp(const struct block *b)
{
	for (unsigned long i = 0; i < pages_of(b); i++)
		*(uint64_t *)page_address(b->page + i) =
			b->tag << 32 | page_to_pfn(b->page + i);
}

static void check_stamp(const struct block *b)
{
	for (unsigned long i = 0; i < pages_of(b); i++) {
		uint64_t want = b->tag << 32 | page_to_pfn(b->page + i);
		uint64_t got = *(uint64_t *)page_address(b->page + i);

		if (got != want)
			fail_msg(
				"pfn 0x%llx of block %llu: 0x%llx, want 0x%llx",
				(unsigned long long)page_to_pfn(b->page + i),
				(unsigned long long)b->tag,
				(unsigned long long)got,
				(unsigned long long)want);
	}
}

static void check_zero(const struct block *b)
{
	static const uint8_t zero[PAGE_SIZE];

	for (unsigned long i = 0; i < pages_of(b); i++)
		if (memcmp(page_address(b->page + i), zero, PAGE_SIZE))
			fail_msg("__GFP_ZERO: pfn 0x%llx is not zeroed",
				 (unsigned long long)page_to_pfn(b->page + i));
}

/* A block just handed out, before it is stamped. */
static void check_new(const struct block *b, gfp_t gfp)
{
	uint64_t pfn = page_to_pfn(b->page);
	unsigned long n = pages_of(b);

	if (!b->exact) {
		assert_int_equal(pfn & ((1UL << b->order) - 1), 0);
		assert_int_equal(b->page->order, b->order);
	}
	for (unsigned long i = 0; i < n; i++) {
		const struct page *p = b->page + i;

		assert_int_equal(p->refcount, b->exact || i == 0 ? 1 : 0);
		assert_int_equal(p->flags, 0);
		assert_int_equal(p->zone, pfn + i < DMA32_LIMIT_PFN
						  ? ZONE_DMA32
						  : ZONE_NORMAL);
		assert_int_equal(p->node, b->page->node);
	}
	if (gfp & __GFP_DMA32)
		assert_true(pfn + n <= DMA32_LIMIT_PFN);
	if (gfp & __GFP_ZERO)
		check_zero(b);
}

static gfp_t random_gfp(void)
{
	static const gfp_t types[] = { 0, __GFP_MOVABLE, __GFP_MOVABLE,
				       __GFP_RECLAIMABLE };
	gfp_t gfp = types[below(4)] | __GFP_NOWARN;

	if (below(5) == 0)
		gfp |= __GFP_DMA32;
	if (below(5) == 0)
		gfp |= __GFP_ZERO;
	if (below(10) == 0)
		gfp |= __GFP_HIGH;
	if (below(2))
		gfp |= __GFP_RECLAIM;
	return gfp;
}

/* Mostly small blocks, some large, a few of the largest. */
static unsigned int random_order(void)
{
	unsigned int r = below(100);

	if (r < 60)
		return below(3);
	if (r < 90)
		return 3 + below(4);
	return 7 + below(4);
}

static void run(const struct config *c)
{
	const uint64_t seed = env_u64("PAGODA_SEED", DEFAULT_SEED);
	const unsigned long ops = env_u64("PAGODA_STRESS_OPS", DEFAULT_OPS);
	struct block *live = calloc(MAX_LIVE, sizeof(*live));
	unsigned long start, out = 0, allocs = 0, fails = 0, tag = 0;
	char before[2048], after[2048];
	unsigned int n = 0;

	assert_non_null(live);
	machine_reset();
	assert_int_equal(machine_add(c->mem, c->nr_mem), 0);
	page_group_by_mobility_disabled = c->no_grouping;
	assert_int_equal(machine_start(0), 0);
	rng = seed ? seed : 1;
	print_message("# stress %s: seed 0x%llx, %lu operations\n", c->name,
		      (unsigned long long)seed, ops);
	start = nr_free_pages();
	buddyinfo_show(before, sizeof(before));

	for (unsigned long op = 0; op < ops; op++) {
		unsigned int what = below(100);

		if (what < 55 && n < MAX_LIVE) {
			struct block b = { .tag = ++tag };
			gfp_t gfp = random_gfp();

			if (what < 5) {
				b.exact = 1 + below(64) * PAGE_SIZE / 4;
				void *va = alloc_pages_exact(b.exact, gfp);

				b.page = va ? virt_to_page(va) : NULL;
			} else {
				int node = below(3) ? -1 : (int)below(nr_nodes);

				b.order = random_order();
				if (below(20) == 0)
					local_node = below(nr_nodes);
				b.page = node < 0 ? alloc_pages(gfp, b.order)
						  : alloc_pages_node(node, gfp,
								     b.order);
			}
			if (b.page) {
				check_new(&b, gfp);
				stamp(&b);
				live[n++] = b;
				out += pages_of(&b);
				allocs++;
			} else {
				fails++;
			}
		} else if (what < 97 && n) {
			unsigned int i = below(n);
			struct block b = live[i];

			live[i] = live[--n];
			check_stamp(&b);
			if (b.exact)
				free_pages_exact(page_address(b.page), b.exact);
			else
				free_pages(b.page, b.order);
			out -= pages_of(&b);
		} else {
			drain_local_pages();
			for (unsigned int id = 0; id < nr_nodes; id++)
				for (int t = 0; t < MAX_NR_ZONES; t++)
					assert_int_equal(
						zone_of(id, t)->pcp[0].count,
						0);
		}
		if (!buddy_is_valid())
			fail_msg("operation %lu (seed 0x%llx): %s", op,
				 (unsigned long long)seed, host_log_last());
		assert_true(host_irq_enabled);
		if (nr_free_pages() + out != start)
			fail_msg(
				"operation %lu (seed 0x%llx): %lu free + %lu out != %lu",
				op, (unsigned long long)seed, nr_free_pages(),
				out, start);
	}
	print_message(
		"# stress %s: %lu allocated, %lu refused, %u live at the end\n",
		c->name, allocs, fails, n);
	/* both outcomes happened: the run reached the watermarks */
	assert_true(allocs > ops / 4);
	assert_true(fails > 0);

	while (n) {
		struct block b = live[--n];

		check_stamp(&b);
		if (b.exact)
			free_pages_exact(page_address(b.page), b.exact);
		else
			free_pages(b.page, b.order);
	}
	drain_local_pages();
	assert_buddy_valid();
	assert_int_equal(nr_free_pages(), start);
	buddyinfo_show(after, sizeof(after));
	assert_string_equal(after, before);
	assert_int_equal(alloc_misuse, 0);
	page_group_by_mobility_disabled = false;
	local_node = 0;
	free(live);
}

static const struct config one_range = {
	"16M", { { 0x80000000, 16 * MiB, 0 } }, 1, false
};

/* a hole inside a MAX_ORDER block, an unaligned end, a 1 GiB gap */
static const struct config holes = { "holes",
				     { { 2 * GiB, 5 * MiB, 0 },
				       { 2 * GiB + 6 * MiB, 10 * MiB + 12 * KiB,
					 0 },
				       { 3 * GiB + 4 * MiB, 8 * MiB, 0 } },
				     3,
				     false };

/* nodes meeting inside a MAX_ORDER block, both halves of it free */
static const struct config two_nodes = { "two-nodes",
					 { { 2 * GiB, 14 * MiB, 0 },
					   { 2 * GiB + 14 * MiB, 18 * MiB, 1 },
					   { 2 * GiB + 100 * MiB, 4 * MiB,
					     0 } },
					 3,
					 false };

/* DMA32 and Normal in one range, a node with Normal only */
static const struct config above_4g = { "above-4G",
					{ { 4 * GiB - 12 * MiB, 24 * MiB, 0 },
					  { 8 * GiB, 16 * MiB, 1 } },
					2,
					false };

static const struct config no_grouping = {
	"no-grouping", { { 0x80000000, 16 * MiB, 0 } }, 1, true
};

static void stress_one_range(void **state)
{
	run(&one_range);
}

static void stress_holes(void **state)
{
	run(&holes);
}

static void stress_two_nodes(void **state)
{
	run(&two_nodes);
}

static void stress_above_4g(void **state)
{
	run(&above_4g);
}

static void stress_no_grouping(void **state)
{
	run(&no_grouping);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stress_one_range),
		cmocka_unit_test(stress_holes),
		cmocka_unit_test(stress_two_nodes),
		cmocka_unit_test(stress_above_4g),
		cmocka_unit_test(stress_no_grouping),
	};

	return cmocka_run_group_tests_name("buddy_stress", tests, NULL, NULL);
}
