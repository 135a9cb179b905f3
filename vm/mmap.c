// SPDX-License-Identifier: MIT
/*
 * vm/mmap.c - brk, mmap, munmap, mprotect, mremap and madvise, with the
 * arguments, results and errno values of Linux riscv64 (mm/mmap.c,
 * mm/mprotect.c, mm/mremap.c, mm/madvise.c), for anonymous memory.
 *
 * Every call works on the VMA list the same way: split the VMAs at the
 * ends of the range, change the pieces inside, then merge neighbours
 * where Linux would (vm/mm.c). Pages are not touched here but through the
 * page table: zapped on unmap, re-protected on mprotect, moved on mremap.
 *
 * Placement: MAP_FIXED at the address; a free hint at the hint; otherwise
 * the highest gap below mmap_base (top-down, as Linux's default layout).
 */
#include <errno.h>

#include "alloc/alloc.h"
#include "vm/internal.h"
#include "vm/mman.h"

#define MMAP_MIN_ADDR USER_TEXT_START /* vm.mmap_min_addr, as Debian's */

static unsigned int prot_to_vm(unsigned long prot)
{
	return (unsigned int)(prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
}

/*
 * Linux's __vm_enough_memory() for a process of root's (no admin reserve):
 * the heuristic refuses what could never be backed; never (2) refuses
 * what would take Committed_AS to CommitLimit, less a reserve of a 32nd
 * of the process's size (at most a 32nd of RAM, at most 128 MiB: Linux's
 * user_reserve_kbytes, from RAM here rather than from the boot's free
 * memory).
 */
bool vm_enough_memory(struct mm *mm, long pages)
{
	unsigned long reserve;
	long allowed;

	if (pages <= 0 || sysctl_overcommit_memory == OVERCOMMIT_ALWAYS)
		return true;
	if (sysctl_overcommit_memory == OVERCOMMIT_GUESS)
		return (unsigned long)pages <=
		       totalram_pages() + total_swap_pages;
	reserve = totalram_pages() / 32;
	if (reserve > (128UL << 20) / PAGE_SIZE)
		reserve = (128UL << 20) / PAGE_SIZE;
	allowed = (long)vm_commit_limit();
	if (mm)
		allowed -=
			(long)(mm->total_vm / 32 < reserve ? mm->total_vm / 32
							   : reserve);
	return vm_committed_pages + pages < allowed;
}

/* Linux's accountable_mapping(): private writable memory that reserves. */
static bool accountable(unsigned int vm_flags)
{
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/* Pages of VM_ACCOUNT VMAs inside [start, end): what MAP_FIXED replaces. */
static long accounted_in(struct mm *mm, uintptr_t start, uintptr_t end)
{
	long n = 0;

	for (struct vm_area *vma = find_vma_above(mm, start);
	     vma && vma->start < end; vma = vma_next(mm, vma))
		if (vma->flags & VM_ACCOUNT)
			n += (long)(((vma->end < end ? vma->end : end) -
				     (vma->start > start ? vma->start
							 : start)) >>
				    PAGE_SHIFT);
	return n;
}

/* The highest gap of len bytes below mmap_base, or -ENOMEM. */
static long find_gap_topdown(struct mm *mm, size_t len)
{
	uintptr_t end = mm->mmap_base;
	struct vm_area *vma = find_vma_above(mm, end - 1), *below;

	if (vma && vma->start < end) {
		end = vma->start;
		below = vma_prev(mm, vma);
	} else {
		below = vma ? vma_prev(mm, vma)
			: list_empty(&mm->vma_list)
				? NULL
				: list_entry(mm->vma_list.prev, struct vm_area,
					     list);
	}
	for (;;) {
		uintptr_t floor = below ? below->end : MMAP_MIN_ADDR;

		if (end >= floor && end - floor >= len)
			return (long)(end - len);
		if (!below)
			return -ENOMEM;
		end = below->start;
		below = vma_prev(mm, below);
	}
}

static long get_unmapped_area(struct mm *mm, uintptr_t hint, size_t len)
{
	if (len > USER_END - MMAP_MIN_ADDR)
		return -ENOMEM;
	if (hint) {
		hint = page_align(hint);
		if (hint >= MMAP_MIN_ADDR && hint <= USER_END - len &&
		    !find_vma_intersection(mm, hint, hint + len))
			return (long)hint;
	}
	return find_gap_topdown(mm, len);
}

/* Remove [start, end) from the VMAs, splitting those it cuts. */
static int unmap_range(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vm_area *vma = find_vma_above(mm, start);

	if (!vma || vma->start >= end)
		return 0;
	if (vma->start < start) {
		if (vma->end > end && !vma_split(mm, vma, end))
			return -ENOMEM;
		if (!(vma = vma_split(mm, vma, start)))
			return -ENOMEM;
	}
	while (vma && vma->start < end) {
		struct vm_area *next;

		if (vma->end > end && !vma_split(mm, vma, end))
			return -ENOMEM;
		next = vma_next(mm, vma);
		mm_zap_range(mm, vma->start, vma->end);
		mm_account_vm(mm, vma->flags, -(long)vma_pages(vma));
		vma_unlink(mm, vma);
		vma_free(vma);
		vma = next;
	}
	return 0;
}

/* A new VMA over [start, end), merged with its neighbours. */
static struct vm_area *vma_create(struct mm *mm, uintptr_t start, uintptr_t end,
				  unsigned int flags, unsigned long pgoff)
{
	struct vm_area *vma = vma_alloc();

	if (!vma)
		return NULL;
	vma->start = start;
	vma->end = end;
	vma->flags = flags;
	vma->pgoff = pgoff;
	vma_link(mm, vma);
	mm_account_vm(mm, flags, (long)((end - start) >> PAGE_SHIFT));
	return vma_merge_around(mm, vma);
}

long vm_map_fixed(struct mm *mm, uintptr_t addr, size_t len,
		  unsigned int vm_flags)
{
	long err;

	len = page_align(len);
	if (!addr) {
		if ((err = find_gap_topdown(mm, len)) < 0)
			return err;
		addr = (uintptr_t)err;
	}
	if ((err = unmap_range(mm, addr, addr + len)))
		return err;
	if (!vma_create(mm, addr, addr + len, vm_flags, addr >> PAGE_SHIFT))
		return -ENOMEM;
	return (long)addr;
}

long vm_mmap(struct mm *mm, uintptr_t addr, size_t len, unsigned long prot,
	     unsigned long flags, int fd, unsigned long off)
{
	unsigned long type = flags & MAP_TYPE;
	unsigned int vm_flags = prot_to_vm(prot);
	long ret;

	if (!len || (off & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (type != MAP_PRIVATE && type != MAP_SHARED &&
	    type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return fd < 0 ? -EBADF : -ENODEV; /* no mappable files here */
	len = page_align(len);
	if (!len || len > USER_END)
		return -ENOMEM;
	if (type != MAP_PRIVATE)
		vm_flags |= VM_SHARED; /* one process: shared acts as private */
	/* as Linux, MAP_NORESERVE counts for nothing under overcommit 2 */
	if ((flags & MAP_NORESERVE) &&
	    sysctl_overcommit_memory != OVERCOMMIT_NEVER)
		vm_flags |= VM_NORESERVE;
	else if ((vm_flags & VM_WRITE) &&
		 sysctl_overcommit_memory != OVERCOMMIT_NEVER &&
		 !vm_enough_memory(mm, (long)(len >> PAGE_SHIFT)))
		return -ENOMEM; /* the heuristic: shared memory too */
	if (accountable(vm_flags))
		vm_flags |= VM_ACCOUNT;
	vm_flags |= mm->def_flags;
	if (flags & MAP_LOCKED)
		vm_flags |= VM_LOCKED;

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (addr > USER_END - len)
			return -ENOMEM;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;
		if (flags & MAP_FIXED_NOREPLACE &&
		    find_vma_intersection(mm, addr, addr + len))
			return -EEXIST;
	} else if ((ret = get_unmapped_area(mm, addr, len)) < 0) {
		return ret;
	} else {
		addr = (uintptr_t)ret;
	}
	/* under 2: what a MAP_FIXED replaces is given back first */
	if ((vm_flags & VM_ACCOUNT) &&
	    sysctl_overcommit_memory == OVERCOMMIT_NEVER &&
	    !vm_enough_memory(mm, (long)(len >> PAGE_SHIFT) -
					  accounted_in(mm, addr, addr + len)))
		return -ENOMEM;
	if ((ret = vm_map_fixed(mm, addr, len, vm_flags)) < 0)
		return ret;
	if (flags & MAP_POPULATE ||
	    (vm_flags & (VM_LOCKED | VM_LOCKONFAULT)) == VM_LOCKED)
		(void)vm_populate(mm, addr, len); /* best effort, as Linux */
	return (long)addr;
}

long vm_munmap(struct mm *mm, uintptr_t addr, size_t len)
{
	if ((addr & (PAGE_SIZE - 1)) || !len)
		return -EINVAL;
	len = page_align(len);
	if (!len || addr > USER_END || len > USER_END - addr)
		return -EINVAL;
	return unmap_range(mm, addr, addr + len);
}

/* The heap's VMA flags: mlockall(MCL_FUTURE) locks it too. */
#define HEAP_FLAGS(mm) (VM_READ | VM_WRITE | VM_ACCOUNT | (mm)->def_flags)

long vm_brk(struct mm *mm, uintptr_t brk)
{
	uintptr_t newbrk = page_align(brk), oldbrk = page_align(mm->brk);
	struct vm_area *vma, *next;

	if (brk < mm->start_brk || brk > USER_END)
		return (long)mm->brk;
	if (newbrk == oldbrk) {
		mm->brk = brk;
		return (long)brk;
	}
	if (brk <= mm->brk) {
		if (unmap_range(mm, newbrk, oldbrk))
			return (long)mm->brk;
		mm->brk = brk;
		return (long)brk;
	}
	/* grow: keep a page free below whatever comes next */
	next = find_vma_above(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > next->start)
		return (long)mm->brk;
	if (!vm_enough_memory(mm, (long)((newbrk - oldbrk) >> PAGE_SHIFT)))
		return (long)mm->brk;
	vma = oldbrk > mm->start_brk ? find_vma(mm, oldbrk - 1) : NULL;
	if (vma && vma->end == oldbrk && vma->flags == HEAP_FLAGS(mm)) {
		vma->end = newbrk; /* expand the heap in place */
		mm_account_vm(mm, vma->flags,
			      (long)((newbrk - oldbrk) >> PAGE_SHIFT));
		if ((next = vma_next(mm, vma)) && vma_can_merge(vma, next))
			vma_merge_around(mm, vma);
	} else if (!vma_create(mm, oldbrk, newbrk, HEAP_FLAGS(mm),
			       oldbrk >> PAGE_SHIFT)) {
		return (long)mm->brk;
	}
	mm->brk = brk;
	if ((mm->def_flags & (VM_LOCKED | VM_LOCKONFAULT)) == VM_LOCKED)
		(void)vm_populate(mm, oldbrk, newbrk - oldbrk);
	return (long)brk;
}

/* ---- mprotect ---- */
struct protect_ctx {
	uint64_t perm;
};

static int protect_leaf(pte_t *pte, uintptr_t va, int level, void *arg)
{
	const struct protect_ctx *c = arg;
	uint64_t keep = *pte & ~(PTE_PERM | PTE_V | PTE_PROT_NONE);
	uint64_t perm = c->perm;

	(void)va;
	(void)level;
	if (pte_is_swap(*pte))
		return 0; /* the page comes back with the VMA's permissions */
	if (pte_pa(*pte) == zero_page_pa)
		perm &= ~PTE_W; /* the shared zero page is never writable */
	if (!(perm & (PTE_R | PTE_X)))
		*pte = keep | PTE_PROT_NONE; /* invalid, but keeps its page */
	else
		*pte = keep | perm | PTE_V;
	return 0;
}

/* Give [start, end), inside vma, the flags; returns the VMA holding end - 1. */
static struct vm_area *change_range(struct mm *mm, struct vm_area *vma,
				    uintptr_t start, uintptr_t end,
				    unsigned int flags)
{
	struct protect_ctx c = { vm_flags_to_pte(flags) };

	if (vma->flags == flags)
		return vma;
	if (!(vma = vma_isolate(mm, vma, start, end)))
		return NULL;
	vma->flags = flags;
	(void)pt_for_each_leaf(mm->pgd, vma->start, vma->end - vma->start,
			       protect_leaf, &c);
	if (mm == current_mm)
		flush_tlb_range(vma->start, vma->end - vma->start);
	return vma_merge_around(mm, vma);
}

long vm_mprotect(struct mm *mm, uintptr_t addr, size_t len, unsigned long prot)
{
	uintptr_t end, at = addr;
	struct vm_area *vma;

	if ((addr & (PAGE_SIZE - 1)) || (prot & ~0xful))
		return -EINVAL;
	if (!len)
		return 0;
	len = page_align(len);
	end = addr + len;
	if (!len || end <= addr || end > USER_END)
		return -ENOMEM;
	vma = find_vma_above(mm, addr);
	if (!vma || vma->start > addr)
		return -ENOMEM;
	/* as Linux: the part before a hole is changed, then -ENOMEM */
	while (vma && vma->start < end) {
		uintptr_t stop = vma->end < end ? vma->end : end;
		unsigned int flags =
			(vma->flags & ~VM_ACCESS) | prot_to_vm(prot);
		uintptr_t from = at > vma->start ? at : vma->start;
		long charged = 0;

		if (vma->start > at)
			return -ENOMEM;
		/* as Linux's mprotect_fixup: made writable, it now reserves */
		if ((flags & VM_WRITE) &&
		    !(vma->flags &
		      (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE))) {
			charged = (long)((stop - from) >> PAGE_SHIFT);
			if (!vm_enough_memory(mm, charged))
				return -ENOMEM;
			flags |= VM_ACCOUNT;
		}
		vma = change_range(mm, vma, from, stop, flags);
		if (!vma)
			return -ENOMEM;
		mm->committed += charged;
		vm_committed_pages += charged;
		/* the result may have merged with what follows */
		at = vma->end < end ? vma->end : end;
		vma = vma_next(mm, vma);
	}
	return at < end ? -ENOMEM : 0;
}

/* ---- mremap ---- */
struct move_ctx {
	struct mm *mm;
	intptr_t delta;
	int err;
};

static int move_leaf(pte_t *pte, uintptr_t va, int level, void *arg)
{
	struct move_ctx *c = arg;
	pte_t *to = pt_walk(c->mm->pgd, va + c->delta, 0, &c->mm->ops);

	(void)level;
	if (!to)
		return c->err = -ENOMEM;
	*to = *pte;
	*pte = 0;
	/* the reverse map moves with the PTE */
	if (pte_is_swap(*to)) {
		struct page *page = swap_cache_find(pte_to_swp_entry(*to));

		if (page && page->mapping)
			page->owner = va + c->delta;
	} else if (pte_pa(*to) != zero_page_pa) {
		phys_to_page(pte_pa(*to))->owner = va + c->delta;
	}
	return 0;
}

/* Move [addr, addr + old_len) of vma to new_addr with new_len bytes. */
static long move_vma(struct mm *mm, struct vm_area *vma, uintptr_t addr,
		     size_t old_len, uintptr_t new_addr, size_t new_len,
		     unsigned long flags)
{
	struct move_ctx c = { mm, (intptr_t)(new_addr - addr), 0 };
	unsigned long pgoff = vma->pgoff + ((addr - vma->start) >> PAGE_SHIFT);
	unsigned long anon = vma->anon;
	struct vm_area *moved = vma_alloc();

	if (!moved)
		return -ENOMEM;
	moved->start = new_addr;
	moved->end = new_addr + new_len;
	moved->flags = vma->flags;
	moved->pgoff = pgoff;
	moved->anon = anon;
	if (pt_for_each_leaf(mm->pgd, addr, old_len, move_leaf, &c)) {
		vma_free(moved);
		return c.err;
	}
	if (mm == current_mm)
		flush_tlb_range(addr, old_len);
	vma_link(mm, moved);
	mm_account_vm(mm, moved->flags, (long)(new_len >> PAGE_SHIFT));
	vma_merge_around(mm, moved);
	if (!(flags & MREMAP_DONTUNMAP))
		(void)unmap_range(mm, addr, addr + old_len);
	return (long)new_addr;
}

long vm_mremap(struct mm *mm, uintptr_t addr, size_t old_len, size_t new_len,
	       unsigned long flags, uintptr_t new_addr)
{
	struct vm_area *vma, *next;
	long ret;

	if (flags &
	    ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) &&
	    !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && old_len != new_len)
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	old_len = page_align(old_len);
	new_len = page_align(new_len);
	if (!new_len)
		return -EINVAL;
	if (addr > USER_END || old_len > USER_END - addr || new_len > USER_END)
		return -EINVAL;

	if (flags & MREMAP_FIXED) {
		if (new_addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (new_addr > USER_END - new_len)
			return -EINVAL;
		if (new_addr < addr + old_len && addr < new_addr + new_len)
			return -EINVAL; /* overlapping ranges */
		if ((ret = unmap_range(mm, new_addr, new_addr + new_len)))
			return ret;
		if (old_len > new_len) {
			if ((ret = unmap_range(mm, addr + new_len,
					       addr + old_len)))
				return ret;
			old_len = new_len;
		}
	} else if (old_len >= new_len) {
		if ((ret = unmap_range(mm, addr + new_len, addr + old_len)))
			return ret;
		return (long)addr;
	}

	vma = find_vma(mm, addr);
	if (!vma)
		return -EFAULT;
	if (!old_len)
		return -EINVAL; /* duplicating is for shared mappings only */
	if (old_len > vma->end - addr)
		return -EFAULT;
	if ((vma->flags & VM_ACCOUNT ||
	     (!(vma->flags & VM_NORESERVE) && (vma->flags & VM_WRITE))) &&
	    !vm_enough_memory(mm, (long)((new_len - old_len) >> PAGE_SHIFT)))
		return -ENOMEM;

	if (!(flags & MREMAP_FIXED)) {
		/* in place, if the VMA ends here and the space after is free */
		if (addr + old_len == vma->end && !(flags & MREMAP_DONTUNMAP) &&
		    addr + new_len <= USER_END &&
		    (!(next = vma_next(mm, vma)) ||
		     next->start >= addr + new_len)) {
			mm_account_vm(
				mm, vma->flags,
				(long)((new_len - old_len) >> PAGE_SHIFT));
			vma->end = addr + new_len;
			vma_merge_around(mm, vma);
			return (long)addr;
		}
		if (!(flags & MREMAP_MAYMOVE))
			return -ENOMEM;
		if ((ret = find_gap_topdown(mm, new_len)) < 0)
			return ret;
		new_addr = (uintptr_t)ret;
	}
	return move_vma(mm, vma, addr, old_len, new_addr, new_len, flags);
}

/* ---- madvise ---- */
static bool advice_known(int advice)
{
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
	case 10: /* MADV_DONTFORK */
	case 11: /* MADV_DOFORK */
	case 16: /* MADV_DONTDUMP */
	case 17: /* MADV_DODUMP */
	case MADV_COLD:
	case MADV_PAGEOUT:
		return true;
	default:
		return false;
	}
}

long vm_madvise(struct mm *mm, uintptr_t addr, size_t len_in, int advice)
{
	size_t len = page_align(len_in);
	uintptr_t end, at = addr;
	struct vm_area *vma;
	long ret = 0;

	if ((addr & (PAGE_SIZE - 1)) || !advice_known(advice))
		return -EINVAL;
	if (len_in && !len)
		return -EINVAL;
	end = addr + len;
	if (end < addr)
		return -EINVAL;
	if (end == addr)
		return 0;
	for (vma = find_vma_above(mm, addr); vma && vma->start < end;
	     vma = vma_next(mm, vma)) {
		uintptr_t s = vma->start > at ? vma->start : at;
		uintptr_t e = vma->end < end ? vma->end : end;

		if (vma->start > at)
			ret = -ENOMEM; /* a hole: the rest still applies */
		switch (advice) {
		case MADV_DONTNEED:
		case MADV_FREE:
			if (vma->flags & VM_LOCKED)
				return -EINVAL; /* Linux's: locked pages stay */
			mm_zap_range(mm, s, e);
			break;
		case MADV_WILLNEED:
			swapin_range(mm, s, e);
			break;
		case MADV_COLD:
		case MADV_PAGEOUT:
			if (vma->flags & VM_LOCKED)
				return -EINVAL; /* Linux's can_madv_lru_vma() */
			if (advice == MADV_COLD)
				deactivate_range(mm, s, e);
			else
				reclaim_range(mm, s, e);
			if (mm == current_mm)
				flush_tlb_range(s, e - s);
			break;
		}
		at = e;
	}
	return at < end ? -ENOMEM : ret;
}
