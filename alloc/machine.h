/* SPDX-License-Identifier: MIT */
/*
 * alloc/machine.h - what the physical allocator needs of the machine that
 * runs it: the one contract between alloc/ and the rest, in the manner of
 * alloc/malloc/sys.h. alloc/ reaches below itself only through this file.
 *
 *   phys_addr_t, PAGE_SIZE, PAGE_SHIFT     pages (hal/riscv/layout.h)
 *   phys_to_virt(), virt_to_phys()         the direct map
 *   in_direct_map(p)                       is p a direct-map address?
 *   DIRECT_MAP_SIZE                        the physical memory it reaches
 *   machine_vmemmap                        struct page of pfn 0 (memmap.c
 *                                          backs it where memory exists)
 *   irq_save(), irq_restore()              a section no interrupt enters
 *   this_hart()                            the per-hart lists' index
 *   backtrace_print()                      a report's stack
 *   _RET_IP_, LEAF_RET_IP()                who called the allocator
 *   MACHINE_MAX_NODES, MACHINE_MAX_HARTS   table sizes
 *
 * Two implementations, one per environment that runs the allocator:
 *
 *   the image (riscv)   hal/riscv/riscv.h, inline: the fast paths pay
 *                       nothing for the contract
 *   the host tests      tests/host/machine.c: memory in host mappings
 *                       (host_ram, host_vmemmap), interrupts a flag the
 *                       tests watch, one hart
 */
#ifndef PAGODA_ALLOC_MACHINE_H
#define PAGODA_ALLOC_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "hal/riscv/layout.h" /* constants only */

/* clang-format off */
#define MACHINE_MAX_NODES  8    /* numa-node-id 0..7 */
#define MACHINE_MAX_HARTS  32
/* clang-format on */

/* The return address of the current function: who called the allocator. */
#define _RET_IP_ ((uintptr_t)__builtin_return_address(0))

#ifdef __riscv

#include "hal/riscv/riscv.h"

/*
 * _RET_IP_ in a fast path. GCC's __builtin_return_address(0) saves ra on
 * the stack at entry, which gives every path a stack frame; but a function
 * that has called nothing yet still has its return address in ra, one move
 * away. Only before the function's first call (the fast paths call nothing
 * but their slow path, in tail position).
 */
#define LEAF_RET_IP()                                       \
	({                                                  \
		uintptr_t __ra;                             \
		__asm__ volatile("mv %0, ra" : "=r"(__ra)); \
		__ra;                                       \
	})

#define machine_vmemmap ((void *)VMEMMAP_START)

static inline bool in_direct_map(const void *p)
{
	return (uintptr_t)p - DIRECT_MAP_BASE < DIRECT_MAP_SIZE;
}

#else /* the host tests' machine, tests/host/machine.c */

#define LEAF_RET_IP() _RET_IP_

typedef uint64_t phys_addr_t;

extern unsigned char *host_ram;	    /* PA x lives at host_ram + x */
extern unsigned char *host_vmemmap; /* struct page of pfn n: + n * 64 */
extern bool host_irq_enabled;

#define machine_vmemmap ((void *)host_vmemmap)

static inline void *phys_to_virt(phys_addr_t pa)
{
	return host_ram + pa;
}

static inline phys_addr_t virt_to_phys(const void *va)
{
	return (phys_addr_t)((const unsigned char *)va - host_ram);
}

static inline bool in_direct_map(const void *p)
{
	return (uintptr_t)p - (uintptr_t)host_ram < DIRECT_MAP_SIZE;
}

/* Interrupts off; the flags say whether they were on. */
static inline unsigned long irq_save(void)
{
	unsigned long old = host_irq_enabled;

	host_irq_enabled = false;
	return old;
}

static inline void irq_restore(unsigned long flags)
{
	if (flags)
		host_irq_enabled = true;
}

static inline unsigned int this_hart(void)
{
	return 0;
}

/* tests/host/machine.c: nothing to walk (ASan prints host stacks). */
void backtrace_print(unsigned long pc, unsigned long fp);

#endif
#endif
