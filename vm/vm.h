/* SPDX-License-Identifier: MIT */
/*
 * vm/vm.h - the virtual address layout and the boot-time page table.
 *
 * This table is the single source of truth for where things live; the
 * linker script and docs/memory-layout.md follow it.
 *
 * Sv39 splits a 39-bit virtual address as
 *
 *     38        30 29        21 20        12 11           0
 *    +------------+------------+------------+--------------+
 *    |  VPN[2]    |  VPN[1]    |  VPN[0]    |  page offset |
 *    +------------+------------+------------+--------------+
 *
 * and bits 63:39 must equal bit 38, so the usable space is a lower half
 * 0x0000000000000000..0x0000003fffffffff and an upper half
 * 0xffffffc000000000..0xffffffffffffffff, 256 GiB each.
 *
 *   range                                   size     what
 *   0x0000000000000000-0x0000003fffffffff   256 GiB  the app (lower half)
 *   0xffffffc000000000-0xffffffdfffffffff   128 GiB  direct map: VA = PA + DIRECT_MAP_BASE
 *   0xffffffe000000000-0xffffffe07fffffff     2 GiB  vmemmap: struct page of pfn n at
 *                                                    VMEMMAP_START + n * 64, backed only
 *                                                    where memory exists
 *   0xffffffe080000000-0xfffffffeffffffff   122 GiB  vmalloc / ioremap window (later)
 *   0xffffffff80000000-0xffffffffffffffff     2 GiB  the kernel image, at KERNEL_VA
 *
 * At boot (vm/early.c) the direct map covers physical 0..128 GiB with 1 GiB
 * leaves and the image is mapped with 2 MiB leaves at whatever 2 MiB-aligned
 * physical address the firmware loaded it: nothing physical is linked in.
 */
#ifndef PAGODA_VM_H
#define PAGODA_VM_H

/* Constants usable from C, assembly and the linker script. */
#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

/* clang-format off */
#define KERNEL_VA        UL(0xffffffff80000000)  /* link address of the image */
#define DIRECT_MAP_BASE  UL(0xffffffc000000000)  /* VA of physical address 0 */
#define DIRECT_MAP_SIZE  (UL(128) << 30)         /* bytes of PA reachable */
#define VMEMMAP_START    UL(0xffffffe000000000)  /* struct page array, by pfn */
#define VMEMMAP_SIZE     (UL(2) << 30)           /* 64 B x (128 GiB / 4 KiB) */
#define VMALLOC_START    UL(0xffffffe080000000)
#define VMALLOC_END      UL(0xffffffff00000000)
#define USER_END         UL(0x0000004000000000)  /* first VA above the lower half */

#define PAGE_SHIFT       12
#define PAGE_SIZE        (UL(1) << PAGE_SHIFT)
#define MEGAPAGE_SHIFT   21                    /* a level-1 leaf, 2 MiB */
#define MEGAPAGE_SIZE    (UL(1) << MEGAPAGE_SHIFT)
#define GIGAPAGE_SHIFT   30                    /* a level-2 leaf, 1 GiB */
#define GIGAPAGE_SIZE    (UL(1) << GIGAPAGE_SHIFT)
#define PTES_PER_TABLE   512
/* clang-format on */

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t phys_addr_t;

typedef uint64_t pte_t;

/* Physical address the image was loaded at; set once by early_map(). */
extern phys_addr_t kernel_load_pa;
/* The kernel's root page table (vm/early.c), shared by every address space. */
extern pte_t kernel_root[PTES_PER_TABLE];

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)(pa + DIRECT_MAP_BASE);
}

static inline bool phys_is_mapped(phys_addr_t pa, uint64_t size)
{
	return pa < DIRECT_MAP_SIZE && size <= DIRECT_MAP_SIZE - pa;
}

/* Works for the image and the direct map, the two ranges mapped at boot. */
static inline phys_addr_t virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERNEL_VA)
		return v - KERNEL_VA + kernel_load_pa;
	return v - DIRECT_MAP_BASE;
}

/* ---- page tables (pgtable.c) ---- */
/* Supplies zeroed page-table pages: returns a physical address, 0 if none. */
typedef phys_addr_t (*pt_alloc_fn)(void);

/*
 * Map [va, va + size) to [pa, pa + size) in the table rooted at root with
 * permissions prot (PTE_R/W/X/U/G), using the largest leaves that alignment
 * allows (1 GiB, 2 MiB, 4 KiB). va, pa and size must be page aligned and
 * the range unmapped. Returns 0, -EINVAL, -EEXIST or -ENOMEM. The caller
 * flushes the TLB.
 */
int pt_map(pte_t *root, uintptr_t va, phys_addr_t pa, uint64_t size,
	   uint64_t prot, pt_alloc_fn alloc);
/* The leaf PTE mapping va and its level (0 = 4 KiB), or NULL. */
pte_t *pt_lookup(pte_t *root, uintptr_t va, int *level);

struct memblock;
/* Map memory under the struct pages of every memory span (vmemmap.c). */
int vmemmap_populate(struct memblock *mb);

/*
 * Runs with the MMU off, from entry.S: builds the boot page table and
 * returns the satp value that turns it on, or 0 after printing why not.
 */
unsigned long early_map(void);
/* entry.S calls this, still with the MMU off, when satp rejected Sv39. */
void early_no_sv39(void);

#endif /* __ASSEMBLER__ */
#endif /* PAGODA_VM_H */
