// SPDX-License-Identifier: MIT
/*
 * tests/kernel/bench_buddy.c - what the buddy allocator costs, in
 * instructions retired (bootarg bench=buddy; make bench).
 *
 * Run under QEMU's -icount shift=0, where the instret counter is exact: the
 * numbers are then the same on every run and every host. Without -icount,
 * QEMU's instret follows the host's cycle counter and only the order of
 * magnitude means anything (the "exact=" field says which one it was).
 *
 * Every operation is timed alone, between two reads of instret, and the
 * cost of the two reads themselves (the "empty" measurement: nothing
 * between them, "overhead=" on the setup line) is subtracted; the window
 * holds the call as a caller makes it (arguments, call, result). Each line
 * reports medians over ITERS iterations of the alloc, the free and the
 * pair (their sum per iteration), and the pair's mean, min and max:
 *
 *   bench: buddy_<case> order=K iters=N alloc=A free=F pair=P mean=M ...
 *
 * The cases (docs/memory.md, "Numbers", explains them):
 *   pcp      order 0 through the per-hart list (the common case)
 *   exact    through the free lists, the per-hart list bypassed, taking a
 *            block of exactly the order asked (no split, no merge)
 *   split10  through the free lists, taking a 4 MiB block apart and
 *            merging it back whole on the free (the worst case)
 *   merge    __free_one_page() alone, as drain_pcp() calls it: the last
 *            order-0 page of an otherwise free 4 MiB block, 10 merges
 */
#include <stdio.h>
#include <string.h>

#include "alloc/internal.h"
#include "hal/riscv/riscv.h"
#include "kernel/kernel.h"
#include "tests/kernel/bench.h"
#include "tests/kernel/ktest.h"

#define ITERS 2048

static uint32_t a_samples[ITERS], f_samples[ITERS], p_samples[ITERS];

/*
 * Bypass the per-hart lists of every zone (high 0, batch 1): an order-0
 * free then goes straight to the free lists, an order-0 allocation takes
 * one page from them. Linux does the same with pcp->high == 0.
 */
static struct {
	int high, batch;
} saved[MAX_NUMNODES][MAX_NR_ZONES];

static void pcp_bypass(bool on)
{
	drain_local_pages();
	for (unsigned int id = 0; id < nr_nodes; id++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct per_hart_pages *pcp =
				&nodes[id].zones[t].pcp[this_hart()];

			if (on) {
				saved[id][t].high = pcp->high;
				saved[id][t].batch = pcp->batch;
				pcp->high = 0;
				pcp->batch = 1;
			} else {
				pcp->high = saved[id][t].high;
				pcp->batch = saved[id][t].batch;
			}
		}
}

/*
 * Time ITERS alloc+free pairs of gfp/order; each alloc and each free alone.
 * Returns false (after a bench line saying so) when an allocation failed
 * or returned another block than expect (when not NULL).
 */
static bool pairs(const char *name, gfp_t gfp, unsigned int order,
		  const struct page *expect, struct bench_stats *alloc,
		  struct bench_stats *fr, struct bench_stats *pair)
{
	for (size_t i = 0; i < ITERS; i++) {
		uint64_t t0, t1, t2, t3;
		struct page *page;

		t0 = bench_now();
		page = alloc_pages(gfp, order);
		t1 = bench_now();
		if (!page || (expect && page != expect)) {
			bench_line("bench: buddy_%s order=%u error=%s\n", name,
				   order,
				   page ? "not_the_expected_block"
					: "alloc_failed");
			if (page)
				free_pages(page, order);
			return false;
		}
		t2 = bench_now();
		free_pages(page, order);
		t3 = bench_now();
		a_samples[i] = bench_less_overhead(t0, t1);
		f_samples[i] = bench_less_overhead(t2, t3);
		/* the pair: both calls, without the check between them */
		p_samples[i] = a_samples[i] + f_samples[i];
	}
	*alloc = bench_summarize(a_samples, ITERS);
	*fr = bench_summarize(f_samples, ITERS);
	*pair = bench_summarize(p_samples, ITERS);
	return true;
}

static void print_pairs(const char *name, unsigned int order,
			const struct bench_stats *a,
			const struct bench_stats *f,
			const struct bench_stats *p, const char *extra)
{
	bench_line(
		"bench: buddy_%s order=%u iters=%u alloc=%llu free=%llu pair=%llu mean=%llu min=%llu max=%llu%s\n",
		name, order, ITERS, (unsigned long long)a->median,
		(unsigned long long)f->median, (unsigned long long)p->median,
		(unsigned long long)p->mean, (unsigned long long)p->min,
		(unsigned long long)p->max, extra);
}

/* The common case: order 0 through the per-hart list. */
static void bench_pcp(void)
{
	struct bench_stats a, f, p;

	drain_local_pages();
	if (pairs("pcp", GFP_KERNEL, 0, NULL, &a, &f, &p))
		print_pairs("pcp", 0, &a, &f, &p, " goal=60");
}

/*
 * The free lists without split or merge: take a block of order + 1, split
 * it by hand into two blocks of the order (as alloc_pages_exact() splits),
 * give the upper one (the buddy) back. From then on every allocation of
 * that order takes the buddy (the head of its list: no split) and every
 * free puts it back (its buddy is in use: no merge). Checked, not assumed.
 */
static void bench_exact(unsigned int order)
{
	struct page *block, *buddy;
	struct bench_stats a, f, p;
	bool ok;

	pcp_bypass(true);
	block = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order + 1);
	if (!block) {
		pcp_bypass(false);
		bench_line("bench: buddy_exact order=%u error=alloc_failed\n",
			   order);
		return;
	}
	buddy = block + (1UL << order);
	block->order = (uint8_t)order;
	buddy->refcount = 1;
	buddy->order = (uint8_t)order;
	free_pages(buddy, order);
	ok = pairs("exact", GFP_KERNEL, order, buddy, &a, &f, &p);
	free_pages(block, order);
	pcp_bypass(false);
	if (ok)
		print_pairs("exact", order, &a, &f, &p, "");
}

/*
 * The worst case. Reclaimable allocations have no pageblock of their own
 * at boot: the first one takes over a whole free 4 MiB block. From then on
 * that block is the only reclaimable memory, so every allocation splits it
 * from order 10 down, and every free merges it back up to order 10.
 */
static void bench_split10(unsigned int order)
{
	gfp_t gfp = GFP_KERNEL | __GFP_RECLAIMABLE;
	struct page *page, *block;
	struct bench_stats a, f, p;
	char extra[64] = "";

	pcp_bypass(true);
	page = alloc_pages(gfp | __GFP_NOWARN, order);
	if (!page) {
		pcp_bypass(false);
		bench_line("bench: buddy_split10 order=%u error=alloc_failed\n",
			   order);
		return;
	}
	block = pfn_to_page(page_to_pfn(page) & ~(MAX_ORDER_NR_PAGES - 1));
	free_pages(page, order);
	if (!(block->flags & PG_buddy) || block->order != MAX_ORDER) {
		pcp_bypass(false);
		bench_line(
			"bench: buddy_split10 order=%u error=block_not_whole\n",
			order);
		return;
	}
	if (!pairs("split10", gfp, order, NULL, &a, &f, &p)) {
		pcp_bypass(false);
		return;
	}
	/* still whole after the last free: every free merged to order 10 */
	if (!(block->flags & PG_buddy) || block->order != MAX_ORDER)
		snprintf(extra, sizeof(extra), " error=block_not_whole");
	pcp_bypass(false);
	print_pairs("split10", order, &a, &f, &p, extra);
}

/*
 * The merge alone: __free_one_page() of the last order-0 page of an
 * otherwise free 4 MiB block, 10 merges up to order 10, as drain_pcp()
 * calls it (the page's free_pages() checks already passed, interrupts
 * off). The page comes from split10's reclaimable block, so each
 * allocation splits it apart again.
 */
static void bench_merge(void)
{
	gfp_t gfp = GFP_KERNEL | __GFP_RECLAIMABLE | __GFP_NOWARN;
	struct bench_stats m;
	bool whole = true;

	pcp_bypass(true);
	for (size_t i = 0; i < ITERS; i++) {
		struct page *page = alloc_pages(gfp, 0), *block;
		uint64_t pfn, t0, t1;
		struct zone *z;
		unsigned long irq;

		if (!page) {
			pcp_bypass(false);
			bench_line("bench: buddy_merge error=alloc_failed\n");
			return;
		}
		pfn = page_to_pfn(page);
		z = page_zone(page);
		block = pfn_to_page(pfn & ~(MAX_ORDER_NR_PAGES - 1));
		page->refcount = 0;
		irq = irq_save();
		t0 = bench_now();
		__free_one_page(page, pfn, z, 0, get_pageblock_mt(z, pfn));
		t1 = bench_now();
		irq_restore(irq);
		a_samples[i] = bench_less_overhead(t0, t1);
		whole &= (block->flags & PG_buddy) && block->order == MAX_ORDER;
	}
	pcp_bypass(false);
	m = bench_summarize(a_samples, ITERS);
	bench_line(
		"bench: buddy_merge from=0 to=%u iters=%u merge=%llu mean=%llu min=%llu max=%llu goal=400%s\n",
		MAX_ORDER, ITERS, (unsigned long long)m.median,
		(unsigned long long)m.mean, (unsigned long long)m.min,
		(unsigned long long)m.max,
		whole ? "" : " error=block_not_whole");
}

static void bench_buddy(void)
{
	unsigned long free0;

	bench_measure_overhead();
	bench_line(
		"bench: buddy_setup exact=%d overhead=%llu iters=%u free_pages=%lu\n",
		bench_exact_counts, (unsigned long long)bench_overhead, ITERS,
		nr_free_pages());
	drain_local_pages();
	free0 = nr_free_pages();
	bench_pcp();
	bench_exact(0);
	bench_exact(3);
	bench_split10(0);
	bench_split10(3);
	bench_merge();
	drain_local_pages();
	bench_line("bench: buddy_check valid=%d leaked_pages=%ld\n",
		   buddy_is_valid(), (long)free0 - (long)nr_free_pages());
}

KBENCH(buddy, bench_buddy);
