/* SPDX-License-Identifier: MIT */
/*
 * vm/mman.h - the memory system calls' flag values, Linux's (uapi
 * asm-generic/mman-common.h), for both sides of the system call: the
 * kernel, and the apps through apps/runtime/include/sys/mman.h.
 */
#ifndef PAGODA_VM_MMAN_H
#define PAGODA_VM_MMAN_H

/* clang-format off */
#define PROT_NONE            0x0
#define PROT_READ            0x1
#define PROT_WRITE           0x2
#define PROT_EXEC            0x4
#define MAP_SHARED           0x01
#define MAP_PRIVATE          0x02
#define MAP_SHARED_VALIDATE  0x03
#define MAP_TYPE             0x0f
#define MAP_FIXED            0x10
#define MAP_ANONYMOUS        0x20
#define MAP_NORESERVE        0x4000
#define MAP_POPULATE         0x8000
#define MAP_FIXED_NOREPLACE  0x100000
#define MREMAP_MAYMOVE       1
#define MREMAP_FIXED         2
#define MREMAP_DONTUNMAP     4
#define MADV_NORMAL          0
#define MADV_RANDOM          1
#define MADV_SEQUENTIAL      2
#define MADV_WILLNEED        3
#define MADV_DONTNEED        4
#define MADV_FREE            8
#define MADV_COLD            20
#define MADV_PAGEOUT         21
#define MAP_LOCKED           0x2000
#define MLOCK_ONFAULT        0x1
#define MCL_CURRENT          1
#define MCL_FUTURE           2
#define MCL_ONFAULT          4
/* clang-format on */

#endif
