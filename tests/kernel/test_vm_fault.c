// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_vm_fault.c - demand paging (vm/fault.c) on a test mm:
 * the zero page for reads, private zeroed pages for writes, A and D set
 * by software (Svade), the refusals (no VMA, no permission, the stack
 * guard, kernel addresses), the fault counter, and what madvise, mprotect,
 * munmap and MAP_POPULATE do to the pages. Faults come both from direct
 * handle_mm_fault() calls and from the kernel's user-access routines,
 * which fault pages in as the app's own accesses would.
 *
 * Every case checks that its pages and slab objects came back.
 */
#include <errno.h>
#include <string.h>

#include "tests/kernel/vm_test.h"

#define AREA 0x100000000UL /* where the cases map their memory */

static long map_at(struct mm *mm, uintptr_t addr, size_t len,
		   unsigned long prot)
{
	return vm_mmap(mm, addr, len, prot, ANON | MAP_FIXED, -1, 0);
}

static pte_t pte_of(struct mm *mm, uintptr_t addr)
{
	pte_t *pte = pt_lookup(mm->pgd, addr, NULL);

	return pte ? *pte : 0;
}

/* The raw entry, valid or not (a page kept behind PROT_NONE). */
static pte_t raw_pte_of(struct mm *mm, uintptr_t addr)
{
	pte_t *pte = pt_walk(mm->pgd, addr, 0, NULL);

	return pte ? *pte : 0;
}

static bool read_u64(uintptr_t addr, uint64_t *v)
{
	return copy_from_user(v, (const void *)addr, sizeof(*v)) == 0;
}

static bool write_u64(uintptr_t addr, uint64_t v)
{
	return copy_to_user((void *)addr, &v, sizeof(v)) == 0;
}

static uint8_t page_buf[PAGE_SIZE];

/* A whole user page reads as zeroes. */
static bool user_page_zero(uintptr_t addr)
{
	memset(page_buf, 0xa5, sizeof(page_buf));
	return copy_from_user(page_buf, (const void *)addr, PG) == 0 &&
	       vm_test_all_zero(page_buf, PG);
}

static unsigned long free_now(void)
{
	drain_local_pages();
	return nr_free_pages();
}

/* ---- the cases ---- */

static void suite_start(struct ktest *t)
{
	vm_test_suite_start(t);
	EXPECT_TRUE(t, zero_page_pa != 0);
	EXPECT_TRUE(t, vm_test_all_zero(phys_to_virt(zero_page_pa), PG));
}

MM_CASE(read_maps_the_zero_page)
{
	unsigned long faults = vm_events.pgfault;
	pte_t pte;

	ASSERT_EQ(t, map_at(mm, AREA, 4 * PG, RW), AREA);
	EXPECT_EQ(t, pte_of(mm, AREA), 0);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + 0x10, FAULT_READ), FAULT_OK);
	EXPECT_EQ(t, vm_events.pgfault, faults + 1);
	pte = pte_of(mm, AREA);
	EXPECT_EQ(t, pte_pa(pte), zero_page_pa);
	EXPECT_TRUE(t, pte & PTE_V);
	EXPECT_TRUE(t, pte & PTE_R);
	EXPECT_TRUE(t, pte & PTE_U);
	EXPECT_TRUE(t, pte & PTE_A);
	EXPECT_TRUE(t, !(pte & PTE_W));
	EXPECT_TRUE(t, !(pte & PTE_X));
	EXPECT_EQ(t, mm->rss, 0);
	EXPECT_EQ(t, mm->hiwater_rss, 0);
	/* the neighbour was not touched */
	EXPECT_EQ(t, pte_of(mm, AREA + PG), 0);
	/* a read through the user-access path maps the zero page too */
	EXPECT_TRUE(t, user_page_zero(AREA + 2 * PG));
	EXPECT_EQ(t, pte_pa(pte_of(mm, AREA + 2 * PG)), zero_page_pa);
	EXPECT_EQ(t, mm->rss, 0);
	/* the VMA has no anonymous pages yet */
	EXPECT_EQ(t, find_vma(mm, AREA)->anon, 0);
}

MM_CASE(write_after_read_gets_a_private_page)
{
	pte_t pte;
	uint64_t v = 0;

	ASSERT_EQ(t, map_at(mm, AREA, PG, RW), AREA);
	ASSERT_EQ(t, handle_mm_fault(mm, AREA, FAULT_READ), FAULT_OK);
	ASSERT_EQ(t, pte_pa(pte_of(mm, AREA)), zero_page_pa);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + 8, FAULT_WRITE), FAULT_OK);
	pte = pte_of(mm, AREA);
	EXPECT_TRUE(t, pte_pa(pte) != zero_page_pa);
	EXPECT_TRUE(t,
		    (pte & (PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)) ==
			    (PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D));
	EXPECT_EQ(t, mm->rss, 1);
	EXPECT_EQ(t, mm->hiwater_rss, 1);
	EXPECT_TRUE(t, find_vma(mm, AREA)->anon != 0);
	/* zeroed, and the user's writes land in it, not in the zero page */
	EXPECT_TRUE(t, vm_test_all_zero(phys_to_virt(pte_pa(pte)), PG));
	EXPECT_TRUE(t, write_u64(AREA + 24, 0x0123456789abcdefULL));
	EXPECT_EQ(t, ((uint64_t *)phys_to_virt(pte_pa(pte)))[3],
		  0x0123456789abcdefULL);
	EXPECT_TRUE(t, read_u64(AREA + 24, &v));
	EXPECT_EQ(t, v, 0x0123456789abcdefULL);
	EXPECT_TRUE(t, vm_test_all_zero(phys_to_virt(zero_page_pa), PG));
	/* the page records its owner for reclaim */
	EXPECT_EQ(t, phys_to_page(pte_pa(pte))->owner, AREA);
}

MM_CASE(write_on_fresh_memory)
{
	unsigned long free = free_now();
	pte_t pte;

	ASSERT_EQ(t, map_at(mm, AREA, 2 * PG, RW), AREA);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + PG + 5, FAULT_WRITE), FAULT_OK);
	pte = pte_of(mm, AREA + PG);
	EXPECT_TRUE(t, pte_pa(pte) != zero_page_pa && pte_pa(pte) != 0);
	EXPECT_TRUE(t, (pte & (PTE_A | PTE_D | PTE_W | PTE_R)) ==
			       (PTE_A | PTE_D | PTE_W | PTE_R));
	EXPECT_TRUE(t, vm_test_all_zero(phys_to_virt(pte_pa(pte)), PG));
	EXPECT_EQ(t, mm->rss, 1);
	EXPECT_EQ(t, pte_of(mm, AREA), 0);
	/* the page, and the two tables down to it */
	EXPECT_EQ(t, free - free_now(), 3);
	EXPECT_EQ(t, mm->nr_ptes, 3);
	/* the same fault again changes nothing */
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + PG, FAULT_WRITE), FAULT_OK);
	EXPECT_EQ(t, pte_of(mm, AREA + PG), pte);
	EXPECT_EQ(t, mm->rss, 1);
	/* a write through copy_to_user faults a page in the same way */
	EXPECT_TRUE(t, write_u64(AREA, 7));
	EXPECT_EQ(t, mm->rss, 2);
	EXPECT_TRUE(t, (pte_of(mm, AREA) & (PTE_A | PTE_D)) == (PTE_A | PTE_D));
}

MM_CASE(exec_faults)
{
	pte_t pte;

	ASSERT_EQ(t, map_at(mm, AREA, PG, PROT_READ | PROT_EXEC), AREA);
	ASSERT_EQ(t, map_at(mm, AREA + PG, PG, PROT_EXEC), AREA + PG);
	ASSERT_EQ(t, map_at(mm, AREA + 2 * PG, PG, RW), AREA + 2 * PG);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA, FAULT_EXEC), FAULT_OK);
	pte = pte_of(mm, AREA);
	EXPECT_TRUE(t,
		    (pte & (PTE_X | PTE_R | PTE_A)) == (PTE_X | PTE_R | PTE_A));
	EXPECT_TRUE(t, !(pte & PTE_W));
	EXPECT_EQ(t, mm->rss, 1);
	/* exec-only: fetching works, reading does not */
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + PG, FAULT_READ), FAULT_ACCESS);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + PG, FAULT_EXEC), FAULT_OK);
	EXPECT_TRUE(t,
		    (pte_of(mm, AREA + PG) & (PTE_X | PTE_R | PTE_W)) == PTE_X);
	/* no exec on a data mapping */
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + 2 * PG, FAULT_EXEC),
		  FAULT_ACCESS);
	EXPECT_EQ(t, pte_of(mm, AREA + 2 * PG), 0);
	/* no write on a text mapping */
	EXPECT_EQ(t, handle_mm_fault(mm, AREA, FAULT_WRITE), FAULT_ACCESS);
	EXPECT_TRUE(t, !(pte_of(mm, AREA) & PTE_W));
	EXPECT_EQ(t, mm->rss, 2);
}

MM_CASE(refused_faults)
{
	uintptr_t guard = 0x3000000000UL;
	unsigned long faults = vm_events.pgfault;
	uint64_t v = 1;

	ASSERT_EQ(t, map_at(mm, AREA, 2 * PG, PROT_READ), AREA);
	ASSERT_EQ(t, map_at(mm, AREA + 4 * PG, PG, PROT_NONE), AREA + 4 * PG);
	mm->stack_guard = guard;
	/* no VMA: below, between, above */
	EXPECT_EQ(t, handle_mm_fault(mm, AREA - 1, FAULT_READ), FAULT_NOVMA);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + 2 * PG, FAULT_WRITE),
		  FAULT_NOVMA);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + 5 * PG, FAULT_READ),
		  FAULT_NOVMA);
	EXPECT_EQ(t, handle_mm_fault(mm, 0, FAULT_READ), FAULT_NOVMA);
	/* the VMA forbids it */
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + PG, FAULT_WRITE), FAULT_ACCESS);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA, FAULT_EXEC), FAULT_ACCESS);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + 4 * PG, FAULT_READ),
		  FAULT_ACCESS);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + 4 * PG, FAULT_WRITE),
		  FAULT_ACCESS);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + 4 * PG, FAULT_EXEC),
		  FAULT_ACCESS);
	/* the stack guard: every byte of it, and not one beyond */
	EXPECT_EQ(t, handle_mm_fault(mm, guard, FAULT_WRITE), FAULT_GUARD);
	EXPECT_EQ(t,
		  handle_mm_fault(mm, guard + USER_STACK_GUARD - 1, FAULT_READ),
		  FAULT_GUARD);
	EXPECT_EQ(t, handle_mm_fault(mm, guard - 1, FAULT_WRITE), FAULT_NOVMA);
	EXPECT_EQ(t, handle_mm_fault(mm, guard + USER_STACK_GUARD, FAULT_WRITE),
		  FAULT_NOVMA);
	/* the upper half is never the app's */
	EXPECT_EQ(t, handle_mm_fault(mm, USER_END, FAULT_READ), FAULT_NOVMA);
	EXPECT_EQ(t, handle_mm_fault(mm, KERNEL_VA, FAULT_READ), FAULT_NOVMA);
	EXPECT_EQ(t, handle_mm_fault(mm, DIRECT_MAP_BASE, FAULT_WRITE),
		  FAULT_NOVMA);
	EXPECT_EQ(t, handle_mm_fault(mm, ~0UL, FAULT_EXEC), FAULT_NOVMA);
	/* every call counted, refused or not */
	EXPECT_EQ(t, vm_events.pgfault, faults + 17);
	/* nothing was mapped by the refusals */
	EXPECT_EQ(t, mm->rss, 0);
	EXPECT_EQ(t, mm->nr_ptes, 1);
	EXPECT_EQ(t, pte_of(mm, AREA + PG), 0);
	EXPECT_EQ(t, pte_of(mm, AREA), 0);
	EXPECT_EQ(t, raw_pte_of(mm, AREA + 4 * PG), 0);
	/* the user-access routines refuse the same, without a panic */
	EXPECT_TRUE(t, !write_u64(AREA, 1));
	EXPECT_TRUE(t, read_u64(AREA, &v) && v == 0);
	EXPECT_TRUE(t, !read_u64(AREA + 2 * PG, &v));
	EXPECT_TRUE(t, !read_u64(AREA + 4 * PG, &v));
	EXPECT_TRUE(t, !write_u64(guard + 64, 1));
	EXPECT_TRUE(t, !read_u64(0, &v));
	EXPECT_EQ(t, copy_to_user((void *)KERNEL_VA, &v, 8), 8);
	EXPECT_EQ(t, copy_from_user(&v, (void *)(USER_END - 4), 8), 8);
	EXPECT_EQ(t, clear_user((void *)(AREA + 4 * PG), 16), 16);
	EXPECT_EQ(t, mm->rss, 0);
}

MM_CASE(user_access_edges)
{
	static const char msg[] = "pagoda";
	char buf[32];

	ASSERT_EQ(t, map_at(mm, AREA, PG, RW), AREA);
	/* a copy that runs off the end: the bytes left over come back */
	memset(buf, 0x5a, sizeof(buf));
	EXPECT_EQ(t, copy_to_user((void *)(AREA + PG - 8), buf, 16), 8);
	EXPECT_EQ(t, copy_from_user(buf, (void *)(AREA + PG - 3), 10), 7);
	EXPECT_EQ(t, buf[0], 0x5a);
	EXPECT_EQ(t, clear_user((void *)(AREA + PG - 5), 9), 4);
	EXPECT_EQ(t, copy_from_user(buf, (void *)(AREA + PG - 8), 8), 0);
	EXPECT_TRUE(t, buf[0] == 0x5a && buf[2] == 0x5a &&
			       vm_test_all_zero(buf + 3, 5));
	/* strings */
	ASSERT_EQ(t, copy_to_user((void *)(AREA + 100), msg, sizeof(msg)), 0);
	EXPECT_EQ(t, strncpy_from_user(buf, (void *)(AREA + 100), sizeof(buf)),
		  6);
	EXPECT_STREQ(t, buf, "pagoda");
	EXPECT_EQ(t, strncpy_from_user(buf, (void *)(AREA + 100), 6),
		  -ENAMETOOLONG);
	EXPECT_EQ(t, strncpy_from_user(buf, (void *)(AREA + 100), 7), 6);
	EXPECT_EQ(t, strncpy_from_user(buf, (void *)(AREA + 2 * PG), 8),
		  -EFAULT);
	EXPECT_EQ(t, strncpy_from_user(buf, (void *)KERNEL_VA, 8), -EFAULT);
	/* a string that runs into the end of the mapping */
	ASSERT_EQ(t, copy_to_user((void *)(AREA + PG - 4), "abcd", 4), 0);
	EXPECT_EQ(t, strncpy_from_user(buf, (void *)(AREA + PG - 4), 16),
		  -EFAULT);
	EXPECT_EQ(t, mm->rss, 1);
}

MM_CASE(svade_sets_a_and_d)
{
	unsigned long fixups = vm_svade_fixups;
	pte_t *pte;

	ASSERT_EQ(t, map_at(mm, AREA, PG, RW), AREA);
	ASSERT_EQ(t, handle_mm_fault(mm, AREA, FAULT_WRITE), FAULT_OK);
	pte = pt_lookup(mm->pgd, AREA, NULL);
	ASSERT_TRUE(t, pte != NULL);
	EXPECT_EQ(t, vm_svade_fixups, fixups); /* a new page needs none */
	/* A cleared: a read fault sets it again */
	*pte &= ~PTE_A;
	flush_tlb_range(AREA, PG);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA, FAULT_READ), FAULT_OK);
	EXPECT_TRUE(t, *pte & PTE_A);
	EXPECT_EQ(t, vm_svade_fixups, fixups + 1);
	/* D cleared: a read leaves it clear, a write sets it */
	*pte &= ~PTE_D;
	flush_tlb_range(AREA, PG);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA, FAULT_READ), FAULT_OK);
	EXPECT_TRUE(t, !(*pte & PTE_D));
	EXPECT_EQ(t, vm_svade_fixups, fixups + 1);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA, FAULT_WRITE), FAULT_OK);
	EXPECT_TRUE(t, *pte & PTE_D);
	EXPECT_EQ(t, vm_svade_fixups, fixups + 2);
	/* both cleared: one write fault sets both */
	*pte &= ~(PTE_A | PTE_D);
	flush_tlb_range(AREA, PG);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA, FAULT_WRITE), FAULT_OK);
	EXPECT_TRUE(t, (*pte & (PTE_A | PTE_D)) == (PTE_A | PTE_D));
	EXPECT_EQ(t, vm_svade_fixups, fixups + 3);
	/* all set: a stale-TLB fault, no fixup, the page unchanged */
	EXPECT_EQ(t, handle_mm_fault(mm, AREA, FAULT_WRITE), FAULT_OK);
	EXPECT_EQ(t, vm_svade_fixups, fixups + 3);
	/* the zero page: A cleared, a read fixes it up in place */
	ASSERT_EQ(t, map_at(mm, AREA + PG, PG, PROT_READ), AREA + PG);
	ASSERT_EQ(t, handle_mm_fault(mm, AREA + PG, FAULT_READ), FAULT_OK);
	pte = pt_lookup(mm->pgd, AREA + PG, NULL);
	ASSERT_TRUE(t, pte != NULL);
	*pte &= ~PTE_A;
	flush_tlb_range(AREA + PG, PG);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + PG, FAULT_READ), FAULT_OK);
	EXPECT_TRUE(t, *pte & PTE_A);
	EXPECT_EQ(t, pte_pa(*pte), zero_page_pa);
	EXPECT_EQ(t, vm_svade_fixups, fixups + 4);
	EXPECT_EQ(t, mm->rss, 1);
	/* no copy-on-write here: a page of its own that lost W stays so */
	pte = pt_lookup(mm->pgd, AREA, NULL);
	ASSERT_TRUE(t, pte != NULL);
	ASSERT_TRUE(t, write_u64(AREA, 0xabc));
	*pte &= ~PTE_W;
	flush_tlb_range(AREA, PG);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA, FAULT_WRITE), FAULT_ACCESS);
	EXPECT_EQ(t, ((uint64_t *)phys_to_virt(pte_pa(*pte)))[0], 0xabc);
	EXPECT_EQ(t, mm->rss, 1);
	*pte |= PTE_W;
	flush_tlb_range(AREA, PG);
}

MM_CASE(fault_counter)
{
	unsigned long faults;
	uint64_t v = 0;

	ASSERT_EQ(t, map_at(mm, AREA, 4 * PG, RW), AREA);
	faults = vm_events.pgfault;
	EXPECT_EQ(t, handle_mm_fault(mm, AREA, FAULT_READ), FAULT_OK);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + PG, FAULT_WRITE), FAULT_OK);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + 2 * PG, FAULT_READ), FAULT_OK);
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + 8 * PG, FAULT_READ),
		  FAULT_NOVMA);
	EXPECT_EQ(t, vm_events.pgfault,
		  faults + 4); /* refused ones count too */
	/* a user access to an untouched page faults through the kernel */
	faults = vm_events.pgfault;
	EXPECT_TRUE(t, write_u64(AREA + 3 * PG, 3));
	EXPECT_TRUE(t, vm_events.pgfault > faults);
	/* one to a page already written (A and D set) does not */
	faults = vm_events.pgfault;
	EXPECT_TRUE(t, write_u64(AREA + 3 * PG + 8, 4));
	EXPECT_TRUE(t, read_u64(AREA + 3 * PG, &v) && v == 3);
	EXPECT_EQ(t, vm_events.pgfault, faults);
	/* a write to the zero page: one fault replaces it */
	faults = vm_events.pgfault;
	EXPECT_TRUE(t, write_u64(AREA + 2 * PG, 2));
	EXPECT_EQ(t, vm_events.pgfault, faults + 1);
	EXPECT_EQ(t, mm->rss, 3);
}

MM_CASE(madvise_dontneed_drops_pages)
{
	unsigned long free;
	uint64_t v = 0;

	ASSERT_EQ(t, map_at(mm, AREA, 4 * PG, RW), AREA);
	for (int i = 0; i < 4; i++)
		ASSERT_TRUE(t, write_u64(AREA + (uintptr_t)i * PG + 16,
					 0xd00d0000 + (uint64_t)i));
	EXPECT_EQ(t, mm->rss, 4);
	free = free_now();
	EXPECT_EQ(t, vm_madvise(mm, AREA + PG, 2 * PG, MADV_DONTNEED), 0);
	EXPECT_EQ(t, mm->rss, 2);
	EXPECT_EQ(t, free_now() - free, 2);
	EXPECT_EQ(t, raw_pte_of(mm, AREA + PG), 0);
	EXPECT_EQ(t, raw_pte_of(mm, AREA + 2 * PG), 0);
	/* the dropped pages read as zeroes; the others kept their data */
	EXPECT_TRUE(t, user_page_zero(AREA + PG));
	EXPECT_TRUE(t, user_page_zero(AREA + 2 * PG));
	EXPECT_TRUE(t, read_u64(AREA + 16, &v) && v == 0xd00d0000);
	EXPECT_TRUE(t, read_u64(AREA + 3 * PG + 16, &v) && v == 0xd00d0003);
	/* the VMA is still there, one piece */
	EXPECT_EQ(t, mm->nr_vmas, 1);
	EXPECT_EQ(t, mm->total_vm, 4);
	/* MADV_FREE drops them too (no reclaim to wait for) */
	EXPECT_EQ(t, vm_madvise(mm, AREA, PG, MADV_FREE), 0);
	EXPECT_TRUE(t, user_page_zero(AREA));
	/* advice that keeps the pages keeps them */
	EXPECT_EQ(t, vm_madvise(mm, AREA + 3 * PG, PG, MADV_WILLNEED), 0);
	EXPECT_EQ(t, vm_madvise(mm, AREA + 3 * PG, PG, MADV_SEQUENTIAL), 0);
	EXPECT_TRUE(t, read_u64(AREA + 3 * PG + 16, &v) && v == 0xd00d0003);
	EXPECT_EQ(t, mm->rss, 1);
}

MM_CASE(mprotect_keeps_pages)
{
	uint64_t v = 0;
	pte_t raw;

	ASSERT_EQ(t, map_at(mm, AREA, 2 * PG, RW), AREA);
	ASSERT_TRUE(t, write_u64(AREA + 40, 0xcafe));
	ASSERT_TRUE(t, read_u64(AREA + PG, &v)); /* the zero page */
	EXPECT_EQ(t, mm->rss, 1);
	/* PROT_NONE: the entries are invalid but keep their pages */
	EXPECT_EQ(t, vm_mprotect(mm, AREA, 2 * PG, PROT_NONE), 0);
	EXPECT_EQ(t, mm->rss, 1);
	EXPECT_TRUE(t, pt_lookup(mm->pgd, AREA, NULL) == NULL);
	raw = raw_pte_of(mm, AREA);
	EXPECT_TRUE(t, raw != 0 && !(raw & PTE_V));
	EXPECT_TRUE(t, pte_pa(raw) != zero_page_pa);
	EXPECT_TRUE(t, !read_u64(AREA + 40, &v));
	EXPECT_TRUE(t, !write_u64(AREA + 40, 1));
	EXPECT_EQ(t, handle_mm_fault(mm, AREA, FAULT_READ), FAULT_ACCESS);
	/* back to RW: the data is there, no fault needed to see it */
	EXPECT_EQ(t, vm_mprotect(mm, AREA, 2 * PG, RW), 0);
	EXPECT_EQ(t, pte_pa(pte_of(mm, AREA)), pte_pa(raw));
	EXPECT_TRUE(t, read_u64(AREA + 40, &v) && v == 0xcafe);
	EXPECT_EQ(t, pte_pa(pte_of(mm, AREA + PG)), zero_page_pa);
	EXPECT_TRUE(t, !(pte_of(mm, AREA + PG) & PTE_W));
	EXPECT_EQ(t, mm->rss, 1);
	/* read-only: W goes, writes are refused, reads work */
	EXPECT_EQ(t, vm_mprotect(mm, AREA, PG, PROT_READ), 0);
	EXPECT_TRUE(t, !(pte_of(mm, AREA) & PTE_W));
	EXPECT_TRUE(t, !write_u64(AREA + 40, 1));
	EXPECT_TRUE(t, read_u64(AREA + 40, &v) && v == 0xcafe);
	/* writable again: the same page, written in place */
	EXPECT_EQ(t, vm_mprotect(mm, AREA, PG, RW), 0);
	EXPECT_TRUE(t, write_u64(AREA + 40, 0xbeef));
	EXPECT_EQ(t, pte_pa(pte_of(mm, AREA)), pte_pa(raw));
	EXPECT_EQ(t, mm->rss, 1);
	/* a page kept behind PROT_NONE is freed by munmap */
	EXPECT_EQ(t, vm_mprotect(mm, AREA, 2 * PG, PROT_NONE), 0);
	EXPECT_EQ(t, vm_munmap(mm, AREA, 2 * PG), 0);
	EXPECT_EQ(t, mm->rss, 0);
	EXPECT_EQ(t, raw_pte_of(mm, AREA), 0);
}

MM_CASE(munmap_frees_pages)
{
	unsigned long free;

	ASSERT_EQ(t, map_at(mm, AREA, 8 * PG, RW), AREA);
	for (int i = 0; i < 8; i++)
		ASSERT_TRUE(t, write_u64(AREA + (uintptr_t)i * PG, 1));
	EXPECT_EQ(t, mm->rss, 8);
	EXPECT_EQ(t, mm->hiwater_rss, 8);
	free = free_now();
	EXPECT_EQ(t, vm_munmap(mm, AREA + 2 * PG, 3 * PG), 0);
	EXPECT_EQ(t, mm->rss, 5);
	EXPECT_EQ(t, free_now() - free, 3);
	EXPECT_EQ(t, raw_pte_of(mm, AREA + 3 * PG), 0);
	EXPECT_TRUE(t, pte_of(mm, AREA + 5 * PG) != 0);
	EXPECT_EQ(t, mm->hiwater_rss, 8); /* a peak stays */
	/* the memory is gone: a touch now is refused */
	EXPECT_EQ(t, handle_mm_fault(mm, AREA + 3 * PG, FAULT_WRITE),
		  FAULT_NOVMA);
	EXPECT_EQ(t, vm_munmap(mm, AREA, 8 * PG), 0);
	EXPECT_EQ(t, mm->rss, 0);
	EXPECT_EQ(t, free_now() - free, 8);
}

MM_CASE(populate_prefaults)
{
	unsigned long faults;
	uintptr_t a;
	long r;

	r = vm_mmap(mm, 0, 8 * PG, RW, ANON | MAP_POPULATE, -1, 0);
	ASSERT_TRUE(t, r > 0);
	a = (uintptr_t)r;
	EXPECT_EQ(t, mm->rss, 8);
	for (int i = 0; i < 8; i++) {
		pte_t pte = pte_of(mm, a + (uintptr_t)i * PG);

		EXPECT_TRUE(t, pte_pa(pte) && pte_pa(pte) != zero_page_pa);
		EXPECT_TRUE(t, (pte & (PTE_W | PTE_A | PTE_D)) ==
				       (PTE_W | PTE_A | PTE_D));
	}
	/* touching it all faults no more */
	faults = vm_events.pgfault;
	for (int i = 0; i < 8; i++) {
		uint64_t v = 0;

		EXPECT_TRUE(t, write_u64(a + (uintptr_t)i * PG + 8, 1));
		EXPECT_TRUE(t, read_u64(a + (uintptr_t)i * PG + 8, &v));
		EXPECT_EQ(t, v, 1);
	}
	EXPECT_EQ(t, vm_events.pgfault, faults);
	EXPECT_EQ(t, mm->rss, 8);
	/* read-only memory is populated with the zero page */
	r = vm_mmap(mm, 0, 4 * PG, PROT_READ, ANON | MAP_POPULATE, -1, 0);
	ASSERT_TRUE(t, r > 0);
	EXPECT_EQ(t, pte_pa(pte_of(mm, (uintptr_t)r + 3 * PG)), zero_page_pa);
	EXPECT_EQ(t, mm->rss, 8);
	/* PROT_NONE memory is not populated */
	r = vm_mmap(mm, 0, 2 * PG, PROT_NONE, ANON | MAP_POPULATE, -1, 0);
	ASSERT_TRUE(t, r > 0);
	EXPECT_EQ(t, raw_pte_of(mm, (uintptr_t)r), 0);
	/* vm_populate itself: a range with a hole in it */
	ASSERT_EQ(t, map_at(mm, AREA, PG, RW), AREA);
	ASSERT_EQ(t, map_at(mm, AREA + 2 * PG, PG, RW), AREA + 2 * PG);
	EXPECT_EQ(t, vm_populate(mm, AREA, 3 * PG), 0);
	EXPECT_EQ(t, mm->rss, 10);
	EXPECT_EQ(t, raw_pte_of(mm, AREA + PG), 0);
	/* it upgrades a zero-page mapping to a page of its own */
	ASSERT_EQ(t, map_at(mm, AREA + 4 * PG, PG, RW), AREA + 4 * PG);
	ASSERT_TRUE(t, user_page_zero(AREA + 4 * PG));
	EXPECT_EQ(t, vm_populate(mm, AREA + 4 * PG, PG), 0);
	EXPECT_TRUE(t, pte_pa(pte_of(mm, AREA + 4 * PG)) != zero_page_pa);
	EXPECT_EQ(t, mm->rss, 11);
}

static void nothing_left_behind(struct ktest *t)
{
	vm_test_suite_end(t);
	EXPECT_TRUE(t, vm_test_all_zero(phys_to_virt(zero_page_pa), PG));
}

KTEST_SUITE(vm_fault, KTEST_CASE(suite_start),
	    KTEST_CASE(read_maps_the_zero_page),
	    KTEST_CASE(write_after_read_gets_a_private_page),
	    KTEST_CASE(write_on_fresh_memory), KTEST_CASE(exec_faults),
	    KTEST_CASE(refused_faults), KTEST_CASE(user_access_edges),
	    KTEST_CASE(svade_sets_a_and_d), KTEST_CASE(fault_counter),
	    KTEST_CASE(madvise_dontneed_drops_pages),
	    KTEST_CASE(mprotect_keeps_pages), KTEST_CASE(munmap_frees_pages),
	    KTEST_CASE(populate_prefaults), KTEST_CASE(nothing_left_behind));
