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
#include "hal/riscv/riscv.h"
#include "vm/vm.h"

/* Page tables are 4 KiB, aligned to 4 KiB, 512 eight-byte PTEs. */
static uint64_t early_root[PTES_PER_TABLE] __attribute__((aligned(PAGE_SIZE)));
static uint64_t early_image_l1[PTES_PER_TABLE]
	__attribute__((aligned(PAGE_SIZE)));

phys_addr_t kernel_load_pa;

extern char _start[], _end[];

/* VPN[level] of a virtual address: bits 12+9*level .. 20+9*level. */
static unsigned int vpn(uint64_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PTES_PER_TABLE - 1);
}

static uint64_t pte_leaf(uint64_t pa, uint64_t perm)
{
	/* A and D preset: cores without Svadu would trap on the first access. */
	return ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | perm | PTE_A | PTE_D |
	       PTE_G | PTE_V;
}

static uint64_t pte_table(const void *table_pa)
{
	return (((uint64_t)(uintptr_t)table_pa >> PAGE_SHIFT)
		<< PTE_PPN_SHIFT) |
	       PTE_V;
}

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
	if (n > PTES_PER_TABLE - vpn(KERNEL_VA, 1)) {
		sbi_early_puts("pagoda: the image is larger than 1 GiB\n");
		return 0;
	}
	kernel_load_pa = pa;

	for (uint64_t gb = 0; gb < DIRECT_MAP_SIZE >> GIGAPAGE_SHIFT; gb++)
		early_root[vpn(DIRECT_MAP_BASE, 2) + gb] =
			pte_leaf(gb << GIGAPAGE_SHIFT, PTE_R | PTE_W);

	early_root[vpn(KERNEL_VA, 2)] = pte_table(early_image_l1);
	for (uint64_t i = 0; i < n; i++)
		early_image_l1[vpn(KERNEL_VA, 1) + i] = pte_leaf(
			pa + (i << MEGAPAGE_SHIFT), PTE_R | PTE_W | PTE_X);

	return SATP_MODE_SV39 | ((uint64_t)(uintptr_t)early_root >> PAGE_SHIFT);
}

/* entry.S lands here when writing satp had no effect. */
void early_no_sv39(void)
{
	sbi_early_puts("pagoda: this hart does not implement Sv39 paging\n");
}
