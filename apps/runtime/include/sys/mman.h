/* SPDX-License-Identifier: MIT */
/*
 * <sys/mman.h> for apps: picolibc has none. Linux's values (asm-generic),
 * which the runtime implements; POSIX signatures.
 */
#ifndef PAGODA_APP_SYS_MMAN_H
#define PAGODA_APP_SYS_MMAN_H

#include <stddef.h>
#include <sys/types.h>

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
#define MAP_ANON             MAP_ANONYMOUS
#define MAP_NORESERVE        0x4000
#define MAP_POPULATE         0x8000
#define MAP_FIXED_NOREPLACE  0x100000
#define MAP_FAILED           ((void *)-1)
#define MREMAP_MAYMOVE       1
#define MREMAP_FIXED         2
#define MREMAP_DONTUNMAP     4
#define MADV_NORMAL          0
#define MADV_RANDOM          1
#define MADV_SEQUENTIAL      2
#define MADV_WILLNEED        3
#define MADV_DONTNEED        4
#define MADV_FREE            8
#define POSIX_MADV_NORMAL    MADV_NORMAL
#define POSIX_MADV_DONTNEED  MADV_DONTNEED
#define POSIX_MADV_WILLNEED  MADV_WILLNEED
/* clang-format on */

void *mmap(void *addr, size_t length, int prot, int flags, int fd,
	   off_t offset);
int munmap(void *addr, size_t length);
int mprotect(void *addr, size_t length, int prot);
/* With MREMAP_FIXED, a fifth argument: void *new_address. */
void *mremap(void *old_address, size_t old_size, size_t new_size, int flags,
	     ...);
int madvise(void *addr, size_t length, int advice);
int posix_madvise(void *addr, size_t length, int advice);

#endif
