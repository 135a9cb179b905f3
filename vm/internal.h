/* SPDX-License-Identifier: MIT */
/*
 * vm/internal.h - Sv39 page-table entry arithmetic shared by vm/early.c
 * (MMU off) and vm/pgtable.c. Inline and pc-relative safe.
 *
 *  63    54 53                    10 9   8 7 6 5 4 3 2 1 0
 * +--------+------------------------+-----+-+-+-+-+-+-+-+-+
 * |reserved|        PPN[2:0]        | RSW |D|A|G|U|X|W|R|V|
 * +--------+------------------------+-----+-+-+-+-+-+-+-+-+
 *
 * V without R, W or X points to the next level's table; any of R, W, X
 * makes a leaf (4 KiB at level 0, 2 MiB at level 1, 1 GiB at level 2).
 */
#ifndef PAGODA_VM_INTERNAL_H
#define PAGODA_VM_INTERNAL_H

#include "hal/riscv/riscv.h"
#include "vm/vm.h"

#define PT_LEVELS 3

/* VPN[level] of va: bits 12 + 9 * level .. 20 + 9 * level. */
static inline unsigned int pt_index(uint64_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PTES_PER_TABLE - 1);
}

static inline uint64_t pt_level_size(int level)
{
	return 1UL << (PAGE_SHIFT + 9 * level);
}

static inline pte_t pte_leaf(phys_addr_t pa, uint64_t perm)
{
	/* A and D preset: cores without Svadu would trap on the first access. */
	return ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | perm | PTE_A | PTE_D |
	       PTE_V;
}

static inline pte_t pte_table(phys_addr_t table_pa)
{
	return ((table_pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | PTE_V;
}

static inline phys_addr_t pte_pa(pte_t pte)
{
	return (pte >> PTE_PPN_SHIFT) << PAGE_SHIFT;
}

static inline bool pte_is_leaf(pte_t pte)
{
	return pte & (PTE_R | PTE_W | PTE_X);
}

#endif
