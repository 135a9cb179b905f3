/* SPDX-License-Identifier: MIT */
/*
 * hal/riscv/layout.h - the virtual address layout: the one table every other
 * place (the linker script, vm/, the app's link script, docs/memory-layout.md)
 * follows. Constants only, usable from C, assembly and linker scripts.
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
 *   0x0000000000000000-0x000000000000ffff    64 KiB  never mapped (NULL)
 *   0x0000000000010000-...                           the app's ELF: text R-X,
 *                                                    rodata R, data+bss RW
 *   start_brk = end of bss + random gap              heap, grows up (brk)
 *   ...                                              free
 *   mmap_base, growing down                          mmap area
 *   stack_top - 8 MiB - guard .. stack_top           stack (8 MiB limit),
 *                                                    a 1 MiB guard gap below
 *   0xffffffc000000000-0xffffffdfffffffff   128 GiB  direct map of RAM:
 *                                                    VA = PA + DIRECT_MAP_BASE
 *   0xffffffe000000000-0xffffffe07fffffff     2 GiB  vmemmap: struct page of
 *                                                    pfn n at VMEMMAP_START +
 *                                                    n * 64, backed only where
 *                                                    memory exists
 *   0xffffffe080000000-0xfffffffeffffffff   122 GiB  vmalloc / ioremap window
 *   0xffffffff80000000-0xffffffffffffffff     2 GiB  the kernel image, W^X
 *
 * The random parts of the lower half come from the device tree's rng-seed
 * (vm/exec.c); bootarg norandmaps makes them zero.
 */
#ifndef PAGODA_HAL_RISCV_LAYOUT_H
#define PAGODA_HAL_RISCV_LAYOUT_H

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

/* clang-format off */
/* ---- the upper half: the kernel ---- */
#define KERNEL_VA        UL(0xffffffff80000000)  /* link address of the image */
#define DIRECT_MAP_BASE  UL(0xffffffc000000000)  /* VA of physical address 0 */
#define DIRECT_MAP_SIZE  (UL(128) << 30)         /* bytes of PA reachable */
#define VMEMMAP_START    UL(0xffffffe000000000)  /* struct page array, by pfn */
#define VMEMMAP_SIZE     (UL(2) << 30)           /* 64 B x (128 GiB / 4 KiB) */
#define VMALLOC_START    UL(0xffffffe080000000)  /* vmalloc and ioremap */
#define VMALLOC_END      UL(0xffffffff00000000)

/* ---- the lower half: the app ---- */
#define USER_END         UL(0x0000004000000000)  /* first VA above the lower half */
#define USER_TEXT_START  UL(0x10000)             /* the app's ELF is linked here */
#define USER_STACK_TOP   USER_END                /* before randomisation */
#define USER_STACK_LIMIT (UL(8) << 20)           /* RLIMIT_STACK */
#define USER_STACK_GUARD (UL(1) << 20)           /* unmapped gap below it (Linux: 256 pages) */
#define USER_MMAP_GAP    (UL(128) << 20)         /* stack limit to mmap_base, at least */
#define USER_ET_DYN_BASE UL(0x2aaaaaa000)        /* a static-pie app's base: 2/3 of USER_END, paged (Linux's ELF_ET_DYN_BASE) */
/* Random ranges, in bytes, each a multiple of PAGE_SIZE (Linux: mmap 18 bits
 * of pages, stack 1 GiB of slack under the top, brk within 32 MiB). */
#define USER_RND_MMAP    (UL(1) << 30)
#define USER_RND_STACK   (UL(1) << 30)
#define USER_RND_BRK     (UL(32) << 20)
#define USER_RND_ET_DYN  (UL(1) << 30)           /* above USER_ET_DYN_BASE (arch_mmap_rnd) */

/* ---- pages ---- */
#define PAGE_SHIFT       12
#define PAGE_SIZE        (UL(1) << PAGE_SHIFT)
#define MEGAPAGE_SHIFT   21                    /* a level-1 leaf, 2 MiB */
#define MEGAPAGE_SIZE    (UL(1) << MEGAPAGE_SHIFT)
#define GIGAPAGE_SHIFT   30                    /* a level-2 leaf, 1 GiB */
#define GIGAPAGE_SIZE    (UL(1) << GIGAPAGE_SHIFT)
#define PTES_PER_TABLE   512
/* clang-format on */

#endif /* PAGODA_HAL_RISCV_LAYOUT_H */
