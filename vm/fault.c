// SPDX-License-Identifier: MIT
/*
 * vm/fault.c - demand paging of the app's anonymous memory.
 *
 * A VMA promises memory; the page comes on first touch:
 *
 *   no PTE, read       map the shared zero page read-only (no memory used)
 *   no PTE, write/exec a zeroed page from the buddy allocator (GFP_USER)
 *   zero page, write   replace it with a zeroed page of the app's own
 *   valid PTE, access  allowed but A (or D for a write) clear: a core
 *                      without Svadu traps for these (Svade); set them
 *   anything else      refused: the caller ends the app with a report
 *
 *   swap entry         read the page back (swap_state.c)
 *
 * Leaves are made with A set, and D set on a write, as Linux does, so a
 * core with Svade traps at most once more per page (first write after a
 * read). A new page gets its reverse map (rmap.c) and goes on the active
 * LRU list, or off the lists in a VM_LOCKED mapping.
 */
#include <errno.h>
#include <string.h>

#include "alloc/alloc.h"
#include "vm/internal.h"

unsigned long vm_svade_fixups;
phys_addr_t zero_page_pa;
gfp_t vm_oom_gfp;

int fault_init(void)
{
	struct page *page;

	if (zero_page_pa)
		return 0;
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	if (!page)
		return -ENOMEM;
	zero_page_pa = page_to_phys(page);
	return 0;
}

uint64_t vm_flags_to_pte(unsigned int flags)
{
	uint64_t pte = PTE_U;

	if (flags & VM_READ)
		pte |= PTE_R;
	if (flags & VM_WRITE)
		pte |= PTE_R | PTE_W; /* W alone is reserved in Sv39 */
	if (flags & VM_EXEC)
		pte |= PTE_X;
	return pte;
}

static void anon_prepare(struct mm *mm, struct vm_area *vma)
{
	if (!vma->anon)
		vma->anon = ++mm->next_anon;
}

pte_t anon_pte(phys_addr_t pa, unsigned int flags, uint64_t bits)
{
	if (!(flags & VM_ACCESS))
		return pte_leaf(pa, bits | PTE_PROT_NONE) & ~PTE_V;
	return pte_leaf(pa, vm_flags_to_pte(flags) | bits);
}

void anon_page_mapped(struct mm *mm, struct vm_area *vma, struct page *page,
		      uintptr_t addr)
{
	page_add_anon_rmap(page, mm, addr);
	anon_prepare(mm, vma);
	if (vma->flags & VM_LOCKED)
		mlock_page(page);
	else
		lru_add(page, false);
	nr_anon_pages++;
	if (++mm->rss > mm->hiwater_rss)
		mm->hiwater_rss = mm->rss;
}

/* A fresh zeroed page of the app's at *pte, with A (and D for a write). */
static int map_new_page(struct mm *mm, struct vm_area *vma, pte_t *pte,
			uintptr_t addr, bool write)
{
	struct page *page = alloc_pages(GFP_USER | __GFP_ZERO, 0);

	if (!page) {
		vm_oom_gfp = GFP_USER | __GFP_ZERO;
		return FAULT_OOM;
	}
	anon_page_mapped(mm, vma, page, addr);
	*pte = anon_pte(page_to_phys(page), vma->flags,
			PTE_A | (write ? PTE_D : 0));
	return FAULT_OK;
}

static unsigned int access_needs(enum fault_access access)
{
	switch (access) {
	case FAULT_WRITE:
		return VM_WRITE;
	case FAULT_EXEC:
		return VM_EXEC;
	default:
		return VM_READ | VM_WRITE; /* a writable page is readable */
	}
}

int handle_mm_fault(struct mm *mm, uintptr_t addr, enum fault_access access)
{
	bool write = access == FAULT_WRITE;
	struct vm_area *vma;
	pte_t *pte;

	vm_events.pgfault++;
	if (addr >= USER_END)
		return FAULT_NOVMA;
	vma = find_vma(mm, addr);
	if (!vma) {
		if (mm->stack_guard && addr >= mm->stack_guard &&
		    addr < mm->stack_guard + USER_STACK_GUARD)
			return FAULT_GUARD;
		return FAULT_NOVMA;
	}
	if (!(vma->flags & access_needs(access)))
		return FAULT_ACCESS;
	pte = pt_walk(mm->pgd, addr, 0, &mm->ops);
	if (!pte) {
		vm_oom_gfp = GFP_KERNEL | __GFP_ZERO; /* a page table's */
		return FAULT_OOM;
	}

	if (!(*pte & PTE_V)) {
		if (pte_is_swap(*pte))
			return do_swap_page(mm, vma, pte, addr, write);
		if (*pte) /* kept behind PROT_NONE, but the VMA allows it now */
			return FAULT_ACCESS;
		if (access == FAULT_READ) {
			*pte = pte_leaf(zero_page_pa,
					(vm_flags_to_pte(vma->flags) & ~PTE_W) |
						PTE_A);
			return FAULT_OK;
		}
		return map_new_page(mm, vma, pte, addr, write);
	}
	if (write && !(*pte & PTE_W)) {
		if (pte_pa(*pte) != zero_page_pa)
			return FAULT_ACCESS;
		int ret = map_new_page(mm, vma, pte, addr, true);

		sfence_vma_addr(addr);
		return ret;
	}
	/* Svade: allowed, but the core wants A or D set by software */
	if (!(*pte & PTE_A) || (write && !(*pte & PTE_D))) {
		*pte |= PTE_A | (write ? PTE_D : 0);
		vm_svade_fixups++;
	}
	/* else a stale TLB entry: the flush below is the whole fix */
	sfence_vma_addr(addr);
	return FAULT_OK;
}

int vm_populate(struct mm *mm, uintptr_t addr, size_t len)
{
	for (uintptr_t va = addr; va < addr + len; va += PAGE_SIZE) {
		struct vm_area *vma = find_vma(mm, va);
		pte_t *pte;

		if (!vma || !(vma->flags & VM_ACCESS))
			continue;
		pte = pt_walk(mm->pgd, va, 0, &mm->ops);
		if (!pte)
			return -ENOMEM;
		if (*pte & PTE_V && (*pte & PTE_W || !(vma->flags & VM_WRITE)))
			continue;
		if (handle_mm_fault(mm, va,
				    vma->flags & VM_WRITE ? FAULT_WRITE
				    : vma->flags & VM_READ
					    ? FAULT_READ
					    : FAULT_EXEC) == FAULT_OOM)
			return -ENOMEM;
	}
	return 0;
}

int vm_insert_page(struct mm *mm, uintptr_t va, struct page *page)
{
	struct vm_area *vma = find_vma(mm, va);
	pte_t *pte;

	if (!vma)
		return -EFAULT;
	pte = pt_walk(mm->pgd, va, 0, &mm->ops);
	if (!pte)
		return -ENOMEM;
	if (*pte)
		return -EEXIST;
	anon_page_mapped(mm, vma, page, va);
	*pte = anon_pte(page_to_phys(page), vma->flags, PTE_A | PTE_D);
	return 0;
}

/* Why the fault at addr was refused, in the words of a report. */
void vm_report_fault(struct mm *mm, uintptr_t addr, int why)
{
	struct vm_area *vma = mm ? find_vma(mm, addr) : NULL;
	static const char *const reasons[] = {
		[FAULT_NOVMA] = "no mapping",
		[FAULT_ACCESS] = "the mapping does not allow this access",
		[FAULT_GUARD] = "the stack guard page: stack overflow",
		[FAULT_OOM] = "out of memory",
		[FAULT_SIGBUS] = "its page could not be read back from swap "
				 "(I/O error)",
	};

	if (addr >= USER_END) {
		pr_err("pagoda:   0x%lx is kernel memory\n", addr);
		return;
	}
	if (why == FAULT_GUARD)
		pr_err("pagoda:   0x%lx: %s (stack 0x%lx-0x%lx)\n", addr,
		       reasons[why], mm->stack_top - USER_STACK_LIMIT,
		       mm->stack_top);
	else if (!vma)
		pr_err("pagoda:   0x%lx: %s%s\n", addr, reasons[FAULT_NOVMA],
		       addr < PAGE_SIZE ? " (NULL pointer)" : "");
	else
		pr_err("pagoda:   0x%lx: in VMA 0x%lx-0x%lx %c%c%c%c: %s\n",
		       addr, vma->start, vma->end,
		       vma->flags & VM_READ ? 'r' : '-',
		       vma->flags & VM_WRITE ? 'w' : '-',
		       vma->flags & VM_EXEC ? 'x' : '-',
		       vma->flags & VM_SHARED ? 's' : 'p',
		       why < 6 && reasons[why] ? reasons[why] : "refused");
}
