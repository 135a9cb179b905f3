// SPDX-License-Identifier: MIT
/*
 * tests/host/test_pgtable.c - the Sv39 page-table code (vm/pgtable.c) on a
 * fake page source: pt_map with 4 KiB, 2 MiB and 1 GiB leaves and the
 * tables each needs, its argument checks, -EEXIST and -ENOMEM; pt_lookup
 * in both halves; pt_unmap of whole ranges (every table back, put_leaf once
 * per leaf), of parts of large leaves (split), over holes and over kept
 * PROT_NONE entries; pt_protect; pt_for_each_leaf; pt_walk; and random
 * maps, unmaps and protects of a 64 MiB window against a reference, every
 * page looked up after every operation.
 *
 * The page source: this file defines host_ram (alloc/machine.h's host side
 * makes phys_to_virt(pa) host_ram + pa; machine.c is not linked). It is a
 * 64 GiB PROT_NONE reservation of which POOL_PAGES pages from POOL_PA are
 * the table pages: one is made readable and zeroed when alloc_table hands
 * it out and PROT_NONE again when free_table takes it back, so touching a
 * table after freeing it faults; allocation is next-fit, so a freed page
 * comes back late. free_table checks the page is one it handed out, not
 * freed twice, and all zero. A budget makes alloc_table return 0. Leaves
 * map physical addresses from LEAF_PA up, which no code may dereference:
 * they are PROT_NONE too.
 *
 * The random test's seed is fixed and printed; PAGODA_SEED=<n> runs another
 * one, PAGODA_STRESS_OPS=<n> changes the length.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* cmocka needs these before it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "vm/internal.h"

#define DEFAULT_SEED 0x9a6e7ab1e5ULL
#define DEFAULT_OPS  5000

#define SZ_4K PAGE_SIZE
#define SZ_2M MEGAPAGE_SIZE
#define SZ_1G GIGAPAGE_SIZE

#define RAM_SIZE   (UL(64) << 30) /* the reservation host_ram points to */
#define POOL_PA	   (UL(1) << 20)  /* the first table page */
#define POOL_PAGES 8192		  /* 32 MiB of table pages */
#define LEAF_PA	   (UL(16) << 30) /* leaves map PAs from here */
#define UPPER	   UL(0xffffffc000000000) /* the first upper-half VA */
#define LOW_BITS   ((UL(1) << PTE_PPN_SHIFT) - 1)

/* ---- the fake page source ---- */
unsigned char *host_ram;

static struct pool {
	bool used[POOL_PAGES];
	unsigned long in_use;	     /* pages handed out and not back */
	unsigned long allocs, frees; /* calls that gave or took a page */
	long budget;		     /* allocations left; < 0: no limit */
	unsigned int next;	     /* next-fit cursor */
} pool;

struct leaf_rec {
	pte_t pte;
	uintptr_t va;
	uint64_t size;
};

#define MAX_RECS (1u << 16)
static struct leaf_rec recs[MAX_RECS];
static unsigned long nr_recs;

static pte_t *root;
static unsigned long base_in_use; /* pool.in_use with only the root */

static unsigned char *page_of(phys_addr_t pa)
{
	return host_ram + pa;
}

static phys_addr_t fake_alloc(void *ctx)
{
	assert_ptr_equal(ctx, &pool);
	if (pool.budget == 0)
		return 0;
	for (unsigned int n = 0; n < POOL_PAGES; n++) {
		unsigned int i = (pool.next + n) % POOL_PAGES;
		phys_addr_t pa = POOL_PA + (phys_addr_t)i * PAGE_SIZE;

		if (pool.used[i])
			continue;
		assert_int_equal(mprotect(page_of(pa), PAGE_SIZE,
					  PROT_READ | PROT_WRITE),
				 0);
		memset(page_of(pa), 0, PAGE_SIZE);
		pool.used[i] = true;
		pool.next = (i + 1) % POOL_PAGES;
		pool.in_use++;
		pool.allocs++;
		if (pool.budget > 0)
			pool.budget--;
		return pa;
	}
	fail_msg("the pool of %u table pages is exhausted", POOL_PAGES);
	return 0;
}

static void fake_free(phys_addr_t pa, void *ctx)
{
	const uint64_t *words;
	unsigned long i;

	assert_ptr_equal(ctx, &pool);
	assert_int_equal(pa & (PAGE_SIZE - 1), 0);
	assert_true(pa >= POOL_PA && pa < POOL_PA + POOL_PAGES * PAGE_SIZE);
	i = (pa - POOL_PA) / PAGE_SIZE;
	if (!pool.used[i])
		fail_msg("free_table(0x%llx): not allocated (double free?)",
			 (unsigned long long)pa);
	assert_ptr_not_equal(page_of(pa), (unsigned char *)root);
	words = (const uint64_t *)page_of(pa);
	for (unsigned int w = 0; w < PTES_PER_TABLE; w++)
		if (words[w])
			fail_msg("free_table(0x%llx): entry %u is 0x%llx",
				 (unsigned long long)pa, w,
				 (unsigned long long)words[w]);
	assert_int_equal(mprotect(page_of(pa), PAGE_SIZE, PROT_NONE), 0);
	pool.used[i] = false;
	pool.in_use--;
	pool.frees++;
}

static void fake_put_leaf(pte_t pte, uintptr_t va, uint64_t size, void *ctx)
{
	assert_ptr_equal(ctx, &pool);
	assert_true(nr_recs < MAX_RECS);
	recs[nr_recs++] = (struct leaf_rec){ pte, va, size };
}

static const struct pt_ops ops = {
	.alloc_table = fake_alloc,
	.free_table = fake_free,
	.put_leaf = fake_put_leaf,
	.ctx = &pool,
};

/* the same page source that keeps its tables and takes no leaves */
static const struct pt_ops keep_ops = {
	.alloc_table = fake_alloc,
	.ctx = &pool,
};

static int group_setup(void **state)
{
	void *p = mmap(NULL, RAM_SIZE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	host_ram = p;
	return 0;
}

static int group_teardown(void **state)
{
	munmap(host_ram, RAM_SIZE);
	host_ram = NULL;
	return 0;
}

/* A fresh pool (every page back, PROT_NONE) and an empty root from it. */
static int setup(void **state)
{
	if (mprotect(page_of(POOL_PA), POOL_PAGES * PAGE_SIZE, PROT_NONE))
		return -1;
	memset(&pool, 0, sizeof(pool));
	pool.budget = -1;
	nr_recs = 0;
	root = phys_to_virt(fake_alloc(&pool));
	base_in_use = pool.in_use;
	pool.allocs = 0;
	return 0;
}

/* Table pages in use under the root. */
static unsigned long tables(void)
{
	return pool.in_use - base_in_use;
}

/* The leaf mapping va is at level, maps the page of va to pa, has bits. */
static void check_leaf(uintptr_t va, int level, phys_addr_t pa, uint64_t bits)
{
	int l = -1;
	pte_t *pte = pt_lookup(root, va, &l);
	uint64_t off = va & (pt_level_size(level) - 1) & ~(PAGE_SIZE - 1);

	if (!pte)
		fail_msg("va 0x%llx: not mapped", (unsigned long long)va);
	assert_int_equal(l, level);
	assert_int_equal(pte_pa(*pte) + off, pa & ~(PAGE_SIZE - 1));
	assert_int_equal(*pte & LOW_BITS, bits | PTE_V);
	assert_int_equal(*pte >> 54, 0); /* reserved bits */
}

static void check_unmapped(uintptr_t va)
{
	int l = -7;

	if (pt_lookup(root, va, &l))
		fail_msg("va 0x%llx: mapped", (unsigned long long)va);
	assert_int_equal(l, -7); /* untouched */
}

/* True if every entry of the root is zero. */
static bool root_empty(void)
{
	for (unsigned int i = 0; i < PTES_PER_TABLE; i++)
		if (root[i])
			return false;
	return true;
}

/*
 * The mixed range: at A (1 GiB aligned) - 2 MiB - 4 KiB, a 4 KiB leaf, a
 * 2 MiB leaf, a 1 GiB leaf at A, a 2 MiB leaf and a 4 KiB leaf, mapped to
 * the same layout around P: four tables (a level-1 and a level-0 table on
 * each side of the 1 GiB leaf).
 */
#define MIXED_SIZE (SZ_4K + SZ_2M + SZ_1G + SZ_2M + SZ_4K)

struct piece {
	uint64_t off; /* from the start of the range */
	uint64_t size;
	int level;
};

static const struct piece mixed[] = {
	{ 0, SZ_4K, 0 },
	{ SZ_4K, SZ_2M, 1 },
	{ SZ_4K + SZ_2M, SZ_1G, 2 },
	{ SZ_4K + SZ_2M + SZ_1G, SZ_2M, 1 },
	{ SZ_4K + SZ_2M + SZ_1G + SZ_2M, SZ_4K, 0 },
};

#define NR_MIXED (sizeof(mixed) / sizeof(mixed[0]))

static uintptr_t mixed_start(uintptr_t a)
{
	return a - SZ_2M - SZ_4K;
}

static void map_mixed(uintptr_t a, phys_addr_t p, uint64_t prot)
{
	unsigned long before = tables();

	assert_int_equal(pt_map(root, mixed_start(a), mixed_start(p),
				MIXED_SIZE, prot, 2, &ops),
			 0);
	assert_int_equal(tables() - before, 4);
}

static void check_mixed(uintptr_t a, phys_addr_t p, uint64_t bits)
{
	for (unsigned int i = 0; i < NR_MIXED; i++) {
		uint64_t off = mixed[i].off;
		uint64_t last = off + mixed[i].size - PAGE_SIZE;

		check_leaf(mixed_start(a) + off, mixed[i].level,
			   mixed_start(p) + off, bits);
		check_leaf(mixed_start(a) + last, mixed[i].level,
			   mixed_start(p) + last, bits);
		/* an address inside a page, not just its start */
		check_leaf(mixed_start(a) + off + mixed[i].size / 2 + 123,
			   mixed[i].level,
			   mixed_start(p) + off + mixed[i].size / 2, bits);
	}
	check_unmapped(mixed_start(a) - PAGE_SIZE);
	check_unmapped(mixed_start(a) + MIXED_SIZE);
}

/* ---- pt_map ---- */

/* One range of each leaf size, each in its own 1 GiB slot. */
static void map_leaf_sizes(void **state)
{
	const uint64_t prot = PTE_R | PTE_W | PTE_A | PTE_D;
	uintptr_t va;
	pte_t *pte;
	int level;

	/* 1 GiB at a 1 GiB aligned VA and PA: the root entry itself */
	va = 3 * SZ_1G;
	assert_int_equal(pt_map(root, va, LEAF_PA, SZ_1G, prot, 2, &ops), 0);
	assert_int_equal(tables(), 0);
	pte = pt_lookup(root, va + 0x12345678, &level);
	assert_ptr_equal(pte, &root[3]);
	assert_int_equal(level, 2);
	assert_int_equal(*pte, pte_leaf(LEAF_PA, prot));
	check_leaf(va + SZ_1G - 1, 2, LEAF_PA + SZ_1G - PAGE_SIZE, prot);
	check_unmapped(va - 1);
	check_unmapped(va + SZ_1G);

	/* 2 MiB: one level-1 table */
	va = 5 * SZ_1G + 7 * SZ_2M;
	assert_int_equal(
		pt_map(root, va, LEAF_PA + SZ_2M, SZ_2M, prot, 2, &ops), 0);
	assert_int_equal(tables(), 1);
	check_leaf(va, 1, LEAF_PA + SZ_2M, prot);
	check_leaf(va + SZ_2M - 1, 1, LEAF_PA + 2 * SZ_2M - PAGE_SIZE, prot);
	check_unmapped(va - 1);
	check_unmapped(va + SZ_2M);

	/* 4 KiB: a level-1 and a level-0 table */
	va = 7 * SZ_1G + 9 * SZ_2M + 11 * SZ_4K;
	assert_int_equal(
		pt_map(root, va, LEAF_PA + SZ_4K, SZ_4K, prot, 2, &ops), 0);
	assert_int_equal(tables(), 3);
	check_leaf(va + 4095, 0, LEAF_PA + SZ_4K, prot);
	check_unmapped(va - 1);
	check_unmapped(va + SZ_4K);

	/* another 4 KiB page in the same 2 MiB block: no new table */
	assert_int_equal(pt_map(root, va + SZ_4K, LEAF_PA + 2 * SZ_4K, SZ_4K,
				prot, 2, &ops),
			 0);
	assert_int_equal(tables(), 3);
	check_leaf(va + SZ_4K, 0, LEAF_PA + 2 * SZ_4K, prot);
}

/* A range mixing every size: each piece gets the largest leaf it allows. */
static void map_mixed_range(void **state)
{
	const uint64_t prot = PTE_R | PTE_X | PTE_G | PTE_A;

	map_mixed(5 * SZ_1G, LEAF_PA + 2 * SZ_1G, prot);
	check_mixed(5 * SZ_1G, LEAF_PA + 2 * SZ_1G, prot);
	assert_int_equal(pool.allocs, 4);
}

/* The PA's alignment limits the leaves as much as the VA's. */
static void map_alignment_limits(void **state)
{
	const uint64_t prot = PTE_R;
	uintptr_t va = 2 * SZ_1G; /* 1 GiB aligned */

	/* PA only 4 KiB aligned: 512 pages in two tables */
	assert_int_equal(
		pt_map(root, va, LEAF_PA + SZ_4K, SZ_2M, prot, 2, &ops), 0);
	assert_int_equal(tables(), 2);
	for (uint64_t off = 0; off < SZ_2M; off += SZ_4K)
		check_leaf(va + off, 0, LEAF_PA + SZ_4K + off, prot);

	/* PA 2 MiB but not 1 GiB aligned, 1 GiB long: 512 leaves of 2 MiB */
	va = 4 * SZ_1G;
	assert_int_equal(
		pt_map(root, va, LEAF_PA + SZ_2M, SZ_1G, prot, 2, &ops), 0);
	assert_int_equal(tables(), 3);
	for (uint64_t off = 0; off < SZ_1G; off += SZ_2M)
		check_leaf(va + off, 1, LEAF_PA + SZ_2M + off, prot);

	/* size shorter than a leaf: 2 MiB aligned, 2 MiB - 4 KiB long */
	va = 6 * SZ_1G;
	assert_int_equal(
		pt_map(root, va, LEAF_PA, SZ_2M - SZ_4K, prot, 2, &ops), 0);
	assert_int_equal(tables(), 5);
	check_leaf(va, 0, LEAF_PA, prot);
	check_leaf(va + SZ_2M - 2 * SZ_4K, 0, LEAF_PA + SZ_2M - 2 * SZ_4K,
		   prot);
	check_unmapped(va + SZ_2M - SZ_4K);
}

/* max_level caps the leaf size. */
static void map_max_level(void **state)
{
	const uint64_t prot = PTE_R | PTE_W;
	uintptr_t va = 8 * SZ_1G;

	/* 0: 4 KiB leaves only, 4 MiB = a level-1 and two level-0 tables */
	assert_int_equal(pt_map(root, va, LEAF_PA, 2 * SZ_2M, prot, 0, &ops),
			 0);
	assert_int_equal(tables(), 3);
	for (uint64_t off = 0; off < 2 * SZ_2M; off += SZ_4K)
		check_leaf(va + off, 0, LEAF_PA + off, prot);

	/* 1: a 1 GiB aligned GiB as 512 leaves of 2 MiB in one table */
	va = 9 * SZ_1G;
	assert_int_equal(
		pt_map(root, va, LEAF_PA + SZ_1G, SZ_1G, prot, 1, &ops), 0);
	assert_int_equal(tables(), 4);
	for (uint64_t off = 0; off < SZ_1G; off += SZ_2M)
		check_leaf(va + off, 1, LEAF_PA + SZ_1G + off, prot);

	/* above 2: as 2 */
	va = 10 * SZ_1G;
	assert_int_equal(
		pt_map(root, va, LEAF_PA + 2 * SZ_1G, SZ_1G, prot, 5, &ops), 0);
	assert_int_equal(tables(), 4);
	check_leaf(va, 2, LEAF_PA + 2 * SZ_1G, prot);
}

/* Bad arguments: -EINVAL before anything is allocated or mapped. */
static void map_rejects_bad_args(void **state)
{
	const uintptr_t va = SZ_1G;
	const phys_addr_t pa = LEAF_PA;
	static const uint64_t bad_prot[] = {
		0,
		PTE_W,
		PTE_W | PTE_X,
		PTE_U,
		PTE_W | PTE_U | PTE_A | PTE_D,
		PTE_G | PTE_A | PTE_D,
	};

	assert_int_equal(pt_map(root, va + 8, pa, SZ_4K, PTE_R, 2, &ops),
			 -EINVAL);
	assert_int_equal(pt_map(root, va, pa + 0x800, SZ_4K, PTE_R, 2, &ops),
			 -EINVAL);
	assert_int_equal(pt_map(root, va, pa, SZ_4K + 1, PTE_R, 2, &ops),
			 -EINVAL);
	assert_int_equal(pt_map(root, va, pa, SZ_2M - 1, PTE_R, 2, &ops),
			 -EINVAL);
	for (unsigned int i = 0; i < sizeof(bad_prot) / sizeof(bad_prot[0]);
	     i++)
		assert_int_equal(
			pt_map(root, va, pa, SZ_4K, bad_prot[i], 2, &ops),
			-EINVAL);
	assert_int_equal(pool.allocs, 0);
	assert_true(root_empty());

	/* the good ones next to them: execute-only and read-only */
	assert_int_equal(pt_map(root, va, pa, SZ_4K, PTE_X, 2, &ops), 0);
	check_leaf(va, 0, pa, PTE_X);
	assert_int_equal(pt_map(root, va + SZ_4K, pa, SZ_4K, PTE_R, 2, &ops),
			 0);
	check_leaf(va + SZ_4K, 0, pa, PTE_R);
}

/* Already mapped, by a leaf of any size: -EEXIST, nothing allocated. */
static void map_eexist(void **state)
{
	const uint64_t prot = PTE_R | PTE_W;
	uintptr_t va4k = 1 * SZ_1G + 3 * SZ_2M + 5 * SZ_4K;
	uintptr_t va2m = 2 * SZ_1G + 6 * SZ_2M;
	uintptr_t va1g = 3 * SZ_1G;
	unsigned long n;

	assert_int_equal(pt_map(root, va4k, LEAF_PA, SZ_4K, prot, 2, &ops), 0);
	assert_int_equal(pt_map(root, va2m, LEAF_PA, SZ_2M, prot, 2, &ops), 0);
	assert_int_equal(pt_map(root, va1g, LEAF_PA, SZ_1G, prot, 2, &ops), 0);
	n = pool.allocs;

	/* the same page again, and a range ending on it */
	assert_int_equal(
		pt_map(root, va4k, LEAF_PA + SZ_2M, SZ_4K, PTE_R, 2, &ops),
		-EEXIST);
	check_leaf(va4k, 0, LEAF_PA, prot);
	assert_int_equal(pt_map(root, va4k - SZ_4K, LEAF_PA + SZ_2M, 2 * SZ_4K,
				PTE_R, 0, &ops),
			 -EEXIST);
	check_leaf(va4k, 0, LEAF_PA, prot);

	/* a 2 MiB block holding a mapped page: the table is in the way */
	assert_int_equal(pt_map(root, va4k & ~(SZ_2M - 1), LEAF_PA + SZ_1G,
				SZ_2M, PTE_R, 2, &ops),
			 -EEXIST);
	check_leaf(va4k, 0, LEAF_PA, prot);

	/* a page and a 2 MiB range inside a 2 MiB leaf */
	assert_int_equal(
		pt_map(root, va2m + SZ_4K, LEAF_PA, SZ_4K, PTE_R, 2, &ops),
		-EEXIST);
	assert_int_equal(
		pt_map(root, va2m, LEAF_PA + SZ_2M, SZ_2M, PTE_R, 2, &ops),
		-EEXIST);
	check_leaf(va2m + SZ_4K, 1, LEAF_PA + SZ_4K, prot);

	/* a page and a 2 MiB range inside a 1 GiB leaf */
	assert_int_equal(
		pt_map(root, va1g + 77 * SZ_4K, LEAF_PA, SZ_4K, PTE_R, 2, &ops),
		-EEXIST);
	assert_int_equal(
		pt_map(root, va1g + 9 * SZ_2M, LEAF_PA, SZ_2M, PTE_R, 2, &ops),
		-EEXIST);
	assert_int_equal(pt_map(root, va1g, LEAF_PA, SZ_1G, PTE_R, 2, &ops),
			 -EEXIST);
	check_leaf(va1g + 77 * SZ_4K, 2, LEAF_PA + 77 * SZ_4K, prot);

	/* no table was allocated under a large leaf */
	assert_int_equal(pool.allocs, n);
}

/* pt_map over a kept PROT_NONE page: it is not free, -EEXIST. */
static void map_over_prot_none(void **state)
{
	const uintptr_t va = SZ_1G + 5 * SZ_4K;
	pte_t *pte, kept;

	assert_int_equal(
		pt_map(root, va, LEAF_PA, SZ_4K, PTE_R | PTE_U, 0, &ops), 0);
	pte = pt_lookup(root, va, NULL);
	assert_non_null(pte);
	kept = (*pte & ~(PTE_PERM | PTE_V)) | PTE_PROT_NONE;
	*pte = kept;

	assert_int_equal(
		pt_map(root, va, LEAF_PA + SZ_4K, SZ_4K, PTE_R, 0, &ops),
		-EEXIST);
	assert_int_equal(*pte, kept);
}

/* pt_map of an unmapped range whose tables were left by an unmap. */
static void map_over_empty_table(void **state)
{
	const uintptr_t va = 3 * SZ_1G + 4 * SZ_2M;

	/* a page mapped and unmapped leaves its level-0 table behind */
	assert_int_equal(
		pt_map(root, va + SZ_4K, LEAF_PA, SZ_4K, PTE_R, 2, &ops), 0);
	assert_int_equal(pt_unmap(root, va + SZ_4K, SZ_4K, &ops), 0);
	assert_int_equal(tables(), 2);
	check_unmapped(va + SZ_4K);

	/* the 2 MiB block is unmapped: a 2 MiB map of it must work */
	assert_int_equal(
		pt_map(root, va, LEAF_PA + SZ_2M, SZ_2M, PTE_R, 2, &ops), 0);
	for (uint64_t off = 0; off < SZ_2M; off += 64 * SZ_4K)
		check_leaf(va + off, 0, LEAF_PA + SZ_2M + off, PTE_R);
}

/* The range must not run past the top of the address space. */
static void map_rejects_wrap(void **state)
{
	const uintptr_t top = UL(0xfffffffffffff000);

	assert_int_equal(pt_map(root, top, LEAF_PA, 2 * SZ_4K, PTE_R, 0, &ops),
			 -EINVAL);
	check_unmapped(0);
}

/* No table page to be had: -ENOMEM. */
static void map_enomem(void **state)
{
	const uintptr_t va = 4 * SZ_1G + 3 * SZ_2M + 2 * SZ_4K;

	pool.budget = 0;
	assert_int_equal(pt_map(root, va, LEAF_PA, SZ_4K, PTE_R, 2, &ops),
			 -ENOMEM);
	assert_int_equal(
		pt_map(root, va & ~(SZ_2M - 1), LEAF_PA, SZ_2M, PTE_R, 2, &ops),
		-ENOMEM);
	assert_true(root_empty());
	check_unmapped(va);

	/* a 1 GiB leaf needs no table */
	assert_int_equal(
		pt_map(root, 6 * SZ_1G, LEAF_PA, SZ_1G, PTE_R, 2, &ops), 0);
	check_leaf(6 * SZ_1G, 2, LEAF_PA, PTE_R);

	/* one page is not enough for a 4 KiB leaf: the level-1 table stays */
	pool.budget = 1;
	assert_int_equal(pt_map(root, va, LEAF_PA, SZ_4K, PTE_R, 2, &ops),
			 -ENOMEM);
	assert_int_equal(tables(), 1);
	check_unmapped(va);

	/* one more does it */
	pool.budget = 1;
	assert_int_equal(pt_map(root, va, LEAF_PA, SZ_4K, PTE_R, 2, &ops), 0);
	assert_int_equal(tables(), 2);
	check_leaf(va, 0, LEAF_PA, PTE_R);

	/* a NULL alloc_table is no memory either */
	pool.budget = -1;
	assert_int_equal(
		pt_map(root, 8 * SZ_1G, LEAF_PA, SZ_4K, PTE_R, 2, NULL),
		-ENOMEM);
	check_unmapped(8 * SZ_1G);
}

/* ---- pt_lookup ---- */

/* Permission bits come back as given; both halves of the space work. */
static void lookup_bits_and_halves(void **state)
{
	static const uint64_t prots[] = {
		PTE_R,
		PTE_X,
		PTE_R | PTE_W,
		PTE_R | PTE_X | PTE_U,
		PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D,
		PROT_KERN_RW,
		PROT_KERN_RX,
		PROT_KERN_RO,
	};
	const uintptr_t top = UL(0xfffffffffffff000);
	pte_t *pte;
	int level;

	for (unsigned int i = 0; i < sizeof(prots) / sizeof(prots[0]); i++) {
		uintptr_t va = SZ_1G + i * SZ_4K;
		phys_addr_t pa = LEAF_PA + (7 + 3 * i) * SZ_4K;

		assert_int_equal(pt_map(root, va, pa, SZ_4K, prots[i], 2, &ops),
				 0);
		pte = pt_lookup(root, va + 0xabc, &level);
		assert_non_null(pte);
		assert_int_equal(level, 0);
		assert_int_equal(pte_pa(*pte), pa);
		assert_int_equal(*pte & LOW_BITS, prots[i] | PTE_V);
		assert_int_equal(*pte, pte_leaf(pa, prots[i]));
	}

	/* upper half: the root's second half, index 256 up */
	assert_int_equal(
		pt_map(root, UPPER, LEAF_PA, SZ_1G, PROT_KERN_RW, 2, &ops), 0);
	pte = pt_lookup(root, UPPER + 0x3fffffff, &level);
	assert_ptr_equal(pte, &root[256]);
	assert_int_equal(level, 2);
	assert_int_equal(pte_pa(*pte), LEAF_PA);
	/* the last lower-half GiB is a different entry */
	check_unmapped(UL(0x3fc0000000));
	assert_int_equal(pt_map(root, UL(0x3fc0000000), LEAF_PA + SZ_1G, SZ_1G,
				PTE_R | PTE_U, 2, &ops),
			 0);
	assert_ptr_equal(pt_lookup(root, UL(0x3fffffffff), NULL), &root[255]);
	check_leaf(UPPER, 2, LEAF_PA, PROT_KERN_RW);

	assert_int_equal(pt_map(root, UPPER + SZ_1G + 3 * SZ_2M,
				LEAF_PA + 5 * SZ_2M, SZ_2M, PROT_KERN_RX, 2,
				&ops),
			 0);
	check_leaf(UPPER + SZ_1G + 3 * SZ_2M + 0x1234, 1,
		   LEAF_PA + 5 * SZ_2M + 0x1000, PROT_KERN_RX);
	check_unmapped(UPPER + SZ_1G + 2 * SZ_2M);

	/* the very last page of the space, and the one under it */
	assert_int_equal(pt_map(root, top, LEAF_PA + 9 * SZ_4K, SZ_4K,
				PROT_KERN_RO, 2, &ops),
			 0);
	pte = pt_lookup(root, UL(0xffffffffffffffff), &level);
	assert_non_null(pte);
	assert_int_equal(level, 0);
	assert_int_equal(pte_pa(*pte), LEAF_PA + 9 * SZ_4K);
	check_unmapped(top - SZ_4K);
	assert_int_equal(pte_is_leaf(root[511]), 0);
	assert_int_equal(root[511] & PTE_V, PTE_V);
}

/* ---- pt_walk ---- */

static void walk_tables(void **state)
{
	const uintptr_t va = 2 * SZ_1G + 5 * SZ_2M + 7 * SZ_4K;
	pte_t *pte, *again, *l1;

	/* level 2 is the root entry: nothing to allocate */
	assert_ptr_equal(pt_walk(root, va, 2, &ops), &root[2]);
	assert_int_equal(pool.allocs, 0);

	/* level 0: two tables, a zero entry */
	pte = pt_walk(root, va, 0, &ops);
	assert_non_null(pte);
	assert_int_equal(*pte, 0);
	assert_int_equal(tables(), 2);
	assert_int_equal(root[2] & (PTE_V | PTE_R | PTE_W | PTE_X), PTE_V);
	l1 = pt_walk(root, va, 1, &ops);
	assert_ptr_equal(l1, (pte_t *)phys_to_virt(pte_pa(root[2])) + 5);
	assert_ptr_equal(pte, (pte_t *)phys_to_virt(pte_pa(*l1)) + 7);

	/* again: the same entry, nothing new */
	again = pt_walk(root, va, 0, &ops);
	assert_ptr_equal(again, pte);
	assert_int_equal(tables(), 2);

	/* what is written there is what pt_lookup finds */
	*pte = pte_leaf(LEAF_PA, PTE_R | PTE_U);
	assert_ptr_equal(pt_lookup(root, va, NULL), pte);
	/* a neighbour shares the tables */
	assert_ptr_equal(pt_walk(root, va + SZ_4K, 0, &ops), pte + 1);
	assert_int_equal(tables(), 2);
	/* a NULL ops is fine while no table is needed */
	assert_ptr_equal(pt_walk(root, va + SZ_4K, 0, NULL), pte + 1);
}

static void walk_blocked(void **state)
{
	const uintptr_t va2m = 3 * SZ_1G + 4 * SZ_2M;
	const uintptr_t va1g = 5 * SZ_1G;
	unsigned long n;

	assert_int_equal(pt_map(root, va2m, LEAF_PA, SZ_2M, PTE_R, 2, &ops), 0);
	assert_int_equal(pt_map(root, va1g, LEAF_PA, SZ_1G, PTE_R, 2, &ops), 0);
	n = pool.allocs;

	/* a larger leaf covers va: NULL below it, the leaf at its level */
	assert_null(pt_walk(root, va2m + SZ_4K, 0, &ops));
	assert_ptr_equal(pt_walk(root, va2m + SZ_4K, 1, &ops),
			 pt_lookup(root, va2m, NULL));
	assert_null(pt_walk(root, va1g + SZ_2M + SZ_4K, 0, &ops));
	assert_null(pt_walk(root, va1g + SZ_2M, 1, &ops));
	assert_ptr_equal(pt_walk(root, va1g + SZ_2M, 2, &ops), &root[5]);
	assert_int_equal(pool.allocs, n);

	/* no memory: NULL; what was allocated on the way stays linked */
	pool.budget = 0;
	assert_null(pt_walk(root, 7 * SZ_1G, 0, &ops));
	assert_null(pt_walk(root, 7 * SZ_1G, 0, NULL));
	assert_int_equal(root[7], 0);
	pool.budget = 1;
	assert_null(pt_walk(root, 7 * SZ_1G, 0, &ops));
	assert_int_equal(root[7] & PTE_V, PTE_V);
	pool.budget = 1;
	assert_non_null(pt_walk(root, 7 * SZ_1G, 0, &ops));
	assert_int_equal(tables(), n + 2);
}

/* ---- pt_unmap ---- */

static void check_rec(unsigned long i, uintptr_t va, uint64_t size, pte_t pte)
{
	assert_true(i < nr_recs);
	assert_int_equal(recs[i].va, va);
	assert_int_equal(recs[i].size, size);
	assert_int_equal(recs[i].pte, pte);
}

/* A whole range: every leaf put once, every table freed. */
static void unmap_whole(void **state)
{
	const uint64_t prot = PTE_R | PTE_W | PTE_U | PTE_A;
	const uintptr_t a = 5 * SZ_1G;
	const phys_addr_t p = LEAF_PA + 3 * SZ_1G;

	map_mixed(a, p, prot);
	assert_int_equal(pt_unmap(root, mixed_start(a), MIXED_SIZE, &ops), 0);
	assert_int_equal(nr_recs, NR_MIXED);
	for (unsigned int i = 0; i < NR_MIXED; i++)
		check_rec(i, mixed_start(a) + mixed[i].off, mixed[i].size,
			  pte_leaf(mixed_start(p) + mixed[i].off, prot));
	/* the range covers no table's whole span: all four stay */
	assert_int_equal(pool.frees, 0);
	assert_int_equal(tables(), 4);
	for (unsigned int i = 0; i < NR_MIXED; i++)
		check_unmapped(mixed_start(a) + mixed[i].off);

	/* the three GiBs around it: every table goes */
	assert_int_equal(pt_unmap(root, a - SZ_1G, 3 * SZ_1G, &ops), 0);
	assert_int_equal(nr_recs, NR_MIXED);
	assert_int_equal(pool.frees, 4);
	assert_int_equal(tables(), 0);
	assert_true(root_empty());

	/* 4 MiB of 4 KiB pages, and the whole lower half as mm_destroy does */
	nr_recs = 0;
	assert_int_equal(pt_map(root, a, p, 2 * SZ_2M, prot, 0, &ops), 0);
	assert_int_equal(
		pt_map(root, UL(0x3ffffff000), p, SZ_4K, prot, 0, &ops), 0);
	assert_int_equal(pt_map(root, UPPER, p, SZ_4K, prot, 0, &ops), 0);
	assert_int_equal(tables(), 3 + 2 + 2);
	assert_int_equal(pt_unmap(root, 0, USER_END, &ops), 0);
	assert_int_equal(nr_recs, 2 * SZ_2M / SZ_4K + 1);
	for (unsigned long i = 0; i < 2 * SZ_2M / SZ_4K; i++)
		check_rec(i, a + i * SZ_4K, SZ_4K,
			  pte_leaf(p + i * SZ_4K, prot));
	check_rec(nr_recs - 1, UL(0x3ffffff000), SZ_4K, pte_leaf(p, prot));
	assert_int_equal(tables(), 2); /* the upper half's */
	check_leaf(UPPER, 0, p, prot);
	for (unsigned int i = 0; i < 256; i++)
		assert_int_equal(root[i], 0);
}

/* Only part of a table's span: the table stays, until its span goes. */
static void unmap_keeps_partial_tables(void **state)
{
	const uintptr_t va = 6 * SZ_1G + 3 * SZ_2M + 9 * SZ_4K;

	assert_int_equal(pt_map(root, va, LEAF_PA, 2 * SZ_4K, PTE_R, 0, &ops),
			 0);
	assert_int_equal(pt_unmap(root, va, 2 * SZ_4K, &ops), 0);
	assert_int_equal(nr_recs, 2);
	check_rec(0, va, SZ_4K, pte_leaf(LEAF_PA, PTE_R));
	check_rec(1, va + SZ_4K, SZ_4K, pte_leaf(LEAF_PA + SZ_4K, PTE_R));
	assert_int_equal(tables(), 2);
	assert_int_equal(pool.frees, 0);

	/* the 2 MiB around: its level-0 table */
	assert_int_equal(pt_unmap(root, va & ~(SZ_2M - 1), SZ_2M, &ops), 0);
	assert_int_equal(tables(), 1);
	/* the GiB around: its level-1 table */
	assert_int_equal(pt_unmap(root, 6 * SZ_1G, SZ_1G, &ops), 0);
	assert_int_equal(tables(), 0);
	assert_int_equal(pool.frees, 2);
	assert_int_equal(nr_recs, 2);
	assert_true(root_empty());

	/* without free_table the tables stay, without put_leaf no call */
	assert_int_equal(pt_map(root, va, LEAF_PA, SZ_4K, PTE_R, 0, &ops), 0);
	assert_int_equal(pt_unmap(root, 6 * SZ_1G, SZ_1G, &keep_ops), 0);
	assert_int_equal(tables(), 2);
	assert_int_equal(nr_recs, 2);
	check_unmapped(va);
	assert_int_equal(pt_unmap(root, 6 * SZ_1G, SZ_1G, NULL), 0);
	assert_int_equal(tables(), 2);
	/* and a second pass with ops frees them */
	assert_int_equal(pt_unmap(root, 6 * SZ_1G, SZ_1G, &ops), 0);
	assert_int_equal(tables(), 0);
	assert_int_equal(nr_recs, 2);
}

static void unmap_rejects_bad_args(void **state)
{
	assert_int_equal(pt_map(root, SZ_1G, LEAF_PA, SZ_4K, PTE_R, 0, &ops),
			 0);
	assert_int_equal(pt_unmap(root, SZ_1G + 1, SZ_4K, &ops), -EINVAL);
	assert_int_equal(pt_unmap(root, SZ_1G, SZ_4K - 1, &ops), -EINVAL);
	assert_int_equal(pt_unmap(root, SZ_1G, UL(0) - SZ_4K, &ops), -EINVAL);
	assert_int_equal(nr_recs, 0);
	check_leaf(SZ_1G, 0, LEAF_PA, PTE_R);
	/* nothing to do */
	assert_int_equal(pt_unmap(root, SZ_1G, 0, &ops), 0);
	check_leaf(SZ_1G, 0, LEAF_PA, PTE_R);
}

/* Part of a 2 MiB leaf: split, the rest maps as before. */
static void unmap_splits_2m(void **state)
{
	const uint64_t prot = PTE_R | PTE_X | PTE_U | PTE_G;
	const uintptr_t va = 2 * SZ_1G + 10 * SZ_2M;
	const phys_addr_t pa = LEAF_PA + 6 * SZ_2M;

	assert_int_equal(pt_map(root, va, pa, SZ_2M, prot, 2, &ops), 0);
	assert_int_equal(tables(), 1);
	assert_int_equal(pt_unmap(root, va + 8 * SZ_4K, 3 * SZ_4K, &ops), 0);
	assert_int_equal(tables(), 2);
	assert_int_equal(nr_recs, 3);
	for (unsigned int i = 0; i < 3; i++)
		check_rec(i, va + (8 + i) * SZ_4K, SZ_4K,
			  pte_leaf(pa + (8 + i) * SZ_4K, prot));
	for (uint64_t off = 0; off < SZ_2M; off += SZ_4K) {
		if (off >= 8 * SZ_4K && off < 11 * SZ_4K)
			check_unmapped(va + off);
		else
			check_leaf(va + off, 0, pa + off, prot);
	}
	assert_int_equal(pool.frees, 0);

	/* the rest: the new table goes too */
	assert_int_equal(pt_unmap(root, va, SZ_2M, &ops), 0);
	assert_int_equal(nr_recs, 512);
	assert_int_equal(tables(), 1);
	assert_int_equal(pool.frees, 1);
}

/* Part of a 1 GiB leaf: split twice where needed. */
static void unmap_splits_1g(void **state)
{
	const uint64_t prot = PTE_R | PTE_W | PTE_A | PTE_D;
	const uintptr_t va = UPPER + 3 * SZ_1G;
	const phys_addr_t pa = LEAF_PA + 2 * SZ_1G;
	uint64_t sum = 0;

	assert_int_equal(pt_map(root, va, pa, SZ_1G, prot, 2, &ops), 0);
	assert_int_equal(tables(), 0);

	/* one page of the second 2 MiB */
	assert_int_equal(pt_unmap(root, va + SZ_2M + SZ_4K, SZ_4K, &ops), 0);
	assert_int_equal(tables(), 2);
	assert_int_equal(nr_recs, 1);
	check_rec(0, va + SZ_2M + SZ_4K, SZ_4K,
		  pte_leaf(pa + SZ_2M + SZ_4K, prot));
	check_leaf(va, 1, pa, prot);
	check_leaf(va + SZ_2M - 1, 1, pa + SZ_2M - SZ_4K, prot);
	check_leaf(va + SZ_2M, 0, pa + SZ_2M, prot);
	check_unmapped(va + SZ_2M + SZ_4K);
	check_leaf(va + SZ_2M + 2 * SZ_4K, 0, pa + SZ_2M + 2 * SZ_4K, prot);
	check_leaf(va + 2 * SZ_2M - SZ_4K, 0, pa + 2 * SZ_2M - SZ_4K, prot);
	for (uint64_t off = 2 * SZ_2M; off < SZ_1G; off += SZ_2M)
		check_leaf(va + off + 5 * SZ_4K, 1, pa + off + 5 * SZ_4K, prot);

	/* from 1 MiB into the third 2 MiB to 1 MiB before the end */
	nr_recs = 0;
	assert_int_equal(pt_unmap(root, va + 2 * SZ_2M + SZ_2M / 2,
				  SZ_1G - 2 * SZ_2M - SZ_2M, &ops),
			 0);
	/* 256 pages, 508 leaves of 2 MiB, 256 pages */
	assert_int_equal(nr_recs, 256 + 508 + 256);
	for (unsigned long i = 0; i < nr_recs; i++) {
		uint64_t off = recs[i].va - va;

		assert_int_equal(recs[i].pte, pte_leaf(pa + off, prot));
		assert_int_equal(recs[i].size,
				 i < 256 || i >= 256 + 508 ? SZ_4K : SZ_2M);
		assert_int_equal(recs[i].va, va + 2 * SZ_2M + SZ_2M / 2 + sum);
		sum += recs[i].size;
	}
	assert_int_equal(sum, SZ_1G - 3 * SZ_2M);
	assert_int_equal(tables(), 4);
	check_leaf(va + 2 * SZ_2M + SZ_2M / 2 - SZ_4K, 0,
		   pa + 2 * SZ_2M + SZ_2M / 2 - SZ_4K, prot);
	check_unmapped(va + 2 * SZ_2M + SZ_2M / 2);
	check_unmapped(va + SZ_1G / 2);
	check_unmapped(va + SZ_1G - SZ_2M / 2 - SZ_4K);
	check_leaf(va + SZ_1G - SZ_2M / 2, 0, pa + SZ_1G - SZ_2M / 2, prot);
	check_leaf(va + SZ_1G - SZ_4K, 0, pa + SZ_1G - SZ_4K, prot);

	/* everything: back to no table under the root */
	assert_int_equal(pt_unmap(root, va, SZ_1G, &ops), 0);
	assert_int_equal(tables(), 0);
	assert_int_equal(root[256 + 3], 0);
}

/* A split with no page: -ENOMEM, the leaf as it was. */
static void unmap_split_enomem(void **state)
{
	const uintptr_t va2m = 2 * SZ_1G + 2 * SZ_2M;
	const uintptr_t va1g = 4 * SZ_1G;
	pte_t *pte, old;
	int level;

	assert_int_equal(pt_map(root, va2m, LEAF_PA, SZ_2M, PTE_R, 2, &ops), 0);
	assert_int_equal(pt_map(root, va1g, LEAF_PA, SZ_1G, PTE_R, 2, &ops), 0);
	pool.budget = 0;

	pte = pt_lookup(root, va2m, NULL);
	old = *pte;
	assert_int_equal(pt_unmap(root, va2m + SZ_4K, SZ_4K, &ops), -ENOMEM);
	assert_ptr_equal(pt_lookup(root, va2m + SZ_4K, &level), pte);
	assert_int_equal(level, 1);
	assert_int_equal(*pte, old);
	assert_int_equal(nr_recs, 0);

	/* the 1 GiB leaf needs two pages for a 4 KiB hole: give one */
	pool.budget = 1;
	assert_int_equal(pt_unmap(root, va1g + SZ_4K, SZ_4K, &ops), -ENOMEM);
	assert_int_equal(nr_recs, 0);
	check_leaf(va1g + SZ_4K, 1, LEAF_PA + SZ_4K, PTE_R);
	check_leaf(va1g + SZ_1G - SZ_4K, 1, LEAF_PA + SZ_1G - SZ_4K, PTE_R);

	/* and the NULL ops of an unmap that needs a split */
	pool.budget = -1;
	assert_int_equal(pt_unmap(root, va2m + SZ_4K, SZ_4K, NULL), -ENOMEM);
	check_leaf(va2m + SZ_4K, 1, LEAF_PA + SZ_4K, PTE_R);
}

/* Holes are skipped; an empty range is no error. */
static void unmap_holes(void **state)
{
	const uintptr_t base = 9 * SZ_1G;
	static const struct {
		uint64_t off, size;
	} maps[] = {
		{ 3 * SZ_4K, SZ_4K },
		{ 10 * SZ_4K, 5 * SZ_4K },
		{ 4 * SZ_2M, SZ_2M },
		{ 7 * SZ_2M + 100 * SZ_4K, SZ_4K },
		{ 300 * SZ_2M, 2 * SZ_2M },
		{ 511 * SZ_2M + 511 * SZ_4K, SZ_4K },
	};
	unsigned long leaves = 0;
	uint64_t sum = 0;

	assert_int_equal(pt_unmap(root, base, SZ_1G, &ops), 0);
	assert_int_equal(nr_recs, 0);
	assert_true(root_empty());

	for (unsigned int i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		assert_int_equal(pt_map(root, base + maps[i].off,
					LEAF_PA + maps[i].off, maps[i].size,
					PTE_R | PTE_W, 2, &ops),
				 0);
		leaves += maps[i].size == SZ_2M	      ? 1
			  : maps[i].size == 2 * SZ_2M ? 2
						      : maps[i].size / SZ_4K;
	}
	assert_int_equal(pt_unmap(root, base, SZ_1G, &ops), 0);
	assert_int_equal(nr_recs, leaves);
	for (unsigned long i = 0; i < nr_recs; i++) {
		assert_int_equal(
			recs[i].pte,
			pte_leaf(LEAF_PA + recs[i].va - base, PTE_R | PTE_W));
		if (i)
			assert_true(recs[i].va > recs[i - 1].va);
		sum += recs[i].size;
	}
	assert_int_equal(sum, 8 * SZ_4K + 3 * SZ_2M);
	assert_int_equal(tables(), 0);
	assert_true(root_empty());
}

/* A kept PROT_NONE page (invalid, non-zero) is put and cleared. */
static void unmap_prot_none(void **state)
{
	const uintptr_t va = 3 * SZ_1G + 17 * SZ_4K;
	pte_t *pte, kept;

	assert_int_equal(pt_map(root, va, LEAF_PA, 3 * SZ_4K,
				PTE_R | PTE_W | PTE_U | PTE_A | PTE_D, 0, &ops),
			 0);
	pte = pt_lookup(root, va + SZ_4K, NULL);
	assert_non_null(pte);
	kept = (*pte & ~(PTE_PERM | PTE_V)) | PTE_PROT_NONE;
	*pte = kept;
	check_unmapped(va + SZ_4K);

	assert_int_equal(pt_unmap(root, va + SZ_4K, SZ_4K, &ops), 0);
	assert_int_equal(nr_recs, 1);
	check_rec(0, va + SZ_4K, SZ_4K, kept);
	assert_int_equal(*pte, 0);
	check_leaf(va, 0, LEAF_PA, PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);

	/* one inside a whole range: put in order, the tables freed */
	pte = pt_lookup(root, va + 2 * SZ_4K, NULL);
	kept = (*pte & ~(PTE_PERM | PTE_V)) | PTE_PROT_NONE;
	*pte = kept;
	nr_recs = 0;
	assert_int_equal(pt_unmap(root, 3 * SZ_1G, SZ_1G, &ops), 0);
	assert_int_equal(nr_recs, 2);
	check_rec(0, va, SZ_4K,
		  pte_leaf(LEAF_PA, PTE_R | PTE_W | PTE_U | PTE_A | PTE_D));
	check_rec(1, va + 2 * SZ_4K, SZ_4K, kept);
	assert_int_equal(tables(), 0);
}

/* The top GiB of the space: the range's end wraps to 0. */
static void unmap_top_of_space(void **state)
{
	const uintptr_t top = UL(0xfffffffffffff000);
	const uintptr_t last_gib = UL(0xffffffffc0000000);

	assert_int_equal(
		pt_map(root, top - SZ_4K, LEAF_PA, 2 * SZ_4K, PTE_R, 0, &ops),
		0);
	assert_int_equal(pt_unmap(root, top, SZ_4K, &ops), 0);
	assert_int_equal(nr_recs, 1);
	check_rec(0, top, SZ_4K, pte_leaf(LEAF_PA + SZ_4K, PTE_R));
	check_leaf(top - SZ_4K, 0, LEAF_PA, PTE_R);
	assert_int_equal(pt_unmap(root, last_gib, SZ_1G, &ops), 0);
	assert_int_equal(nr_recs, 2);
	assert_int_equal(tables(), 0);
	assert_int_equal(root[511], 0);

	assert_int_equal(pt_map(root, last_gib, LEAF_PA, SZ_1G, PTE_R, 2, &ops),
			 0);
	assert_int_equal(pt_unmap(root, last_gib, SZ_1G, &ops), 0);
	assert_int_equal(nr_recs, 3);
	check_rec(2, last_gib, SZ_1G, pte_leaf(LEAF_PA, PTE_R));
	assert_true(root_empty());
}

/* ---- pt_protect ---- */

static void protect_pages(void **state)
{
	const uint64_t keep = PTE_G | PTE_A | PTE_D;
	const uintptr_t va = SZ_1G + 20 * SZ_4K;
	unsigned long n;

	assert_int_equal(pt_map(root, va, LEAF_PA, 16 * SZ_4K,
				PTE_R | PTE_W | PTE_U | keep, 0, &ops),
			 0);
	n = pool.allocs;

	assert_int_equal(
		pt_protect(root, va + 4 * SZ_4K, 8 * SZ_4K, PTE_R, &ops), 0);
	for (unsigned int i = 0; i < 16; i++)
		check_leaf(va + i * SZ_4K, 0, LEAF_PA + i * SZ_4K,
			   (i >= 4 && i < 12 ? PTE_R : PTE_R | PTE_W | PTE_U) |
				   keep);

	assert_int_equal(pt_protect(root, va, 16 * SZ_4K, PTE_X | PTE_U, &ops),
			 0);
	for (unsigned int i = 0; i < 16; i++)
		check_leaf(va + i * SZ_4K, 0, LEAF_PA + i * SZ_4K,
			   PTE_X | PTE_U | keep);

	assert_int_equal(pt_protect(root, va, 16 * SZ_4K,
				    PTE_R | PTE_W | PTE_X | PTE_U, &ops),
			 0);
	check_leaf(va + 15 * SZ_4K, 0, LEAF_PA + 15 * SZ_4K,
		   PTE_R | PTE_W | PTE_X | PTE_U | keep);

	/* holes: nothing is created there */
	assert_int_equal(pt_protect(root, 0, 4 * SZ_1G, PTE_R, &ops), 0);
	assert_int_equal(pool.allocs, n);
	check_unmapped(va - SZ_4K);
	check_unmapped(va + 16 * SZ_4K);
	check_unmapped(2 * SZ_1G);
	check_leaf(va + 3 * SZ_4K, 0, LEAF_PA + 3 * SZ_4K, PTE_R | keep);
}

static void protect_large_leaves(void **state)
{
	const uint64_t keep = PTE_A | PTE_D;
	const uint64_t rw = PTE_R | PTE_W | keep;
	const uintptr_t va2m = 2 * SZ_1G + 8 * SZ_2M;
	const uintptr_t va1g = UPPER + 4 * SZ_1G;

	assert_int_equal(pt_map(root, va2m, LEAF_PA, 2 * SZ_2M, rw, 2, &ops),
			 0);
	assert_int_equal(
		pt_map(root, va1g, LEAF_PA + SZ_1G, SZ_1G, rw, 2, &ops), 0);
	assert_int_equal(tables(), 1);

	/* a whole 2 MiB leaf: no split */
	assert_int_equal(pt_protect(root, va2m + SZ_2M, SZ_2M, PTE_R, &ops), 0);
	assert_int_equal(tables(), 1);
	check_leaf(va2m, 1, LEAF_PA, rw);
	check_leaf(va2m + SZ_2M, 1, LEAF_PA + SZ_2M, PTE_R | keep);

	/* part of one: split, only that part changes */
	assert_int_equal(pt_protect(root, va2m + 100 * SZ_4K, 2 * SZ_4K,
				    PTE_R | PTE_X, &ops),
			 0);
	assert_int_equal(tables(), 2);
	for (uint64_t off = 0; off < SZ_2M; off += SZ_4K)
		check_leaf(va2m + off, 0, LEAF_PA + off,
			   off == 100 * SZ_4K || off == 101 * SZ_4K
				   ? PTE_R | PTE_X | keep
				   : rw);
	check_leaf(va2m + SZ_2M, 1, LEAF_PA + SZ_2M, PTE_R | keep);

	/* a whole 1 GiB leaf, then part of it across a 2 MiB boundary */
	assert_int_equal(pt_protect(root, va1g, SZ_1G, PTE_R | PTE_U, &ops), 0);
	assert_int_equal(tables(), 2);
	check_leaf(va1g + 12345 * SZ_4K, 2, LEAF_PA + SZ_1G + 12345 * SZ_4K,
		   PTE_R | PTE_U | keep);
	assert_int_equal(pt_protect(root, va1g + SZ_2M - SZ_4K, 2 * SZ_4K,
				    PTE_R | PTE_W, &ops),
			 0);
	assert_int_equal(tables(), 2 + 3); /* a level-1, two level-0 tables */
	check_leaf(va1g, 0, LEAF_PA + SZ_1G, PTE_R | PTE_U | keep);
	check_leaf(va1g + SZ_2M - 2 * SZ_4K, 0,
		   LEAF_PA + SZ_1G + SZ_2M - 2 * SZ_4K, PTE_R | PTE_U | keep);
	check_leaf(va1g + SZ_2M - SZ_4K, 0, LEAF_PA + SZ_1G + SZ_2M - SZ_4K,
		   PTE_R | PTE_W | keep);
	check_leaf(va1g + SZ_2M, 0, LEAF_PA + SZ_1G + SZ_2M,
		   PTE_R | PTE_W | keep);
	check_leaf(va1g + SZ_2M + SZ_4K, 0, LEAF_PA + SZ_1G + SZ_2M + SZ_4K,
		   PTE_R | PTE_U | keep);
	check_leaf(va1g + 2 * SZ_2M, 1, LEAF_PA + SZ_1G + 2 * SZ_2M,
		   PTE_R | PTE_U | keep);
	check_leaf(va1g + SZ_1G - SZ_4K, 1, LEAF_PA + 2 * SZ_1G - SZ_4K,
		   PTE_R | PTE_U | keep);

	/* no page for a split: -ENOMEM, the leaf unchanged */
	pool.budget = 0;
	assert_int_equal(pt_protect(root, va2m + SZ_2M, SZ_4K, PTE_X, &ops),
			 -ENOMEM);
	check_leaf(va2m + SZ_2M + SZ_4K, 1, LEAF_PA + SZ_2M + SZ_4K,
		   PTE_R | keep);
}

static void protect_rejects_bad_args(void **state)
{
	static const uint64_t bad_prot[] = {
		0,
		PTE_W,
		PTE_W | PTE_X,
		PTE_U,
		PTE_R | PTE_A,
		PTE_R | PTE_D,
		PTE_R | PTE_G,
		PTE_R | PTE_V,
		PTE_R | PTE_PROT_NONE,
	};
	const uintptr_t va = SZ_1G;

	assert_int_equal(
		pt_map(root, va, LEAF_PA, 4 * SZ_4K, PTE_R | PTE_W, 0, &ops),
		0);
	for (unsigned int i = 0; i < sizeof(bad_prot) / sizeof(bad_prot[0]);
	     i++)
		assert_int_equal(
			pt_protect(root, va, 4 * SZ_4K, bad_prot[i], &ops),
			-EINVAL);
	assert_int_equal(pt_protect(root, va + 4, SZ_4K, PTE_R, &ops), -EINVAL);
	assert_int_equal(pt_protect(root, va, 100, PTE_R, &ops), -EINVAL);
	assert_int_equal(pt_protect(root, va, UL(0) - SZ_4K, PTE_R, &ops),
			 -EINVAL);
	for (unsigned int i = 0; i < 4; i++)
		check_leaf(va + i * SZ_4K, 0, LEAF_PA + i * SZ_4K,
			   PTE_R | PTE_W);
}

/* ---- pt_for_each_leaf ---- */

struct visit {
	pte_t *pte;
	uintptr_t va;
	int level;
};

struct visits {
	struct visit v[64];
	unsigned int n;
	unsigned int stop_at; /* return 7 on this call (1-based); 0: never */
	bool clear_w;
};

static int visit_fn(pte_t *pte, uintptr_t va, int level, void *ctx)
{
	struct visits *vs = ctx;

	assert_true(vs->n < 64);
	vs->v[vs->n++] = (struct visit){ pte, va, level };
	if (vs->clear_w)
		*pte &= ~PTE_W;
	return vs->n == vs->stop_at ? 7 : 0;
}

static void for_each_leaf(void **state)
{
	const uint64_t prot = PTE_R | PTE_W | PTE_U;
	const uintptr_t a = UPPER + 2 * SZ_1G;
	const uintptr_t start = mixed_start(a);
	const uintptr_t none = start + MIXED_SIZE + 5 * SZ_4K;
	struct visits vs = { 0 };
	pte_t *pte;

	map_mixed(a, LEAF_PA + SZ_1G, prot);
	/* a kept PROT_NONE page after the range's last leaf */
	assert_int_equal(pt_map(root, none, LEAF_PA, SZ_4K, prot, 0, &ops), 0);
	pte = pt_lookup(root, none, NULL);
	*pte = (*pte & ~(PTE_PERM | PTE_V)) | PTE_PROT_NONE;

	/* everything: six leaves in order, at their own start and level */
	assert_int_equal(
		pt_for_each_leaf(root, start - SZ_1G, 4 * SZ_1G, visit_fn, &vs),
		0);
	assert_int_equal(vs.n, NR_MIXED + 1);
	for (unsigned int i = 0; i < NR_MIXED; i++) {
		assert_int_equal(vs.v[i].va, start + mixed[i].off);
		assert_int_equal(vs.v[i].level, mixed[i].level);
		assert_ptr_equal(vs.v[i].pte,
				 pt_lookup(root, start + mixed[i].off, NULL));
	}
	assert_int_equal(vs.v[NR_MIXED].va, none);
	assert_int_equal(vs.v[NR_MIXED].level, 0);
	assert_ptr_equal(vs.v[NR_MIXED].pte, pte);

	/* a range inside the 1 GiB leaf: the leaf, at its start */
	vs = (struct visits){ 0 };
	assert_int_equal(pt_for_each_leaf(root, a + 5 * SZ_2M + 3 * SZ_4K,
					  SZ_4K, visit_fn, &vs),
			 0);
	assert_int_equal(vs.n, 1);
	assert_int_equal(vs.v[0].va, a);
	assert_int_equal(vs.v[0].level, 2);

	/* from the middle of the first 2 MiB leaf into the 1 GiB one */
	vs = (struct visits){ 0 };
	assert_int_equal(pt_for_each_leaf(root, start + SZ_4K + SZ_2M / 2,
					  SZ_2M, visit_fn, &vs),
			 0);
	assert_int_equal(vs.n, 2);
	assert_int_equal(vs.v[0].va, start + SZ_4K);
	assert_int_equal(vs.v[0].level, 1);
	assert_int_equal(vs.v[1].va, a);

	/* only the PROT_NONE page */
	vs = (struct visits){ 0 };
	assert_int_equal(pt_for_each_leaf(root, none, SZ_4K, visit_fn, &vs), 0);
	assert_int_equal(vs.n, 1);
	assert_ptr_equal(vs.v[0].pte, pte);

	/* a hole, and an empty range */
	vs = (struct visits){ 0 };
	assert_int_equal(
		pt_for_each_leaf(root, none - SZ_4K, SZ_4K, visit_fn, &vs), 0);
	assert_int_equal(pt_for_each_leaf(root, start, 0, visit_fn, &vs), 0);
	assert_int_equal(pt_for_each_leaf(root, 0, USER_END, visit_fn, &vs), 0);
	assert_int_equal(vs.n, 0);

	/* a non-zero return stops the walk and comes back */
	vs = (struct visits){ .stop_at = 3 };
	assert_int_equal(pt_for_each_leaf(root, start, MIXED_SIZE + SZ_1G,
					  visit_fn, &vs),
			 7);
	assert_int_equal(vs.n, 3);
	assert_int_equal(vs.v[2].va, a);

	/* fn may rewrite the entry */
	vs = (struct visits){ .clear_w = true };
	assert_int_equal(
		pt_for_each_leaf(root, start, MIXED_SIZE, visit_fn, &vs), 0);
	assert_int_equal(vs.n, NR_MIXED);
	check_mixed(a, LEAF_PA + SZ_1G, PTE_R | PTE_U);
}

/* ---- random maps, unmaps and protects against a reference ---- */

#define WIN_PAGES 16384			   /* 64 MiB */
#define WIN_BASE  (3 * SZ_1G - 16 * SZ_2M) /* across a 1 GiB boundary */

static phys_addr_t ref_pa[WIN_PAGES]; /* 0: unmapped */
static uint64_t ref_bits[WIN_PAGES];
static uint64_t rng;

static uint64_t xorshift64s(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static uint64_t rnd(uint64_t n)
{
	return xorshift64s(&rng) % n;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

static uint64_t random_perm(void)
{
	static const uint64_t perms[] = {
		PTE_R,
		PTE_X,
		PTE_R | PTE_W,
		PTE_R | PTE_X,
		PTE_R | PTE_W | PTE_X,
	};

	return perms[rnd(5)] | (rnd(2) ? PTE_U : 0);
}

static void check_window(unsigned long op)
{
	for (unsigned long i = 0; i < WIN_PAGES; i++) {
		uintptr_t va = WIN_BASE + i * SZ_4K;
		int level;
		pte_t *pte = pt_lookup(root, va, &level);

		if (!ref_pa[i]) {
			if (pte)
				fail_msg("op %lu: page %lu mapped: 0x%llx", op,
					 i, (unsigned long long)*pte);
			continue;
		}
		if (!pte)
			fail_msg("op %lu: page %lu not mapped", op, i);
		if (pte_pa(*pte) + (va & (pt_level_size(level) - 1)) !=
			    ref_pa[i] ||
		    (*pte & LOW_BITS) != (ref_bits[i] | PTE_V))
			fail_msg("op %lu: page %lu: pte 0x%llx level %d, "
				 "want pa 0x%llx bits 0x%llx",
				 op, i, (unsigned long long)*pte, level,
				 (unsigned long long)ref_pa[i],
				 (unsigned long long)ref_bits[i]);
	}
}

/* The level-1 entry over page i is zero: no table, no leaf. */
static bool l1_entry_free(unsigned long i)
{
	uintptr_t va = WIN_BASE + i * SZ_4K;
	pte_t l2 = root[pt_index(va, 2)];

	if (!l2)
		return true;
	return !((pte_t *)phys_to_virt(pte_pa(l2)))[pt_index(va, 1)];
}

static void random_ops(void **state)
{
	const uint64_t seed = env_u64("PAGODA_SEED", DEFAULT_SEED);
	const unsigned long ops_n = env_u64("PAGODA_STRESS_OPS", DEFAULT_OPS);
	unsigned long maps = 0, big = 0, clashes = 0, unmaps = 0, protects = 0;
	unsigned long peak = 0, mapped = 0;
	phys_addr_t next_pa = LEAF_PA;

	rng = seed ? seed : 1;
	memset(ref_pa, 0, sizeof(ref_pa));
	print_message("# random: seed 0x%llx, %lu operations\n",
		      (unsigned long long)seed, ops_n);

	for (unsigned long op = 0; op < ops_n; op++) {
		unsigned int kind = rnd(100);
		unsigned long s = rnd(WIN_PAGES);
		unsigned long n = rnd(8) ? 1 + rnd(32) : 1 + rnd(1024);

		if (n > WIN_PAGES - s)
			n = WIN_PAGES - s;
		nr_recs = 0;
		if (kind < 5) {
			/* a 2 MiB leaf where the level-1 entry is free */
			uint64_t bits = random_perm() | (rnd(2) ? PTE_A : 0);

			s &= ~511UL;
			if (!l1_entry_free(s))
				continue;
			next_pa = (next_pa + SZ_2M - 1) & ~(SZ_2M - 1);
			assert_int_equal(pt_map(root, WIN_BASE + s * SZ_4K,
						next_pa, SZ_2M, bits, 2, &ops),
					 0);
			check_leaf(WIN_BASE + s * SZ_4K, 1, next_pa, bits);
			for (unsigned long i = 0; i < 512; i++) {
				assert_int_equal(ref_pa[s + i], 0);
				ref_pa[s + i] = next_pa + i * SZ_4K;
				ref_bits[s + i] = bits;
			}
			next_pa += SZ_2M;
			big++;
		} else if (kind < 45) {
			/* 4 KiB pages up to the first mapped one */
			uint64_t bits = random_perm() | (rnd(2) ? PTE_A : 0);
			unsigned long i = 0;
			int want;

			while (i < n && !ref_pa[s + i])
				i++;
			want = i < n ? -EEXIST : 0;
			assert_int_equal(pt_map(root, WIN_BASE + s * SZ_4K,
						next_pa, n * SZ_4K, bits, 0,
						&ops),
					 want);
			for (unsigned long j = 0; j < i; j++) {
				ref_pa[s + j] = next_pa + j * SZ_4K;
				ref_bits[s + j] = bits;
			}
			next_pa += n * SZ_4K;
			maps++;
			clashes += want != 0;
		} else if (kind < 75) {
			uint64_t want = 0, sum = 0;

			for (unsigned long i = 0; i < n; i++)
				want += ref_pa[s + i] ? SZ_4K : 0;
			assert_int_equal(pt_unmap(root, WIN_BASE + s * SZ_4K,
						  n * SZ_4K, &ops),
					 0);
			/* every put leaf lies in the range and was mapped */
			for (unsigned long r = 0; r < nr_recs; r++) {
				unsigned long i =
					(recs[r].va - WIN_BASE) / SZ_4K;

				assert_true(recs[r].va >= WIN_BASE + s * SZ_4K);
				assert_true(recs[r].va + recs[r].size <=
					    WIN_BASE + (s + n) * SZ_4K);
				assert_int_equal(pte_pa(recs[r].pte),
						 ref_pa[i]);
				assert_int_equal(recs[r].pte & LOW_BITS,
						 ref_bits[i] | PTE_V);
				sum += recs[r].size;
			}
			assert_int_equal(sum, want);
			for (unsigned long i = 0; i < n; i++)
				ref_pa[s + i] = 0;
			unmaps++;
		} else {
			uint64_t perm = random_perm();

			assert_int_equal(pt_protect(root, WIN_BASE + s * SZ_4K,
						    n * SZ_4K, perm, &ops),
					 0);
			for (unsigned long i = 0; i < n; i++)
				ref_bits[s + i] =
					(ref_bits[s + i] & ~PTE_PERM) | perm;
			protects++;
		}
		check_window(op);
		if (tables() > peak)
			peak = tables();
	}

	/* unmap the window: every mapped page put once, its tables freed */
	for (unsigned long i = 0; i < WIN_PAGES; i++)
		mapped += ref_pa[i] != 0;
	nr_recs = 0;
	assert_int_equal(pt_unmap(root, WIN_BASE, WIN_PAGES * SZ_4K, &ops), 0);
	{
		uint64_t sum = 0;

		for (unsigned long r = 0; r < nr_recs; r++)
			sum += recs[r].size;
		assert_int_equal(sum, mapped * SZ_4K);
	}
	memset(ref_pa, 0, sizeof(ref_pa));
	check_window(ops_n);
	/* the window covers its level-0 tables' spans, not the GiBs' */
	assert_int_equal(tables(), !!root[2] + !!root[3]);
	assert_int_equal(pt_unmap(root, 2 * SZ_1G, 2 * SZ_1G, &ops), 0);
	assert_int_equal(tables(), 0);
	assert_true(root_empty());
	assert_int_equal(pool.allocs, pool.frees);

	print_message("# random: %lu maps (%lu clashing), %lu 2 MiB maps, "
		      "%lu unmaps, %lu protects, up to %lu tables, %lu pages "
		      "mapped at the end\n",
		      maps, clashes, big, unmaps, protects, peak, mapped);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(map_leaf_sizes),
		T(map_mixed_range),
		T(map_alignment_limits),
		T(map_max_level),
		T(map_rejects_bad_args),
		T(map_eexist),
		T(map_over_prot_none),
		T(map_over_empty_table),
		T(map_rejects_wrap),
		T(map_enomem),
		T(lookup_bits_and_halves),
		T(walk_tables),
		T(walk_blocked),
		T(unmap_whole),
		T(unmap_keeps_partial_tables),
		T(unmap_rejects_bad_args),
		T(unmap_splits_2m),
		T(unmap_splits_1g),
		T(unmap_split_enomem),
		T(unmap_holes),
		T(unmap_prot_none),
		T(unmap_top_of_space),
		T(protect_pages),
		T(protect_large_leaves),
		T(protect_rejects_bad_args),
		T(for_each_leaf),
		T(random_ops),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
