// SPDX-License-Identifier: MIT
/*
 * vm/mlock.c - mlock, mlock2, munlock, mlockall, munlockall (Linux's
 * mm/mlock.c semantics, smaller).
 *
 * A locked VMA has VM_LOCKED: its pages are brought in (swapped back in
 * too) and taken off the LRU lists (PG_mlocked, Mlocked in meminfo), so
 * reclaim never sees them; pages that come later by fault are locked as
 * they come. MLOCK_ONFAULT and MCL_ONFAULT lock without bringing in.
 * munlock puts the pages back on the inactive list. The range rules are
 * Linux's: page-aligned start (len rounded up), -ENOMEM for a hole (the
 * part before it is done), -EINVAL for unknown flags. The app runs as
 * root (CAP_IPC_LOCK), so RLIMIT_MEMLOCK does not apply; a page that
 * cannot be had while locking is -EAGAIN, as Linux's __mm_populate().
 */
#include <errno.h>

#include "vm/internal.h"
#include "vm/mman.h"

struct lock_ctx {
	bool lock;
};

static int lock_pte(pte_t *pte, uintptr_t va, int level, void *arg)
{
	const struct lock_ctx *c = arg;
	struct page *page;

	(void)va;
	if (level || !pte_has_page(*pte) || pte_pa(*pte) == zero_page_pa)
		return 0;
	page = phys_to_page(pte_pa(*pte));
	if (c->lock)
		mlock_page(page);
	else
		munlock_page(page);
	return 0;
}

/* Give [start, end) of vma the lock flags; returns the VMA holding end-1. */
static struct vm_area *lock_range(struct mm *mm, struct vm_area *vma,
				  uintptr_t start, uintptr_t end,
				  unsigned int lock)
{
	unsigned int flags =
		(vma->flags & ~(VM_LOCKED | VM_LOCKONFAULT)) | lock;
	struct lock_ctx c = { lock != 0 };
	long pages;

	if (vma->flags == flags)
		return vma;
	if (!(vma = vma_isolate(mm, vma, start, end)))
		return NULL;
	pages = (long)((vma->end - vma->start) >> PAGE_SHIFT);
	if ((vma->flags & VM_LOCKED) != (flags & VM_LOCKED))
		mm->locked_vm += flags & VM_LOCKED ? pages : -pages;
	vma->flags = flags;
	(void)pt_for_each_leaf(mm->pgd, vma->start, vma->end - vma->start,
			       lock_pte, &c);
	return vma_merge_around(mm, vma);
}

static long apply(struct mm *mm, uintptr_t addr, size_t len, unsigned int lock)
{
	uintptr_t end, at;
	struct vm_area *vma;

	/* Linux's: an unaligned start takes its whole page */
	len = page_align(len + (addr & (PAGE_SIZE - 1)));
	at = addr &= ~(PAGE_SIZE - 1);
	end = addr + len;
	if (end < addr || end > USER_END)
		return -ENOMEM;
	if (!len)
		return 0;
	vma = find_vma_above(mm, addr);
	if (!vma || vma->start > addr)
		return -ENOMEM;
	while (vma && vma->start < end) {
		uintptr_t from = at > vma->start ? at : vma->start;
		uintptr_t stop = vma->end < end ? vma->end : end;

		if (vma->start > at)
			return -ENOMEM;
		if (!(vma = lock_range(mm, vma, from, stop, lock)))
			return -ENOMEM;
		at = vma->end < end ? vma->end : end;
		vma = vma_next(mm, vma);
	}
	if (at < end)
		return -ENOMEM;
	if ((lock & (VM_LOCKED | VM_LOCKONFAULT)) == VM_LOCKED &&
	    vm_populate(mm, addr, len))
		return -EAGAIN;
	return 0;
}

long vm_mlock(struct mm *mm, uintptr_t addr, size_t len, unsigned int flags)
{
	if (flags & ~(unsigned int)MLOCK_ONFAULT)
		return -EINVAL;
	return apply(mm, addr, len,
		     VM_LOCKED | (flags & MLOCK_ONFAULT ? VM_LOCKONFAULT : 0));
}

long vm_munlock(struct mm *mm, uintptr_t addr, size_t len)
{
	return apply(mm, addr, len, 0);
}

/* Every VMA of mm gets lock (VM_LOCKED.., or 0). */
static long apply_all(struct mm *mm, unsigned int lock)
{
	struct vm_area *vma = find_vma_above(mm, 0);

	while (vma) {
		if (!(vma = lock_range(mm, vma, vma->start, vma->end, lock)))
			return -ENOMEM;
		vma = vma_next(mm, vma);
	}
	if ((lock & (VM_LOCKED | VM_LOCKONFAULT)) == VM_LOCKED)
		for (vma = find_vma_above(mm, 0); vma; vma = vma_next(mm, vma))
			if (vm_populate(mm, vma->start, vma->end - vma->start))
				return -EAGAIN;
	return 0;
}

long vm_mlockall(struct mm *mm, unsigned int flags)
{
	unsigned int lock = VM_LOCKED;

	if (!flags ||
	    flags & ~(unsigned int)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	if (flags & MCL_ONFAULT)
		lock |= VM_LOCKONFAULT;
	mm->def_flags = flags & MCL_FUTURE ? lock : 0;
	return flags & MCL_CURRENT ? apply_all(mm, lock) : 0;
}

long vm_munlockall(struct mm *mm)
{
	mm->def_flags = 0;
	return apply_all(mm, 0);
}
