// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_vm_vma.c - the VMA tree of an address space, through
 * the memory calls (vm/mmap.c) on a test mm of the suite's own: splits and
 * merges, the find_vma family, the accounting (nr_vmas, total_vm, rss,
 * nr_ptes), brk, mremap and the errno values of bad arguments, then a
 * thousand random mmap/munmap/mprotect/mremap/madvise calls and touches
 * checked against a page-by-page model after every one.
 *
 * The suites run before the app exists, so each case makes an mm, runs on
 * it (mm_switch) and destroys it; every case, and the suite as a whole,
 * checks that the pages and slab objects came back.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tests/kernel/vm_test.h"

static long map(struct mm *mm, uintptr_t addr, size_t len, unsigned long prot,
		unsigned long flags)
{
	return vm_mmap(mm, addr, len, prot, flags, -1, 0);
}

static long map_fixed(struct mm *mm, uintptr_t addr, size_t len,
		      unsigned long prot)
{
	return map(mm, addr, len, prot, ANON | MAP_FIXED);
}

static struct vm_area *first_vma(struct mm *mm)
{
	return list_empty(&mm->vma_list)
		       ? NULL
		       : list_first_entry(&mm->vma_list, struct vm_area, list);
}

/* The VMAs are exactly these [start, end) ranges, in order. */
static bool layout_is(struct ktest *t, struct mm *mm, size_t n,
		      const uintptr_t (*r)[2])
{
	struct vm_area *vma = first_vma(mm);
	bool ok = EXPECT_EQ(t, mm->nr_vmas, n);

	for (size_t i = 0; i < n; i++, vma = vma_next(mm, vma)) {
		if (!ktest_check(t, vma != NULL, __FILE__, __LINE__,
				 "VMA %zu of %zu missing", i, n))
			return false;
		ok &= ktest_check(t,
				  vma->start == r[i][0] && vma->end == r[i][1],
				  __FILE__, __LINE__,
				  "VMA %zu is 0x%lx-0x%lx, not 0x%lx-0x%lx", i,
				  vma->start, vma->end, r[i][0], r[i][1]);
	}
	ok &= ktest_check(t, vma == NULL, __FILE__, __LINE__,
			  "more VMAs than %zu", n);
	return ok;
}

/* ---- the invariants of vm/vm.h, checked in full ---- */

static char why_buf[160];

__attribute__((format(printf, 1, 2))) static const char *why(const char *fmt,
							     ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why_buf, sizeof(why_buf), fmt, ap);
	va_end(ap);
	return why_buf;
}

struct leaf_ctx {
	struct mm *mm;
	unsigned long rss;
	const char *bad;
};

static int check_leaf(pte_t *pte, uintptr_t va, int level, void *arg)
{
	struct leaf_ctx *c = arg;
	struct vm_area *vma = find_vma(c->mm, va);
	uint64_t want;

	if (level) {
		c->bad = why("a level-%d leaf at 0x%lx", level, va);
		return 1;
	}
	if (!vma) {
		c->bad = why("a page at 0x%lx outside every VMA (pte 0x%lx)",
			     va, *pte);
		return 1;
	}
	if (pte_pa(*pte) != zero_page_pa) {
		c->rss++;
		/* a VMA with pages of its own has its anon id */
		if (!vma->anon) {
			c->bad = why("a page at 0x%lx in 0x%lx-0x%lx, anon 0",
				     va, vma->start, vma->end);
			return 1;
		}
	}
	if (!(*pte & PTE_V)) {
		if (!(*pte & PTE_PROT_NONE) || (vma->flags & VM_ACCESS)) {
			c->bad = why("invalid pte 0x%lx at 0x%lx in a VMA with "
				     "flags 0x%x",
				     *pte, va, vma->flags);
			return 1;
		}
		return 0;
	}
	want = vm_flags_to_pte(vma->flags);
	if (pte_pa(*pte) == zero_page_pa)
		want &= ~PTE_W;
	if ((*pte & PTE_PERM) != want || !(vma->flags & VM_ACCESS)) {
		c->bad = why("pte 0x%lx at 0x%lx: perm 0x%lx, the VMA (flags "
			     "0x%x) wants 0x%lx",
			     *pte, va, *pte & PTE_PERM, vma->flags, want);
		return 1;
	}
	return 0;
}

/* Page-table pages under a table at level (itself included). */
static unsigned long count_tables(const pte_t *table, int level, int entries)
{
	unsigned long n = 1;

	for (int i = 0; i < entries; i++)
		if ((table[i] & PTE_V) && !pte_is_leaf(table[i]))
			n += count_tables(phys_to_virt(pte_pa(table[i])),
					  level - 1, PTES_PER_TABLE);
	return n;
}

/* NULL if every invariant holds, else what broke. */
static const char *mm_broken(struct mm *mm)
{
	struct rb_node *node = rb_first(&mm->vmas);
	struct vm_area *prev = NULL, *vma;
	unsigned long n = 0, pages = 0;
	bool cache_seen = !mm->cache;
	struct leaf_ctx c = { mm, 0, NULL };

	if (rb_check(&mm->vmas) < 0)
		return "the red-black tree is broken";
	for (vma = first_vma(mm); vma; prev = vma, vma = vma_next(mm, vma)) {
		if (node != &vma->rb)
			return why("list and tree differ at VMA %lu (0x%lx)", n,
				   vma->start);
		node = rb_next(node);
		if (vma->start >= vma->end || (vma->start | vma->end) % PG ||
		    vma->end > USER_END)
			return why("bad VMA 0x%lx-0x%lx", vma->start, vma->end);
		if (prev && prev->end > vma->start)
			return why(
				"0x%lx-0x%lx overlaps or precedes 0x%lx-0x%lx",
				vma->start, vma->end, prev->start, prev->end);
		if (prev && vma_can_merge(prev, vma))
			return why("0x%lx-0x%lx and 0x%lx-0x%lx left unmerged "
				   "(flags 0x%x, pgoff 0x%lx/0x%lx, anon "
				   "%lu/%lu)",
				   prev->start, prev->end, vma->start, vma->end,
				   vma->flags, prev->pgoff, vma->pgoff,
				   prev->anon, vma->anon);
		if (vma_prev(mm, vma) != prev)
			return why("vma_prev of 0x%lx is wrong", vma->start);
		cache_seen |= mm->cache == vma;
		n++;
		pages += vma_pages(vma);
	}
	if (node)
		return "the tree has more VMAs than the list";
	if (!cache_seen)
		return "mm->cache is not one of the VMAs";
	if (n != mm->nr_vmas)
		return why("nr_vmas %lu but %lu VMAs", mm->nr_vmas, n);
	if (pages != mm->total_vm || mm->total_vm > mm->hiwater_vm)
		return why("total_vm %lu (hiwater %lu) but %lu pages",
			   mm->total_vm, mm->hiwater_vm, pages);
	for (vma = first_vma(mm); vma; vma = vma_next(mm, vma)) {
		struct vm_area *before = vma_prev(mm, vma);

		if (find_vma(mm, vma->start) != vma ||
		    find_vma(mm, vma->end - 1) != vma)
			return why("find_vma misses 0x%lx-0x%lx", vma->start,
				   vma->end);
		if (vma->start && (!before || before->end < vma->start) &&
		    find_vma(mm, vma->start - 1))
			return why("find_vma finds a VMA below 0x%lx",
				   vma->start);
		if (find_vma_above(mm, vma->start) != vma ||
		    (before && find_vma_above(mm, before->end) != vma))
			return why("find_vma_above misses 0x%lx", vma->start);
	}
	pt_for_each_leaf(mm->pgd, 0, USER_END, check_leaf, &c);
	if (c.bad)
		return c.bad;
	if (c.rss != mm->rss || mm->rss > mm->hiwater_rss)
		return why("rss %lu (hiwater %lu) but %lu pages mapped",
			   mm->rss, mm->hiwater_rss, c.rss);
	if (nr_anon_pages - vm_test_base.anon != mm->rss ||
	    nr_page_table_pages - vm_test_base.ptes != mm->nr_ptes)
		return why("nr_anon_pages +%lu, nr_page_table_pages +%lu, but "
			   "rss %lu, nr_ptes %lu",
			   nr_anon_pages - vm_test_base.anon,
			   nr_page_table_pages - vm_test_base.ptes, mm->rss,
			   mm->nr_ptes);
	/* the root and every table below its lower half */
	if (count_tables(mm->pgd, 2, PTES_PER_TABLE / 2) != mm->nr_ptes)
		return why("nr_ptes %lu but %lu tables", mm->nr_ptes,
			   count_tables(mm->pgd, 2, PTES_PER_TABLE / 2));
	return NULL;
}

#define EXPECT_MM_OK(t, mm)                                      \
	({                                                       \
		const char *__bad = mm_broken(mm);               \
		ktest_check(t, !__bad, __FILE__, __LINE__, "%s", \
			    __bad ? __bad : "");                 \
	})

/* ---- the cases ---- */

static void suite_start(struct ktest *t)
{
	vm_test_suite_start(t);
}

MM_CASE(empty_mm)
{
	EXPECT_EQ(t, current_mm, mm);
	EXPECT_EQ(t, mm->nr_vmas, 0);
	EXPECT_EQ(t, mm->total_vm, 0);
	EXPECT_EQ(t, mm->rss, 0);
	EXPECT_EQ(t, mm->nr_ptes, 1); /* the root alone */
	EXPECT_TRUE(t, find_vma(mm, MMAP_BASE - 1) == NULL);
	EXPECT_TRUE(t, find_vma_above(mm, 0) == NULL);
	EXPECT_TRUE(t, find_vma_intersection(mm, 0, USER_END) == NULL);
	/* the upper half is the kernel's, the lower half empty */
	EXPECT_TRUE(t, !memcmp(mm->pgd + PTES_PER_TABLE / 2,
			       kernel_pgd + PTES_PER_TABLE / 2,
			       PTES_PER_TABLE / 2 * sizeof(pte_t)));
	for (int i = 0; i < PTES_PER_TABLE / 2; i++)
		if (!EXPECT_EQ(t, mm->pgd[i], 0))
			break;
	EXPECT_MM_OK(t, mm);
}

MM_CASE(mmap_top_down_and_merges)
{
	long a, b, c;

	a = map(mm, 0, 4 * PG, RW, ANON);
	EXPECT_EQ(t, a, MMAP_BASE - 4 * PG);
	b = map(mm, 0, 2 * PG, RW, ANON);
	EXPECT_EQ(t, b, a - 2 * PG);
	/* the same flags, adjacent, pgoff in step: one VMA */
	EXPECT_TRUE(t, layout_is(t, mm, 1,
				 (const uintptr_t[][2]){ { b, MMAP_BASE } }));
	EXPECT_EQ(t, first_vma(mm)->pgoff, (uintptr_t)b >> PAGE_SHIFT);
	/* other flags: a VMA of its own */
	c = map(mm, 0, PG, PROT_READ, ANON);
	EXPECT_EQ(t, c, b - PG);
	EXPECT_TRUE(t, layout_is(t, mm, 2,
				 (const uintptr_t[][2]){ { c, b },
							 { b, MMAP_BASE } }));
	EXPECT_EQ(t, mm->total_vm, 7);
	EXPECT_EQ(t, mm->hiwater_vm, 7);
	/* an unaligned length is rounded up */
	EXPECT_EQ(t, map(mm, 0, 1, RW, ANON), c - PG);
	EXPECT_EQ(t, mm->total_vm, 8);
	EXPECT_EQ(t, mm->nr_vmas, 3);
	/* a free hint is taken as it is */
	EXPECT_EQ(t, map(mm, 0x40000000, PG, RW, ANON), 0x40000000);
	/* an unaligned free hint is rounded up */
	EXPECT_EQ(t, map(mm, 0x50000001, PG, RW, ANON), 0x50001000);
	/* a taken hint is not: the mapping goes top-down instead */
	EXPECT_EQ(t, map(mm, b, PG, RW, ANON), c - 2 * PG);
	EXPECT_MM_OK(t, mm);
	EXPECT_EQ(t, mm->rss, 0); /* nothing was touched */
}

MM_CASE(munmap_splits)
{
	uintptr_t s = 0x100000000UL;
	struct vm_area *hi;

	ASSERT_EQ(t, map_fixed(mm, s, 8 * PG, RW), s);
	EXPECT_EQ(t, vm_munmap(mm, s + 3 * PG, 2 * PG), 0);
	EXPECT_TRUE(t, layout_is(t, mm, 2,
				 (const uintptr_t[][2]){
					 { s, s + 3 * PG },
					 { s + 5 * PG, s + 8 * PG } }));
	EXPECT_EQ(t, mm->total_vm, 6);
	hi = find_vma(mm, s + 5 * PG);
	ASSERT_TRUE(t, hi != NULL);
	EXPECT_EQ(t, hi->pgoff, (s >> PAGE_SHIFT) + 5);
	EXPECT_EQ(t, hi->flags & ~VM_ACCOUNT, VM_READ | VM_WRITE);
	EXPECT_TRUE(t, find_vma(mm, s + 3 * PG) == NULL);
	EXPECT_TRUE(t, find_vma(mm, s + 5 * PG - 1) == NULL);
	/* a hole: nothing to do, no error */
	EXPECT_EQ(t, vm_munmap(mm, s + 3 * PG, 2 * PG), 0);
	EXPECT_EQ(t, mm->nr_vmas, 2);
	/* trim the head of one and the tail of the other */
	EXPECT_EQ(t, vm_munmap(mm, s + 2 * PG, 4 * PG), 0);
	EXPECT_TRUE(t, layout_is(t, mm, 2,
				 (const uintptr_t[][2]){
					 { s, s + 2 * PG },
					 { s + 6 * PG, s + 8 * PG } }));
	EXPECT_EQ(t, mm->total_vm, 4);
	/* refill the hole: all three merge back (pgoff in step) */
	EXPECT_EQ(t, map_fixed(mm, s + 2 * PG, 4 * PG, RW), s + 2 * PG);
	EXPECT_TRUE(t, layout_is(t, mm, 1,
				 (const uintptr_t[][2]){ { s, s + 8 * PG } }));
	EXPECT_MM_OK(t, mm);
	/* one call over everything */
	EXPECT_EQ(t, vm_munmap(mm, 0, USER_END), 0);
	EXPECT_EQ(t, mm->nr_vmas, 0);
	EXPECT_EQ(t, mm->total_vm, 0);
	EXPECT_EQ(t, mm->hiwater_vm, 8);
	EXPECT_MM_OK(t, mm);
}

MM_CASE(mmap_fixed_replaces)
{
	uintptr_t s = 0x100000000UL;
	struct vm_area *mid;

	ASSERT_EQ(t, map_fixed(mm, s, 6 * PG, RW), s);
	/* MAP_FIXED over the middle with other flags: three VMAs */
	EXPECT_EQ(t, map_fixed(mm, s + 2 * PG, 2 * PG, PROT_READ), s + 2 * PG);
	EXPECT_TRUE(t, layout_is(t, mm, 3,
				 (const uintptr_t[][2]){
					 { s, s + 2 * PG },
					 { s + 2 * PG, s + 4 * PG },
					 { s + 4 * PG, s + 6 * PG } }));
	mid = find_vma(mm, s + 3 * PG);
	ASSERT_TRUE(t, mid != NULL);
	EXPECT_EQ(t, mid->flags & ~VM_ACCOUNT, VM_READ);
	EXPECT_EQ(t, mm->total_vm, 6);
	/* NOREPLACE: refused over anything mapped, fine where free */
	EXPECT_EQ(t,
		  map(mm, s + 5 * PG, 2 * PG, RW, ANON | MAP_FIXED_NOREPLACE),
		  -EEXIST);
	EXPECT_EQ(t, map(mm, s - PG, PG, RW, ANON | MAP_FIXED_NOREPLACE),
		  s - PG);
	EXPECT_EQ(t, mm->nr_vmas, 3); /* merged into the first */
	EXPECT_EQ(t, find_vma(mm, s - PG)->end, s + 2 * PG);
	EXPECT_EQ(t, mm->total_vm, 7);
	EXPECT_MM_OK(t, mm);
}

MM_CASE(mprotect_splits_and_merges)
{
	uintptr_t s = 0x100000000UL;

	ASSERT_EQ(t, map_fixed(mm, s, 8 * PG, RW), s);
	EXPECT_EQ(t, vm_mprotect(mm, s + 3 * PG, 2 * PG, PROT_READ), 0);
	EXPECT_TRUE(t, layout_is(t, mm, 3,
				 (const uintptr_t[][2]){
					 { s, s + 3 * PG },
					 { s + 3 * PG, s + 5 * PG },
					 { s + 5 * PG, s + 8 * PG } }));
	EXPECT_EQ(t, find_vma(mm, s + 4 * PG)->flags & ~VM_ACCOUNT, VM_READ);
	EXPECT_EQ(t, find_vma(mm, s + 4 * PG)->pgoff, (s >> PAGE_SHIFT) + 3);
	EXPECT_EQ(t, mm->total_vm, 8);
	EXPECT_MM_OK(t, mm);
	/* back to RW: one VMA again */
	EXPECT_EQ(t, vm_mprotect(mm, s + 3 * PG, 2 * PG, RW), 0);
	EXPECT_TRUE(t, layout_is(t, mm, 1,
				 (const uintptr_t[][2]){ { s, s + 8 * PG } }));
	EXPECT_EQ(t, first_vma(mm)->flags & ~VM_ACCOUNT, VM_READ | VM_WRITE);
	/* the tail: two pieces; the head of those: three */
	EXPECT_EQ(t, vm_mprotect(mm, s + 6 * PG, 2 * PG, PROT_NONE), 0);
	EXPECT_EQ(t, vm_mprotect(mm, s, PG, PROT_READ | PROT_EXEC), 0);
	EXPECT_TRUE(t, layout_is(t, mm, 3,
				 (const uintptr_t[][2]){
					 { s, s + PG },
					 { s + PG, s + 6 * PG },
					 { s + 6 * PG, s + 8 * PG } }));
	EXPECT_EQ(t, find_vma(mm, s)->flags & ~VM_ACCOUNT, VM_READ | VM_EXEC);
	EXPECT_EQ(t, find_vma(mm, s + 7 * PG)->flags & ~VM_ACCOUNT, 0);
	/* over all three at once: merged into one */
	EXPECT_EQ(t, vm_mprotect(mm, s, 8 * PG, PROT_READ), 0);
	EXPECT_TRUE(t, layout_is(t, mm, 1,
				 (const uintptr_t[][2]){ { s, s + 8 * PG } }));
	/* the same flags again: nothing changes */
	EXPECT_EQ(t, vm_mprotect(mm, s + PG, PG, PROT_READ), 0);
	EXPECT_EQ(t, mm->nr_vmas, 1);
	EXPECT_MM_OK(t, mm);
	/* a hole in the range: the part before it changes, then -ENOMEM */
	ASSERT_EQ(t, map_fixed(mm, s + 9 * PG, PG, PROT_READ), s + 9 * PG);
	EXPECT_EQ(t, vm_mprotect(mm, s + 6 * PG, 4 * PG, RW), -ENOMEM);
	EXPECT_EQ(t, find_vma(mm, s + 7 * PG)->flags & ~VM_ACCOUNT,
		  VM_READ | VM_WRITE);
	EXPECT_EQ(t, find_vma(mm, s + 7 * PG)->start, s + 6 * PG);
	EXPECT_EQ(t, find_vma(mm, s + 9 * PG)->flags & ~VM_ACCOUNT, VM_READ);
	EXPECT_EQ(t, find_vma(mm, s + 5 * PG)->flags & ~VM_ACCOUNT, VM_READ);
	/* a range that starts in a hole changes nothing */
	EXPECT_EQ(t, vm_mprotect(mm, s + 8 * PG, 2 * PG, RW), -ENOMEM);
	EXPECT_EQ(t, find_vma(mm, s + 9 * PG)->flags & ~VM_ACCOUNT, VM_READ);
	EXPECT_EQ(t, mm->nr_vmas, 3);
	EXPECT_MM_OK(t, mm);
}

MM_CASE(find_vma_queries)
{
	uintptr_t a = 0x100000000UL, b = a + 4 * PG, c = a + 10 * PG,
		  d = c + 2 * PG;
	struct vm_area *va, *vb;

	ASSERT_EQ(t, map_fixed(mm, a, b - a, RW), a);
	ASSERT_EQ(t, map_fixed(mm, c, d - c, PROT_READ), c);
	va = find_vma(mm, a);
	vb = find_vma(mm, c);
	ASSERT_TRUE(t, va && vb && va != vb);
	EXPECT_EQ(t, mm->cache, vb); /* the last one found */
	EXPECT_TRUE(t, find_vma(mm, b - 1) == va);
	EXPECT_TRUE(t, find_vma(mm, b) == NULL);
	EXPECT_TRUE(t, find_vma(mm, c - 1) == NULL);
	EXPECT_TRUE(t, find_vma(mm, d - 1) == vb);
	EXPECT_TRUE(t, find_vma(mm, d) == NULL);
	EXPECT_TRUE(t, find_vma(mm, a - 1) == NULL);
	EXPECT_TRUE(t, find_vma(mm, 0) == NULL);
	EXPECT_TRUE(t, find_vma(mm, USER_END - 1) == NULL);
	EXPECT_TRUE(t, find_vma_above(mm, 0) == va);
	EXPECT_TRUE(t, find_vma_above(mm, a + 5) == va);
	EXPECT_TRUE(t, find_vma_above(mm, b) == vb);
	EXPECT_TRUE(t, find_vma_above(mm, c) == vb);
	EXPECT_TRUE(t, find_vma_above(mm, d) == NULL);
	EXPECT_TRUE(t, find_vma_intersection(mm, b, c) == NULL);
	EXPECT_TRUE(t, find_vma_intersection(mm, b, c + 1) == vb);
	EXPECT_TRUE(t, find_vma_intersection(mm, a - PG, a + 1) == va);
	EXPECT_TRUE(t, find_vma_intersection(mm, 0, USER_END) == va);
	EXPECT_TRUE(t, find_vma_intersection(mm, a - PG, a) == NULL);
	EXPECT_TRUE(t, find_vma_intersection(mm, d, USER_END) == NULL);
	EXPECT_TRUE(t, vma_next(mm, va) == vb);
	EXPECT_TRUE(t, vma_next(mm, vb) == NULL);
	EXPECT_TRUE(t, vma_prev(mm, vb) == va);
	EXPECT_TRUE(t, vma_prev(mm, va) == NULL);
	/* the cache must not survive its VMA */
	EXPECT_TRUE(t, find_vma(mm, c) == vb);
	EXPECT_EQ(t, vm_munmap(mm, c, d - c), 0);
	EXPECT_TRUE(t, mm->cache != vb);
	EXPECT_TRUE(t, find_vma(mm, c) == NULL);
	EXPECT_MM_OK(t, mm);
}

MM_CASE(many_vmas_tree_and_list)
{
	uintptr_t s = 0x200000000UL;

	/* 200 VMAs in a scattered order, alternating flags so none merge */
	for (unsigned int i = 0; i < 200; i++) {
		unsigned int k = (i * 73) % 200;

		if (!EXPECT_EQ(t,
			       map_fixed(mm, s + 2 * k * PG, PG,
					 k & 1 ? PROT_READ : RW),
			       s + 2 * k * PG))
			return;
	}
	EXPECT_EQ(t, mm->nr_vmas, 200);
	EXPECT_EQ(t, mm->total_vm, 200);
	EXPECT_MM_OK(t, mm);
	for (unsigned int k = 0; k < 200; k++) {
		struct vm_area *v = find_vma(mm, s + 2 * k * PG + 100);

		if (!EXPECT_TRUE(t, v && v->start == s + 2 * k * PG))
			break;
	}
	/* half of them go, then one mapping replaces the rest */
	for (unsigned int k = 0; k < 200; k += 2)
		EXPECT_EQ(t, vm_munmap(mm, s + 2 * k * PG, PG), 0);
	EXPECT_EQ(t, mm->nr_vmas, 100);
	EXPECT_EQ(t, map_fixed(mm, s, 400 * PG, PROT_READ), s);
	EXPECT_EQ(t, mm->nr_vmas, 1);
	EXPECT_EQ(t, mm->total_vm, 400);
	EXPECT_MM_OK(t, mm);
}

MM_CASE(errno_values)
{
	uintptr_t s = 0x100000000UL;

	ASSERT_EQ(t, map_fixed(mm, s, 2 * PG, RW), s);
	/* mmap */
	EXPECT_EQ(t, map(mm, 0, 0, RW, ANON), -EINVAL);
	EXPECT_EQ(t, map(mm, s + 4 * PG + 1, PG, RW, ANON | MAP_FIXED),
		  -EINVAL);
	EXPECT_EQ(t,
		  map(mm, s + 4 * PG + 1, PG, RW, ANON | MAP_FIXED_NOREPLACE),
		  -EINVAL);
	EXPECT_EQ(t, vm_mmap(mm, 0, PG, RW, ANON, -1, 100), -EINVAL);
	EXPECT_EQ(t, map(mm, 0, PG, RW, MAP_ANONYMOUS), -EINVAL); /* no type */
	EXPECT_EQ(t, map(mm, 0, PG, RW, MAP_ANONYMOUS | 0x7), -EINVAL);
	EXPECT_EQ(t, vm_mmap(mm, 0, PG, RW, MAP_PRIVATE, -1, 0), -EBADF);
	EXPECT_EQ(t, vm_mmap(mm, 0, PG, RW, MAP_PRIVATE, 3, 0), -ENODEV);
	EXPECT_EQ(t, map(mm, 0, USER_END + PG, RW, ANON), -ENOMEM);
	EXPECT_EQ(t, map(mm, 0, (size_t)-PG + 1, RW, ANON), -ENOMEM);
	EXPECT_EQ(t, map(mm, USER_END - PG, 2 * PG, RW, ANON | MAP_FIXED),
		  -ENOMEM);
	EXPECT_EQ(t, map(mm, USER_END, PG, RW, ANON | MAP_FIXED), -ENOMEM);
	EXPECT_EQ(t, map(mm, 0x1000, PG, RW, ANON | MAP_FIXED), -EPERM);
	EXPECT_EQ(t, map(mm, s + PG, PG, RW, ANON | MAP_FIXED_NOREPLACE),
		  -EEXIST);
	/* more writable memory than the machine has, unless NORESERVE */
	EXPECT_EQ(t, map(mm, 0, 64UL << 30, RW, ANON), -ENOMEM);
	EXPECT_TRUE(t, map(mm, 0, 64UL << 30, RW, ANON | MAP_NORESERVE) > 0);
	EXPECT_TRUE(t, map(mm, 0, 32UL << 30, PROT_READ, ANON) > 0);
	EXPECT_EQ(t, mm->total_vm, 2 + (96UL << 30) / PG);
	EXPECT_EQ(t, mm->rss, 0);
	/* the highest page of the lower half can be mapped */
	EXPECT_EQ(t, map_fixed(mm, USER_END - PG, PG, RW), USER_END - PG);
	/* munmap */
	EXPECT_EQ(t, vm_munmap(mm, s + 1, PG), -EINVAL);
	EXPECT_EQ(t, vm_munmap(mm, s, 0), -EINVAL);
	EXPECT_EQ(t, vm_munmap(mm, USER_END - PG, 2 * PG), -EINVAL);
	EXPECT_EQ(t, vm_munmap(mm, USER_END + PG, PG), -EINVAL);
	EXPECT_EQ(t, vm_munmap(mm, s, (size_t)-PG), -EINVAL);
	/* mprotect */
	EXPECT_EQ(t, vm_mprotect(mm, s + 1, PG, PROT_READ), -EINVAL);
	EXPECT_EQ(t, vm_mprotect(mm, s, PG, 0x10), -EINVAL);
	EXPECT_EQ(t, vm_mprotect(mm, s, 0, PROT_READ), 0);
	EXPECT_EQ(t, vm_mprotect(mm, s + 8 * PG, PG, PROT_READ), -ENOMEM);
	EXPECT_EQ(t, vm_mprotect(mm, USER_END - PG, 2 * PG, PROT_READ),
		  -ENOMEM);
	EXPECT_EQ(t, find_vma(mm, s)->flags & ~VM_ACCOUNT, VM_READ | VM_WRITE);
	/* mremap */
	EXPECT_EQ(t, vm_mremap(mm, s, PG, 2 * PG, 0x8, 0), -EINVAL);
	EXPECT_EQ(t, vm_mremap(mm, s, PG, 2 * PG, MREMAP_FIXED, s + 8 * PG),
		  -EINVAL);
	EXPECT_EQ(t,
		  vm_mremap(mm, s, PG, 2 * PG,
			    MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0),
		  -EINVAL);
	EXPECT_EQ(t, vm_mremap(mm, s + 1, PG, 2 * PG, 0, 0), -EINVAL);
	EXPECT_EQ(t, vm_mremap(mm, s, PG, 0, 0, 0), -EINVAL);
	EXPECT_EQ(t,
		  vm_mremap(mm, s, 2 * PG, 2 * PG,
			    MREMAP_MAYMOVE | MREMAP_FIXED, s + PG),
		  -EINVAL); /* overlapping */
	EXPECT_EQ(t, vm_mremap(mm, s + 8 * PG, PG, 2 * PG, 0, 0), -EFAULT);
	EXPECT_EQ(t, vm_mremap(mm, s, 3 * PG, 4 * PG, 0, 0), -EFAULT);
	EXPECT_EQ(t, vm_mremap(mm, s, 0, PG, MREMAP_MAYMOVE, 0), -EINVAL);
	ASSERT_EQ(t, map_fixed(mm, s + 2 * PG, PG, PROT_READ), s + 2 * PG);
	EXPECT_EQ(t, vm_mremap(mm, s, 2 * PG, 3 * PG, 0, 0), -ENOMEM);
	/* madvise */
	EXPECT_EQ(t, vm_madvise(mm, s + 1, PG, MADV_DONTNEED), -EINVAL);
	EXPECT_EQ(t, vm_madvise(mm, s, PG, 12345), -EINVAL);
	EXPECT_EQ(t, vm_madvise(mm, s, 0, MADV_DONTNEED), 0);
	EXPECT_EQ(t, vm_madvise(mm, s, PG, MADV_NORMAL), 0);
	EXPECT_EQ(t, vm_madvise(mm, s, 4 * PG, MADV_DONTNEED), -ENOMEM);
	EXPECT_EQ(t, vm_madvise(mm, s - PG, 2 * PG, MADV_WILLNEED), -ENOMEM);
	EXPECT_EQ(t, vm_madvise(mm, s, (size_t)-PG + 1, MADV_NORMAL), -EINVAL);
	/* none of the failures changed the layout */
	EXPECT_EQ(t, find_vma(mm, s)->end, s + 2 * PG);
	EXPECT_MM_OK(t, mm);
}

static bool read_u64(uintptr_t addr, uint64_t *v)
{
	return copy_from_user(v, (const void *)addr, sizeof(*v)) == 0;
}

static bool write_u64(uintptr_t addr, uint64_t v)
{
	return copy_to_user((void *)addr, &v, sizeof(v)) == 0;
}

MM_CASE(mremap_grows_shrinks_moves)
{
	uintptr_t s = 0x100000000UL, moved;
	uint64_t v;
	long r;

	ASSERT_EQ(t, map_fixed(mm, s, 2 * PG, RW), s);
	ASSERT_TRUE(t, write_u64(s, 0x1111) && write_u64(s + PG, 0x2222));
	EXPECT_EQ(t, mm->rss, 2);
	/* in place: the space after is free */
	EXPECT_EQ(t, vm_mremap(mm, s, 2 * PG, 4 * PG, 0, 0), s);
	EXPECT_TRUE(t, layout_is(t, mm, 1,
				 (const uintptr_t[][2]){ { s, s + 4 * PG } }));
	EXPECT_EQ(t, mm->total_vm, 4);
	/* shrink in place, the pages beyond freed */
	ASSERT_TRUE(t, write_u64(s + 3 * PG, 0x4444));
	EXPECT_EQ(t, mm->rss, 3);
	EXPECT_EQ(t, vm_mremap(mm, s, 4 * PG, 2 * PG, 0, 0), s);
	EXPECT_EQ(t, mm->rss, 2);
	EXPECT_EQ(t, mm->total_vm, 2);
	EXPECT_TRUE(t, find_vma(mm, s + 2 * PG) == NULL);
	/* blocked: moves with MAYMOVE, pages and all */
	ASSERT_EQ(t, map_fixed(mm, s + 2 * PG, PG, PROT_READ), s + 2 * PG);
	r = vm_mremap(mm, s, 2 * PG, 3 * PG, MREMAP_MAYMOVE, 0);
	ASSERT_TRUE(t, r > 0);
	moved = (uintptr_t)r;
	EXPECT_EQ(t, moved, MMAP_BASE - 3 * PG);
	EXPECT_TRUE(t, find_vma(mm, s) == NULL);
	EXPECT_EQ(t, find_vma(mm, moved)->end, moved + 3 * PG);
	EXPECT_EQ(t, find_vma(mm, moved)->pgoff, s >> PAGE_SHIFT);
	EXPECT_TRUE(t, read_u64(moved, &v) && v == 0x1111);
	EXPECT_TRUE(t, read_u64(moved + PG, &v) && v == 0x2222);
	EXPECT_TRUE(t, read_u64(moved + 2 * PG, &v) && v == 0);
	EXPECT_TRUE(t, !read_u64(s, &v));
	EXPECT_EQ(t, mm->rss, 2);
	EXPECT_EQ(t, mm->total_vm, 4);
	/* MREMAP_FIXED to a chosen place, half of it */
	EXPECT_EQ(t,
		  vm_mremap(mm, moved + PG, PG, PG,
			    MREMAP_MAYMOVE | MREMAP_FIXED, s + 8 * PG),
		  s + 8 * PG);
	EXPECT_TRUE(t, read_u64(s + 8 * PG, &v) && v == 0x2222);
	EXPECT_TRUE(t, find_vma(mm, moved + PG) == NULL);
	/* DONTUNMAP: the old VMA stays, empty */
	EXPECT_EQ(t,
		  vm_mremap(mm, s + 8 * PG, PG, PG,
			    MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
			    s + 12 * PG),
		  s + 12 * PG);
	EXPECT_TRUE(t, read_u64(s + 12 * PG, &v) && v == 0x2222);
	EXPECT_TRUE(t, read_u64(s + 8 * PG, &v) && v == 0);
	EXPECT_TRUE(t, find_vma(mm, s + 8 * PG) != NULL);
	EXPECT_EQ(t, mm->rss, 2);
	EXPECT_MM_OK(t, mm);
}

MM_CASE(mremap_in_place_merges)
{
	uintptr_t s = 0x100000000UL;

	ASSERT_EQ(t, map_fixed(mm, s, 2 * PG, RW), s);
	ASSERT_EQ(t, map_fixed(mm, s + 4 * PG, 2 * PG, RW), s + 4 * PG);
	EXPECT_EQ(t, mm->nr_vmas, 2);
	/* grown up to the next VMA, pgoff in step: one VMA */
	EXPECT_EQ(t, vm_mremap(mm, s, 2 * PG, 4 * PG, 0, 0), s);
	EXPECT_TRUE(t, layout_is(t, mm, 1,
				 (const uintptr_t[][2]){ { s, s + 6 * PG } }));
	EXPECT_EQ(t, mm->total_vm, 6);
	/* not the end of its VMA: cannot grow in place */
	EXPECT_EQ(t, vm_mremap(mm, s, 2 * PG, 3 * PG, 0, 0), -ENOMEM);
	/* shrinking a piece of the middle unmaps its tail */
	EXPECT_EQ(t, vm_mremap(mm, s + PG, 3 * PG, PG, 0, 0), s + PG);
	EXPECT_TRUE(t, layout_is(t, mm, 2,
				 (const uintptr_t[][2]){
					 { s, s + 2 * PG },
					 { s + 4 * PG, s + 6 * PG } }));
	EXPECT_MM_OK(t, mm);
}

MM_CASE(brk_moves_the_heap)
{
	uintptr_t b = BRK_BASE;
	struct vm_area *heap;
	uint64_t v;

	EXPECT_EQ(t, vm_brk(mm, 0), b); /* a query */
	EXPECT_EQ(t, vm_brk(mm, b - PG), b);
	EXPECT_EQ(t, mm->nr_vmas, 0);
	EXPECT_EQ(t, vm_brk(mm, b + 100), b + 100);
	EXPECT_EQ(t, mm->brk, b + 100);
	EXPECT_TRUE(t, layout_is(t, mm, 1,
				 (const uintptr_t[][2]){ { b, b + PG } }));
	heap = find_vma(mm, b);
	ASSERT_TRUE(t, heap != NULL);
	EXPECT_EQ(t, heap->flags & ~VM_ACCOUNT, VM_READ | VM_WRITE);
	EXPECT_EQ(t, mm->total_vm, 1);
	/* inside the same page: only brk moves */
	EXPECT_EQ(t, vm_brk(mm, b + PG), b + PG);
	EXPECT_EQ(t, mm->total_vm, 1);
	/* grow: the heap VMA is extended, not joined by another */
	EXPECT_EQ(t, vm_brk(mm, b + 3 * PG + 1), b + 3 * PG + 1);
	EXPECT_TRUE(t, layout_is(t, mm, 1,
				 (const uintptr_t[][2]){ { b, b + 4 * PG } }));
	EXPECT_EQ(t, mm->total_vm, 4);
	ASSERT_TRUE(t, write_u64(b + 3 * PG, 0xfeed));
	EXPECT_EQ(t, mm->rss, 1);
	/* shrink: the pages above go, with their contents */
	EXPECT_EQ(t, vm_brk(mm, b + PG), b + PG);
	EXPECT_EQ(t, mm->brk, b + PG);
	EXPECT_TRUE(t, layout_is(t, mm, 1,
				 (const uintptr_t[][2]){ { b, b + PG } }));
	EXPECT_EQ(t, mm->rss, 0);
	EXPECT_EQ(t, vm_brk(mm, b + 4 * PG), b + 4 * PG);
	EXPECT_TRUE(t, read_u64(b + 3 * PG, &v) && v == 0);
	/* back to the start: no heap at all */
	EXPECT_EQ(t, vm_brk(mm, b), b);
	EXPECT_EQ(t, mm->nr_vmas, 0);
	EXPECT_EQ(t, mm->total_vm, 0);
	/* a mapping above: the heap stops a page short of it */
	ASSERT_EQ(t, map_fixed(mm, b + 8 * PG, PG, RW), b + 8 * PG);
	EXPECT_EQ(t, vm_brk(mm, b + 8 * PG), b);
	EXPECT_EQ(t, vm_brk(mm, b + 7 * PG + 1), b);
	EXPECT_EQ(t, vm_brk(mm, b + 7 * PG), b + 7 * PG);
	EXPECT_EQ(t, mm->brk, b + 7 * PG);
	EXPECT_EQ(t, vm_brk(mm, USER_END + PG), b + 7 * PG);
	EXPECT_TRUE(t, layout_is(t, mm, 2,
				 (const uintptr_t[][2]){
					 { b, b + 7 * PG },
					 { b + 8 * PG, b + 9 * PG } }));
	/* a heap VMA that mprotect split still grows (a new piece) */
	EXPECT_EQ(t, vm_munmap(mm, b + 8 * PG, PG), 0);
	EXPECT_EQ(t, vm_mprotect(mm, b + 6 * PG, PG, PROT_READ), 0);
	EXPECT_EQ(t, vm_brk(mm, b + 9 * PG), b + 9 * PG);
	EXPECT_TRUE(t, layout_is(t, mm, 3,
				 (const uintptr_t[][2]){
					 { b, b + 6 * PG },
					 { b + 6 * PG, b + 7 * PG },
					 { b + 7 * PG, b + 9 * PG } }));
	EXPECT_EQ(t, mm->total_vm, 9);
	EXPECT_MM_OK(t, mm);
}

/* ---- random operations against a model ---- */

#define WIN_PAGES 256
/* straddles a 2 MiB boundary: two leaf tables */
#define WIN_BASE    (0x100000000UL - 128 * PG)
#define WIN_ADDR(p) (WIN_BASE + (uintptr_t)(p)*PG)
#define NR_OPS	    1000

struct model_page {
	bool mapped;
	unsigned int flags; /* VM_READ.. */
	uint64_t tag;	    /* the word at the page's start */
};

static struct model_page model[WIN_PAGES], saved[WIN_PAGES];
static uint64_t rnd_state, next_tag;

static uint64_t rnd(void)
{
	uint64_t x = rnd_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rnd_state = x;
}

static unsigned long rnd_below(unsigned long n)
{
	return (unsigned long)(rnd() % n);
}

static const unsigned long prots[] = {
	PROT_NONE,  PROT_READ, RW,
	RW,	    RW,	       PROT_READ | PROT_EXEC,
	PROT_WRITE, PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC,
};

static bool model_readable(const struct model_page *m)
{
	return m->mapped && (m->flags & (VM_READ | VM_WRITE));
}

static bool model_writable(const struct model_page *m)
{
	return m->mapped && (m->flags & VM_WRITE);
}

/* The page the model says: the VMA's flags, and the word when readable. */
static const char *page_differs(struct mm *mm, unsigned int p, bool content)
{
	struct vm_area *vma = find_vma(mm, WIN_ADDR(p));
	const struct model_page *m = &model[p];
	uint64_t v = 0;
	bool ok;

	if (!vma != !m->mapped)
		return why("page %u: %s, the model says %s", p,
			   vma ? "mapped" : "not mapped",
			   m->mapped ? "mapped" : "not");
	if (vma && (vma->flags & ~VM_ACCOUNT) != m->flags)
		return why("page %u: flags 0x%x, the model says 0x%x", p,
			   vma->flags, m->flags);
	if (!content)
		return NULL;
	ok = read_u64(WIN_ADDR(p), &v);
	if (ok != model_readable(m))
		return why("page %u (flags 0x%x): read %s", p, m->flags,
			   ok ? "worked" : "failed");
	if (ok && v != m->tag)
		return why("page %u: word 0x%lx, the model says 0x%lx", p,
			   (unsigned long)v, (unsigned long)m->tag);
	return NULL;
}

static void model_map(unsigned int p, unsigned int n, unsigned int flags)
{
	for (unsigned int i = p; i < p + n; i++)
		model[i] = (struct model_page){ true, flags, 0 };
}

/* The highest place for n free pages (mmap's top-down search), or -1. */
static long model_gap(unsigned int n)
{
	for (long p = WIN_PAGES - n; p >= 0; p--) {
		unsigned int i;

		for (i = 0; i < n && !model[p + i].mapped; i++)
			;
		if (i == n)
			return p;
	}
	return -1;
}

static const char *random_op(struct mm *mm)
{
	unsigned int p = (unsigned int)rnd_below(WIN_PAGES), n;
	unsigned int kind = (unsigned int)rnd_below(100);
	unsigned long prot = prots[rnd_below(sizeof(prots) / sizeof(prots[0]))];
	long r, want;

	n = 1 + (unsigned int)rnd_below(16);
	if (p + n > WIN_PAGES)
		n = WIN_PAGES - p;
	if (kind < 20) { /* mmap MAP_FIXED */
		r = map_fixed(mm, WIN_ADDR(p), n * PG, prot);
		if (r != (long)WIN_ADDR(p))
			return why("mmap fixed %u+%u: %ld", p, n, r);
		model_map(p, n, (unsigned int)prot);
	} else if (kind < 25) { /* MAP_FIXED_NOREPLACE */
		bool taken = false;

		for (unsigned int i = p; i < p + n; i++)
			taken |= model[i].mapped;
		r = map(mm, WIN_ADDR(p), n * PG, prot,
			ANON | MAP_FIXED_NOREPLACE);
		want = taken ? -EEXIST : (long)WIN_ADDR(p);
		if (r != want)
			return why("mmap noreplace %u+%u: %ld, not %ld", p, n,
				   r, want);
		if (!taken)
			model_map(p, n, (unsigned int)prot);
	} else if (kind < 32) { /* mmap anywhere: the highest gap */
		long gap = model_gap(n);

		if (gap < 0)
			return NULL;
		r = map(mm, 0, n * PG, prot, ANON);
		if (r != (long)WIN_ADDR(gap))
			return why("mmap %u pages: 0x%lx, not page %ld", n, r,
				   gap);
		model_map((unsigned int)gap, n, (unsigned int)prot);
	} else if (kind < 50) { /* munmap */
		if ((r = vm_munmap(mm, WIN_ADDR(p), n * PG)))
			return why("munmap %u+%u: %ld", p, n, r);
		for (unsigned int i = p; i < p + n; i++)
			model[i] = (struct model_page){ 0 };
	} else if (kind < 68) { /* mprotect: up to the first hole */
		unsigned int i;

		for (i = p; i < p + n && model[i].mapped; i++)
			model[i].flags = (unsigned int)prot;
		want = i < p + n ? -ENOMEM : 0;
		r = vm_mprotect(mm, WIN_ADDR(p), n * PG, prot);
		if (r != want)
			return why("mprotect %u+%u 0x%lx: %ld, not %ld", p, n,
				   prot, r, want);
	} else if (kind < 74) { /* madvise(DONTNEED): the pages go */
		unsigned int i, holes = 0;

		for (i = p; i < p + n; i++) {
			holes += !model[i].mapped;
			model[i].tag = 0;
		}
		want = holes ? -ENOMEM : 0;
		r = vm_madvise(mm, WIN_ADDR(p), n * PG, MADV_DONTNEED);
		if (r != want)
			return why("madvise %u+%u: %ld, not %ld", p, n, r,
				   want);
	} else if (kind < 80) { /* mremap a piece of one VMA elsewhere */
		struct vm_area *vma = find_vma(mm, WIN_ADDR(p));
		unsigned int m = 1 + (unsigned int)rnd_below(8), d;
		bool keep = rnd_below(4) == 0;
		unsigned long flags = MREMAP_MAYMOVE | MREMAP_FIXED;

		if (!vma)
			return NULL;
		if (vma->end < WIN_ADDR(p + n))
			n = (unsigned int)((vma->end - WIN_ADDR(p)) / PG);
		if (keep) {
			m = n;
			flags |= MREMAP_DONTUNMAP;
		}
		d = (unsigned int)rnd_below(WIN_PAGES - m + 1);
		if (d < p + n && p < d + m)
			return NULL; /* overlapping: another time */
		r = vm_mremap(mm, WIN_ADDR(p), n * PG, m * PG, flags,
			      WIN_ADDR(d));
		if (r != (long)WIN_ADDR(d))
			return why("mremap %u+%u to %u+%u%s: %ld", p, n, d, m,
				   keep ? " (dontunmap)" : "", r);
		memcpy(saved, model, sizeof(model));
		for (unsigned int i = p; i < p + n; i++)
			model[i] =
				keep ? (struct model_page){ true,
							    saved[i].flags, 0 }
				     : (struct model_page){ 0 };
		for (unsigned int i = 0; i < m; i++)
			model[d + i] = i < n ? saved[p + i]
					     : (struct model_page){
						       true, saved[p].flags, 0
					       };
	} else if (kind < 84) { /* mremap in place, no MAYMOVE */
		struct vm_area *vma = find_vma(mm, WIN_ADDR(p));
		unsigned int m = 1 + (unsigned int)rnd_below(16);
		bool room = true;

		if (!vma || p + m > WIN_PAGES)
			return NULL;
		if (vma->end < WIN_ADDR(p + n))
			n = (unsigned int)((vma->end - WIN_ADDR(p)) / PG);
		for (unsigned int i = p + n; i < p + m; i++)
			room &= !model[i].mapped;
		if (m > n && (vma->end != WIN_ADDR(p + n) || !room))
			want = -ENOMEM;
		else
			want = (long)WIN_ADDR(p);
		r = vm_mremap(mm, WIN_ADDR(p), n * PG, m * PG, 0, 0);
		if (r != want)
			return why("mremap in place %u+%u to %u: %ld, not %ld",
				   p, n, m, r, want);
		if (want < 0)
			return NULL;
		for (unsigned int i = p + m; i < p + n; i++)
			model[i] = (struct model_page){ 0 };
		for (unsigned int i = p + n; i < p + m; i++)
			model[i] =
				(struct model_page){ true, model[p].flags, 0 };
	} else { /* touch n pages: write a new word where allowed */
		for (unsigned int i = p; i < p + n; i++) {
			uint64_t tag = ++next_tag;
			bool ok = write_u64(WIN_ADDR(i), tag);
			const char *bad;

			if (ok != model_writable(&model[i]))
				return why("page %u (flags 0x%x): write %s", i,
					   model[i].flags,
					   ok ? "worked" : "failed");
			if (ok)
				model[i].tag = tag;
			if ((bad = page_differs(mm, i, true)))
				return bad;
		}
	}
	return NULL;
}

MM_CASE(random_operations)
{
	const char *bad = NULL;
	int i;

	rnd_state = 0x9e3779b97f4a7c15ULL;
	next_tag = 0x5a5a000000000000ULL;
	memset(model, 0, sizeof(model));
	mm->mmap_base = WIN_ADDR(WIN_PAGES);
	for (i = 0; i < NR_OPS && !bad; i++) {
		bad = random_op(mm);
		if (!bad)
			bad = mm_broken(mm);
		/* the whole window against the model, now and then */
		for (unsigned int p = 0; p < WIN_PAGES && !bad; p++)
			bad = page_differs(mm, p, i % 50 == 49);
	}
	ktest_check(t, !bad, __FILE__, __LINE__, "after op %d: %s", i,
		    bad ? bad : "");
	EXPECT_EQ(t, i, NR_OPS);
	/* the ops did build something worth checking */
	EXPECT_TRUE(t, mm->hiwater_rss > 32);
	/* tear everything down through munmap: nothing left */
	EXPECT_EQ(t, vm_munmap(mm, WIN_BASE - 64 * PG, (WIN_PAGES + 128) * PG),
		  0);
	EXPECT_EQ(t, mm->nr_vmas, 0);
	EXPECT_EQ(t, mm->total_vm, 0);
	EXPECT_EQ(t, mm->rss, 0);
	EXPECT_MM_OK(t, mm);
}

static void nothing_left_behind(struct ktest *t)
{
	vm_test_suite_end(t);
}

KTEST_SUITE(vm_vma, KTEST_CASE(suite_start), KTEST_CASE(empty_mm),
	    KTEST_CASE(mmap_top_down_and_merges), KTEST_CASE(munmap_splits),
	    KTEST_CASE(mmap_fixed_replaces),
	    KTEST_CASE(mprotect_splits_and_merges),
	    KTEST_CASE(find_vma_queries), KTEST_CASE(many_vmas_tree_and_list),
	    KTEST_CASE(errno_values), KTEST_CASE(mremap_grows_shrinks_moves),
	    KTEST_CASE(mremap_in_place_merges), KTEST_CASE(brk_moves_the_heap),
	    KTEST_CASE(random_operations), KTEST_CASE(nothing_left_behind));
