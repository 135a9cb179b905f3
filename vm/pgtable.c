// SPDX-License-Identifier: MIT
/*
 * vm/pgtable.c - building Sv39 page tables.
 *
 * A walk starts at the root (level 2) and follows VPN[2], VPN[1], VPN[0]
 * (vm/internal.h has the split). pt_map() places each piece of the range at
 * the highest level whose leaf size the alignment of va, pa and the
 * remaining size allow, and takes table pages from the caller's allocator,
 * which returns zeroed pages. Callers: the boot path (vmemmap, with
 * memblock pages); the virtual-memory code later. Not for trap context.
 */
#include <errno.h>

#include "vm/internal.h"

/* The table entry at level for va, allocating the tables above it. */
static pte_t *walk_alloc(pte_t *root, uintptr_t va, int level,
			 pt_alloc_fn alloc, int *err)
{
	pte_t *table = root;

	for (int l = PT_LEVELS - 1; l > level; l--) {
		pte_t *pte = &table[pt_index(va, l)];

		if (!(*pte & PTE_V)) {
			phys_addr_t pa = alloc ? alloc() : 0;

			if (!pa) {
				*err = -ENOMEM;
				return NULL;
			}
			*pte = pte_table(pa);
		} else if (pte_is_leaf(*pte)) {
			*err = -EEXIST; /* a larger leaf already covers va */
			return NULL;
		}
		table = phys_to_virt(pte_pa(*pte));
	}
	return &table[pt_index(va, level)];
}

int pt_map(pte_t *root, uintptr_t va, phys_addr_t pa, uint64_t size,
	   uint64_t prot, pt_alloc_fn alloc)
{
	if ((va | pa | size) & (PAGE_SIZE - 1) || !(prot & (PTE_R | PTE_X)))
		return -EINVAL;
	while (size) {
		int level = PT_LEVELS - 1, err = 0;
		pte_t *pte;

		/* the largest leaf that va, pa and size all allow */
		while (level > 0 && (((va | pa) & (pt_level_size(level) - 1)) ||
				     size < pt_level_size(level)))
			level--;
		pte = walk_alloc(root, va, level, alloc, &err);
		if (!pte)
			return err;
		if (*pte & PTE_V)
			return -EEXIST;
		*pte = pte_leaf(pa, prot);
		va += pt_level_size(level);
		pa += pt_level_size(level);
		size -= pt_level_size(level);
	}
	return 0;
}

pte_t *pt_lookup(pte_t *root, uintptr_t va, int *level)
{
	pte_t *table = root;

	for (int l = PT_LEVELS - 1; l >= 0; l--) {
		pte_t *pte = &table[pt_index(va, l)];

		if (!(*pte & PTE_V))
			return NULL;
		if (pte_is_leaf(*pte)) {
			if (level)
				*level = l;
			return pte;
		}
		table = phys_to_virt(pte_pa(*pte));
	}
	return NULL;
}
