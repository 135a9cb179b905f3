// SPDX-License-Identifier: MIT
/*
 * vm/rmap.c - the reverse map: from a page of the app's back to the PTE
 * that maps it, so reclaim, which finds pages on the LRU lists, can read
 * and clear their accessed bit and unmap them.
 *
 * Linux's anon_vma chains exist because fork shares pages between address
 * spaces. pagoda runs one app and has no fork, so an anonymous page has
 * exactly one mapping, and two words of its struct page are its whole
 * reverse map: mapping (the mm) and owner (the page-aligned address).
 * mremap moves them with the PTE (vm/mmap.c); a page read ahead into the
 * swap cache and not yet mapped has neither (mapping NULL).
 */
#include "alloc/alloc.h"
#include "vm/internal.h"

void page_add_anon_rmap(struct page *page, struct mm *mm, uintptr_t va)
{
	page->flags |= PG_anon;
	page->mapping = mm;
	page->owner = va & ~(PAGE_SIZE - 1);
}

pte_t *page_pte(const struct page *page)
{
	struct mm *mm = page->mapping;
	pte_t *table, *pte;

	if (!mm)
		return NULL;
	/* down to level 0 without allocating: the page was mapped there */
	table = mm->pgd;
	for (int level = PT_LEVELS - 1; level > 0; level--) {
		pte_t e = table[pt_index(page->owner, level)];

		if (!(e & PTE_V) || pte_is_leaf(e))
			return NULL;
		table = phys_to_virt(pte_pa(e));
	}
	pte = &table[pt_index(page->owner, 0)];
	if (pte_has_page(*pte))
		return pte_pa(*pte) == page_to_phys(page) ? pte : NULL;
	if (pte_is_swap(*pte) && page->flags & PG_swapcache &&
	    pte_to_swp_entry(*pte) == page->private)
		return pte;
	return NULL;
}

bool page_referenced(struct page *page)
{
	pte_t *pte = page_pte(page);
	struct mm *mm = page->mapping;

	if (!pte || !(*pte & PTE_V) || !(*pte & PTE_A))
		return false;
	*pte &= ~PTE_A;
	/* the TLB may hold the entry with A set: a use would not set it
	 * again in the table until the entry is walked anew */
	if (mm == current_mm)
		sfence_vma_addr(page->owner);
	return true;
}

void anon_page_free(struct page *page)
{
	if (page->flags & PG_mlocked)
		nr_mlock--; /* off the lists already */
	if (page->flags & PG_lru)
		lru_del(page);
	if (page->flags & PG_swapcache)
		swap_cache_del(page);
	page->flags &= ~(PG_anon | PG_active | PG_readahead | PG_mlocked);
	page->mapping = NULL;
	page->owner = 0;
	free_pages(page, 0);
}
