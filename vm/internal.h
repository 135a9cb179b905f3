/* SPDX-License-Identifier: MIT */
/*
 * vm/internal.h - Sv39 page-table entry arithmetic shared by vm/early.c
 * (MMU off), vm/pgtable.c and the rest of vm/. Inline and pc-relative safe.
 *
 *  63    54 53                    10 9   8 7 6 5 4 3 2 1 0
 * +--------+------------------------+-----+-+-+-+-+-+-+-+-+
 * |reserved|        PPN[2:0]        | RSW |D|A|G|U|X|W|R|V|
 * +--------+------------------------+-----+-+-+-+-+-+-+-+-+
 *
 * V without R, W or X points to the next level's table; any of R, W, X
 * makes a leaf (4 KiB at level 0, 2 MiB at level 1, 1 GiB at level 2).
 * W without R is reserved. A leaf's PPN must be aligned to its size.
 * A and D: a core with Svade faults when it needs them clear-to-set; with
 * Svadu it sets them itself. Kernel leaves have both preset.
 */
#ifndef PAGODA_VM_INTERNAL_H
#define PAGODA_VM_INTERNAL_H

#include "hal/riscv/riscv.h"
#include "vm/vm.h"

#define PT_LEVELS 3
/* RSW bit: an invalid entry that still owns its page (a PROT_NONE VMA). */
#define PTE_PROT_NONE (1UL << 8)
#define PTE_PERM      (PTE_R | PTE_W | PTE_X | PTE_U)

/* clang-format off */
/* Kernel leaves: global, A and D preset. */
#define PTE_KERNEL    (PTE_G | PTE_A | PTE_D)
#define PROT_KERN_RW  (PTE_R | PTE_W | PTE_KERNEL)
#define PROT_KERN_RX  (PTE_R | PTE_X | PTE_KERNEL)
#define PROT_KERN_RO  (PTE_R | PTE_KERNEL)
/* clang-format on */

/* VPN[level] of va: bits 12 + 9 * level .. 20 + 9 * level. */
static inline unsigned int pt_index(uint64_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PTES_PER_TABLE - 1);
}

static inline uint64_t pt_level_size(int level)
{
	return 1UL << (PAGE_SHIFT + 9 * level);
}

/* A leaf mapping pa with bits (R/W/X/U/G/A/D); V is added. */
static inline pte_t pte_leaf(phys_addr_t pa, uint64_t bits)
{
	return ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | bits | PTE_V;
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

/* ---- shared inside vm/ ---- */
/* Page-table pages from the buddy allocator, for kernel_pgd. */
extern const struct pt_ops kernel_pt_ops;
/* Called by vmalloc when kernel_pgd gained a top-level entry. */
void mm_sync_kernel_half(void);
/* Pages of an address space: unmap [start, end) and free what it held. */
void mm_zap_range(struct mm *mm, uintptr_t start, uintptr_t end);
/* VMA tree surgery (mm.c). */
struct vm_area *vma_alloc(void);
void vma_free(struct vm_area *vma);
void vma_link(struct mm *mm, struct vm_area *vma);
void vma_unlink(struct mm *mm, struct vm_area *vma);
/* Split vma at addr (inside it): vma keeps the low part, the new high
 * part is returned, or NULL without memory. */
struct vm_area *vma_split(struct mm *mm, struct vm_area *vma, uintptr_t addr);
/* Merge vma with its neighbours where Linux would; returns the result. */
struct vm_area *vma_merge_around(struct mm *mm, struct vm_area *vma);
bool vma_can_merge(const struct vm_area *prev, const struct vm_area *next);
/* PTE permission bits for VMA flags. */
uint64_t vm_flags_to_pte(unsigned int flags);
/* total_vm, and Committed_AS for a VM_ACCOUNT VMA (flags: the VMA's). */
void mm_account_vm(struct mm *mm, unsigned int flags, long pages);

#endif
