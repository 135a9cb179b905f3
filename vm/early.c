// SPDX-License-Identifier: MIT
/*
 * vm/early.c - the boot page table, built with the MMU off.
 *
 * Called once from boot/entry.S on the boot hart, before the image runs at
 * its link address. Everything here executes at the physical load address,
 * so this file may only use pc-relative addressing: no pointers stored in
 * data, no switch jump tables (built with -fno-jump-tables), no libc, and
 * no console but sbi_early_puts().
 *
 * The table it builds (and vm/vm.h documents):
 *   - the image at KERNEL_VA with 2 MiB leaves, read-write-execute; the
 *     virtual-memory code later remaps it W^X with 4 KiB pages;
 *   - a direct map of physical 0..128 GiB at DIRECT_MAP_BASE with 1 GiB
 *     leaves, read-write, so the device tree and devices can be reached
 *     before memory is known. Nothing is accessed there but RAM the device
 *     tree names and device registers.
 * No identity map: entry.S enters the upper half through a trap.
 */
#include "vm/internal.h"

/* Page tables are 4 KiB, aligned to 4 KiB, 512 eight-byte PTEs. */
pte_t kernel_root[PTES_PER_TABLE] __attribute__((aligned(PAGE_SIZE)));
static pte_t early_image_l1[PTES_PER_TABLE] __attribute__((aligned(PAGE_SIZE)));

phys_addr_t kernel_load_pa;

extern char _start[], _end[];

unsigned long early_map(void)
{
	/* With the MMU off, _start is the physical address (auipc-relative). */
	uint64_t pa = (uint64_t)(uintptr_t)_start;
	uint64_t size = (uint64_t)(_end - _start);
	uint64_t n = (size + MEGAPAGE_SIZE - 1) >> MEGAPAGE_SHIFT;

	if (pa & (MEGAPAGE_SIZE - 1)) {
		sbi_early_puts(
			"pagoda: the image must be loaded at a 2 MiB-aligned "
			"physical address\n");
		return 0;
	}
	if (n > PTES_PER_TABLE - pt_index(KERNEL_VA, 1)) {
		sbi_early_puts("pagoda: the image is larger than 1 GiB\n");
		return 0;
	}
	kernel_load_pa = pa;

	for (uint64_t gb = 0; gb < DIRECT_MAP_SIZE >> GIGAPAGE_SHIFT; gb++)
		kernel_root[pt_index(DIRECT_MAP_BASE, 2) + gb] =
			pte_leaf(gb << GIGAPAGE_SHIFT, PROT_KERN_RW);

	kernel_root[pt_index(KERNEL_VA, 2)] =
		pte_table((uintptr_t)early_image_l1);
	for (uint64_t i = 0; i < n; i++)
		early_image_l1[pt_index(KERNEL_VA, 1) + i] = pte_leaf(
			pa + (i << MEGAPAGE_SHIFT), PROT_KERN_RW | PTE_X);

	return SATP_MODE_SV39 |
	       ((uint64_t)(uintptr_t)kernel_root >> PAGE_SHIFT);
}

/* entry.S lands here when writing satp had no effect. */
void early_no_sv39(void)
{
	sbi_early_puts("pagoda: this hart does not implement Sv39 paging\n");
}
