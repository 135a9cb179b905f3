/* SPDX-License-Identifier: MIT */
/*
 * <sys/mman.h> for apps: picolibc has none. Linux's values (asm-generic,
 * vm/mman.h), which the runtime implements; POSIX signatures.
 */
#ifndef PAGODA_APP_SYS_MMAN_H
#define PAGODA_APP_SYS_MMAN_H

#include <stddef.h>
#include <sys/types.h>

/* The values are the kernel's, Linux's: one definition for both sides. */
#include "vm/mman.h"

/* clang-format off */
#define MAP_ANON             MAP_ANONYMOUS
#define MAP_FAILED           ((void *)-1)
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
int mlock(const void *addr, size_t length);
int mlock2(const void *addr, size_t length, unsigned int flags);
int munlock(const void *addr, size_t length);
int mlockall(int flags);
int munlockall(void);

#endif
