// SPDX-License-Identifier: MIT
/*
 * tests/host/test_memblock.c - the boot-time allocator (alloc/memblock.c):
 * adding and merging ranges (sorted, same node only), reservations, the
 * mem= cap, top-down aligned allocation around reservations with a node
 * preference and its fallback, iterating the free ranges, and
 * memblock_init() from a hand-made platform (image, tree, initrd,
 * reservations, memory above the direct map).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "tests/host/mm_test.h"

/* A fresh table per test, on the heap so ASan guards its ends. */
static int setup(void **state)
{
	machine_reset();
	*state = calloc(1, sizeof(struct memblock));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

#define assert_region(t, i, b, s, n)                         \
	do {                                                 \
		assert_true((i) < (t)->cnt);                 \
		assert_int_equal((t)->regions[i].base, (b)); \
		assert_int_equal((t)->regions[i].size, (s)); \
		assert_int_equal((t)->regions[i].node, (n)); \
	} while (0)

/* The documented invariant: sorted, non-empty, no overlap, no same-node touch. */
static void assert_table_ok(const struct memblock_type *t)
{
	for (unsigned int i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		assert_true(r->size > 0);
		if (i == 0)
			continue;
		const struct memblock_region *p = &t->regions[i - 1];

		assert_true(p->base + p->size <= r->base);
		if (p->base + p->size == r->base)
			assert_int_not_equal(p->node, r->node);
	}
}

static void add_sorts_and_merges(void **state)
{
	struct memblock *mb = *state;
	struct memblock_type *t = &mb->memory;

	assert_int_equal(memblock_add(mb, 0x30000, 0x10000, 0), 0);
	assert_int_equal(memblock_add(mb, 0x10000, 0x10000, 0), 0);
	assert_int_equal(memblock_add(mb, 0x50000, 0x1000, 0), 0);
	assert_int_equal(t->cnt, 3);
	assert_region(t, 0, 0x10000, 0x10000, 0);
	assert_region(t, 1, 0x30000, 0x10000, 0);
	assert_region(t, 2, 0x50000, 0x1000, 0);

	/* touching both neighbours: one region */
	assert_int_equal(memblock_add(mb, 0x20000, 0x10000, 0), 0);
	assert_int_equal(t->cnt, 2);
	assert_region(t, 0, 0x10000, 0x30000, 0);
	/* overlapping two regions and the gap between them */
	assert_int_equal(memblock_add(mb, 0x38000, 0x20000, 0), 0);
	assert_int_equal(t->cnt, 1);
	assert_region(t, 0, 0x10000, 0x48000, 0);
	/* inside: nothing changes */
	assert_int_equal(memblock_add(mb, 0x12000, 0x1000, 0), 0);
	assert_int_equal(t->cnt, 1);
	assert_region(t, 0, 0x10000, 0x48000, 0);
	/* empty: nothing; wrapping: refused */
	assert_int_equal(memblock_add(mb, 0x100000, 0, 0), 0);
	assert_int_equal(memblock_add(mb, ~0ULL - 0xfff, 0x2000, 0), -EINVAL);
	assert_int_equal(t->cnt, 1);
	assert_int_equal(memblock_total(t), 0x48000);
	assert_table_ok(t);
}

static void other_nodes_stay_apart(void **state)
{
	struct memblock *mb = *state;
	struct memblock_type *t = &mb->memory;

	assert_int_equal(memblock_add(mb, 1 * GiB, 1 * GiB, 1), 0);
	assert_int_equal(memblock_add(mb, 0, 1 * GiB, 0), 0);
	assert_int_equal(memblock_add(mb, 2 * GiB, 1 * GiB, 0), 0);
	assert_int_equal(t->cnt, 3);
	assert_region(t, 0, 0, 1 * GiB, 0);
	assert_region(t, 1, 1 * GiB, 1 * GiB, 1);
	assert_region(t, 2, 2 * GiB, 1 * GiB, 0);
	assert_table_ok(t);

	/* overlapping another node's memory is refused, the table untouched */
	assert_int_equal(memblock_add(mb, 1 * GiB, PAGE_SIZE, 0), -EEXIST);
	assert_int_equal(
		memblock_add(mb, 2 * GiB - PAGE_SIZE, 2 * PAGE_SIZE, 1),
		-EEXIST);
	/* ... also when it first merges with its own node's memory */
	assert_int_equal(memblock_add(mb, GiB / 2, GiB, 0), -EEXIST);
	assert_int_equal(t->cnt, 3);
	assert_region(t, 0, 0, 1 * GiB, 0);
	assert_region(t, 1, 1 * GiB, 1 * GiB, 1);
	assert_region(t, 2, 2 * GiB, 1 * GiB, 0);
	assert_int_equal(memblock_total(t), 3 * GiB);
}

static void table_full(void **state)
{
	struct memblock *mb = *state;

	for (unsigned int i = 0; i < MEMBLOCK_MAX_REGIONS; i++)
		assert_int_equal(memblock_add(mb, i * 2 * MiB, MiB, 0), 0);
	assert_int_equal(mb->memory.cnt, MEMBLOCK_MAX_REGIONS);
	assert_int_equal(memblock_add(mb, 1000 * MiB, MiB, 0), -E2BIG);
	/* merging needs no new slot */
	assert_int_equal(memblock_add(mb, MiB, MiB, 0), 0);
	assert_int_equal(mb->memory.cnt, MEMBLOCK_MAX_REGIONS - 1);
	assert_region(&mb->memory, 0, 0, 3 * MiB, 0);
	assert_table_ok(&mb->memory);
}

static void reserve_merges_on_any_node(void **state)
{
	struct memblock *mb = *state;
	struct memblock_type *r = &mb->reserved;

	assert_int_equal(memblock_add(mb, 0, 1 * GiB, 0), 0);
	assert_int_equal(memblock_add(mb, 1 * GiB, 1 * GiB, 1), 0);
	/* across the node boundary: reservations have no node */
	assert_int_equal(memblock_reserve(mb, GiB - 8 * KiB, 16 * KiB), 0);
	assert_int_equal(memblock_reserve(mb, 0x1000, 0x1000), 0);
	assert_int_equal(memblock_reserve(mb, 0x1800, 0x1000), 0);
	assert_int_equal(r->cnt, 2);
	assert_region(r, 0, 0x1000, 0x1800, 0);
	assert_region(r, 1, GiB - 8 * KiB, 16 * KiB, 0);
	assert_int_equal(memblock_total(r), 0x1800 + 16 * KiB);
	assert_int_equal(mb->memory.cnt, 2);
	assert_table_ok(r);
}

static void cap_keeps_the_first_bytes(void **state)
{
	struct memblock *mb = *state;
	struct memblock_type *t = &mb->memory;

	assert_int_equal(memblock_add(mb, 2 * GiB, 1 * GiB, 0), 0);
	assert_int_equal(memblock_add(mb, 5 * GiB, 1 * GiB, 1), 0);
	assert_int_equal(memblock_add(mb, 8 * GiB, 1 * GiB, 1), 0);
	memblock_cap(mb, 3 * GiB / 2);
	assert_int_equal(t->cnt, 2);
	assert_region(t, 0, 2 * GiB, 1 * GiB, 0);
	assert_region(t, 1, 5 * GiB, GiB / 2, 1);
	/* exactly at a range's end: the next one goes */
	memblock_cap(mb, 1 * GiB);
	assert_int_equal(t->cnt, 1);
	assert_region(t, 0, 2 * GiB, 1 * GiB, 0);
	/* larger than everything: unchanged */
	memblock_cap(mb, 100 * GiB);
	assert_int_equal(t->cnt, 1);
	assert_int_equal(memblock_total(t), 1 * GiB);
}

static void alloc_top_down_aligned(void **state)
{
	struct memblock *mb = *state;
	const phys_addr_t base = 2 * GiB;

	assert_int_equal(memblock_add(mb, base, 16 * MiB, 0), 0);
	assert_int_equal(memblock_reserve(mb, base + 15 * MiB, MiB), 0);
	/* the highest free page */
	assert_int_equal(memblock_alloc(mb, PAGE_SIZE, PAGE_SIZE, -1),
			 base + 15 * MiB - PAGE_SIZE);
	/* aligned below it: [14M, 15M) is not free up to 15M any more */
	assert_int_equal(memblock_alloc(mb, MiB, 2 * MiB, -1), base + 12 * MiB);
	/* small alignments become 8 bytes: just below the highest block */
	assert_int_equal(memblock_alloc(mb, 3, 1, -1),
			 base + 15 * MiB - PAGE_SIZE - 8);
	assert_int_equal(memblock_alloc(mb, 16, 0, -1),
			 base + 15 * MiB - PAGE_SIZE - 24);
	/* what it returned is reserved, merged where it touches */
	assert_int_equal(mb->reserved.cnt, 3);
	assert_region(&mb->reserved, 0, base + 12 * MiB, MiB, 0);
	assert_region(&mb->reserved, 1, base + 15 * MiB - PAGE_SIZE - 24, 19,
		      0);
	assert_region(&mb->reserved, 2, base + 15 * MiB - PAGE_SIZE,
		      MiB + PAGE_SIZE, 0);
	/* refused: not a power of two, nothing, more than is free */
	assert_int_equal(memblock_alloc(mb, PAGE_SIZE, 3 * PAGE_SIZE, -1), 0);
	assert_int_equal(memblock_alloc(mb, 0, PAGE_SIZE, -1), 0);
	assert_int_equal(memblock_alloc(mb, 13 * MiB, PAGE_SIZE, -1), 0);
	assert_table_ok(&mb->reserved);
}

/* A reservation in the way: the allocation goes below it, not over it. */
static void alloc_avoids_reservations(void **state)
{
	struct memblock *mb = *state;
	const phys_addr_t base = 2 * GiB;
	phys_addr_t pa;

	assert_int_equal(memblock_add(mb, base, 16 * MiB, 0), 0);
	assert_int_equal(memblock_reserve(mb, base + 14 * MiB, 4 * KiB), 0);
	assert_int_equal(memblock_reserve(mb, base + 9 * MiB, 4 * KiB), 0);
	/* 2 MiB fits above 14M+4K? no (1.99 MiB); between 9M and 14M: yes */
	pa = memblock_alloc(mb, 2 * MiB, PAGE_SIZE, -1);
	assert_int_equal(pa, base + 12 * MiB);
	/* 4 MiB aligned to 4 MiB: [12M,16M) and [8M,12M) are taken in part */
	pa = memblock_alloc(mb, 4 * MiB, 4 * MiB, -1);
	assert_int_equal(pa, base + 4 * MiB);
	/* and the gap at the top is still there for what fits */
	pa = memblock_alloc(mb, MiB, PAGE_SIZE, -1);
	assert_int_equal(pa, base + 15 * MiB);
	assert_int_equal(memblock_total(&mb->reserved),
			 2 * 4 * KiB + 2 * MiB + 4 * MiB + MiB);
}

static void alloc_node_preference(void **state)
{
	struct memblock *mb = *state;

	assert_int_equal(memblock_add(mb, 2 * GiB, 16 * MiB, 0), 0);
	assert_int_equal(memblock_add(mb, 4 * GiB, 16 * MiB, 1), 0);
	assert_int_equal(memblock_alloc(mb, MiB, MiB, 0), 2 * GiB + 15 * MiB);
	assert_int_equal(memblock_alloc(mb, MiB, MiB, 1), 4 * GiB + 15 * MiB);
	/* any node: the highest free memory */
	assert_int_equal(memblock_alloc(mb, MiB, MiB, -1), 4 * GiB + 14 * MiB);
	/* node 0 full: node 1 serves, from its top */
	assert_int_equal(memblock_reserve(mb, 2 * GiB, 15 * MiB), 0);
	assert_int_equal(memblock_alloc(mb, MiB, MiB, 0), 4 * GiB + 13 * MiB);
	/* a node without memory: any node */
	assert_int_equal(memblock_alloc(mb, MiB, MiB, 5), 4 * GiB + 12 * MiB);
	/* retired: nothing more */
	mb->retired = true;
	assert_int_equal(memblock_alloc(mb, PAGE_SIZE, PAGE_SIZE, -1), 0);
}

static void next_free_in_order(void **state)
{
	struct memblock *mb = *state;
	uint64_t cursor = 0, size;
	phys_addr_t base;
	uint32_t node;
	static const struct {
		phys_addr_t base;
		uint64_t size;
		uint32_t node;
	} want[] = {
		{ 1 * MiB + 4 * KiB, MiB - 4 * KiB, 0 },
		{ 2 * MiB + 64 * KiB, 2 * MiB - 64 * KiB, 0 },
		{ 4 * MiB, 2 * MiB, 1 },
		{ 8 * MiB, 1 * MiB, 1 },
	};
	unsigned int n = 0;

	assert_int_equal(memblock_add(mb, 1 * MiB, 3 * MiB, 0), 0);
	assert_int_equal(memblock_add(mb, 4 * MiB, 2 * MiB, 1), 0);
	assert_int_equal(memblock_add(mb, 8 * MiB, 4 * MiB, 1), 0);
	assert_int_equal(memblock_reserve(mb, 0, 1 * MiB + 4 * KiB), 0);
	assert_int_equal(memblock_reserve(mb, 2 * MiB, 64 * KiB), 0);
	assert_int_equal(memblock_reserve(mb, 9 * MiB, 8 * MiB), 0);
	while (memblock_next_free(mb, &cursor, &base, &size, &node)) {
		assert_true(n < sizeof(want) / sizeof(want[0]));
		assert_int_equal(base, want[n].base);
		assert_int_equal(size, want[n].size);
		assert_int_equal(node, want[n].node);
		n++;
	}
	assert_int_equal(n, 4);
	/* and stays at the end */
	assert_false(memblock_next_free(mb, &cursor, &base, &size, &node));
}

/* The platform of a QEMU virt machine with 256 MiB, an initrd and more. */
static struct platform *virt_platform(void)
{
	struct platform *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->nr_memory = 2;
	/* unaligned ends are trimmed to whole pages */
	p->memory[0] = (struct mem_range){ 0x80000000, 256 * MiB, 0 };
	p->memory[1] = (struct mem_range){ 0x100000800, 64 * MiB, 1 };
	p->nr_reserved = 2;
	p->reserved[0] = (struct reserved_range){ 0x80000000, 0x200000, true,
						  "mmode_resv0@80000000" };
	p->reserved[1] = (struct reserved_range){ 0x8f000010, 0x10, false,
						  "memreserve" };
	p->fdt_size = 0x2001;
	p->initrd_start = 0x88000000;
	p->initrd_end = 0x88100800;
	return p;
}

static void init_from_platform(void **state)
{
	struct memblock *mb = *state;
	struct platform *p = virt_platform();
	struct memblock_type *m = &mb->memory, *r = &mb->reserved;

	mb->retired = true; /* memblock_init starts afresh */
	assert_int_equal(memblock_from_platform(mb, p, 0x80200000, 0x123456,
						0x8fe00000, 0),
			 0);
	assert_false(mb->retired);
	assert_int_equal(m->cnt, 2);
	assert_region(m, 0, 0x80000000, 256 * MiB, 0);
	assert_region(m, 1, 0x100001000, 64 * MiB - PAGE_SIZE, 1);
	assert_int_equal(r->cnt, 4);
	/* firmware (no-map) and the image touch: one region */
	assert_region(r, 0, 0x80000000, 0x200000 + 0x124000, 0);
	assert_region(r, 1, 0x88000000, 0x101000, 0);  /* initrd */
	assert_region(r, 2, 0x8f000000, PAGE_SIZE, 0); /* memreserve */
	assert_region(r, 3, 0x8fe00000, 0x3000, 0);    /* the tree */
	assert_table_ok(m);
	assert_table_ok(r);
	free(p);
}

static void init_with_mem_limit(void **state)
{
	struct memblock *mb = *state;
	struct platform *p = virt_platform();

	assert_int_equal(memblock_from_platform(mb, p, 0x80200000, 0x100000,
						0x8fe00000, 128 * MiB),
			 0);
	assert_int_equal(mb->memory.cnt, 1);
	assert_region(&mb->memory, 0, 0x80000000, 128 * MiB, 0);
	/* reservations above the cap stay: harmless, never free memory */
	assert_int_equal(mb->reserved.cnt, 4);
	free(p);
}

static void init_drops_memory_above_direct_map(void **state)
{
	struct memblock *mb = *state;
	struct platform *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->nr_memory = 3;
	p->memory[0] = (struct mem_range){ 0x80000000, 1 * GiB, 0 };
	p->memory[1] = (struct mem_range){ 127 * GiB, 2 * GiB, 0 };
	p->memory[2] = (struct mem_range){ 200 * GiB, 1 * GiB, 1 };
	assert_int_equal(memblock_from_platform(mb, p, 0x80200000, 0x100000,
						0x80000000 + 512 * MiB, 0),
			 0);
	assert_int_equal(mb->memory.cnt, 2);
	assert_region(&mb->memory, 0, 0x80000000, 1 * GiB, 0);
	assert_region(&mb->memory, 1, 127 * GiB, 1 * GiB, 0);
	assert_logged("memblock: memory above 128 GiB is not used");
	free(p);
}

static void init_without_memory(void **state)
{
	struct memblock *mb = *state;
	struct platform *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	/* less than a page, once aligned */
	p->nr_memory = 1;
	p->memory[0] = (struct mem_range){ 0x80000800, 0x1000, 0 };
	assert_int_equal(memblock_from_platform(mb, p, 0, 0, 0, 0), -ENOMEM);
	assert_int_equal(mb->memory.cnt, 0);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(add_sorts_and_merges, setup,
						teardown),
		cmocka_unit_test_setup_teardown(other_nodes_stay_apart, setup,
						teardown),
		cmocka_unit_test_setup_teardown(table_full, setup, teardown),
		cmocka_unit_test_setup_teardown(reserve_merges_on_any_node,
						setup, teardown),
		cmocka_unit_test_setup_teardown(cap_keeps_the_first_bytes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(alloc_top_down_aligned, setup,
						teardown),
		cmocka_unit_test_setup_teardown(alloc_avoids_reservations,
						setup, teardown),
		cmocka_unit_test_setup_teardown(alloc_node_preference, setup,
						teardown),
		cmocka_unit_test_setup_teardown(next_free_in_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(init_from_platform, setup,
						teardown),
		cmocka_unit_test_setup_teardown(init_with_mem_limit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			init_drops_memory_above_direct_map, setup, teardown),
		cmocka_unit_test_setup_teardown(init_without_memory, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("memblock", tests, NULL, NULL);
}
