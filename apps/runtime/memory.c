// SPDX-License-Identifier: MIT
/*
 * apps/runtime/memory.c - the memory system calls: mmap, munmap, mprotect,
 * mremap, madvise, posix_madvise, the mlock family, brk and sbrk
 * (malloc's ground).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "apps/runtime/internal.h"

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	long r = syscall_result(
		SYSCALL(SYS_mmap, addr, length, prot, flags, fd, offset));

	return r == -1 ? MAP_FAILED : (void *)r;
}

int munmap(void *addr, size_t length)
{
	return (int)syscall_result(
		SYSCALL(SYS_munmap, addr, length, 0, 0, 0, 0));
}

int mprotect(void *addr, size_t length, int prot)
{
	return (int)syscall_result(
		SYSCALL(SYS_mprotect, addr, length, prot, 0, 0, 0));
}

void *mremap(void *old_address, size_t old_size, size_t new_size, int flags,
	     ...)
{
	void *new_address = NULL;
	long r;

	if (flags & MREMAP_FIXED) {
		va_list ap;

		va_start(ap, flags);
		new_address = va_arg(ap, void *);
		va_end(ap);
	}
	r = syscall_result(SYSCALL(SYS_mremap, old_address, old_size, new_size,
				   flags, new_address, 0));
	return r == -1 ? MAP_FAILED : (void *)r;
}

int madvise(void *addr, size_t length, int advice)
{
	return (int)syscall_result(
		SYSCALL(SYS_madvise, addr, length, advice, 0, 0, 0));
}

int posix_madvise(void *addr, size_t length, int advice)
{
	long r = SYSCALL(SYS_madvise, addr, length, advice, 0, 0, 0);

	return r < 0 ? errno_from_linux(-r) : 0;
}

int mlock(const void *addr, size_t length)
{
	return (int)syscall_result(
		SYSCALL(SYS_mlock, addr, length, 0, 0, 0, 0));
}

int mlock2(const void *addr, size_t length, unsigned int flags)
{
	return (int)syscall_result(
		SYSCALL(SYS_mlock2, addr, length, flags, 0, 0, 0));
}

int munlock(const void *addr, size_t length)
{
	return (int)syscall_result(
		SYSCALL(SYS_munlock, addr, length, 0, 0, 0, 0));
}

int mlockall(int flags)
{
	return (int)syscall_result(SYSCALL(SYS_mlockall, flags, 0, 0, 0, 0, 0));
}

int munlockall(void)
{
	return (int)syscall_result(SYSCALL(SYS_munlockall, 0, 0, 0, 0, 0, 0));
}

/* The break as the kernel last reported it (0: not asked yet). */
static uintptr_t current_brk;

int brk(void *addr)
{
	current_brk = (uintptr_t)SYSCALL(SYS_brk, addr, 0, 0, 0, 0, 0);
	if (current_brk != (uintptr_t)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(ptrdiff_t increment)
{
	uintptr_t old;

	if (!current_brk)
		current_brk = (uintptr_t)SYSCALL(SYS_brk, 0, 0, 0, 0, 0, 0);
	old = current_brk;
	if (increment && brk((void *)(old + increment)))
		return (void *)-1;
	return (void *)old;
}
