// SPDX-License-Identifier: MIT
/*
 * vm/pgtable.c - map, unmap, protect and walk Sv39 page tables.
 *
 * A walk starts at the root (level 2) and follows VPN[2], VPN[1], VPN[0]
 * (vm/internal.h has the split and the PTE bits). pt_map() places each
 * piece of a range at the highest level whose leaf size the alignment of
 * va, pa and the remaining size allow. pt_unmap() and pt_protect() split a
 * large leaf the range covers only in part into a table of the next level
 * with the same bits, then work on that.
 *
 * Tables come from and go back to the caller's pt_ops, so the same code
 * serves the boot path (memblock pages), the kernel and the app (buddy
 * pages) and the host tests (a fake page source). Nothing here flushes
 * the TLB: callers flush as narrowly as they know is correct.
 */
#include <errno.h>
#include <string.h>

#include "vm/internal.h"

static pte_t *table_of(pte_t pte)
{
	return phys_to_virt(pte_pa(pte));
}

/* The end of the level-sized block holding va, capped at end. */
static uintptr_t block_end(uintptr_t va, int level, uintptr_t end)
{
	uintptr_t next =
		(va & ~(pt_level_size(level) - 1)) + pt_level_size(level);

	return next - 1 < end - 1 ? next : end; /* next == 0: wrapped */
}

/* Replace the leaf *pte at level with a table of 512 smaller leaves. */
static int split_leaf(pte_t *pte, int level, const struct pt_ops *ops)
{
	phys_addr_t pa =
		ops && ops->alloc_table ? ops->alloc_table(ops->ctx) : 0;
	uint64_t bits = *pte & ((1UL << PTE_PPN_SHIFT) - 1);
	pte_t *child;

	if (!pa)
		return -ENOMEM;
	child = phys_to_virt(pa);
	for (int i = 0; i < PTES_PER_TABLE; i++)
		child[i] = pte_leaf(pte_pa(*pte) + i * pt_level_size(level - 1),
				    bits & ~PTE_V);
	*pte = pte_table(pa);
	return 0;
}

pte_t *pt_walk(pte_t *root, uintptr_t va, int level, const struct pt_ops *ops)
{
	pte_t *table = root;

	for (int l = PT_LEVELS - 1; l > level; l--) {
		pte_t *pte = &table[pt_index(va, l)];

		if (!(*pte & PTE_V)) {
			phys_addr_t pa = ops && ops->alloc_table
						 ? ops->alloc_table(ops->ctx)
						 : 0;

			if (!pa)
				return NULL;
			*pte = pte_table(pa);
		} else if (pte_is_leaf(*pte)) {
			return NULL; /* a larger leaf covers va */
		}
		table = table_of(*pte);
	}
	return &table[pt_index(va, level)];
}

int pt_map(pte_t *root, uintptr_t va, phys_addr_t pa, uint64_t size,
	   uint64_t prot, int max_level, const struct pt_ops *ops)
{
	if ((va | pa | size) & (PAGE_SIZE - 1) || !(prot & (PTE_R | PTE_X)) ||
	    (prot & (PTE_R | PTE_W)) == PTE_W || max_level < 0 ||
	    (size && va + size - 1 < va))
		return -EINVAL;
	while (size) {
		int level = max_level < PT_LEVELS ? max_level : PT_LEVELS - 1;
		pte_t *pte;

		/* the largest leaf that va, pa and size all allow */
		while (level > 0 && (((va | pa) & (pt_level_size(level) - 1)) ||
				     size < pt_level_size(level)))
			level--;
		for (;;) {
			if (!(pte = pt_walk(root, va, level, ops)))
				return pt_lookup(root, va, NULL) ? -EEXIST
								 : -ENOMEM;
			/* a table (perhaps emptied by an unmap) is in the way
			 * of a large leaf: use smaller leaves inside it */
			if (level && *pte & PTE_V && !pte_is_leaf(*pte)) {
				level--;
				continue;
			}
			break;
		}
		if (*pte) /* valid, or a page kept behind PROT_NONE */
			return -EEXIST;
		*pte = pte_leaf(pa, prot);
		va += pt_level_size(level);
		pa += pt_level_size(level);
		size -= pt_level_size(level);
	}
	return 0;
}

static int unmap_level(pte_t *table, int level, uintptr_t va, uintptr_t end,
		       const struct pt_ops *ops)
{
	while (va != end) {
		uintptr_t next = block_end(va, level, end);
		pte_t *pte = &table[pt_index(va, level)];
		bool whole = !(va & (pt_level_size(level) - 1)) &&
			     next - va == pt_level_size(level);
		int err;

		if (!(*pte & PTE_V) && (level || !*pte)) {
			va = next;
			continue;
		}
		/* a leaf, or a kept page behind an invalid entry (PROT_NONE) */
		if (!(*pte & PTE_V) || pte_is_leaf(*pte)) {
			if (whole) {
				pte_t old = *pte;

				*pte = 0;
				if (ops && ops->put_leaf)
					ops->put_leaf(old, va,
						      pt_level_size(level),
						      ops->ctx);
				va = next;
				continue;
			}
			if ((err = split_leaf(pte, level, ops)))
				return err;
		}
		err = unmap_level(table_of(*pte), level - 1, va, next, ops);
		if (err)
			return err;
		if (whole && ops && ops->free_table) {
			phys_addr_t pa = pte_pa(*pte);

			*pte = 0;
			ops->free_table(pa, ops->ctx);
		}
		va = next;
	}
	return 0;
}

int pt_unmap(pte_t *root, uintptr_t va, uint64_t size, const struct pt_ops *ops)
{
	if ((va | size) & (PAGE_SIZE - 1) || (size && va + size - 1 < va))
		return -EINVAL;
	return unmap_level(root, PT_LEVELS - 1, va, va + size, ops);
}

static int protect_level(pte_t *table, int level, uintptr_t va, uintptr_t end,
			 uint64_t prot, const struct pt_ops *ops)
{
	while (va != end) {
		uintptr_t next = block_end(va, level, end);
		pte_t *pte = &table[pt_index(va, level)];
		bool whole = !(va & (pt_level_size(level) - 1)) &&
			     next - va == pt_level_size(level);
		int err;

		if (!(*pte & PTE_V)) {
			va = next;
			continue;
		}
		if (pte_is_leaf(*pte)) {
			if (whole) {
				*pte = (*pte & ~PTE_PERM) | prot;
				va = next;
				continue;
			}
			if ((err = split_leaf(pte, level, ops)))
				return err;
		}
		err = protect_level(table_of(*pte), level - 1, va, next, prot,
				    ops);
		if (err)
			return err;
		va = next;
	}
	return 0;
}

int pt_protect(pte_t *root, uintptr_t va, uint64_t size, uint64_t prot,
	       const struct pt_ops *ops)
{
	if ((va | size) & (PAGE_SIZE - 1) || (size && va + size - 1 < va) ||
	    (prot & ~PTE_PERM) || !(prot & (PTE_R | PTE_X)) ||
	    (prot & (PTE_R | PTE_W)) == PTE_W)
		return -EINVAL;
	return protect_level(root, PT_LEVELS - 1, va, va + size, prot, ops);
}

static int each_level(pte_t *table, int level, uintptr_t va, uintptr_t end,
		      pt_leaf_fn fn, void *ctx)
{
	while (va != end) {
		uintptr_t next = block_end(va, level, end);
		pte_t *pte = &table[pt_index(va, level)];
		int ret = 0;

		if (*pte & PTE_V && !pte_is_leaf(*pte))
			ret = each_level(table_of(*pte), level - 1, va, next,
					 fn, ctx);
		else if (*pte & PTE_V || (!level && *pte))
			ret = fn(pte, va & ~(pt_level_size(level) - 1), level,
				 ctx);
		if (ret)
			return ret;
		va = next;
	}
	return 0;
}

int pt_for_each_leaf(pte_t *root, uintptr_t va, uint64_t size, pt_leaf_fn fn,
		     void *ctx)
{
	if (!size || va + size - 1 < va)
		return 0;
	return each_level(root, PT_LEVELS - 1, va, va + size, fn, ctx);
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
		table = table_of(*pte);
	}
	return NULL;
}
