/* SPDX-License-Identifier: MIT */
/*
 * tests/host/shim/vm/vm.h - vm/vm.h for the allocator's host build.
 *
 * The host tests put tests/host/shim before the root on the include path,
 * so "vm/vm.h" finds this file; it takes every constant and declaration of
 * the real header (#include_next), then gives the three things that depend
 * on the kernel's address space a host meaning (tests/host/machine.c):
 *
 *   physical memory   one MAP_NORESERVE mapping of DIRECT_MAP_SIZE bytes,
 *                     host_ram; PA x lives at host_ram + x
 *   vmemmap           another, host_vmemmap, of VMEMMAP_SIZE bytes: struct
 *                     page of pfn n at host_vmemmap + n * 64
 *
 * Both start PROT_NONE outside what the simulated machine has (its memory
 * ranges, and the struct page spans of alloc/memmap.c), so a stray access
 * faults as it would on the machine. DIRECT_MAP_BASE, the VA of physical
 * address 0, is host_ram too: code that asks whether a pointer lies in the
 * direct map (alloc/slab_debug.c) gets the host answer.
 */
#ifndef PAGODA_HOST_SHIM_VM_H
#define PAGODA_HOST_SHIM_VM_H

#define phys_to_virt kernel_phys_to_virt
#define virt_to_phys kernel_virt_to_phys
#include_next "vm/vm.h"
#undef phys_to_virt
#undef virt_to_phys
#undef VMEMMAP_START
#undef DIRECT_MAP_BASE

extern unsigned char *host_ram;
extern unsigned char *host_vmemmap;

#define VMEMMAP_START	((uintptr_t)host_vmemmap)
#define DIRECT_MAP_BASE ((uintptr_t)host_ram)

static inline void *phys_to_virt(phys_addr_t pa)
{
	return host_ram + pa;
}

static inline phys_addr_t virt_to_phys(const void *va)
{
	return (phys_addr_t)((const unsigned char *)va - host_ram);
}

#endif /* PAGODA_HOST_SHIM_VM_H */
